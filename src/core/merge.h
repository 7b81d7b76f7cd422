// One case = one ticket (seeds 000 and 004): merging a ticket into another, undoing that, and
// splitting chosen messages of a ticket into a new one. Pure rules: which combinations are
// allowed and what each ticket becomes, with the events of their histories. The store moves
// the messages, stores the merge (store/commands.h) and refreshes clocks and search.
//
// Rules (docs/merge.md):
// - Only agents merge, undo and split.
// - A ticket is never merged into itself; a merged ticket is not merged again until its merge
//   is undone; nothing merges into a closed ticket (a merged one is closed); a closed ticket is
//   not merged (it cannot change any more).
// - Both tickets belong to the same organization; tickets without one, to the same requester.
// - The merged ticket closes (whatever its status, a merge is not a solution, so no "solve
//   first"), keeping the status it had for the undo, which restores it.
// - A split takes at least one message and leaves at least one; a closed ticket is not split.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

struct TicketsMerged {
  Ticket merged;    // closed, pointing at the survivor
  Ticket survivor;  // touched (updated_at)
  std::vector<Event> events;  // for both tickets, each event naming its own
};

// `merged_into`: the survivor `merged` is merged into already, if it is.
Result<TicketsMerged> MergeTickets(const Ticket& merged, std::optional<Id> merged_into, const Ticket& survivor,
                                   const Actor& actor, Instant now);

struct TicketsUnmerged {
  Ticket merged;    // back in `previous`
  Ticket survivor;  // touched
  std::vector<Event> events;
};

// `merged_into`: the survivor `merged` is merged into (nullopt: it is not merged); `previous`:
// its status before the merge.
Result<TicketsUnmerged> UnmergeTicket(const Ticket& merged, std::optional<Id> merged_into, Status previous,
                                      const Ticket& survivor, const Actor& actor, Instant now);

inline constexpr size_t kMaxSplitMessages = 500;

struct TicketSplit {
  Ticket ticket;    // the new one, number 0 until stored: the same requester, organization,
                    // channel, priority, category, group and agent; status new
  Ticket original;  // touched
  std::vector<Event> events;  // the original's; the new ticket's are made once it has a number
};

// `chosen`: ids of messages to move (unique, each one of `messages`, the ids of the
// original's); `subject`: the new ticket's, or empty for the original's.
Result<TicketSplit> SplitTicket(const Ticket& original, const std::vector<Id>& messages,
                                const std::vector<Id>& chosen, std::string_view subject, const Actor& actor,
                                Instant now);
// The new ticket's history once it has its number.
std::vector<Event> SplitOffEvents(const Ticket& split_off, Id original, size_t moved, const Actor& actor, Instant now);

// What the customer reads on a ticket about a merge or a split, in `language` (one of the
// desk's; others get English). `a` is the ticket it is written on, `b` the other one.
enum class CaseNotice { kMergedInto, kMergedFrom, kUnmerged, kSplitInto, kSplitFrom };
std::string CaseNoticeText(CaseNotice notice, std::string_view language, Id a, Id b);

}  // namespace chamado::core
