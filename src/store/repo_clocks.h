// The clock aggregate of the repository: each ticket's SLA clocks as last computed (see
// store/service_level.h), kept for the queue's order and the scheduler, with what has fired
// in each clock's current cycle (the one thing the rows alone remember). Owns the table
// ticket_clocks, one row per ticket and target.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/sql.h"

namespace chamado::store {

class ClockRepo {
 public:
  explicit ClockRepo(Connection& c) : c_(c) {}

  // SLA clocks as last computed, with what has fired in their current cycle.
  struct ClockRow {
    core::Id ticket_number = 0;
    sla::Target target = sla::Target::kResolution;
    Instant cycle_start;
    sla::ClockState state = sla::ClockState::kRunning;
    std::string calendar;
    std::string within_text;
    std::chrono::milliseconds within{0};  // the target, in business time
    std::chrono::milliseconds used{0};    // business time used when computed
    std::optional<Instant> due_at, breached_at, stopped_at;
    std::vector<Instant> warn_at;  // ascending
    int warnings_fired = 0;
    bool breach_fired = false;
    std::optional<Instant> next_fire_at;
    Instant computed_at;  // when the row last changed: a row recomputed the same is not written again
  };
  // Whether writing `a` over `b` would change what the store keeps (computed_at aside).
  static bool SameClock(const ClockRow& a, const ClockRow& b) {
    return a.ticket_number == b.ticket_number && a.target == b.target && a.cycle_start == b.cycle_start && a.state == b.state &&
           a.calendar == b.calendar && a.within_text == b.within_text && a.within == b.within && a.used == b.used &&
           a.due_at == b.due_at && a.breached_at == b.breached_at && a.stopped_at == b.stopped_at && a.warn_at == b.warn_at &&
           a.warnings_fired == b.warnings_fired && a.breach_fired == b.breach_fired && a.next_fire_at == b.next_fire_at;
  }
  Result<std::vector<ClockRow>> ClockRows(core::Id ticket_number);
  // For a page of tickets, in one query.
  Result<std::vector<ClockRow>> ClockRowsFor(const std::vector<core::Id>& ticket_numbers);
  Result<void> UpsertClock(const ClockRow& row);
  // The clocks of a ticket that has none yet, in one statement.
  Result<void> InsertClocks(const std::vector<ClockRow>& rows);
  Result<void> DeleteClock(core::Id ticket_number, sla::Target target);
  // Tickets with a clock due to act at or before `now`, earliest first.
  Result<std::vector<core::Id>> DueClockTickets(Instant now, int limit);
  Result<std::optional<Instant>> NextClockFire();

 private:
  Connection& c_;
};

}  // namespace chamado::store
