// Coding dictionaries: verbs (patterns and synsets), actors (with dated
// roles), agents, discards and issues, in the PETRARCH/TABARI text formats.
//
//   auto dict = dyad::Dictionary::LoadDirectory("data/dict");
//   if (!dict.ok()) { std::cerr << dict.status().ToString() << "\n"; return 1; }
//   std::cout << dict.value()->stats().verb_patterns << " patterns\n";
//
// Files are recognised by name inside a directory: "*verbs*" or "CAMEO*" are
// verb dictionaries, "*actors*" actors, "*agents*" agents, "*discards*"
// discards, "*issue*" issues. Loading compiles every phrase into token tries
// (see src/dict/phrase_trie.h), so matching costs one hash probe per token.
//
// A loaded Dictionary is immutable and safe to share between threads.
// Malformed lines are reported as InvalidArgument with "file:line".
#ifndef DYAD_DICTIONARY_H_
#define DYAD_DICTIONARY_H_

#include <memory>
#include <string>
#include <vector>

#include "dyad/status.h"

namespace dyad {

namespace dict {
struct Tables;  // compiled tries and entries; see src/dict/tables.h
}

struct DictionaryFiles {
  std::vector<std::string> verbs;
  std::vector<std::string> actors;
  std::vector<std::string> agents;
  std::vector<std::string> discards;
  std::vector<std::string> issues;
};

struct DictionaryStats {
  size_t verb_blocks = 0;
  size_t verb_forms = 0;      // inflected forms indexed
  size_t verb_patterns = 0;
  size_t synsets = 0;
  size_t actor_entries = 0;
  size_t actor_phrases = 0;
  size_t agent_phrases = 0;
  size_t discard_phrases = 0;
  size_t issue_phrases = 0;
  size_t vocabulary = 0;
  std::vector<std::string> warnings;  // e.g. duplicate entries, unused synsets
};

class Dictionary {
 public:
  // Loads every dictionary file found directly in `dir`.
  static Result<std::shared_ptr<const Dictionary>> LoadDirectory(const std::string& dir);
  static Result<std::shared_ptr<const Dictionary>> Load(const DictionaryFiles& files);
  // Files found in a directory, classified by name; NotFound if none.
  static Result<DictionaryFiles> FindFiles(const std::string& dir);
  // The default dictionary directory, as every front end finds it:
  // $DYAD_DICT_DIR, else the source tree's data/dict (when it exists), else
  // the installed share/dyad/dict.
  static std::string DefaultDirectory();

  ~Dictionary();
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  const DictionaryStats& stats() const { return stats_; }
  const dict::Tables& tables() const { return *tables_; }

 private:
  Dictionary();
  std::unique_ptr<dict::Tables> tables_;
  DictionaryStats stats_;
};

}  // namespace dyad

#endif  // DYAD_DICTIONARY_H_
