#include "sla/automation.h"

namespace chamado::sla {

namespace {

// `business` after `start` on the named calendar, or in real time without one.
Result<Instant> After(const Policy& policy, const std::string& calendar, Instant start, Millis business) {
  if (calendar.empty()) return start + business;
  auto it = policy.calendars.find(calendar);
  if (it == policy.calendars.end()) return Error::InvalidArgument("The auto-close calendar \"" + calendar + "\" is not in the policy.");
  return it->second->Add(start, business);
}

}  // namespace

Result<std::optional<AutoCloseSchedule>> ScheduleAutoClose(const Policy& policy, const std::vector<StatusChange>& statuses) {
  const auto& rule = policy.automations.auto_close;
  if (!rule || statuses.empty() || statuses.back().status != core::Status::kPendingCustomer)
    return std::optional<AutoCloseSchedule>();
  // The start of the last run of pending_customer: setting it again while it holds is no new period.
  size_t first = statuses.size() - 1;
  while (first > 0 && statuses[first - 1].status == core::Status::kPendingCustomer) --first;
  AutoCloseSchedule s;
  s.waiting_since = statuses[first].at;
  CHAMADO_ASSIGN_OR_RETURN(s.close_at, After(policy, rule->calendar, s.waiting_since, rule->after));
  if (rule->reminder_before) {
    CHAMADO_ASSIGN_OR_RETURN(auto at, After(policy, rule->calendar, s.waiting_since, rule->after - *rule->reminder_before));
    s.remind_at = at;
  }
  return std::optional<AutoCloseSchedule>(s);
}

AutoCloseAction AutoCloseDue(const AutoCloseSchedule& s, bool reminded, Instant now) {
  if (now >= s.close_at) return AutoCloseAction::kClose;
  if (s.remind_at && !reminded && now >= *s.remind_at) return AutoCloseAction::kRemind;
  return AutoCloseAction::kNothing;
}

Instant NextAutoCloseFire(const AutoCloseSchedule& s, bool reminded) {
  if (s.remind_at && !reminded) return *s.remind_at;
  return s.close_at;
}

}  // namespace chamado::sla
