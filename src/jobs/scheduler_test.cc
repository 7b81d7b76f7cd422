// The scheduler's desk-wide jobs on one database: re-targeting every active ticket's clocks
// after a new policy is done once for the desk, in batches that instances take between them,
// and resumes where it stopped.
#include "jobs/scheduler.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/commands.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::jobs {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// The same policy but for its first-response target: each applied version re-targets.
std::string PolicyWithTarget(int hours) {
  return R"(name = "Retarget"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P3"
description = "Medium"
[[targets]]
target = "first_response"
within = ")" +
         std::to_string(hours) + R"(h"
)";
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_scheduler_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_ = store::TestStoreOptions(dir_);
    auto s = store::Store::Open(options_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    masker_ = *SecretMasker::Make(SecretMasker::Defaults());
    Apply(4);
    User u;
    u.email = "agent@desk.example";
    u.name = "Agent";
    u.role = Role::kAgent;
    u.language = "en";
    u.created_at = At("2026-03-01T00:00:00Z");
    auto agent = store_->WriteSync<User>([&](store::Repo& repo) { return repo.InsertUser(u, ""); });
    ASSERT_TRUE(agent.ok()) << agent.error().message;
    agent_ = *agent;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void Apply(int hours) {
    auto policy = store::ParseStoredPolicy(PolicyWithTarget(hours), "retarget.toml", {});
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    auto v = store_->WriteSync<int64_t>(
        [&](store::Repo& repo) { return store::ApplyPolicyCommand(repo, *policy, {}, std::nullopt, At("2026-03-01T00:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(store_->ReloadPolicy().ok());
  }

  // `n` open tickets, in write transactions of a hundred.
  void OpenTickets(int n) {
    for (int done = 0; done < n;) {
      const int batch = std::min(100, n - done);
      auto r = store_->WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
        for (int i = 0; i < batch; ++i) {
          store::OpenTicketRequest req;
          req.ticket.subject = "Export stuck at 99%";
          req.ticket.description = "details";
          req.requester_email = "c" + std::to_string(done + i) + "@acme.example";
          CHAMADO_TRY(store::OpenTicketCommand(repo, *store_->policy(), *masker_, agent_, req, At("2026-03-02T10:00:00Z")));
        }
        return true;
      });
      ASSERT_TRUE(r.ok()) << r.error().message;
      done += batch;
    }
  }

  fs::path dir_;
  store::StoreOptions options_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const SecretMasker> masker_;
  User agent_;
};

// A second instance (or a restart) finds the re-targeting done, and does it again only for a
// newer policy.
TEST_F(SchedulerTest, ReTargetingIsDoneOncePerPolicyVersion) {
  OpenTickets(1100);
  ManualClock clock(At("2026-03-02T11:00:00Z"));
  Apply(8);
  Scheduler first(*store_, clock, masker_);
  auto did = first.RetargetIfPolicyChanged();
  ASSERT_TRUE(did.ok()) << did.error().message;
  EXPECT_EQ(*did, 1100);
  EXPECT_EQ(*first.RetargetIfPolicyChanged(), 0);
  Scheduler restarted(*store_, clock, masker_);
  EXPECT_EQ(*restarted.RetargetIfPolicyChanged(), 0) << "recorded in the database, not in the process";
  Apply(2);
  EXPECT_EQ(*restarted.RetargetIfPolicyChanged(), 1100);
  EXPECT_EQ(*first.RetargetIfPolicyChanged(), 0);
}

// Interrupted after its first batch (the process stopped), the work resumes after the last
// ticket that batch re-targeted.
TEST_F(SchedulerTest, ReTargetingResumesWhereItStopped) {
  OpenTickets(1100);
  ManualClock clock(At("2026-03-02T11:00:00Z"));
  Apply(8);
  const std::string version = std::to_string(store_->policy_version());
  // What the first batch of 500 leaves behind: the cursor at the 500th active ticket.
  auto cursor = store_->WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.ActiveTicketsAfter(0, 500));
    CHAMADO_TRY(repo.SetSetting("clocks_retarget_cursor", version + ":" + std::to_string(numbers.back())));
    return true;
  });
  ASSERT_TRUE(cursor.ok()) << cursor.error().message;
  Scheduler scheduler(*store_, clock, masker_);
  EXPECT_EQ(*scheduler.RetargetIfPolicyChanged(), 600);
}

// Two instances on one PostgreSQL database re-target at once: each batch is done by one of
// them, so between them they do every ticket once.
TEST_F(SchedulerTest, TwoInstancesShareTheReTargeting) {
  if (store::TestEngine() != "postgresql") GTEST_SKIP() << "SQLite serves one instance per file";
  OpenTickets(1100);
  ManualClock clock(At("2026-03-02T11:00:00Z"));
  auto other = store::Store::Open(options_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  Apply(8);
  ASSERT_TRUE((*other)->ReloadPolicy().ok());
  ASSERT_EQ((*other)->policy_version(), store_->policy_version());
  Scheduler a(*store_, clock, masker_);
  Scheduler b(**other, clock, masker_);
  const std::string version = std::to_string(store_->policy_version());
  std::atomic<int> total = 0;
  std::atomic<bool> failed = false;
  // Each instance's passes go on until the desk's re-targeting is recorded done (a pass ends
  // early while the other instance holds the turn), then one more, which finds it done.
  auto passes = [&](Scheduler& s, store::Store& st) {
    for (int i = 0; i < 100000; ++i) {
      auto r = s.RetargetIfPolicyChanged();
      if (!r.ok()) break;
      total += *r;
      auto done = st.ReadOne<std::optional<std::string>>([](store::Repo& repo) { return repo.GetSetting("clocks_policy_version"); });
      if (done.ok() && *done && **done == version) {
        auto last = s.RetargetIfPolicyChanged();
        if (!last.ok()) break;
        total += *last;
        return;
      }
      std::this_thread::yield();
    }
    failed = true;
  };
  std::thread ta([&] { passes(a, *store_); });
  std::thread tb([&] { passes(b, **other); });
  ta.join();
  tb.join();
  EXPECT_FALSE(failed);
  EXPECT_EQ(total.load(), 1100) << "each active ticket re-targeted once";
}

}  // namespace
}  // namespace chamado::jobs
