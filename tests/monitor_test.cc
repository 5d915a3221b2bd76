// The monitor's analyses (dyad/monitor.h): hand-built facts for every query
// and its edge cases, a randomised check of SelectEvents against a brute
// force, and the real sample corpus (plus testdata/monitor/burst.jsonl)
// ingested into a SQLite store.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "dyad/ingest.h"
#include "dyad/monitor.h"
#include "dyad/store.h"
#include "test_util.h"

namespace dyad::monitor {
namespace {

Day D(const char* date) {
  Day d = kUndated;
  EXPECT_TRUE(ParseDay(date, &d)) << date;
  return d;
}

DateRange Range(const char* from, const char* to) { return ParseDateRange(from, to).value(); }

struct FactSpec {
  std::int64_t id;
  std::int64_t story;
  const char* date;
  const char* source;
  const char* target;
  const char* code;
  int quad;
  double goldstein;
  std::int64_t document = 0;   // 0 = the event id
  std::int64_t sentence = -1;  // -1 = the event id (later ids, later sentences)
};

EventFact Fact(const FactSpec& s) {
  EventFact f;
  f.event_id = s.id;
  f.story_id = s.story;
  f.document_id = s.document != 0 ? s.document : s.id;
  f.sentence_index = static_cast<std::uint32_t>(s.sentence >= 0 ? s.sentence : s.id);
  f.date = s.date;
  f.source = s.source;
  f.target = s.target;
  f.code = s.code;
  f.quad_class = s.quad;
  f.goldstein = s.goldstein;
  f.has_goldstein = true;
  return f;
}

void Add(MonitorIndex* index, const std::vector<FactSpec>& specs) {
  for (const FactSpec& s : specs) index->Upsert(Fact(s));
}

std::vector<std::int64_t> AllPages(const MonitorIndex& index, const EventFilter& filter,
                                   int limit) {
  std::vector<std::int64_t> ids;
  std::string cursor;
  for (int guard = 0; guard < 100000; ++guard) {
    Result<EventPage> page = index.SelectEvents(filter, cursor, limit);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    EXPECT_LE(page->ids.size(), static_cast<std::size_t>(limit));
    ids.insert(ids.end(), page->ids.begin(), page->ids.end());
    if (page->next_cursor.empty()) break;
    cursor = page->next_cursor;
  }
  return ids;
}

// --- Days and buckets ---

TEST(MonitorDays, ParseFormatAndBuckets) {
  EXPECT_EQ(D("1970-01-01"), 0);
  EXPECT_EQ(FormatDay(D("2024-08-19")), "2024-08-19");
  EXPECT_EQ(FormatDay(D("2024-02-29")), "2024-02-29");
  EXPECT_EQ(FormatDay(kUndated), "");
  Day d;
  for (const char* bad : {"", "2024-02-30", "2023-02-29", "2024-8-19", "2024-08-19x", "24-08-19",
                          "2024/08/19", "0999-01-01", "2024-13-01", "2024-00-10"}) {
    EXPECT_FALSE(ParseDay(bad, &d)) << bad;
  }
  // Weeks start on Monday: 2024-08-22 was a Thursday.
  EXPECT_EQ(FormatDay(BucketStart(D("2024-08-22"), Bucket::kWeek)), "2024-08-19");
  EXPECT_EQ(FormatDay(BucketStart(D("2024-08-19"), Bucket::kWeek)), "2024-08-19");
  EXPECT_EQ(FormatDay(BucketStart(D("2024-08-25"), Bucket::kWeek)), "2024-08-19");
  EXPECT_EQ(FormatDay(BucketStart(D("1969-12-31"), Bucket::kWeek)), "1969-12-29");
  EXPECT_EQ(FormatDay(BucketStart(D("2024-08-22"), Bucket::kMonth)), "2024-08-01");
  EXPECT_EQ(FormatDay(NextBucket(D("2024-12-01"), Bucket::kMonth)), "2025-01-01");
  EXPECT_EQ(FormatDay(NextBucket(D("2024-08-19"), Bucket::kWeek)), "2024-08-26");
  Bucket b;
  EXPECT_TRUE(ParseBucket("month", &b));
  EXPECT_EQ(b, Bucket::kMonth);
  EXPECT_FALSE(ParseBucket("year", &b));
}

TEST(MonitorDays, DateRangeErrorsNameTheParameter) {
  EXPECT_FALSE(ParseDateRange("", "").value().bounded());
  EXPECT_TRUE(ParseDateRange("2024-01-01", "").value().bounded());
  Result<DateRange> bad_from = ParseDateRange("2024-1-1", "");
  ASSERT_FALSE(bad_from.ok());
  EXPECT_NE(bad_from.status().message().find("from"), std::string::npos);
  Result<DateRange> bad_to = ParseDateRange("", "tomorrow");
  ASSERT_FALSE(bad_to.ok());
  EXPECT_NE(bad_to.status().message().find("to"), std::string::npos);
  EXPECT_FALSE(ParseDateRange("2024-02-01", "2024-01-01").ok());
}

// --- Updates ---

TEST(MonitorIndexTest, UpsertReplacesAndRemoveForgets) {
  MonitorIndex index;
  Add(&index, {{1, 10, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2},
               {2, 10, "2024-08-20", "UZBGOV", "RUSGOV", "114", 3, -2},
               {3, 11, "", "RUSCOP", "UZBLAB", "173", 4, -5}});
  EXPECT_EQ(index.event_count(), 3u);
  EXPECT_EQ(index.story_count(), 2u);
  EXPECT_EQ(FormatDay(index.LatestDay()), "2024-08-20");
  // Replace event 2: new date, new code, another story.
  index.Upsert(Fact({2, 12, "2024-09-01", "RUSGOV", "UZBGOV", "020", 1, 3}));
  EXPECT_EQ(index.event_count(), 3u);
  EXPECT_EQ(index.story_count(), 3u);
  std::optional<EventFact> e2 = index.GetEvent(2);
  ASSERT_TRUE(e2);
  EXPECT_EQ(e2->date, "2024-09-01");
  EXPECT_EQ(e2->source, "RUSGOV");
  EXPECT_EQ(e2->code, "020");
  EXPECT_EQ(e2->story_id, 12);
  EXPECT_EQ(FormatDay(index.LatestDay()), "2024-09-01");
  EventFilter uzb_rus;
  uzb_rus.actor_a = "UZB";
  uzb_rus.actor_b = "RUS";
  uzb_rus.directed = true;
  EXPECT_EQ(AllPages(index, uzb_rus, 10), (std::vector<std::int64_t>{1}));
  index.Remove(2);
  index.Remove(2);     // twice: ignored
  index.Remove(999);   // unknown: ignored
  EXPECT_EQ(index.event_count(), 2u);
  EXPECT_EQ(index.story_count(), 2u);
  EXPECT_FALSE(index.GetEvent(2));
  EXPECT_EQ(FormatDay(index.LatestDay()), "2024-08-19");
  EXPECT_EQ(AllPages(index, {}, 10), (std::vector<std::int64_t>{1, 3}));
  // The freed slot is reused by a new event.
  index.Upsert(Fact({4, 13, "2024-08-01", "UZB", "RUS", "057", 1, 8}));
  EXPECT_EQ(AllPages(index, {}, 10), (std::vector<std::int64_t>{1, 4, 3}));
  // A malformed date reads as unknown.
  index.Upsert(Fact({5, 14, "2024-13-45", "UZB", "RUS", "057", 1, 8}));
  EXPECT_EQ(index.GetEvent(5)->date, "");
  EXPECT_GT(index.MemoryBytes(), 0u);
}

// --- SelectEvents ---

class SelectEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(&index_, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2},
                  {2, 1, "2024-08-19", "UZBGOV", "UZBCVL", "114", 3, -2},
                  {3, 2, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2},
                  {4, 2, "2024-08-22", "RUSGOV", "UZB", "020", 1, 3},
                  {5, 3, "", "RUSCOP", "UZBLAB", "173", 4, -5},
                  {6, 4, "2024-06-11", "RUSCOP", "UZBCVL", "173", 4, -5},
                  {7, 5, "2024-08-22", "TJKGOV", "RUSGOV", "114", 3, -2},
                  {8, 6, "2024-07-01", "IGOEUREEC", "RUS", "163", 4, -8}});
  }
  MonitorIndex index_;
};

TEST_F(SelectEventsTest, NewestFirstUndatedLastAndPaged) {
  std::vector<std::int64_t> all = {7, 4, 3, 2, 1, 8, 6, 5};
  EXPECT_EQ(AllPages(index_, {}, 100), all);
  for (int limit : {1, 2, 3, 7}) EXPECT_EQ(AllPages(index_, {}, limit), all) << limit;
  EventPage first = index_.SelectEvents({}, "", 3).value();
  EXPECT_EQ(first.ids, (std::vector<std::int64_t>{7, 4, 3}));
  EXPECT_FALSE(first.next_cursor.empty());
  // A cursor names a position: a newer event added meanwhile does not shift the next page.
  index_.Upsert(Fact({9, 7, "2024-09-30", "RUSGOV", "UZBGOV", "040", 1, 1}));
  EventPage second = index_.SelectEvents({}, first.next_cursor, 3).value();
  EXPECT_EQ(second.ids, (std::vector<std::int64_t>{2, 1, 8}));
  EXPECT_EQ(index_.SelectEvents({}, "", 0).value().ids.size(), 0u);
  for (const char* bad : {"x", "12", "1.2.3", ".5", "5."}) {
    EXPECT_FALSE(index_.SelectEvents({}, bad, 3).ok()) << bad;
  }
}

TEST_F(SelectEventsTest, DateRangeExcludesUndated) {
  EventFilter f;
  f.dates = Range("2024-07-01", "");
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{7, 4, 3, 2, 1, 8}));
  f.dates = Range("", "2024-08-19");
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{2, 1, 8, 6}));
  f.dates = Range("2024-08-20", "2024-08-21");
  EXPECT_TRUE(AllPages(index_, f, 2).empty());
}

TEST_F(SelectEventsTest, DyadCodeQuadStoryAndIds) {
  EventFilter f;
  f.actor_a = "UZB";
  f.actor_b = "RUS";
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{4, 3, 1, 6, 5}));
  f.directed = true;
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{1}));
  f.actor_a = "RUSCOP";
  f.actor_b = "UZB";
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{6, 5}));
  // Prefixes shorter than three letters.
  f = {};
  f.actor_a = "R";
  f.actor_b = "UZBL";
  f.directed = true;
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{3, 5}));
  f = {};
  f.actor_a = "RUS";   // one side only: RUS with anyone
  EXPECT_EQ(AllPages(index_, f, 3), (std::vector<std::int64_t>{7, 4, 3, 1, 8, 6, 5}));
  f = {};
  f.code_prefix = "11";
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{7, 2, 1}));
  f = {};
  f.quad_classes = {4};
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{8, 6, 5}));
  f.quad_classes = {1, 4};
  f.dates = Range("2024-07-01", "");
  EXPECT_EQ(AllPages(index_, f, 2), (std::vector<std::int64_t>{4, 8}));
  f = {};
  f.story_id = 2;
  EXPECT_EQ(AllPages(index_, f, 1), (std::vector<std::int64_t>{4, 3}));
  f.story_id = 404;
  EXPECT_TRUE(AllPages(index_, f, 1).empty());
  f = {};
  f.ids = std::vector<std::int64_t>{5, 1, 3, 3, 999};
  EXPECT_EQ(AllPages(index_, f, 1), (std::vector<std::int64_t>{3, 1, 5}));
  f.actor_a = "RUS";
  f.actor_b = "UZB";
  f.directed = true;
  EXPECT_EQ(AllPages(index_, f, 1), (std::vector<std::int64_t>{3, 5}));
  f = {};
  f.actor_a = "CHN";
  f.actor_b = "USA";
  EXPECT_TRUE(AllPages(index_, f, 5).empty());
}

// Many events in random order: posting-list chunks split and merge; pages
// must equal a brute-force answer, before and after removals.
TEST(MonitorIndexTest, SelectEventsMatchesBruteForce) {
  std::mt19937 rng(42);
  const std::vector<std::string> actors = {"UZBGOV", "UZBLAB", "RUSCOP", "RUSGOV", "RUS",
                                           "TJKCVL", "---COP", "KGZGOV", "IGOUNO"};
  const std::vector<std::string> codes = {"173", "174", "114", "020", "040", "1823", "057"};
  MonitorIndex index;
  std::map<std::int64_t, EventFact> truth;
  std::vector<std::int64_t> ids(3000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i) * 3 + 1;
  std::shuffle(ids.begin(), ids.end(), rng);
  for (std::int64_t id : ids) {
    EventFact f;
    f.event_id = id;
    f.story_id = rng() % 700;
    f.document_id = id;
    f.date = rng() % 20 == 0 ? "" : FormatDay(D("2024-01-01") + static_cast<Day>(rng() % 400));
    f.source = actors[rng() % actors.size()];
    f.target = actors[rng() % actors.size()];
    f.code = codes[rng() % codes.size()];
    f.quad_class = 1 + rng() % 4;
    index.Upsert(f);
    truth[id] = f;
  }
  auto brute = [&](const EventFilter& f) {
    std::vector<std::pair<std::pair<Day, std::int64_t>, std::int64_t>> rows;
    for (const auto& [id, e] : truth) {
      Day day = kUndated;
      if (!e.date.empty()) day = D(e.date.c_str());
      if (f.dates.bounded() && !f.dates.Contains(day)) continue;
      auto m = [](const std::string& code, const std::string& p) { return code.rfind(p, 0) == 0; };
      bool ab = m(e.source, f.actor_a) && m(e.target, f.actor_b);
      bool ba = m(e.source, f.actor_b) && m(e.target, f.actor_a);
      if (!(ab || (!f.directed && ba))) continue;
      if (!m(e.code, f.code_prefix)) continue;
      rows.push_back({{day, id}, id});
    }
    std::sort(rows.rbegin(), rows.rend());
    std::vector<std::int64_t> out;
    for (const auto& r : rows) out.push_back(r.second);
    return out;
  };
  auto check = [&]() {
    std::vector<EventFilter> filters(6);
    filters[1].actor_a = "UZB";
    filters[1].actor_b = "RUS";
    filters[2].actor_a = "RUSCOP";
    filters[2].actor_b = "UZB";
    filters[2].directed = true;
    filters[3].dates = Range("2024-03-01", "2024-09-30");
    filters[3].code_prefix = "17";
    filters[4].actor_a = "---";
    filters[4].actor_b = "";
    filters[5].actor_a = "U";
    filters[5].actor_b = "RUS";
    filters[5].dates = Range("2024-06-01", "");
    for (const EventFilter& f : filters) {
      std::vector<std::int64_t> want = brute(f);
      EXPECT_EQ(AllPages(index, f, 97), want);
      EXPECT_EQ(AllPages(index, f, 100000), want);
    }
  };
  check();
  for (std::size_t i = 0; i < ids.size(); i += 2) {
    index.Remove(ids[i]);
    truth.erase(ids[i]);
  }
  EXPECT_EQ(index.event_count(), truth.size());
  check();
}

// --- Timeline ---

TEST(MonitorTimeline, StoriesNotReprintsBothDirectionsAndZeroBuckets) {
  MonitorIndex index;
  Add(&index, {// Story 1 told by three documents: one story, three event rows.
               {1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2, 101},
               {2, 1, "2024-08-20", "UZBGOV", "RUSGOV", "114", 3, -2, 102},
               {3, 1, "2024-08-21", "UZBGOV", "RUSGOV", "114", 3, -2, 103},
               {4, 1, "2024-08-21", "UZBGOV", "RUSGOV", "101", 3, -5, 103},
               // The reply, the same week, the other direction.
               {5, 2, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2},
               {6, 2, "2024-08-22", "RUSGOV", "UZB", "020", 1, 3},
               // Nothing for two weeks, then a detention.
               {7, 3, "2024-09-10", "RUSCOP", "UZBCVL", "173", 4, -5},
               // Not this dyad; undated.
               {8, 4, "2024-08-28", "TJKGOV", "RUSGOV", "114", 3, -2},
               {9, 5, "", "RUSCOP", "UZBLAB", "173", 4, -5}});
  TimelineResult t = index.Timeline("UZB", "RUS", Bucket::kWeek, {}).value();
  ASSERT_EQ(t.buckets.size(), 4u);
  EXPECT_EQ(FormatDay(t.buckets[0].start), "2024-08-19");
  EXPECT_EQ(FormatDay(t.buckets[3].start), "2024-09-09");
  const TimelineSide& ab = t.buckets[0].ab;
  EXPECT_EQ(ab.stories, 1);
  EXPECT_EQ(ab.events, 4);
  EXPECT_EQ(ab.quad, (std::array<std::int64_t, 4>{0, 0, 1, 0}));
  // Story-level events: (story 1, 114) and (story 1, 101).
  EXPECT_EQ(ab.story_events, 2);
  EXPECT_DOUBLE_EQ(ab.goldstein_sum, -7);
  EXPECT_DOUBLE_EQ(*ab.goldstein_mean(), -3.5);
  const TimelineSide& ba = t.buckets[0].ba;
  EXPECT_EQ(ba.stories, 1);
  EXPECT_EQ(ba.events, 2);
  EXPECT_EQ(ba.quad, (std::array<std::int64_t, 4>{1, 0, 1, 0}));
  EXPECT_DOUBLE_EQ(*ba.goldstein_mean(), 0.5);
  for (int i : {1, 2}) {
    EXPECT_EQ(t.buckets[i].ab.events + t.buckets[i].ba.events, 0);
    EXPECT_FALSE(t.buckets[i].ab.goldstein_mean());
  }
  EXPECT_EQ(t.buckets[3].ba.stories, 1);
  EXPECT_EQ(t.buckets[3].ab.stories, 0);

  // Daily buckets: a reprint a day later counts in that day too.
  TimelineResult days = index.Timeline("UZB", "RUS", Bucket::kDay, Range("", "2024-08-31")).value();
  ASSERT_EQ(days.buckets.size(), 13u);   // 08-19 .. 08-31: the range's end is kept
  EXPECT_EQ(days.buckets[1].ab.stories, 1);
  EXPECT_EQ(days.buckets[2].ab.events, 2);
  EXPECT_EQ(days.buckets[2].ab.story_events, 2);
  // Months; and the range's start is kept even before any data.
  TimelineResult months =
      index.Timeline("RUS", "UZB", Bucket::kMonth, Range("2024-07-15", "")).value();
  ASSERT_EQ(months.buckets.size(), 3u);
  EXPECT_EQ(FormatDay(months.buckets[0].start), "2024-07-01");
  EXPECT_EQ(months.buckets[1].ba.stories, 1);   // here a = RUS: UZB -> RUS is "ba"
  EXPECT_EQ(months.buckets[1].ab.stories, 1);
  EXPECT_EQ(months.buckets[2].ab.stories, 1);
  // Nothing matches: no buckets; a bounded range: zero buckets.
  EXPECT_TRUE(index.Timeline("CHN", "USA", Bucket::kWeek, {}).value().buckets.empty());
  EXPECT_EQ(index.Timeline("CHN", "USA", Bucket::kWeek, Range("2024-08-19", "2024-09-01"))
                .value()
                .buckets.size(),
            2u);
  EXPECT_FALSE(index.Timeline("UZB", "RUS", Bucket::kDay, Range("1900-01-01", "2024-01-01")).ok());
}

// --- RankDyads ---

TEST(MonitorRankDyads, CountryPairsVolumeChangeAndSparkline) {
  MonitorIndex index;
  Add(&index, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2},
               {2, 1, "2024-08-20", "UZBGOV", "RUSGOV", "114", 3, -2},
               {3, 2, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2},
               {4, 3, "2024-08-29", "RUSCOP", "UZBCVL", "173", 4, -5},
               {5, 4, "2024-07-10", "RUSGOV", "UZBGOV", "040", 1, 1},
               {6, 5, "2024-08-20", "TJKGOV", "RUSGOV", "114", 3, -2},
               {7, 6, "2024-08-20", "IGOUNO", "RUSGOV", "111", 3, -2},
               {8, 7, "2024-08-20", "---COP", "UZBLAB", "173", 4, -5},
               {9, 8, "2024-08-20", "RUSCOP", "RUSOPP", "173", 4, -5},
               {10, 9, "", "RUSCOP", "UZBLAB", "173", 4, -5}});
  DyadRankOptions o;
  o.weeks = 4;
  std::vector<DyadSummary> r = index.RankDyads(o);
  ASSERT_EQ(r.size(), 2u);   // IGO, "---" and RUS-RUS are not country pairs
  EXPECT_EQ(r[0].a, "RUS");
  EXPECT_EQ(r[0].b, "UZB");
  EXPECT_EQ(r[0].a_name, "Russia");
  EXPECT_EQ(r[0].b_name, "Uzbekistan");
  EXPECT_EQ(r[0].stories, 4);
  EXPECT_EQ(r[0].events, 5);
  EXPECT_EQ(r[0].conflict_stories, 3);
  // Story-level events: (1,114) (2,090) (3,173) (4,040) -> (-2 -2 -5 +1) / 4.
  EXPECT_DOUBLE_EQ(*r[0].goldstein_mean, -2);
  // Weeks end with the latest event's (08-26); the previous 4 weeks start 07-08.
  EXPECT_EQ(FormatDay(r[0].sparkline_start), "2024-08-05");
  EXPECT_EQ(r[0].sparkline, (std::vector<std::int64_t>{0, 0, 2, 1}));
  EXPECT_DOUBLE_EQ(r[0].change, (3.0 - 1.0) / 1.0);
  EXPECT_EQ(r[1].a, "RUS");
  EXPECT_EQ(r[1].b, "TJK");
  EXPECT_DOUBLE_EQ(r[1].change, 1.0);   // (1 - 0) / max(1, 0)

  o.dates = Range("2024-08-21", "");
  r = index.RankDyads(o);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].stories, 2);
  o.dates = {};
  o.by = RankBy::kChange;
  o.limit = 1;
  r = index.RankDyads(o);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].b, "UZB");   // change 2 beats TJK's 1
  RankBy by;
  EXPECT_TRUE(ParseRankBy("change", &by));
  EXPECT_FALSE(ParseRankBy("size", &by));
  EXPECT_TRUE(MonitorIndex().RankDyads({}).empty());
}

// --- CitizensAbroad ---

TEST(MonitorCitizens, KindsPopulationRolesAndResponses) {
  EXPECT_EQ(kCitizenKinds[CitizenKind("173")], std::string("detention"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("1731")], std::string("detention"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("174")], std::string("deportation"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("170")], std::string("raid"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("1711")], std::string("raid"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("175")], std::string("raid"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("182")], std::string("assault"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("1823")], std::string("assault"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("193")], std::string("assault"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("172")], std::string("restriction"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("163")], std::string("restriction"));
  EXPECT_EQ(kCitizenKinds[CitizenKind("090")], std::string("other"));
  EXPECT_TRUE(IsPopulationOf("UZBLAB", "UZB"));
  EXPECT_TRUE(IsPopulationOf("UZBCVL", "UZB"));
  EXPECT_TRUE(IsPopulationOf("UZBREF", "UZB"));
  EXPECT_TRUE(IsPopulationOf("UZBCOPLAB", "UZB"));
  EXPECT_FALSE(IsPopulationOf("UZB", "UZB"));
  EXPECT_FALSE(IsPopulationOf("UZBGOV", "UZB"));
  EXPECT_FALSE(IsPopulationOf("---LABCVL", "UZB"));
  EXPECT_FALSE(IsPopulationOf("TJKLAB", "UZB"));
  EXPECT_FALSE(IsPopulationOf("UZBXLAB", "UZB"));   // parts are three letters from the start

  MonitorIndex index;
  Add(&index, {{1, 1, "2024-06-11", "RUSCOP", "UZBCVL", "173", 4, -5},
               {2, 1, "2024-06-12", "RUSCOP", "UZBCVL", "173", 4, -5},   // reprint
               {3, 2, "2024-06-27", "RUSCOP", "UZBCVL", "173", 4, -5},
               {4, 2, "2024-06-27", "RUSJUD", "UZBLAB", "174", 4, -5},
               {5, 3, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2},
               {6, 4, "2025-04-08", "RUSCOP", "UZBCVL", "182", 4, -9.5},
               {7, 5, "2024-06-11", "RUSCOP", "---LAB", "170", 4, -7},     // nobody's
               {8, 6, "2024-06-11", "RUSCOP", "TJKLAB", "173", 4, -5},     // other country
               {9, 7, "2024-06-11", "UZBCOP", "UZBLAB", "173", 4, -5},     // at home
               {10, 8, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2},    // responses
               {11, 9, "2025-04-08", "UZB", "RUSGOV", "114", 3, -2},
               {12, 10, "2024-08-19", "UZBLAB", "RUSGOV", "111", 3, -2},   // not the government
               {13, 11, "2024-07-01", "UZBGOV", "UZBLAB", "040", 1, 1}});  // not towards RUS
  CitizensQuery q;
  q.of = "UZB";
  q.in = "RUS";
  q.limit = 3;
  CitizensResult c = index.CitizensAbroad(q).value();
  EXPECT_EQ(c.events, 6);
  EXPECT_EQ(c.stories, 4);
  EXPECT_EQ(c.kinds, (std::array<std::int64_t, 6>{2, 1, 0, 1, 0, 1}));
  EXPECT_EQ(c.events_page.ids, (std::vector<std::int64_t>{6, 5, 4}));
  ASSERT_FALSE(c.events_page.next_cursor.empty());
  EXPECT_EQ(c.response_ids, (std::vector<std::int64_t>{11, 10}));
  // Weekly timeline from 2024-06-10 to 2025-04-07, zeros included.
  ASSERT_FALSE(c.timeline.empty());
  EXPECT_EQ(FormatDay(c.timeline.front().start), "2024-06-10");
  EXPECT_EQ(FormatDay(c.timeline.back().start), "2025-04-07");
  EXPECT_EQ(c.timeline.front().stories, 1);
  EXPECT_EQ(c.timeline.front().conflict_stories, 1);
  EXPECT_EQ(c.timeline[2].stories, 1);   // week of 06-24
  EXPECT_EQ(c.timeline[1].stories, 0);
  q.cursor = c.events_page.next_cursor;
  CitizensResult page2 = index.CitizensAbroad(q).value();
  EXPECT_EQ(page2.events_page.ids, (std::vector<std::int64_t>{3, 2, 1}));
  EXPECT_TRUE(page2.events_page.next_cursor.empty());
  // A date range.
  q = {};
  q.of = "UZB";
  q.in = "RUS";
  q.dates = Range("2024-08-01", "2024-12-31");
  c = index.CitizensAbroad(q).value();
  EXPECT_EQ(c.events_page.ids, (std::vector<std::int64_t>{5}));
  EXPECT_EQ(c.response_ids, (std::vector<std::int64_t>{10}));
  EXPECT_EQ(FormatDay(c.timeline.front().start), "2024-07-29");
  q.of = "";
  EXPECT_FALSE(index.CitizensAbroad(q).ok());
}

// --- Exchanges ---

TEST(MonitorExchanges, SeedShapedExchangeIsDismissiveAfterThreeDays) {
  MonitorIndex index;
  Add(&index, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2, 100},
               {2, 1, "2024-08-20", "UZBGOV", "RUSGOV", "114", 3, -2, 101},   // reprint
               // The reply's article restates the complaint first (lower ids in
               // a later story): folded into the open exchange, not a new one.
               {3, 2, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2, 102},
               {4, 2, "2024-08-22", "RUSGOV", "UZB", "020", 1, 3, 102},
               {5, 2, "2024-08-22", "UZBGOV", "RUSGOV", "114", 3, -2, 102},
               {6, 2, "2024-08-22", "UZBGOV", "RUSGOV", "101", 3, -5, 102}});
  ExchangesResult r = index.Exchanges({"UZB", "RUS", 14, {}});
  ASSERT_EQ(r.exchanges.size(), 1u);
  const Exchange& e = r.exchanges[0];
  EXPECT_EQ(e.initiator, "UZB");
  EXPECT_EQ(e.responder, "RUS");
  EXPECT_EQ(e.opening_id, 1);
  EXPECT_EQ(FormatDay(e.opening_day), "2024-08-19");
  EXPECT_EQ(e.also_opening_ids, (std::vector<std::int64_t>{2, 5, 6}));
  EXPECT_EQ(e.reply_ids, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(e.reply_class, ReplyClass::kDismissive);
  EXPECT_STREQ(ReplyClassName(e.reply_class), "dismissive");
  ASSERT_TRUE(e.latency_days);
  EXPECT_EQ(*e.latency_days, 3);
  EXPECT_EQ(r.unanswered, 0);
  // A window shorter than the latency: unanswered.
  r = index.Exchanges({"UZB", "RUS", 2, {}});
  ASSERT_FALSE(r.exchanges.empty());
  EXPECT_EQ(r.exchanges.back().reply_class, ReplyClass::kNone);
  EXPECT_FALSE(r.exchanges.back().latency_days);
  EXPECT_GE(r.unanswered, 1);
}

TEST(MonitorExchanges, ClassesUnansweredAndWhatIsNotAReply) {
  EXPECT_TRUE(IsOpeningCode("114"));
  EXPECT_TRUE(IsOpeningCode("1121"));
  EXPECT_TRUE(IsOpeningCode("101"));
  EXPECT_TRUE(IsOpeningCode("138"));
  EXPECT_FALSE(IsOpeningCode("120"));
  EXPECT_FALSE(IsOpeningCode("173"));
  EXPECT_FALSE(IsOpeningCode("020"));
  MonitorIndex index;
  Add(&index, {// KGZ complains; RUS both detains more (hostile) and consults (cooperative).
               {1, 1, "2024-09-10", "KGZGOV", "RUSGOV", "1121", 3, -2, 10},
               {2, 2, "2024-09-12", "RUSCOP", "KGZCVL", "173", 4, -5, 11},
               {3, 3, "2024-09-15", "RUSGOV", "KGZGOV", "040", 1, 1, 12},
               // KGZ threatens; RUS detains: hostile, latency 0 (same day, other story).
               {4, 4, "2024-11-01", "KGZGOV", "RUS", "138", 3, -7, 13},
               {5, 5, "2024-11-01", "RUSCOP", "KGZLAB", "173", 4, -5, 14},
               // RUS demands; KGZ never answers.
               {6, 6, "2025-01-01", "RUSGOV", "KGZGOV", "101", 3, -5, 15},
               // KGZ complains about what the same article reported first (lower
               // id, same document): that is the cause, not a reply; its reprint
               // repeats the cause: not a reply either. The later sentence is one.
               {7, 7, "2025-03-01", "RUSCOP", "KGZLAB", "173", 4, -5, 16},
               {8, 7, "2025-03-01", "KGZGOV", "RUSGOV", "114", 3, -2, 16},
               {9, 7, "2025-03-01", "RUSGOV", "KGZGOV", "120", 3, -4, 16},
               {10, 7, "2025-03-02", "RUSCOP", "KGZLAB", "173", 4, -5, 17}});
  ExchangesResult r = index.Exchanges({"KGZ", "RUS", 14, {}});
  ASSERT_EQ(r.exchanges.size(), 4u);
  // Newest first.
  EXPECT_EQ(r.exchanges[0].opening_id, 8);
  EXPECT_EQ(r.exchanges[0].reply_ids, (std::vector<std::int64_t>{9}));
  EXPECT_EQ(r.exchanges[0].reply_class, ReplyClass::kDismissive);   // 12x rejection
  EXPECT_EQ(*r.exchanges[0].latency_days, 0);
  EXPECT_EQ(r.exchanges[1].opening_id, 6);
  EXPECT_EQ(r.exchanges[1].initiator, "RUS");
  EXPECT_EQ(r.exchanges[1].responder, "KGZ");
  EXPECT_EQ(r.exchanges[1].reply_class, ReplyClass::kNone);
  EXPECT_TRUE(r.exchanges[1].reply_ids.empty());
  EXPECT_EQ(r.exchanges[2].opening_id, 4);
  EXPECT_EQ(r.exchanges[2].reply_class, ReplyClass::kHostile);
  EXPECT_EQ(*r.exchanges[2].latency_days, 0);
  EXPECT_EQ(r.exchanges[3].opening_id, 1);
  EXPECT_EQ(r.exchanges[3].reply_class, ReplyClass::kCooperative);
  EXPECT_EQ(*r.exchanges[3].latency_days, 2);
  EXPECT_EQ(r.unanswered, 1);
  // The range selects openings; replies may fall after it.
  r = index.Exchanges({"KGZ", "RUS", 14, Range("2024-09-01", "2024-09-10")});
  ASSERT_EQ(r.exchanges.size(), 1u);
  EXPECT_EQ(r.exchanges[0].reply_ids.size(), 2u);
}

// "Uzbekistan asked Russia to explain why its citizens had been refused
// entry": the refusal (RUS -> UZB 172) is coded from the opening's own
// sentence. It is what the complaint is about, not Russia's reply.
TEST(MonitorExchanges, TheOpeningsOwnSentenceIsNotAReply) {
  MonitorIndex index;
  Add(&index, {{1, 1, "2025-10-21", "UZBGOV", "RUS", "101", 3, -5, 40, 0},
               {2, 1, "2025-10-21", "RUSGOV", "UZBCVL", "172", 4, -5, 40, 0},
               {3, 1, "2025-10-21", "RUSGOV", "UZBGOV", "020", 3, -1, 40, 2}});
  ExchangesResult r = index.Exchanges({"UZB", "RUS", 14, {}});
  ASSERT_EQ(r.exchanges.size(), 1u);
  EXPECT_EQ(r.exchanges[0].reply_ids, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(r.exchanges[0].reply_class, ReplyClass::kDismissive);
}

// --- Alerts ---

// RUS-UZB conflict stories per week (Monday of week 0 = 2024-01-01).
MonitorIndex WeeklyIndex(const std::vector<int>& per_week, std::int64_t first_id = 1) {
  MonitorIndex index;
  std::int64_t id = first_id;
  for (std::size_t w = 0; w < per_week.size(); ++w) {
    for (int i = 0; i < per_week[w]; ++i) {
      Day day = D("2024-01-01") + static_cast<Day>(7 * w + i % 7);
      // Two rows per story (a reprint): counted once.
      for (int copy = 0; copy < 2; ++copy) {
        EventFact f = Fact({id * 2 + copy, id, "", "RUSCOP", "UZBLAB", "173", 4, -5});
        f.date = FormatDay(day + copy);
        if (BucketStart(day + copy, Bucket::kWeek) != BucketStart(day, Bucket::kWeek)) {
          f.date = FormatDay(day);
        }
        index.Upsert(f);
      }
      ++id;
    }
  }
  return index;
}

TEST(MonitorAlerts, ASpikeFiresOnTheMonthRatio) {
  // 8 weeks of 1 story, then 3: 3 >= 2 x 1 (month_ratio); the long
  // baseline (8/52) is under the floor, so "increase" does not count.
  std::vector<int> weeks(8, 1);
  weeks.push_back(3);
  MonitorIndex index = WeeklyIndex(weeks);
  AlertsResult r = index.Alerts(AlertConfig{}, {});
  EXPECT_EQ(FormatDay(r.as_of), FormatDay(index.LatestDay()));
  ASSERT_FALSE(r.alerts.empty());
  const AlertWeek& top = r.alerts[0];
  EXPECT_EQ(top.a, "RUS");
  EXPECT_EQ(top.b, "UZB");
  EXPECT_EQ(FormatDay(top.week), "2024-02-26");
  EXPECT_EQ(top.status, AlertStatus::kFired);
  EXPECT_EQ(top.rule, "month_ratio");
  EXPECT_EQ(top.stories, 3);
  EXPECT_DOUBLE_EQ(top.baseline_short, 1);
  EXPECT_DOUBLE_EQ(top.baseline_long, 8.0 / 52);
  EXPECT_EQ(top.story_ids.size(), 3u);
  EXPECT_EQ(top.event_ids.size(), 6u);   // each story was reprinted once
  // The weeks before: the first four have a short baseline under the floor
  // (limited_change), the next four are normal and not listed.
  ASSERT_EQ(r.alerts.size(), 5u);
  EXPECT_EQ(r.alerts[1].status, AlertStatus::kLimitedChange);
  EXPECT_EQ(FormatDay(r.alerts[1].week), "2024-01-22");
  EXPECT_DOUBLE_EQ(r.alerts[1].baseline_short, 0.75);
  EXPECT_EQ(r.alerts[4].status, AlertStatus::kLimitedChange);
  EXPECT_EQ(FormatDay(r.alerts[4].week), "2024-01-01");
  EXPECT_STREQ(AlertStatusName(AlertStatus::kLimitedChange), "limited_change");

  // As of the week before the spike: the current week is normal and listed.
  AlertQuery before;
  before.as_of = D("2024-02-19");
  r = index.Alerts(AlertConfig{}, before);
  ASSERT_FALSE(r.alerts.empty());
  EXPECT_EQ(FormatDay(r.alerts[0].week), "2024-02-19");
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kNormal);
  EXPECT_EQ(r.alerts[0].stories, 1);
  // A higher ratio: no alert; a dyad filter that does not match: nothing.
  AlertConfig strict;
  strict.month_ratio = 4;
  r = index.Alerts(strict, {});
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kNormal);
  AlertQuery other;
  other.a = "RUS";
  other.b = "TJK";
  EXPECT_TRUE(index.Alerts(AlertConfig{}, other).alerts.empty());
  other.a = "UZB";
  other.b = "RUS";
  EXPECT_FALSE(index.Alerts(AlertConfig{}, other).alerts.empty());
}

TEST(MonitorAlerts, FloorsGiveLimitedChangeAndTheIncreaseRule) {
  // One story every other week, then 3: the short baseline (0.5) is under
  // the floor: limited_change, however large the jump.
  std::vector<int> sparse;
  for (int i = 0; i < 20; ++i) sparse.push_back(i % 2);
  sparse.push_back(3);
  AlertsResult r = WeeklyIndex(sparse).Alerts(AlertConfig{}, {});
  ASSERT_FALSE(r.alerts.empty());
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kLimitedChange);
  EXPECT_EQ(r.alerts[0].stories, 3);
  EXPECT_TRUE(r.alerts[0].rule.empty());
  // With floor 0 it fires.
  AlertConfig no_floor;
  no_floor.floor = 0;
  r = WeeklyIndex(sparse).Alerts(no_floor, {});
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kFired);
  // A year of 4 a week, then 6: > 1.25 x 4 on both baselines, < 2 x 4.
  std::vector<int> steady(60, 4);
  steady.push_back(6);
  r = WeeklyIndex(steady).Alerts(AlertConfig{}, {});
  ASSERT_FALSE(r.alerts.empty());
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kFired);
  EXPECT_EQ(r.alerts[0].rule, "increase");
  EXPECT_DOUBLE_EQ(r.alerts[0].baseline_long, 4);
  steady.back() = 5;   // 5 = 1.25 x 4: not more than it
  r = WeeklyIndex(steady).Alerts(AlertConfig{}, {});
  EXPECT_EQ(r.alerts[0].status, AlertStatus::kNormal);
  steady.back() = 8;   // both rules
  r = WeeklyIndex(steady).Alerts(AlertConfig{}, {});
  EXPECT_EQ(r.alerts[0].rule, "increase,month_ratio");
  // No events: nothing, as_of unknown.
  r = MonitorIndex().Alerts(AlertConfig{}, {});
  EXPECT_TRUE(r.alerts.empty());
  EXPECT_EQ(r.as_of, kUndated);
}

TEST(MonitorAlerts, ConfigFromJson) {
  AlertConfig d = ParseAlertConfig("").value();
  EXPECT_DOUBLE_EQ(d.increase, 0.25);
  EXPECT_DOUBLE_EQ(d.month_ratio, 2);
  EXPECT_DOUBLE_EQ(d.floor, 1);
  EXPECT_EQ(d.short_weeks, 4);
  EXPECT_EQ(d.long_weeks, 52);
  AlertConfig c =
      ParseAlertConfig(R"({"increase": 0.5, "month_ratio": 3, "floor": 2, "long_weeks": 26})")
          .value();
  EXPECT_DOUBLE_EQ(c.increase, 0.5);
  EXPECT_DOUBLE_EQ(c.month_ratio, 3);
  EXPECT_DOUBLE_EQ(c.floor, 2);
  EXPECT_EQ(c.long_weeks, 26);
  AlertConfig back = ParseAlertConfig(AlertConfigJson(c)).value();
  EXPECT_DOUBLE_EQ(back.increase, 0.5);
  EXPECT_EQ(back.long_weeks, 26);
  struct Bad {
    const char* json;
    const char* mentions;
  };
  for (const Bad& b : std::vector<Bad>{{"{", "JSON"},
                                       {"[1]", "object"},
                                       {R"({"increase": "high"})", "increase"},
                                       {R"({"increase": -1})", "increase"},
                                       {R"({"month_ratio": 0.5})", "month_ratio"},
                                       {R"({"floor": -0.1})", "floor"},
                                       {R"({"short_weeks": 1.5})", "short_weeks"},
                                       {R"({"long_weeks": 0})", "long_weeks"},
                                       {R"({"short_weeks": 10, "long_weeks": 8})", "short_weeks"},
                                       {R"({"threshold": 1})", "threshold"}}) {
    Result<AlertConfig> r = ParseAlertConfig(b.json);
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_NE(r.status().message().find(b.mentions), std::string::npos)
        << b.json << " -> " << r.status().message();
  }
}

// --- Map ---

TEST(MonitorMap, CounterpartsBothDirectionsWithNames) {
  MonitorIndex index;
  Add(&index, {{1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2},
               {2, 1, "2024-08-20", "UZBGOV", "RUSGOV", "114", 3, -2},
               {3, 2, "2024-08-22", "RUSGOV", "UZBLAB", "090", 3, -2},
               {4, 3, "2024-08-22", "TJKGOV", "RUSGOV", "114", 3, -2},
               {5, 4, "2024-08-22", "IGOEUREEC", "RUS", "163", 4, -8},
               {6, 5, "2024-08-22", "RUSCOP", "RUSOPP", "173", 4, -5},
               {7, 6, "2023-01-01", "RUSGOV", "KAZGOV", "040", 1, 1}});
  std::vector<MapCountry> m = index.Map("RUS", Range("2024-01-01", ""));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].code, "UZB");
  EXPECT_EQ(m[0].iso2, "UZ");
  EXPECT_EQ(m[0].name, "Uzbekistan");
  EXPECT_EQ(m[0].stories, 2);
  EXPECT_EQ(m[0].events, 3);
  EXPECT_DOUBLE_EQ(*m[0].goldstein_mean, -2);
  EXPECT_EQ(m[1].code, "TJK");
  EXPECT_EQ(index.Map("RUS", {}).size(), 3u);
  // A longer prefix: only RUSGOV's counterparts.
  m = index.Map("RUSGOV", {});
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].events, 3);
  EXPECT_TRUE(index.Map("RUSCOP", {}).empty());
  EXPECT_TRUE(index.Map("XX", {}).empty());
}

// --- SourceHealth ---

TEST(MonitorSources, DocumentsPerOutletAndGaps) {
  MonitorIndex index;
  auto doc = [&](std::int64_t id, const char* date, const char* outlet) {
    DocumentFact d;
    d.document_id = id;
    d.story_id = id;
    d.date = date;
    d.outlet = outlet;
    index.UpsertDocument(d);
  };
  doc(1, "2024-08-19", "tashkent-daily");
  doc(2, "2024-08-20", "tashkent-daily");
  doc(3, "2024-09-09", "tashkent-daily");    // two empty weeks before: a gap
  doc(4, "2024-08-26", "moscow-courier");
  doc(5, "", "moscow-courier");              // undated: not counted
  doc(6, "2024-09-02", "world-desk");
  doc(7, "2024-09-03", "world-desk");
  doc(7, "2024-09-04", "world-desk");        // replaced, not added
  EXPECT_EQ(index.document_count(), 7u);
  SourceHealthResult h = index.SourceHealth({}).value();
  ASSERT_EQ(h.starts.size(), 4u);
  EXPECT_EQ(FormatDay(h.starts[0]), "2024-08-19");
  ASSERT_EQ(h.outlets.size(), 3u);
  EXPECT_EQ(h.outlets[0].outlet, "tashkent-daily");
  EXPECT_EQ(h.outlets[0].total, 3);
  EXPECT_EQ(h.outlets[0].documents, (std::vector<std::int64_t>{2, 0, 0, 1}));
  EXPECT_EQ(h.outlets[1].outlet, "world-desk");
  EXPECT_EQ(h.outlets[1].documents, (std::vector<std::int64_t>{0, 0, 2, 0}));
  EXPECT_EQ(h.outlets[2].total, 1);
  ASSERT_EQ(h.gaps.size(), 1u);
  EXPECT_EQ(h.gaps[0].outlet, "tashkent-daily");
  EXPECT_EQ(FormatDay(h.gaps[0].from), "2024-08-26");
  EXPECT_EQ(FormatDay(h.gaps[0].to), "2024-09-08");
  // Daily buckets within a range.
  SourceHealthQuery q;
  q.bucket = Bucket::kDay;
  q.dates = Range("2024-08-19", "2024-08-21");
  h = index.SourceHealth(q).value();
  ASSERT_EQ(h.starts.size(), 3u);
  ASSERT_EQ(h.outlets.size(), 1u);
  EXPECT_EQ(h.outlets[0].documents, (std::vector<std::int64_t>{1, 1, 0}));
  EXPECT_TRUE(h.gaps.empty());   // trailing empty days are outside the active period
  // Only outlets that carried a dyad.
  index.Upsert(Fact({1, 1, "2024-08-19", "UZBGOV", "RUSGOV", "114", 3, -2, 1}));
  index.Upsert(Fact({2, 6, "2024-09-02", "TJKGOV", "RUSGOV", "114", 3, -2, 6}));
  q = {};
  q.actor_a = "RUS";
  q.actor_b = "UZB";
  h = index.SourceHealth(q).value();
  ASSERT_EQ(h.outlets.size(), 1u);
  EXPECT_EQ(h.outlets[0].outlet, "tashkent-daily");
  index.RemoveDocument(3);
  h = index.SourceHealth(q).value();
  EXPECT_EQ(h.outlets[0].total, 2);
  EXPECT_TRUE(h.gaps.empty());
}

// --- The sample corpus, ingested for real ---

class MonitorCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto store = Store::Open(dir_->path() + "/dyad.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value().release();
    auto setup = LoadCodingSetup(testing::DataDir() + "/dict");
    ASSERT_TRUE(setup.ok()) << setup.status().ToString();
    IngestOptions o;
    o.threads = 2;
    IngestReport r = Ingest(*store_,
                            setup.value(),
                            {testing::DataDir() + "/sample/corpus.jsonl",
                             testing::TestdataDir() + "/monitor/burst.jsonl"},
                            o);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    ASSERT_EQ(r.summary.documents_added, 69);
    // Every burst item is its own story: 37 sample stories + 29.
    ASSERT_EQ(r.stories_new, 66);
    index_ = new MonitorIndex();
    ASSERT_TRUE(store_->ForEachEventFact([](const EventFact& f) { index_->Upsert(f); }).ok());
    ASSERT_TRUE(
        store_->ForEachDocumentFact([](const DocumentFact& f) { index_->UpsertDocument(f); }, 0)
            .ok());
  }
  static void TearDownTestSuite() {
    delete index_;
    delete store_;
    delete dir_;
  }
  // The stored event with this date, source, target and code.
  static std::int64_t FindEvent(const char* date, const char* source, const char* target,
                                const char* code) {
    EventFilter f;
    f.dates = Range(date, date);
    f.actor_a = source;
    f.actor_b = target;
    f.directed = true;
    f.code_prefix = code;
    EventPage page = index_->SelectEvents(f, "", 10).value();
    for (std::int64_t id : page.ids) {
      std::optional<EventFact> e = index_->GetEvent(id);
      if (e && e->source == source && e->target == target && e->code == code) return id;
    }
    return 0;
  }
  static testing::TempDir* dir_;
  static Store* store_;
  static MonitorIndex* index_;
};
testing::TempDir* MonitorCorpusTest::dir_ = nullptr;
Store* MonitorCorpusTest::store_ = nullptr;
MonitorIndex* MonitorCorpusTest::index_ = nullptr;

TEST_F(MonitorCorpusTest, IndexHoldsWhatTheStoreHolds) {
  StoreCounts counts = store_->Counts().value();
  EXPECT_EQ(index_->event_count(), static_cast<std::size_t>(counts.events));
  EXPECT_EQ(index_->document_count(), static_cast<std::size_t>(counts.documents));
  EXPECT_EQ(FormatDay(index_->LatestDay()), "2026-02-22");
}

TEST_F(MonitorCorpusTest, TheSeedExchange) {
  // Uzbekistan's Foreign Ministry summoned Russia's ambassador (114,
  // 2024-08-19); Zakharova: "competent authorities" are looking into it
  // (090) and urged not to politicise (020), 2024-08-22.
  std::int64_t summons = FindEvent("2024-08-19", "UZBGOV", "RUSGOV", "114");
  std::int64_t looking = FindEvent("2024-08-22", "RUSGOV", "UZBLAB", "090");
  std::int64_t urged = FindEvent("2024-08-22", "RUSGOV", "UZB", "020");
  ASSERT_NE(summons, 0);
  ASSERT_NE(looking, 0);
  ASSERT_NE(urged, 0);
  ExchangesResult r = index_->Exchanges({"UZB", "RUS", 14, Range("2024-08-01", "2024-08-31")});
  ASSERT_EQ(r.exchanges.size(), 1u);
  const Exchange& e = r.exchanges[0];
  EXPECT_EQ(e.opening_id, summons);
  EXPECT_EQ(e.initiator, "UZB");
  EXPECT_EQ(e.reply_class, ReplyClass::kDismissive);
  ASSERT_TRUE(e.latency_days);
  EXPECT_EQ(*e.latency_days, 3);
  EXPECT_NE(std::find(e.reply_ids.begin(), e.reply_ids.end(), looking), e.reply_ids.end());
  EXPECT_NE(std::find(e.reply_ids.begin(), e.reply_ids.end(), urged), e.reply_ids.end());
  EXPECT_EQ(r.unanswered, 0);
}

TEST_F(MonitorCorpusTest, UzbekCitizensInRussia) {
  CitizensQuery q;
  q.of = "UZB";
  q.in = "RUS";
  q.dates = Range("", "2025-10-31");   // the sample corpus only
  q.limit = 500;
  CitizensResult c = index_->CitizensAbroad(q).value();
  // The detentions of 2024-06-11, 06-27, 08-15, 2025-01-14/15 (one story), 03-13.
  EXPECT_EQ(c.kinds[0], 5) << "detention stories";
  EXPECT_EQ(c.kinds[3], 1) << "the beating in St Petersburg (182)";
  EXPECT_EQ(c.kinds[4], 1) << "the register of 2025-10-21 (172)";
  for (const char* date : {"2024-06-11", "2024-06-27"}) {
    std::int64_t id = FindEvent(date, "RUSCOP", "UZBCVL", "173");
    ASSERT_NE(id, 0) << date;
    EXPECT_NE(std::find(c.events_page.ids.begin(), c.events_page.ids.end(), id),
              c.events_page.ids.end())
        << date;
  }
  // Uzbekistan's responses include the summons.
  std::int64_t summons = FindEvent("2024-08-19", "UZBGOV", "RUSGOV", "114");
  EXPECT_NE(std::find(c.response_ids.begin(), c.response_ids.end(), summons),
            c.response_ids.end());
  for (std::int64_t id : c.events_page.ids) {
    std::optional<EventFact> e = index_->GetEvent(id);
    EXPECT_EQ(e->source.substr(0, 3), "RUS");
    EXPECT_TRUE(IsPopulationOf(e->target, "UZB")) << e->target;
  }
}

TEST_F(MonitorCorpusTest, TheBurstFiresTheRussiaUzbekistanAlert) {
  AlertQuery q;
  q.a = "UZB";
  q.b = "RUS";
  AlertsResult r = index_->Alerts(AlertConfig{}, q);
  EXPECT_EQ(FormatDay(r.as_of), "2026-02-22");
  std::vector<const AlertWeek*> fired;
  for (const AlertWeek& w : r.alerts) {
    if (w.status == AlertStatus::kFired) fired.push_back(&w);
  }
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(FormatDay(fired[0]->week), "2026-02-16");
  EXPECT_EQ(fired[0]->rule, "month_ratio");
  EXPECT_EQ(fired[0]->stories, 7);
  EXPECT_DOUBLE_EQ(fired[0]->baseline_short, 1.5);
  EXPECT_EQ(fired[0]->story_ids.size(), 7u);
  EXPECT_EQ(r.alerts[0].week, fired[0]->week);
  // And the dashboard's dyad list ranks the pair first.
  DyadRankOptions o;
  std::vector<DyadSummary> top = index_->RankDyads(o);
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top[0].a, "RUS");
  EXPECT_EQ(top[0].b, "UZB");
  EXPECT_EQ(top[0].sparkline.back(), 7);
  // The outlets that carried RUS-UZB, with the burst's extra outlets.
  SourceHealthQuery sq;
  sq.actor_a = "RUS";
  sq.actor_b = "UZB";
  SourceHealthResult h = index_->SourceHealth(sq).value();
  EXPECT_GE(h.outlets.size(), 8u);
  TimelineResult t = index_->Timeline("RUS", "UZB", Bucket::kWeek, Range("2026-02-16", "")).value();
  ASSERT_EQ(t.buckets.size(), 1u);
  EXPECT_EQ(t.buckets[0].ab.stories, 7);
  EXPECT_EQ(t.buckets[0].ab.quad[3], 7);
}

}  // namespace
}  // namespace dyad::monitor
