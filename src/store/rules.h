// The policy's rules ([[automations.rules]]) in the store; sla/rules.h decides.
//
//   time rules   each ticket's state per rule is kept in ticket_rules (the instant it counts
//                from, when it is due, whether it fired for that instant), refreshed with
//                the ticket's clocks whenever the ticket changes; the scheduler fires the due
//                ones, each in the write transaction that records it.
//   event rules  run in the transaction of the change that is their event (commands.h): a
//                ticket opened, a customer's or an agent's reply, a status change.
//
// A firing records "automation.fired" (the rule's name) in the ticket's history, then does
// what the rule says: the ticket's fields as the desk (the system actor), a notice mail to the
// team ("automation_notice"), a mail to the requester ("automation_mail", the rule's own text
// in their language), a webhook. A rule that cannot act (its group or agent does not exist, a
// change the ticket refuses) records "automation.failed" with the reason instead, changes
// nothing, and counts as fired: it is not tried again every pass.
#pragma once

#include "sla/clocks.h"
#include "sla/policy.h"
#include "sla/rules.h"
#include "store/repo.h"

namespace chamado::store {

// Brings the ticket's time-rule rows in line with its history and the policy: a new anchor
// starts afresh, a fired one stays fired, a rule whose conditions do not hold has no due.
Result<void> RefreshRules(Repo& repo, const sla::Policy& policy, const core::Ticket& t, const sla::TicketFacts& facts,
                          const sla::Timeline& timeline);

struct RulesFired {
  int fired = 0;
  int failed = 0;
};

// Fires the time rules due on this ticket at `now` (UTC), in the caller's transaction.
Result<RulesFired> FireDueRules(Repo& repo, const sla::Policy& policy, core::Id ticket_number, Instant now);

// Runs the rules on `trigger` whose conditions hold for `t` (as the change left it), in file
// order, in the caller's transaction; returns the ticket as they leave it.
Result<core::Ticket> RunEventRules(Repo& repo, const sla::Policy& policy, sla::RuleTrigger trigger, core::Ticket t,
                                   Instant now);

}  // namespace chamado::store
