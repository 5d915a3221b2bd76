// Alerts: weekly conflict stories per country pair against two baselines.
//
// For every unordered country pair, the weeks from (report window start -
// the longer baseline) to as_of are counted once, in one walk of the pair's
// posting lists: a week's count is its distinct stories with an event of
// QuadClass 3 or 4 between the two countries (either direction) dated up to
// as_of. Baselines are means over the preceding weeks, empty weeks counting
// as zero, read off prefix sums. docs/monitor.md states the rules.
#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "dyad/monitor.h"
#include "monitor/index_impl.h"

namespace dyad::monitor {

using internal::Fact;
using internal::FlatSet;
using internal::Hash;
using internal::Post;

namespace {

Status BadField(const std::string& key, const char* what) {
  std::string msg = "alert config: ";
  msg += key;
  msg += ": ";
  msg += what;
  return InvalidArgument(std::move(msg));
}

Status ReadNumber(const nlohmann::json& v, const std::string& key, double lo, double hi,
                  double* out) {
  if (!v.is_number()) return BadField(key, "expected a number");
  double d = v.get<double>();
  if (!(d >= lo && d <= hi)) {
    std::string what = "out of range [";
    what += nlohmann::json(lo).dump();
    what += ", ";
    what += nlohmann::json(hi).dump();
    what += "]";
    return BadField(key, what.c_str());
  }
  *out = d;
  return Status::Ok();
}

Status ReadWeeks(const nlohmann::json& v, const std::string& key, int lo, int hi, int* out) {
  if (!v.is_number_integer()) return BadField(key, "expected a whole number of weeks");
  auto w = v.get<std::int64_t>();
  if (w < lo || w > hi) {
    std::string what = "out of range [";
    what += std::to_string(lo);
    what += ", ";
    what += std::to_string(hi);
    what += "]";
    return BadField(key, what.c_str());
  }
  *out = static_cast<int>(w);
  return Status::Ok();
}

}  // namespace

Result<AlertConfig> ParseAlertConfig(std::string_view json) {
  AlertConfig config;
  bool blank = std::all_of(json.begin(), json.end(),
                           [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
  if (blank) return config;
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded()) return InvalidArgument("alert config: not valid JSON");
  if (!doc.is_object()) return InvalidArgument("alert config: expected a JSON object");
  try {
    for (const auto& [key, value] : doc.items()) {
      Status s;
      if (key == "increase") {
        s = ReadNumber(value, key, 0, 100, &config.increase);
      } else if (key == "month_ratio") {
        s = ReadNumber(value, key, 1, 100, &config.month_ratio);
      } else if (key == "floor") {
        s = ReadNumber(value, key, 0, 1e6, &config.floor);
      } else if (key == "short_weeks") {
        s = ReadWeeks(value, key, 1, 52, &config.short_weeks);
      } else if (key == "long_weeks") {
        s = ReadWeeks(value, key, 1, 520, &config.long_weeks);
      } else if (key == "report_weeks") {
        s = ReadWeeks(value, key, 1, 520, &config.report_weeks);
      } else {
        s = BadField(key,
                     "unknown field (known: increase, month_ratio, floor, short_weeks, "
                     "long_weeks, report_weeks)");
      }
      if (!s.ok()) return s;
    }
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("alert config: ") + e.what());
  }
  if (config.short_weeks > config.long_weeks) {
    return InvalidArgument("alert config: short_weeks is longer than long_weeks");
  }
  return config;
}

std::string AlertConfigJson(const AlertConfig& c) {
  nlohmann::json j = {{"increase", c.increase},       {"month_ratio", c.month_ratio},
                      {"floor", c.floor},             {"short_weeks", c.short_weeks},
                      {"long_weeks", c.long_weeks},   {"report_weeks", c.report_weeks}};
  return j.dump();
}

const char* AlertStatusName(AlertStatus s) {
  switch (s) {
    case AlertStatus::kNormal:
      return "normal";
    case AlertStatus::kLimitedChange:
      return "limited_change";
    case AlertStatus::kFired:
      return "fired";
  }
  return "normal";
}

AlertsResult MonitorIndex::Alerts(const AlertConfig& config, const AlertQuery& query) const {
  const Impl& m = *impl_;
  AlertsResult out;
  out.as_of = query.as_of ? *query.as_of : m.LatestDay();
  if (out.as_of == kUndated) return out;
  const int report = std::max(1, config.report_weeks);
  const int longest = std::max({1, config.short_weeks, config.long_weeks});
  const int nweeks = longest + report;
  const Day as_of_week = BucketStart(out.as_of, Bucket::kWeek);
  const Day scan_start = as_of_week - 7 * (nweeks - 1);
  const DateRange scan{scan_start, out.as_of};

  FlatSet seen;
  std::vector<std::int64_t> counts(nweeks), prefix(nweeks + 1);
  std::vector<std::vector<std::uint32_t>> evidence(report);
  for (const Impl::CountryPair& cp : m.CountryPairs()) {
    const std::string& a = m.prefixes.items[cp.a].text;
    const std::string& b = m.prefixes.items[cp.b].text;
    if (!query.a.empty() || !query.b.empty()) {
      bool match = (a == query.a && b == query.b) || (a == query.b && b == query.a);
      if (!match) continue;
    }
    seen.Clear();
    std::fill(counts.begin(), counts.end(), 0);
    for (auto& e : evidence) e.clear();
    bool any = false;
    for (std::uint32_t p : cp.pairs) {
      m.pairs[p].list.ForRange(scan, [&](const Post& post) {
        const Fact& f = m.facts[post.slot];
        if (f.quad < 3) return;
        any = true;
        int w = (BucketStart(post.day, Bucket::kWeek) - scan_start) / 7;
        if (seen.Insert(Hash(static_cast<std::uint64_t>(w), f.story))) ++counts[w];
        if (w >= longest) evidence[w - longest].push_back(post.slot);
      });
    }
    if (!any) continue;
    for (int w = 0; w < nweeks; ++w) prefix[w + 1] = prefix[w] + counts[w];
    auto mean = [&](int w, int span) {
      return static_cast<double>(prefix[w] - prefix[w - span]) / span;
    };
    for (int r = 0; r < report; ++r) {
      const int w = longest + r;
      AlertWeek week;
      week.a = a;
      week.b = b;
      week.week = scan_start + 7 * w;
      week.stories = counts[w];
      week.baseline_short = mean(w, config.short_weeks);
      week.baseline_long = mean(w, config.long_weeks);
      const double c = static_cast<double>(week.stories);
      const bool short_ok = week.baseline_short >= config.floor;
      const bool long_ok = week.baseline_long >= config.floor;
      if (short_ok && long_ok && c > (1 + config.increase) * week.baseline_short &&
          c > (1 + config.increase) * week.baseline_long) {
        week.rule = "increase";
      }
      if (short_ok && c >= config.month_ratio * week.baseline_short && c > 0) {
        if (!week.rule.empty()) week.rule += ',';
        week.rule += "month_ratio";
      }
      if (!week.rule.empty()) {
        week.status = AlertStatus::kFired;
      } else if (week.stories > 0 && !short_ok) {
        week.status = AlertStatus::kLimitedChange;
      }
      const bool current = r == report - 1;
      if (week.status == AlertStatus::kNormal) {
        // The current week of a pair active within the long baseline.
        if (!current || prefix[nweeks] - prefix[w - config.long_weeks] == 0) continue;
      }
      std::vector<std::uint32_t>& slots = evidence[r];
      for (std::uint32_t s : slots) {
        week.event_ids.push_back(m.facts[s].id);
        week.story_ids.push_back(m.StoryId(m.facts[s]));
      }
      std::sort(week.event_ids.begin(), week.event_ids.end());
      std::sort(week.story_ids.begin(), week.story_ids.end());
      week.story_ids.erase(std::unique(week.story_ids.begin(), week.story_ids.end()),
                           week.story_ids.end());
      out.alerts.push_back(std::move(week));
    }
  }
  std::sort(out.alerts.begin(), out.alerts.end(), [](const AlertWeek& x, const AlertWeek& y) {
    if (x.week != y.week) return x.week > y.week;
    if (x.status != y.status) return static_cast<int>(x.status) > static_cast<int>(y.status);
    if (x.stories != y.stories) return x.stories > y.stories;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  return out;
}

}  // namespace dyad::monitor
