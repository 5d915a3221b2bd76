// Alert rules and notifications (dyad/watch.h, src/watch/notify.cc): rules
// over hand-built facts fire once per key; a webhook receiver (cpp-httplib
// on loopback) gets the JSON; a fake SMTP server on a loopback socket gets
// the message; the Atom feed parses back and is escaped. Every time is a
// fixed time point: nothing depends on the wall clock.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dyad/monitor.h"
#include "dyad/watch.h"
#include "test_util.h"

namespace dyad::watch {
namespace {

using monitor::Day;
using monitor::MonitorIndex;
using Clock = std::chrono::system_clock;

Day D(const char* date) {
  Day d = monitor::kUndated;
  EXPECT_TRUE(monitor::ParseDay(date, &d)) << date;
  return d;
}

// A fixed instant: 2024-09-03T12:00:00Z.
Clock::time_point T0() { return Clock::time_point(std::chrono::seconds(1725364800)); }

struct FactSpec {
  std::int64_t id;
  std::int64_t story;
  const char* date;
  const char* source;
  const char* target;
  const char* code;
  int quad;
};

void Add(MonitorIndex* index, const std::vector<FactSpec>& specs) {
  for (const FactSpec& s : specs) {
    EventFact f;
    f.event_id = s.id;
    f.story_id = s.story;
    f.document_id = s.id;
    f.sentence_index = static_cast<std::uint32_t>(s.id);
    f.date = s.date;
    f.source = s.source;
    f.target = s.target;
    f.code = s.code;
    f.quad_class = s.quad;
    f.goldstein = -5;
    f.has_goldstein = true;
    index->Upsert(f);
  }
}

AlertRule Rule(const char* name, const char* kind, const char* dyad, const char* population) {
  AlertRule r;
  r.name = name;
  r.kind = kind;
  r.dyad = dyad;
  r.population = population;
  return r;
}

std::vector<std::string> Keys(const std::vector<Alert>& alerts) {
  std::vector<std::string> keys;
  for (const Alert& a : alerts) keys.push_back(a.key);
  return keys;
}

// Evaluate, then keep what the log has not seen (as the watch loop does).
std::vector<Alert> Fresh(const WatchConfig& c, const MonitorIndex& index, Day today,
                         MemoryAlertLog* log) {
  Result<std::vector<Alert>> r = TakeNewAlerts(EvaluateRules(c, index, today), log);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : std::vector<Alert>{};
}

// --- Rules ---

TEST(NotifyRulesTest, CodesFiresOncePerStory) {
  MonitorIndex index;
  Add(&index, {{1, 10, "2024-08-28", "RUSCOP", "UZBLAB", "173", 4},
               {2, 10, "2024-08-29", "RUSCOP", "UZBLAB", "1731", 4},   // same story
               {3, 11, "2024-08-30", "RUSJUD", "UZBCVL", "174", 4},
               {4, 12, "2024-08-30", "RUSGOV", "UZBLAB", "090", 3},    // other code
               {5, 13, "2024-08-01", "RUSCOP", "UZBLAB", "173", 4},    // before the window
               {6, 14, "2024-08-30", "RUSCOP", "TJKLAB", "173", 4},    // other population
               {7, 15, "2024-08-31", "RUSCOP", "UZB", "182", 4}});     // the state, not citizens
  WatchConfig c;
  AlertRule r = Rule("uzb-arrests", "codes", "", "UZB in RUS");
  r.codes = {"173", "174", "18"};
  c.rules.push_back(r);
  MemoryAlertLog log;
  std::vector<Alert> first = Fresh(c, index, D("2024-09-03"), &log);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].key, "uzb-arrests|UZB in RUS|story:10");
  EXPECT_EQ(first[1].key, "uzb-arrests|UZB in RUS|story:11");
  EXPECT_EQ(first[0].rule, "uzb-arrests");
  EXPECT_EQ(first[0].kind, "codes");
  EXPECT_EQ(first[0].subject, "UZB in RUS");
  EXPECT_EQ(first[0].date, "2024-08-28");
  EXPECT_EQ(first[0].story_ids, (std::vector<std::int64_t>{10}));
  ASSERT_EQ(first[0].evidence.size(), 2u);
  EXPECT_EQ(first[0].evidence[0].event_id, 1);
  EXPECT_EQ(first[0].evidence[1].event_id, 2);
  EXPECT_EQ(first[0].evidence[1].code, "1731");
  EXPECT_EQ(first[0].link, "#/event/1");
  EXPECT_NE(first[0].title.find("173"), std::string::npos) << first[0].title;
  EXPECT_NE(first[0].summary.find("story 10"), std::string::npos) << first[0].summary;
  // Again, and on later days: nothing new.
  EXPECT_TRUE(Fresh(c, index, D("2024-09-03"), &log).empty());
  EXPECT_TRUE(Fresh(c, index, D("2024-09-04"), &log).empty());
  EXPECT_EQ(log.alerts().size(), 2u);
  // A new story fires; a new event of a known story does not.
  Add(&index, {{8, 16, "2024-09-03", "RUSCOP", "UZBLAB", "1823", 4},
               {9, 11, "2024-09-03", "RUSCOP", "UZBLAB", "173", 4}});
  std::vector<Alert> more = Fresh(c, index, D("2024-09-04"), &log);
  EXPECT_EQ(Keys(more), (std::vector<std::string>{"uzb-arrests|UZB in RUS|story:16"}));
  // A wider window brings in story 13 once.
  c.rules[0].days = 60;
  EXPECT_EQ(Keys(Fresh(c, index, D("2024-09-04"), &log)),
            (std::vector<std::string>{"uzb-arrests|UZB in RUS|story:13"}));
}

TEST(NotifyRulesTest, CodesForADyadAndForEveryWatchedSubject) {
  MonitorIndex index;
  Add(&index, {{1, 1, "2024-08-30", "UZBGOV", "RUSGOV", "1122", 3},
               {2, 2, "2024-08-31", "RUSGOV", "UZB", "112", 3},
               {3, 3, "2024-08-31", "KGZGOV", "RUSGOV", "112", 3},
               {4, 4, "2024-08-31", "RUSCOP", "KGZLAB", "173", 4}});
  WatchConfig c;
  c.dyads = {{"UZB", "RUS"}, {"KGZ", "RUS"}};
  c.populations = {{"KGZ", "RUS"}};
  AlertRule r = Rule("accusations", "codes", "UZB-RUS", "");
  r.codes = {"112"};
  c.rules.push_back(r);
  std::vector<Alert> a = EvaluateRules(c, index, D("2024-09-01"));
  EXPECT_EQ(Keys(a), (std::vector<std::string>{"accusations|UZB-RUS|story:1",
                                               "accusations|UZB-RUS|story:2"}));
  // No dyad or population: every watched one.
  c.rules[0].dyad = "";
  c.rules[0].codes = {"112", "173"};
  a = EvaluateRules(c, index, D("2024-09-01"));
  EXPECT_EQ(Keys(a), (std::vector<std::string>{
                         "accusations|UZB-RUS|story:1", "accusations|UZB-RUS|story:2",
                         "accusations|KGZ-RUS|story:3", "accusations|KGZ-RUS|story:4",
                         "accusations|KGZ in RUS|story:4"}));
}

// RUS-UZB conflict stories per week (week 0 = Monday 2024-01-01), each
// against Uzbek workers, so both the dyad and the population see them.
MonitorIndex Weekly(const std::vector<int>& per_week) {
  MonitorIndex index;
  std::int64_t id = 1;
  for (std::size_t w = 0; w < per_week.size(); ++w) {
    for (int i = 0; i < per_week[w]; ++i) {
      EventFact f;
      f.event_id = id;
      f.story_id = id;
      f.document_id = id;
      f.date = monitor::FormatDay(D("2024-01-01") + static_cast<Day>(7 * w + i % 7));
      f.source = "RUSCOP";
      f.target = "UZBLAB";
      f.code = "173";
      f.quad_class = 4;
      index.Upsert(f);
      ++id;
    }
  }
  return index;
}

TEST(NotifyRulesTest, SpikeFiresOnceAboveTheRatioAndNotBelowTheFloor) {
  // 8 weeks of 1, then 3 in the week of 2024-02-26: 3 >= 2 x 1.
  std::vector<int> weeks(8, 1);
  weeks.push_back(3);
  MonitorIndex index = Weekly(weeks);
  WatchConfig c;
  c.rules.push_back(Rule("dyad-spike", "spike", "UZB-RUS", ""));
  c.rules.push_back(Rule("pop-spike", "spike", "", "UZB in RUS"));
  MemoryAlertLog log;
  std::vector<Alert> a = Fresh(c, index, D("2024-02-28"), &log);
  ASSERT_EQ(Keys(a), (std::vector<std::string>{"dyad-spike|UZB-RUS|week:2024-02-26",
                                               "pop-spike|UZB in RUS|week:2024-02-26"}));
  for (const Alert& x : a) {
    EXPECT_EQ(x.date, "2024-02-26");
    EXPECT_EQ(x.story_ids.size(), 3u) << x.key;
    EXPECT_EQ(x.evidence.size(), 3u) << x.key;
    EXPECT_NE(x.title.find("3 conflict stories"), std::string::npos) << x.title;
  }
  EXPECT_EQ(a[0].link, "#/dyad/UZB-RUS");
  EXPECT_EQ(a[1].link, "#/citizens/UZB/RUS");
  // The rest of that week, and the next poll: nothing new.
  EXPECT_TRUE(Fresh(c, index, D("2024-03-01"), &log).empty());
  EXPECT_TRUE(Fresh(c, index, D("2024-03-03"), &log).empty());
  // A higher ratio: no alert.
  c.rules[0].ratio = 4;
  c.rules[1].ratio = 4;
  EXPECT_TRUE(EvaluateRules(c, index, D("2024-02-28")).empty());
  // Before the spike week: nothing.
  c.rules[0].ratio = c.rules[1].ratio = 2;
  EXPECT_TRUE(EvaluateRules(c, index, D("2024-02-25")).empty());

  // One story every other week, then 3: the 4-week mean (0.5) is under the
  // floor, so no alert however large the jump.
  std::vector<int> sparse;
  for (int i = 0; i < 20; ++i) sparse.push_back(i % 2);
  sparse.push_back(3);
  MonitorIndex low = Weekly(sparse);
  Day last = low.LatestDay();
  EXPECT_TRUE(EvaluateRules(c, low, last).empty());
}

TEST(NotifyRulesTest, UnansweredFiresOnlyAfterTheWindow) {
  MonitorIndex index;
  // UZB's foreign ministry complains on 2024-08-19 (114); no reply.
  Add(&index, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3}});
  WatchConfig c;
  AlertRule r = Rule("no-reply", "unanswered", "UZB-RUS", "");
  r.days = 14;
  c.rules.push_back(r);
  MemoryAlertLog log;
  EXPECT_TRUE(Fresh(c, index, D("2024-08-25"), &log).empty());
  EXPECT_TRUE(Fresh(c, index, D("2024-09-02"), &log).empty());   // the window's last day
  std::vector<Alert> a = Fresh(c, index, D("2024-09-03"), &log);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].key, "no-reply|UZB-RUS|opening:1");
  EXPECT_EQ(a[0].date, "2024-08-19");
  EXPECT_EQ(a[0].link, "#/exchanges/UZB-RUS");
  EXPECT_EQ(a[0].story_ids, (std::vector<std::int64_t>{1}));
  ASSERT_EQ(a[0].evidence.size(), 1u);
  EXPECT_EQ(a[0].evidence[0].code, "114");
  EXPECT_NE(a[0].title.find("RUS has not replied"), std::string::npos) << a[0].title;
  EXPECT_TRUE(Fresh(c, index, D("2024-09-04"), &log).empty());

  // A reply within the window (dismissive): no alert.
  MonitorIndex answered;
  Add(&answered, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3},
                  {2, 2, "2024-08-22", "RUSGOV", "UZBGOV", "090", 1}});
  EXPECT_TRUE(EvaluateRules(c, answered, D("2024-09-03")).empty());
}

// --- Retry policy and dispatch ---

TEST(NotifyRetryTest, ExponentialBackoffThenGiveUp) {
  RetryPolicy p;
  p.max_attempts = 4;
  p.initial_seconds = 10;
  p.max_seconds = 25;
  EXPECT_EQ(NextAttempt(p, 1, T0()), T0() + std::chrono::seconds(10));
  EXPECT_EQ(NextAttempt(p, 2, T0()), T0() + std::chrono::seconds(20));
  EXPECT_EQ(NextAttempt(p, 3, T0()), T0() + std::chrono::seconds(25));   // capped
  EXPECT_FALSE(NextAttempt(p, 4, T0()).has_value());
  EXPECT_STREQ(DeliveryStateName(DeliveryState::kRetrying), "retrying");
}

Alert SampleAlert() {
  Alert a;
  a.rule = "uzb-arrests";
  a.kind = "codes";
  a.subject = "UZB in RUS";
  a.key = "uzb-arrests|UZB in RUS|story:10";
  a.date = "2024-08-28";
  a.title = "UZB in RUS: 173 arrest on 2024-08-28";
  a.summary = "2 events with code 173 in story 10.";
  a.link = "#/event/1";
  a.story_ids = {10};
  a.evidence = {{1, 10, "2024-08-28", "RUSCOP", "UZBLAB", "173",
                 "Police in Moscow detained 12 migrants from Uzbekistan."},
                {2, 10, "2024-08-29", "RUSCOP", "UZBLAB", "1731", ""}};
  return a;
}

// A cpp-httplib server on 127.0.0.1, any port, in a thread.
class HookServer {
 public:
  HookServer() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      bodies_.push_back(req.body);
      content_types_.push_back(req.get_header_value("Content-Type"));
      res.set_content("ok", "text/plain");
    });
    server_.Post("/fail", [](const httplib::Request&, httplib::Response& res) {
      res.status = 500;
      res.set_content("receiver is down", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HookServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const char* path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard<std::mutex> lock(mu_);
    return content_types_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> bodies_, content_types_;
};

NotifierOptions Options() {
  NotifierOptions o;
  o.dashboard_url = "http://dash.example:8080/";
  o.timeout_seconds = 10;
  o.now = [] { return T0(); };
  o.getenv = [](const std::string&) { return std::optional<std::string>(); };
  return o;
}

TEST(NotifyWebhookTest, ReceiverGetsTheJson) {
  HookServer server;
  NotifierConfig nc;
  nc.name = "team-chat";
  nc.kind = "webhook";
  nc.url = server.Url("/hook");
  Result<std::unique_ptr<Notifier>> n = MakeNotifier(nc, Options());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  MemoryAlertLog log;
  Alert alert = SampleAlert();
  Result<DeliveryRecord> d = Dispatch(**n, alert, 0, RetryPolicy{}, T0(), &log);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state, DeliveryState::kSent) << d->error;
  EXPECT_EQ(d->attempts, 1);
  EXPECT_TRUE(d->error.empty());
  EXPECT_FALSE(d->next_attempt.has_value());
  ASSERT_EQ(log.deliveries().size(), 1u);
  EXPECT_EQ(log.deliveries().begin()->second.state, DeliveryState::kSent);

  ASSERT_EQ(server.bodies().size(), 1u);
  EXPECT_EQ(server.content_types()[0].rfind("application/json", 0), 0u);
  nlohmann::json j = nlohmann::json::parse(server.bodies()[0]);
  EXPECT_NE(j["text"].get<std::string>().find(alert.title), std::string::npos);
  EXPECT_NE(j["text"].get<std::string>().find("http://dash.example:8080/#/event/1"),
            std::string::npos);
  const nlohmann::json& a = j["alert"];
  EXPECT_EQ(a["key"], alert.key);
  EXPECT_EQ(a["rule"], "uzb-arrests");
  EXPECT_EQ(a["kind"], "codes");
  EXPECT_EQ(a["subject"], "UZB in RUS");
  EXPECT_EQ(a["date"], "2024-08-28");
  EXPECT_EQ(a["title"], alert.title);
  EXPECT_EQ(a["summary"], alert.summary);
  EXPECT_EQ(a["link"], "http://dash.example:8080/#/event/1");
  EXPECT_EQ(a["story_ids"], nlohmann::json::array({10}));
  ASSERT_EQ(a["events"].size(), 2u);
  const nlohmann::json& e = a["events"][0];
  EXPECT_EQ(e["id"], 1);
  EXPECT_EQ(e["story_id"], 10);
  EXPECT_EQ(e["date"], "2024-08-28");
  EXPECT_EQ(e["source"], "RUSCOP");
  EXPECT_EQ(e["target"], "UZBLAB");
  EXPECT_EQ(e["code"], "173");
  EXPECT_FALSE(e["code_name"].get<std::string>().empty());
  EXPECT_EQ(e["sentence"], "Police in Moscow detained 12 migrants from Uzbekistan.");
  EXPECT_EQ(e["link"], "http://dash.example:8080/#/event/1");
  EXPECT_EQ(DashboardLink("http://d.example", "#/dyad/UZB-RUS"), "http://d.example/#/dyad/UZB-RUS");
}

TEST(NotifyWebhookTest, A500IsAFailureWithARetryTime) {
  HookServer server;
  NotifierConfig nc;
  nc.name = "team-chat";
  nc.kind = "webhook";
  nc.url = server.Url("/fail");
  std::unique_ptr<Notifier> n = std::move(MakeNotifier(nc, Options()).value());
  MemoryAlertLog log;
  RetryPolicy policy;
  policy.initial_seconds = 30;
  policy.max_attempts = 3;
  Result<DeliveryRecord> d = Dispatch(*n, SampleAlert(), 0, policy, T0(), &log);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state, DeliveryState::kRetrying);
  EXPECT_NE(d->error.find("HTTP 500"), std::string::npos) << d->error;
  EXPECT_NE(d->error.find("receiver is down"), std::string::npos) << d->error;
  ASSERT_TRUE(d->next_attempt.has_value());
  EXPECT_EQ(*d->next_attempt, T0() + std::chrono::seconds(30));
  // The second attempt waits twice as long; the third gives up.
  d = Dispatch(*n, SampleAlert(), 1, policy, T0(), &log);
  EXPECT_EQ(*d->next_attempt, T0() + std::chrono::seconds(60));
  d = Dispatch(*n, SampleAlert(), 2, policy, T0(), &log);
  EXPECT_EQ(d->state, DeliveryState::kFailed);
  EXPECT_EQ(d->attempts, 3);
  EXPECT_FALSE(d->next_attempt.has_value());
  const DeliveryRecord& kept = log.deliveries().at({SampleAlert().key, "team-chat"});
  EXPECT_EQ(kept.state, DeliveryState::kFailed);
  EXPECT_NE(kept.error.find("HTTP 500"), std::string::npos);

  // Nobody listening: a connection error, also recorded.
  nc.url = "http://127.0.0.1:1/hook";
  n = std::move(MakeNotifier(nc, Options()).value());
  d = Dispatch(*n, SampleAlert(), 0, policy, T0(), &log);
  EXPECT_EQ(d->state, DeliveryState::kRetrying);
  EXPECT_EQ(d->error.rfind("webhook: ", 0), 0u) << d->error;
}

// --- SMTP ---

// Speaks just enough SMTP for one session on a loopback socket and keeps
// the envelope and the message.
class FakeSmtp {
 public:
  FakeSmtp() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeSmtp() { Join(); }
  // Ends the session's thread; commands and data are complete afterwards.
  void Join() {
    if (!thread_.joinable()) return;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // Read them after Join().
  std::vector<std::string> commands;
  std::string data;

 private:
  void Send(int fd, const std::string& line) {
    std::string s = line + "\r\n";
    (void)!::write(fd, s.data(), s.size());
  }
  // One CRLF-terminated line; false at EOF.
  bool ReadLine(int fd, std::string* buffer, std::string* line) {
    for (;;) {
      std::size_t nl = buffer->find("\r\n");
      if (nl != std::string::npos) {
        *line = buffer->substr(0, nl);
        buffer->erase(0, nl + 2);
        return true;
      }
      char chunk[4096];
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer->append(chunk, static_cast<std::size_t>(n));
    }
  }
  void Serve() {
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    std::string buffer, line;
    Send(fd, "220 fake.smtp ESMTP");
    while (ReadLine(fd, &buffer, &line)) {
      commands.push_back(line);
      std::string verb = line.substr(0, 4);
      for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (verb == "EHLO" || verb == "HELO") {
        Send(fd, "250 fake.smtp");
      } else if (verb == "MAIL" || verb == "RCPT" || verb == "RSET" || verb == "NOOP") {
        Send(fd, "250 OK");
      } else if (verb == "DATA") {
        Send(fd, "354 go ahead");
        while (ReadLine(fd, &buffer, &line) && line != ".") {
          if (line.rfind("..", 0) == 0) line.erase(0, 1);   // dot-stuffing
          data.append(line).append("\r\n");
        }
        Send(fd, "250 queued");
      } else if (verb == "QUIT") {
        Send(fd, "221 bye");
        break;
      } else {
        Send(fd, "502 not implemented");
      }
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(NotifySmtpTest, ServerReceivesTheMessageWithTheEvidence) {
  std::vector<std::string> commands;
  std::string data;
  {
    FakeSmtp smtp;
    NotifierConfig nc;
    nc.name = "analyst-mail";
    nc.kind = "smtp";
    nc.url = smtp.Url();
    nc.from = "dyad@example.org";
    nc.to = "analyst@example.org";
    std::unique_ptr<Notifier> n = std::move(MakeNotifier(nc, Options()).value());
    Alert alert = SampleAlert();
    alert.evidence[1].sentence = ".A sentence that starts with a dot, and Ташкент.";
    DeliveryResult r = n->Deliver(alert);
    EXPECT_TRUE(r.sent) << r.error;
    smtp.Join();
    commands = smtp.commands;
    data = smtp.data;
  }
  ASSERT_GE(commands.size(), 4u);
  bool mail = false, rcpt = false;
  for (const std::string& c : commands) {
    mail = mail || c.rfind("MAIL FROM:<dyad@example.org>", 0) == 0;
    rcpt = rcpt || c.rfind("RCPT TO:<analyst@example.org>", 0) == 0;
  }
  EXPECT_TRUE(mail);
  EXPECT_TRUE(rcpt);
  EXPECT_NE(data.find("From: dyad@example.org\r\n"), std::string::npos) << data;
  EXPECT_NE(data.find("To: analyst@example.org\r\n"), std::string::npos);
  EXPECT_NE(data.find("Subject: [dyad] UZB in RUS: 173 arrest on 2024-08-28\r\n"),
            std::string::npos);
  EXPECT_NE(data.find("Date: Tue, 03 Sep 2024 12:00:00 +0000\r\n"), std::string::npos) << data;
  EXPECT_NE(data.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(data.find("Police in Moscow detained 12 migrants from Uzbekistan."), std::string::npos)
      << data;
  EXPECT_NE(data.find("\"." "A sentence that starts with a dot, and Ташкент.\""), std::string::npos)
      << data;
  EXPECT_NE(data.find("http://dash.example:8080/#/event/2"), std::string::npos);
  // Headers end at the first empty line; the summary is in the body.
  std::size_t blank = data.find("\r\n\r\n");
  ASSERT_NE(blank, std::string::npos);
  EXPECT_GT(data.find(SampleAlert().summary), blank);
}

TEST(NotifySmtpTest, FailuresAreValues) {
  NotifierConfig nc;
  nc.name = "mail";
  nc.kind = "smtp";
  nc.url = "smtp://127.0.0.1:1";
  nc.from = "a@example.org";
  nc.to = "b@example.org";
  std::unique_ptr<Notifier> n = std::move(MakeNotifier(nc, Options()).value());
  DeliveryResult r = n->Deliver(SampleAlert());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error.rfind("smtp: ", 0), 0u) << r.error;
  // A password variable that is not set: refused before connecting.
  nc.username = "dyad";
  nc.password_env = "DYAD_TEST_UNSET_PASSWORD";
  n = std::move(MakeNotifier(nc, Options()).value());
  r = n->Deliver(SampleAlert());
  EXPECT_FALSE(r.sent);
  EXPECT_NE(r.error.find("DYAD_TEST_UNSET_PASSWORD"), std::string::npos) << r.error;
}

// --- Atom ---

TEST(NotifyAtomTest, FeedIsWellFormedEscapedAndKeepsTheLatest) {
  dyad::testing::TempDir dir;
  NotifierConfig nc;
  nc.name = "alerts-feed";
  nc.kind = "atom";
  nc.path = dir.path() + "/alerts.atom";
  NotifierOptions o = Options();
  o.atom_entries = 2;
  std::unique_ptr<Notifier> n = std::move(MakeNotifier(nc, o).value());
  Alert evil = SampleAlert();
  evil.title = "<script>alert(1)</script> & \"quotes\"";
  evil.evidence[0].sentence = "He said <b>\"no\"</b> & left.\x01";
  ASSERT_TRUE(n->Deliver(evil).sent);

  std::ifstream in(nc.path);
  std::stringstream raw;
  raw << in.rdbuf();
  EXPECT_EQ(raw.str().find("<script>"), std::string::npos) << raw.str();
  EXPECT_NE(raw.str().find("&lt;script&gt;"), std::string::npos) << raw.str();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(raw.str().c_str())) << raw.str();
  pugi::xml_node feed = doc.child("feed");
  ASSERT_TRUE(feed);
  EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_STREQ(feed.child_value("updated"), "2024-09-03T12:00:00Z");
  EXPECT_FALSE(std::string(feed.child_value("id")).empty());
  pugi::xml_node entry = feed.child("entry");
  ASSERT_TRUE(entry);
  EXPECT_EQ(std::string(entry.child_value("title")), evil.title);
  EXPECT_EQ(std::string(entry.child_value("id")).rfind("urn:dyad:alert:", 0), 0u);
  EXPECT_STREQ(entry.child("link").attribute("href").value(), "http://dash.example:8080/#/event/1");
  EXPECT_STREQ(entry.child_value("updated"), "2024-09-03T12:00:00Z");
  std::string content = entry.child_value("content");
  EXPECT_NE(content.find("He said <b>\"no\"</b> & left."), std::string::npos) << content;
  EXPECT_NE(content.find("http://dash.example:8080/#/event/2"), std::string::npos);

  // Two more alerts: the feed keeps the latest two, newest first; the same
  // key again replaces its entry rather than adding one.
  Alert second = SampleAlert();
  second.key = "k2";
  second.title = "second";
  Alert third = SampleAlert();
  third.key = "k3";
  third.title = "third";
  ASSERT_TRUE(n->Deliver(second).sent);
  ASSERT_TRUE(n->Deliver(third).sent);
  ASSERT_TRUE(n->Deliver(third).sent);
  auto titles = [&] {
    pugi::xml_document d;
    EXPECT_TRUE(d.load_file(nc.path.c_str()));
    std::vector<std::string> t;
    for (pugi::xml_node e : d.child("feed").children("entry")) t.push_back(e.child_value("title"));
    return t;
  };
  EXPECT_EQ(titles(), (std::vector<std::string>{"third", "second"}));
  // A restart reads the feed back: the next alert keeps "third".
  n = std::move(MakeNotifier(nc, o).value());
  Alert fourth = SampleAlert();
  fourth.key = "k4";
  fourth.title = "fourth";
  ASSERT_TRUE(n->Deliver(fourth).sent);
  EXPECT_EQ(titles(), (std::vector<std::string>{"fourth", "third"}));
  EXPECT_NE(access((nc.path + ".tmp").c_str(), F_OK), 0);   // no temp file left

  // A feed that cannot be read back is an error, not silently replaced.
  std::string broken = dir.Write("broken.atom", "<feed><entry>");
  nc.path = broken;
  EXPECT_FALSE(MakeNotifier(nc, o).ok());
  // An unwritable place: a failure value.
  nc.path = dir.path() + "/no/such/dir/alerts.atom";
  n = std::move(MakeNotifier(nc, o).value());
  DeliveryResult r = n->Deliver(SampleAlert());
  EXPECT_FALSE(r.sent);
  EXPECT_EQ(r.error.rfind("atom: ", 0), 0u) << r.error;
}

}  // namespace
}  // namespace dyad::watch
