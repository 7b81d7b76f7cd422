#include "store/merge.h"

#include "store/commands.h"
#include "store/rules.h"
#include "store/mail_out.h"
#include "store/routing.h"
#include "store/service_level.h"

namespace chamado::store {
using namespace core;

Result<std::optional<Ticket>> SurvivorOf(Repo& repo, std::optional<Ticket> t) {
  for (int hops = 0; t && hops < 20; ++hops) {
    CHAMADO_ASSIGN_OR_RETURN(auto merge, repo.GetMerge(t->number));
    if (!merge) break;
    CHAMADO_ASSIGN_OR_RETURN(auto survivor, repo.GetTicket(merge->into));
    if (!survivor) break;
    t = std::move(survivor);
  }
  return t;
}

namespace {

Result<Ticket> Load(Repo& repo, const User& actor, Id number) {
  CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(number));
  if (!t || !CanSee(ActorOf(actor), *t)) return NoSuchTicket(number);
  return std::move(*t);
}

// The survivor is named in the request body ("into"): a missing one is the body's mistake.
Result<Ticket> LoadInto(Repo& repo, const User& actor, Id number) {
  auto t = Load(repo, actor, number);
  if (!t.ok() && t.error().code == ErrorCode::kNotFound) return Error::Invalid("into", t.error().message);
  return t;
}

// Writes a ticket a merge or split changed: its row, its status history, its events.
Result<void> Save(Repo& repo, const sla::Policy& policy, const Ticket& before, const Ticket& after,
                  const std::vector<Event>& events, Instant now) {
  CHAMADO_TRY(repo.UpdateTicket(after, policy.catalog));
  if (after.status != before.status) CHAMADO_TRY(repo.InsertStatusChange(after.number, now, after.status));
  std::vector<Event> own;
  for (const auto& e : events)
    if (e.ticket_number == after.number) own.push_back(e);
  return repo.InsertEvents(own, after.number, 0);
}

// A merge or unmerge that changed `after`'s status is a status change like any other: the
// policy's status_changed rules run on it (`after` becomes the ticket as they leave it).
Result<void> StatusRules(Repo& repo, const sla::Policy& policy, const Ticket& before, Ticket& after, Instant now) {
  if (after.status == before.status) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(after, RunEventRules(repo, policy, sla::RuleTrigger::kStatusChanged, std::move(after), now));
  return Ok();
}

// A public notice on `t`, written in its requester's language, from the agent who acted.
Result<Message> Notice(Repo& repo, const User& actor, const Ticket& t, CaseNotice notice, Id other, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto requester, repo.GetUser(t.requester_id));
  Message m;
  m.ticket_number = t.number;
  m.kind = MessageKind::kSystemNotice;
  m.author_id = actor.id;
  m.body = CaseNoticeText(notice, requester ? requester->language : "en", t.number, other);
  m.channel = Channel::kWeb;
  m.created_at = now;
  return repo.InsertMessage(std::move(m));
}

}  // namespace

Result<MergedTickets> MergeTicketCommand(Repo& repo, const sla::Policy& policy, const User& actor, Id merged_number,
                                         Id into, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto merged, Load(repo, actor, merged_number));
  CHAMADO_ASSIGN_OR_RETURN(auto survivor, LoadInto(repo, actor, into));
  CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.GetMerge(merged_number));
  std::optional<Id> merged_into;
  if (existing) merged_into = existing->into;
  CHAMADO_ASSIGN_OR_RETURN(auto done, MergeTickets(merged, merged_into, survivor, ActorOf(actor), now));

  CHAMADO_ASSIGN_OR_RETURN(const int64_t moved, repo.MoveMessagesForMerge(merged.number, survivor.number));
  CHAMADO_TRY(Save(repo, policy, merged, done.merged, done.events, now));
  CHAMADO_TRY(Save(repo, policy, survivor, done.survivor, done.events, now));
  CHAMADO_TRY(repo.InsertMerge({merged.number, survivor.number, merged.status, actor.id, now}));
  CHAMADO_TRY(repo.InsertTicketLink(merged.number, survivor.number, TicketLinkKind::kMerged, now));
  CHAMADO_TRY(Notice(repo, actor, done.merged, CaseNotice::kMergedInto, survivor.number, now));
  CHAMADO_TRY(Notice(repo, actor, done.survivor, CaseNotice::kMergedFrom, merged.number, now));
  // The survivor's history now holds the merged ticket's messages: its clocks are computed
  // again from them; the merged ticket's stop with its closing.
  CHAMADO_TRY(RefreshClocks(repo, policy, done.merged, now));
  CHAMADO_TRY(RefreshClocks(repo, policy, done.survivor, now));
  CHAMADO_TRY(QueueMergeMail(repo, done.merged, survivor.number, now));
  CHAMADO_ASSIGN_OR_RETURN(done.merged, RouteAfterChange(repo, policy, merged, std::move(done.merged), now));
  CHAMADO_TRY(StatusRules(repo, policy, merged, done.merged, now));
  CHAMADO_TRY(StatusRules(repo, policy, survivor, done.survivor, now));
  return MergedTickets{std::move(done.merged), std::move(done.survivor), moved};
}

Result<MergedTickets> UnmergeTicketCommand(Repo& repo, const sla::Policy& policy, const User& actor, Id merged_number,
                                           Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto merged, Load(repo, actor, merged_number));
  CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.GetMerge(merged_number));
  if (!existing)
    return Error::Said(ErrorCode::kConflict, "merge.not_merged", {{"number", std::to_string(merged_number)}});
  CHAMADO_ASSIGN_OR_RETURN(auto survivor, Load(repo, actor, existing->into));
  CHAMADO_ASSIGN_OR_RETURN(auto done, UnmergeTicket(merged, existing->into, existing->previous, survivor, ActorOf(actor), now));

  CHAMADO_ASSIGN_OR_RETURN(const int64_t moved, repo.ReturnMergedMessages(merged.number));
  CHAMADO_TRY(Save(repo, policy, merged, done.merged, done.events, now));
  CHAMADO_TRY(Save(repo, policy, survivor, done.survivor, done.events, now));
  CHAMADO_TRY(repo.DeleteMerge(merged.number));
  CHAMADO_TRY(repo.DeleteTicketLink(merged.number, survivor.number, TicketLinkKind::kMerged));
  CHAMADO_TRY(Notice(repo, actor, done.merged, CaseNotice::kUnmerged, survivor.number, now));
  CHAMADO_TRY(Notice(repo, actor, done.survivor, CaseNotice::kUnmerged, merged.number, now));
  CHAMADO_TRY(RefreshClocks(repo, policy, done.merged, now));
  CHAMADO_TRY(RefreshClocks(repo, policy, done.survivor, now));
  CHAMADO_ASSIGN_OR_RETURN(done.merged, RouteAfterChange(repo, policy, merged, std::move(done.merged), now));
  CHAMADO_TRY(StatusRules(repo, policy, merged, done.merged, now));
  CHAMADO_TRY(StatusRules(repo, policy, survivor, done.survivor, now));
  return MergedTickets{std::move(done.merged), std::move(done.survivor), moved};
}

Result<SplitTickets> SplitTicketCommand(Repo& repo, const sla::Policy& policy, const User& actor, Id number,
                                        const std::vector<Id>& message_ids, std::string_view subject, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto original, Load(repo, actor, number));
  CHAMADO_ASSIGN_OR_RETURN(auto own, repo.MessageIds(number));
  CHAMADO_ASSIGN_OR_RETURN(auto split, SplitTicket(original, own, message_ids, subject, ActorOf(actor), now));

  CHAMADO_ASSIGN_OR_RETURN(auto split_off, repo.InsertTicket(std::move(split.ticket), policy.catalog));
  for (Id id : message_ids) {
    CHAMADO_ASSIGN_OR_RETURN(const bool moved, repo.MoveMessage(id, number, split_off.number));
    if (!moved) return Error::Internal("message " + std::to_string(id) + " left ticket #" + std::to_string(number) + " during its split");
  }
  CHAMADO_TRY(Save(repo, policy, original, split.original, split.events, now));
  CHAMADO_TRY(repo.InsertEvents(SplitOffEvents(split_off, number, message_ids.size(), ActorOf(actor), now), split_off.number, 0));
  CHAMADO_ASSIGN_OR_RETURN(const std::string language, repo.TicketLanguage(number));
  if (!language.empty()) CHAMADO_TRY(repo.SetTicketLanguage(split_off.number, language));
  CHAMADO_TRY(repo.InsertTicketLink(split_off.number, number, TicketLinkKind::kSplit, now));
  CHAMADO_TRY(Notice(repo, actor, split.original, CaseNotice::kSplitInto, split_off.number, now));
  CHAMADO_TRY(Notice(repo, actor, split_off, CaseNotice::kSplitFrom, number, now));
  CHAMADO_TRY(RefreshClocks(repo, policy, split.original, now));
  CHAMADO_TRY(RefreshClocks(repo, policy, split_off, now));
  return SplitTickets{std::move(split.original), std::move(split_off)};
}

}  // namespace chamado::store
