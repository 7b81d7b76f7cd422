// The auto-close carried out on a real SQLite file: the due rows follow the ticket's history,
// and what fires fires once, whatever the number of passes, their racing, or a restart.
#include "store/automations.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <thread>

#include "store/commands.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

constexpr const char* kPolicy = R"(name = "Auto-close"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P3"
description = "Medium"
[automations.auto_close]
after = "48h"
reminder_before = "24h"
)";

class AutomationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_automations_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_ = TestStoreOptions(dir_);
    Open();
    auto policy = ParseStoredPolicy(kPolicy, "auto.toml", {});
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *policy, {}, std::nullopt, At("2026-03-01T00:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(store_->ReloadPolicy().ok());
    agent_ = Insert("agent@desk.example", Role::kAgent);
    customer_ = Insert("ze@acme.example", Role::kCustomer);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void Open() {
    store_.reset();
    auto s = Store::Open(options_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
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

  // A ticket the agent opened for the customer and set waiting on them at `asked`.
  Id Waiting(const char* opened, const char* asked) {
    auto r = store_->WriteSync<Id>([&](Repo& repo) -> Result<Id> {
      OpenTicketRequest req;
      req.ticket.subject = "Media upload fails";
      req.ticket.description = "details";
      req.requester_email = customer_.email;
      CHAMADO_ASSIGN_OR_RETURN(auto t, OpenTicketCommand(repo, *store_->policy(), *masker_, agent_, req, At(opened)));
      return t.ticket.number;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    Reply(*r, asked, Status::kPendingCustomer);
    return *r;
  }

  void Reply(Id number, const char* at, std::optional<Status> status) {
    NewMessage m{MessageKind::kPublicReply, "Could you send the request id?", Channel::kWeb, false, {}, status, std::nullopt};
    auto r = store_->WriteSync<MessagePosted>(
        [&](Repo& repo) { return AddMessageCommand(repo, *store_->policy(), *masker_, agent_, number, m, At(at)); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void CustomerWrites(Id number, const char* at, bool automatic) {
    NewMessage m{MessageKind::kCustomerMessage, automatic ? "I am on holiday until Monday." : "Here: 8c1f", Channel::kEmail,
                 automatic, {}, std::nullopt, std::nullopt};
    auto r = store_->WriteSync<MessagePosted>(
        [&](Repo& repo) { return AddMessageCommand(repo, *store_->policy(), *masker_, customer_, number, m, At(at)); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // One scheduler pass over the automations, as jobs::Scheduler runs it: the due rows read
  // and fired in one write transaction.
  AutomationsFired Pass(const char* now) {
    auto r = store_->WriteSync<AutomationsFired>([&](Repo& repo) -> Result<AutomationsFired> {
      AutomationsFired total;
      CHAMADO_ASSIGN_OR_RETURN(auto due, repo.DueAutomationTickets(At(now), 200));
      for (Id n : due) {
        CHAMADO_ASSIGN_OR_RETURN(auto f, FireAutomations(repo, *store_->policy(), n, At(now)));
        total.reminders += f.reminders;
        total.closes += f.closes;
      }
      return total;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : AutomationsFired{};
  }

  Ticket Get(Id number) {
    auto r = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(number); });
    EXPECT_TRUE(r.ok() && *r);
    return **r;
  }

  std::optional<Repo::AutomationRow> Row(Id number) {
    auto r = store_->Read<std::optional<Repo::AutomationRow>>([&](Repo& repo) { return repo.AutomationRowOf(number, "auto_close"); });
    EXPECT_TRUE(r.ok());
    return *r;
  }

  // How many events of `kind` and mails of `template_name` the ticket has.
  int Events(Id number, std::string_view kind) {
    auto r = store_->Read<Paged<StoredEvent>>([&](Repo& repo) { return repo.ListEvents(number, {200, ""}); });
    EXPECT_TRUE(r.ok());
    return int(std::count_if(r->items.begin(), r->items.end(), [&](const StoredEvent& e) { return e.event.kind == kind; }));
  }
  int Mails(Id number, std::string_view template_name) {
    auto r = store_->Read<Paged<Repo::QueuedNotification>>([&](Repo& repo) { return repo.ListOutbox(number, {200, ""}); });
    EXPECT_TRUE(r.ok());
    const std::string event = "mail." + std::string(template_name);
    return int(std::count_if(r->items.begin(), r->items.end(), [&](const auto& n) {
      return n.row.event == event && n.row.recipient == customer_.email;
    }));
  }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ = *SecretMasker::Make(SecretMasker::Defaults());
  User agent_, customer_;
};

TEST_F(AutomationsTest, TheRowFollowsTheWaitingPeriod) {
  const Id n = Waiting("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
  auto row = Row(n);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->waiting_since, At("2026-03-02T10:00:00Z"));
  EXPECT_EQ(row->remind_at, At("2026-03-03T10:00:00Z"));
  EXPECT_EQ(row->close_at, At("2026-03-04T10:00:00Z"));
  EXPECT_EQ(row->next_fire_at, At("2026-03-03T10:00:00Z"));
  // An out-of-office reply changes nothing; the customer's answer ends the period.
  CustomerWrites(n, "2026-03-02T10:05:00Z", true);
  EXPECT_EQ(Row(n)->waiting_since, At("2026-03-02T10:00:00Z"));
  CustomerWrites(n, "2026-03-02T12:00:00Z", false);
  EXPECT_FALSE(Row(n));
  // Asked again: a new period.
  Reply(n, "2026-03-02T13:00:00Z", Status::kPendingCustomer);
  EXPECT_EQ(Row(n)->close_at, At("2026-03-04T13:00:00Z"));
}

TEST_F(AutomationsTest, RemindsOnceThenClosesOnce) {
  const Id n = Waiting("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
  EXPECT_EQ(Pass("2026-03-03T09:59:00Z").reminders, 0);
  EXPECT_EQ(Pass("2026-03-03T10:00:00Z").reminders, 1);
  EXPECT_EQ(Pass("2026-03-03T10:00:00Z").reminders, 0);  // a second pass at the same instant
  Open();                                                 // a restart
  EXPECT_EQ(Pass("2026-03-03T11:00:00Z").reminders, 0);
  // An out-of-office reply after the reminder refreshes the row: the reminder stays sent.
  CustomerWrites(n, "2026-03-03T11:30:00Z", true);
  EXPECT_EQ(Row(n)->next_fire_at, At("2026-03-04T10:00:00Z"));
  EXPECT_EQ(Pass("2026-03-03T12:00:00Z").reminders, 0);
  EXPECT_EQ(Events(n, "automation.reminded"), 1);
  EXPECT_EQ(Mails(n, "auto_close_reminder"), 1);
  EXPECT_EQ(Get(n).status, Status::kPendingCustomer);

  EXPECT_EQ(Pass("2026-03-04T09:59:59Z").closes, 0);
  EXPECT_EQ(Pass("2026-03-04T10:00:00Z").closes, 1);
  Open();
  EXPECT_EQ(Pass("2026-03-04T10:00:01Z").closes, 0);
  EXPECT_EQ(Pass("2026-03-05T10:00:00Z").closes, 0);
  const Ticket t = Get(n);
  EXPECT_EQ(t.status, Status::kClosed);
  EXPECT_EQ(t.resolution, Resolution::kAnswered);
  EXPECT_EQ(t.closed_at, At("2026-03-04T10:00:00Z"));
  EXPECT_EQ(Events(n, "automation.closed"), 1);
  EXPECT_EQ(Mails(n, "auto_closed"), 1);
  EXPECT_FALSE(Row(n));
}

TEST_F(AutomationsTest, RacingPassesFireOnce) {
  std::vector<Id> tickets;
  for (int i = 0; i < 20; ++i) tickets.push_back(Waiting("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"));
  std::atomic<int> closes{0};
  std::vector<std::thread> passes;
  for (int i = 0; i < 4; ++i) passes.emplace_back([&] { closes += Pass("2026-03-05T00:00:00Z").closes; });
  for (auto& p : passes) p.join();
  EXPECT_EQ(closes.load(), 20);
  for (Id n : tickets) {
    EXPECT_EQ(Events(n, "automation.closed"), 1);
    EXPECT_EQ(Mails(n, "auto_closed"), 1);
    // A pass that comes late skips the reminder it missed: "closes tomorrow" would be false.
    EXPECT_EQ(Mails(n, "auto_close_reminder"), 0);
  }
}

TEST_F(AutomationsTest, AnAnswerCancelsAndANewWaitRemindsAgain) {
  const Id n = Waiting("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
  EXPECT_EQ(Pass("2026-03-03T10:00:00Z").reminders, 1);
  CustomerWrites(n, "2026-03-03T12:00:00Z", false);
  EXPECT_EQ(Pass("2026-03-06T00:00:00Z").closes, 0);
  EXPECT_EQ(Get(n).status, Status::kOpen);
  Reply(n, "2026-03-06T00:00:00Z", Status::kPendingCustomer);
  EXPECT_EQ(Pass("2026-03-07T00:00:00Z").reminders, 1);
  EXPECT_EQ(Mails(n, "auto_close_reminder"), 2);
  EXPECT_EQ(Pass("2026-03-08T00:00:00Z").closes, 1);
}

TEST_F(AutomationsTest, AnOutOfOfficeReplyDoesNotCount) {
  const Id n = Waiting("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z");
  CustomerWrites(n, "2026-03-03T11:00:00Z", true);
  EXPECT_EQ(Get(n).status, Status::kPendingCustomer);
  EXPECT_EQ(Pass("2026-03-04T10:00:00Z").closes, 1);
  EXPECT_EQ(Get(n).status, Status::kClosed);
}

}  // namespace
}  // namespace chamado::store
