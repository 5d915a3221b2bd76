// UTF-8 <-> Windows-1251 for the Russian morphology (morphology_text.h).
#include "russian/morphology_text.h"

#include <array>
#include <cstddef>

namespace dyad::ru::morph {
namespace {

// Code points of cp1251 bytes 0x80..0xFF (0 for the one unassigned byte).
constexpr std::array<char32_t, 128> kHighHalf = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
};

// The cp1251 byte of a code point, or -1. А..я are contiguous in both.
int ByteOf(char32_t c) {
  if (c < 0x80) return static_cast<int>(c);
  if (c >= 0x0410 && c <= 0x044F) return static_cast<int>(c - 0x0410 + 0xC0);
  for (std::size_t i = 0; i < 64; ++i) {
    if (kHighHalf[i] == c && c != 0) return static_cast<int>(0x80 + i);
  }
  return -1;
}

// Lower case of a code point, for the letters cp1251 has.
char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0x0410 && c <= 0x042F) return c + 32;      // А..Я
  if (c >= 0x0400 && c <= 0x040F) return c + 80;      // Ѐ..Џ (Ё, Ў, Є, ...)
  if (c == 0x0490) return 0x0491;                     // Ґ
  return c;
}

bool IsUpper(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 0x0400 && c <= 0x042F) || c == 0x0490;
}
bool IsLetter(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0x0400 && c <= 0x04FF);
}

// The Cyrillic letter a lower-case Latin one is mistaken for, or 0.
char32_t CyrillicTwin(char32_t c) {
  switch (c) {
    case 'a': return 0x0430;  // а
    case 'b': return 0x0432;  // в (from upper B)
    case 'c': return 0x0441;  // с
    case 'e': return 0x0435;  // е
    case 'h': return 0x043D;  // н (from upper H)
    case 'k': return 0x043A;  // к
    case 'm': return 0x043C;  // м (from upper M)
    case 'o': return 0x043E;  // о
    case 'p': return 0x0440;  // р
    case 't': return 0x0442;  // т (from upper T)
    case 'x': return 0x0445;  // х
    case 'y': return 0x0443;  // у
    default: return 0;
  }
}

// Decodes one UTF-8 sequence at s[*i]; returns false on bad UTF-8.
bool Decode(std::string_view s, std::size_t* i, char32_t* out) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  std::size_t n = 0;
  char32_t c = 0;
  if (b0 < 0x80) { *out = b0; ++*i; return true; }
  if ((b0 & 0xE0) == 0xC0) { n = 1; c = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { n = 2; c = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { n = 3; c = b0 & 0x07; }
  else return false;
  if (*i + n >= s.size()) return false;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) return false;
    c = (c << 6) | (b & 0x3F);
  }
  *i += n + 1;
  *out = c;
  return true;
}

void AppendCodePoint(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace

Encoded EncodeWord(std::string_view utf8) {
  Encoded e;
  e.text.reserve(utf8.size());
  bool first_letter = true;
  bool any_letter = false;
  bool every_upper = true;
  bool latin_twins_only = true;
  bool has_latin = false;
  std::u32string lowered;
  lowered.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    if (!Decode(utf8, &i, &c)) { e.ok = false; return e; }
    if (c == 0x0300 || c == 0x0301 || c == 0x00AD) continue;   // stress, soft hyphen
    if (c == 0x2010 || c == 0x2011) c = '-';
    if (IsLetter(c)) {
      const bool upper = IsUpper(c);
      if (first_letter) e.capitalised = upper;
      first_letter = false;
      any_letter = true;
      every_upper = every_upper && upper;
      if (c >= 0x0400 && c <= 0x04FF) e.has_cyrillic = true;
    }
    c = Lower(c);
    if (c >= 'a' && c <= 'z') {
      has_latin = true;
      if (CyrillicTwin(c) == 0) latin_twins_only = false;
    }
    lowered.push_back(c);
  }
  e.all_upper = any_letter && every_upper;
  const bool map_twins = e.has_cyrillic && has_latin && latin_twins_only;
  for (char32_t c : lowered) {
    if (map_twins && c >= 'a' && c <= 'z') c = CyrillicTwin(c);
    const int b = ByteOf(c);
    if (b <= 0) { e.ok = false; return e; }
    e.text.push_back(static_cast<char>(b));
  }
  return e;
}

void AppendUtf8(std::string_view cp1251, std::string* out) {
  for (char ch : cp1251) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out->push_back(ch);
    } else if (b >= 0xC0) {
      AppendCodePoint(0x0410 + (b - 0xC0), out);
    } else {
      AppendCodePoint(kHighHalf[b - 0x80] ? kHighHalf[b - 0x80] : 0xFFFD, out);
    }
  }
}

bool ToCp1251(std::string_view utf8, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t c = 0;
    if (!Decode(utf8, &i, &c)) return false;
    const int b = ByteOf(c);
    if (b < 0) return false;
    out->push_back(static_cast<char>(b));
  }
  return true;
}

}  // namespace dyad::ru::morph
