#include "pipeline/progress.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace dyad::pipeline {

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

ProgressLine::ProgressLine(std::ostream* out)
    : out_(out), start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressLine::Update(const ProgressCounts& c, bool force) {
  if (!out_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = "\r";
  if (c.bytes_total > 0) {
    const double frac = std::min(1.0, static_cast<double>(c.bytes_done) / c.bytes_total);
    const int filled = static_cast<int>(frac * 20);
    line += '[';
    line.append(filled, '#').append(20 - filled, ' ').append("] ");
    char pct[8];
    std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(frac * 100));
    line += pct;
  }
  line.append("  ").append(Thousands(c.documents)).append(" docs  ");
  line.append(Thousands(secs > 0 ? static_cast<std::int64_t>(c.sentences / secs) : 0)).append(" sent/s  ");
  line.append(Thousands(c.events)).append(" events");
  if (c.errors > 0) line.append("  ").append(Thousands(c.errors)).append(" errors");
  if (c.bytes_total > 0 && c.bytes_done > 0 && c.bytes_done < c.bytes_total) {
    const auto eta = static_cast<std::int64_t>(secs * (c.bytes_total - c.bytes_done) / c.bytes_done);
    char buf[32];
    std::snprintf(buf, sizeof buf, "  ETA %lld:%02lld", static_cast<long long>(eta / 60),
                  static_cast<long long>(eta % 60));
    line += buf;
  }
  line += "\x1b[K";  // clear what a longer earlier line left
  *out_ << line << std::flush;
  drawn_ = true;
}

void ProgressLine::Finish(const ProgressCounts& c) {
  if (!out_) return;
  Update(c, /*force=*/true);
  if (drawn_) *out_ << "\n" << std::flush;
}

}  // namespace dyad::pipeline
