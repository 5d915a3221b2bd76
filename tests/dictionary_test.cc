#include <gtest/gtest.h>

#include "dict/tables.h"
#include "dyad/coder.h"
#include "dyad/dictionary.h"
#include "test_util.h"

namespace dyad {
namespace {

using testing::TempDir;

constexpr const char* kVerbs = R"(# test verbs
&TIES
+DIPLOMATIC_TIES
+RELATIONS

--- RESTORE [064] ---
RESTORE
- * &TIES [064]
- * FULL &TIES [0641]  # more specific

--- HOLD [---] ---
HOLD {HELD}
- * TALKS [043]

--- ARREST [173] ---
ARREST
N:ARREST
)";

constexpr const char* kActors = R"(RUSSIA [RUS]
+RUSSIAN
+MOSCOW
SERGEI_LAVROV [RUSGOV >20040309]
+LAVROV
MIKHAIL_MISHUSTIN
	[RUSELI <20200115]
	[RUSGOV >20200116]
)";

constexpr const char* kAgents = R"(!PERSON! = MAN, MEN
POLICE {} [~COP]
POLICE!PERSON! [~COP]
MIGRANT [~LAB]
)";

Result<std::shared_ptr<const Dictionary>> LoadFixture(const TempDir& dir, const std::string& verbs,
                                                      const std::string& actors, const std::string& agents) {
  DictionaryFiles f;
  f.verbs.push_back(dir.Write("t.verbs.txt", verbs));
  f.actors.push_back(dir.Write("t.actors.txt", actors));
  f.agents.push_back(dir.Write("t.agents.txt", agents));
  return Dictionary::Load(f);
}

TEST(DictionaryTest, LoadsAllSections) {
  TempDir dir;
  auto d = LoadFixture(dir, kVerbs, kActors, kAgents);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const DictionaryStats& s = d.value()->stats();
  EXPECT_EQ(s.verb_blocks, 3u);
  EXPECT_EQ(s.verb_patterns, 3u);
  EXPECT_EQ(s.synsets, 1u);
  EXPECT_EQ(s.actor_entries, 3u);
  EXPECT_TRUE(s.warnings.empty());
  const dict::Tables& t = d.value()->tables();
  // Regular and irregular verb forms are indexed.
  for (const char* form : {"restores", "restored", "restoring", "held", "arrested"}) {
    const dict::WordId id = t.vocabulary.Find(form);
    ASSERT_NE(id, 0u) << form;
    EXPECT_NE(t.verb_trie.Child(dict::PhraseTrie::kRoot, id), dict::PhraseTrie::kNone) << form;
  }
  // Agent plurals: generated for MIGRANT, suppressed by {} for POLICE,
  // and !PERSON! expanded.
  EXPECT_NE(t.vocabulary.Find("migrants"), 0u);
  EXPECT_EQ(t.vocabulary.Find("polices"), 0u);
  EXPECT_NE(t.vocabulary.Find("policemen"), 0u);
  // Patterns are sorted most specific first.
  const auto& restore = t.blocks[0];
  ASSERT_EQ(restore.patterns.size(), 2u);
  EXPECT_EQ(restore.patterns[0].code, "0641");
  // Dated codes.
  const auto& mishustin = t.actors[2];
  ASSERT_EQ(mishustin.codes.size(), 2u);
  EXPECT_EQ(mishustin.codes[1].from, 20200116);
  EXPECT_EQ(mishustin.codes[0].to, 20200115);
}

struct BadCase {
  const char* name;
  const char* verbs;
  const char* actors;
  const char* agents;
  const char* where;    // expected location suffix
  const char* message;  // expected message fragment
};

class MalformedDictionaryTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedDictionaryTest, ReportsFileAndLine) {
  const BadCase& c = GetParam();
  TempDir dir;
  auto d = LoadFixture(dir, c.verbs, c.actors, c.agents);
  ASSERT_FALSE(d.ok()) << c.name;
  EXPECT_NE(d.status().where().find(c.where), std::string::npos)
      << c.name << ": " << d.status().ToString();
  EXPECT_NE(d.status().message().find(c.message), std::string::npos)
      << c.name << ": " << d.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedDictionaryTest,
    ::testing::Values(
        BadCase{"unclosed bracket", kVerbs, "RUSSIA [RUS\n", kAgents, "t.actors.txt:1", "unclosed '['"},
        BadCase{"synonym first", kVerbs, "+RUSSIAN\n", kAgents, "t.actors.txt:1", "before any actor"},
        BadCase{"bad code", kVerbs, "RUSSIA [R U S]\n", kAgents, "t.actors.txt:1", "unexpected text"},
        BadCase{"pattern without verb marker", "--- A [010] ---\nA\n- FOO [010]\n", kActors, kAgents,
                "t.verbs.txt:3", "without the verb marker"},
        BadCase{"pattern outside block", "- * FOO [010]\n", kActors, kAgents, "t.verbs.txt:1",
                "outside a verb block"},
        BadCase{"pattern without code", "--- A [010] ---\nA\n- * FOO\n", kActors, kAgents,
                "t.verbs.txt:3", "exactly one [CODE]"},
        BadCase{"header without code", "--- A ---\nA\n", kActors, kAgents, "t.verbs.txt:1", "needs a [CODE]"},
        BadCase{"synset twice", "&X\n+A\n&X\n+B\n", kActors, kAgents, "t.verbs.txt:3", "defined twice"},
        BadCase{"synset cycle", "&X\n+&Y\n&Y\n+&X\n", kActors, kAgents, "t.verbs.txt", "includes itself"},
        BadCase{"agent without tilde", kVerbs, kActors, "POLICE [COP]\n", "t.agents.txt:1", "must contain '~'"},
        BadCase{"unknown substitution", kVerbs, kActors, "!NOPE!_X [~GOV]\n", "t.agents.txt:1",
                "unknown substitution"}));

TEST(DictionaryTest, BinaryFileIsRejected) {
  TempDir dir;
  auto d = LoadFixture(dir, kVerbs, std::string("RUSSIA [RUS]\n\0\x01\x02\n", 17), kAgents);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().where().find("t.actors.txt:2"), std::string::npos) << d.status().ToString();
  EXPECT_NE(d.status().message().find("binary data"), std::string::npos);
}

TEST(DictionaryTest, MissingDirectoryAndFiles) {
  auto d = Dictionary::LoadDirectory("/nonexistent/dyad/dict");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  TempDir empty;
  auto e = Dictionary::LoadDirectory(empty.path());
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("no verb or actor dictionary"), std::string::npos);
}

TEST(DictionaryTest, RecoverableProblemsAreWarnings) {
  TempDir dir;
  auto d = LoadFixture(dir, std::string(kVerbs) + "--- X [010] ---\nX\n- * &UNDEFINED [010]\n",
                       "RUSSIA [RUS 20209999-20210101]\n", kAgents);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const auto& w = d.value()->stats().warnings;
  ASSERT_EQ(w.size(), 2u);
  const std::string all = w[0] + "\n" + w[1];
  EXPECT_NE(all.find("t.verbs.txt:20: synset &UNDEFINED is used but never defined"), std::string::npos) << all;
  EXPECT_NE(all.find("t.actors.txt:1: bad date range"), std::string::npos) << all;
}

TEST(DictionaryTest, LoadsThePhoenixSet) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; Phoenix load test skipped";
  auto d = Dictionary::LoadDirectory(shared + "/dictionaries/phoenix");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const auto& s = d.value()->stats();
  EXPECT_GT(s.actor_entries, 25000u);
  EXPECT_GT(s.verb_patterns, 4000u);
  EXPECT_GT(s.agent_phrases, 4000u);
  EXPECT_GT(s.discard_phrases, 400u);
  EXPECT_GT(s.issue_phrases, 2000u);
  // The Phoenix files hold a few real typos; each is located, none is fatal.
  bool typo_found = false;
  for (const auto& w : s.warnings)
    if (w.find("Phoenix.Countries.actors.txt:2039") != std::string::npos) typo_found = true;
  EXPECT_TRUE(typo_found);
}

TEST(DictionaryTest, CodesNewsWithThePhoenixSet) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; Phoenix coding test skipped";
  auto d = Dictionary::LoadDirectory(shared + "/dictionaries/phoenix");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto coder = Coder::Create(d.value(), {});
  ASSERT_TRUE(coder.ok());
  Document doc{"p", "2024-05-01",
               "Russian police arrested dozens of Uzbek migrants in Moscow on Tuesday. "
               "The United States imposed sanctions on Iran. Putin met Xi Jinping in Beijing.",
               "", "", ""};
  std::vector<std::string> got;
  for (const auto& e : coder.value()->CodeDocument(doc)) got.push_back(e.source + " " + e.code + " " + e.target);
  EXPECT_EQ(got, (std::vector<std::string>{"RUSCOP 173 UZBCVL", "USA 163 IRN", "RUSGOV 040 CHNGOV"}));
}

TEST(DictionaryTest, LoadsTheConformanceDictionaries) {
  const std::string shared = testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not found beside the repository; skipped";
  auto d = Dictionary::LoadDirectory(shared + "/conformance/petrarch-unit");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_GT(d.value()->stats().verb_patterns, 300u);
}

}  // namespace
}  // namespace dyad
