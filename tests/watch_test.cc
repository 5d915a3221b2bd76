// `dyad watch` end to end against a news site on loopback (cpp-httplib,
// started by each test) whose feeds and pages change between polls: new
// items fetched once, 304s honoured, failing sources recorded while the
// others go on, robots.txt, page and Telegram sources, alerts raised once
// and delivered to a local webhook receiver, the spool after a crash,
// kill -9 during a poll and restart, `dyad status`, /metrics and
// /alerts.atom. No internet and no wall-clock assertions.
#include <gtest/gtest.h>

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/dictionary.h"
#include "dyad/ingest.h"
#include "dyad/server.h"
#include "dyad/store.h"
#include "dyad/watch.h"
#include "test_util.h"

namespace dyad::watch {
namespace {

using dyad::testing::TempDir;
using Clock = std::chrono::system_clock;

// Sentences the default dictionaries code (RUSCOP 173 UZBLAB, RUSGOV 174
// UZBLAB, UZBGOV 114 RUS, TJK 057 RUS).
const char* const kSentences[] = {
    "Russian police detained 40 migrants from Uzbekistan in Moscow on Monday.",
    "Russian authorities deported 12 Uzbek workers.",
    "The Uzbek Foreign Ministry protested to Russia over the detention of its citizens.",
    "Tajikistan and Russia signed a trade agreement in Dushanbe.",
};

std::string ArticleHtml(int n, const std::string& sentence) {
  return "<!doctype html><html lang=\"en\"><head><title>Story " + std::to_string(n) +
         "</title><meta property=\"article:published_time\" content=\"2025-03-0" +
         std::to_string(3 + n % 3) + "T09:00:00Z\"></head><body><nav><a href=\"/\">Home</a></nav>"
         "<article><h1>Story " + std::to_string(n) + "</h1><p>" + sentence +
         "</p><p>Officials said more details would follow later this week, according to local "
         "media reports from the region.</p></article><footer>(c) test site</footer></body></html>";
}

// A news site: pages by path, each with a body, type, status and optional
// delay; every request counted. Feeds get ETags so 304s can be checked.
class Site {
 public:
  struct Page {
    Page() = default;
    Page(std::string b, std::string t = "text/html; charset=utf-8", int s = 200, int delay = 0,
         std::string to = "")
        : body(std::move(b)), type(std::move(t)), status(s), delay_ms(delay), location(std::move(to)) {}
    std::string body, type = "text/html; charset=utf-8";
    int status = 200;
    int delay_ms = 0;
    std::string location;   // redirects
  };

  Site() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(16); };
    server_.set_keep_alive_timeout(1);
    server_.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); });
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      hooks_.push_back(req.body);
      res.status = hook_status_;
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Site() {
    server_.stop();
    thread_.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void Set(const std::string& path, Page page) {
    std::lock_guard lock(mu_);
    pages_[path] = std::move(page);
  }
  void Article(int n, const std::string& sentence) {
    Set("/news/" + std::to_string(n) + ".html", {ArticleHtml(n, sentence)});
  }
  // An RSS feed linking to the given article numbers (and extra links).
  void Feed(const std::string& path, const std::vector<std::string>& links) {
    std::string rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test News</title>";
    for (const std::string& l : links) {
      rss += "<item><title>Item</title><link>" + Url(l) + "</link><guid>" + Url(l) +
             "</guid><pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate></item>";
    }
    rss += "</channel></rss>";
    Set(path, {rss, "application/rss+xml"});
  }
  int Hits(const std::string& path) {
    std::lock_guard lock(mu_);
    return hits_[path];
  }
  int ConditionalHits(const std::string& path) {
    std::lock_guard lock(mu_);
    return conditional_[path];
  }
  std::vector<std::string> hooks() {
    std::lock_guard lock(mu_);
    return hooks_;
  }
  void HookStatus(int status) {
    std::lock_guard lock(mu_);
    hook_status_ = status;
  }

 private:
  void Serve(const httplib::Request& req, httplib::Response& res) {
    Page page;
    bool found;
    {
      std::lock_guard lock(mu_);
      ++hits_[req.path];
      auto it = pages_.find(req.path);
      found = it != pages_.end();
      if (found) page = it->second;
    }
    if (!found) {
      res.status = 404;
      res.set_content("not here", "text/plain");
      return;
    }
    if (page.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(page.delay_ms));
    if (!page.location.empty()) {
      res.status = page.status;
      res.set_header("Location", Url(page.location));
      return;
    }
    const std::string etag = "\"" + std::to_string(std::hash<std::string>()(page.body)) + "\"";
    if (page.status == 200) {
      res.set_header("ETag", etag);
      if (req.get_header_value("If-None-Match") == etag) {
        std::lock_guard lock(mu_);
        ++conditional_[req.path];
        res.status = 304;
        return;
      }
    }
    res.status = page.status;
    res.set_content(page.body, page.type.c_str());
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Page> pages_;
  std::map<std::string, int> hits_, conditional_;
  std::vector<std::string> hooks_;
  int hook_status_ = 200;
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.Set("/robots.txt", {"User-agent: *\nDisallow: /private/\n", "text/plain"});
    db_ = dir_.path() + "/watch.db";
  }

  // The [fetch] table and the top of a config; tests append sources etc.
  std::string Head() const {
    return "dashboard_url = \"http://dash.example:8080/\"\n"
           "dyads = [\"UZB-RUS\"]\npopulations = [\"UZB in RUS\"]\n"
           "[fetch]\ntimeout_seconds = 1\nretries = 1\nbackoff_seconds = 0.01\n"
           "per_host_interval_seconds = 0\nper_host_concurrency = 8\nmax_bytes = 200000\n"
           "max_redirects = 4\n";
  }
  static std::string Source(const std::string& name, const std::string& kind,
                            const std::string& url, const std::string& extra = "") {
    return "[[source]]\nname = \"" + name + "\"\nkind = \"" + kind + "\"\nurl = \"" + url +
           "\"\ninterval = \"15m\"\n" + extra;
  }

  WatchConfig Config(const std::string& body) {
    auto c = ParseWatchConfig(Head() + body, "test.toml");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : WatchConfig{};
  }

  std::unique_ptr<Store> OpenStore() {
    auto s = Store::Open(db_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::unique_ptr<WatchLoop> Loop(const WatchConfig& config, Store* store) {
    auto setup = LoadCodingSetup(Dictionary::DefaultDirectory());
    EXPECT_TRUE(setup.ok()) << setup.status().ToString();
    WatchOptions o;
    o.spool_dir = dir_.path() + "/spool";
    o.threads = 1;
    o.today = 20152;   // 2025-03-05
    o.now = [this] { return now_; };
    o.delivery.initial_seconds = 60;
    auto loop = WatchLoop::Create(config, store, *setup, o);
    EXPECT_TRUE(loop.ok()) << loop.status().ToString();
    return loop.ok() ? std::move(*loop) : nullptr;
  }

  std::int64_t Documents(Store& s) {
    std::int64_t n = 0;
    EXPECT_TRUE(s.ForEachDocumentFact([&](const DocumentFact&) { ++n; }).ok());
    return n;
  }
  SourceState StateOf(Store& s, const std::string& name) {
    auto states = s.SourceStates();
    EXPECT_TRUE(states.ok());
    for (const SourceState& st : *states)
      if (st.name == name) return st;
    ADD_FAILURE() << "no state for " << name;
    return {};
  }

  TempDir dir_;
  Site site_;
  std::string db_;
  Clock::time_point now_ = Clock::from_time_t(1741168800);   // 2025-03-05T10:00:00Z
};

TEST_F(WatchTest, NewItemsAreFetchedOnceAnd304sAreHonoured) {
  site_.Article(1, kSentences[0]);
  site_.Article(2, kSentences[1]);
  site_.Feed("/feed.xml", {"/news/1.html", "/news/2.html"});
  WatchConfig config = Config(Source("news", "feed", site_.Url("/feed.xml")));
  auto store = OpenStore();
  auto loop = Loop(config, store.get());
  ASSERT_TRUE(loop);

  auto r1 = loop->RunOnce();
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  ASSERT_EQ(r1->polls.size(), 1u);
  EXPECT_EQ(r1->polls[0].error, "");
  EXPECT_EQ(r1->polls[0].items, 2);
  EXPECT_EQ(r1->polls[0].fresh, 2);
  EXPECT_EQ(r1->documents_added, 2);
  EXPECT_GE(r1->events_added, 2);
  EXPECT_EQ(Documents(*store), 2);
  EXPECT_TRUE(*store->HasDocumentUrl(site_.Url("/news/1.html")));
  SourceState st = StateOf(*store, "news");
  EXPECT_FALSE(st.etag.empty());
  EXPECT_EQ(st.items_fetched, 2);
  EXPECT_EQ(st.next_poll, "2025-03-05T10:15:00Z");

  // Not due yet: nothing is fetched.
  auto r2 = loop->RunOnce();
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->polls.empty());
  EXPECT_EQ(site_.Hits("/feed.xml"), 1);

  // Due, unchanged: a conditional request answered 304, no page fetched again.
  now_ += std::chrono::minutes(16);
  auto r3 = loop->RunOnce();
  ASSERT_TRUE(r3.ok());
  ASSERT_EQ(r3->polls.size(), 1u);
  EXPECT_EQ(r3->polls[0].status, 304);
  EXPECT_EQ(site_.ConditionalHits("/feed.xml"), 1);
  EXPECT_EQ(site_.Hits("/news/1.html"), 1);
  EXPECT_EQ(r3->documents_added, 0);

  // A new item: only its page is fetched; the old ones are skipped by URL.
  site_.Article(3, kSentences[3]);
  site_.Feed("/feed.xml", {"/news/3.html", "/news/1.html", "/news/2.html"});
  auto r4 = loop->RunOnce(/*all=*/true);
  ASSERT_TRUE(r4.ok());
  EXPECT_EQ(r4->polls[0].fresh, 1);
  EXPECT_EQ(r4->polls[0].skipped, 2);
  EXPECT_EQ(site_.Hits("/news/1.html"), 1);
  EXPECT_EQ(site_.Hits("/news/3.html"), 1);
  EXPECT_EQ(Documents(*store), 3);
  EXPECT_EQ(StateOf(*store, "news").items_fetched, 3);
}

TEST_F(WatchTest, EachFailingSourceIsRecordedAndTheOthersGoOn) {
  site_.Article(1, kSentences[0]);
  site_.Feed("/good.xml", {"/news/1.html"});
  site_.Set("/down.xml", {"server error", "text/plain", 500});
  site_.Set("/slow.xml", {"<rss/>", "application/rss+xml", 200, 3000});
  site_.Set("/malformed.xml", {"<rss><channel><item><title>cut", "application/rss+xml"});
  site_.Set("/huge.xml", {std::string(1 << 20, 'x'), "application/rss+xml"});
  site_.Set("/loop-a", {"", "", 302, 0, "/loop-b"});
  site_.Set("/loop-b", {"", "", 302, 0, "/loop-a"});
  WatchConfig config = Config(Source("good", "feed", site_.Url("/good.xml")) +
                              Source("down", "feed", site_.Url("/down.xml")) +
                              Source("slow", "feed", site_.Url("/slow.xml")) +
                              Source("malformed", "feed", site_.Url("/malformed.xml")) +
                              Source("huge", "feed", site_.Url("/huge.xml")) +
                              Source("loop", "feed", site_.Url("/loop-a")));
  auto store = OpenStore();
  auto loop = Loop(config, store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->polls.size(), 6u);
  std::map<std::string, std::string> error;
  for (const SourcePoll& p : r->polls) error[p.name] = p.error;
  EXPECT_EQ(error["good"], "");
  EXPECT_NE(error["down"].find("500"), std::string::npos) << error["down"];
  EXPECT_NE(error["slow"].find("time"), std::string::npos) << error["slow"];
  EXPECT_NE(error["malformed"].find("malformed feed"), std::string::npos) << error["malformed"];
  EXPECT_NE(error["huge"].find("200000"), std::string::npos) << error["huge"];
  EXPECT_NE(error["loop"].find("redirect"), std::string::npos) << error["loop"];
  EXPECT_EQ(Documents(*store), 1);

  for (const char* name : {"down", "slow", "malformed", "huge", "loop"}) {
    SourceState st = StateOf(*store, name);
    EXPECT_EQ(st.failures, 1) << name;
    EXPECT_EQ(st.last_error, error[name]) << name;
    EXPECT_TRUE(st.last_success.empty()) << name;
    // Backed off: twice the interval, not retried in a tight loop.
    EXPECT_EQ(st.next_poll, "2025-03-05T10:30:00Z") << name;
  }
  const int down_hits = site_.Hits("/down.xml");
  auto again = loop->RunOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->polls.empty());
  EXPECT_EQ(site_.Hits("/down.xml"), down_hits);
  // Failing again doubles the wait.
  now_ += std::chrono::minutes(31);
  ASSERT_TRUE(loop->RunOnce().ok());
  SourceState down = StateOf(*store, "down");
  EXPECT_EQ(down.failures, 2);
  EXPECT_EQ(down.next_poll, "2025-03-05T11:31:00Z");
  EXPECT_EQ(StateOf(*store, "good").failures, 0);
}

TEST_F(WatchTest, RobotsDisallowIsHonouredAndBrokenPagesAreItemErrors) {
  site_.Article(1, kSentences[0]);
  site_.Set("/private/2.html", {ArticleHtml(2, kSentences[1])});
  site_.Set("/news/3.html", {"<html><body><nav>menu only</nav></body></html>"});
  site_.Feed("/feed.xml", {"/news/1.html", "/private/2.html", "/news/3.html", "/news/404.html"});
  auto store = OpenStore();
  auto loop = Loop(Config(Source("news", "feed", site_.Url("/feed.xml"))), store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->polls.size(), 1u);
  const SourcePoll& p = r->polls[0];
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.fresh, 1);
  ASSERT_EQ(p.item_errors.size(), 3u);
  std::string all;
  for (const std::string& e : p.item_errors) all += e + "\n";
  EXPECT_NE(all.find("/private/2.html: robots.txt"), std::string::npos) << all;
  EXPECT_NE(all.find("/news/3.html: no article text"), std::string::npos) << all;
  EXPECT_NE(all.find("/news/404.html: HTTP 404"), std::string::npos) << all;
  EXPECT_EQ(site_.Hits("/private/2.html"), 0);
  EXPECT_EQ(StateOf(*store, "news").errors, 3);
  EXPECT_EQ(StateOf(*store, "news").failures, 0);
}

TEST_F(WatchTest, SectionPagesAndTelegramPreviewsGiveDocuments) {
  site_.Article(1, kSentences[0]);
  site_.Article(2, kSentences[2]);
  site_.Set("/section/",
            {"<html><body><a href=\"/news/1.html\">one</a> <a href=\"2.html\">rel</a>"
             "<a href=\"/news/2.html#comments\">two</a><a href=\"/about\">about</a>"
             "<a href=\"/news/1.html\">again</a></body></html>"});
  site_.Set("/s/mfa_test",
            {"<html><body><div class=\"tgme_widget_message_wrap\"><div class=\"tgme_widget_message "
             "js-widget_message\" data-post=\"mfa_test/41\"><div class=\"tgme_widget_message_text "
             "js-message_text\">" + std::string(kSentences[2]) + "<br/>More to follow.</div>"
             "<a class=\"tgme_widget_message_date\"><time datetime=\"2025-03-04T08:00:00+00:00\">"
             "08:00</time></a></div></div><div class=\"tgme_widget_message\" data-post=\"mfa_test/42\">"
             "<div class=\"tgme_widget_message_photo\"></div></div></body></html>"});
  auto store = OpenStore();
  auto loop = Loop(Config(Source("section", "page", site_.Url("/section/"),
                                 "link_pattern = '/news/\\d+\\.html$'\n") +
                          Source("mfa", "telegram", site_.Url("/s/mfa_test"))),
                   store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->polls.size(), 2u);
  EXPECT_EQ(r->polls[0].error, "");
  EXPECT_EQ(r->polls[0].items, 2);   // /news/1.html and /news/2.html (fragment dropped), once each
  EXPECT_EQ(r->polls[0].fresh, 2);
  EXPECT_EQ(r->polls[1].error, "");
  EXPECT_EQ(r->polls[1].items, 1);   // the photo-only post has no text
  EXPECT_TRUE(*store->HasDocumentUrl("https://t.me/mfa_test/41"));
  EXPECT_TRUE(*store->HasDocumentUrl(site_.Url("/news/2.html")));
  EXPECT_EQ(Documents(*store), 3);
}

TEST_F(WatchTest, AnAlertFiresOnceAndTheWebhookGetsItsEvidence) {
  site_.Article(1, kSentences[0]);
  site_.Feed("/feed.xml", {"/news/1.html"});
  const std::string rules =
      "[[rule]]\nname = \"detentions\"\nkind = \"codes\"\npopulation = \"UZB in RUS\"\n"
      "codes = [\"173\"]\ndays = 7\n"
      "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"" + site_.Url("/hook") + "\"\n";
  WatchConfig config = Config(Source("news", "feed", site_.Url("/feed.xml")) + rules);
  auto store = OpenStore();
  {
    auto loop = Loop(config, store.get());
    ASSERT_TRUE(loop);
    auto r = loop->RunOnce();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->alerts_new, 1);
    EXPECT_EQ(r->deliveries_sent, 1);
    auto again = loop->RunOnce(/*all=*/true);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->alerts_new, 0);
  }
  {
    // A restart does not send it again.
    auto loop = Loop(config, store.get());
    ASSERT_TRUE(loop);
    auto r = loop->RunOnce(/*all=*/true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->alerts_new, 0);
    EXPECT_EQ(r->deliveries_sent, 0);
  }
  const std::vector<std::string> hooks = site_.hooks();
  ASSERT_EQ(hooks.size(), 1u);
  nlohmann::json j = nlohmann::json::parse(hooks[0]);
  EXPECT_EQ(j["alert"]["rule"], "detentions");
  EXPECT_EQ(j["alert"]["subject"], "UZB in RUS");
  ASSERT_GE(j["alert"]["events"].size(), 1u);
  EXPECT_EQ(j["alert"]["events"][0]["code"], "173");
  EXPECT_EQ(j["alert"]["events"][0]["sentence"], kSentences[0]);
  EXPECT_EQ(j["alert"]["events"][0]["link"].get<std::string>().rfind("http://dash.example:8080/#/event/", 0), 0u);
  auto sent = store->Notifications("sent", 10);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].notifier, "hook");
  EXPECT_EQ((*sent)[0].attempts, 1);
}

TEST_F(WatchTest, AFailedDeliveryIsRecordedAndRetriedWithBackoff) {
  site_.Article(1, kSentences[0]);
  site_.Feed("/feed.xml", {"/news/1.html"});
  site_.HookStatus(503);
  WatchConfig config = Config(
      Source("news", "feed", site_.Url("/feed.xml")) +
      "[[rule]]\nname = \"detentions\"\nkind = \"codes\"\npopulation = \"UZB in RUS\"\n"
      "codes = [\"17\"]\n[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"" +
      site_.Url("/hook") + "\"\n");
  auto store = OpenStore();
  auto loop = Loop(config, store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deliveries_retrying, 1);
  auto retrying = store->Notifications("retrying", 10);
  ASSERT_EQ(retrying->size(), 1u);
  EXPECT_NE((*retrying)[0].last_error.find("503"), std::string::npos) << (*retrying)[0].last_error;
  EXPECT_EQ((*retrying)[0].next_attempt, "2025-03-05T10:01:00Z");
  // Not before its time.
  EXPECT_EQ(loop->RunOnce()->deliveries_retrying, 0);
  EXPECT_EQ(site_.hooks().size(), 1u);
  EXPECT_NEAR(loop->SecondsUntilDue(), 60, 1);
  site_.HookStatus(200);
  now_ += std::chrono::seconds(61);
  auto later = loop->RunOnce();
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->deliveries_sent, 1);
  auto sent = store->Notifications("sent", 10);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].attempts, 2);
  EXPECT_EQ(site_.hooks().size(), 2u);
}

TEST_F(WatchTest, WhatTheSpoolHoldsAfterACrashIsStoredOnce) {
  // A run killed after writing the spool but before ingesting it.
  std::filesystem::create_directories(dir_.path() + "/spool");
  std::ofstream(dir_.path() + "/spool/2025-03-05T09:00:00Z-1-1.jsonl")
      << nlohmann::json({{"text", kSentences[0]}, {"url", "https://x.example/1"},
                         {"date", "2025-03-03"}}).dump()
      << "\n";
  std::ofstream(dir_.path() + "/spool/.2025-03-05T09:00:01Z-1-2.jsonl.tmp") << "{\"text\": \"torn";
  auto store = OpenStore();
  auto loop = Loop(Config(""), store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->documents_added, 1);
  EXPECT_TRUE(r->errors.empty());
  EXPECT_TRUE(*store->HasDocumentUrl("https://x.example/1"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/spool/2025-03-05T09:00:00Z-1-1.jsonl"));
}

TEST_F(WatchTest, FolderSourcesReadNewFilesOnce) {
  const std::string inbox = dir_.path() + "/inbox";
  std::filesystem::create_directories(inbox);
  std::ofstream(inbox + "/a.txt") << kSentences[1] << "\n";
  auto store = OpenStore();
  auto loop = Loop(Config(Source("inbox", "folder", inbox)), store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->documents_added, 1);
  std::ofstream(inbox + "/b.txt") << kSentences[3] << "\n";
  auto r2 = loop->RunOnce(/*all=*/true);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->documents_added, 1);
  EXPECT_EQ(Documents(*store), 2);
}

// --- The command line: kill -9 mid-poll, restart, status ---

std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST_F(WatchTest, KillDuringAPollThenRestartLosesAndDoublesNothing) {
  const int kArticles = 12;
  std::vector<std::string> links;
  for (int i = 1; i <= kArticles; ++i) {
    Site::Page page{ArticleHtml(i, kSentences[i % 4])};
    page.delay_ms = 150;   // a poll long enough to be killed in
    site_.Set("/news/" + std::to_string(i) + ".html", page);
    links.push_back("/news/" + std::to_string(i) + ".html");
  }
  site_.Feed("/feed.xml", links);
  const std::string config = dir_.Write(
      "watch.toml", Head() + Source("news", "feed", site_.Url("/feed.xml")));

  // The reference: an uninterrupted run into another store.
  const std::string ref_db = dir_.path() + "/ref.db";
  auto ref = dyad::testing::RunCli("watch --once --quiet --config " + Quote(config) + " --db " +
                                   Quote(ref_db));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;

  // Killed while fetching articles (after the first page was served).
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl(DYAD_CLI_PATH, DYAD_CLI_PATH, "watch", "--quiet", "--config", config.c_str(), "--db",
          db_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const int before = site_.Hits("/news/1.html") + site_.Hits("/news/5.html");
  for (int i = 0; i < 2000; ++i) {
    int now = 0;
    for (int k = 1; k <= kArticles; ++k) now += site_.Hits("/news/" + std::to_string(k) + ".html");
    if (now > kArticles + before / 2 + 1) break;   // this run has fetched some of its pages
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  auto restart = dyad::testing::RunCli("watch --once --all --quiet --config " + Quote(config) +
                                       " --db " + Quote(db_));
  ASSERT_EQ(restart.exit_code, 0) << restart.err;

  auto facts = [](const std::string& db) {
    auto s = Store::Open(db);
    EXPECT_TRUE(s.ok());
    std::multiset<std::string> out;
    EXPECT_TRUE((*s)->ForEachEventFact([&](const EventFact& f) {
      out.insert(f.date + " " + f.source + " " + f.code + " " + f.target);
    }).ok());
    std::int64_t docs = 0;
    EXPECT_TRUE((*s)->ForEachDocumentFact([&](const DocumentFact&) { ++docs; }).ok());
    out.insert("documents " + std::to_string(docs));
    return out;
  };
  EXPECT_EQ(facts(db_), facts(ref_db));
  auto s = Store::Open(db_);
  for (int i = 1; i <= kArticles; ++i) {
    EXPECT_TRUE(*(*s)->HasDocumentUrl(site_.Url("/news/" + std::to_string(i) + ".html"))) << i;
  }
}

TEST_F(WatchTest, StatusShowsUnhealthySourcesAndUndeliveredAlerts) {
  site_.Set("/down.xml", {"no", "text/plain", 500});
  site_.Article(1, kSentences[0]);
  site_.Feed("/feed.xml", {"/news/1.html"});
  const std::string config = dir_.Write(
      "watch.toml", Head() + Source("down", "feed", site_.Url("/down.xml")) +
                        Source("news", "feed", site_.Url("/feed.xml")));
  auto run = dyad::testing::RunCli("watch --once --quiet --config " + Quote(config) + " --db " +
                                   Quote(db_));
  EXPECT_EQ(run.exit_code, 1) << run.err;   // a source failed
  EXPECT_NE(run.out.find("1 documents added"), std::string::npos) << run.out;
  auto st = dyad::testing::RunCli("status --db " + Quote(db_));
  EXPECT_EQ(st.exit_code, 0) << st.err;   // one failure is not yet unhealthy
  EXPECT_NE(st.out.find("failing"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("HTTP 500"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("queue: 0 fetched items"), std::string::npos) << st.out;
  auto js = dyad::testing::RunCli("status --json --db " + Quote(db_));
  nlohmann::json j = nlohmann::json::parse(js.out);
  ASSERT_EQ(j["sources"].size(), 2u);
  EXPECT_EQ(j["sources"][0]["name"], "down");
  EXPECT_EQ(j["sources"][0]["failures"], 1);
  EXPECT_EQ(j["sources"][1]["items_fetched"], 1);

  auto bad = dyad::testing::RunCli("watch --once --config " + Quote(dir_.Write("bad.toml", "[[source]]\nname = 1\n")) +
                                   " --db " + Quote(db_));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.toml:"), std::string::npos) << bad.err;
}

TEST_F(WatchTest, MetricsAndTheAlertsFeedAreServed) {
  site_.Article(1, kSentences[0]);
  site_.Feed("/feed.xml", {"/news/1.html"});
  site_.Set("/down.xml", {"no", "text/plain", 500});
  WatchConfig config = Config(
      Source("news", "feed", site_.Url("/feed.xml")) + Source("down", "feed", site_.Url("/down.xml")) +
      "[[rule]]\nname = \"detentions\"\nkind = \"codes\"\npopulation = \"UZB in RUS\"\n"
      "codes = [\"173\"]\n");
  {
    auto store = OpenStore();
    auto loop = Loop(config, store.get());
    ASSERT_TRUE(loop);
    ASSERT_TRUE(loop->RunOnce().ok());
  }
  // Two items fetched by a watch and not stored yet, in the store's default spool.
  std::filesystem::create_directories(DefaultSpoolDirectory(db_));
  std::ofstream(DefaultSpoolDirectory(db_) + "/x.jsonl") << "{\"text\":\"a\"}\n{\"text\":\"b\"}\n";
  ServerOptions so;
  so.store_url = db_;
  so.port = 0;
  auto server = Server::Create(so);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->Start().ok());
  httplib::Client client("127.0.0.1", (*server)->port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->get_header_value("Content-Type").find("text/plain"), std::string::npos);
  const std::string& m = metrics->body;
  EXPECT_NE(m.find("dyad_events "), std::string::npos) << m;
  EXPECT_NE(m.find("dyad_watch_source_items_fetched_total{source=\"news\"} 1"), std::string::npos) << m;
  EXPECT_NE(m.find("dyad_watch_source_consecutive_failures{source=\"down\"} 1"), std::string::npos) << m;
  EXPECT_NE(m.find("dyad_alerts_total 1"), std::string::npos) << m;
  auto atom = client.Get("/alerts.atom");
  ASSERT_TRUE(atom);
  EXPECT_EQ(atom->status, 200);
  EXPECT_NE(atom->body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos);
  EXPECT_NE(atom->body.find(kSentences[0]), std::string::npos) << atom->body;
  auto watch = client.Get("/api/watch");
  ASSERT_TRUE(watch);
  nlohmann::json w = nlohmann::json::parse(watch->body);
  ASSERT_EQ(w["sources"].size(), 2u);
  EXPECT_EQ(w["alerts"].size(), 1u);
  EXPECT_EQ(w["queue"]["items"], 2);
  EXPECT_NE(m.find("dyad_watch_queue_items 2"), std::string::npos) << m;
  (*server)->Stop();
}

TEST_F(WatchTest, ARuleSavedFromTheDashboardIsEvaluatedByTheLoop) {
  site_.Article(1, kSentences[0]);
  site_.Feed("/feed.xml", {"/news/1.html"});
  WatchConfig config = Config(Source("news", "feed", site_.Url("/feed.xml")) +
                              "[[notifier]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"" +
                              site_.Url("/hook") + "\"\n");
  auto store = OpenStore();
  auto loop = Loop(config, store.get());
  ASSERT_TRUE(loop);
  auto r = loop->RunOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->alerts_new, 0);   // no rules yet

  ServerOptions so;
  so.store_url = db_;
  so.port = 0;
  so.token = "secret";
  so.token_holder = "analyst";
  so.user_dict = dir_.path() + "/user-dict.txt";
  auto server = Server::Create(so);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->Start().ok());
  httplib::Client client("127.0.0.1", (*server)->port());
  const std::string good =
      R"({"name":"my-view","kind":"codes","population":"UZB in RUS","codes":["173"],"notify":["hook","pager"]})";
  auto anonymous = client.Post("/api/rules", good, "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  httplib::Headers auth = {{"Authorization", "Bearer secret"}};
  auto bad = client.Post("/api/rules", auth,
                         R"({"name":"x","kind":"codes","population":"UZB in RUS"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("a codes rule needs codes"), std::string::npos) << bad->body;
  auto bad_code = client.Post("/api/rules", auth,
      R"({"name":"x","kind":"codes","dyad":"UZB-RUS","codes":["17a"]})", "application/json");
  ASSERT_TRUE(bad_code);
  EXPECT_EQ(bad_code->status, 400);
  EXPECT_NE(bad_code->body.find("rule.codes[0]"), std::string::npos) << bad_code->body;
  auto saved = client.Post("/api/rules", auth, good, "application/json");
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 200) << saved->body;
  const std::int64_t id = nlohmann::json::parse(saved->body)["id"];
  auto twice = client.Post("/api/rules", auth, good, "application/json");
  EXPECT_EQ(twice->status, 400);
  auto list = client.Get("/api/rules");
  nlohmann::json rules = nlohmann::json::parse(list->body)["rules"];
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]["holder"], "analyst");
  EXPECT_EQ(rules[0]["rule"]["codes"][0], "173");

  auto next = loop->RunOnce();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->alerts_new, 1);
  EXPECT_EQ(next->deliveries_sent, 1);   // "pager" is not configured: dropped, "hook" kept
  ASSERT_EQ(site_.hooks().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(site_.hooks()[0])["alert"]["rule"], "my-view");

  auto del = client.Delete("/api/rules/" + std::to_string(id), auth);
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 200);
  EXPECT_EQ(client.Delete("/api/rules/" + std::to_string(id), auth)->status, 404);
  EXPECT_TRUE(store->SavedRules()->empty());
  (*server)->Stop();
}

TEST(WatchSources, SavedRulesPassTheChecksOfTheFile) {
  auto ok = AlertRuleFromJson(R"({"name":"s","kind":"spike","dyad":"UZB-RUS","days":14,"ratio":3})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->dyad, "UZB-RUS");
  EXPECT_EQ(ok->days, 14);
  auto back = AlertRuleFromJson(AlertRuleToJson(*ok));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(AlertRuleToJson(*back), AlertRuleToJson(*ok));
  EXPECT_NE(AlertRuleFromJson(R"({"name":"s","kind":"loud","dyad":"UZB-RUS"})").status().message().find("unknown kind"), std::string::npos);
  EXPECT_NE(AlertRuleFromJson(R"({"name":"s","kind":"spike","dyad":"UZB-RUS","colour":"red"})").status().message().find("colour"), std::string::npos);
  EXPECT_NE(AlertRuleFromJson(R"({"name":"s","kind":"unanswered","population":"UZB in RUS"})").status().message().find("about a dyad"), std::string::npos);
  EXPECT_FALSE(AlertRuleFromJson(R"({"name":"s","kind":"spike","dyad":"UZB-RUS","days":0})").ok());
  EXPECT_FALSE(AlertRuleFromJson(R"({"name":"s","kind":"spike","dyad":{"a":1}})").ok());
  EXPECT_FALSE(AlertRuleFromJson("[1]").ok());
}

TEST(WatchSources, ResolveUrlFollowsRfc3986) {
  EXPECT_EQ(ResolveUrl("http://a.example/x/y.html", "z.html"), "http://a.example/x/z.html");
  EXPECT_EQ(ResolveUrl("http://a.example/x/y.html", "/z#frag"), "http://a.example/z");
  EXPECT_EQ(ResolveUrl("http://a.example/x/", "https://b.example/q?a=1"), "https://b.example/q?a=1");
  EXPECT_EQ(ResolveUrl("http://a.example/", "mailto:x@y"), "");
  EXPECT_EQ(ResolveUrl("http://a.example/", "#top"), "");
  EXPECT_EQ(ResolveUrl("not a url", "x"), "");
}

TEST(WatchSources, TelegramPreviewPostsKeepTheirTextDateAndLink) {
  const std::string html =
      "<div class=\"tgme_widget_message\" data-post=\"chan/7\"><div class=\"tgme_widget_message_text\">"
      "First line<br>second &amp; last</div><time datetime=\"2025-02-01T10:00:00+00:00\"></time></div>"
      "<div class=\"tgme_widget_message\" data-post=\"broken\"><div class=\"tgme_widget_message_text\">x</div></div>";
  auto posts = ParseTelegramPreview(html, "https://t.me/s/chan");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].url, "https://t.me/chan/7");
  EXPECT_EQ(posts[0].text, "First line\n\nsecond & last");
  EXPECT_EQ(posts[0].date, "2025-02-01");
  EXPECT_EQ(posts[0].source, "chan");
  EXPECT_TRUE(ParseTelegramPreview(std::string(5000, '<') + "div", "x").empty());
}

TEST(WatchSources, AlertsSurviveTheirJsonRoundTrip) {
  Alert a;
  a.rule = "r";
  a.kind = "codes";
  a.subject = "UZB in RUS";
  a.key = "r|UZB in RUS|story:4";
  a.date = "2025-03-03";
  a.title = "t";
  a.summary = "s\nline";
  a.link = "#/event/9";
  a.story_ids = {4};
  a.evidence = {{9, 4, "2025-03-03", "RUSCOP", "UZBLAB", "173", "Police detained \"them\"."}};
  auto back = AlertFromJson(AlertToJson(a));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(AlertToJson(*back), AlertToJson(a));
  EXPECT_EQ(back->evidence[0].sentence, a.evidence[0].sentence);
  EXPECT_FALSE(AlertFromJson("{\"rule\": 1}").ok());
  EXPECT_FALSE(AlertFromJson("not json").ok());
}

}  // namespace
}  // namespace dyad::watch
