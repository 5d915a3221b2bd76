#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dyad/text.h"

namespace dyad {
namespace {

std::vector<std::string> Sentences(const std::string& text) {
  AnalyzedText at = Analyze(text);
  std::vector<std::string> out;
  for (const auto& s : at.sentences) out.push_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

std::vector<std::string> Norms(const std::string& text) {
  AnalyzedText at = Analyze(text);
  std::vector<std::string> out;
  for (const auto& t : at.tokens) out.emplace_back(at.Norm(t));
  return out;
}

TEST(SentenceSplitterTest, KeepsAbbreviationsAndInitials) {
  EXPECT_EQ(Sentences("Gen. Valery Gerasimov met U.S. envoys on Jan. 5 in Moscow. Talks went on."),
            (std::vector<std::string>{"Gen. Valery Gerasimov met U.S. envoys on Jan. 5 in Moscow.",
                                      "Talks went on."}));
  EXPECT_EQ(Sentences("President George W. Bush arrived. He spoke."),
            (std::vector<std::string>{"President George W. Bush arrived.", "He spoke."}));
}

TEST(SentenceSplitterTest, InitialismCanEndASentence) {
  EXPECT_EQ(Sentences("Sanctions were imposed by the U.S. The ministry protested."),
            (std::vector<std::string>{"Sanctions were imposed by the U.S.", "The ministry protested."}));
}

TEST(SentenceSplitterTest, QuotesAndQuestionMarks) {
  EXPECT_EQ(Sentences("\u201cWe will respond,\u201d she said. \u201cWhy now?\u201d he asked. Nothing followed."),
            (std::vector<std::string>{"\u201cWe will respond,\u201d she said.", "\u201cWhy now?\u201d he asked.",
                                      "Nothing followed."}));
}

TEST(SentenceSplitterTest, NumbersAndDatesDoNotSplit) {
  EXPECT_EQ(Sentences("On 12.06.2025 the rate rose 11.8 percent. Later it fell."),
            (std::vector<std::string>{"On 12.06.2025 the rate rose 11.8 percent.", "Later it fell."}));
}

TEST(SentenceSplitterTest, ParagraphsAndHeadlines) {
  // Long lines: every line is a paragraph; a headline has no full stop.
  const std::string text =
      "RUSSIFICATION CREATES MIGRATION\nUzbek diplomats have rebuked Russian officials over what "
      "Tashkent sees as the continuing rude treatment of Uzbek citizens in Russia and are demanding "
      "changes in how they are treated\nNo comments:";
  auto s = Sentences(text);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "RUSSIFICATION CREATES MIGRATION");
}

TEST(SentenceSplitterTest, HardWrappedTextJoinsLines) {
  auto s = Sentences("Arnor is about to restore full diplomatic ties with\nGondor almost five years later.");
  ASSERT_EQ(s.size(), 1u);
}

TEST(TokenizerTest, PossessivesContractionsAndHyphens) {
  EXPECT_EQ(Norms("Russia's law-enforcement didn't act."),
            (std::vector<std::string>{"russia", "'s", "law-enforcement", "did", "n't", "act", "."}));
  EXPECT_EQ(Norms("the countries' envoys"), (std::vector<std::string>{"the", "countries", "'", "envoys"}));
  EXPECT_EQ(Norms("Gazeta.uz said"), (std::vector<std::string>{"gazeta.uz", "said"}));
}

TEST(TokenizerTest, FoldsTypographicQuotesAndDashes) {
  EXPECT_EQ(Norms("Tashkent\u2019s \u201cconstant\u201d control \u2014 now"),
            (std::vector<std::string>{"tashkent", "'s", "\"", "constant", "\"", "control", "-", "now"}));
}

TEST(TokenizerTest, OffsetsPointIntoTheOriginal) {
  const std::string text = "Zakharova\u2019s reply";
  AnalyzedText at = Analyze(text);
  ASSERT_EQ(at.tokens.size(), 3u);
  EXPECT_EQ(text.substr(at.tokens[0].begin, at.tokens[0].end - at.tokens[0].begin), "Zakharova");
  EXPECT_EQ(text.substr(at.tokens[2].begin, at.tokens[2].end - at.tokens[2].begin), "reply");
}

TEST(TokenizerTest, WordClasses) {
  AnalyzedText at = Analyze("They were not detained by police");
  std::vector<WordClass> classes;
  for (const auto& t : at.tokens) classes.push_back(t.word_class);
  EXPECT_EQ(classes, (std::vector<WordClass>{WordClass::kPronoun, WordClass::kBe, WordClass::kNegation,
                                             WordClass::kWord, WordClass::kPreposition, WordClass::kWord}));
}

TEST(TokenizerTest, InvalidUtf8IsSafe) {
  const std::string bad = std::string("Police \xff\xfe detained \xc3") + "";
  AnalyzedText at = Analyze(bad);
  EXPECT_FALSE(at.tokens.empty());
  for (const auto& t : at.tokens) EXPECT_LE(t.end, bad.size());
  Status s = ValidateUtf8(bad);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("byte offset 7"), std::string::npos) << s.message();
  EXPECT_TRUE(ValidateUtf8("Захарова said").ok());
}

TEST(TokenizerTest, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(Analyze("").sentences.empty());
  EXPECT_TRUE(Analyze("  \n\n\t ").tokens.empty());
}

TEST(TokenizerTest, HugeSentenceIsCutIntoBoundedPieces) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "word ";  // 1 MB, no full stop
  AnalyzeOptions options;
  AnalyzedText at = Analyze(text, options);
  ASSERT_EQ(at.tokens.size(), 200000u);
  for (const auto& s : at.sentences) EXPECT_LE(s.end_token - s.first_token, options.max_sentence_tokens);
  EXPECT_EQ(at.sentences.back().end_token, 200000u);
}

}  // namespace
}  // namespace dyad
