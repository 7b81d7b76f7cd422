#include "sla/live_chat.h"

#include <algorithm>

namespace chamado::sla {

HandOff HandOffAt(const Policy& policy, bool plan_has_chat, Instant now) {
  HandOff out;
  if (!plan_has_chat) return out;
  if (policy.chat.calendar.empty()) {
    out.verdict = HandOff::Verdict::kOpen;
    return out;
  }
  const auto it = policy.calendars.find(policy.chat.calendar);
  // A parsed policy names only calendars it has; a missing one is never open.
  if (it == policy.calendars.end()) {
    out.verdict = HandOff::Verdict::kClosed;
    return out;
  }
  if (it->second->IsOpen(now)) {
    out.verdict = HandOff::Verdict::kOpen;
    return out;
  }
  out.verdict = HandOff::Verdict::kClosed;
  // Adding no business time from a closed instant lands on the next opening.
  if (auto opening = it->second->Add(now, Millis(0)); opening.ok()) out.back_at = *opening;
  return out;
}

core::Status ClockStatusOf(core::ConversationStatus s) {
  switch (s) {
    case core::ConversationStatus::kBot:
    case core::ConversationStatus::kWaiting: return core::Status::kNew;
    case core::ConversationStatus::kActive: return core::Status::kOpen;
    case core::ConversationStatus::kWaitingOnCustomer: return core::Status::kPendingCustomer;
    case core::ConversationStatus::kClosed: return core::Status::kClosed;
  }
  return core::Status::kOpen;
}

namespace {

std::vector<StatusChange> StatusChangesOf(const ConversationTimeline& tl) {
  std::vector<StatusChange> out;
  out.push_back({tl.handed_off_at, core::Status::kNew});
  for (const auto& c : tl.statuses) {
    if (c.at < tl.handed_off_at) continue;
    out.push_back({c.at, ClockStatusOf(c.status)});
  }
  return out;
}

}  // namespace

std::vector<Clock> ConversationClocks(const Policy& policy, const TicketFacts& facts, const ConversationTimeline& timeline,
                                      Instant now) {
  Timeline tl;
  tl.opened_at = timeline.handed_off_at;
  tl.statuses = StatusChangesOf(timeline);
  for (const auto& m : timeline.messages)
    if (m.at >= timeline.handed_off_at) tl.messages.push_back({m.at, m.by_agent, false});
  std::vector<Clock> clocks = ComputeClocks(policy, facts, tl, now);
  // A conversation answers; it does not resolve (its ticket, if it becomes one, does).
  std::erase_if(clocks, [](const Clock& c) { return c.target == Target::kResolution; });
  return clocks;
}

Result<std::optional<AutoCloseSchedule>> ConversationAutoClose(const Policy& policy, const ConversationTimeline& timeline) {
  return ScheduleAutoClose(policy, StatusChangesOf(timeline));
}

std::optional<Instant> NextConversationFire(const std::vector<Clock>& clocks, const std::optional<AutoCloseSchedule>& auto_close) {
  std::optional<Instant> next;
  auto consider = [&](Instant at) {
    if (!next || at < *next) next = at;
  };
  // A breach happens just after the due instant (an answer at the due instant is on time).
  for (const auto& c : clocks)
    if (c.state == ClockState::kRunning && c.due_at) consider(*c.due_at + Millis(1));
  if (auto_close) consider(auto_close->close_at);
  return next;
}

}  // namespace chamado::sla
