#include "store/repo_messages.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {
// A message row: id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked, label.
Message MessageOf(const RowView& r) {
  Message m;
  m.id = r.Int(0);
  m.ticket_number = r.Int(1);
  m.kind = ParseMessageKind(r.Text(2)).value_or(MessageKind::kSystemNotice);
  m.author_id = r.Int(3);
  m.body = r.Str(4);
  m.automatic = r.Int(5) != 0;
  m.channel = ParseChannel(r.Text(6)).value_or(Channel::kWeb);
  m.created_at = FromUnixMillis(r.Int(7));
  m.masked = r.Int(8) != 0;
  m.label = r.Str(9);
  return m;
}
}  // namespace

Result<Message> MessageRepo::InsertMessage(Message m) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO messages (ticket_number, kind, author_id, body, automatic, channel, created_at, masked, label) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {m.ticket_number, Name(m.kind), m.author_id, m.body, m.automatic, Name(m.channel), ToUnixMillis(m.created_at), m.masked, m.label},
      [&](const RowView& r) { m.id = r.Int(0); }));
  for (auto& a : m.attachments) {
    CHAMADO_TRY(c_.Run(
        "INSERT INTO attachments (message_id, sha256, filename, content_type, size) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        {m.id, a.sha256, a.filename, a.content_type, a.size}, [&](const RowView& r) { a.id = r.Int(0); }));
  }
  return m;
}

Result<bool> MessageRepo::IsFileNamed(std::string_view sha256) {
  bool named = false;
  CHAMADO_TRY(c_.Run("SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = $1) OR "
                     "EXISTS (SELECT 1 FROM mail_ids WHERE raw_sha256 = $1) OR "
                     "EXISTS (SELECT 1 FROM help_images WHERE sha256 = $1) OR "
                     "EXISTS (SELECT 1 FROM conversation_attachments WHERE sha256 = $1)",
                     {sha256}, [&](const RowView& r) { named = r.Int(0) != 0; }));
  return named;
}

Result<void> MessageRepo::LoadAttachments(std::vector<Message>& messages) {
  for (auto& m : messages) {
    CHAMADO_TRY(c_.Run("SELECT id, sha256, filename, content_type, size FROM attachments WHERE message_id = $1 ORDER BY id",
                       {m.id}, [&](const RowView& r) {
                         m.attachments.push_back({r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)});
                       }));
  }
  return Ok();
}

Result<std::optional<Message>> MessageRepo::GetMessage(Id id) {
  std::optional<Message> out;
  CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked, label FROM messages WHERE id = $1",
                     {id}, [&](const RowView& r) { out = MessageOf(r); }));
  return out;
}

Result<Paged<Message>> MessageRepo::ListMessages(Id ticket_number, bool include_internal, const Page& page) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t after, AfterKey(page, 0));
  const int limit = Limit(page);
  Paged<Message> out;
  auto read = [&](const RowView& r) { out.items.push_back(MessageOf(r)); };
  if (include_internal) {
    CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked, label FROM messages "
                       "WHERE ticket_number = $1 AND id > $2 ORDER BY id LIMIT $3",
                       {ticket_number, after, limit + 1}, read));
  } else {
    CHAMADO_TRY(c_.Run("SELECT id, ticket_number, kind, author_id, body, automatic, channel, created_at, masked, label FROM messages "
                       "WHERE ticket_number = $1 AND id > $2 AND kind <> 'internal_note' ORDER BY id LIMIT $3",
                       {ticket_number, after, limit + 1}, read));
  }
  EndPage(out, limit);
  CHAMADO_TRY(LoadAttachments(out.items));
  return out;
}

Result<std::optional<AttachmentRef>> MessageRepo::GetAttachment(Id id) {
  std::optional<AttachmentRef> out;
  CHAMADO_TRY(c_.Run(
      "SELECT a.id, a.sha256, a.filename, a.content_type, a.size, m.ticket_number, m.kind FROM attachments a "
      "JOIN messages m ON m.id = a.message_id WHERE a.id = $1",
      {id}, [&](const RowView& r) {
        out = AttachmentRef{{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4)},
                            r.Int(5),
                            ParseMessageKind(r.Text(6)).value_or(MessageKind::kInternalNote)};
      }));
  return out;
}

Result<std::vector<MessageRepo::PublicMessageAt>> MessageRepo::PublicMessages(Id ticket_number) {
  std::vector<PublicMessageAt> out;
  CHAMADO_TRY(c_.Run("SELECT created_at, kind, automatic FROM messages WHERE ticket_number = $1 "
                     "AND kind IN ('customer_message', 'public_reply') ORDER BY id",
                     {ticket_number}, [&](const RowView& r) {
                       out.push_back({FromUnixMillis(r.Int(0)), r.Text(1) == "public_reply", r.Int(2) != 0});
                     }));
  return out;
}

Result<int64_t> MessageRepo::MoveMessagesForMerge(Id from, Id to) {
  return c_.Run("UPDATE messages SET ticket_number = $2, merged_from = coalesce(merged_from, $1) WHERE ticket_number = $1",
                {from, to});
}

Result<int64_t> MessageRepo::ReturnMergedMessages(Id merged) {
  return c_.Run("UPDATE messages SET ticket_number = $1, merged_from = NULL WHERE merged_from = $1", {merged});
}

Result<bool> MessageRepo::MoveMessage(Id id, Id from, Id to) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t moved,
                           c_.Run("UPDATE messages SET ticket_number = $3 WHERE id = $1 AND ticket_number = $2", {id, from, to}));
  return moved == 1;
}

Result<std::vector<Id>> MessageRepo::MessageIds(Id ticket_number) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT id FROM messages WHERE ticket_number = $1 ORDER BY id", {ticket_number},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

}  // namespace chamado::store
