// Verb patterns: literal words, synsets and actor slots matched around a verb.
#include <algorithm>
#include <limits>

#include "coder/sentence_coder.h"

namespace dyad::coder_internal {

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

}  // namespace dyad::coder_internal
