// ReadSource: open (through zlib, so .gz and plain files read the same way),
// check, pick a format, dispatch. Also the plain-text and JSON Lines readers
// and the file listing.
//
// Order of checks for a file: missing/unreadable -> empty (stat size 0, or
// nothing after decompression) -> format (name, then the first 4 KB) ->
// over max_file_bytes for whole-file formats (stat size first, so a huge
// file is refused without reading it; for .gz, decompression stops at the
// limit) -> binary (NULs or control bytes in the first 4 KB). JSON
// Lines is streamed in 64 KB chunks, one line held at a time.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/readers.h"
#include "ingest/internal.h"

namespace dyad {
namespace ingest {

Status Fail(StatusCode code, const std::string& where, const std::string& message,
            std::vector<ReaderError>* errors) {
  if (errors != nullptr) errors->push_back({where, message});
  return Status(code, message, where);
}

int LineOfOffset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

void FillDerivedFields(RawDocument* doc) {
  if (doc->lang.empty()) doc->lang = DetectLanguage(doc->text);
  if (doc->date.empty()) {
    doc->date = DateFromText(doc->text);
    doc->date_origin = doc->date.empty() ? DateOrigin::kUnknown : DateOrigin::kText;
  }
}

namespace {

std::string Lower(std::string_view s) { return AsciiLower(s); }

bool EndsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

// The head without a BOM and leading whitespace, lower-cased (first 4 KB).
std::string SniffPrefix(std::string_view head) {
  head = StripUtf8Bom(head);
  const auto b = head.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return Lower(head.substr(b, 4096));
}

bool LooksLikeTelegram(const std::string& prefix) {
  return prefix.starts_with("{") && prefix.find("\"messages\"") != std::string::npos &&
         prefix.find("\"type\"") != std::string::npos;
}

// Text in any charset has no NULs and next to no C0 controls; binary data
// (images, PDFs, archives, random bytes) has plenty.
bool LooksBinary(std::string_view head) {
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) return false;  // UTF-16/32 BOM
  std::size_t control = 0;
  for (unsigned char c : head) {
    if (c == 0) return true;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) ||
        c == 0x7F)
      ++control;
  }
  return control * 50 > head.size();  // over 2%
}

bool IsStreamed(SourceFormat f) { return f == SourceFormat::kJsonl; }

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzPtr = std::unique_ptr<gzFile_s, GzCloser>;

// Reads up to `want` bytes (less at end of file). False on a gzip error,
// with the reason in *error.
bool GzReadSome(gzFile f, std::size_t want, std::string* out, std::string* error) {
  const std::size_t old = out->size();
  out->resize(old + want);
  std::size_t got = 0;
  while (got < want) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(want - got, 1u << 20));
    const int n = gzread(f, out->data() + old + got, chunk);
    if (n < 0) break;
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out->resize(old + got);
  int err = Z_OK;
  const char* msg = gzerror(f, &err);
  if (err != Z_OK && err != Z_STREAM_END) {
    if (err == Z_ERRNO) {
      *error = std::string("read error: ") + std::strerror(errno);
    } else {
      *error = std::string("gzip: ") + (msg != nullptr && *msg ? msg : "corrupt data");
      if (err == Z_BUF_ERROR) *error = "gzip: unexpected end of file (truncated archive)";
    }
    return false;
  }
  return true;
}

std::string SizeMessage(std::uint64_t size, std::size_t limit) {
  return "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(limit) +
         " bytes (max_file_bytes)";
}

// Streams JSON Lines from `head` and then the rest of `f`.
Status ReadJsonlStream(const std::string& path, gzFile f, std::string head, const ReaderOptions& options,
                       const Sink& sink, std::vector<ReaderError>* errors) {
  constexpr std::size_t kChunk = 64 << 10;
  std::string line;          // the current, incomplete line
  std::size_t skipped = 0;   // bytes of an over-long line being skipped
  bool skipping = false;
  std::int64_t line_no = 0;
  std::size_t lines_read = 0;

  auto finish_line = [&](std::string_view text) {
    ++line_no;
    ++lines_read;
    const std::string where = path + ":" + std::to_string(line_no);
    if (skipping) {
      const std::size_t size = skipped + text.size();
      errors->push_back({where, "line is " + std::to_string(size) + " bytes, over the limit of " +
                                    std::to_string(options.max_document_bytes) +
                                    " bytes (max_document_bytes)"});
      skipping = false;
      skipped = 0;
      return;
    }
    if (line_no == 1) text = StripUtf8Bom(text);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (Trim(text).empty()) return;
    RawDocument doc;
    if (ParseJsonlRecord(where, text, &doc, errors)) sink(std::move(doc));
  };

  auto consume = [&](std::string_view data) {
    while (!data.empty()) {
      const std::size_t nl = data.find('\n');
      const std::string_view part = data.substr(0, nl);
      if (skipping) {
        skipped += part.size();
      } else if (line.size() + part.size() > options.max_document_bytes) {
        skipping = true;
        skipped = line.size() + part.size();
        line.clear();
        line.shrink_to_fit();
      } else {
        line.append(part);
      }
      if (nl == std::string_view::npos) return;
      if (skipping) {
        finish_line({});
      } else {
        finish_line(line);
        line.clear();
      }
      data.remove_prefix(nl + 1);
    }
  };

  consume(head);
  head.clear();
  std::string chunk;
  std::string error;
  bool ok = true;
  while (true) {
    chunk.clear();
    ok = GzReadSome(f, kChunk, &chunk, &error);
    consume(chunk);
    if (!ok || chunk.empty()) break;
  }
  if (!line.empty() || skipping) finish_line(line);  // a last line without "\n"
  if (!ok) {
    errors->push_back({path, error});
    if (lines_read == 0) return Status(StatusCode::kCorruption, error, path);
  }
  return Status::Ok();
}

}  // namespace

bool ParseJsonlRecord(const std::string& where, std::string_view line, RawDocument* doc,
                      std::vector<ReaderError>* errors) {
  // JSON is UTF-8 by spec, but exports from old tools are sometimes in a
  // legacy charset: such a line is converted (ICU detection on the line)
  // and the document's `encoding` says what it was.
  std::string converted;
  if (!IsValidUtf8(line)) {
    Result<std::string> utf8 = ConvertToUtf8(line, "", &doc->encoding);
    if (!utf8.ok()) {
      errors->push_back({where, "not UTF-8: " + utf8.status().message()});
      return false;
    }
    converted = std::move(*utf8);
    line = converted;
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    std::string reason = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
    const auto colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    errors->push_back({where, "not valid JSON (at byte " + std::to_string(e.byte) + ": " + reason + ")"});
    return false;
  } catch (const std::exception& e) {
    errors->push_back({where, std::string("not valid JSON (") + e.what() + ")"});
    return false;
  }
  if (!j.is_object()) {
    errors->push_back({where, "not a JSON object"});
    return false;
  }
  auto text = j.find("text");
  if (text == j.end() || !text->is_string()) {
    errors->push_back({where, "no \"text\" string"});
    return false;
  }
  doc->text = text->get<std::string>();
  if (Trim(doc->text).empty()) {
    errors->push_back({where, "empty \"text\""});
    return false;
  }
  auto field = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
    return {};
  };
  doc->origin = where;
  doc->format = SourceFormatName(SourceFormat::kJsonl);
  doc->external_id = field("id");
  doc->title = field("title");
  doc->url = field("url");
  doc->source = field("source");
  doc->lang = NormalizeLangTag(field("lang"));
  const std::string date = field("date");
  if (!date.empty()) {
    doc->date = NormalizeDate(date);
    if (doc->date.empty()) {
      errors->push_back(
          {where, "invalid date \"" + date + "\" (want YYYY-MM-DD, YYYYMMDD or an ISO timestamp)"});
      return false;
    }
    doc->date_origin = DateOrigin::kMetadata;
  }
  FillDerivedFields(doc);
  return true;
}

Status ReadTextBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                     std::vector<ReaderError>* errors) {
  std::string encoding;
  Result<std::string> utf8 = ConvertToUtf8(bytes, "", &encoding);
  if (!utf8.ok()) return Fail(StatusCode::kInvalidArgument, path, utf8.status().message(), errors);
  // Line ends to "\n"; blank-line runs (spaces allowed) to one "\n\n".
  std::string text;
  text.reserve(utf8->size());
  const std::string& in = *utf8;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t e = in.find_first_of("\r\n", i);
    if (e == std::string::npos) e = in.size();
    std::string_view line(in.data() + i, e - i);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) {
      if (!text.empty() && !text.ends_with("\n\n")) text += '\n';
    } else {
      if (!text.empty() && !text.ends_with('\n')) text += '\n';
      text += line;
      text += '\n';
    }
    if (e < in.size() && in[e] == '\r' && e + 1 < in.size() && in[e + 1] == '\n') ++e;
    i = e + 1;
  }
  while (!text.empty() && (text.back() == '\n')) text.pop_back();
  if (Trim(text).empty()) return Fail(StatusCode::kInvalidArgument, path, "no text", errors);

  RawDocument doc;
  doc.origin = path;
  doc.format = SourceFormatName(SourceFormat::kText);
  // A short first line without a final period is a headline.
  const std::string_view first = Trim(std::string_view(text).substr(0, text.find('\n')));
  if (text.find('\n') != std::string::npos && first.size() >= 3 && first.size() <= 150 &&
      first.back() != '.' && first.back() != ',' && first.back() != ':' && DateFromText(first).empty())
    doc.title = std::string(first);
  doc.text = std::move(text);
  doc.encoding = std::move(encoding);
  FillDerivedFields(&doc);
  sink(std::move(doc));
  return Status::Ok();
}

}  // namespace ingest

bool ParseSourceFormat(std::string_view name, SourceFormat* format) {
  const std::string n = ingest::AsciiLower(name);
  SourceFormat f;
  if (n == "auto") f = SourceFormat::kAuto;
  else if (n == "text" || n == "txt") f = SourceFormat::kText;
  else if (n == "html") f = SourceFormat::kHtml;
  else if (n == "jsonl" || n == "ndjson") f = SourceFormat::kJsonl;
  else if (n == "feed" || n == "rss" || n == "atom") f = SourceFormat::kFeed;
  else if (n == "telegram") f = SourceFormat::kTelegram;
  else if (n == "petrarch" || n == "petrarch-xml") f = SourceFormat::kPetrarchXml;
  else return false;
  if (format != nullptr) *format = f;
  return true;
}

const char* SourceFormatName(SourceFormat format) {
  switch (format) {
    case SourceFormat::kAuto: return "auto";
    case SourceFormat::kText: return "text";
    case SourceFormat::kHtml: return "html";
    case SourceFormat::kJsonl: return "jsonl";
    case SourceFormat::kFeed: return "feed";
    case SourceFormat::kTelegram: return "telegram";
    case SourceFormat::kPetrarchXml: return "petrarch";
  }
  return "auto";
}

const char* DateOriginName(DateOrigin origin) {
  switch (origin) {
    case DateOrigin::kUnknown: return "unknown";
    case DateOrigin::kMetadata: return "metadata";
    case DateOrigin::kText: return "text";
  }
  return "unknown";
}

SourceFormat DetectFormat(const std::string& path, std::string_view head) {
  using namespace ingest;
  std::string name = Lower(std::filesystem::path(path).filename().string());
  if (EndsWith(name, ".gz")) name.resize(name.size() - 3);
  else if (EndsWith(name, ".gzip")) name.resize(name.size() - 5);
  const std::string prefix = SniffPrefix(head);
  const std::string ext = [&] {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? std::string() : name.substr(dot);
  }();
  if (ext == ".txt" || ext == ".text") return SourceFormat::kText;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml" || ext == ".shtml") return SourceFormat::kHtml;
  if (ext == ".jsonl" || ext == ".ndjson") return SourceFormat::kJsonl;
  if (ext == ".rss" || ext == ".atom" || ext == ".rdf") return SourceFormat::kFeed;
  if (name == "result.json") return SourceFormat::kTelegram;
  if (ext == ".json") return LooksLikeTelegram(prefix) ? SourceFormat::kTelegram : SourceFormat::kJsonl;
  if (ext == ".xml") {
    return prefix.find("<sentences") != std::string::npos ? SourceFormat::kPetrarchXml
                                                          : SourceFormat::kFeed;
  }
  // The name says nothing: look at the content.
  if (prefix.starts_with("<")) {
    if (prefix.starts_with("<!doctype html") || prefix.find("<html") != std::string::npos ||
        prefix.find("<body") != std::string::npos || prefix.find("<head") != std::string::npos)
      return SourceFormat::kHtml;
    if (prefix.find("<sentences") != std::string::npos) return SourceFormat::kPetrarchXml;
    if (prefix.find("<rss") != std::string::npos || prefix.find("<feed") != std::string::npos ||
        prefix.find("<rdf:rdf") != std::string::npos)
      return SourceFormat::kFeed;
    return SourceFormat::kHtml;  // some markup: the HTML reader copes with fragments
  }
  if (prefix.starts_with("{")) return LooksLikeTelegram(prefix) ? SourceFormat::kTelegram : SourceFormat::kJsonl;
  return SourceFormat::kText;
}

std::vector<std::string> ListInputFiles(const std::vector<std::string>& paths,
                                        std::vector<ReaderError>* errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  auto report = [&](const std::string& where, const std::string& message) {
    if (errors != nullptr) errors->push_back({where, message});
  };
  for (const std::string& path : paths) {
    if (path == "-") {
      out.push_back(path);
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      report(path, ec && ec != std::errc::no_such_file_or_directory ? ec.message()
                                                                     : "no such file or directory");
      continue;
    }
    if (!fs::is_directory(st)) {
      if (::access(path.c_str(), R_OK) != 0) {
        report(path, std::string("cannot read: ") + std::strerror(errno));
        continue;
      }
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec);
    if (ec) {
      report(path, "cannot list directory: " + ec.message());
      continue;
    }
    for (const fs::recursive_directory_iterator end; it != end;) {
      const fs::directory_entry& entry = *it;
      const std::string name = entry.path().filename().string();
      std::error_code e2;
      const bool is_dir = entry.is_directory(e2);
      if (!name.empty() && name[0] == '.') {
        if (is_dir) it.disable_recursion_pending();
      } else if (is_dir) {
        if (::access(entry.path().c_str(), R_OK | X_OK) != 0) {
          report(entry.path().string(), std::string("cannot list directory: ") + std::strerror(errno));
          it.disable_recursion_pending();
        }
      } else if (entry.is_regular_file(e2)) {
        if (::access(entry.path().c_str(), R_OK) != 0) {
          report(entry.path().string(), std::string("cannot read: ") + std::strerror(errno));
        } else {
          found.push_back(entry.path().string());
        }
      }
      it.increment(ec);
      if (ec) {
        report(path, "cannot list directory: " + ec.message());
        break;
      }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

namespace {

Status ReadSourceUnguarded(const std::string& path, const ReaderOptions& options,
                           const std::function<void(RawDocument)>& sink,
                           std::vector<ReaderError>* errors) {
  using namespace ingest;
  std::vector<ReaderError> local_errors;
  if (errors == nullptr) errors = &local_errors;
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? "<stdin>" : path;

  int fd = -1;
  std::uint64_t stat_size = 0;
  bool regular = false;
  if (is_stdin) {
    fd = ::dup(STDIN_FILENO);
  } else {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      const int e = errno;
      return Fail(e == ENOENT ? StatusCode::kNotFound : StatusCode::kIoError, name,
                  e == ENOENT ? "no such file or directory" : std::strerror(e), errors);
    }
    if (S_ISDIR(st.st_mode)) return Fail(StatusCode::kInvalidArgument, name, "is a directory", errors);
    regular = S_ISREG(st.st_mode);
    stat_size = static_cast<std::uint64_t>(st.st_size);
    if (regular && stat_size == 0) return Fail(StatusCode::kInvalidArgument, name, "empty file", errors);
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) {
    return Fail(StatusCode::kIoError, name, std::string("cannot open: ") + std::strerror(errno), errors);
  }
  GzPtr file(gzdopen(fd, "rb"));
  if (file == nullptr) {
    ::close(fd);
    return Fail(StatusCode::kIoError, name, "cannot open (out of memory)", errors);
  }
  gzbuffer(file.get(), 128 << 10);

  std::string head;
  std::string error;
  const bool head_ok = GzReadSome(file.get(), 4096, &head, &error);
  if (!head_ok && head.empty()) return Fail(StatusCode::kCorruption, name, error, errors);
  if (head.empty()) return Fail(StatusCode::kInvalidArgument, name, "empty file", errors);

  const SourceFormat format =
      options.format == SourceFormat::kAuto ? DetectFormat(path, head) : options.format;
  if (!IsStreamed(format) && regular && stat_size > options.max_file_bytes)
    return Fail(StatusCode::kInvalidArgument, name, SizeMessage(stat_size, options.max_file_bytes), errors);
  if (LooksBinary(head)) return Fail(StatusCode::kInvalidArgument, name, "binary file (not text)", errors);

  if (IsStreamed(format)) {
    if (!head_ok)  // the error hit inside the first 4 KB: read what there is; it reports the error
      return ReadJsonlStream(name, file.get(), std::move(head), options, sink, errors);
    return ReadJsonlStream(name, file.get(), std::move(head), options, sink, errors);
  }

  std::string bytes = std::move(head);
  if (head_ok && bytes.size() == 4096) {
    // Read at most one byte past the limit to know it was exceeded.
    // In 256 KB steps, not one buffer of the limit's size: most files
    // are small and a 64 MB allocation per file costs more than reading it.
    const std::size_t limit = options.max_file_bytes + 1;
    while (bytes.size() < limit) {
      const std::size_t before = bytes.size();
      const std::size_t want = std::min<std::size_t>(limit - before, 256u << 10);
      if (!GzReadSome(file.get(), want, &bytes, &error))
        return Fail(StatusCode::kCorruption, name, error, errors);
      if (bytes.size() - before < want) break;  // end of input
    }
  } else if (!head_ok) {
    return Fail(StatusCode::kCorruption, name, error, errors);
  }
  if (bytes.size() > options.max_file_bytes) {
    return Fail(StatusCode::kInvalidArgument, name,
                "decompressed size is over the limit of " + std::to_string(options.max_file_bytes) +
                    " bytes (max_file_bytes)",
                errors);
  }
  switch (format) {
    case SourceFormat::kHtml: return ReadHtmlBytes(name, bytes, sink, errors);
    case SourceFormat::kFeed: return ReadFeedBytes(name, bytes, sink, errors);
    case SourceFormat::kTelegram: return ReadTelegramBytes(name, bytes, sink, errors);
    case SourceFormat::kPetrarchXml: return ReadPetrarchBytes(name, bytes, sink, errors);
    case SourceFormat::kText:
    case SourceFormat::kAuto:
    case SourceFormat::kJsonl:
      break;
  }
  return ReadTextBytes(name, bytes, sink, errors);
}

}  // namespace

// Readers must not throw, but a library they use may (a JSON field of an
// unexpected type, an allocation failure on a hostile file): whatever
// escapes is reported against the file, never a crash.
Status ReadSource(const std::string& path, const ReaderOptions& options,
                  const std::function<void(RawDocument)>& sink, std::vector<ReaderError>* errors) {
  std::vector<ReaderError> local_errors;
  if (errors == nullptr) errors = &local_errors;
  const std::string name = path == "-" ? "<stdin>" : path;
  try {
    return ReadSourceUnguarded(path, options, sink, errors);
  } catch (const std::bad_alloc&) {
    errors->push_back({name, "out of memory while reading"});
    return Status(StatusCode::kIoError, "out of memory while reading", name);
  } catch (const std::exception& e) {
    errors->push_back({name, std::string("unreadable: ") + e.what()});
    return Status(StatusCode::kCorruption, std::string("unreadable: ") + e.what(), name);
  }
}

}  // namespace dyad
