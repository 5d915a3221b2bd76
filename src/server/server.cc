// `dyad serve`: routes of docs/api.md over the in-memory monitor index and
// the store, with cpp-httplib.
#include "dyad/server.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <httplib.h>
#include <sys/socket.h>

#include "dyad/cameo.h"
#include "dyad/corrections.h"
#include "dyad/dictionary.h"
#include "dyad/export.h"
#include "dyad/ingest.h"
#include "dyad/monitor.h"
#include "dyad/watch.h"
#include "server/json_views.h"
#include "server/response_cache.h"
#include "server/store_pool.h"

namespace dyad {

std::string DefaultWebDirectory() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("DYAD_WEB_DIR"); env && *env) return env;
  std::error_code ec;
  if (fs::is_regular_file(fs::path(DYAD_SOURCE_WEB_DIR) / "index.html", ec)) {
    return DYAD_SOURCE_WEB_DIR;
  }
  return DYAD_INSTALL_WEB_DIR;
}

namespace {

using server::Dump;
using server::EventJson;
using server::Json;
using server::StorePool;
using monitor::Day;

// A request's failure: HTTP status and message.
struct HttpError {
  int status;
  std::string message;
};

HttpError FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: return {400, s.ToString()};
    case StatusCode::kNotFound: return {404, s.ToString()};
    default: return {500, s.ToString()};
  }
}

template <typename T>
T Take(Result<T> r) {
  if (!r.ok()) throw FromStatus(r.status());
  return std::move(r).value();
}

// Query parameters, validated as they are read.
class Params {
 public:
  explicit Params(const httplib::Request& req) : req_(req) {}

  std::string Get(const char* name, const std::string& fallback = "") const {
    return req_.has_param(name) ? req_.get_param_value(name) : fallback;
  }
  std::string Required(const char* name) const {
    std::string v = Get(name);
    if (v.empty()) throw HttpError{400, std::string("missing parameter: ") + name};
    return v;
  }
  long long Int(const char* name, long long fallback, long long lo, long long hi) const {
    if (!req_.has_param(name)) return fallback;
    const std::string v = req_.get_param_value(name);
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0 || n < lo || n > hi) {
      throw HttpError{400, std::string(name) + ": expected an integer from " +
                               std::to_string(lo) + " to " + std::to_string(hi)};
    }
    return n;
  }
  bool Flag(const char* name) const {
    const std::string v = Get(name);
    return v == "1" || v == "true";
  }
  monitor::DateRange Dates() const {
    return Take(monitor::ParseDateRange(Get("from"), Get("to")));
  }
  // An actor-code prefix: 3 to 15 capital letters or digits ("UZB", "RUSCOP").
  static std::string Actor(const std::string& v, const char* name) {
    if (v.size() < 3 || v.size() > 15 ||
        !std::all_of(v.begin(), v.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        })) {
      throw HttpError{400, std::string(name) + ": expected an actor code such as UZB or RUSCOP"};
    }
    return v;
  }
  // "UZB-RUS" -> {"UZB", "RUS"}.
  std::pair<std::string, std::string> Dyad(bool required) const {
    const std::string v = required ? Required("dyad") : Get("dyad");
    if (v.empty()) return {};
    const size_t dash = v.find('-');
    if (dash == std::string::npos) {
      throw HttpError{400, "dyad: expected two actor codes such as UZB-RUS"};
    }
    return {Actor(v.substr(0, dash), "dyad"), Actor(v.substr(dash + 1), "dyad")};
  }
  monitor::Bucket BucketParam(const char* fallback) const {
    monitor::Bucket b;
    if (!monitor::ParseBucket(Get("bucket", fallback), &b)) {
      throw HttpError{400, "bucket: expected day, week or month"};
    }
    return b;
  }

 private:
  const httplib::Request& req_;
};

Json Mean(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json SideJson(const monitor::TimelineSide& s) {
  return {{"stories", s.stories},
          {"events", s.events},
          {"quad", s.quad},
          {"story_events", s.story_events},
          {"goldstein_mean", Mean(s.goldstein_mean())},
          {"goldstein_sum", s.goldstein_sum}};
}

std::string CountryName(const std::string& code) {
  const CountryInfo* c = CountryOfActor(code);
  return c ? c->name : "";
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  StorePool pool;
  monitor::AlertConfig alert_config;
  std::shared_ptr<const Coder> explain_coder;
  // Corrections: a writer connection of their own, used under corrections_mu.
  std::unique_ptr<Store> writer;
  std::unique_ptr<Corrector> corrector;
  std::mutex corrections_mu;

  // The index and what it has applied, guarded together.
  mutable std::shared_mutex index_mu;
  monitor::MonitorIndex index;
  monitor::StorePosition position;
  int schema = 0;   // migrations run only when a store is opened: read once
  std::mutex refresh_mu;   // one refresh at a time

  // Cached GET responses, dropped whenever the index changes.
  server::ResponseCache cache;

  httplib::Server http;
  std::thread listener, refresher;
  std::atomic<bool> stopping{false};
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  std::mutex stop_call_mu;   // one Stop() at a time: the joins must not race
  int bound_port = 0;
  int listen_socket = -1;

  Impl(const ServerOptions& o)
      : options(o), pool(o.store_url, o.store_connections), cache(o.cache_bytes) {}

  Status Load();
  Result<std::int64_t> Refresh();
  void RefreshLoop();
  void Routes();

  // Handlers.
  Json Health();
  Json WatchStatus();
  Json SavedRules();
  Json SaveRule(const std::string& body);
  Json DeleteRule(std::int64_t id);
  std::string Metrics();
  std::string AlertsFeed(const std::string& dashboard_url);
  Json Events(const Params& p);
  Json EventById(std::int64_t id);
  Json Dyads(const Params& p);
  Json Timeline(const Params& p);
  Json Sources(const Params& p);
  Json Citizens(const Params& p);
  Json Exchanges(const Params& p);
  Json Alerts(const Params& p);
  Json Map(const Params& p);
  Json Document(std::int64_t id);
  Json Explain(const std::string& text, const std::string& date);
  Json Codes();
  Json Changes(const Params& p);
  Json CorrectionsLog();
  Json Correct(const std::string& body, bool preview);
  Json Revert(std::int64_t id);

  // Full rows of these events as API objects, in the order given.
  Json EventsJson(const std::vector<std::int64_t>& ids);
  void RequireWrite(const httplib::Request& req) const;
};

Status Server::Impl::Load() {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  Store& store = **lease;
  auto version = store.SchemaVersion();
  if (!version.ok()) return version.status();
  monitor::MonitorIndex fresh;
  auto at = monitor::LoadIndex(store, &fresh);
  if (!at.ok()) return at.status();
  std::unique_lock lock(index_mu);
  index = std::move(fresh);
  position = *at;
  schema = *version;
  return Status::Ok();
}

Result<std::int64_t> Server::Impl::Refresh() {
  std::lock_guard<std::mutex> one(refresh_mu);
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  monitor::StorePosition from;
  {
    std::shared_lock lock(index_mu);
    from = position;
  }
  auto delta = monitor::ReadChanges(**lease, from);
  if (!delta.ok()) return delta.status();
  if (delta->empty() && delta->to.change_seq == from.change_seq) return from.change_seq;
  {
    std::unique_lock lock(index_mu);
    monitor::Apply(*delta, &index);
    position = delta->to;
  }
  cache.Clear();
  return delta->to.change_seq;
}

void Server::Impl::RefreshLoop() {
  const auto interval = std::chrono::duration<double>(options.refresh_seconds);
  std::string last_error;
  while (!stopping) {
    {
      std::unique_lock<std::mutex> lock(stop_mu);
      stop_cv.wait_for(lock, interval, [&] { return stopping.load(); });
    }
    if (stopping) break;
    auto r = Refresh();
    if (!r.ok() && r.status().ToString() != last_error) {
      last_error = r.status().ToString();
      std::cerr << "dyad serve: refresh failed (will retry): " << last_error << "\n";
    } else if (r.ok()) {
      last_error.clear();
    }
  }
}

Json Server::Impl::EventsJson(const std::vector<std::int64_t>& ids) {
  Json out = Json::array();
  if (ids.empty()) return out;
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  for (const EventRow& row : Take((*lease)->GetEvents(ids))) out.push_back(EventJson(row));
  return out;
}

// The watch's health from the store (dyad watch writes it).
Json Server::Impl::WatchStatus() {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  Store& store = **lease;
  Json sources = Json::array();
  for (const SourceState& s : Take(store.SourceStates())) {
    sources.push_back({{"name", s.name}, {"url", s.url},
                       {"health", watch::SourceHealth(s)},
                       {"last_poll", s.last_poll}, {"last_success", s.last_success},
                       {"next_poll", s.next_poll}, {"failures", s.failures},
                       {"items_fetched", s.items_fetched}, {"errors", s.errors},
                       {"last_error", s.last_error}});
  }
  std::map<std::int64_t, Json> deliveries;
  Json counts = Json::object();
  for (const NotificationState& n : Take(store.Notifications("", 100000))) {
    deliveries[n.alert_id].push_back({{"notifier", n.notifier}, {"state", n.state},
                                      {"attempts", n.attempts}, {"last_error", n.last_error},
                                      {"next_attempt", n.next_attempt}, {"sent_at", n.sent_at}});
    counts[n.state] = counts.value(n.state, 0) + 1;
  }
  Json alerts = Json::array();
  for (const AlertRecord& a : Take(store.ListAlerts(100))) {
    Json j = {{"id", a.id}, {"key", a.key}, {"rule", a.rule}, {"fired_at", a.fired_at},
              {"title", a.title}, {"link", ""}, {"deliveries", deliveries.count(a.id) ? deliveries[a.id] : Json::array()}};
    if (auto alert = watch::AlertFromJson(a.payload); alert.ok()) j["link"] = alert->link;
    alerts.push_back(std::move(j));
  }
  // What `dyad watch` fetched and has not stored yet: its default spool
  // beside a SQLite store (none known for PostgreSQL).
  const watch::SpoolQueue queue = watch::CountSpool(watch::DefaultSpoolDirectory(options.store_url));
  return {{"sources", sources}, {"alerts", alerts}, {"deliveries", counts},
          {"queue", {{"files", queue.files}, {"items", queue.items}}}};
}

namespace {
// A Prometheus label value: backslash, quote and newline escaped.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

std::string Server::Impl::Metrics() {
  std::ostringstream m;
  auto metric = [&](const char* name, const char* type, const char* help) {
    m << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  };
  {
    std::shared_lock lock(index_mu);
    metric("dyad_events", "gauge", "Events in the store.");
    m << "dyad_events " << index.event_count() << "\n";
    metric("dyad_documents", "gauge", "Documents in the store.");
    m << "dyad_documents " << index.document_count() << "\n";
    metric("dyad_stories", "gauge", "Stories with at least one event.");
    m << "dyad_stories " << index.story_count() << "\n";
    metric("dyad_change_seq", "counter", "Last change-feed sequence applied.");
    m << "dyad_change_seq " << position.change_seq << "\n";
  }
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  Store& store = **lease;
  const std::vector<SourceState> sources = Take(store.SourceStates());
  auto per_source = [&](const char* name, const char* type, const char* help, auto value) {
    metric(name, type, help);
    for (const SourceState& s : sources) {
      m << name << "{source=\"" << Label(s.name) << "\"} " << value(s) << "\n";
    }
  };
  per_source("dyad_watch_source_items_fetched_total", "counter", "New items a source gave.",
             [](const SourceState& s) { return s.items_fetched; });
  per_source("dyad_watch_source_errors_total", "counter", "Failed polls and items of a source.",
             [](const SourceState& s) { return s.errors; });
  per_source("dyad_watch_source_consecutive_failures", "gauge",
             "Polls of a source that failed in a row (3 or more: unhealthy).",
             [](const SourceState& s) { return s.failures; });
  per_source("dyad_watch_source_last_success_timestamp_seconds", "gauge",
             "Unix time of a source's last successful poll (0: never).", [](const SourceState& s) {
               auto t = watch::ParseUtc(s.last_success);
               return t ? std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count()
                        : 0;
             });
  metric("dyad_watch_queue_items", "gauge", "Items dyad watch fetched and has not stored yet.");
  m << "dyad_watch_queue_items "
    << watch::CountSpool(watch::DefaultSpoolDirectory(options.store_url)).items << "\n";
  metric("dyad_alerts_total", "counter", "Alerts raised by dyad watch.");
  m << "dyad_alerts_total " << Take(store.ListAlerts(100000000)).size() << "\n";
  std::map<std::string, int> states = {{"pending", 0}, {"sent", 0}, {"retrying", 0}, {"failed", 0}};
  for (const NotificationState& n : Take(store.Notifications("", 100000000))) ++states[n.state];
  metric("dyad_notifications", "gauge", "Alert deliveries by state.");
  for (const auto& [state, n] : states) {
    m << "dyad_notifications{state=\"" << Label(state) << "\"} " << n << "\n";
  }
  return m.str();
}

std::string Server::Impl::AlertsFeed(const std::string& dashboard_url) {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  std::vector<watch::Alert> alerts;
  for (const AlertRecord& a : Take((*lease)->ListAlerts(50))) {
    if (auto alert = watch::AlertFromJson(a.payload); alert.ok()) alerts.push_back(std::move(*alert));
  }
  return watch::AlertsAtom(alerts, dashboard_url, std::chrono::system_clock::now());
}

namespace {
Json SavedRuleJson(const SavedRule& r) {
  Json spec = Json::parse(r.spec, nullptr, false);
  return {{"id", r.id}, {"name", r.name}, {"holder", r.holder}, {"created_at", r.created_at},
          {"rule", spec.is_discarded() ? Json() : spec}};
}
}  // namespace

Json Server::Impl::SavedRules() {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  Json out = Json::array();
  for (const SavedRule& r : Take((*lease)->SavedRules())) out.push_back(SavedRuleJson(r));
  return {{"rules", out}};
}

// A dashboard view saved as an alert rule: checked like a [[rule]] of the
// watch file, stored, and evaluated by `dyad watch` from its next cycle.
Json Server::Impl::SaveRule(const std::string& body) {
  watch::AlertRule rule = Take(watch::AlertRuleFromJson(body));
  SavedRule saved;
  saved.name = rule.name;
  saved.spec = watch::AlertRuleToJson(rule);
  saved.holder = options.token_holder;
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  Status s = (*lease)->AddSavedRule(&saved);
  if (!s.ok()) throw FromStatus(s);
  return SavedRuleJson(saved);
}

Json Server::Impl::DeleteRule(std::int64_t id) {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  if (!Take((*lease)->DeleteSavedRule(id))) throw HttpError{404, "no saved rule " + std::to_string(id)};
  return {{"deleted", id}};
}

Json Server::Impl::Health() {
  std::shared_lock lock(index_mu);
  return {{"status", "ok"},
          {"schema", schema},
          {"backend", options.store_url.rfind("postgres", 0) == 0 ? "postgresql" : "sqlite"},
          {"events", index.event_count()},
          {"documents", index.document_count()},
          {"stories", index.story_count()},
          {"latest_date", monitor::FormatDay(index.LatestDay())},
          {"seq", position.change_seq},
          {"writable", !options.token.empty() && corrector != nullptr}};
}

Json Server::Impl::Events(const Params& p) {
  monitor::EventFilter f;
  f.dates = p.Dates();
  std::tie(f.actor_a, f.actor_b) = p.Dyad(false);
  f.directed = p.Flag("directed");
  f.code_prefix = p.Get("code");
  if (!f.code_prefix.empty() &&
      (f.code_prefix.size() > 4 ||
       !std::all_of(f.code_prefix.begin(), f.code_prefix.end(), ::isdigit))) {
    throw HttpError{400, "code: expected a CAMEO code prefix such as 17 or 173"};
  }
  for (const std::string& q : [&] {
         std::vector<std::string> parts;
         std::stringstream ss(p.Get("quad"));
         for (std::string part; std::getline(ss, part, ',');) parts.push_back(part);
         return parts;
       }()) {
    if (q.size() != 1 || q[0] < '1' || q[0] > '4') {
      throw HttpError{400, "quad: expected QuadClasses 1-4, e.g. 3,4"};
    }
    f.quad_classes.push_back(q[0] - '0');
  }
  if (!p.Get("story").empty()) f.story_id = p.Int("story", 0, 1, INT64_MAX);
  std::vector<std::int64_t> ids;
  if (!p.Get("ids").empty()) {
    std::stringstream ss(p.Get("ids"));
    for (std::string part; std::getline(ss, part, ',');) {
      char* end = nullptr;
      const long long id = std::strtoll(part.c_str(), &end, 10);
      if (part.empty() || *end || id <= 0) throw HttpError{400, "ids: expected event ids, e.g. 3,17"};
      ids.push_back(id);
    }
    if (ids.size() > 500) throw HttpError{400, "ids: at most 500"};
    f.ids = ids;
  }
  const std::string text = p.Get("q");
  if (!text.empty()) {
    auto lease = pool.Acquire();
    if (!lease.ok()) throw FromStatus(lease.status());
    std::vector<std::pair<std::int64_t, std::uint32_t>> sentences;
    for (const SentenceHit& h : Take((*lease)->SearchSentences(text, 5000))) {
      sentences.emplace_back(h.document_id, h.index);
    }
    std::vector<std::int64_t> hits = Take((*lease)->EventIdsForSentences(sentences));
    if (f.ids) {
      std::unordered_set<std::int64_t> keep(f.ids->begin(), f.ids->end());
      std::erase_if(hits, [&](std::int64_t id) { return !keep.count(id); });
    }
    f.ids = std::move(hits);
  }
  const int limit = static_cast<int>(p.Int("limit", 50, 1, 500));
  monitor::EventPage page;
  {
    std::shared_lock lock(index_mu);
    page = Take(index.SelectEvents(f, p.Get("cursor"), limit));
  }
  Json out = {{"events", EventsJson(page.ids)}};
  out["next_cursor"] = page.next_cursor.empty() ? Json(nullptr) : Json(page.next_cursor);
  return out;
}

Json Server::Impl::EventById(std::int64_t id) {
  Json events = EventsJson({id});
  if (events.empty()) throw HttpError{404, "no event " + std::to_string(id)};
  return events[0];
}

Json Server::Impl::Dyads(const Params& p) {
  monitor::DyadRankOptions o;
  o.dates = p.Dates();
  if (!monitor::ParseRankBy(p.Get("by", "volume"), &o.by)) {
    throw HttpError{400, "by: expected volume or change"};
  }
  o.limit = static_cast<int>(p.Int("limit", 20, 1, 500));
  o.weeks = static_cast<int>(p.Int("weeks", 12, 1, 520));
  std::shared_lock lock(index_mu);
  const auto dyads = index.RankDyads(o);
  // Each pair's current alert status.
  std::map<std::pair<std::string, std::string>, const monitor::AlertWeek*> current;
  const monitor::AlertsResult alerts = index.Alerts(alert_config, {});
  for (const monitor::AlertWeek& w : alerts.alerts) {
    if (w.week != monitor::BucketStart(alerts.as_of, monitor::Bucket::kWeek)) continue;
    current.emplace(std::make_pair(w.a, w.b), &w);
  }
  Json list = Json::array();
  for (const monitor::DyadSummary& d : dyads) {
    Json j = {{"a", d.a}, {"b", d.b}, {"a_name", d.a_name}, {"b_name", d.b_name},
              {"stories", d.stories}, {"events", d.events},
              {"conflict_stories", d.conflict_stories},
              {"goldstein_mean", Mean(d.goldstein_mean)}, {"change", d.change},
              {"sparkline_start", monitor::FormatDay(d.sparkline_start)},
              {"sparkline", d.sparkline}};
    auto it = current.find({d.a, d.b});
    if (it != current.end() && it->second->status != monitor::AlertStatus::kNormal) {
      j["alert"] = {{"status", monitor::AlertStatusName(it->second->status)},
                    {"rule", it->second->rule},
                    {"week", monitor::FormatDay(it->second->week)}};
    } else {
      j["alert"] = nullptr;
    }
    list.push_back(std::move(j));
  }
  return {{"dyads", std::move(list)}};
}

Json Server::Impl::Timeline(const Params& p) {
  auto [a, b] = p.Dyad(true);
  const monitor::Bucket bucket = p.BucketParam("week");
  monitor::TimelineResult t;
  {
    std::shared_lock lock(index_mu);
    t = Take(index.Timeline(a, b, bucket, p.Dates()));
  }
  Json buckets = Json::array();
  for (const monitor::TimelineBucket& tb : t.buckets) {
    buckets.push_back(
        {{"start", monitor::FormatDay(tb.start)}, {"ab", SideJson(tb.ab)}, {"ba", SideJson(tb.ba)}});
  }
  return {{"a", t.a}, {"b", t.b}, {"bucket", monitor::BucketName(t.bucket)},
          {"buckets", std::move(buckets)}};
}

Json Server::Impl::Sources(const Params& p) {
  monitor::SourceHealthQuery q;
  q.dates = p.Dates();
  q.bucket = p.BucketParam("week");
  if (q.bucket == monitor::Bucket::kMonth) {
    // Allowed: month buckets are fine for long ranges.
  }
  std::tie(q.actor_a, q.actor_b) = p.Dyad(false);
  monitor::SourceHealthResult r;
  {
    std::shared_lock lock(index_mu);
    r = Take(index.SourceHealth(q));
  }
  Json outlets = Json::array();
  for (const monitor::OutletHealth& o : r.outlets) {
    Json counts = Json::array();
    for (size_t i = 0; i < r.starts.size() && i < o.documents.size(); ++i) {
      counts.push_back({{"start", monitor::FormatDay(r.starts[i])}, {"documents", o.documents[i]}});
    }
    outlets.push_back({{"outlet", o.outlet}, {"total", o.total}, {"counts", std::move(counts)}});
  }
  Json gaps = Json::array();
  for (const monitor::SourceGap& g : r.gaps) {
    gaps.push_back({{"outlet", g.outlet}, {"from", monitor::FormatDay(g.from)},
                    {"to", monitor::FormatDay(g.to)}});
  }
  return {{"bucket", monitor::BucketName(r.bucket)}, {"outlets", std::move(outlets)},
          {"gaps", std::move(gaps)}};
}

Json Server::Impl::Citizens(const Params& p) {
  monitor::CitizensQuery q;
  q.of = Params::Actor(p.Required("of"), "of");
  q.in = Params::Actor(p.Required("in"), "in");
  q.dates = p.Dates();
  q.cursor = p.Get("cursor");
  q.limit = static_cast<int>(p.Int("limit", 50, 1, 500));
  monitor::CitizensResult r;
  {
    std::shared_lock lock(index_mu);
    r = Take(index.CitizensAbroad(q));
  }
  Json kinds = Json::object();
  for (size_t i = 0; i < monitor::kCitizenKinds.size(); ++i) kinds[monitor::kCitizenKinds[i]] = r.kinds[i];
  Json timeline = Json::array();
  for (const monitor::WeekCount& w : r.timeline) {
    timeline.push_back({{"start", monitor::FormatDay(w.start)}, {"stories", w.stories},
                        {"conflict_stories", w.conflict_stories}});
  }
  std::vector<std::int64_t> responses(r.response_ids.begin(),
                                      r.response_ids.begin() +
                                          std::min<size_t>(r.response_ids.size(), 100));
  Json out = {{"of", q.of}, {"in", q.in}, {"of_name", CountryName(q.of)},
              {"in_name", CountryName(q.in)}, {"stories", r.stories}, {"event_count", r.events},
              {"kinds", std::move(kinds)}, {"timeline", std::move(timeline)},
              {"events", EventsJson(r.events_page.ids)}, {"responses", EventsJson(responses)}};
  out["next_cursor"] =
      r.events_page.next_cursor.empty() ? Json(nullptr) : Json(r.events_page.next_cursor);
  return out;
}

Json Server::Impl::Exchanges(const Params& p) {
  monitor::ExchangeQuery q;
  q.a = Params::Actor(p.Required("a"), "a");
  q.b = Params::Actor(p.Required("b"), "b");
  q.window_days = static_cast<int>(p.Int("window", 14, 0, 365));
  q.dates = p.Dates();
  const int limit = static_cast<int>(p.Int("limit", 50, 1, 500));
  monitor::ExchangesResult r;
  {
    std::shared_lock lock(index_mu);
    r = index.Exchanges(q);
  }
  if (r.exchanges.size() > static_cast<size_t>(limit)) r.exchanges.resize(limit);
  std::vector<std::int64_t> ids;
  // The first replies of each exchange; the count says how many there are.
  static constexpr size_t kRepliesShown = 5;
  for (const monitor::Exchange& x : r.exchanges) {
    ids.push_back(x.opening_id);
    ids.insert(ids.end(), x.reply_ids.begin(),
               x.reply_ids.begin() + std::min(x.reply_ids.size(), kRepliesShown));
  }
  std::unordered_map<std::int64_t, Json> by_id;
  for (Json& e : EventsJson(ids)) {
    const std::int64_t id = e["id"].get<std::int64_t>();
    by_id[id] = std::move(e);
  }
  Json list = Json::array();
  for (const monitor::Exchange& x : r.exchanges) {
    Json replies = Json::array();
    for (std::int64_t id : x.reply_ids) {
      if (replies.size() >= kRepliesShown) break;
      if (by_id.count(id)) replies.push_back(by_id[id]);
    }
    list.push_back({{"initiator", x.initiator}, {"responder", x.responder},
                    {"opening", by_id.count(x.opening_id) ? by_id[x.opening_id] : Json(nullptr)},
                    {"also_opening_ids", x.also_opening_ids}, {"story_id", x.story_id},
                    {"replies", std::move(replies)}, {"reply_count", x.reply_ids.size()},
                    {"reply_class", monitor::ReplyClassName(x.reply_class)},
                    {"latency_days", x.latency_days ? Json(*x.latency_days) : Json(nullptr)}});
  }
  return {{"a", q.a}, {"b", q.b}, {"window", q.window_days}, {"exchanges", std::move(list)},
          {"unanswered", r.unanswered}};
}

Json Server::Impl::Alerts(const Params& p) {
  monitor::AlertQuery q;
  auto [a, b] = p.Dyad(false);
  if (!a.empty()) {
    q.a = a.substr(0, 3);
    q.b = b.substr(0, 3);
    if (q.b < q.a) std::swap(q.a, q.b);
  }
  if (!p.Get("as_of").empty()) {
    Day d;
    if (!monitor::ParseDay(p.Get("as_of"), &d)) throw HttpError{400, "as_of: expected YYYY-MM-DD"};
    q.as_of = d;
  }
  monitor::AlertsResult r;
  {
    std::shared_lock lock(index_mu);
    r = index.Alerts(alert_config, q);
  }
  // Evidence ids are capped per alert (the counts are whole); the dashboard
  // opens them through /api/events?ids=.
  static constexpr size_t kEvidenceShown = 200;
  auto capped = [](const std::vector<std::int64_t>& ids) {
    return std::vector<std::int64_t>(ids.begin(), ids.begin() + std::min(ids.size(), kEvidenceShown));
  };
  Json list = Json::array();
  for (const monitor::AlertWeek& w : r.alerts) {
    list.push_back({{"dyad", w.a + "-" + w.b}, {"a", w.a}, {"b", w.b},
                    {"a_name", CountryName(w.a)}, {"b_name", CountryName(w.b)},
                    {"week", monitor::FormatDay(w.week)},
                    {"status", monitor::AlertStatusName(w.status)}, {"rule", w.rule},
                    {"stories", w.stories},
                    // The short baseline is the previous month (config short_weeks).
                    {"baseline_4w", w.baseline_short}, {"baseline_52w", w.baseline_long},
                    {"prev_month_mean", w.baseline_short}, {"story_ids", capped(w.story_ids)},
                    {"event_ids", capped(w.event_ids)}, {"event_count", w.event_ids.size()}});
  }
  return {{"config", Json::parse(monitor::AlertConfigJson(alert_config))},
          {"as_of", monitor::FormatDay(r.as_of)}, {"alerts", std::move(list)}};
}

Json Server::Impl::Map(const Params& p) {
  const std::string actor = Params::Actor(p.Required("actor"), "actor");
  const std::string metric = p.Get("metric", "volume");
  if (metric != "volume" && metric != "goldstein") {
    throw HttpError{400, "metric: expected volume or goldstein"};
  }
  std::vector<monitor::MapCountry> countries;
  {
    std::shared_lock lock(index_mu);
    countries = index.Map(actor, p.Dates());
  }
  Json list = Json::array();
  for (const monitor::MapCountry& c : countries) {
    list.push_back({{"code", c.code}, {"iso2", c.iso2}, {"name", c.name},
                    {"stories", c.stories}, {"events", c.events},
                    {"goldstein_mean", Mean(c.goldstein_mean)}});
  }
  return {{"actor", actor}, {"actor_name", CountryName(actor)}, {"metric", metric},
          {"countries", std::move(list)}};
}

Json Server::Impl::Document(std::int64_t id) {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  DocumentView view = Take((*lease)->GetDocument(id));
  std::vector<std::pair<std::int64_t, std::uint32_t>> keys;
  for (const StoredSentence& s : view.sentences) keys.emplace_back(id, s.index);
  std::vector<std::int64_t> event_ids = Take((*lease)->EventIdsForSentences(keys));
  std::vector<EventRow> rows = Take((*lease)->GetEvents(event_ids));
  std::map<std::uint32_t, std::vector<std::int64_t>> by_sentence;
  Json events = Json::array();
  for (const EventRow& row : rows) {
    by_sentence[row.event.sentence_index].push_back(row.event_id);
    events.push_back(EventJson(row));
  }
  Json sentences = Json::array();
  for (size_t i = 0; i < view.sentences.size(); ++i) {
    const std::uint32_t idx = view.sentences[i].index;
    sentences.push_back({{"idx", idx}, {"text", view.sentence_texts[i]},
                         {"event_ids", by_sentence.count(idx) ? Json(by_sentence[idx])
                                                               : Json::array()}});
  }
  Json story = Json::array();
  std::vector<std::int64_t> story_docs = Take((*lease)->StoryDocuments(view.document.story_id));
  for (std::int64_t other : story_docs) {
    if (other == id || story.size() >= 50) continue;
    DocumentView o = Take((*lease)->GetDocument(other));
    story.push_back({{"id", other}, {"title", o.document.title}, {"outlet", o.document.source},
                     {"date", o.document.date}, {"url", o.document.url}});
  }
  const StoredDocument& d = view.document;
  return {{"id", d.id}, {"title", d.title}, {"url", d.url}, {"outlet", d.source},
          {"date", d.date}, {"date_origin", d.date_origin}, {"lang", d.lang},
          {"story_id", d.story_id}, {"origin", d.origin}, {"sentences", std::move(sentences)},
          {"events", std::move(events)}, {"story", std::move(story)}};
}

Json Server::Impl::Explain(const std::string& text, const std::string& date) {
  if (text.empty()) throw HttpError{400, "missing parameter: text"};
  if (text.size() > 20000) throw HttpError{413, "text: at most 20000 bytes"};
  std::shared_ptr<const Coder> coder;
  if (corrector) {
    coder = corrector->coder();   // safe from any thread
  } else {
    coder = explain_coder;
  }
  dyad::Document doc{"explain", date, text, "", "", ""};
  Trace trace;
  Json events = Json::array();
  for (const Event& e : coder->CodeDocument(doc, &trace)) events.push_back(server::UnstoredEventJson(e));
  return {{"events", std::move(events)}, {"trace", trace.lines}};
}

Json Server::Impl::Codes() {
  Json list = Json::array();
  // Every code of the CAMEO table, in code order.
  std::vector<const CameoCode*> codes;
  const CameoTable& table = CameoTable::Builtin();
  auto add = [&](const std::string& code) {
    if (const CameoCode* c = table.Find(code)) codes.push_back(c);
  };
  char buf[8];
  for (int root = 1; root <= 20; ++root) {
    std::snprintf(buf, sizeof buf, "%02d", root);
    add(buf);
    for (int sub = 0; sub <= 9; ++sub) {
      std::snprintf(buf, sizeof buf, "%02d%d", root, sub);
      add(buf);
      for (int leaf = 0; leaf <= 9; ++leaf) {
        std::snprintf(buf, sizeof buf, "%02d%d%d", root, sub, leaf);
        add(buf);
      }
    }
  }
  for (const CameoCode* c : codes) {
    list.push_back({{"code", c->code}, {"name", c->name}, {"goldstein", c->goldstein},
                    {"quad_class", c->quad_class}});
  }
  return {{"codes", std::move(list)}};
}

Json Server::Impl::Changes(const Params& p) {
  const std::int64_t since = p.Int("since", 0, 0, INT64_MAX);
  const int limit = static_cast<int>(p.Int("limit", 1000, 1, 10000));
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  const std::vector<EventChange> changes = Take((*lease)->ChangesSince(since, limit));
  const std::int64_t latest = Take((*lease)->LatestChange());
  Json list = Json::array();
  for (const EventChange& c : changes) {
    list.push_back({{"seq", c.seq}, {"event_id", c.event_id}, {"document_id", c.document_id},
                    {"kind", c.kind}, {"at", c.at}});
  }
  return {{"changes", std::move(list)},
          {"next", changes.empty() ? since : changes.back().seq},
          {"latest", latest}};
}

namespace {

// A diff row: stored rows as API events; preview rows (not stored yet, id 0)
// without ids.
Json DiffRows(const std::vector<EventRow>& rows) {
  Json list = Json::array();
  for (const EventRow& row : rows) {
    Json j = EventJson(row);
    if (row.event_id == 0) j["id"] = nullptr;
    list.push_back(std::move(j));
  }
  return list;
}

Json DiffJson(const CorrectionDiff& diff) {
  return {{"documents", diff.documents.size()},
          {"document_ids", diff.documents},
          {"added", DiffRows(diff.added)},
          {"removed", DiffRows(diff.removed)},
          {"updated", DiffRows(diff.updated)},
          {"events_altered", diff.events_altered()},
          {"truncated", diff.truncated}};
}

Json RecordJson(const CorrectionRecord& c) {
  return {{"id", c.id}, {"at", c.at}, {"holder", c.holder}, {"kind", c.kind},
          {"summary", c.summary}, {"events_altered", c.events_altered},
          {"payload", Json::parse(c.payload, nullptr, false)},
          {"reverts", c.reverts ? Json(c.reverts) : Json(nullptr)},
          {"reverted_by", c.reverted_by ? Json(c.reverted_by) : Json(nullptr)}};
}

}  // namespace

Json Server::Impl::CorrectionsLog() {
  auto lease = pool.Acquire();
  if (!lease.ok()) throw FromStatus(lease.status());
  Json list = Json::array();
  for (const CorrectionRecord& c : Take((*lease)->ListCorrections(500))) {
    list.push_back(RecordJson(c));
  }
  return {{"corrections", std::move(list)}};
}

void Server::Impl::RequireWrite(const httplib::Request& req) const {
  if (options.token.empty() || !corrector) {
    throw HttpError{403, "this server is read-only: start it with --token to allow corrections"};
  }
  const std::string auth = req.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (auth.rfind(prefix, 0) != 0 || !ConstantTimeEquals(auth.substr(prefix.size()), options.token)) {
    throw HttpError{401, "a valid token is needed: Authorization: Bearer <token>"};
  }
}

void Server::Impl::Routes() {
  // Runs a handler, turning its failures into JSON errors.
  auto json_route = [this](auto handler, bool cacheable) {
    return [this, handler, cacheable](const httplib::Request& req, httplib::Response& res) {
      try {
        if (!cacheable) {
          res.set_content(Dump(handler(req)), "application/json; charset=utf-8");
          return;
        }
        std::string key = req.path;
        for (const auto& [k, v] : std::multimap<std::string, std::string>(req.params.begin(),
                                                                          req.params.end())) {
          key += '&';
          key += k;
          key += '=';
          key += v;
        }
        auto body = cache.GetOrCompute(key, [&] { return Dump(handler(req)); });
        res.set_content(*body, "application/json; charset=utf-8");
      } catch (const HttpError& e) {
        res.status = e.status;
        res.set_content(Dump({{"error", e.message}}), "application/json; charset=utf-8");
      } catch (const std::exception& e) {
        res.status = 500;
        res.set_content(Dump({{"error", std::string("internal error: ") + e.what()}}),
                        "application/json; charset=utf-8");
      }
    };
  };
  auto id_of = [](const httplib::Request& req) -> std::int64_t {
    const std::string v = req.matches[1];
    if (v.size() > 18) throw HttpError{404, "no such id"};
    return std::stoll(v);
  };
  auto get = [&](const char* path, auto handler, bool cacheable = true) {
    http.Get(path, json_route(handler, cacheable));
  };
  get("/api/health", [this](const httplib::Request&) { return Health(); }, false);
  get("/api/events", [this](const httplib::Request& r) { return Events(Params(r)); });
  get(R"(/api/events/(\d+))", [this, id_of](const httplib::Request& r) { return EventById(id_of(r)); });
  get("/api/dyads", [this](const httplib::Request& r) { return Dyads(Params(r)); });
  get("/api/timeline", [this](const httplib::Request& r) { return Timeline(Params(r)); });
  get("/api/sources", [this](const httplib::Request& r) { return Sources(Params(r)); });
  get("/api/citizens", [this](const httplib::Request& r) { return Citizens(Params(r)); });
  get("/api/exchanges", [this](const httplib::Request& r) { return Exchanges(Params(r)); });
  get("/api/alerts", [this](const httplib::Request& r) { return Alerts(Params(r)); });
  get("/api/map", [this](const httplib::Request& r) { return Map(Params(r)); });
  get(R"(/api/documents/(\d+))", [this, id_of](const httplib::Request& r) { return Document(id_of(r)); });
  get("/api/explain", [this](const httplib::Request& r) {
    Params p(r);
    return Explain(p.Get("text"), p.Get("date"));
  }, false);
  get("/api/codes", [this](const httplib::Request&) { return Codes(); });
  get("/api/changes", [this](const httplib::Request& r) { return Changes(Params(r)); }, false);
  get("/api/corrections", [this](const httplib::Request&) { return CorrectionsLog(); }, false);
  get("/api/watch", [this](const httplib::Request&) { return WatchStatus(); }, false);
  // Plain-text routes: Prometheus metrics and the alerts feed.
  auto text_route = [](auto handler, const char* type) {
    return [handler, type](const httplib::Request& req, httplib::Response& res) {
      try {
        res.set_content(handler(req), type);
      } catch (const HttpError& e) {
        res.status = e.status;
        res.set_content(e.message, "text/plain; charset=utf-8");
      } catch (const std::exception& e) {
        res.status = 500;
        res.set_content(std::string("internal error: ") + e.what(), "text/plain; charset=utf-8");
      }
    };
  };
  http.Get("/metrics", text_route([this](const httplib::Request&) { return Metrics(); },
                                  "text/plain; version=0.0.4; charset=utf-8"));
  http.Get("/alerts.atom", text_route([this](const httplib::Request& req) {
    // Links point back at this server as the client reached it.
    std::string host = req.get_header_value("Host");
    if (host.empty() || host.find_first_of(" \"<>\\") != std::string::npos) host = "127.0.0.1";
    return AlertsFeed("http://" + host + "/");
  }, "application/atom+xml; charset=utf-8"));

  auto post = [&](const char* path, auto handler) { http.Post(path, json_route(handler, false)); };
  post("/api/explain", [this](const httplib::Request& r) {
    Json body = Json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("text") || !body["text"].is_string()) {
      throw HttpError{400, "body: expected {\"text\": \"...\"}"};
    }
    return Explain(body["text"].get<std::string>(), body.value("date", std::string()));
  });
  post("/api/corrections/preview", [this](const httplib::Request& r) {
    RequireWrite(r);
    return Correct(r.body, true);
  });
  post("/api/corrections", [this](const httplib::Request& r) {
    RequireWrite(r);
    return Correct(r.body, false);
  });
  post(R"(/api/corrections/(\d+)/revert)", [this, id_of](const httplib::Request& r) {
    RequireWrite(r);
    return Revert(id_of(r));
  });
  get("/api/rules", [this](const httplib::Request&) { return SavedRules(); }, false);
  post("/api/rules", [this](const httplib::Request& r) {
    RequireWrite(r);
    return SaveRule(r.body);
  });
  http.Delete(R"(/api/rules/(\d+))", json_route([this, id_of](const httplib::Request& r) {
    RequireWrite(r);
    return DeleteRule(id_of(r));
  }, false));
  http.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 404;
    res.set_content(Dump({{"error", "no such route: " + req.path}}), "application/json; charset=utf-8");
  });

  // The dashboard. httplib refuses paths that climb out of the directory.
  std::string web = options.web_dir.empty() ? DefaultWebDirectory() : options.web_dir;
  if (!http.set_mount_point("/", web)) {
    std::cerr << "dyad serve: no dashboard at " << web
              << " (build it: bash scripts/web.sh); the API still works\n";
    http.Get("/", [web](const httplib::Request&, httplib::Response& res) {
      res.set_content("dyad: the dashboard is not built (bash scripts/web.sh); the API is at /api/",
                      "text/plain; charset=utf-8");
    });
  }

  // Defence in depth: the dashboard escapes every value itself; these
  // headers stop a mistake from turning into script execution.
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                   "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                   "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  });
  // Debian's cpp-httplib listens with a backlog of 5, so a burst of new
  // connections (a dashboard's parallel requests, a load test) would see
  // SYNs dropped and one-second retries. The listening socket is noted here
  // and given a real backlog once bound (Start).
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket = sock;
  });
  // Headers and body go out in separate writes: without TCP_NODELAY the
  // body waits for the client's delayed ACK (~40 ms per response).
  http.set_tcp_nodelay(true);
  http.set_payload_max_length(options.max_body_bytes);
  http.set_keep_alive_max_count(1000);
  const int threads = std::max(2, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

Json Server::Impl::Correct(const std::string& body, bool preview) {
  Correction correction = Take(ParseCorrection(std::string_view(body)));
  Json out;
  {
    std::lock_guard<std::mutex> lock(corrections_mu);
    if (preview) return DiffJson(Take(corrector->Preview(correction)));
    AppliedCorrection applied = Take(corrector->Apply(correction, options.token_holder));
    out = DiffJson(applied.diff);
    out["correction"] = RecordJson(applied.record);
  }
  Take(Refresh());   // the dashboard sees the re-coded events at once
  return out;
}

Json Server::Impl::Revert(std::int64_t id) {
  Json out;
  {
    std::lock_guard<std::mutex> lock(corrections_mu);
    AppliedCorrection applied = Take(corrector->Revert(id, options.token_holder));
    out = DiffJson(applied.diff);
    out["correction"] = RecordJson(applied.record);
  }
  Take(Refresh());
  return out;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  if (!options.alerts_config.empty()) {
    std::ifstream in(options.alerts_config, std::ios::binary);
    if (!in) return NotFound("cannot read the alerts configuration", options.alerts_config);
    std::stringstream ss;
    ss << in.rdbuf();
    auto config = monitor::ParseAlertConfig(ss.str());
    if (!config.ok()) {
      return Status(config.status().code(), config.status().message(), options.alerts_config);
    }
    impl->alert_config = *config;
  }
  {
    // The store must open (and be migrated) before anything else.
    auto lease = impl->pool.Acquire();
    if (!lease.ok()) return lease.status();
  }
  DYAD_RETURN_IF_ERROR(impl->Load());
  const std::string dict_dir =
      options.dict_dir.empty() ? Dictionary::DefaultDirectory() : options.dict_dir;
  // The user dictionary: --user-dict (created by the first correction when
  // missing), else $DYAD_USER_DICT, else beside a SQLite store.
  std::string user_dict = options.user_dict;
  if (user_dict.empty()) {
    auto path = Dictionary::UserDictionaryPath("", StoreUserDictionaryPath(options.store_url));
    if (!path.ok()) return path.status();
    user_dict = *path;
  }
  if (!options.token.empty() && !user_dict.empty()) {
    auto writer = Store::Open(options.store_url);
    if (!writer.ok()) return writer.status();
    impl->writer = std::move(writer).value();
    auto corrector = Corrector::Create(impl->writer.get(), dict_dir, user_dict);
    if (!corrector.ok()) return corrector.status();
    impl->corrector = std::move(corrector).value();
  } else {
    if (!options.token.empty()) {
      std::cerr << "dyad serve: no user dictionary for this store (give --user-dict); "
                   "corrections are off\n";
    }
    auto setup = LoadCodingSetup(dict_dir, {}, user_dict);
    if (!setup.ok()) return setup.status();
    impl->explain_coder = setup->coder;
  }
  impl->Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Start() {
  Impl& m = *impl_;
  // cpp-httplib writes with send() without MSG_NOSIGNAL: a client that
  // hangs up mid-response would otherwise kill the process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  if (m.options.port == 0) {
    m.bound_port = m.http.bind_to_any_port(m.options.bind);
  } else {
    m.bound_port = m.http.bind_to_port(m.options.bind, m.options.port) ? m.options.port : -1;
  }
  if (m.bound_port <= 0) {
    return IoError("cannot listen on " + m.options.bind + ":" + std::to_string(m.options.port) +
                   " (in use, or not an address of this machine)");
  }
  if (m.listen_socket >= 0) ::listen(m.listen_socket, 1024);   // see Routes()
  m.listener = std::thread([&m] { m.http.listen_after_bind(); });
  m.refresher = std::thread([&m] { m.RefreshLoop(); });
  // listen_after_bind has started once is_running() says so.
  while (!m.http.is_running() && !m.stopping) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

int Server::port() const { return impl_->bound_port; }

void Server::Wait() {
  std::unique_lock<std::mutex> lock(impl_->stop_mu);
  impl_->stop_cv.wait(lock, [&] { return impl_->stopping.load(); });
}

void Server::Stop() {
  Impl& m = *impl_;
  std::lock_guard<std::mutex> one(m.stop_call_mu);
  {
    std::lock_guard<std::mutex> lock(m.stop_mu);
    m.stopping = true;
  }
  m.stop_cv.notify_all();
  m.http.stop();
  if (m.listener.joinable()) m.listener.join();
  if (m.refresher.joinable()) m.refresher.join();
}

Result<std::int64_t> Server::Refresh() { return impl_->Refresh(); }

}  // namespace dyad
