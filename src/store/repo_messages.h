// The message aggregate of the repository: what was written on tickets (customer messages,
// replies, notes, notices) with their attachments' metadata (the bytes are blobs, see
// store/blobs.h). Owns the tables messages and attachments.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

struct AttachmentRef {
  core::Attachment attachment;
  core::Id ticket_number = 0;
  core::MessageKind message_kind = core::MessageKind::kCustomerMessage;
};

class MessageRepo {
 public:
  explicit MessageRepo(Connection& c) : c_(c) {}

  Result<core::Message> InsertMessage(core::Message m);
  // Without its attachments.
  Result<std::optional<core::Message>> GetMessage(core::Id id);
  // Oldest first; internal notes only when `include_internal`.
  Result<Paged<core::Message>> ListMessages(core::Id ticket_number, bool include_internal, const Page& page);
  Result<std::optional<AttachmentRef>> GetAttachment(core::Id id);
  // Fills each message's attachments.
  Result<void> LoadAttachments(std::vector<core::Message>& messages);
  // Whether a stored file is named by an attachment, is an email's original or a help-center image.
  Result<bool> IsFileNamed(std::string_view sha256);

  struct PublicMessageAt {
    Instant at;
    bool by_staff;
    bool automatic;
  };
  // Moves (store/merge.h) take messages with their attachments to another ticket; the search
  // indexes follow (V019's triggers).
  // A merge: all of `from`'s messages to `to`, each remembering the ticket it came from (a
  // message already moved by an earlier merge keeps that one). Returns how many moved.
  Result<int64_t> MoveMessagesForMerge(core::Id from, core::Id to);
  // Its undo: the messages that came from `merged` back to it, wherever they are now.
  Result<int64_t> ReturnMergedMessages(core::Id merged);
  // The ids of a ticket's messages, in order.
  Result<std::vector<core::Id>> MessageIds(core::Id ticket_number);
  // A split: the message `id` of `from` to `to`; false when it is not on `from`.
  Result<bool> MoveMessage(core::Id id, core::Id from, core::Id to);

  // Customer messages and public replies, oldest first; by_staff means a public reply.
  Result<std::vector<PublicMessageAt>> PublicMessages(core::Id ticket_number);

 private:
  Connection& c_;
};

}  // namespace chamado::store
