// The store's subcommands: ingest, recode, export, search, stats.
#ifndef DYAD_APPS_STORE_COMMANDS_H_
#define DYAD_APPS_STORE_COMMANDS_H_

#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

namespace dyad::cli {

class StoreCommands {
 public:
  // Registers the subcommands on `app`; their options live in this object.
  explicit StoreCommands(CLI::App& app);
  ~StoreCommands();
  // After parsing: the exit code of the store subcommand that ran, or
  // nullopt when none of them was chosen.
  std::optional<int> Run();

  struct Options;  // the parsed options, defined in store_commands.cc

 private:
  std::unique_ptr<Options> options_;
};

}  // namespace dyad::cli

#endif  // DYAD_APPS_STORE_COMMANDS_H_
