#include "store/service_level.h"

#include <algorithm>
#include <boost/json.hpp>

#include "sla/escalation.h"
#include "store/automations.h"
#include "store/commands.h"
#include "store/rules.h"

namespace chamado::store {
namespace json = boost::json;
using namespace core;

Result<sla::TicketFacts> FactsFor(Repo& repo, const Ticket& t) {
  sla::TicketFacts f;
  f.priority = t.priority;
  f.channel = t.channel;
  f.category = t.category;
  f.tags = t.tags;
  if (t.organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.OrganizationPlanAndName(*t.organization_id));
    if (org) {
      f.plan = org->first;
      f.organization = org->second;
    }
  }
  return f;
}

Result<sla::Timeline> TimelineFor(Repo& repo, const Ticket& t) {
  sla::Timeline tl;
  tl.opened_at = t.created_at;
  // Every ticket opens new: only the changes after that are stored.
  tl.statuses.push_back({t.created_at, Status::kNew});
  CHAMADO_ASSIGN_OR_RETURN(auto statuses, repo.StatusHistory(t.number));
  for (const auto& s : statuses)
    if (!(s.at == t.created_at && s.status == Status::kNew)) tl.statuses.push_back({s.at, s.status});
  CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.PublicMessages(t.number));
  for (const auto& m : messages) tl.messages.push_back({m.at, m.by_staff, m.automatic});
  return tl;
}

namespace {

// The clocks at `now` from the ticket's history, with the verdicts of stopped clocks kept
// from `stored` (re-targeting applies to running clocks: a first response met under P2
// stays met when the ticket becomes P1).
std::vector<sla::Clock> Compute(const sla::Policy& policy, const sla::TicketFacts& facts, const sla::Timeline& timeline,
                                const std::vector<Repo::ClockRow>& stored, Instant now) {
  auto clocks = sla::ComputeClocks(policy, facts, timeline, now);
  for (auto& c : clocks) {
    if (!c.stopped_at) continue;
    for (const auto& row : stored) {
      if (row.target != c.target || row.cycle_start != c.started_at || row.stopped_at != c.stopped_at) continue;
      c.state = row.state == sla::ClockState::kBreached ? sla::ClockState::kBreached : sla::ClockState::kMet;
      c.within_text = row.within_text;
      c.within = row.within;
      c.calendar = row.calendar;
      c.used = row.used;
      c.breached_at = row.breached_at;
    }
  }
  return clocks;
}

Result<std::vector<Repo::ClockRow>> Refresh(Repo& repo, const sla::Policy& policy, const Ticket& t,
                                            const sla::TicketFacts& facts, const sla::Timeline& timeline,
                                            const std::vector<Repo::ClockRow>& stored, Instant now);

}  // namespace

Result<std::vector<sla::Clock>> ComputeTicketClocks(Repo& repo, const sla::Policy& policy, const Ticket& t, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsFor(repo, t));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.ClockRows(t.number));
  CHAMADO_ASSIGN_OR_RETURN(auto timeline, TimelineFor(repo, t));
  return Compute(policy, facts, timeline, stored, now);
}

std::optional<Instant> NextFire(const Repo::ClockRow& row) {
  std::optional<Instant> next;
  auto earlier = [&](Instant t) {
    if (!next || t < *next) next = t;
  };
  if (row.state == sla::ClockState::kRunning && row.warnings_fired < int(row.warn_at.size())) earlier(row.warn_at[size_t(row.warnings_fired)]);
  if (!row.breach_fired) {
    // A breach happens just after the due instant (a reply at the due instant is on time).
    if (row.breached_at) earlier(*row.breached_at + std::chrono::milliseconds(1));
    else if (row.state == sla::ClockState::kRunning && row.due_at) earlier(*row.due_at + std::chrono::milliseconds(1));
  }
  return next;
}

namespace {

// Clock rows from computed clocks, keeping what has fired in each current cycle.
std::vector<Repo::ClockRow> Rows(const std::vector<sla::Clock>& clocks, const std::vector<Repo::ClockRow>& stored,
                                 Id number, Instant now) {
  std::vector<Repo::ClockRow> rows;
  for (const auto& c : clocks) {
    Repo::ClockRow row;
    row.ticket_number = number;
    row.target = c.target;
    row.cycle_start = c.started_at;
    row.state = c.state;
    row.calendar = c.calendar;
    row.within_text = c.within_text;
    row.within = c.within;
    row.used = c.used;
    row.due_at = c.due_at;
    row.breached_at = c.breached_at;
    row.stopped_at = c.stopped_at;
    row.warn_at = c.warn_at;
    std::sort(row.warn_at.begin(), row.warn_at.end());
    row.computed_at = now;
    // What fired belongs to a cycle: a new next-response cycle starts afresh.
    for (const auto& old : stored) {
      if (old.target == row.target && old.cycle_start == row.cycle_start) {
        row.warnings_fired = old.warnings_fired;
        row.breach_fired = old.breach_fired;
      }
    }
    row.next_fire_at = NextFire(row);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The queue's "most pressing first" order: the earliest due of the running clocks.
std::optional<Instant> SlaDue(const std::vector<Repo::ClockRow>& rows) {
  std::optional<Instant> due;
  for (const auto& r : rows)
    if ((r.state == sla::ClockState::kRunning || r.state == sla::ClockState::kBreached) && r.due_at && !r.stopped_at && (!due || *r.due_at < *due))
      due = r.due_at;
  return due;
}

Result<std::vector<Repo::ClockRow>> Refresh(Repo& repo, const sla::Policy& policy, const Ticket& t,
                                            const sla::TicketFacts& facts, const sla::Timeline& timeline,
                                            const std::vector<Repo::ClockRow>& stored, Instant now) {
  auto rows = Rows(Compute(policy, facts, timeline, stored, now), stored, t.number, now);
  for (const auto& row : rows) {
    const bool unchanged = std::any_of(stored.begin(), stored.end(), [&](const auto& old) { return Repo::SameClock(row, old); });
    if (!unchanged) CHAMADO_TRY(repo.UpsertClock(row));
  }
  for (const auto& old : stored) {
    const bool kept = std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.target == old.target; });
    if (!kept) CHAMADO_TRY(repo.DeleteClock(t.number, old.target));  // no rule applies any more
  }
  CHAMADO_TRY(repo.SetSlaDue(t.number, SlaDue(rows)));
  // The automations' due instants derive from the same history.
  CHAMADO_TRY(RefreshAutomations(repo, policy, t, timeline.statuses));
  CHAMADO_TRY(RefreshRules(repo, policy, t, facts, timeline));
  return rows;
}

}  // namespace

Result<std::vector<Repo::ClockRow>> RefreshClocks(Repo& repo, const sla::Policy& policy, const Ticket& t, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsFor(repo, t));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.ClockRows(t.number));
  CHAMADO_ASSIGN_OR_RETURN(auto timeline, TimelineFor(repo, t));
  return Refresh(repo, policy, t, facts, timeline, stored, now);
}

Result<StartedClocks> StartClocks(Repo& repo, const sla::Policy& policy, const Ticket& t, bool automatic, Instant now) {
  StartedClocks out;
  CHAMADO_ASSIGN_OR_RETURN(out.facts, FactsFor(repo, t));
  out.timeline.opened_at = t.created_at;
  out.timeline.statuses.push_back({t.created_at, t.status});
  out.timeline.messages.push_back({t.created_at, false, automatic});
  out.rows = Rows(Compute(policy, out.facts, out.timeline, {}, now), {}, t.number, now);
  out.sla_due = SlaDue(out.rows);
  return out;
}

Result<void> SaveStartedClocks(Repo& repo, StartedClocks& clocks, Id number) {
  for (auto& row : clocks.rows) row.ticket_number = number;
  return repo.InsertClocks(clocks.rows);
}

namespace {

// Email recipients of a notification: "assignee", "group", "requester" or an address.
Result<std::vector<std::string>> Recipients(Repo& repo, const Addressees& t, const std::vector<std::string>& who) {
  std::vector<std::string> out;
  auto add = [&](const std::string& e) {
    if (!e.empty() && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  };
  for (const auto& w : who) {
    if (w == "assignee") {
      if (t.assignee) {
        CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(*t.assignee));
        if (u && u->active) add(u->email);
      }
    } else if (w == "group") {
      if (t.group) {
        CHAMADO_ASSIGN_OR_RETURN(auto members, repo.GroupMembers(*t.group));
        for (Id m : members) {
          CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(m));
          if (u && u->active) add(u->email);
        }
      }
    } else if (w == "requester") {
      if (t.requester) {
        CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(*t.requester));
        if (u) add(u->email);
      }
    } else {
      add(w);
    }
  }
  return out;
}

std::string Payload(const char* event, const Ticket& t, const Repo::ClockRow& c) {
  json::object o{{"event", event},
                 {"ticket", t.number},
                 {"subject", t.subject},
                 {"priority", t.priority},
                 {"target", sla::Name(c.target)},
                 {"within", c.within_text},
                 {"due_at", c.due_at ? json::value(FormatIsoUtc(*c.due_at)) : json::value(nullptr)}};
  return json::serialize(o);
}

Result<void> Notify(Repo& repo, const Ticket& t, const std::vector<std::string>& who, const std::string& webhook,
                    const char* event, const Repo::ClockRow& c, Instant now) {
  return QueueNotifications(repo, t, who, webhook, event, Payload(event, t, c), now);
}

}  // namespace

std::optional<Instant> ExpectedResolution(sla::Target target, sla::ClockState state, std::optional<Instant> due,
                                          const std::string& calendar, const sla::Policy& policy) {
  if (target != sla::Target::kResolution || (state != sla::ClockState::kRunning && state != sla::ClockState::kBreached) ||
      !due)
    return std::nullopt;
  auto it = policy.calendars.find(calendar);
  return it == policy.calendars.end() ? *due : it->second->DisplayDue(*due);
}

std::optional<Instant> ExpectedResolution(const std::vector<sla::Clock>& clocks, const sla::Policy& policy) {
  for (const auto& c : clocks)
    if (auto at = ExpectedResolution(c.target, c.state, c.due_at, c.calendar, policy)) return at;
  return std::nullopt;
}

Result<void> QueueNotifications(Repo& repo, const Addressees& to, Id ticket_number, const std::vector<std::string>& who,
                                const std::string& webhook, const std::string& event, const std::string& payload, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto emails, Recipients(repo, to, who));
  for (const auto& e : emails) CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kEmail, e, ticket_number, event, payload, now}));
  if (!webhook.empty()) CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kWebhook, webhook, ticket_number, event, payload, now}));
  return Ok();
}

Result<void> QueueNotifications(Repo& repo, const Ticket& t, const std::vector<std::string>& who, const std::string& webhook,
                                const std::string& event, const std::string& payload, Instant now) {
  return QueueNotifications(repo, Addressees{t.assignee_id, t.group_id, t.requester_id}, t.number, who, webhook, event, payload, now);
}

Result<bool> EscalationAvailable(Repo& repo, const sla::Policy& policy, const Ticket& t, std::string* why) {
  auto no = [&](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsFor(repo, t));
  const auto* plan = policy.FindPlan(facts.plan);
  if (!plan || !plan->customer_escalation)
    return no("Your plan does not include escalation requests; write on the ticket and support will review its priority.");
  if (t.status == Status::kSolved || t.status == Status::kClosed)
    return no("Ticket #" + std::to_string(t.number) + " is " + std::string(Name(t.status)) + "; reply to reopen it, or open a new ticket.");
  CHAMADO_ASSIGN_OR_RETURN(auto asked, repo.LastEventAt(t.number, "ticket.escalation_requested"));
  if (asked) {
    CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.PublicMessages(t.number));
    const bool answered = std::any_of(messages.begin(), messages.end(),
                                      [&](const auto& m) { return m.by_staff && !m.automatic && m.at > *asked; });
    if (!answered)
      return no("You asked for escalation at " + FormatIsoUtc(*asked) + "; the team answers that request before a new one.");
  }
  return true;
}


namespace {

// The warnings due on a running clock, each once.
Result<int> FireWarnings(Repo& repo, const Ticket& t, Repo::ClockRow& row, Instant now) {
  int fired = 0;
  while (row.state == sla::ClockState::kRunning && row.warnings_fired < int(row.warn_at.size()) &&
         row.warn_at[size_t(row.warnings_fired)] <= now) {
    const std::string due = row.due_at ? FormatIsoUtc(*row.due_at) : "";
    CHAMADO_TRY(repo.InsertEvents({{"sla.warning", t.number, 0, now,
                                    {{"target", "", std::string(sla::Name(row.target))}, {"due_at", "", due}}, 0}},
                                  t.number, 0));
    CHAMADO_TRY(Notify(repo, t, {"assignee", "group"}, "", "sla.warning", row, now));
    ++row.warnings_fired;
    ++fired;
  }
  return fired;
}

// Carries out one escalation step (sla::EscalationsForBreach decides them); `t` follows the
// ticket's changes.
Result<void> Escalate(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const sla::EscalationStep& step,
                      const Repo::ClockRow& row, Ticket& t, Instant now) {
  if (step.changes_ticket()) {
    ChangeTicketRequest req;
    req.patch.priority = step.priority;
    if (!step.group.empty()) {
      CHAMADO_ASSIGN_OR_RETURN(auto g, repo.FindGroupByName(step.group));
      if (g) req.group_id = std::optional<Id>(g->id);
    }
    CHAMADO_ASSIGN_OR_RETURN(t, ChangeTicketCommand(repo, policy, masker, SystemUser(), t.number, std::move(req), now));
  }
  if (step.mark_escalated) {
    t.escalation_level += 1;
    CHAMADO_TRY(repo.UpdateTicket(t, policy.catalog));
    CHAMADO_TRY(repo.InsertEvents({{"ticket.escalated", t.number, 0, now,
                                    {{"escalation_level", std::to_string(t.escalation_level - 1), std::to_string(t.escalation_level)},
                                     {"reason", "", "sla breach: " + std::string(sla::Name(row.target))}}, 0}},
                                  t.number, 0));
  }
  return Notify(repo, t, step.notify, step.webhook, "sla.breached", row, now);
}

// The breach of a clock, once, with its escalations. True when one changed the ticket's
// priority or group (its clocks then re-target).
Result<bool> FireBreach(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const sla::TicketFacts& facts,
                        Repo::ClockRow& row, Ticket& t, Instant now) {
  row.breach_fired = true;
  // Recorded before the escalation acts: the actions recompute the clocks from storage.
  row.next_fire_at = NextFire(row);
  CHAMADO_TRY(repo.UpsertClock(row));
  CHAMADO_TRY(repo.InsertEvents({{"sla.breached", t.number, 0, now,
                                  {{"target", "", std::string(sla::Name(row.target))}, {"due_at", "", FormatIsoUtc(*row.breached_at)}}, 0}},
                                t.number, 0));
  const bool active = t.status != Status::kSolved && t.status != Status::kClosed;
  bool retargeted = false;
  for (const auto& step : sla::EscalationsForBreach(policy, row.target, facts, active)) {
    CHAMADO_TRY(Escalate(repo, policy, masker, step, row, t, now));
    retargeted = retargeted || step.changes_ticket();
  }
  return retargeted;
}

}  // namespace

Result<Fired> FireDue(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, Id number, Instant now) {
  Fired fired;
  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(number));
  if (!ticket) return fired;
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsFor(repo, *ticket));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.ClockRows(number));
  CHAMADO_ASSIGN_OR_RETURN(auto timeline, TimelineFor(repo, *ticket));
  CHAMADO_ASSIGN_OR_RETURN(auto rows, Refresh(repo, policy, *ticket, facts, timeline, stored, now));
  Ticket t = std::move(*ticket);
  bool retargeted = false;
  for (auto& row : rows) {
    const Repo::ClockRow written = row;  // what Refresh left in the store
    CHAMADO_ASSIGN_OR_RETURN(const int warnings, FireWarnings(repo, t, row, now));
    fired.warnings += warnings;
    if (!row.breach_fired && row.breached_at && *row.breached_at < now) {
      ++fired.breaches;
      CHAMADO_ASSIGN_OR_RETURN(const bool changed, FireBreach(repo, policy, masker, facts, row, t, now));
      retargeted = retargeted || changed;
    }
    row.next_fire_at = NextFire(row);
    if (!Repo::SameClock(row, written)) CHAMADO_TRY(repo.UpsertClock(row));
  }
  // An escalation changed the priority or the group: the clocks re-target, keeping what fired
  // (the rows above were written after the change, from the state before it).
  if (retargeted) CHAMADO_TRY(RefreshClocks(repo, policy, t, now));
  return fired;
}

}  // namespace chamado::store
