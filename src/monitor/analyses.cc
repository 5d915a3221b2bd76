// The monitor's analyses over a MonitorIndex: timeline, dyad ranking,
// citizens abroad, exchanges, the map and source health. docs/monitor.md
// defines every number for users; the comments here say how it is computed.
//
// Each analysis walks only the posting lists of the country pairs it needs
// (PairsFor), within the date range (a binary search, then a sequential
// walk), and deduplicates stories and story-level events with a FlatSet of
// hashed tuples, so its cost is proportional to the events it reads.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "dyad/export.h"
#include "dyad/monitor.h"
#include "monitor/index_impl.h"

namespace dyad::monitor {

using internal::Fact;
using internal::FlatSet;
using internal::Hash;
using internal::Post;
using internal::PostingList;

namespace {

constexpr std::size_t kMaxBuckets = 20000;

// Consecutive buckets from `first` to `last` (bucket starts).
struct Axis {
  Bucket bucket = Bucket::kWeek;
  Day first = 0;
  std::vector<Day> starts;

  std::size_t Index(Day day) const {
    Day s = BucketStart(day, bucket);
    switch (bucket) {
      case Bucket::kDay:
        return static_cast<std::size_t>(s - first);
      case Bucket::kWeek:
        return static_cast<std::size_t>((s - first) / 7);
      case Bucket::kMonth: {
        namespace chr = std::chrono;
        chr::year_month_day a{chr::sys_days{chr::days{first}}};
        chr::year_month_day b{chr::sys_days{chr::days{s}}};
        return static_cast<std::size_t>((static_cast<int>(b.year()) - static_cast<int>(a.year())) *
                                            12 +
                                        static_cast<int>(static_cast<unsigned>(b.month())) -
                                        static_cast<int>(static_cast<unsigned>(a.month())));
      }
    }
    return 0;
  }
};

// The axis for a range: from the range's start (or the first data day) to
// its end (or the last data day). No buckets when there is no data and the
// range is open on that side.
Result<Axis> MakeAxis(Bucket bucket, const DateRange& dates, Day data_first, Day data_last) {
  Axis axis;
  axis.bucket = bucket;
  Day lo = dates.from != kMinDay ? dates.from : data_first;
  Day hi = dates.to != kMaxDay ? dates.to : data_last;
  if (lo == kUndated || hi == kUndated || lo > hi) return axis;
  axis.first = BucketStart(lo, bucket);
  Day end = BucketStart(hi, bucket);
  // Bound the work before allocating: days between the ends.
  if (static_cast<std::int64_t>(end) - axis.first >
      static_cast<std::int64_t>(kMaxBuckets) * (bucket == Bucket::kDay ? 1 : 7)) {
    if (bucket != Bucket::kMonth) {
      return InvalidArgument("bucket: the range holds more than 20000 buckets; pick a larger one");
    }
  }
  for (Day d = axis.first; d <= end; d = NextBucket(d, bucket)) {
    if (axis.starts.size() >= kMaxBuckets) {
      return InvalidArgument("bucket: the range holds more than 20000 buckets; pick a larger one");
    }
    axis.starts.push_back(d);
  }
  return axis;
}

// Calls fn(post) for a list's entries in `dates`; undated entries too when
// the range is open (they sort last).
template <typename Fn>
void ForSelected(const PostingList& list, const DateRange& dates, Fn&& fn) {
  if (dates.bounded()) {
    list.ForRange(dates, fn);
    return;
  }
  for (PostingList::Pos p = list.Seek(kMaxDay, INT64_MAX); !list.AtEnd(p); list.Next(&p)) {
    fn(list.At(p));
  }
}

bool HasPart(std::string_view actor, std::size_t from, std::string_view part) {
  for (std::size_t i = from; i + 3 <= actor.size(); i += 3) {
    if (actor.substr(i, 3) == part) return true;
  }
  return false;
}

// The country itself ("UZB": the state) or its government ("UZBGOV...").
bool IsGovernmentOf(std::string_view actor, std::string_view country) {
  if (actor.substr(0, country.size()) != country) return false;
  return actor.size() == country.size() || HasPart(actor, 3, "GOV");
}

int RootOf(std::string_view code) {
  if (code.size() < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') {
    return -1;
  }
  return (code[0] - '0') * 10 + (code[1] - '0');
}

}  // namespace

// --- Small public helpers ---

bool ParseRankBy(std::string_view name, RankBy* by) {
  if (name == "volume") {
    *by = RankBy::kVolume;
  } else if (name == "change") {
    *by = RankBy::kChange;
  } else {
    return false;
  }
  return true;
}

int CitizenKind(std::string_view code) {
  std::string_view c3 = code.substr(0, 3);
  int root = RootOf(code);
  if (c3 == "173") return 0;                                        // detention
  if (c3 == "174") return 1;                                        // deportation
  if (c3 == "170" || c3 == "171" || c3 == "175" || c3 == "176") return 2;   // raid / coercion
  if (root == 18 || root == 19 || root == 20) return 3;             // assault
  if (c3 == "172" || root == 16) return 4;                          // restriction
  return 5;                                                         // other
}

bool IsPopulationOf(std::string_view actor, std::string_view country) {
  if (country.empty() || actor.substr(0, country.size()) != country) return false;
  for (std::string_view role : {"CVL", "LAB", "REF", "MIG"}) {
    if (HasPart(actor, 3, role)) return true;
  }
  return false;
}

const char* ReplyClassName(ReplyClass c) {
  switch (c) {
    case ReplyClass::kNone:
      return "none";
    case ReplyClass::kDismissive:
      return "dismissive";
    case ReplyClass::kHostile:
      return "hostile";
    case ReplyClass::kCooperative:
      return "cooperative";
  }
  return "none";
}

bool IsOpeningCode(std::string_view code) {
  int root = RootOf(code);
  return root == 10 || root == 11 || root == 13;
}

// --- Timeline ---

Result<TimelineResult> MonitorIndex::Timeline(const std::string& a, const std::string& b,
                                              Bucket bucket, const DateRange& dates) const {
  const Impl& m = *impl_;
  TimelineResult out;
  out.a = a;
  out.b = b;
  out.bucket = bucket;
  // One read of each fact into a compact row; then rows grouped by bucket
  // (counting sort), so the per-bucket sets stay small and in cache.
  struct Row {
    Day day;
    std::uint32_t story, source, target;
    std::uint16_t code;
    std::int8_t quad;
    std::uint8_t ba;
    float goldstein;
  };
  std::vector<Row> rows;
  Day lo = kMaxDay, hi = kMinDay;
  for (std::uint32_t p : m.PairsFor(a, b, false)) {
    m.pairs[p].list.ForRange(dates, [&](const Post& post) {
      const Fact& f = m.facts[post.slot];
      if (!m.DyadMatches(f, a, b, false)) return;
      bool ab = m.ActorMatches(f.source, a) && m.ActorMatches(f.target, b);
      rows.push_back({f.day, f.story, f.source, f.target, f.code, f.quad,
                      static_cast<std::uint8_t>(ab ? 0 : 1), f.goldstein});
      lo = std::min(lo, post.day);
      hi = std::max(hi, post.day);
    });
  }
  if (rows.empty()) lo = hi = kUndated;
  Result<Axis> axis = MakeAxis(bucket, dates, lo, hi);
  if (!axis.ok()) return axis.status();
  const std::size_t nb = axis->starts.size();
  out.buckets.resize(nb);
  for (std::size_t i = 0; i < nb; ++i) out.buckets[i].start = axis->starts[i];
  std::vector<std::uint32_t> first(nb + 1, 0), index(rows.size());
  for (const Row& r : rows) ++first[axis->Index(r.day) + 1];
  for (std::size_t i = 0; i < nb; ++i) first[i + 1] += first[i];
  {
    std::vector<std::uint32_t> at(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < rows.size(); ++i) index[at[axis->Index(rows[i].day)]++] = i;
  }
  FlatSet seen;
  for (std::size_t bi = 0; bi < nb; ++bi) {
    seen.Clear();
    for (std::uint32_t k = first[bi]; k < first[bi + 1]; ++k) {
      const Row& r = rows[index[k]];
      TimelineSide& side = r.ba ? out.buckets[bi].ba : out.buckets[bi].ab;
      ++side.events;
      if (seen.Insert(Hash(1, r.ba, r.story))) ++side.stories;
      if (r.quad >= 1 && r.quad <= 4 && seen.Insert(Hash(2, r.ba, r.story, r.quad))) {
        ++side.quad[r.quad - 1];
      }
      if (seen.Insert(Hash(3, r.story, r.source, r.target, r.code))) {
        ++side.story_events;
        if (!std::isnan(r.goldstein)) {
          ++side.goldstein_n;
          side.goldstein_sum += r.goldstein;
        }
      }
    }
  }
  return out;
}

// --- RankDyads ---

std::vector<DyadSummary> MonitorIndex::RankDyads(const DyadRankOptions& options) const {
  const Impl& m = *impl_;
  std::vector<DyadSummary> out;
  const DateRange& dates = options.dates;
  Day end_day = dates.to != kMaxDay ? dates.to : m.LatestDay();
  if (end_day == kUndated) return out;
  const int weeks = std::clamp(options.weeks, 1, 520);
  const Day end_week = BucketStart(end_day, Bucket::kWeek);
  const Day spark_start = end_week - 7 * (weeks - 1);
  const Day prev_start = spark_start - 7 * weeks;
  const DateRange window{prev_start, end_week + 6};
  FlatSet seen;
  internal::StoryMarks stories(m.story_ids.size()), conflict(m.story_ids.size());
  std::uint32_t mark = 0;
  for (const Impl::CountryPair& cp : m.CountryPairs()) {
    seen.Clear();
    ++mark;
    DyadSummary s;
    double gold_sum = 0;
    std::int64_t gold_n = 0;
    for (std::uint32_t p : cp.pairs) {
      m.pairs[p].list.ForRange(dates, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        ++s.events;
        // A story-level event seen before: its story (and, the quad class
        // following the code, its conflict status) is counted already.
        if (!seen.Insert(Hash(3, f.story, f.source, f.target, f.code))) return;
        if (f.has_goldstein()) {
          ++gold_n;
          gold_sum += f.goldstein;
        }
        if (stories.Mark(f.story, mark)) ++s.stories;
        if (f.quad >= 3 && conflict.Mark(f.story, mark)) ++s.conflict_stories;
      });
    }
    if (s.stories == 0) continue;
    s.sparkline.assign(weeks, 0);
    s.sparkline_start = spark_start;
    std::int64_t previous = 0, recent = 0;
    for (std::uint32_t p : cp.pairs) {
      m.pairs[p].list.ForRange(window, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        auto w = static_cast<std::uint64_t>((BucketStart(post.day, Bucket::kWeek) - prev_start) / 7);
        if (!seen.Insert(Hash(4, w, f.story))) return;
        if (w < static_cast<std::uint64_t>(weeks)) {
          ++previous;
        } else {
          ++s.sparkline[w - weeks];
          ++recent;
        }
      });
    }
    s.change = static_cast<double>(recent - previous) /
               static_cast<double>(std::max<std::int64_t>(1, previous));
    if (gold_n > 0) s.goldstein_mean = gold_sum / static_cast<double>(gold_n);
    const CountryInfo* ca = m.Country(cp.a);
    const CountryInfo* cb = m.Country(cp.b);
    s.a = ca->cameo;
    s.b = cb->cameo;
    s.a_name = ca->name;
    s.b_name = cb->name;
    out.push_back(std::move(s));
  }
  auto by_volume = [](const DyadSummary& x, const DyadSummary& y) {
    if (x.stories != y.stories) return x.stories > y.stories;
    if (x.events != y.events) return x.events > y.events;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  };
  if (options.by == RankBy::kChange) {
    std::sort(out.begin(), out.end(), [&](const DyadSummary& x, const DyadSummary& y) {
      if (x.change != y.change) return x.change > y.change;
      return by_volume(x, y);
    });
  } else {
    std::sort(out.begin(), out.end(), by_volume);
  }
  if (options.limit >= 0 && out.size() > static_cast<std::size_t>(options.limit)) {
    out.resize(options.limit);
  }
  return out;
}

// --- CitizensAbroad ---

Result<CitizensResult> MonitorIndex::CitizensAbroad(const CitizensQuery& q) const {
  const Impl& m = *impl_;
  if (q.of.empty()) return InvalidArgument("of: required");
  if (q.in.empty()) return InvalidArgument("in: required");
  CitizensResult out;
  auto newest_first = [&](std::uint32_t x, std::uint32_t y) {
    return internal::Before(m.facts[x].day, m.facts[x].id, m.facts[y].day, m.facts[y].id);
  };
  // Events by B's actors on A's population.
  std::vector<std::uint32_t> slots;
  for (std::uint32_t p : m.PairsFor(q.in, q.of, true)) {
    ForSelected(m.pairs[p].list, q.dates, [&](const Post& post) {
      const Fact& f = m.facts[post.slot];
      if (m.ActorMatches(f.source, q.in) && IsPopulationOf(m.ActorCode(f.target), q.of)) {
        slots.push_back(post.slot);
      }
    });
  }
  std::sort(slots.begin(), slots.end(), newest_first);
  FlatSet seen;
  Day lo = kMaxDay, hi = kMinDay;
  for (std::uint32_t slot : slots) {
    const Fact& f = m.facts[slot];
    ++out.events;
    if (seen.Insert(Hash(1, f.story))) ++out.stories;
    int kind = CitizenKind(m.Code(f).code);
    if (seen.Insert(Hash(2, static_cast<std::uint64_t>(kind), f.story))) ++out.kinds[kind];
    if (f.day != kUndated) {
      lo = std::min(lo, f.day);
      hi = std::max(hi, f.day);
    }
  }
  if (lo > hi) lo = hi = kUndated;
  Result<Axis> axis = MakeAxis(Bucket::kWeek, q.dates, lo, hi);
  if (!axis.ok()) return axis.status();
  out.timeline.resize(axis->starts.size());
  for (std::size_t i = 0; i < out.timeline.size(); ++i) out.timeline[i].start = axis->starts[i];
  for (std::uint32_t slot : slots) {
    const Fact& f = m.facts[slot];
    if (f.day == kUndated) continue;
    std::uint64_t w = axis->Index(f.day);
    if (seen.Insert(Hash(3, w, f.story))) ++out.timeline[w].stories;
    if (f.quad >= 3 && seen.Insert(Hash(4, w, f.story))) ++out.timeline[w].conflict_stories;
  }
  // One page of the events, after the cursor.
  std::size_t begin = 0;
  if (!q.cursor.empty()) {
    Day cday;
    std::int64_t cid;
    if (!internal::DecodeCursor(q.cursor, &cday, &cid)) {
      return InvalidArgument("cursor: not a cursor");
    }
    begin = std::partition_point(slots.begin(), slots.end(),
                                 [&](std::uint32_t s) {
                                   const Fact& f = m.facts[s];
                                   return !internal::Before(cday, cid, f.day, f.id);
                                 }) -
            slots.begin();
  }
  const std::size_t end =
      std::min(slots.size(), begin + static_cast<std::size_t>(std::max(0, q.limit)));
  for (std::size_t i = begin; i < end; ++i) out.events_page.ids.push_back(m.facts[slots[i]].id);
  if (end < slots.size() && end > begin) {
    const Fact& last = m.facts[slots[end - 1]];
    out.events_page.next_cursor = internal::EncodeCursor(last.day, last.id);
  }
  // A's government towards B's actors.
  std::vector<std::uint32_t> responses;
  for (std::uint32_t p : m.PairsFor(q.of, q.in, true)) {
    ForSelected(m.pairs[p].list, q.dates, [&](const Post& post) {
      const Fact& f = m.facts[post.slot];
      if (IsGovernmentOf(m.ActorCode(f.source), q.of) && m.ActorMatches(f.target, q.in)) {
        responses.push_back(post.slot);
      }
    });
  }
  std::sort(responses.begin(), responses.end(), newest_first);
  for (std::uint32_t slot : responses) out.response_ids.push_back(m.facts[slot].id);
  return out;
}

// --- Exchanges ---

ExchangesResult MonitorIndex::Exchanges(const ExchangeQuery& q) const {
  const Impl& m = *impl_;
  ExchangesResult out;
  const int window = std::clamp(q.window_days, 0, 3660);
  auto oldest_first = [&](std::uint32_t x, std::uint32_t y) {
    return internal::Before(m.facts[y].day, m.facts[y].id, m.facts[x].day, m.facts[x].id);
  };
  // The responder's events towards the initiator that answer `open`.
  auto replies_to = [&](const Fact& open, const std::string& init, const std::string& resp,
                        const std::vector<std::uint32_t>& reply_pairs) {
    std::vector<std::uint32_t> replies;
    DateRange range{open.day, open.day + window};
    for (std::uint32_t p : reply_pairs) {
      m.pairs[p].list.ForRange(range, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        if (!m.ActorMatches(f.source, resp) || !m.ActorMatches(f.target, init)) return;
        // The opening's own story: only a later sentence of the opening's
        // document answers it (not the opening's own sentence, which
        // states what is complained about); reprints repeat the cause.
        if (f.story == open.story) {
          if (f.document_id != open.document_id || f.sentence <= open.sentence) return;
        } else if (f.day == open.day && f.document_id == open.document_id &&
                   f.sentence <= open.sentence) {
          return;
        }
        replies.push_back(post.slot);
      });
    }
    std::sort(replies.begin(), replies.end(), oldest_first);
    return replies;
  };
  const int directions = q.a == q.b ? 1 : 2;
  for (int dir = 0; dir < directions; ++dir) {
    const std::string& init = dir == 0 ? q.a : q.b;
    const std::string& resp = dir == 0 ? q.b : q.a;
    std::vector<std::uint32_t> openings;
    for (std::uint32_t p : m.PairsFor(init, resp, true)) {
      m.pairs[p].list.ForRange(q.dates, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        if (m.ActorMatches(f.source, init) && m.ActorMatches(f.target, resp) &&
            IsOpeningCode(m.Code(f).code)) {
          openings.push_back(post.slot);
        }
      });
    }
    std::sort(openings.begin(), openings.end(), oldest_first);
    const std::vector<std::uint32_t> reply_pairs = m.PairsFor(resp, init, true);
    std::unordered_map<std::uint32_t, std::size_t> exchange_of_story;
    std::size_t first = out.exchanges.size();
    for (std::uint32_t slot : openings) {
      const Fact& f = m.facts[slot];
      auto known = exchange_of_story.find(f.story);
      if (known != exchange_of_story.end()) {   // the same story again
        out.exchanges[known->second].also_opening_ids.push_back(f.id);
        continue;
      }
      // Restated before the other side answered (or, unanswered, within
      // the window): the same complaint.
      if (out.exchanges.size() > first) {
        Exchange& last = out.exchanges.back();
        Day until = last.latency_days ? last.opening_day + *last.latency_days
                                      : last.opening_day + window;
        if (f.day <= until) {
          last.also_opening_ids.push_back(f.id);
          exchange_of_story.emplace(f.story, out.exchanges.size() - 1);
          continue;
        }
      }
      Exchange e;
      e.initiator = init;
      e.responder = resp;
      e.opening_id = f.id;
      e.story_id = m.StoryId(f);
      e.opening_day = f.day;
      bool coop = false, hostile = false, dismissive = false;
      for (std::uint32_t r : replies_to(f, init, resp, reply_pairs)) {
        const Fact& reply = m.facts[r];
        e.reply_ids.push_back(reply.id);
        if (!e.latency_days) e.latency_days = reply.day - f.day;
        int root = m.Code(reply).root;
        if (root >= 3 && root <= 8) coop = true;
        if (root >= 13 && root <= 20) hostile = true;
        if (root == 1 || root == 2 || (root >= 9 && root <= 12)) dismissive = true;
      }
      e.reply_class = coop        ? ReplyClass::kCooperative
                      : hostile    ? ReplyClass::kHostile
                      : dismissive ? ReplyClass::kDismissive
                                   : ReplyClass::kNone;
      exchange_of_story.emplace(f.story, out.exchanges.size());
      out.exchanges.push_back(std::move(e));
    }
  }
  std::sort(out.exchanges.begin(), out.exchanges.end(), [](const Exchange& x, const Exchange& y) {
    return internal::Before(x.opening_day, x.opening_id, y.opening_day, y.opening_id);
  });
  for (const Exchange& e : out.exchanges) {
    if (e.reply_class == ReplyClass::kNone) ++out.unanswered;
  }
  return out;
}

// --- Map ---

std::vector<MapCountry> MonitorIndex::Map(const std::string& actor, const DateRange& dates) const {
  const Impl& m = *impl_;
  std::vector<MapCountry> out;
  if (actor.size() < 3) return out;
  std::vector<std::uint32_t> ids = m.PrefixIdsFor(actor);
  if (ids.empty()) return out;
  const std::uint32_t self = ids[0];
  struct Acc {
    std::int64_t stories = 0, events = 0, gold_n = 0;
    double gold_sum = 0;
  };
  std::map<std::uint32_t, Acc> by_country;
  // The pairs of each counterpart, both directions, visited together so
  // one mark per counterpart counts its stories.
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, bool>>> groups;
  for (std::uint32_t p : m.prefixes.items[self].pairs_as_source) {
    groups[m.pairs[p].target_prefix].push_back({p, true});
  }
  for (std::uint32_t p : m.prefixes.items[self].pairs_as_target) {
    groups[m.pairs[p].source_prefix].push_back({p, false});
  }
  FlatSet seen;
  internal::StoryMarks marks(m.story_ids.size());
  std::uint32_t mark = 0;
  for (const auto& [other, lists] : groups) {
    if (other == self || m.Country(other) == nullptr) continue;
    Acc& acc = by_country[other];
    seen.Clear();
    ++mark;
    for (const auto& [pair, actor_is_source] : lists) {
      m.pairs[pair].list.ForRange(dates, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        if (!m.ActorMatches(actor_is_source ? f.source : f.target, actor)) return;
        ++acc.events;
        if (!seen.Insert(Hash(2, f.story, f.source, f.target, f.code))) return;
        if (marks.Mark(f.story, mark)) ++acc.stories;
        if (f.has_goldstein()) {
          ++acc.gold_n;
          acc.gold_sum += f.goldstein;
        }
      });
    }
  }
  for (const auto& [prefix, acc] : by_country) {
    if (acc.events == 0) continue;
    const CountryInfo* c = m.Country(prefix);
    MapCountry mc;
    mc.code = c->cameo;
    mc.iso2 = c->iso2;
    mc.name = c->name;
    mc.stories = acc.stories;
    mc.events = acc.events;
    if (acc.gold_n > 0) mc.goldstein_mean = acc.gold_sum / static_cast<double>(acc.gold_n);
    out.push_back(std::move(mc));
  }
  std::sort(out.begin(), out.end(), [](const MapCountry& x, const MapCountry& y) {
    if (x.stories != y.stories) return x.stories > y.stories;
    if (x.events != y.events) return x.events > y.events;
    return x.code < y.code;
  });
  return out;
}

// --- SourceHealth ---

Result<SourceHealthResult> MonitorIndex::SourceHealth(const SourceHealthQuery& q) const {
  const Impl& m = *impl_;
  SourceHealthResult out;
  out.bucket = q.bucket;
  const std::size_t n = m.outlets.items.size();
  std::vector<bool> wanted(n, true);
  if (!q.actor_a.empty() || !q.actor_b.empty()) {
    wanted.assign(n, false);
    for (std::uint32_t p : m.PairsFor(q.actor_a, q.actor_b, q.directed)) {
      ForSelected(m.pairs[p].list, q.dates, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        if (!m.DyadMatches(f, q.actor_a, q.actor_b, q.directed)) return;
        std::uint32_t doc = m.slot_of_doc.Find(f.document_id);
        if (doc != internal::kNone) wanted[m.docs[doc].outlet] = true;
      });
    }
  }
  // The dated documents of the wanted outlets in range.
  Day lo = kMaxDay, hi = kMinDay;
  auto in_range = [&](std::size_t o) {
    const auto& days = m.outlet_days[o];
    auto begin = days.lower_bound(std::max(q.dates.from, kMinDay));
    auto end = days.upper_bound(q.dates.to);
    return std::make_pair(begin, end);
  };
  for (std::size_t o = 0; o < n; ++o) {
    if (!wanted[o]) continue;
    auto [begin, end] = in_range(o);
    if (begin == end) continue;
    lo = std::min(lo, begin->first);
    hi = std::max(hi, std::prev(end)->first);
  }
  if (lo > hi) lo = hi = kUndated;
  Result<Axis> axis = MakeAxis(q.bucket, q.dates, lo, hi);
  if (!axis.ok()) return axis.status();
  out.starts = axis->starts;
  for (std::size_t o = 0; o < n; ++o) {
    if (!wanted[o]) continue;
    auto [begin, end] = in_range(o);
    if (begin == end) continue;
    OutletHealth h;
    h.outlet = m.outlets.items[o];
    h.documents.assign(out.starts.size(), 0);
    for (auto it = begin; it != end; ++it) {
      h.documents[axis->Index(it->first)] += it->second;
      h.total += it->second;
    }
    out.outlets.push_back(std::move(h));
  }
  std::sort(out.outlets.begin(), out.outlets.end(), [](const OutletHealth& x, const OutletHealth& y) {
    if (x.total != y.total) return x.total > y.total;
    return x.outlet < y.outlet;
  });
  // Gaps: runs of empty buckets between an outlet's first and last documents.
  for (const OutletHealth& h : out.outlets) {
    std::size_t first = 0, last = h.documents.size();
    while (first < last && h.documents[first] == 0) ++first;
    while (last > first && h.documents[last - 1] == 0) --last;
    for (std::size_t i = first; i < last;) {
      if (h.documents[i] != 0) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < last && h.documents[j] == 0) ++j;
      out.gaps.push_back({h.outlet, out.starts[i], NextBucket(out.starts[j - 1], q.bucket) - 1});
      i = j;
    }
  }
  return out;
}

}  // namespace dyad::monitor
