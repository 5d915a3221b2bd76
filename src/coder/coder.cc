// The coder: one pass over each sentence in five steps.
//
//  1. Look up every token's word id in the dictionary vocabulary.
//  2. Find actor and agent mentions (longest match in the actor and agent
//     tries) and group them into actor units: one noun phrase such as
//     "the Uzbek Foreign Ministry" or "Russian law-enforcement authorities",
//     resolved to codes (country + roles, or a named actor's dated code).
//     Units joined by "and"/"or" (with commas before a final conjunction)
//     form compound groups, one actor each.
//  3. Find verb mentions (verb trie over inflected forms) and event nouns.
//     Verb uses after a determiner or preposition are nouns and skipped.
//  4. For each verb: read its auxiliary chain for voice, negation and
//     intent; find the subject (nearest unit to the left inside the clause
//     that is not the object of a preposition) and the object (first unit to
//     the right inside the clause); in the passive, the source comes from
//     the "by" phrase. Then try the verb block's patterns, most specific
//     first; the first match gives the code, otherwise the block default.
//  5. Emit one event per source x target actor, with its evidence.
//
// Everything is bounded by the sentence length (capped by the analyzer), so
// cost is linear in the text for a given dictionary.
#include "dyad/coder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "dict/tables.h"
#include "dyad/cameo.h"
#include "dyad/text.h"

namespace dyad {

bool ParseIsoDate(const std::string& s, std::int32_t* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)),
            d = std::stoi(s.substr(8, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  *out = y * 10000 + m * 100 + d;
  return true;
}

namespace {

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

const std::unordered_set<std::string_view>& ReportingVerbs() {
  static const auto* const kSet = new std::unordered_set<std::string_view>{
      "said", "says", "say", "saying", "told", "tells", "stated", "states", "added", "adds",
      "noted", "notes", "reported", "reports", "according", "quoted", "wrote", "writes",
      "explained", "stressed", "emphasized", "emphasised", "underlined", "remarked",
      "insisted", "claimed", "claims", "argued", "believes", "believed", "thinks", "announced",
      "indicated", "confirmed", "acknowledged", "revealed", "suggested", "signalled", "signaled",
      "hinted", "conceded", "admitted"};
  return *kSet;
}

const std::unordered_set<std::string_view>& IntentVerbs() {
  static const auto* const kSet = new std::unordered_set<std::string_view>{
      "plan", "plans", "planned", "planning", "intend", "intends", "intended", "intending",
      "aim", "aims", "aimed", "aiming", "expected", "set", "due", "going", "prepares",
      "prepared", "preparing", "hopes", "hoped", "hoping", "wants", "wanted", "seeks",
      "sought", "seeking", "scheduled", "poised", "ready", "wishes", "proposes", "proposed",
      "offered", "offers"};
  return *kSet;
}

// CAMEO "express intent" (03x) or "threaten" (13x) code for an action
// announced with an intent verb; empty when the code stays as it is.
std::string IntentCode(std::string_view code) {
  if (code.size() < 3) return {};
  const std::string root(code.substr(0, 2));
  if (root == "04") return "036";
  if (root == "05") return "032";
  if (root == "06") return "031";
  if (root == "07") return "033";
  if (root == "08") return "035";
  if (root == "14") return "133";
  if (root == "16") return code.substr(0, 3) == "163" ? "1312" : "1313";
  if (root == "17") return "137";
  if (root == "15" || root == "18" || root == "19" || root == "20") return "138";
  return {};
}

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
  // Set by FindSubject when the subject came from a coordinated verb
  // ("protested to Moscow and demanded ..."); that verb's object is reused.
  mutable std::int32_t conjoined_with_ = -1;
  std::vector<std::int32_t> objects_;   // per verb hit: its object unit or -1
  // State role -> (country, evidence text) of the last actor seen with it.
  std::unordered_map<std::string, std::pair<std::string, std::string>> role_country_;
};

bool SentenceCoder::CheckDiscards(bool* story) {
  for (std::uint32_t i = sb_; i < se_; ++i) {
    std::int32_t v = -1;
    if (LongestMatch(t_.discard_trie, i, &v) > 0) {
      *story = v == 1;
      return true;
    }
  }
  return false;
}

void SentenceCoder::FindMentions() {
  mentions_.clear();
  for (std::uint32_t i = sb_; i < se_;) {
    std::int32_t actor = -1, agent = -1;
    const std::uint32_t la = LongestMatch(t_.actor_trie, i, &actor);
    const std::uint32_t lg = LongestMatch(t_.agent_trie, i, &agent);
    if (la == 0 && lg == 0) { ++i; continue; }
    Mention m;
    m.begin = i;
    if (la >= lg) { m.end = i + la; m.index = actor; m.agent = false; }
    else { m.end = i + lg; m.index = agent; m.agent = true; }
    for (std::uint32_t k = m.begin; k < m.end; ++k) mention_at_[k] = static_cast<std::int32_t>(mentions_.size());
    mentions_.push_back(m);
    i = m.end;
  }
}

std::string SentenceCoder::ResolveActorCode(const dict::ActorEntry& e) const {
  if (e.codes.empty()) return {};
  const dict::DatedCode* undated = nullptr;
  const dict::DatedCode* latest = nullptr;
  for (const auto& c : e.codes) {
    const bool is_undated = c.from == std::numeric_limits<std::int32_t>::min() &&
                            c.to == std::numeric_limits<std::int32_t>::max();
    if (is_undated) { if (!undated) undated = &c; continue; }
    if (date_ > 0 && date_ >= c.from && date_ <= c.to) return c.code;
    if (!latest || c.from > latest->from) latest = &c;
  }
  if (undated) return undated->code;
  if (date_ == 0 && latest) return latest->code;
  return {};
}

// A unit's codes: the head named actor, or a country with the roles of the
// agents around it ("Russian law-enforcement authorities" -> RUS + COP).
void SentenceCoder::ResolveUnit(std::uint32_t first, std::uint32_t last, Unit* u) const {
  std::string base;
  std::string prefix_roles, roles;
  std::vector<std::string> entries;
  std::uint32_t base_mention = kNone;
  std::string compound_codes;
  bool base_possessive = false, agent_seen = false;
  for (std::uint32_t k = first; k <= last; ++k) {
    const Mention& m = mentions_[k];
    if (m.agent) { agent_seen = true; continue; }
    const auto& e = t_.actors[m.index];
    std::string code = ResolveActorCode(e);
    if (code.empty()) continue;
    if (code.find('/') != std::string::npos) {
      // "LORIEN [ELR/GAL]": one name for several actors.
      compound_codes = code;
      base_mention = k;
      code = code.substr(0, code.find('/'));
    }
    // The last named actor is the head ("Gondor's Prime Minister Falastur");
    // a bare country does not displace a named person or organisation, nor
    // a possessor country once an agent has followed it ("Ithilen's
    // minister Calimehtar").
    const bool possessor_then_agent = base_possessive && agent_seen;
    if (base.empty() || code.size() > 3 || (base.size() <= 3 && !possessor_then_agent)) {
      if (!(base.size() > 3 && code.size() <= 3)) { base = code; base_mention = k; }
    }
    base_possessive = m.end < se_ && Class(m.end) == WordClass::kPossessive;
    agent_seen = false;
  }
  for (std::uint32_t k = first; k <= last; ++k) {
    const Mention& m = mentions_[k];
    if (!m.agent) {
      const auto& e = t_.actors[m.index];
      if (k == base_mention || e.codes.empty())
        entries.push_back(e.origin.Where() + " " + e.name);
      continue;
    }
    const auto& a = t_.agents[m.index];
    entries.push_back(a.origin.Where() + " " + a.name);
    if (a.prefix) prefix_roles += a.role;
    else if (roles.find(a.role) == std::string::npos &&
             (base.size() < a.role.size() ||
              base.compare(base.size() - a.role.size(), a.role.size(), a.role) != 0))
      roles += a.role;
  }
  if (base.empty() && roles.empty() && prefix_roles.empty()) return;
  // "former security officials", "the former president": out of office,
  // CAMEO's ELI role replaces the agent roles.
  {
    const std::uint32_t b = mentions_[first].begin;
    bool former = false;
    for (std::uint32_t k = (b > sb_ + 1 ? b - 2 : sb_); k < mentions_[last].end; ++k)
      if (Norm(k) == "former" || Norm(k) == "ex-") former = true;
    if (former && !base.empty()) {
      roles = "ELI";
      prefix_roles.clear();
    } else if (former && base.empty()) {
      roles = "ELI";
    }
  }
  // A named person or organisation keeps its own code: "Foreign Ministry
  // spokeswoman Maria Zakharova" is RUSGOV, not RUSGOVGOV.
  if (base.size() > 3 && !roles.empty() && base_mention != kNone) {
    roles.clear();
  }
  Actor a;
  a.code = prefix_roles + (base.empty() ? std::string("---") : base) + roles;
  if (base.empty() && !prefix_roles.empty() && roles.empty()) a.code = prefix_roles;
  a.begin = mentions_[first].begin;
  a.end = mentions_[last].end;
  a.entries = std::move(entries);
  u->person = base.size() > 3 && base_mention != kNone;
  if (!compound_codes.empty() && base == compound_codes.substr(0, compound_codes.find('/'))) {
    size_t start = 0;
    while (start <= compound_codes.size()) {
      size_t slash = compound_codes.find('/', start);
      if (slash == std::string::npos) slash = compound_codes.size();
      Actor part = a;
      part.code = prefix_roles + compound_codes.substr(start, slash - start) + roles;
      u->actors.push_back(std::move(part));
      start = slash + 1;
    }
    return;
  }
  u->actors.push_back(std::move(a));
}

// "about 200 Uzbek migrants", "dozens of Kyrgyz citizens", "a group of
// Tajik workers", "more than 30 ...": the preposition belongs to a quantity,
// and the actor phrase is the head of the noun phrase, not a PP object.
bool SentenceCoder::IsQuantifierPrep(std::uint32_t prep, std::uint32_t unit_begin) const {
  static const auto* const kQuantityNouns = new std::unordered_set<std::string_view>{
      "group", "groups", "number", "majority", "half", "third", "quarter", "crowd", "crowds",
      "batch", "members", "member", "relatives", "families", "family", "some", "many", "most",
      "several", "all", "none", "each", "few", "hundreds", "thousands", "dozens", "scores",
      "millions", "tens", "one", "two", "three", "four", "five", "rest", "lot", "lots"};
  const std::string_view p = Norm(prep);
  bool number_between = false;
  for (std::uint32_t k = prep + 1; k < unit_begin; ++k)
    if (Class(k) == WordClass::kNumber) number_between = true;
  if (number_between && (p == "about" || p == "around" || p == "over" || p == "under" ||
                         p == "up" || p == "to" || p == "than" || p == "nearly" || p == "almost"))
    return true;
  if (p == "of" && prep > sb_) {
    const std::uint32_t q = prep - 1;
    if (Class(q) == WordClass::kNumber || kQuantityNouns->count(Norm(q))) return true;
  }
  return false;
}

// An agent ("police") or a named actor with a role ("Bakhtiyor Saidov",
// UZBGOV): unknown words before it are titles or modifiers of one phrase.
bool SentenceCoder::NamesARole(const Mention& m) const {
  if (m.agent) return true;
  const auto& e = t_.actors[m.index];
  return !e.codes.empty() && e.codes.back().code.size() > 3;
}

void SentenceCoder::BuildUnits() {
  units_.clear();
  std::size_t k = 0;
  while (k < mentions_.size()) {
    // Extend over mentions separated by NP-internal words: possessive 's,
    // adjectives and names the dictionaries do not know ("Maria").
    std::size_t last = k;
    while (last + 1 < mentions_.size()) {
      // A possessive right after the first name does not count ("Ithilen's
      // awful and evil minister").
      const std::uint32_t gap_b =
          mentions_[last].end + (mentions_[last].end < mentions_[last + 1].begin &&
                                 Class(mentions_[last].end) == WordClass::kPossessive ? 1 : 0);
      const std::uint32_t gap_e = mentions_[last + 1].begin;
      bool joinable = gap_e - gap_b <= 3;
      for (std::uint32_t i = gap_b; joinable && i < gap_e; ++i) {
        const WordClass c = Class(i);
        if (hit_at_[i] >= 0 || ReportingVerbs().count(Norm(i))) joinable = false;
        else if (c == WordClass::kPossessive || c == WordClass::kDeterminer) {}
        else if (c == WordClass::kWord && at_.tokens[i].capitalized) {}
        else if (c == WordClass::kWord && gap_e - gap_b <= 2 && NamesARole(mentions_[last + 1])) {}
        else if (c == WordClass::kConjunction && gap_e - gap_b == 3 && i == gap_b + 1 &&
                 Class(gap_b) == WordClass::kWord && Class(gap_e - 1) == WordClass::kWord &&
                 !at_.tokens[gap_b].capitalized && mentions_[last + 1].agent) {}  // "awful and evil minister"
        else if (c == WordClass::kWord && gap_e - gap_b == 3 && Class(gap_b + 1) == WordClass::kConjunction &&
                 !at_.tokens[i].capitalized && mentions_[last + 1].agent) {}
        else joinable = false;
      }
      if (!joinable) break;
      ++last;
    }
    Unit u;
    u.begin = mentions_[k].begin;
    u.end = mentions_[last].end;
    ResolveUnit(static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(last), &u);
    // "the European Union (EU)": a short parenthesis belongs to the phrase.
    if (u.end + 2 < se_ && Norm(u.end) == "(") {
      for (std::uint32_t q = u.end + 1; q < se_ && q <= u.end + 4; ++q)
        if (Norm(q) == ")") {
          bool plain = true;
          for (std::uint32_t r = u.end + 1; r < q; ++r) plain = plain && hit_at_[r] < 0;
          if (plain) {
            while (last + 1 < mentions_.size() && mentions_[last + 1].end <= q + 1) ++last;
            u.end = q + 1;
          }
          break;
        }
    }
    if (!u.actors.empty()) {
      // Walk back over determiners and up to two modifiers ("in south
      // Ithilen", "to the affected Ithilen villages") to find a preposition.
      std::uint32_t b = u.begin;
      int modifiers = 0;
      while (b > sb_) {
        const std::uint32_t p = b - 1;
        if (Class(p) == WordClass::kDeterminer || Class(p) == WordClass::kNumber ||
            Class(p) == WordClass::kPossessive) { --b; continue; }
        const std::string_view pw = Norm(p);
        const bool gerund_like = pw.size() > 4 && pw.substr(pw.size() - 3) == "ing";
        if ((Class(p) == WordClass::kWord || Class(p) == WordClass::kAdverb) && hit_at_[p] < 0 &&
            mention_at_[p] < 0 && modifiers < 3 && !gerund_like &&
            p > sb_ && (Class(p - 1) == WordClass::kDeterminer || Class(p - 1) == WordClass::kPreposition ||
                        Class(p - 1) == WordClass::kWord)) {
          ++modifiers;
          --b;
          continue;
        }
        break;
      }
      if (b > sb_ && Class(b - 1) != WordClass::kPreposition) {
        // The modifiers were not inside a PP after all.
        b = u.begin;
        while (b > sb_ && Class(b - 1) == WordClass::kDeterminer) --b;
      }
      if (b > sb_ && Class(b - 1) == WordClass::kPreposition && !IsQuantifierPrep(b - 1, u.begin)) {
        u.pp_object = true;
        u.prep = b - 1;
      }
      units_.push_back(std::move(u));
    }
    k = last + 1;
  }
}

// End (exclusive index) of the run of units starting at `first` that are
// listed with commas and a final "and"/"or" ("Arnor, Osgiliath and Gondor").
std::size_t SentenceCoder::ListEnd(std::size_t first) const {
  std::size_t j = first;
  while (j + 1 < units_.size()) {
    std::uint32_t g = units_[j].end;
    const std::uint32_t next = units_[j + 1].begin;
    bool ok = g < next, conj = false;
    for (; ok && g < next; ++g) {
      const std::string_view n = Norm(g);
      if (n == ",") continue;
      if (n == "and" || n == "or" || n == "nor") { conj = true; continue; }
      if (Class(g) == WordClass::kDeterminer) continue;
      ok = false;
    }
    if (!ok) break;
    ++j;
    if (conj) return j + 1;
  }
  return first + 1;
}

// "the ambassadors of Arnor, Osgiliath and Gondor", "lawmakers in Fornost",
// "soldiers from Gondor": an agent-only unit takes the countries of the
// of/in/from phrase after it, one actor per country.
void SentenceCoder::AttachAgentCountries() {
  std::vector<Unit> out;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    Unit u = units_[i];
    const bool agent_only = !u.actors.empty() &&
        std::all_of(u.actors.begin(), u.actors.end(),
                    [](const Actor& a) { return a.code.rfind("---", 0) == 0; });
    // "lawmakers and officials in Fornost and Gondor": a list of agents.
    std::size_t agents_end = i + 1;
    if (agent_only) {
      const std::size_t list_end = ListEnd(i);
      bool all_agents = list_end > i + 1;
      for (std::size_t k = i + 1; all_agents && k < list_end; ++k)
        for (const auto& a : units_[k].actors) all_agents = all_agents && a.code.rfind("---", 0) == 0;
      if (all_agents) {
        agents_end = list_end;
        for (std::size_t k = i + 1; k < list_end; ++k)
          for (const auto& a : units_[k].actors) u.actors.push_back(a);
        u.end = units_[list_end - 1].end;
      }
    }
    bool attached = false;
    if (agent_only && agents_end < units_.size() && u.end < se_) {
      const std::string_view prep = Norm(u.end);
      std::uint32_t q = u.end + 1;
      while (q < se_ && Class(q) == WordClass::kDeterminer) ++q;
      bool citizen_role = false;
      for (const auto& a : u.actors) {
        const std::string role = a.code.substr(3);
        citizen_role = citizen_role || role == "LAB" || role == "REF" || role == "CVL";
      }
      if ((prep == "of" || prep == "from" || (prep == "in" && !citizen_role)) &&
          q == units_[agents_end].begin) {
        const std::size_t end = ListEnd(agents_end);
        std::vector<Actor> merged;
        for (std::size_t k = agents_end; k < end; ++k)
          for (const auto& place : units_[k].actors) {
            if (place.code.rfind("---", 0) == 0) continue;
            for (const auto& agent : u.actors) {
              Actor a = agent;
              // "relatives of Uzbek workers": the country, not the workers' role.
              // A named institution keeps its code ("officials in White
              // House" -> USAGOV + role).
              bool has_agent = false;
              for (std::uint32_t q = place.begin; q < place.end; ++q)
                if (mention_at_[q] >= 0 && mentions_[mention_at_[q]].agent) has_agent = true;
              const std::string stem = has_agent ? place.code.substr(0, 3) : place.code;
              const std::string role = agent.code.substr(3);
              const bool repeats = stem.size() >= role.size() + 3 &&
                                   stem.compare(stem.size() - role.size(), role.size(), role) == 0;
              a.code = repeats ? stem : stem + role;
              a.end = place.end;
              for (const auto& e : place.entries) a.entries.push_back(e);
              merged.push_back(std::move(a));
            }
          }
        if (!merged.empty()) {
          u.actors = std::move(merged);
          u.end = units_[end - 1].end;
          out.push_back(std::move(u));
          i = end - 1;
          attached = true;
        }
      }
    }
    if (attached) continue;
    out.push_back(units_[i]);  // unchanged: the agent list stays separate units
  }
  units_ = std::move(out);
}

// "The ministry said ...", "police said ...": an agent with no country in
// the sentence takes the country of the last actor in the document with the
// same state role (GOV, COP, JUD, MIL, LEG, SPY); police, courts, and
// residents, protesters, students and doctors otherwise take the country of
// the one place named in the sentence. Migrants and refugees are never
// guessed: where they are is not where they are from.
void SentenceCoder::ResolveFromContext() {
  static const auto* const kStateRoles =
      new std::unordered_set<std::string>{"GOV", "COP", "JUD", "MIL", "LEG", "SPY"};
  auto is_country = [](const std::string& code) {
    if (code.size() < 6 || code.rfind("---", 0) == 0) return false;
    for (const char* p : {"IGO", "NGO", "IMG", "MNC"})
      if (code.rfind(p, 0) == 0) return false;
    return true;
  };
  for (const Unit& u : units_)
    for (const Actor& a : u.actors)
      if (is_country(a.code) && kStateRoles->count(a.code.substr(3, 3)))
        role_country_[a.code.substr(3, 3)] = {a.code.substr(0, 3), TokenText(a.begin, a.end)};
  // "the treatment of its citizens", "their migrants": the possessor is
  // the nearest country-coded actor before the phrase.
  for (std::size_t ui = 0; ui < units_.size(); ++ui) {
    Unit& u = units_[ui];
    if (u.begin == sb_) continue;
    const std::string_view det = Norm(u.begin - 1);
    if (det != "its" && det != "their") continue;
    for (std::size_t pj = ui; pj-- > 0;) {
      const Unit& owner = units_[pj];
      if (owner.actors.empty() || owner.actors[0].code.rfind("---", 0) == 0 ||
          owner.actors[0].code.size() < 3)
        continue;
      const std::string country = owner.actors[0].code.substr(0, 3);
      for (Actor& a : u.actors)
        if (a.code.rfind("---", 0) == 0) {
          a.code = country + a.code.substr(3);
          a.entries.push_back("country of '" + std::string(det) + "': '" +
                              TokenText(owner.begin, owner.end) + "'");
        }
      break;
    }
  }
  std::int32_t place = -2;
  for (Unit& u : units_)
    for (Actor& a : u.actors) {
      if (a.code.rfind("---", 0) != 0 || a.code.size() < 6) continue;
      const std::string role = a.code.substr(3, 3);
      auto it = kStateRoles->count(role) ? role_country_.find(role) : role_country_.end();
      if (it != role_country_.end()) {
        a.code = it->second.first + a.code.substr(3);
        a.entries.push_back("country from context '" + it->second.second + "'");
        continue;
      }
      if (role != "COP" && role != "JUD" && role != "CVL" && role != "OPP" && role != "EDU" &&
          role != "HLH")
        continue;
      if (place == -2) place = LocationCountryUnit();
      if (place < 0) continue;
      const std::string& where = units_[place].actors[0].code;
      a.code = where.substr(0, 3) + a.code.substr(3);
      a.entries.push_back("country from the place '" + TokenText(units_[place].begin, units_[place].end) + "'");
    }
}

// Joins units listed with "and"/"or" into compound units.
void SentenceCoder::Coordinate() {
  AttachAgentCountries();
  std::vector<Unit> out;
  std::size_t i = 0;
  while (i < units_.size()) {
    std::size_t j = i;
    bool saw_conjunction = false;
    std::vector<std::size_t> members{i};
    while (j + 1 < units_.size()) {
      std::uint32_t g = units_[j].end;
      const std::uint32_t next = units_[j + 1].begin;
      bool ok = g < next, conj = false;
      for (; ok && g < next; ++g) {
        std::string_view n = Norm(g);
        if (n == "," ) continue;
        if (n == "and" || n == "or" || n == "nor") { conj = true; continue; }
        if (Class(g) == WordClass::kDeterminer) continue;
        if (Class(g) == WordClass::kWord && hit_at_[g] < 0 && !at_.tokens[g].capitalized &&
            next - units_[j].end <= 4) continue;  // "and the evil awful Gondor"
        ok = false;
      }
      if (!ok) break;
      saw_conjunction = saw_conjunction || conj;
      members.push_back(j + 1);
      ++j;
      if (conj) break;  // "A, B and C": the conjunction closes the list
    }
    if (members.size() > 1 && saw_conjunction) {
      Unit u = units_[i];
      u.end = units_[j].end;
      u.actors.clear();
      for (auto m : members)
        for (auto& a : units_[m].actors) u.actors.push_back(a);
      // "Danish media and government": an agent-only member takes the
      // country (and other roles) of the member before it.
      for (size_t k = 1; k < u.actors.size(); ++k) {
        Actor& a = u.actors[k];
        const std::string& prev = u.actors[k - 1].code;
        if (a.code.rfind("---", 0) == 0 && a.code.size() == 6 && prev.rfind("---", 0) != 0 &&
            prev.size() >= 6)
          a.code = prev.substr(0, prev.size() - 3) + a.code.substr(3);
      }
      // "Uzbek and Tajik migrants": the roles of the last member's agents go
      // to earlier members that are a bare country.
      const Actor& tail = units_[members.back()].actors.back();
      // Only "COUNTRY AGENT" tails distribute ("Tajik migrants"), not "the
      // government of Gondor" or a named organisation.
      const Unit& tail_unit = units_[members.back()];
      std::int32_t lead = -1;
      for (std::uint32_t q = tail_unit.begin; q < tail_unit.end; ++q)
        if (mention_at_[q] >= 0) { lead = mention_at_[q]; break; }
      const bool country_then_agent = lead >= 0 && !mentions_[lead].agent &&
                                      mention_at_[tail_unit.end - 1] >= 0 &&
                                      mentions_[mention_at_[tail_unit.end - 1]].agent;
      if (country_then_agent && tail.code.size() > 3 && tail.code.rfind("---", 0) != 0) {
        const std::string roles = tail.code.substr(3);
        for (size_t k = 0; k + 1 < members.size(); ++k) {
          const Unit& mu = units_[members[k]];
          if (mu.actors.size() == 1 && mu.actors[0].code.size() == 3 &&
              mu.end - mu.begin == 1 && units_[members.back()].end - units_[members.back()].begin >= 2) {
            u.actors[k].code += roles;
          }
        }
      }
      out.push_back(std::move(u));
      i = j + 1;
    } else {
      out.push_back(std::move(units_[i]));
      ++i;
    }
  }
  units_ = std::move(out);
  for (std::uint32_t k = sb_; k < se_; ++k) unit_at_[k] = -1;
  for (std::size_t u = 0; u < units_.size(); ++u)
    for (std::uint32_t k = units_[u].begin; k < units_[u].end; ++k)
      unit_at_[k] = static_cast<std::int32_t>(u);
}

void SentenceCoder::FindVerbs() {
  hits_.clear();
  for (std::uint32_t i = sb_; i < se_;) {
    if (mention_at_[i] >= 0 && !t_.agents.empty()) {
      // Inside an actor phrase only verbs that start the phrase count.
    }
    std::int32_t vf = -1, nf = -1;
    const std::uint32_t lv = mention_at_[i] >= 0 ? 0 : LongestMatch(t_.verb_trie, i, &vf);
    const std::uint32_t ln = mention_at_[i] >= 0 ? 0 : LongestMatch(t_.noun_trie, i, &nf);
    if (lv == 0 && ln == 0) { ++i; continue; }
    // Preceded by a determiner, possessive, number or preposition: a noun.
    bool noun_context = false;
    if (i > sb_) {
      const WordClass c = Class(i - 1);
      const std::string_view prev = Norm(i - 1);
      // "a brief private visit": adjectives back to a determiner.
      {
        std::uint32_t j = i - 1;
        int adjectives = 0;
        while (j > sb_ && Class(j) == WordClass::kWord && hit_at_[j] < 0 && mention_at_[j] < 0 &&
               adjectives < 3 && !ReportingVerbs().count(Norm(j))) {
          --j;
          ++adjectives;
        }
        const bool base_like = lv > 0 && (t_.verb_forms[vf].kind == dict::FormKind::kBase ||
                                          t_.verb_forms[vf].kind == dict::FormKind::kThirdPerson);
        // ... when a noun could end there: before a preposition or punctuation
        // ("a brief private visit to Eriador", not "new mayor left yesterday").
        const std::uint32_t after = i + lv;
        const bool np_end = after >= se_ || Class(after) == WordClass::kPreposition ||
                            Class(after) == WordClass::kPunct || Class(after) == WordClass::kSentenceEnd;
        if (base_like && adjectives >= 2 && np_end &&
            (Class(j) == WordClass::kDeterminer || Class(j) == WordClass::kPossessive))
          noun_context = true;
        // "an anti- Gondor parade", "a Moscow rally": a base form after a
        // name used as a modifier.
        const std::int32_t pm = mention_at_[i - 1];
        if (lv > 0 && t_.verb_forms[vf].kind == dict::FormKind::kBase && pm >= 0 &&
            !mentions_[pm].agent && mentions_[pm].begin > sb_) {
          const std::uint32_t before = mentions_[pm].begin - 1;
          const std::string_view bw = Norm(before);
          if (mentions_[pm].end - mentions_[pm].begin == 1 &&
              (bw == "a" || bw == "an" || (bw.size() > 1 && bw.back() == '-')))
            noun_context = true;
        }
      }
      // "very close to the border": a degree word makes it an adjective.
      static const auto* const kDegree = new std::unordered_set<std::string_view>{
          "very", "too", "so", "more", "most", "less", "least", "quite", "rather", "fairly"};
      if (kDegree->count(prev)) noun_context = true;
      noun_context = noun_context || c == WordClass::kDeterminer || c == WordClass::kPossessive ||
                     c == WordClass::kNumber || (c == WordClass::kPreposition && prev != "to");
      // "the new arrest", "of diplomatic pressure", "a mercenary force".
      if (c == WordClass::kWord && hit_at_[i - 1] < 0 && i - 1 > sb_ &&
          !ReportingVerbs().count(prev)) {
        const WordClass c2 = Class(i - 2);
        const std::int32_t m = mention_at_[i - 1];
        // A past form after "on Thursday" is a verb ("on Thursday fired").
        const bool past_form = lv > 0 && (t_.verb_forms[vf].kind == dict::FormKind::kPast ||
                                          t_.verb_forms[vf].kind == dict::FormKind::kIrregular);
        if (m < 0 && !past_form &&
            (c2 == WordClass::kDeterminer || c2 == WordClass::kPossessive || c2 == WordClass::kNumber ||
             (c2 == WordClass::kPreposition && Norm(i - 2) != "to")))
          noun_context = true;
        if (m >= 0 && mentions_[m].agent && mentions_[m].begin == i - 1 && c2 == WordClass::kDeterminer)
          noun_context = true;
        // "a Moscow metro station": a base form after a common noun.
        if (m < 0 && lv > 0 && t_.verb_forms[vf].kind == dict::FormKind::kBase &&
            !at_.tokens[i - 1].capitalized && mention_at_[i - 2] >= 0)
          noun_context = true;
      }
    }
    VerbHit h;
    h.begin = i;
    if (lv > 0) {
      const auto& form = t_.verb_forms[vf];
      const bool gerund = form.kind == dict::FormKind::kGerund;
      if (!noun_context || (gerund && Class(i - 1) == WordClass::kPreposition)) {
        h.end = i + lv;
        h.form = vf;
      }
    }
    if (h.form < 0 && ln > 0 && (noun_context || lv == 0)) {
      h.end = i + ln;
      h.form = nf;
      h.noun = true;
    }
    if (h.form < 0) { ++i; continue; }
    // "have been barred", "is expected": an auxiliary followed by another
    // verb is part of that verb's chain, not a verb of its own.
    const WordClass hc = Class(i);
    if (!h.noun && h.end == i + 1 &&
        (hc == WordClass::kBe || hc == WordClass::kHave || hc == WordClass::kDo || hc == WordClass::kModal)) {
      std::uint32_t k = i + 1;
      while (k < se_ && (Class(k) == WordClass::kAdverb || Class(k) == WordClass::kNegation)) ++k;
      std::int32_t dummy = -1;
      if (k < se_ && (Class(k) == WordClass::kBe || Class(k) == WordClass::kHave ||
                      LongestMatch(t_.verb_trie, k, &dummy) > 0)) {
        ++i;
        continue;
      }
    }
    for (std::uint32_t k = h.begin; k < h.end; ++k) hit_at_[k] = static_cast<std::int32_t>(hits_.size());
    hits_.push_back(h);
    i = h.end;
  }
}

bool SentenceCoder::IsBoundary(std::uint32_t i) const {
  const WordClass c = Class(i);
  if (c == WordClass::kSubordinator || c == WordClass::kRelative) return true;
  const std::string_view n = Norm(i);
  if (n == ";" || n == ":" || n == "(" || n == ")") return true;
  if (c == WordClass::kWord && ReportingVerbs().count(n)) return true;
  return false;
}

std::int32_t SentenceCoder::UnitStartingAt(std::uint32_t i) const {
  // Over determiners and quantities: "the", "40", "dozens of", "more than".
  for (int steps = 0; i < se_ && steps < 6; ++steps) {
    const WordClass c = Class(i);
    const std::string_view n = Norm(i);
    if (unit_at_[i] >= 0) break;
    if (c == WordClass::kDeterminer || c == WordClass::kNumber || c == WordClass::kAdverb ||
        n == "of" || n == "than" || n == "least" || n == "at" || n == "about" || n == "some" ||
        n == "around" || n == "nearly" || n == "over" || n == "up" || n == "to") {
      ++i;
      continue;
    }
    break;
  }
  if (i >= se_) return -1;
  const std::int32_t u = unit_at_[i];
  return u;
}


// The subject of the verb starting at `verb_begin`.
std::int32_t SentenceCoder::FindSubject(std::uint32_t verb_begin, std::size_t hit_index,
                                        std::vector<std::int32_t>* subjects) const {
  std::int32_t pp_fallback = -1;
  bool infinitive = false;
  if (hit_index < hits_.size()) {
    for (std::uint32_t k = verb_begin; k < hits_[hit_index].begin; ++k)
      if (Norm(k) == "to") infinitive = true;
  }
  bool crossed_conjunction = false;
  for (std::int64_t i = static_cast<std::int64_t>(verb_begin) - 1; i >= sb_; --i) {
    const auto k = static_cast<std::uint32_t>(i);
    if (unit_at_[k] >= 0) {
      const Unit& u = units_[unit_at_[k]];
      // "after Russian police detained ...": these words also open clauses,
      // and a phrase right before the verb is then its subject.
      static const auto* const kClauseOpeners = new std::unordered_set<std::string_view>{
          "after", "before", "since", "until", "till", "as", "because"};
      const bool opens_clause = u.pp_object && u.end == verb_begin && kClauseOpeners->count(Norm(u.prep));
      if (!u.pp_object || opens_clause) {
        // "activists in Arnor": a unit right after an unattached
        // agent-only unit is handled in BuildUnits; here take it.
        return unit_at_[k];
      }
      if (pp_fallback < 0) pp_fallback = unit_at_[k];
      i = u.begin;  // skip the unit (loop decrements)
      continue;
    }
    const std::string_view n = Norm(k);
    if (hit_at_[k] >= 0) {
      const std::int32_t h = hit_at_[k];
      if (crossed_conjunction && !hits_[h].noun) {
        conjoined_with_ = h;
        return (*subjects)[h];
      }
      // "won't try to clash", "has begun to question": an infinitive shares
      // the subject of the verb it depends on.
      if (!hits_[h].noun && infinitive) {
        // ... unless that verb is an event itself ("agreed to simplify
        // crossings" is the agreement): then the infinitive is its content.
        const auto& f = t_.verb_forms[hits_[h].form];
        if (!f.code.empty() || !t_.blocks[f.block].default_code.empty()) return -1;
        if ((*subjects)[h] >= 0) return (*subjects)[h];
        i = hits_[h].begin;
        continue;
      }
      if (!hits_[h].noun) {
        // A relative clause or participle in between: keep looking left
        // only across a non-finite verb (gerund/participle after a noun).
        const auto& form = t_.verb_forms[hits_[h].form];
        if (form.kind != dict::FormKind::kGerund) return -1;
      }
      i = hits_[h].begin;
      continue;
    }
    if (n == "and" || n == "but") crossed_conjunction = true;
    if (Class(k) == WordClass::kPronoun && n != "there" && k > sb_) {
      // "Ethiopia indicated it would act", "Zakharova said she ...": the
      // pronoun right after a verb of saying is that verb's subject.
      std::uint32_t p = k - 1;
      if (Norm(p) == "that" && p > sb_) --p;
      if (hit_at_[p] >= 0 && !hits_[hit_at_[p]].noun && (*subjects)[hit_at_[p]] >= 0)
        return (*subjects)[hit_at_[p]];
      if (ReportingVerbs().count(Norm(p)) || (Class(p) == WordClass::kWord && unit_at_[p] < 0)) {
        for (std::int64_t q = static_cast<std::int64_t>(p) - 1; q >= sb_; --q) {
          const auto qq = static_cast<std::uint32_t>(q);
          if (unit_at_[qq] >= 0 && !units_[unit_at_[qq]].pp_object) return unit_at_[qq];
          if (IsBoundary(qq) || hit_at_[qq] >= 0) break;
        }
      }
    }
    if (Class(k) == WordClass::kPronoun && (n == "he" || n == "she") && last_person())
      return -2;  // resolved by the caller to the last person
    // Any other pronoun subject ("he said", "they detained") has no code
    // here; it must not let an earlier actor become the subject.
    if (Class(k) == WordClass::kPronoun && n != "there" && n != "itself" && n != "themselves" &&
        n != "himself" && n != "herself")
      return -1;
    if (Class(k) == WordClass::kRelative) {
      // "militants who attacked": the subject is the unit before "who".
      if ((n == "who" || n == "which" || n == "that") && k > sb_ && unit_at_[k - 1] >= 0 &&
          static_cast<std::uint32_t>(k + 1) >= verb_begin - 3)
        return unit_at_[k - 1];
      return -1;
    }
    if (IsBoundary(k)) return -1;
  }
  (void)hit_index;
  (void)pp_fallback;
  return -1;
}

bool SentenceCoder::IsLocative(const Unit& u) const {
  if (!u.pp_object || u.prep == kNone) return false;
  static const auto* const kLocative = new std::unordered_set<std::string_view>{
      "in", "at", "near", "during", "outside", "inside", "across", "throughout", "within",
      "around", "along", "beyond", "behind", "since", "after", "before", "until", "amid", "on"};
  return kLocative->count(Norm(u.prep)) > 0;
}

// The object of a verb: the first actor unit to its right inside the
// clause, preferring one that is not a place or time adjunct ("detained
// Uzbek migrants in Moscow", "celebrated Eid at Osgiliath with Gondor"); a
// locative unit is the object only when there is no other ("arrived in
// Gondor"). A "that" clause right after the verb ("demanded on Friday that
// Ukraine withdraw") gives its subject as the object.
std::int32_t SentenceCoder::FindObject(std::uint32_t from, std::uint32_t limit,
                                       bool* locative_only, std::uint32_t pattern_end) const {
  std::int32_t first_locative = -1;
  if (locative_only) *locative_only = false;
  bool complement_allowed = true;
  for (std::uint32_t k = from; k < limit && k < se_; ++k) {
    if (unit_at_[k] >= 0) {
      const std::int32_t id = unit_at_[k];
      const Unit& u = units_[id];
      complement_allowed = false;
      // ", police said": the speaker of an attribution is not the object.
      if (u.end < se_ && k >= pattern_end && ReportingVerbs().count(Norm(u.end))) break;
      if (IsLocative(u)) {
        if (first_locative < 0) first_locative = id;
        k = u.end - 1;
        continue;
      }
      return id;
    }
    if (complement_allowed && Norm(k) == "that" && k - from <= 5) {
      complement_allowed = false;
      continue;
    }
    if (k < pattern_end) continue;
    if (IsBoundary(k)) break;
    if (hit_at_[k] >= 0 && !hits_[hit_at_[k]].noun) {
      // "links leading into Mordor": a gerund after a noun modifies it;
      // "economic trade relations": a bare base form after a plain word is
      // part of a noun phrase. Neither ends the search.
      const auto& form = t_.verb_forms[hits_[hit_at_[k]].form];
      const bool after_plain_word = k > from && Class(k - 1) == WordClass::kWord && unit_at_[k - 1] < 0 &&
                                    hit_at_[k - 1] < 0;
      if (after_plain_word && (form.kind == dict::FormKind::kGerund || form.kind == dict::FormKind::kBase)) {
        k = hits_[hit_at_[k]].end - 1;
        continue;
      }
      // "abandoned efforts to stop X": an infinitive completing a noun.
      if (k >= from + 2 && Norm(k - 1) == "to" && Class(k - 2) == WordClass::kWord &&
          unit_at_[k - 2] < 0 && hit_at_[k - 2] < 0 && !at_.tokens[k - 2].capitalized) {
        k = hits_[hit_at_[k]].end - 1;
        continue;
      }
      break;
    }
  }
  if (locative_only) *locative_only = first_locative >= 0;
  return first_locative;
}

// "63 foreign workers, most of them Uzbek citizens", "foreign nationals,
// including Uzbek and Tajik workers": an actor phrase with no country is
// replaced by the phrase that names who they are.
std::int32_t SentenceCoder::Elaborate(std::int32_t unit) const {
  const Unit& u = units_[unit];
  for (const Actor& a : u.actors)
    if (a.code.rfind("---", 0) != 0) return unit;
  static const auto* const kMarkers = new std::unordered_set<std::string_view>{
      "including", "among", "mostly", "mainly", "most", "many", "largely", "predominantly", "all"};
  bool marker = false;
  for (std::uint32_t k = u.end; k < se_ && k < u.end + 6; ++k) {
    if (unit_at_[k] >= 0) {
      const Unit& e = units_[unit_at_[k]];
      if (!marker || e.actors.empty() || e.actors[0].code.rfind("---", 0) == 0) return unit;
      return unit_at_[k];
    }
    const std::string_view n = Norm(k);
    if (kMarkers->count(n)) marker = true;
    else if (!(n == "," || n == "of" || n == "them" || n == "whom" || Class(k) == WordClass::kNumber ||
               Class(k) == WordClass::kAdverb || n == "-"))
      return unit;
  }
  return unit;
}

// The one place named in the sentence ("in Moscow", "at Almaty airport"),
// or -1 when there is none or more than one country.
std::int32_t SentenceCoder::LocationCountryUnit(const char* preposition) const {
  std::int32_t found = -1;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    const Unit& u = units_[i];
    if (u.actors.size() != 1) continue;
    if (preposition ? !(u.pp_object && u.prep != kNone && Norm(u.prep) == preposition) : !IsLocative(u))
      continue;
    const std::string& code = u.actors[0].code;
    if (code.size() < 3 || code.rfind("---", 0) == 0) continue;
    if (found >= 0 && units_[found].actors[0].code.substr(0, 3) != code.substr(0, 3)) return -1;
    if (found < 0) found = static_cast<std::int32_t>(i);
  }
  return found;
}

std::int32_t SentenceCoder::FindByAgent(std::uint32_t from) const {
  for (std::uint32_t k = from; k < se_; ++k) {
    if (Norm(k) == "by") {
      const std::int32_t u = UnitStartingAt(k + 1);
      if (u >= 0) return u;
    }
    if (IsBoundary(k) && Norm(k) != "that") return -1;
    if (hit_at_[k] >= 0 && !hits_[hit_at_[k]].noun && k > from + 1) return -1;
  }
  return -1;
}

bool SentenceCoder::MatchElementsAfter(const std::vector<PatternElement>& elems,
                                       std::uint32_t pos, PatternMatch* m) const {
  for (const auto& e : elems) {
    using K = PatternElement::Kind;
    switch (e.kind) {
      case K::kWord: {
        std::uint32_t q = pos;
        const std::uint32_t stop = e.adjacent ? pos + 1 : std::min<std::uint32_t>(se_, pos + kPatternWindow);
        bool found = false;
        for (; q < stop && q < se_; ++q) {
          if (ids_[q] == e.word) { found = true; break; }
          if (Class(q) == WordClass::kSentenceEnd || Norm(q) == ";") break;
        }
        if (!found) return false;
        pos = q + 1;
        break;
      }
      case K::kSynset: {
        const auto& ss = t_.synsets[e.synset];
        std::uint32_t q = pos;
        const std::uint32_t stop = e.adjacent ? pos + 1 : std::min<std::uint32_t>(se_, pos + kPatternWindow);
        std::uint32_t matched = 0;
        for (; q < stop && q < se_ && !matched; ++q) {
          for (const auto& phrase : ss.phrases)
            if (PhraseAt(phrase, q) && phrase.size() > matched) matched = static_cast<std::uint32_t>(phrase.size());
          if (matched) break;
          if (Class(q) == WordClass::kSentenceEnd || Norm(q) == ";") break;
        }
        if (!matched) return false;
        pos = q + matched;
        break;
      }
      case K::kTarget:
      case K::kSource:
      case K::kCompound: {
        std::uint32_t q = pos;
        const std::uint32_t stop = e.adjacent ? pos + 2 : std::min<std::uint32_t>(se_, pos + kPatternWindow);
        std::int32_t u = -1;
        for (; q < stop && q < se_; ++q) {
          if (unit_at_[q] >= 0) { u = unit_at_[q]; break; }
          if (Class(q) != WordClass::kDeterminer && e.adjacent) break;
        }
        if (u < 0) return false;
        if (e.kind == K::kSource) m->source = u; else m->target = u;
        pos = units_[u].end;
        break;
      }
      case K::kSkip:
        while (pos < se_ && (IsWordToken(pos) || Class(pos) == WordClass::kDeterminer ||
                             Class(pos) == WordClass::kNumber) && hit_at_[pos] < 0)
          ++pos;
        break;
    }
  }
  // Where the words after the verb ended: the object is looked for from
  // there ("fired two artillery shells at Seoul").
  if (!elems.empty()) m->consumed_after = pos;
  return true;
}

bool SentenceCoder::MatchElementsBefore(const std::vector<PatternElement>& elems,
                                        std::int64_t pos, PatternMatch* m) const {
  for (const auto& e : elems) {
    using K = PatternElement::Kind;
    const std::int64_t stop = e.adjacent ? pos - 1 : std::max<std::int64_t>(static_cast<std::int64_t>(sb_) - 1, pos - kPatternWindow);
    switch (e.kind) {
      case K::kWord: {
        std::int64_t q = pos;
        for (; q > stop && q >= sb_; --q)
          if (ids_[q] == e.word) break;
        if (q <= stop || q < sb_) return false;
        m->consumed_before = static_cast<std::uint32_t>(q);
        pos = q - 1;
        break;
      }
      case K::kSynset: {
        const auto& ss = t_.synsets[e.synset];
        std::int64_t q = pos;
        std::int64_t start = -1;
        for (; q > stop && q >= sb_ && start < 0; --q) {
          for (const auto& phrase : ss.phrases) {
            const std::int64_t b = q - static_cast<std::int64_t>(phrase.size()) + 1;
            if (b >= sb_ && PhraseAt(phrase, static_cast<std::uint32_t>(b))) { start = b; break; }
          }
        }
        if (start < 0) return false;
        m->consumed_before = static_cast<std::uint32_t>(start);
        pos = start - 1;
        break;
      }
      case K::kTarget:
      case K::kSource:
      case K::kCompound: {
        std::int64_t q = pos;
        std::int32_t u = -1;
        for (; q > stop && q >= sb_; --q)
          if (unit_at_[q] >= 0) { u = unit_at_[q]; break; }
        if (u < 0) return false;
        if (e.kind == K::kSource) m->source = u; else m->target = u;
        pos = static_cast<std::int64_t>(units_[u].begin) - 1;
        break;
      }
      case K::kSkip:
        while (pos >= sb_ && IsWordToken(static_cast<std::uint32_t>(pos))) --pos;
        break;
    }
  }
  return true;
}

bool SentenceCoder::MatchPattern(const dict::Pattern& p, const VerbHit& v, PatternMatch* m) const {
  *m = PatternMatch{};
  if (!MatchElementsAfter(p.after, v.end, m)) return false;

  if (!MatchElementsBefore(p.before, static_cast<std::int64_t>(v.begin) - 1, m)) return false;
  return true;
}

void SentenceCoder::Emit(const std::vector<Actor>& sources, const std::vector<Actor>& targets,
                         const std::string& code_in, const VerbHit& v,
                         const dict::Pattern* pattern, const std::string& modality,
                         std::vector<Event>* events) {
  std::string code = code_in, code2;
  const size_t colon = code.find(':');
  if (colon != std::string::npos) {
    code2 = code.substr(colon + 1);
    code = code.substr(0, colon);
  }
  const auto& block = t_.blocks[t_.verb_forms[v.form].block];
  const auto& sent = at_.sentences[sentence_index_];
  auto make = [&](const Actor& s, const Actor& t, const std::string& c) {
    if (c.empty() || c == "---") return;
    if (options_.require_dyad && (s.code.empty() || t.code.empty())) return;
    if (s.code == t.code || (t.code.size() == 3 && s.code.rfind(t.code, 0) == 0) ||
        (s.code.size() == 3 && t.code.rfind(s.code, 0) == 0 && t.code.size() <= 6 &&
         t.code.substr(3) == "GOV")) {
      Log("  " + s.code + " acting on " + t.code + " (itself): not coded");
      return;
    }
    Event e;
    e.doc_id = doc_.id;
    e.date = doc_.date;
    e.source = s.code;
    e.target = t.code;
    e.code = c;
    e.root = c.substr(0, std::min<size_t>(2, c.size()));
    if (const CameoCode* cc = cameo_.Find(c)) {
      e.quad_class = cc->quad_class;
      e.goldstein = cc->goldstein;
      e.has_goldstein = true;
      e.plover = cc->plover;
    }
    e.sentence_index = sentence_index_;
    e.sentence_span = {sent.begin, sent.end};
    e.sentence = doc_.text.substr(sent.begin, sent.end - sent.begin);
    auto span_of = [&](const Actor& a) -> Span {
      if (a.begin >= a.end) return {};
      return {at_.tokens[a.begin].begin, at_.tokens[a.end - 1].end};
    };
    e.source_span = span_of(s);
    e.target_span = span_of(t);
    e.verb_span = {at_.tokens[v.begin].begin, at_.tokens[v.end - 1].end};
    e.source_text = TokenText(s.begin, s.end);
    e.target_text = TokenText(t.begin, t.end);
    e.verb_text = TokenText(v.begin, v.end);
    e.pattern = pattern ? "- " + pattern->text : "--- " + block.name + " [" +
                                                     (block.default_code.empty() ? "---" : block.default_code) + "] ---";
    e.pattern_origin = pattern ? pattern->origin.Where() : block.origin.Where();
    for (const auto& x : s.entries) e.entries.push_back("source " + x);
    e.entries.push_back("verb " + block.origin.Where() + " " + block.name);
    for (const auto& x : t.entries) e.entries.push_back("target " + x);
    e.modality = modality;
    // Issues mentioned in the sentence.
    for (std::uint32_t i = sb_; i < se_; ++i) {
      std::int32_t val = -1;
      if (LongestMatch(t_.issue_trie, i, &val) > 0) {
        const std::string& issue = t_.issues[val];
        if (std::find(e.issues.begin(), e.issues.end(), issue) == e.issues.end())
          e.issues.push_back(issue);
      }
    }
    for (size_t k = sentence_first_event_; k < events->size(); ++k) {
      const Event& prev = (*events)[k];
      if (prev.source == e.source && prev.target == e.target && prev.code == e.code) return;
    }
    Log("  event " + e.source + " " + e.code + " " + e.target + "  via " + e.pattern);
    events->push_back(std::move(e));
  };
  for (const auto& s : sources)
    for (const auto& t : targets) {
      make(s, t, code);
      if (!code2.empty()) make(t, s, code2);
    }
}

void SentenceCoder::CodeVerb(std::size_t hit_index, std::vector<std::int32_t>* subjects,
                             std::vector<Event>* events) {
  const VerbHit& v = hits_[hit_index];
  const auto& form = t_.verb_forms[v.form];
  const auto& block = t_.blocks[form.block];
  // Auxiliary chain: be/have/do/modals/negation/adverbs and infinitival "to".
  bool negated = false, passive_aux = false, intent = false;
  std::uint32_t negation_at = kNone;
  std::uint32_t chain = v.begin;
  while (chain > sb_) {
    const std::uint32_t k = chain - 1;
    const WordClass c = Class(k);
    const std::string_view n = Norm(k);
    if (c == WordClass::kBe || c == WordClass::kHave || c == WordClass::kDo ||
        c == WordClass::kModal || c == WordClass::kNegation || c == WordClass::kAdverb ||
        n == "to" || n == "about" || n == "get" || n == "got" || n == "gets" || n == "getting") {
      if (c == WordClass::kNegation) { negated = true; negation_at = k; }
      if (c == WordClass::kBe || n == "get" || n == "got" || n == "gets" || n == "getting")
        passive_aux = true;
      if (n == "to" && k > sb_) {
        std::uint32_t b = k - 1;
        while (b > sb_ && Class(b) == WordClass::kAdverb) --b;
        if (IntentVerbs().count(Norm(b))) intent = true;
        // "have yet to agree", "failed to reach", "refused to meet".
        static const auto* const kNegativeControl = new std::unordered_set<std::string_view>{
            "yet", "failed", "fails", "fail", "refused", "refuses", "refuse", "declined",
            "declines", "unable", "reluctant"};
        if (kNegativeControl->count(Norm(b))) { negated = true; negation_at = b; }
      }
      chain = k;
      continue;
    }
    break;
  }
  std::int32_t noun_owner = -1;
  // "recruit Uzbek nationals to fight in Ukraine", "urged Eriador to
  // respond": an infinitive after another verb's object is that verb's
  // purpose or complement, not an event of its own.
  {
    std::uint32_t k = v.begin;
    while (k > sb_ && Class(k - 1) == WordClass::kAdverb) --k;
    // "Russian efforts to recruit Uzbek nationals", "Moscow's attempts to
    // intimidate": the actor owning the noun is the subject.
    noun_owner = -1;
    if (k >= sb_ + 3 && Norm(k - 1) == "to" && Class(k - 2) == WordClass::kWord && hit_at_[k - 2] < 0 &&
        unit_at_[k - 2] < 0) {
      std::uint32_t o = k - 3;
      if (Class(o) == WordClass::kPossessive && o > sb_) --o;
      if (unit_at_[o] >= 0 && units_[unit_at_[o]].end == (Class(k - 3) == WordClass::kPossessive ? k - 3 : k - 2))
        noun_owner = unit_at_[o];
    }
    // "met the ambassador on Tuesday to discuss ...": an infinitive after
    // an event verb in the same clause is its purpose.
    if (noun_owner < 0 && k > sb_ && Norm(k - 1) == "to" && k - 1 > sb_ && !IntentVerbs().count(Norm(k - 2))) {
      for (std::int64_t j = static_cast<std::int64_t>(k) - 2; j >= sb_; --j) {
        const auto jj = static_cast<std::uint32_t>(j);
        if (IsBoundary(jj)) break;
        if (hit_at_[jj] < 0 || hits_[hit_at_[jj]].noun) continue;
        const auto& f = t_.verb_forms[hits_[hit_at_[jj]].form];
        if (IntentVerbs().count(Norm(jj))) break;
        if (!f.code.empty() || !t_.blocks[f.block].default_code.empty()) {
          Log("verb '" + TokenText(v.begin, v.end) + "': purpose infinitive after '" +
              TokenText(hits_[hit_at_[jj]].begin, hits_[hit_at_[jj]].end) + "', not coded");
          return;
        }
        break;
      }
    }
    if (noun_owner < 0 && k > sb_ && Norm(k - 1) == "to" && k - 1 > sb_ && unit_at_[k - 2] >= 0) {
      for (std::int64_t j = static_cast<std::int64_t>(units_[unit_at_[k - 2]].begin) - 1; j >= sb_; --j) {
        const auto jj = static_cast<std::uint32_t>(j);
        if (IsBoundary(jj)) break;
        if (hit_at_[jj] >= 0 && !hits_[hit_at_[jj]].noun) {
          Log("verb '" + TokenText(v.begin, v.end) + "': infinitive after the object of '" +
              TokenText(hits_[hit_at_[jj]].begin, hits_[hit_at_[jj]].end) + "', not coded");
          return;
        }
      }
    }
  }
  const bool participle = form.kind == dict::FormKind::kPast || form.kind == dict::FormKind::kIrregular;
  const bool passive = passive_aux && participle;
  // Reduced passive: "Rebuked by Eriador, ..." or "migrants detained by police".
  // Reduced passive: "Rebuked by Eriador, ...", "foreigners detained on
  // Monday by Russian police".
  bool reduced_passive = false;
  if (!passive && participle) {
    for (std::uint32_t k = v.end; k < se_ && k < v.end + 4; ++k) {
      if (Norm(k) == "by") { reduced_passive = true; break; }
      // Only time and manner adjuncts may stand between ("on Monday").
      const WordClass ck = Class(k);
      const bool adjunct = ck == WordClass::kAdverb || ck == WordClass::kPreposition ||
                           ck == WordClass::kNumber || (ck == WordClass::kWord && at_.tokens[k].capitalized);
      if (unit_at_[k] >= 0 || hit_at_[k] >= 0 || IsBoundary(k) || !adjunct) break;
    }
  }

  conjoined_with_ = -1;
  std::int32_t subject = noun_owner >= 0 ? noun_owner : FindSubject(chain, hit_index, subjects);
  const std::int32_t conjoined = conjoined_with_;
  if (form.kind == dict::FormKind::kGerund && chain == v.begin && v.begin > sb_) {
    const std::uint32_t p = v.begin - 1;
    if (unit_at_[p] >= 0) {
      // "a video showing Russian police officers kicking a Kyrgyz man": a
      // gerund right after an actor phrase has that phrase as its subject.
      subject = unit_at_[p];
    } else if (Norm(p) == ",") {
      // "..., killing five Chinese nationals": a participle after a comma
      // shares the subject of the main verb before it.
      subject = -1;
      for (std::size_t h = 0; h < hit_index; ++h)
        if (!hits_[h].noun) { subject = (*subjects)[h]; break; }
    } else if (Norm(p) == "of") {
      // "accused Russia of torturing the men": the content of a claim, not
      // an event reported as fact.
      Log("verb '" + TokenText(v.begin, v.end) + "': gerund after 'of', not coded");
      return;
    } else if (Class(p) == WordClass::kWord && hit_at_[p] < 0) {
      // "a vote condemning Russia's annexation": the noun it modifies is
      // its subject, and that noun is not an actor.
      Log("verb '" + TokenText(v.begin, v.end) + "': participle modifying '" + std::string(Norm(p)) +
          "', not coded");
      return;
    }
  }
  std::vector<Actor> person_subject;
  if (subject == -2) {
    person_subject.push_back(last_person_);
    subject = -1;
  }
  (*subjects)[hit_index] = subject;

  std::string modality_note;
  // Patterns, most specific first.
  const dict::Pattern* used = nullptr;
  PatternMatch pm;
  for (const auto& p : block.patterns) {
    if (p.code == "+++") continue;
    if (MatchPattern(p, v, &pm)) { used = &p; break; }
  }
  std::string code = used ? used->code : (!form.code.empty() ? form.code : block.default_code);
  Log("verb '" + TokenText(v.begin, v.end) + "' block " + block.name +
      (passive ? " passive" : "") + (negated ? " negated" : "") + (intent ? " intent" : "") +
      (used ? "  pattern: " + used->text : "  no pattern matched; code " + (code.empty() ? "---" : code)));
  if (code.empty()) return;
  if (negated) {
    // A pattern that spells out the negation ("&NEGATVAUXVRB * OVER
    // EFFORTS") codes the negated act itself.
    bool consumed = used && !used->before.empty() && used->literals > 0 &&
                    pm.consumed_before != kNone && pm.consumed_before <= negation_at;
    if (!consumed) {
      Log("  negated: not coded");
      return;
    }
  }
  // Who is source and target.
  std::int32_t src = -1, tgt = -1;
  bool target_is_locative = false;
  std::string implied_role = used ? used->implied_source_role : std::string();
  if (used && used->subject_is_target) {
    tgt = pm.target >= 0 ? pm.target : subject;
    src = pm.source >= 0 ? pm.source : FindByAgent(v.end);
    // "Falastur noted that Cirith Ungol regretted ...": with pattern words
    // before the target, the source is the subject of those words.
    if (src < 0 && pm.consumed_before != kNone && pm.consumed_before < chain)
      src = FindSubject(pm.consumed_before, hit_index, subjects);
  } else if (passive || reduced_passive) {
    tgt = subject;
    if (reduced_passive && subject < 0) tgt = -1;
    src = pm.source >= 0 ? pm.source : FindByAgent(v.end);
    if (pm.target >= 0 && pm.target != src) tgt = tgt >= 0 ? tgt : pm.target;
  } else {
    src = pm.source >= 0 ? pm.source : subject;
    // Verbs and clause words inside the words a pattern matched ("fired two
    // artillery shells at Seoul") do not end the search for the object.
    const std::uint32_t pattern_end =
        used && pm.consumed_after != kNone && used->literals > 0 ? pm.consumed_after : v.end;
    tgt = pm.target >= 0 ? pm.target : FindObject(v.end, se_, &target_is_locative, pattern_end);
  }
  std::vector<Actor> sources = person_subject.empty() || src >= 0
                                   ? (src >= 0 ? units_[src].actors : std::vector<Actor>{})
                                   : person_subject;
  if (tgt < 0 && conjoined >= 0 && !passive && !reduced_passive &&
      static_cast<std::size_t>(conjoined) < objects_.size() && objects_[conjoined] >= 0) {
    tgt = objects_[conjoined];
    Log("  object shared with the coordinated verb before it");
  }
  if (tgt >= 0) tgt = Elaborate(tgt);
  if (hit_index < objects_.size()) objects_[hit_index] = tgt;
  std::vector<Actor> targets = tgt >= 0 ? units_[tgt].actors : std::vector<Actor>{};
  if (sources.empty() && !implied_role.empty()) {
    for (const auto& t : targets) {
      if (t.code.size() < 3 || t.code.rfind("---", 0) == 0) continue;
      Actor a;
      a.code = t.code.substr(0, 3) + implied_role;
      a.entries.push_back("implied source @" + implied_role);
      sources.push_back(a);
    }
  }
  // "Gondor and Osgiliath renewed diplomatic ties", "Putin and Kim signed
  // a pact in Pyongyang": a compound subject with no other party acts on
  // each other, one event per ordered pair.
  // A target that is only a topic deep in the object ("signed documents on
  // cooperation ... in Kyrgyzstan") does not stop the reciprocal reading.
  bool weak_target = false;
  if (tgt >= 0 && units_[tgt].pp_object && units_[tgt].prep != kNone && units_[tgt].prep > v.end) {
    static const auto* const kTopic = new std::unordered_set<std::string_view>{
        "of", "on", "about", "over", "for", "into", "regarding", "concerning", "including"};
    weak_target = kTopic->count(Norm(units_[tgt].prep)) > 0;
  }
  if (!passive && !reduced_passive && sources.size() >= 2 &&
      (targets.empty() || target_is_locative || weak_target) && (pm.target < 0)) {
    targets = sources;
    Log("  compound subject without an object: reciprocal events");
  }
  // "... were detained, Turkish police said": with no agent, police, courts
  // or the military reporting a coercive act are taken as its source.
  if ((passive || reduced_passive) && sources.empty() && !targets.empty() && code.rfind("17", 0) == 0) {
    for (const Unit& u : units_) {
      if (u.end >= se_ || !ReportingVerbs().count(Norm(u.end)) || u.actors.size() != 1) continue;
      const std::string& sc = u.actors[0].code;
      if (sc.size() < 6 || sc.rfind("---", 0) == 0) continue;
      const std::string role = sc.substr(3, 3);
      if (role == "COP" || role == "JUD" || role == "MIL") {
        sources.push_back(u.actors[0]);
        sources.back().entries.push_back("source taken from the attribution '" +
                                         TokenText(u.begin, u.end) + " " + std::string(Norm(u.end)) + "'");
        Log("  passive without agent: source from the attribution: " + sc);
        break;
      }
    }
  }
  // "Nine Turkmen citizens were detained in Istanbul": coercion in the
  // passive with no agent is attributed to the authorities of the place.
  if ((passive || reduced_passive) && sources.empty() && !targets.empty() && code.rfind("17", 0) == 0) {
    // Detention happens where the detainer is; a deportation or extradition
    // names two places, and only "from X" tells who expels.
    const bool expulsion = code.rfind("174", 0) == 0;
    const std::int32_t place = LocationCountryUnit(expulsion ? "from" : nullptr);
    if (place >= 0) {
      const std::string& where = units_[place].actors[0].code;
      if (where.size() >= 3 && where.rfind("---", 0) != 0) {
        Actor a;
        a.code = where.substr(0, 3) + (code.rfind("173", 0) == 0 || code.rfind("175", 0) == 0 ? "COP" : "GOV");
        a.begin = units_[place].begin;
        a.end = units_[place].end;
        a.entries.push_back("source inferred from the place '" + TokenText(a.begin, a.end) + "'");
        sources.push_back(std::move(a));
        Log("  passive without agent: source inferred from the place: " + sources.back().code);
      }
    }
  }
  if (src >= 0 && units_[src].person) { last_person_ = units_[src].actors[0]; has_last_person_ = true; }
  if (sources.empty() || targets.empty()) {
    Log(std::string("  no ") + (sources.empty() ? "source" : "target") + " found");
    if (options_.require_dyad) return;
    if (sources.empty()) sources.push_back(Actor{"---", 0, 0, {}});
    if (targets.empty()) targets.push_back(Actor{"---", 0, 0, {}});
  }
  if (intent && options_.intent_to_03 && cameo_.Find(code)) {
    std::string ic = IntentCode(code);
    if (!ic.empty()) {
      Log("  intent: " + code + " -> " + ic);
      code = ic;
      modality_note = "intent";
    }
  }
  Emit(sources, targets, code, v, used, modality_note, events);
}

// "the detention of 40 Kyrgyz citizens by Russian police",
// "Russia's harassment of migrants".
void SentenceCoder::CodeNoun(const VerbHit& v, std::vector<std::int32_t>* subjects,
                             std::vector<Event>* events) {
  const auto& form = t_.verb_forms[v.form];
  const auto& block = t_.blocks[form.block];
  std::string code = !form.code.empty() ? form.code : block.default_code;
  if (code.empty()) return;
  std::int32_t tgt = -1, src = -1;
  if (v.end < se_ && (Norm(v.end) == "of" || Norm(v.end) == "against" || Norm(v.end) == "on")) {
    tgt = UnitStartingAt(v.end + 1);
  }
  // Source: "by X" after the object, or "X's" before the noun.
  for (std::uint32_t k = v.end; k < se_ && k < v.end + 20; ++k) {
    if (Norm(k) == "by") { src = UnitStartingAt(k + 1); break; }
    if (IsBoundary(k) || (hit_at_[k] >= 0 && !hits_[hit_at_[k]].noun)) break;
  }
  if (src < 0) {
    std::int64_t k = static_cast<std::int64_t>(v.begin) - 1;
    while (k >= sb_ && (Class(k) == WordClass::kWord || Class(k) == WordClass::kAdverb) &&
           unit_at_[k] < 0 && hit_at_[k] < 0)
      --k;  // adjectives: "harsh"
    if (k >= sb_ && Class(k) == WordClass::kPossessive && k > sb_ && unit_at_[k - 1] >= 0)
      src = unit_at_[k - 1];
    else if (k >= sb_ && unit_at_[k] >= 0 && k + 1 == v.begin)
      src = unit_at_[k];  // "Russian raids"
  }
  // "The EU adopted a package of sanctions against Russia", "police carried
  // out raids on hostels": the subject of a light verb is the source.
  if (src < 0) {
    static const auto* const kLightVerbs = new std::unordered_set<std::string_view>{
        "impose", "imposed", "imposes", "imposing", "adopt", "adopted", "adopts", "launch",
        "launched", "launches", "stage", "staged", "stages", "conduct", "conducted", "conducts",
        "carry", "carried", "carries", "order", "ordered", "orders", "announce", "announced",
        "announces", "introduce", "introduced", "introduces", "approve", "approved", "approves",
        "unveil", "unveiled", "mount", "mounted", "step", "stepped", "intensify", "intensified",
        "expand", "expanded", "extend", "extended", "slap", "slapped", "levy", "levied", "make",
        "made", "makes", "begin", "began", "begun", "start", "started", "continue", "continued",
        "escalate", "escalated", "renew", "renewed", "tighten", "tightened"};
    for (std::int64_t k = static_cast<std::int64_t>(v.begin) - 1; k >= sb_ && k + 12 >= v.begin; --k) {
      const auto kk = static_cast<std::uint32_t>(k);
      if (IsBoundary(kk)) break;
      if (hit_at_[kk] >= 0 && !hits_[hit_at_[kk]].noun) {
        if (kLightVerbs->count(Norm(hits_[hit_at_[kk]].begin))) src = (*subjects)[hit_at_[kk]];
        break;
      }
      if (hit_at_[kk] < 0 && unit_at_[kk] < 0 && kLightVerbs->count(Norm(kk))) {
        // A light verb the verb dictionary does not list: its subject is
        // the nearest actor before it.
        for (std::int64_t q = k - 1; q >= sb_; --q) {
          const auto qq = static_cast<std::uint32_t>(q);
          if (IsBoundary(qq) || (hit_at_[qq] >= 0 && !hits_[hit_at_[qq]].noun)) break;
          if (unit_at_[qq] >= 0 && !units_[unit_at_[qq]].pp_object) { src = unit_at_[qq]; break; }
        }
        break;
      }
      if (unit_at_[kk] >= 0) break;
    }
  }
  Log("event noun '" + TokenText(v.begin, v.end) + "' block " + block.name +
      (src >= 0 ? " source found" : " no source") + (tgt >= 0 ? ", target found" : ", no target"));
  if (src < 0 || tgt < 0 || src == tgt) return;
  Emit(units_[src].actors, units_[tgt].actors, code, v, nullptr, "", events);
}

bool SentenceCoder::Code(std::uint32_t index, std::vector<Event>* events) {
  sentence_index_ = index;
  sentence_first_event_ = events->size();
  const SentenceSpan& s = at_.sentences[index];
  sb_ = s.first_token;
  se_ = s.end_token;
  if (ids_.size() < se_) {
    ids_.resize(at_.tokens.size());
    mention_at_.resize(at_.tokens.size());
    unit_at_.resize(at_.tokens.size());
    hit_at_.resize(at_.tokens.size());
  }
  for (std::uint32_t i = sb_; i < se_; ++i) {
    ids_[i] = t_.vocabulary.Find(Norm(i));
    mention_at_[i] = unit_at_[i] = hit_at_[i] = -1;
  }
  Log("sentence " + std::to_string(index) + ": " + doc_.text.substr(s.begin, s.end - s.begin));
  if (trace_) {
    std::string toks = "  tokens:";
    for (std::uint32_t i = sb_; i < se_; ++i)
      toks += " " + std::string(Norm(i)) + "/" + WordClassName(Class(i));
    Log(toks);
  }
  bool story = false;
  if (CheckDiscards(&story)) {
    Log(story ? "  story-level discard phrase: document not coded" : "  discard phrase: sentence not coded");
    return !story;
  }
  FindMentions();
  // Verbs are found before units so that units never swallow a verb.
  FindVerbs();
  BuildUnits();
  Coordinate();
  if (trace_) {
    for (const auto& u : units_) {
      std::string line = "  actor '" + TokenText(u.begin, u.end) + "' ->";
      for (const auto& a : u.actors) line += " " + a.code;
      if (u.pp_object) line += " (object of '" + std::string(Norm(u.prep)) + "')";
      for (const auto& a : u.actors)
        for (const auto& e : a.entries) line += "\n      from " + e;
      Log(line);
    }
  }
  ResolveFromContext();
  std::vector<std::int32_t> subjects(hits_.size(), -1);
  objects_.assign(hits_.size(), -1);
  for (std::size_t h = 0; h < hits_.size(); ++h) {
    if (hits_[h].noun) CodeNoun(hits_[h], &subjects, events);
    else CodeVerb(h, &subjects, events);
  }
  return true;
}

}  // namespace

Coder::Coder(std::shared_ptr<const Dictionary> dictionary, CoderOptions options)
    : dictionary_(std::move(dictionary)), options_(options), cameo_(&CameoTable::Builtin()) {}
Coder::~Coder() = default;

Result<std::unique_ptr<Coder>> Coder::Create(std::shared_ptr<const Dictionary> dictionary,
                                             CoderOptions options) {
  if (!dictionary) return InvalidArgument("Coder::Create: no dictionary");
  if (CameoTable::Builtin().size() == 0) return Status(StatusCode::kInternal, "CAMEO table is empty");
  return std::unique_ptr<Coder>(new Coder(std::move(dictionary), options));
}

std::vector<Event> Coder::CodeDocument(const Document& doc, Trace* trace) const {
  std::vector<Event> events;
  std::int32_t date = 0;
  if (!doc.date.empty() && !ParseIsoDate(doc.date, &date)) date = 0;
  AnalyzeOptions ao;
  ao.single_sentence = options_.single_sentence;
  AnalyzedText at = Analyze(doc.text, ao);
  SentenceCoder sc(dictionary_->tables(), *cameo_, options_, doc, at, date, trace);
  std::unordered_set<std::string> seen_sentences;
  std::string key;
  for (std::uint32_t i = 0; i < at.sentences.size(); ++i) {
    const auto& s = at.sentences[i];
    // A sentence repeated in the same document (duplicated paragraphs) is
    // coded once.
    key.clear();
    for (std::uint32_t k = s.first_token; k < s.end_token; ++k) {
      key += at.Norm(at.tokens[k]);
      key.push_back(' ');
    }
    if (options_.dedupe_document && !seen_sentences.insert(key).second) {
      if (trace) trace->lines.push_back("sentence " + std::to_string(i) + ": repeat of an earlier sentence, skipped");
      continue;
    }
    if (!sc.Code(i, &events)) {
      events.clear();
      break;
    }
  }
  if (options_.dedupe_document) {
    std::vector<Event> unique;
    std::unordered_set<std::string> keys;
    for (auto& e : events)
      if (keys.insert(e.source + '\t' + e.target + '\t' + e.code).second) unique.push_back(std::move(e));
    events = std::move(unique);
  }
  return events;
}

}  // namespace dyad
