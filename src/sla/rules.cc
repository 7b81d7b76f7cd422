#include "sla/rules.h"

#include <algorithm>

namespace chamado::sla {

namespace {

template <class T>
bool AnyOf(const std::vector<T>& listed, const T& v) {
  return listed.empty() || std::find(listed.begin(), listed.end(), v) != listed.end();
}

bool HasAny(const std::vector<std::string>& tags, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const auto& w) { return std::find(tags.begin(), tags.end(), w) != tags.end(); });
}

}  // namespace

bool Matches(const RuleConditions& when, const RuleFacts& f) {
  if (!when.facts.Matches(f.facts)) return false;
  if (!AnyOf(when.statuses, f.status)) return false;
  if (HasAny(f.facts.tags, when.not_tags)) return false;
  if (!AnyOf(when.groups, f.group)) return false;
  if (when.assigned && *when.assigned != f.assigned) return false;
  return true;
}

std::optional<Instant> RuleAnchor(RuleSince since, const Timeline& timeline) {
  switch (since) {
    case RuleSince::kCreated:
      return timeline.opened_at;
    case RuleSince::kStatus: {
      if (timeline.statuses.empty()) return timeline.opened_at;
      // The start of the current status's run: setting it again while it holds is no new one.
      size_t first = timeline.statuses.size() - 1;
      while (first > 0 && timeline.statuses[first - 1].status == timeline.statuses.back().status) --first;
      return timeline.statuses[first].at;
    }
    case RuleSince::kCustomerReply:
    case RuleSince::kAgentReply: {
      const bool by_staff = since == RuleSince::kAgentReply;
      for (auto it = timeline.messages.rbegin(); it != timeline.messages.rend(); ++it) {
        if (it->automatic) continue;
        // The last word decides: it is theirs, or the other side has answered it.
        if (it->by_staff != by_staff) return std::nullopt;
        return it->at;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<Instant> RuleDueAt(const Policy& policy, const AutomationRule& rule, Instant anchor) {
  if (rule.calendar.empty()) return anchor + rule.after;
  auto it = policy.calendars.find(rule.calendar);
  if (it == policy.calendars.end())
    return Error::InvalidArgument("The calendar \"" + rule.calendar + "\" of rule \"" + rule.name + "\" is not in the policy.");
  return it->second->Add(anchor, rule.after);
}

}  // namespace chamado::sla
