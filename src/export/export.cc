// Exports: story-level rows from Store::QueryEvents, written as GDELT 2.0,
// Phoenix, JSON Lines or CSV.
//
// QueryEvents yields events ordered by story, then event id. We buffer one
// story at a time: when the story id changes, its events are grouped by
// (source, target, code) in order of first appearance, each group becomes one
// row, and the buffer is dropped. Memory is bounded by the largest story, not
// by the export. A row's id is the group's smallest event id, its date the
// earliest event date, its evidence (sentence, URL, outlet) that of the first
// mention; NumMentions counts events, NumArticles distinct documents,
// NumSources distinct non-empty outlets (1 when none is known). With
// all_mentions every event is its own row.
//
// Every text field of the tab-separated formats goes through CleanField, so
// no tab or line break from an article can split a record. docs/exports.md
// documents each format's columns and the decisions behind them.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/cameo.h"
#include "dyad/coder.h"
#include "dyad/export.h"
#include "dyad/store.h"
#include "export/countries.h"

namespace dyad {
namespace {

using exports::ActorParts;
using exports::SplitActorCode;

constexpr size_t kGdeltColumnCount = 61;

// One output row: a group of mentions of the same event in one story.
struct Row {
  std::vector<const EventRow*> mentions;  // by event id; mentions[0] is the first
  std::int64_t id = 0;
  std::string date;        // YYYY-MM-DD or ""
  std::string date_added;  // YYYYMMDDHHMMSS or ""
  std::int64_t articles = 0;
  std::int64_t sources = 0;
  bool lead = false;       // some mention is its document's first sentence
  const EventRow& first() const { return *mentions[0]; }
};

Row MakeRow(std::vector<const EventRow*> mentions) {
  std::sort(mentions.begin(), mentions.end(),
            [](const EventRow* a, const EventRow* b) { return a->event_id < b->event_id; });
  Row row;
  row.mentions = std::move(mentions);
  row.id = row.first().event_id;
  std::set<std::int64_t> documents;
  std::set<std::string> outlets;
  for (const EventRow* m : row.mentions) {
    documents.insert(m->document_id);
    if (!m->outlet.empty()) outlets.insert(m->outlet);
    if (!m->event.date.empty() && (row.date.empty() || m->event.date < row.date)) {
      row.date = m->event.date;
    }
    if (!m->date_added.empty() && (row.date_added.empty() || m->date_added < row.date_added)) {
      row.date_added = m->date_added;
    }
    if (m->event.sentence_index == 0) row.lead = true;
  }
  row.articles = static_cast<std::int64_t>(documents.size());
  row.sources = outlets.empty() ? 1 : static_cast<std::int64_t>(outlets.size());
  return row;
}

// Tabs, line breaks and other control characters become spaces.
std::string CleanField(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Shortest round-trip form: 3.4, -2, 41.38.
std::string FormatNumber(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "";
  return std::string(buf, end);
}

std::string FormatFixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// The event's root, QuadClass and Goldstein, falling back to dyad's CAMEO
// table when the stored event lacks them.
std::string RootOf(const Event& e) {
  if (!e.root.empty()) return e.root;
  return e.code.size() >= 2 ? e.code.substr(0, 2) : e.code;
}
int QuadClassOf(const Event& e) {
  if (e.quad_class != 0) return e.quad_class;
  const CameoCode* c = CameoTable::Builtin().FindOrParent(e.code);
  return c ? c->quad_class : 0;
}
bool GoldsteinOf(const Event& e, double* value) {
  if (e.has_goldstein) {
    *value = e.goldstein;
    return true;
  }
  const CameoCode* c = CameoTable::Builtin().FindOrParent(e.code);
  if (!c) return false;
  *value = c->goldstein;
  return true;
}

struct DateParts {
  bool ok = false;
  int year = 0, month = 0, day = 0;
  std::string yyyymmdd;
};
DateParts ParseDate(const std::string& iso) {
  DateParts d;
  std::int32_t ymd = 0;
  if (iso.empty() || !ParseIsoDate(iso, &ymd)) return d;
  d.ok = true;
  d.year = ymd / 10000;
  d.month = ymd / 100 % 100;
  d.day = ymd % 100;
  d.yyyymmdd = std::to_string(ymd);
  return d;
}

// GDELT's FractionDate: the year plus the fraction of it completed before
// this day, so 1 January is .0000 and 31 December stays below the next year
// (GDELT documents the range as 0 to 0.9999).
std::string FractionDate(const DateParts& d) {
  static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int days_before = kBefore[d.month - 1] + d.day - 1 + (leap && d.month > 2 ? 1 : 0);
  return FormatFixed(d.year + days_before / (leap ? 366.0 : 365.0), 4);
}

// ---------------------------------------------------------------- GDELT

void AppendActor(const std::string& code, const std::string& stored_name,
                 std::vector<std::string>* f) {
  ActorParts p = SplitActorCode(code);
  f->push_back(code);
  f->push_back(Upper(!stored_name.empty() ? stored_name : p.name));
  f->push_back(p.country);
  f->push_back(p.known_group);
  f->push_back(p.ethnic);
  f->push_back(p.religion1);
  f->push_back(p.religion2);
  for (const std::string& t : p.type) f->push_back(t);
}

// Country-level geography: type 1, the country's name, FIPS code in
// CountryCode, ADM1Code and FeatureID, its centroid. Empty for no country
// or one FIPS 10-4 has no code for.
void AppendGeo(const CountryInfo* c, std::vector<std::string>* f) {
  if (c == nullptr || c->fips.empty()) {
    f->insert(f->end(), 8, std::string());
    return;
  }
  f->push_back("1");
  f->push_back(c->name);
  f->push_back(c->fips);
  f->push_back(c->fips);
  f->push_back("");
  f->push_back(c->has_centroid ? FormatNumber(c->lat) : "");
  f->push_back(c->has_centroid ? FormatNumber(c->lon) : "");
  f->push_back(c->fips);
}

const CountryInfo* ActionCountry(const Event& e) {
  const CountryInfo* target = CountryOfActor(e.target);
  return target != nullptr ? target : CountryOfActor(e.source);
}

void WriteTabbed(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << '\t';
    out << CleanField(fields[i]);
  }
  out << '\n';
}

void WriteGdelt(const Row& row, std::ostream& out) {
  const EventRow& first = row.first();
  const Event& e = first.event;
  std::vector<std::string> f;
  f.reserve(kGdeltColumnCount);
  f.push_back(std::to_string(row.id));
  DateParts d = ParseDate(row.date);
  if (d.ok) {
    f.push_back(d.yyyymmdd);
    f.push_back(d.yyyymmdd.substr(0, 6));
    f.push_back(std::to_string(d.year));
    f.push_back(FractionDate(d));
  } else {
    f.insert(f.end(), 4, std::string());
  }
  AppendActor(e.source, first.actor1_name, &f);
  AppendActor(e.target, first.actor2_name, &f);
  f.push_back(row.lead ? "1" : "0");
  f.push_back(e.code);
  f.push_back(e.code.size() >= 3 ? e.code.substr(0, 3) : e.code);
  f.push_back(RootOf(e));
  int quad = QuadClassOf(e);
  f.push_back(quad > 0 ? std::to_string(quad) : "");
  double goldstein = 0;
  f.push_back(GoldsteinOf(e, &goldstein) ? FormatNumber(goldstein) : "");
  f.push_back(std::to_string(row.mentions.size()));
  f.push_back(std::to_string(row.sources));
  f.push_back(std::to_string(row.articles));
  f.push_back("0");  // AvgTone: dyad does not score tone
  AppendGeo(CountryOfActor(e.source), &f);
  AppendGeo(CountryOfActor(e.target), &f);
  AppendGeo(ActionCountry(e), &f);
  f.push_back(row.date_added);
  f.push_back(first.url);
  WriteTabbed(f, out);
}

// ---------------------------------------------------------------- Phoenix

const std::vector<std::string>& PhoenixColumns() {
  static const std::vector<std::string>* const kColumns = new std::vector<std::string>{
      "EventID", "Date", "Year", "Month", "Day",
      "SourceActorFull", "SourceActorEntity", "SourceActorRole", "SourceActorAttribute",
      "TargetActorFull", "TargetActorEntity", "TargetActorRole", "TargetActorAttribute",
      "EventCode", "EventRootCode", "PentaClass", "GoldsteinScore", "Issues",
      "Lat", "Lon", "LocationName", "StateName", "CountryCode",
      "SentenceID", "URLs", "NewsSources"};
  return *kColumns;
}

// Distinct non-empty values, in first-seen order, joined by ';'.
template <typename Get>
std::string JoinDistinct(const Row& row, Get get) {
  std::string joined;
  std::set<std::string> seen;
  for (const EventRow* m : row.mentions) {
    std::string value = get(*m);
    if (value.empty() || !seen.insert(value).second) continue;
    if (!joined.empty()) joined += ';';
    joined += value;
  }
  return joined;
}

void WritePhoenix(const Row& row, std::ostream& out) {
  const Event& e = row.first().event;
  std::vector<std::string> f;
  f.push_back(std::to_string(row.id));
  DateParts d = ParseDate(row.date);
  if (d.ok) {
    f.push_back(d.yyyymmdd);
    f.push_back(d.yyyymmdd.substr(0, 4));
    f.push_back(d.yyyymmdd.substr(4, 2));
    f.push_back(d.yyyymmdd.substr(6, 2));
  } else {
    f.insert(f.end(), 4, std::string());
  }
  for (const std::string* code : {&e.source, &e.target}) {
    exports::PhoenixActor a = exports::SplitPhoenixActor(*code);
    f.push_back(*code);
    f.push_back(a.entity);
    f.push_back(a.role);
    f.push_back(a.attributes);
  }
  f.push_back(e.code);
  std::string root = RootOf(e);
  f.push_back(root);
  int penta = exports::PentaClass(root);
  f.push_back(penta >= 0 ? std::to_string(penta) : "");
  double goldstein = 0;
  f.push_back(GoldsteinOf(e, &goldstein) ? FormatNumber(goldstein) : "");
  f.push_back("");  // Issues: dyad does not code Phoenix issues
  const CountryInfo* place = ActionCountry(e);
  if (place != nullptr) {
    f.push_back(place->has_centroid ? FormatNumber(place->lat) : "");
    f.push_back(place->has_centroid ? FormatNumber(place->lon) : "");
    f.push_back(place->name);
    f.push_back("");
    f.push_back(place->cameo);
  } else {
    f.insert(f.end(), 5, std::string());
  }
  f.push_back(JoinDistinct(row, [](const EventRow& m) {
    return m.event.doc_id + "_" + std::to_string(m.event.sentence_index);
  }));
  f.push_back(JoinDistinct(row, [](const EventRow& m) { return m.url; }));
  f.push_back(JoinDistinct(row, [](const EventRow& m) { return m.outlet; }));
  WriteTabbed(f, out);
}

// ---------------------------------------------------------------- JSON Lines

void WriteJsonl(const Row& row, std::ostream& out) {
  const EventRow& first = row.first();
  const Event& e = first.event;
  nlohmann::ordered_json j;
  j["id"] = row.id;
  nlohmann::ordered_json ids = nlohmann::ordered_json::array();
  for (const EventRow* m : row.mentions) ids.push_back(m->event_id);
  j["event_ids"] = ids;
  j["date"] = row.date;
  j["source"] = e.source;
  j["target"] = e.target;
  j["code"] = e.code;
  j["root"] = RootOf(e);
  int quad = QuadClassOf(e);
  j["quad_class"] = quad > 0 ? nlohmann::ordered_json(quad) : nlohmann::ordered_json();
  double goldstein = 0;
  j["goldstein"] = GoldsteinOf(e, &goldstein) ? nlohmann::ordered_json(goldstein)
                                              : nlohmann::ordered_json();
  j["num_mentions"] = static_cast<std::int64_t>(row.mentions.size());
  j["num_articles"] = row.articles;
  j["num_sources"] = row.sources;
  j["url"] = first.url;
  j["outlet"] = first.outlet;
  j["document_id"] = first.document_id;
  j["doc_id"] = e.doc_id;
  j["story_id"] = first.story_id;
  j["date_added"] = row.date_added;
  j["evidence"] = {{"sentence", e.sentence},
                   {"sentence_index", e.sentence_index},
                   {"source_text", e.source_text},
                   {"verb_text", e.verb_text},
                   {"target_text", e.target_text},
                   {"pattern", e.pattern},
                   {"pattern_origin", e.pattern_origin}};
  // Stored text is UTF-8, but a bad byte must not abort the export.
  out << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

// ---------------------------------------------------------------- CSV

const std::vector<std::string>& CsvColumns() {
  static const std::vector<std::string>* const kColumns = new std::vector<std::string>{
      "id", "date", "source", "source_country", "target", "target_country",
      "code", "root", "quad_class", "goldstein", "num_mentions", "num_articles",
      "num_sources", "sentence", "url", "outlet", "document_id", "story_id"};
  return *kColumns;
}

// RFC 4180: a field with a comma, quote or line break is quoted, and its
// quotes doubled. Records end in CRLF.
void WriteCsvRecord(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    const std::string& v = fields[i];
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out << v;
      continue;
    }
    out << '"';
    for (char c : v) {
      if (c == '"') out << '"';
      out << c;
    }
    out << '"';
  }
  out << "\r\n";
}

void WriteCsv(const Row& row, std::ostream& out) {
  const EventRow& first = row.first();
  const Event& e = first.event;
  int quad = QuadClassOf(e);
  double goldstein = 0;
  bool has_goldstein = GoldsteinOf(e, &goldstein);
  WriteCsvRecord({std::to_string(row.id), row.date, e.source, SplitActorCode(e.source).country,
                  e.target, SplitActorCode(e.target).country, e.code, RootOf(e),
                  quad > 0 ? std::to_string(quad) : "",
                  has_goldstein ? FormatNumber(goldstein) : "",
                  std::to_string(row.mentions.size()), std::to_string(row.articles),
                  std::to_string(row.sources), e.sentence, first.url, first.outlet,
                  std::to_string(first.document_id), std::to_string(first.story_id)},
                 out);
}

// ---------------------------------------------------------------- driver

void WriteRow(ExportFormat format, const Row& row, std::ostream& out) {
  switch (format) {
    case ExportFormat::kGdelt: WriteGdelt(row, out); break;
    case ExportFormat::kPhoenix: WritePhoenix(row, out); break;
    case ExportFormat::kJsonl: WriteJsonl(row, out); break;
    case ExportFormat::kCsv: WriteCsv(row, out); break;
  }
}

void WriteHeader(const ExportOptions& options, std::ostream& out) {
  switch (options.format) {
    case ExportFormat::kGdelt:
      if (options.header.value_or(false)) WriteTabbed(GdeltColumns(), out);
      break;
    case ExportFormat::kPhoenix:
      if (options.header.value_or(true)) WriteTabbed(PhoenixColumns(), out);
      break;
    case ExportFormat::kCsv:
      if (options.header.value_or(true)) WriteCsvRecord(CsvColumns(), out);
      break;
    case ExportFormat::kJsonl:
      break;
  }
}

// Collects one story's events and writes its rows when the story ends.
class StoryGrouper {
 public:
  StoryGrouper(const ExportOptions& options, std::ostream& out, ExportStats* stats)
      : options_(options), out_(out), stats_(stats) {}

  void Add(const EventRow& event) {
    ++stats_->events_read;
    if (!buffer_.empty() && buffer_.back().story_id != event.story_id) Flush();
    buffer_.push_back(event);
  }

  void Flush() {
    if (options_.all_mentions) {
      for (const EventRow& e : buffer_) Emit(MakeRow({&e}));
    } else {
      std::map<std::tuple<std::string, std::string, std::string>, size_t> index;
      std::vector<std::vector<const EventRow*>> groups;
      for (const EventRow& e : buffer_) {
        auto key = std::make_tuple(e.event.source, e.event.target, e.event.code);
        auto [it, added] = index.emplace(std::move(key), groups.size());
        if (added) groups.emplace_back();
        groups[it->second].push_back(&e);
      }
      for (auto& group : groups) Emit(MakeRow(std::move(group)));
    }
    buffer_.clear();
  }

 private:
  void Emit(const Row& row) {
    if (!out_) return;
    WriteRow(options_.format, row, out_);
    ++stats_->rows_written;
  }

  const ExportOptions& options_;
  std::ostream& out_;
  ExportStats* stats_;
  std::vector<EventRow> buffer_;  // one story, in the store's order
};

}  // namespace

bool ParseExportFormat(std::string_view name, ExportFormat* format) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  static constexpr std::pair<std::string_view, ExportFormat> kNames[] = {
      {"gdelt", ExportFormat::kGdelt},
      {"phoenix", ExportFormat::kPhoenix},
      {"jsonl", ExportFormat::kJsonl},
      {"csv", ExportFormat::kCsv}};
  for (const auto& [n, f] : kNames) {
    if (lower == n) {
      *format = f;
      return true;
    }
  }
  return false;
}

const std::vector<std::string>& GdeltColumns() {
  static const std::vector<std::string>* const kColumns = [] {
    auto* columns = new std::vector<std::string>{"GlobalEventID", "Day", "MonthYear", "Year",
                                                 "FractionDate"};
    for (const char* actor : {"Actor1", "Actor2"}) {
      for (const char* field : {"Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
                                "Religion1Code", "Religion2Code", "Type1Code", "Type2Code",
                                "Type3Code"}) {
        columns->push_back(std::string(actor) + field);
      }
    }
    for (const char* field : {"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
                              "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                              "NumArticles", "AvgTone"}) {
      columns->push_back(field);
    }
    for (const char* geo : {"Actor1Geo_", "Actor2Geo_", "ActionGeo_"}) {
      for (const char* field :
           {"Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
            "FeatureID"}) {
        columns->push_back(std::string(geo) + field);
      }
    }
    columns->push_back("DATEADDED");
    columns->push_back("SOURCEURL");
    return columns;
  }();
  return *kColumns;
}

Status ExportEvents(Store& store, const ExportOptions& options, std::ostream& out,
                    ExportStats* stats) {
  if (options.all_mentions &&
      (options.format == ExportFormat::kGdelt || options.format == ExportFormat::kPhoenix)) {
    return InvalidArgument(
        "all_mentions is only for jsonl and csv: gdelt and phoenix rows are story-level events");
  }
  ExportStats local;
  if (stats == nullptr) stats = &local;
  *stats = ExportStats();
  WriteHeader(options, out);
  StoryGrouper grouper(options, out, stats);
  Status status =
      store.QueryEvents(options.query, [&](const EventRow& row) { grouper.Add(row); });
  DYAD_RETURN_IF_ERROR(status);
  grouper.Flush();
  out.flush();
  if (!out) return IoError("writing the export failed");
  return Status::Ok();
}

}  // namespace dyad
