// Helpers shared by the tests: temporary files and paths to test data.
#ifndef DYAD_TESTS_TEST_UTIL_H_
#define DYAD_TESTS_TEST_UTIL_H_

#include <string>

namespace dyad::testing {

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// ../shared beside the repository, or "" when it is absent (a user's clone).
std::string SharedDir();
std::string DataDir();       // the repository's data/
std::string TestdataDir();   // the repository's testdata/

struct CommandResult {
  int exit_code = -1;
  std::string out;   // stdout
  std::string err;   // stderr
};
// Runs the dyad CLI with a shell-quoted argument string.
CommandResult RunCli(const std::string& args, const std::string& stdin_text = "");

}  // namespace dyad::testing

#endif  // DYAD_TESTS_TEST_UTIL_H_
