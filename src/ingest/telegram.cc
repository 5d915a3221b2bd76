// Telegram Desktop channel exports (result.json):
//   {"name": "Channel", "type": "public_channel", "id": 123,
//    "messages": [{"id": 12, "type": "message", "date": "2025-06-12T10:15:00",
//                  "text": "plain" | ["plain", {"type": "link", "text": "..."}],
//                  "text_entities": [{"type": "plain", "text": "..."}]}, ...]}
// One document per message with text. Service messages and media-only posts
// carry no text and are skipped without an error. Desktop exports do not
// name the channel's @username; when a top-level "username" is present (as
// some export tools add) message URLs are https://t.me/<username>/<id>.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/readers.h"
#include "ingest/internal.h"

namespace dyad::ingest {
namespace {

// "text" as a string or as an array of strings and entity objects.
std::string FlattenText(const nlohmann::json& t) {
  if (t.is_string()) return t.get<std::string>();
  std::string out;
  if (!t.is_array()) return out;
  for (const auto& part : t) {
    if (part.is_string()) {
      out += part.get<std::string>();
    } else if (part.is_object()) {
      auto it = part.find("text");
      if (it != part.end() && it->is_string()) out += it->get<std::string>();
    }
  }
  return out;
}

// Lines to paragraphs: posts use one line per statement.
std::string Paragraphs(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t e = text.find('\n', start);
    if (e == std::string_view::npos) e = text.size();
    std::string line = CollapseWhitespace(text.substr(start, e - start));
    if (!line.empty()) {
      if (!out.empty()) out += "\n\n";
      out += line;
    }
    start = e + 1;
  }
  return out;
}

// Days since 1970-01-01 -> "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
std::string DateFromUnixSeconds(long long seconds) {
  if (seconds < -62135596800LL || seconds > 253402300799LL) return {};  // outside years 1..9999
  long long z = (seconds >= 0 ? seconds : seconds - 86399) / 86400 + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  if (y < 1900 || y > 2099) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return NormalizeDate(buf);
}

std::string IdString(const nlohmann::json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

}  // namespace

Status ReadTelegramBytes(const std::string& path, std::string_view bytes, const Sink& sink,
                         std::vector<ReaderError>* errors) {
  std::string encoding;
  Result<std::string> utf8 = ConvertToUtf8(bytes, "utf-8", &encoding);
  if (!utf8.ok()) return Fail(StatusCode::kInvalidArgument, path, utf8.status().message(), errors);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(*utf8);
  } catch (const nlohmann::json::parse_error& e) {
    std::string reason = e.what();
    const auto colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    return Fail(StatusCode::kCorruption, path,
                "not valid JSON (line " + std::to_string(LineOfOffset(*utf8, e.byte)) + ": " + reason + ")",
                errors);
  } catch (const std::exception& e) {
    return Fail(StatusCode::kCorruption, path, std::string("not valid JSON (") + e.what() + ")", errors);
  }
  if (!j.is_object() || !j.contains("messages") || !j["messages"].is_array())
    return Fail(StatusCode::kInvalidArgument, path, "not a Telegram export (no \"messages\" array)",
                errors);
  std::string channel;
  if (auto it = j.find("name"); it != j.end() && it->is_string()) channel = it->get<std::string>();
  std::string username;
  if (auto it = j.find("username"); it != j.end() && it->is_string()) {
    username = it->get<std::string>();
    if (!username.empty() && username[0] == '@') username.erase(0, 1);
  }

  std::size_t index = 0;
  for (const auto& m : j["messages"]) {
    ++index;
    std::string id = m.is_object() && m.contains("id") ? IdString(m["id"]) : "";
    const std::string where = path + "#message " + (id.empty() ? "[" + std::to_string(index) + "]" : id);
    if (!m.is_object()) {
      errors->push_back({where, "message is not a JSON object"});
      continue;
    }
    if (auto type = m.find("type"); type != m.end()) {
      if (!type->is_string()) {
        errors->push_back({where, "message \"type\" is not a string"});
        continue;
      }
      if (type->get<std::string>() != "message") continue;  // service messages
    }
    std::string raw;
    if (auto t = m.find("text"); t != m.end()) raw = FlattenText(*t);
    if (Trim(raw).empty()) {
      if (auto t = m.find("text_entities"); t != m.end()) raw = FlattenText(*t);
    }
    std::string text = Paragraphs(raw);
    if (text.empty()) continue;  // photo/video posts without a caption

    RawDocument doc;
    doc.origin = where;
    doc.format = SourceFormatName(SourceFormat::kTelegram);
    doc.external_id = id;
    doc.source = channel;
    doc.text = std::move(text);
    doc.encoding = encoding;
    if (!username.empty() && !id.empty()) doc.url = "https://t.me/" + username + "/" + id;
    if (auto d = m.find("date"); d != m.end() && d->is_string()) doc.date = NormalizeDate(d->get<std::string>());
    if (doc.date.empty()) {
      if (auto u = m.find("date_unixtime"); u != m.end()) {
        long long seconds = 0;
        bool ok = false;
        if (u->is_number_integer()) {
          seconds = u->get<long long>();
          ok = true;
        } else if (u->is_string()) {
          const std::string s = u->get<std::string>();
          ok = !s.empty() && s.size() < 15 && s.find_first_not_of("0123456789") == std::string::npos;
          if (ok) seconds = std::stoll(s);
        }
        if (ok) doc.date = DateFromUnixSeconds(seconds);
      }
    }
    if (!doc.date.empty()) doc.date_origin = DateOrigin::kMetadata;
    FillDerivedFields(&doc);
    sink(std::move(doc));
  }
  return Status::Ok();
}

}  // namespace dyad::ingest
