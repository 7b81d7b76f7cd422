#include "core/merge.h"

#include <algorithm>
#include <set>

#include "core/messages.h"
#include "core/text.h"
#include "core/ticket.h"

namespace chamado::core {
namespace {

std::string Num(Id n) { return "#" + std::to_string(n); }

// `id`: the catalog sentence refusing a customer.
Result<void> AgentsOnly(const Actor& actor, std::string_view id) {
  if (!IsStaff(actor.role)) return Error::Said(ErrorCode::kPermissionDenied, id);
  return Ok();
}

// A merge or a split keeps a case with one customer: the same organization, or without one the
// same requester.
bool SameCustomer(const Ticket& a, const Ticket& b) {
  if (a.organization_id || b.organization_id) return a.organization_id == b.organization_id;
  return a.requester_id == b.requester_id;
}

}  // namespace

Result<TicketsMerged> MergeTickets(const Ticket& merged, std::optional<Id> merged_into, const Ticket& survivor,
                                   const Actor& actor, Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "merge.agents_only"));
  const std::string number = std::to_string(merged.number), into = std::to_string(survivor.number);
  if (merged.number == survivor.number) return Error::InvalidSaid("into", "merge.into_itself");
  if (merged_into)
    return Error::Said(ErrorCode::kConflict, "merge.already_merged", {{"number", number}, {"into", std::to_string(*merged_into)}});
  if (merged.status == Status::kClosed) return Error::Said(ErrorCode::kConflict, "merge.closed", {{"number", number}});
  if (survivor.status == Status::kClosed) return Error::InvalidSaid("into", "merge.survivor_closed", {{"number", into}});
  if (!SameCustomer(merged, survivor))
    return Error::InvalidSaid("into", merged.organization_id || survivor.organization_id ? "merge.other_organization" : "merge.other_requester",
                              {{"a", number}, {"b", into}});
  TicketsMerged out{merged, survivor, {}};
  Ticket& m = out.merged;
  m.status = Status::kClosed;
  m.closed_at = now;
  if (!m.solved_at) m.solved_at = now;
  m.updated_at = now;
  out.survivor.updated_at = now;
  out.events.push_back({"ticket.merged", merged.number, actor.user_id, now,
                        {{"status", std::string(Name(merged.status)), std::string(Name(m.status))},
                         {"merged_into", "", Num(survivor.number)}},
                        0});
  out.events.push_back({"ticket.merged", survivor.number, actor.user_id, now, {{"merged_from", "", Num(merged.number)}}, 0});
  return out;
}

Result<TicketsUnmerged> UnmergeTicket(const Ticket& merged, std::optional<Id> merged_into, Status previous,
                                      const Ticket& survivor, const Actor& actor, Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "merge.unmerge_agents_only"));
  if (!merged_into || *merged_into != survivor.number)
    return Error::Said(ErrorCode::kConflict, merged_into ? "merge.not_merged_into" : "merge.not_merged",
                       {{"number", std::to_string(merged.number)}, {"into", std::to_string(survivor.number)}});
  TicketsUnmerged out{merged, survivor, {}};
  Ticket& m = out.merged;
  m.status = previous;
  m.closed_at.reset();
  if (previous != Status::kSolved) m.solved_at.reset();
  m.updated_at = now;
  out.survivor.updated_at = now;
  out.events.push_back({"ticket.unmerged", merged.number, actor.user_id, now,
                        {{"status", std::string(Name(merged.status)), std::string(Name(previous))},
                         {"merged_into", Num(survivor.number), ""}},
                        0});
  out.events.push_back({"ticket.unmerged", survivor.number, actor.user_id, now, {{"merged_from", Num(merged.number), ""}}, 0});
  return out;
}

Result<TicketSplit> SplitTicket(const Ticket& original, const std::vector<Id>& messages,
                                const std::vector<Id>& chosen, std::string_view subject, const Actor& actor,
                                Instant now) {
  CHAMADO_TRY(AgentsOnly(actor, "split.agents_only"));
  const std::string number = std::to_string(original.number);
  if (original.status == Status::kClosed) return Error::Said(ErrorCode::kConflict, "split.closed", {{"number", number}});
  if (chosen.empty()) return Error::InvalidSaid("message_ids", "split.choose_one");
  if (chosen.size() > kMaxSplitMessages)
    return Error::InvalidSaid("message_ids", "split.at_most", {{"count", std::to_string(kMaxSplitMessages)}});
  const std::set<Id> own(messages.begin(), messages.end());
  std::set<Id> unique;
  for (Id id : chosen) {
    if (!own.count(id))
      return Error::InvalidSaid("message_ids", "split.not_on_ticket", {{"message", std::to_string(id)}, {"number", number}});
    if (!unique.insert(id).second) return Error::InvalidSaid("message_ids", "split.chosen_twice", {{"message", std::to_string(id)}});
  }
  if (unique.size() == own.size()) return Error::InvalidSaid("message_ids", "split.leave_one", {{"number", number}});
  const std::string_view trimmed = Trim(subject);
  if (Utf8Length(trimmed) > kMaxSubjectChars)
    return Error::InvalidSaid("subject", "split.subject_too_long", {{"count", std::to_string(kMaxSubjectChars)}});

  TicketSplit out{original, original, {}};
  Ticket& t = out.ticket;
  t.number = 0;
  t.subject = trimmed.empty() ? original.subject : std::string(trimmed);
  t.status = Status::kNew;
  t.resolution.reset();
  t.resolution_summary.clear();
  t.created_at = now;
  t.updated_at = now;
  t.first_response_at.reset();
  t.solved_at.reset();
  t.closed_at.reset();
  t.escalation_level = 0;
  out.original.updated_at = now;
  out.events.push_back({"ticket.split", original.number, actor.user_id, now,
                        {{"messages_moved", "", std::to_string(unique.size())}}, 0});
  return out;
}

std::vector<Event> SplitOffEvents(const Ticket& split_off, Id original, size_t moved, const Actor& actor, Instant now) {
  return {{"ticket.created", split_off.number, actor.user_id, now,
           {{"subject", "", split_off.subject}, {"status", "", std::string(Name(split_off.status))}, {"priority", "", split_off.priority}},
           0},
          {"ticket.split", split_off.number, actor.user_id, now,
           {{"split_from", "", Num(original)}, {"messages_moved", "", std::to_string(moved)}}, 0}};
}

std::string CaseNoticeText(CaseNotice notice, std::string_view language, Id a, Id b) {
  std::string_view id = "case.merged_into";
  switch (notice) {
    case CaseNotice::kMergedInto: id = "case.merged_into"; break;
    case CaseNotice::kMergedFrom: id = "case.merged_from"; break;
    case CaseNotice::kUnmerged: id = "case.unmerged"; break;
    case CaseNotice::kSplitInto: id = "case.split_into"; break;
    case CaseNotice::kSplitFrom: id = "case.split_from"; break;
  }
  return Say(id, {{"a", Num(a)}, {"b", Num(b)}}, language);
}

}  // namespace chamado::core
