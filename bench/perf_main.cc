// dyad_perf: the figures bench/run prints, for one dictionary per process
// so that peak RSS belongs to that dictionary. Output format is stable:
// "key: value unit" lines, compared across versions.
//   dyad_perf --dict DIR [--sentences N]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "dyad/coder.h"
#include "synthetic_corpus.h"

int main(int argc, char** argv) {
  std::string dict_dir;
  size_t n = 200000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--dict") == 0) dict_dir = argv[i + 1];
    else if (std::strcmp(argv[i], "--sentences") == 0) n = std::stoul(argv[i + 1]);
  }
  if (dict_dir.empty()) { std::fprintf(stderr, "usage: dyad_perf --dict DIR [--sentences N]\n"); return 2; }
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  auto dict = dyad::Dictionary::LoadDirectory(dict_dir);
  auto t1 = Clock::now();
  if (!dict.ok()) { std::fprintf(stderr, "dyad_perf: %s\n", dict.status().ToString().c_str()); return 1; }
  auto coder = dyad::Coder::Create(dict.value(), {});
  auto corpus = dyad::bench::MakeSyntheticCorpus(n);
  // Warm-up and reference check: the corpus must produce events.
  size_t events = 0;
  for (size_t i = 0; i < corpus.documents.size() && i < 50; ++i)
    events += coder.value()->CodeDocument(corpus.documents[i]).size();
  events = 0;
  auto t2 = Clock::now();
  for (const auto& d : corpus.documents) events += coder.value()->CodeDocument(d).size();
  auto t3 = Clock::now();
  const double load_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  const double code_s = std::chrono::duration<double>(t3 - t2).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("dictionary: %s\n", dict_dir.c_str());
  std::printf("dictionary_load: %.1f ms\n", load_ms);
  std::printf("sentences: %zu\n", corpus.sentences);
  std::printf("bytes: %zu\n", corpus.bytes);
  std::printf("events: %zu\n", events);
  std::printf("coding_time: %.3f s\n", code_s);
  std::printf("sentences_per_second: %.0f\n", corpus.sentences / code_s);
  std::printf("events_per_second: %.0f\n", events / code_s);
  std::printf("megabytes_per_second: %.2f\n", corpus.bytes / code_s / 1e6);
  std::printf("peak_rss: %.1f MB\n", ru.ru_maxrss / 1024.0);
  return events > 0 ? 0 : 1;
}
