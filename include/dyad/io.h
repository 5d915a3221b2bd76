// Reading documents for `dyad code` and writing events as JSON Lines or TSV.
//
//   std::vector<dyad::ReadError> errors;
//   dyad::ReadDocuments("news.jsonl", {}, [&](dyad::Document d) { ... }, &errors);
//
// Readers never throw: a bad record is reported in `errors` with its file
// and line and the rest of the input is still read.
#ifndef DYAD_IO_H_
#define DYAD_IO_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "dyad/coder.h"
#include "dyad/status.h"

namespace dyad {

enum class InputFormat { kAuto, kText, kJsonl };

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;  // auto: ".jsonl"/".ndjson" -> JSONL, else text
  std::string default_date;                 // YYYY-MM-DD for documents without one
  size_t max_document_bytes = 64u << 20;    // larger documents are refused
};

struct ReadError {
  std::string where;    // "file:line" or "file"
  std::string message;
};

// Reads `path` ("-" for stdin) and calls `sink` for every document.
// Returns a non-OK Status only when the input cannot be opened at all.
Status ReadDocuments(const std::string& path, const ReadOptions& options,
                     const std::function<void(Document)>& sink,
                     std::vector<ReadError>* errors);

// Parses one JSON Lines record ({"id","date","text",...}).
Result<Document> ParseJsonDocument(std::string_view line, const std::string& default_date);

// One event as a JSON object on one line (no trailing newline).
std::string EventToJson(const Event& e);
// The TSV header and one row.
std::string EventTsvHeader();
std::string EventToTsv(const Event& e);

}  // namespace dyad

#endif  // DYAD_IO_H_
