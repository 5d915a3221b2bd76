// A one-line progress display for long runs on a terminal.
#ifndef DYAD_PIPELINE_PROGRESS_H_
#define DYAD_PIPELINE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <ostream>

namespace dyad::pipeline {

struct ProgressCounts {
  std::int64_t documents = 0, sentences = 0, events = 0, errors = 0;
  std::int64_t bytes_done = 0, bytes_total = 0;  // bytes_total 0 = unknown (stdin)
};

// Redraws "\r[#####     ] 45%  1,234 docs  52,000 sent/s  678 events  ETA 0:12"
// at most five times a second; Finish() ends the line. Does nothing when
// constructed with a null stream.
class ProgressLine {
 public:
  explicit ProgressLine(std::ostream* out);
  void Update(const ProgressCounts& counts, bool force = false);
  void Finish(const ProgressCounts& counts);

 private:
  std::ostream* out_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

// 1234567 -> "1,234,567".
std::string Thousands(std::int64_t n);

}  // namespace dyad::pipeline

#endif  // DYAD_PIPELINE_PROGRESS_H_
