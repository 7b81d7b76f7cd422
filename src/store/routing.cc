#include "store/routing.h"

#include <algorithm>

#include "core/routing.h"
#include "search/language_guess.h"
#include "store/claims.h"
#include "store/mail_out.h"

namespace chamado::store {
using namespace core;

namespace {

bool WaitsForAgent(const Ticket& t) {
  return !t.assignee_id && (t.status == Status::kNew || t.status == Status::kOpen);
}

bool IsOpenWork(const Ticket& t) { return t.status == Status::kNew || t.status == Status::kOpen; }

RoutingCandidate CandidateOf(const RoutingRepo::AgentRouting& a, const sla::GroupRouting& group) {
  RoutingCandidate c;
  c.id = a.id;
  c.away = a.away;
  c.open = a.open;
  c.capacity = a.capacity.value_or(group.capacity);
  c.languages = a.languages;
  c.last_assigned_at = a.last_assigned_at;
  return c;
}

// Gives `ticket` to `agent_id` as `rule` says, with its events and the agent's mail.
Result<Ticket> Assign(Repo& repo, const sla::Policy& policy, const Ticket& ticket, Id agent_id, std::string_view rule,
                      Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto agent, repo.GetUser(agent_id));
  if (!agent) return Error::Internal("Routing chose agent " + std::to_string(agent_id) + ", who does not exist.");
  CHAMADO_ASSIGN_OR_RETURN(auto assigned, AssignByRouting(ticket, *agent, rule, now));
  CHAMADO_TRY(repo.UpdateTicket(assigned.ticket, policy.catalog));
  CHAMADO_TRY(repo.InsertEvents(assigned.events, ticket.number, 0));
  CHAMADO_TRY(repo.MarkRouted(agent_id, now));
  CHAMADO_TRY(QueueMail(repo, assigned.ticket, "agent_assigned", *agent, std::nullopt, now));
  return assigned.ticket;
}

// The technical account manager (or their backup) who takes this ticket, and which of them.
Result<std::optional<std::pair<Id, std::string_view>>> TamFor(Repo& repo, const sla::Policy& policy, const Ticket& t) {
  using Choice = std::optional<std::pair<Id, std::string_view>>;
  if (!t.organization_id) return Choice();
  CHAMADO_ASSIGN_OR_RETURN(auto plan_and_name, repo.OrganizationPlanAndName(*t.organization_id));
  if (!plan_and_name) return Choice();
  const sla::Plan* plan = policy.FindPlan(plan_and_name->first);
  if (!plan || !plan->tam) return Choice();
  CHAMADO_ASSIGN_OR_RETURN(auto tam, repo.OrganizationTam(*t.organization_id));
  for (auto [id, rule] : {std::pair{tam.tam_id, std::string_view("tam")}, std::pair{tam.backup_id, std::string_view("tam_backup")}}) {
    if (!id) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto a, repo.AgentRoutingOf(*id));
    if (a && a->active && !a->away) return Choice(std::pair{*id, rule});
  }
  return Choice();
}

}  // namespace

std::string TicketLanguageOf(const NewTicket& ticket, const User& requester) {
  std::string guessed = search::GuessLanguage(ticket.subject + "\n" + ticket.description);
  return guessed.empty() ? requester.language : guessed;
}

Result<Ticket> RouteTicket(Repo& repo, const sla::Policy& policy, Ticket ticket, Instant now, bool tam_first) {
  if (!WaitsForAgent(ticket)) return ticket;
  if (tam_first) {
    CHAMADO_ASSIGN_OR_RETURN(auto tam, TamFor(repo, policy, ticket));
    if (tam) return Assign(repo, policy, ticket, tam->first, tam->second, now);
  }
  if (!ticket.group_id) return ticket;
  CHAMADO_ASSIGN_OR_RETURN(auto group, repo.GetGroup(*ticket.group_id));
  if (!group) return ticket;
  const sla::GroupRouting routing = policy.routing.For(group->name);
  if (routing.mode == RoutingMode::kManual) return ticket;
  // Agents' open work is counted and grown by one instance at a time: two instances routing
  // at once would each see an agent below capacity and both assign (store/claims.h).
  CHAMADO_TRY(WaitTurn(repo.conn(), Turn::kRouting));
  CHAMADO_ASSIGN_OR_RETURN(auto agents, repo.GroupAgents(group->id));
  std::vector<RoutingCandidate> candidates;
  for (const auto& a : agents) candidates.push_back(CandidateOf(a, routing));
  CHAMADO_ASSIGN_OR_RETURN(const std::string language, repo.TicketLanguage(ticket.number));
  const auto chosen = ChooseAgent(routing.mode, candidates, language, policy.routing.by_language);
  if (!chosen) return ticket;
  return Assign(repo, policy, ticket, *chosen, Name(routing.mode), now);
}

Result<Ticket> RouteAfterChange(Repo& repo, const sla::Policy& policy, const Ticket& before, Ticket after, Instant now) {
  const bool began_waiting = WaitsForAgent(after) && (!WaitsForAgent(before) || before.group_id != after.group_id);
  if (began_waiting) {
    CHAMADO_ASSIGN_OR_RETURN(after, RouteTicket(repo, policy, std::move(after), now));
  }
  const bool freed = before.assignee_id && IsOpenWork(before) && (after.assignee_id != before.assignee_id || !IsOpenWork(after));
  if (freed) CHAMADO_TRY(FillAgent(repo, policy, *before.assignee_id, now));
  return after;
}

Result<int> FillAgent(Repo& repo, const sla::Policy& policy, Id agent_id, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto me, repo.AgentRoutingOf(agent_id));
  if (!me || !me->active || me->away) return 0;
  CHAMADO_TRY(WaitTurn(repo.conn(), Turn::kRouting));
  // The waiting tickets of every routed group of theirs, oldest first, with the group's view
  // of its agents (capacity is per group, and so is who speaks which language).
  struct Waiting {
    Ticket ticket;
    size_t group;
  };
  struct GroupView {
    sla::GroupRouting routing;
    std::vector<RoutingCandidate> agents;
  };
  std::vector<GroupView> groups;
  std::vector<Waiting> waiting;
  for (Id group_id : me->group_ids) {
    CHAMADO_ASSIGN_OR_RETURN(auto group, repo.GetGroup(group_id));
    if (!group) continue;
    const sla::GroupRouting routing = policy.routing.For(group->name);
    if (routing.mode == RoutingMode::kManual) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto waiting_numbers, repo.WaitingTickets(group_id, 50));
    // A waiting ticket another transaction holds is left to it (it may be waiting for this
    // turn): SKIP LOCKED, where waiting for its lock could deadlock.
    CHAMADO_ASSIGN_OR_RETURN(auto numbers, ClaimTickets(repo.conn(), waiting_numbers));
    if (numbers.empty()) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto agents, repo.GroupAgents(group_id));
    GroupView view{routing, {}};
    for (const auto& a : agents) view.agents.push_back(CandidateOf(a, routing));
    groups.push_back(std::move(view));
    for (Id n : numbers) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
      if (t) waiting.push_back({std::move(*t), groups.size() - 1});
    }
  }
  std::stable_sort(waiting.begin(), waiting.end(), [](const Waiting& a, const Waiting& b) {
    return a.ticket.created_at != b.ticket.created_at ? a.ticket.created_at < b.ticket.created_at : a.ticket.number < b.ticket.number;
  });
  int given = 0;
  for (const auto& w : waiting) {
    GroupView& g = groups[w.group];
    auto self = std::find_if(g.agents.begin(), g.agents.end(), [&](const auto& c) { return c.id == agent_id; });
    if (self == g.agents.end()) continue;
    CHAMADO_ASSIGN_OR_RETURN(const std::string language, repo.TicketLanguage(w.ticket.number));
    if (!MayTake(*self, g.agents, language, policy.routing.by_language)) continue;
    CHAMADO_TRY(Assign(repo, policy, w.ticket, agent_id, Name(g.routing.mode), now));
    ++given;
    for (auto& view : groups)  // their open work grew in every group they are in
      for (auto& c : view.agents)
        if (c.id == agent_id) ++c.open;
  }
  return given;
}

Result<int> RouteWaiting(Repo& repo, const sla::Policy& policy, Instant now, int limit) {
  if (!policy.routing.Automatic()) return 0;
  CHAMADO_ASSIGN_OR_RETURN(auto groups, repo.ListGroups());
  int assigned = 0;
  for (const auto& group : groups) {
    if (policy.routing.For(group.name).mode == RoutingMode::kManual) continue;
    CHAMADO_ASSIGN_OR_RETURN(auto waiting, repo.WaitingTickets(group.id, limit));
    CHAMADO_ASSIGN_OR_RETURN(auto numbers, ClaimTickets(repo.conn(), waiting));
    for (Id n : numbers) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
      if (!t) continue;
      CHAMADO_ASSIGN_OR_RETURN(auto after, RouteTicket(repo, policy, *t, now));
      if (after.assignee_id) ++assigned;
    }
  }
  return assigned;
}

}  // namespace chamado::store
