// Russian tokeniser and sentence splitter (src/russian/text.cc).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dyad/russian_text.h"

namespace dyad::ru {
namespace {

std::vector<std::string> Sentences(const std::string& text) {
  Text t = AnalyzeText(text);
  std::vector<std::string> out;
  for (const SentenceSpan& s : t.sentences) out.push_back(text.substr(s.begin, s.end - s.begin));
  return out;
}

std::vector<std::string> Norms(const std::string& text) {
  Text t = AnalyzeText(text);
  std::vector<std::string> out;
  for (const Token& tk : t.tokens) out.emplace_back(t.Norm(tk));
  return out;
}

TEST(RussianTextTest, SplitsSentencesButNotInitialsOrAbbreviations) {
  struct Case {
    std::string text;
    std::vector<std::string> sentences;
  };
  const std::vector<Case> cases = {
      {"В. В. Путин прибыл в Ташкент. Его встретил Ш. М. Мирзиёев.",
       {"В. В. Путин прибыл в Ташкент.", "Его встретил Ш. М. Мирзиёев."}},
      {"Суд г. Москвы приговорил двух граждан. Приговор обжалуют.",
       {"Суд г. Москвы приговорил двух граждан.", "Приговор обжалуют."}},
      {"Россия сняла запрет для 3 тыс. граждан Узбекистана, т.е. для всех нарушителей. Об этом сообщил МИД РФ.",
       {"Россия сняла запрет для 3 тыс. граждан Узбекистана, т.е. для всех нарушителей.",
        "Об этом сообщил МИД РФ."}},
      {"Акция прошла на ул. Ватутина и у библиотеки им. Ленина. Задержаны трое.",
       {"Акция прошла на ул. Ватутина и у библиотеки им. Ленина.", "Задержаны трое."}},
      {"Сообщил С. В. Лавров. МИД РФ ответил!", {"Сообщил С. В. Лавров.", "МИД РФ ответил!"}},
      {"«Мы хотим уважения», — сказал Рахмон. Путин промолчал?",
       {"«Мы хотим уважения», — сказал Рахмон.", "Путин промолчал?"}},
      {"Первый абзац без точки\n\nВторой абзац", {"Первый абзац без точки", "Второй абзац"}},
  };
  for (const auto& c : cases) EXPECT_EQ(Sentences(c.text), c.sentences) << c.text;
}

TEST(RussianTextTest, TokensKeepHyphenatedWordsAndNumbers) {
  EXPECT_EQ(Norms("В Ростове-на-Дону 1,5 тыс. человек; 201-я база."),
            (std::vector<std::string>{"в", "ростове-на-дону", "1,5", "тыс", ".", "человек", ";", "201-я",
                                      "база", "."}));
  EXPECT_EQ(Norms("«Вагнер» — ЧВК"), (std::vector<std::string>{"\"", "вагнер", "\"", "-", "чвк"}));
}

TEST(RussianTextTest, FoldsCaseAndYo) {
  EXPECT_EQ(FoldWord("Мирзиёев"), "мирзиеев");
  EXPECT_EQ(FoldWord("ЁЛКА"), "елка");
  EXPECT_EQ(FoldWord("МИД РФ"), "мид рф");
  EXPECT_EQ(Norms("Мирзиёев Мирзиеев"), (std::vector<std::string>{"мирзиеев", "мирзиеев"}));
}

TEST(RussianTextTest, OffsetsPointIntoTheOriginalText) {
  const std::string text = "Захарова заявила: «Нет».";
  Text t = AnalyzeText(text);
  ASSERT_GE(t.tokens.size(), 2u);
  EXPECT_EQ(text.substr(t.tokens[0].begin, t.tokens[0].end - t.tokens[0].begin), "Захарова");
  EXPECT_TRUE(t.tokens[0].capitalized);
  Text caps = AnalyzeText("МИД РФ");
  EXPECT_TRUE(caps.tokens[0].all_caps);
}

TEST(RussianTextTest, SurvivesInvalidUtf8AndEmptyInput) {
  EXPECT_TRUE(AnalyzeText("").sentences.empty());
  const std::string bad = std::string("Путин \xff\xfe прибыл.");
  Text t = AnalyzeText(bad);
  EXPECT_EQ(t.sentences.size(), 1u);
  for (const Token& tk : t.tokens) EXPECT_LE(tk.end, bad.size());
}

TEST(RussianTextTest, DetectsCyrillic) {
  EXPECT_TRUE(MostlyCyrillic("Мигрантов задержали в Москве"));
  EXPECT_FALSE(MostlyCyrillic("Russian police detained migrants"));
}

}  // namespace
}  // namespace dyad::ru
