#include "watch_command.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "dyad/dictionary.h"
#include "dyad/ingest.h"
#include "dyad/server.h"
#include "dyad/store.h"
#include "dyad/watch.h"

namespace dyad::cli {

struct WatchCommand::Options {
  CLI::App* watch = nullptr;
  CLI::App* status = nullptr;
  std::string config_path = "watch.toml";
  std::string db = "dyad.db";
  std::string spool;
  std::string dict_dir, user_dict;
  std::string today;
  int threads = 0;
  bool once = false, all = false, quiet = false;
  bool serve = false;
  ServerOptions server;
  bool json = false;
};

WatchCommand::WatchCommand(CLI::App& app) : options_(std::make_unique<Options>()) {
  Options& o = *options_;
  o.watch = app.add_subcommand(
      "watch", "Poll the sources of a watch file, ingest and code what is new, raise alerts and "
               "notify (docs/watch.md)");
  o.watch->add_option("--config", o.config_path, "Watch configuration (TOML; data/watch.example.toml)")
      ->capture_default_str();
  o.watch->add_option("--db", o.db, "Store: SQLite file or postgresql:// URL")->capture_default_str();
  o.watch->add_option("--spool", o.spool,
                      "Directory for fetched items not yet stored (default: <db>.watch-spool)");
  o.watch->add_option("--dict", o.dict_dir, "Dictionary directory (default: the bundled one)");
  o.watch->add_option("--user-dict", o.user_dict, "User dictionary read on top (docs/corrections.md)");
  o.watch->add_option("--threads", o.threads, "Coding threads (default: all cores)");
  o.watch->add_flag("--once", o.once, "One cycle over the sources due now, then exit (for cron)");
  o.watch->add_flag("--all", o.all, "Poll every source now, due or not");
  o.watch->add_option("--today", o.today,
                      "Evaluate alert rules as of this day (YYYY-MM-DD) instead of today");
  o.watch->add_flag("-q,--quiet", o.quiet, "No line per poll");
  o.watch->add_flag("--serve", o.serve, "Also serve the dashboard and API over the store");
  o.server.store_url = o.db;
  o.watch->add_option("--port", o.server.port, "With --serve: TCP port")->capture_default_str();
  o.watch->add_option("--bind", o.server.bind, "With --serve: address to listen on")
      ->capture_default_str();
  o.watch->add_option("--token", o.server.token,
                      "With --serve: token allowing corrections (else $DYAD_TOKEN)");
  o.watch->footer(
      "Runs until SIGINT/SIGTERM; state (validators, failures, next poll, alerts, deliveries)\n"
      "is kept in the store, so a restart or a crash resumes where it stopped. Exit codes:\n"
      "0 ok, 1 (--once) some source or delivery failed, 2 configuration or store unusable.");

  o.status = app.add_subcommand("status", "The watch's health: sources, alerts, deliveries, queue");
  o.status->add_option("--db", o.db, "Store: SQLite file or postgresql:// URL")->capture_default_str();
  o.status->add_option("--spool", o.spool, "Spool directory (default: <db>.watch-spool)");
  o.status->add_flag("--json", o.json, "Machine-readable output");
}

WatchCommand::~WatchCommand() = default;

namespace {

int Fail(const Status& s) {
  std::cerr << "dyad: error: " << s.ToString() << "\n";
  return 2;
}

// Stops the loop on SIGINT/SIGTERM: a thread waits for the signals (blocked
// everywhere else) and wakes the sleeping loop.
class StopSignal {
 public:
  StopSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this] {
      int sig = 0;
      sigwait(&signals_, &sig);
      Stop();
    });
  }
  ~StopSignal() {
    Stop();
    pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  bool stopped() {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }
  // Sleeps up to `seconds`; true when stopped.
  bool Sleep(double seconds) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return stopped_; });
    return stopped_;
  }

 private:
  sigset_t signals_;
  std::thread waiter_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
};

int RunWatch(WatchCommand::Options& o) {
  auto config = watch::LoadWatchConfig(o.config_path);
  if (!config.ok()) return Fail(config.status());
  auto user = Dictionary::UserDictionaryPath(o.user_dict, StoreUserDictionaryPath(o.db));
  if (!user.ok()) return Fail(user.status());
  auto setup = LoadCodingSetup(o.dict_dir.empty() ? Dictionary::DefaultDirectory() : o.dict_dir,
                               {}, *user);
  if (!setup.ok()) return Fail(setup.status());
  auto store = Store::Open(o.db);
  if (!store.ok()) return Fail(store.status());

  watch::WatchOptions wo;
  wo.spool_dir = o.spool.empty() ? watch::DefaultSpoolDirectory(o.db) : o.spool;
  wo.threads = o.threads;
  if (!o.quiet) wo.log = &std::cerr;
  if (!o.today.empty()) {
    monitor::Day day;
    if (!monitor::ParseDay(o.today, &day)) {
      return Fail(InvalidArgument("--today: expected a date YYYY-MM-DD, got \"" + o.today + "\""));
    }
    wo.today = day;
  }
  StopSignal stop;
  auto loop = watch::WatchLoop::Create(*config, store->get(), *setup, wo);
  if (!loop.ok()) return Fail(loop.status());

  std::unique_ptr<Server> server;
  if (o.serve) {
    ServerOptions so = o.server;
    so.store_url = o.db;
    if (so.token.empty()) {
      if (const char* env = std::getenv("DYAD_TOKEN"); env && *env) so.token = env;
    }
    auto created = Server::Create(so);
    if (!created.ok()) return Fail(created.status());
    server = std::move(*created);
    Status started = server->Start();
    if (!started.ok()) return Fail(started);
    std::cout << "dyad watch: dashboard at http://"
              << (so.bind == "0.0.0.0" ? "127.0.0.1" : so.bind) << ":" << server->port() << "/"
              << std::endl;
  }
  std::cout << "dyad watch: " << config->sources.size() << " sources, " << config->rules.size()
            << " rules, " << config->notifiers.size() << " notifiers; store " << o.db
            << (o.once ? "" : "; Ctrl-C stops") << std::endl;

  bool any_failed = false;
  bool first = true;
  while (!stop.stopped()) {
    auto report = (*loop)->RunOnce(first && o.all);
    first = false;
    if (!report.ok()) {
      // The store failed: say so and retry later rather than spin; in
      // --once mode it is the exit status.
      std::cerr << "dyad: error: " << report.status().ToString() << "\n";
      if (o.once) return 2;
      if (stop.Sleep(60)) break;
      continue;
    }
    for (const watch::SourcePoll& p : report->polls) any_failed |= !p.error.empty();
    any_failed |= report->deliveries_failed > 0 || report->deliveries_retrying > 0;
    for (const std::string& e : report->errors) std::cerr << "dyad: " << e << "\n";
    if (!report->polls.empty() || report->documents_added || report->alerts_new ||
        report->deliveries_sent || report->deliveries_failed || report->deliveries_retrying) {
      std::cout << "dyad watch: " << report->polls.size() << " sources polled, "
                << report->documents_added << " documents added (" << report->events_added
                << " events), " << report->alerts_new << " new alerts, "
                << report->deliveries_sent << " notifications sent";
      if (report->deliveries_retrying) std::cout << ", " << report->deliveries_retrying << " to retry";
      if (report->deliveries_failed) std::cout << ", " << report->deliveries_failed << " failed";
      std::cout << std::endl;
    }
    if (o.once) break;
    stop.Sleep(std::clamp((*loop)->SecondsUntilDue(), 1.0, 60.0));
  }
  if (server) server->Stop();
  return (o.once && any_failed) ? 1 : 0;
}

int RunStatus(WatchCommand::Options& o) {
  auto store = Store::Open(o.db);
  if (!store.ok()) return Fail(store.status());
  auto sources = (*store)->SourceStates();
  if (!sources.ok()) return Fail(sources.status());
  auto alerts = (*store)->ListAlerts(1000000);
  if (!alerts.ok()) return Fail(alerts.status());
  auto deliveries = (*store)->Notifications("", 1000000);
  if (!deliveries.ok()) return Fail(deliveries.status());
  const std::string spool = o.spool.empty() ? watch::DefaultSpoolDirectory(o.db) : o.spool;
  const watch::SpoolQueue queue = watch::CountSpool(spool);
  std::map<std::string, int> by_state;
  for (const NotificationState& n : *deliveries) ++by_state[n.state];

  if (o.json) {
    nlohmann::json j;
    j["sources"] = nlohmann::json::array();
    for (const SourceState& s : *sources) {
      j["sources"].push_back({{"name", s.name}, {"url", s.url}, {"health", watch::SourceHealth(s)},
                              {"last_poll", s.last_poll}, {"last_success", s.last_success},
                              {"next_poll", s.next_poll}, {"failures", s.failures},
                              {"items_fetched", s.items_fetched}, {"errors", s.errors},
                              {"last_error", s.last_error}});
    }
    j["alerts"] = alerts->size();
    j["deliveries"] = by_state;
    j["queue"] = {{"spool", spool}, {"files", queue.files}, {"items", queue.items}};
    nlohmann::json problems = nlohmann::json::array();
    for (const NotificationState& n : *deliveries) {
      if (n.state == "sent") continue;
      problems.push_back({{"alert_id", n.alert_id}, {"notifier", n.notifier}, {"state", n.state},
                          {"attempts", n.attempts}, {"last_error", n.last_error},
                          {"next_attempt", n.next_attempt}});
    }
    j["undelivered"] = problems;
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << "sources (" << sources->size() << "):\n";
    if (sources->empty()) std::cout << "  none polled yet (run dyad watch)\n";
    for (const SourceState& s : *sources) {
      std::cout << "  " << std::left << std::setw(24) << s.name << " " << std::setw(12) << watch::SourceHealth(s)
                << " last success " << (s.last_success.empty() ? "never" : s.last_success)
                << ", next poll " << (s.next_poll.empty() ? "now" : s.next_poll) << ", "
                << s.items_fetched << " items, " << s.errors << " errors";
      if (s.failures) std::cout << ", " << s.failures << " failures in a row";
      std::cout << "\n";
      if (!s.last_error.empty()) std::cout << "      last error: " << s.last_error << "\n";
    }
    std::cout << "alerts: " << alerts->size();
    for (std::size_t i = 0; i < std::min<std::size_t>(5, alerts->size()); ++i) {
      std::cout << (i ? "" : "; latest:") << "\n  " << (*alerts)[i].fired_at << "  "
                << (*alerts)[i].title;
    }
    std::cout << "\ndeliveries:";
    if (by_state.empty()) std::cout << " none";
    for (const auto& [state, n] : by_state) std::cout << " " << n << " " << state;
    std::cout << "\n";
    for (const NotificationState& n : *deliveries) {
      if (n.state == "sent") continue;
      std::cout << "  alert " << n.alert_id << " via " << n.notifier << ": " << n.state << " after "
                << n.attempts << " attempts";
      if (!n.next_attempt.empty()) std::cout << ", next " << n.next_attempt;
      if (!n.last_error.empty()) std::cout << " (" << n.last_error << ")";
      std::cout << "\n";
    }
    std::cout << "queue: " << queue.items << " fetched items in " << queue.files
              << " spool files waiting to be stored" << (spool.empty() ? "" : " (" + spool + ")")
              << "\n";
  }
  bool unhealthy = std::any_of(sources->begin(), sources->end(),
                               [](const SourceState& s) { return s.failures >= 3; });
  return unhealthy || by_state.count("failed") ? 1 : 0;
}

}  // namespace

std::optional<int> WatchCommand::Run() {
  if (options_->watch->parsed()) return RunWatch(*options_);
  if (options_->status->parsed()) return RunStatus(*options_);
  return std::nullopt;
}

}  // namespace dyad::cli
