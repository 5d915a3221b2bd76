// Russian text analysis: tokens and sentences, with lower-cased, ё→е folded
// forms for dictionary lookup.
//
//   dyad::ru::Text t = dyad::ru::AnalyzeText("В. В. Путин прибыл в г. Ташкент. Он ...");
//   for (const dyad::SentenceSpan& s : t.sentences)
//     for (uint32_t i = s.first_token; i < s.end_token; ++i)
//       std::cout << t.Norm(t.tokens[i]) << "\n";          // "в", ".", "в", ".", "путин", ...
//
// Sentences end at . ! ? … unless the full stop closes an initial ("В."), a
// known abbreviation ("г.", "т.е.", "ул.", "им.", "тыс.") or is followed by
// a lower-case word; a blank line always ends a sentence. A Text does not
// own the analysed string: offsets are bytes into it, and the caller keeps
// it alive. Functions here are thread-safe (no shared state).
#ifndef DYAD_RUSSIAN_TEXT_H_
#define DYAD_RUSSIAN_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/text.h"

namespace dyad::ru {

enum class TokenKind : std::uint8_t { kWord, kNumber, kPunct, kSentenceEnd };

struct Token {
  std::uint32_t begin = 0;       // byte offsets into the analysed text
  std::uint32_t end = 0;
  std::uint32_t norm_begin = 0;  // into Text::norm_buffer
  std::uint16_t norm_size = 0;
  TokenKind kind = TokenKind::kWord;
  bool capitalized = false;      // first letter upper case
  bool all_caps = false;         // two or more letters, all upper case (МИД, РФ)
  std::uint8_t newlines_before = 0;  // capped at 2
};

struct Text {
  std::vector<Token> tokens;
  std::vector<SentenceSpan> sentences;  // SentenceSpan from dyad/text.h
  std::string norm_buffer;
  std::string_view Norm(const Token& t) const {
    return std::string_view(norm_buffer).substr(t.norm_begin, t.norm_size);
  }
};

// Splits `text` into tokens and sentences; never fails (invalid UTF-8 bytes
// are kept in offsets and folded to '?'). Reuses `out`'s buffers.
void AnalyzeTextInto(std::string_view text, Text* out, std::uint32_t max_sentence_tokens = 256);
Text AnalyzeText(std::string_view text);

// Lower case (ICU simple case mapping) with ё/Ё folded to е: "Мирзиёев" ->
// "мирзиеев". The form every Russian dictionary lookup uses.
std::string FoldWord(std::string_view word);

// True when most letters of `text` are Cyrillic (a fallback for language
// detection on short texts).
bool MostlyCyrillic(std::string_view text);

}  // namespace dyad::ru

#endif  // DYAD_RUSSIAN_TEXT_H_
