// Work that several instances share on one database: each due row is worked by one of them.
//
// SQLite has one writer, so a write transaction already excludes every other and these
// functions grant everything. On PostgreSQL each instance has its own writer: a scheduler pass
// claims the rows it fires with FOR UPDATE SKIP LOCKED (a row another instance holds is left
// to it, and is found done, or still due, on the next pass), and a job that must run on one
// instance at a time takes a transaction-scoped advisory lock.
//
// Every function runs inside the caller's write transaction; claims and turns end with it.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

// Of `numbers`, the tickets this transaction now holds (in the order given).
Result<std::vector<core::Id>> ClaimTickets(Connection& c, const std::vector<core::Id>& numbers);
// Of `ids`, the conversations this transaction now holds (in the order given).
Result<std::vector<core::Id>> ClaimConversations(Connection& c, const std::vector<core::Id>& ids);

// Of `ids`, the status probes this transaction now holds (in the order given).
Result<std::vector<core::Id>> ClaimProbes(Connection& c, const std::vector<core::Id>& ids);

// Jobs that run on one instance at a time.
enum class Turn : int64_t {
  kRouting = 7163840202,   // counting agents' open work and assigning by it (store/routing.h)
  kRetarget = 7163840203,  // a batch of re-targeting clocks after a policy change
  kIndexing = 7163840204,  // a batch of the background search indexer
  kPeriodic = 7163840205,  // claiming a periodic job's run (ClaimPeriodic)
};
// Whether this transaction has the turn: false while another instance's transaction holds it
// (that instance is doing the work; skip this pass). Never waits.
Result<bool> TakeTurn(Connection& c, Turn turn);
// Waits for the turn, for work that cannot be skipped (routing the ticket being written). A
// transaction may take a turn it holds again.
Result<void> WaitTurn(Connection& c, Turn turn);

// Whether this instance runs the periodic job `job` now: true when the run recorded under
// that name (in settings) is at least `every` old, or none is, and then this run is recorded.
// Of many instances, one gets each period; the others are told false.
Result<bool> ClaimPeriodic(Connection& c, std::string_view job, Instant now, std::chrono::seconds every);

}  // namespace chamado::store
