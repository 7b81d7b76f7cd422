#include "sla/policy.h"

#include <algorithm>

#include "core/text.h"

namespace chamado::sla {

std::string_view Name(Target t) {
  switch (t) {
    case Target::kFirstResponse: return "first_response";
    case Target::kNextResponse: return "next_response";
    case Target::kResolution: return "resolution";
  }
  return "?";
}

std::optional<Target> ParseTarget(std::string_view s) {
  for (auto t : kTargets)
    if (Name(t) == s) return t;
  return std::nullopt;
}

namespace {
constexpr RuleTrigger kRuleTriggers[] = {RuleTrigger::kTime, RuleTrigger::kTicketCreated, RuleTrigger::kCustomerReplied,
                                         RuleTrigger::kAgentReplied, RuleTrigger::kStatusChanged};
constexpr RuleSince kRuleSinces[] = {RuleSince::kCreated, RuleSince::kStatus, RuleSince::kCustomerReply, RuleSince::kAgentReply};
}  // namespace

std::string_view Name(RuleTrigger t) {
  switch (t) {
    case RuleTrigger::kTime: return "time";
    case RuleTrigger::kTicketCreated: return "ticket_created";
    case RuleTrigger::kCustomerReplied: return "customer_replied";
    case RuleTrigger::kAgentReplied: return "agent_replied";
    case RuleTrigger::kStatusChanged: return "status_changed";
  }
  return "?";
}

std::optional<RuleTrigger> ParseRuleTrigger(std::string_view s) {
  for (auto t : kRuleTriggers)
    if (Name(t) == s) return t;
  return std::nullopt;
}

std::string_view Name(RuleSince s) {
  switch (s) {
    case RuleSince::kCreated: return "created";
    case RuleSince::kStatus: return "status";
    case RuleSince::kCustomerReply: return "customer_reply";
    case RuleSince::kAgentReply: return "agent_reply";
  }
  return "?";
}

std::optional<RuleSince> ParseRuleSince(std::string_view s) {
  for (auto v : kRuleSinces)
    if (Name(v) == s) return v;
  return std::nullopt;
}

bool Automations::HasTimeRules() const {
  return std::any_of(rules.begin(), rules.end(), [](const auto& r) { return r.on == RuleTrigger::kTime; });
}

const AutomationRule* Automations::FindRule(std::string_view name) const {
  for (const auto& r : rules)
    if (r.name == name) return &r;
  return nullptr;
}

namespace {
bool AnyOf(const std::vector<std::string>& allowed, std::string_view value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}
}  // namespace

bool Conditions::Matches(const TicketFacts& f) const {
  if (!AnyOf(plans, f.plan) || !AnyOf(priorities, f.priority) || !AnyOf(organizations, f.organization) ||
      !AnyOf(categories, f.category))
    return false;
  if (!channels.empty() && std::find(channels.begin(), channels.end(), f.channel) == channels.end()) return false;
  if (!tags.empty() &&
      std::none_of(tags.begin(), tags.end(), [&](const std::string& t) {
        return std::find(f.tags.begin(), f.tags.end(), t) != f.tags.end();
      }))
    return false;
  return true;
}

bool Conditions::empty() const {
  return plans.empty() && priorities.empty() && organizations.empty() && categories.empty() && tags.empty() &&
         channels.empty();
}

const TargetRule* Policy::RuleFor(Target t, const TicketFacts& f) const {
  for (const auto& r : targets)
    if (r.target == t && r.when.Matches(f)) return &r;
  return nullptr;
}

bool Policy::Exempt(Target t, const TicketFacts& f) const {
  for (const auto& e : exemptions)
    if (std::find(e.targets.begin(), e.targets.end(), t) != e.targets.end() && e.when.Matches(f)) return true;
  return false;
}

const Plan* Policy::FindPlan(std::string_view key) const {
  for (const auto& p : plans)
    if (p.key == key) return &p;
  return nullptr;
}

GroupRouting Routing::For(std::string_view group_name) const {
  auto it = groups.find(AsciiLower(group_name));
  return it == groups.end() ? defaults : it->second;
}

bool Routing::IsSpecialist(std::string_view group_name) const {
  return std::find(specialists.begin(), specialists.end(), AsciiLower(group_name)) != specialists.end();
}

double StatusRules::TargetFor(std::string_view component_key) const {
  auto it = component_targets.find(std::string(component_key));
  return it == component_targets.end() ? target_percent : it->second;
}

bool Routing::Automatic() const {
  if (defaults.mode != core::RoutingMode::kManual) return true;
  return std::any_of(groups.begin(), groups.end(), [](const auto& g) { return g.second.mode != core::RoutingMode::kManual; });
}

}  // namespace chamado::sla
