// Running a loop body on several threads, for the ingest pipeline and the
// Python module's code_many.
#ifndef DYAD_PIPELINE_PARALLEL_H_
#define DYAD_PIPELINE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace dyad::pipeline {

// Runs fn(i) for i in [0, n) on up to `threads` threads (the calling one
// included). An exception in a worker is carried to the caller after every
// thread is joined, never let loose on a std::thread (which would
// terminate); the first one is rethrown.
template <typename Fn>
void ParallelFor(std::size_t n, std::size_t threads, Fn fn) {
  const std::size_t workers = std::min(n, threads);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace dyad::pipeline

#endif  // DYAD_PIPELINE_PARALLEL_H_
