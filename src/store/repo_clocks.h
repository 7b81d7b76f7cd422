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
    Instant computed_at;
  };
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
