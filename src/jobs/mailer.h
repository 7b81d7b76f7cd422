// The mail sender: renders each queued email from its template in the recipient's language
// (with the ticket as it is now), gives it Message-ID, In-Reply-To and References so replies
// thread in the customer's client and back into the ticket, and delivers it over SMTP to the
// smart host with libcurl (STARTTLS, AUTH). Retries follow the outbox's backoff.
#pragma once

#include <boost/json.hpp>

#include <memory>
#include <string>

#include "core/mail.h"
#include "jobs/outbox.h"
#include "mail/compose.h"
#include "sla/calendar.h"
#include "store/blobs.h"

namespace chamado::jobs {

struct MailerOptions {
  core::MailAddress from;            // the desk's address
  std::string desk_name = "Support";
  std::string public_url;            // links: <public_url>/tickets/<n> (agents) or /portal/tickets/<n>
  std::string hostname = "chamado.localhost";  // Message-IDs
  std::string smtp_url;              // smtp://host:port or smtps://host:port
  std::string username;
  std::string password;
  bool starttls = false;
  std::chrono::hours max_age{72};    // older unsent mail is dropped, not sent late
  size_t max_attached_bytes = 10 * 1024 * 1024;  // a reply's files beyond this are linked, not attached
};

class Mailer {
 public:
  // `blobs` gives the files of replies, which travel with their mail.
  Mailer(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, MailerOptions options,
         mail::MailTemplates templates);
  void Start() { sender_.Start(); }
  void Stop() { sender_.Stop(); }
  void Poke() { sender_.Poke(); }
  Result<int> SendDue() { return sender_.SendDue(); }

  // Renders a queued email (exposed for tests and `chamado mail preview`).
  Result<mail::OutgoingMail> Render(store::Repo& repo, const store::Repo::QueuedNotification& n, Instant now) const;

 private:
  // A mail that belongs to no ticket (`tmpl`: incident_subscriber, status_subscription,
  // conversation_transcript, conversation_breached): in the payload's language, else the
  // recipient's; the status page's links that unsubscribe and confirm, a conversation's vars.
  Result<mail::OutgoingMail> RenderSubscriberMail(store::Repo& repo, const store::Repo::QueuedNotification& n, const std::string& tmpl,
                                                  const boost::json::object& payload, Instant now) const;
  void AddSlaVars(const boost::json::object& payload, const std::string& language, const std::string& zone,
                  mail::MailTemplates::Vars& v) const;
  Delivery Deliver(const store::Repo::QueuedNotification& n);
  store::Store& store_;
  store::BlobStore& blobs_;
  const core::Clock& clock_;
  MailerOptions options_;
  mail::MailTemplates templates_;
  OutboxSender sender_;
};

// Every template the desk sends, and every label, must exist in English (the fallback of every
// language), and no language may have a label the desk does not use (a misspelling): checked
// when the server starts, so a missing file stops it instead of dropping mail later.
Result<void> CheckTemplates(const mail::MailTemplates& templates);
// The labels mail values use: "status.<status>", "resolution.<resolution>", "target.<target>".
std::vector<std::string> MailLabelKeys();

// Our Message-ID for an outbox row: stable across retries.
std::string OutboxMessageId(const store::Repo::QueuedNotification& n, std::string_view hostname);

// Mail shows times as sla::FormatLocal writes them for people.
using sla::FormatLocal;

}  // namespace chamado::jobs
