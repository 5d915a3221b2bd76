// `dyad ingest` as a user runs it: summaries, exit codes, the progress bar,
// and a run killed with SIGKILL in the middle and started again.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "dyad/store.h"
#include "test_util.h"

extern char** environ;

namespace dyad {
namespace {

using testing::RunCli;

std::string Corpus() { return testing::DataDir() + "/sample/corpus.jsonl"; }

TEST(IngestCli, SummarySaysWhatWentInAndASecondRunAddsNothing) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/dyad.db";
  auto first = RunCli("ingest --db '" + db + "' '" + Corpus() + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("40 documents: 40 added"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("37 new stories"), std::string::npos) << first.out;
  EXPECT_EQ(first.err.find('\r'), std::string::npos) << "no progress bar when stderr is not a terminal";
  auto second = RunCli("ingest --db '" + db + "' '" + Corpus() + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("0 documents: 0 added"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("1 skipped"), std::string::npos) << second.out;
  auto stats = RunCli("stats --db '" + db + "'");
  EXPECT_NE(stats.out.find("documents  40"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("runs       2"), std::string::npos) << stats.out;
}

TEST(IngestCli, ProgressBarWhenAsked) {
  testing::TempDir dir;
  auto r = RunCli("ingest --progress --db '" + dir.path() + "/d.db' '" + Corpus() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("\r["), std::string::npos);
  EXPECT_NE(r.err.find("100%"), std::string::npos);
  EXPECT_NE(r.err.find("docs"), std::string::npos);
}

TEST(IngestCli, BadInputExitsOneAndNamesTheFile) {
  testing::TempDir dir, in;
  in.Write("ok.jsonl", R"({"id":"a","date":"2025-06-12","text":"Russian police detained 40 Uzbek migrants in Moscow."})" "\n");
  in.Write("bad.jsonl", "{\"id\":\"b\",\"text\":\n");
  auto r = RunCli("ingest --db '" + dir.path() + "/d.db' '" + in.path() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad.jsonl:1"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("1 added"), std::string::npos) << r.out;
}

TEST(IngestCli, StoreThatCannotBeOpenedExitsTwo) {
  testing::TempDir dir;
  auto r = RunCli("ingest --db '" + dir.path() + "/no/such/dir/d.db' '" + Corpus() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no/such/dir"), std::string::npos) << r.err;
  const std::string text = dir.Write("notes.txt", "not a database\n");
  r = RunCli("ingest --db '" + text + "' '" + Corpus() + "'");
  EXPECT_EQ(r.exit_code, 2);
  std::ifstream in(text);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "not a database\n") << "a file that is not a store is never overwritten";
}

TEST(IngestCli, ExportGdeltHasSixtyOneColumnsAndOneRowPerStoryEvent) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/d.db";
  ASSERT_EQ(RunCli("ingest --db '" + db + "' '" + Corpus() + "'").exit_code, 0);
  auto gdelt = RunCli("export --format gdelt --db '" + db + "'");
  ASSERT_EQ(gdelt.exit_code, 0) << gdelt.err;
  auto all = RunCli("export --format jsonl --all-mentions --db '" + db + "'");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  size_t rows = 0, mentions = 0;
  std::istringstream g(gdelt.out), a(all.out);
  for (std::string line; std::getline(g, line); ++rows)
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 60) << line;
  for (std::string line; std::getline(a, line);) ++mentions;
  EXPECT_GT(rows, 50u);
  EXPECT_LT(rows, mentions) << "reposted stories' events are counted once";
  auto dyad = RunCli("export --format csv --dyad UZB-RUS --db '" + db + "'");
  ASSERT_EQ(dyad.exit_code, 0) << dyad.err;
  std::istringstream c(dyad.out);
  std::string header, line;
  std::getline(c, header);
  size_t n = 0;
  for (; std::getline(c, line); ++n)
    EXPECT_TRUE((line.find("UZB") != std::string::npos) && (line.find("RUS") != std::string::npos)) << line;
  EXPECT_GT(n, 5u);
}

// A corpus big enough that a run takes a while: the sample corpus many
// times over, each copy a new document (its own first line) of its
// original's story.
std::string WriteBigCorpus(const testing::TempDir& dir, int copies) {
  std::ifstream in(Corpus());
  std::vector<nlohmann::json> docs;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) docs.push_back(nlohmann::json::parse(line));
  const std::string path = dir.path() + "/big.jsonl";
  std::ofstream out(path);
  for (int c = 0; c < copies; ++c)
    for (auto d : docs) {
      d["id"] = d["id"].get<std::string>() + "-" + std::to_string(c);
      d["text"] = "Bulletin " + std::to_string(c) + " of the regional desk. " + d["text"].get<std::string>();
      out << d.dump() << "\n";
    }
  return path;
}

struct Snapshot {
  StoreCounts counts;
  std::vector<std::string> events;
};

Snapshot Take(const std::string& db) {
  Snapshot s;
  auto store = Store::Open(db);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return s;
  s.counts = (*store)->Counts().value();
  EXPECT_TRUE((*store)->QueryEvents({}, [&](const EventRow& r) {
    s.events.push_back(std::to_string(r.event_id) + " " + std::to_string(r.document_id) + " " +
                       std::to_string(r.story_id) + " " + r.event.source + " " + r.event.code + " " +
                       r.event.target + " " + r.event.sentence);
  }).ok());
  return s;
}

TEST(IngestCli, KilledRunResumesToTheSameStore) {
  testing::TempDir dir;
  const std::string corpus = WriteBigCorpus(dir, 150);  // 6,000 documents
  const std::string whole = dir.path() + "/whole.db", killed = dir.path() + "/killed.db";
  auto r = RunCli("ingest --batch 25 --db '" + whole + "' '" + corpus + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Snapshot expected = Take(whole);
  ASSERT_EQ(expected.counts.documents, 6000);

  // Start a run and kill -9 it once some batches are in.
  std::vector<std::string> args = {DYAD_CLI_PATH, "ingest", "--quiet", "--threads", "1",
                                   "--batch", "25", "--db", killed, corpus};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, DYAD_CLI_PATH, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  std::int64_t stored_at_kill = 0;
  for (int i = 0; i < 6000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (access(killed.c_str(), F_OK) != 0) continue;
    auto store = Store::Open(killed);
    if (!store.ok()) continue;  // still being created
    auto c = (*store)->Counts();
    if (c.ok() && c->documents >= 300) {
      kill(pid, SIGKILL);
      stored_at_kill = c->documents;
      break;
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the run finished before it could be killed; make the corpus bigger";
  const Snapshot partial = Take(killed);
  EXPECT_GE(partial.counts.documents, stored_at_kill);
  EXPECT_LT(partial.counts.documents, 6000);
  EXPECT_EQ(partial.counts.documents % 25, 0) << "only whole batches are ever stored";

  auto resumed = RunCli("ingest --batch 25 --db '" + killed + "' '" + corpus + "'");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const Snapshot after = Take(killed);
  EXPECT_EQ(after.counts.documents, expected.counts.documents);
  EXPECT_EQ(after.counts.sentences, expected.counts.sentences);
  EXPECT_EQ(after.counts.stories, expected.counts.stories);
  EXPECT_EQ(after.counts.events, expected.counts.events);
  EXPECT_EQ(after.counts.actors, expected.counts.actors);
  EXPECT_EQ(after.events, expected.events) << "same rows, same ids, same stories";
}

}  // namespace
}  // namespace dyad
