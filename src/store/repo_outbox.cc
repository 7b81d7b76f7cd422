#include "store/repo_outbox.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

std::string_view Name(OutboxKind k) {
  switch (k) {
    case OutboxKind::kEmail: return "email";
    case OutboxKind::kWebhook: return "webhook";
    case OutboxKind::kWhatsapp: return "whatsapp";
  }
  return "?";
}

std::optional<OutboxKind> ParseOutboxKind(std::string_view s) { return ParseIn(kOutboxKinds, s); }

Result<void> OutboxRepo::InsertOutbox(const OutboxRow& o) {
  CHAMADO_TRY(c_.Run("INSERT INTO outbox (kind, recipient, ticket_number, event, payload, created_at, next_attempt_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $6)",
                     {Name(o.kind), o.recipient, o.ticket_number ? Param(o.ticket_number) : Param(nullptr), o.event, o.payload,
                      ToUnixMillis(o.created_at)}));
  return Ok();
}

Result<int64_t> OutboxRepo::CountOutbox(std::string_view recipient, std::string_view event, Instant since) {
  int64_t n = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM outbox WHERE recipient = $1 AND event = $2 AND created_at >= $3",
                     {recipient, event, ToUnixMillis(since)}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

namespace {
// An outbox row: id, kind, recipient, ticket_number, event, payload, created_at, attempts,
// sent_at, last_error.
Result<OutboxRepo::QueuedNotification> ReadQueued(const RowView& r) {
  OutboxRepo::QueuedNotification n;
  n.id = r.Int(0);
  CHAMADO_ASSIGN_OR_RETURN(auto kind, StoredName(r, 1, "outbox.kind", ParseOutboxKind));
  n.row = {kind, r.Str(2), r.IsNull(3) ? 0 : r.Int(3), r.Str(4), r.Str(5), FromUnixMillis(r.Int(6))};
  n.attempts = int(r.Int(7));
  n.sent_at = OptInstant(r, 8);
  n.last_error = r.IsNull(9) ? "" : r.Str(9);
  return n;
}
}  // namespace

Result<std::vector<OutboxRepo::QueuedNotification>> OutboxRepo::DueOutbox(OutboxKind kind, Instant now, int limit) {
  return All(c_,
             "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, sent_at, last_error "
             "FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 AND kind = $2 ORDER BY next_attempt_at LIMIT $3",
             {ToUnixMillis(now), Name(kind), limit}, ReadQueued);
}

Result<std::vector<OutboxRepo::QueuedNotification>> OutboxRepo::ClaimOutbox(OutboxKind kind, Instant now, int limit,
                                                                          Instant lease_until) {
  // One statement on both engines but for the lock: PostgreSQL skips the rows another
  // instance's claim holds. The lease is the row's next attempt: sent or failed, the
  // sender's outcome replaces it; lost with a crash, the row is due again when it ends.
  const std::string sql = Sql(
      "UPDATE outbox SET next_attempt_at = $4 WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND "
      "next_attempt_at <= $1 AND kind = $2 ORDER BY next_attempt_at LIMIT $3",
      IsPostgres(c_) ? " FOR UPDATE SKIP LOCKED" : "",
      ") RETURNING id, kind, recipient, ticket_number, event, payload, created_at, attempts, sent_at, last_error");
  CHAMADO_ASSIGN_OR_RETURN(auto out, All(c_, sql, {ToUnixMillis(now), Name(kind), limit, ToUnixMillis(lease_until)}, ReadQueued));
  // RETURNING keeps no order; oldest first, as queued.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<int64_t> OutboxRepo::PruneDeliveredOutbox(Instant sent_before, int limit) {
  return c_.Run("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1 LIMIT $2)",
                {ToUnixMillis(sent_before), limit});
}

Result<void> OutboxRepo::MarkOutboxSent(Id id, Instant at) {
  CHAMADO_TRY(c_.Run("UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2", {ToUnixMillis(at), id}));
  return Ok();
}

Result<void> OutboxRepo::MarkOutboxFailed(Id id, int attempts, Instant next, std::string_view error) {
  CHAMADO_TRY(c_.Run("UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4",
                     {attempts, ToUnixMillis(next), error, id}));
  return Ok();
}

Result<Paged<OutboxRepo::QueuedNotification>> OutboxRepo::ListOutbox(Id ticket_number, const Page& page) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t before, AfterKey(page, INT64_MAX));
  const int limit = Limit(page);
  Paged<QueuedNotification> out;
  if (ticket_number) {
    CHAMADO_ASSIGN_OR_RETURN(out.items, All(c_,
                                            "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, "
                                            "sent_at, last_error FROM outbox WHERE ticket_number = $1 AND id < $2 "
                                            "ORDER BY id DESC LIMIT $3",
                                            {ticket_number, before, limit + 1}, ReadQueued));
  } else {
    CHAMADO_ASSIGN_OR_RETURN(out.items, All(c_,
                                            "SELECT id, kind, recipient, ticket_number, event, payload, created_at, attempts, "
                                            "sent_at, last_error FROM outbox WHERE id < $1 ORDER BY id DESC LIMIT $2",
                                            {before, limit + 1}, ReadQueued));
  }
  EndPage(out, limit);
  return out;
}

}  // namespace chamado::store
