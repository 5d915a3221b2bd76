// The compiled Russian dictionaries: every inflected form of every
// dictionary lemma in one hash table, lemma records, phrases and verb
// entries. Built by RussianDictionary::Load (dictionary.cc), read by the
// coder (coder.cc). Immutable after loading.
#ifndef DYAD_SRC_RUSSIAN_DICT_TABLES_H_
#define DYAD_SRC_RUSSIAN_DICT_TABLES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/russian_morphology.h"

namespace dyad::ru {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Closed-class words from words.txt.
enum class WordKind : std::uint8_t {
  kNone, kPreposition, kConjunction, kNegation, kNumeral, kRelative, kSubordinator,
  kAuxiliary, kReciprocal, kDeterminer, kPronoun,
};

struct Analysis {
  std::uint32_t lemma = 0;  // index into DictTables::lemmas
  Tag tag;
};

struct FormEntry {
  std::vector<Analysis> analyses;
  WordKind kind = WordKind::kNone;
  std::uint8_t prep_cases = 0;  // bit per Case a preposition governs
};

struct LemmaInfo {
  std::string text;                 // folded lemma
  std::int32_t verb = -1;           // index into DictTables::verbs
  bool verb_passive = false;        // the -ся form of a transitive verb: passive
  std::vector<std::uint32_t> phrases;  // phrases whose first lemma this is
};

// An actor ("россия" -> RUS, "захарова" -> RUSGOV) or an agent ("полиция"
// -> role COP; "сотрудник" -> no role: the phrase takes its genitive's).
struct Phrase {
  std::vector<std::uint32_t> lemmas;
  std::string code;       // actor code, "" for an agent
  std::string role;       // agent role ("COP"), "" for actors and heads
  bool agent = false;
  bool adjective = false; // an adjective actor ("российский") modifies a head
  bool local = false;     // ROLE@place: the country of the place in the sentence
  std::string origin;     // file:line
  std::string text;       // as written
};

struct VerbLine {
  bool negated = false;   // applies only to a negated verb
  bool any_case = false;  // "*": any actor in an oblique case
  bool no_target = false; // "-": coded without a target (rarely useful)
  std::string preposition;   // "" = bare case
  Case target_case = Case::kNone;
  std::vector<std::uint32_t> words;  // lemmas that must occur in the clause
  std::string code;
  std::string origin;     // file:line
  std::string text;
};

struct VerbEntry {
  std::string name;       // first lemma as written
  bool state = false;     // only a state does it (arrest, deport): agentless recovery
  bool speech = false;    // reported speech: never coded itself
  bool reciprocal = false;// compound subject and no target: both directions
  bool phase = false;     // "начать": the infinitive after it is a predicate
  std::vector<VerbLine> lines;  // most specific first
  std::string origin;
};

struct DictTables {
  std::unordered_map<std::string, FormEntry, StringHash, std::equal_to<>> forms;
  std::vector<LemmaInfo> lemmas;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> lemma_ids;
  std::vector<Phrase> phrases;
  std::vector<VerbEntry> verbs;

  const FormEntry* Find(std::string_view form) const {
    auto it = forms.find(form);
    return it == forms.end() ? nullptr : &it->second;
  }
};

inline std::uint8_t CaseBit(Case c) { return static_cast<std::uint8_t>(1u << static_cast<int>(c)); }

}  // namespace dyad::ru

#endif  // DYAD_SRC_RUSSIAN_DICT_TABLES_H_
