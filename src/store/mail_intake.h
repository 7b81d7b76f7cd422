// Mail intake: a parsed email becomes a ticket or a message on one, by the rules support
// teams expect.
//
//   - It joins the ticket it answers (In-Reply-To or References naming mail of that ticket,
//     or its "[#1234]" subject tag) when it comes from the ticket's requester or from an
//     agent; an agent's mail becomes a public reply.
//   - From anybody else, or after the ticket was closed, it opens a new ticket at the end of
//     the queue, linked to the one it answered.
//   - From a person of a deactivated organization, mail that would open a ticket is refused
//     for good (the MTA returns it to the sender with the reason); replies to its open
//     tickets are still added.
//   - Unknown senders become contacts, attached to an organization by their domain; a
//     bounce's sender (a mailer-daemon) never does: Chamado itself (user 0) is its author.
//   - The same Message-ID delivered twice is stored once.
//   - Auto-replies and bounces are recorded on the ticket they answer but never reopen it,
//     never count as a customer reply and never get an automatic answer.
//
// The decision itself is pure and lives in the core (core::RouteMail, with its table test);
// this file finds the facts it needs (sender, thread) and carries the decision out.
//
// Preparation (storing the original and the attachments as blobs) happens before the write
// transaction; the intake itself runs inside one, through the ticket commands, which mask
// secrets in what they store.
#pragma once

#include <optional>
#include <string>

#include "core/mail.h"
#include "core/secrets.h"
#include "sla/policy.h"
#include "store/blobs.h"
#include "store/repo.h"

namespace chamado::store {

struct InboundMail {
  std::string dedupe_key;  // the Message-ID, or "sha256:<hex of the raw bytes>" without one
  core::ParsedMail mail;   // secrets still in; the commands mask what they store
  bool masked = false;     // a text too long for a message was masked before it became a file
  std::string raw_sha256;  // the stored original's name (BlobStore::PutOriginalDeferred), sealed when a key is set
  std::vector<core::Attachment> attachments;  // stored blobs
  std::string envelope_sender;                // from the MTA (LMTP MAIL FROM, mailgate), may be empty
  std::string subject;  // the subject of a ticket it opens, when our own mail's prefix was taken off; else empty
};

// Fits the text and the attachments to what a message holds (what does not fit stays in the
// original, which is always kept; a text too long travels whole as a file, its secrets
// masked), and stores the original and the attachments.
Result<InboundMail> PrepareInboundMail(BlobStore& blobs, const SecretMasker& masker, core::ParsedMail mail,
                                       std::string_view raw, std::string envelope_sender, size_t max_attachment_bytes);

struct MailIntake {
  enum class Outcome { kOpened, kAppended, kDuplicate, kIgnored };
  Outcome outcome = Outcome::kIgnored;
  core::Id ticket_number = 0;  // 0 when ignored without a ticket
  core::Id message_id = 0;     // the stored message
  core::Id linked_to = 0;      // a new ticket's link to the one it answered
  core::AutoKind automatic = core::AutoKind::kNone;
  std::string reason;  // why it was ignored, or how it was threaded, for the log and the gateway
};
std::string_view Name(MailIntake::Outcome);

Result<MailIntake> IntakeMailCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                     const InboundMail& in, Instant now);

}  // namespace chamado::store
