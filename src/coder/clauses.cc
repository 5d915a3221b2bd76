// Clause structure without a parser: which words are verbs, where clauses
// end, and which actor phrase is a verb's subject or object.
#include <algorithm>
#include <limits>

#include "coder/sentence_coder.h"

namespace dyad::coder_internal {

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
      // "visited Moscow and condemned ...": after "and", a phrase that
      // directly follows another verb is that verb's object, not our subject.
      if (crossed_conjunction && u.end < verb_begin && u.begin > sb_) {
        std::uint32_t p = u.begin - 1;
        while (p > sb_ && (Class(p) == WordClass::kDeterminer || Class(p) == WordClass::kNumber)) --p;
        if (hit_at_[p] >= 0 && !hits_[hit_at_[p]].noun) {
          i = u.begin;
          continue;
        }
      }
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
  // "Riot police beat and detained dozens of workers": the object follows
  // the last of the coordinated verbs.
  while (from + 1 < se_ && (Norm(from) == "and" || Norm(from) == "or") && hit_at_[from + 1] >= 0 &&
         !hits_[hit_at_[from + 1]].noun)
    from = hits_[hit_at_[from + 1]].end;
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

}  // namespace dyad::coder_internal
