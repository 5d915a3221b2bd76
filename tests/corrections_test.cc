// Corrections end to end on a SQLite store ingested from the sample corpus:
// an event marked wrong, an actor and a verb added, each previewed, applied
// (user dictionary written, documents re-coded, change feed and activity
// log filled) and reverted; the user dictionary read by `dyad code` and
// `dyad recode`; bad input and a malformed user dictionary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "corrections/user_dictionary.h"
#include "dyad/corrections.h"
#include "dyad/ingest.h"
#include "dyad/store.h"
#include "store/sql_store.h"
#include "test_util.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string DictDir() { return testing::DataDir() + "/dict"; }

// (sentence index, source, code, target) of a document's events: what a
// correction and its revert must agree on.
using Triple = std::tuple<std::uint32_t, std::string, std::string, std::string>;

class CorrectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() + "/dyad.db";
    user_ = StoreUserDictionaryPath(db_);
    ASSERT_EQ(user_, db_ + ".user-dict.txt");
    auto store = Store::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    auto setup = LoadCodingSetup(DictDir(), {}, user_);
    ASSERT_TRUE(setup.ok()) << setup.status().ToString();
    base_version_ = setup->coder_version;
    IngestOptions o;
    o.threads = 2;
    IngestReport r = Ingest(*store_, *setup, {testing::DataDir() + "/sample/corpus.jsonl"}, o);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ASSERT_EQ(r.summary.documents_added, 40);
    auto corrector = Corrector::Create(store_.get(), DictDir(), user_);
    ASSERT_TRUE(corrector.ok()) << corrector.status().ToString();
    corrector_ = std::move(corrector.value());
  }

  std::vector<EventRow> AllEvents() {
    std::vector<EventRow> rows;
    EXPECT_TRUE(store_->QueryEvents({}, [&](const EventRow& r) { rows.push_back(r); }).ok());
    return rows;
  }

  std::multiset<Triple> DocumentTriples(std::int64_t document_id) {
    std::multiset<Triple> out;
    for (const EventRow& r : AllEvents())
      if (r.document_id == document_id)
        out.emplace(r.event.sentence_index, r.event.source, r.event.code, r.event.target);
    return out;
  }

  std::map<std::int64_t, std::multiset<Triple>> StoreTriples() {
    std::map<std::int64_t, std::multiset<Triple>> out;
    for (const EventRow& r : AllEvents())
      out[r.document_id].emplace(r.event.sentence_index, r.event.source, r.event.code, r.event.target);
    return out;
  }

  // The document holding a sentence with these words.
  std::int64_t DocumentWith(const std::string& words) {
    auto hits = store_->SearchSentences(words, 10);
    EXPECT_TRUE(hits.ok() && !hits->empty()) << words;
    return hits.ok() && !hits->empty() ? hits->front().document_id : 0;
  }

  // `dyad code --user-dict` on a stored document's text: its events as
  // (sentence, source, code, target), sentence by text.
  std::multiset<std::tuple<std::string, std::string, std::string, std::string>> CliEvents(
      std::int64_t document_id, const std::string& user_dict) {
    auto view = store_->GetDocument(document_id);
    EXPECT_TRUE(view.ok());
    const std::string file = dir_.Write("doc" + std::to_string(document_id) + ".txt", view->document.text);
    auto r = testing::RunCli("code --user-dict '" + user_dict + "' --date " + view->document.date + " '" +
                             file + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      Json e = Json::parse(line);
      out.emplace(e["sentence"].get<std::string>(), e["source"].get<std::string>(),
                  e["code"].get<std::string>(), e["target"].get<std::string>());
    }
    return out;
  }

  std::multiset<std::tuple<std::string, std::string, std::string, std::string>> StoredEvents(
      std::int64_t document_id) {
    std::multiset<std::tuple<std::string, std::string, std::string, std::string>> out;
    for (const EventRow& r : AllEvents())
      if (r.document_id == document_id)
        out.emplace(r.event.sentence, r.event.source, r.event.code, r.event.target);
    return out;
  }

  testing::TempDir dir_;
  std::string db_, user_, base_version_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Corrector> corrector_;
};

Correction Make(const std::string& json) {
  auto c = ParseCorrection(std::string_view(json));
  EXPECT_TRUE(c.ok()) << json << ": " << c.status().ToString();
  return c.ok() ? c.value() : Correction{};
}

bool HasTriple(const std::vector<EventRow>& rows, std::int64_t doc, const std::string& source,
               const std::string& code, const std::string& target) {
  return std::any_of(rows.begin(), rows.end(), [&](const EventRow& r) {
    return r.document_id == doc && r.event.source == source && r.event.code == code &&
           r.event.target == target;
  });
}

TEST(CorrectionParse, BodiesOfTheApi) {
  auto wrong = ParseCorrection(std::string_view(R"({"kind":"event_wrong","event_id":17,"note":"not a raid"})"));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->kind, CorrectionKind::kEventWrong);
  EXPECT_EQ(wrong->event_id, 17);
  EXPECT_EQ(wrong->note, "not a raid");
  auto actor = ParseCorrection(Json{{"kind", "actor"}, {"phrase", "UZBEK LABOUR MIGRANTS"}, {"code", "UZBLAB"}});
  ASSERT_TRUE(actor.ok());
  EXPECT_EQ(actor->kind, CorrectionKind::kActor);
  EXPECT_EQ(actor->phrase, "UZBEK LABOUR MIGRANTS");
  auto verb = ParseCorrection(std::string_view(R"({"kind":"verb","phrase":"ROUNDED UP","code":"173"})"));
  ASSERT_TRUE(verb.ok());
  EXPECT_EQ(verb->kind, CorrectionKind::kVerb);
  EXPECT_EQ(CorrectionKindName(verb->kind), "verb");

  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "not valid JSON"},
      {"[1]", "JSON object"},
      {R"({"phrase":"X"})", "\"kind\""},
      {R"({"kind":"noun","phrase":"X","code":"1"})", "unknown correction kind"},
      {R"({"kind":"event_wrong"})", "\"event_id\""},
      {R"({"kind":"event_wrong","event_id":"abc"})", "integer"},
      {R"({"kind":"event_wrong","event_id":-3})", "positive"},
      {R"({"kind":"actor","code":"UZB"})", "\"phrase\""},
      {R"({"kind":"verb","phrase":"HIT","code":173})", "must be a string"},
  };
  for (const auto& [body, message] : bad) {
    auto c = ParseCorrection(std::string_view(body));
    ASSERT_FALSE(c.ok()) << body;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(c.status().message().find(message), std::string::npos) << body << ": " << c.status().message();
  }
}

TEST_F(CorrectionsTest, EventMarkedWrongIsGoneSurvivesRecodeAndComesBackOnRevert) {
  const auto before = AllEvents();
  // A detention in the first article.
  auto it = std::find_if(before.begin(), before.end(), [](const EventRow& r) { return r.event.code == "173"; });
  ASSERT_NE(it, before.end());
  const EventRow wrong = *it;
  // The same sentence in a reprint gives the same wrong event there.
  const auto copies = static_cast<size_t>(std::count_if(before.begin(), before.end(), [&](const EventRow& r) {
    return r.event.sentence == wrong.event.sentence && r.event.source == wrong.event.source &&
           r.event.code == wrong.event.code && r.event.target == wrong.event.target;
  }));
  const std::int64_t seq = store_->LatestChange().value();

  auto preview = corrector_->Preview(Make(R"({"kind":"event_wrong","event_id":)" +
                                          std::to_string(wrong.event_id) + R"(,"note":"a check, not a detention"})"));
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  ASSERT_EQ(preview->removed.size(), copies);
  EXPECT_TRUE(std::any_of(preview->removed.begin(), preview->removed.end(),
                          [&](const EventRow& r) { return r.event_id == wrong.event_id; }));
  EXPECT_TRUE(preview->added.empty());
  EXPECT_FALSE(fs::exists(user_)) << "a preview writes nothing";
  EXPECT_EQ(AllEvents().size(), before.size());

  auto done = corrector_->Apply(Make(R"({"kind":"event_wrong","event_id":)" + std::to_string(wrong.event_id) +
                                     R"(,"note":"a check, not a detention"})"),
                                "alice");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->record.kind, "event_wrong");
  EXPECT_EQ(done->record.holder, "alice");
  EXPECT_EQ(done->record.events_altered, static_cast<std::int64_t>(copies));
  EXPECT_GT(done->record.id, 0);
  ASSERT_EQ(done->diff.removed.size(), copies);
  EXPECT_TRUE(store_->GetEvents({wrong.event_id})->empty());
  EXPECT_EQ(AllEvents().size(), before.size() - copies);
  // The change feed says so.
  auto changes = store_->ChangesSince(seq, 100).value();
  EXPECT_TRUE(std::any_of(changes.begin(), changes.end(), [&](const EventChange& c) {
    return c.event_id == wrong.event_id && c.kind == "deleted";
  }));
  // The user dictionary holds the suppression, keyed by the sentence.
  const std::string file = Slurp(user_);
  EXPECT_NE(file.find("== SUPPRESSED ==\n" + SentenceHash(wrong.event.sentence) + " " + wrong.event.source +
                      " 173 " + wrong.event.target),
            std::string::npos)
      << file;
  EXPECT_NE(file.find("a check, not a detention"), std::string::npos);

  // A full re-code with the same user dictionary does not bring it back.
  auto setup = LoadCodingSetup(DictDir(), {}, user_);
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  EXPECT_EQ(setup->coder_version, corrector_->coder_version());
  EXPECT_NE(setup->coder_version, base_version_);
  RecodeReport r = Recode(*store_, *setup, /*force=*/true, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(AllEvents().size(), before.size() - copies);
  EXPECT_FALSE(DocumentTriples(wrong.document_id)
                   .count({wrong.event.sentence_index, wrong.event.source, "173", wrong.event.target}));

  // Revert: back, same code and sentence (a new id: ids are never reused).
  auto reverted = corrector_->Revert(done->record.id, "bob");
  ASSERT_TRUE(reverted.ok()) << reverted.status().ToString();
  EXPECT_EQ(reverted->record.kind, "revert");
  EXPECT_EQ(reverted->record.reverts, done->record.id);
  ASSERT_EQ(reverted->diff.added.size(), copies);
  const EventRow& back = *std::find_if(reverted->diff.added.begin(), reverted->diff.added.end(),
                                       [&](const EventRow& r) { return r.document_id == wrong.document_id; });
  EXPECT_GT(back.event_id, wrong.event_id);
  EXPECT_EQ(back.document_id, wrong.document_id);
  EXPECT_EQ(back.event.code, "173");
  EXPECT_EQ(back.event.source, wrong.event.source);
  EXPECT_EQ(back.event.target, wrong.event.target);
  EXPECT_EQ(back.event.sentence, wrong.event.sentence);
  EXPECT_EQ(AllEvents().size(), before.size());
  EXPECT_EQ(Slurp(user_).find(SentenceHash(wrong.event.sentence)), std::string::npos);

  // Reverting twice is an error; so is reverting a revert or an unknown id.
  auto twice = corrector_->Revert(done->record.id, "bob");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(twice.status().message().find("already reverted"), std::string::npos);
  EXPECT_EQ(corrector_->Revert(reverted->record.id, "bob").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(corrector_->Revert(9999, "bob").status().code(), StatusCode::kNotFound);

  // The activity log: newest first, each with what it altered.
  auto log = store_->ListCorrections(10).value();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].id, reverted->record.id);
  EXPECT_EQ(log[0].reverts, done->record.id);
  EXPECT_EQ(log[0].events_altered, static_cast<std::int64_t>(copies));
  EXPECT_EQ(log[1].reverted_by, reverted->record.id);
  EXPECT_EQ(log[1].events_altered, static_cast<std::int64_t>(copies));
  EXPECT_NE(log[1].summary.find("marked wrong"), std::string::npos) << log[1].summary;
}

TEST_F(CorrectionsTest, ActorAddedThenReverted) {
  const auto triples_before = StoreTriples();
  const std::int64_t doc = DocumentWith("Sverdlovsk regional police");
  ASSERT_GT(doc, 0);
  // "The workers were detained by Sverdlovsk regional police ..." has no
  // source today: the police are not placed.
  EXPECT_FALSE(HasTriple(AllEvents(), doc, "RUSCOP", "173", "---LAB"));
  const Correction c = Make(R"({"kind":"actor","phrase":"Sverdlovsk regional police","code":"ruscop","note":"regional police of Sverdlovsk oblast"})");

  auto preview = corrector_->Preview(c);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  EXPECT_TRUE(std::find(preview->documents.begin(), preview->documents.end(), doc) != preview->documents.end());
  EXPECT_TRUE(HasTriple(preview->added, doc, "RUSCOP", "173", "---LAB"));
  for (const EventRow& r : preview->added) {
    EXPECT_EQ(r.event_id, 0);
    EXPECT_GT(r.story_id, 0);
    EXPECT_FALSE(r.url.empty());
  }
  EXPECT_TRUE(preview->removed.empty());
  EXPECT_FALSE(fs::exists(user_));
  EXPECT_EQ(StoreTriples(), triples_before);

  auto done = corrector_->Apply(c, "alice");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  // What was applied is what the preview showed, now with ids.
  ASSERT_EQ(done->diff.added.size(), preview->added.size());
  for (size_t i = 0; i < done->diff.added.size(); ++i) {
    EXPECT_GT(done->diff.added[i].event_id, 0);
    EXPECT_EQ(done->diff.added[i].event.code, preview->added[i].event.code);
  }
  EXPECT_EQ(done->record.events_altered, done->diff.events_altered());
  EXPECT_GE(done->record.events_altered, 1);
  EXPECT_TRUE(HasTriple(AllEvents(), doc, "RUSCOP", "173", "---LAB"));
  const std::string file = Slurp(user_);
  EXPECT_NE(file.find("== ACTORS ==\nSVERDLOVSK_REGIONAL_POLICE [RUSCOP]  # regional police of Sverdlovsk oblast"),
            std::string::npos)
      << file;
  // `dyad code` with the user dictionary codes the text as the store has it.
  EXPECT_EQ(CliEvents(doc, user_), StoredEvents(doc));
  // The explain coder sees the entry too.
  Document d{.id = "x", .date = "2024-06-27",
             .text = "The workers were detained by Sverdlovsk regional police on Monday.",
             .url = "", .title = "", .source = ""};
  auto coded = corrector_->coder()->CodeDocument(d);
  ASSERT_EQ(coded.size(), 1u);
  EXPECT_EQ(coded[0].source, "RUSCOP");
  EXPECT_NE(coded[0].entries[0].find(".user-dict.txt:"), std::string::npos) << coded[0].entries[0];

  auto reverted = corrector_->Revert(done->record.id, "alice");
  ASSERT_TRUE(reverted.ok()) << reverted.status().ToString();
  EXPECT_EQ(reverted->diff.removed.size(), done->diff.added.size());
  EXPECT_EQ(StoreTriples(), triples_before);
  EXPECT_EQ(Slurp(user_).find("SVERDLOVSK"), std::string::npos);
  EXPECT_EQ(corrector_->coder_version(), base_version_) << "an empty user dictionary is no user dictionary";
}

TEST_F(CorrectionsTest, VerbAddedThenReverted) {
  const auto triples_before = StoreTriples();
  // "Uzbekistan expects the Russian side to give a principled legal
  // assessment ..." (articles 007 and 008): "expect" is in no verb block.
  auto hits = store_->SearchSentences("expects principled assessment", 10).value();
  std::set<std::int64_t> docs;
  for (const auto& h : hits) docs.insert(h.document_id);
  ASSERT_EQ(docs.size(), 2u);
  const Correction c = Make(R"({"kind":"verb","phrase":"EXPECT","code":"020"})");

  auto preview = corrector_->Preview(c);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  for (std::int64_t doc : docs) EXPECT_TRUE(HasTriple(preview->added, doc, "UZB", "020", "RUS")) << doc;

  auto done = corrector_->Apply(c, "alice");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->diff.added.size(), preview->added.size());
  EXPECT_EQ(done->diff.removed.size(), preview->removed.size());
  EXPECT_EQ(done->diff.updated.size(), preview->updated.size());
  for (std::int64_t doc : docs) {
    EXPECT_TRUE(HasTriple(AllEvents(), doc, "UZB", "020", "RUS")) << doc;
    EXPECT_EQ(CliEvents(doc, user_), StoredEvents(doc)) << doc;
  }
  EXPECT_NE(Slurp(user_).find("== VERBS ==\n--- EXPECT [020] ---\nEXPECT\n"), std::string::npos) << Slurp(user_);
  EXPECT_NE(done->record.summary.find("verb EXPECT -> 020"), std::string::npos) << done->record.summary;

  ASSERT_TRUE(corrector_->Revert(done->record.id, "alice").ok());
  EXPECT_EQ(StoreTriples(), triples_before);
  EXPECT_EQ(Slurp(user_).find("EXPECT"), std::string::npos);
  auto log = store_->ListCorrections(10).value();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].kind, "verb");
  EXPECT_EQ(log[1].events_altered, done->diff.events_altered());
  EXPECT_EQ(log[0].events_altered, done->diff.events_altered());
}

TEST_F(CorrectionsTest, LaterEditsBlockTheRevertOfEarlierOnesAndHandEditsAreKept) {
  // A hand-written entry and comment survive corrections.
  {
    std::ofstream out(user_);
    out << "# my own notes\n== ACTORS ==\nTASHKENT_CITY_HALL [UZBGOV]  # by hand\n+TASHKENT_HOKIMIYAT\n";
  }
  auto first = corrector_->Apply(Make(R"({"kind":"actor","phrase":"Sverdlovsk regional police","code":"RUSCOP"})"), "a");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = corrector_->Apply(Make(R"({"kind":"actor","phrase":"SVERDLOVSK_REGIONAL_POLICE","code":"RUSGOV"})"), "b");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const std::int64_t doc = DocumentWith("Sverdlovsk regional police");
  EXPECT_TRUE(HasTriple(AllEvents(), doc, "RUSGOV", "173", "---LAB"));
  EXPECT_FALSE(HasTriple(AllEvents(), doc, "RUSCOP", "173", "---LAB"));
  std::string file = Slurp(user_);
  EXPECT_NE(file.find("# my own notes\n== ACTORS ==\nTASHKENT_CITY_HALL [UZBGOV]  # by hand\n+TASHKENT_HOKIMIYAT\n"
                      "SVERDLOVSK_REGIONAL_POLICE [RUSGOV]\n"),
            std::string::npos)
      << file;
  EXPECT_EQ(file.find("[RUSCOP]"), std::string::npos) << "one entry per phrase";

  auto blocked = corrector_->Revert(first->record.id, "a");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(blocked.status().message().find("changed after correction"), std::string::npos);
  ASSERT_TRUE(corrector_->Revert(second->record.id, "b").ok());
  EXPECT_TRUE(HasTriple(AllEvents(), doc, "RUSCOP", "173", "---LAB"));
  ASSERT_TRUE(corrector_->Revert(first->record.id, "a").ok());
  EXPECT_FALSE(HasTriple(AllEvents(), doc, "RUSCOP", "173", "---LAB"));
  file = Slurp(user_);
  EXPECT_EQ(file.find("SVERDLOVSK"), std::string::npos) << file;
  EXPECT_NE(file.find("TASHKENT_CITY_HALL [UZBGOV]  # by hand\n+TASHKENT_HOKIMIYAT"), std::string::npos) << file;
}

TEST_F(CorrectionsTest, BadInputIsInvalidArgumentWithAClearMessage) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"({"kind":"event_wrong","event_id":987654})", "no event 987654"},
      {R"({"kind":"actor","phrase":"  _ ","code":"UZB"})", "phrase is empty"},
      {R"({"kind":"actor","phrase":"[UZB] X","code":"UZB"})", "words only"},
      {R"({"kind":"actor","phrase":"UZBEK MIGRANTS","code":"uz"})", "bad actor code"},
      {R"({"kind":"actor","phrase":"UZBEK MIGRANTS","code":"UZB LAB"})", "bad actor code"},
      {R"({"kind":"actor","phrase":"UZBEK MIGRANTS","code":"U2BLAB"})", "bad actor code"},
      {R"({"kind":"verb","phrase":"ROUNDED UP","code":"999"})", "not in the CAMEO table"},
      {R"({"kind":"verb","phrase":"ROUNDED UP","code":"17a"})", "not in the CAMEO table"},
      {R"({"kind":"verb","phrase":"","code":"173"})", "phrase is empty"},
  };
  for (const auto& [body, message] : bad) {
    auto preview = corrector_->Preview(Make(body));
    ASSERT_FALSE(preview.ok()) << body;
    EXPECT_EQ(preview.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(preview.status().message().find(message), std::string::npos)
        << body << ": " << preview.status().message();
    EXPECT_FALSE(corrector_->Apply(Make(body), "x").ok()) << body;
  }
  EXPECT_FALSE(fs::exists(user_));
  EXPECT_TRUE(store_->ListCorrections(10)->empty());
}

TEST_F(CorrectionsTest, MalformedUserDictionaryIsAnErrorNamingFileAndLine) {
  {
    std::ofstream out(user_);
    out << "== ACTORS ==\nGOOD_ENTRY [UZB]\nBROKEN_ENTRY [UZB\n";
  }
  auto corrector = Corrector::Create(store_.get(), DictDir(), user_);
  ASSERT_FALSE(corrector.ok());
  EXPECT_EQ(corrector.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(corrector.status().where(), user_ + ":3") << corrector.status().ToString();
  // The running corrector reads the file again and refuses to build on it.
  auto apply = corrector_->Apply(Make(R"({"kind":"verb","phrase":"EXPECT","code":"020"})"), "x");
  ASSERT_FALSE(apply.ok());
  EXPECT_EQ(apply.status().where(), user_ + ":3");
  EXPECT_FALSE(LoadCodingSetup(DictDir(), {}, user_).ok());
  auto cli = testing::RunCli("code --user-dict '" + user_ + "'", "Russian police detained migrants.");
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_NE(cli.err.find(user_ + ":3: unclosed '['"), std::string::npos) << cli.err;

  const std::vector<std::pair<std::string, std::string>> broken = {
      {"GOOD [UZB]\n", ":1: entry before any section header"},
      {"== ACTORS ==\n== NOUNS ==\n", ":2: unknown section"},
      {"== VERBS ==\nDETAIN\n", ":2: unexpected line"},
      {"== SUPPRESSED ==\n0123456789abcdef UZB 173\n", ":2: a suppression is four fields"},
      {"== SUPPRESSED ==\nnothex UZB 173 RUS\n", ":2: bad sentence hash"},
      {"== SUPPRESSED ==\n0123456789abcdef UZB 17x RUS\n", ":2: bad event code"},
  };
  for (const auto& [text, message] : broken) {
    std::ofstream(user_, std::ios::trunc) << text;
    auto setup = LoadCodingSetup(DictDir(), {}, user_);
    ASSERT_FALSE(setup.ok()) << text;
    EXPECT_NE(setup.status().ToString().find(user_ + message), std::string::npos)
        << text << " -> " << setup.status().ToString();
  }
}

TEST_F(CorrectionsTest, FingerprintFollowsTheUserDictionary) {
  auto none = LoadCodingSetup(DictDir());
  auto missing = LoadCodingSetup(DictDir(), {}, dir_.path() + "/absent.txt");
  ASSERT_TRUE(none.ok() && missing.ok());
  EXPECT_EQ(none->coder_version, missing->coder_version);
  EXPECT_EQ(none->coder_version, base_version_);
  const std::string path = dir_.Write("user.txt", "== ACTORS ==\nSVERDLOVSK_REGIONAL_POLICE [RUSCOP]\n");
  auto one = LoadCodingSetup(DictDir(), {}, path);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_NE(one->coder_version, none->coder_version);
  dir_.Write("user.txt", "== ACTORS ==\nSVERDLOVSK_REGIONAL_POLICE [RUSGOV]\n");
  auto other = LoadCodingSetup(DictDir(), {}, path);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->coder_version, one->coder_version);
  // Same content under another name: same fingerprint.
  const std::string moved = dir_.Write("moved.txt", "== ACTORS ==\nSVERDLOVSK_REGIONAL_POLICE [RUSGOV]\n");
  EXPECT_EQ(LoadCodingSetup(DictDir(), {}, moved)->coder_version, other->coder_version);
  // `dyad recode` finds every document stale after a user edit, then none.
  RecodeReport r = Recode(*store_, *other, false, 2);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.recoded, 40);
  EXPECT_EQ(Recode(*store_, *other, false, 2).recoded, 0);
}

// The same round trip on PostgreSQL (full-text search by tsvector there).
TEST(CorrectionsPostgres, ActorAndEventWrongRoundTrip) {
  const char* url = std::getenv("DYAD_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    if (const char* req = std::getenv("DYAD_REQUIRE_POSTGRES"); req && std::string(req) == "1")
      FAIL() << "DYAD_REQUIRE_POSTGRES=1 but DYAD_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "PostgreSQL corrections test skipped: set DYAD_TEST_POSTGRES_URL";
  }
  const std::string base = url;
  const std::string schema = "dyad_corrections_" + std::to_string(getpid());
  (void)store::PostgresExecForTest(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  ASSERT_TRUE(store::PostgresExecForTest(base, "CREATE SCHEMA " + schema).ok());
  const std::string pg_url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                             "options=-csearch_path%3D" + schema;
  {
    testing::TempDir dir;
    const std::string user = dir.path() + "/user.txt";
    EXPECT_EQ(StoreUserDictionaryPath(pg_url), "");
    auto store = Store::Open(pg_url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto setup = LoadCodingSetup(DictDir(), {}, user);
    ASSERT_TRUE(setup.ok());
    IngestOptions o;
    o.threads = 2;
    ASSERT_TRUE(Ingest(**store, *setup, {testing::DataDir() + "/sample/corpus.jsonl"}, o).status.ok());
    auto all = [&] {
      std::multiset<Triple> out;
      EXPECT_TRUE((*store)->QueryEvents({}, [&](const EventRow& r) {
        out.emplace(r.event.sentence_index, r.event.source, r.event.code, r.event.target);
      }).ok());
      return out;
    };
    const auto before = all();
    auto corrector = Corrector::Create(store->get(), DictDir(), user);
    ASSERT_TRUE(corrector.ok()) << corrector.status().ToString();
    auto actor = (*corrector)->Apply(Make(R"({"kind":"actor","phrase":"Sverdlovsk regional police","code":"RUSCOP"})"), "pg");
    ASSERT_TRUE(actor.ok()) << actor.status().ToString();
    EXPECT_TRUE(HasTriple(actor->diff.added, actor->diff.added.empty() ? 0 : actor->diff.added[0].document_id,
                          "RUSCOP", "173", "---LAB"));
    std::int64_t victim = 0;
    ASSERT_TRUE((*store)->QueryEvents({}, [&](const EventRow& r) { if (!victim) victim = r.event_id; }).ok());
    auto wrong = (*corrector)->Apply(Make(R"({"kind":"event_wrong","event_id":)" + std::to_string(victim) + "}"), "pg");
    ASSERT_TRUE(wrong.ok()) << wrong.status().ToString();
    EXPECT_GE(wrong->diff.removed.size(), 1u);
    EXPECT_TRUE((*store)->GetEvents({victim})->empty());
    ASSERT_TRUE((*corrector)->Revert(wrong->record.id, "pg").ok());
    ASSERT_TRUE((*corrector)->Revert(actor->record.id, "pg").ok());
    EXPECT_EQ(all(), before);
    EXPECT_EQ((*store)->ListCorrections(10)->size(), 4u);
  }
  (void)store::PostgresExecForTest(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
}

TEST(UserDictionaryPath, FlagThenEnvironmentThenStoreDefault) {
  EXPECT_EQ(StoreUserDictionaryPath("out/dyad.db"), "out/dyad.db.user-dict.txt");
  EXPECT_EQ(StoreUserDictionaryPath("sqlite:x.db"), "x.db.user-dict.txt");
  EXPECT_EQ(StoreUserDictionaryPath("postgresql://localhost/dyad"), "");
  EXPECT_EQ(StoreUserDictionaryPath(":memory:"), "");
  testing::TempDir dir;
  const std::string file = dir.Write("u.txt", "== ACTORS ==\n");
  ::unsetenv("DYAD_USER_DICT");
  EXPECT_EQ(*Dictionary::UserDictionaryPath("", "fallback.txt"), "fallback.txt");
  EXPECT_EQ(*Dictionary::UserDictionaryPath(file, "fallback.txt"), file);
  EXPECT_EQ(Dictionary::UserDictionaryPath(dir.path() + "/nope.txt").status().code(), StatusCode::kNotFound);
  ::setenv("DYAD_USER_DICT", "env.txt", 1);
  EXPECT_EQ(*Dictionary::UserDictionaryPath("", "fallback.txt"), "env.txt");
  ::unsetenv("DYAD_USER_DICT");
}

TEST(UserDictionaryText, EditsOneEntryAndKeepsTheRest) {
  using corrections::Section;
  corrections::UserDictionaryText t(
      "# notes\n== ACTORS ==\nA_B [UZB]  # one\n+A_C\n\nD [RUS]\n== VERBS ==\n--- HIT [180] ---\nHIT\n- * HARD [182]\n\n"
      "# trailing comment\n");
  EXPECT_EQ(*t.Get(Section::kActors, "A_B"), "A_B [UZB]  # one\n+A_C");
  EXPECT_EQ(*t.Get(Section::kActors, "D"), "D [RUS]");
  EXPECT_EQ(*t.Get(Section::kVerbs, "HIT"), "--- HIT [180] ---\nHIT\n- * HARD [182]");
  EXPECT_FALSE(t.Get(Section::kSuppressed, "x"));
  t.Set(Section::kActors, "D", "D [KGZ]");
  t.Remove(Section::kActors, "A_B");
  t.Set(Section::kSuppressed, "0123456789abcdef UZB 173 RUS", "0123456789abcdef UZB 173 RUS  # wrong");
  t.Set(Section::kVerbs, "KICK", "--- KICK [182] ---\nKICK");
  EXPECT_EQ(t.text(),
            "# notes\n== ACTORS ==\n\nD [KGZ]\n== VERBS ==\n--- HIT [180] ---\nHIT\n- * HARD [182]\n"
            "--- KICK [182] ---\nKICK\n\n# trailing comment\n\n== SUPPRESSED ==\n"
            "0123456789abcdef UZB 173 RUS  # wrong\n");
  EXPECT_EQ(*t.Get(Section::kSuppressed, "0123456789ABCDEF uzb 173 rus"),
            "0123456789abcdef UZB 173 RUS  # wrong");
}

}  // namespace
}  // namespace dyad
