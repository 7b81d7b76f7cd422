// A background thread that runs one pass, sleeps until the pass says or until poked, and
// stops on request: the shape shared by the scheduler and the outbox senders.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace chamado::jobs {

class Worker {
 public:
  // `pass` runs on the thread and returns how long to sleep before the next one.
  using Pass = std::function<std::chrono::milliseconds()>;
  Worker() = default;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() { Stop(); }

  void Start(Pass pass) {
    thread_ = std::thread([this, pass = std::move(pass)] {
      while (true) {
        const auto wait = pass();
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, wait, [&] { return stopping_ || poked_; });
        if (stopping_) return;
        poked_ = false;
      }
    });
  }

  // Runs the next pass now.
  void Poke() {
    {
      std::lock_guard lock(mu_);
      poked_ = true;
    }
    cv_.notify_all();
  }

  // Waits for the pass under way; no pass starts after it. Idempotent.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool poked_ = false;     // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace chamado::jobs
