// The ingest pipeline end to end on a SQLite store: real files in, stored
// documents, stories and events out; idempotence, bad input, languages,
// re-coding after a dictionary change.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "dyad/ingest.h"
#include "dyad/store.h"
#include "store/sql_store.h"
#include "test_util.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;

const CodingSetup& DictSetup() {
  static const CodingSetup setup = LoadCodingSetup(testing::DataDir() + "/dict").value();
  return setup;
}

std::unique_ptr<Store> OpenStore(const testing::TempDir& dir) {
  auto s = Store::Open(dir.path() + "/dyad.db");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

IngestOptions Quiet() {
  IngestOptions o;
  o.threads = 2;
  o.batch_documents = 7;  // several transactions even for small inputs
  return o;
}

std::vector<EventRow> AllEvents(Store& store) {
  std::vector<EventRow> rows;
  EXPECT_TRUE(store.QueryEvents({}, [&](const EventRow& r) { rows.push_back(r); }).ok());
  return rows;
}

TEST(Ingest, SampleCorpusIsStoredCodedAndGroupedIntoStories) {
  testing::TempDir dir;
  auto store = OpenStore(dir);
  IngestReport r = Ingest(*store, DictSetup(), {testing::DataDir() + "/sample/corpus.jsonl"}, Quiet());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.summary.documents_read, 40);
  EXPECT_EQ(r.summary.documents_added, 40);
  EXPECT_EQ(r.stories_new, 37) << "three of the 40 articles are reposts";
  EXPECT_EQ(r.summary.status, "ok");
  auto counts = store->Counts().value();
  EXPECT_EQ(counts.documents, 40);
  EXPECT_EQ(counts.stories, 37);
  EXPECT_EQ(counts.events, r.summary.events);
  EXPECT_GT(counts.events, 60);
  EXPECT_EQ(counts.sentences, r.summary.sentences);
  // Events keep their evidence and the document's date.
  for (const EventRow& row : AllEvents(*store)) {
    EXPECT_FALSE(row.event.sentence.empty());
    EXPECT_FALSE(row.event.date.empty());
    EXPECT_EQ(row.event.code.substr(0, 2), row.event.root);
  }
  // The text is searchable.
  auto hits = store->SearchSentences("ambassador", 5).value();
  EXPECT_FALSE(hits.empty());
  for (const auto& h : hits) EXPECT_NE(h.text.find("mbassador"), std::string::npos) << h.text;
}

TEST(Ingest, SameInputTwiceAddsNothing) {
  testing::TempDir dir;
  auto store = OpenStore(dir);
  const std::string corpus = testing::DataDir() + "/sample/corpus.jsonl";
  IngestReport first = Ingest(*store, DictSetup(), {corpus}, Quiet());
  ASSERT_TRUE(first.status.ok());
  const StoreCounts before = store->Counts().value();

  IngestReport second = Ingest(*store, DictSetup(), {corpus}, Quiet());
  EXPECT_EQ(second.files_skipped, 1) << "a file read to the end is skipped unread";
  EXPECT_EQ(second.summary.documents_added, 0);

  IngestOptions reread = Quiet();
  reread.skip_done_files = false;
  IngestReport third = Ingest(*store, DictSetup(), {corpus}, reread);
  EXPECT_EQ(third.summary.documents_read, 40);
  EXPECT_EQ(third.summary.documents_added, 0);
  EXPECT_EQ(third.summary.duplicates, 40);

  const StoreCounts after = store->Counts().value();
  EXPECT_EQ(after.documents, before.documents);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.sentences, before.sentences);
  EXPECT_EQ(after.stories, before.stories);
  EXPECT_EQ(after.runs, 3);
}

TEST(Ingest, MixedFolderFillsTheStoreReportsBrokenFilesAndASecondRunAddsNothing) {
  testing::TempDir dir;
  auto store = OpenStore(dir);
  const std::string mixed = testing::TestdataDir() + "/ingest/mixed";
  IngestReport r = Ingest(*store, DictSetup(), {mixed}, Quiet());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.summary.documents_added, 18);
  std::string where;
  for (const auto& e : r.errors) where += e.where + ": " + e.message + "\n";
  EXPECT_EQ(r.errors.size(), 4u) << where;
  for (const char* broken : {"broken/empty.txt", "broken/scan.bin", "broken/truncated.jsonl:4", "migration.rss#item 3"})
    EXPECT_NE(where.find(broken), std::string::npos) << broken << " not reported in\n" << where;
  auto counts = store->Counts().value();
  EXPECT_EQ(counts.documents, 18);
  EXPECT_LT(counts.stories, 18) << "the Moscow raid and the embassy protest are carried by several sources";
  EXPECT_GT(counts.events, 20);

  IngestReport again = Ingest(*store, DictSetup(), {mixed}, Quiet());
  EXPECT_EQ(again.summary.documents_added, 0);
  EXPECT_EQ(again.errors.size(), 4u);
  auto after = store->Counts().value();
  EXPECT_EQ(after.documents, counts.documents);
  EXPECT_EQ(after.events, counts.events);
  EXPECT_EQ(after.stories, counts.stories);
}

// Records that are legal input but awkward for a database: control
// characters and a NUL in metadata, invalid UTF-8 in an id, a "document"
// of 120,000 sentences. Each is stored cleaned or refused with a message;
// the run goes on.
std::string WriteAwkwardRecords(const testing::TempDir& dir) {
  std::string many;
  for (int i = 0; i < 120000; ++i) many += "Yes! ";
  return dir.Write("awkward.jsonl",
                   R"({"id":"nul","title":"a\u0000b\u0007c","source":"Wire\tDesk","text":"Russian police detained 40 Uzbek migrants in Moscow."})" "\n"
                   "{\"id\":\"bad\xff\xfeid\",\"text\":\"Uzbekistan summoned the Russian ambassador.\"}\n"
                   R"({"id":"many","text":")" + many + "\"}\n"
                   R"({"id":"last","text":"Tajikistan protested to Russia over the raids."})" "\n");
}

TEST(Ingest, AwkwardRecordsAreCleanedOrRefusedAndTheRunGoesOn) {
  testing::TempDir dir, in;
  auto store = OpenStore(dir);
  const std::string path = WriteAwkwardRecords(in);
  IngestReport r = Ingest(*store, DictSetup(), {path}, Quiet());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.summary.documents_added, 3);
  std::string all;
  for (const auto& e : r.errors) all += e.where + ": " + e.message + "\n";
  ASSERT_EQ(r.errors.size(), 1u) << all;
  EXPECT_NE(r.errors[0].where.find("awkward.jsonl:3"), std::string::npos) << r.errors[0].where;
  EXPECT_NE(r.errors[0].message.find("sentences"), std::string::npos) << r.errors[0].message;
  auto rows = AllEvents(*store);
  ASSERT_FALSE(rows.empty());
  bool saw_clean_title = false;
  for (const auto& row : rows)
    if (row.event.doc_id == "nul") saw_clean_title = row.title == "abc" && row.outlet == "Wire Desk";
  EXPECT_TRUE(saw_clean_title);
}

TEST(Ingest, ThreadCountDoesNotChangeTheStore) {
  testing::TempDir a, b;
  auto one = OpenStore(a), two = OpenStore(b);
  IngestOptions o1 = Quiet(), o2 = Quiet();
  o1.threads = 1;
  o2.threads = 4;
  o2.batch_documents = 13;
  const std::string corpus = testing::DataDir() + "/sample/corpus.jsonl";
  ASSERT_TRUE(Ingest(*one, DictSetup(), {corpus}, o1).status.ok());
  ASSERT_TRUE(Ingest(*two, DictSetup(), {corpus}, o2).status.ok());
  auto ra = AllEvents(*one), rb = AllEvents(*two);
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].event_id, rb[i].event_id);
    EXPECT_EQ(ra[i].story_id, rb[i].story_id);
    EXPECT_EQ(ra[i].event, rb[i].event);
  }
}

TEST(Ingest, BadFilesAreReportedAndTheRestGoesIn) {
  testing::TempDir dir;
  auto store = OpenStore(dir);
  testing::TempDir in;
  in.Write("good.jsonl",
           R"({"id":"g1","date":"2025-06-12","text":"Russian police detained 40 Uzbek migrants in Moscow on Tuesday."})" "\n"
           R"({"id":"g2","date":"2025-06-13","text":"Uzbekistan's Foreign Ministry summoned the Russian ambassador on Wednesday."})" "\n");
  in.Write("truncated.jsonl",
           R"({"id":"t1","date":"2025-06-14","text":"Tajikistan protested to Russia over the raids on its workers."})" "\n"
           R"({"id":"t2","date":"2025-06-14","text":"Kyrgyzstan and Rus)");
  in.Write("empty.html", "");
  in.Write("binary.bin", std::string("\x7f" "ELF\0\0\0\x01\x02\xff\xfe", 12) + std::string(200, '\0'));
  IngestReport r = Ingest(*store, DictSetup(), {in.path(), in.path() + "/missing.txt"}, Quiet());
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.status, "failed");
  EXPECT_EQ(r.summary.documents_added, 3) << "both good records and the first truncated-file record";
  std::string where;
  for (const auto& e : r.errors) where += e.where + " | " + e.message + "\n";
  EXPECT_NE(where.find("truncated.jsonl:2"), std::string::npos) << where;
  EXPECT_NE(where.find("empty.html"), std::string::npos) << where;
  EXPECT_NE(where.find("binary.bin"), std::string::npos) << where;
  EXPECT_NE(where.find("missing.txt"), std::string::npos) << where;
  EXPECT_EQ(r.errors.size(), 4u) << where;

  // Files with errors are not marked done: a second run reports them again
  // and still adds nothing.
  IngestReport again = Ingest(*store, DictSetup(), {in.path()}, Quiet());
  EXPECT_EQ(again.summary.documents_added, 0);
  EXPECT_EQ(again.files_skipped, 1) << "only good.jsonl was clean";
  EXPECT_EQ(again.errors.size(), 3u);
}

TEST(Ingest, DocumentsInOtherLanguagesAreStoredButNotCoded) {
  testing::TempDir dir, in;
  auto store = OpenStore(dir);
  in.Write("mixed.jsonl",
           R"({"id":"de1","date":"2025-06-12","lang":"de","text":"Die russische Polizei hat in Moskau vierzig Migranten aus Usbekistan festgenommen."})" "\n"
           R"({"id":"en1","date":"2025-06-12","text":"Russian police detained 40 Uzbek migrants in Moscow on Tuesday."})" "\n");
  IngestReport r = Ingest(*store, DictSetup(), {in.path()}, Quiet());
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.summary.documents_added, 2);
  EXPECT_EQ(r.not_coded, 1);
  auto rows = AllEvents(*store);
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) EXPECT_EQ(row.event.doc_id, "en1");
  EXPECT_FALSE(store->SearchSentences("Migranten", 5).value().empty());
}
// Russian documents go to the Russian coder (tests/russian_coder_test.cc)
// when its morphology is installed; German has no coder.

TEST(Ingest, RecodeAfterADictionaryChangeReplacesEventsAtomically) {
  testing::TempDir dir, dict;
  auto store = OpenStore(dir);
  ASSERT_TRUE(Ingest(*store, DictSetup(), {testing::DataDir() + "/sample/corpus.jsonl"}, Quiet()).status.ok());
  const auto before = AllEvents(*store);

  // Same dictionaries: nothing to do.
  RecodeReport same = Recode(*store, DictSetup(), /*force=*/false);
  ASSERT_TRUE(same.status.ok()) << same.status.ToString();
  EXPECT_EQ(same.recoded, 0);
  EXPECT_EQ(same.unchanged, 40);

  // A copy of the dictionaries in which "detain" means arrest (173) no more
  // but "expel or deport" (174).
  for (const auto& entry : fs::directory_iterator(testing::DataDir() + "/dict"))
    if (entry.is_regular_file())  // data/dict/ru holds the Russian dictionaries
      fs::copy_file(entry.path(), dict.path() + "/" + entry.path().filename().string());
  int detentions_before = 0;
  for (const auto& row : before) detentions_before += row.event.code == "173";
  ASSERT_GT(detentions_before, 0);
  {
    std::ifstream in(dict.path() + "/dyad.verbs.txt");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string verbs = ss.str();
    size_t replaced = 0;
    for (size_t pos = 0; (pos = verbs.find("[173]", pos)) != std::string::npos; pos += 5, ++replaced)
      verbs.replace(pos, 5, "[174]");
    ASSERT_GT(replaced, 0u);
    std::ofstream(dict.path() + "/dyad.verbs.txt", std::ios::trunc) << verbs;
  }
  auto changed = LoadCodingSetup(dict.path());
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_NE(changed->coder_version, DictSetup().coder_version);
  RecodeReport r = Recode(*store, *changed, /*force=*/false);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.recoded, 40);
  const auto after = AllEvents(*store);
  int detentions_after = 0, deportations_after = 0, deportations_before = 0;
  for (const auto& row : after) {
    detentions_after += row.event.code == "173";
    deportations_after += row.event.code == "174";
  }
  for (const auto& row : before) deportations_before += row.event.code == "174";
  EXPECT_EQ(detentions_after, 0);
  EXPECT_GE(deportations_after, deportations_before + detentions_before / 2);
  EXPECT_EQ(store->Counts()->events, static_cast<std::int64_t>(after.size()));
  // Documents remember what coded them: a second recode has nothing to do.
  EXPECT_EQ(Recode(*store, *changed, false).recoded, 0);
}

// The same pipeline into PostgreSQL: the same documents, stories and
// events as into SQLite, and a second run adds nothing there either.
TEST(Ingest, PostgresStoreHoldsWhatSqliteHolds) {
  const char* url = std::getenv("DYAD_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    if (const char* req = std::getenv("DYAD_REQUIRE_POSTGRES"); req && std::string(req) == "1")
      FAIL() << "DYAD_REQUIRE_POSTGRES=1 but DYAD_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "PostgreSQL ingest test skipped: set DYAD_TEST_POSTGRES_URL (scripts/postgres.sh does)";
  }
  const std::string base = url;
  const std::string schema = "dyad_ingest_" + std::to_string(getpid());
  (void)store::PostgresExecForTest(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  ASSERT_TRUE(store::PostgresExecForTest(base, "CREATE SCHEMA " + schema).ok());
  const std::string pg_url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                             "options=-csearch_path%3D" + schema;
  {
    auto pg = Store::Open(pg_url);
    ASSERT_TRUE(pg.ok()) << pg.status().ToString();
    testing::TempDir dir;
    auto lite = OpenStore(dir);
    testing::TempDir awkward;
    const std::vector<std::string> inputs = {testing::DataDir() + "/sample/corpus.jsonl",
                                             testing::TestdataDir() + "/ingest/mixed",
                                             WriteAwkwardRecords(awkward)};
    IngestReport a = Ingest(**pg, DictSetup(), inputs, Quiet());
    IngestReport b = Ingest(*lite, DictSetup(), inputs, Quiet());
    ASSERT_TRUE(a.status.ok()) << a.status.ToString();
    EXPECT_EQ(a.summary.documents_added, b.summary.documents_added);
    EXPECT_EQ(a.errors.size(), b.errors.size());
    auto ca = (*pg)->Counts().value(), cb = lite->Counts().value();
    EXPECT_EQ(ca.documents, cb.documents);
    EXPECT_EQ(ca.stories, cb.stories);
    EXPECT_EQ(ca.sentences, cb.sentences);
    EXPECT_EQ(ca.events, cb.events);
    auto ra = AllEvents(**pg), rb = AllEvents(*lite);
    ASSERT_EQ(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].event_id, rb[i].event_id);
      EXPECT_EQ(ra[i].story_id, rb[i].story_id);
      EXPECT_EQ(ra[i].event.code, rb[i].event.code);
      EXPECT_EQ(ra[i].event.sentence, rb[i].event.sentence);
    }
    IngestReport again = Ingest(**pg, DictSetup(), inputs, Quiet());
    EXPECT_EQ(again.summary.documents_added, 0);
    EXPECT_EQ((*pg)->Counts()->events, ca.events);
  }
  (void)store::PostgresExecForTest(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
}

TEST(Ingest, DictionaryFingerprintFollowsContent) {
  auto a = LoadCodingSetup(testing::DataDir() + "/dict");
  auto b = LoadCodingSetup(testing::DataDir() + "/dict");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->coder_version, b->coder_version);
  CoderOptions other;
  other.require_dyad = false;
  EXPECT_NE(LoadCodingSetup(testing::DataDir() + "/dict", other)->coder_version, a->coder_version);
  EXPECT_FALSE(LoadCodingSetup("/nonexistent/dict").ok());
}

}  // namespace
}  // namespace dyad
