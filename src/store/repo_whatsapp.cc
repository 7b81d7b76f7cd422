#include "store/repo_whatsapp.h"

#include "store/repo_rows.h"

namespace chamado::store {
namespace {

constexpr std::string_view kMessageColumns = "conversation_id, seq, wamid, direction, status, error, updated_at";

WhatsappMessage MessageOf(const RowView& r) {
  WhatsappMessage m;
  m.conversation_id = r.Int(0);
  m.seq = r.Int(1);
  m.wamid = r.IsNull(2) ? "" : r.Str(2);
  m.inbound = r.Text(3) == "in";
  m.status = core::ParseWhatsappDelivery(r.Text(4)).value_or(core::WhatsappDelivery::kFailed);
  m.error = r.Str(5);
  m.updated_at = FromUnixMillis(r.Int(6));
  return m;
}

std::optional<std::string_view> OptText(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::string_view(s);
}

}  // namespace

Result<std::optional<WhatsappChat>> WhatsappRepo::GetWhatsappChat(core::Id conversation) {
  std::optional<WhatsappChat> out;
  CHAMADO_TRY(c_.Run("SELECT conversation_id, profile_name, last_inbound_at FROM whatsapp_chats WHERE conversation_id = $1",
                     {conversation}, [&](const RowView& r) {
                       out = WhatsappChat{r.Int(0), r.Str(1), r.IsNull(2) ? std::nullopt : std::optional<Instant>(FromUnixMillis(r.Int(2)))};
                     }));
  return out;
}

Result<void> WhatsappRepo::UpsertWhatsappChat(const WhatsappChat& chat) {
  std::optional<int64_t> last;
  if (chat.last_inbound_at) last = ToUnixMillis(*chat.last_inbound_at);
  CHAMADO_TRY(c_.Run("INSERT INTO whatsapp_chats (conversation_id, profile_name, last_inbound_at) VALUES ($1, $2, $3) "
                     "ON CONFLICT (conversation_id) DO UPDATE SET "
                     "profile_name = CASE WHEN excluded.profile_name <> '' THEN excluded.profile_name ELSE whatsapp_chats.profile_name END, "
                     "last_inbound_at = CASE WHEN coalesce(whatsapp_chats.last_inbound_at, 0) > coalesce(excluded.last_inbound_at, 0) "
                     "THEN whatsapp_chats.last_inbound_at ELSE excluded.last_inbound_at END",
                     {chat.conversation_id, chat.profile_name, last}));
  return Ok();
}

Result<void> WhatsappRepo::InsertWhatsappMessage(const WhatsappMessage& m) {
  CHAMADO_TRY(c_.Run("INSERT INTO whatsapp_messages (conversation_id, seq, wamid, direction, status, error, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                     {m.conversation_id, m.seq, OptText(m.wamid), m.inbound ? "in" : "out", core::Name(m.status), m.error,
                      ToUnixMillis(m.updated_at)}));
  return Ok();
}

Result<std::optional<WhatsappMessage>> WhatsappRepo::WhatsappMessageByWamid(std::string_view wamid) {
  std::optional<WhatsappMessage> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kMessageColumns) + " FROM whatsapp_messages WHERE wamid = $1", {wamid},
                     [&](const RowView& r) { out = MessageOf(r); }));
  return out;
}

Result<void> WhatsappRepo::UpdateWhatsappMessage(const WhatsappMessage& m) {
  CHAMADO_TRY(c_.Run("UPDATE whatsapp_messages SET wamid = $1, status = $2, error = $3, updated_at = $4 "
                     "WHERE conversation_id = $5 AND seq = $6",
                     {OptText(m.wamid), core::Name(m.status), m.error, ToUnixMillis(m.updated_at), m.conversation_id, m.seq}));
  return Ok();
}

Result<std::vector<WhatsappMessage>> WhatsappRepo::WhatsappMessagesOf(core::Id conversation) {
  return All(c_, "SELECT " + std::string(kMessageColumns) + " FROM whatsapp_messages WHERE conversation_id = $1 ORDER BY seq",
             {conversation}, MessageOf);
}

}  // namespace chamado::store
