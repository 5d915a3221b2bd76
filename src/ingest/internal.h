// Private helpers shared by the readers in src/ingest/. Not installed.
//
// The dispatcher (formats.cc) opens a file, checks size/emptiness/binary,
// picks a format and either streams it (JSON Lines) or reads the whole file
// (every other format) and hands the bytes to one of the Read*Bytes()
// functions below. Each of those reports its own record-level problems to
// `errors` and returns non-OK only when the whole file is unusable (the
// error is then already in `errors`).
#ifndef DYAD_SRC_INGEST_INTERNAL_H_
#define DYAD_SRC_INGEST_INTERNAL_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/readers.h"

namespace dyad::ingest {

using Sink = std::function<void(RawDocument)>;

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view bytes);

// Drops a leading UTF-8 byte order mark.
std::string_view StripUtf8Bom(std::string_view bytes);

// Collapses runs of ASCII whitespace and NBSP into one space and trims.
std::string CollapseWhitespace(std::string_view text);

// Trims ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

// ASCII lower-casing.
std::string AsciiLower(std::string_view s);

// "en-US" -> "en"; "" for anything that is not a language tag.
std::string NormalizeLangTag(std::string_view tag);

// Sets doc->lang by detection when it is still empty, and doc->date from the
// text (DateOrigin::kText) when it is still empty.
void FillDerivedFields(RawDocument* doc);

// True when the page's tags nest too deep for gumbo to parse in reasonable
// time (a cheap scan; over-estimates, never under-estimates).
bool TooDeepToParse(std::string_view html);

// Text of an HTML fragment (a feed item's description, an Atom content
// element): block elements become paragraphs separated by "\n\n", scripts
// and styles dropped, entities decoded. Input must be UTF-8.
std::string HtmlFragmentToText(std::string_view html);

// The encoding named by <meta charset> / http-equiv in the first bytes of a
// page, found without parsing (the bytes may not be UTF-8 yet). "" if none.
std::string SniffHtmlCharset(std::string_view bytes);

// 1-based line number of byte `offset` in `text`.
int LineOfOffset(std::string_view text, std::size_t offset);

// Whole-file readers. `bytes` is the complete (decompressed) file content.
Status ReadTextBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors);
Status ReadHtmlBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors);
// `keep_linked_without_text`: items with a link but no text are passed on
// (with empty text) for the caller to fetch, instead of being an error.
Status ReadFeedBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors, bool keep_linked_without_text = false);
Status ReadTelegramBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                         std::vector<ReaderError>* errors);
Status ReadPetrarchBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                         std::vector<ReaderError>* errors);

// Parses one JSON Lines record. `where` is "path:line". Returns false (and
// appends to `errors`) when the line is rejected.
bool ParseJsonlRecord(const std::string& where, std::string_view line, RawDocument* doc,
                      std::vector<ReaderError>* errors);

// Reports `message` at `where` and returns it as a Status with `code`.
Status Fail(StatusCode code, const std::string& where, const std::string& message,
            std::vector<ReaderError>* errors);

}  // namespace dyad::ingest

#endif  // DYAD_SRC_INGEST_INTERNAL_H_
