// The routing aggregate of the repository: what routing (store/routing.h) needs to know and
// remembers. Owns the table agent_routing (each agent's availability, own capacity and when
// routing last gave them a ticket) and the routing columns of other aggregates' tables:
// organizations.tam_id / tam_backup_id and tickets.language.
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
#include "store/sql.h"

namespace chamado::store {

class RoutingRepo {
 public:
  explicit RoutingRepo(Connection& c) : c_(c) {}

  // An agent as routing sees them.
  struct AgentRouting {
    core::Id id = 0;
    std::string name;
    std::string email;
    bool active = true;
    bool away = false;
    std::optional<Instant> away_since;
    std::optional<int> capacity;  // their own; none: the group's in the policy
    int open = 0;                 // tickets assigned to them in new or open
    std::vector<std::string> languages;
    std::optional<Instant> last_assigned_at;
    std::vector<core::Id> group_ids;
  };
  // The active agents of a group (admins included), by id.
  Result<std::vector<AgentRouting>> GroupAgents(core::Id group_id);
  // Every agent (active or not), by name; for the team's board.
  Result<std::vector<AgentRouting>> AllAgentRouting();
  Result<std::optional<AgentRouting>> AgentRoutingOf(core::Id user_id);
  // Sets what is given; the outer optional of `capacity` says "change it", the inner one is
  // the new value (none: back to the group's).
  Result<void> SetAgentAvailability(core::Id user_id, std::optional<bool> away,
                                    std::optional<std::optional<int>> capacity, Instant now);
  Result<void> MarkRouted(core::Id user_id, Instant at);

  // Unassigned open work (new or open) of a group, oldest first.
  Result<std::vector<core::Id>> WaitingTickets(core::Id group_id, int limit);
  Result<int64_t> WaitingCount(core::Id group_id);

  struct Tam {
    std::optional<core::Id> tam_id;
    std::optional<core::Id> backup_id;
  };
  Result<Tam> OrganizationTam(core::Id organization_id);
  Result<void> SetOrganizationTam(core::Id organization_id, const Tam& tam);

  // The language a ticket is written in (BCP 47; empty: unknown).
  Result<std::string> TicketLanguage(core::Id number);
  Result<void> SetTicketLanguage(core::Id number, std::string_view language);

 private:
  Connection& c_;
};

}  // namespace chamado::store
