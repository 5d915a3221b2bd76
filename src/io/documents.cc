#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dyad/io.h"
#include "dyad/text.h"

namespace dyad {
namespace {

bool HasSuffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string FieldString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return it->dump();
}

// Accepts "YYYY-MM-DD", "YYYYMMDD" and ISO timestamps ("2025-06-12T08:00:00Z").
bool NormaliseDate(std::string s, std::string* out) {
  if (s.size() > 10 && (s[10] == 'T' || s[10] == ' ')) s = s.substr(0, 10);
  if (s.size() == 8 && s.find_first_not_of("0123456789") == std::string::npos)
    s = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2);
  std::int32_t v = 0;
  if (!ParseIsoDate(s, &v)) return false;
  *out = s;
  return true;
}

}  // namespace

Result<Document> ParseJsonDocument(std::string_view line, const std::string& default_date) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("not valid JSON");
  if (!j.is_object()) return InvalidArgument("a record must be a JSON object");
  auto text = j.find("text");
  if (text == j.end() || !text->is_string())
    return InvalidArgument("record has no \"text\" string");
  Document d;
  d.id = FieldString(j, "id");
  d.text = text->get<std::string>();
  d.url = FieldString(j, "url");
  d.title = FieldString(j, "title");
  d.source = FieldString(j, "source");
  d.language = FieldString(j, "lang");
  const std::string date = FieldString(j, "date");
  if (!date.empty()) {
    if (!NormaliseDate(date, &d.date))
      return InvalidArgument("bad \"date\" '" + date + "' (want YYYY-MM-DD)");
  } else {
    d.date = default_date;
  }
  return d;
}

Status ReadDocuments(const std::string& path, const ReadOptions& options,
                     const std::function<void(Document)>& sink, std::vector<ReadError>* errors) {
  const bool is_stdin = path == "-";
  std::ifstream file;
  if (!is_stdin) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      return InvalidArgument("is a directory (dyad code reads files; use `dyad ingest` for trees)", path);
    file.open(path, std::ios::binary);
    if (!file) return NotFound("cannot open file", path);
  }
  std::istream& in = is_stdin ? std::cin : file;
  const std::string name = is_stdin ? "<stdin>" : path;
  InputFormat format = options.format;
  if (format == InputFormat::kAuto)
    format = HasSuffix(path, ".jsonl") || HasSuffix(path, ".ndjson") ? InputFormat::kJsonl
                                                                      : InputFormat::kText;
  if (format == InputFormat::kJsonl) {
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      const std::string where = name + ":" + std::to_string(number);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (line.size() > options.max_document_bytes) {
        errors->push_back({where, "record larger than " + std::to_string(options.max_document_bytes) + " bytes"});
        continue;
      }
      auto doc = ParseJsonDocument(line, options.default_date);
      if (!doc.ok()) { errors->push_back({where, doc.status().message()}); continue; }
      if (auto s = ValidateUtf8(doc->text); !s.ok()) {
        errors->push_back({where, s.message()});
        continue;
      }
      if (doc->id.empty()) doc->id = name + ":" + std::to_string(number);
      sink(std::move(doc.value()));
    }
    if (in.bad()) return IoError("read error", name);
    return Status::Ok();
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return IoError("read error", name);
  std::string text = buf.str();
  if (text.size() > options.max_document_bytes) {
    errors->push_back({name, "document larger than " + std::to_string(options.max_document_bytes) + " bytes"});
    return Status::Ok();
  }
  if (text.find('\0') != std::string::npos) {
    errors->push_back({name, "binary file (contains NUL bytes), not text"});
    return Status::Ok();
  }
  if (auto s = ValidateUtf8(text); !s.ok()) {
    errors->push_back({name, s.message() + " (convert the file to UTF-8 first)"});
    return Status::Ok();
  }
  Document d;
  d.id = is_stdin ? "stdin" : std::filesystem::path(path).stem().string();
  d.date = options.default_date;
  d.text = std::move(text);
  sink(std::move(d));
  return Status::Ok();
}

std::string EventToJson(const Event& e) {
  nlohmann::ordered_json j;
  j["doc_id"] = e.doc_id;
  j["date"] = e.date.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.date);
  j["source"] = e.source;
  j["target"] = e.target;
  j["code"] = e.code;
  j["root"] = e.root;
  j["quad_class"] = e.quad_class ? nlohmann::ordered_json(e.quad_class) : nlohmann::ordered_json(nullptr);
  j["goldstein"] = e.has_goldstein ? nlohmann::ordered_json(e.goldstein) : nlohmann::ordered_json(nullptr);
  j["plover"] = e.plover.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.plover);
  j["sentence"] = e.sentence;
  j["sentence_index"] = e.sentence_index;
  j["source_text"] = e.source_text;
  j["target_text"] = e.target_text;
  j["verb_text"] = e.verb_text;
  j["offsets"] = {{"sentence", {e.sentence_span.begin, e.sentence_span.end}},
                  {"source", {e.source_span.begin, e.source_span.end}},
                  {"verb", {e.verb_span.begin, e.verb_span.end}},
                  {"target", {e.target_span.begin, e.target_span.end}}};
  j["pattern"] = e.pattern;
  j["pattern_origin"] = e.pattern_origin;
  j["entries"] = e.entries;
  if (!e.modality.empty()) j["modality"] = e.modality;
  if (!e.issues.empty()) j["issues"] = e.issues;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string EventTsvHeader() {
  return "doc_id\tdate\tsource\ttarget\tcode\troot\tquad_class\tgoldstein\tplover\tsource_text\tverb_text\ttarget_text\tsentence";
}

std::string EventToTsv(const Event& e) {
  auto clean = [](std::string s) {
    for (char& c : s)
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
  };
  std::ostringstream o;
  o << clean(e.doc_id) << '\t' << e.date << '\t' << e.source << '\t' << e.target << '\t' << e.code
    << '\t' << e.root << '\t' << (e.quad_class ? std::to_string(e.quad_class) : "") << '\t';
  if (e.has_goldstein) o << e.goldstein;
  o << '\t' << e.plover << '\t' << clean(e.source_text) << '\t' << clean(e.verb_text) << '\t'
    << clean(e.target_text) << '\t' << clean(e.sentence);
  return o.str();
}

}  // namespace dyad
