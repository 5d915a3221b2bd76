// Readers for `dyad ingest`: the places news really comes from, turned into
// clean UTF-8 documents with their metadata.
//
//   std::vector<dyad::ReaderError> errors;
//   dyad::ReaderOptions options;
//   dyad::ReadSource("feeds/ria.xml.gz", options,
//                    [&](dyad::RawDocument d) { ... }, &errors);
//
// Formats: plain text, HTML pages (article body only), JSON Lines, RSS 2.0
// and Atom feeds, Telegram Desktop channel exports (result.json), PETRARCH
// XML; any of them gzip-compressed. Readers never throw and never stop at a
// bad record: each problem goes to `errors` with the path (and line, item or
// record) and the reason, and the rest of the input is still read.
//
// Encodings: every reader returns UTF-8. HTML uses its <meta charset> /
// http-equiv, XML its declaration, and anything else ICU's detector, when
// the bytes are not valid UTF-8; the document's `encoding` then names the
// source charset. JSON is UTF-8 by spec, but a JSON Lines line that is not
// is converted (detection on that line) rather than rejected, and its
// document's `encoding` says so.
//
// Thread-safety: all functions are reentrant; none keeps global state.
#ifndef DYAD_READERS_H_
#define DYAD_READERS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"

namespace dyad {

enum class SourceFormat { kAuto, kText, kHtml, kJsonl, kFeed, kTelegram, kPetrarchXml };

// "text", "html", "jsonl", "feed" (RSS or Atom), "telegram", "petrarch";
// also accepts "rss" and "atom" for kFeed. False for anything else.
bool ParseSourceFormat(std::string_view name, SourceFormat* format);
const char* SourceFormatName(SourceFormat format);

// Where a document's date came from: never silently today's date.
enum class DateOrigin { kUnknown, kMetadata, kText };
const char* DateOriginName(DateOrigin origin);  // "unknown", "metadata", "text"

struct RawDocument {
  // Where it came from, for messages and the store: "path", "path:line"
  // (JSON Lines), "path#item 3" (feeds), "path#message 1234" (Telegram),
  // "path#sentence 3" (PETRARCH XML). Stdin is "<stdin>".
  std::string origin;
  std::string format;        // SourceFormatName() of the reader that made it
  std::string external_id;   // id/guid/message id from the source, "" if none
  std::string title;
  std::string url;           // Telegram: only when the export names a "username"
  std::string source;        // outlet or channel name, "" if unknown
  std::string text;          // UTF-8; paragraphs separated by "\n\n"
  std::string date;          // YYYY-MM-DD, or "" when unknown
  DateOrigin date_origin = DateOrigin::kUnknown;
  std::string lang;          // ISO 639-1 ("en", "ru"), "" when undetermined
  std::string encoding;      // the input's encoding when it was not UTF-8 ("windows-1251")
};

struct ReaderOptions {
  SourceFormat format = SourceFormat::kAuto;  // auto: by extension, then by content
  // Whole-file formats (HTML, feeds, Telegram, PETRARCH XML, text) larger
  // than this are refused with a clear error; JSON Lines is streamed, so
  // only one line is held at a time and each line is capped by
  // max_document_bytes.
  std::size_t max_file_bytes = 64u << 20;
  std::size_t max_document_bytes = 8u << 20;
};

struct ReaderError {
  std::string where;    // "path", "path:line", "path#item 3"
  std::string message;
};

// Reads one file ("-" is stdin) and calls `sink` for every document, in
// input order. Returns non-OK only when the file yields nothing at all --
// missing, unreadable, empty, binary, over max_file_bytes, malformed XML or
// JSON, HTML without article text -- and that error is also the one entry
// in `errors`. Bad records inside a readable file (and a gzip error after
// some JSON Lines were read) are only in `errors`. Service messages and
// caption-less media posts in Telegram exports are skipped silently.
Status ReadSource(const std::string& path, const ReaderOptions& options,
                  const std::function<void(RawDocument)>& sink,
                  std::vector<ReaderError>* errors);

// Expands files and directories (recursively; hidden files and directories
// skipped) into a sorted list of files. "-" is kept as is. Unreadable or
// missing paths go to `errors`.
std::vector<std::string> ListInputFiles(const std::vector<std::string>& paths,
                                        std::vector<ReaderError>* errors);

// The format of `path` guessed from its name (".html", ".jsonl", ".xml.gz",
// "result.json", ...) and, when the name says nothing, from its first bytes.
SourceFormat DetectFormat(const std::string& path, std::string_view head);

// --- Building blocks, exposed for tests and other front ends. ---

// Bytes in an unknown encoding -> UTF-8. `declared` is a charset named by
// the input (HTTP header, <meta charset>, XML declaration), "" if none.
// Valid UTF-8 is returned unchanged (minus a BOM) and `*encoding` is set to
// ""; otherwise `declared` when ICU knows it, else ICU's detector, picks the
// encoding and `*encoding` is set to its lower-case IANA/MIME name
// ("windows-1251", "koi8-r", "iso-8859-1"). `encoding` may be null.
Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view declared,
                                  std::string* encoding);

// ISO 639-1 code of the text's language (CLD2), "" when under 20 letters,
// not valid UTF-8, or CLD2 is not sure.
std::string DetectLanguage(std::string_view utf8_text, bool is_html = false);

// The first publication-like date in the text: "Jun 12, 2025",
// "12 June 2025", "June 12, 2025", "2025-06-12", "12.06.2025", "12/06/2025"
// (day first), Russian "12 июня 2025". "" when none is found. Impossible
// dates (31.02.2025) are skipped; the clock is never consulted.
std::string DateFromText(std::string_view text);

// RFC 822 (RSS pubDate), ISO 8601 and a few common variants -> YYYY-MM-DD,
// "" when invalid. A timestamp's date is taken as written (no shift to UTC).
std::string NormalizeDate(std::string_view value);

struct HtmlArticle {
  std::string title;
  std::string text;       // body paragraphs, "\n\n" between them
  std::string url;        // canonical or og:url
  std::string date;       // YYYY-MM-DD from metadata (meta/time/JSON-LD)
  std::string site;       // og:site_name
  std::string lang;       // <html lang>
  std::string charset;    // <meta charset> / http-equiv, "" if none
};
// The article in a page: navigation, headers, footers, scripts, forms,
// comments ("Post a Comment"), share widgets and sidebars dropped; <h1> is
// the title, not text. `html` must be UTF-8 (see ConvertToUtf8). A page whose
// tags nest over 2000 deep is not parsed (empty result).
HtmlArticle ExtractArticle(std::string_view html);

}  // namespace dyad

#endif  // DYAD_READERS_H_
