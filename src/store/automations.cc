#include "store/automations.h"

#include "core/ticket.h"
#include "sla/automation.h"
#include "store/mail_out.h"
#include "store/service_level.h"

namespace chamado::store {
using namespace core;

namespace {

// The row of `schedule`, keeping the reminder when `stored` is of the same waiting period.
Repo::AutomationRow RowFor(Id number, const sla::AutoCloseSchedule& schedule, const std::optional<Repo::AutomationRow>& stored) {
  Repo::AutomationRow row;
  row.ticket_number = number;
  row.rule = std::string(sla::kAutoClose);
  row.waiting_since = schedule.waiting_since;
  row.remind_at = schedule.remind_at;
  row.close_at = schedule.close_at;
  if (stored && stored->waiting_since == schedule.waiting_since) row.reminded_at = stored->reminded_at;
  row.next_fire_at = sla::NextAutoCloseFire(schedule, row.reminded_at.has_value());
  return row;
}

bool SameRow(const Repo::AutomationRow& a, const Repo::AutomationRow& b) {
  return a.waiting_since == b.waiting_since && a.remind_at == b.remind_at && a.close_at == b.close_at &&
         a.reminded_at == b.reminded_at && a.next_fire_at == b.next_fire_at;
}

Result<void> Remind(Repo& repo, const sla::AutoCloseRule& rule, const Ticket& t, Repo::AutomationRow row, Instant now) {
  CHAMADO_TRY(repo.InsertEvents({{"automation.reminded", t.number, 0, now,
                                  {{"rule", "", std::string(sla::kAutoClose)}, {"close_at", "", FormatIsoUtc(row.close_at)}}, 0}},
                                t.number, 0));
  CHAMADO_TRY(QueueAutomationMail(repo, t, "auto_close_reminder", rule.after_text, row.close_at, now));
  row.reminded_at = now;
  row.next_fire_at = row.close_at;
  return repo.UpsertAutomation(row);
}

Result<void> Close(Repo& repo, const sla::Policy& policy, const sla::AutoCloseRule& rule, const Ticket& t, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto closed, AutoCloseTicket(t, sla::kAutoClose, now));
  CHAMADO_TRY(repo.UpdateTicket(closed.ticket, policy.catalog));
  CHAMADO_TRY(repo.InsertStatusChange(t.number, now, closed.ticket.status));
  CHAMADO_TRY(repo.InsertEvents(closed.events, t.number, 0));
  // The clocks stop; the closed ticket no longer waits, so its row goes with this refresh.
  CHAMADO_TRY(RefreshClocks(repo, policy, closed.ticket, now));
  return QueueAutomationMail(repo, closed.ticket, "auto_closed", rule.after_text, std::nullopt, now);
}

}  // namespace

Result<void> RefreshAutomations(Repo& repo, const sla::Policy& policy, const Ticket& t,
                                const std::vector<sla::StatusChange>& statuses) {
  CHAMADO_ASSIGN_OR_RETURN(auto schedule, sla::ScheduleAutoClose(policy, statuses));
  if (!schedule) return repo.DeleteAutomation(t.number, sla::kAutoClose);
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.AutomationRowOf(t.number, sla::kAutoClose));
  const auto row = RowFor(t.number, *schedule, stored);
  if (stored && SameRow(*stored, row)) return Ok();
  return repo.UpsertAutomation(row);
}

Result<AutomationsFired> FireAutomations(Repo& repo, const sla::Policy& policy, Id number, Instant now) {
  AutomationsFired fired;
  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(number));
  if (!ticket) return fired;
  CHAMADO_ASSIGN_OR_RETURN(auto timeline, TimelineFor(repo, *ticket));
  CHAMADO_ASSIGN_OR_RETURN(auto schedule, sla::ScheduleAutoClose(policy, timeline.statuses));
  if (!schedule) {
    // The rule left the policy, or the ticket stopped waiting without a refresh: nothing to do.
    CHAMADO_TRY(repo.DeleteAutomation(number, sla::kAutoClose));
    return fired;
  }
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.AutomationRowOf(number, sla::kAutoClose));
  const auto row = RowFor(number, *schedule, stored);
  const auto& rule = *policy.automations.auto_close;
  switch (sla::AutoCloseDue(*schedule, row.reminded_at.has_value(), now)) {
    case sla::AutoCloseAction::kRemind:
      CHAMADO_TRY(Remind(repo, rule, *ticket, row, now));
      ++fired.reminders;
      break;
    case sla::AutoCloseAction::kClose:
      CHAMADO_TRY(Close(repo, policy, rule, *ticket, now));
      ++fired.closes;
      break;
    case sla::AutoCloseAction::kNothing:
      if (!stored || !SameRow(*stored, row)) CHAMADO_TRY(repo.UpsertAutomation(row));
      break;
  }
  return fired;
}

}  // namespace chamado::store
