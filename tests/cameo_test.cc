#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dyad/cameo.h"
#include "test_util.h"

namespace dyad {
namespace {

TEST(CameoTableTest, BuiltinHasKnownCodes) {
  const CameoTable& t = CameoTable::Builtin();
  const CameoCode* arrest = t.Find("173");
  ASSERT_NE(arrest, nullptr);
  EXPECT_DOUBLE_EQ(arrest->goldstein, -5.0);
  EXPECT_EQ(arrest->quad_class, 4);
  EXPECT_EQ(arrest->plover, "COERCE");
  EXPECT_EQ(t.Find("999"), nullptr);
  ASSERT_NE(t.FindOrParent("1739"), nullptr);
  EXPECT_EQ(t.FindOrParent("1739")->code, "173");
}

TEST(CameoTableTest, RejectsMalformedTables) {
  auto r = CameoTable::Parse("code\tgoldstein\tquad_class\tplover\tname\n010\tx\t1\t\tStatement\n", "t.tsv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().where(), "t.tsv:2");
  EXPECT_FALSE(CameoTable::Parse("code\tgoldstein\tquad_class\tplover\tname\n010\t1\t7\t\tX\n", "t").ok());
  EXPECT_FALSE(CameoTable::Parse("", "t").ok());
}

// Our copy must agree with the reference table in ../shared on every code.
TEST(CameoTableTest, AgreesWithSharedReference) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; reference check skipped";
  std::ifstream in(shared + "/cameo/cameo.tsv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  int checked = 0;
  const CameoTable& t = CameoTable::Builtin();
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string code, g, q;
    std::getline(ss, code, '\t');
    std::getline(ss, g, '\t');
    std::getline(ss, q, '\t');
    const CameoCode* c = t.Find(code);
    ASSERT_NE(c, nullptr) << code;
    EXPECT_DOUBLE_EQ(c->goldstein, std::stod(g)) << code;
    EXPECT_EQ(c->quad_class, std::stoi(q)) << code;
    ++checked;
  }
  EXPECT_EQ(static_cast<size_t>(checked), t.size());
}

}  // namespace
}  // namespace dyad
