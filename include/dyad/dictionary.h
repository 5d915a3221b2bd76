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
#include <optional>
#include <string>
#include <string_view>
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
  // The user dictionary (docs/corrections.md): one file with "== ACTORS ==",
  // "== VERBS ==" and "== SUPPRESSED ==" sections, read before the files
  // above so that its entries win. "" = none; a file that does not exist
  // (yet) counts as empty.
  std::string user;
  // When set, the user dictionary's content, used instead of reading the
  // file `user` (errors still name `user`): to try an edit before saving it.
  std::optional<std::string> user_text;
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
  size_t suppressions = 0;    // events marked wrong in the user dictionary
  size_t vocabulary = 0;
  std::vector<std::string> warnings;  // e.g. duplicate entries, unused synsets
};

class Dictionary {
 public:
  // Loads every dictionary file found directly in `dir`, and the user
  // dictionary `user_file` on top ("" = none; see DictionaryFiles::user).
  static Result<std::shared_ptr<const Dictionary>> LoadDirectory(const std::string& dir,
                                                                 const std::string& user_file = "");
  static Result<std::shared_ptr<const Dictionary>> Load(const DictionaryFiles& files);
  // Files found in a directory, classified by name; NotFound if none.
  static Result<DictionaryFiles> FindFiles(const std::string& dir);
  // The default dictionary directory, as every front end finds it:
  // $DYAD_DICT_DIR, else the source tree's data/dict (when it exists), else
  // the installed share/dyad/dict.
  static std::string DefaultDirectory();
  // The user dictionary a front end reads: `flag` (--user-dict) when given,
  // NotFound if that file does not exist; else $DYAD_USER_DICT; else
  // `fallback` (a store's default, StoreUserDictionaryPath in
  // dyad/corrections.h, or "" for none).
  static Result<std::string> UserDictionaryPath(const std::string& flag,
                                                const std::string& fallback = "");

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

// The 16 lowercase hex digits that name a sentence in the user
// dictionary's suppressions: XXH3-64 of its text with whitespace runs
// collapsed to one space and the ends trimmed.
std::string SentenceHash(std::string_view sentence);

}  // namespace dyad

#endif  // DYAD_DICTIONARY_H_
