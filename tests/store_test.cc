// The event store, run against both back ends with the same tests.
//
// SQLite always runs (a file in a temporary directory). PostgreSQL runs when
// DYAD_TEST_POSTGRES_URL names a database the tests may create schemas in
// (scripts/postgres.sh starts one); each test gets a fresh schema. Without
// the URL the PostgreSQL tests skip, unless DYAD_REQUIRE_POSTGRES=1 (CI),
// where they fail.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dyad/store.h"
#include "store/sql_store.h"
#include "test_util.h"

namespace dyad {
namespace {

using store::SqlStore;

enum class Backend { kSqlite, kPostgres };
void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kSqlite ? "SQLite" : "PostgreSQL"); }

std::string Hash(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%032x", n);
  return buf;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A document whose text is `sentences` joined by spaces.
DocumentRecord Doc(int n, const std::vector<std::string>& sentences,
                   const std::string& date = "2025-06-12", const std::string& story_key = "") {
  DocumentRecord r;
  StoredDocument& d = r.document;
  d.content_hash = Hash(n);
  d.origin = "news.jsonl:" + std::to_string(n);
  d.format = "jsonl";
  d.external_id = "doc" + std::to_string(n);
  d.title = "Title " + std::to_string(n);
  d.url = "https://example.org/" + std::to_string(n);
  d.source = "Outlet";
  d.date = date;
  d.date_origin = "metadata";
  d.lang = "en";
  d.signature = std::string("\0\x01\xff", 3) + "sig" + std::to_string(n);   // opaque bytes
  d.story_key = story_key;
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (i > 0) d.text += ' ';
    const auto begin = static_cast<std::uint32_t>(d.text.size());
    d.text += sentences[i];
    r.sentences.push_back(
        {static_cast<std::uint32_t>(i), begin, static_cast<std::uint32_t>(d.text.size())});
  }
  return r;
}

// An event in sentence `s` of `r`, with every evidence field filled, as
// QueryEvents gives it back.
Event Ev(const DocumentRecord& r, std::uint32_t s, const std::string& source,
         const std::string& target, const std::string& code,
         const std::string& source_text = "", const std::string& target_text = "") {
  Event e;
  e.doc_id = r.document.external_id;
  e.date = r.document.date;
  e.source = source;
  e.target = target;
  e.code = code;
  e.root = code.substr(0, 2);
  e.quad_class = 4;
  e.goldstein = -5.5;
  e.has_goldstein = true;
  e.plover = "ASSAULT";
  e.sentence_index = s;
  const StoredSentence& st = r.sentences.at(s);
  e.sentence_span = {st.begin, st.end};
  e.sentence = r.document.text.substr(st.begin, st.end - st.begin);
  e.source_span = {st.begin, st.begin + 1};
  e.target_span = {st.begin + 2, st.begin + 3};
  e.verb_span = {st.begin + 1, st.begin + 2};
  e.source_text = source_text;
  e.target_text = target_text;
  e.verb_text = "detained";
  e.pattern = "--- ARREST [173] ---";
  e.pattern_origin = "dyad.verbs.txt:12";
  e.entries = {"source dyad.actors.txt:1 RUSSIA", "verb dyad.verbs.txt:12 \"DETAIN\""};
  e.issues = {"MIGRATION"};
  return e;
}

EventQuery Q(const std::string& from, const std::string& to, const std::string& actor_a,
             const std::string& actor_b, bool directed, const std::string& code_prefix,
             std::int64_t limit) {
  EventQuery q;
  q.from = from;
  q.to = to;
  q.actor_a = actor_a;
  q.actor_b = actor_b;
  q.directed = directed;
  q.code_prefix = code_prefix;
  q.limit = limit;
  return q;
}

std::vector<std::int64_t> EventIds(Store& s, const EventQuery& q) {
  std::vector<std::int64_t> ids;
  Status st = s.QueryEvents(q, [&](const EventRow& row) { ids.push_back(row.event_id); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return ids;
}

std::vector<EventRow> Rows(Store& s, const EventQuery& q = {}) {
  std::vector<EventRow> rows;
  Status st = s.QueryEvents(q, [&](const EventRow& row) { rows.push_back(row); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return rows;
}

StoreCounts CountsOf(Store& s) {
  auto c = s.Counts();
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : StoreCounts{};
}

std::string CountsString(const StoreCounts& c) {
  return std::to_string(c.documents) + "/" + std::to_string(c.sentences) + "/" +
         std::to_string(c.stories) + "/" + std::to_string(c.events) + "/" +
         std::to_string(c.actors) + "/" + std::to_string(c.runs);
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      url_ = tmp_.path() + "/dyad.db";
      return;
    }
    const char* base = std::getenv("DYAD_TEST_POSTGRES_URL");
    if (base == nullptr || *base == '\0') {
      const char* require = std::getenv("DYAD_REQUIRE_POSTGRES");
      if (require != nullptr && std::string(require) == "1") {
        FAIL() << "DYAD_REQUIRE_POSTGRES=1 but DYAD_TEST_POSTGRES_URL is not set";
      }
      GTEST_SKIP() << "PostgreSQL store tests skipped: set DYAD_TEST_POSTGRES_URL="
                      "postgresql://USER:PASSWORD@HOST:PORT/DB to run them (scripts/postgres.sh "
                      "starts a local server; scripts/test does this)";
    }
    base_url_ = base;
    url_ = NewSchemaUrl();
  }

  void TearDown() override {
    for (const std::string& schema : schemas_) {
      Status s = store::PostgresExecForTest(base_url_, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }

  bool sqlite() const { return GetParam() == Backend::kSqlite; }

  // PostgreSQL: a fresh schema, selected through the URL's search_path.
  std::string NewSchemaUrl() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    const std::string schema = "dyad_test_" + std::to_string(getpid()) + "_" +
                               std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
    Status s = store::PostgresExecForTest(base_url_, "CREATE SCHEMA " + schema);
    EXPECT_TRUE(s.ok()) << s.ToString();
    schemas_.push_back(schema);
    return base_url_ + (base_url_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema;
  }

  // A second, empty store of the same back end.
  std::string OtherUrl() { return sqlite() ? tmp_.path() + "/other.db" : NewSchemaUrl(); }

  std::unique_ptr<Store> Open(const std::string& url = "") {
    auto s = Store::Open(url.empty() ? url_ : url);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  std::unique_ptr<SqlStore> OpenSql(int target_version = -1) {
    auto s = store::OpenSqlStore(url_, {.target_version = target_version});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  static std::vector<std::vector<std::string>> Query(Store& s, const std::string& sql,
                                                     int columns) {
    auto rows = dynamic_cast<SqlStore&>(s).TEST_Query(sql, columns);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
  }

  static std::int64_t Add(Store& s, std::vector<DocumentRecord>* records, std::int64_t run = 0) {
    auto added = s.AddDocuments(run, records);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : -1;
  }

  testing::TempDir tmp_;
  std::string base_url_;
  std::string url_;
  std::vector<std::string> schemas_;
};

TEST_P(StoreTest, CreatesSchemaAndReopens) {
  {
    auto s = Open();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->backend(), sqlite() ? "sqlite" : "postgresql");
    auto v = s->SchemaVersion();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, store::LatestSchemaVersion());
    std::vector<DocumentRecord> batch = {Doc(1, {"Russian police detained migrants."})};
    EXPECT_EQ(Add(*s, &batch), 1);
  }
  auto s = Open();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(*s->SchemaVersion(), store::LatestSchemaVersion());
  EXPECT_EQ(CountsString(CountsOf(*s)), "1/1/1/0/0/0");
  // Reopening at the current version applied nothing again.
  auto rows = Query(*s, "SELECT count(*) FROM schema_migrations", 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], std::to_string(store::LatestSchemaVersion()));
}

TEST_P(StoreTest, MigratesVersion1StoreWithItsData) {
  const std::string text = "Russian police detained Uzbek migrants.";
  {
    auto s = OpenSql(1);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(*s->SchemaVersion(), 1);
    const std::string blob = sqlite() ? "X'0102'" : "'\\x0102'::bytea";
    Status st = s->TEST_ExecScript(
        "INSERT INTO runs(id, started_at, command) VALUES (1, '2025-06-12T08:30:00Z', 'ingest');"
        "INSERT INTO stories(id, key, first_date, run_id) VALUES (1, '" + Hash(1) +
        "', '2025-06-12', 1);"
        "INSERT INTO documents(id, content_hash, external_id, date, text, signature, story_id, "
        "run_id, ingested_at) VALUES (1, '" + Hash(1) + "', 'd1', '2025-06-12', '" + text +
        "', " + blob + ", 1, 1, '2025-06-12T08:30:00Z');"
        "INSERT INTO sentences(document_id, idx, \"begin\", \"end\", text) VALUES (1, 0, 0, 39, '" +
        text + "');"
        "INSERT INTO events(id, document_id, sentence_idx, date, source, target, code, root, "
        "quad_class, goldstein, sentence_begin, sentence_end, source_begin, source_end, "
        "target_begin, target_end, verb_begin, verb_end, source_text, target_text, entries, "
        "issues, run_id) VALUES (1, 1, 0, '2025-06-12', 'RUSCOP', 'UZBLAB', '173', '17', 4, -5, "
        "0, 39, 0, 14, 24, 38, 15, 23, 'Russian police', 'Uzbek migrants', '[]', '[]', 1);"
        "INSERT INTO actors(code, name, first_run) VALUES ('RUSCOP', 'Russian police', 1);");
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto s = Open();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(*s->SchemaVersion(), store::LatestSchemaVersion());
  EXPECT_EQ(CountsString(CountsOf(*s)), "1/1/1/1/1/1");
  // The full-text index added by version 2 covers the old sentences.
  auto hits = s->SearchSentences("detained", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].text, text);
  auto rows = Rows(*s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event.sentence, text);
  EXPECT_EQ(rows[0].event.doc_id, "d1");
  EXPECT_EQ(rows[0].actor1_name, "Russian police");
  EXPECT_EQ(rows[0].date_added, "20250612083000");
  std::string signature;
  ASSERT_TRUE(s->ForEachSignature([&](const std::string& sig, const std::string&,
                                      const std::string&) { signature = sig; }).ok());
  EXPECT_EQ(signature, "\x01\x02");
  // New rows continue after the old ones.
  std::vector<DocumentRecord> batch = {Doc(2, {"More news."})};
  EXPECT_EQ(Add(*s, &batch), 1);
  EXPECT_EQ(batch[0].document.id, 2);
}

TEST_P(StoreTest, RefusesNewerSchemaAndLeavesItAlone) {
  {
    auto s = OpenSql();
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->TEST_ExecScript("INSERT INTO schema_migrations(version, applied_at) "
                                   "VALUES (99, '2030-01-01T00:00:00Z')").ok());
  }
  const std::string before = sqlite() ? ReadFile(url_) : "";
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto s = Store::Open(url_);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("schema version 99, newer than this dyad knows"),
              std::string::npos)
        << s.status().ToString();
  }
  if (sqlite()) {
    EXPECT_EQ(ReadFile(url_), before);
  }
}

TEST_P(StoreTest, RefusesADatabaseThatIsNotAStore) {
  if (sqlite()) {
    const std::string text_file = tmp_.Write("notes.db", "not a database\n");
    auto s = Store::Open(text_file);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("not a dyad store"), std::string::npos)
        << s.status().ToString();
    EXPECT_EQ(ReadFile(text_file), "not a database\n");
    // Someone else's SQLite database.
    const std::string foreign = tmp_.path() + "/foreign.db";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(foreign.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE mine(x)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    const std::string before = ReadFile(foreign);
    s = Store::Open("sqlite:" + foreign);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("not a dyad store"), std::string::npos);
    EXPECT_EQ(ReadFile(foreign), before);
  } else {
    ASSERT_TRUE(store::PostgresExecForTest(url_, "CREATE TABLE documents(x int)").ok());
    auto s = Store::Open(url_);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("not a dyad store"), std::string::npos)
        << s.status().ToString();
  }
}

TEST(StoreOpenTest, ErrorsNameTheStore) {
  testing::TempDir tmp;
  const std::string missing = tmp.path() + "/no/such/dir/dyad.db";
  auto s = Store::Open(missing);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("does not exist"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() + "/no"));

  s = Store::Open("mysql://user:secret@host/db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find("secret"), std::string::npos) << s.status().ToString();

  // Nothing listens on port 1: the error names the URL, password masked.
  s = Store::Open("postgresql://dyad:hunter2@127.0.0.1:1/dyad?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  const std::string msg = s.status().message();
  EXPECT_NE(msg.find("postgresql://dyad:***@127.0.0.1:1/dyad"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
  EXPECT_EQ(store::MaskPassword("postgres://h/db?user=u&password=pw&x=1"),
            "postgres://h/db?user=u&password=***&x=1");
}

TEST_P(StoreTest, AddSkipsDuplicatesInBatchAndLater) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  std::vector<DocumentRecord> batch = {Doc(1, {"One."}), Doc(2, {"Two."}), Doc(1, {"One."})};
  EXPECT_EQ(Add(*s, &batch), 2);
  EXPECT_EQ(batch[0].document.id, 1);
  EXPECT_EQ(batch[1].document.id, 2);
  EXPECT_EQ(batch[2].document.id, 0);
  std::vector<DocumentRecord> later = {Doc(2, {"Two."}), Doc(3, {"Three."})};
  EXPECT_EQ(Add(*s, &later), 1);
  EXPECT_EQ(later[0].document.id, 0);
  EXPECT_EQ(later[1].document.id, 3);
  EXPECT_EQ(CountsString(CountsOf(*s)), "3/3/3/0/0/0");
  auto has = s->HasDocuments({Hash(3), Hash(4), Hash(1)});
  ASSERT_TRUE(has.ok());
  EXPECT_EQ(*has, (std::vector<bool>{true, false, true}));
  std::vector<DocumentRecord> empty;
  EXPECT_EQ(Add(*s, &empty), 0);
}

TEST_P(StoreTest, StoriesAreCreatedOnceAndShared) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  // Doc 1 starts a story named by its hash; doc 2 joins it in the same
  // batch; doc 3 starts its own; "K" is created once for docs 4 and 5.
  std::vector<DocumentRecord> batch = {
      Doc(1, {"A."}, "2025-06-10"), Doc(2, {"B."}, "2025-06-11", Hash(1)),
      Doc(3, {"C."}, "2025-06-12"), Doc(4, {"D."}, "2025-06-13", "K"),
      Doc(5, {"E."}, "2025-06-14", "K")};
  EXPECT_EQ(Add(*s, &batch), 5);
  std::vector<DocumentRecord> later = {Doc(6, {"F."}, "2025-06-20", Hash(1))};
  EXPECT_EQ(Add(*s, &later), 1);
  EXPECT_EQ(CountsOf(*s).stories, 3);
  std::vector<std::string> seen;
  ASSERT_TRUE(s->ForEachSignature([&](const std::string& sig, const std::string& key,
                                      const std::string& date) {
                 seen.push_back(sig + "|" + key + "|" + date);
               }).ok());
  const std::string p("\0\x01\xff", 3);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      p + "sig1|" + Hash(1) + "|2025-06-10", p + "sig2|" + Hash(1) + "|2025-06-11",
                      p + "sig3|" + Hash(3) + "|2025-06-12", p + "sig4|K|2025-06-13",
                      p + "sig5|K|2025-06-14", p + "sig6|" + Hash(1) + "|2025-06-20"}));
  auto stories = Query(*s, "SELECT id, key, first_date FROM stories ORDER BY id", 3);
  ASSERT_EQ(stories.size(), 3u);
  EXPECT_EQ(stories[0], (std::vector<std::string>{"1", Hash(1), "2025-06-10"}));
  EXPECT_EQ(stories[1], (std::vector<std::string>{"2", Hash(3), "2025-06-12"}));
  EXPECT_EQ(stories[2], (std::vector<std::string>{"3", "K", "2025-06-13"}));
  auto docs = Query(*s, "SELECT id, story_id FROM documents ORDER BY id", 2);
  ASSERT_EQ(docs.size(), 6u);
  EXPECT_EQ(docs[1][1], "1");
  EXPECT_EQ(docs[5][1], "1");
}

TEST_P(StoreTest, SentencesAreStoredAndSearchable) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  std::vector<DocumentRecord> batch = {
      Doc(1, {"Russian police detained forty Uzbek migrants in Moscow.",
              "The ministry said migrants migrants migrants were released.",
              "Tashkent keeps the matter under constant control."}),
      Doc(2, {"Élections in Tashkent."})};
  EXPECT_EQ(Add(*s, &batch), 2);
  auto texts = Query(*s, "SELECT text FROM sentences ORDER BY document_id, idx", 1);
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_EQ(texts[1][0], "The ministry said migrants migrants migrants were released.");

  auto hits = s->SearchSentences("migrants", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].index, 1u);   // three mentions beat one
  EXPECT_EQ((*hits)[1].index, 0u);
  EXPECT_EQ((*hits)[0].document_id, 1);
  hits = s->SearchSentences("MIGRANTS moscow", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].index, 0u);
  hits = s->SearchSentences("tashkent", 1);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);

  // User input is never FTS syntax: none of these is an error.
  const std::vector<std::string> nasty = {
      "\"unbalanced", "AND(", "NEAR(migrants", "*", "migrants OR", "text:migrants",
      "'; DROP TABLE sentences; --", "^migrants", "", "   ", "«»", "-migrants", "(", ")",
      "migrants AND", "OR", "NOT migrants", "{text}: x", "mi*", "\"\"\"", "\\", "%_",
      std::string("mig\0rants", 9), "\xff\xfe"};
  for (const std::string& q : nasty) {
    auto r = s->SearchSentences(q, 10);
    EXPECT_TRUE(r.ok()) << "query [" << q << "]: " << r.status().ToString();
  }
  for (const std::string q : {"\"migrants\"", "migrants\"", "(migrants)", "-migrants"}) {
    auto r = s->SearchSentences(q, 10);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->size(), 2u) << q;
  }
  EXPECT_EQ(CountsOf(*s).sentences, 4);

  // Deleting a document (its sentences cascade) keeps the index right.
  ASSERT_TRUE(dynamic_cast<SqlStore&>(*s).TEST_ExecScript("DELETE FROM documents WHERE id = 1").ok());
  hits = s->SearchSentences("migrants", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_TRUE(hits->empty());
  hits = s->SearchSentences("tashkent", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].document_id, 2);
}

TEST_P(StoreTest, ActorNamesFirstSeenWin) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  DocumentRecord d1 = Doc(1, {"x y z w."});
  d1.events = {Ev(d1, 0, "RUSCOP", "TJKLAB", "173", "Russian police", ""),
               Ev(d1, 0, "RUSCOP", "TJKLAB", "172", "Moscow police", "Tajik workers")};
  std::vector<DocumentRecord> batch = {d1};
  EXPECT_EQ(Add(*s, &batch), 1);
  DocumentRecord d2 = Doc(2, {"a b c d."});
  d2.events = {Ev(d2, 0, "RUSCOP", "TJKLAB", "173", "Police", "Migrants")};
  batch = {d2};
  EXPECT_EQ(Add(*s, &batch), 1);
  EXPECT_EQ(CountsOf(*s).actors, 2);
  for (const EventRow& row : Rows(*s)) {
    EXPECT_EQ(row.actor1_name, "Russian police");
    EXPECT_EQ(row.actor2_name, "Tajik workers");   // the first non-empty name
  }
}

TEST_P(StoreTest, FileMarksMatchPathSizeAndMtime) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto run = s->BeginRun("ingest", "v1");
  ASSERT_TRUE(run.ok());
  const FileMark mark{"/data/a.jsonl", 100, 1700000000123456789, 5};
  EXPECT_FALSE(*s->IsFileDone(mark));
  ASSERT_TRUE(s->MarkFilesDone(*run, {mark}).ok());
  EXPECT_TRUE(*s->IsFileDone(mark));
  EXPECT_FALSE(*s->IsFileDone({"/data/a.jsonl", 101, mark.mtime_ns, 5}));
  EXPECT_FALSE(*s->IsFileDone({"/data/a.jsonl", 100, mark.mtime_ns + 1, 5}));
  EXPECT_FALSE(*s->IsFileDone({"/data/b.jsonl", 100, mark.mtime_ns, 5}));
  // Marking again replaces the old mark.
  const FileMark grown{"/data/a.jsonl", 200, mark.mtime_ns + 10, 9};
  ASSERT_TRUE(s->MarkFilesDone(*run, {grown}).ok());
  EXPECT_TRUE(*s->IsFileDone(grown));
  EXPECT_FALSE(*s->IsFileDone(mark));
  auto files = Query(*s, "SELECT path, size, documents, run_id FROM files", 4);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], (std::vector<std::string>{"/data/a.jsonl", "200", "9", "1"}));
  ASSERT_TRUE(s->MarkFilesDone(0, {{"/data/c.txt", 1, 2, 0}}).ok());   // no run
}

TEST_P(StoreTest, EventsRoundTripWithTheirDocument) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto run = s->BeginRun("ingest", "dyad-1");
  ASSERT_TRUE(run.ok());
  DocumentRecord d = Doc(1, {"Intro here.", "Russian police detained Uzbek migrants."});
  Event full = Ev(d, 1, "RUSCOP", "UZBLAB", "173", "Russian police", "Uzbek migrants");
  Event bare = Ev(d, 0, "UZBGOV", "RUSGOV", "111");
  bare.has_goldstein = false;
  bare.goldstein = 0;
  bare.quad_class = 0;
  bare.entries.clear();
  bare.issues.clear();
  bare.modality = "intent";
  bare.plover = "";
  // A sentence span that is not a stored sentence is cut from the text.
  Event odd = Ev(d, 1, "RUSCOP", "UZBLAB", "1721");
  odd.sentence_span = {0, 5};
  odd.sentence = "Intro";
  d.events = {full, bare, odd};
  std::vector<DocumentRecord> batch = {d};
  EXPECT_EQ(Add(*s, &batch, *run), 1);
  auto rows = Rows(*s);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].event, full);
  EXPECT_EQ(rows[1].event, bare);
  EXPECT_EQ(rows[2].event, odd);
  EXPECT_EQ(rows[0].event_id, 1);
  EXPECT_EQ(rows[0].document_id, 1);
  EXPECT_EQ(rows[0].story_id, 1);
  EXPECT_EQ(rows[0].url, "https://example.org/1");
  EXPECT_EQ(rows[0].outlet, "Outlet");
  EXPECT_EQ(rows[0].title, "Title 1");
  EXPECT_EQ(rows[0].date_added.size(), 14u);
  EXPECT_EQ(rows[0].date_added.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(rows[0].actor1_name, "Russian police");
  EXPECT_EQ(rows[1].actor1_name, "");
  auto goldstein = Query(*s, "SELECT goldstein FROM events ORDER BY id", 1);
  ASSERT_EQ(goldstein.size(), 3u);
  EXPECT_EQ(goldstein[1][0], "");   // NULL when unknown
  // Without external id, an event names its document by origin.
  DocumentRecord d2 = Doc(2, {"p q r s."});
  d2.document.external_id = "";
  d2.events = {Ev(d2, 0, "RUSGOV", "UZBGOV", "040")};
  batch = {d2};
  EXPECT_EQ(Add(*s, &batch, *run), 1);
  rows = Rows(*s);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[3].event.doc_id, "news.jsonl:2");
}

TEST_P(StoreTest, ReplaceEventsSwapsAtomically) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  DocumentRecord d1 = Doc(1, {"a b c d."});
  d1.events = {Ev(d1, 0, "RUSCOP", "UZBLAB", "173"), Ev(d1, 0, "UZBGOV", "RUSGOV", "111")};
  DocumentRecord d2 = Doc(2, {"e f g h."});
  d2.events = {Ev(d2, 0, "KAZGOV", "RUSGOV", "040")};
  std::vector<DocumentRecord> batch = {d1, d2};
  EXPECT_EQ(Add(*s, &batch), 2);

  Event replacement = Ev(d1, 0, "UZBGOV", "RUSGOV", "112", "Tashkent", "Moscow");
  ASSERT_TRUE(s->ReplaceEvents(1, {replacement}, "v2").ok());
  auto rows = Rows(*s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].document_id, 1);
  EXPECT_EQ(rows[0].event, replacement);
  EXPECT_EQ(rows[0].event_id, 4);
  EXPECT_EQ(rows[1].event, d2.events[0]);
  EXPECT_EQ(CountsOf(*s).events, 2);

  // A failure half-way (quad_class out of range) keeps the old events and version.
  Event bad = replacement;
  bad.quad_class = 9;
  Status st = s->ReplaceEvents(1, {Ev(d1, 0, "AAA", "BBB", "010", "New"), bad}, "v3");
  EXPECT_FALSE(st.ok());
  rows = Rows(*s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].event, replacement);
  EXPECT_EQ(CountsOf(*s).actors, 5);   // AAA was rolled back with the rest
  EXPECT_EQ(s->ReplaceEvents(42, {}, "v3").code(), StatusCode::kNotFound);

  // The recoder's pattern: replace while walking the documents.
  std::vector<std::pair<std::int64_t, std::string>> versions;
  ASSERT_TRUE(s->ForEachDocument([&](const RecodeItem& item) {
                 versions.emplace_back(item.document_id, item.coder_version);
                 EXPECT_TRUE(s->ReplaceEvents(item.document_id, {}, "v4").ok());
               }).ok());
  EXPECT_EQ(versions, (std::vector<std::pair<std::int64_t, std::string>>{{1, "v2"}, {2, ""}}));
  EXPECT_EQ(CountsOf(*s).events, 0);
  std::vector<RecodeItem> items;
  ASSERT_TRUE(s->ForEachDocument([&](const RecodeItem& item) { items.push_back(item); }).ok());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].coder_version, "v4");
  EXPECT_EQ(items[1].external_id, "doc2");
  EXPECT_EQ(items[1].text, "e f g h.");
  EXPECT_EQ(items[1].url, "https://example.org/2");
  EXPECT_EQ(items[1].lang, "en");

  // Every event is gone now, ids up to 4 were issued (and may have been
  // exported as GlobalEventIDs): new events must not get any of them.
  DocumentRecord d3 = Doc(3, {"i j k l."});
  d3.events = {Ev(d3, 0, "TJKGOV", "RUSGOV", "042")};
  std::vector<DocumentRecord> more = {d3};
  EXPECT_EQ(Add(*s, &more), 1);
  ASSERT_TRUE(s->ReplaceEvents(1, {replacement}, "v5").ok());
  rows = Rows(*s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].event_id, 6) << "re-coded document 1";
  EXPECT_EQ(rows[1].event_id, 5) << "document 3, added after every event was deleted";
}

// Re-coding keeps the id of an event the same sentence still gives, updates
// its evidence in place, and the change feed records exactly what changed.
TEST_P(StoreTest, ReplaceEventsKeepsIdsAndFeedsChanges) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  DocumentRecord d1 = Doc(1, {"a b c d.", "e f g h."});
  d1.events = {Ev(d1, 0, "RUSCOP", "UZBLAB", "173"), Ev(d1, 1, "UZBGOV", "RUSGOV", "111")};
  std::vector<DocumentRecord> batch = {d1};
  EXPECT_EQ(Add(*s, &batch), 1);
  auto feed = s->ChangesSince(0, 100);
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  ASSERT_EQ(feed->size(), 2u);
  EXPECT_EQ((*feed)[0].kind, "added");
  EXPECT_EQ((*feed)[0].event_id, 1);
  EXPECT_EQ((*feed)[1].event_id, 2);
  EXPECT_EQ((*feed)[1].document_id, 1);
  const std::int64_t cursor = (*feed)[1].seq;
  EXPECT_EQ(*s->LatestChange(), cursor);

  // Same first event with a new pattern (updated), second gone (deleted), a new one (added).
  Event same = d1.events[0];
  same.pattern = "new pattern";
  Event fresh = Ev(d1, 1, "UZBGOV", "RUSGOV", "112");
  ASSERT_TRUE(s->ReplaceEvents(1, {same, fresh}, "v2").ok());
  auto rows = s->GetEvents({3, 1, 99});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);   // 99 does not exist; order as asked
  EXPECT_EQ((*rows)[0].event_id, 3);
  EXPECT_EQ((*rows)[0].event.code, "112");
  EXPECT_EQ((*rows)[1].event_id, 1);
  EXPECT_EQ((*rows)[1].event.pattern, "new pattern");
  EXPECT_EQ((*rows)[1].event.sentence, "a b c d.");
  feed = s->ChangesSince(cursor, 100);
  ASSERT_TRUE(feed.ok());
  std::vector<std::string> kinds;
  for (const EventChange& c : *feed) kinds.push_back(c.kind + ":" + std::to_string(c.event_id));
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"added:3", "deleted:2", "updated:1"}));

  // Re-coding to the same events changes nothing at all.
  const std::int64_t before = *s->LatestChange();
  ASSERT_TRUE(s->ReplaceEvents(1, {same, fresh}, "v3").ok());
  EXPECT_EQ(*s->LatestChange(), before);

  // The monitor's facts.
  std::vector<EventFact> facts;
  ASSERT_TRUE(s->ForEachEventFact([&](const EventFact& f) { facts.push_back(f); }).ok());
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0].event_id, 1);
  EXPECT_EQ(facts[0].source, "RUSCOP");
  EXPECT_EQ(facts[0].story_id, (*rows)[1].story_id);
  EXPECT_EQ(facts[1].code, "112");
  auto some = s->GetEventFacts({3});
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].target, "RUSGOV");
  std::vector<DocumentFact> docs;
  ASSERT_TRUE(s->ForEachDocumentFact([&](const DocumentFact& f) { docs.push_back(f); }).ok());
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].outlet, d1.document.source);
  auto ids = s->EventIdsForSentences({{1, 1}});
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{3}));

  auto view = s->GetDocument(1);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->document.text, d1.document.text);
  ASSERT_EQ(view->sentence_texts.size(), 2u);
  EXPECT_EQ(view->sentence_texts[1], "e f g h.");
  EXPECT_EQ(s->GetDocument(7).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*s->StoryDocuments(view->document.story_id), (std::vector<std::int64_t>{1}));
}

TEST_P(StoreTest, CorrectionsLogAndReverts) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  CorrectionRecord c;
  c.holder = "analyst";
  c.kind = "actor";
  c.payload = R"({"phrase":"X","code":"UZB"})";
  c.summary = "actor X -> UZB";
  c.events_altered = 3;
  ASSERT_TRUE(s->AddCorrection(&c).ok());
  EXPECT_EQ(c.id, 1);
  EXPECT_FALSE(c.at.empty());
  CorrectionRecord r;
  r.kind = "revert";
  r.payload = "{}";
  r.reverts = c.id;
  ASSERT_TRUE(s->AddCorrection(&r).ok());
  auto log = s->ListCorrections(10);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].id, 2);   // newest first
  EXPECT_EQ((*log)[0].reverts, 1);
  EXPECT_EQ((*log)[1].reverted_by, 2);
  EXPECT_EQ((*log)[1].events_altered, 3);
  EXPECT_EQ((*log)[1].payload, c.payload);
  EXPECT_EQ(s->GetCorrection(5).status().code(), StatusCode::kNotFound);
}

// dyad watch's state: per-source polling state survives reopening, an alert
// key is raised once, deliveries are kept per notifier.
TEST_P(StoreTest, WatchStateAlertsAndNotifications) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  SourceState src;
  src.name = "fergana-rss";
  src.url = "https://example.org/rss";
  src.etag = "\"abc\"";
  src.failures = 2;
  src.items_fetched = 40;
  src.last_error = "HTTP 500";
  ASSERT_TRUE(s->SaveSourceState(src).ok());
  src.failures = 0;
  src.last_error = "";
  src.items_fetched = 45;
  ASSERT_TRUE(s->SaveSourceState(src).ok());   // replaces
  auto states = s->SourceStates();
  ASSERT_TRUE(states.ok()) << states.status().ToString();
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].etag, "\"abc\"");
  EXPECT_EQ((*states)[0].items_fetched, 45);
  EXPECT_EQ((*states)[0].failures, 0);

  DocumentRecord d = Doc(1, {"a b c d."});
  std::vector<DocumentRecord> batch = {d};
  EXPECT_EQ(Add(*s, &batch), 1);
  EXPECT_TRUE(*s->HasDocumentUrl(d.document.url));
  EXPECT_FALSE(*s->HasDocumentUrl("https://example.org/never"));
  EXPECT_FALSE(*s->HasDocumentUrl(""));

  AlertRecord a;
  a.key = "spike:RUS-UZB:2025-01-13";
  a.rule = "spike";
  a.title = "RUS-UZB conflict stories up";
  a.payload = R"({"stories":7})";
  auto added = s->AddAlert(&a);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(*added);
  const std::int64_t id = a.id;
  EXPECT_GT(id, 0);
  AlertRecord again = a;
  again.id = 0;
  EXPECT_FALSE(*s->AddAlert(&again));
  EXPECT_EQ(again.id, id);
  ASSERT_EQ(s->ListAlerts(10)->size(), 1u);
  auto found = s->FindAlert(a.key);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, id);
  EXPECT_EQ((*found)->payload, a.payload);
  EXPECT_FALSE(s->FindAlert("spike:RUS-UZB:2025-01-20")->has_value());
  auto by_id = s->GetAlert(id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->key, a.key);
  EXPECT_FALSE(s->GetAlert(id + 1)->has_value());

  NotificationState n{id, "webhook", "retrying", 1, "HTTP 500", "2025-01-13T10:00:00Z", ""};
  ASSERT_TRUE(s->SaveNotification(n).ok());
  ASSERT_TRUE(s->SaveNotification({id, "atom", "sent", 1, "", "", "2025-01-13T09:00:00Z"}).ok());
  EXPECT_EQ(s->Notifications("retrying", 10)->size(), 1u);
  n.state = "sent";
  n.attempts = 2;
  ASSERT_TRUE(s->SaveNotification(n).ok());
  EXPECT_TRUE(s->Notifications("retrying", 10)->empty());
  auto all = s->Notifications("", 10);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].notifier, "webhook");
  EXPECT_EQ((*all)[1].attempts, 2);
  // An unknown alert id is refused (foreign key).
  EXPECT_FALSE(s->SaveNotification({id + 100, "webhook", "sent", 1, "", "", ""}).ok());

  // Saved rules: unique names, listed oldest first, deleted by id.
  SavedRule r1{0, "uzb-detentions", R"({"kind":"codes"})", "analyst", ""};
  ASSERT_TRUE(s->AddSavedRule(&r1).ok());
  EXPECT_GT(r1.id, 0);
  EXPECT_FALSE(r1.created_at.empty());
  SavedRule clash{0, "uzb-detentions", "{}", "", ""};
  Status st = s->AddSavedRule(&clash);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("uzb-detentions"), std::string::npos);
  SavedRule r2{0, "tjk-spike", R"({"kind":"spike"})", "", ""};
  ASSERT_TRUE(s->AddSavedRule(&r2).ok());
  auto rules = s->SavedRules();
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].name, "uzb-detentions");
  EXPECT_EQ((*rules)[0].spec, R"({"kind":"codes"})");
  EXPECT_EQ((*rules)[0].holder, "analyst");
  EXPECT_TRUE(*s->DeleteSavedRule(r1.id));
  EXPECT_FALSE(*s->DeleteSavedRule(r1.id));
  EXPECT_EQ(s->SavedRules()->size(), 1u);
}

class QueryTest : public StoreTest {
 protected:
  // Story 1: docs 1 and 3; story 2: doc 2. Event ids 1..5 as numbered.
  void Fill(Store& s) {
    DocumentRecord d1 = Doc(1, {"a b c d."}, "2025-06-10");
    d1.events = {Ev(d1, 0, "RUSCOP", "UZBLAB", "173"),     // 1
                 Ev(d1, 0, "UZBGOV", "RUSGOV", "111")};    // 2
    DocumentRecord d2 = Doc(2, {"e f g h."}, "2025-06-12");
    d2.events = {Ev(d2, 0, "UZBGOV", "RUSGOV", "043"),     // 3
                 Ev(d2, 0, "KAZGOV", "RUSGOV", "040")};    // 4
    DocumentRecord d3 = Doc(3, {"i j k l."}, "2025-06-15", Hash(1));
    d3.events = {Ev(d3, 0, "RUSGOV", "UZBGOV", "172")};    // 5
    std::vector<DocumentRecord> batch = {d1, d2, d3};
    ASSERT_EQ(Add(s, &batch), 3);
  }
};

TEST_P(QueryTest, FiltersAndOrder) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  Fill(*s);
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(EventIds(*s, {}), (V{1, 2, 5, 3, 4}));   // story, then event id
  EXPECT_EQ(EventIds(*s, Q("2025-06-12", "", "", "", false, "", -1)), (V{5, 3, 4}));
  EXPECT_EQ(EventIds(*s, Q("", "2025-06-12", "", "", false, "", -1)), (V{1, 2, 3, 4}));
  EXPECT_EQ(EventIds(*s, Q("2025-06-12", "2025-06-12", "", "", false, "", -1)), (V{3, 4}));
  EXPECT_EQ(EventIds(*s, Q("", "", "UZB", "RUS", false, "", -1)), (V{1, 2, 5, 3}));
  EXPECT_EQ(EventIds(*s, Q("", "", "uzb", "rus", true, "", -1)), (V{2, 3}));
  EXPECT_EQ(EventIds(*s, Q("", "", "RUS", "UZB", true, "", -1)), (V{1, 5}));
  EXPECT_EQ(EventIds(*s, Q("", "", "RUS", "", false, "", -1)), (V{1, 2, 5, 3, 4}));
  EXPECT_EQ(EventIds(*s, Q("", "", "RUS", "", true, "", -1)), (V{1, 5}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "RUS", true, "", -1)), (V{2, 3, 4}));
  EXPECT_EQ(EventIds(*s, Q("", "", "RUSCOP", "UZB", false, "", -1)), (V{1}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "17", -1)), (V{1, 5}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "1", -1)), (V{1, 2, 5}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "04", -1)), (V{3, 4}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "043", -1)), (V{3}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "", 2)), (V{1, 2}));
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "", 0)), (V{}));
  EXPECT_EQ(EventIds(*s, Q("2025-06-11", "", "UZB", "RUS", false, "17", 5)), (V{5}));
  auto rows = Rows(*s, Q("", "", "", "", false, "172", -1));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].story_id, 1);
  EXPECT_EQ(rows[0].document_id, 3);

  for (const EventQuery& bad :
       {Q("", "", "RU", "", false, "", -1), Q("", "", "", "RU'S", false, "", -1),
        Q("", "", "", "", false, "1a", -1), Q("June", "", "", "", false, "", -1),
        Q("", "2025-13-01", "", "", false, "", -1)}) {
    Status st = s->QueryEvents(bad, [](const EventRow&) {});
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();
  }
}

TEST_P(QueryTest, PagesThroughManyEvents) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  Fill(*s);
  DocumentRecord big = Doc(9, {"m n o p."}, "2025-07-01");
  for (int i = 0; i < 2300; ++i) big.events.push_back(Ev(big, 0, "RUSGOV", "UZBGOV", "042"));
  std::vector<DocumentRecord> batch = {big};
  ASSERT_EQ(Add(*s, &batch), 1);
  auto ids = EventIds(*s, {});
  ASSERT_EQ(ids.size(), 2305u);
  EXPECT_EQ(ids[4], 4);
  EXPECT_EQ(ids[5], 6);
  EXPECT_EQ(ids.back(), 2305);
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "", 1500)).size(), 1500u);
  EXPECT_EQ(EventIds(*s, Q("", "", "", "", false, "042", -1)).size(), 2300u);
}

TEST_P(StoreTest, RunsAndCounts) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  auto r1 = s->BeginRun("ingest a", "dyad-1");
  auto r2 = s->BeginRun("recode", "dyad-2");
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ(*r1, 1);
  EXPECT_EQ(*r2, 2);
  RunSummary summary{"failed", 3, 10, 7, 2, 1, 70, 12};
  ASSERT_TRUE(s->FinishRun(*r1, summary).ok());
  EXPECT_EQ(s->FinishRun(99, summary).code(), StatusCode::kNotFound);
  auto runs = Query(*s,
                    "SELECT id, command, coder_version, status, files, documents_read, "
                    "documents_added, duplicates, errors, sentences, events FROM runs ORDER BY id",
                    11);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], (std::vector<std::string>{"1", "ingest a", "dyad-1", "failed", "3", "10",
                                               "7", "2", "1", "70", "12"}));
  EXPECT_EQ(runs[1][3], "running");
  DocumentRecord d = Doc(1, {"a b c d.", "e f g h."});
  d.events = {Ev(d, 0, "RUSCOP", "UZBLAB", "173", "police", "migrants")};
  std::vector<DocumentRecord> batch = {d};
  ASSERT_EQ(Add(*s, &batch, *r1), 1);
  EXPECT_EQ(CountsString(CountsOf(*s)), "1/2/1/1/2/2");
}

TEST_P(StoreTest, FailedBatchLeavesNothing) {
  auto s = Open();
  ASSERT_NE(s, nullptr);
  DocumentRecord d1 = Doc(1, {"a b c d."});
  d1.events = {Ev(d1, 0, "RUSCOP", "UZBLAB", "173", "police", "migrants")};
  std::vector<DocumentRecord> batch = {d1};
  ASSERT_EQ(Add(*s, &batch), 1);
  const std::string before = CountsString(CountsOf(*s));

  DocumentRecord good = Doc(2, {"e f g h."}, "2025-06-12", "new-story");
  good.events = {Ev(good, 0, "KAZGOV", "RUSGOV", "040", "Astana", "Moscow")};
  // Fails in the database, after `good` was written: a repeated sentence index...
  DocumentRecord dup_sentence = Doc(3, {"i j k l.", "m n o p."});
  dup_sentence.sentences[1].index = 0;
  // ...or an event the schema rejects.
  DocumentRecord bad_event = Doc(4, {"q r s t."});
  bad_event.events = {Ev(bad_event, 0, "TJKGOV", "RUSGOV", "040")};
  bad_event.events[0].quad_class = 7;
  // ...or caught before writing: a sentence outside the text.
  DocumentRecord bad_span = Doc(5, {"u v w x."});
  bad_span.sentences[0].end = 99;
  for (const DocumentRecord& bad : {dup_sentence, bad_event, bad_span}) {
    std::vector<DocumentRecord> failing = {good, bad};
    auto added = s->AddDocuments(0, &failing);
    EXPECT_FALSE(added.ok());
    EXPECT_EQ(failing[0].document.id, 0);   // ids are set only on success
    EXPECT_EQ(CountsString(CountsOf(*s)), before) << added.status().ToString();
    EXPECT_EQ(*s->HasDocuments({Hash(2)}), std::vector<bool>{false});
  }
  std::vector<DocumentRecord> span_only = {bad_span};
  auto added = s->AddDocuments(0, &span_only);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(added.status().where().find("record 1"), std::string::npos);
  // Re-running the good part adds it as if nothing had happened.
  std::vector<DocumentRecord> retry = {good};
  ASSERT_EQ(Add(*s, &retry), 1);
  EXPECT_EQ(retry[0].document.id, 2);
  auto rows = Rows(*s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].event_id, 2);
  EXPECT_EQ(rows[1].story_id, 2);
}

TEST_P(StoreTest, SameCallsGiveIdenticalStores) {
  auto a = Open();
  auto b = Open(OtherUrl());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto feed = [&](Store& s, bool with_failures) {
    auto run = s.BeginRun("ingest", "v1");
    ASSERT_TRUE(run.ok());
    for (int n = 1; n <= 12; n += 3) {
      DocumentRecord x = Doc(n, {"a b c d.", "e f g h."}, "2025-06-1" + std::to_string(n % 10));
      x.events = {Ev(x, 0, "RUSCOP", "UZBLAB", "173", "police"), Ev(x, 1, "UZBGOV", "RUSGOV", "111")};
      DocumentRecord y = Doc(n + 1, {"i j k l."}, "2025-06-20", Hash(n));
      y.events = {Ev(y, 0, "KAZGOV", "RUSGOV", "040")};
      DocumentRecord z = Doc(n + 2, {"m n o p."});
      if (with_failures) {
        DocumentRecord bad = z;
        bad.sentences.push_back(bad.sentences[0]);   // repeated index: fails
        std::vector<DocumentRecord> failing = {x, y, bad};
        ASSERT_FALSE(s.AddDocuments(*run, &failing).ok());
        if (n > 1) {
          Event e = Ev(x, 0, "AAA", "BBB", "010");
          e.quad_class = -1;
          ASSERT_FALSE(s.ReplaceEvents(1, {e}, "v9").ok());
        }
      }
      std::vector<DocumentRecord> batch = {x, y, z, x};
      ASSERT_EQ(Add(s, &batch, *run), 3);
      if (n > 1) {
        ASSERT_TRUE(s.ReplaceEvents(n - 2, {Ev(x, 0, "TJKGOV", "RUSGOV", "036")}, "v2").ok());
      }
    }
    ASSERT_TRUE(s.FinishRun(*run, RunSummary{"ok", 0, 0, 0, 0, 0, 0, 0}).ok());
  };
  feed(*a, false);
  feed(*b, true);
  auto dump = [](Store& s) {
    std::ostringstream out;
    EXPECT_TRUE(s.QueryEvents({}, [&](const EventRow& r) {
                   out << r.event_id << ' ' << r.document_id << ' ' << r.story_id << ' '
                       << r.event.source << r.event.target << r.event.code << ' '
                       << r.actor1_name << '\n';
                 }).ok());
    EXPECT_TRUE(s.ForEachDocument([&](const RecodeItem& d) {
                   out << d.document_id << ' ' << d.external_id << ' ' << d.coder_version << '\n';
                 }).ok());
    EXPECT_TRUE(s.ForEachSignature([&](const std::string&, const std::string& key,
                                       const std::string& date) {
                   out << key << ' ' << date << '\n';
                 }).ok());
    out << CountsString(*s.Counts());
    return out.str();
  };
  const std::string da = dump(*a);
  EXPECT_EQ(da, dump(*b));
  EXPECT_NE(da.find("\n12 doc12 \n"), std::string::npos) << da;
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "SQLite" : "PostgreSQL";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, QueryTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

}  // namespace
}  // namespace dyad
