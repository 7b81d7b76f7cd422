// Delivers the outbox: each row of one kind (webhook, email, whatsapp) is handed to its delivery
// function; the answer is recorded on the row, and failures are retried with exponential
// backoff (1 min, 2 min, 4 min ... up to 6 h, for about 3 days), so nothing is lost while a
// receiver or the smart host is down. A permanent refusal (an SMTP 5xx) is not retried.
// Rows are claimed before delivery (store::OutboxRepo::ClaimOutbox, a 30-minute lease), so
// instances sharing a database deliver each row once; a crash mid-delivery delivers it again
// when the lease ends (at least once, as with any outbox).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace chamado::jobs {

struct Delivery {
  Delivery(std::string e = {}, bool p = false, std::string r = {}) : error(std::move(e)), permanent(p), receipt(std::move(r)) {}
  std::string error;       // empty: delivered
  bool permanent = false;  // do not try again
  std::string receipt;     // delivered: the receiver's id for it (a WhatsApp message id), if any
  static Delivery Ok() { return {}; }
};

class OutboxSender {
 public:
  using Deliver = std::function<Delivery(const store::Repo::QueuedNotification&)>;
  // `after` runs in the transaction that records an outcome for good: a row sent (the mailer
  // records Message-IDs, WhatsApp the message id) or refused for good (`d.permanent`).
  using AfterSent = std::function<Result<void>(store::Repo&, const store::Repo::QueuedNotification&, const Delivery& d, Instant)>;
  OutboxSender(store::Store& store, const core::Clock& clock, store::OutboxKind kind, Deliver deliver, AfterSent after = {});
  ~OutboxSender();
  void Start();
  void Stop();
  // Sends what is due now; returns how many were attempted.
  Result<int> SendDue();
  void Poke();

 private:
  // Hands a claimed row to `deliver_` and records the outcome.
  Result<void> DeliverOne(const store::Repo::QueuedNotification& n);

  store::Store& store_;
  const core::Clock& clock_;
  store::OutboxKind kind_;
  Deliver deliver_;
  AfterSent after_;
  Worker worker_;  // last: stopped (joined) before the members its passes use go away
};

// The delay before attempt `attempts + 1`, or nullopt once it is time to give up.
std::optional<std::chrono::milliseconds> OutboxBackoff(int attempts);

// POSTs the JSON payload to the row's URL (X-Chamado-Event names the event).
Delivery PostWebhook(const store::Repo::QueuedNotification& n);

}  // namespace chamado::jobs
