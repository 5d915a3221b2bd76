// Replays the fuzzers' seed corpora and any saved regressions (fuzz/) through
// the tokenizer and the coder with ordinary builds, so every CI run checks
// the inputs the fuzzers start from and the ones that once failed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dyad/coder.h"
#include "dyad/text.h"
#include "test_util.h"

namespace dyad {
namespace {

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().string());
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FuzzCorpusTest, TokenizerAndCoderInvariants) {
  const std::string root = std::string(DYAD_TEST_DATA_DIR) + "/../fuzz";
  std::vector<std::string> files = FilesUnder(root + "/corpus/tokenizer");
  for (const auto& f : FilesUnder(root + "/corpus/coder")) files.push_back(f);
  for (const auto& f : FilesUnder(root + "/regressions")) files.push_back(f);
  ASSERT_GE(files.size(), 5u) << "fuzz seed corpora missing under " << root;
  auto dict = Dictionary::LoadDirectory(testing::DataDir() + "/dict");
  ASSERT_TRUE(dict.ok()) << dict.status().ToString();
  auto coder = Coder::Create(dict.value(), {});
  ASSERT_TRUE(coder.ok());
  for (const auto& path : files) {
    const std::string text = Slurp(path);
    AnalyzedText at = Analyze(text);
    std::uint32_t previous_end = 0;
    for (const auto& t : at.tokens) {
      ASSERT_LE(t.begin, t.end) << path;
      ASSERT_LE(t.end, text.size()) << path;
      ASSERT_LE(previous_end, t.begin) << path;
      previous_end = t.end;
    }
    Document doc{"fuzz", "2025-01-01", text, "", "", ""};
    for (const Event& e : coder.value()->CodeDocument(doc)) {
      for (const Span& s : {e.sentence_span, e.source_span, e.target_span, e.verb_span})
        ASSERT_LE(s.end, text.size()) << path;
      EXPECT_FALSE(e.code.empty()) << path;
    }
  }
}

}  // namespace
}  // namespace dyad
