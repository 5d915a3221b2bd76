// `dyad watch` (poll sources, ingest, alert, notify; optionally serve) and
// `dyad status` (the watch's health from the store).
#ifndef DYAD_APPS_WATCH_COMMAND_H_
#define DYAD_APPS_WATCH_COMMAND_H_

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

namespace dyad::cli {

class WatchCommand {
 public:
  explicit WatchCommand(CLI::App& app);
  ~WatchCommand();
  // After parsing: the exit code when `watch` or `status` ran, else nullopt.
  std::optional<int> Run();

  struct Options;

 private:
  std::unique_ptr<Options> options_;
};

}  // namespace dyad::cli

#endif  // DYAD_APPS_WATCH_COMMAND_H_
