#include "test_util.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace dyad::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    auto p = base / ("dyad-test-" + std::to_string(rd()));
    if (std::filesystem::create_directory(p)) { path_ = p.string(); break; }
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string SharedDir() {
  std::error_code ec;
  return std::filesystem::is_directory(DYAD_SHARED_DIR, ec) ? std::string(DYAD_SHARED_DIR) : "";
}
std::string DataDir() { return DYAD_TEST_DATA_DIR; }
std::string TestdataDir() { return DYAD_TESTDATA_DIR; }

namespace {
std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

CommandResult RunCli(const std::string& args, const std::string& stdin_text) {
  TempDir dir;
  const std::string in = dir.Write("stdin", stdin_text);
  const std::string out = dir.path() + "/stdout", err = dir.path() + "/stderr";
  const std::string cmd = std::string("'") + DYAD_CLI_PATH + "' " + args + " <'" + in + "' >'" + out +
                          "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

}  // namespace dyad::testing
