// Time-weighted uptime of a status component, and the intervals that make it.
//
// Pure values and functions: no SQL, no sockets, no clock (every window ends at an instant the
// caller passes). All instants are UTC; durations are real milliseconds. The rules below are
// the ones docs/status-page.md states, and the policy's [status] sets their parameters
// (sla::StatusRules):
//
// - A probe's sample (its check's start, up or down after its retries) holds from its instant
//   until the probe's next sample, and at most the probe's `hold` (its interval plus its
//   timeout): time no sample holds is *unknown* (the probes did not run), never up.
// - A component with several probes is down while any of them says down, unknown while one of
//   them has no sample holding (and none says down), up while all say up.
// - Planned maintenance of the component is excluded from both sides of the figure.
// - A declared incident's impact on the component: major counts all its time down (a person saw
//   the outage, so unknown time becomes known); partial counts `partial_weight` of the time the
//   probes did not already see down as down and the rest as up; degraded changes nothing (the
//   probes' figures stand: degraded is up). Overlapping incidents: the worst impact counts.
// - uptime = up / (up + down); unknown is shown beside it, and `lower_bound` counts it as down.
// - The error budget is (100 - target) % of the time that is not maintenance; what is left is
//   the budget minus the down time (negative once spent). Unknown time is not charged to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace chamado::status {

using Millis = std::chrono::milliseconds;

// DO NOT CHANGE THE NAMES: stored (status_incident_components.impact) and written in the API.
enum class Impact { kDegraded, kPartial, kMajor };
std::string_view Name(Impact i);
std::optional<Impact> ParseImpact(std::string_view s);

// One check's outcome, after its retries.
struct Sample {
  Instant at;
  bool up = false;
};

// One probe's samples, sorted by instant, and how long each may hold at most.
struct ProbeSamples {
  Millis hold{0};
  std::vector<Sample> samples;
};

// What the probes observed of a component over [from, to): `up` and `down` milliseconds of it,
// the rest unknown. A segment from raw samples is homogeneous (all up or all down); a rollup
// bucket (per minute, per hour) only has its sums, spread evenly when part of it counts.
struct Observed {
  Instant from, to;
  Millis up{0}, down{0};
  bool operator==(const Observed&) const = default;
};

// The component's homogeneous segments over [from, to) from its probes' raw samples (rules
// above), adjacent equal segments merged; unknown time has no segment.
std::vector<Observed> CombineProbes(const std::vector<ProbeSamples>& probes, Instant from, Instant to);

// The sums of `segments` per bucket of `bucket` length (aligned on the Unix epoch) over
// [from, to): what is rolled up when raw samples grow old. Buckets with nothing observed are
// left out.
std::vector<Observed> RollUp(const std::vector<Observed>& segments, Instant from, Instant to, Millis bucket);

struct IncidentSpan {
  int64_t incident_id = 0;
  Instant from, to;  // the incident's start and its resolution (the window's end while open)
  Impact impact = Impact::kMajor;
};

struct MaintenanceSpan {
  int64_t maintenance_id = 0;
  Instant from, to;
};

struct CountingRules {
  double target_percent = 99.0;
  double partial_weight = 1.0;
};

// DO NOT CHANGE THE NAMES: written in the API's explanations.
enum class State { kUp, kDown, kMixed, kUnknown, kDegraded, kPartial, kMajor, kMaintenance };
std::string_view Name(State s);

// One interval of the explanation and what it adds to each side.
struct Piece {
  Instant from, to;
  State state = State::kUnknown;
  Millis up{0}, down{0}, unknown{0}, excluded{0};
  int64_t incident_id = 0;     // the incident that set the state; 0: the probes
  int64_t maintenance_id = 0;  // with kMaintenance
};

struct Uptime {
  Instant from, to;
  Millis total{0}, maintenance{0}, up{0}, down{0}, unknown{0};
  std::optional<double> percent;  // up / (up + down) * 100; none when nothing is known
  double lower_bound_percent = 0;  // up / (up + down + unknown) * 100; 0 when all is maintenance
  double target_percent = 0;
  Millis budget{0}, budget_left{0};
  std::vector<Piece> explanation;  // consecutive pieces of one state and cause merged; empty unless asked
};

// The uptime over [from, to) (to > from). `observed` sorted and not overlapping; incidents and
// maintenance of this component, in any order.
Uptime ComputeUptime(Instant from, Instant to, const std::vector<Observed>& observed,
                     const std::vector<IncidentSpan>& incidents, const std::vector<MaintenanceSpan>& maintenance,
                     const CountingRules& rules, bool explain);

// The uptime of each [cuts[i], cuts[i+1]) (cuts ascending, at least two): daily bars.
std::vector<Uptime> ComputeUptimes(const std::vector<Instant>& cuts, const std::vector<Observed>& observed,
                                   const std::vector<IncidentSpan>& incidents,
                                   const std::vector<MaintenanceSpan>& maintenance, const CountingRules& rules);

// A window of time: [from, to).
struct Window {
  Instant from, to;
};

// The calendar month "2026-03" in the IANA zone `time_zone`: from its first local midnight to
// the next month's. Fails on a malformed month or an unknown zone.
Result<Window> MonthWindow(std::string_view month, std::string_view time_zone);
// The `days` local midnights of `time_zone` that start the last `days` days up to `now`, and the
// next midnight after now (days + 1 cuts): the daily bars' days, the last one running.
Result<std::vector<Instant>> DayCuts(Instant now, int days, std::string_view time_zone);

// "2026-03-01": the local date of `t` in `time_zone`.
Result<std::string> LocalDate(Instant t, std::string_view time_zone);

}  // namespace chamado::status
