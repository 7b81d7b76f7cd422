#include "store/repo_routing.h"

#include <map>

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {

// Capacity counts open work (new or open), through the partial index tickets_open_work.
constexpr std::string_view kAgentColumns =
    "u.id, u.name, u.email, u.active, COALESCE(a.away, 0), a.away_since, a.capacity, "
    "(SELECT count(*) FROM tickets t WHERE t.assignee_id = u.id AND t.status IN ('new', 'open')), u.languages, "
    "a.last_assigned_at";

RoutingRepo::AgentRouting ReadAgent(const RowView& r) {
  RoutingRepo::AgentRouting a;
  a.id = r.Int(0);
  a.name = r.Str(1);
  a.email = r.Str(2);
  a.active = r.Int(3) != 0;
  a.away = r.Int(4) != 0;
  a.away_since = OptInstant(r, 5);
  if (!r.IsNull(6)) a.capacity = int(r.Int(6));
  a.open = int(r.Int(7));
  a.languages = SplitSpaces(r.Text(8));
  a.last_assigned_at = OptInstant(r, 9);
  return a;
}

}  // namespace

Result<std::vector<RoutingRepo::AgentRouting>> RoutingRepo::GroupAgents(Id group_id) {
  return All(c_,
             Sql("SELECT ", kAgentColumns,
                 " FROM group_members m JOIN users u ON u.id = m.user_id LEFT JOIN agent_routing a ON a.user_id = u.id "
                 "WHERE m.group_id = $1 AND u.active = 1 AND u.role IN ('agent', 'admin') ORDER BY u.id"),
             {group_id}, ReadAgent);
}

Result<std::vector<RoutingRepo::AgentRouting>> RoutingRepo::AllAgentRouting() {
  CHAMADO_ASSIGN_OR_RETURN(auto agents, All(c_,
                                            Sql("SELECT ", kAgentColumns,
                                                " FROM users u LEFT JOIN agent_routing a ON a.user_id = u.id "
                                                "WHERE u.role IN ('agent', 'admin') ORDER BY lower(u.name), u.id"),
                                            {}, ReadAgent));
  std::map<Id, AgentRouting*> by_id;
  for (auto& a : agents) by_id[a.id] = &a;
  CHAMADO_TRY(c_.Run("SELECT m.user_id, m.group_id FROM group_members m ORDER BY m.group_id", {}, [&](const RowView& r) {
    if (auto it = by_id.find(r.Int(0)); it != by_id.end()) it->second->group_ids.push_back(r.Int(1));
  }));
  return agents;
}

Result<std::optional<RoutingRepo::AgentRouting>> RoutingRepo::AgentRoutingOf(Id user_id) {
  return One(c_,
             Sql("SELECT ", kAgentColumns,
                 " FROM users u LEFT JOIN agent_routing a ON a.user_id = u.id WHERE u.id = $1 AND u.role IN ('agent', 'admin')"),
             {user_id}, ReadAgent, [&](std::vector<AgentRouting>& rows) -> Result<void> {
               CHAMADO_TRY(c_.Run("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id", {user_id},
                                  [&](const RowView& r) { rows[0].group_ids.push_back(r.Int(0)); }));
               return Ok();
             });
}

Result<void> RoutingRepo::SetAgentAvailability(Id user_id, std::optional<bool> away,
                                               std::optional<std::optional<int>> capacity, Instant now) {
  CHAMADO_TRY(c_.Run("INSERT INTO agent_routing (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING", {user_id}));
  if (away) {
    // away_since keeps the first instant of an absence; coming back clears it.
    CHAMADO_TRY(c_.Run("UPDATE agent_routing SET away_since = CASE WHEN $2 = 0 THEN NULL WHEN away = 1 THEN away_since "
                       "ELSE $3 END, away = $2 WHERE user_id = $1",
                       {user_id, *away, ToUnixMillis(now)}));
  }
  if (capacity) CHAMADO_TRY(c_.Run("UPDATE agent_routing SET capacity = $2 WHERE user_id = $1", {user_id, *capacity}));
  return Ok();
}

Result<void> RoutingRepo::MarkRouted(Id user_id, Instant at) {
  CHAMADO_TRY(c_.Run("INSERT INTO agent_routing (user_id, last_assigned_at) VALUES ($1, $2) "
                     "ON CONFLICT (user_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at",
                     {user_id, ToUnixMillis(at)}));
  return Ok();
}

Result<std::vector<Id>> RoutingRepo::WaitingTickets(Id group_id, int limit) {
  return All(c_,
             "SELECT number FROM tickets WHERE group_id = $1 AND assignee_id IS NULL AND status IN ('new', 'open') "
             "ORDER BY created_at, number LIMIT $2",
             {group_id, limit}, [](const RowView& r) { return r.Int(0); });
}

Result<int64_t> RoutingRepo::WaitingCount(Id group_id) {
  int64_t n = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM tickets WHERE group_id = $1 AND assignee_id IS NULL AND status IN ('new', 'open')",
                     {group_id}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

Result<RoutingRepo::Tam> RoutingRepo::OrganizationTam(Id organization_id) {
  Tam tam;
  CHAMADO_TRY(c_.Run("SELECT tam_id, tam_backup_id FROM organizations WHERE id = $1", {organization_id},
                     [&](const RowView& r) {
                       tam.tam_id = r.OptInt(0);
                       tam.backup_id = r.OptInt(1);
                     }));
  return tam;
}

Result<void> RoutingRepo::SetOrganizationTam(Id organization_id, const Tam& tam) {
  CHAMADO_TRY(c_.Run("UPDATE organizations SET tam_id = $2, tam_backup_id = $3 WHERE id = $1",
                     {organization_id, tam.tam_id, tam.backup_id}));
  return Ok();
}

Result<std::string> RoutingRepo::TicketLanguage(Id number) {
  std::string out;
  CHAMADO_TRY(c_.Run("SELECT language FROM tickets WHERE number = $1", {number}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> RoutingRepo::SetTicketLanguage(Id number, std::string_view language) {
  CHAMADO_TRY(c_.Run("UPDATE tickets SET language = $2 WHERE number = $1", {number, language}));
  return Ok();
}

}  // namespace chamado::store
