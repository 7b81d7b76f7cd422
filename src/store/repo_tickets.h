// The ticket aggregate of the repository: tickets with what hangs off each of them and is
// read and written with it. Owns the tables tickets, ticket_tags, status_changes, events
// ticket_links and ticket_merges (V019).
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

struct TicketFilter {
  std::vector<core::Status> statuses;
  std::optional<core::Id> organization_id;
  std::optional<core::Id> requester_id;
  std::optional<core::Id> assignee_id;
  bool unassigned = false;
  std::optional<core::Id> group_id;
  std::optional<std::string> priority;
  std::optional<std::string> tag;
  // Tenancy: set for customers. Restricts to their organization, or to their own tickets.
  std::optional<core::Id> visible_organization_id;
  std::optional<core::Id> visible_requester_id;
};

struct StoredEvent {
  core::Id id = 0;
  core::Event event;
};

// A ticket's event with who may see the ticket (for the live feed, GET /api/v1/events).
struct TicketActivity {
  StoredEvent stored;
  core::Id requester_id = 0;
  core::Id organization_id = 0;  // 0: none
  std::string actor_role;        // the acting user's role name; empty: the system
};

// Why a ticket points at another. DO NOT CHANGE THE NAMES: ticket_links.kind stores them.
enum class TicketLinkKind { kFollowUp, kAnswered, kMerged, kSplit };
inline constexpr TicketLinkKind kTicketLinkKinds[] = {TicketLinkKind::kFollowUp, TicketLinkKind::kAnswered,
                                                      TicketLinkKind::kMerged, TicketLinkKind::kSplit};
// "follow_up" (after closing), "answered" (another sender), "merged" (the merged ticket points
// at its survivor while the merge holds), "split" (the split-off ticket points at the original)
std::string_view Name(TicketLinkKind k);
std::optional<TicketLinkKind> ParseTicketLinkKind(std::string_view s);

class TicketRepo {
 public:
  explicit TicketRepo(Connection& c) : c_(c) {}

  // Inserts with the next sequential number and returns the ticket carrying it; `sla_due`
  // is the earliest due of its running clocks, when known already.
  Result<core::Ticket> InsertTicket(core::Ticket t, const core::Catalog& catalog,
                                    std::optional<Instant> sla_due = std::nullopt);
  Result<void> UpdateTicket(const core::Ticket& t, const core::Catalog& catalog);
  Result<std::optional<core::Ticket>> GetTicket(core::Id number);
  // Newest first.
  Result<Paged<core::Ticket>> ListTickets(const TicketFilter& f, const Page& page);
  // Open work (new, open) by priority rank, then by opening time, oldest first.
  Result<Paged<core::Ticket>> Queue(const TicketFilter& f, const Page& page);
  // The same work, the most pressing SLA due first.
  Result<Paged<core::Ticket>> QueueByDue(const TicketFilter& f, const Page& page);
  Result<void> SetSlaDue(core::Id ticket_number, std::optional<Instant> due);
  Result<int64_t> CountTickets();
  // Tickets not solved or closed with a number above `after`, in order.
  Result<std::vector<core::Id>> ActiveTicketsAfter(core::Id after, int limit);
  // Tickets of an organization not solved or closed (their clocks may still run).
  Result<std::vector<core::Id>> ActiveTicketsOf(core::Id organization_id);

  // Priorities used by tickets that are not in `names`, with how many tickets use each.
  Result<std::vector<std::pair<std::string, int64_t>>> PrioritiesOutside(const std::vector<std::string>& names);
  Result<void> SetPriorityRanks(const core::PriorityScale& scale);

  Result<void> InsertStatusChange(core::Id ticket_number, Instant at, core::Status status);
  struct StatusAt {
    Instant at;
    core::Status status;
  };
  Result<std::vector<StatusAt>> StatusHistory(core::Id ticket_number);

  Result<void> InsertEvents(const std::vector<core::Event>& events, core::Id ticket_number, core::Id message_id);
  Result<Paged<StoredEvent>> ListEvents(core::Id ticket_number, const Page& page);
  Result<std::optional<Instant>> LastEventAt(core::Id ticket_number, std::string_view kind);
  // The newest event's id (0: none). On SQLite ids grow in commit order (one writer assigns
  // them); on PostgreSQL instances sharing the database commit in any order (EventIdsAfter).
  Result<core::Id> LastEventId();
  // Ticket events (ticket.created, message.added, ticket.updated, merges and splits) with an
  // id above `after` and not above `upto`, oldest first, at most `limit`.
  Result<std::vector<TicketActivity>> TicketActivityAfter(core::Id after, core::Id upto, int limit);
  // The ids of every event after `after` up to `upto`, ascending, at most `limit`: where
  // writers commit out of id order (PostgreSQL), a missing id may be a write still running.
  Result<std::vector<core::Id>> EventIdsAfter(core::Id after, core::Id upto, int limit);

  struct TicketLink {
    core::Id ticket_number = 0;  // the other ticket
    TicketLinkKind kind = TicketLinkKind::kFollowUp;
    bool outgoing = true;  // this ticket points at the other (false: the other points here)
  };
  Result<void> InsertTicketLink(core::Id from, core::Id to, TicketLinkKind kind, Instant now);
  Result<std::vector<TicketLink>> TicketLinks(core::Id number);
  Result<void> DeleteTicketLink(core::Id from, core::Id to, TicketLinkKind kind);

  // A merge in effect (store/merge.h): `merged` closed into `into`, having been `previous`.
  struct MergeRow {
    core::Id merged = 0;
    core::Id into = 0;
    core::Status previous = core::Status::kOpen;
    core::Id merged_by = 0;
    Instant merged_at;
  };
  Result<void> InsertMerge(const MergeRow& m);
  Result<std::optional<MergeRow>> GetMerge(core::Id merged);
  Result<void> DeleteMerge(core::Id merged);
  // The tickets merged into `into` now, in number order.
  Result<std::vector<core::Id>> MergedInto(core::Id into);

 private:
  Result<void> LoadTags(std::vector<core::Ticket>& tickets);
  Result<void> WriteTags(const core::Ticket& t);
  enum class Order { kNewest, kQueue, kDue };
  Result<Paged<core::Ticket>> TicketQuery(const TicketFilter& f, const Page& page, Order order);

  Connection& c_;
};

}  // namespace chamado::store
