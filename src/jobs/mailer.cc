#include "jobs/mailer.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>

#include "core/text.h"
#include "store/outcomes.h"
#include "store/repo_status.h"
#include "store/service_level.h"

namespace chamado::jobs {
namespace json = boost::json;
using core::MessageKind;
using core::Status;

namespace {

// Old notifications name their event; new ones their template.
std::string TemplateOf(const store::Repo::QueuedNotification& n, const json::object& payload) {
  if (auto* t = payload.if_contains("template"); t && t->is_string()) return std::string(t->as_string());
  if (n.row.event == "sla.warning") return "sla_warning";
  if (n.row.event == "sla.breached") return "sla_breached";
  if (n.row.event == "ticket.escalation_requested") return "agent_escalated";
  if (n.row.event == "automation.fired") return "automation_notice";
  return n.row.event;
}

bool CustomerFacing(std::string_view tmpl) {
  return tmpl == "ticket_opened" || tmpl == "first_response" || tmpl == "public_reply" || tmpl == "info_requested" ||
         tmpl == "status_changed" || tmpl == "ticket_solved" || tmpl == "auto_close_reminder" || tmpl == "auto_closed" ||
         tmpl == "automation_mail" || tmpl == "ticket_merged" || tmpl == "incident_update";
}

// A policy rule's own mail (store/rules.h): its subject and body in the recipient's language.
Result<mail::MailTemplates::Rendered> RenderRuleMail(const json::object& payload, const std::string& language,
                                                    const mail::MailTemplates::Vars& vars) {
  auto texts = [&](const char* key) {
    core::Texts out;
    if (auto* o = payload.if_contains(key); o && o->is_object())
      for (const auto& [l, text] : o->as_object())
        if (text.is_string()) out.emplace_back(std::string(l), std::string(text.as_string()));
    return out;
  };
  const auto subject = texts("subject"), body = texts("body");
  if (subject.empty() || body.empty()) return Error::InvalidArgument("The rule's mail has no subject or no body.");
  return mail::MailTemplates::RenderText(std::string(core::TextFor(subject, language)), std::string(core::TextFor(body, language)), vars);
}

std::string Base36(uint64_t v) {
  static const char* kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do {
    s.insert(s.begin(), kDigits[v % 36]);
    v /= 36;
  } while (v);
  return s;
}

struct Upload {
  const std::string* data;
  size_t at = 0;
};

size_t ReadUpload(char* out, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data->size() - u->at);
  std::memcpy(out, u->data->data() + u->at, len);
  u->at += len;
  return len;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

Delivery SendSmtp(const MailerOptions& o, const std::string& recipient, const std::string& data) {
  CURL* curl = curl_easy_init();
  if (!curl) return {"cannot initialise libcurl", false};
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + recipient + ">").c_str());
  Upload upload{&data};
  // libcurl greets (EHLO) with the URL's path: without one it sends an empty name, which
  // servers refuse.
  std::string url = o.smtp_url;
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos && url.find('/', scheme + 3) == std::string::npos) url += "/" + o.hostname;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + o.from.address + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(data.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (o.starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!o.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, o.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, o.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return Delivery::Ok();
  std::string error = std::string(curl_easy_strerror(rc));
  if (code) error += " (SMTP " + std::to_string(code) + ")";
  // 5xx: the smart host refuses this mail for good (an unknown recipient); anything else is
  // worth trying again.
  return {error, code >= 500 && code < 600};
}

}  // namespace

std::vector<std::string> MailLabelKeys() {
  std::vector<std::string> keys;
  for (int s = 0; s <= static_cast<int>(Status::kClosed); ++s)
    keys.push_back("status." + std::string(core::Name(static_cast<Status>(s))));
  for (int r = 0; r <= static_cast<int>(core::Resolution::kUnsupported); ++r)
    keys.push_back("resolution." + std::string(core::Name(static_cast<core::Resolution>(r))));
  for (auto t : sla::kTargets) keys.push_back("target." + std::string(sla::Name(t)));
  return keys;
}

namespace {

// incident.title, incident.update and incident.url of a status incident's mail (its payload
// names the incident and the update), in `language`.
Result<void> AddIncidentVars(store::Repo& repo, const json::object& payload, const std::string& language, const std::string& public_url,
                             mail::MailTemplates::Vars& v) {
  const auto* i = payload.if_contains("incident");
  if (!i || !i->is_int64()) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto incident, store::StatusRepo(repo.conn()).GetIncident(i->as_int64()));
  if (!incident) return Error::NotFound("Incident " + std::to_string(i->as_int64()) + " no longer exists.");
  v["incident.title"] = std::string(core::TextFor(incident->titles, language));
  v["incident.url"] = public_url + "/status#incident-" + std::to_string(incident->id);
  const auto* u = payload.if_contains("update");
  for (const auto& update : incident->updates)
    if (u && u->is_int64() && update.id == u->as_int64()) v["incident.update"] = std::string(core::TextFor(update.bodies, language));
  return Ok();
}

}  // namespace

Result<void> CheckTemplates(const mail::MailTemplates& templates) {
  static const char* const kEvents[] = {"ticket_opened",  "first_response", "public_reply",   "info_requested",
                                        "status_changed", "ticket_solved",  "agent_assigned", "agent_customer_replied",
                                        "agent_escalated", "sla_warning",   "sla_breached",   "auto_close_reminder",
                                        "auto_closed",     "automation_notice", "ticket_merged",  "incident_update",
                                        "incident_subscriber", "status_subscription", "conversation_transcript",
                                        "conversation_breached"};
  std::string missing;
  for (const char* e : kEvents)
    if (!templates.Has(e)) missing += (missing.empty() ? "en/" : ", en/") + std::string(e) + ".txt";
  if (!missing.empty())
    return Error::InvalidArgument("[mail] templates_dir lacks " + missing + "; every mail needs its English template.");
  const auto keys = MailLabelKeys();
  for (const auto& key : keys)
    if (!templates.labels().count("en/" + key))
      missing += (missing.empty() ? "" : ", ") + key;
  if (!missing.empty())
    return Error::InvalidArgument("[mail] templates_dir: en/labels.toml lacks " + missing +
                                  "; English labels are the fallback of every language.");
  // A misspelt key would silently fall back to English: refuse it.
  for (const auto& [where, text] : templates.labels()) {
    const size_t slash = where.find('/');
    const std::string key = where.substr(slash + 1);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    return Error::InvalidArgument("[mail] templates_dir: " + where.substr(0, slash) + "/labels.toml has an unknown label \"" +
                                  key + "\"; the labels are " + known + ".");
  }
  return Ok();
}

std::string OutboxMessageId(const store::Repo::QueuedNotification& n, std::string_view hostname) {
  return core::ChamadoMessageId(n.row.ticket_number, n.id, Base36(static_cast<uint64_t>(ToUnixMillis(n.row.created_at))), hostname);
}

Mailer::Mailer(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, MailerOptions options,
               mail::MailTemplates templates)
    : store_(store),
      blobs_(blobs),
      clock_(clock),
      options_(std::move(options)),
      templates_(std::move(templates)),
      sender_(
          store, clock, store::OutboxKind::kEmail, [this](const store::Repo::QueuedNotification& n) { return Deliver(n); },
          [this](store::Repo& repo, const store::Repo::QueuedNotification& n, const Delivery& d, Instant at) -> Result<void> {
            if (!d.error.empty()) return Ok();  // refused: no Message-ID went out
            // Replies to it thread back into the ticket.
            std::optional<core::Id> message;
            boost::system::error_code ec;
            auto payload = json::parse(n.row.payload, ec);
            if (!ec && payload.is_object())
              if (auto* m = payload.as_object().if_contains("message"); m && m->is_int64()) message = m->as_int64();
            return repo.InsertMailId({OutboxMessageId(n, options_.hostname), store::MailDirection::kOut,
                                      n.row.ticket_number ? std::optional<core::Id>(n.row.ticket_number) : std::nullopt,
                                      message, "", store::MailOutcome::kSent, at});
          }) {}

Result<mail::OutgoingMail> Mailer::Render(store::Repo& repo, const store::Repo::QueuedNotification& n, Instant now) const {
  boost::system::error_code ec;
  auto parsed = json::parse(n.row.payload, ec);
  if (ec || !parsed.is_object()) return Error::InvalidArgument("The notification's payload is not a JSON object.");
  const auto& payload = parsed.as_object();
  const std::string tmpl = TemplateOf(n, payload);
  if (tmpl == "incident_subscriber" || tmpl == "status_subscription" || tmpl == "conversation_transcript" ||
      tmpl == "conversation_breached")
    return RenderSubscriberMail(repo, n, tmpl, payload, now);

  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(n.row.ticket_number));
  if (!ticket) return Error::NotFound("Ticket #" + std::to_string(n.row.ticket_number) + " no longer exists.");
  CHAMADO_ASSIGN_OR_RETURN(auto recipient, repo.FindUserByEmail(n.row.recipient));
  CHAMADO_ASSIGN_OR_RETURN(auto requester, repo.GetUser(ticket->requester_id));
  const std::string language = recipient ? recipient->language : "en";
  const std::string zone = recipient ? recipient->time_zone : "UTC";
  auto policy = store_.policy();

  mail::MailTemplates::Vars v;
  std::vector<core::Attachment> files;  // of the message the mail carries
  v["desk.name"] = options_.desk_name;
  v["ticket.number"] = std::to_string(ticket->number);
  v["ticket.subject"] = ticket->subject;
  v["ticket.status"] = templates_.Label(language, "status." + std::string(core::Name(ticket->status)));
  v["ticket.priority"] = ticket->priority;
  for (const auto& p : policy->catalog.priorities.levels)
    if (p.name == ticket->priority) v["ticket.priority_description"] = std::string(core::TextFor(p.descriptions, language));
  if (ticket->resolution) {
    v["ticket.resolution"] = templates_.Label(language, "resolution." + std::string(core::Name(*ticket->resolution)));
    v["ticket.resolution_text"] = std::string(policy->catalog.outcomes.TextFor(*ticket->resolution, language));
  }
  v["ticket.resolution_summary"] = ticket->resolution_summary;
  // The survey's link, when the policy asks this ticket's customer (and it is still solved).
  const bool finished = ticket->status == core::Status::kSolved || ticket->status == core::Status::kClosed;
  if (finished && ((tmpl == "ticket_solved" && policy->surveys.Offered(false)) || (tmpl == "auto_closed" && policy->surveys.Offered(true)))) {
    CHAMADO_ASSIGN_OR_RETURN(auto path, store::SurveyPath(repo, ticket->number));
    v["survey.url"] = options_.public_url + path;
  }
  const bool customer = CustomerFacing(tmpl);
  v["ticket.url"] = options_.public_url + (customer ? "/portal/tickets/" : "/agent/tickets/") + std::to_string(ticket->number);
  v["recipient.name"] = recipient ? recipient->name : "";
  if (requester) {
    v["requester.name"] = requester->name;
    v["requester.email"] = requester->email;
  }
  if (ticket->organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*ticket->organization_id));
    if (org) v["organization.name"] = org->name;
  }
  if (ticket->assignee_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto a, repo.GetUser(*ticket->assignee_id));
    if (a) v["agent.name"] = a->name;
  }
  if (auto* m = payload.if_contains("message"); m && m->is_int64()) {
    CHAMADO_ASSIGN_OR_RETURN(auto message, repo.GetMessage(m->as_int64()));
    if (message && IsPublic(message->kind)) {
      std::vector<core::Message> one{*message};
      CHAMADO_TRY(repo.LoadAttachments(one));
      files = std::move(one.front().attachments);
      std::string body = message->body;
      // An agent who answered by email quoted our mail: the customer has it already.
      if (size_t q = core::QuotedHistoryStart(body); q != std::string::npos && message->kind == MessageKind::kPublicReply)
        body = std::string(Trim(std::string_view(body).substr(0, q)));
      v["message.body"] = body;
      v["escalation.impact"] = message->body;
      CHAMADO_ASSIGN_OR_RETURN(auto author, repo.GetUser(message->author_id));
      if (author) v["message.author"] = author->name;
    }
  }
  v["escalation.level"] = std::to_string(ticket->escalation_level);
  AddSlaVars(payload, language, zone, v);
  if (auto* a = payload.if_contains("after"); a && a->is_string()) v["automation.after"] = std::string(a->as_string());
  if (auto* c = payload.if_contains("closes_at"); c && c->is_string())
    if (auto at = ParseIsoInstant(c->as_string())) v["automation.closes_at"] = FormatLocal(*at, language, zone);
  if (auto* into = payload.if_contains("into"); into && into->is_int64()) {
    v["merge.into"] = std::to_string(into->as_int64());
    v["merge.url"] = options_.public_url + "/portal/tickets/" + std::to_string(into->as_int64());
  }
  CHAMADO_ASSIGN_OR_RETURN(auto clocks, store::ComputeTicketClocks(repo, *policy, *ticket, now));
  if (auto expected = store::ExpectedResolution(clocks, *policy)) v["ticket.expected_resolution"] = FormatLocal(*expected, language, zone);

  if (auto* r = payload.if_contains("rule"); r && r->is_string()) v["automation.rule"] = std::string(r->as_string());
  CHAMADO_TRY(AddIncidentVars(repo, payload, language, options_.public_url, v));
  CHAMADO_ASSIGN_OR_RETURN(auto rendered, tmpl == "automation_mail" ? RenderRuleMail(payload, language, v)
                                                                    : templates_.Render(tmpl, language, v));
  mail::OutgoingMail out;
  out.from = options_.from;
  if (out.from.name.empty()) out.from.name = options_.desk_name;
  out.to = {n.row.recipient, recipient ? recipient->name : ""};
  out.subject = "[#" + std::to_string(ticket->number) + "] " + rendered.subject;
  out.body = std::move(rendered.body);
  out.message_id = OutboxMessageId(n, options_.hostname);
  out.ticket = ticket->number;
  out.date = now;
  // Replies by people are not automatic; acknowledgements and notifications are (RFC 3834).
  out.automatic = !(tmpl == "first_response" || tmpl == "public_reply" || tmpl == "info_requested" || tmpl == "ticket_solved");
  // The reply's files travel with it (up to a size; the rest stay a click away in the portal).
  size_t attached = 0;
  for (const auto& f : files) {
    if (attached + static_cast<size_t>(f.size) > options_.max_attached_bytes) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto data, blobs_.Get(f.sha256));
    attached += data.size();
    out.attachments.push_back({f.filename, f.content_type, "", false, std::move(data)});
  }
  CHAMADO_ASSIGN_OR_RETURN(auto ids, repo.TicketMailIds(ticket->number, 200));
  ids.erase(std::remove(ids.begin(), ids.end(), out.message_id), ids.end());
  if (!ids.empty()) {
    out.in_reply_to = ids.back();
    // The thread's root and its latest messages (RFC 5322 lets a long chain be trimmed).
    out.references.push_back(ids.front());
    for (size_t i = ids.size() > 10 ? ids.size() - 10 : 1; i < ids.size(); ++i) out.references.push_back(ids[i]);
  }
  return out;
}

// sla.target (in `language`), sla.within and sla.due (in `zone`) of a clock's notice.
void Mailer::AddSlaVars(const json::object& payload, const std::string& language, const std::string& zone,
                        mail::MailTemplates::Vars& v) const {
  if (auto* t = payload.if_contains("target"); t && t->is_string()) v["sla.target"] = templates_.Label(language, "target." + std::string(t->as_string()));
  if (auto* w = payload.if_contains("within"); w && w->is_string()) v["sla.within"] = std::string(w->as_string());
  if (auto* d = payload.if_contains("due_at"); d && d->is_string())
    if (auto due = ParseIsoInstant(d->as_string())) v["sla.due"] = FormatLocal(*due, language, zone);
}

Result<mail::OutgoingMail> Mailer::RenderSubscriberMail(store::Repo& repo, const store::Repo::QueuedNotification& n,
                                                        const std::string& tmpl, const json::object& payload, Instant now) const {
  // The payload's language (what the customer chose), else the recipient's own (an agent).
  CHAMADO_ASSIGN_OR_RETURN(auto recipient, repo.FindUserByEmail(n.row.recipient));
  const auto* lang = payload.if_contains("language");
  const std::string language = lang && lang->is_string() ? std::string(lang->as_string())
                               : recipient && !recipient->language.empty() ? recipient->language
                                                                            : "en";
  const std::string zone = recipient && !recipient->time_zone.empty() ? recipient->time_zone : "UTC";
  mail::MailTemplates::Vars v;
  v["desk.name"] = options_.desk_name;
  v["recipient.name"] = recipient ? recipient->name : "";
  CHAMADO_TRY(AddIncidentVars(repo, payload, language, options_.public_url, v));
  // A live conversation's: its transcript as it stood when the customer asked for it, or a
  // breach of its clocks.
  for (auto [key, var] : {std::pair{"chat_id", "chat.id"}, std::pair{"transcript", "chat.transcript"},
                          std::pair{"subject", "chat.subject"}, std::pair{"customer", "chat.customer"}})
    if (auto* s = payload.if_contains(key); s && s->is_string()) v[var] = std::string(s->as_string());
  if (payload.contains("conversation")) v["chat.url"] = options_.public_url + "/agent/chats";
  AddSlaVars(payload, language, zone, v);
  if (auto* t = payload.if_contains("token"); t && t->is_string()) {
    v["unsubscribe.url"] = options_.public_url + "/status?unsubscribe=" + std::string(t->as_string());
    v["confirm.url"] = options_.public_url + "/status?confirm=" + std::string(t->as_string());
  }
  CHAMADO_ASSIGN_OR_RETURN(auto rendered, templates_.Render(tmpl, language, v));
  mail::OutgoingMail out;
  out.from = options_.from;
  if (out.from.name.empty()) out.from.name = options_.desk_name;
  out.to = {n.row.recipient, ""};
  out.subject = rendered.subject;
  out.body = std::move(rendered.body);
  out.message_id = OutboxMessageId(n, options_.hostname);
  out.date = now;
  out.automatic = true;
  return out;
}

Delivery Mailer::Deliver(const store::Repo::QueuedNotification& n) {
  const Instant now = clock_.Now();
  if (now - n.row.created_at > options_.max_age)
    return {"not sent: it waited longer than " + std::to_string(options_.max_age.count()) + " h (was mail out configured?)", true};
  auto rendered = store_.Read<mail::OutgoingMail>([&](store::Repo& repo) { return Render(repo, n, now); });
  if (!rendered.ok()) return {"cannot render: " + rendered.error().message, true};
  return SendSmtp(options_, n.row.recipient, mail::ComposeMail(*rendered));
}

}  // namespace chamado::jobs
