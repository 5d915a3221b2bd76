// The Fetcher (src/watch/fetch.cc) against a cpp-httplib server on loopback
// started by each test: changing feeds, validators and 304s, retries and
// backoff, timeouts, size limits, redirects, gzip, robots.txt, Retry-After,
// concurrency caps and per-host spacing. No test asserts a wall-clock time:
// spacing and backoff are checked on a fake clock.
#include <gtest/gtest.h>

#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dyad/watch.h"
#include "watch/robots.h"

namespace dyad::watch {
namespace {

using std::chrono::duration;
using std::chrono::duration_cast;

constexpr char kLastModified[] = "Wed, 21 Oct 2015 07:28:00 GMT";
constexpr char kEtag[] = "\"v1\"";

std::string Gzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(compressBound(static_cast<uLong>(in.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Time that moves only when the Fetcher sleeps (or the test advances it).
class FakeClock : public FetchClock {
 public:
  TimePoint Now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void SleepUntil(TimePoint t) override {
    std::lock_guard lock(mu_);
    if (t <= now_) return;
    sleeps_.push_back(duration<double>(t - now_).count());
    now_ = t;
  }
  void Advance(std::chrono::hours h) {
    std::lock_guard lock(mu_);
    now_ += h;
  }
  std::vector<double> sleeps() {
    std::lock_guard lock(mu_);
    return sleeps_;
  }
  double Elapsed() {
    std::lock_guard lock(mu_);
    return duration<double>(now_ - TimePoint{}).count();
  }

 private:
  std::mutex mu_;
  TimePoint now_{};
  std::vector<double> sleeps_;
};

// What the server saw of one request.
struct Seen {
  std::string path, if_none_match, if_modified_since, accept_encoding, user_agent;
};

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server_.set_keep_alive_timeout(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    Routes();  // after the bind: some redirects name the port
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    stopping_ = true;
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) const {
    std::string url = "http://127.0.0.1:";
    url.append(std::to_string(port_)).append(path);
    return url;
  }
  int Hits(const std::string& path) {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count_if(seen_.begin(), seen_.end(),
                                          [&](const Seen& s) { return s.path == path; }));
  }
  std::vector<Seen> SeenRequests(const std::string& path) {
    std::lock_guard lock(mu_);
    std::vector<Seen> out;
    for (const Seen& s : seen_) {
      if (s.path == path) out.push_back(s);
    }
    return out;
  }
  static FetchPolicy Policy() {
    FetchPolicy p;
    p.timeout_seconds = 5;
    p.retries = 2;
    p.backoff_seconds = 0.01;
    p.per_host_interval_seconds = 0;
    return p;
  }

  // Registers `handler` for GET `pattern`, recording every request first.
  void Get(const std::string& pattern, httplib::Server::Handler handler) {
    server_.Get(pattern, [this, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        seen_.push_back({req.path, req.get_header_value("If-None-Match"),
                         req.get_header_value("If-Modified-Since"),
                         req.get_header_value("Accept-Encoding"),
                         req.get_header_value("User-Agent")});
      }
      handler(req, res);
    });
  }
  void Redirect(const std::string& from, const std::string& to, int status) {
    Get(from, [to, status](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_header("Location", to);
    });
  }

  void Routes() {
    Get("/robots.txt", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (robots_.empty()) {
        res.status = 404;
      } else {
        res.set_content(robots_, "text/plain");
      }
    });
    Get("/feed", [this](const httplib::Request&, httplib::Response& res) {
      std::string body = "<rss><item>";
      body.append(std::to_string(feed_version_.load())).append("</item></rss>");
      res.set_content(body, "application/rss+xml");
    });
    Get("/etag", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("ETag", kEtag);
      res.set_header("Last-Modified", kLastModified);
      if (req.get_header_value("If-None-Match") == kEtag ||
          req.get_header_value("If-Modified-Since") == kLastModified) {
        res.status = 304;
        return;
      }
      res.set_content("fresh", "text/plain");
    });
    Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (++flaky_ <= 2) {
        res.status = 500;
        return;
      }
      res.set_content("ok", "text/plain");
    });
    Get("/down", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    Get("/missing", [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
    Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      for (int i = 0; i < 150 && !stopping_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      res.set_content("late", "text/plain");
    });
    Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2 << 20, 'x'), "text/plain");
    });
    Get("/huge-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        if (offset >= (2u << 20)) {
          sink.done();
          return true;
        }
        std::string chunk(64 << 10, 'y');
        return sink.write(chunk.data(), chunk.size());
      });
    });
    Redirect("/loop/a", "/loop/b", 302);
    Redirect("/loop/b", "/loop/a", 302);
    Redirect("/chain/1", "/chain/2", 301);
    Redirect("/chain/2", Url("/chain/3"), 307);
    Get("/chain/3", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("end", "text/plain");
    });
    Redirect("/to-ftp", "ftp://127.0.0.1/file", 302);
    Get("/gzip", [](const httplib::Request& req, httplib::Response& res) {
      std::string body(1000, 'g');
      body.append(" the end");
      if (req.get_header_value("Accept-Encoding").find("gzip") == std::string::npos) {
        res.set_content(body, "text/plain");
        return;
      }
      res.set_header("Content-Encoding", "gzip");
      res.set_content(Gzip(body), "text/plain");
    });
    for (const char* path : {"/public", "/private/secret", "/private/open", "/others-only"}) {
      Get(path, [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.path, "text/plain");
      });
    }
    Get("/busy", [this](const httplib::Request&, httplib::Response& res) {
      if (++busy_ == 1) {
        res.status = 429;
        res.set_header("Retry-After", "0");
        return;
      }
      res.set_content("served", "text/plain");
    });
    Get("/busy-long", [this](const httplib::Request&, httplib::Response& res) {
      if (++busy_long_ == 1) {
        res.status = 503;
        res.set_header("Retry-After", "3600");
        return;
      }
      res.set_content("served", "text/plain");
    });
    Get(R"(/conc/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      int now = ++in_flight_;
      int max = max_in_flight_.load();
      while (now > max && !max_in_flight_.compare_exchange_weak(max, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      --in_flight_;
      res.set_content(req.matches[1].str(), "text/plain");
    });
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<Seen> seen_;      // guarded by mu_
  std::string robots_;          // guarded by mu_; "" = 404
  std::atomic<int> feed_version_{1};
  std::atomic<int> flaky_{0}, busy_{0}, busy_long_{0};
  std::atomic<int> in_flight_{0}, max_in_flight_{0};
};

TEST_F(FetchTest, FeedChangesBetweenPolls) {
  Fetcher f(Policy());
  FetchResult a = f.Fetch({Url("/feed"), "", ""});
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "<rss><item>1</item></rss>");
  EXPECT_EQ(a.content_type, "application/rss+xml");
  EXPECT_EQ(a.url, Url("/feed"));
  EXPECT_EQ(a.attempts, 1);
  feed_version_ = 2;
  FetchResult b = f.Fetch({Url("/feed"), "", ""});
  ASSERT_TRUE(b.ok()) << b.error;
  EXPECT_EQ(b.body, "<rss><item>2</item></rss>");
  std::vector<Seen> seen = SeenRequests("/feed");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].user_agent, Policy().user_agent);
  // robots.txt (a 404 here: everything allowed) is asked for once.
  EXPECT_EQ(Hits("/robots.txt"), 1);
}

TEST_F(FetchTest, ConditionalRequestIsAnswered304) {
  Fetcher f(Policy());
  FetchResult first = f.Fetch({Url("/etag"), "", ""});
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "fresh");
  EXPECT_EQ(first.etag, kEtag);
  EXPECT_EQ(first.last_modified, kLastModified);

  FetchResult again = f.Fetch({Url("/etag"), first.etag, first.last_modified});
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.etag, kEtag);
  EXPECT_EQ(again.last_modified, kLastModified);

  FetchResult by_date = f.Fetch({Url("/etag"), "", kLastModified});
  ASSERT_TRUE(by_date.ok()) << by_date.error;
  EXPECT_EQ(by_date.status, 304);

  std::vector<Seen> seen = SeenRequests("/etag");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].if_none_match, "");
  EXPECT_EQ(seen[0].if_modified_since, "");
  EXPECT_EQ(seen[1].if_none_match, kEtag);
  EXPECT_EQ(seen[1].if_modified_since, kLastModified);
  EXPECT_EQ(seen[2].if_none_match, "");
  EXPECT_EQ(seen[2].if_modified_since, kLastModified);
}

TEST_F(FetchTest, TransientFailuresAreRetriedWithExponentialBackoff) {
  auto clock = std::make_shared<FakeClock>();
  FetchPolicy p = Policy();
  p.backoff_seconds = 2;
  Fetcher f(p, clock);
  FetchResult r = f.Fetch({Url("/flaky"), "", ""});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(Hits("/flaky"), 3);
  EXPECT_EQ(clock->sleeps(), (std::vector<double>{2, 4}));
}

TEST_F(FetchTest, PermanentServerErrorIsRecordedAfterAllRetries) {
  FetchPolicy p = Policy();
  p.retries = 2;
  Fetcher f(p);
  FetchResult r = f.Fetch({Url("/down"), "", ""});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "HTTP 500");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.attempts, p.retries + 1);
  EXPECT_EQ(Hits("/down"), p.retries + 1);
}

TEST_F(FetchTest, ClientErrorIsNotRetried) {
  Fetcher f(Policy());
  FetchResult r = f.Fetch({Url("/missing"), "", ""});
  EXPECT_EQ(r.error, "HTTP 404");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(Hits("/missing"), 1);
}

TEST_F(FetchTest, SlowResponseTimesOut) {
  FetchPolicy p = Policy();
  p.timeout_seconds = 0.3;
  p.retries = 0;
  Fetcher f(p);
  FetchResult r = f.Fetch({Url("/slow"), "", ""});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("timeout"), std::string::npos) << r.error;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(FetchTest, BodyOverMaxBytesIsRefused) {
  FetchPolicy p = Policy();
  p.max_bytes = 1 << 20;
  Fetcher f(p);
  for (const char* path : {"/huge", "/huge-chunked"}) {
    FetchResult r = f.Fetch({Url(path), "", ""});
    EXPECT_FALSE(r.ok()) << path;
    EXPECT_NE(r.error.find("too large"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("1048576"), std::string::npos) << r.error;
    EXPECT_TRUE(r.body.empty()) << path;
    EXPECT_EQ(r.attempts, 1) << path;
  }
  // The fetcher (and its pooled handles) still works.
  FetchResult ok = f.Fetch({Url("/feed"), "", ""});
  EXPECT_TRUE(ok.ok()) << ok.error;
}

TEST_F(FetchTest, RedirectLoopIsAnError) {
  Fetcher f(Policy());
  FetchResult r = f.Fetch({Url("/loop/a"), "", ""});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("redirect loop"), std::string::npos) << r.error;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(Hits("/loop/a"), 1);
  EXPECT_EQ(Hits("/loop/b"), 1);
}

TEST_F(FetchTest, RedirectChainReportsTheFinalUrl) {
  Fetcher f(Policy());
  FetchResult r = f.Fetch({Url("/chain/1"), "", ""});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "end");
  EXPECT_EQ(r.url, Url("/chain/3"));

  FetchPolicy p = Policy();
  p.max_redirects = 1;
  Fetcher strict(p);
  FetchResult too_many = strict.Fetch({Url("/chain/1"), "", ""});
  EXPECT_NE(too_many.error.find("too many redirects"), std::string::npos) << too_many.error;
  EXPECT_EQ(Hits("/chain/3"), 1);
}

TEST_F(FetchTest, GzipBodyIsDecoded) {
  Fetcher f(Policy());
  FetchResult r = f.Fetch({Url("/gzip"), "", ""});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, std::string(1000, 'g') + " the end");
  std::vector<Seen> seen = SeenRequests("/gzip");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].accept_encoding.find("gzip"), std::string::npos) << seen[0].accept_encoding;
}

TEST_F(FetchTest, RobotsTxtIsHonoured) {
  {
    std::lock_guard lock(mu_);
    robots_ =
        "# ours replaces the * group\n"
        "User-agent: *\n"
        "Disallow: /others-only\n"
        "\n"
        "User-agent: Dyad-Watch\n"
        "Disallow: /private\n"
        "Allow: /private/open\n";
  }
  Fetcher f(Policy());
  FetchResult secret = f.Fetch({Url("/private/secret"), "", ""});
  EXPECT_FALSE(secret.ok());
  EXPECT_NE(secret.error.find("robots.txt disallows"), std::string::npos) << secret.error;
  EXPECT_EQ(secret.attempts, 1);
  EXPECT_EQ(Hits("/private/secret"), 0);

  for (const char* path : {"/private/open", "/public", "/others-only"}) {
    FetchResult r = f.Fetch({Url(path), "", ""});
    EXPECT_TRUE(r.ok()) << path << ": " << r.error;
    EXPECT_EQ(r.body, path);
  }
  EXPECT_EQ(Hits("/robots.txt"), 1);

  FetchPolicy p = Policy();
  p.respect_robots = false;
  Fetcher rude(p);
  EXPECT_TRUE(rude.Fetch({Url("/private/secret"), "", ""}).ok());
  EXPECT_EQ(Hits("/robots.txt"), 1);
  EXPECT_EQ(Hits("/private/secret"), 1);
}

TEST_F(FetchTest, RobotsTxtCacheExpires) {
  auto clock = std::make_shared<FakeClock>();
  Fetcher f(Policy(), clock);
  EXPECT_TRUE(f.Fetch({Url("/public"), "", ""}).ok());
  EXPECT_TRUE(f.Fetch({Url("/public"), "", ""}).ok());
  EXPECT_EQ(Hits("/robots.txt"), 1);
  {
    std::lock_guard lock(mu_);
    robots_ = "User-agent: *\nDisallow: /public\n";
  }
  clock->Advance(std::chrono::hours(25));
  FetchResult r = f.Fetch({Url("/public"), "", ""});
  EXPECT_NE(r.error.find("robots.txt disallows"), std::string::npos) << r.error;
  EXPECT_EQ(Hits("/robots.txt"), 2);
  EXPECT_EQ(Hits("/public"), 2);
}

TEST_F(FetchTest, TooManyRequestsHonoursRetryAfter) {
  auto clock = std::make_shared<FakeClock>();
  FetchPolicy p = Policy();
  p.backoff_seconds = 7;  // not used: the server says when
  Fetcher f(p, clock);
  FetchResult r = f.Fetch({Url("/busy"), "", ""});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.body, "served");
  EXPECT_EQ(r.attempts, 2);
  EXPECT_TRUE(clock->sleeps().empty());  // Retry-After: 0

  // An hour's Retry-After is capped (at 300 s).
  FetchResult capped = f.Fetch({Url("/busy-long"), "", ""});
  ASSERT_TRUE(capped.ok()) << capped.error;
  EXPECT_EQ(capped.attempts, 2);
  EXPECT_EQ(clock->sleeps(), (std::vector<double>{300}));
}

TEST_F(FetchTest, FetchAllKeepsThePerHostCap) {
  FetchPolicy p = Policy();
  p.per_host_concurrency = 2;
  p.max_concurrency = 8;
  Fetcher f(p);
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 10; ++i) requests.push_back({Url("/conc/" + std::to_string(i)), "", ""});
  std::vector<FetchResult> results = f.FetchAll(requests);
  ASSERT_EQ(results.size(), requests.size());
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].error;
    EXPECT_EQ(results[i].body, std::to_string(i));  // in request order
  }
  EXPECT_GE(max_in_flight_.load(), 1);
  EXPECT_LE(max_in_flight_.load(), 2);
  EXPECT_EQ(Hits("/robots.txt"), 1);  // fetched once although 8 workers asked
}

TEST_F(FetchTest, FetchAllKeepsTheGlobalCap) {
  FetchPolicy p = Policy();
  p.per_host_concurrency = 8;
  p.max_concurrency = 3;
  Fetcher f(p);
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 10; ++i) requests.push_back({Url("/conc/" + std::to_string(i)), "", ""});
  for (const FetchResult& r : f.FetchAll(requests)) EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_LE(max_in_flight_.load(), 3);
}

TEST_F(FetchTest, RequestsToAHostAreSpaced) {
  auto clock = std::make_shared<FakeClock>();
  FetchPolicy p = Policy();
  p.per_host_interval_seconds = 10;
  Fetcher f(p, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(f.Fetch({Url("/public"), "", ""}).ok());
  // robots.txt at 0, then /public at 10, 20 and 30.
  EXPECT_EQ(clock->sleeps(), (std::vector<double>{10, 10, 10}));
  EXPECT_DOUBLE_EQ(clock->Elapsed(), 30);
}

TEST_F(FetchTest, OnlyHttpAndHttpsAreFetched) {
  Fetcher f(Policy());
  for (const char* url : {"ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://x/"}) {
    FetchResult r = f.Fetch({url, "", ""});
    EXPECT_FALSE(r.ok()) << url;
    EXPECT_NE(r.error.find("only http and https"), std::string::npos) << r.error;
    EXPECT_EQ(r.attempts, 1);
  }
  FetchResult garbage = f.Fetch({"not a url", "", ""});
  EXPECT_FALSE(garbage.ok());
  // A redirect may not leave http(s) either.
  FetchResult r = f.Fetch({Url("/to-ftp"), "", ""});
  EXPECT_NE(r.error.find("only http and https"), std::string::npos) << r.error;
}

TEST_F(FetchTest, UnreachableHostIsATransientError) {
  FetchPolicy p = Policy();
  p.retries = 1;
  p.respect_robots = false;
  Fetcher f(p);
  // Port 1 on loopback: nobody listens there.
  FetchResult r = f.Fetch({"http://127.0.0.1:1/x", "", ""});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("connect failed"), std::string::npos) << r.error;
  EXPECT_EQ(r.attempts, 2);
}

// --- robots.txt rules, without a server ---

TEST(RobotsRulesTest, LongestMatchWinsAndAllowWinsTies) {
  RobotsRules r = RobotsRules::Parse(
      "User-agent: *\n"
      "Disallow: /a\n"
      "Allow: /a/b\n"
      "Disallow: /a/b/c\n"
      "Allow: /t\n"
      "Disallow: /t\n"
      "Disallow: /*.pdf$\n"
      "Disallow: /q?*secret\n"
      "Disallow:\n",
      "dyad-watch");
  struct Case {
    const char* path;
    bool allowed;
  } cases[] = {
      {"/", true},         {"/a", false},        {"/a/x", false},    {"/a/b", true},
      {"/a/b/x", true},    {"/a/b/c", false},    {"/t", true},       {"/x.pdf", false},
      {"/x.pdf?y", true},  {"/q?a=secret", false}, {"/q?a=1", true}, {"/robots.txt", true},
      {"", true},
  };
  for (const Case& c : cases) EXPECT_EQ(r.Allows(c.path), c.allowed) << c.path;
}

TEST(RobotsRulesTest, OurGroupReplacesTheStarGroup) {
  const char* text =
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: otherbot\n"
      "User-agent: DYAD-WATCH/2.0\n"
      "Disallow: /private # comment\n"
      "\n"
      "User-agent: dyad-watch\n"
      "Disallow: /more\n";
  RobotsRules ours = RobotsRules::Parse(text, "dyad-watch");
  EXPECT_TRUE(ours.Allows("/news"));
  EXPECT_FALSE(ours.Allows("/private/x"));
  EXPECT_FALSE(ours.Allows("/more"));  // both groups naming us are merged
  RobotsRules theirs = RobotsRules::Parse(text, "somebot");
  EXPECT_FALSE(theirs.Allows("/news"));
  EXPECT_TRUE(RobotsRules::Parse("", "dyad-watch").Allows("/x"));
  EXPECT_TRUE(RobotsRules().Allows("/x"));
  EXPECT_FALSE(RobotsRules::DisallowAll().Allows("/x"));
}

TEST(RobotsRulesTest, PatternsAndTokens) {
  EXPECT_TRUE(RobotsPatternMatches("/", "/anything"));
  EXPECT_TRUE(RobotsPatternMatches("/*/b$", "/a/x/b"));
  EXPECT_FALSE(RobotsPatternMatches("/*/b$", "/a/x/bc"));
  EXPECT_TRUE(RobotsPatternMatches("*", ""));
  EXPECT_TRUE(RobotsPatternMatches("/a**b", "/ab"));
  EXPECT_FALSE(RobotsPatternMatches("/ab", "/a"));
  EXPECT_EQ(RobotsProductToken("dyad-watch/0.1 (+https://example.org/dyad)"), "dyad-watch");
  EXPECT_EQ(RobotsProductToken("MyBot"), "mybot");
  EXPECT_EQ(RobotsProductToken(""), "dyad-watch");
}

}  // namespace
}  // namespace dyad::watch
