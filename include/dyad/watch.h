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
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

// Thread-safe. Honours robots.txt (cached per host), per-host spacing and
// concurrency, retries transient failures (timeouts, 5xx, 429 with
// Retry-After) with exponential backoff, refuses bodies over max_bytes.
class Fetcher {
 public:
  explicit Fetcher(FetchPolicy policy);
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

}  // namespace dyad::watch

#endif  // DYAD_WATCH_H_
