// Exports (src/export/): story grouping, the four formats, actor-code
// splitting and the country table. The store is a fake: ExportEvents only
// reads through Store::QueryEvents, so an in-memory list of EventRow is all
// it needs.
#include "dyad/export.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "export/countries.h"
#include "test_util.h"

namespace dyad {
namespace {

// An in-memory Store: QueryEvents applies the date range, dyad, code prefix
// and limit simply and hands out the rows in the order they were added
// (tests add them ordered by story, then event id, as the real store yields).
class FakeStore : public Store {
 public:
  std::vector<EventRow> rows;
  EventQuery last_query;
  Status query_error;

  std::string backend() const override { return "fake"; }
  Result<int> SchemaVersion() override { return 1; }
  Result<std::int64_t> BeginRun(const std::string&, const std::string&) override {
    return Unsupported();
  }
  Status FinishRun(std::int64_t, const RunSummary&) override { return Unsupported(); }
  Result<std::vector<bool>> HasDocuments(const std::vector<std::string>&) override {
    return Unsupported();
  }
  Result<std::int64_t> AddDocuments(std::int64_t, std::vector<DocumentRecord>*) override {
    return Unsupported();
  }
  Status ForEachSignature(
      const std::function<void(const std::string&, const std::string&, const std::string&)>&)
      override {
    return Unsupported();
  }
  Result<bool> IsFileDone(const FileMark&) override { return Unsupported(); }
  Status MarkFilesDone(std::int64_t, const std::vector<FileMark>&) override { return Unsupported(); }
  Status ForEachDocument(const std::function<void(const RecodeItem&)>&) override {
    return Unsupported();
  }
  Status ReplaceEvents(std::int64_t, const std::vector<Event>&, const std::string&) override {
    return Unsupported();
  }
  Result<std::vector<SentenceHit>> SearchSentences(const std::string&, int) override {
    return Unsupported();
  }
  Result<StoreCounts> Counts() override { return Unsupported(); }
  Status ForEachEventFact(const std::function<void(const EventFact&)>&) override {
    return Unsupported();
  }
  Status ForEachDocumentFact(const std::function<void(const DocumentFact&)>&,
                             std::int64_t) override {
    return Unsupported();
  }
  Result<std::vector<EventFact>> GetEventFacts(const std::vector<std::int64_t>&) override {
    return Unsupported();
  }
  Result<std::vector<DocumentFact>> GetDocumentFacts(const std::vector<std::int64_t>&) override {
    return Unsupported();
  }
  Result<std::vector<EventRow>> GetEvents(const std::vector<std::int64_t>&) override {
    return Unsupported();
  }
  Result<std::vector<std::int64_t>> EventIdsForSentences(
      const std::vector<std::pair<std::int64_t, std::uint32_t>>&) override {
    return Unsupported();
  }
  Result<DocumentView> GetDocument(std::int64_t) override { return Unsupported(); }
  Result<std::vector<std::int64_t>> StoryDocuments(std::int64_t) override { return Unsupported(); }
  Result<std::vector<EventChange>> ChangesSince(std::int64_t, int) override {
    return Unsupported();
  }
  Result<std::int64_t> LatestChange() override { return Unsupported(); }
  Result<RecodeItem> GetRecodeItem(std::int64_t) override { return Unsupported(); }
  Status AddCorrection(CorrectionRecord*) override { return Unsupported(); }
  Result<std::vector<CorrectionRecord>> ListCorrections(int) override { return Unsupported(); }
  Result<CorrectionRecord> GetCorrection(std::int64_t) override { return Unsupported(); }
  Result<std::vector<SourceState>> SourceStates() override { return Unsupported(); }
  Status SaveSourceState(const SourceState&) override { return Unsupported(); }
  Result<bool> HasDocumentUrl(const std::string&) override { return Unsupported(); }
  Result<bool> AddAlert(AlertRecord*) override { return Unsupported(); }
  Result<std::vector<AlertRecord>> ListAlerts(int) override { return Unsupported(); }
  Result<std::optional<AlertRecord>> FindAlert(const std::string&) override { return Unsupported(); }
  Result<std::optional<AlertRecord>> GetAlert(std::int64_t) override { return Unsupported(); }
  Status AddSavedRule(SavedRule*) override { return Unsupported(); }
  Result<std::vector<SavedRule>> SavedRules() override { return Unsupported(); }
  Result<bool> DeleteSavedRule(std::int64_t) override { return Unsupported(); }
  Status SaveNotification(const NotificationState&) override { return Unsupported(); }
  Result<std::vector<NotificationState>> Notifications(const std::string&, int) override {
    return Unsupported();
  }

  Status QueryEvents(const EventQuery& query,
                     const std::function<void(const EventRow&)>& fn) override {
    last_query = query;
    if (!query_error.ok()) return query_error;
    std::int64_t n = 0;
    for (const EventRow& r : rows) {
      if (query.limit >= 0 && n >= query.limit) break;
      const Event& e = r.event;
      if (!query.from.empty() && e.date < query.from) continue;
      if (!query.to.empty() && e.date > query.to) continue;
      if (e.code.rfind(query.code_prefix, 0) != 0) continue;
      if (!query.actor_a.empty() || !query.actor_b.empty()) {
        auto is = [](const std::string& code, const std::string& prefix) {
          return code.rfind(prefix, 0) == 0;
        };
        bool forward = is(e.source, query.actor_a) && is(e.target, query.actor_b);
        bool backward = is(e.source, query.actor_b) && is(e.target, query.actor_a);
        if (!forward && (query.directed || !backward)) continue;
      }
      ++n;
      fn(r);
    }
    return Status::Ok();
  }

 private:
  static Status Unsupported() { return InvalidArgument("not supported by FakeStore"); }
};

EventRow MakeEvent(std::int64_t id, std::int64_t doc, std::int64_t story, const std::string& source,
                   const std::string& target, const std::string& code, const std::string& date,
                   const std::string& outlet, std::uint32_t sentence_index = 2) {
  EventRow r;
  r.event_id = id;
  r.document_id = doc;
  r.story_id = story;
  r.url = "https://news.example/" + std::to_string(doc);
  r.outlet = outlet;
  r.title = "Title " + std::to_string(doc);
  r.date_added = "20250613080000";
  Event& e = r.event;
  e.doc_id = "doc" + std::to_string(doc);
  e.date = date;
  e.source = source;
  e.target = target;
  e.code = code;
  e.root = code.substr(0, 2);
  e.sentence_index = sentence_index;
  e.sentence = "Sentence of event " + std::to_string(id) + ".";
  e.source_text = "source " + std::to_string(id);
  e.target_text = "target " + std::to_string(id);
  e.verb_text = "verb";
  e.pattern = "--- CRITICIZE [111] ---";
  e.pattern_origin = "dyad.verbs.txt:1";
  if (code == "111") {
    e.quad_class = 3;
    e.goldstein = -2.0;
    e.has_goldstein = true;
  } else if (code == "173") {
    e.quad_class = 4;
    e.goldstein = -5.0;
    e.has_goldstein = true;
  }  // other codes: the export falls back to the CAMEO table
  return r;
}

// Story 1: one event (UZBGOV 111 RUSCOP) mentioned three times in two
// documents from two outlets, and a different event in the same story;
// story 2: another event from an outlet-less document.
FakeStore GroupingStore() {
  FakeStore store;
  store.rows.push_back(MakeEvent(10, 100, 1, "UZBGOV", "RUSCOP", "111", "2025-06-12", "Gazeta"));
  store.rows.push_back(MakeEvent(11, 100, 1, "RUSCOP", "UZBLAB", "173", "2025-06-12", "Gazeta"));
  store.rows.push_back(
      MakeEvent(12, 101, 1, "UZBGOV", "RUSCOP", "111", "2025-06-11", "Fergana", 0));
  store.rows.push_back(MakeEvent(13, 101, 1, "UZBGOV", "RUSCOP", "111", "2025-06-11", "Fergana"));
  store.rows.push_back(MakeEvent(14, 102, 2, "RUSGOV", "UZBGOV", "036", "2025-06-13", ""));
  store.rows[4].url = "";
  return store;
}

ExportOptions Options(ExportFormat format, bool all_mentions = false) {
  ExportOptions options;
  options.format = format;
  options.all_mentions = all_mentions;
  return options;
}

std::string Export(Store& store, ExportOptions options, ExportStats* stats = nullptr) {
  std::ostringstream out;
  Status s = ExportEvents(store, options, out, stats);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

// The GDELT 2.0 event table's 61 columns as the codebook spells them, written
// out here independently of GdeltColumns().
const std::vector<std::string> kGdelt20Columns = {
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL"};

// Index of a GDELT column by name, from the independent list.
size_t Col(const std::string& name) {
  for (size_t i = 0; i < kGdelt20Columns.size(); ++i) {
    if (kGdelt20Columns[i] == name) return i;
  }
  ADD_FAILURE() << "no GDELT column " << name;
  return 0;
}

// ------------------------------------------------------------ countries

TEST(CountriesTest, CountryOfActor) {
  struct Case {
    const char* code;
    const char* cameo;
    const char* fips;
    const char* iso2;
    const char* name;
  };
  const Case cases[] = {
      {"UZBGOV", "UZB", "UZ", "UZ", "Uzbekistan"}, {"RUSCOP", "RUS", "RS", "RU", "Russia"},
      {"TJK", "TJK", "TI", "TJ", "Tajikistan"},     {"KGZLAB", "KGZ", "KG", "KG", "Kyrgyzstan"},
      {"KAZ", "KAZ", "KZ", "KZ", "Kazakhstan"},     {"UKRMIL", "UKR", "UP", "UA", "Ukraine"},
      {"USAGOV", "USA", "US", "US", "United States"},
      {"GBRGOV", "GBR", "UK", "GB", "United Kingdom"},
      {"DEU", "DEU", "GM", "DE", "Germany"},        {"TKMGOV", "TKM", "TX", "TM", "Turkmenistan"},
  };
  for (const Case& c : cases) {
    const CountryInfo* info = CountryOfActor(c.code);
    ASSERT_NE(info, nullptr) << c.code;
    EXPECT_EQ(info->cameo, c.cameo);
    EXPECT_EQ(info->fips, c.fips) << c.code;
    EXPECT_EQ(info->iso2, c.iso2) << c.code;
    EXPECT_EQ(info->name, c.name);
    EXPECT_TRUE(info->has_centroid) << c.code;
  }
  const CountryInfo* uzb = CountryOfActor("UZB");
  EXPECT_NEAR(uzb->lat, 41.4, 1.0);
  EXPECT_NEAR(uzb->lon, 64.6, 1.0);
  for (const char* code : {"IGOUNO", "NGOHRW", "---GOV", "", "UZ", "MEAREB", "CASGOV", "XYZGOV"}) {
    EXPECT_EQ(CountryOfActor(code), nullptr) << code;
  }
}

// Every country the bundled actor dictionary can produce has a row: the first
// three letters of every code in dyad.actors.txt are a country, a CAMEO region
// or an organisation prefix.
TEST(CountriesTest, CoversEveryCodeInTheActorDictionary) {
  std::ifstream in(testing::DataDir() + "/dict/dyad.actors.txt");
  ASSERT_TRUE(in) << "data/dict/dyad.actors.txt";
  std::set<std::string> prefixes;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '#') continue;
    for (size_t open = line.find('['); open != std::string::npos; open = line.find('[', open + 1)) {
      std::string code = line.substr(open + 1, 3);
      if (code.size() == 3 && code[0] != '~') prefixes.insert(code);
    }
  }
  ASSERT_GT(prefixes.size(), 190u);
  int countries = 0;
  for (const std::string& p : prefixes) {
    if (p == "IGO" || p == "NGO") continue;
    bool known = exports::FindCountry(p) != nullptr || exports::FindRegionName(p) != nullptr;
    EXPECT_TRUE(known) << p << " is used in dyad.actors.txt but not in data/countries.tsv";
    if (exports::FindCountry(p) != nullptr) {
      ++countries;
      EXPECT_FALSE(exports::FindCountry(p)->fips.empty()) << p;
    }
  }
  EXPECT_GT(countries, 180);
}

// The checked-in table is well formed: a header, seven fields a row, unique
// codes, and FIPS and ISO codes of two capital letters.
TEST(CountriesTest, TableIsWellFormed) {
  std::ifstream in(testing::DataDir() + "/countries.tsv");
  ASSERT_TRUE(in);
  std::set<std::string> codes;
  bool header = false;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = Fields(line);
    ASSERT_EQ(f.size(), 7u) << "countries.tsv:" << line_no;
    if (!header) {
      EXPECT_EQ(line, "cameo\tkind\tfips\tiso2\tname\tlat\tlon");
      header = true;
      continue;
    }
    EXPECT_TRUE(codes.insert(f[0]).second) << "duplicate " << f[0];
    EXPECT_EQ(f[0].size(), 3u) << line_no;
    EXPECT_TRUE(f[1] == "country" || f[1] == "region") << line_no;
    EXPECT_FALSE(f[4].empty()) << line_no;
    for (const std::string& two : {f[2], f[3]}) {
      if (two.empty()) continue;
      EXPECT_TRUE(two.size() == 2 && std::isupper(two[0]) && std::isupper(two[1])) << line_no;
    }
    if (f[1] == "country" && !f[5].empty()) {
      double lat = std::stod(f[5]), lon = std::stod(f[6]);
      EXPECT_TRUE(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) << line_no;
    }
  }
  EXPECT_TRUE(header);
  EXPECT_GT(codes.size(), 270u);
}

TEST(CountriesTest, SplitsActorCodesTheGdeltWay) {
  struct Case {
    const char* code;
    const char* country;
    const char* known_group;
    const char* religion1;
    const char* type1;
    const char* type2;
  };
  const Case cases[] = {
      {"UZBGOV", "UZB", "", "", "GOV", ""},
      {"RUSCOP", "RUS", "", "", "COP", ""},
      {"UZBGOVMIL", "UZB", "", "", "GOV", "MIL"},
      {"IGOUNO", "", "UNO", "", "IGO", ""},
      {"IGOUNOHCR", "", "HCR", "", "IGO", ""},
      {"IGOEUREEC", "", "EEC", "", "IGO", ""},
      {"IGOWSTNAT", "", "NAT", "", "IGO", ""},
      {"IGOFATF", "", "FATF", "", "IGO", ""},
      {"IGOG7", "", "G7", "", "IGO", ""},
      {"NGOHRW", "", "HRW", "", "NGO", ""},
      {"---GOV", "", "", "", "GOV", ""},
      {"MEAREB", "MEA", "", "", "REB", ""},
      {"UZBMOSREL", "UZB", "", "MOS", "REL", ""},
      {"UZB", "UZB", "", "", "", ""},
      {"", "", "", "", "", ""},
  };
  for (const Case& c : cases) {
    exports::ActorParts p = exports::SplitActorCode(c.code);
    EXPECT_EQ(p.country, c.country) << c.code;
    EXPECT_EQ(p.known_group, c.known_group) << c.code;
    EXPECT_EQ(p.religion1, c.religion1) << c.code;
    EXPECT_EQ(p.type[0], c.type1) << c.code;
    EXPECT_EQ(p.type[1], c.type2) << c.code;
    EXPECT_EQ(p.ethnic, "") << c.code;
  }
  EXPECT_EQ(exports::SplitActorCode("MEAREB").name, "Middle East");
  EXPECT_EQ(exports::SplitActorCode("MEAREB").info, nullptr);
}

TEST(CountriesTest, SplitsActorCodesThePhoenixWay) {
  exports::PhoenixActor a = exports::SplitPhoenixActor("UZBGOVMILELI");
  EXPECT_EQ(a.entity, "UZB");
  EXPECT_EQ(a.role, "GOV");
  EXPECT_EQ(a.attributes, "MIL;ELI");
  a = exports::SplitPhoenixActor("IGOUNOHCR");
  EXPECT_EQ(a.entity, "IGO");
  EXPECT_EQ(a.role, "");
  EXPECT_EQ(a.attributes, "UNO;HCR");
  a = exports::SplitPhoenixActor("RUSLAB");
  EXPECT_EQ(a.entity, "RUS");
  EXPECT_EQ(a.role, "");  // LAB is not one of Phoenix's primary agents
  EXPECT_EQ(a.attributes, "LAB");
}

TEST(CountriesTest, PentaClassFollowsPhoenix) {
  const std::pair<const char*, int> cases[] = {
      {"01", 0}, {"02", 0}, {"03", 1}, {"05", 1}, {"06", 2}, {"08", 2}, {"09", 3},
      {"13", 3}, {"14", 4}, {"15", 4}, {"16", 3}, {"17", 4}, {"20", 4}, {"21", -1},
      {"00", -1}, {"1", -1}, {"", -1}};
  for (const auto& [root, penta] : cases) EXPECT_EQ(exports::PentaClass(root), penta) << root;
}

// ------------------------------------------------------------ formats

TEST(ExportTest, ParsesFormatNames) {
  ExportFormat f = ExportFormat::kJsonl;
  EXPECT_TRUE(ParseExportFormat("gdelt", &f));
  EXPECT_EQ(f, ExportFormat::kGdelt);
  EXPECT_TRUE(ParseExportFormat("Phoenix", &f));
  EXPECT_EQ(f, ExportFormat::kPhoenix);
  EXPECT_TRUE(ParseExportFormat("csv", &f));
  EXPECT_EQ(f, ExportFormat::kCsv);
  EXPECT_TRUE(ParseExportFormat("JSONL", &f));
  EXPECT_EQ(f, ExportFormat::kJsonl);
  EXPECT_FALSE(ParseExportFormat("tsv", &f));
  EXPECT_FALSE(ParseExportFormat("", &f));
}

TEST(ExportTest, GdeltColumnsAreTheGdelt20Names) {
  EXPECT_EQ(GdeltColumns(), kGdelt20Columns);
  EXPECT_EQ(GdeltColumns().size(), 61u);
}

TEST(ExportTest, GroupsMentionsOfOneEventInAStory) {
  FakeStore store = GroupingStore();
  ExportStats stats;
  std::string out = Export(store, Options(ExportFormat::kJsonl), &stats);
  EXPECT_EQ(stats.events_read, 5);
  EXPECT_EQ(stats.rows_written, 3);
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 3u);
  auto a = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(a["id"], 10);
  EXPECT_EQ(a["event_ids"], nlohmann::json({10, 12, 13}));
  EXPECT_EQ(a["source"], "UZBGOV");
  EXPECT_EQ(a["target"], "RUSCOP");
  EXPECT_EQ(a["code"], "111");
  EXPECT_EQ(a["num_mentions"], 3);
  EXPECT_EQ(a["num_articles"], 2);
  EXPECT_EQ(a["num_sources"], 2);
  EXPECT_EQ(a["date"], "2025-06-11");  // the earliest mention's date
  EXPECT_EQ(a["url"], "https://news.example/100");  // the first mention's
  EXPECT_EQ(a["outlet"], "Gazeta");
  EXPECT_EQ(a["evidence"]["sentence"], "Sentence of event 10.");
  EXPECT_EQ(a["story_id"], 1);
  auto b = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(b["id"], 11);
  EXPECT_EQ(b["code"], "173");
  EXPECT_EQ(b["num_mentions"], 1);
  EXPECT_EQ(b["num_articles"], 1);
  EXPECT_EQ(b["num_sources"], 1);
  auto c = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(c["id"], 14);
  EXPECT_EQ(c["story_id"], 2);
  EXPECT_EQ(c["num_sources"], 1);  // no outlet known: counted as one source
  EXPECT_EQ(c["quad_class"], 1);   // 036 from the CAMEO table
  EXPECT_EQ(c["goldstein"], 4.0);
}

TEST(ExportTest, AllMentionsWritesEveryEvent) {
  FakeStore store = GroupingStore();
  ExportStats stats;
  std::string out =
      Export(store, Options(ExportFormat::kJsonl, true), &stats);
  EXPECT_EQ(stats.rows_written, 5);
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(nlohmann::json::parse(lines[2])["id"], 12);
  EXPECT_EQ(nlohmann::json::parse(lines[2])["num_mentions"], 1);
  std::string csv = Export(store, Options(ExportFormat::kCsv, true));
  EXPECT_EQ(Lines(csv).size(), 6u);  // header + 5
}

TEST(ExportTest, AllMentionsIsRejectedForGdeltAndPhoenix) {
  FakeStore store = GroupingStore();
  for (ExportFormat f : {ExportFormat::kGdelt, ExportFormat::kPhoenix}) {
    std::ostringstream out;
    Status s = ExportEvents(store, Options(f, true), out, nullptr);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(out.str(), "");
  }
}

TEST(ExportTest, PassesTheQueryToTheStoreAndItsErrorsBack) {
  FakeStore store = GroupingStore();
  ExportOptions options = Options(ExportFormat::kJsonl);
  options.query.actor_a = "RUS";
  options.query.actor_b = "UZB";
  options.query.directed = true;
  std::string out = Export(store, options);
  EXPECT_EQ(store.last_query.actor_a, "RUS");
  EXPECT_TRUE(store.last_query.directed);
  ASSERT_EQ(Lines(out).size(), 2u);  // 11 (RUSCOP->UZBLAB) and 14 (RUSGOV->UZBGOV)
  EXPECT_EQ(nlohmann::json::parse(Lines(out)[0])["id"], 11);

  store.query_error = IoError("database is locked");
  std::ostringstream sink;
  Status s = ExportEvents(store, options, sink, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), "database is locked");
}

TEST(ExportTest, EmptyStoreWritesOnlyAHeader) {
  FakeStore store;
  EXPECT_EQ(Export(store, Options(ExportFormat::kGdelt)), "");
  EXPECT_EQ(Export(store, Options(ExportFormat::kJsonl)), "");
  EXPECT_EQ(Lines(Export(store, Options(ExportFormat::kCsv))).size(), 1u);
  EXPECT_EQ(Lines(Export(store, Options(ExportFormat::kPhoenix))).size(), 1u);
}

TEST(ExportTest, GdeltHasSixtyOneTabFieldsAndNoHeader) {
  FakeStore store = GroupingStore();
  std::string out = Export(store, Options(ExportFormat::kGdelt));
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\r'), std::string::npos);
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 3u);
  for (const std::string& line : lines) EXPECT_EQ(Fields(line).size(), 61u) << line;
  EXPECT_NE(lines[0].rfind("10\t", 0), std::string::npos);

  ExportOptions with_header = Options(ExportFormat::kGdelt);
  with_header.header = true;
  std::vector<std::string> headed = Lines(Export(store, with_header));
  ASSERT_EQ(headed.size(), 4u);
  EXPECT_EQ(Fields(headed[0]), kGdelt20Columns);
}

TEST(ExportTest, GdeltFields) {
  FakeStore store = GroupingStore();
  std::vector<std::string> lines = Lines(Export(store, Options(ExportFormat::kGdelt)));
  ASSERT_EQ(lines.size(), 3u);
  std::vector<std::string> f = Fields(lines[0]);
  ASSERT_EQ(f.size(), 61u);
  EXPECT_EQ(f[Col("GlobalEventID")], "10");
  EXPECT_EQ(f[Col("Day")], "20250611");
  EXPECT_EQ(f[Col("MonthYear")], "202506");
  EXPECT_EQ(f[Col("Year")], "2025");
  EXPECT_EQ(f[Col("FractionDate")], "2025.4411");  // 11 June: 161 days done; 161/365
  EXPECT_EQ(f[Col("Actor1Code")], "UZBGOV");
  EXPECT_EQ(f[Col("Actor1Name")], "UZBEKISTAN");
  EXPECT_EQ(f[Col("Actor1CountryCode")], "UZB");
  EXPECT_EQ(f[Col("Actor1Type1Code")], "GOV");
  EXPECT_EQ(f[Col("Actor1Type2Code")], "");
  EXPECT_EQ(f[Col("Actor2Code")], "RUSCOP");
  EXPECT_EQ(f[Col("Actor2CountryCode")], "RUS");
  EXPECT_EQ(f[Col("Actor2Type1Code")], "COP");
  EXPECT_EQ(f[Col("IsRootEvent")], "1");  // mention 12 is a lead sentence
  EXPECT_EQ(f[Col("EventCode")], "111");
  EXPECT_EQ(f[Col("EventBaseCode")], "111");
  EXPECT_EQ(f[Col("EventRootCode")], "11");
  EXPECT_EQ(f[Col("QuadClass")], "3");
  EXPECT_EQ(f[Col("GoldsteinScale")], "-2");
  EXPECT_EQ(f[Col("NumMentions")], "3");
  EXPECT_EQ(f[Col("NumSources")], "2");
  EXPECT_EQ(f[Col("NumArticles")], "2");
  EXPECT_EQ(f[Col("AvgTone")], "0");
  // Country-level geography in FIPS codes.
  EXPECT_EQ(f[Col("Actor1Geo_Type")], "1");
  EXPECT_EQ(f[Col("Actor1Geo_FullName")], "Uzbekistan");
  EXPECT_EQ(f[Col("Actor1Geo_CountryCode")], "UZ");
  EXPECT_EQ(f[Col("Actor1Geo_ADM1Code")], "UZ");
  EXPECT_EQ(f[Col("Actor1Geo_ADM2Code")], "");
  EXPECT_EQ(f[Col("Actor1Geo_FeatureID")], "UZ");
  EXPECT_NEAR(std::stod(f[Col("Actor1Geo_Lat")]), 41.4, 1.0);
  EXPECT_NEAR(std::stod(f[Col("Actor1Geo_Long")]), 64.6, 1.0);
  EXPECT_EQ(f[Col("Actor2Geo_CountryCode")], "RS");
  EXPECT_EQ(f[Col("Actor2Geo_FullName")], "Russia");
  EXPECT_EQ(f[Col("ActionGeo_CountryCode")], "RS");  // the target's country
  EXPECT_EQ(f[Col("ActionGeo_FeatureID")], "RS");
  EXPECT_EQ(f[Col("DATEADDED")], "20250613080000");
  EXPECT_EQ(f[Col("SOURCEURL")], "https://news.example/100");

  std::vector<std::string> b = Fields(lines[1]);
  EXPECT_EQ(b[Col("Actor2Code")], "UZBLAB");
  EXPECT_EQ(b[Col("Actor2Type1Code")], "LAB");
  EXPECT_EQ(b[Col("IsRootEvent")], "0");
  EXPECT_EQ(b[Col("EventRootCode")], "17");
  EXPECT_EQ(b[Col("QuadClass")], "4");
  EXPECT_EQ(b[Col("GoldsteinScale")], "-5");
  EXPECT_EQ(b[Col("Day")], "20250612");
  EXPECT_EQ(b[Col("FractionDate")], "2025.4438");

  std::vector<std::string> c = Fields(lines[2]);
  EXPECT_EQ(c[Col("EventCode")], "036");
  EXPECT_EQ(c[Col("EventBaseCode")], "036");
  EXPECT_EQ(c[Col("EventRootCode")], "03");
  EXPECT_EQ(c[Col("QuadClass")], "1");
  EXPECT_EQ(c[Col("GoldsteinScale")], "4");
  EXPECT_EQ(c[Col("SOURCEURL")], "");
}

TEST(ExportTest, GdeltActorsWithoutACountry) {
  FakeStore store;
  store.rows.push_back(MakeEvent(1, 1, 1, "IGOUNOHCR", "---COP", "1121", "", "X"));
  store.rows[0].actor1_name = "United Nations refugee agency";
  std::vector<std::string> lines = Lines(Export(store, Options(ExportFormat::kGdelt)));
  ASSERT_EQ(lines.size(), 1u);
  std::vector<std::string> f = Fields(lines[0]);
  ASSERT_EQ(f.size(), 61u);
  EXPECT_EQ(f[Col("Day")], "");
  EXPECT_EQ(f[Col("FractionDate")], "");
  EXPECT_EQ(f[Col("Actor1Name")], "UNITED NATIONS REFUGEE AGENCY");
  EXPECT_EQ(f[Col("Actor1CountryCode")], "");
  EXPECT_EQ(f[Col("Actor1KnownGroupCode")], "HCR");
  EXPECT_EQ(f[Col("Actor1Type1Code")], "IGO");
  EXPECT_EQ(f[Col("Actor2Name")], "");
  EXPECT_EQ(f[Col("Actor2Type1Code")], "COP");
  EXPECT_EQ(f[Col("EventBaseCode")], "112");
  EXPECT_EQ(f[Col("EventRootCode")], "11");
  EXPECT_EQ(f[Col("Actor1Geo_Type")], "");
  EXPECT_EQ(f[Col("ActionGeo_Type")], "");
  EXPECT_EQ(f[Col("ActionGeo_CountryCode")], "");
}

TEST(ExportTest, FractionDateAcrossTheYear) {
  const std::pair<const char*, const char*> cases[] = {
      {"2025-01-01", "2025.0000"}, {"2024-03-01", "2024.1639"},  // leap year: 60/366
      {"2025-12-31", "2025.9973"}, {"2024-12-31", "2024.9973"}, {"2023-07-02", "2023.4986"}};
  for (const auto& [date, fraction] : cases) {
    FakeStore store;
    store.rows.push_back(MakeEvent(1, 1, 1, "UZBGOV", "RUSGOV", "111", date, "X"));
    std::vector<std::string> f = Fields(Lines(Export(store, Options(ExportFormat::kGdelt)))[0]);
    EXPECT_EQ(f[Col("FractionDate")], fraction) << date;
  }
}

TEST(ExportTest, TabsAndNewlinesNeverLeakIntoTabSeparatedFields) {
  FakeStore store;
  store.rows.push_back(MakeEvent(1, 1, 1, "UZBGOV", "RUSCOP", "111", "2025-06-12", "Out\tlet"));
  EventRow& r = store.rows[0];
  r.url = "https://x.example/a\tb\nc\r\nd";
  r.actor1_name = "Uzbek\nForeign\tMinistry";
  r.event.doc_id = "doc\t1";
  r.event.sentence = "Line one\nline\ttwo";
  for (ExportFormat format : {ExportFormat::kGdelt, ExportFormat::kPhoenix}) {
    ExportOptions options = Options(format);
    options.header = false;
    std::string out = Export(store, options);
    std::vector<std::string> lines = Lines(out);
    ASSERT_EQ(lines.size(), 1u) << out;
    EXPECT_EQ(out.find('\r'), std::string::npos);
    std::vector<std::string> f = Fields(lines[0]);
    EXPECT_EQ(f.size(), format == ExportFormat::kGdelt ? 61u : 26u);
    EXPECT_EQ(f.back(), format == ExportFormat::kGdelt ? "https://x.example/a b c  d" : "Out let");
    if (format == ExportFormat::kGdelt) {
      EXPECT_EQ(f[Col("Actor1Name")], "UZBEK FOREIGN MINISTRY");
    }
  }
}

TEST(ExportTest, Phoenix) {
  FakeStore store = GroupingStore();
  std::vector<std::string> lines = Lines(Export(store, Options(ExportFormat::kPhoenix)));
  ASSERT_EQ(lines.size(), 4u);
  std::vector<std::string> header = Fields(lines[0]);
  const std::vector<std::string> kPhoenix = {
      "EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity",
      "SourceActorRole", "SourceActorAttribute", "TargetActorFull", "TargetActorEntity",
      "TargetActorRole", "TargetActorAttribute", "EventCode", "EventRootCode", "PentaClass",
      "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName", "StateName", "CountryCode",
      "SentenceID", "URLs", "NewsSources"};
  EXPECT_EQ(header, kPhoenix);
  auto at = [&](const std::vector<std::string>& f, const std::string& name) {
    for (size_t i = 0; i < kPhoenix.size(); ++i) {
      if (kPhoenix[i] == name) return f.at(i);
    }
    return std::string("?");
  };
  std::vector<std::string> a = Fields(lines[1]);
  ASSERT_EQ(a.size(), 26u);
  EXPECT_EQ(at(a, "EventID"), "10");
  EXPECT_EQ(at(a, "Date"), "20250611");
  EXPECT_EQ(at(a, "Year"), "2025");
  EXPECT_EQ(at(a, "Month"), "06");
  EXPECT_EQ(at(a, "Day"), "11");
  EXPECT_EQ(at(a, "SourceActorEntity"), "UZB");
  EXPECT_EQ(at(a, "SourceActorRole"), "GOV");
  EXPECT_EQ(at(a, "TargetActorEntity"), "RUS");
  EXPECT_EQ(at(a, "TargetActorRole"), "COP");
  EXPECT_EQ(at(a, "EventRootCode"), "11");
  EXPECT_EQ(at(a, "PentaClass"), "3");
  EXPECT_EQ(at(a, "GoldsteinScore"), "-2");
  EXPECT_EQ(at(a, "CountryCode"), "RUS");
  EXPECT_EQ(at(a, "LocationName"), "Russia");
  EXPECT_EQ(at(a, "SentenceID"), "doc100_2;doc101_0;doc101_2");
  EXPECT_EQ(at(a, "URLs"), "https://news.example/100;https://news.example/101");
  EXPECT_EQ(at(a, "NewsSources"), "Gazeta;Fergana");
  std::vector<std::string> b = Fields(lines[2]);
  EXPECT_EQ(at(b, "PentaClass"), "4");
  EXPECT_EQ(at(b, "TargetActorRole"), "");
  EXPECT_EQ(at(b, "TargetActorAttribute"), "LAB");
  std::vector<std::string> c = Fields(lines[3]);
  EXPECT_EQ(at(c, "PentaClass"), "1");
  EXPECT_EQ(at(c, "CountryCode"), "UZB");
  EXPECT_EQ(at(c, "NewsSources"), "");

  ExportOptions no_header = Options(ExportFormat::kPhoenix);
  no_header.header = false;
  EXPECT_EQ(Lines(Export(store, no_header)).size(), 3u);
}

// A minimal RFC 4180 reader for the round trip.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, in_quotes = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      quoted = false;
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(field.empty() && record.empty()) << "unterminated record";
  return records;
}

TEST(ExportTest, CsvQuotesAndRoundTrips) {
  FakeStore store = GroupingStore();
  const std::string tricky = "He said \"no\", then left,\nand wrote:\r\n\"done\"";
  store.rows[0].event.sentence = tricky;
  store.rows[0].outlet = "Gazeta, \"Daily\"";
  std::string out = Export(store, Options(ExportFormat::kCsv));
  EXPECT_NE(out.find("\"He said \"\"no\"\", then left,\nand wrote:\r\n\"\"done\"\"\""),
            std::string::npos)
      << out;
  auto records = ParseCsv(out);
  ASSERT_EQ(records.size(), 4u);
  const std::vector<std::string> header = {
      "id", "date", "source", "source_country", "target", "target_country", "code", "root",
      "quad_class", "goldstein", "num_mentions", "num_articles", "num_sources", "sentence",
      "url", "outlet", "document_id", "story_id"};
  EXPECT_EQ(records[0], header);
  const std::vector<std::string> first = {
      "10", "2025-06-11", "UZBGOV", "UZB", "RUSCOP", "RUS", "111", "11", "3", "-2", "3", "2",
      "2", tricky, "https://news.example/100", "Gazeta, \"Daily\"", "100", "1"};
  EXPECT_EQ(records[1], first);
  for (const auto& r : records) EXPECT_EQ(r.size(), header.size());
}

TEST(ExportTest, JsonlParsesBack) {
  FakeStore store = GroupingStore();
  store.rows[0].event.sentence = "Quote \" backslash \\ tab\t newline\n and \xff bad byte";
  std::string out = Export(store, Options(ExportFormat::kJsonl));
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 3u);
  for (const std::string& line : lines) {
    nlohmann::json j = nlohmann::json::parse(line);
    for (const char* key :
         {"id", "event_ids", "date", "source", "target", "code", "root", "quad_class",
          "goldstein", "num_mentions", "num_articles", "num_sources", "url", "outlet",
          "document_id", "story_id", "evidence"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    for (const char* key : {"sentence", "source_text", "verb_text", "target_text", "pattern",
                            "pattern_origin"}) {
      EXPECT_TRUE(j["evidence"].contains(key)) << key;
    }
  }
  nlohmann::json a = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(a["evidence"]["sentence"],
            "Quote \" backslash \\ tab\t newline\n and \xEF\xBF\xBD bad byte");
  EXPECT_EQ(a["evidence"]["source_text"], "source 10");
  EXPECT_EQ(a["evidence"]["pattern_origin"], "dyad.verbs.txt:1");
  EXPECT_EQ(a["document_id"], 100);
  EXPECT_EQ(a["root"], "11");
  EXPECT_EQ(a["quad_class"], 3);
  EXPECT_EQ(a["goldstein"], -2.0);
}

bool HavePandas() {
  if (std::system("test -x /usr/bin/python3") != 0) return false;
  return std::system("/usr/bin/python3 -c 'import pandas' >/dev/null 2>&1") == 0;
}

// Reads a GDELT export back the way GDELT users read the real files: pandas,
// tab-separated, no header, the 61 published column names.
TEST(ExportTest, GdeltReadsBackWithPandas) {
  if (!HavePandas()) GTEST_SKIP() << "/usr/bin/python3 with pandas is not installed";
  FakeStore store = GroupingStore();
  store.rows[0].event.sentence = "tabs\tand\nnewlines";
  store.rows[0].url = "https://news.example/100?a=1\tb";
  testing::TempDir dir;
  const std::string path = dir.path() + "/events.gdelt.tsv";
  {
    std::ofstream file(path, std::ios::binary);
    ASSERT_TRUE(ExportEvents(store, Options(ExportFormat::kGdelt), file, nullptr).ok());
  }
  std::string columns = "[";
  for (const std::string& c : kGdelt20Columns) columns += "'" + c + "',";
  columns += "]";
  const std::string script = dir.Write("check.py", R"(
import sys
import pandas as pd
COLUMNS = )" + columns + R"(
assert len(COLUMNS) == 61
df = pd.read_csv(sys.argv[1], sep='\t', header=None, names=COLUMNS, dtype=str,
                 keep_default_na=False, quoting=3)
def check(cond, what):
    if not cond:
        print('FAILED:', what)
        print(df.iloc[0].to_dict())
        sys.exit(1)
check(len(df) == 3, 'three rows, got %d' % len(df))
check(len(df.columns) == 61, '61 columns')
r = df.iloc[0]
check(r['GlobalEventID'] == '10', 'GlobalEventID')
check(r['Day'] == '20250611', 'Day')
check(r['MonthYear'] == '202506', 'MonthYear')
check(r['Actor1Code'] == 'UZBGOV', 'Actor1Code')
check(r['Actor1CountryCode'] == 'UZB', 'Actor1CountryCode')
check(r['Actor1Type1Code'] == 'GOV', 'Actor1Type1Code')
check(r['Actor2CountryCode'] == 'RUS', 'Actor2CountryCode')
check(r['EventCode'] == '111', 'EventCode')
check(r['EventRootCode'] == '11', 'EventRootCode')
check(r['NumMentions'] == '3', 'NumMentions')
check(r['NumArticles'] == '2', 'NumArticles')
check(r['NumSources'] == '2', 'NumSources')
check(r['Actor1Geo_CountryCode'] == 'UZ', 'Actor1Geo_CountryCode')
check(r['ActionGeo_CountryCode'] == 'RS', 'ActionGeo_CountryCode')
check(float(r['Actor1Geo_Lat']) > 40, 'Actor1Geo_Lat')
check(r['DATEADDED'] == '20250613080000', 'DATEADDED')
check(r['SOURCEURL'] == 'https://news.example/100?a=1 b', 'SOURCEURL')
check(df.iloc[2]['EventCode'] == '036', 'leading zero kept')
check(df.iloc[2]['GlobalEventID'] == '14', 'third GlobalEventID')
)");
  const std::string cmd = "/usr/bin/python3 '" + script + "' '" + path + "'";
  int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "pandas read-back failed; see the output above";
}

}  // namespace
}  // namespace dyad
