// Outgoing mail: templates an operator can edit (Mustache, per event and language) and the
// RFC 5322 message built from them with GMime (encoded words, quoted-printable UTF-8).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/mail.h"
#include "core/result.h"
#include "core/time.h"

namespace chamado::mail {

// Templates in DIR/<language>/<event>.txt: a "Subject: ..." line, an empty line, the body;
// and the labels mail values carry (a status, a resolution, an SLA target) in
// DIR/<language>/labels.toml, as `[section] key = "text"`. A language without its own file for
// an event, or without a label, uses English. Immutable once loaded: thread-safe.
class MailTemplates {
 public:
  using Vars = std::map<std::string, std::string>;  // "ticket.number" -> "42"
  struct Rendered {
    std::string subject;
    std::string body;
  };
  // Reads and checks every file (an error names the file and what is wrong with it).
  static Result<MailTemplates> Load(const std::string& dir);
  Result<Rendered> Render(const std::string& event, const std::string& language, const Vars& vars) const;
  // The same for a template at hand (a policy rule's own mail): mustache subject and body.
  static Result<Rendered> RenderText(const std::string& subject_template, const std::string& body_template, const Vars& vars);
  bool Has(const std::string& event) const;
  // The label "section.key" ("status.pending_customer") in `language`, else in English, else
  // the key itself.
  std::string Label(const std::string& language, const std::string& key) const;
  // Every label loaded, as "language/section.key" -> text (for checks).
  const std::map<std::string, std::string>& labels() const { return labels_; }
  // What every subject puts before the ticket's subject ("Request received: ",
  // "SLA breached (.*?): "), as RE2 patterns, each once: a mail that answers ours from
  // another address opens a ticket whose subject is the customer's, not our template's.
  std::vector<std::string> SubjectPrefixes() const;

 private:
  std::map<std::string, std::pair<std::string, std::string>> templates_;  // "en/ticket_opened" -> (subject, body)
  std::map<std::string, std::string> labels_;                               // "en/status.new" -> "New"
};

struct OutgoingMail {
  core::MailAddress from;
  core::MailAddress to;
  std::string subject;
  std::string body;
  std::string message_id;  // without angle brackets
  std::string in_reply_to;
  std::vector<std::string> references;
  bool automatic = false;  // acknowledgements and notifications: Auto-Submitted: auto-generated
  int64_t ticket = 0;
  Instant date;
  std::vector<core::MailPart> attachments;  // the files of the reply it carries
};

std::string ComposeMail(const OutgoingMail& mail);

// "Acme Support <support@acme.example>" -> address and name; nullopt when it is no address.
std::optional<core::MailAddress> ParseMailbox(std::string_view text);

}  // namespace chamado::mail
