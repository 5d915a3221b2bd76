// The monitor's analyses (`dyad serve`): every stored event and document as
// a compact in-memory fact, and the queries the dashboard asks of them.
//
//   dyad::monitor::MonitorIndex index;
//   store->ForEachEventFact([&](const dyad::EventFact& f) { index.Upsert(f); });
//   store->ForEachDocumentFact([&](const dyad::DocumentFact& f) { index.UpsertDocument(f); });
//   auto range = dyad::monitor::ParseDateRange("2024-01-01", "").value();
//   dyad::monitor::TimelineResult t =
//       index.Timeline("UZB", "RUS", dyad::monitor::Bucket::kWeek, range).value();
//
// Every number is defined for users in docs/monitor.md. In short: counts are
// of stories (a story = near-duplicate documents grouped at ingest), an
// event row counts in the bucket of its own date, "story-level events" are
// distinct (story, source, target, code), and events with an unknown date
// take part only in SelectEvents without a date range.
//
// Dyads are two actor-code prefixes ("UZB", "RUSCOP"). Per-country-pair
// posting lists (keyed by the first three letters of source and target,
// kept sorted newest first) make dyad queries touch only that pair's events.
// Country-pair analyses (RankDyads, Alerts, Map) use the compiled-in country
// table (dyad/export.h CountryOfActor): "---", IGO, NGO and region codes are
// not countries and are skipped there.
//
// Thread-safety: a MonitorIndex is not synchronised. Const methods only read
// (no caches), so any number of them may run at once; a caller that also
// writes must guard the index with a reader/writer lock.
#ifndef DYAD_MONITOR_H_
#define DYAD_MONITOR_H_

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad::monitor {

// --- Days and buckets ---

// Days since 1970-01-01 (proleptic Gregorian).
using Day = std::int32_t;
inline constexpr Day kMinDay = std::numeric_limits<Day>::min() + 1;
inline constexpr Day kMaxDay = std::numeric_limits<Day>::max();
inline constexpr Day kUndated = std::numeric_limits<Day>::min();   // date ""

// "YYYY-MM-DD" (a real calendar date, years 1000-9999) -> day; false otherwise.
bool ParseDay(std::string_view text, Day* day);
// day -> "YYYY-MM-DD"; "" for kUndated.
std::string FormatDay(Day day);

enum class Bucket { kDay, kWeek, kMonth };
// "day", "week" or "month"; false for anything else.
bool ParseBucket(std::string_view name, Bucket* bucket);
const char* BucketName(Bucket bucket);
// The first day of the bucket holding `day`: itself, its week's Monday, or
// the 1st of its month.
Day BucketStart(Day day, Bucket bucket);
// The first day of the bucket after the one starting at `start`.
Day NextBucket(Day start, Bucket bucket);

// Inclusive day range; kMinDay/kMaxDay = open.
struct DateRange {
  Day from = kMinDay;
  Day to = kMaxDay;
  bool bounded() const { return from != kMinDay || to != kMaxDay; }
  bool Contains(Day day) const { return day != kUndated && day >= from && day <= to; }
};
// From the API's `from`/`to` parameters ("" = open). InvalidArgument names
// the parameter ("from: expected YYYY-MM-DD") or says from is after to.
Result<DateRange> ParseDateRange(std::string_view from, std::string_view to);

// --- Queries ---

struct EventFilter {
  DateRange dates;              // when bounded, undated events are excluded
  // Dyad: actor-code prefixes; "" = any actor. Both directions unless
  // `directed` (then source matches a, target matches b).
  std::string actor_a, actor_b;
  bool directed = false;
  std::string code_prefix;      // "17" = root 17 and below; "" = any
  std::vector<int> quad_classes;  // {3, 4}; empty = any
  std::optional<std::int64_t> story_id;
  // When set, only these event ids (the server passes full-text hits).
  std::optional<std::vector<std::int64_t>> ids;
};

// One page of event ids, newest first (date desc, then id desc; undated
// last). next_cursor is "" on the last page; it is opaque and stays valid
// across index updates (it names a position, not an offset).
struct EventPage {
  std::vector<std::int64_t> ids;
  std::string next_cursor;
};

// One direction of one timeline bucket.
struct TimelineSide {
  std::int64_t stories = 0;     // distinct stories
  std::int64_t events = 0;      // event rows
  std::array<std::int64_t, 4> quad{};   // stories with >= 1 event of QuadClass 1..4
  std::int64_t story_events = 0;        // distinct (story, source, target, code)
  std::int64_t goldstein_n = 0;         // story-level events with a Goldstein value
  double goldstein_sum = 0;             // over those story-level events
  std::optional<double> goldstein_mean() const {
    if (goldstein_n == 0) return std::nullopt;
    return goldstein_sum / static_cast<double>(goldstein_n);
  }
};
struct TimelineBucket {
  Day start = 0;
  TimelineSide ab, ba;          // a -> b and b -> a
};
struct TimelineResult {
  std::string a, b;
  Bucket bucket = Bucket::kWeek;
  std::vector<TimelineBucket> buckets;   // consecutive, oldest first
};

enum class RankBy { kVolume, kChange };
bool ParseRankBy(std::string_view name, RankBy* by);   // "volume" / "change"

struct DyadRankOptions {
  DateRange dates;
  RankBy by = RankBy::kVolume;
  int limit = 20;
  int weeks = 12;               // sparkline length and the change windows
};
struct DyadSummary {
  std::string a, b;             // country codes, a < b
  std::string a_name, b_name;
  std::int64_t stories = 0, events = 0, conflict_stories = 0;   // within dates
  std::optional<double> goldstein_mean;   // over story-level events within dates
  // (stories in the last `weeks` weeks - stories in the `weeks` before) /
  // max(1, stories in the `weeks` before); windows end with the week of
  // dates.to (or of the latest dated event when to is open).
  double change = 0;
  Day sparkline_start = 0;      // Monday of the sparkline's first week
  std::vector<std::int64_t> sparkline;   // weekly stories, oldest first
};

struct CitizensQuery {
  std::string of;               // A: whose citizens ("UZB")
  std::string in;               // B: where / by whom ("RUS")
  DateRange dates;
  std::string cursor;           // for `event_ids`
  int limit = 50;
};
// The kinds, in the order the API lists them.
inline constexpr std::array<const char*, 6> kCitizenKinds = {
    "detention", "deportation", "raid", "assault", "restriction", "other"};
// The kind of a CAMEO code for CitizensAbroad (index into kCitizenKinds).
int CitizenKind(std::string_view code);
// True for an actor code of country `country`'s population: it starts with
// `country` and one of its later 3-letter parts is CVL, LAB, REF or MIG.
bool IsPopulationOf(std::string_view actor, std::string_view country);

struct WeekCount {
  Day start = 0;
  std::int64_t stories = 0, conflict_stories = 0;
};
struct CitizensResult {
  std::array<std::int64_t, kCitizenKinds.size()> kinds{};   // stories per kind
  std::int64_t stories = 0, events = 0;
  std::vector<WeekCount> timeline;      // every week from first to last, oldest first
  EventPage events_page;                // the events, newest first
  std::vector<std::int64_t> response_ids;  // A's government -> B, newest first
};

enum class ReplyClass { kNone, kDismissive, kHostile, kCooperative };
const char* ReplyClassName(ReplyClass c);   // "none", "dismissive", ...
// Root (two digits) -> whether an event of it opens an exchange.
bool IsOpeningCode(std::string_view code);

struct ExchangeQuery {
  std::string a, b;             // actor-code prefixes, either may open
  int window_days = 14;
  DateRange dates;              // of the openings
};
struct Exchange {
  std::string initiator, responder;     // a or b as given
  std::int64_t opening_id = 0;          // the story's first opening event
  std::vector<std::int64_t> also_opening_ids;   // restatements folded into it
  std::int64_t story_id = 0;
  Day opening_day = 0;
  std::vector<std::int64_t> reply_ids;  // oldest first
  ReplyClass reply_class = ReplyClass::kNone;
  std::optional<int> latency_days;      // first reply day - opening day
};
struct ExchangesResult {
  std::vector<Exchange> exchanges;      // newest opening first
  std::int64_t unanswered = 0;
};

struct AlertConfig {
  double increase = 0.25;       // rule "increase": > (1 + increase) x both baselines
  double month_ratio = 2.0;     // rule "month_ratio": >= month_ratio x short baseline
  double floor = 1.0;           // a rule counts only where its baselines are >= floor
  int short_weeks = 4;          // the short baseline (the previous month)
  int long_weeks = 52;          // the long baseline
  int report_weeks = 52;        // weeks reported, ending with the as_of week
};
// Parses a JSON object with any of the fields above; unknown fields, wrong
// types and out-of-range values are InvalidArgument naming the field. "" or
// "{}" gives the defaults.
Result<AlertConfig> ParseAlertConfig(std::string_view json);
std::string AlertConfigJson(const AlertConfig& config);   // compact JSON object

enum class AlertStatus { kNormal, kLimitedChange, kFired };
const char* AlertStatusName(AlertStatus s);   // "normal", "limited_change", "fired"

struct AlertQuery {
  std::optional<Day> as_of;     // default: the latest dated event
  std::string a, b;             // country codes; both "" = every pair
};
struct AlertWeek {
  std::string a, b;             // country codes, a < b
  Day week = 0;                 // Monday
  AlertStatus status = AlertStatus::kNormal;
  std::string rule;             // "month_ratio", "increase", "increase,month_ratio" or ""
  std::int64_t stories = 0;     // conflict stories that week
  double baseline_short = 0;    // mean over the short_weeks before (zeros included)
  double baseline_long = 0;     // mean over the long_weeks before
  std::vector<std::int64_t> story_ids, event_ids;   // the evidence
};
struct AlertsResult {
  Day as_of = kUndated;         // kUndated when the index has no dated event
  // Fired and limited_change weeks in the report window, newest first, then
  // each pair's as_of week when it is normal but had conflict stories in
  // the baseline window (so every active pair has a current status).
  std::vector<AlertWeek> alerts;
};

struct MapCountry {
  std::string code, iso2, name;
  std::int64_t stories = 0, events = 0;
  std::optional<double> goldstein_mean;   // story-level, both directions
};

struct SourceHealthQuery {
  DateRange dates;
  Bucket bucket = Bucket::kWeek;
  // Only outlets that carried an event of this dyad (both "" = all outlets).
  std::string actor_a, actor_b;
  bool directed = false;
};
struct OutletHealth {
  std::string outlet;
  std::int64_t total = 0;                 // dated documents in range
  std::vector<std::int64_t> documents;    // parallel to SourceHealthResult::starts
};
struct SourceGap {
  std::string outlet;
  Day from = 0, to = 0;                   // inclusive days
};
struct SourceHealthResult {
  Bucket bucket = Bucket::kWeek;
  std::vector<Day> starts;                // every bucket, first to last
  std::vector<OutletHealth> outlets;      // most documents first
  std::vector<SourceGap> gaps;
};

// --- The index ---

class MonitorIndex {
 public:
  MonitorIndex();
  ~MonitorIndex();
  MonitorIndex(const MonitorIndex&) = delete;
  MonitorIndex& operator=(const MonitorIndex&) = delete;
  MonitorIndex(MonitorIndex&&) noexcept;
  MonitorIndex& operator=(MonitorIndex&&) noexcept;

  // Adds the event, or replaces the one with the same event_id. A malformed
  // date is treated as unknown.
  void Upsert(const EventFact& fact);
  // Removes the event; unknown ids are ignored.
  void Remove(std::int64_t event_id);
  // Adds or replaces a document's facts (SourceHealth's input).
  void UpsertDocument(const DocumentFact& fact);
  void RemoveDocument(std::int64_t document_id);

  std::size_t event_count() const;
  std::size_t document_count() const;
  std::size_t story_count() const;          // stories with at least one event
  std::optional<EventFact> GetEvent(std::int64_t event_id) const;
  // Grows with every Upsert/Remove/UpsertDocument/RemoveDocument: results
  // computed at one version stay valid until it changes (a server may cache
  // RankDyads and Alerts per version).
  std::uint64_t version() const;
  // The latest event date, kUndated when no event has a date.
  Day LatestDay() const;
  // Approximate heap bytes held.
  std::size_t MemoryBytes() const;

  // One page of events matching `filter`, newest first, after `cursor`
  // ("" = from the start). InvalidArgument for a malformed cursor.
  Result<EventPage> SelectEvents(const EventFilter& filter, const std::string& cursor,
                                 int limit) const;

  // Both directions between prefixes a and b per bucket. Buckets run from
  // dates.from's bucket (or the first event's) to dates.to's (or the last
  // event's), zeros included; none when nothing matches and the range is
  // open. InvalidArgument for more than 20000 buckets.
  Result<TimelineResult> Timeline(const std::string& a, const std::string& b, Bucket bucket,
                                  const DateRange& dates) const;

  // Unordered country pairs with at least one dated event in range.
  std::vector<DyadSummary> RankDyads(const DyadRankOptions& options) const;

  Result<CitizensResult> CitizensAbroad(const CitizensQuery& query) const;

  ExchangesResult Exchanges(const ExchangeQuery& query) const;

  AlertsResult Alerts(const AlertConfig& config, const AlertQuery& query) const;

  // The counterparts of `actor` (a country code, or a longer prefix):
  // countries it acted on or was acted on by, most stories first.
  std::vector<MapCountry> Map(const std::string& actor, const DateRange& dates) const;

  Result<SourceHealthResult> SourceHealth(const SourceHealthQuery& query) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// --- Following a store (follow.cc) ---
//
//   MonitorIndex index;
//   StorePosition at = LoadIndex(store, &index).value();
//   ... later, after other processes wrote:
//   StoreDelta d = ReadChanges(store, at).value();   // no lock needed
//   Apply(d, &index);                                // under the index's lock
//   at = d.to;
//
// The server and `dyad watch` keep their index current this way: the
// change feed (event_changes) gives events added, updated and deleted; new
// documents are read by id.

// How far an index has read the store.
struct StorePosition {
  std::int64_t change_seq = 0;         // last event_changes.seq applied
  std::int64_t last_document_id = 0;   // highest document id applied
};

// The net effect of the store's changes since a position: an event's last
// change wins.
struct StoreDelta {
  StorePosition to;
  std::vector<std::int64_t> removed;
  std::vector<EventFact> upserted;
  std::vector<DocumentFact> documents;
  bool empty() const { return removed.empty() && upserted.empty() && documents.empty(); }
};

// Replaces *index with every event and document in the store.
Result<StorePosition> LoadIndex(Store& store, MonitorIndex* index);
Result<StoreDelta> ReadChanges(Store& store, const StorePosition& from);
void Apply(const StoreDelta& delta, MonitorIndex* index);

}  // namespace dyad::monitor

#endif  // DYAD_MONITOR_H_
