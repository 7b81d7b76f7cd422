// Delivers the outbox's webhook notifications: POSTs each JSON payload to its URL, records
// the answer, and retries failures with exponential backoff (1 min, 2 min, 4 min ... up to
// 6 h, for 3 days). Email notifications wait in the same outbox for the mail sender.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "store/store.h"

namespace chamado::jobs {

class WebhookSender {
 public:
  WebhookSender(store::Store& store, const core::Clock& clock);
  ~WebhookSender();
  void Start();
  void Stop();
  // Sends what is due now; returns how many were attempted.
  Result<int> SendDue();
  void Poke();

 private:
  void Loop();
  store::Store& store_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool poked_ = false;
  std::thread thread_;
};

// The delay before attempt `attempts + 1`, or nullopt once it is time to give up.
std::optional<std::chrono::milliseconds> WebhookBackoff(int attempts);

}  // namespace chamado::jobs
