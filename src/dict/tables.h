// Compiled dictionary tables shared by the reader (which builds them) and
// the coder (which reads them). Internal to the dyad library.
#ifndef DYAD_DICT_TABLES_H_
#define DYAD_DICT_TABLES_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dyad::dict {

using WordId = std::uint32_t;  // 0: not in the vocabulary

// Interns the lower-cased words of every dictionary phrase. Text tokens are
// looked up once; a token whose word no dictionary uses gets id 0 and can
// never start or continue a match.
class Vocabulary {
 public:
  WordId Intern(std::string_view word);
  WordId Find(std::string_view word) const {
    auto it = ids_.find(word);
    return it == ids_.end() ? 0 : it->second;
  }
  const std::string& Word(WordId id) const { return words_[id]; }
  size_t size() const { return words_.size() - 1; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, WordId, Hash, std::equal_to<>> ids_;
  std::vector<std::string> words_{std::string()};
};

// A trie over word ids. All edges live in one hash map keyed by
// (node, word), which keeps the structure compact for 100k+ phrases.
class PhraseTrie {
 public:
  static constexpr std::uint32_t kRoot = 0;
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // Adds a phrase; returns false (and keeps the first value) if present.
  bool Insert(const std::vector<WordId>& words, std::int32_t value);
  std::uint32_t Child(std::uint32_t node, WordId word) const {
    if (word == 0) return kNone;
    auto it = edges_.find((static_cast<std::uint64_t>(node) << 32) | word);
    return it == edges_.end() ? kNone : it->second;
  }
  std::int32_t Value(std::uint32_t node) const { return values_[node]; }
  size_t phrases() const { return phrases_; }

 private:
  std::unordered_map<std::uint64_t, std::uint32_t> edges_;
  std::vector<std::int32_t> values_{-1};
  size_t phrases_ = 0;
};

struct DatedCode {
  std::string code;
  std::int32_t from = std::numeric_limits<std::int32_t>::min();  // yyyymmdd, inclusive
  std::int32_t to = std::numeric_limits<std::int32_t>::max();    // inclusive
};

struct Origin {
  std::string file;
  int line = 0;
  std::string Where() const { return file + ":" + std::to_string(line); }
};

struct ActorEntry {
  std::string name;               // primary phrase as written
  std::vector<DatedCode> codes;   // empty or "---": a known non-actor
  Origin origin;
};

struct AgentEntry {
  std::string name;
  std::string role;       // "COP", "GOVFRM"
  bool prefix = false;    // "[NGO~]": the role goes before the country code
  Origin origin;
};

struct PatternElement {
  enum class Kind : std::uint8_t { kWord, kSynset, kTarget, kSource, kCompound, kSkip };
  Kind kind = Kind::kWord;
  WordId word = 0;
  std::uint32_t synset = 0;
  // True when this element must immediately follow the previous one (in the
  // direction of matching), written with '_' in the dictionary.
  bool adjacent = false;
};

struct Pattern {
  std::vector<PatternElement> before;  // from the verb leftwards
  std::vector<PatternElement> after;   // from the verb rightwards
  std::string code;                    // "" = code nothing; "a:b" paired
  std::string implied_source_role;     // dyad extension "@JUD"
  bool subject_is_target = false;      // '+' before '*'
  int literals = 0;                    // words and synsets: specificity
  std::string text;
  Origin origin;
};

struct VerbBlock {
  std::string name;
  std::string default_code;  // "" for [---]
  std::vector<Pattern> patterns;  // most specific first
  Origin origin;
};

enum class FormKind : std::uint8_t { kBase, kThirdPerson, kPast, kGerund, kIrregular, kNoun };

struct VerbForm {
  std::uint32_t block = 0;
  FormKind kind = FormKind::kBase;
  std::uint8_t words = 1;      // phrase length in tokens
  std::uint8_t head = 0;       // index of the inflected word inside the phrase
  std::string code;            // per-form code overriding the block default
};

struct Synset {
  std::string name;
  std::vector<std::vector<WordId>> phrases;
};

// The key of a suppressed event: SentenceHash() of its sentence, source,
// code and target.
inline std::string SuppressionKey(std::string_view sentence_hash, std::string_view source,
                                  std::string_view code, std::string_view target) {
  std::string key;
  key.reserve(sentence_hash.size() + source.size() + code.size() + target.size() + 3);
  key.append(sentence_hash).append(1, '\t').append(source).append(1, '\t');
  key.append(code).append(1, '\t').append(target);
  return key;
}

struct Tables {
  Vocabulary vocabulary;
  PhraseTrie actor_trie;   // value: index into actors
  PhraseTrie agent_trie;   // value: index into agents
  PhraseTrie verb_trie;    // value: index into verb_forms
  PhraseTrie noun_trie;    // nominal events; value: index into verb_forms
  PhraseTrie discard_trie; // value: 0 sentence-level, 1 story-level
  PhraseTrie issue_trie;   // value: index into issues
  std::vector<ActorEntry> actors;
  std::vector<AgentEntry> agents;
  std::vector<VerbBlock> blocks;
  std::vector<VerbForm> verb_forms;
  std::vector<Synset> synsets;
  std::unordered_map<std::string, std::uint32_t> synset_index;
  std::vector<std::string> issues;
  // Events the user marked wrong (user dictionary, == SUPPRESSED ==), by
  // SuppressionKey; the coder drops them.
  std::unordered_map<std::string, Origin> suppressed;
};

}  // namespace dyad::dict

#endif  // DYAD_DICT_TABLES_H_
