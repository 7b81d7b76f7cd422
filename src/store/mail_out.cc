#include "store/mail_out.h"

namespace chamado::store {
using namespace core;

Result<void> QueueMail(Repo& repo, const Ticket& t, std::string_view template_name, Id recipient_id,
                       std::optional<Id> message_id, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(recipient_id));
  if (!u) return Ok();
  return QueueMail(repo, t, template_name, *u, message_id, now);
}

namespace {

// `more`: further members of the payload's JSON object, each starting with a comma.
Result<void> Enqueue(Repo& repo, const Ticket& t, std::string_view template_name, const User& u,
                     std::optional<Id> message_id, const std::string& more, Instant now) {
  if (!u.active || u.email.ends_with(".invalid")) return Ok();
  const std::string event = "mail." + std::string(template_name);
  if (template_name == "ticket_opened") {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t recent, repo.CountOutbox(u.email, event, now - std::chrono::hours(1)));
    if (recent >= kMaxAcknowledgementsPerHour) return Ok();
  }
  std::string payload = "{\"template\":\"" + std::string(template_name) + "\",\"message\":" +
                        (message_id ? std::to_string(*message_id) : std::string("null")) + more + "}";
  return repo.InsertOutbox({OutboxKind::kEmail, u.email, t.number, event, std::move(payload), now});
}

}  // namespace

Result<void> QueueMail(Repo& repo, const Ticket& t, std::string_view template_name, const User& u,
                       std::optional<Id> message_id, Instant now) {
  return Enqueue(repo, t, template_name, u, message_id, "", now);
}

Result<void> QueueAutomationMail(Repo& repo, const Ticket& t, std::string_view template_name, std::string_view after,
                                 std::optional<Instant> closes_at, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(t.requester_id));
  if (!u) return Ok();
  // `after` is a policy duration ("48h"): digits and unit letters, nothing to escape.
  std::string more = ",\"after\":\"" + std::string(after) + "\"";
  if (closes_at) more += ",\"closes_at\":\"" + FormatIsoUtc(*closes_at) + "\"";
  return Enqueue(repo, t, template_name, *u, std::nullopt, more, now);
}

Result<void> QueueMergeMail(Repo& repo, const Ticket& merged, Id into, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(merged.requester_id));
  if (!u) return Ok();
  return Enqueue(repo, merged, "ticket_merged", *u, std::nullopt, ",\"into\":" + std::to_string(into), now);
}

Result<void> QueueIncidentMail(Repo& repo, const Ticket& linked, Id incident, Id update, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(linked.requester_id));
  if (!u) return Ok();
  return Enqueue(repo, linked, "incident_update", *u, std::nullopt,
                 ",\"incident\":" + std::to_string(incident) + ",\"update\":" + std::to_string(update), now);
}

Result<void> QueueSubscriberMail(Repo& repo, const StatusSubscriber& to, Id incident, Id update, Instant now) {
  // The token is base64url and the language a desk language: nothing to escape.
  std::string payload = "{\"template\":\"incident_subscriber\",\"incident\":" + std::to_string(incident) + ",\"update\":" +
                        std::to_string(update) + ",\"language\":\"" + to.language + "\",\"token\":\"" + to.token + "\"}";
  return repo.InsertOutbox({OutboxKind::kEmail, to.email, 0, "mail.incident_subscriber", std::move(payload), now});
}

Result<void> QueueSubscriptionMail(Repo& repo, const StatusSubscriber& to, Instant now) {
  std::string payload = "{\"template\":\"status_subscription\",\"language\":\"" + to.language + "\",\"token\":\"" + to.token + "\"}";
  return repo.InsertOutbox({OutboxKind::kEmail, to.email, 0, "mail.status_subscription", std::move(payload), now});
}

Result<void> MailForMessage(Repo& repo, const Ticket& before, const Ticket& after, const Message& m, Instant now) {
  if (m.automatic) return Ok();
  if (m.kind == MessageKind::kPublicReply) {
    std::string_view tmpl = "public_reply";
    if (after.status == Status::kSolved) tmpl = "ticket_solved";
    else if (after.status == Status::kPendingCustomer) tmpl = "info_requested";
    else if (!before.first_response_at) tmpl = "first_response";
    return QueueMail(repo, after, tmpl, after.requester_id, m.id, now);
  }
  if (m.kind == MessageKind::kCustomerMessage && after.assignee_id && *after.assignee_id != m.author_id)
    return QueueMail(repo, after, "agent_customer_replied", *after.assignee_id, m.id, now);
  return Ok();
}

Result<void> MailForChange(Repo& repo, const Ticket& before, const Ticket& after, Id actor_id, Instant now) {
  if (after.assignee_id && after.assignee_id != before.assignee_id && *after.assignee_id != actor_id)
    CHAMADO_TRY(QueueMail(repo, after, "agent_assigned", *after.assignee_id, std::nullopt, now));
  if (after.status == before.status || actor_id == after.requester_id) return Ok();
  switch (after.status) {
    case Status::kSolved: return QueueMail(repo, after, "ticket_solved", after.requester_id, std::nullopt, now);
    case Status::kPendingCustomer:
    case Status::kOnHold: return QueueMail(repo, after, "status_changed", after.requester_id, std::nullopt, now);
    case Status::kOpen:
      if (before.status == Status::kSolved) return QueueMail(repo, after, "status_changed", after.requester_id, std::nullopt, now);
      return Ok();
    default: return Ok();
  }
}

}  // namespace chamado::store
