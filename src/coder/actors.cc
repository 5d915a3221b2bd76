// Actor phrases: dictionary mentions grouped into noun phrases, resolved to
// codes, joined into lists, and given countries from context.
#include <algorithm>
#include <limits>

#include "coder/sentence_coder.h"

namespace dyad::coder_internal {

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
    // A place is a bare country or city code ("in Moscow"), not people
    // ("at labour migrants from Central Asia") or an institution.
    const std::string& code = u.actors[0].code;
    if (code.size() != 3 || code.rfind("---", 0) == 0) continue;
    if (found >= 0 && units_[found].actors[0].code.substr(0, 3) != code.substr(0, 3)) return -1;
    if (found < 0) found = static_cast<std::int32_t>(i);
  }
  return found;
}

}  // namespace dyad::coder_internal
