// Routing's people side: /api/v1/routing (the team's board: each routed group's mode and
// waiting tickets, each agent's availability, capacity and open work), each agent's
// availability (/agents/{id}/availability: an agent marks themself away or back; an
// administrator also sets anyone's capacity), and an organization's technical account
// manager (/organizations/{id}/tam). The rules themselves are in the policy's [routing].
#include "core/text.h"
#include "http/api_impl.h"
#include "store/routing.h"

namespace chamado::http {
namespace {

using store::Repo;
using AgentRouting = store::RoutingRepo::AgentRouting;

json::object AvailabilityJson(const AgentRouting& a) {
  json::array groups, languages;
  for (Id g : a.group_ids) groups.push_back(g);
  for (const auto& l : a.languages) languages.push_back(json::value(l));
  return json::object{{"agent_id", a.id},
                      {"name", a.name},
                      {"email", a.email},
                      {"active", a.active},
                      {"away", a.away},
                      {"away_since", InstantJson(a.away_since)},
                      {"capacity", a.capacity ? json::value(*a.capacity) : json::value(nullptr)},
                      {"open", a.open},
                      {"languages", std::move(languages)},
                      {"group_ids", std::move(groups)},
                      {"last_routed_at", InstantJson(a.last_assigned_at)}};
}

json::object TamJson(const store::RoutingRepo::Tam& t) {
  return json::object{{"tam_id", t.tam_id ? json::value(*t.tam_id) : json::value(nullptr)},
                      {"tam_backup_id", t.backup_id ? json::value(*t.backup_id) : json::value(nullptr)}};
}

// An agent who may be a technical account manager: an active agent or administrator.
Result<void> CheckTamAgent(Repo& repo, const std::optional<Id>& id, std::string_view field) {
  if (!id) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(*id));
  if (!u || !core::IsStaff(u->role))
    return Error::Invalid(std::string(field), "No agent has the id " + std::to_string(*id) + "; choose an agent (GET /api/v1/agents).");
  if (!u->active) return Error::Invalid(std::string(field), u->email + " is deactivated; choose an active agent.");
  return Ok();
}

}  // namespace

void Api::Impl::GetRouting(Call c) {
  auto policy = store.policy();
  struct Board {
    std::vector<core::Group> groups;
    std::vector<int64_t> waiting;
    std::vector<AgentRouting> agents;
  };
  auto r = Read<Board>([](Repo& repo) -> Result<Board> {
    Board b;
    CHAMADO_ASSIGN_OR_RETURN(b.groups, repo.ListGroups());
    for (const auto& g : b.groups) {
      CHAMADO_ASSIGN_OR_RETURN(auto n, repo.WaitingCount(g.id));
      b.waiting.push_back(n);
    }
    CHAMADO_ASSIGN_OR_RETURN(b.agents, repo.AllAgentRouting());
    return b;
  });
  if (!r.ok()) return Fail(c, r.error());
  const auto& routing = policy->routing;
  json::array groups, agents;
  for (size_t i = 0; i < r->groups.size(); ++i) {
    const auto& g = r->groups[i];
    const auto gr = routing.For(g.name);
    groups.push_back(json::object{{"id", g.id},
                                  {"name", g.name},
                                  {"mode", core::Name(gr.mode)},
                                  {"capacity", gr.capacity},
                                  {"specialist", routing.IsSpecialist(g.name)},
                                  {"waiting", r->waiting[i]}});
  }
  for (const auto& a : r->agents) agents.push_back(AvailabilityJson(a));
  Json(c, 200,
       json::object{{"by_language", routing.by_language},
                    {"group", routing.group.empty() ? json::value(nullptr) : json::value(routing.group)},
                    {"groups", std::move(groups)},
                    {"agents", std::move(agents)}});
}

void Api::Impl::GetAvailability(Call c) {
  auto id = PathId(c, 0, "agent");
  if (!id.ok()) return Fail(c, id.error());
  auto r = Read<std::optional<AgentRouting>>([id = *id](Repo& repo) { return repo.AgentRoutingOf(id); });
  if (!r.ok()) return Fail(c, r.error());
  if (!*r) return Fail(c, Error::Said(ErrorCode::kNotFound, "directory.agent_missing", {{"id", std::to_string(*id)}}));
  Json(c, 200, AvailabilityJson(**r));
}

void Api::Impl::PatchAvailability(Call c) {
  auto id = PathId(c, 0, "agent");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const bool admin = c.who().admin();
  if (!admin && *id != c.who().user.id)
    return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "routing.away_self_only"));
  Fields f(*body, {"away", "capacity"});
  const std::optional<bool> away = f.Bool("away");
  std::optional<std::optional<int>> capacity;
  if (auto cap = f.NullableInt("capacity")) {
    if (!admin) f.Say("capacity", "routing.capacity_admin");
    else if (*cap && (**cap < 0 || **cap > 10000))
      f.Say("capacity", "routing.capacity_range");
    else capacity = *cap ? std::optional<int>(int(**cap)) : std::nullopt;
  }
  if (auto done = f.Finish(); !done.ok()) return Fail(c, done.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  WriteThen<AgentRouting>(
      std::move(c),
      [policy, id = *id, away, capacity, now](Repo& repo) -> Result<AgentRouting> {
        CHAMADO_ASSIGN_OR_RETURN(auto before, repo.AgentRoutingOf(id));
        if (!before) return Error::Said(ErrorCode::kNotFound, "directory.agent_missing", {{"id", std::to_string(id)}});
        CHAMADO_TRY(repo.SetAgentAvailability(id, away, capacity, now));
        // Back, or given more room: they take the oldest waiting tickets now.
        if (!away.value_or(before->away)) CHAMADO_TRY(store::FillAgent(repo, *policy, id, now));
        CHAMADO_ASSIGN_OR_RETURN(auto after, repo.AgentRoutingOf(id));
        if (!after) return Error::Internal("Agent " + std::to_string(id) + " is gone.");
        return *after;
      },
      [](AgentRouting& a) { return JsonResponse(200, AvailabilityJson(a)); });
}

void Api::Impl::GetTam(Call c) {
  auto id = PathId(c, 0, "organization");
  if (!id.ok()) return Fail(c, id.error());
  auto r = Read<std::optional<store::RoutingRepo::Tam>>([id = *id](Repo& repo) -> Result<std::optional<store::RoutingRepo::Tam>> {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(id));
    if (!org) return std::optional<store::RoutingRepo::Tam>();
    CHAMADO_ASSIGN_OR_RETURN(auto tam, repo.OrganizationTam(id));
    return std::optional(tam);
  });
  if (!r.ok()) return Fail(c, r.error());
  if (!*r) return Fail(c, Error::Said(ErrorCode::kNotFound, "directory.organization_missing", {{"id", std::to_string(*id)}}));
  Json(c, 200, TamJson(**r));
}

void Api::Impl::PutTam(Call c) {
  auto id = PathId(c, 0, "organization");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"tam_id", "tam_backup_id"});
  store::RoutingRepo::Tam tam;
  if (auto v = f.NullableInt("tam_id")) tam.tam_id = *v;
  if (auto v = f.NullableInt("tam_backup_id")) tam.backup_id = *v;
  if (tam.tam_id && tam.tam_id == tam.backup_id) f.Fail("tam_backup_id", "The backup must be another agent than the TAM.");
  if (!tam.tam_id && tam.backup_id) f.Fail("tam_id", "Name the TAM before a backup: tam_id is null while tam_backup_id is set.");
  if (auto done = f.Finish(); !done.ok()) return Fail(c, done.error());
  WriteThen<store::RoutingRepo::Tam>(
      std::move(c),
      [id = *id, tam](Repo& repo) -> Result<store::RoutingRepo::Tam> {
        CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(id));
        if (!org) return Error::Said(ErrorCode::kNotFound, "directory.organization_missing", {{"id", std::to_string(id)}});
        CHAMADO_TRY(CheckTamAgent(repo, tam.tam_id, "tam_id"));
        CHAMADO_TRY(CheckTamAgent(repo, tam.backup_id, "tam_backup_id"));
        CHAMADO_TRY(repo.SetOrganizationTam(id, tam));
        return repo.OrganizationTam(id);
      },
      [](store::RoutingRepo::Tam& t) { return JsonResponse(200, TamJson(t)); });
}

}  // namespace chamado::http
