#include "store/repo_clocks.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {
std::string JoinInstants(const std::vector<Instant>& v) {
  std::string out;
  for (const auto& t : v) {
    if (!out.empty()) out += ' ';
    out += std::to_string(ToUnixMillis(t));
  }
  return out;
}
std::vector<Instant> SplitInstants(std::string_view s) {
  std::vector<Instant> out;
  for (const auto& part : SplitSpaces(s)) out.push_back(FromUnixMillis(std::stoll(part)));
  return out;
}

constexpr std::string_view kClockColumns =
    "ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, due_at, breached_at, "
    "stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at";

Result<ClockRepo::ClockRow> ReadClock(const RowView& r) {
  ClockRepo::ClockRow c;
  c.ticket_number = r.Int(0);
  CHAMADO_ASSIGN_OR_RETURN(c.target, StoredName(r, 1, "ticket_clocks.target", sla::ParseTarget));
  c.cycle_start = FromUnixMillis(r.Int(2));
  CHAMADO_ASSIGN_OR_RETURN(c.state, StoredName(r, 3, "ticket_clocks.state", sla::ParseClockState));
  c.calendar = r.Str(4);
  c.within_text = r.Str(5);
  c.within = std::chrono::milliseconds(r.Int(6));
  c.used = std::chrono::milliseconds(r.Int(7));
  c.due_at = OptInstant(r, 8);
  c.breached_at = OptInstant(r, 9);
  c.stopped_at = OptInstant(r, 10);
  c.warn_at = SplitInstants(r.Text(11));
  c.warnings_fired = int(r.Int(12));
  c.breach_fired = r.Int(13) != 0;
  c.next_fire_at = OptInstant(r, 14);
  c.computed_at = FromUnixMillis(r.Int(15));
  return c;
}
}  // namespace

Result<std::vector<ClockRepo::ClockRow>> ClockRepo::ClockRows(Id ticket_number) {
  return All(c_, Sql("SELECT ", kClockColumns, " FROM ticket_clocks WHERE ticket_number = $1 ORDER BY target"),
             {ticket_number}, ReadClock);
}

Result<std::vector<ClockRepo::ClockRow>> ClockRepo::ClockRowsFor(const std::vector<Id>& numbers) {
  if (numbers.empty()) return std::vector<ClockRow>();
  std::string sql = Sql("SELECT ", kClockColumns, " FROM ticket_clocks WHERE ticket_number IN (");
  std::vector<Param> params;
  for (Id n : numbers) {
    if (!params.empty()) sql += ", ";
    params.emplace_back(n);
    sql += "$" + std::to_string(params.size());
  }
  sql += ") ORDER BY ticket_number, target";
  return All(c_, sql, params, ReadClock);
}

Result<void> ClockRepo::UpsertClock(const ClockRow& c) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, "
      "due_at, breached_at, stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
      "ON CONFLICT (ticket_number, target) DO UPDATE SET cycle_start = excluded.cycle_start, state = excluded.state, "
      "calendar = excluded.calendar, within_text = excluded.within_text, within_ms = excluded.within_ms, "
      "used_ms = excluded.used_ms, due_at = excluded.due_at, breached_at = excluded.breached_at, "
      "stopped_at = excluded.stopped_at, warn_at = excluded.warn_at, warnings_fired = excluded.warnings_fired, "
      "breach_fired = excluded.breach_fired, next_fire_at = excluded.next_fire_at, computed_at = excluded.computed_at",
      {c.ticket_number, sla::Name(c.target), ToUnixMillis(c.cycle_start), sla::Name(c.state), c.calendar, c.within_text,
       c.within.count(), c.used.count(), OptMillis(c.due_at), OptMillis(c.breached_at), OptMillis(c.stopped_at), JoinInstants(c.warn_at), c.warnings_fired,
       c.breach_fired, OptMillis(c.next_fire_at), ToUnixMillis(c.computed_at)}));
  return Ok();
}

Result<void> ClockRepo::InsertClocks(const std::vector<ClockRow>& rows) {
  if (rows.empty()) return Ok();
  std::string sql =
      "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, "
      "due_at, breached_at, stopped_at, warn_at, warnings_fired, breach_fired, next_fire_at, computed_at) VALUES ";
  std::vector<Param> params;
  std::vector<std::string> warn;  // keeps the text alive for the params
  warn.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& c = rows[i];
    warn.push_back(JoinInstants(c.warn_at));
    sql += i ? ", (" : "(";
    for (int k = 0; k < 16; ++k) sql += (k ? ", $" : "$") + std::to_string(params.size() + size_t(k) + 1);
    sql += ")";
    for (Param p : {Param(c.ticket_number), Param(sla::Name(c.target)), Param(ToUnixMillis(c.cycle_start)),
                    Param(sla::Name(c.state)), Param(c.calendar), Param(c.within_text), Param(c.within.count()),
                    Param(c.used.count()), Param(OptMillis(c.due_at)),
                    Param(OptMillis(c.breached_at)), Param(OptMillis(c.stopped_at)), Param(warn.back()),
                    Param(c.warnings_fired), Param(c.breach_fired), Param(OptMillis(c.next_fire_at)),
                    Param(ToUnixMillis(c.computed_at))})
      params.push_back(p);
  }
  CHAMADO_TRY(c_.RunDynamic(sql, params));
  return Ok();
}

Result<void> ClockRepo::DeleteClock(Id ticket_number, sla::Target target) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_clocks WHERE ticket_number = $1 AND target = $2", {ticket_number, sla::Name(target)}));
  return Ok();
}

Result<std::vector<Id>> ClockRepo::DueClockTickets(Instant now, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT DISTINCT ticket_number FROM (SELECT ticket_number, next_fire_at FROM ticket_clocks "
                     "WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2) AS due",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Instant>> ClockRepo::NextClockFire() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT min(next_fire_at) FROM ticket_clocks WHERE next_fire_at IS NOT NULL", {},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

}  // namespace chamado::store
