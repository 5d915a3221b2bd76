// Private helpers of the Russian morphology: the dictionary files key words
// in Windows-1251 (one byte a letter), so the analyser works on lower-case
// cp1251 byte strings and converts to and from UTF-8 at its edges.
#ifndef DYAD_RUSSIAN_MORPHOLOGY_TEXT_H_
#define DYAD_RUSSIAN_MORPHOLOGY_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace dyad::ru::morph {

// cp1251 letters the analyser treats specially.
inline constexpr unsigned char kCpYe = 0xE5;      // е
inline constexpr unsigned char kCpYo = 0xB8;      // ё
inline constexpr unsigned char kCpHyphen = '-';

// What EncodeWord found in its input.
struct Encoded {
  std::string text;            // lower case cp1251
  bool has_cyrillic = false;   // at least one letter U+0400..U+04FF
  bool capitalised = false;    // first letter upper case
  bool all_upper = false;      // every letter upper case (an abbreviation)
  bool ok = true;              // false: bad UTF-8 or a character cp1251 lacks
};

// UTF-8 -> lower case cp1251. Drops stress marks (U+0300, U+0301) and soft
// hyphens; maps the Unicode hyphens and non-breaking hyphen to '-'; when the
// word has Cyrillic letters and all its Latin letters look like Cyrillic ones
// ("Mинистр" typed with a Latin M), maps them to their Cyrillic twins.
Encoded EncodeWord(std::string_view utf8);

// cp1251 -> UTF-8, appended to `out`.
void AppendUtf8(std::string_view cp1251, std::string* out);
inline std::string ToUtf8(std::string_view cp1251) {
  std::string out;
  AppendUtf8(cp1251, &out);
  return out;
}

// UTF-8 -> cp1251 exactly (no case folding); false when a character has no
// cp1251 byte or the UTF-8 is bad. For the dictionary's own strings.
bool ToCp1251(std::string_view utf8, std::string* out);

}  // namespace dyad::ru::morph

#endif  // DYAD_RUSSIAN_MORPHOLOGY_TEXT_H_
