// The Russian coder (src/russian/coder.cc): roles by case and agreement,
// passives, agentless verbs, reflexives, negation, reported speech,
// compound actors, evidence offsets, the development-set floor, and a
// Russian Telegram export ingested end to end.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/coder.h"
#include "dyad/dictionary.h"
#include "dyad/evaluate.h"
#include "dyad/russian_coder.h"
#include "dyad/russian_morphology.h"
#include "test_util.h"

namespace dyad::ru {
namespace {

// Measured with `dyad eval testdata/eval/ru/dev.jsonl` (docs/russian.md).
constexpr double kRootF1Floor = 0.82;
constexpr double kExactF1Floor = 0.78;
constexpr double kRootPrecisionFloor = 0.95;

Document Doc(const std::string& text, const std::string& language = "ru",
             const std::string& date = "2025-04-10") {
  Document d;
  d.id = "t";
  d.date = date;
  d.text = text;
  d.language = language;
  return d;
}

class RussianCoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto morph = Morphology::Load(Morphology::DefaultDirectory());
    ASSERT_TRUE(morph.ok()) << morph.status().ToString() << " (install: scripts/deps.sh)";
    auto dict = RussianDictionary::Load(::dyad::testing::DataDir() + "/dict/ru", *morph);
    ASSERT_TRUE(dict.ok()) << dict.status().ToString();
    dict_ = *dict;
    auto coder = RussianCoder::Create(dict_, {});
    ASSERT_TRUE(coder.ok());
    coder_ = std::move(*coder).release();
  }
  static void TearDownTestSuite() {
    delete coder_;
    coder_ = nullptr;
    dict_.reset();
  }

  // "SOURCE CODE TARGET" per event, sorted.
  static std::vector<std::string> Code(const std::string& text, const std::string& date = "2025-04-10") {
    Document doc = Doc(text, "ru", date);
    std::vector<std::string> out;
    for (const Event& e : coder_->CodeDocument(doc)) out.push_back(e.source + " " + e.code + " " + e.target);
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::shared_ptr<const RussianDictionary> dict_;
  static RussianCoder* coder_;
};
std::shared_ptr<const RussianDictionary> RussianCoderTest::dict_;
RussianCoder* RussianCoderTest::coder_ = nullptr;

using V = std::vector<std::string>;

TEST_F(RussianCoderTest, SubjectByAgreementNotWordOrder) {
  // Subject first, then object first with the nominative at the end.
  EXPECT_EQ(Code("Сотрудники полиции задержали в Москве мигрантов из Узбекистана."), V{"RUSCOP 173 UZBLAB"});
  EXPECT_EQ(Code("Мигрантов из Узбекистана задержали в Москве сотрудники полиции после драки у торгового центра."),
            V{"RUSCOP 173 UZBLAB"});
  // Accusative Кулубаева before the verb, nominative Рахмон after it.
  EXPECT_EQ(Code("Кулубаева принял в Душанбе Эмомали Рахмон."), V{"TJKGOV 043 KGZGOV"});
  EXPECT_EQ(Code("Эмомали Рахмон принял в Душанбе Кулубаева."), V{"TJKGOV 043 KGZGOV"});
  // Dative addressee first.
  EXPECT_EQ(Code("Мирзиёеву Путин подарил копию старинной рукописи."), V{"RUSGOV 017 UZBGOV"});
}

TEST_F(RussianCoderTest, NamesInEveryCase) {
  for (const char* name : {"Мирзиёевым", "Мирзиеевым"})
    EXPECT_EQ(Code(std::string("Путин встретился с ") + name + "."), V{"RUSGOV 044 UZBGOV"}) << name;
  EXPECT_EQ(Code("Лаврова Саидов пригласил посетить Ташкент."), V{"UZBGOV 036 RUSGOV"});
}

TEST_F(RussianCoderTest, TalksInOneSidesCountryAreAVisitByTheOther) {
  EXPECT_EQ(Code("Жээнбек Кулубаев провел в Москве переговоры с Сергеем Лавровым."),
            (V{"KGZGOV 040 RUSGOV", "KGZGOV 042 RUS"}));
}

TEST_F(RussianCoderTest, ProtestsWithoutATargetAreAgainstTheirOwnGovernment) {
  EXPECT_EQ(Code("Жители Хорога вышли на акцию протеста."), V{"TJKCVL 1412 TJKGOV"});
}

TEST_F(RussianCoderTest, PassivesTakeTheInstrumentalAsSource) {
  EXPECT_EQ(Code("Гражданин Таджикистана был задержан сотрудниками ФСБ в Екатеринбурге."), V{"RUSCOP 173 TJKCVL"});
  // A -ся passive.
  EXPECT_EQ(Code("В метро мигранты из Узбекистана регулярно задерживаются сотрудниками полиции."),
            V{"RUSCOP 173 UZBLAB"});
}

TEST_F(RussianCoderTest, AgentlessPluralsOnlyWhenTheActorIsRecoverable) {
  // No nationality, no agency: nothing.
  EXPECT_EQ(Code("В Москве задержали 40 мигрантов после драки на рынке."), V{});
  // No place, no agency: nothing.
  EXPECT_EQ(Code("Гражданина Узбекистана депортировали за публикацию в социальных сетях."), V{});
  // The state's place is named: the state.
  EXPECT_EQ(Code("В Новосибирской области задержали двух граждан Таджикистана."), V{"RUS 173 TJKCVL"});
  // The agency is named as the reporter.
  EXPECT_EQ(Code("Кыргызстанцев депортировали на родину, сообщила пресс-служба ГУ МВД по Свердловской области."),
            V{"RUSCOP 174 KGZCVL"});
  // An assault with no named attacker is never coded.
  EXPECT_EQ(Code("В Москве на улице Ватутина избит курьер из Узбекистана, нападавшие скрылись."), V{});
}

TEST_F(RussianCoderTest, ReflexiveVerbs) {
  EXPECT_EQ(Code("Посольство Узбекистана обратилось в МИД России с просьбой."), V{"UZBGOV 020 RUSGOV"});
  EXPECT_EQ(Code("Бахтиёр Саидов встретился с Сергеем Лавровым."), V{"UZBGOV 044 RUSGOV"});
  EXPECT_EQ(Code("Россия и Узбекистан договорились о создании рабочей группы."), (V{"RUS 030 UZB", "UZB 030 RUS"}));
}

TEST_F(RussianCoderTest, NegationBlocksTheActUnlessItIsARefusal) {
  EXPECT_EQ(Code("МИД России осудил удары США по Ирану."), V{"RUSGOV 111 USA"});
  EXPECT_EQ(Code("МИД России не осудил удары США по Ирану."), V{});
  EXPECT_EQ(Code("Узбекистан не признает ДНР и ЛНР."), V{"UZB 120 UKRREB"});
  EXPECT_EQ(Code("Песков отказался комментировать сообщения о вербовке граждан Узбекистана."), V{"RUSGOV 011 UZBCVL"});
}

TEST_F(RussianCoderTest, ReportedSpeechKeepsTheSpeakerOutOfTheReportedAct) {
  EXPECT_EQ(Code("Москва в ответ вышлет десять американских дипломатов, заявил журналистам Сергей Лавров."),
            V{"RUS 174 USAGOV"});
  // A subjectless clause after the speech verb: the speaker is its source.
  EXPECT_EQ(Code("Захарова заявила, что не располагает информацией о задержании граждан Узбекистана."),
            V{"RUSGOV 010 UZBCVL"});
}

TEST_F(RussianCoderTest, CompoundActorsGiveOneEventEach) {
  EXPECT_EQ(Code("В Москве сотрудники полиции задержали 27 мигрантов из Узбекистана и Таджикистана."),
            (V{"RUSCOP 173 TJKLAB", "RUSCOP 173 UZBLAB"}));
  EXPECT_EQ(Code("Россия и Узбекистан подписали соглашение о трудовой миграции."), (V{"RUS 057 UZB", "UZB 057 RUS"}));
}

TEST_F(RussianCoderTest, EvidenceIsTheOriginalSentenceWithByteSpans) {
  const std::string text = "Первая фраза без событий. МИД Таджикистана вызвал посла России.";
  Document doc = Doc(text);
  auto events = coder_->CodeDocument(doc);
  ASSERT_EQ(events.size(), 1u);
  const Event& e = events[0];
  EXPECT_EQ(e.code, "114");
  EXPECT_EQ(e.sentence_index, 1u);
  EXPECT_EQ(e.sentence, "МИД Таджикистана вызвал посла России.");
  EXPECT_EQ(text.substr(e.sentence_span.begin, e.sentence_span.end - e.sentence_span.begin), e.sentence);
  EXPECT_EQ(text.substr(e.source_span.begin, e.source_span.end - e.source_span.begin), "МИД Таджикистана");
  EXPECT_EQ(text.substr(e.target_span.begin, e.target_span.end - e.target_span.begin), "посла России");
  EXPECT_EQ(text.substr(e.verb_span.begin, e.verb_span.end - e.verb_span.begin), "вызвал");
  EXPECT_FALSE(e.pattern_origin.empty());
}

TEST_F(RussianCoderTest, ExplainShowsMorphologyAndTheCaseThatDecided) {
  Trace trace;
  Document doc = Doc("Мигрантов из Узбекистана задержали сотрудники полиции.");
  coder_->CodeDocument(doc, &trace);
  std::string all;
  for (const auto& l : trace.lines) all += l + "\n";
  EXPECT_NE(all.find("мигрантов  [dict]"), std::string::npos) << all;
  EXPECT_NE(all.find("nominative agreeing with the verb"), std::string::npos) << all;
  EXPECT_NE(all.find("acc governed by the verb"), std::string::npos) << all;
}

TEST_F(RussianCoderTest, CoderRoutesRussianDocumentsAndLeavesEnglishAlone) {
  auto en = Dictionary::LoadDirectory(::dyad::testing::DataDir() + "/dict");
  ASSERT_TRUE(en.ok());
  auto ru = RussianCoder::Create(dict_, {});
  ASSERT_TRUE(ru.ok());
  auto coder = Coder::Create(*en, {}, std::shared_ptr<const LanguageCoder>(std::move(*ru)));
  ASSERT_TRUE(coder.ok());
  Document ru_doc = Doc("Мигрантов из Узбекистана задержали в Москве сотрудники полиции после драки.", "");
  EXPECT_EQ((*coder)->LanguageOf(ru_doc), "ru");
  auto events = (*coder)->CodeDocument(ru_doc);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].source + " " + events[0].code + " " + events[0].target, "RUSCOP 173 UZBLAB");
  Document en_doc = Doc("Russian police detained Uzbek migrants in Moscow on Tuesday.", "", "2025-06-12");
  EXPECT_EQ((*coder)->LanguageOf(en_doc), "en");
  auto plain = Coder::Create(*en, {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*coder)->CodeDocument(en_doc), (*plain)->CodeDocument(en_doc));
}

TEST_F(RussianCoderTest, NamesSharedWithTheEnglishDictionaryByTransliteration) {
  // Neither name is in data/dict/ru; both are in data/dict/dyad.actors.txt
  // (NIKOL_PASHINYAN, RECEP_TAYYIP_ERDOGAN), with dated roles.
  auto en = Dictionary::LoadDirectory(::dyad::testing::DataDir() + "/dict");
  ASSERT_TRUE(en.ok());
  auto with = RussianCoder::Create(dict_, {}, *en);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  const Document doc = Doc("Пашинян встретился с Эрдоганом в Москве.", "ru", "2025-03-01");
  auto events = (*with)->CodeDocument(doc);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].source + " " + events[0].code + " " + events[0].target, "ARMGOV 044 TURGOV");
  EXPECT_NE(events[0].entries[0].find("transliterated: pashinyan"), std::string::npos) << events[0].entries[0];
  // Without the English dictionary the names are unknown.
  EXPECT_TRUE(coder_->CodeDocument(doc).empty());
}

// The development set's F1, as `dyad eval testdata/eval/ru/dev.jsonl`
// prints it. The floor sits just under the measured figure: a change that
// makes the coder worse fails here.
TEST_F(RussianCoderTest, DevelopmentSetF1Floor) {
  auto en = Dictionary::LoadDirectory(::dyad::testing::DataDir() + "/dict");
  ASSERT_TRUE(en.ok());
  auto ru = RussianCoder::Create(dict_, {});
  ASSERT_TRUE(ru.ok());
  auto coder = Coder::Create(*en, {}, std::shared_ptr<const LanguageCoder>(std::move(*ru)));
  ASSERT_TRUE(coder.ok());
  auto r = Evaluate(**coder, ::dyad::testing::TestdataDir() + "/eval/ru/dev.jsonl", nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sentences, 376);
  ASSERT_TRUE(r->by_language.contains("ru"));
  EXPECT_EQ(r->by_language.at("ru").sentences, 376);
  EXPECT_GE(r->root.f1(), kRootF1Floor) << "P " << r->root.precision() << " R " << r->root.recall();
  EXPECT_GE(r->exact.f1(), kExactF1Floor) << "P " << r->exact.precision() << " R " << r->exact.recall();
  EXPECT_GE(r->root.precision(), kRootPrecisionFloor);
}

TEST(RussianTelegramTest, ExportIngestsEndToEndIntoTheStore) {
  ::dyad::testing::TempDir dir;
  const std::string db = dir.path() + "/ru.db";
  const std::string input = ::dyad::testing::TestdataDir() + "/ingest/telegram_ru/result.json";
  auto ingest = ::dyad::testing::RunCli("ingest --db '" + db + "' '" + input + "'");
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err << ingest.out;
  EXPECT_NE(ingest.out.find("4 documents: 4 added"), std::string::npos) << ingest.out;
  auto exported = ::dyad::testing::RunCli("export --db '" + db + "' --format jsonl");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::set<std::string> events;
  std::istringstream lines(exported.out);
  std::string line;
  std::string raid_sentence;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    const std::string key = j["source"].get<std::string>() + " " + j["code"].get<std::string>() + " " +
                            j["target"].get<std::string>();
    events.insert(key);
    if (key == "RUSCOP 173 UZBLAB") raid_sentence = j["evidence"]["sentence"].get<std::string>();
  }
  EXPECT_EQ(events, (std::set<std::string>{"RUSCOP 173 UZBLAB", "UZBGOV 114 RUSGOV", "RUSGOV 016 UZB",
                                           "RUSCOP 173 TJKCVL"}));
  EXPECT_EQ(raid_sentence,
            "Мигрантов из Узбекистана задержали в Москве сотрудники полиции после проверки документов на овощной базе.");
}

}  // namespace
}  // namespace dyad::ru
