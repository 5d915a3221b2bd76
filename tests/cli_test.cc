// The dyad binary on good and bad input: exit codes, messages, output.
#include <gtest/gtest.h>

#include "test_util.h"

namespace dyad {
namespace {

using testing::RunCli;
using testing::TempDir;

std::string TestDict(const TempDir& dir) {
  dir.Write("t.verbs.txt", "--- DETAIN [173] ---\nDETAIN\n");
  dir.Write("t.actors.txt", "RUSSIA [RUS]\n+RUSSIAN\nUZBEKISTAN [UZB]\n+UZBEK\n");
  dir.Write("t.agents.txt", "POLICE {} [~COP]\nMIGRANT [~LAB]\n");
  return dir.path();
}

TEST(CliTest, HelpListsCommands) {
  auto r = RunCli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"code", "explain", "validate", "eval", "dict"})
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  EXPECT_NE(RunCli("").exit_code, 0);
  EXPECT_NE(RunCli("frobnicate").exit_code, 0);
}

TEST(CliTest, CodesStdinAndJsonl) {
  TempDir dir;
  const std::string dict = TestDict(dir);
  auto r = RunCli("code --dict '" + dict + "' --date 2025-06-12", "Russian police detained Uzbek migrants.");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"source\":\"RUSCOP\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"date\":\"2025-06-12\""), std::string::npos);
  const std::string jsonl = dir.Write("in.jsonl",
      "{\"id\":\"a\",\"date\":\"2025-01-02\",\"text\":\"Russian police detained Uzbek migrants.\"}\n"
      "{\"id\":\"b\",\"text\":\"Nothing happened.\"}\n");
  auto j = RunCli("code --dict '" + dict + "' --format tsv '" + jsonl + "'");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NE(j.out.find("a\t2025-01-02\tRUSCOP\tUZBLAB\t173"), std::string::npos) << j.out;
}

TEST(CliTest, BadRecordsAreReportedAndTheRestIsCoded) {
  TempDir dir;
  const std::string dict = TestDict(dir);
  const std::string jsonl = dir.Write("mixed.jsonl",
      "{\"id\":\"ok1\",\"text\":\"Russian police detained Uzbek migrants.\"}\n"
      "{\"id\":\"broken\",\"text\":\"Russian police det\n"
      "{\"id\":\"nodate\",\"date\":\"June 2025\",\"text\":\"x\"}\n"
      "[1,2,3]\n"
      "{\"id\":\"ok2\",\"text\":\"Uzbek migrants were detained by Russian police.\"}\n");
  auto r = RunCli("code --dict '" + dict + "' '" + jsonl + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("mixed.jsonl:2: not valid JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:3: bad \"date\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:4: a record must be a JSON object"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"doc_id\":\"ok1\""), std::string::npos);
  EXPECT_NE(r.out.find("\"doc_id\":\"ok2\""), std::string::npos);
}

TEST(CliTest, BinaryInvalidUtf8EmptyAndMissingFiles) {
  TempDir dir;
  const std::string dict = TestDict(dir);
  const std::string bin = dir.Write("blob.bin", std::string("\x7f" "ELF\0\0\x01\x02", 8));
  const std::string latin1 = dir.Write("latin1.txt", "Caf\xe9 police detained migrants.");
  const std::string empty = dir.Write("empty.txt", "");
  auto r = RunCli("code --dict '" + dict + "' '" + bin + "' '" + latin1 + "' '" + empty + "' /nonexistent.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("blob.bin: binary file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("latin1.txt: invalid UTF-8 at byte offset 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent.txt: cannot open file"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("empty.txt"), std::string::npos) << "an empty document is not an error";
}

TEST(CliTest, BadOptionsAndDictionaries) {
  TempDir dir;
  auto r = RunCli("code --date 2025-02-30", "x");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--date must be YYYY-MM-DD"), std::string::npos) << r.err;
  dir.Write("bad.verbs.txt", "--- DETAIN [173] ---\nDETAIN\n- * [173\n");
  auto d = RunCli("code --dict '" + dir.path() + "'", "x");
  EXPECT_EQ(d.exit_code, 1);
  EXPECT_NE(d.err.find("bad.verbs.txt:3"), std::string::npos) << d.err;
}

TEST(CliTest, ExplainShowsTheSteps) {
  TempDir dir;
  auto r = RunCli("explain --dict '" + TestDict(dir) + "' 'Uzbek migrants were detained by Russian police.'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("tokens:"), std::string::npos);
  EXPECT_NE(r.out.find("passive"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 event(s)"), std::string::npos) << r.out;
}

TEST(CliTest, ValidatePrintsTotalsLine) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; skipped";
  auto r = RunCli("validate --quiet '" + shared + "/conformance/petrarch-unit/PETR.UnitTest.records.xml'");
  EXPECT_NE(r.out.find(" passed, "), std::string::npos) << r.out;
  const auto last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_NE(last.find("failed"), std::string::npos) << last;
}

}  // namespace
}  // namespace dyad
