// The monitor's HTTP server (`dyad serve`): the JSON API of docs/api.md and
// the dashboard's static files, from one process, over one event store.
//
//   dyad::ServerOptions options;
//   options.store_url = "out/dyad.db";
//   auto server = dyad::Server::Create(options).value();
//   server->Start();                    // listens on 127.0.0.1:8080
//   ... server->port() ...
//   server->Stop();
//
// Every stored event is held as a compact fact in memory (dyad/monitor.h),
// loaded at start and kept current from the store's change feed by a
// background thread, so documents ingested while the server runs (by
// `dyad ingest` or `dyad watch` in another process) appear without a
// restart. Full rows (sentences, evidence) are read from the store per
// request through a small pool of connections.
#ifndef DYAD_SERVER_H_
#define DYAD_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "dyad/status.h"

namespace dyad {

struct ServerOptions {
  std::string store_url;                // path or postgresql:// URL
  std::string bind = "127.0.0.1";       // loopback unless told otherwise
  int port = 8080;                      // 0 = any free port (tests)
  std::string web_dir;                  // "" = the built dashboard (web/dist or installed)
  // Writes (corrections) need "Authorization: Bearer <token>"; "" = the
  // server is read-only and refuses every write.
  std::string token;
  std::string token_holder = "token holder";   // the name the activity log records
  std::string dict_dir;                 // "" = the default dictionaries
  std::string user_dict;                // the user dictionary corrections write
  std::string alerts_config;            // JSON file of alert thresholds; "" = defaults
  int threads = 64;                     // connection threads (keep-alive holds one each)
  int store_connections = 4;            // read connections to the store
  double refresh_seconds = 1.0;         // change-feed polling interval
  std::size_t max_body_bytes = 64 * 1024;
  // Bytes of GET responses kept until the store changes; 0 = no cache.
  std::size_t cache_bytes = 256u << 20;
};

class Server {
 public:
  // Opens the store, loads the index and the alert configuration.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves in background threads; returns once listening.
  Status Start();
  int port() const;
  // Blocks until Stop() is called (from another thread or a signal handler).
  void Wait();
  void Stop();

  // Applies the store's changes to the index now (tests; the background
  // thread does it every refresh_seconds). Returns the applied sequence.
  Result<std::int64_t> Refresh();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The dashboard directory found the way dictionaries are: $DYAD_WEB_DIR,
// else the source tree's web/dist when it exists, else share/dyad/web.
std::string DefaultWebDirectory();

}  // namespace dyad

#endif  // DYAD_SERVER_H_
