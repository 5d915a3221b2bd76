// Google Benchmark for the Russian morphology (issue 8): dictionary load
// time, and Analyze words/s over the words of the Russian development set
// (testdata/eval/ru/dev.jsonl). Checks its answers before timing.
//
//   build/bench/ru_morphology_bench [--benchmark_min_time=1]
//
// The dictionary comes from Morphology::DefaultDirectory() ($DYAD_RU_MORPHOLOGY,
// the installed copy, or data/ru/node_modules/az/dicts from scripts/deps.sh).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "dyad/russian_morphology.h"

namespace {

using dyad::ru::Morphology;

const std::shared_ptr<const Morphology>& Morph() {
  static const std::shared_ptr<const Morphology> morph = [] {
    auto loaded = Morphology::Load(Morphology::DefaultDirectory());
    return loaded.ok() ? *loaded : std::shared_ptr<const Morphology>();
  }();
  return morph;
}

// Words of running text: runs of letters with inner hyphens, as UTF-8.
void SplitWords(const std::string& text, std::vector<std::string>* words) {
  std::string word;
  const auto flush = [&] {
    while (!word.empty() && word.back() == '-') word.pop_back();
    if (!word.empty()) words->push_back(word);
    word.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : 4;
    n = std::min(n, text.size() - i);
    const bool cyrillic = n == 2 && (b == 0xD0 || b == 0xD1);
    const bool latin = n == 1 && std::isalpha(b);
    const bool hyphen = n == 1 && b == '-' && !word.empty();
    if (cyrillic || latin || hyphen) word.append(text, i, n);
    else flush();
    i += n;
  }
  flush();
}

const std::vector<std::string>& DevWords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(DYAD_TESTDATA_DIR) + "/eval/ru/dev.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string()) {
        SplitWords(j["text"].get<std::string>(), &out);
      }
    }
    return out;
  }();
  return words;
}

void BM_Load(benchmark::State& state) {
  const std::string dir = Morphology::DefaultDirectory();
  for (auto _ : state) {
    auto loaded = Morphology::Load(dir);
    if (!loaded.ok()) {
      state.SkipWithError(("cannot load: " + loaded.status().ToString()).c_str());
      return;
    }
    benchmark::DoNotOptimize(loaded->get());
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond)->UseRealTime();

// Analyze over `words`, after checking that nearly all get an analysis.
void RunAnalyze(benchmark::State& state, const std::vector<std::string>& words) {
  const Morphology* morph = Morph().get();
  if (morph == nullptr) {
    state.SkipWithError("Russian morphology data not installed (scripts/deps.sh)");
    return;
  }
  std::size_t analysed = 0, cyrillic = 0;
  for (const std::string& w : words) {
    const bool has_cyrillic = w.find('\xD0') != std::string::npos || w.find('\xD1') != std::string::npos;
    cyrillic += has_cyrillic;
    analysed += has_cyrillic && !morph->Analyze(w).empty();
  }
  if (words.size() < 1000 || analysed < cyrillic * 98 / 100) {
    state.SkipWithError("too few words analysed");
    return;
  }
  std::size_t parses = 0;
  for (auto _ : state) {
    for (const std::string& w : words) parses += morph->Analyze(w).size();
  }
  benchmark::DoNotOptimize(parses);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * words.size()));
  state.counters["words"] = static_cast<double>(words.size());
}

void BM_AnalyzeDevText(benchmark::State& state) { RunAnalyze(state, DevWords()); }
BENCHMARK(BM_AnalyzeDevText)->Unit(benchmark::kMillisecond);

void BM_AnalyzeDistinctWords(benchmark::State& state) {
  static const std::vector<std::string> distinct = [] {
    const std::set<std::string> set(DevWords().begin(), DevWords().end());
    return std::vector<std::string>(set.begin(), set.end());
  }();
  RunAnalyze(state, distinct);
}
BENCHMARK(BM_AnalyzeDistinctWords)->Unit(benchmark::kMillisecond);

// Words the dictionary lacks: the suffix guesser's cost.
void BM_AnalyzeUnknownWords(benchmark::State& state) {
  static const std::vector<std::string> unknown = [] {
    std::vector<std::string> out;
    for (const char* stem : {"хайпан", "зумер", "кринжан", "флексан", "шерингов", "донатер",
                             "релокант", "стример", "вайбов", "фейкомёт"}) {
      for (const char* end : {"ули", "ом", "ами", "ах", "ов", "ала", "ующий", "ённых", "ить", "ы"}) {
        for (int i = 0; i < 10; ++i) out.push_back(std::string(stem) + end);
      }
    }
    return out;
  }();
  RunAnalyze(state, unknown);
}
BENCHMARK(BM_AnalyzeUnknownWords)->Unit(benchmark::kMillisecond);

void BM_Lexeme(benchmark::State& state) {
  const Morphology* morph = Morph().get();
  if (morph == nullptr) {
    state.SkipWithError("Russian morphology data not installed (scripts/deps.sh)");
    return;
  }
  std::vector<dyad::ru::Parse> parses;
  for (const char* w : {"посол", "задержать", "мигрант", "узбекистан", "депортировать",
                        "сотрудник", "полиция", "вызвать", "нота", "протест"}) {
    auto p = morph->Analyze(w);
    if (p.empty()) { state.SkipWithError(w); return; }
    parses.push_back(p[0]);
  }
  std::size_t forms = 0;
  for (auto _ : state) {
    for (const auto& p : parses) forms += morph->Lexeme(p).size();
  }
  benchmark::DoNotOptimize(forms);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * parses.size()));
}
BENCHMARK(BM_Lexeme)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
