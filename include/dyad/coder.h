// The event coder: raw English text in, CAMEO events with evidence out.
//
//   auto dict = dyad::Dictionary::LoadDirectory("data/dict").value();
//   auto coder = dyad::Coder::Create(dict, {}).value();
//   dyad::Document doc{.id = "d1", .date = "2025-06-12", .text = "..."};
//   for (const dyad::Event& e : coder->CodeDocument(doc))
//     std::cout << e.source << " " << e.code << " " << e.target << "\n";
//
// A Coder is immutable after Create() and CodeDocument() is const and
// thread-safe: per-call scratch space is local to the call. The returned
// events own their strings; offsets point into Document::text.
#ifndef DYAD_CODER_H_
#define DYAD_CODER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dyad/dictionary.h"
#include "dyad/status.h"
#include "dyad/text.h"

namespace dyad {

class CameoTable;

struct Document {
  std::string id;
  std::string date;   // YYYY-MM-DD, or empty when unknown
  std::string text;
  std::string url;
  std::string title;
  std::string source;
  // ISO 639-1 language of `text`: "en", "ru"; "" = detect (CLD2, then the
  // share of Cyrillic letters) when the Coder has a coder for another
  // language, else English.
  std::string language = "";
};

struct Span {
  std::uint32_t begin = 0;  // byte offsets into Document::text
  std::uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

struct Event {
  std::string doc_id;
  std::string date;          // YYYY-MM-DD or empty
  std::string source;        // CAMEO actor code, e.g. "RUSCOP"
  std::string target;
  std::string code;          // CAMEO event code, 3-4 digits
  std::string root;          // first two digits
  int quad_class = 0;        // 0 when the code is not in the CAMEO table
  double goldstein = 0;
  bool has_goldstein = false;
  std::string plover;
  // Evidence.
  std::uint32_t sentence_index = 0;
  std::string sentence;
  Span sentence_span, source_span, target_span, verb_span;
  std::string source_text, target_text, verb_text;
  std::string pattern;       // the pattern line, or "default" for a block code
  std::string pattern_origin;// file:line of the pattern or verb block
  std::vector<std::string> entries;  // dictionary entries used, "file:line NAME"
  std::string modality;      // "intent" when a plan/intent verb rewrote the code
  std::vector<std::string> issues;

  bool operator==(const Event&) const = default;
};

struct CoderOptions {
  // Emit events only when both source and target are known (PETRARCH's
  // require_dyad): events with an unknown side are dropped.
  bool require_dyad = true;
  // Rewrite the code of an action announced with an intent verb ("plans to
  // visit") to CAMEO's "express intent" family (03x) or threat family (13x).
  bool intent_to_03 = true;
  // Keep only the first event per (source, target, code) in a document:
  // duplicated paragraphs and repeated sentences count once.
  bool dedupe_document = true;
  // Treat the whole text as one sentence (PETRARCH records).
  bool single_sentence = false;
};

// Step-by-step account of how a text was coded, for `dyad explain`.
struct Trace {
  std::vector<std::string> lines;
};

// A coder for one more language (the Russian coder, dyad/russian_coder.h),
// plugged into a Coder: documents in that language are routed to it.
class LanguageCoder {
 public:
  virtual ~LanguageCoder() = default;
  virtual std::vector<Event> CodeDocument(const Document& doc, Trace* trace = nullptr,
                                          std::vector<SentenceSpan>* sentences = nullptr) const = 0;
};

class Coder {
 public:
  static Result<std::unique_ptr<Coder>> Create(std::shared_ptr<const Dictionary> dictionary,
                                               CoderOptions options);
  // The same, with `russian` coding the documents whose language is "ru"
  // (given, or detected when Document::language is "").
  static Result<std::unique_ptr<Coder>> Create(std::shared_ptr<const Dictionary> dictionary,
                                               CoderOptions options,
                                               std::shared_ptr<const LanguageCoder> russian);
  ~Coder();

  // The language a document is coded as: "ru" when it says so (or is
  // detected as Russian) and a Russian coder is attached, else "en".
  std::string LanguageOf(const Document& doc) const;
  bool has_russian() const { return russian_ != nullptr; }

  // `sentences`, when given, receives the document's sentence spans (the
  // ones Event::sentence_index refers to), so a caller storing sentences
  // does not split the text a second time.
  std::vector<Event> CodeDocument(const Document& doc, Trace* trace = nullptr,
                                  std::vector<SentenceSpan>* sentences = nullptr) const;

  // Counts from the last calls are not kept: a Coder has no mutable state.
  const CoderOptions& options() const { return options_; }
  const Dictionary& dictionary() const { return *dictionary_; }

 private:
  Coder(std::shared_ptr<const Dictionary> dictionary, CoderOptions options);
  std::shared_ptr<const Dictionary> dictionary_;
  CoderOptions options_;
  const CameoTable* cameo_;
  std::shared_ptr<const LanguageCoder> russian_;
};

// "2025-06-12" -> 20250612; false for anything that is not a real date.
bool ParseIsoDate(const std::string& s, std::int32_t* yyyymmdd);

}  // namespace dyad

#endif  // DYAD_CODER_H_
