// SLA clocks: derived, never stored as truth. Given the policy, what the ticket is now (its
// facts) and its history (status changes, public messages), compute every clock at `now`.
// Because the rule is chosen from the current facts and time is measured from the
// ticket's start, a priority or plan change re-targets the clocks from the start, and a
// pause resumes with the time remaining, without anything patched in place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "sla/policy.h"

namespace chamado::sla {

// DO NOT CHANGE THE NAMES: they are stored (ticket_clocks.state).
enum class ClockState { kRunning, kPaused, kMet, kBreached, kExempt };
inline constexpr ClockState kClockStates[] = {ClockState::kRunning, ClockState::kPaused, ClockState::kMet,
                                              ClockState::kBreached, ClockState::kExempt};
std::string_view Name(ClockState s);
std::optional<ClockState> ParseClockState(std::string_view s);

struct StatusChange {
  Instant at;
  core::Status status;  // the status from `at` on
};

struct PublicMessage {
  Instant at;
  bool by_staff = false;   // an agent's public reply (else the customer's message)
  bool automatic = false;  // auto-replies and acknowledgements never count
};

struct Timeline {
  Instant opened_at;
  std::vector<StatusChange> statuses;  // in time order; the first is the opening status
  std::vector<PublicMessage> messages; // public messages in time order (notes excluded)
};

struct Clock {
  Target target = Target::kResolution;
  ClockState state = ClockState::kRunning;
  std::string calendar;         // the policy calendar it runs on
  std::string within_text;      // "30m"
  Millis within{0};             // the target, in business time
  Instant started_at;           // this cycle's start (for next_response, the customer's message)
  Millis used{0};               // business time used (up to now, or up to the stop)
  std::optional<Instant> due_at;       // the last on-time instant (unknown while paused)
  std::optional<Instant> breached_at;  // = the due instant that was passed
  std::optional<Instant> stopped_at;   // met or breached by a reply or a solve
  std::vector<Instant> warn_at;        // one per warning of the policy that applies

  Millis remaining() const { return within - used; }
  bool overdue() const { return breached_at.has_value(); }
};

std::vector<Clock> ComputeClocks(const Policy& policy, const TicketFacts& facts, const Timeline& timeline, Instant now);

}  // namespace chamado::sla
