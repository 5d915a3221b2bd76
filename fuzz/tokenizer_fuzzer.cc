// libFuzzer target for the analyzer: dyad::Analyze / AnalyzeInto and
// dyad::ValidateUtf8 on arbitrary bytes.
//
// Checked invariants (abort() on violation, so libFuzzer records a crash):
//  - every token has begin <= end <= text size, tokens are in text order and
//    do not overlap;
//  - norm_begin/norm_size of the tokens tile norm_buffer exactly, every
//    normalised form is non-empty, has no ASCII upper case and the whole
//    norm_buffer is valid UTF-8 (invalid input bytes are folded to '?');
//  - sentences are non-empty, in order, tile [0, tokens.size()) without gaps
//    or overlap, are at most max_sentence_tokens long and their byte spans
//    are those of their first and last tokens;
//  - AnalyzeInto on a reused AnalyzedText gives the same result as Analyze;
//  - ValidateUtf8 agrees with an independent reference decoder (RFC 3629),
//    including the byte offset it reports.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dyad/text.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tokenizer_fuzzer: invariant violated: %s\n", what);
    std::abort();
  }
}

// Reference UTF-8 validator (Unicode Table 3-7). Returns the offset of the
// first ill-formed sequence, or npos when the text is valid.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k, unsigned lo, unsigned hi) {
    return k < n && at(k) >= lo && at(k) <= hi;
  };
  while (i < n) {
    const unsigned b = at(i);
    if (b <= 0x7F) { i += 1; continue; }
    if (b >= 0xC2 && b <= 0xDF) {
      if (!cont(i + 1, 0x80, 0xBF)) return i;
      i += 2; continue;
    }
    if (b >= 0xE0 && b <= 0xEF) {
      const unsigned lo = b == 0xE0 ? 0xA0 : 0x80;
      const unsigned hi = b == 0xED ? 0x9F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2, 0x80, 0xBF)) return i;
      i += 3; continue;
    }
    if (b >= 0xF0 && b <= 0xF4) {
      const unsigned lo = b == 0xF0 ? 0x90 : 0x80;
      const unsigned hi = b == 0xF4 ? 0x8F : 0xBF;
      if (!cont(i + 1, lo, hi) || !cont(i + 2, 0x80, 0xBF) || !cont(i + 3, 0x80, 0xBF))
        return i;
      i += 4; continue;
    }
    return i;
  }
  return std::string_view::npos;
}

void CheckAnalysis(std::string_view text, const dyad::AnalyzeOptions& options,
                   const dyad::AnalyzedText& at) {
  const auto& toks = at.tokens;
  const auto& sents = at.sentences;
  // Tokens.
  std::uint64_t norm_pos = 0;
  std::uint32_t prev_end = 0;
  for (const dyad::Token& t : toks) {
    Check(t.begin <= t.end, "token begin <= end");
    Check(t.end <= text.size(), "token end <= text size");
    Check(t.begin >= prev_end, "tokens in order, not overlapping");
    prev_end = t.end;
    Check(t.norm_begin == norm_pos, "norm ranges are contiguous");
    Check(t.norm_size > 0, "normalised form is not empty");
    norm_pos += t.norm_size;
    Check(norm_pos <= at.norm_buffer.size(), "norm range inside norm_buffer");
    for (char c : at.Norm(t)) Check(!(c >= 'A' && c <= 'Z'), "normalised form is lower case");
  }
  Check(norm_pos == at.norm_buffer.size(), "norm ranges cover norm_buffer");
  Check(dyad::ValidateUtf8(at.norm_buffer).ok(), "norm_buffer is valid UTF-8");
  // Sentences.
  if (toks.empty()) {
    Check(sents.empty(), "no sentences without tokens");
    return;
  }
  Check(!sents.empty(), "tokens belong to some sentence");
  std::uint32_t next = 0;
  for (const dyad::SentenceSpan& s : sents) {
    Check(s.first_token == next, "sentences tile the tokens in order");
    Check(s.first_token < s.end_token, "sentence is not empty");
    Check(s.end_token <= toks.size(), "sentence end_token <= token count");
    Check(s.end_token - s.first_token <= options.max_sentence_tokens,
          "sentence at most max_sentence_tokens long");
    Check(s.begin == toks[s.first_token].begin, "sentence begin is its first token's");
    Check(s.end == toks[s.end_token - 1].end, "sentence end is its last token's");
    Check(s.begin <= s.end && s.end <= text.size(), "sentence span inside the text");
    next = s.end_token;
  }
  Check(next == toks.size(), "sentences cover every token");
}

bool SameAnalysis(const dyad::AnalyzedText& a, const dyad::AnalyzedText& b) {
  if (a.norm_buffer != b.norm_buffer || a.tokens.size() != b.tokens.size() ||
      a.sentences.size() != b.sentences.size())
    return false;
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    const dyad::Token& x = a.tokens[i];
    const dyad::Token& y = b.tokens[i];
    if (x.begin != y.begin || x.end != y.end || x.norm_begin != y.norm_begin ||
        x.norm_size != y.norm_size || x.newlines_before != y.newlines_before ||
        x.word_class != y.word_class || x.capitalized != y.capitalized)
      return false;
  }
  for (size_t i = 0; i < a.sentences.size(); ++i) {
    const dyad::SentenceSpan& x = a.sentences[i];
    const dyad::SentenceSpan& y = b.sentences[i];
    if (x.first_token != y.first_token || x.end_token != y.end_token || x.begin != y.begin ||
        x.end != y.end)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // UTF-8 validation against the reference.
  const size_t bad = FirstInvalidUtf8(text);
  const dyad::Status st = dyad::ValidateUtf8(text);
  Check(st.ok() == (bad == std::string_view::npos), "ValidateUtf8 agrees with the reference");
  if (!st.ok()) {
    Check(st.message().find("offset " + std::to_string(bad)) != std::string::npos,
          "ValidateUtf8 names the first invalid offset");
  }

  // Default options.
  dyad::AnalyzeOptions options;
  const dyad::AnalyzedText a = dyad::Analyze(text, options);
  CheckAnalysis(text, options, a);

  // Reused buffers (dirty from a different text) give the same result.
  static dyad::AnalyzedText reused;
  dyad::AnalyzeInto(text, options, &reused);
  Check(SameAnalysis(a, reused), "AnalyzeInto with reused buffers == Analyze");

  // Whole text as one sentence, small cut length: same tokens, other splits.
  dyad::AnalyzeOptions single;
  single.single_sentence = true;
  single.max_sentence_tokens = 7;
  const dyad::AnalyzedText b = dyad::Analyze(text, single);
  CheckAnalysis(text, single, b);
  Check(b.tokens.size() == a.tokens.size() && b.norm_buffer == a.norm_buffer,
        "sentence options do not change tokens");

  // A short cut length in normal mode exercises the cutting in close().
  dyad::AnalyzeOptions shortcut;
  shortcut.max_sentence_tokens = 3;
  CheckAnalysis(text, shortcut, dyad::Analyze(text, shortcut));
  return 0;
}
