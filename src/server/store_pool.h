// A few store connections shared by the server's request threads. A Store is
// used from one thread at a time, so a request leases one, and gives it back
// when the lease goes out of scope; connections are opened on first need.
#ifndef DYAD_SERVER_STORE_POOL_H_
#define DYAD_SERVER_STORE_POOL_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dyad/status.h"
#include "dyad/store.h"

namespace dyad::server {

class StorePool {
 public:
  StorePool(std::string url, int size) : url_(std::move(url)), size_(size < 1 ? 1 : size) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store)
        : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    Store* operator->() const { return store_.get(); }
    Store& operator*() const { return *store_; }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // Waits for a free connection, opening one when fewer than `size` exist.
  Result<Lease> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Store> store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
    ++open_;
    lock.unlock();
    auto store = Store::Open(url_);
    if (!store.ok()) {
      std::lock_guard<std::mutex> relock(mu_);
      --open_;
      cv_.notify_one();
      return store.status();
    }
    return Lease(this, std::move(store).value());
  }

 private:
  void Return(std::unique_ptr<Store> store) {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(store));
    cv_.notify_one();
  }

  const std::string url_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Store>> idle_;
  int open_ = 0;
};

}  // namespace dyad::server

#endif  // DYAD_SERVER_STORE_POOL_H_
