// Ticket commands as units of work: load what the command needs, run the pure core
// function, persist the new state with its audit events, and refresh the ticket's SLA
// clocks under the policy in effect. Secrets in every text a command stores are masked by
// the command itself (`masker`), so no channel can forget it. Each runs inside one store
// transaction (Store::Write), so a change and its events commit together or not at all.
// Every channel (API, email, chat, scheduler) goes through these.
#pragma once

#include <optional>
#include <string>

#include "core/secrets.h"
#include "core/ticket.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

struct OpenTicketRequest {
  core::NewTicket ticket;
  std::string requester_email;  // agents and integrations: who asks; customers: ignored
  std::string requester_name;
  std::optional<Id> group_id;
  std::optional<Id> assignee_id;
  bool acknowledge = true;  // mail the requester an acknowledgement (not for automatic mail)
  // The category's required details are checked (core/details.h); mail intake leaves them
  // unchecked, since refusing a mail would lose it.
  bool require_details = true;
};

struct OpenedTicket {
  core::Ticket ticket;
  std::vector<Repo::ClockRow> clocks;  // as started
  std::string organization_name;       // empty without one
  core::Message first_message;         // as stored, with its attachments
};

Result<OpenedTicket> OpenTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                       const core::User& actor, OpenTicketRequest request, Instant now);

struct ChangeTicketRequest {
  core::TicketPatch patch;  // group and assignee are given as ids below
  std::optional<std::optional<Id>> group_id;
  std::optional<std::optional<Id>> assignee_id;
};

Result<core::Ticket> ChangeTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                         const core::User& actor, Id number, ChangeTicketRequest request, Instant now);

// The change of ChangeTicketCommand on a ticket at hand (texts already masked, visibility
// checked): persisted with its events, clocks, mail and routing. `run_rules`: whether a
// status change starts the policy's status_changed rules (store/rules.h); the rules' own
// changes do not, so rules cannot chain.
Result<core::Ticket> ApplyTicketChange(Repo& repo, const sla::Policy& policy, const core::User& actor,
                                       const core::Ticket& current, ChangeTicketRequest request, Instant now, bool run_rules);

// A ticket opened as the sequel of ticket `linked_to` (a follow-up of a closed ticket, an
// answer from someone other than its requester), linked to it in the caller's transaction.
// What a follow-up of `closed` inherits, as Zendesk and Zammad do, so the case keeps its
// place without an agent re-triaging it: its category (while the policy still has it; the
// category routes it to the same team), tags and custom fields, added to what `next` has.
// Priority, group and assignee are not carried: a new request is triaged and routed anew.
void CarryOverToFollowUp(const core::Ticket& closed, const core::Catalog& catalog, core::NewTicket& next);

Result<OpenedTicket> OpenLinkedTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                             const core::User& actor, OpenTicketRequest request, Id linked_to,
                                             TicketLinkKind kind, Instant now);

// The subject of a ticket opened from a reply: "Re: AW: [#12] Printer" -> "Printer", cut to
// the subject's limit in whole characters; "(no subject)" when nothing is left.
std::string NewTicketSubject(std::string_view subject);

struct MessagePosted {
  core::Ticket ticket;  // the ticket the message is on
  core::Message message;
  // Set when the message answered this closed ticket and so opened `ticket`, its follow-up.
  std::optional<Id> follow_up_of;
};

// A customer's message on a closed ticket opens a follow-up (the same rule as for mail,
// store/mail_intake.h): a new ticket of theirs, the message its first, linked to the closed
// one. Agents' messages on a closed ticket are refused (they open a new ticket themselves).
Result<MessagePosted> AddMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                        const core::User& actor, Id number, core::NewMessage message, Instant now);

// A customer asks for escalation (their plan must allow it); the group and the assignee are
// notified.
Result<MessagePosted> RequestEscalationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                               const core::User& actor, Id number, std::string_view impact, Instant now);

// Makes `policy` the one in effect (a new version): refuses when tickets use priorities it
// does not list; re-ranks the queue by its order. Returns the new version. The caller
// reloads the store's cached policy after the commit (Store::ReloadPolicy).
Result<int64_t> ApplyPolicyCommand(Repo& repo, const sla::Policy& policy,
                                   const std::vector<std::pair<std::string, std::string>>& files, std::optional<Id> actor,
                                   Instant now);

inline core::Actor ActorOf(const core::User& u) { return {u.id, u.role, u.organization_id}; }

// The desk itself (the scheduler, escalations, rules): an administrator with id 0.
core::User SystemUser();

}  // namespace chamado::store
