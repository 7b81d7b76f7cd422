// The policy's rules carried out on a real SQLite file: time rules fire once per anchor, in
// the scheduler's pass, whatever the number of passes; event rules fire in the change's
// transaction, and the rules' own changes start no other rule.
#include "store/rules.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>

#include "store/commands.h"
#include "store/merge.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

constexpr const char* kPolicy = R"(name = "Rules"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
[[priorities]]
name = "P3"
description = "Medium"

# The customer's unanswered message waits 4 hours: the lead hears of it, a webhook too.
[[automations.rules]]
name = "unanswered-4h"
on = "time"
since = "customer_reply"
after = "4h"
when = { status = ["new", "open"], not_tag = "muted" }
add_tags = "waiting-long"
notify = "lead@desk.example"
webhook = "https://hooks.example/chamado"

# On hold a day: back to open, once per stay on hold.
[[automations.rules]]
name = "on-hold-a-day"
on = "time"
since = "status"
after = "24h"
when = { status = "on_hold" }
set = { status = "open" }

# An urgent word from the customer raises the priority and tells them.
[[automations.rules]]
name = "urgent-word"
on = "customer_replied"
when = { tag = "vip" }
set = { priority = "P1" }
mail = { subject = { en = "We are on it", pt-BR = "Estamos cuidando" }, body = { en = "Hello {{{recipient.name}}}, #{{{ticket.number}}} is urgent now." } }

# Any status change by a person is tagged; the rules' own changes are not (no chains).
[[automations.rules]]
name = "status-seen"
on = "status_changed"
add_tags = "status-seen"

# A rule whose group does not exist cannot act: it says so on the ticket.
[[automations.rules]]
name = "to-nowhere"
on = "ticket_created"
when = { tag = "broken" }
set = { group = "Nowhere" }
)";

class RulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_rules_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    Apply(kPolicy);
    agent_ = Insert("agent@desk.example", Role::kAgent);
    customer_ = Insert("ze@acme.example", Role::kCustomer);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void Apply(const char* text) {
    auto policy = ParseStoredPolicy(text, "rules.toml", {});
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *policy, {}, std::nullopt, At("2026-03-01T00:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(store_->ReloadPolicy().ok());
  }

  User Insert(const std::string& email, Role role) {
    User u;
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.role = role;
    u.language = "pt-BR";
    u.created_at = At("2026-03-01T00:00:00Z");
    auto r = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(u, ""); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  Id Open(const char* at, std::vector<std::string> tags = {}, bool automatic = false) {
    auto r = store_->WriteSync<Id>([&](Repo& repo) -> Result<Id> {
      OpenTicketRequest req;
      req.ticket.subject = "Media upload fails";
      req.ticket.description = "details";
      req.ticket.tags = tags;
      req.ticket.automatic = automatic;
      req.requester_email = customer_.email;
      CHAMADO_ASSIGN_OR_RETURN(auto t, OpenTicketCommand(repo, *store_->policy(), *masker_, agent_, req, At(at)));
      return t.ticket.number;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  void Write(Id number, const char* at, const User& who, std::optional<Status> status = std::nullopt) {
    const bool staff = IsStaff(who.role);
    NewMessage m;
    m.kind = staff ? MessageKind::kPublicReply : MessageKind::kCustomerMessage;
    m.body = "text";
    m.status = status;
    auto r = store_->WriteSync<MessagePosted>(
        [&](Repo& repo) { return AddMessageCommand(repo, *store_->policy(), *masker_, who, number, m, At(at)); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void SetStatus(Id number, const char* at, Status status) {
    ChangeTicketRequest req;
    req.patch.status = status;
    auto r = store_->WriteSync<Ticket>(
        [&](Repo& repo) { return ChangeTicketCommand(repo, *store_->policy(), *masker_, agent_, number, req, At(at)); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // One scheduler pass over the time rules, as jobs::Scheduler runs it.
  RulesFired Pass(const char* now) {
    auto r = store_->WriteSync<RulesFired>([&](Repo& repo) -> Result<RulesFired> {
      RulesFired total;
      CHAMADO_ASSIGN_OR_RETURN(auto due, repo.DueRuleTickets(At(now), 200));
      for (Id n : due) {
        CHAMADO_ASSIGN_OR_RETURN(auto f, FireDueRules(repo, *store_->policy(), n, At(now)));
        total.fired += f.fired;
        total.failed += f.failed;
      }
      return total;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : RulesFired{};
  }

  Ticket Get(Id number) {
    auto r = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(number); });
    EXPECT_TRUE(r.ok() && *r);
    return **r;
  }

  std::vector<Event> Events(Id number, std::string_view kind) {
    auto r = store_->Read<Paged<StoredEvent>>([&](Repo& repo) { return repo.ListEvents(number, {200, ""}); });
    EXPECT_TRUE(r.ok());
    std::vector<Event> out;
    for (const auto& e : r->items)
      if (e.event.kind == kind) out.push_back(e.event);
    return out;
  }
  // The rule names of a ticket's events of `kind`.
  std::vector<std::string> Fired(Id number, std::string_view kind = "automation.fired") {
    std::vector<std::string> out;
    for (const auto& e : Events(number, kind))
      for (const auto& c : e.changes)
        if (c.field == "rule") out.push_back(c.after);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<Repo::QueuedNotification> Outbox(Id number, std::string_view event) {
    auto r = store_->Read<Paged<Repo::QueuedNotification>>([&](Repo& repo) { return repo.ListOutbox(number, {200, ""}); });
    EXPECT_TRUE(r.ok());
    std::vector<Repo::QueuedNotification> out;
    for (const auto& n : r->items)
      if (n.row.event == event) out.push_back(n);
    return out;
  }
  std::optional<Repo::RuleRow> Row(Id number, std::string_view rule) {
    auto r = store_->Read<std::vector<Repo::RuleRow>>([&](Repo& repo) { return repo.RuleRowsOf(number); });
    EXPECT_TRUE(r.ok());
    for (const auto& row : *r)
      if (row.rule == rule) return row;
    return std::nullopt;
  }
  static bool HasTag(const Ticket& t, std::string_view tag) { return std::find(t.tags.begin(), t.tags.end(), tag) != t.tags.end(); }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ = *SecretMasker::Make(SecretMasker::Defaults());
  User agent_, customer_;
};

TEST_F(RulesTest, ATimeRuleFiresOnceAtItsDue) {
  const Id n = Open("2026-03-02T09:00:00Z");
  auto row = Row(n, "unanswered-4h");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->anchor, At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(row->due_at, At("2026-03-02T13:00:00Z"));
  EXPECT_EQ(Pass("2026-03-02T12:59:59Z").fired, 0);
  EXPECT_EQ(Pass("2026-03-02T13:00:00Z").fired, 1);
  EXPECT_EQ(Pass("2026-03-02T14:00:00Z").fired, 0);
  EXPECT_EQ(Pass("2026-03-05T14:00:00Z").fired, 0);
  EXPECT_EQ(Fired(n), std::vector<std::string>{"unanswered-4h"});
  EXPECT_TRUE(HasTag(Get(n), "waiting-long"));
  auto notices = Outbox(n, "automation.fired");
  ASSERT_EQ(notices.size(), 2u);  // the lead's mail and the webhook
  std::vector<std::string> to{notices[0].row.recipient, notices[1].row.recipient};
  std::sort(to.begin(), to.end());
  EXPECT_EQ(to, (std::vector<std::string>{"https://hooks.example/chamado", "lead@desk.example"}));
  EXPECT_NE(notices[0].row.payload.find("\"rule\":\"unanswered-4h\""), std::string::npos) << notices[0].row.payload;
  row = Row(n, "unanswered-4h");
  ASSERT_TRUE(row);
  EXPECT_FALSE(row->due_at);
  EXPECT_EQ(row->fired_at, At("2026-03-02T13:00:00Z"));
}

TEST_F(RulesTest, AnAnswerCancelsAndTheNextUnansweredMessageCountsAfresh) {
  const Id n = Open("2026-03-02T09:00:00Z");
  Write(n, "2026-03-02T10:00:00Z", agent_);
  EXPECT_FALSE(Row(n, "unanswered-4h"));  // nothing of the customer's waits
  EXPECT_EQ(Pass("2026-03-02T13:00:00Z").fired, 0);
  Write(n, "2026-03-02T11:00:00Z", customer_);
  EXPECT_EQ(Row(n, "unanswered-4h")->due_at, At("2026-03-02T15:00:00Z"));
  EXPECT_EQ(Pass("2026-03-02T15:00:00Z").fired, 1);
  // Fired for that message; the next one, unanswered again, fires again.
  Write(n, "2026-03-02T16:00:00Z", agent_);
  Write(n, "2026-03-02T17:00:00Z", customer_);
  EXPECT_EQ(Pass("2026-03-02T20:59:00Z").fired, 0);
  EXPECT_EQ(Pass("2026-03-02T21:00:00Z").fired, 1);
  // (The first agent reply opened the ticket: a status change, which status-seen tags.)
  EXPECT_EQ(Fired(n), (std::vector<std::string>{"status-seen", "unanswered-4h", "unanswered-4h"}));
}

TEST_F(RulesTest, ConditionsThatStopHoldingRemoveTheDue) {
  const Id n = Open("2026-03-02T09:00:00Z", {"muted"});
  EXPECT_FALSE(Row(n, "unanswered-4h"));
  EXPECT_EQ(Pass("2026-03-03T09:00:00Z").fired, 0);
  EXPECT_TRUE(Fired(n).empty());
}

TEST_F(RulesTest, ARuleThatUndoesItsConditionFiresOncePerStay) {
  const Id n = Open("2026-03-02T09:00:00Z", {"muted"});
  SetStatus(n, "2026-03-02T10:00:00Z", Status::kOnHold);
  EXPECT_EQ(Row(n, "on-hold-a-day")->due_at, At("2026-03-03T10:00:00Z"));
  EXPECT_EQ(Pass("2026-03-03T10:00:00Z").fired, 1);
  const Ticket t = Get(n);
  EXPECT_EQ(t.status, Status::kOpen);
  // The rule's own status change started no status_changed rule: only the agent's did.
  EXPECT_EQ(Fired(n), (std::vector<std::string>{"on-hold-a-day", "status-seen"}));
  // On hold again: a new stay, a new firing; passes in between find nothing.
  SetStatus(n, "2026-03-04T10:00:00Z", Status::kOnHold);
  EXPECT_EQ(Pass("2026-03-05T09:59:00Z").fired, 0);
  EXPECT_EQ(Pass("2026-03-05T10:00:00Z").fired, 1);
  EXPECT_EQ(Fired(n), (std::vector<std::string>{"on-hold-a-day", "on-hold-a-day", "status-seen", "status-seen"}));
}

TEST_F(RulesTest, EventRulesActInTheChangesTransaction) {
  const Id n = Open("2026-03-02T09:00:00Z", {"vip", "muted"});
  EXPECT_EQ(Get(n).priority, "P3");  // opening is not a reply
  Write(n, "2026-03-02T10:00:00Z", customer_);
  const Ticket t = Get(n);
  EXPECT_EQ(t.priority, "P1");
  EXPECT_EQ(Fired(n), std::vector<std::string>{"urgent-word"});
  auto mails = Outbox(n, "automation.mail");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].row.recipient, customer_.email);
  EXPECT_NE(mails[0].row.payload.find("\"template\":\"automation_mail\""), std::string::npos);
  EXPECT_NE(mails[0].row.payload.find("Estamos cuidando"), std::string::npos);
  // An agent's reply is not the customer's: the rule stays quiet (the reply opened the
  // ticket, which status-seen tags).
  Write(n, "2026-03-02T11:00:00Z", agent_);
  EXPECT_EQ(Fired(n), (std::vector<std::string>{"status-seen", "urgent-word"}));
  EXPECT_TRUE(HasTag(Get(n), "status-seen"));
}

TEST_F(RulesTest, ARuleThatCannotActSaysWhyAndChangesNothing) {
  const Id n = Open("2026-03-02T09:00:00Z", {"broken", "muted"});
  EXPECT_TRUE(Fired(n).empty());
  EXPECT_EQ(Fired(n, "automation.failed"), std::vector<std::string>{"to-nowhere"});
  const auto failed = Events(n, "automation.failed");
  ASSERT_EQ(failed.size(), 1u);
  bool said = false;
  for (const auto& c : failed[0].changes) said |= c.field == "reason" && c.after.find("Nowhere") != std::string::npos;
  EXPECT_TRUE(said);
  EXPECT_FALSE(Get(n).group_id);
}

TEST_F(RulesTest, ATicketAMachineOpenedStartsNoRule) {
  // An out-of-office reply that opened a ticket: no rule answers it, so none can loop.
  const Id n = Open("2026-03-02T09:00:00Z", {"broken"}, /*automatic=*/true);
  EXPECT_TRUE(Fired(n, "automation.failed").empty());
  EXPECT_FALSE(Row(n, "unanswered-4h"));  // and nothing of the customer's waits for an answer
}

TEST_F(RulesTest, RulesThatLeaveThePolicyLeaveTheirRows) {
  const Id n = Open("2026-03-02T09:00:00Z");
  ASSERT_TRUE(Row(n, "unanswered-4h"));
  Apply(R"(name = "Rules"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
[[priorities]]
name = "P3"
description = "Medium"
)");
  EXPECT_EQ(Pass("2026-03-02T13:00:00Z").fired, 0);
  EXPECT_FALSE(Row(n, "unanswered-4h"));
  EXPECT_TRUE(Fired(n).empty());
}

// A merge closes the merged ticket and an unmerge gives it back its status: status changes
// like any other, which the policy's status_changed rules hear.
TEST_F(RulesTest, MergingAndUnmergingStartStatusChangedRules) {
  const Id merged = Open("2026-03-02T09:00:00Z", {"muted"});
  const Id survivor = Open("2026-03-02T09:05:00Z", {"muted"});
  ASSERT_TRUE(Fired(merged).empty());
  auto m = store_->WriteSync<MergedTickets>(
      [&](Repo& repo) { return MergeTicketCommand(repo, *store_->policy(), agent_, merged, survivor, At("2026-03-02T10:00:00Z")); });
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(Get(merged).status, Status::kClosed);
  EXPECT_EQ(Fired(merged), (std::vector<std::string>{"status-seen"}));
  EXPECT_TRUE(Fired(survivor).empty());  // its status stayed
  auto u = store_->WriteSync<MergedTickets>(
      [&](Repo& repo) { return UnmergeTicketCommand(repo, *store_->policy(), agent_, merged, At("2026-03-02T11:00:00Z")); });
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(Get(merged).status, Status::kNew);
  EXPECT_EQ(Fired(merged), (std::vector<std::string>{"status-seen", "status-seen"}));
}

}  // namespace
}  // namespace chamado::store
