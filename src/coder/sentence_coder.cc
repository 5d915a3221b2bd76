// Coding one sentence: each verb and event noun becomes events with evidence.
#include <algorithm>
#include <limits>

#include "coder/sentence_coder.h"

namespace dyad::coder_internal {

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
    for (size_t k = sentence_first_event_; k < events->size(); ++k) {
      const Event& prev = (*events)[k];
      if (prev.source == e.source && prev.target == e.target && prev.code == e.code) return;
    }
    // Issues mentioned in the sentence: found once per sentence, on its
    // first event.
    if (!issues_ready_) {
      sentence_issues_.clear();
      for (std::uint32_t i = sb_; i < se_ && t_.issue_trie.phrases() > 0; ++i) {
        std::int32_t val = -1;
        if (LongestMatch(t_.issue_trie, i, &val) > 0) {
          const std::string& issue = t_.issues[val];
          if (std::find(sentence_issues_.begin(), sentence_issues_.end(), issue) == sentence_issues_.end())
            sentence_issues_.push_back(issue);
        }
      }
      issues_ready_ = true;
    }
    e.issues = sentence_issues_;
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
  // "denied that he had been mistreated", "dismissed suggestions that
  // Russia was targeting migrants": what is denied is not reported as fact.
  {
    static const auto* const kDenials = new std::unordered_set<std::string_view>{
        "denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed", "dismisses",
        "refuted", "refutes", "disputed", "disputes"};
    static const auto* const kClaims = new std::unordered_set<std::string_view>{
        "claims", "claim", "allegations", "allegation", "suggestions", "suggestion", "reports",
        "report", "rumours", "rumors", "accusations", "charges", "assertions"};
    for (std::int64_t k = static_cast<std::int64_t>(v.begin) - 1; k > sb_; --k) {
      const auto kk = static_cast<std::uint32_t>(k);
      if (Norm(kk) != "that") {
        if (Norm(kk) == ";" || Class(kk) == WordClass::kSubordinator) break;
        continue;
      }
      std::uint32_t p = kk - 1;
      if (kClaims->count(Norm(p)) && p > sb_) --p;
      while (p > sb_ && Class(p) == WordClass::kDeterminer) --p;
      if (kClaims->count(Norm(p)) && p > sb_) --p;
      if (kDenials->count(Norm(p))) {
        Log("verb '" + TokenText(v.begin, v.end) + "': inside what '" + std::string(Norm(p)) +
            "' denies, not coded");
        return;
      }
      break;
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
  issues_ready_ = false;
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
    for (std::uint32_t i = sb_; i < se_; ++i) {
      toks.push_back(' ');
      toks.append(Norm(i));
      toks.push_back('/');
      toks.append(WordClassName(Class(i)));
    }
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

}  // namespace dyad::coder_internal
