#include "store/repo_automations.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {

Result<AutomationRepo::AutomationRow> ReadAutomation(const RowView& r) {
  AutomationRepo::AutomationRow a;
  a.ticket_number = r.Int(0);
  a.rule = r.Str(1);
  a.waiting_since = FromUnixMillis(r.Int(2));
  a.remind_at = OptInstant(r, 3);
  a.close_at = FromUnixMillis(r.Int(4));
  a.reminded_at = OptInstant(r, 5);
  a.next_fire_at = FromUnixMillis(r.Int(6));
  return a;
}

}  // namespace

Result<std::optional<AutomationRepo::AutomationRow>> AutomationRepo::AutomationRowOf(Id ticket_number, std::string_view rule) {
  return One(c_,
             "SELECT ticket_number, rule, waiting_since, remind_at, close_at, reminded_at, next_fire_at "
             "FROM ticket_automations WHERE ticket_number = $1 AND rule = $2",
             {ticket_number, rule}, ReadAutomation);
}

Result<void> AutomationRepo::UpsertAutomation(const AutomationRow& a) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO ticket_automations (ticket_number, rule, waiting_since, remind_at, close_at, reminded_at, next_fire_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (ticket_number, rule) DO UPDATE SET waiting_since = excluded.waiting_since, "
      "remind_at = excluded.remind_at, close_at = excluded.close_at, reminded_at = excluded.reminded_at, "
      "next_fire_at = excluded.next_fire_at",
      {a.ticket_number, a.rule, ToUnixMillis(a.waiting_since), OptMillis(a.remind_at), ToUnixMillis(a.close_at),
       OptMillis(a.reminded_at), ToUnixMillis(a.next_fire_at)}));
  return Ok();
}

Result<void> AutomationRepo::DeleteAutomation(Id ticket_number, std::string_view rule) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_automations WHERE ticket_number = $1 AND rule = $2", {ticket_number, rule}));
  return Ok();
}

Result<std::vector<Id>> AutomationRepo::DueAutomationTickets(Instant now, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT DISTINCT ticket_number FROM (SELECT ticket_number, next_fire_at FROM ticket_automations "
                     "WHERE next_fire_at <= $1 ORDER BY next_fire_at LIMIT $2) AS due",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Instant>> AutomationRepo::NextAutomationFire() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT min(next_fire_at) FROM ticket_automations", {}, [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

Result<std::vector<AutomationRepo::RuleRow>> AutomationRepo::RuleRowsOf(Id ticket_number) {
  std::vector<RuleRow> out;
  CHAMADO_TRY(c_.Run("SELECT ticket_number, rule, anchor, due_at, fired_at FROM ticket_rules WHERE ticket_number = $1",
                     {ticket_number}, [&](const RowView& r) {
                       out.push_back({r.Int(0), r.Str(1), FromUnixMillis(r.Int(2)), OptInstant(r, 3), OptInstant(r, 4)});
                     }));
  return out;
}

Result<void> AutomationRepo::UpsertRuleRow(const RuleRow& row) {
  CHAMADO_TRY(c_.Run("INSERT INTO ticket_rules (ticket_number, rule, anchor, due_at, fired_at) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (ticket_number, rule) DO UPDATE SET anchor = excluded.anchor, due_at = excluded.due_at, "
                     "fired_at = excluded.fired_at",
                     {row.ticket_number, row.rule, ToUnixMillis(row.anchor), OptMillis(row.due_at), OptMillis(row.fired_at)}));
  return Ok();
}

Result<void> AutomationRepo::DeleteRuleRow(Id ticket_number, std::string_view rule) {
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_rules WHERE ticket_number = $1 AND rule = $2", {ticket_number, rule}));
  return Ok();
}

Result<std::vector<Id>> AutomationRepo::DueRuleTickets(Instant now, int limit) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT DISTINCT ticket_number FROM (SELECT ticket_number, due_at FROM ticket_rules "
                     "WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at LIMIT $2) AS due",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Instant>> AutomationRepo::NextRuleFire() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT min(due_at) FROM ticket_rules WHERE due_at IS NOT NULL", {},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

}  // namespace chamado::store
