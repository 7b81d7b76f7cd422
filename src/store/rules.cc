#include "store/rules.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "store/commands.h"
#include "store/service_level.h"

namespace chamado::store {
using namespace core;
namespace json = boost::json;

namespace {

// DO NOT CHANGE: recorded in tickets' histories and read by the web UI.
constexpr std::string_view kFired = "automation.fired";
constexpr std::string_view kFailed = "automation.failed";

// A refusal the rule meets (a group that does not exist, a change the ticket does not take)
// is the rule's failure, recorded on the ticket; anything else (storage) is the caller's.
bool RulesFault(const Error& e) {
  return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kNotFound || e.code == ErrorCode::kConflict ||
         e.code == ErrorCode::kPermissionDenied;
}

Result<sla::RuleFacts> RuleFactsFor(Repo& repo, const sla::Policy& policy, const Ticket& t, const sla::TicketFacts& facts) {
  sla::RuleFacts f;
  f.facts = facts;
  f.status = t.status;
  f.assigned = t.assignee_id.has_value();
  const bool by_group = std::any_of(policy.automations.rules.begin(), policy.automations.rules.end(),
                                    [](const auto& r) { return !r.when.groups.empty(); });
  if (by_group && t.group_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(*t.group_id));
    if (g) f.group = AsciiLower(g->name);
  }
  return f;
}

json::object TextsJson(const Texts& texts) {
  json::object o;
  for (const auto& [language, text] : texts) o[language] = text;
  return o;
}

std::string Payload(const sla::AutomationRule& rule, const Ticket& t, Instant now) {
  json::object o{{"event", kFired},
                 {"rule", rule.name},
                 {"on", sla::Name(rule.on)},
                 {"ticket", t.number},
                 {"subject", t.subject},
                 {"status", Name(t.status)},
                 {"priority", t.priority},
                 {"at", FormatIsoUtc(now)}};
  return json::serialize(o);
}

Result<void> Record(Repo& repo, std::string_view kind, const sla::AutomationRule& rule, const Ticket& t, std::string reason,
                    Instant now) {
  std::vector<Change> changes{{"rule", "", rule.name}, {"on", "", std::string(sla::Name(rule.on))}};
  if (!reason.empty()) changes.push_back({"reason", "", std::move(reason)});
  return repo.InsertEvents({{std::string(kind), t.number, 0, now, std::move(changes), 0}}, t.number, 0);
}

// The rule's changes to the ticket's fields, with its group and agent looked up by name.
Result<ChangeTicketRequest> RequestFor(Repo& repo, const sla::RuleActions& a) {
  ChangeTicketRequest req;
  req.patch.status = a.status;
  if (a.resolution) req.patch.resolution = std::optional<Resolution>(*a.resolution);
  if (!a.priority.empty()) req.patch.priority = a.priority;
  req.patch.add_tags = a.add_tags;
  req.patch.remove_tags = a.remove_tags;
  if (!a.group.empty()) {
    CHAMADO_ASSIGN_OR_RETURN(auto g, repo.FindGroupByName(a.group));
    if (!g) return Error::NotFound("The group \"" + a.group + "\" does not exist; create it or change the rule.");
    req.group_id = std::optional<Id>(g->id);
  }
  if (a.unassign) req.assignee_id = std::optional<Id>();
  if (!a.assignee.empty()) {
    CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(a.assignee));
    if (!u || !IsStaff(u->role)) return Error::NotFound("No agent has the address " + a.assignee + "; add them or change the rule.");
    if (!u->active) return Error::Conflict(a.assignee + " is deactivated; reactivate them or change the rule.");
    req.assignee_id = std::optional<Id>(u->id);
  }
  return req;
}

// Fires `rule` on `t`: records it, changes the ticket, queues the notices. Returns the ticket
// as the rule leaves it.
Result<Ticket> Fire(Repo& repo, const sla::Policy& policy, const sla::AutomationRule& rule, Ticket t, Instant now,
                    RulesFired& count) {
  const auto& a = rule.actions;
  if (a.changes_ticket()) {
    auto changed = [&]() -> Result<Ticket> {
      CHAMADO_ASSIGN_OR_RETURN(auto req, RequestFor(repo, a));
      return ApplyTicketChange(repo, policy, SystemUser(), t, std::move(req), now, /*run_rules=*/false);
    }();
    if (!changed.ok()) {
      if (!RulesFault(changed.error())) return std::move(changed).error();
      ++count.failed;
      CHAMADO_TRY(Record(repo, kFailed, rule, t, changed.error().message, now));
      return t;
    }
    t = std::move(*changed);
  }
  ++count.fired;
  CHAMADO_TRY(Record(repo, kFired, rule, t, "", now));
  const std::string payload = Payload(rule, t, now);
  if (!a.notify.empty() || !a.webhook.empty())
    CHAMADO_TRY(QueueNotifications(repo, t, a.notify, a.webhook, std::string(kFired), payload, now));
  if (a.mail) {
    CHAMADO_ASSIGN_OR_RETURN(auto requester, repo.GetUser(t.requester_id));
    if (requester && !requester->email.empty()) {
      json::object o{{"template", "automation_mail"},
                     {"rule", rule.name},
                     {"subject", TextsJson(a.mail->subject)},
                     {"body", TextsJson(a.mail->body)}};
      CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kEmail, requester->email, t.number, "automation.mail", json::serialize(o), now}));
    }
  }
  return t;
}

// The row `rule` should have for the ticket now, given what is stored; nullopt: none.
Result<std::optional<Repo::RuleRow>> RowFor(const sla::Policy& policy, const sla::AutomationRule& rule, const Ticket& t,
                                            const sla::RuleFacts& facts, const sla::Timeline& timeline,
                                            const std::optional<Repo::RuleRow>& stored) {
  using Row = std::optional<Repo::RuleRow>;
  // Closed is final (a reply opens a follow-up): nothing waits on a closed ticket.
  if (t.status == Status::kClosed) return Row();
  auto anchor = sla::RuleAnchor(rule.since, timeline);
  if (!anchor) return Row();
  // Fired for this instant: it stays fired, whatever its conditions do now.
  if (stored && stored->anchor == *anchor && stored->fired_at) return stored;
  if (!sla::Matches(rule.when, facts)) return Row();
  CHAMADO_ASSIGN_OR_RETURN(auto due, sla::RuleDueAt(policy, rule, *anchor));
  return Row(Repo::RuleRow{t.number, rule.name, *anchor, due, std::nullopt});
}

const Repo::RuleRow* Find(const std::vector<Repo::RuleRow>& rows, std::string_view rule) {
  for (const auto& r : rows)
    if (r.rule == rule) return &r;
  return nullptr;
}

}  // namespace

Result<void> RefreshRules(Repo& repo, const sla::Policy& policy, const Ticket& t, const sla::TicketFacts& facts,
                          const sla::Timeline& timeline) {
  if (!policy.automations.HasTimeRules()) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.RuleRowsOf(t.number));
  CHAMADO_ASSIGN_OR_RETURN(auto rule_facts, RuleFactsFor(repo, policy, t, facts));
  for (const auto& rule : policy.automations.rules) {
    if (rule.on != sla::RuleTrigger::kTime) continue;
    const auto* old = Find(stored, rule.name);
    std::optional<Repo::RuleRow> before = old ? std::optional<Repo::RuleRow>(*old) : std::nullopt;
    CHAMADO_ASSIGN_OR_RETURN(auto row, RowFor(policy, rule, t, rule_facts, timeline, before));
    if (row == before) continue;
    if (row) CHAMADO_TRY(repo.UpsertRuleRow(*row));
    else CHAMADO_TRY(repo.DeleteRuleRow(t.number, rule.name));
  }
  for (const auto& row : stored) {
    const auto* rule = policy.automations.FindRule(row.rule);
    if (!rule || rule->on != sla::RuleTrigger::kTime) CHAMADO_TRY(repo.DeleteRuleRow(t.number, row.rule));  // left the policy
  }
  return Ok();
}

Result<RulesFired> FireDueRules(Repo& repo, const sla::Policy& policy, Id number, Instant now) {
  RulesFired count;
  CHAMADO_ASSIGN_OR_RETURN(const auto rows, repo.RuleRowsOf(number));
  // One rule at a time, in the policy's order: each firing may change what the next sees.
  for (const auto& rule : policy.automations.rules) {
    if (rule.on != sla::RuleTrigger::kTime) continue;
    const auto* due = Find(rows, rule.name);
    if (!due || !due->due_at || *due->due_at > now) continue;
    // A firing before this one refreshed the rows: the stored row is read again, as the ticket.
    CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(number));
    if (!ticket) return count;
    CHAMADO_ASSIGN_OR_RETURN(auto current, repo.RuleRowsOf(number));
    const auto* stored = Find(current, rule.name);
    if (!stored || !stored->due_at || *stored->due_at > now) continue;
    // Checked again against the ticket as it is: a row is only as fresh as the last refresh.
    CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsFor(repo, *ticket));
    CHAMADO_ASSIGN_OR_RETURN(auto timeline, TimelineFor(repo, *ticket));
    CHAMADO_ASSIGN_OR_RETURN(auto rule_facts, RuleFactsFor(repo, policy, *ticket, facts));
    CHAMADO_ASSIGN_OR_RETURN(auto row, RowFor(policy, rule, *ticket, rule_facts, timeline, *stored));
    if (!row || !row->due_at || *row->due_at > now) {
      if (row) CHAMADO_TRY(repo.UpsertRuleRow(*row));
      else CHAMADO_TRY(repo.DeleteRuleRow(number, rule.name));
      continue;
    }
    // Fired for this anchor before the rule acts, so the refresh its changes cause keeps it.
    row->due_at.reset();
    row->fired_at = now;
    CHAMADO_TRY(repo.UpsertRuleRow(*row));
    CHAMADO_TRY(Fire(repo, policy, rule, std::move(*ticket), now, count));
  }
  // Rows of rules the policy no longer has.
  for (const auto& row : rows)
    if (!policy.automations.FindRule(row.rule)) CHAMADO_TRY(repo.DeleteRuleRow(number, row.rule));
  return count;
}

Result<Ticket> RunEventRules(Repo& repo, const sla::Policy& policy, sla::RuleTrigger trigger, Ticket t, Instant now) {
  RulesFired count;
  std::optional<sla::RuleFacts> facts;  // read when a rule first needs them, again after a change
  for (const auto& rule : policy.automations.rules) {
    if (rule.on != trigger) continue;
    if (!facts) {
      CHAMADO_ASSIGN_OR_RETURN(auto ticket_facts, FactsFor(repo, t));
      CHAMADO_ASSIGN_OR_RETURN(facts, RuleFactsFor(repo, policy, t, ticket_facts));
    }
    if (!sla::Matches(rule.when, *facts)) continue;
    const Instant updated_at = t.updated_at;
    CHAMADO_ASSIGN_OR_RETURN(t, Fire(repo, policy, rule, std::move(t), now, count));
    if (t.updated_at != updated_at) facts.reset();
  }
  return t;
}

}  // namespace chamado::store
