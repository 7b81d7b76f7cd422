// Automations of a policy (policy.h's [automations]) as pure decisions over a ticket's
// history: when a waiting period started, when its reminder and its close are due, and what
// is due at a given instant. The store keeps the due instants in an index and carries the
// decisions out (store/automations.h); nothing here reads a clock or storage.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sla/clocks.h"
#include "sla/policy.h"

namespace chamado::sla {

// DO NOT CHANGE: the rule's name is stored (ticket_automations.rule) and recorded in events.
inline constexpr std::string_view kAutoClose = "auto_close";

// One waiting period of a ticket on its customer, and when the auto-close acts on it.
struct AutoCloseSchedule {
  Instant waiting_since;             // UTC instant the ticket entered pending_customer
  std::optional<Instant> remind_at;  // UTC; none when the rule has no reminder
  Instant close_at;                  // UTC
  bool operator==(const AutoCloseSchedule&) const = default;
};

// The schedule of the period the ticket waits in now: from the last time it entered
// pending_customer (status changes in time order), counted on the rule's calendar (real time
// without one). Nullopt when the policy has no auto-close or the ticket does not wait on its
// customer. Messages do not matter: a customer's real message moves the ticket to open (so
// the period ends), an automatic reply leaves it waiting (so the period goes on).
Result<std::optional<AutoCloseSchedule>> ScheduleAutoClose(const Policy& policy, const std::vector<StatusChange>& statuses);

enum class AutoCloseAction { kNothing, kRemind, kClose };

// What is due at `now` in a period whose reminder was sent (`reminded`) or not. Past the close,
// it closes, and a reminder not sent by then is skipped (it would announce a close already
// done); before it, the reminder is due once from its instant.
AutoCloseAction AutoCloseDue(const AutoCloseSchedule& s, bool reminded, Instant now);

// The next instant the scheduler has to look at the period: the reminder while it is unsent,
// else the close.
Instant NextAutoCloseFire(const AutoCloseSchedule& s, bool reminded);

}  // namespace chamado::sla
