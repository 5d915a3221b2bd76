// `dyad serve`: the monitor's HTTP API and dashboard over a store.
#ifndef DYAD_APPS_SERVE_COMMAND_H_
#define DYAD_APPS_SERVE_COMMAND_H_

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

namespace dyad::cli {

class ServeCommand {
 public:
  explicit ServeCommand(CLI::App& app);
  ~ServeCommand();
  // After parsing: the exit code when `serve` ran, else nullopt.
  std::optional<int> Run();

  struct Options;

 private:
  std::unique_ptr<Options> options_;
  CLI::App* command_ = nullptr;
};

}  // namespace dyad::cli

#endif  // DYAD_APPS_SERVE_COMMAND_H_
