// Where "now" comes from. The core never asks: callers pass instants in. Edges (the HTTP
// API, the scheduler) hold a Clock; the server's is the system clock, or with
// --test-clock one that tests can set.
#pragma once

#include <atomic>

#include "core/time.h"

namespace chamado::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// A clock that says what it is told (tests).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant t) : ms_(ToUnixMillis(t)) {}
  Instant Now() const override { return FromUnixMillis(ms_.load()); }
  void Set(Instant t) { ms_.store(ToUnixMillis(t)); }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace chamado::core
