// Russian morphology from the OpenCorpora dictionary: every analysis of a
// word form (lemma, part of speech, case, number, person, gender, voice,
// aspect, tense) and every form of a lemma, for the Russian coder.
//
//   auto morph = dyad::ru::Morphology::Load(dyad::ru::Morphology::DefaultDirectory());
//   if (!morph.ok()) { std::cerr << morph.status().ToString(); return 2; }
//   for (const dyad::ru::Parse& p : (*morph)->Analyze("задержали"))
//     std::cout << p.lemma << " " << p.tag_text << "\n";   // задержать VERB,perf,tran plur,past,indc
//
// The data are the OpenCorpora dictionary as compiled DAWG files (the npm
// package `az`, read with Debian's libdawgdic); see docs/russian.md for
// where they come from, their licence and how they are installed. A loaded
// Morphology is immutable and its methods are const and thread-safe.
#ifndef DYAD_RUSSIAN_MORPHOLOGY_H_
#define DYAD_RUSSIAN_MORPHOLOGY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"

namespace dyad::ru {

// OpenCorpora's parts of speech (NOUN, ADJF, ADJS, COMP, VERB, INFN, PRTF,
// PRTS, GRND, NUMR, ADVB, NPRO, PRED, PREP, CONJ, PRCL, INTJ).
enum class Pos : std::uint8_t {
  kUnknown, kNoun, kAdjFull, kAdjShort, kComparative, kVerb, kInfinitive,
  kParticipleFull, kParticipleShort, kGerund, kNumeral, kAdverb, kPronoun,
  kPredicative, kPreposition, kConjunction, kParticle, kInterjection,
};
// gen2/acc2/loc2 (partitive, second accusative, locative-2) fold into their
// main case; `Tag::second_case` keeps the distinction.
enum class Case : std::uint8_t { kNone, kNom, kGen, kDat, kAcc, kIns, kLoc, kVoc };
enum class Number : std::uint8_t { kNone, kSing, kPlur };
enum class Person : std::uint8_t { kNone, kFirst, kSecond, kThird };
enum class Gender : std::uint8_t { kNone, kMasc, kFem, kNeut, kCommon };   // ms-f = common
enum class Voice : std::uint8_t { kNone, kActive, kPassive };
enum class Aspect : std::uint8_t { kNone, kPerfective, kImperfective };
enum class Tense : std::uint8_t { kNone, kPast, kPresent, kFuture };
enum class Mood : std::uint8_t { kNone, kIndicative, kImperative };

struct Tag {
  Pos pos = Pos::kUnknown;
  Case grammatical_case = Case::kNone;
  Number number = Number::kNone;
  Person person = Person::kNone;
  Gender gender = Gender::kNone;
  Voice voice = Voice::kNone;
  Aspect aspect = Aspect::kNone;
  Tense tense = Tense::kNone;
  Mood mood = Mood::kNone;
  bool second_case = false;     // gen2, acc2, loc2
  bool transitive = false;      // tran
  bool intransitive = false;    // intr
  bool animate = false;         // anim
  bool inanimate = false;       // inan
  bool name = false;            // Name, Surn or Patr
  bool geography = false;       // Geox
  bool organisation = false;    // Orgn
  bool abbreviation = false;    // Abbr
  bool indeclinable = false;    // Fixd
  bool operator==(const Tag&) const = default;
};

struct Parse {
  std::string lemma;            // normal form, lower case, ё kept as in the dictionary
  Tag tag;
  std::string tag_text;         // OpenCorpora's tag, e.g. "NOUN,anim,masc plur,gent"
  float score = 0;              // P(tag | word) where the dictionary has it, else a share
  bool guessed = false;         // from the suffix guesser (word not in the dictionary)
  // The inflection paradigm of the loaded dictionary the parse belongs to,
  // so that Lexeme() need not search for it; -1 when unknown (Lexeme then
  // looks the lemma up).
  std::int32_t paradigm = -1;
};

struct Form {
  std::string word;             // lower case
  Tag tag;
};

class Morphology {
 public:
  // Reads the DAWG files in `dir` (words.dawg, paradigms.array,
  // suffixes.json, gramtab-opencorpora-int.json, prediction-suffixes-*.dawg,
  // p_t_given_w.intdawg, meta.json). NotFound / Corruption naming the file.
  static Result<std::shared_ptr<const Morphology>> Load(const std::string& dir);

  // Where Load looks by default: $DYAD_RU_MORPHOLOGY, then the installed
  // copy beside the executable (<bin>/../share/dyad/ru-morphology), then the
  // copy `scripts/deps.sh` installs in the source tree. "" when none exists.
  static std::string DefaultDirectory();

  virtual ~Morphology() = default;

  // Every analysis of one word, most probable first. Any case and ё/е
  // spelling is accepted ("Задержали", "ещё", "еще"). Words not in the
  // dictionary get suffix-based guesses (Parse::guessed); a token with no
  // Cyrillic letter gives an empty vector.
  virtual std::vector<Parse> Analyze(std::string_view word) const = 0;

  // Every form of the lexeme `parse` belongs to (its paradigm), the lemma
  // first. Dictionaries are expanded with this at load time.
  virtual std::vector<Form> Lexeme(const Parse& parse) const = 0;
};

}  // namespace dyad::ru

#endif  // DYAD_RUSSIAN_MORPHOLOGY_H_
