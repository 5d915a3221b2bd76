// Constant watch (`dyad watch`): sources polled politely, new items ingested
// and coded, alert rules evaluated, notifications delivered — for months,
// without losing or doubling anything. Configuration: a TOML file
// (docs/watch.md, example in data/watch.example.toml).
//
// Parts, each in src/watch/:
//   config.cc   WatchConfig from TOML (every error names file:line and key)
//   fetch.cc    Fetcher: libcurl, conditional requests, robots.txt, per-host
//               rate limits and concurrency, retries with backoff, limits
//   notify.cc   alert rules -> notifications (webhook, SMTP, Atom), each
//               delivery's state recorded and retried
//   loop.cc     WatchLoop: poll due sources, fetch, ingest, evaluate, notify;
//               state in the store so a restart resumes
#ifndef DYAD_WATCH_H_
#define DYAD_WATCH_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <memory>
#include <optional>
#include <regex>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "dyad/ingest.h"
#include "dyad/monitor.h"
#include "dyad/readers.h"
#include "dyad/status.h"

namespace dyad::watch {

// --- Configuration (config.cc) ---

struct SourceConfig {
  std::string name;                 // unique; the store keys state by it
  std::string kind;                 // "feed", "page" (section page + link pattern),
                                    // "telegram" (public t.me/s/<channel> preview), "folder"
  std::string url;                  // feed/page/telegram URL, or folder path
  std::string link_pattern;         // "page": ECMAScript regex article links must match
  double interval_seconds = 900;    // poll interval
  std::string lang;                 // "" = detect
  std::vector<std::string> tags;
};

struct DyadWatch {
  std::string a, b;                 // country codes, "UZB", "RUS"
};

struct PopulationWatch {
  std::string of, in;               // "UZB citizens in RUS": of = UZB, in = RUS
};

// An alert rule. Kinds:
//   "spike":     conflict stories of a dyad or population in the last
//                `days` above `ratio` x the weekly baseline (floors apply)
//   "codes":     any event with one of `codes` (prefixes) against the
//                population / between the dyad
//   "unanswered": A sent a complaint/demand/accusation to B and B has not
//                replied within `days`
struct AlertRule {
  std::string name;                 // unique
  std::string kind;
  std::string dyad;                 // "UZB-RUS" or ""
  std::string population;           // "UZB in RUS" or ""
  std::vector<std::string> codes;   // "codes": CAMEO prefixes
  int days = 7;
  double ratio = 2.0;
  std::vector<std::string> notify;  // names of notifiers; empty = all
};

struct NotifierConfig {
  std::string name;
  std::string kind;                 // "webhook", "smtp", "atom"
  std::string url;                  // webhook URL, or smtp://host:port
  std::string from, to;             // smtp
  std::string username, password_env;   // smtp auth; the password from this env var
  std::string path;                 // atom: file written (also served at /alerts.atom)
};

struct FetchPolicy {
  std::string user_agent = "dyad-watch/0.1 (+https://example.org/dyad)";
  double timeout_seconds = 20;
  int max_redirects = 5;
  std::int64_t max_bytes = 10 << 20;      // per response
  int retries = 3;                        // per fetch, with exponential backoff
  double backoff_seconds = 2;             // first retry delay; doubles
  double per_host_interval_seconds = 1;   // at least this between requests to a host
  int per_host_concurrency = 2;
  int max_concurrency = 8;
  bool respect_robots = true;
};

struct WatchConfig {
  std::string path;                 // the file it came from
  std::vector<SourceConfig> sources;
  std::vector<DyadWatch> dyads;
  std::vector<PopulationWatch> populations;
  std::vector<AlertRule> rules;
  std::vector<NotifierConfig> notifiers;
  FetchPolicy fetch;
  std::string dashboard_url = "http://127.0.0.1:8080/";   // links in notifications
};

// Parses and validates; InvalidArgument naming file:line and the key.
Result<WatchConfig> LoadWatchConfig(const std::string& path);
Result<WatchConfig> ParseWatchConfig(const std::string& toml_text, const std::string& origin);

// An alert rule as JSON (saved from the dashboard, docs/watch.md) and back.
// AlertRuleFromJson applies the checks of a [[rule]] in the file; the
// message names the key ("rule.codes[0]: ..."). Notifier names are checked
// by the watch loop, which knows its notifiers.
std::string AlertRuleToJson(const AlertRule& rule);
Result<AlertRule> AlertRuleFromJson(std::string_view json);

// --- Fetching (fetch.cc) ---

struct FetchRequest {
  std::string url;
  std::string etag, last_modified;  // validators from the previous fetch
};

struct FetchResult {
  int status = 0;                   // final HTTP status; 304 = not modified
  std::string url;                  // after redirects
  std::string body;                 // decoded (gzip/deflate)
  std::string content_type;
  std::string etag, last_modified;
  int attempts = 0;
  std::string error;                // "" on success; else what failed (timeout, too large,
                                    // redirect loop, robots.txt disallows, HTTP 500, ...)
  bool ok() const { return error.empty(); }
};

// The time the Fetcher spaces requests and backs off by. The default is the
// steady clock with real sleeps; tests pass a fake to check the schedule
// without waiting. Implementations must be thread-safe.
class FetchClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~FetchClock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepUntil(TimePoint t) = 0;
};

// Thread-safe. Honours robots.txt (cached per host), per-host spacing and
// concurrency, retries transient failures (timeouts, 5xx, 429 with
// Retry-After) with exponential backoff, refuses bodies over max_bytes.
// Details in docs/watch.md ("Fetching").
class Fetcher {
 public:
  explicit Fetcher(FetchPolicy policy);
  // `clock` replaces the steady clock for spacing and backoff (shared by
  // the Fetcher's threads); null means the steady clock.
  Fetcher(FetchPolicy policy, std::shared_ptr<FetchClock> clock);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;
  FetchResult Fetch(const FetchRequest& request);
  // Several at once, within the concurrency caps; results in request order.
  std::vector<FetchResult> FetchAll(const std::vector<FetchRequest>& requests);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- Alert rules and notifications (notify.cc) ---
//
//   std::vector<Alert> fired = EvaluateRules(config, index, today);
//   Result<std::vector<Alert>> fresh = TakeNewAlerts(std::move(fired), &log);
//   // the caller fills Evidence::sentence from the store, then for each
//   // alert and each of NotifiersFor(rule):
//   Result<DeliveryRecord> d = Dispatch(*notifier, alert, /*attempts_before=*/0, retry, now, &log);
//
// Evaluation only reads the index; dedupe and delivery state go through an
// AlertLog, so the storage (a store table, or MemoryAlertLog in tests) is
// the caller's choice.

// One event behind an alert.
struct Evidence {
  std::int64_t event_id = 0;
  std::int64_t story_id = 0;
  std::string date;                 // "YYYY-MM-DD" or ""
  std::string source, target, code;
  std::string sentence;             // filled by the caller (the store has the text); "" = none
};

struct Alert {
  std::string rule;                 // AlertRule::name
  std::string kind;                 // "spike", "codes", "unanswered"
  std::string subject;              // "UZB-RUS" (a dyad) or "UZB in RUS" (a population)
  // Stable across runs: rule, subject and what it is about ("week:2024-02-26",
  // "story:42", "opening:17"). The same key is never notified twice.
  std::string key;
  std::string date;                 // the week's Monday, the story's / opening's day
  std::string title;                // one line
  std::string summary;              // a few plain-text lines
  std::string link;                 // into the dashboard (dyad, citizens or exchanges view)
  std::vector<std::int64_t> story_ids;
  std::vector<Evidence> evidence;   // oldest first, at most kMaxEvidence; links to
                                    // them are dashboard_url + "#/event/<id>"
};
inline constexpr std::size_t kMaxEvidence = 20;

// Every alert the rules give as of `today` (a monitor::Day: days since
// 1970-01-01), in rule order; keys are unique within the result. Rules look
// at the last `days` days up to `today` (see docs/watch.md); evaluating
// again gives the same keys, so TakeNewAlerts drops what was already seen.
// A rule without dyad and population covers every watched dyad (and, for
// spike and codes, every watched population).
std::vector<Alert> EvaluateRules(const WatchConfig& config, const monitor::MonitorIndex& index,
                                 monitor::Day today);

// "<dashboard_url>#/event/<id>" and friends; dashboard_url may lack the '/'.
std::string DashboardLink(const std::string& dashboard_url, const std::string& fragment);

enum class DeliveryState { kSent, kRetrying, kFailed };
const char* DeliveryStateName(DeliveryState s);   // "sent", "retrying", "failed"

// What one delivery attempt gave.
struct DeliveryResult {
  bool sent = false;
  std::string error;                // "" when sent
};

struct DeliveryRecord {
  std::string alert_key;
  std::string notifier;
  DeliveryState state = DeliveryState::kFailed;
  std::string error;                // the last attempt's error; "" when sent
  int attempts = 0;                 // attempts made so far, this one included
  // kRetrying: when to try again.
  std::optional<std::chrono::system_clock::time_point> next_attempt;
};

// Where alerts and delivery states are kept. Implementations need not be
// thread-safe; the watch loop calls them from one thread.
class AlertLog {
 public:
  virtual ~AlertLog() = default;
  virtual Result<bool> SeenKey(const std::string& key) = 0;
  virtual Status Record(const Alert& alert) = 0;
  // Replaces the record of (alert_key, notifier).
  virtual Status RecordDelivery(const DeliveryRecord& record) = 0;
};

// In memory, for tests and `--once` runs without a store.
class MemoryAlertLog : public AlertLog {
 public:
  Result<bool> SeenKey(const std::string& key) override;
  Status Record(const Alert& alert) override;
  Status RecordDelivery(const DeliveryRecord& record) override;
  const std::vector<Alert>& alerts() const { return alerts_; }
  // Keyed by (alert_key, notifier).
  const std::map<std::pair<std::string, std::string>, DeliveryRecord>& deliveries() const {
    return deliveries_;
  }

 private:
  std::vector<Alert> alerts_;
  std::map<std::pair<std::string, std::string>, DeliveryRecord> deliveries_;
};

// The alerts whose key `log` has not seen, each recorded in it; order kept.
Result<std::vector<Alert>> TakeNewAlerts(std::vector<Alert> fired, AlertLog* log);

// Exponential backoff: attempt n (1-based) failed -> retry after
// initial x 2^(n-1), at most max; after max_attempts attempts, give up.
struct RetryPolicy {
  int max_attempts = 6;
  double initial_seconds = 60;
  double max_seconds = 6 * 3600;
};
// After `attempts` failed attempts, the last at `last`: the time of the
// next one, or nullopt when the policy gives up (state "failed").
std::optional<std::chrono::system_clock::time_point> NextAttempt(
    const RetryPolicy& policy, int attempts, std::chrono::system_clock::time_point last);

struct NotifierOptions {
  std::string dashboard_url = "http://127.0.0.1:8080/";
  double timeout_seconds = 20;      // webhook and SMTP
  std::string user_agent = "dyad-watch/0.1";
  std::size_t atom_entries = 50;    // the Atom feed keeps the latest N alerts
  // The clock (Atom <updated>, the e-mail Date header); default: the system clock.
  std::function<std::chrono::system_clock::time_point()> now;
  // Looks up NotifierConfig::password_env; default: std::getenv.
  std::function<std::optional<std::string>(const std::string&)> getenv;
};

// Delivers alerts one way. Deliver never throws; a failure is a value.
// Webhook and SMTP notifiers are thread-compatible (one Deliver at a time per
// object); the Atom notifier owns its file.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual const std::string& name() const = 0;
  virtual DeliveryResult Deliver(const Alert& alert) = 0;
};

// The notifier for a validated config entry. The Atom notifier reads back
// the entries of an existing feed file so a restart keeps them.
Result<std::unique_ptr<Notifier>> MakeNotifier(const NotifierConfig& config,
                                               const NotifierOptions& options);

// The JSON body a webhook receives (documented in docs/watch.md).
std::string WebhookJson(const Alert& alert, const std::string& dashboard_url);
// The RFC 5322 message an SMTP notifier sends (CRLF line ends).
std::string EmailMessage(const Alert& alert, const NotifierConfig& config,
                         const std::string& dashboard_url,
                         std::chrono::system_clock::time_point now);

// One attempt: delivers, works out the state (sent; retrying with the next
// attempt time; failed once the policy gives up) and records it in `log`
// (when not null). `attempts_before` counts the earlier failed attempts.
// An error only when the log cannot record the state.
Result<DeliveryRecord> Dispatch(Notifier& notifier, const Alert& alert, int attempts_before,
                        const RetryPolicy& policy, std::chrono::system_clock::time_point now,
                        AlertLog* log);

// The names of the notifiers a rule sends to (AlertRule::notify, or all of
// them when it names none); none for an unknown rule.
std::vector<std::string> NotifiersFor(const WatchConfig& config, const std::string& rule);

// --- Alerts kept in a store (alert_log.cc) ---

// An alert as JSON (the alerts table's payload) and back. AlertFromJson
// refuses what AlertToJson cannot have written (InvalidArgument).
std::string AlertToJson(const Alert& alert);
Result<Alert> AlertFromJson(std::string_view json);

// The AlertLog of `dyad watch`: alerts in the store's alerts table (the key
// unique there too), deliveries in its notifications table, so a restart
// neither forgets what was sent nor sends it again.
class StoreAlertLog : public AlertLog {
 public:
  explicit StoreAlertLog(Store* store) : store_(store) {}
  Result<bool> SeenKey(const std::string& key) override;
  Status Record(const Alert& alert) override;
  Status RecordDelivery(const DeliveryRecord& record) override;

 private:
  Store* store_;
};

// "2025-01-13T10:00:00Z" and back (UTC, whole seconds); nullopt when malformed.
std::string FormatUtc(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view text);

// --- What fetched pages hold (sources.cc) ---

// `href` resolved against `base` (RFC 3986, libcurl's URL parser), the
// fragment dropped; "" when either cannot be parsed or the result is not
// http(s).
std::string ResolveUrl(const std::string& base, const std::string& href);

// The article links of a section page: every <a href>, resolved against
// `base_url`, that `pattern` (ECMAScript) finds in the absolute URL; page
// order, each once.
std::vector<std::string> ExtractLinks(std::string_view html, const std::string& base_url,
                                      const std::regex& pattern);

// The posts of a public Telegram channel's web preview (t.me/s/<channel>):
// one document per post with text, its permanent URL (https://t.me/<channel>/<n>),
// its date and the channel as source; posts without text are skipped.
std::vector<RawDocument> ParseTelegramPreview(std::string_view html, const std::string& page_url);

// --- The loop (loop.cc) ---
//
//   WatchOptions options;
//   options.spool_dir = DefaultSpoolDirectory(db);
//   auto loop = WatchLoop::Create(config, store.get(), setup, options).value();
//   for (;;) { loop->RunOnce(); sleep(loop->SecondsUntilDue()); }
//
// One cycle: (1) what an earlier run fetched but did not store is ingested
// from the spool; (2) every source due is fetched (feeds, pages and
// Telegram previews in parallel within the fetch policy's caps), the
// article pages of new items are fetched, and everything new is written to
// one spool file (fsync, rename) before the sources' state (validators,
// next poll) is saved; (3) the spool file is ingested like `dyad ingest`
// does and then removed; (4) the rules are evaluated over the store's
// events and new alerts recorded with one pending delivery per notifier;
// (5) pending and due retrying deliveries are attempted. A kill at any
// point loses nothing (what was fetched is in the spool or refetched,
// since validators are saved only after the spool file) and doubles
// nothing (documents are keyed by content, alerts by key).

struct WatchOptions {
  std::string spool_dir;                  // required; created when missing
  int threads = 0;                        // ingest's coding threads; 0 = all cores
  std::size_t max_items_per_poll = 500;   // new items taken from one source per poll
  double max_backoff_seconds = 24 * 3600; // a failing source's longest wait
  RetryPolicy delivery;
  // Wall clock for polls, deliveries and rule evaluation; default system clock.
  std::function<std::chrono::system_clock::time_point()> now;
  // Evaluate rules as of this day instead of now()'s (tests, replays).
  std::optional<monitor::Day> today;
  std::shared_ptr<FetchClock> fetch_clock;   // null: the steady clock
  std::ostream* log = nullptr;            // one line per source polled and per alert
};

struct SourcePoll {
  std::string name;
  int status = 0;                         // HTTP status of the source URL (0: folder / failed)
  std::int64_t items = 0;                 // listed by the source
  std::int64_t fresh = 0;                 // new documents taken
  std::int64_t skipped = 0;               // already stored (by URL)
  std::vector<std::string> item_errors;   // "url: error" per item that failed
  std::string error;                      // the source itself failed ("" = ok)
};

struct CycleReport {
  std::vector<SourcePoll> polls;          // sources polled this cycle, config order
  std::int64_t documents_added = 0, events_added = 0, duplicates = 0;
  std::int64_t alerts_new = 0;
  std::int64_t deliveries_sent = 0, deliveries_retrying = 0, deliveries_failed = 0;
  std::vector<std::string> errors;        // store, spool and ingest problems
};

// "<db>.watch-spool" beside a SQLite store; "" for PostgreSQL (give one).
std::string DefaultSpoolDirectory(const std::string& store_url);

// The spool files waiting to be stored (not hidden, "*.jsonl"), sorted; none
// when the directory does not exist.
std::vector<std::string> SpoolFiles(const std::string& dir);
// What they hold: files and non-empty lines (fetched items).
struct SpoolQueue {
  std::int64_t files = 0, items = 0;
};
SpoolQueue CountSpool(const std::string& dir);

// A polled source's health: "ok", "failing" (its last poll failed) or
// "unhealthy" (three or more polls failed in a row).
const char* SourceHealth(const SourceState& state);

class WatchLoop {
 public:
  // Validates the notifiers, creates the spool directory and queues a
  // delivery for any stored alert that has none (a kill between recording
  // an alert and queueing it). `store` must outlive the loop.
  static Result<std::unique_ptr<WatchLoop>> Create(WatchConfig config, Store* store,
                                                   CodingSetup setup, WatchOptions options);
  ~WatchLoop();
  WatchLoop(const WatchLoop&) = delete;
  WatchLoop& operator=(const WatchLoop&) = delete;

  // One cycle over the sources due now (every source with `all`). An error
  // only when the store fails; source, page and delivery failures are in
  // the report and the store.
  Result<CycleReport> RunOnce(bool all = false);
  // Seconds until a source is due or a delivery retry is (0 when one is).
  double SecondsUntilDue();

 private:
  struct Impl;
  explicit WatchLoop(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Atom feed of `alerts` (newest first), as the atom notifier writes it
// and `/alerts.atom` serves it.
std::string AlertsAtom(const std::vector<Alert>& alerts, const std::string& dashboard_url,
                       std::chrono::system_clock::time_point now);

}  // namespace dyad::watch

#endif  // DYAD_WATCH_H_
