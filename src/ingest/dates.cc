// Dates in text and metadata -> "YYYY-MM-DD".
//
// The text is cut into tokens (digit runs, letter runs, single punctuation
// characters, remembering whether whitespace preceded each) and a handful of
// token patterns are tried at every position, left to right, so the first
// date in reading order wins -- which is the dateline when there is one.
// Every candidate is validated with ParseIsoDate, so 31.02.2025 is skipped
// and scanning continues. Numeric forms are day-first (12.06.2025,
// 12/06/2025) except when they start with a four-digit year (2025-06-12).
// Nothing here consults the clock.
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/coder.h"
#include "dyad/readers.h"
#include "ingest/internal.h"

namespace dyad {
namespace {

enum class Kind { kNum, kWord, kPunct };

struct Token {
  Kind kind;
  std::string_view text;
  bool space_before;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  bool space = true;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (IsSpace(c)) {
      space = true;
      ++i;
      continue;
    }
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // U+00A0 NBSP
      space = true;
      i += 2;
      continue;
    }
    std::size_t j = i + 1;
    Kind kind = Kind::kPunct;
    if (IsDigit(c)) {
      kind = Kind::kNum;
      while (j < s.size() && IsDigit(s[j])) ++j;
    } else if (IsWordByte(c)) {
      kind = Kind::kWord;
      // A word ends at U+00A0 (C2 A0), which pages put between "12" and "June".
      while (j < s.size() && IsWordByte(s[j]) &&
             !(s[j] == '\xC2' && j + 1 < s.size() && s[j + 1] == '\xA0'))
        ++j;
    }
    out.push_back({kind, s.substr(i, j - i), space});
    space = false;
    i = j;
  }
  return out;
}

int ToInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// 1..12 for an English or Russian (genitive) month name, else 0.
int MonthNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kEnglish = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  static constexpr std::array<std::string_view, 12> kRussian = {
      "января", "февраля", "марта",    "апреля",  "мая",    "июня",
      "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  if (word.size() < 3 || word.size() > 32) return 0;
  bool ascii = true;
  for (char c : word) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    const std::string w = ingest::AsciiLower(word);
    for (int m = 0; m < 12; ++m) {
      if (w == kEnglish[m]) return m + 1;
      if (w.size() == 3 && kEnglish[m].substr(0, 3) == w) return m + 1;
    }
    if (w == "sept") return 9;
    return 0;
  }
  std::string lower;
  icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(lower);
  for (int m = 0; m < 12; ++m)
    if (lower == kRussian[m]) return m + 1;
  return 0;
}

bool IsOrdinalSuffix(std::string_view w) {
  const std::string s = ingest::AsciiLower(w);
  return s == "st" || s == "nd" || s == "rd" || s == "th";
}

std::string Format(int y, int m, int d) {
  if (y < 1900 || y > 2099) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  std::int32_t v = 0;
  if (!ParseIsoDate(buf, &v)) return {};
  return buf;
}

bool IsPunct(const std::vector<Token>& t, std::size_t i, char c) {
  return i < t.size() && t[i].kind == Kind::kPunct && t[i].text.size() == 1 && t[i].text[0] == c;
}
bool IsNum(const std::vector<Token>& t, std::size_t i, std::size_t min_len, std::size_t max_len) {
  return i < t.size() && t[i].kind == Kind::kNum && t[i].text.size() >= min_len &&
         t[i].text.size() <= max_len;
}

// A year token: four digits, or two when `short_years` (old RSS dates).
int YearAt(const std::vector<Token>& t, std::size_t i, bool short_years) {
  if (IsNum(t, i, 4, 4)) return ToInt(t[i].text);
  if (short_years && IsNum(t, i, 2, 2)) return 2000 + ToInt(t[i].text);
  return -1;
}

// Tries every pattern at token i; "" when none gives a real date.
std::string DateAt(const std::vector<Token>& t, std::size_t i, bool short_years) {
  const Token& a = t[i];
  if (a.kind == Kind::kNum) {
    // 2025-06-12, 2025/06/12, 2025.06.12 (no spaces inside).
    if (a.text.size() == 4 && i + 4 < t.size() && t[i + 1].kind == Kind::kPunct &&
        (IsPunct(t, i + 1, '-') || IsPunct(t, i + 1, '/') || IsPunct(t, i + 1, '.')) &&
        IsNum(t, i + 2, 1, 2) && IsPunct(t, i + 3, t[i + 1].text[0]) && IsNum(t, i + 4, 1, 2) &&
        !t[i + 1].space_before && !t[i + 2].space_before && !t[i + 3].space_before &&
        !t[i + 4].space_before) {
      return Format(ToInt(a.text), ToInt(t[i + 2].text), ToInt(t[i + 4].text));
    }
    // 12.06.2025, 12/06/2025, 12-06-2025: day first.
    if (a.text.size() <= 2 && i + 4 < t.size() &&
        (IsPunct(t, i + 1, '.') || IsPunct(t, i + 1, '/') || IsPunct(t, i + 1, '-')) &&
        IsNum(t, i + 2, 1, 2) && IsPunct(t, i + 3, t[i + 1].text[0]) && IsNum(t, i + 4, 4, 4) &&
        !t[i + 1].space_before && !t[i + 2].space_before && !t[i + 3].space_before &&
        !t[i + 4].space_before) {
      return Format(ToInt(t[i + 4].text), ToInt(t[i + 2].text), ToInt(a.text));
    }
    // 12 June 2025, 12th June, 2025, 12-Jun-2025, 12 июня 2025 г.
    if (a.text.size() <= 2) {
      std::size_t j = i + 1;
      if (j < t.size() && t[j].kind == Kind::kWord && !t[j].space_before && IsOrdinalSuffix(t[j].text)) ++j;
      if (IsPunct(t, j, '-') || IsPunct(t, j, '.')) ++j;
      if (j < t.size() && t[j].kind == Kind::kWord) {
        const int month = MonthNumber(t[j].text);
        if (month > 0) {
          std::size_t k = j + 1;
          if (IsPunct(t, k, '.') && !t[k].space_before) ++k;
          if (IsPunct(t, k, '-') || IsPunct(t, k, ',')) ++k;
          const int year = YearAt(t, k, short_years);
          if (year > 0) return Format(year, month, ToInt(a.text));
        }
      }
    }
    return {};
  }
  if (a.kind == Kind::kWord) {
    // June 12, 2025; Jun. 12 2025; June 12th, 2025.
    const int month = MonthNumber(a.text);
    if (month == 0) return {};
    std::size_t j = i + 1;
    if (IsPunct(t, j, '.') && !t[j].space_before) ++j;
    if (!IsNum(t, j, 1, 2)) return {};
    const int day = ToInt(t[j].text);
    ++j;
    if (j < t.size() && t[j].kind == Kind::kWord && !t[j].space_before && IsOrdinalSuffix(t[j].text)) ++j;
    if (IsPunct(t, j, ',')) ++j;
    const int year = YearAt(t, j, short_years);
    if (year > 0) return Format(year, month, day);
  }
  return {};
}

std::string FirstDate(std::string_view text, bool short_years) {
  const std::vector<Token> tokens = Tokenize(text);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string d = DateAt(tokens, i, short_years);
    if (!d.empty()) return d;
  }
  return {};
}

}  // namespace

std::string DateFromText(std::string_view text) {
  // Datelines sit at the top: look there first so that a huge body is only
  // tokenized when the head has no date. The head is cut at a space so a
  // date is never split (one straddling the cut is found by the full pass).
  constexpr std::size_t kHead = 600;
  if (text.size() > kHead) {
    std::size_t cut = kHead;
    while (cut < text.size() && cut < kHead + 64 && !IsSpace(text[cut])) ++cut;
    std::string d = FirstDate(text.substr(0, cut), false);
    if (!d.empty()) return d;
  }
  return FirstDate(text, false);
}

std::string NormalizeDate(std::string_view value) {
  const std::string_view v = ingest::Trim(value);
  if (v.empty() || v.size() > 200) return {};
  // 20250612
  if (v.size() == 8 && IsNum(Tokenize(v), 0, 8, 8))
    return Format(ToInt(v.substr(0, 4)), ToInt(v.substr(4, 2)), ToInt(v.substr(6, 2)));
  // ISO 8601: 2025-06-12, 2025-06-12T10:15:00+05:00 (the date as written at
  // the source, not shifted to UTC).
  if (v.size() >= 10 && v[4] == '-' && v[7] == '-' &&
      (v.size() == 10 || v[10] == 'T' || v[10] == ' ' || v[10] == 't')) {
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (!IsDigit(v[i])) return {};
    return Format(ToInt(v.substr(0, 4)), ToInt(v.substr(5, 2)), ToInt(v.substr(8, 2)));
  }
  // RFC 822 ("Thu, 12 Jun 2025 10:15:00 +0000") and the free forms.
  return FirstDate(v, /*short_years=*/true);
}

}  // namespace dyad
