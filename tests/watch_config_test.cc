// The watch configuration (dyad/watch.h, src/watch/config.cc): the example
// file parses to what it says, and every kind of mistake is an
// InvalidArgument naming file:line and the key.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "dyad/watch.h"

namespace dyad::watch {
namespace {

const char kMinimal[] = R"(dyads = ["UZB-RUS"]

[[source]]
name = "a"
kind = "feed"
url = "https://a.example/rss"

[[notifier]]
name = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/hook"

[[rule]]
name = "r"
kind = "codes"
codes = ["173"]
notify = ["hook"]
)";

TEST(WatchConfigTest, ExampleParses) {
  Result<WatchConfig> c = LoadWatchConfig(DYAD_TEST_DATA_DIR "/watch.example.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->sources.size(), 6u);
  EXPECT_EQ(c->sources[0].name, "uz-news-ru");
  EXPECT_EQ(c->sources[0].kind, "feed");
  EXPECT_DOUBLE_EQ(c->sources[0].interval_seconds, 900);
  EXPECT_EQ(c->sources[0].lang, "ru");
  EXPECT_EQ(c->sources[0].tags, (std::vector<std::string>{"UZB", "news"}));
  EXPECT_EQ(c->sources[3].kind, "page");
  EXPECT_FALSE(c->sources[3].link_pattern.empty());
  EXPECT_DOUBLE_EQ(c->sources[3].interval_seconds, 3600);
  EXPECT_EQ(c->sources[5].kind, "folder");
  EXPECT_DOUBLE_EQ(c->sources[5].interval_seconds, 300);
  ASSERT_EQ(c->dyads.size(), 3u);
  EXPECT_EQ(c->dyads[1].a, "TJK");
  EXPECT_EQ(c->dyads[1].b, "RUS");
  ASSERT_EQ(c->populations.size(), 3u);
  EXPECT_EQ(c->populations[0].of, "UZB");
  EXPECT_EQ(c->populations[0].in, "RUS");
  ASSERT_EQ(c->rules.size(), 3u);
  EXPECT_EQ(c->rules[0].kind, "spike");
  EXPECT_EQ(c->rules[0].population, "UZB in RUS");
  EXPECT_DOUBLE_EQ(c->rules[0].ratio, 2.0);
  EXPECT_EQ(c->rules[1].codes, (std::vector<std::string>{"173", "174", "18"}));
  EXPECT_EQ(c->rules[2].kind, "unanswered");
  EXPECT_EQ(c->rules[2].dyad, "UZB-RUS");
  EXPECT_EQ(c->rules[2].days, 14);
  EXPECT_TRUE(c->rules[2].notify.empty());
  ASSERT_EQ(c->notifiers.size(), 3u);
  EXPECT_EQ(c->notifiers[1].kind, "smtp");
  EXPECT_EQ(c->notifiers[1].password_env, "DYAD_SMTP_PASSWORD");
  EXPECT_EQ(c->notifiers[2].path, "/var/lib/dyad/alerts.atom");
  EXPECT_EQ(c->fetch.max_bytes, 10485760);
  EXPECT_TRUE(c->fetch.respect_robots);
  EXPECT_EQ(c->dashboard_url, "http://127.0.0.1:8080/");
  EXPECT_EQ(NotifiersFor(*c, "uzb-rus-unanswered"),
            (std::vector<std::string>{"team-chat", "analyst-mail", "alerts-feed"}));
  EXPECT_EQ(NotifiersFor(*c, "uzb-in-rus-detentions"),
            (std::vector<std::string>{"team-chat", "alerts-feed"}));
}

TEST(WatchConfigTest, MinimalAndDefaults) {
  Result<WatchConfig> c = ParseWatchConfig(kMinimal, "w.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->path, "w.toml");
  EXPECT_DOUBLE_EQ(c->sources[0].interval_seconds, 900);
  EXPECT_EQ(c->rules[0].days, 7);
  EXPECT_EQ(c->fetch.retries, 3);
  Result<WatchConfig> empty = ParseWatchConfig("", "e.toml");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->sources.empty());
}

TEST(WatchConfigTest, Intervals) {
  struct Case {
    const char* value;
    double seconds;
  } cases[] = {{"\"30s\"", 30}, {"\"15m\"", 900}, {"\"1h\"", 3600}, {"\"2d\"", 172800},
               {"\"90\"", 90},  {"45", 45},       {"1.5", 1.5},     {"\"0.5h\"", 1800}};
  for (const Case& k : cases) {
    std::string text = "[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"http://a.example/\"\n"
                       "interval = ";
    text.append(k.value).append("\n");
    Result<WatchConfig> c = ParseWatchConfig(text, "i.toml");
    ASSERT_TRUE(c.ok()) << k.value << ": " << c.status().ToString();
    EXPECT_DOUBLE_EQ(c->sources[0].interval_seconds, k.seconds) << k.value;
  }
}

// Replaces the first `from` in kMinimal (or appends when from is "").
std::string Edit(const std::string& from, const std::string& to) {
  std::string s = kMinimal;
  if (from.empty()) return s + to;
  std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// Top-level keys go before the first table.
std::string Prepend(const std::string& text) { return text + kMinimal; }

TEST(WatchConfigTest, ErrorsNameFileLineAndKey) {
  struct Case {
    std::string text;
    int line;
    const char* key;       // the message starts with it
    const char* says;      // and contains this
  };
  const Case cases[] = {
      {Edit("kind = \"feed\"", "kind = \"rss\""), 5, "source[0].kind", "unknown kind \"rss\""},
      {Edit("url = \"https://a.example/rss\"", "url = \"ftp://a.example/rss\""), 6,
       "source[0].url", "http"},
      {Edit("url = \"https://a.example/rss\"", "url = \"a.example/rss\""), 6, "source[0].url",
       "http"},
      {Edit("", "\n[[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"http://b.example/\"\n"), 20,
       "source[1].name", "duplicate name \"a\""},
      {Edit("notify = [\"hook\"]", "notify = [\"hook\", \"pager\"]"), 17, "rule[0].notify[1]",
       "no notifier named \"pager\""},
      {Edit("url = \"https://a.example/rss\"", "url = \"https://a.example/rss\"\ninterval = \"0s\""),
       7, "source[0].interval", "greater than 0"},
      {Edit("url = \"https://a.example/rss\"", "url = \"https://a.example/rss\"\ninterval = \"5x\""),
       7, "source[0].interval", "duration"},
      {Edit("url = \"https://a.example/rss\"", "url = \"https://a.example/rss\"\ninterval = -5"), 7,
       "source[0].interval", "greater than 0"},
      {Edit("kind = \"feed\"\nurl = \"https://a.example/rss\"",
            "kind = \"page\"\nurl = \"https://a.example/\"\nlink_pattern = \"([a-z\""),
            7, "source[0].link_pattern", "regular expression"},
      {Edit("kind = \"feed\"", "kind = \"page\""), 3, "source[0].link_pattern", "needs"},
      {Edit("codes = [\"173\"]", "codes = [\"173\", \"17a\"]"), 16, "rule[0].codes[1]", "digits"},
      {Edit("dyads = [\"UZB-RUS\"]", "dyads = [\"UZB-rus\"]"), 1, "dyads[0]", "capital"},
      {Edit("dyads = [\"UZB-RUS\"]", "dyads = [\"UZB-RUS\", \"RUS-UZB\"]"), 1, "dyads[1]",
       "duplicate"},
      {Prepend("populations = [\"Uzbeks in Russia\"]\n"), 1, "populations[0]", "AAA in BBB"},
      {Edit("kind = \"webhook\"", "kind = \"pager\""), 10, "notifier[0].kind", "unknown kind"},
      {Edit("url = \"http://127.0.0.1:9/hook\"", "url = \"127.0.0.1:9/hook\""), 11,
       "notifier[0].url", "http"},
      {Edit("kind = \"codes\"", "kind = \"trend\""), 15, "rule[0].kind", "unknown kind"},
      {Edit("kind = \"codes\"", "kind = \"codes\"\ndays = 0"), 16, "rule[0].days", "1-3650"},
      {Edit("codes = [\"173\"]", "codes = [\"173\"]\nratio = 0.5"), 17, "rule[0].ratio", "1-100"},
      {Edit("kind = \"codes\"", "kind = \"codes\"\npopulation = \"UZB in RUS\"\ndyad = \"UZB-RUS\""),
       13, "rule[0].population", "not both"},
      {Edit("name = \"a\"", "name = \"a\"\nintervall = \"1h\""), 5, "source[0].intervall",
       "unknown key"},
      {Edit("", "[fetch]\ntimeout_seconds = 0\n"), 19, "fetch.timeout_seconds", "greater than 0"},
      {Edit("", "[fetch]\nmax_redirects = \"5\"\n"), 19, "fetch.max_redirects", "integer"},
      {Edit("name = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"",
            "name = \"mail\"\nkind = \"smtp\"\nurl = \"smtp://127.0.0.1:25\"\nfrom = \"x\"\n"
            "to = \"b@example.org\""),
            12, "notifier[0].from", "address"},
      {Edit("name = \"hook\"\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"",
            "name = \"feed\"\nkind = \"atom\""),
            8, "notifier[0].path", "missing"},
      {Edit("dyads = [\"UZB-RUS\"]", "dyads = \"UZB-RUS\""), 1, "dyads", "array"},
      {Prepend("dashboard_url = \"localhost:8080\"\n"), 1, "dashboard_url", "http"},
  };
  for (const Case& k : cases) {
    Result<WatchConfig> c = ParseWatchConfig(k.text, "bad.toml");
    ASSERT_FALSE(c.ok()) << k.key << "\n" << k.text;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument) << k.key;
    EXPECT_EQ(c.status().where(), "bad.toml:" + std::to_string(k.line))
        << k.key << ": " << c.status().ToString();
    EXPECT_EQ(c.status().message().rfind(std::string(k.key) + ": ", 0), 0u)
        << c.status().ToString();
    EXPECT_NE(c.status().message().find(k.says), std::string::npos) << c.status().ToString();
  }
}

TEST(WatchConfigTest, SyntaxErrorsAndMissingFiles) {
  Result<WatchConfig> c = ParseWatchConfig("dyads = [\"UZB-RUS\"\n[fetch]\n", "s.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().where().rfind("s.toml:", 0), 0u) << c.status().ToString();
  EXPECT_NE(c.status().message().find("TOML syntax"), std::string::npos);
  c = ParseWatchConfig("a = 1\na = 2\n", "s.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().where(), "s.toml:2") << c.status().ToString();
  c = LoadWatchConfig("/nonexistent/watch.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dyad::watch
