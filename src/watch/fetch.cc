// The Fetcher: polite HTTP(S) GETs over libcurl easy handles.
//
// One Fetch is a loop of attempts; one attempt follows the redirect chain
// by hand (so every hop is checked against robots.txt, the scheme rules,
// the per-host spacing and caps, and a loop is seen as a loop). Before each
// request a thread takes a global slot (max_concurrency) and a slot of the
// host (per_host_concurrency), then reserves the host's next start time
// (start = max(now, next_start); next_start = start + interval) and sleeps
// until it, so starts to one host are at least the interval apart whatever
// the number of threads. Transient failures (connect errors, timeouts, 5xx,
// 429) end the attempt; the next one starts after backoff_seconds x 2^(n-1),
// or after Retry-After (capped) when the server sent one.
//
// robots.txt is fetched once per origin (scheme://host:port) and cached for
// kRobotsTtl; one thread fetches it while the others for that origin wait.
// 2xx -> parsed; 4xx -> everything allowed; 5xx, 429 or a network error ->
// the fetch fails transiently ("robots.txt unavailable") and nothing is
// cached, as RFC 9309 asks crawlers not to crawl a site whose robots.txt
// they cannot read.
//
// Easy handles are pooled (at most one per request in flight) so their
// connection caches keep connections alive between requests.
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "dyad/watch.h"
#include "watch/robots.h"

namespace dyad::watch {
namespace {

using TimePoint = FetchClock::TimePoint;
using Seconds = std::chrono::duration<double>;

constexpr auto kRobotsTtl = std::chrono::hours(24);
constexpr std::int64_t kRobotsMaxBytes = 512 * 1024;   // RFC 9309: parse at least 500 KiB
constexpr double kMaxRetryAfterSeconds = 300;           // Retry-After is honoured up to this
constexpr double kMaxBackoffSeconds = 3600;

void GlobalInit() {
  // curl_global_init is not re-entrant; a function-local static runs it once.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

class SteadyClock : public FetchClock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  void SleepUntil(TimePoint t) override { std::this_thread::sleep_until(t); }
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FormatSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

struct ParsedUrl {
  std::string host;            // lower case; the key of spacing and caps
  std::string origin;          // scheme://host:port; the key of robots.txt
  std::string path;            // path and query, for robots.txt
};

// Only absolute http and https URLs; the error says why not.
bool ParseUrl(const std::string& url, ParsedUrl* out, std::string* error) {
  CURLU* u = curl_url();
  bool ok = false;
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  char* path = nullptr;
  char* query = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
    error->assign("malformed URL: ").append(url);
  } else if (std::string s = Lower(scheme); s != "http" && s != "https") {
    error->assign("unsupported URL scheme \"").append(s).append("\" (only http and https): ");
    error->append(url);
  } else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    error->assign("URL without a host: ").append(url);
  } else {
    out->host = Lower(host);
    out->origin = s;
    out->origin.append("://").append(out->host).append(":").append(port);
    out->path = curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK && path ? path : "/";
    if (curl_url_get(u, CURLUPART_QUERY, &query, 0) == CURLUE_OK && query) {
      out->path.append("?").append(query);
    }
    ok = true;
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_free(path);
  curl_free(query);
  curl_url_cleanup(u);
  return ok;
}

// One HTTP exchange.
struct Exchange {
  CURLcode code = CURLE_OK;
  std::string curl_error;
  bool too_large = false;
  int status = 0;
  std::string body;
  std::string content_type, etag, last_modified;
  std::string location;        // absolute, when a redirect names one
  double retry_after = -1;     // seconds; -1 = none
  std::string final_url;       // where curl ended (robots.txt follows redirects itself)
};

struct Sink {
  std::string* body;
  std::int64_t limit;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t bytes = size * n;
  if (static_cast<std::int64_t>(sink->body->size() + bytes) > sink->limit) {
    sink->too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  sink->body->append(data, bytes);
  return bytes;
}

std::string Header(CURL* h, const char* name) {
  curl_header* out = nullptr;
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &out) != CURLHE_OK || !out) return "";
  return out->value ? out->value : "";
}

bool IsTransientCurlError(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// What one attempt gave: done (success or a permanent error) or worth
// another attempt after `retry_after` (or the backoff when negative).
struct AttemptOutcome {
  bool transient = false;
  double retry_after = -1;
};

}  // namespace

struct Fetcher::Impl {
  struct Host {
    int in_flight = 0;
    TimePoint next_start{};
  };
  struct Robots {
    bool fetching = false;
    bool loaded = false;
    TimePoint expires{};
    RobotsRules rules;
  };

  FetchPolicy policy;
  std::shared_ptr<FetchClock> clock;
  std::string robots_token;

  std::mutex mu;
  std::condition_variable cv;        // a slot or a robots.txt became free
  int in_flight = 0;                 // guarded by mu, as are the maps
  std::map<std::string, Host> hosts;
  std::map<std::string, Robots> robots;
  std::vector<CURL*> idle_handles;

  Impl(FetchPolicy p, std::shared_ptr<FetchClock> c)
      : policy(std::move(p)), clock(std::move(c)) {
    if (!clock) clock = std::make_shared<SteadyClock>();
    robots_token = RobotsProductToken(policy.user_agent);
    policy.max_concurrency = std::max(1, policy.max_concurrency);
    policy.per_host_concurrency = std::max(1, policy.per_host_concurrency);
    policy.retries = std::max(0, policy.retries);
    policy.max_redirects = std::max(0, policy.max_redirects);
  }
  ~Impl() {
    for (CURL* h : idle_handles) curl_easy_cleanup(h);
  }

  FetchResult Fetch(const FetchRequest& request);
  AttemptOutcome Attempt(const FetchRequest& request, FetchResult* result);
  // "" when robots.txt lets us fetch `url`; else the error, and whether a
  // later attempt may succeed.
  std::string CheckRobots(const ParsedUrl& url, bool* transient);
  Exchange Perform(const std::string& url, const ParsedUrl& parsed, const FetchRequest* validators,
                   std::int64_t limit, bool follow);
};

Exchange Fetcher::Impl::Perform(const std::string& url, const ParsedUrl& parsed,
                                const FetchRequest* validators, std::int64_t limit, bool follow) {
  CURL* h = nullptr;
  TimePoint start;
  TimePoint now;
  {
    std::unique_lock lock(mu);
    Host& host = hosts[parsed.host];
    cv.wait(lock, [&] {
      return in_flight < policy.max_concurrency && host.in_flight < policy.per_host_concurrency;
    });
    ++in_flight;
    ++host.in_flight;
    now = clock->Now();
    start = std::max(now, host.next_start);
    host.next_start =
        start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    Seconds(std::max(0.0, policy.per_host_interval_seconds)));
    if (!idle_handles.empty()) {
      h = idle_handles.back();
      idle_handles.pop_back();
    }
  }
  if (start > now) clock->SleepUntil(start);

  Exchange ex;
  if (!h) h = curl_easy_init();
  if (!h) {
    {
      std::lock_guard lock(mu);
      --in_flight;
      --hosts[parsed.host].in_flight;
    }
    cv.notify_all();
    ex.code = CURLE_FAILED_INIT;
    ex.curl_error = "curl_easy_init failed";
    return ex;
  }
  curl_easy_reset(h);
  char errbuf[CURL_ERROR_SIZE] = {0};
  Sink sink{&ex.body, limit};
  curl_slist* headers = nullptr;
  if (validators) {
    if (!validators->etag.empty()) {
      std::string line = "If-None-Match: ";
      line.append(validators->etag);
      headers = curl_slist_append(headers, line.c_str());
    }
    if (!validators->last_modified.empty()) {
      std::string line = "If-Modified-Since: ";
      line.append(validators->last_modified);
      headers = curl_slist_append(headers, line.c_str());
    }
  }
  long timeout_ms = std::max(1L, std::lround(policy.timeout_seconds * 1000));
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_USERAGENT, policy.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl decodes
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);  // robots.txt only (RFC 9309: five hops)
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limit));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  ex.code = curl_easy_perform(h);
  ex.too_large = sink.too_large || ex.code == CURLE_FILESIZE_EXCEEDED;
  ex.curl_error = errbuf[0] ? errbuf : curl_easy_strerror(ex.code);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  ex.status = static_cast<int>(status);
  char* s = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s) ex.content_type = s;
  s = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &s) == CURLE_OK && s) ex.location = s;
  s = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s) ex.final_url = s;
  curl_off_t retry_after = 0;
  if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after >= 0 &&
      !Header(h, "Retry-After").empty()) {
    ex.retry_after = static_cast<double>(retry_after);
  }
  ex.etag = Header(h, "ETag");
  ex.last_modified = Header(h, "Last-Modified");
  curl_slist_free_all(headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);  // errbuf goes out of scope

  {
    std::lock_guard lock(mu);
    --in_flight;
    --hosts[parsed.host].in_flight;
    idle_handles.push_back(h);
  }
  cv.notify_all();
  return ex;
}

std::string Fetcher::Impl::CheckRobots(const ParsedUrl& url, bool* transient) {
  *transient = false;
  {
    std::unique_lock lock(mu);
    for (;;) {
      Robots& r = robots[url.origin];
      if (r.loaded && clock->Now() < r.expires) {
        if (r.rules.Allows(url.path)) return "";
        return "robots.txt disallows " + url.path;
      }
      if (!r.fetching) {
        r.fetching = true;
        break;
      }
      cv.wait(lock);
    }
  }
  std::string robots_url = url.origin + "/robots.txt";
  ParsedUrl parsed = url;
  parsed.path = "/robots.txt";
  Exchange ex = Perform(robots_url, parsed, nullptr, kRobotsMaxBytes, /*follow=*/true);
  std::string error;
  RobotsRules rules;
  // An over-long robots.txt is read up to the limit (RFC 9309 allows it).
  bool read = ex.code == CURLE_OK || (ex.too_large && ex.code == CURLE_WRITE_ERROR);
  if (ex.code == CURLE_TOO_MANY_REDIRECTS) {
    // RFC 9309: past five redirects robots.txt counts as unavailable, like a 4xx.
  } else if (!read) {
    error.assign("robots.txt unavailable: ").append(ex.curl_error);
  } else if (ex.status >= 200 && ex.status < 300) {
    rules = RobotsRules::Parse(ex.body, robots_token);
  } else if (ex.status == 429 || ex.status >= 500) {
    error.assign("robots.txt unavailable: HTTP ").append(std::to_string(ex.status));
  }  // else 3xx without a Location, or 4xx: no rules, everything allowed
  bool allowed = false;
  {
    std::lock_guard lock(mu);
    Robots& r = robots[url.origin];
    r.fetching = false;
    if (error.empty()) {
      r.loaded = true;
      r.expires = clock->Now() + kRobotsTtl;
      r.rules = std::move(rules);
      allowed = r.rules.Allows(url.path);
    }
  }
  cv.notify_all();
  if (!error.empty()) {
    *transient = true;
    return error;
  }
  return allowed ? "" : "robots.txt disallows " + url.path;
}

AttemptOutcome Fetcher::Impl::Attempt(const FetchRequest& request, FetchResult* result) {
  std::string url = request.url;
  std::set<std::string> seen = {url};
  for (int hops = 0;; ++hops) {
    result->url = url;
    ParsedUrl parsed;
    if (!ParseUrl(url, &parsed, &result->error)) return {};
    if (policy.respect_robots) {
      bool transient = false;
      result->error = CheckRobots(parsed, &transient);
      if (!result->error.empty()) return {transient, -1};
    }
    Exchange ex = Perform(url, parsed, &request, policy.max_bytes, /*follow=*/false);
    result->status = ex.status;
    if (ex.too_large) {
      result->error = "too large: the body exceeds max_bytes (";
      result->error.append(std::to_string(policy.max_bytes)).append(" bytes)");
      return {};
    }
    if (ex.code != CURLE_OK) {
      if (ex.code == CURLE_OPERATION_TIMEDOUT) {
        result->error = "timeout after " + FormatSeconds(policy.timeout_seconds) + " s";
      } else if (ex.code == CURLE_COULDNT_CONNECT || ex.code == CURLE_COULDNT_RESOLVE_HOST) {
        result->error = "connect failed: " + ex.curl_error;
      } else {
        result->error = "fetch failed: " + ex.curl_error;
      }
      return {IsTransientCurlError(ex.code), -1};
    }
    if (IsRedirect(ex.status) && !ex.location.empty()) {
      if (seen.count(ex.location)) {
        result->error = "redirect loop: " + url + " -> " + ex.location;
        return {};
      }
      if (hops >= policy.max_redirects) {
        result->error = "too many redirects (more than ";
        result->error.append(std::to_string(policy.max_redirects)).append(")");
        return {};
      }
      seen.insert(ex.location);
      url = ex.location;
      continue;
    }
    result->content_type = ex.content_type;
    result->etag = ex.etag;
    result->last_modified = ex.last_modified;
    if (ex.status == 304 || (ex.status >= 200 && ex.status < 300)) {
      if (ex.status == 304) {
        // A 304 carries no body; keep the validators we sent unless the
        // server sent fresh ones.
        ex.body.clear();
        if (result->etag.empty()) result->etag = request.etag;
        if (result->last_modified.empty()) result->last_modified = request.last_modified;
      }
      result->body = std::move(ex.body);
      result->error.clear();
      return {};
    }
    result->error = "HTTP " + std::to_string(ex.status);
    bool transient = ex.status == 429 || ex.status >= 500;
    return {transient, transient ? ex.retry_after : -1};
  }
}

FetchResult Fetcher::Impl::Fetch(const FetchRequest& request) {
  FetchResult result;
  result.url = request.url;
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    result.status = 0;
    result.body.clear();
    result.error.clear();
    AttemptOutcome out = Attempt(request, &result);
    if (result.ok() || !out.transient || attempt > policy.retries) return result;
    double delay = out.retry_after >= 0
                       ? std::min(out.retry_after, kMaxRetryAfterSeconds)
                       : std::min(kMaxBackoffSeconds,
                                  std::max(0.0, policy.backoff_seconds) * std::ldexp(1.0, attempt - 1));
    if (delay > 0) {
      clock->SleepUntil(clock->Now() + std::chrono::duration_cast<
                                           std::chrono::steady_clock::duration>(Seconds(delay)));
    }
  }
}

Fetcher::Fetcher(FetchPolicy policy) : Fetcher(std::move(policy), nullptr) {}

Fetcher::Fetcher(FetchPolicy policy, std::shared_ptr<FetchClock> clock) {
  GlobalInit();
  impl_ = std::make_unique<Impl>(std::move(policy), std::move(clock));
}

Fetcher::~Fetcher() = default;

FetchResult Fetcher::Fetch(const FetchRequest& request) { return impl_->Fetch(request); }

std::vector<FetchResult> Fetcher::FetchAll(const std::vector<FetchRequest>& requests) {
  std::vector<FetchResult> results(requests.size());
  if (requests.size() <= 1) {
    for (size_t i = 0; i < requests.size(); ++i) results[i] = Fetch(requests[i]);
    return results;
  }
  // Interleave the hosts (round robin in order of first appearance) so the
  // workers do not all queue on one host's slots while others sit idle.
  std::vector<std::string> host_order;
  std::map<std::string, std::vector<size_t>> by_host;
  for (size_t i = 0; i < requests.size(); ++i) {
    ParsedUrl p;
    std::string error;
    std::string key = ParseUrl(requests[i].url, &p, &error) ? p.host : "";
    auto [it, fresh] = by_host.try_emplace(key);
    if (fresh) host_order.push_back(key);
    it->second.push_back(i);
  }
  std::vector<size_t> order;
  for (size_t round = 0; order.size() < requests.size(); ++round) {
    for (const std::string& host : host_order) {
      const std::vector<size_t>& v = by_host[host];
      if (round < v.size()) order.push_back(v[round]);
    }
  }
  std::atomic<size_t> next{0};
  size_t workers = std::min(requests.size(), static_cast<size_t>(impl_->policy.max_concurrency));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (size_t k; (k = next.fetch_add(1)) < order.size();) {
        results[order[k]] = Fetch(requests[order[k]]);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return results;
}

}  // namespace dyad::watch
