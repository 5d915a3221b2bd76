// GET responses kept until the store changes. A response being computed is
// computed once: requests for the same key that arrive meanwhile wait for it
// instead of computing it again (200 dashboards opening the same timeline
// cost one computation). Errors are not kept; they reach every waiter.
#ifndef DYAD_SERVER_RESPONSE_CACHE_H_
#define DYAD_SERVER_RESPONSE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dyad::server {

class ResponseCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  explicit ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body for `key`: kept, being computed by another request, or computed
  // now by `compute` (whose exception propagates to this caller and to the
  // requests waiting for it).
  Body GetOrCompute(const std::string& key, const std::function<std::string()>& compute) {
    if (max_bytes_ == 0) return std::make_shared<const std::string>(compute());
    std::promise<Body> promise;
    std::shared_future<Body> pending;
    std::uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = kept_.find(key); it != kept_.end()) return it->second;
      if (auto it = computing_.find(key); it != computing_.end()) {
        pending = it->second;
      } else {
        computing_.emplace(key, promise.get_future().share());
      }
      generation = generation_;
    }
    if (pending.valid()) return pending.get();
    Body body;
    try {
      body = std::make_shared<const std::string>(compute());
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      promise.set_exception(std::current_exception());
      computing_.erase(key);
      throw;
    }
    std::lock_guard<std::mutex> lock(mu_);
    promise.set_value(body);
    computing_.erase(key);
    // Computed from data that changed meanwhile: served, not kept.
    if (generation == generation_) {
      if (bytes_ + body->size() > max_bytes_) Drop();
      bytes_ += body->size();
      kept_.emplace(key, body);
    }
    return body;
  }

  // Forgets every kept response (the data changed).
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    Drop();
  }

 private:
  void Drop() {
    kept_.clear();
    bytes_ = 0;
  }

  const std::size_t max_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, Body> kept_;
  std::unordered_map<std::string, std::shared_future<Body>> computing_;
  std::size_t bytes_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace dyad::server

#endif  // DYAD_SERVER_RESPONSE_CACHE_H_
