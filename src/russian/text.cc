// Russian tokeniser and sentence splitter.
//
// One pass over the UTF-8 text: a token is a run of letters and digits
// (with inner hyphens and apostrophes: "Ростове-на-Дону", "201-я"), a
// number, or one punctuation mark. Normalised forms are lower case with ё
// folded to е, typographic quotes to '"' and dashes to '-'. A second pass
// decides which full stops end a sentence: not the one after an initial
// (one capital letter: "В. В. Путин"), after a known abbreviation ("г.",
// "т.е.", "ул.", "им.", "тыс.", "млн."), or before a lower-case word.
#include "dyad/russian_text.h"

#include <algorithm>
#include <array>
#include <string>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace dyad::ru {
namespace {

// Lower-case abbreviations that take a full stop and rarely end a sentence.
constexpr std::array<std::string_view, 44> kAbbreviations = {
    "г", "гг", "ул", "им", "тыс", "млн", "млрд", "трлн", "руб", "долл", "коп", "см", "ст", "д",
    "кв", "обл", "р", "т", "е", "п", "н", "э", "др", "пр", "проф", "акад", "ген", "св", "стр",
    "гр", "ок", "ч", "мин", "сек", "рис", "табл", "напр", "пос", "с", "дер", "корп", "просп",
    "пер", "наб"};

bool IsAbbreviation(std::string_view w) {
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), w) != kAbbreviations.end();
}

void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, c, error);
  if (error) { out->push_back('?'); return; }
  out->append(buf, n);
}

UChar32 FoldChar(UChar32 c) {
  c = u_tolower(c);
  if (c == 0x0451) c = 0x0435;  // ё -> е
  return c;
}

bool IsWordChar(UChar32 c) { return u_isalnum(c) || c == 0x0301; /* combining acute */ }

}  // namespace

std::string FoldWord(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(word.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(word.data(), i, n, c);
    if (c < 0) { out.push_back('?'); continue; }
    if (c == 0x0301) continue;
    AppendUtf8(FoldChar(c), &out);
  }
  return out;
}

bool MostlyCyrillic(std::string_view text) {
  int cyr = 0, other = 0;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(std::min<size_t>(text.size(), 4096));
  while (i < n) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0 || !u_isalpha(c)) continue;
    if (c >= 0x0400 && c <= 0x04FF) ++cyr; else ++other;
  }
  return cyr > 0 && cyr >= other;
}

void AnalyzeTextInto(std::string_view text, Text* out, std::uint32_t max_sentence_tokens) {
  out->tokens.clear();
  out->sentences.clear();
  out->norm_buffer.clear();
  const int32_t n = static_cast<int32_t>(text.size());
  const char* s = text.data();
  int32_t i = 0;
  std::uint8_t newlines = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c == '\n') { if (newlines < 2) ++newlines; continue; }
    if (c >= 0 && (u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B)) continue;
    Token t;
    t.begin = static_cast<std::uint32_t>(start);
    t.newlines_before = newlines;
    newlines = 0;
    t.norm_begin = static_cast<std::uint32_t>(out->norm_buffer.size());
    if (c >= 0 && IsWordChar(c)) {
      t.kind = u_isdigit(c) ? TokenKind::kNumber : TokenKind::kWord;
      t.capitalized = u_isupper(c);
      int letters = u_isalpha(c) ? 1 : 0, upper = u_isupper(c) ? 1 : 0;
      AppendUtf8(FoldChar(c), &out->norm_buffer);
      while (i < n) {
        int32_t j = i;
        UChar32 d;
        U8_NEXT(s, j, n, d);
        if (d >= 0 && IsWordChar(d)) {
          if (d != 0x0301) AppendUtf8(FoldChar(d), &out->norm_buffer);
          if (u_isalpha(d)) { ++letters; if (u_isupper(d)) ++upper; }
          i = j;
          continue;
        }
        // Inner hyphen, apostrophe, or a decimal separator inside a number.
        const bool joiner = d == '-' || d == 0x2011 || d == '\'' || d == 0x2019 ||
                            (t.kind == TokenKind::kNumber && (d == ',' || d == '.'));
        if (joiner && j < n) {
          int32_t k = j;
          UChar32 e;
          U8_NEXT(s, k, n, e);
          const bool ok = e >= 0 && (t.kind == TokenKind::kNumber && d != '-' && d != 0x2011
                                         ? u_isdigit(e) : IsWordChar(e));
          if (ok) {
            out->norm_buffer.push_back(d == 0x2019 ? '\'' : d == 0x2011 ? '-' : static_cast<char>(d));
            i = j;
            continue;
          }
        }
        break;
      }
      t.all_caps = letters >= 2 && upper == letters;
    } else {
      t.kind = TokenKind::kPunct;
      if (c == '.' || c == '!' || c == '?' || c == 0x2026) {
        t.kind = TokenKind::kSentenceEnd;
        // "...", "?!", "!!!" are one token.
        while (i < n && (s[i] == '.' || s[i] == '!' || s[i] == '?')) ++i;
        out->norm_buffer += c == 0x2026 ? std::string_view(".") : std::string_view(s + start, 1);
      } else if (c == 0x00AB || c == 0x00BB || c == 0x201C || c == 0x201D || c == 0x201E ||
                 c == '"') {
        out->norm_buffer.push_back('"');
      } else if (c == 0x2014 || c == 0x2013 || c == 0x2012 || c == 0x2212 || c == '-') {
        out->norm_buffer.push_back('-');
      } else if (c < 0) {
        out->norm_buffer.push_back('?');
      } else {
        AppendUtf8(c, &out->norm_buffer);
      }
    }
    t.end = static_cast<std::uint32_t>(i);
    t.norm_size = static_cast<std::uint16_t>(
        std::min<size_t>(out->norm_buffer.size() - t.norm_begin, 0xFFFF));
    out->tokens.push_back(t);
  }

  // Sentence boundaries.
  auto& tok = out->tokens;
  const std::uint32_t count = static_cast<std::uint32_t>(tok.size());
  std::uint32_t first = 0;
  auto close = [&](std::uint32_t end_token) {
    if (end_token <= first) return;
    SentenceSpan sp;
    sp.first_token = first;
    sp.end_token = end_token;
    sp.begin = tok[first].begin;
    sp.end = tok[end_token - 1].end;
    out->sentences.push_back(sp);
    first = end_token;
  };
  for (std::uint32_t k = 0; k < count; ++k) {
    if (k > first && tok[k].newlines_before >= 2) close(k);
    if (k - first + 1 >= max_sentence_tokens) { close(k + 1); continue; }
    if (tok[k].kind != TokenKind::kSentenceEnd) continue;
    const std::string_view mark = out->Norm(tok[k]);
    // Closing quotes and brackets after the mark belong to this sentence.
    std::uint32_t end = k + 1;
    while (end < count && tok[end].kind == TokenKind::kPunct && tok[end].newlines_before == 0) {
      const std::string_view p = out->Norm(tok[end]);
      if (p != "\"" && p != ")" && p != "]") break;
      // A quote that opens the next sentence is preceded by a space.
      if (p == "\"" && tok[end].begin != tok[end - 1].end) break;
      ++end;
    }
    if (end >= count) { close(count); break; }
    bool split = true;
    if (mark == ".") {
      const Token& prev = k > first ? tok[k - 1] : tok[k];
      const std::string_view pw = out->Norm(prev);
      const bool attached = k > first && prev.end == tok[k].begin;
      if (attached && prev.kind == TokenKind::kWord) {
        // An initial: one capital letter ("В.", "С.").
        int32_t j = 0, letters = 0;
        const int32_t len = static_cast<int32_t>(pw.size());
        while (j < len) { UChar32 ch; U8_NEXT(pw.data(), j, len, ch); ++letters; }
        if (letters == 1 && prev.capitalized) split = false;
        if (!prev.capitalized && IsAbbreviation(pw)) split = false;
      }
      // A lower-case word or a number after the stop continues the sentence.
      const Token& next = tok[end];
      if (next.kind == TokenKind::kWord && !next.capitalized) split = false;
      if (next.kind == TokenKind::kPunct && out->Norm(next) == ",") split = false;
    } else if (tok[end].kind == TokenKind::kWord && !tok[end].capitalized &&
               tok[end].newlines_before == 0) {
      split = false;  // "«Кто виноват?» — спросил он"
    }
    if (split) close(end), k = end - 1;
  }
  close(count);
}

Text AnalyzeText(std::string_view text) {
  Text t;
  AnalyzeTextInto(text, &t);
  return t;
}

}  // namespace dyad::ru
