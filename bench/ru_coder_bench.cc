// Google Benchmark for the Russian coder (issue 8): Russian raw text to
// events, sentences per second on one core, over the development set's
// sentences (testdata/eval/ru/dev.jsonl). Each benchmark checks its output
// before timing. Run: build/bench/ru_coder_bench --benchmark_min_time=2s
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "dyad/coder.h"
#include "dyad/io.h"
#include "dyad/russian_coder.h"
#include "dyad/russian_morphology.h"
#include "dyad/russian_text.h"

namespace {

std::string RuDictDir() {
  const char* env = std::getenv("DYAD_DICT_DIR");
  return std::string(env ? env : DYAD_BENCH_DICT_DIR) + "/ru";
}

std::vector<dyad::Document> DevDocuments() {
  std::vector<dyad::Document> docs;
  std::ifstream in(std::string(DYAD_TESTDATA_DIR) + "/eval/ru/dev.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto d = dyad::ParseJsonDocument(line, "");
    if (d.ok()) docs.push_back(std::move(d.value()));
  }
  return docs;
}

std::unique_ptr<dyad::ru::RussianCoder> MakeCoder(benchmark::State& state) {
  auto coder = dyad::ru::RussianCoder::LoadDefault(RuDictDir(), {});
  if (!coder.ok()) {
    state.SkipWithError(coder.status().ToString().c_str());
    return nullptr;
  }
  return std::move(coder.value());
}

// One document per sentence, as the development set and Telegram posts
// come: analysis, dictionary lookups, roles, events with evidence.
void BM_RuCodeSentences(benchmark::State& state) {
  auto coder = MakeCoder(state);
  if (!coder) return;
  const auto docs = DevDocuments();
  size_t events = 0, bytes = 0;
  for (const auto& d : docs) {
    events += coder->CodeDocument(d).size();
    bytes += d.text.size();
  }
  if (docs.size() < 300 || events < 200) {
    state.SkipWithError("too few sentences or events: wrong data or dictionary?");
    return;
  }
  for (auto _ : state)
    for (const auto& d : docs) benchmark::DoNotOptimize(coder->CodeDocument(d));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["events_per_iter"] = static_cast<double>(events);
}
BENCHMARK(BM_RuCodeSentences)->Unit(benchmark::kMillisecond);

// The same sentences as one long document (an article): sentence splitting
// included.
void BM_RuCodeOneDocument(benchmark::State& state) {
  auto coder = MakeCoder(state);
  if (!coder) return;
  dyad::Document doc;
  doc.id = "all";
  doc.date = "2025-04-10";
  size_t n = 0;
  for (const auto& d : DevDocuments()) {
    doc.text += d.text + "\n";
    ++n;
  }
  std::vector<dyad::SentenceSpan> spans;
  const size_t events = coder->CodeDocument(doc, nullptr, &spans).size();
  if (spans.size() < n || events < 150) {
    state.SkipWithError("sentences lost or too few events");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(coder->CodeDocument(doc));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * spans.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.text.size()));
}
BENCHMARK(BM_RuCodeOneDocument)->Unit(benchmark::kMillisecond);

void BM_RuAnalyzeText(benchmark::State& state) {
  const auto docs = DevDocuments();
  dyad::ru::Text t;
  size_t sentences = 0, bytes = 0;
  for (const auto& d : docs) {
    dyad::ru::AnalyzeTextInto(d.text, &t);
    sentences += t.sentences.size();
    bytes += d.text.size();
  }
  if (sentences != docs.size()) {
    state.SkipWithError("the splitter cut a development-set sentence");
    return;
  }
  for (auto _ : state)
    for (const auto& d : docs) {
      dyad::ru::AnalyzeTextInto(d.text, &t);
      benchmark::DoNotOptimize(t.tokens.data());
    }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_RuAnalyzeText)->Unit(benchmark::kMillisecond);

// Morphology plus our dictionaries expanded to every form.
void BM_RuLoad(benchmark::State& state) {
  for (auto _ : state) {
    auto coder = MakeCoder(state);
    if (!coder) return;
    benchmark::DoNotOptimize(coder.get());
  }
}
BENCHMARK(BM_RuLoad)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
