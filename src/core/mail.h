// An email as the help desk sees it, once parsed (src/mail does the parsing), and the pure
// rules that thread it onto tickets: the "[#1234]" tag in subjects and the Message-IDs
// Chamado gives its own mail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/time.h"

namespace chamado::core {

// Mail that no human wrote: never reopens a ticket, never counts as a customer reply,
// never gets an automatic answer.
enum class AutoKind { kNone, kAutoReply, kBounce };
std::string_view Name(AutoKind);

struct MailAddress {
  std::string address;  // lower case
  std::string name;     // decoded display name, may be empty
};

struct MailPart {
  std::string filename;      // never empty, no path separators
  std::string content_type;  // "image/png", lower case
  std::string content_id;    // without angle brackets; empty unless referenced inline
  bool inline_part = false;
  std::string data;  // transfer-decoded bytes
};

struct ParsedMail {
  std::string message_id;  // without angle brackets; empty when the mail has none
  std::string in_reply_to;
  std::vector<std::string> references;
  MailAddress from;  // From, else Sender, Reply-To, Return-Path; empty address when none
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::string subject;  // decoded UTF-8, whitespace collapsed
  std::string language;  // from Content-Language, one of the desk's languages ("pt-BR"); empty otherwise
  std::string body;     // plain UTF-8 text; HTML converted to text
  bool body_from_html = false;
  std::vector<MailPart> attachments;
  AutoKind automatic = AutoKind::kNone;
  // A bounce's returned message (its text/rfc822-headers or message/rfc822 part): the
  // Message-IDs it names, so the bounce threads onto the ticket whose mail bounced.
  std::vector<std::string> returned_ids;
  std::optional<Instant> date;
};

// One of the desk's languages (core/languages.h) for a Content-Language value such as
// "pt-BR", "pt", "es-MX, en": the one with the first tag's primary subtag; empty when none has.
std::string DeskLanguage(std::string_view content_language);

// The ticket number of a "[#1234]" tag in a subject, the first one; nullopt when none.
std::optional<int64_t> TicketTagIn(std::string_view subject);

// "Re: AW: [#12] Printer" -> "Printer": the subject without reply prefixes and ticket tags,
// for a new ticket opened from mail.
std::string CleanSubject(std::string_view subject);

// Chamado's own Message-IDs: "chamado.<ticket>.<serial>.<random>@<host>".
std::string ChamadoMessageId(int64_t ticket, int64_t serial, std::string_view random, std::string_view host);
std::optional<int64_t> TicketOfChamadoMessageId(std::string_view message_id);

// What mail intake knows about an email when it decides where it goes.
struct MailSituation {
  bool answers_ticket = false;  // it names a ticket we know (Message-IDs or the subject's tag)
  bool ticket_closed = false;   // that ticket is closed
  bool from_requester = false;  // the sender is that ticket's requester
  bool from_agent = false;      // the sender is an agent or an admin
  bool automatic = false;       // an auto-reply or a bounce
};

// Where an email goes: the threading rules support teams expect (seed 000: "a reply from
// another address than the one that opened the ticket creates a new ticket that goes to the
// end of the queue"; nothing reopens a closed ticket).
struct MailRoute {
  enum class Action {
    kAppend,  // a message on the ticket it answers
    kIgnore,  // recorded as received, stored nowhere (an automatic reply to a closed ticket)
    kOpen,    // a new ticket, linked to the one it answers when there is one
    kRefuse,  // an agent's mail that answers no open ticket: bounced with the reason
  };
  Action action = Action::kOpen;
  MessageKind kind = MessageKind::kCustomerMessage;  // kAppend: what the message is
  bool on_behalf = false;  // kAppend: a third party's automatic mail, recorded by the desk on their behalf
  bool follow_up = false;  // kOpen on a closed ticket of the same requester: a follow-up, not an answer
};
MailRoute RouteMail(const MailSituation& s);

// Where quoted history begins in a reply ("On ... wrote:", "Em ... escreveu:", a run of "> "
// lines, Outlook's "-----Original Message-----"); npos when there is none. The text is kept
// whole; the UI collapses what follows.
size_t QuotedHistoryStart(std::string_view body);

}  // namespace chamado::core
