// The HTTP API of `dyad serve` (docs/api.md), in process, over a store
// ingested from the sample corpus: routes, filters, paging, evidence,
// errors, live updates and the security rules.
#include <gtest/gtest.h>

#include <httplib.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dyad/ingest.h"
#include "dyad/server.h"
#include "dyad/store.h"
#include "test_util.h"

namespace dyad {
namespace {

using Json = nlohmann::json;

const CodingSetup& DictSetup() {
  static const CodingSetup setup = LoadCodingSetup(testing::DataDir() + "/dict").value();
  return setup;
}

void IngestFiles(const std::string& db, const std::vector<std::string>& files) {
  auto store = Store::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  IngestOptions o;
  o.threads = 1;
  IngestReport r = Ingest(**store, DictSetup(), files, o);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() + "/dyad.db";
    IngestFiles(db_, {testing::DataDir() + "/sample/corpus.jsonl"});
    Start("");
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  void Start(const std::string& token) {
    if (server_) server_->Stop();
    ServerOptions o;
    o.store_url = db_;
    o.port = 0;
    o.token = token;
    o.dict_dir = testing::DataDir() + "/dict";
    o.user_dict = dir_.path() + "/user.dict.txt";
    o.web_dir = dir_.path() + "/web";
    o.refresh_seconds = 3600;   // the tests refresh by hand
    o.threads = 4;
    std::filesystem::create_directories(o.web_dir);
    dir_.Write("web/index.html", "<!doctype html><title>dyad</title>");
    auto s = Server::Create(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s).value();
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  // GET path; expects `status` and returns the JSON body.
  Json Get(const std::string& path, int status = 200) {
    auto res = client_->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, status) << path << " -> " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8") << path;
    return Json::parse(res->body, nullptr, false);
  }

  testing::TempDir dir_;
  std::string db_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, HealthCountsWhatTheStoreHolds) {
  Json h = Get("/api/health");
  auto counts = Store::Open(db_).value()->Counts().value();
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["backend"], "sqlite");
  EXPECT_EQ(h["schema"], *Store::Open(db_).value()->SchemaVersion());
  EXPECT_GE(h["schema"].get<int>(), 4);
  EXPECT_EQ(h["events"], counts.events);
  EXPECT_EQ(h["documents"], counts.documents);
  EXPECT_EQ(h["latest_date"], "2025-10-21");
  EXPECT_GT(h["seq"].get<int>(), 0);
  EXPECT_EQ(h["writable"], false);
}

TEST_F(ServerTest, EventsOfADyadNewestFirstWithEvidenceAndPaging) {
  Json first = Get("/api/events?dyad=UZB-RUS&limit=5");
  ASSERT_EQ(first["events"].size(), 5u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  std::set<long long> seen;
  std::string last_date = "9999";
  std::string cursor;
  Json page = first;
  for (int guard = 0; guard < 100; ++guard) {
    for (const Json& e : page["events"]) {
      EXPECT_TRUE(seen.insert(e["id"].get<long long>()).second) << "event listed twice";
      const std::string s = e["source"], t = e["target"];
      const bool uzb_rus = s.rfind("UZB", 0) == 0 && t.rfind("RUS", 0) == 0;
      const bool rus_uzb = s.rfind("RUS", 0) == 0 && t.rfind("UZB", 0) == 0;
      EXPECT_TRUE(uzb_rus || rus_uzb) << s << " " << t;
      EXPECT_LE(e["date"].get<std::string>(), last_date);
      last_date = e["date"];
      // The evidence: the sentence, and the verb span inside it.
      const std::string sentence = e["sentence"];
      ASSERT_FALSE(sentence.empty());
      const auto verb = e["spans"]["verb"];
      ASSERT_LE(verb[1].get<size_t>(), sentence.size());
      EXPECT_EQ(sentence.substr(verb[0], verb[1].get<size_t>() - verb[0].get<size_t>()),
                e["verb_text"].get<std::string>());
      const std::string origin = e["why"]["pattern_origin"];
      EXPECT_EQ(origin.rfind("dyad.verbs.txt:", 0), 0u) << "no server paths: " << origin;
      for (const Json& entry : e["why"]["entries"]) {
        EXPECT_EQ(entry.get<std::string>().find('/'), std::string::npos) << entry;
      }
      EXPECT_EQ(e["source_name"].get<std::string>().rfind(s.substr(0, 3) == "UZB" ? "Uzbekistan" : "Russia", 0), 0u)
          << e["source_name"];
      EXPECT_FALSE(e["code_name"].get<std::string>().empty());
    }
    if (page["next_cursor"].is_null()) break;
    page = Get("/api/events?dyad=UZB-RUS&limit=5&cursor=" + page["next_cursor"].get<std::string>());
  }
  // Every stored UZB-RUS event, once.
  std::set<long long> expected;
  Store::Open(db_).value()->QueryEvents([] {
    EventQuery q;
    q.actor_a = "UZB";
    q.actor_b = "RUS";
    return q;
  }(), [&](const EventRow& r) { expected.insert(r.event_id); }).ok();
  EXPECT_EQ(seen, expected);
  EXPECT_GE(seen.size(), 10u);

  // Filters: code prefix, direction, dates, QuadClass and full text.
  for (const Json& e : Json(Get("/api/events?dyad=UZB-RUS&code=11&directed=1")["events"])) {
    EXPECT_EQ(e["code"].get<std::string>().substr(0, 2), "11");
    EXPECT_EQ(e["source"].get<std::string>().substr(0, 3), "UZB");
  }
  Json dated = Get("/api/events?from=2024-08-19&to=2024-08-22&dyad=UZB-RUS");
  ASSERT_FALSE(dated["events"].empty());
  for (const Json& e : dated["events"]) {
    EXPECT_GE(e["date"].get<std::string>(), "2024-08-19");
    EXPECT_LE(e["date"].get<std::string>(), "2024-08-22");
  }
  for (const Json& e : Json(Get("/api/events?quad=4")["events"])) EXPECT_EQ(e["quad_class"], 4);
  Json text = Get("/api/events?q=ambassador");
  ASSERT_FALSE(text["events"].empty());
  for (const Json& e : text["events"]) {
    EXPECT_NE(e["sentence"].get<std::string>().find("mbassador"), std::string::npos);
  }
}

TEST_F(ServerTest, BadParametersAreNamed) {
  EXPECT_NE(Get("/api/events?from=2024-13-01", 400)["error"].get<std::string>().find("from"),
            std::string::npos);
  EXPECT_NE(Get("/api/events?limit=0", 400)["error"].get<std::string>().find("limit"),
            std::string::npos);
  EXPECT_NE(Get("/api/events?dyad=uzb", 400)["error"].get<std::string>().find("dyad"),
            std::string::npos);
  EXPECT_NE(Get("/api/events?cursor=garbage", 400)["error"].get<std::string>().find("cursor"),
            std::string::npos);
  EXPECT_NE(Get("/api/timeline?dyad=UZB-RUS&bucket=year", 400)["error"].get<std::string>().find(
                "bucket"),
            std::string::npos);
  EXPECT_NE(Get("/api/timeline", 400)["error"].get<std::string>().find("dyad"), std::string::npos);
  EXPECT_NE(Get("/api/events?quad=7", 400)["error"].get<std::string>().find("quad"),
            std::string::npos);
  Get("/api/nothing-here", 404);
  Get("/api/events/999999", 404);
  Get("/api/documents/999999", 404);
}

TEST_F(ServerTest, TimelineCountsStoriesInBothDirections) {
  Json t = Get("/api/timeline?dyad=UZB-RUS&bucket=month");
  EXPECT_EQ(t["bucket"], "month");
  ASSERT_FALSE(t["buckets"].empty());
  long long ab = 0, ba = 0;
  bool august = false;
  for (const Json& b : t["buckets"]) {
    ab += b["ab"]["events"].get<long long>();
    ba += b["ba"]["events"].get<long long>();
    if (b["start"] == "2024-08-01") {
      august = true;
      EXPECT_GE(b["ab"]["quad"][2].get<int>(), 1) << "the summoned ambassador (114) is verbal conflict";
      EXPECT_GE(b["ba"]["stories"].get<int>(), 1) << "Zakharova's reply";
    }
  }
  EXPECT_TRUE(august);
  // The same events as the event list, split by direction.
  long long listed = 0;
  Json page = Get("/api/events?dyad=UZB-RUS&limit=500");
  for (const Json& e : page["events"]) listed += e["date"].get<std::string>().empty() ? 0 : 1;
  EXPECT_EQ(ab + ba, listed);
}

TEST_F(ServerTest, TheSeedExchangeIsADismissiveReply) {
  Json x = Get("/api/exchanges?a=UZB&b=RUS");
  bool found = false;
  for (const Json& e : x["exchanges"]) {
    if (e["opening"].is_null()) continue;
    if (e["opening"]["date"] == "2024-08-19" && e["opening"]["code"] == "114") {
      found = true;
      EXPECT_EQ(e["initiator"], "UZB");
      EXPECT_EQ(e["reply_class"], "dismissive");
      EXPECT_EQ(e["latency_days"], 3);
      ASSERT_FALSE(e["replies"].empty());
      EXPECT_NE(e["replies"][0]["sentence"].get<std::string>().find("Zakharova"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << x.dump(1);
}

TEST_F(ServerTest, CitizensAbroadListsDetentionsOfUzbeksInRussia) {
  Json c = Get("/api/citizens?of=UZB&in=RUS");
  EXPECT_GE(c["kinds"]["detention"].get<int>(), 3);
  ASSERT_FALSE(c["events"].empty());
  for (const Json& e : c["events"]) {
    EXPECT_EQ(e["source"].get<std::string>().substr(0, 3), "RUS");
    EXPECT_EQ(e["target"].get<std::string>().substr(0, 3), "UZB");
  }
  EXPECT_FALSE(c["responses"].empty()) << "Uzbekistan's notes to Russia";
  Get("/api/citizens?of=UZB", 400);
}

TEST_F(ServerTest, DocumentShowsSentencesEventsAndItsStory) {
  Json e = Get("/api/events?dyad=UZB-RUS&code=114&limit=1")["events"][0];
  Json d = Get("/api/documents/" + std::to_string(e["document_id"].get<long long>()));
  EXPECT_EQ(d["id"], e["document_id"]);
  ASSERT_FALSE(d["sentences"].empty());
  bool marked = false;
  for (const Json& s : d["sentences"]) {
    for (const Json& id : s["event_ids"]) {
      if (id == e["id"]) {
        marked = true;
        EXPECT_EQ(s["text"], e["sentence"]);
      }
    }
  }
  EXPECT_TRUE(marked);
  EXPECT_FALSE(d["events"].empty());
  EXPECT_TRUE(d["story"].is_array());
}

TEST_F(ServerTest, DyadsMapAlertsSourcesCodesAndExplain) {
  Json dyads = Get("/api/dyads?limit=50");
  bool rus_uzb = false;
  for (const Json& d : dyads["dyads"]) {
    EXPECT_LT(d["a"].get<std::string>(), d["b"].get<std::string>());
    if (d["a"] == "RUS" && d["b"] == "UZB") {
      rus_uzb = true;
      EXPECT_GE(d["stories"].get<int>(), 5);
      EXPECT_EQ(d["sparkline"].size(), 12u);
    }
  }
  EXPECT_TRUE(rus_uzb);
  Json map = Get("/api/map?actor=UZB");
  ASSERT_FALSE(map["countries"].empty());
  EXPECT_EQ(map["countries"][0]["code"], "RUS") << "Russia is Uzbekistan's main counterpart";
  EXPECT_EQ(map["countries"][0]["iso2"], "RU");
  Json alerts = Get("/api/alerts");
  EXPECT_TRUE(alerts["alerts"].is_array());
  EXPECT_EQ(alerts["config"]["floor"], 1.0);
  Json sources = Get("/api/sources?bucket=month");
  ASSERT_FALSE(sources["outlets"].empty());
  long long docs = 0;
  for (const Json& o : sources["outlets"]) docs += o["total"].get<long long>();
  EXPECT_EQ(docs, 40);
  Json codes = Get("/api/codes");
  EXPECT_GT(codes["codes"].size(), 200u);
  Json ex = Get("/api/explain?text=" +
                std::string("Russian%20police%20detained%2040%20Uzbek%20workers%20in%20Moscow."));
  ASSERT_FALSE(ex["events"].empty());
  EXPECT_EQ(ex["events"][0]["code"], "173");
  EXPECT_FALSE(ex["trace"].empty());
  auto res = client_->Post("/api/explain", R"({"text":"Uzbekistan summoned the Russian ambassador."})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  Get("/api/explain", 400);
}

TEST_F(ServerTest, NewEventsAppearWithoutARestartAndInTheChangeFeed) {
  Json before = Get("/api/health");
  Json feed = Get("/api/changes?since=0&limit=10000");
  EXPECT_EQ(feed["changes"].size(), before["events"].get<size_t>());
  EXPECT_EQ(feed["changes"][0]["kind"], "added");
  const long long cursor = feed["latest"];
  const std::string more = dir_.Write(
      "more.jsonl",
      R"({"id":"late-1","date":"2025-11-03","source":"test","title":"Raid","text":"Russian police detained 30 Uzbek workers at a market in Kazan on Monday."})"
      "\n");
  IngestFiles(db_, {more});
  auto seq = server_->Refresh();
  ASSERT_TRUE(seq.ok()) << seq.status().ToString();
  Json after = Get("/api/health");
  EXPECT_GT(after["events"].get<long long>(), before["events"].get<long long>());
  EXPECT_GT(after["seq"].get<long long>(), before["seq"].get<long long>());
  EXPECT_EQ(after["latest_date"], "2025-11-03");
  Json fresh = Get("/api/events?dyad=UZB-RUS&limit=1")["events"][0];
  EXPECT_EQ(fresh["date"], "2025-11-03");
  Json changes = Get("/api/changes?since=" + std::to_string(cursor));
  ASSERT_FALSE(changes["changes"].empty());
  EXPECT_EQ(changes["changes"][0]["event_id"], fresh["id"]);
}

TEST_F(ServerTest, SecurityHeadersStaticFilesAndLimits) {
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>dyad</title>"), std::string::npos);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  // No way out of the dashboard directory.
  dir_.Write("secret.txt", "do not serve");
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                           "/web/../../secret.txt"}) {
    auto res = client_->Get(path);
    if (res) {
      EXPECT_NE(res->status, 200) << path;
      EXPECT_EQ(res->body.find("do not serve"), std::string::npos) << path;
    }
  }
  // Writes refuse without a configured token, and bodies have a limit.
  auto post = client_->Post("/api/corrections", R"({"kind":"event_wrong","event_id":1})",
                            "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  auto big = client_->Post("/api/explain", std::string(200 * 1024, 'a'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
}

TEST_F(ServerTest, CorrectionsNeedTheTokenAndRoundTrip) {
  Start("s3cret");
  EXPECT_EQ(Get("/api/health")["writable"], true);
  Json victim = Get("/api/events?dyad=UZB-RUS&code=114&limit=1")["events"][0];
  const long long id = victim["id"];
  const std::string body = R"({"kind":"event_wrong","event_id":)" + std::to_string(id) + "}";
  // No token, a wrong token: refused, nothing changed.
  auto none = client_->Post("/api/corrections", body, "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  httplib::Headers wrong = {{"Authorization", "Bearer s3creT"}};
  auto bad = client_->Post("/api/corrections", wrong, body, "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  Get("/api/events/" + std::to_string(id));
  httplib::Headers auth = {{"Authorization", "Bearer s3cret"}};
  // Preview writes nothing.
  auto preview = client_->Post("/api/corrections/preview", auth, body, "application/json");
  ASSERT_TRUE(preview);
  ASSERT_EQ(preview->status, 200) << preview->body;
  Json diff = Json::parse(preview->body);
  ASSERT_GE(diff["removed"].size(), 1u) << diff.dump(1);
  EXPECT_EQ(diff["removed"][0]["id"], id);
  Get("/api/events/" + std::to_string(id));
  EXPECT_TRUE(Get("/api/corrections")["corrections"].empty());
  // Apply: the event is gone at once, the log says so.
  auto apply = client_->Post("/api/corrections", auth, body, "application/json");
  ASSERT_TRUE(apply);
  ASSERT_EQ(apply->status, 200) << apply->body;
  Json applied = Json::parse(apply->body);
  Get("/api/events/" + std::to_string(id), 404);
  for (const Json& e : Json(Get("/api/events?dyad=UZB-RUS&limit=500")["events"])) EXPECT_NE(e["id"], id);
  Json log = Get("/api/corrections")["corrections"];
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["kind"], "event_wrong");
  EXPECT_GE(log[0]["events_altered"].get<int>(), 1);
  // Revert: the event is back (a new id, same sentence and code).
  const std::string revert = "/api/corrections/" + std::to_string(applied["correction"]["id"].get<long long>()) + "/revert";
  auto back = client_->Post(revert, auth, "", "application/json");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->status, 200) << back->body;
  bool restored = false;
  const Json listed = Get("/api/events?dyad=UZB-RUS&code=114&limit=500");
  for (const Json& e : listed["events"]) {
    restored = restored || (e["sentence"] == victim["sentence"] && e["code"] == victim["code"]);
  }
  EXPECT_TRUE(restored) << listed.dump(1).substr(0, 3000);
  EXPECT_EQ(Get("/api/corrections")["corrections"].size(), 2u);
  // Bad bodies are 400 with a message.
  auto junk = client_->Post("/api/corrections", auth, R"({"kind":"teleport"})", "application/json");
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 400);
  // The actor correction is written to the user dictionary file.
  auto actor = client_->Post("/api/corrections", auth,
                             R"({"kind":"actor","phrase":"Sverdlovsk regional police","code":"RUSCOP"})",
                             "application/json");
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->status, 200) << actor->body;
  std::ifstream user(dir_.path() + "/user.dict.txt");
  std::stringstream text;
  text << user.rdbuf();
  EXPECT_NE(text.str().find("RUSCOP"), std::string::npos);
}

// docs/openapi.yaml describes the routes the server has: every documented
// path and method answers (maybe 400 for missing parameters), never "no such
// route".
TEST_F(ServerTest, EveryDocumentedRouteExists) {
  std::ifstream in(std::string(DYAD_TEST_DATA_DIR) + "/../docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml";
  std::string line, path;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.rfind("  /", 0) == 0) {
      path = line.substr(2, line.find(':') - 2);
      for (size_t at = path.find("{id}"); at != std::string::npos; at = path.find("{id}")) {
        path.replace(at, 4, "1");
      }
      continue;
    }
    if (path.empty() || (line != "    get:" && line != "    post:")) continue;
    auto res = line == "    get:" ? client_->Get(path.c_str())
                                  : client_->Post(path.c_str(), "{}", "application/json");
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->body.find("no such route"), std::string::npos) << line << " " << path;
    EXPECT_NE(res->status, 405) << path;
    // Outside /api/ an unknown path falls through to the dashboard's files (404).
    if (path.rfind("/api/", 0) != 0) {
      EXPECT_EQ(res->status, 200) << path;
    }
    ++checked;
  }
  EXPECT_GE(checked, 21);
}

TEST_F(ServerTest, TheServerBindsToLoopbackByDefault) {
  ServerOptions o;
  EXPECT_EQ(o.bind, "127.0.0.1");
  EXPECT_TRUE(o.token.empty());
}

}  // namespace
}  // namespace dyad
