// The reports aggregate of the repository (issue 14): the facts behind the support lead's
// figures, read over a period and a filter, and the tickets behind each figure (drill-down).
// Owns no table; reads tickets (with the clock facts V027 keeps on them), ticket_clocks
// (next_response), organizations and survey_answers. The arithmetic (means, percentiles,
// backlog) is core/report.h's; this only gathers.
//
// Each report reads the tickets whose event fell in the period [from, to): created (by
// channel, backlog), first answered (first-response time), solved (resolution time, by
// channel, outcomes, satisfaction), or whose SLA clock was decided (met at its stop,
// breached at the instant it was passed). Instants are UTC; durations milliseconds.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

// Which tickets a report reads, besides the event's period.
struct ReportFilter {
  Instant from, to;                       // the period [from, to), UTC
  std::string plan;                       // the organization's plan key; empty: any
  std::string priority;                   // a priority's name; empty: any
  std::optional<core::Id> group_id;       // the ticket's group
  std::optional<core::Id> agent_id;       // the ticket's assignee
  std::optional<core::Id> organization_id;
};

// The tickets behind one figure: the report's event in the period, narrowed by the
// figure's own keys (a channel, a resolution, a clock's target and state, a rating).
enum class DrillSet { kCreated, kFirstResponded, kSolved, kClocks, kBacklog, kRated };
std::string_view Name(DrillSet s);
std::optional<DrillSet> ParseDrillSet(std::string_view s);

struct Drill {
  DrillSet set = DrillSet::kCreated;
  std::optional<core::Channel> channel;        // created, solved
  std::optional<std::string> resolution;       // solved: a resolution's name, or "none"
  std::optional<sla::Target> target;           // clocks: required
  std::optional<sla::ClockState> state;        // clocks: met or breached; both when unset
  std::optional<int> rating;                   // rated: 1-5; any answer when unset
  std::optional<Instant> at;                   // backlog (required): open at this instant
};

class ReportRepo {
 public:
  explicit ReportRepo(Connection& c) : c_(c) {}

  // One ticket's time to its first response or its solve.
  struct TimedTicket {
    std::string priority;
    int priority_rank = 0;
    int64_t calendar_ms = 0;               // from creation, wall-clock time
    std::optional<int64_t> business_ms;    // the target's clock, in its calendar's business time;
                                           // none when no rule set that target or it was exempt
  };
  // First responses (`target` first_response) or solves (resolution) in the period.
  Result<std::vector<TimedTicket>> TimesTo(sla::Target target, const ReportFilter& f);

  // Decided clocks of one target and priority.
  struct ClockCount {
    sla::Target target = sla::Target::kResolution;
    std::string priority;
    int priority_rank = 0;
    int64_t met = 0, breached = 0;
  };
  // By target, then priority (most urgent first).
  Result<std::vector<ClockCount>> DecidedClocks(const ReportFilter& f);

  // How many tickets matched, per key (a channel, a resolution ("" for none), a rating).
  struct KeyCount {
    std::string key;
    int64_t count = 0;
  };
  Result<std::vector<KeyCount>> CreatedByChannel(const ReportFilter& f);
  Result<std::vector<KeyCount>> SolvedByChannel(const ReportFilter& f);
  Result<std::vector<KeyCount>> SolvedByResolution(const ReportFilter& f);
  // Survey answers on the tickets solved in the period, by rating "1".."5".
  Result<std::vector<KeyCount>> RatingsOfSolved(const ReportFilter& f);

  // The backlog's facts: tickets open at `from`, and those created and solved on each UTC day
  // of the period (index 0 is the day `from` is in, as core::DayIndex counts).
  struct BacklogFacts {
    int64_t open_before = 0;
    std::vector<int64_t> created, solved;
  };
  Result<BacklogFacts> BacklogOf(const ReportFilter& f, size_t days);

  // The tickets behind a figure, newest first (by number), a page at a time.
  Result<Paged<core::Id>> DrillTickets(const ReportFilter& f, const Drill& d, const Page& page);

  // The desk as /metrics shows it (docs/metrics.md), read at `now`.
  struct Gauges {
    struct Count {
      std::string a, b;  // the labels' values (status and priority; target and state; ...)
      int64_t count = 0;
    };
    std::vector<Count> tickets;         // status, priority
    std::vector<Count> clocks;          // target, state, as last computed
    std::vector<Count> overdue_clocks;  // target, "": running clocks whose due has passed, not yet marked breached
    struct Outbox {
      std::string kind;
      int64_t pending = 0;
      std::optional<Instant> oldest;    // the oldest pending notification's creation
    };
    std::vector<Outbox> outbox;
    std::vector<Count> mail;            // outcome, "": inbound mail kept, by what became of it
    std::optional<Instant> earliest_due;  // the earliest scheduler work due (clock warnings and breaches, automations)
  };
  Result<Gauges> ReadGauges(Instant now);

 private:
  Connection& c_;
};

}  // namespace chamado::store
