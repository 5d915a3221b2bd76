// A deterministic synthetic news corpus for benchmarks: wire-style
// sentences about states, officials, police and migrants, with attribution,
// dates and background sentences that carry no event, grouped into
// documents of about 20 sentences.
#ifndef DYAD_BENCH_SYNTHETIC_CORPUS_H_
#define DYAD_BENCH_SYNTHETIC_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dyad/coder.h"

namespace dyad::bench {

struct SyntheticCorpus {
  std::vector<Document> documents;
  size_t sentences = 0;
  size_t bytes = 0;
};

SyntheticCorpus MakeSyntheticCorpus(size_t sentences, std::uint64_t seed = 42);

}  // namespace dyad::bench

#endif  // DYAD_BENCH_SYNTHETIC_CORPUS_H_
