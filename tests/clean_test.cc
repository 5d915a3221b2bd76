// Cleaning, content keys and story grouping on real text: the seed article
// (which holds its text twice) and the sample corpus's reposted stories.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dyad/ingest.h"
#include "test_util.h"

namespace dyad {
namespace {

TEST(CleanText, KeepsARepeatedParagraphOnce) {
  CleanResult r = CleanText("Tashkent protested.\n\nMoscow replied.\n\nTashkent protested.\n");
  EXPECT_EQ(r.text, "Tashkent protested.\n\nMoscow replied.");
  EXPECT_EQ(r.paragraphs_dropped, 1);
}

TEST(CleanText, EveryLineThatEndsASentenceIsAParagraph) {
  CleanResult r = CleanText("Headline here\nFirst sentence.\nSecond one.\nFirst sentence.");
  EXPECT_EQ(r.text, "Headline here\n\nFirst sentence.\n\nSecond one.");
  EXPECT_EQ(r.paragraphs_dropped, 1);
}

TEST(CleanText, HardWrappedLinesAreJoined) {
  CleanResult r = CleanText("Russian police detained\nforty migrants.\n\nThe ministry  protested.\r\n");
  EXPECT_EQ(r.text, "Russian police detained forty migrants.\n\nThe ministry protested.");
}

TEST(CleanText, NormalisesUnicodeAndOddSpaces) {
  // "é" as e + combining acute becomes one code point (NFC); NBSP, zero
  // width space, soft hyphen and a control character go.
  CleanResult r = CleanText("Caf\x65\xCC\x81\xC2\xA0talks\xE2\x80\x8B on mi\xC2\xADgrants\x07.");
  EXPECT_EQ(r.text, "Caf\xC3\xA9 talks on migrants.");
}

TEST(CleanText, SeedArticleHeldTwiceKeepsOneCopy) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent (a user's clone): seed article test skipped";
  std::ifstream in(shared + "/seed/000_cc8cc8d188fd249c.txt");
  ASSERT_TRUE(in) << "seed article missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string raw = ss.str();
  CleanResult r = CleanText(raw);
  EXPECT_GE(r.paragraphs_dropped, 6);
  const std::string probe = "Uzbek diplomats have rebuked Russian officials";
  ASSERT_NE(raw.find(probe), raw.rfind(probe)) << "the seed should hold its text twice";
  EXPECT_NE(r.text.find(probe), std::string::npos);
  EXPECT_EQ(r.text.find(probe), r.text.rfind(probe));
  EXPECT_LT(r.text.size(), raw.size() * 6 / 10);
}

TEST(ContentHash, DependsOnTextAndMetadataOnly) {
  RawDocument a;
  a.origin = "a.html";
  a.title = "T";
  a.url = "https://x/1";
  a.text = "raw";
  RawDocument b = a;
  b.origin = "copy/a.html";  // where a file sits does not change what it is
  EXPECT_EQ(ContentHash(a, "Clean text."), ContentHash(b, "Clean text."));
  EXPECT_NE(ContentHash(a, "Clean text."), ContentHash(a, "Clean text!"));
  b.url = "https://y/1";
  EXPECT_NE(ContentHash(a, "Clean text."), ContentHash(b, "Clean text."));
  EXPECT_EQ(ContentHash(a, "x").size(), 32u);
}

std::vector<nlohmann::json> SampleCorpus() {
  std::ifstream in(testing::DataDir() + "/sample/corpus.jsonl");
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) docs.push_back(nlohmann::json::parse(line));
  return docs;
}

TEST(StorySignature, RepostsAreSimilarAndOtherStoriesAreNot) {
  auto docs = SampleCorpus();
  ASSERT_EQ(docs.size(), 40u);
  std::map<std::string, std::string> sig;
  for (auto& d : docs) sig[d["id"]] = StorySignature(d["text"].get<std::string>());
  // The corpus's reposts: lightly edited copies of one story.
  EXPECT_GE(SignatureSimilarity(sig["sample-031"], sig["sample-032"]), 0.5);
  EXPECT_GE(SignatureSimilarity(sig["sample-007"], sig["sample-008"]), 0.45);
  EXPECT_GE(SignatureSimilarity(sig["sample-017"], sig["sample-018"]), 0.45);
  EXPECT_LT(SignatureSimilarity(sig["sample-001"], sig["sample-002"]), 0.2);
  EXPECT_DOUBLE_EQ(SignatureSimilarity(sig["sample-001"], sig["sample-001"]), 1.0);
  EXPECT_EQ(StorySignature("Too short to tell."), "");
  EXPECT_EQ(SignatureSimilarity("", sig["sample-001"]), 0.0);
}

TEST(StoryIndex, GroupsTheSampleCorpusRepostsAndNothingElse) {
  StoryIndex index(0.5);
  std::map<std::string, std::string> story_of;
  for (auto& d : SampleCorpus()) {
    const std::string id = d["id"];
    const std::string sig = StorySignature(d["text"].get<std::string>());
    story_of[id] = index.Assign(sig, id);
    index.Add(sig, story_of[id]);
  }
  std::map<std::string, int> sizes;
  for (auto& [id, story] : story_of) ++sizes[story];
  EXPECT_EQ(story_of["sample-008"], "sample-007");
  EXPECT_EQ(story_of["sample-018"], "sample-017");
  EXPECT_EQ(story_of["sample-032"], "sample-031");
  EXPECT_EQ(sizes.size(), 37u) << "40 articles, three of them reposts";
}

TEST(StoryIndex, ScalesPastItsFirstTableAndKeepsFindingStories) {
  // Thousands of distinct synthetic documents force the table to grow;
  // every copy must still find its original afterwards.
  StoryIndex index(0.5);
  std::vector<std::string> sigs;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int w = 0; w < 40; ++w)
      text.append("w").append(std::to_string((i * 7919 + w * 104729) % 100003)).append(" ");
    sigs.push_back(StorySignature(text));
    index.Add(sigs.back(), "story-" + std::to_string(i));
  }
  EXPECT_EQ(index.size(), 3000u);
  for (int i = 0; i < 3000; i += 97)
    EXPECT_EQ(index.Assign(sigs[i], "new"), "story-" + std::to_string(i));
  std::string unrelated;
  for (int w = 0; w < 40; ++w) unrelated.append("z").append(std::to_string(w)).append(" ");
  EXPECT_EQ(index.Assign(StorySignature(unrelated), "new"), "new");
}

}  // namespace
}  // namespace dyad
