// Merge, its undo, and split carried out (core/merge.h decides): one case = one ticket.
// Each is a unit of work in the caller's transaction: the tickets' new state, the messages
// moved (their attachments and search entries follow), the histories of both tickets, a
// public notice on each in its requester's language, the links between them, the SLA clocks
// of both refreshed, and the mail that tells the customer.
#pragma once

#include <string_view>
#include <vector>

#include "core/merge.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// The ticket `t` was merged into, and so on while that one is merged too (a survivor may have
// been merged later); `t` itself when it is not merged. Where a reply to `t` belongs.
Result<std::optional<core::Ticket>> SurvivorOf(Repo& repo, std::optional<core::Ticket> t);

struct MergedTickets {
  core::Ticket merged;
  core::Ticket survivor;
  int64_t messages_moved = 0;
};

// Merges ticket `merged` into `into`; the merged ticket's requester is mailed (ticket_merged).
Result<MergedTickets> MergeTicketCommand(Repo& repo, const sla::Policy& policy, const core::User& actor, core::Id merged,
                                         core::Id into, Instant now);

// Undoes the merge of `merged`: its messages go back, it takes back the status it had.
Result<MergedTickets> UnmergeTicketCommand(Repo& repo, const sla::Policy& policy, const core::User& actor,
                                           core::Id merged, Instant now);

struct SplitTickets {
  core::Ticket original;
  core::Ticket split_off;  // the new ticket
};

// Moves the messages `message_ids` of ticket `number` to a new ticket titled `subject` (empty:
// the original's).
Result<SplitTickets> SplitTicketCommand(Repo& repo, const sla::Policy& policy, const core::User& actor, core::Id number,
                                        const std::vector<core::Id>& message_ids, std::string_view subject, Instant now);

}  // namespace chamado::store
