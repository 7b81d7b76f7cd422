#include "app/user_add.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "auth/credentials.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

struct EventRow {
  std::string kind;
  core::Id actor_id = 0;
  std::string data;
};

class UserAddTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::Init().ok());
    dir_ = fs::path(::testing::TempDir()) / ("chamado_user_add_test_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::Store::Open({(dir_ / "chamado.db").string()});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // The audit events outside tickets (the directory's), oldest first.
  std::vector<EventRow> DirectoryEvents() {
    auto r = store_->Read<std::vector<EventRow>>([](store::Repo& repo) -> Result<std::vector<EventRow>> {
      std::vector<EventRow> out;
      CHAMADO_TRY(repo.conn().Run("SELECT kind, actor_id, data FROM events WHERE ticket_number IS NULL ORDER BY id", {},
                                  [&](const store::RowView& row) { out.push_back({row.Str(0), row.Int(1), row.Str(2)}); }));
      return out;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<EventRow>{};
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(UserAddTest, AnAgentAddedAtTheConsoleIsAudited) {
  auto r = AddUser(*store_, {"agent", "Lucas@Desk.test", "agent-pass-1", "Lucas", ""}, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->user.email, "lucas@desk.test");
  EXPECT_EQ(r->user.name, "Lucas");
  EXPECT_EQ(r->user.role, core::Role::kAgent);
  const auto events = DirectoryEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "agent.created");
  EXPECT_EQ(events[0].actor_id, 0) << "the console is no person";
  EXPECT_NE(events[0].data.find("lucas@desk.test"), std::string::npos) << events[0].data;
}

TEST_F(UserAddTest, ACustomerWithANewOrganizationAuditsBoth) {
  auto r = AddUser(*store_, {"customer", "c@acme.test", "customer-pass-1", "", "Acme Corp"}, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->user.name, "c");
  ASSERT_TRUE(r->user.organization_id.has_value());
  const auto events = DirectoryEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, "organization.created");
  EXPECT_NE(events[0].data.find("Acme Corp"), std::string::npos) << events[0].data;
  EXPECT_EQ(events[1].kind, "contact.created");

  // The same organization again, by name then by id: found, not created twice.
  ASSERT_TRUE(AddUser(*store_, {"customer", "d@acme.test", "customer-pass-1", "", "Acme Corp"}, At("2026-03-02T09:01:00Z")).ok());
  auto by_id = AddUser(*store_, {"customer", "e@acme.test", "customer-pass-1", "", std::to_string(*r->user.organization_id)},
                       At("2026-03-02T09:02:00Z"));
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  EXPECT_EQ(by_id->user.organization_id, r->user.organization_id);
  EXPECT_EQ(DirectoryEvents().size(), 4u);
}

// A number too large for an id is a name, not a crash (std::stoll threw here).
TEST_F(UserAddTest, AnOrganizationNumberTooLargeForAnIdIsAName) {
  const std::string huge = "99999999999999999999999";
  auto r = AddUser(*store_, {"customer", "f@acme.test", "customer-pass-1", "", huge}, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->user.organization_id.has_value());
  auto again = AddUser(*store_, {"customer", "g@acme.test", "customer-pass-1", "", huge}, At("2026-03-02T09:01:00Z"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->user.organization_id, r->user.organization_id);
}

TEST_F(UserAddTest, AddingAgainResetsThePasswordOfTheSameRoleOnly) {
  ASSERT_TRUE(AddUser(*store_, {"agent", "a@desk.test", "agent-pass-1", "", ""}, At("2026-03-02T09:00:00Z")).ok());
  auto again = AddUser(*store_, {"agent", "A@desk.test", "agent-pass-2", "", ""}, At("2026-03-02T09:01:00Z"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->created);
  auto admin = AddUser(*store_, {"admin", "a@desk.test", "agent-pass-3", "", ""}, At("2026-03-02T09:02:00Z"));
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().message, "a@desk.test already exists as agent.");
}

// A new password signs out every session the old one opened (someone may have learnt it).
TEST_F(UserAddTest, ANewPasswordEndsTheOldSessions) {
  auto first = AddUser(*store_, {"agent", "s@desk.test", "agent-pass-1", "", ""}, At("2026-03-02T09:00:00Z"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const Instant now = At("2026-03-02T09:05:00Z");
  auto opened = store_->WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.InsertSession("session-hash", first->user.id, "csrf", now, now + std::chrono::hours(24)));
    return true;
  });
  ASSERT_TRUE(opened.ok());
  auto session = [&] {
    auto r = store_->Read<std::optional<store::SessionRow>>([&](store::Repo& repo) { return repo.FindSession("session-hash", now); });
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value();
  };
  ASSERT_TRUE(session());
  ASSERT_TRUE(AddUser(*store_, {"agent", "s@desk.test", "agent-pass-2", "", ""}, now).ok());
  EXPECT_FALSE(session());
}

TEST_F(UserAddTest, RefusalsSayWhatIsWrong) {
  const Instant now = At("2026-03-02T09:00:00Z");
  auto email = AddUser(*store_, {"agent", "not-an-email", "long-enough", "", ""}, now);
  ASSERT_FALSE(email.ok());
  EXPECT_EQ(email.error().message, "\"not-an-email\" is not a valid email address.");
  auto org = AddUser(*store_, {"agent", "a@desk.test", "long-enough", "", "Acme"}, now);
  ASSERT_FALSE(org.ok());
  EXPECT_EQ(org.error().message, "--organization is for customers only.");
  EXPECT_TRUE(DirectoryEvents().empty());
}

}  // namespace
}  // namespace chamado::app
