// What an SLA breach does to a ticket: the policy's escalations that match, as steps the
// caller carries out (store/service_level.cc, in the breach's transaction). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sla/policy.h"

namespace chamado::sla {

struct EscalationStep {
  // The ticket's priority after this step, when the step raises it (already at the top of
  // the scale, it stays there: the step still notifies and marks).
  std::optional<std::string> priority;
  std::string group;  // move the ticket to this group, by name; empty: it stays
  bool mark_escalated = false;        // raise the ticket's escalation level by one
  std::vector<std::string> notify;    // "assignee", "group", "requester" or an address
  std::string webhook;                // POST the breach to this URL; empty: none
  bool changes_ticket() const { return priority.has_value() || !group.empty(); }
};

// One step per escalation of `policy` that names `target` and whose conditions match `facts`,
// in file order. Each raise counts from the priority the previous step left. A ticket that is
// no longer active (solved, closed) keeps its priority and group: only notices and marks.
std::vector<EscalationStep> EscalationsForBreach(const Policy& policy, Target target, const TicketFacts& facts,
                                                 bool active);

}  // namespace chamado::sla
