// The per-sentence coding machinery behind dyad::Coder (internal).
//
// One SentenceCoder codes the sentences of one document in order; it keeps
// the little document context the coder uses (the last person named, the
// last country seen in each state role). It is split by job:
//   actors.cc          mentions, actor phrases, lists, countries from context
//   clauses.cc         verbs, clause boundaries, subjects and objects
//   patterns.cc        verb patterns
//   sentence_coder.cc  per-verb and per-noun coding, events and evidence
#ifndef DYAD_CODER_SENTENCE_CODER_H_
#define DYAD_CODER_SENTENCE_CODER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "dict/tables.h"
#include "dyad/cameo.h"
#include "dyad/coder.h"
#include "dyad/text.h"

namespace dyad::coder_internal {
using dict::PatternElement;
using dict::PhraseTrie;
using dict::Tables;
using dict::WordId;

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
constexpr int kPatternWindow = 12;

struct Mention {
  std::uint32_t begin = 0, end = 0;
  bool agent = false;
  std::int32_t index = -1;
};

struct Actor {
  std::string code;
  std::uint32_t begin = 0, end = 0;  // tokens
  std::vector<std::string> entries;
};

struct Unit {
  std::uint32_t begin = 0, end = 0;  // tokens, covering all coordinated parts
  std::vector<Actor> actors;
  bool pp_object = false;            // preceded by a preposition
  std::uint32_t prep = kNone;        // that preposition's token
  bool person = false;               // a named actor with a role (for he/she)
};

struct VerbHit {
  std::uint32_t begin = 0, end = 0;
  std::int32_t form = -1;
  bool noun = false;   // an event noun ("the detention of ...")
};

// Verbs of saying ("said", "told"): clause boundaries and attribution.
const std::unordered_set<std::string_view>& ReportingVerbs();
// "plans to", "intends to": the action after them is an intent.
const std::unordered_set<std::string_view>& IntentVerbs();
// CAMEO "express intent" (03x) or "threaten" (13x) code for an action
// announced with an intent verb; empty when the code stays as it is.
std::string IntentCode(std::string_view code);

class SentenceCoder {
 public:
  SentenceCoder(const Tables& t, const CameoTable& cameo, const CoderOptions& options,
                const Document& doc, const AnalyzedText& at, std::int32_t date, Trace* trace)
      : t_(t), cameo_(cameo), options_(options), doc_(doc), at_(at), date_(date), trace_(trace) {}

  // Codes sentence `index`; appends events. Returns false if a story-level
  // discard phrase was found (the whole document is then dropped).
  bool Code(std::uint32_t index, std::vector<Event>* events);

  // The last person-like subject, carried across sentences for "he"/"she".
  const Actor* last_person() const { return has_last_person_ ? &last_person_ : nullptr; }

 private:
  std::string_view Norm(std::uint32_t i) const { return at_.Norm(at_.tokens[i]); }
  WordClass Class(std::uint32_t i) const { return at_.tokens[i].word_class; }
  bool IsWordToken(std::uint32_t i) const { return Class(i) == WordClass::kWord; }

  // Longest phrase in `trie` starting at token i; returns its length.
  std::uint32_t LongestMatch(const PhraseTrie& trie, std::uint32_t i, std::int32_t* value) const {
    std::uint32_t node = PhraseTrie::kRoot, best = 0;
    for (std::uint32_t j = i; j < se_; ++j) {
      node = trie.Child(node, ids_[j]);
      if (node == PhraseTrie::kNone) break;
      if (trie.Value(node) >= 0) { best = j - i + 1; *value = trie.Value(node); }
    }
    return best;
  }
  bool PhraseAt(const std::vector<WordId>& phrase, std::uint32_t i) const {
    if (i + phrase.size() > se_) return false;
    for (size_t k = 0; k < phrase.size(); ++k)
      if (ids_[i + k] != phrase[k]) return false;
    return true;
  }

  bool CheckDiscards(bool* story);
  void FindMentions();
  void BuildUnits();
  bool NamesARole(const Mention& m) const;
  bool IsQuantifierPrep(std::uint32_t prep, std::uint32_t unit_begin) const;
  void ResolveUnit(std::uint32_t first_mention, std::uint32_t last_mention, Unit* u) const;
  void Coordinate();
  void ResolveFromContext();
  void AttachAgentCountries();
  std::size_t ListEnd(std::size_t first) const;
  void FindVerbs();
  bool IsBoundary(std::uint32_t i) const;
  std::int32_t UnitStartingAt(std::uint32_t i) const;
  std::int32_t FindSubject(std::uint32_t verb_begin, std::size_t hit_index,
                           std::vector<std::int32_t>* subjects) const;
  std::int32_t FindObject(std::uint32_t from, std::uint32_t limit, bool* locative_only = nullptr,
                          std::uint32_t pattern_end = 0) const;
  bool IsLocative(const Unit& u) const;
  std::int32_t Elaborate(std::int32_t unit) const;
  std::int32_t LocationCountryUnit(const char* preposition = nullptr) const;
  std::int32_t FindByAgent(std::uint32_t from) const;
  struct PatternMatch {
    std::int32_t target = -1, source = -1;
    std::uint32_t consumed_before = kNone;  // leftmost token used by the pattern
    std::uint32_t consumed_after = kNone;   // one past the last token used after the verb
  };
  bool MatchPattern(const dict::Pattern& p, const VerbHit& v, PatternMatch* m) const;
  bool MatchElementsAfter(const std::vector<PatternElement>& elems, std::uint32_t pos,
                          PatternMatch* m) const;
  bool MatchElementsBefore(const std::vector<PatternElement>& elems, std::int64_t pos,
                           PatternMatch* m) const;
  void CodeVerb(std::size_t hit_index, std::vector<std::int32_t>* subjects,
                std::vector<Event>* events);
  void CodeNoun(const VerbHit& v, std::vector<std::int32_t>* subjects, std::vector<Event>* events);
  void Emit(const std::vector<Actor>& sources, const std::vector<Actor>& targets,
            const std::string& code, const VerbHit& v, const dict::Pattern* pattern,
            const std::string& modality, std::vector<Event>* events);
  std::string ResolveActorCode(const dict::ActorEntry& e) const;
  void Log(std::string line) const {
    if (trace_) trace_->lines.push_back(std::move(line));
  }
  std::string TokenText(std::uint32_t b, std::uint32_t e) const {
    if (b >= e) return {};
    const auto& tb = at_.tokens[b];
    const auto& te = at_.tokens[e - 1];
    return doc_.text.substr(tb.begin, te.end - tb.begin);
  }

  const Tables& t_;
  const CameoTable& cameo_;
  const CoderOptions& options_;
  const Document& doc_;
  const AnalyzedText& at_;
  std::int32_t date_;
  Trace* trace_;

  std::uint32_t sb_ = 0, se_ = 0, sentence_index_ = 0;
  std::vector<WordId> ids_;                 // indexed by absolute token
  std::vector<Mention> mentions_;
  std::vector<std::int32_t> mention_at_;    // token -> mention
  std::vector<Unit> units_;
  std::vector<std::int32_t> unit_at_;       // token -> unit
  std::vector<VerbHit> hits_;
  std::vector<std::int32_t> hit_at_;        // token -> hit
  Actor last_person_;
  bool has_last_person_ = false;
  size_t sentence_first_event_ = 0;  // events of the current sentence start here
  std::vector<std::string> sentence_issues_;  // issues of the current sentence
  bool issues_ready_ = false;
  // Set by FindSubject when the subject came from a coordinated verb
  // ("protested to Moscow and demanded ..."); that verb's object is reused.
  mutable std::int32_t conjoined_with_ = -1;
  std::vector<std::int32_t> objects_;   // per verb hit: its object unit or -1
  // State role -> (country, evidence text) of the last actor seen with it.
  std::unordered_map<std::string, std::pair<std::string, std::string>> role_country_;
};

}  // namespace dyad::coder_internal

#endif  // DYAD_CODER_SENTENCE_CODER_H_
