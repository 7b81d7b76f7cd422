#include "store/mail_intake.h"

#include <algorithm>

#include "core/text.h"
#include "core/ticket.h"
#include "store/commands.h"
#include "store/directory.h"

namespace chamado::store {
using namespace core;

std::string_view Name(MailIntake::Outcome o) {
  switch (o) {
    case MailIntake::Outcome::kOpened: return "opened";
    case MailIntake::Outcome::kAppended: return "appended";
    case MailIntake::Outcome::kDuplicate: return "duplicate";
    case MailIntake::Outcome::kIgnored: return "ignored";
  }
  return "ignored";
}

namespace {

// Cuts UTF-8 text to at most `max` bytes without splitting a character.
std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

std::string Megabytes(size_t bytes) {
  return std::to_string((bytes + 512 * 1024) / (1024 * 1024)) + " MiB";
}

std::string TicketSubject(std::string_view subject) {
  std::string s = CleanSubject(subject);
  if (s.empty()) s = std::string(Trim(subject));
  if (s.empty()) return "(no subject)";
  if (Utf8Length(s) <= kMaxSubjectChars) return s;
  // Whole characters, one short of the limit, and an ellipsis.
  size_t chars = 0, at = 0;
  while (at < s.size() && chars < kMaxSubjectChars - 1) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
    ++chars;
  }
  return s.substr(0, at) + "…";
}

}  // namespace

Result<InboundMail> PrepareInboundMail(BlobStore& blobs, const SecretMasker& masker, ParsedMail mail, std::string_view raw,
                                       std::string envelope_sender, size_t max_attachment_bytes) {
  InboundMail in;
  CHAMADO_ASSIGN_OR_RETURN(in.raw_sha256, blobs.PutDeferred(raw));
  if (mail.message_id.empty()) {
    in.dedupe_key = "sha256:" + in.raw_sha256;
  } else if (mail.message_id.size() > 500) {
    in.dedupe_key = "sha256:" + Sha256Hex(mail.message_id);
  } else {
    in.dedupe_key = mail.message_id;
  }
  in.envelope_sender = std::move(envelope_sender);

  // Secrets never rest in the store.
  auto subject = masker.Mask(mail.subject);
  auto body = masker.Mask(mail.body);
  mail.subject = std::move(subject.text);
  mail.body = std::move(body.text);
  in.masked = subject.count + body.count > 0;

  std::vector<std::string> notes;
  if (mail.body.size() > kMaxBodyBytes - 4096) {
    // A message holds 256 KiB of text; the whole text travels along as a file.
    CHAMADO_ASSIGN_OR_RETURN(std::string sha, blobs.PutDeferred(mail.body));
    in.attachments.push_back({0, sha, "email-text.txt", "text/plain", int64_t(mail.body.size())});
    mail.body = std::string(CutUtf8(mail.body, kMaxBodyBytes - 8192));
    notes.push_back("[The text of this email is longer than a message holds; all of it is in email-text.txt.]");
  }
  for (auto& part : mail.attachments) {
    if (part.data.size() > max_attachment_bytes) {
      notes.push_back("[\"" + part.filename + "\" (" + Megabytes(part.data.size()) +
                      ") is larger than the attachment limit; it is kept in the original email.]");
      continue;
    }
    if (in.attachments.size() >= kMaxAttachmentsPerMessage) {
      notes.push_back("[\"" + part.filename + "\" is beyond the 20 files a message holds; it is kept in the original email.]");
      continue;
    }
    CHAMADO_ASSIGN_OR_RETURN(std::string sha, blobs.PutDeferred(part.data));
    in.attachments.push_back({0, sha, part.filename, part.content_type, int64_t(part.data.size())});
    part.data.clear();
    part.data.shrink_to_fit();
  }
  if (Trim(mail.body).empty()) mail.body = in.attachments.empty() ? "(This email has no text.)" : "(This email has no text; see the attachments.)";
  for (const auto& n : notes) mail.body += "\n\n" + n;
  in.mail = std::move(mail);
  return in;
}

namespace {

// The ticket a mail answers: through the Message-IDs it names (the most recent first), then
// through the subject's tag.
Result<std::optional<Ticket>> ThreadOf(Repo& repo, const ParsedMail& mail) {
  std::vector<std::string> ids = mail.returned_ids;  // a bounce: the mail that bounced
  if (!mail.in_reply_to.empty()) ids.push_back(mail.in_reply_to);
  for (auto it = mail.references.rbegin(); it != mail.references.rend() && ids.size() < 30; ++it)
    if (std::find(ids.begin(), ids.end(), *it) == ids.end()) ids.push_back(*it);
  for (const auto& id : ids) {
    std::optional<Id> number;
    CHAMADO_ASSIGN_OR_RETURN(auto known, repo.FindMailId(id));
    if (known && known->ticket_number) number = known->ticket_number;
    if (!number) number = TicketOfChamadoMessageId(id);  // ours, from before a restore
    if (!number) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*number));
    if (t) return t;
  }
  if (auto tag = TicketTagIn(mail.subject)) return repo.GetTicket(*tag);
  return std::optional<Ticket>();
}

}  // namespace

Result<MailIntake> IntakeMailCommand(Repo& repo, const sla::Policy& policy, const InboundMail& in, Instant now) {
  const ParsedMail& mail = in.mail;
  MailIntake out;
  out.automatic = mail.automatic;
  CHAMADO_ASSIGN_OR_RETURN(auto seen, repo.FindMailId(in.dedupe_key));
  if (seen) {
    out.outcome = seen->direction == "out" ? MailIntake::Outcome::kIgnored : MailIntake::Outcome::kDuplicate;
    out.ticket_number = seen->ticket_number.value_or(0);
    out.message_id = seen->message_row.value_or(0);
    out.reason = seen->direction == "out" ? "this is Chamado's own mail, come back" : "this Message-ID was already received";
    return out;
  }
  auto record = [&](std::string_view outcome) {
    return repo.InsertMailId({in.dedupe_key, "in", out.ticket_number ? std::optional<Id>(out.ticket_number) : std::nullopt,
                              out.message_id ? std::optional<Id>(out.message_id) : std::nullopt, in.raw_sha256,
                              std::string(outcome), now});
  };

  std::string address = mail.from.address;
  if (address.empty()) address = NormalizeEmail(in.envelope_sender);
  if (address.empty())
    return Error::Invalid("from", "The email names no sender (no From, Sender, Reply-To or Return-Path address), so "
                                  "Chamado cannot tell whom to answer; it was not stored.");
  CHAMADO_ASSIGN_OR_RETURN(auto sender, repo.FindUserByEmail(address));
  const bool staff = sender && IsStaff(sender->role);
  if (!sender) {
    CHAMADO_ASSIGN_OR_RETURN(sender, FindOrCreateContact(repo, address, mail.from.name, now, mail.language));
  }

  CHAMADO_ASSIGN_OR_RETURN(auto thread, ThreadOf(repo, mail));
  const bool automatic = mail.automatic != AutoKind::kNone;
  std::string link_kind;

  if (thread && thread->status != Status::kClosed) {
    const bool requester = sender->id == thread->requester_id;
    if (automatic || requester || staff) {
      NewMessage m;
      m.body = mail.body;
      m.channel = Channel::kEmail;
      m.automatic = automatic;
      m.attachments = in.attachments;
      m.masked = in.masked;
      User actor = *sender;
      if (staff) {
        // An agent's out-of-office answer to a notification is no reply to the customer.
        m.kind = automatic ? MessageKind::kInternalNote : MessageKind::kPublicReply;
      } else if (requester) {
        m.kind = MessageKind::kCustomerMessage;
      } else {
        // A bounce or an auto-reply from a third party: recorded on their behalf.
        m.kind = MessageKind::kCustomerMessage;
        m.on_behalf_of = sender->id;
        actor = User{};
        actor.role = Role::kAdmin;
      }
      CHAMADO_ASSIGN_OR_RETURN(auto posted, AddMessageCommand(repo, policy, actor, thread->number, m, now));
      out.outcome = MailIntake::Outcome::kAppended;
      out.ticket_number = thread->number;
      out.message_id = posted.message.id;
      out.reason = staff ? "an agent's reply on the ticket it answers" : "added to the ticket it answers";
      CHAMADO_TRY(record("appended"));
      return out;
    }
    link_kind = "answered";
  } else if (thread) {
    if (automatic) {
      out.outcome = MailIntake::Outcome::kIgnored;
      out.ticket_number = thread->number;
      out.reason = "an automatic reply to closed ticket #" + std::to_string(thread->number);
      CHAMADO_TRY(record("ignored"));
      return out;
    }
    link_kind = sender->id == thread->requester_id ? "follow_up" : "answered";
  }

  if (staff && thread)
    return Error::Invalid("from", "Ticket #" + std::to_string(thread->number) + " is closed and takes no more messages; " +
                                      sender->email + " is an agent's address, so this mail opens no new ticket. Open one "
                                      "for the customer in the agent desk and mention #" + std::to_string(thread->number) + ".");
  if (staff)
    return Error::Invalid("from", sender->email + " is an agent's address. Agents' mail answers a ticket (reply to its "
                                  "email, or keep its [#number] in the subject); to open a ticket for a customer, use "
                                  "the agent desk or the API.");
  OpenTicketRequest req;
  req.ticket.subject = TicketSubject(mail.subject);
  req.ticket.description = mail.body;
  req.ticket.channel = Channel::kEmail;
  req.ticket.tags = {"email"};
  if (mail.automatic == AutoKind::kAutoReply) req.ticket.tags.push_back("auto-reply");
  if (mail.automatic == AutoKind::kBounce) req.ticket.tags.push_back("bounce");
  req.ticket.attachments = in.attachments;
  req.ticket.masked = in.masked;
  req.acknowledge = !automatic;
  CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, policy, *sender, req, now));
  out.outcome = MailIntake::Outcome::kOpened;
  out.ticket_number = opened.ticket.number;
  out.message_id = opened.first_message_id;
  if (thread) {
    out.linked_to = thread->number;
    CHAMADO_TRY(repo.InsertTicketLink(opened.ticket.number, thread->number, link_kind, now));
    CHAMADO_TRY(repo.InsertEvents({{"ticket.linked", opened.ticket.number, sender->id, now,
                                    {{link_kind, "", "#" + std::to_string(thread->number)}}, 0}},
                                  opened.ticket.number, 0));
    out.reason = link_kind == "follow_up" ? "a follow-up of closed ticket #" + std::to_string(thread->number)
                                          : "an answer from someone other than the requester of #" + std::to_string(thread->number);
  } else {
    out.reason = "a new request";
  }
  CHAMADO_TRY(record("opened"));
  return out;
}

}  // namespace chamado::store
