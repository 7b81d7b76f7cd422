// The outbox aggregate of the repository: notifications to deliver (emails, webhook
// calls, WhatsApp messages), written in the transaction of what caused them and delivered after it commits
// (jobs/outbox.h), with each attempt's outcome. Owns the table outbox.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

// DO NOT CHANGE THE NAMES: outbox.kind stores them.
enum class OutboxKind { kEmail, kWebhook, kWhatsapp };
inline constexpr OutboxKind kOutboxKinds[] = {OutboxKind::kEmail, OutboxKind::kWebhook, OutboxKind::kWhatsapp};
std::string_view Name(OutboxKind k);  // "email", "webhook", "whatsapp"
std::optional<OutboxKind> ParseOutboxKind(std::string_view s);

class OutboxRepo {
 public:
  explicit OutboxRepo(Connection& c) : c_(c) {}

  struct OutboxRow {
    OutboxKind kind = OutboxKind::kEmail;
    std::string recipient;  // address, URL, or WhatsApp id
    core::Id ticket_number = 0;
    std::string event;
    std::string payload;  // JSON
    Instant created_at;
  };
  Result<void> InsertOutbox(const OutboxRow& row);
  // How many notifications of `event` went to `recipient` since `since`.
  Result<int64_t> CountOutbox(std::string_view recipient, std::string_view event, Instant since);
  struct QueuedNotification {
    core::Id id = 0;
    OutboxRow row;
    int attempts = 0;
    std::optional<Instant> sent_at;
    std::string last_error;
  };
  // Undelivered notifications of `kind` whose next attempt is due, oldest first.
  Result<std::vector<QueuedNotification>> DueOutbox(OutboxKind kind, Instant now, int limit);
  // Up to `limit` of those, claimed for one sender until `lease_until` (their next attempt
  // until then): with instances sharing a PostgreSQL database, each row is delivered by one.
  // Oldest first.
  Result<std::vector<QueuedNotification>> ClaimOutbox(OutboxKind kind, Instant now, int limit, Instant lease_until);
  Result<void> MarkOutboxSent(core::Id id, Instant at);
  Result<void> MarkOutboxFailed(core::Id id, int attempts, Instant next_attempt_at, std::string_view error);
  // Newest first; all tickets when `ticket_number` is 0.
  Result<Paged<QueuedNotification>> ListOutbox(core::Id ticket_number, const Page& page);
  // Deletes up to `limit` notifications delivered before `sent_before`; returns how many.
  Result<int64_t> PruneDeliveredOutbox(Instant sent_before, int limit);

 private:
  Connection& c_;
};

}  // namespace chamado::store
