// The policy's rules ([[automations.rules]], policy.h's AutomationRule) as pure decisions over
// a ticket: do its conditions hold, from which instant does a time rule count, and when is it
// due. The store keeps each ticket's due rules in an index and carries them out
// (store/rules.h); nothing here reads a clock or storage.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "sla/clocks.h"
#include "sla/policy.h"

namespace chamado::sla {

// What a rule's conditions look at: the facts targets use, and the ticket's state.
struct RuleFacts {
  TicketFacts facts;
  core::Status status = core::Status::kNew;
  std::string group;  // the ticket's group's name, lower case; empty: none
  bool assigned = false;
};

// Every condition written must hold; within one, any listed value does.
bool Matches(const RuleConditions& when, const RuleFacts& f);

// The instant `since` names in the ticket's history (statuses and public messages in time
// order), or nullopt when there is none now: no unanswered customer message, or no agent
// reply the customer has not answered. Automatic messages (auto-replies, acknowledgements)
// are nobody's word and never count.
std::optional<Instant> RuleAnchor(RuleSince since, const Timeline& timeline);

// When a time rule counting from `anchor` is due: `after` on its calendar (business time), or
// in real time without one.
Result<Instant> RuleDueAt(const Policy& policy, const AutomationRule& rule, Instant anchor);

}  // namespace chamado::sla
