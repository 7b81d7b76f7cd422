#include "store/mail_intake.h"

#include <algorithm>

#include "auth/credentials.h"
#include "core/text.h"
#include "core/ticket.h"
#include "store/commands.h"
#include "store/directory.h"
#include "store/merge.h"

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

}  // namespace

Result<InboundMail> PrepareInboundMail(BlobStore& blobs, const SecretMasker& masker, ParsedMail mail, std::string_view raw,
                                       std::string envelope_sender, size_t max_attachment_bytes) {
  InboundMail in;
  CHAMADO_ASSIGN_OR_RETURN(in.raw_sha256, blobs.PutOriginalDeferred(raw));
  if (mail.message_id.empty()) {
    in.dedupe_key = "sha256:" + auth::Sha256Hex(raw);
  } else if (mail.message_id.size() > 500) {
    in.dedupe_key = "sha256:" + auth::Sha256Hex(mail.message_id);
  } else {
    in.dedupe_key = mail.message_id;
  }
  in.envelope_sender = std::move(envelope_sender);

  std::vector<std::string> notes;
  if (mail.body.size() > kMaxBodyBytes - 4096) {
    // A message holds 256 KiB of text; the whole text travels along as a file. Secrets never
    // rest in the store: the file is a text this step writes, so it masks it (the message's
    // own text and subject are masked by the command that stores them).
    auto body = masker.Mask(mail.body);
    mail.body = std::move(body.text);
    in.masked = body.count > 0;
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

namespace {

// The mail's sender: a known person, or a new contact (never an agent: agents are known).
Result<User> SenderOf(Repo& repo, const InboundMail& in, Instant now) {
  std::string address = in.mail.from.address;
  if (address.empty()) address = NormalizeEmail(in.envelope_sender);
  if (address.empty())
    return Error::Invalid("from", "The email names no sender (no From, Sender, Reply-To or Return-Path address), so "
                                  "Chamado cannot tell whom to answer; it was not stored.");
  CHAMADO_ASSIGN_OR_RETURN(auto known, repo.FindUserByEmail(address));
  if (known) return *known;
  return FindOrCreateContact(repo, address, in.mail.from.name, now, in.mail.language);
}

Error Refusal(const User& agent, const std::optional<Ticket>& thread) {
  if (thread)
    return Error::Invalid("from", "Ticket #" + std::to_string(thread->number) + " is closed and takes no more messages; " +
                                      agent.email + " is an agent's address, so this mail opens no new ticket. Open one "
                                      "for the customer in the agent desk and mention #" + std::to_string(thread->number) + ".");
  return Error::Invalid("from", agent.email + " is an agent's address. Agents' mail answers a ticket (reply to its "
                                "email, or keep its [#number] in the subject); to open a ticket for a customer, use "
                                "the agent desk or the API.");
}

Result<MessagePosted> Append(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const InboundMail& in,
                             const User& sender, const MailRoute& route, Id number, Instant now) {
  NewMessage m;
  m.kind = route.kind;
  m.body = in.mail.body;
  m.channel = Channel::kEmail;
  m.automatic = in.mail.automatic != AutoKind::kNone;
  m.attachments = in.attachments;
  m.masked = in.masked;
  User actor = sender;
  if (route.on_behalf) {
    m.on_behalf_of = sender.id;
    actor = User{};
    actor.role = Role::kAdmin;
  }
  return AddMessageCommand(repo, policy, masker, actor, number, std::move(m), now);
}

// The ticket a mail opens, as asked of OpenTicketCommand.
OpenTicketRequest TicketRequestOf(const InboundMail& in) {
  const ParsedMail& mail = in.mail;
  OpenTicketRequest req;
  req.ticket.subject = NewTicketSubject(in.subject.empty() ? mail.subject : in.subject);
  req.ticket.description = mail.body;
  req.ticket.channel = Channel::kEmail;
  req.ticket.tags = {"email"};
  if (mail.automatic == AutoKind::kAutoReply) req.ticket.tags.push_back("auto-reply");
  if (mail.automatic == AutoKind::kBounce) req.ticket.tags.push_back("bounce");
  req.ticket.attachments = in.attachments;
  req.ticket.masked = in.masked;
  req.acknowledge = mail.automatic == AutoKind::kNone;
  req.require_details = false;
  req.ticket.automatic = mail.automatic != AutoKind::kNone;
  return req;
}

}  // namespace

Result<MailIntake> IntakeMailCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                     const InboundMail& in, Instant now) {
  MailIntake out;
  out.automatic = in.mail.automatic;
  CHAMADO_ASSIGN_OR_RETURN(auto seen, repo.FindMailId(in.dedupe_key));
  if (seen) {
    const bool ours = seen->direction == MailDirection::kOut;
    out.outcome = ours ? MailIntake::Outcome::kIgnored : MailIntake::Outcome::kDuplicate;
    out.ticket_number = seen->ticket_number.value_or(0);
    out.message_id = seen->message_row.value_or(0);
    out.reason = ours ? "this is Chamado's own mail, come back" : "this Message-ID was already received";
    return out;
  }
  auto record = [&](MailOutcome outcome) {
    return repo.InsertMailId({in.dedupe_key, MailDirection::kIn,
                              out.ticket_number ? std::optional<Id>(out.ticket_number) : std::nullopt,
                              out.message_id ? std::optional<Id>(out.message_id) : std::nullopt, in.raw_sha256, outcome, now});
  };

  CHAMADO_ASSIGN_OR_RETURN(auto thread, ThreadOf(repo, in.mail));
  if (!thread && in.mail.automatic == AutoKind::kBounce) {
    // A delivery failure that answers no mail of ours (a forged sender, an old list): there is
    // nobody to tell, and its sender (a mailer-daemon) is no customer, so no contact is made.
    out.outcome = MailIntake::Outcome::kIgnored;
    out.reason = "a delivery failure notice (bounce) that answers no mail of ours";
    CHAMADO_TRY(record(MailOutcome::kIgnored));
    return out;
  }
  // A bounce answering a ticket is recorded on it as Chamado's own note of a failed delivery:
  // a mailer-daemon is nobody to answer, so it never becomes a contact (V024's user 0).
  const bool bounce = in.mail.automatic == AutoKind::kBounce;
  CHAMADO_ASSIGN_OR_RETURN(const User sender, bounce ? Result<User>(SystemUser()) : SenderOf(repo, in, now));
  // A reply on a merged ticket's thread belongs to the ticket the case continues on; its
  // requester stays the requester there too (store/merge.h).
  const std::optional<Id> answered_requester = thread ? std::optional<Id>(thread->requester_id) : std::nullopt;
  CHAMADO_ASSIGN_OR_RETURN(thread, SurvivorOf(repo, std::move(thread)));
  const bool from_requester = thread && (sender.id == thread->requester_id || sender.id == answered_requester);
  const MailRoute route = RouteMail({.answers_ticket = thread.has_value(),
                                     .ticket_closed = thread && thread->status == Status::kClosed,
                                     .from_requester = from_requester,
                                     .from_agent = !bounce && IsStaff(sender.role),
                                     .automatic = in.mail.automatic != AutoKind::kNone});
  switch (route.action) {
    case MailRoute::Action::kRefuse:
      return Refusal(sender, thread);
    case MailRoute::Action::kIgnore:
      out.outcome = MailIntake::Outcome::kIgnored;
      out.ticket_number = thread->number;
      out.reason = "an automatic reply to closed ticket #" + std::to_string(thread->number);
      CHAMADO_TRY(record(MailOutcome::kIgnored));
      return out;
    case MailRoute::Action::kAppend: {
      CHAMADO_ASSIGN_OR_RETURN(auto posted, Append(repo, policy, masker, in, sender, route, thread->number, now));
      out.outcome = MailIntake::Outcome::kAppended;
      out.ticket_number = thread->number;
      out.message_id = posted.message.id;
      out.reason = !bounce && IsStaff(sender.role) ? "an agent's reply on the ticket it answers" : "added to the ticket it answers";
      CHAMADO_TRY(record(MailOutcome::kAppended));
      return out;
    }
    case MailRoute::Action::kOpen:
      break;
  }
  if (!RefuseDeactivatedOrganization(repo, sender).ok()) {
    // Refused for good, nothing stored: the sender's mail system returns the mail to them with
    // this sentence, so it is neither lost nor silently kept (docs/mail.md).
    CHAMADO_ASSIGN_OR_RETURN(auto name, repo.OrganizationName(*sender.organization_id));
    return Error::Invalid("from", "Support for " + name.value_or("your organization") +
                                      " is deactivated, so this email opened no ticket and was not kept; "
                                      "ask your account manager to reactivate it, then write again.");
  }
  const auto kind = route.follow_up ? TicketLinkKind::kFollowUp : TicketLinkKind::kAnswered;
  OpenTicketRequest request = TicketRequestOf(in);
  if (thread && route.follow_up) CarryOverToFollowUp(*thread, policy.catalog, request.ticket);
  CHAMADO_ASSIGN_OR_RETURN(auto opened, thread ? OpenLinkedTicketCommand(repo, policy, masker, sender, std::move(request),
                                                                         thread->number, kind, now)
                                               : OpenTicketCommand(repo, policy, masker, sender, std::move(request), now));
  out.outcome = MailIntake::Outcome::kOpened;
  out.ticket_number = opened.ticket.number;
  out.message_id = opened.first_message.id;
  out.reason = "a new request";
  if (thread) {
    out.linked_to = thread->number;
    out.reason = route.follow_up ? "a follow-up of closed ticket #" + std::to_string(thread->number)
                                 : "an answer from someone other than the requester of #" + std::to_string(thread->number);
  }
  CHAMADO_TRY(record(MailOutcome::kOpened));
  return out;
}

}  // namespace chamado::store
