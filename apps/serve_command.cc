#include "serve_command.h"

#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "dyad/server.h"

namespace dyad::cli {

struct ServeCommand::Options {
  ServerOptions server;
  std::size_t cache_mb = 256;
};

ServeCommand::ServeCommand(CLI::App& app) : options_(std::make_unique<Options>()) {
  ServerOptions& o = options_->server;
  o.store_url = "dyad.db";
  command_ = app.add_subcommand(
      "serve", "Serve the monitor: JSON API (docs/api.md) and the dashboard over a store");
  command_->add_option("--db", o.store_url, "Store: SQLite file or postgresql:// URL")
      ->capture_default_str();
  command_->add_option("--port", o.port, "TCP port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  command_->add_option("--bind", o.bind,
                       "Address to listen on; the default serves this machine only")
      ->capture_default_str();
  command_->add_option("--token", o.token,
                       "Token that allows corrections (Authorization: Bearer TOKEN); "
                       "else $DYAD_TOKEN; without one the server is read-only");
  command_->add_option("--holder", o.token_holder,
                       "Name recorded in the activity log for the token's holder")
      ->capture_default_str();
  command_->add_option("--web", o.web_dir, "Dashboard directory (default: the built web/dist)");
  command_->add_option("--dict", o.dict_dir, "Dictionary directory (default: the bundled one)");
  command_->add_option("--user-dict", o.user_dict,
                       "User dictionary that corrections write (and dyad code reads)");
  command_->add_option("--alerts", o.alerts_config,
                       "Alert thresholds, a JSON file (docs/monitor.md); default thresholds otherwise");
  command_->add_option("--threads", o.threads, "Connection threads")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  command_->add_option("--cache-mb", options_->cache_mb,
                       "MB of GET responses kept until the store changes (0 = no cache)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65536));
  command_->add_option("--refresh", o.refresh_seconds,
                       "Seconds between looks at the store for new events")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 3600.0));
  command_->footer(
      "Reads need nothing; writes (corrections) need the token. The server picks up events\n"
      "that `dyad ingest` adds to the same store while it runs.");
}

ServeCommand::~ServeCommand() = default;

std::optional<int> ServeCommand::Run() {
  if (!command_->parsed()) return std::nullopt;
  ServerOptions o = options_->server;
  o.cache_bytes = options_->cache_mb << 20;
  if (o.token.empty()) {
    if (const char* env = std::getenv("DYAD_TOKEN"); env && *env) o.token = env;
  }
  // SIGINT/SIGTERM are taken by a thread of our own (sigwait), so the
  // server stops cleanly without a signal handler touching shared state.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = Server::Create(o);
  if (!server.ok()) {
    std::cerr << "dyad: error: " << server.status().ToString() << "\n";
    return 2;
  }
  Status started = (*server)->Start();
  if (!started.ok()) {
    std::cerr << "dyad: error: " << started.ToString() << "\n";
    return 2;
  }
  std::cout << "dyad serve: http://" << (o.bind == "0.0.0.0" ? "127.0.0.1" : o.bind) << ":"
            << (*server)->port() << "/ (store " << o.store_url << ", "
            << (o.token.empty() ? "read-only" : "corrections allowed with the token")
            << "); Ctrl-C stops" << std::endl;
  Server* running = server->get();
  std::thread waiter([&signals, running] {
    int sig = 0;
    sigwait(&signals, &sig);
    running->Stop();
  });
  running->Wait();
  running->Stop();
  // The waiter may still be in sigwait when Stop came from elsewhere.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cout << "dyad serve: stopped" << std::endl;
  return 0;
}

}  // namespace dyad::cli
