// Which changes send mail, to whom, and with which template: queued in the outbox in the
// transaction of the change (so a change and its mail commit together or not at all). The
// mailer (jobs/mailer.h) renders and sends them; nothing is rendered here.
//
//   ticket_opened           the requester: acknowledgement with the ticket number
//   first_response          the requester: the first agent reply, priority, expected resolution
//   public_reply            the requester: later agent replies
//   info_requested          the requester: a reply that waits for the customer
//   status_changed          the requester: on hold, waiting, reopened, without a reply
//   ticket_solved           the requester: the resolution summary
//   agent_assigned          the new assignee (unless they assigned themselves)
//   agent_customer_replied  the assignee: the customer wrote
//   auto_close_reminder     the requester: the ticket closes by itself unless they answer
//   auto_closed             the requester: it closed by itself, having waited on them
//   ticket_merged           the requester: it was merged into another ticket (store/merge.h)
//   incident_update         the requester of a ticket linked to a status incident: its update
//   incident_subscriber     a status page subscriber: the same update, with the unsubscribe link
//   status_subscription     an address subscribing from the status page: the link that confirms
// (SLA warnings, breaches and escalation requests are queued by the scheduler and the
// escalation command: sla_warning, sla_breached, agent_escalated.)
//
// Nothing is queued for automatic messages (auto-replies, bounces): no loops. And an address
// gets at most kMaxAcknowledgementsPerHour acknowledgements an hour: an autoresponder that
// hides what it is (no Auto-Submitted, a new subject) cannot start a loop either.
inline constexpr int kMaxAcknowledgementsPerHour = 10;
#pragma once

#include <optional>
#include <string_view>

#include "core/model.h"
#include "store/repo.h"
#include "store/repo_status.h"

namespace chamado::store {

Result<void> QueueMail(Repo& repo, const core::Ticket& t, std::string_view template_name, Id recipient_id,
                       std::optional<Id> message_id, Instant now);
// The same, for a recipient at hand (no lookup).
Result<void> QueueMail(Repo& repo, const core::Ticket& t, std::string_view template_name, const core::User& recipient,
                       std::optional<Id> message_id, Instant now);

// A mail of the policy's auto-close to the ticket's requester: `after` is the rule's wait as
// written ("48h"), `closes_at` (UTC) when the reminder's ticket closes.
Result<void> QueueAutomationMail(Repo& repo, const core::Ticket& t, std::string_view template_name, std::string_view after,
                                 std::optional<Instant> closes_at, Instant now);

// A status incident's public update to the requester of a ticket linked to the incident
// (store/status.h), in their language, threaded into that ticket.
Result<void> QueueIncidentMail(Repo& repo, const core::Ticket& linked, Id incident, Id update, Instant now);

// The same update to a status page subscriber, in their language with their unsubscribe link;
// it belongs to no ticket.
Result<void> QueueSubscriberMail(Repo& repo, const StatusSubscriber& to, Id incident, Id update, Instant now);

// The mail whose link confirms a subscription asked for on the status page.
Result<void> QueueSubscriptionMail(Repo& repo, const StatusSubscriber& to, Instant now);

// A merge's mail to the merged ticket's requester: `into` is the survivor.
Result<void> QueueMergeMail(Repo& repo, const core::Ticket& merged, Id into, Instant now);

// After an agent's or a customer's message was added.
Result<void> MailForMessage(Repo& repo, const core::Ticket& before, const core::Ticket& after, const core::Message& m,
                            Instant now);

// After a change without a message (status, assignee).
Result<void> MailForChange(Repo& repo, const core::Ticket& before, const core::Ticket& after, Id actor_id, Instant now);

}  // namespace chamado::store
