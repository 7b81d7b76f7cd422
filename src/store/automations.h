// Policy automations in the store (sla/automation.h decides): each ticket's due instants kept
// in ticket_automations, refreshed with its clocks whenever the ticket changes, and carried out
// by the scheduler, each in the write transaction that records it.
//
//   auto_close  a ticket waiting on its customer (pending_customer) for the rule's `after`
//               is closed by the system (resolution kept, or "answered"), with
//               "automation.closed" in its history and the auto_closed mail to the requester;
//               `reminder_before` that, "automation.reminded" and the auto_close_reminder
//               mail, once per waiting period.
//
// Exactly once: the reminder is remembered on the row of its waiting period and the close
// ends the period (the ticket is closed), both in the transaction that queues the mail, so a
// second pass, a racing one (writes are serialized) or a restart finds nothing left to do.
// A customer's real message reopens the ticket, which ends the period and removes the row; an
// automatic reply changes no status and so leaves the timers as they are.
#pragma once

#include <vector>

#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// Brings the ticket's automation rows in line with its status history (in time order) and
// the policy: a new waiting period starts afresh, the current one keeps its reminder.
Result<void> RefreshAutomations(Repo& repo, const sla::Policy& policy, const core::Ticket& t,
                                const std::vector<sla::StatusChange>& statuses);

struct AutomationsFired {
  int reminders = 0;
  int closes = 0;
};

// Carries out what is due on this ticket at `now` (UTC), in the caller's transaction.
Result<AutomationsFired> FireAutomations(Repo& repo, const sla::Policy& policy, core::Id ticket_number, Instant now);

}  // namespace chamado::store
