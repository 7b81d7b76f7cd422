// Report arithmetic: the figures a support lead reads (issue 14), computed from values the
// store gathered. Pure functions: no I/O, no clock. Durations are milliseconds (calendar
// time, or business time of a clock's calendar as the store measured it); instants are UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.h"

namespace chamado::core {

// Mean, median and 90th percentile of a set of durations, in milliseconds.
// The median of an even count is the mean of the two middle values; the 90th percentile is
// the nearest rank (the smallest value at least 90 % of the set are at or below), so it is
// always a duration some ticket actually took. All empty when the set is.
struct DurationSummary {
  int64_t count = 0;
  std::optional<double> mean_ms, median_ms, p90_ms;
};
// Takes the values by value: they are reordered in place (selection, O(n)).
DurationSummary Summarize(std::vector<int64_t> durations_ms);

// Met and breached clocks of one kind; achievement is met / (met + breached), empty when
// none was decided (running, paused and exempt clocks never count).
struct Achievement {
  int64_t met = 0;
  int64_t breached = 0;
  std::optional<double> Rate() const;
};

// A share: part / whole, empty when whole is 0.
std::optional<double> Share(int64_t part, int64_t whole);

// Backlog over time: how many tickets were open (created, not yet solved) at the end of each
// day. `open_before`: open at the first day's start; `created[i]`, `solved[i]`: tickets
// created and solved during day i. A day's figure is the previous one plus what came in less
// what went out.
std::vector<int64_t> Backlog(int64_t open_before, const std::vector<int64_t>& created, const std::vector<int64_t>& solved);

// The UTC days of a period [from, to): the start of each day that overlaps it, in order.
// Empty unless `to` is after `from`; callers bound the period's length.
std::vector<Instant> DaysOf(Instant from, Instant to);

// The day index of `t` among DaysOf(from, ...): whole UTC days since the day `from` is in.
int64_t DayIndex(Instant from, Instant t);

}  // namespace chamado::core
