// Routing: who takes a new or waiting ticket. Pure: the caller (store/routing.h) gathers the
// group's agents with their open work and availability, asks here, and carries out the answer.
//
// The rules, in the order they apply (docs/routing.md says the same to operators):
//  1. Away agents get nothing.
//  2. Language: when an available agent of the group speaks the ticket's language, only such
//     agents are chosen; the ticket waits for one of them rather than going to someone who
//     cannot read it. When none does, language does not narrow the choice.
//  3. Capacity: an agent takes a ticket only while their open work (tickets assigned to them
//     in new or open; not those waiting on the customer or on hold) is below their capacity
//     (0: no limit). When nobody has room the ticket waits, and waiting tickets go oldest first
//     to the first agent who frees up.
//  4. Mode: round robin gives the ticket to the agent who was given one longest ago (never
//     first); least loaded to the agent with the least open work, then longest ago; both break
//     ties by the smaller id, so the choice is the same on every run.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace chamado::core {

// DO NOT CHANGE THE NAMES: policies are written with them.
enum class RoutingMode { kManual, kRoundRobin, kLeastLoaded };
std::string_view Name(RoutingMode m);
std::optional<RoutingMode> ParseRoutingMode(std::string_view s);

// One agent of a group, as routing sees them at this instant.
struct RoutingCandidate {
  Id id = 0;
  bool away = false;
  int open = 0;      // tickets assigned to them in new or open
  int capacity = 0;  // the most open tickets they take; 0: no limit
  std::vector<std::string> languages;      // BCP 47 tags they answer in
  std::optional<Instant> last_assigned_at;  // by routing; never: first in line
};

// Does someone who answers in `languages` read a ticket in `language`? Compared by primary
// subtag, case-insensitively ("pt" reads "pt-BR").
bool Speaks(const std::vector<std::string>& languages, std::string_view language);

// The agent who takes a ticket written in `language` (empty: unknown) under `mode`, or
// nullopt when the ticket waits (manual mode, nobody available, or nobody with room).
// `by_language` false ignores rule 2.
std::optional<Id> ChooseAgent(RoutingMode mode, std::span<const RoutingCandidate> agents, std::string_view language,
                              bool by_language = true);

// Can `agent` take a waiting ticket in `language` now, given the others of its group? The same
// rules as ChooseAgent, asked from the side of one agent who freed up: they must be available,
// have room, and speak the language when an available agent of the group does.
bool MayTake(const RoutingCandidate& agent, std::span<const RoutingCandidate> group, std::string_view language,
             bool by_language = true);

}  // namespace chamado::core
