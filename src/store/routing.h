// Routing carried out: the policy's [routing] (sla::Routing) and core/routing.h decide who
// takes a ticket; these functions gather the facts (the group's agents with their open work,
// the organization's technical account manager, the ticket's language) and assign, inside the
// caller's transaction, recording "routing.assigned" with the rule and mailing the agent.
//
// Every command that can make a ticket wait for an agent, or free an agent, calls them
// (store/commands.cc), so routing is the same for every channel; the scheduler's sweep
// (RouteWaiting) catches what no command touched (a policy that starts routing, an agent
// added to a group).
#pragma once

#include <string>

#include "core/ticket.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// The language a new ticket is written in: what its text says when it says it clearly
// (search::GuessLanguage), else the requester's preferred language.
std::string TicketLanguageOf(const core::NewTicket& ticket, const core::User& requester);

// Assigns `ticket` when it waits for an agent (no agent; new or open): with `tam_first` (a
// ticket being opened), to its organization's technical account manager when its plan has the
// tam feature (their backup when they are away); else as its group's mode says. Returns the
// ticket as it is afterwards.
Result<core::Ticket> RouteTicket(Repo& repo, const sla::Policy& policy, core::Ticket ticket, Instant now,
                                 bool tam_first = false);

// After `before` became `after` (any command): routes it when it began to wait for an agent,
// and gives the agent it freed (open work that left them) the oldest waiting tickets.
// Returns `after` as it is afterwards.
Result<core::Ticket> RouteAfterChange(Repo& repo, const sla::Policy& policy, const core::Ticket& before,
                                      core::Ticket after, Instant now);

// Gives `agent_id` the oldest waiting tickets of their routed groups while they have room and
// may take them (core::MayTake); returns how many they got.
Result<int> FillAgent(Repo& repo, const sla::Policy& policy, core::Id agent_id, Instant now);

// The sweep: in every group that routes by itself, assigns waiting tickets oldest first, at
// most `limit` looked at per group; returns how many were assigned.
Result<int> RouteWaiting(Repo& repo, const sla::Policy& policy, Instant now, int limit = 50);

}  // namespace chamado::store
