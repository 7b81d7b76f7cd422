#include "store/repo_mail.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

std::string_view Name(MailDirection d) {
  switch (d) {
    case MailDirection::kIn: return "in";
    case MailDirection::kOut: return "out";
  }
  return "?";
}

std::string_view Name(MailOutcome o) {
  switch (o) {
    case MailOutcome::kOpened: return "opened";
    case MailOutcome::kAppended: return "appended";
    case MailOutcome::kIgnored: return "ignored";
    case MailOutcome::kSent: return "sent";
  }
  return "?";
}

std::optional<MailDirection> ParseMailDirection(std::string_view s) { return ParseIn(kMailDirections, s); }
std::optional<MailOutcome> ParseMailOutcome(std::string_view s) { return ParseIn(kMailOutcomes, s); }

Result<std::optional<MailRepo::MailId>> MailRepo::FindMailId(std::string_view message_id) {
  return One(c_,
             "SELECT message_id, direction, ticket_number, message_row, raw_sha256, outcome, created_at "
             "FROM mail_ids WHERE message_id = $1",
             {message_id}, [](const RowView& r) -> Result<MailId> {
               CHAMADO_ASSIGN_OR_RETURN(auto direction, StoredName(r, 1, "mail_ids.direction", ParseMailDirection));
               CHAMADO_ASSIGN_OR_RETURN(auto outcome, StoredName(r, 5, "mail_ids.outcome", ParseMailOutcome));
               return MailId{r.Str(0), direction, r.OptInt(2), r.OptInt(3), r.IsNull(4) ? "" : r.Str(4), outcome,
                             FromUnixMillis(r.Int(6))};
             });
}

Result<void> MailRepo::InsertMailId(const MailId& m) {
  CHAMADO_TRY(c_.Run("INSERT INTO mail_ids (message_id, direction, ticket_number, message_row, raw_sha256, outcome, created_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING",
                     {m.message_id, Name(m.direction), m.ticket_number, m.message_row,
                      m.raw_sha256.empty() ? Param(nullptr) : Param(m.raw_sha256), Name(m.outcome), ToUnixMillis(m.created_at)}));
  return Ok();
}

Result<std::vector<std::string>> MailRepo::TicketMailIds(Id ticket_number, int limit) {
  std::vector<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT message_id FROM mail_ids WHERE ticket_number = $1 AND message_id NOT LIKE 'sha256:%' "
                     "ORDER BY created_at, message_id LIMIT $2",
                     {ticket_number, limit}, [&](const RowView& r) { out.push_back(r.Str(0)); }));
  return out;
}

Result<std::vector<std::string>> MailRepo::RawMailNames() {
  std::vector<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT DISTINCT raw_sha256 FROM mail_ids WHERE raw_sha256 IS NOT NULL ORDER BY raw_sha256", {},
                     [&](const RowView& r) { out.push_back(r.Str(0)); }));
  return out;
}

Result<void> MailRepo::RenameRawMail(std::string_view from, std::string_view to) {
  CHAMADO_TRY(c_.Run("UPDATE mail_ids SET raw_sha256 = $1 WHERE raw_sha256 = $2", {to, from}));
  return Ok();
}

Result<std::optional<std::string>> MailRepo::RawMailOf(Id message_row) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT raw_sha256 FROM mail_ids WHERE message_row = $1 AND raw_sha256 IS NOT NULL", {message_row},
                     [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

}  // namespace chamado::store
