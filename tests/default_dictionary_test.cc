// dyad's own dictionaries (data/dict) on real and realistic text: the seed
// article, the development set (F1 floors), and a strict load.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dyad/coder.h"
#include "dyad/evaluate.h"
#include "test_util.h"

namespace dyad {
namespace {

// Floors: the scores reached so far on testdata/eval/dev.jsonl. Raise them
// when the coder or dictionaries improve; never lower them.
constexpr double kRootF1Floor = 0.51;
constexpr double kExactF1Floor = 0.45;

class DefaultDictionaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto d = Dictionary::LoadDirectory(testing::DataDir() + "/dict");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    dict_ = d.value();
    auto c = Coder::Create(dict_, {});
    ASSERT_TRUE(c.ok());
    coder_ = c.value().release();
  }
  static void TearDownTestSuite() {
    delete coder_;
    coder_ = nullptr;
    dict_.reset();
  }
  static bool Has(const std::vector<Event>& events, const std::string& source_prefix,
                  const std::string& target_prefix, const std::vector<std::string>& roots) {
    for (const auto& e : events) {
      if (e.source.rfind(source_prefix, 0) != 0 || e.target.rfind(target_prefix, 0) != 0) continue;
      for (const auto& r : roots)
        if (e.code.rfind(r, 0) == 0) return true;
    }
    return false;
  }

  static std::shared_ptr<const Dictionary> dict_;
  static Coder* coder_;
};

std::shared_ptr<const Dictionary> DefaultDictionaryTest::dict_;
Coder* DefaultDictionaryTest::coder_ = nullptr;

TEST_F(DefaultDictionaryTest, LoadsWithoutWarnings) {
  const auto& s = dict_->stats();
  for (const auto& w : s.warnings) ADD_FAILURE() << w;
  EXPECT_GT(s.actor_entries, 500u);
  EXPECT_GT(s.verb_blocks, 150u);
  EXPECT_GT(s.agent_phrases, 1000u);
}

TEST_F(DefaultDictionaryTest, SeedArticle) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; seed test skipped";
  std::ifstream in(shared + "/seed/000_cc8cc8d188fd249c.txt");
  ASSERT_TRUE(in);
  std::ostringstream text;
  text << in.rdbuf();
  Document doc{"seed", "2025-06-12", text.str(), "", "", ""};
  auto events = coder_->CodeDocument(doc);
  std::string all;
  for (const auto& e : events) all += e.source + " " + e.code + " " + e.target + " | " + e.sentence + "\n";
  // Uzbek government -> Russian government or officials: disapproval or demand.
  EXPECT_TRUE(Has(events, "UZBGOV", "RUSGOV", {"10", "11"})) << all;
  // Russian law enforcement -> Uzbek / Central Asian nationals or migrants: coercion or assault.
  EXPECT_TRUE(Has(events, "RUSCOP", "UZB", {"17", "18"}) || Has(events, "RUSCOP", "CAS", {"17", "18"})) << all;
  // An Uzbek court -> Uzbek nationals: arrest / sentence.
  EXPECT_TRUE(Has(events, "UZBJUD", "UZB", {"173"})) << all;
  // The article is in the file twice: each event once.
  for (size_t i = 0; i < events.size(); ++i)
    for (size_t j = i + 1; j < events.size(); ++j)
      EXPECT_FALSE(events[i].source == events[j].source && events[i].target == events[j].target &&
                   events[i].code == events[j].code)
          << "duplicate " << events[i].source << " " << events[i].code << " " << events[i].target;
}

struct Case {
  const char* text;
  const char* source;  // "" = expect no event
  const char* code;
  const char* target;
};

// Realistic sentences written for this test (not from the dev set), one
// behaviour each.
TEST_F(DefaultDictionaryTest, RealisticSentences) {
  const Case cases[] = {
      {"Russian police detained about 200 Uzbek migrants during a raid on a Moscow market on Tuesday.",
       "RUSCOP", "173", "UZBLAB"},
      {"Dozens of Tajik workers were detained by police in Yekaterinburg, the embassy said.",
       "RUSCOP", "173", "TJKLAB"},  // police take the country of the place named
      {"Dozens of Tajik workers were detained by police, the embassy said.",
       "---COP", "173", "TJKLAB"},  // police with no country anywhere: an agent without country
      {"The Uzbek Foreign Ministry summoned the Russian ambassador on Monday.", "UZBGOV", "", "RUSGOV"},
      {"Russian Foreign Minister Sergei Lavrov met his Uzbek counterpart Bakhtiyor Saidov in Moscow on Friday.",
       "RUSGOV", "", "UZBGOV"},
      {"Kyrgyzstan did not condemn Russia over the raids.", "", "", ""},
  };
  for (const Case& c : cases) {
    Document doc{"t", "2025-03-10", c.text, "", "", ""};
    auto events = coder_->CodeDocument(doc);
    std::string got;
    for (const auto& e : events) got += e.source + " " + e.code + " " + e.target + "; ";
    if (std::string(c.source).empty()) {
      EXPECT_TRUE(events.empty()) << c.text << " => " << got;
      continue;
    }
    bool found = false;
    for (const auto& e : events)
      if (e.source == c.source && e.target == c.target && (std::string(c.code).empty() || e.code == c.code))
        found = true;
    EXPECT_TRUE(found) << c.text << " => " << got;
  }
}

TEST_F(DefaultDictionaryTest, DevelopmentSetFloors) {
  auto r = Evaluate(*coder_, testing::TestdataDir() + "/eval/dev.jsonl", nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::cout << "dev set: root F1 " << r->root.f1() << ", exact F1 " << r->exact.f1() << "\n";
  EXPECT_GE(r->sentences, 300);
  EXPECT_GE(r->root.f1(), kRootF1Floor);
  EXPECT_GE(r->exact.f1(), kExactF1Floor);
}

}  // namespace
}  // namespace dyad
