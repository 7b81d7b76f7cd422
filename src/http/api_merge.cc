// One case = one ticket: merge, undo a merge, split (store/merge.h), and bulk changes of
// many tickets at once. Agents only (the route table says so; the commands check it too).
//
// A bulk request is one unit of work in which every ticket has its own savepoint: each
// ticket's change goes through the single-ticket command (ChangeTicketCommand or
// MergeTicketCommand, with their checks, events, clocks, routing and mail), a ticket that
// fails is rolled back alone, and the response lists each ticket with its outcome. The
// ones that succeeded commit together.
#include <set>

#include "core/text.h"
#include "http/api_impl.h"
#include "store/commands.h"
#include "store/merge.h"

namespace chamado::http {
using store::Repo;

namespace {

constexpr size_t kMaxBulkTickets = 500;

// Both tickets of a merge or its undo, gathered for the response.
struct MergeViews {
  std::shared_ptr<WrittenTicket> merged;
  std::shared_ptr<WrittenTicket> survivor;
  int64_t moved = 0;
};

Result<MergeViews> Views(Repo& repo, const sla::Policy& policy, store::MergedTickets done, const core::Actor& actor) {
  MergeViews v;
  v.moved = done.messages_moved;
  CHAMADO_ASSIGN_OR_RETURN(v.merged, GatherTicket(repo, policy, std::move(done.merged), actor));
  CHAMADO_ASSIGN_OR_RETURN(v.survivor, GatherTicket(repo, policy, std::move(done.survivor), actor));
  return v;
}

json::object MergeJson(MergeViews& v, const sla::Policy& policy, std::string_view language, Instant now) {
  return json::object{{"merged", RenderTicket(*v.merged, policy, true, language, now)},
                      {"survivor", RenderTicket(*v.survivor, policy, true, language, now)},
                      {"messages_moved", v.moved}};
}

// The problem a failed ticket of a bulk request reports: the one a single-ticket request
// would have answered.
json::value ProblemOf(const Error& e, std::string_view path) {
  return json::parse(ProblemResponse(e, path).body);
}

}  // namespace

void Api::Impl::MergeTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"into"});
  f.Require("into", "the number of the ticket that stays, such as 1234");
  const auto into = f.Int("into");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  const Id n = *number;
  WriteThen<MergeViews>(
      std::move(c),
      [policy, actor, n, into = *into, now](Repo& repo) -> Result<MergeViews> {
        CHAMADO_ASSIGN_OR_RETURN(auto done, store::MergeTicketCommand(repo, *policy, actor, n, into, now));
        return Views(repo, *policy, std::move(done), store::ActorOf(actor));
      },
      [policy, language = actor.language, now](MergeViews& v) { return JsonResponse(200, MergeJson(v, *policy, language, now)); });
}

void Api::Impl::UnmergeTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  const Id n = *number;
  WriteThen<MergeViews>(
      std::move(c),
      [policy, actor, n, now](Repo& repo) -> Result<MergeViews> {
        CHAMADO_ASSIGN_OR_RETURN(auto done, store::UnmergeTicketCommand(repo, *policy, actor, n, now));
        return Views(repo, *policy, std::move(done), store::ActorOf(actor));
      },
      [policy, language = actor.language, now](MergeViews& v) { return JsonResponse(200, MergeJson(v, *policy, language, now)); });
}

void Api::Impl::SplitTicket(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"message_ids", "subject"});
  f.Require("message_ids", "the ids of the messages that become the new ticket, such as [41, 42]");
  auto ids = f.IntList("message_ids", core::kMaxSplitMessages);
  auto subject = f.Str("subject", 4 * core::kMaxSubjectChars);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  const Id n = *number;
  struct Split {
    std::shared_ptr<WrittenTicket> original;
    std::shared_ptr<WrittenTicket> ticket;
  };
  WriteThen<Split>(
      std::move(c),
      [policy, actor, n, ids = std::vector<Id>(ids->begin(), ids->end()), subject = subject.value_or(""),
       now](Repo& repo) -> Result<Split> {
        CHAMADO_ASSIGN_OR_RETURN(auto done, store::SplitTicketCommand(repo, *policy, actor, n, ids, subject, now));
        Split out;
        CHAMADO_ASSIGN_OR_RETURN(out.original, GatherTicket(repo, *policy, std::move(done.original), store::ActorOf(actor)));
        CHAMADO_ASSIGN_OR_RETURN(out.ticket, GatherTicket(repo, *policy, std::move(done.split_off), store::ActorOf(actor)));
        return out;
      },
      [policy, language = actor.language, now](Split& s) {
        return JsonResponse(201, json::object{{"original", RenderTicket(*s.original, *policy, true, language, now)},
                                              {"ticket", RenderTicket(*s.ticket, *policy, true, language, now)}});
      });
}

void Api::Impl::BulkTickets(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"tickets", "status", "priority", "group_id", "assignee_id", "add_tags", "remove_tags", "merge_into"});
  f.Require("tickets", "the numbers of the tickets to change, such as [12, 15]");
  std::vector<Id> numbers;
  if (const auto* raw = f.Raw("tickets"); raw && raw->is_array() && raw->as_array().size() > kMaxBulkTickets) {
    f.Fail("tickets", "A bulk change takes at most " + std::to_string(kMaxBulkTickets) + " tickets; this one lists " +
                          std::to_string(raw->as_array().size()) + ". Send them in several requests.");
  } else if (auto list = f.IntList("tickets", kMaxBulkTickets)) {
    std::set<Id> seen;
    for (int64_t n : *list) {
      if (!seen.insert(n).second) f.Fail("tickets", "Ticket #" + std::to_string(n) + " is listed twice.");
      numbers.push_back(n);
    }
    if (list->empty()) f.Fail("tickets", "Choose at least one ticket.");
  }
  store::ChangeTicketRequest change;
  if (auto s = f.Str("status", 32)) {
    change.patch.status = core::ParseStatus(*s);
    if (!change.patch.status) f.Fail("status", "Unknown status \"" + *s + "\"; use one of " + core::StatusNames() + ".");
  }
  change.patch.priority = f.Str("priority", 64);
  change.group_id = f.NullableInt("group_id");
  change.assignee_id = f.NullableInt("assignee_id");
  change.patch.add_tags = f.StrList("add_tags", 50).value_or(std::vector<std::string>{});
  change.patch.remove_tags = f.StrList("remove_tags", 50).value_or(std::vector<std::string>{});
  const auto merge_into = f.Int("merge_into");
  const bool changes_fields = change.patch.status || change.patch.priority || change.group_id || change.assignee_id ||
                              !change.patch.add_tags.empty() || !change.patch.remove_tags.empty();
  if (merge_into && changes_fields)
    f.Fail("merge_into", "A merge is a bulk action of its own; send the field changes in another request.");
  if (!merge_into && !changes_fields && f.Has("tickets"))
    f.Fail("tickets", "Say what to change: status, priority, group_id, assignee_id, add_tags, remove_tags or merge_into.");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());

  auto policy = store.policy();
  const Instant now = clock.Now();
  const core::User actor = c.who().user;
  struct Outcome {
    Id number = 0;
    std::optional<Error> error;  // nullopt: changed
    bool survivor = false;
  };
  WriteThen<std::vector<Outcome>>(
      std::move(c),
      [policy, masker = options.masker, actor, numbers, change, merge_into, now](Repo& repo) -> Result<std::vector<Outcome>> {
        std::vector<Outcome> out;
        for (Id n : numbers) {
          Outcome o{n, std::nullopt, merge_into && *merge_into == n};
          if (o.survivor) {
            out.push_back(std::move(o));
            continue;
          }
          CHAMADO_TRY(repo.conn().Run("SAVEPOINT bulk_ticket", {}));
          Result<void> r = Ok();
          if (merge_into) {
            auto m = store::MergeTicketCommand(repo, *policy, actor, n, *merge_into, now);
            if (!m.ok()) r = m.error();
          } else {
            auto t = store::ChangeTicketCommand(repo, *policy, *masker, actor, n, change, now);
            if (!t.ok()) r = t.error();
          }
          if (!r.ok()) {
            o.error = r.error();
            CHAMADO_TRY(repo.conn().Run("ROLLBACK TO bulk_ticket", {}));
          }
          CHAMADO_TRY(repo.conn().Run("RELEASE bulk_ticket", {}));
          out.push_back(std::move(o));
        }
        return out;
      },
      [](std::vector<Outcome>& outcomes) {
        json::array results;
        int64_t succeeded = 0, failed = 0;
        for (const auto& o : outcomes) {
          const std::string path = "/api/v1/tickets/" + std::to_string(o.number);
          json::object r{{"ticket", o.number}, {"ok", !o.error}};
          if (o.survivor) r["survivor"] = true;
          if (o.error) r["problem"] = ProblemOf(*o.error, path);
          (o.error ? failed : succeeded) += 1;
          results.push_back(std::move(r));
        }
        return JsonResponse(200, json::object{{"results", std::move(results)}, {"succeeded", succeeded}, {"failed", failed}});
      });
}

}  // namespace chamado::http
