// PETRARCH's unit-test records coded from raw text with their own
// dictionaries. The floors are the counts reached so far: raise them when
// the coder improves, never lower them.
#include <gtest/gtest.h>

#include "dyad/evaluate.h"
#include "test_util.h"

namespace dyad {
namespace {

constexpr int kPassFloor = 253;

TEST(ConformanceTest, PetrarchUnitRecords) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; conformance suite skipped";
  auto report = RunValidation(shared + "/conformance/petrarch-unit/PETR.UnitTest.records.xml", "", nullptr);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const auto& r = report.value();
  std::cout << "conformance: " << r.passed << " passed, " << r.failed << " failed, " << r.skipped
            << " skipped\n";
  EXPECT_GE(r.passed, kPassFloor);
  EXPECT_GT(r.passed + r.failed, 270);
}

TEST(ConformanceTest, BrokenValidationFilesAreErrors) {
  testing::TempDir dir;
  auto missing = RunValidation(dir.path() + "/nope.xml", "", nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  const std::string truncated = dir.Write("t.xml", "<Validation><Environment><Verbfile>v.txt</Verbfile>");
  auto bad = RunValidation(truncated, "", nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("XML error"), std::string::npos) << bad.status().ToString();
  const std::string no_dict = dir.Write(
      "n.xml", "<Validation><Environment><Verbfile>absent.verbs.txt</Verbfile></Environment><Sentences/></Validation>");
  auto nd = RunValidation(no_dict, "", nullptr);
  ASSERT_FALSE(nd.ok());
  EXPECT_NE(nd.status().message().find("absent.verbs.txt"), std::string::npos);
}

}  // namespace
}  // namespace dyad
