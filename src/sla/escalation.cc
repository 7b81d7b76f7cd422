#include "sla/escalation.h"

#include <algorithm>

namespace chamado::sla {

std::vector<EscalationStep> EscalationsForBreach(const Policy& policy, Target target, const TicketFacts& facts,
                                                 bool active) {
  std::vector<EscalationStep> steps;
  const auto& scale = policy.catalog.priorities;
  std::string priority = facts.priority;
  for (const auto& esc : policy.escalations) {
    if (std::find(esc.targets.begin(), esc.targets.end(), target) == esc.targets.end()) continue;
    if (!esc.when.Matches(facts)) continue;
    const auto& a = esc.actions;
    EscalationStep step;
    if (active && a.raise_priority > 0 && !scale.levels.empty()) {
      const int rank = scale.Rank(priority).value_or(0);
      priority = scale.levels[size_t(std::max(0, rank - a.raise_priority))].name;
      step.priority = priority;
    }
    if (active) step.group = a.group;
    step.mark_escalated = a.mark_escalated;
    step.notify = a.notify;
    step.webhook = a.webhook;
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace chamado::sla
