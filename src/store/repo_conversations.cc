#include "store/repo_conversations.h"

#include <map>

namespace chamado::store {
namespace {

using core::Conversation;
using core::ConversationStatus;

constexpr std::string_view kColumns =
    "id, public_id, channel, external_id, organization_id, contact_id, email, language, subject, status, bot_session_id, "
    "agent_id, group_id, ticket_number, last_seq, customer_read_seq, agent_read_seq, created_at, updated_at, "
    "handed_off_at, accepted_at, closed_at, close_reason, escalated";

std::optional<Instant> OptInstant(const RowView& r, int col) {
  if (r.IsNull(col)) return std::nullopt;
  return FromUnixMillis(r.Int(col));
}

std::optional<int64_t> OptMillis(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

std::optional<core::CloseReason> ParseCloseReason(std::string_view s) {
  for (auto r : {core::CloseReason::kAgent, core::CloseReason::kCustomer, core::CloseReason::kAutoClose,
                 core::CloseReason::kConverted, core::CloseReason::kBot})
    if (core::Name(r) == s) return r;
  return std::nullopt;
}

// Columns of kColumns from `first` on.
Conversation ConversationOf(const RowView& r, int first = 0) {
  auto col = [&](int i) { return first + i; };
  Conversation c;
  c.id = r.Int(col(0));
  c.public_id = r.Str(col(1));
  c.channel = core::ParseChannel(r.Text(col(2))).value_or(core::Channel::kChat);
  c.external_id = r.Str(col(3));
  c.organization_id = r.OptInt(col(4));
  c.contact_id = r.OptInt(col(5));
  c.email = r.Str(col(6));
  c.language = r.Str(col(7));
  c.subject = r.Str(col(8));
  c.status = core::ParseConversationStatus(r.Text(col(9))).value_or(ConversationStatus::kClosed);
  c.bot_session_id = r.OptInt(col(10));
  c.agent_id = r.OptInt(col(11));
  c.group_id = r.OptInt(col(12));
  c.ticket_number = r.OptInt(col(13));
  c.last_seq = r.Int(col(14));
  c.customer_read_seq = r.Int(col(15));
  c.agent_read_seq = r.Int(col(16));
  c.created_at = FromUnixMillis(r.Int(col(17)));
  c.updated_at = FromUnixMillis(r.Int(col(18)));
  c.handed_off_at = OptInstant(r, col(19));
  c.accepted_at = OptInstant(r, col(20));
  c.closed_at = OptInstant(r, col(21));
  if (!r.IsNull(col(22))) c.close_reason = ParseCloseReason(r.Text(col(22)));
  c.escalated = r.Int(col(23)) != 0;
  return c;
}

ConversationMessage MessageOf(const RowView& r) {
  ConversationMessage m;
  m.seq = r.Int(0);
  m.author = core::ParseConversationAuthor(r.Text(1)).value_or(core::ConversationAuthor::kSystem);
  m.author_id = r.OptInt(2);
  m.body = r.Str(3);
  m.masked = r.Int(4) != 0;
  m.extra = r.Str(5);
  if (!r.IsNull(6)) m.client_id = r.Str(6);
  m.at = FromUnixMillis(r.Int(7));
  return m;
}

std::string CloseReasonText(const Conversation& c) {
  return c.close_reason ? std::string(core::Name(*c.close_reason)) : std::string();
}

}  // namespace

Result<Conversation> ConversationRepo::InsertConversation(Conversation c) {
  CHAMADO_TRY(c_.Run("INSERT INTO conversations (public_id, channel, external_id, organization_id, contact_id, email, language, "
                     "subject, status, bot_session_id, agent_id, group_id, ticket_number, last_seq, customer_read_seq, "
                     "agent_read_seq, created_at, updated_at, handed_off_at, accepted_at, closed_at, close_reason, escalated) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
                     "NULLIF($22, ''), $23) RETURNING id",
                     {c.public_id, core::Name(c.channel), c.external_id, c.organization_id, c.contact_id, c.email, c.language,
                      c.subject, core::Name(c.status), c.bot_session_id, c.agent_id, c.group_id, c.ticket_number, c.last_seq,
                      c.customer_read_seq, c.agent_read_seq, ToUnixMillis(c.created_at), ToUnixMillis(c.updated_at),
                      OptMillis(c.handed_off_at), OptMillis(c.accepted_at), OptMillis(c.closed_at), CloseReasonText(c),
                      c.escalated},
                     [&](const RowView& r) { c.id = r.Int(0); }));
  return c;
}

Result<void> ConversationRepo::UpdateConversation(const Conversation& c) {
  CHAMADO_TRY(c_.Run("UPDATE conversations SET organization_id = $2, contact_id = $3, email = $4, language = $5, subject = $6, "
                     "status = $7, bot_session_id = $8, agent_id = $9, group_id = $10, ticket_number = $11, last_seq = $12, "
                     "customer_read_seq = $13, agent_read_seq = $14, updated_at = $15, handed_off_at = $16, accepted_at = $17, "
                     "closed_at = $18, close_reason = NULLIF($19, ''), escalated = $20 WHERE id = $1",
                     {c.id, c.organization_id, c.contact_id, c.email, c.language, c.subject, core::Name(c.status),
                      c.bot_session_id, c.agent_id, c.group_id, c.ticket_number, c.last_seq, c.customer_read_seq,
                      c.agent_read_seq, ToUnixMillis(c.updated_at), OptMillis(c.handed_off_at), OptMillis(c.accepted_at),
                      OptMillis(c.closed_at), CloseReasonText(c), c.escalated}));
  return Ok();
}

Result<std::optional<Conversation>> ConversationRepo::OneWhere(std::string_view where, std::initializer_list<Param> params) {
  std::optional<Conversation> out;
  // In a shared writer's transaction the conversation found is locked (ForUpdate): a command
  // on it through another instance, or that instance's scheduler, waits and reads what this
  // one wrote.
  const std::string sql = "SELECT " + std::string(kColumns) + " FROM conversations WHERE " + std::string(where) + std::string(ForUpdate(c_));
  CHAMADO_TRY(c_.RunDynamic(sql, std::vector<Param>(params), [&](const RowView& r) { out = ConversationOf(r); }));
  return out;
}

Result<std::optional<Conversation>> ConversationRepo::GetConversation(core::Id id) { return OneWhere("id = $1", {id}); }

Result<std::optional<Conversation>> ConversationRepo::ConversationByPublicId(std::string_view public_id) {
  return OneWhere("public_id = $1", {public_id});
}

Result<std::optional<Conversation>> ConversationRepo::ConversationOfBotSession(core::Id bot_session_id) {
  return OneWhere("bot_session_id = $1", {bot_session_id});
}

Result<std::optional<Conversation>> ConversationRepo::OpenConversationOf(core::Channel channel, std::string_view external_id) {
  return OneWhere("channel = $1 AND external_id = $2 AND status <> 'closed'", {core::Name(channel), external_id});
}

Result<std::optional<Conversation>> ConversationRepo::ConversationOfTicket(core::Id ticket_number) {
  return OneWhere("ticket_number = $1", {ticket_number});
}

Result<std::string> ConversationRepo::ConversationTokenHash(core::Id id) {
  std::string out;
  CHAMADO_TRY(c_.Run("SELECT token_hash FROM conversations WHERE id = $1", {id}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> ConversationRepo::SetConversationToken(core::Id id, std::string_view token_hash) {
  CHAMADO_TRY(c_.Run("UPDATE conversations SET token_hash = $2 WHERE id = $1", {id, token_hash}));
  return Ok();
}

Result<std::vector<ConversationListed>> ConversationRepo::ListConversations(const std::vector<ConversationStatus>& statuses,
                                                                           std::optional<core::Id> agent, int limit) {
  // kColumns qualified by the table, then what the queue shows of the people.
  std::string sql = "SELECT c.id, c.public_id, c.channel, c.external_id, c.organization_id, c.contact_id, c.email, c.language, c.subject, "
        "c.status, c.bot_session_id, c.agent_id, c.group_id, c.ticket_number, c.last_seq, c.customer_read_seq, "
        "c.agent_read_seq, c.created_at, c.updated_at, c.handed_off_at, c.accepted_at, c.closed_at, c.close_reason, "
        "c.escalated, COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(o.name, ''), COALESCE(a.name, '') "
        "FROM conversations c LEFT JOIN users u ON u.id = c.contact_id LEFT JOIN organizations o ON o.id = c.organization_id "
        "LEFT JOIN users a ON a.id = c.agent_id WHERE ";
  std::vector<Param> params;
  std::vector<std::string> names;
  if (statuses.empty()) {
    sql += "c.status <> 'closed'";
  } else {
    names.reserve(statuses.size());
    sql += "c.status IN (";
    for (size_t i = 0; i < statuses.size(); ++i) {
      names.emplace_back(core::Name(statuses[i]));
      sql += (i ? ", $" : "$") + std::to_string(i + 1);
    }
    sql += ")";
    for (const auto& n : names) params.emplace_back(n);
  }
  if (agent) {
    params.emplace_back(*agent);
    sql += " AND c.agent_id = $" + std::to_string(params.size());
  }
  params.emplace_back(limit);
  sql += " ORDER BY c.handed_off_at IS NULL, c.handed_off_at, c.created_at DESC LIMIT $" + std::to_string(params.size());
  std::vector<ConversationListed> out;
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) {
    ConversationListed l;
    l.conversation = ConversationOf(r);
    l.contact_name = r.Str(24);
    l.contact_email = r.Str(25);
    l.organization_name = r.Str(26);
    l.agent_name = r.Str(27);
    out.push_back(std::move(l));
  }));
  return out;
}

Result<int> ConversationRepo::HeldBy(core::Id agent) {
  int n = 0;
  CHAMADO_TRY(c_.Run("SELECT COUNT(*) FROM conversations WHERE agent_id = $1 AND status IN ('active', 'waiting_on_customer')",
                     {agent}, [&](const RowView& r) { n = int(r.Int(0)); }));
  return n;
}

Result<void> ConversationRepo::InsertConversationMessage(core::Id conversation, ConversationMessage& m) {
  std::optional<std::string_view> client_id;
  if (!m.client_id.empty()) client_id = m.client_id;
  CHAMADO_TRY(c_.Run("INSERT INTO conversation_messages (conversation_id, seq, author, author_id, body, masked, extra, client_id, at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                     {conversation, m.seq, core::Name(m.author), m.author_id, m.body, m.masked, m.extra, client_id,
                      ToUnixMillis(m.at)}));
  for (auto& a : m.attachments)
    CHAMADO_TRY(c_.Run("INSERT INTO conversation_attachments (conversation_id, seq, sha256, filename, content_type, size) "
                       "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                       {conversation, m.seq, a.sha256, a.filename, a.content_type, a.size}, [&](const RowView& r) { a.id = r.Int(0); }));
  return Ok();
}

Result<std::optional<ConversationMessage>> ConversationRepo::MessageByClientId(core::Id conversation, std::string_view client_id) {
  std::optional<ConversationMessage> out;
  CHAMADO_TRY(c_.Run("SELECT seq, author, author_id, body, masked, extra, client_id, at FROM conversation_messages "
                     "WHERE conversation_id = $1 AND client_id = $2",
                     {conversation, client_id}, [&](const RowView& r) { out = MessageOf(r); }));
  return out;
}

Result<std::vector<ConversationMessage>> ConversationRepo::ConversationMessages(core::Id conversation, int64_t after, int limit) {
  std::vector<ConversationMessage> out;
  CHAMADO_TRY(c_.Run("SELECT seq, author, author_id, body, masked, extra, client_id, at FROM conversation_messages "
                     "WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                     {conversation, after, limit}, [&](const RowView& r) { out.push_back(MessageOf(r)); }));
  if (out.empty()) return out;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < out.size(); ++i) index[out[i].seq] = i;
  CHAMADO_TRY(c_.Run("SELECT seq, id, sha256, filename, content_type, size FROM conversation_attachments "
                     "WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 ORDER BY id",
                     {conversation, after, out.back().seq}, [&](const RowView& r) {
                       auto it = index.find(r.Int(0));
                       if (it == index.end()) return;
                       out[it->second].attachments.push_back({r.Int(1), r.Str(2), r.Str(3), r.Str(4), r.Int(5)});
                     }));
  return out;
}

Result<std::optional<core::Attachment>> ConversationRepo::ConversationAttachment(core::Id conversation, core::Id id) {
  std::optional<core::Attachment> out;
  CHAMADO_TRY(c_.Run("SELECT id, sha256, filename, content_type, size FROM conversation_attachments "
                     "WHERE conversation_id = $1 AND id = $2",
                     {conversation, id}, [&](const RowView& r) { out = core::Attachment{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)}; }));
  return out;
}

Result<void> ConversationRepo::InsertConversationStatus(core::Id conversation, Instant at, ConversationStatus status) {
  CHAMADO_TRY(c_.Run("INSERT INTO conversation_statuses (conversation_id, at, status) VALUES ($1, $2, $3)",
                     {conversation, ToUnixMillis(at), core::Name(status)}));
  return Ok();
}

Result<std::vector<ConversationRepo::StatusRow>> ConversationRepo::ConversationStatuses(core::Id conversation) {
  std::vector<StatusRow> out;
  CHAMADO_TRY(c_.Run(IsPostgres(c_) ? "SELECT at, status FROM conversation_statuses WHERE conversation_id = $1 ORDER BY at, seq"
                                                : "SELECT at, status FROM conversation_statuses WHERE conversation_id = $1 ORDER BY at, rowid", {conversation},
                     [&](const RowView& r) {
                       if (auto s = core::ParseConversationStatus(r.Text(1))) out.push_back({FromUnixMillis(r.Int(0)), *s});
                     }));
  return out;
}

Result<std::string> ConversationRepo::OrganizationChatSecret(core::Id organization) {
  std::string out;
  CHAMADO_TRY(c_.Run("SELECT chat_secret FROM organizations WHERE id = $1", {organization}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> ConversationRepo::SetOrganizationChatSecret(core::Id organization, std::string_view secret) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t n, c_.Run("UPDATE organizations SET chat_secret = $2 WHERE id = $1", {organization, secret}));
  if (n == 0) return Error::NotFound("No organization " + std::to_string(organization) + ".");
  return Ok();
}

Result<std::vector<core::Id>> ConversationRepo::DueConversations(Instant now, int limit) {
  std::vector<core::Id> out;
  CHAMADO_TRY(c_.Run("SELECT id FROM conversations WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Instant>> ConversationRepo::NextConversationFire() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT MIN(next_fire_at) FROM conversations WHERE next_fire_at IS NOT NULL", {},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

Result<void> ConversationRepo::SetConversationFire(core::Id id, std::optional<Instant> next_fire_at,
                                                   std::optional<Instant> breach_fired_at) {
  CHAMADO_TRY(c_.Run("UPDATE conversations SET next_fire_at = $2, breach_fired_at = $3 WHERE id = $1",
                     {id, OptMillis(next_fire_at), OptMillis(breach_fired_at)}));
  return Ok();
}

Result<std::optional<Instant>> ConversationRepo::ConversationBreachFiredAt(core::Id id) {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT breach_fired_at FROM conversations WHERE id = $1", {id}, [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

}  // namespace chamado::store
