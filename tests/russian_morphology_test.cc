// Russian morphology over the OpenCorpora dictionary (issue 8): real words
// with their expected analyses, every form of a lexeme, guesses for unknown
// words, and damaged dictionary files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dyad/russian_morphology.h"
#include "test_util.h"

namespace dyad::ru {
namespace {

namespace fs = std::filesystem;

// The dictionary, loaded once. Missing data is a failure, not a skip: CI
// installs it with scripts/test, and a user's clone gets the fix-it message.
const Morphology* Morph() {
  static const std::shared_ptr<const Morphology> morph = [] {
    const std::string dir = Morphology::DefaultDirectory();
    auto loaded = Morphology::Load(dir);
    if (!loaded.ok()) {
      ADD_FAILURE() << "Russian morphology data not loaded from '" << dir
                    << "': " << loaded.status().ToString()
                    << "\nInstall them with `bash scripts/test` (or `source scripts/deps.sh && "
                       "dyad_install_ru_morphology`), or set DYAD_RU_MORPHOLOGY.";
      return std::shared_ptr<const Morphology>();
    }
    return *loaded;
  }();
  return morph.get();
}

#define REQUIRE_MORPH()                    \
  const Morphology* morph = Morph();       \
  ASSERT_NE(morph, nullptr) << "no data"

std::string Dump(const std::vector<Parse>& parses) {
  std::ostringstream out;
  for (const Parse& p : parses) {
    out << "  " << p.lemma << " " << p.tag_text << " score=" << p.score
        << (p.guessed ? " guessed" : "") << "\n";
  }
  return out.str();
}

// The first analysis with this lemma whose OpenCorpora tag has every
// grammeme in `grammemes` (space separated), or nullptr.
const Parse* Find(const std::vector<Parse>& parses, const std::string& lemma,
                  const std::string& grammemes) {
  for (const Parse& p : parses) {
    if (!lemma.empty() && p.lemma != lemma) continue;
    std::string tag = p.tag_text;
    std::replace(tag.begin(), tag.end(), ',', ' ');
    std::istringstream want(grammemes);
    std::string g;
    bool all = true;
    while (want >> g) {
      const std::string padded = " " + tag + " ";
      if (padded.find(" " + g + " ") == std::string::npos) all = false;
    }
    if (all) return &p;
  }
  return nullptr;
}

TEST(RussianMorphologyTest, VerbPastPlural) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("задержали");
  ASSERT_FALSE(parses.empty());
  EXPECT_EQ(parses[0].lemma, "задержать") << Dump(parses);
  EXPECT_EQ(parses[0].tag.pos, Pos::kVerb);
  EXPECT_EQ(parses[0].tag.aspect, Aspect::kPerfective);
  EXPECT_EQ(parses[0].tag.number, Number::kPlur);
  EXPECT_EQ(parses[0].tag.tense, Tense::kPast);
  EXPECT_EQ(parses[0].tag.mood, Mood::kIndicative);
  EXPECT_TRUE(parses[0].tag.transitive);
  EXPECT_EQ(parses[0].tag_text, "VERB,perf,tran plur,past,indc");
  EXPECT_FALSE(parses[0].guessed);
}

TEST(RussianMorphologyTest, AnimateNounGenitiveAndAccusative) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("мигрантов");
  const Parse* gen = Find(parses, "мигрант", "NOUN anim plur gent");
  const Parse* acc = Find(parses, "мигрант", "NOUN anim plur accs");
  ASSERT_NE(gen, nullptr) << Dump(parses);
  ASSERT_NE(acc, nullptr) << Dump(parses);
  EXPECT_EQ(gen->tag.grammatical_case, Case::kGen);
  EXPECT_EQ(acc->tag.grammatical_case, Case::kAcc);
  EXPECT_TRUE(acc->tag.animate);
  EXPECT_EQ(acc->tag.gender, Gender::kMasc);
}

TEST(RussianMorphologyTest, InstrumentalPlural) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("сотрудниками");
  ASSERT_FALSE(parses.empty());
  EXPECT_EQ(parses[0].lemma, "сотрудник") << Dump(parses);
  EXPECT_EQ(parses[0].tag.grammatical_case, Case::kIns);
  EXPECT_EQ(parses[0].tag.number, Number::kPlur);
}

TEST(RussianMorphologyTest, ShortPassiveParticiple) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("задержаны");
  ASSERT_FALSE(parses.empty());
  EXPECT_EQ(parses[0].lemma, "задержать") << Dump(parses);
  EXPECT_EQ(parses[0].tag.pos, Pos::kParticipleShort);
  EXPECT_EQ(parses[0].tag.voice, Voice::kPassive);
  EXPECT_EQ(parses[0].tag.number, Number::kPlur);
}

TEST(RussianMorphologyTest, AuxiliaryBe) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("были");
  ASSERT_FALSE(parses.empty());
  EXPECT_EQ(parses[0].lemma, "быть") << Dump(parses);
  EXPECT_EQ(parses[0].tag.pos, Pos::kVerb);
  EXPECT_EQ(parses[0].tag.tense, Tense::kPast);
}

TEST(RussianMorphologyTest, SurnameAndCase) {
  REQUIRE_MORPH();
  // OpenCorpora files both genders of a surname under the masculine lemma.
  const auto parses = morph->Analyze("Захарова");
  ASSERT_FALSE(parses.empty());
  const Parse* fem = Find(parses, "захаров", "Surn femn sing nomn");
  ASSERT_NE(fem, nullptr) << Dump(parses);
  EXPECT_EQ(&parses[0], fem) << "the woman (the ministry's spokeswoman) comes first\n" << Dump(parses);
  EXPECT_TRUE(fem->tag.name);
  EXPECT_TRUE(fem->tag.animate);
  EXPECT_EQ(fem->tag.gender, Gender::kFem);
  // Also the genitive and accusative of the man's surname (Захаров).
  EXPECT_NE(Find(parses, "захаров", "Surn masc sing gent"), nullptr) << Dump(parses);
  EXPECT_NE(Find(parses, "захаров", "Surn masc sing accs"), nullptr) << Dump(parses);
}

TEST(RussianMorphologyTest, Abbreviations) {
  REQUIRE_MORPH();
  // МИД is an organisation that OpenCorpora declines ("МИДа", "МИДу"), with
  // the bare form also read as an informal genitive.
  const auto mid = morph->Analyze("МИД");
  ASSERT_FALSE(mid.empty());
  EXPECT_EQ(mid[0].lemma, "мид") << Dump(mid);
  EXPECT_EQ(mid[0].tag.pos, Pos::kNoun);
  EXPECT_TRUE(mid[0].tag.organisation);
  EXPECT_FALSE(mid[0].guessed);
  EXPECT_NE(Find(mid, "мид", "nomn"), nullptr) << Dump(mid);
  EXPECT_NE(Find(mid, "мид", "gent"), nullptr) << Dump(mid);
  EXPECT_NE(Find(morph->Analyze("МИДа"), "мид", "gent"), nullptr);
  // ФСБ is an indeclinable abbreviation: one spelling for every case.
  const auto fsb = morph->Analyze("ФСБ");
  ASSERT_FALSE(fsb.empty());
  EXPECT_EQ(fsb[0].lemma, "фсб") << Dump(fsb);
  EXPECT_TRUE(fsb[0].tag.abbreviation);
  EXPECT_TRUE(fsb[0].tag.indeclinable);
  EXPECT_TRUE(fsb[0].tag.organisation);
  EXPECT_EQ(fsb.size(), 6u) << Dump(fsb);
  const auto forms = morph->Lexeme(fsb[0]);
  ASSERT_EQ(forms.size(), 6u);
  for (const Form& f : forms) EXPECT_EQ(f.word, "фсб");
}

TEST(RussianMorphologyTest, GeographicalNameGenitive) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("Узбекистана");
  ASSERT_FALSE(parses.empty());
  EXPECT_EQ(parses[0].lemma, "узбекистан") << Dump(parses);
  EXPECT_TRUE(parses[0].tag.geography);
  EXPECT_EQ(parses[0].tag.grammatical_case, Case::kGen);
}

TEST(RussianMorphologyTest, AmbassadorForms) {
  REQUIRE_MORPH();
  const auto posla = morph->Analyze("посла");
  EXPECT_NE(Find(posla, "посол", "NOUN anim sing accs"), nullptr) << Dump(posla);
  EXPECT_NE(Find(posla, "посол", "NOUN anim sing gent"), nullptr) << Dump(posla);
  const auto poslu = morph->Analyze("послу");
  EXPECT_NE(Find(poslu, "посол", "NOUN sing datv"), nullptr) << Dump(poslu);
}

TEST(RussianMorphologyTest, YoAndYeBothWays) {
  REQUIRE_MORPH();
  const auto with_yo = morph->Analyze("ещё");
  const auto with_ye = morph->Analyze("еще");
  ASSERT_FALSE(with_yo.empty());
  ASSERT_FALSE(with_ye.empty()) << "еще must find ещё";
  EXPECT_EQ(with_yo[0].lemma, "ещё");
  EXPECT_EQ(with_ye[0].lemma, "ещё");
  EXPECT_EQ(with_ye[0].tag_text, with_yo[0].tag_text);
  // Upper case Ё and mixed case.
  const auto upper = morph->Analyze("ЕЩЁ");
  ASSERT_FALSE(upper.empty());
  EXPECT_EQ(upper[0].lemma, "ещё");
  // ё typed where the dictionary spells е still resolves.
  const auto verb = morph->Analyze("задёржали");
  ASSERT_FALSE(verb.empty());
  EXPECT_EQ(verb[0].lemma, "задержать");
}

TEST(RussianMorphologyTest, AnyCase) {
  REQUIRE_MORPH();
  const auto lower = morph->Analyze("задержали");
  const auto upper = morph->Analyze("ЗАДЕРЖАЛИ");
  const auto title = morph->Analyze("Задержали");
  ASSERT_FALSE(lower.empty());
  ASSERT_EQ(upper.size(), lower.size());
  ASSERT_EQ(title.size(), lower.size());
  for (std::size_t i = 0; i < lower.size(); ++i) {
    EXPECT_EQ(upper[i].lemma, lower[i].lemma);
    EXPECT_EQ(upper[i].tag_text, lower[i].tag_text);
    EXPECT_EQ(title[i].tag_text, lower[i].tag_text);
  }
}

TEST(RussianMorphologyTest, MostProbableFirst) {
  REQUIRE_MORPH();
  // "стали": "became" (стать) is far more frequent than "steels" (сталь).
  const auto parses = morph->Analyze("стали");
  ASSERT_GE(parses.size(), 2u);
  EXPECT_EQ(parses[0].lemma, "стать") << Dump(parses);
  for (std::size_t i = 1; i < parses.size(); ++i) {
    EXPECT_GE(parses[i - 1].score, parses[i].score) << Dump(parses);
  }
  EXPECT_GT(parses[0].score, 0.0f);
  EXPECT_LE(parses[0].score, 1.0f);
}

TEST(RussianMorphologyTest, LexemeHasEveryFormLemmaFirst) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("посла");
  const Parse* p = Find(parses, "посол", "NOUN anim sing gent");
  ASSERT_NE(p, nullptr) << Dump(parses);
  const auto forms = morph->Lexeme(*p);
  ASSERT_FALSE(forms.empty());
  EXPECT_EQ(forms[0].word, "посол");
  EXPECT_EQ(forms[0].tag.grammatical_case, Case::kNom);
  EXPECT_EQ(forms[0].tag.number, Number::kSing);
  std::vector<std::string> words;
  for (const Form& f : forms) words.push_back(f.word);
  for (const char* want : {"посол", "посла", "послу", "послом", "после", "послы", "послов",
                           "послам", "послами", "послах"}) {
    EXPECT_NE(std::find(words.begin(), words.end(), want), words.end()) << want;
  }
  // Every form analyses back to the lexeme.
  for (const Form& f : forms) {
    EXPECT_NE(Find(morph->Analyze(f.word), "посол", "NOUN"), nullptr) << f.word;
  }
}

TEST(RussianMorphologyTest, LexemeOfAVerbAndOfAHandMadeParse) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("задержали");
  ASSERT_FALSE(parses.empty());
  const auto forms = morph->Lexeme(parses[0]);
  ASSERT_GT(forms.size(), 10u);
  EXPECT_EQ(forms[0].word, "задержать");
  std::vector<std::string> words;
  for (const Form& f : forms) words.push_back(f.word);
  for (const char* want : {"задержал", "задержала", "задержали", "задержит", "задержат", "задержи"}) {
    EXPECT_NE(std::find(words.begin(), words.end(), want), words.end()) << want;
  }
  // A Parse built by hand (no paradigm) finds its lexeme by the lemma.
  Parse hand;
  hand.lemma = "посол";
  hand.tag.pos = Pos::kNoun;
  const auto hand_forms = morph->Lexeme(hand);
  ASSERT_GT(hand_forms.size(), 10u);
  EXPECT_EQ(hand_forms[0].word, "посол");
}

TEST(RussianMorphologyTest, UnknownWordsAreGuessedBySuffix) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("хайпанули");
  ASSERT_FALSE(parses.empty());
  EXPECT_TRUE(parses[0].guessed);
  EXPECT_EQ(parses[0].tag.pos, Pos::kVerb) << Dump(parses);
  EXPECT_EQ(parses[0].tag.number, Number::kPlur);
  EXPECT_EQ(parses[0].tag.tense, Tense::kPast);
  EXPECT_EQ(parses[0].lemma, "хайпануть") << Dump(parses);
  for (const Parse& p : parses) EXPECT_TRUE(p.guessed);

  const auto noun = morph->Analyze("блогерами");
  ASSERT_FALSE(noun.empty());
  EXPECT_EQ(noun[0].tag.grammatical_case, Case::kIns) << Dump(noun);
  EXPECT_EQ(noun[0].tag.number, Number::kPlur);

  // A guessed word's lexeme is built from the guessed paradigm.
  const auto forms = morph->Lexeme(parses[0]);
  ASSERT_FALSE(forms.empty());
  EXPECT_EQ(forms[0].word, parses[0].lemma);
}

TEST(RussianMorphologyTest, HyphenatedWords) {
  REQUIRE_MORPH();
  // In the dictionary as a whole.
  const auto izza = morph->Analyze("из-за");
  ASSERT_FALSE(izza.empty());
  EXPECT_EQ(izza[0].tag.pos, Pos::kPreposition) << Dump(izza);
  // Not in it: the last part decides, the lead stays on the lemma.
  const auto vice = morph->Analyze("вице-премьера");
  const Parse* p = Find(vice, "вице-премьер", "NOUN sing gent");
  ASSERT_NE(p, nullptr) << Dump(vice);
  const auto forms = morph->Lexeme(*p);
  ASSERT_FALSE(forms.empty());
  EXPECT_EQ(forms[0].word, "вице-премьер");
  // A particle after a hyphen.
  const auto to = morph->Analyze("задержали-таки");
  ASSERT_FALSE(to.empty());
  EXPECT_EQ(to[0].lemma, "задержать") << Dump(to);
  // Latin on the left of the hyphen, Cyrillic on the right.
  const auto it = morph->Analyze("IT-компании");
  EXPECT_NE(Find(it, "", "NOUN"), nullptr) << Dump(it);
  // Stray hyphens are dropped.
  const auto stray = morph->Analyze("-задержали-");
  ASSERT_FALSE(stray.empty());
  EXPECT_EQ(stray[0].lemma, "задержать") << Dump(stray);
  EXPECT_FALSE(stray[0].guessed);
  // And never crash.
  for (const char* w : {"-", "--", "-а-", "по-", "-ка", "а--б", "москва-"}) morph->Analyze(w);
}

TEST(RussianMorphologyTest, NonCyrillicAndOddInput) {
  REQUIRE_MORPH();
  EXPECT_TRUE(morph->Analyze("").empty());
  EXPECT_TRUE(morph->Analyze("police").empty());
  EXPECT_TRUE(morph->Analyze("2024").empty());
  EXPECT_TRUE(morph->Analyze("...").empty());
  EXPECT_TRUE(morph->Analyze("\xff\xfe").empty());           // bad UTF-8
  EXPECT_TRUE(morph->Analyze("\xd0").empty());               // truncated UTF-8
  // A Latin look-alike inside a Cyrillic word ("Mинистр" with a Latin M).
  const auto spoof = morph->Analyze("Mинистр");
  ASSERT_FALSE(spoof.empty());
  EXPECT_EQ(spoof[0].lemma, "министр") << Dump(spoof);
  // Mixed scripts that are not look-alikes: no crash, guessed or empty.
  for (const Parse& p : morph->Analyze("iPhoneом")) EXPECT_TRUE(p.guessed);
  // Stress marks are ignored.
  const auto stressed = morph->Analyze("задержа\u0301ли");
  ASSERT_FALSE(stressed.empty());
  EXPECT_EQ(stressed[0].lemma, "задержать");
  // Very long input.
  morph->Analyze(std::string(3000, 'a') + "ами");
  std::string long_word;
  for (int i = 0; i < 500; ++i) long_word += "е";
  morph->Analyze(long_word);
}

TEST(RussianMorphologyTest, UnknownCapitalsAreAbbreviations) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("ЕАЭСК");
  ASSERT_FALSE(parses.empty());
  for (const Parse& p : parses) {
    EXPECT_TRUE(p.guessed);
    EXPECT_EQ(p.lemma, "еаэск");
    EXPECT_EQ(p.tag.pos, Pos::kNoun);
    EXPECT_TRUE(p.tag.abbreviation && p.tag.indeclinable) << p.tag_text;
  }
  EXPECT_NE(Find(parses, "еаэск", "sing nomn"), nullptr) << Dump(parses);
  EXPECT_NE(Find(parses, "еаэск", "sing gent"), nullptr) << Dump(parses);
  // The same letters in lower case are an ordinary unknown word.
  for (const Parse& p : morph->Analyze("еаэск")) EXPECT_FALSE(p.tag.abbreviation) << p.tag_text;
}

TEST(RussianMorphologyTest, UnknownCapitalisedSurnames) {
  REQUIRE_MORPH();
  const auto parses = morph->Analyze("Жапарова");
  ASSERT_FALSE(parses.empty());
  EXPECT_TRUE(parses[0].guessed);
  EXPECT_EQ(parses[0].lemma, "жапаров") << Dump(parses);
  EXPECT_TRUE(parses[0].tag.name) << Dump(parses);
  const Parse* fem = Find(parses, "жапаров", "Surn femn sing nomn");
  ASSERT_NE(fem, nullptr) << Dump(parses);
  EXPECT_NE(Find(parses, "жапаров", "Surn masc sing gent"), nullptr) << Dump(parses);
  std::vector<std::string> words;
  for (const Form& f : morph->Lexeme(*fem)) words.push_back(f.word);
  ASSERT_FALSE(words.empty());
  EXPECT_EQ(words[0], "жапаров");
  for (const char* want : {"жапарова", "жапарову", "жапаровым", "жапаровой", "жапаровы", "жапаровых"}) {
    EXPECT_NE(std::find(words.begin(), words.end(), want), words.end()) << want;
  }
  // Lower case: no surname.
  EXPECT_EQ(Find(morph->Analyze("жапарова"), "", "Surn"), nullptr);
}

// Properties over many real words: sorted scores, every lexeme holds the
// analysed word and starts with the lemma.
TEST(RussianMorphologyTest, LexemesHoldTheirWords) {
  REQUIRE_MORPH();
  const std::vector<std::string> words = {
      "арестовал", "суток", "задержанного", "аэропорту", "возвращении", "протест", "ноту",
      "вручил", "выдворить", "депортированы", "гражданами", "уроженцев", "полицейские",
      "приговорил", "заявила", "осудил", "силовики", "россиян", "трудовых", "мигрантами",
      "ташкенте", "москвы", "лаврову", "президента", "прокуратура", "избили", "завербовали"};
  for (const std::string& w : words) {
    const auto parses = morph->Analyze(w);
    ASSERT_FALSE(parses.empty()) << w;
    for (std::size_t i = 1; i < parses.size(); ++i) EXPECT_GE(parses[i - 1].score, parses[i].score) << w;
    for (const Parse& p : parses) {
      EXPECT_FALSE(p.guessed) << w;
      const auto forms = morph->Lexeme(p);
      ASSERT_FALSE(forms.empty()) << w;
      EXPECT_EQ(forms[0].word, p.lemma) << w << " " << p.tag_text;
      const bool holds = std::any_of(forms.begin(), forms.end(), [&](const Form& f) {
        return f.word == w && f.tag == p.tag;
      });
      EXPECT_TRUE(holds) << w << " " << p.lemma << " " << p.tag_text;
    }
  }
}

// Random tokens (letters of both scripts, ё, hyphens, digits, stray bytes):
// no crash, and every answer is well formed.
TEST(RussianMorphologyTest, RandomTokens) {
  REQUIRE_MORPH();
  const std::vector<std::string> pieces = {
      "а", "е", "ё", "Ё", "о", "и", "ы", "л", "н", "т", "с", "к", "м", "в", "р", "й", "ь", "ъ",
      "Я", "Ж", "Ш", "ами", "ого", "ние", "-", "-", "a", "e", "o", "x", "Z", "1", "\xd0", "\xff",
      "\u0301", "\u00ad", "\u2011", "і", "ў"};
  std::mt19937 rng(8);
  std::size_t analysed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string token;
    const int n = 1 + static_cast<int>(rng() % 14);
    for (int k = 0; k < n; ++k) token += pieces[rng() % pieces.size()];
    const auto parses = morph->Analyze(token);
    analysed += !parses.empty();
    for (std::size_t j = 0; j < parses.size(); ++j) {
      ASSERT_FALSE(parses[j].lemma.empty()) << token;
      ASSERT_FALSE(parses[j].tag_text.empty()) << token;
      ASSERT_GE(parses[j].score, 0.0f) << token;
      if (j > 0) {
        ASSERT_GE(parses[j - 1].score, parses[j].score) << token;
      }
    }
    if (!parses.empty()) {
      ASSERT_FALSE(morph->Lexeme(parses[0]).empty()) << token;
    }
  }
  EXPECT_GT(analysed, 1000u);
}

// One Morphology shared by threads gives each the same answers.
TEST(RussianMorphologyTest, ThreadsShareOneMorphology) {
  REQUIRE_MORPH();
  const std::vector<std::string> words = {"задержали", "мигрантов", "еще", "хайпанули",
                                          "вице-премьера", "ОДКБ", "посла", "Захарова"};
  std::vector<std::vector<Parse>> expected;
  for (const auto& w : words) expected.push_back(morph->Analyze(w));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 300; ++round) {
        for (std::size_t i = 0; i < words.size(); ++i) {
          const auto got = morph->Analyze(words[i]);
          bool same = got.size() == expected[i].size();
          for (std::size_t j = 0; same && j < got.size(); ++j) {
            same = got[j].lemma == expected[i][j].lemma && got[j].tag_text == expected[i][j].tag_text;
          }
          mismatches[t] += !same;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

// ------------------------------------------------------------ damaged data

class DamagedDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = Morphology::DefaultDirectory();
    ASSERT_TRUE(fs::is_regular_file(fs::path(source_) / "words.dawg"))
        << "Russian morphology data not found in '" << source_
        << "'; install them with `bash scripts/test` (or scripts/deps.sh's dyad_install_ru_morphology)";
    for (const auto& entry : fs::directory_iterator(source_)) {
      fs::copy_file(entry.path(), fs::path(dir_.path()) / entry.path().filename());
    }
  }
  std::string File(const char* name) const { return (fs::path(dir_.path()) / name).string(); }
  void Truncate(const char* name, double keep) const {
    fs::resize_file(File(name), static_cast<std::uintmax_t>(fs::file_size(File(name)) * keep));
  }
  Status LoadStatus() const {
    auto loaded = Morphology::Load(dir_.path());
    return loaded.ok() ? Status::Ok() : loaded.status();
  }

  std::string source_;
  dyad::testing::TempDir dir_;
};

TEST_F(DamagedDataTest, IntactCopyLoads) {
  const Status s = LoadStatus();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(DamagedDataTest, MissingDirectory) {
  auto loaded = Morphology::Load(dir_.path() + "/nowhere");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_NE(loaded.status().ToString().find("nowhere"), std::string::npos);
}

TEST_F(DamagedDataTest, MissingFile) {
  for (const char* name : {"words.dawg", "paradigms.array", "suffixes.json", "meta.json",
                           "gramtab-opencorpora-int.json", "p_t_given_w.intdawg",
                           "prediction-suffixes-2.dawg"}) {
    const std::string moved = File(name) + ".away";
    fs::rename(File(name), moved);
    const Status s = LoadStatus();
    EXPECT_EQ(s.code(), StatusCode::kNotFound) << name << ": " << s.ToString();
    EXPECT_NE(s.ToString().find(name), std::string::npos) << s.ToString();
    fs::rename(moved, File(name));
  }
}

TEST_F(DamagedDataTest, TruncatedDawg) {
  for (const char* name : {"words.dawg", "p_t_given_w.intdawg", "prediction-suffixes-0.dawg"}) {
    for (double keep : {0.0, 0.0001, 0.5, 0.9999}) {
      fs::copy_file(fs::path(source_) / name, File(name), fs::copy_options::overwrite_existing);
      Truncate(name, keep);
      const Status s = LoadStatus();
      EXPECT_EQ(s.code(), StatusCode::kCorruption) << name << " " << keep << ": " << s.ToString();
      EXPECT_NE(s.ToString().find(name), std::string::npos) << s.ToString();
    }
    fs::copy_file(fs::path(source_) / name, File(name), fs::copy_options::overwrite_existing);
  }
}

TEST_F(DamagedDataTest, ScrambledDawgUnits) {
  // Same size, garbage transitions: caught at load, never a wild read.
  std::string bytes;
  {
    std::ifstream in(File("words.dawg"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (std::size_t i = 4; i < bytes.size() / 2; i += 4) bytes[i + 3] = static_cast<char>(0x7F);
  {
    std::ofstream out(File("words.dawg"), std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  const Status s = LoadStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.ToString().find("words.dawg"), std::string::npos) << s.ToString();
}

TEST_F(DamagedDataTest, TruncatedParadigms) {
  Truncate("paradigms.array", 0.5);
  const Status s = LoadStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.ToString().find("paradigms.array"), std::string::npos) << s.ToString();
}

TEST_F(DamagedDataTest, GarbageJson) {
  for (const char* name : {"suffixes.json", "gramtab-opencorpora-int.json", "meta.json"}) {
    const std::string saved = File(name) + ".saved";
    fs::copy_file(File(name), saved);
    for (const char* garbage : {"{not json", "[1, 2, 3]", "{}", "", "[\"\\u00e9\\u4e2d\"]"}) {
      {
        std::ofstream out(File(name), std::ios::trunc);
        out << garbage;
      }
      const Status s = LoadStatus();
      EXPECT_EQ(s.code(), StatusCode::kCorruption) << name << " <" << garbage << ">: " << s.ToString();
      EXPECT_NE(s.ToString().find(name), std::string::npos) << s.ToString();
    }
    fs::remove(File(name));
    fs::rename(saved, File(name));
  }
}

TEST(RussianMorphologyDefaultDirectoryTest, EnvironmentWins) {
  const char* old = std::getenv("DYAD_RU_MORPHOLOGY");
  const std::string saved = old ? old : "";
  setenv("DYAD_RU_MORPHOLOGY", "/some/where", 1);
  EXPECT_EQ(Morphology::DefaultDirectory(), "/some/where");
  if (old) setenv("DYAD_RU_MORPHOLOGY", saved.c_str(), 1);
  else unsetenv("DYAD_RU_MORPHOLOGY");
}

}  // namespace
}  // namespace dyad::ru
