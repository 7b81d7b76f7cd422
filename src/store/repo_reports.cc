#include "store/repo_reports.h"

#include <deque>
#include <limits>

#include "core/report.h"
#include "sla/clocks.h"
#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {

constexpr DrillSet kDrillSets[] = {DrillSet::kCreated, DrillSet::kFirstResponded, DrillSet::kSolved,
                                   DrillSet::kClocks,  DrillSet::kBacklog,        DrillSet::kRated};
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

// The instant a next_response clock's outcome became known: the very expression of the index
// ticket_clocks_decided (V027), with its partial condition, so the planner can use it.
constexpr std::string_view kDecidedAt = "(CASE WHEN c.state = 'breached' THEN c.breached_at ELSE c.stopped_at END)";
constexpr std::string_view kDecided =
    "c.state IN ('met', 'breached') AND (CASE WHEN c.state = 'breached' THEN c.breached_at ELSE c.stopped_at END)";

// A WHERE clause over `tickets t` built with its parameters: the filter's conditions, then
// whatever the report adds.
class Where {
 public:
  // The unary + keeps the planner on the period's covering index (V027), which holds these
  // columns: left to itself it takes the organization's, group's or assignee's index and
  // reads every ticket they ever had, row by row (0.8 s for a week of one plan, against a few
  // milliseconds).
  explicit Where(const ReportFilter& f) {
    if (!f.plan.empty()) Add("+t.organization_id IN (SELECT id FROM organizations WHERE plan = ", f.plan, ")");
    if (!f.priority.empty()) Add("t.priority = ", f.priority);
    if (f.group_id) Add("+t.group_id = ", *f.group_id);
    if (f.agent_id) Add("+t.assignee_id = ", *f.agent_id);
    if (f.organization_id) Add("+t.organization_id = ", *f.organization_id);
  }
  // `column` in [from, to).
  Where& In(std::string_view column, const ReportFilter& f) {
    Add(Sql(column, " >= "), ToUnixMillis(f.from));
    return Add(Sql(column, " < "), ToUnixMillis(f.to));
  }
  Where& Add(std::string_view before, Param value, std::string_view after = {}) {
    keep_.emplace_back(value.kind() == Param::Kind::kText ? std::string(value.text()) : std::string());
    params_.push_back(value.kind() == Param::Kind::kText ? Param(keep_.back()) : value);
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += before;
    sql_ += "$" + std::to_string(params_.size());
    sql_ += after;
    return *this;
  }
  Where& Raw(std::string_view condition) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
    return *this;
  }
  const std::string& sql() const { return sql_; }
  const std::vector<Param>& params() const { return params_; }

 private:
  std::string sql_;
  std::vector<Param> params_;
  std::deque<std::string> keep_;  // text parameters point into these; a deque never moves them
};

// Tickets whose `event` fell in the period, counted per `key` (an expression; NULL counts as "").
Result<std::vector<ReportRepo::KeyCount>> CountBy(Connection& c, const ReportFilter& f, std::string_view event, std::string_view key,
                                                  std::string_view join = {}) {
  Where w(f);
  w.In(event, f);
  const std::string sql = Sql(Sql("SELECT ", key, ", count(*) FROM tickets t"), join, Sql(w.sql(), " GROUP BY 1 ORDER BY 1"));
  std::vector<ReportRepo::KeyCount> out;
  CHAMADO_TRY(c.RunDynamic(sql, w.params(), [&](const RowView& r) {
    out.push_back({r.IsNull(0) ? std::string() : r.Str(0), r.Int(1)});
  }));
  return out;
}

Result<int64_t> Count(Connection& c, const std::string& sql, const Where& w) {
  int64_t n = 0;
  CHAMADO_TRY(c.RunDynamic(sql, w.params(), [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

}  // namespace

std::string_view Name(DrillSet s) {
  switch (s) {
    case DrillSet::kCreated: return "created";
    case DrillSet::kFirstResponded: return "first_responded";
    case DrillSet::kSolved: return "solved";
    case DrillSet::kClocks: return "clocks";
    case DrillSet::kBacklog: return "backlog";
    case DrillSet::kRated: return "rated";
  }
  return "created";
}

std::optional<DrillSet> ParseDrillSet(std::string_view s) { return ParseIn(kDrillSets, s); }

Result<std::vector<ReportRepo::TimedTicket>> ReportRepo::TimesTo(sla::Target target, const ReportFilter& f) {
  const bool first = target == sla::Target::kFirstResponse;
  const std::string_view event = first ? "t.first_response_at" : "t.solved_at";
  Where w(f);
  w.In(event, f);
  // The business time is the target's clock's, kept on the ticket (V027) once it stopped.
  const std::string sql = Sql(Sql("SELECT t.priority, t.priority_rank, ", event, " - t.created_at, "),
                              first ? "t.first_response_business_ms" : "t.resolution_business_ms", Sql(" FROM tickets t", w.sql()));
  std::vector<TimedTicket> out;
  CHAMADO_TRY(c_.RunDynamic(sql, w.params(), [&](const RowView& r) {
    out.push_back({r.Str(0), int(r.Int(1)), r.Int(2), r.OptInt(3)});
  }));
  return out;
}

Result<std::vector<ReportRepo::ClockCount>> ReportRepo::DecidedClocks(const ReportFilter& f) {
  std::vector<ClockCount> out;
  for (sla::Target target : sla::kTargets) {
    Where w(f);
    std::string sql;
    if (target == sla::Target::kNextResponse) {
      // Its cycles live in ticket_clocks alone.
      w.Add(Sql(kDecided, " >= "), ToUnixMillis(f.from)).Add(Sql(kDecidedAt, " < "), ToUnixMillis(f.to)).Raw("c.target = 'next_response'");
      sql = Sql("SELECT t.priority_rank, max(t.priority), sum(CASE WHEN c.state = 'met' THEN 1 ELSE 0 END), "
                "sum(CASE WHEN c.state = 'breached' THEN 1 ELSE 0 END) FROM ticket_clocks c JOIN tickets t ON t.number = c.ticket_number",
                w.sql(), " GROUP BY t.priority_rank ORDER BY t.priority_rank");
    } else {
      const std::string prefix = target == sla::Target::kFirstResponse ? "t.first_response" : "t.resolution";
      w.In(prefix + "_decided_at", f);
      // By rank alone (a policy names each rank once): a third faster than by rank and name.
      sql = Sql(Sql("SELECT t.priority_rank, max(t.priority), sum(CASE WHEN ", prefix, "_outcome = 'met' THEN 1 ELSE 0 END), "),
                Sql("sum(CASE WHEN ", prefix, "_outcome = 'breached' THEN 1 ELSE 0 END) FROM tickets t"),
                Sql(w.sql(), " GROUP BY t.priority_rank ORDER BY t.priority_rank"));
    }
    CHAMADO_TRY(c_.RunDynamic(sql, w.params(), [&](const RowView& r) {
      out.push_back({target, r.Str(1), int(r.Int(0)), r.Int(2), r.Int(3)});
    }));
  }
  return out;
}

Result<std::vector<ReportRepo::KeyCount>> ReportRepo::CreatedByChannel(const ReportFilter& f) {
  return CountBy(c_, f, "t.created_at", "t.channel");
}

Result<std::vector<ReportRepo::KeyCount>> ReportRepo::SolvedByChannel(const ReportFilter& f) {
  return CountBy(c_, f, "t.solved_at", "t.channel");
}

Result<std::vector<ReportRepo::KeyCount>> ReportRepo::SolvedByResolution(const ReportFilter& f) {
  return CountBy(c_, f, "t.solved_at", "t.resolution");
}

Result<std::vector<ReportRepo::KeyCount>> ReportRepo::RatingsOfSolved(const ReportFilter& f) {
  return CountBy(c_, f, "t.solved_at", "CAST(a.rating AS TEXT)", " JOIN survey_answers a ON a.ticket_number = t.number");
}

Result<ReportRepo::BacklogFacts> ReportRepo::BacklogOf(const ReportFilter& f, size_t days) {
  BacklogFacts out;
  out.created.assign(days, 0);
  out.solved.assign(days, 0);
  // Open at `from`: created before it, less solved before it (a ticket is solved after it was
  // created, so every one solved before `from` was also created before it).
  Where created_before(f);
  created_before.Add("t.created_at < ", ToUnixMillis(f.from));
  CHAMADO_ASSIGN_OR_RETURN(const int64_t created, Count(c_, Sql("SELECT count(*) FROM tickets t", created_before.sql()), created_before));
  Where solved_before(f);
  solved_before.Add("t.solved_at < ", ToUnixMillis(f.from));
  CHAMADO_ASSIGN_OR_RETURN(const int64_t solved, Count(c_, Sql("SELECT count(*) FROM tickets t", solved_before.sql()), solved_before));
  out.open_before = created - solved;
  const int64_t day0 = ToUnixMillis(f.from) - ToUnixMillis(f.from) % kDayMs;
  auto per_day = [&](std::string_view column, std::vector<int64_t>& into) -> Result<void> {
    Where w(f);
    w.In(column, f);
    const std::string sql = Sql(Sql("SELECT (", column, " - "), std::to_string(day0) + ") / " + std::to_string(kDayMs),
                                Sql(", count(*) FROM tickets t", w.sql(), " GROUP BY 1"));
    CHAMADO_TRY(c_.RunDynamic(sql, w.params(), [&](const RowView& r) {
      const int64_t d = r.Int(0);
      if (d >= 0 && d < int64_t(into.size())) into[size_t(d)] += r.Int(1);
    }));
    return Ok();
  };
  CHAMADO_TRY(per_day("t.created_at", out.created));
  CHAMADO_TRY(per_day("t.solved_at", out.solved));
  return out;
}

Result<Paged<Id>> ReportRepo::DrillTickets(const ReportFilter& f, const Drill& d, const Page& page) {
  if (d.set == DrillSet::kClocks && !d.target)
    return Error::Invalid("target", "The tickets of clocks need the clocks' target: first_response, next_response or resolution.");
  CHAMADO_ASSIGN_OR_RETURN(const int64_t after, AfterKey(page, std::numeric_limits<int64_t>::max()));
  Where w(f);
  std::string from = "FROM tickets t";
  switch (d.set) {
    case DrillSet::kCreated: w.In("t.created_at", f); break;
    case DrillSet::kFirstResponded: w.In("t.first_response_at", f); break;
    case DrillSet::kSolved: w.In("t.solved_at", f); break;
    case DrillSet::kRated:
      w.In("t.solved_at", f);
      from += " JOIN survey_answers a ON a.ticket_number = t.number";
      if (d.rating) w.Add("a.rating = ", *d.rating);
      break;
    case DrillSet::kClocks:
      if (d.target == sla::Target::kNextResponse) {
        from += " JOIN ticket_clocks c ON c.ticket_number = t.number";
        w.Add(Sql(kDecided, " >= "), ToUnixMillis(f.from)).Add(Sql(kDecidedAt, " < "), ToUnixMillis(f.to)).Raw("c.target = 'next_response'");
        if (d.state) w.Add("c.state = ", sla::Name(*d.state));
      } else {
        const std::string prefix = d.target == sla::Target::kFirstResponse ? "t.first_response" : "t.resolution";
        w.In(prefix + "_decided_at", f);
        if (d.state) w.Add(prefix + "_outcome = ", sla::Name(*d.state));
      }
      break;
    case DrillSet::kBacklog: {
      const int64_t at = ToUnixMillis(d.at.value_or(f.to));
      w.Add("t.created_at < ", at).Add("(t.solved_at IS NULL OR t.solved_at >= ", at, ")");
      break;
    }
  }
  if (d.channel) w.Add("t.channel = ", Name(*d.channel));
  if (d.resolution) {
    if (*d.resolution == "none") w.Raw("t.resolution IS NULL");
    else w.Add("t.resolution = ", *d.resolution);
  }
  const int limit = Limit(page);
  w.Add("t.number < ", after);
  const std::string sql = Sql(Sql("SELECT t.number ", from), w.sql(), " ORDER BY t.number DESC LIMIT " + std::to_string(limit + 1));
  Paged<Id> out;
  CHAMADO_TRY(c_.RunDynamic(sql, w.params(), [&](const RowView& r) { out.items.push_back(r.Int(0)); }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = EncodeCursor({out.items.back()});
  }
  return out;
}

Result<ReportRepo::Gauges> ReportRepo::ReadGauges(Instant now) {
  Gauges g;
  auto counts = [&](std::string_view sql, std::vector<Gauges::Count>& into) -> Result<void> {
    CHAMADO_TRY(c_.Run(sql, {}, [&](const RowView& r) { into.push_back({r.Str(0), r.Str(1), r.Int(2)}); }));
    return Ok();
  };
  CHAMADO_TRY(counts("SELECT status, priority, count(*) FROM tickets GROUP BY status, priority ORDER BY status, priority", g.tickets));
  CHAMADO_TRY(counts("SELECT target, state, count(*) FROM ticket_clocks GROUP BY target, state ORDER BY target, state", g.clocks));
  // Stored states are as of the clock's last computation: a running clock whose due has passed
  // is breached but waits for the scheduler, its breach due to fire (ticket_clocks_next finds
  // them; grouping by `target || ''`, not by the column, keeps the planner off
  // ticket_clocks_target_state, a scan of every clock).
  CHAMADO_TRY(c_.Run("SELECT target || '', count(*) FROM ticket_clocks WHERE next_fire_at <= $1 AND state = 'running' "
                     "AND due_at < $1 GROUP BY target || '' ORDER BY 1",
                     {ToUnixMillis(now)}, [&](const RowView& r) { g.overdue_clocks.push_back({r.Str(0), "", r.Int(1)}); }));
  CHAMADO_TRY(c_.Run("SELECT kind, count(*), min(created_at) FROM outbox WHERE sent_at IS NULL GROUP BY kind ORDER BY kind", {},
                     [&](const RowView& r) { g.outbox.push_back({r.Str(0), r.Int(1), OptInstant(r, 2)}); }));
  CHAMADO_TRY(counts("SELECT outcome, '', count(*) FROM mail_ids WHERE direction = 'in' GROUP BY outcome ORDER BY outcome", g.mail));
  CHAMADO_TRY(c_.Run("SELECT min(d) FROM (SELECT min(next_fire_at) AS d FROM ticket_clocks WHERE next_fire_at IS NOT NULL "
                     "UNION ALL SELECT min(next_fire_at) FROM ticket_automations) AS due",
                     {}, [&](const RowView& r) { g.earliest_due = OptInstant(r, 0); }));
  return g;
}

}  // namespace chamado::store
