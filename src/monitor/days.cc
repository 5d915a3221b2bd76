// Day numbers, buckets and date ranges for the monitor (dyad/monitor.h).
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "dyad/monitor.h"

namespace dyad::monitor {
namespace {

namespace chr = std::chrono;

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Day FromYmd(const chr::year_month_day& ymd) {
  return static_cast<Day>(chr::sys_days(ymd).time_since_epoch().count());
}

chr::year_month_day ToYmd(Day day) { return chr::year_month_day(chr::sys_days(chr::days(day))); }

// Floor modulo: weekday index with Monday = 0 (1970-01-01 was a Thursday).
int MondayIndex(Day day) {
  int m = (static_cast<int>(day % 7) + 3) % 7;
  return m < 0 ? m + 7 : m;
}

}  // namespace

bool ParseDay(std::string_view text, Day* day) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!Digits(y) || !Digits(m) || !Digits(d)) return false;
  int year = ToInt(y);
  if (year < 1000) return false;
  chr::year_month_day ymd{chr::year(year), chr::month(static_cast<unsigned>(ToInt(m))),
                          chr::day(static_cast<unsigned>(ToInt(d)))};
  if (!ymd.ok()) return false;
  *day = FromYmd(ymd);
  return true;
}

std::string FormatDay(Day day) {
  if (day == kUndated) return "";
  chr::year_month_day ymd = ToYmd(day);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

bool ParseBucket(std::string_view name, Bucket* bucket) {
  if (name == "day") {
    *bucket = Bucket::kDay;
  } else if (name == "week") {
    *bucket = Bucket::kWeek;
  } else if (name == "month") {
    *bucket = Bucket::kMonth;
  } else {
    return false;
  }
  return true;
}

const char* BucketName(Bucket bucket) {
  switch (bucket) {
    case Bucket::kDay:
      return "day";
    case Bucket::kWeek:
      return "week";
    case Bucket::kMonth:
      return "month";
  }
  return "week";
}

Day BucketStart(Day day, Bucket bucket) {
  switch (bucket) {
    case Bucket::kDay:
      return day;
    case Bucket::kWeek:
      return day - MondayIndex(day);
    case Bucket::kMonth: {
      chr::year_month_day ymd = ToYmd(day);
      return FromYmd(chr::year_month_day{ymd.year(), ymd.month(), chr::day(1)});
    }
  }
  return day;
}

Day NextBucket(Day start, Bucket bucket) {
  switch (bucket) {
    case Bucket::kDay:
      return start + 1;
    case Bucket::kWeek:
      return start + 7;
    case Bucket::kMonth: {
      chr::year_month_day ymd = ToYmd(start);
      chr::year_month_day next = chr::year_month_day{ymd.year(), ymd.month(), chr::day(1)} +
                                 chr::months(1);
      return FromYmd(next);
    }
  }
  return start + 1;
}

Result<DateRange> ParseDateRange(std::string_view from, std::string_view to) {
  DateRange range;
  if (!from.empty() && !ParseDay(from, &range.from)) {
    return InvalidArgument("from: expected a date YYYY-MM-DD");
  }
  if (!to.empty() && !ParseDay(to, &range.to)) {
    return InvalidArgument("to: expected a date YYYY-MM-DD");
  }
  if (range.from > range.to) return InvalidArgument("from is after to");
  return range;
}

}  // namespace dyad::monitor
