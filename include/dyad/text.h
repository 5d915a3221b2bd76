// Text analysis: tokens and sentences over one document's text.
//
//   dyad::AnalyzedText doc = dyad::Analyze(text);
//   for (const dyad::SentenceSpan& s : doc.sentences)
//     for (uint32_t i = s.first_token; i < s.end_token; ++i)
//       std::cout << doc.Norm(doc.tokens[i]) << "\n";
//
// The AnalyzedText does not own the input text: token offsets are byte
// offsets into it, and the caller keeps the text alive while using them.
// Normalised forms (lower case, typographic quotes and dashes folded to
// ASCII) live in AnalyzedText::norm_buffer.
#ifndef DYAD_TEXT_H_
#define DYAD_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"

namespace dyad {

// Coarse word classes from a closed-class lexicon and spelling; enough for
// the shallow parse the coder needs, not a part-of-speech tagger.
enum class WordClass : std::uint8_t {
  kWord,        // open class: noun, verb, adjective, name
  kNumber,
  kPunct,       // , ; : ( ) " - ...
  kSentenceEnd, // . ! ?
  kDeterminer,  // the a an this its their ...
  kPreposition, // of in on by with ...
  kConjunction, // and or but nor
  kBe,          // is are was were be been being am
  kHave,        // has have had having
  kDo,          // do does did
  kModal,       // will would can could may might must shall should
  kNegation,    // not n't never
  kPronoun,     // he she it they we ...
  kRelative,    // who which that whom whose
  kSubordinator,// while although because if when whereas since
  kPossessive,  // 's '
  kAdverb,      // -ly words and a few others
};

struct Token {
  std::uint32_t begin = 0;       // byte offset into the document text
  std::uint32_t end = 0;         // one past the last byte
  std::uint32_t norm_begin = 0;  // offset into AnalyzedText::norm_buffer
  std::uint16_t norm_size = 0;
  std::uint8_t newlines_before = 0;  // line breaks between this and previous token (capped)
  WordClass word_class = WordClass::kWord;
  bool capitalized = false;      // first character is an upper-case letter
};

struct SentenceSpan {
  std::uint32_t first_token = 0;
  std::uint32_t end_token = 0;   // one past the last token
  std::uint32_t begin = 0;       // byte offsets of the sentence in the text
  std::uint32_t end = 0;
};

struct AnalyzeOptions {
  // Longer sentences are cut into pieces of this many tokens so that a
  // pathological "sentence" (a 1 MB line with no full stop) stays linear.
  std::uint32_t max_sentence_tokens = 256;
  // Treat the whole text as one sentence (PETRARCH records with
  // sentence="true", `dyad explain`).
  bool single_sentence = false;
};

struct AnalyzedText {
  std::vector<Token> tokens;
  std::vector<SentenceSpan> sentences;
  std::string norm_buffer;

  std::string_view Norm(const Token& t) const {
    return std::string_view(norm_buffer).substr(t.norm_begin, t.norm_size);
  }
};

// Splits `text` into tokens and sentences. Never fails: bytes that are not
// valid UTF-8 are kept in offsets and folded to '?' in normalised forms.
AnalyzedText Analyze(std::string_view text, const AnalyzeOptions& options = {});

// Re-analyses into `out`, reusing its buffers (no allocation in steady state).
void AnalyzeInto(std::string_view text, const AnalyzeOptions& options,
                 AnalyzedText* out);

// OK if `text` is valid UTF-8; otherwise names the byte offset of the
// first invalid sequence.
Status ValidateUtf8(std::string_view text);

const char* WordClassName(WordClass c);

}  // namespace dyad

#endif  // DYAD_TEXT_H_
