// Google Benchmark programs for the coder. Run through bench/run, never by
// CTest. Each benchmark checks its output before timing.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "dyad/coder.h"
#include "dyad/text.h"
#include "synthetic_corpus.h"

namespace {

std::string DictDir() {
  const char* env = std::getenv("DYAD_DICT_DIR");
  return env ? env : DYAD_BENCH_DICT_DIR;
}

void BM_Analyze(benchmark::State& state) {
  auto corpus = dyad::bench::MakeSyntheticCorpus(static_cast<size_t>(state.range(0)));
  dyad::AnalyzedText at;
  size_t sentences = 0;
  for (const auto& d : corpus.documents) {
    dyad::AnalyzeInto(d.text, {}, &at);
    sentences += at.sentences.size();
  }
  if (sentences < corpus.sentences * 9 / 10) {
    state.SkipWithError("sentence splitter lost sentences");
    return;
  }
  for (auto _ : state)
    for (const auto& d : corpus.documents) {
      dyad::AnalyzeInto(d.text, {}, &at);
      benchmark::DoNotOptimize(at.tokens.data());
    }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.sentences));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
}
BENCHMARK(BM_Analyze)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_CodeDocuments(benchmark::State& state) {
  auto dict = dyad::Dictionary::LoadDirectory(DictDir());
  if (!dict.ok()) { state.SkipWithError(dict.status().ToString().c_str()); return; }
  auto coder = dyad::Coder::Create(dict.value(), {});
  auto corpus = dyad::bench::MakeSyntheticCorpus(static_cast<size_t>(state.range(0)));
  size_t events = 0;
  for (const auto& d : corpus.documents) events += coder.value()->CodeDocument(d).size();
  if (events == 0) { state.SkipWithError("no events coded: wrong dictionary?"); return; }
  for (auto _ : state)
    for (const auto& d : corpus.documents) benchmark::DoNotOptimize(coder.value()->CodeDocument(d));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.sentences));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
  state.counters["events_per_iter"] = static_cast<double>(events);
}
BENCHMARK(BM_CodeDocuments)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LoadDictionary(benchmark::State& state) {
  for (auto _ : state) {
    auto dict = dyad::Dictionary::LoadDirectory(DictDir());
    if (!dict.ok()) { state.SkipWithError(dict.status().ToString().c_str()); return; }
    benchmark::DoNotOptimize(dict.value().get());
  }
}
BENCHMARK(BM_LoadDictionary)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
