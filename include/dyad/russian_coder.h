// The Russian event coder: Russian text in, the same CAMEO events as the
// English coder out, with the original Russian sentence as evidence.
//
//   auto morph = dyad::ru::Morphology::Load(dyad::ru::Morphology::DefaultDirectory());
//   auto dict = dyad::ru::RussianDictionary::Load("data/dict/ru", *morph);
//   auto coder = dyad::ru::RussianCoder::Create(*dict, {}).value();
//   dyad::Document doc{.id = "d1", .date = "2025-04-10", .text = "Мигрантов из Узбекистана ..."};
//   for (const dyad::Event& e : coder->CodeDocument(doc)) ...   // RUSCOP 173 UZBLAB
//
// Roles come from case and agreement, not word order: the subject is the
// nominative phrase agreeing with the verb, the target the phrase in the
// case (and with the preposition) the verb's dictionary entry governs;
// passives swap them (instrumental agent); agentless plurals are coded only
// when the sentence names the agency or the state. The dictionaries
// (docs/russian.md) are lemma-based text files, expanded to every
// inflected form with the morphology when loaded, so running text costs one
// hash lookup per token.
//
// Both classes are immutable after Load/Create and thread-safe. The coder
// memoises the morphology's answers for words outside the dictionaries in
// an internal, lock-protected cache (bounded; results never depend on it).
#ifndef DYAD_RUSSIAN_CODER_H_
#define DYAD_RUSSIAN_CODER_H_

#include <memory>
#include <string>
#include <vector>

#include "dyad/coder.h"
#include "dyad/status.h"
#include "dyad/text.h"

namespace dyad::ru {

class Morphology;
struct DictTables;  // src/russian/dict_tables.h

struct RussianDictionaryStats {
  size_t verb_entries = 0;
  size_t verb_patterns = 0;
  size_t actor_entries = 0;
  size_t agent_entries = 0;
  size_t forms = 0;          // inflected forms indexed
  size_t lemmas_unknown = 0; // dictionary lemmas the morphology did not know
  double load_ms = 0;
};

class RussianDictionary {
 public:
  // Reads actors.txt, agents.txt, verbs.txt and words.txt in `dir`; every
  // lemma is expanded with `morphology`. InvalidArgument names file:line.
  static Result<std::shared_ptr<const RussianDictionary>> Load(
      const std::string& dir, std::shared_ptr<const Morphology> morphology);
  // $DYAD_RU_DICT_DIR, else <Dictionary::DefaultDirectory()>/ru.
  static std::string DefaultDirectory();
  // A fingerprint of the files' names and contents (for coder versions).
  const std::string& fingerprint() const { return fingerprint_; }

  ~RussianDictionary();
  RussianDictionary(const RussianDictionary&) = delete;
  RussianDictionary& operator=(const RussianDictionary&) = delete;

  const RussianDictionaryStats& stats() const { return stats_; }
  const DictTables& tables() const { return *tables_; }
  const Morphology& morphology() const { return *morphology_; }

 private:
  RussianDictionary();
  std::unique_ptr<DictTables> tables_;
  std::shared_ptr<const Morphology> morphology_;
  RussianDictionaryStats stats_;
  std::string fingerprint_;
};

class RussianCoder : public LanguageCoder {
 public:
  // `english`, when given, shares its actor names: a capitalised Russian
  // word outside our dictionaries is transliterated with ICU
  // (Russian-Latin/BGN: Пашинян -> pashinyan) and looked up as a one-word
  // actor there (PASHINYAN -> ARMGOV).
  static Result<std::unique_ptr<RussianCoder>> Create(
      std::shared_ptr<const RussianDictionary> dictionary, CoderOptions options,
      std::shared_ptr<const Dictionary> english = nullptr);
  // Loads the morphology from Morphology::DefaultDirectory() and the
  // dictionaries from `dict_dir` ("" = RussianDictionary::DefaultDirectory()).
  static Result<std::unique_ptr<RussianCoder>> LoadDefault(
      const std::string& dict_dir, CoderOptions options,
      std::shared_ptr<const Dictionary> english = nullptr);
  ~RussianCoder() override;

  // As Coder::CodeDocument: events own their strings, offsets are bytes
  // into doc.text; `trace` gets the tokens' morphology and the case or
  // agreement that decided each role.
  std::vector<Event> CodeDocument(const Document& doc, Trace* trace = nullptr,
                                  std::vector<SentenceSpan>* sentences = nullptr) const override;

  const RussianDictionary& dictionary() const { return *dictionary_; }

  struct Cache;  // internal: the memo of word analyses (src/russian/coder.cc)

 private:
  RussianCoder(std::shared_ptr<const RussianDictionary> dictionary, CoderOptions options);
  std::shared_ptr<const RussianDictionary> dictionary_;
  std::shared_ptr<const Dictionary> english_;
  CoderOptions options_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace dyad::ru

#endif  // DYAD_RUSSIAN_CODER_H_
