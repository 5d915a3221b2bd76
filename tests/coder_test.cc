// Coder behaviour on small dictionaries written for the test: each case is
// a sentence in and the exact events out.
#include <gtest/gtest.h>

#include <tuple>

#include "dyad/coder.h"
#include "test_util.h"

namespace dyad {
namespace {

using testing::TempDir;

constexpr const char* kVerbs = R"(
&SENTENCE
+SENTENCE
+PRISON_TERM
+TERM

--- DETAIN [173] ---
DETAIN
ARREST
N:DETENTION
N:HARASSMENT

--- CONDEMN [111] ---
CONDEMN
DENOUNCE

--- VISIT [042] ---
VISIT

--- RECEIVE [---] ---
RECEIVE
- + * &SENTENCE [173] @JUD

--- MEET [036:036] ---
MEET {MET}
- * WITH + [040:040]

--- REVIEW [---] ---
REVIEW
- * COMPLAINTS [012]
)";

constexpr const char* kActors = R"(
RUSSIA [RUS]
+RUSSIAN
+MOSCOW
UZBEKISTAN [UZB]
+UZBEK
+TASHKENT
TAJIKISTAN [TJK]
+TAJIK
MARIA_ZAKHAROVA [RUSGOV >20150810]
+ZAKHAROVA
)";

constexpr const char* kAgents = R"(
POLICE {} [~COP]
MIGRANT [~LAB]
FOREIGN_MINISTRY [~GOV]
MINISTRY [~GOV]
COURT [~JUD]
NATIONAL [~CVL]
)";

class CoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DictionaryFiles f;
    f.verbs.push_back(dir_.Write("t.verbs.txt", kVerbs));
    f.actors.push_back(dir_.Write("t.actors.txt", kActors));
    f.agents.push_back(dir_.Write("t.agents.txt", kAgents));
    f.discards.push_back(dir_.Write("t.discards.txt", "FOOTBALL_MATCH\n+LOTTERY_DRAW\n"));
    auto d = Dictionary::Load(f);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    auto c = Coder::Create(d.value(), {});
    ASSERT_TRUE(c.ok());
    coder_ = std::move(c.value());
  }

  using Triple = std::tuple<std::string, std::string, std::string>;
  std::vector<Triple> Code(const std::string& text, const std::string& date = "2025-06-12") {
    Document doc{"t", date, text, "", "", ""};
    std::vector<Triple> out;
    for (const auto& e : coder_->CodeDocument(doc)) out.emplace_back(e.source, e.code, e.target);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Coder> coder_;
};

TEST_F(CoderTest, ActiveVoice) {
  EXPECT_EQ(Code("Russian police detained Uzbek migrants in Moscow on Tuesday."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
}

TEST_F(CoderTest, PassiveVoiceSwapsRoles) {
  EXPECT_EQ(Code("Uzbek migrants were detained by Russian police in Moscow."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
  EXPECT_EQ(Code("Uzbek migrants have been arrested by Russian police."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
}

TEST_F(CoderTest, NegationIsNotCoded) {
  EXPECT_TRUE(Code("Russian police did not detain Uzbek migrants.").empty());
  EXPECT_TRUE(Code("Tashkent never condemned Moscow.").empty());
  EXPECT_TRUE(Code("Tashkent didn't condemn Moscow.").empty());
}

TEST_F(CoderTest, IntentBecomesExpressIntent) {
  Document doc{"t", "2025-06-12", "The Uzbek Foreign Ministry plans to visit Moscow next month.", "", "", ""};
  auto events = coder_->CodeDocument(doc);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].source, "UZBGOV");
  EXPECT_EQ(events[0].target, "RUS");
  EXPECT_EQ(events[0].code, "036");
  EXPECT_EQ(events[0].modality, "intent");
  // Without the intent verb it is a visit.
  EXPECT_EQ(Code("The Uzbek Foreign Ministry visited Moscow."), (std::vector<Triple>{{"UZBGOV", "042", "RUS"}}));
}

TEST_F(CoderTest, CompoundActorsGiveOneEventEach) {
  EXPECT_EQ(Code("Russian police detained Uzbek and Tajik migrants."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}, {"RUSCOP", "173", "TJKLAB"}}));
  EXPECT_EQ(Code("Uzbekistan and Tajikistan condemned Russia."),
            (std::vector<Triple>{{"UZB", "111", "RUS"}, {"TJK", "111", "RUS"}}));
}

TEST_F(CoderTest, ReportedSpeechCodesTheInnerClause) {
  EXPECT_EQ(Code("Zakharova said Moscow would review Uzbek complaints."),
            (std::vector<Triple>{{"RUS", "012", "UZB"}}));
}

TEST_F(CoderTest, EventNounsWithOfAndBy) {
  EXPECT_EQ(Code("Tashkent protested over the detention of Tajik migrants by Russian police."),
            (std::vector<Triple>{{"RUSCOP", "173", "TJKLAB"}}));
  EXPECT_EQ(Code("Russia's harassment of Uzbek migrants continued."),
            (std::vector<Triple>{{"RUS", "173", "UZBLAB"}}));
}

TEST_F(CoderTest, CoordinatedVerbsShareSubjectAndObject) {
  EXPECT_EQ(Code("Russian police beat and detained Uzbek migrants."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));  // BEAT is not in this dictionary
  EXPECT_EQ(Code("Tashkent condemned and denounced Moscow."),
            (std::vector<Triple>{{"UZB", "111", "RUS"}}));
  EXPECT_EQ(Code("Tashkent visited Moscow and condemned the raids."),
            (std::vector<Triple>{{"UZB", "042", "RUS"}, {"UZB", "111", "RUS"}}));
}

TEST_F(CoderTest, DeniedAndModifyingClausesAreNotFacts) {
  EXPECT_TRUE(Code("Moscow denied that Russian police detained Uzbek migrants.").empty());
  EXPECT_TRUE(Code("Moscow dismissed claims that Russian police detained Uzbek migrants.").empty());
  EXPECT_TRUE(Code("Tashkent backed a resolution condemning Russia.").empty());
  EXPECT_EQ(Code("Tashkent said that Russian police detained Uzbek migrants."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
}

TEST_F(CoderTest, QuantitiesBeforeActors) {
  EXPECT_EQ(Code("More than 30 Uzbek migrants were detained by Russian police."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
  EXPECT_EQ(Code("Russian police detained dozens of Uzbek migrants."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBLAB"}}));
  EXPECT_EQ(Code("Russian police detained 63 workers, most of them Uzbek nationals."),
            (std::vector<Triple>{{"RUSCOP", "173", "UZBCVL"}}));
}

TEST_F(CoderTest, ImpliedSourceRole) {
  EXPECT_EQ(Code("An Uzbek national received a five-year prison term."),
            (std::vector<Triple>{{"UZBJUD", "173", "UZBCVL"}}));
}

TEST_F(CoderTest, PairedCodes) {
  EXPECT_EQ(Code("Uzbekistan met with Russia in Tashkent."),
            (std::vector<Triple>{{"UZB", "040", "RUS"}, {"RUS", "040", "UZB"}}));
}

TEST_F(CoderTest, DatedRolesFollowTheDocumentDate) {
  EXPECT_EQ(Code("Zakharova condemned Tashkent.", "2025-01-01"), (std::vector<Triple>{{"RUSGOV", "111", "UZB"}}));
  EXPECT_TRUE(Code("Zakharova condemned Tashkent.", "2010-01-01").empty());
}

TEST_F(CoderTest, DiscardsDropSentenceOrStory) {
  EXPECT_TRUE(Code("Russia condemned Uzbekistan after the football match.").empty());
  EXPECT_EQ(Code("Russia condemned Uzbekistan after the football match. Tashkent condemned Moscow."),
            (std::vector<Triple>{{"UZB", "111", "RUS"}}));
  EXPECT_TRUE(Code("Russia condemned Uzbekistan. The lottery draw was held.").empty());
}

TEST_F(CoderTest, RepeatedParagraphsCountOnce) {
  const std::string para = "Russian police detained Uzbek migrants in Moscow.\n\n";
  EXPECT_EQ(Code(para + "Tashkent condemned Moscow.\n\n" + para).size(), 2u);
}

TEST_F(CoderTest, EvidenceOffsetsPointIntoTheDocument) {
  Document doc{"d1", "2025-06-12", "Background.\n\nRussian police detained Uzbek migrants.", "", "", ""};
  auto events = coder_->CodeDocument(doc);
  ASSERT_EQ(events.size(), 1u);
  const Event& e = events[0];
  auto text = [&](const Span& s) { return doc.text.substr(s.begin, s.end - s.begin); };
  EXPECT_EQ(text(e.source_span), "Russian police");
  EXPECT_EQ(text(e.verb_span), "detained");
  EXPECT_EQ(text(e.target_span), "Uzbek migrants");
  EXPECT_EQ(e.sentence, "Russian police detained Uzbek migrants.");
  EXPECT_EQ(e.sentence_index, 1u);
  EXPECT_EQ(e.root, "17");
  EXPECT_EQ(e.quad_class, 4);
  EXPECT_DOUBLE_EQ(e.goldstein, -5.0);
  EXPECT_EQ(e.plover, "COERCE");
  EXPECT_NE(e.pattern.find("DETAIN"), std::string::npos);
  EXPECT_NE(e.pattern_origin.find("t.verbs.txt:"), std::string::npos);
}

TEST_F(CoderTest, ExplainTraceNamesEveryStep) {
  Document doc{"t", "2025-06-12", "Russian police did not detain Uzbek migrants.", "", "", ""};
  Trace trace;
  EXPECT_TRUE(coder_->CodeDocument(doc, &trace).empty());
  std::string all;
  for (const auto& l : trace.lines) all += l + "\n";
  EXPECT_NE(all.find("actor 'Russian police' -> RUSCOP"), std::string::npos) << all;
  EXPECT_NE(all.find("negated"), std::string::npos) << all;
}

TEST_F(CoderTest, BadInputIsSafe) {
  EXPECT_TRUE(Code("").empty());
  EXPECT_TRUE(Code("\xff\xfe\xfd Russian police \xc3 detained").size() <= 1u);
  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "Russian police detained Uzbek migrants and ";
  EXPECT_FALSE(Code(huge).empty());  // long, unpunctuated: bounded work, still coded
  EXPECT_TRUE(Code("2025-13-45 Russian police detained Uzbek migrants.", "not-a-date").size() == 1u);
}

}  // namespace
}  // namespace dyad
