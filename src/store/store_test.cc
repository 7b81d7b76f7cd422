#include "store/store.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <filesystem>
#include <set>

#include "core/ticket.h"
#include "store/blobs.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_store_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open({(dir_ / "chamado.db").string()});
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Organization MakeOrg(const std::string& name) {
    Organization o;
    o.name = name;
    o.plan = "premium";
    o.domains = {name + ".example"};
    o.created_at = At("2026-01-01T00:00:00Z");
    auto r = store_->WriteSync<Organization>([&](Repo& repo) { return repo.InsertOrganization(o); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  User MakeUser(const std::string& email, Role role, std::optional<Id> org) {
    User u;
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.role = role;
    u.organization_id = org;
    u.created_at = At("2026-01-01T00:00:00Z");
    auto r = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(u, ""); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  Ticket MakeTicket(const User& requester, const std::string& priority, const char* at) {
    auto catalog = store_->catalog();
    auto r = store_->WriteSync<Ticket>([&](Repo& repo) -> Result<Ticket> {
      NewTicket in;
      in.subject = "Ticket at " + std::string(at);
      in.description = "details";
      in.priority = priority;
      in.tags = {"api"};
      in.custom_fields = {{"order_id", int64_t{42}}, {"vip", true}};
      CHAMADO_ASSIGN_OR_RETURN(auto opened,
                               OpenTicket(in, requester, {requester.id, Role::kAgent, std::nullopt}, *catalog, At(at)));
      CHAMADO_ASSIGN_OR_RETURN(Ticket t, repo.InsertTicket(opened.ticket, *catalog));
      opened.first_message.ticket_number = t.number;
      CHAMADO_ASSIGN_OR_RETURN(Message m, repo.InsertMessage(opened.first_message));
      CHAMADO_TRY(repo.InsertEvents(opened.events, t.number, m.id));
      return t;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, DefaultCatalog) {
  auto c = store_->catalog();
  EXPECT_EQ(c->priorities.Names(), "P1, P2, P3, P4");
  EXPECT_EQ(c->priorities.default_name, "P3");
  EXPECT_TRUE(c->HasCategory("billing"));
}

TEST_F(StoreTest, ReopenDoesNotMigrateTwice) {
  store_.reset();
  auto s = Store::Open({(dir_ / "chamado.db").string()});
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto n = (*s)->Read<int64_t>([](Repo& repo) -> Result<int64_t> {
    int64_t v = 0;
    CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM schema_migrations", {}, [&](const RowView& r) { v = r.Int(0); }));
    return v;
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
}

TEST_F(StoreTest, TicketRoundTrip) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  const auto t = MakeTicket(ana, "P2", "2026-01-05T13:00:00Z");
  EXPECT_EQ(t.number, 1);
  auto got = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(t.number); });
  ASSERT_TRUE(got.ok() && got->has_value());
  const Ticket& g = **got;
  EXPECT_EQ(g.subject, t.subject);
  EXPECT_EQ(g.organization_id, org.id);
  EXPECT_EQ(g.priority, "P2");
  EXPECT_EQ(g.tags, std::vector<std::string>{"api"});
  ASSERT_EQ(g.custom_fields.size(), 2u);
  EXPECT_EQ(g.custom_fields[0], (CustomField{"order_id", int64_t{42}}));
  EXPECT_EQ(g.custom_fields[1], (CustomField{"vip", true}));
  EXPECT_EQ(g.created_at, At("2026-01-05T13:00:00Z"));

  auto msgs = store_->Read<Paged<Message>>([&](Repo& repo) { return repo.ListMessages(t.number, false, {}); });
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->items.size(), 1u);
  EXPECT_EQ(msgs->items[0].body, "details");
  auto events = store_->Read<Paged<StoredEvent>>([&](Repo& repo) { return repo.ListEvents(t.number, {}); });
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->items.size(), 2u);
  EXPECT_EQ(events->items[0].event.kind, "ticket.created");
  EXPECT_EQ(events->items[0].event.changes.at(1).after, "P2");
}

TEST_F(StoreTest, QueueOrdersByPriorityThenAgeAcrossPages) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  // number: priority, opened
  MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");  // 1
  MakeTicket(ana, "P1", "2026-01-05T12:00:00Z");  // 2
  MakeTicket(ana, "P3", "2026-01-05T09:00:00Z");  // 3
  MakeTicket(ana, "P1", "2026-01-05T11:00:00Z");  // 4
  MakeTicket(ana, "P2", "2026-01-05T08:00:00Z");  // 5
  auto solved = MakeTicket(ana, "P1", "2026-01-05T07:00:00Z");  // 6, solved below: not in the queue
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
    solved.status = Status::kSolved;
    CHAMADO_TRY(repo.UpdateTicket(solved, *store_->catalog()));
    return true;
  }).ok());

  std::vector<Id> order;
  Page page{2, ""};
  for (int i = 0; i < 10; ++i) {
    auto r = store_->Read<Paged<Ticket>>([&](Repo& repo) { return repo.Queue({}, page); });
    ASSERT_TRUE(r.ok()) << r.error().message;
    for (const auto& t : r->items) order.push_back(t.number);
    if (r->next.empty()) break;
    page.after = r->next;
  }
  EXPECT_EQ(order, (std::vector<Id>{4, 2, 5, 3, 1}));
}

TEST_F(StoreTest, ListTicketsRespectsTenancy) {
  const auto acme = MakeOrg("acme");
  const auto globex = MakeOrg("globex");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, acme.id);
  const auto gus = MakeUser("gus@globex.example", Role::kCustomer, globex.id);
  MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  MakeTicket(gus, "P3", "2026-01-05T11:00:00Z");
  MakeTicket(ana, "P3", "2026-01-05T12:00:00Z");
  TicketFilter f;
  f.visible_organization_id = acme.id;
  auto r = store_->Read<Paged<Ticket>>([&](Repo& repo) { return repo.ListTickets(f, {}); });
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->items.size(), 2u);
  EXPECT_EQ(r->items[0].number, 3);  // newest first
  EXPECT_EQ(r->items[1].number, 1);
}

TEST_F(StoreTest, FailingJobRollsBackAloneInItsBatch) {
  const auto org = MakeOrg("acme");
  std::atomic<int> done{0};
  std::vector<Result<Id>> results(3, Result<Id>(Error::Internal("unset")));
  auto insert = [&](int i, bool fail) {
    store_->Write<Id>(
        [i, fail, org](Repo& repo) -> Result<Id> {
          User u;
          u.email = "u" + std::to_string(i) + "@acme.example";
          u.role = Role::kCustomer;
          u.organization_id = org.id;
          CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertUser(u, ""));
          if (fail) return Error::Conflict("refused after writing");
          return made.id;
        },
        [&, i](Result<Id> r) {
          results[i] = std::move(r);
          ++done;
        });
  };
  insert(0, false);
  insert(1, true);
  insert(2, false);
  while (done < 3) std::this_thread::yield();
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  auto u1 = store_->Read<std::optional<User>>([](Repo& repo) { return repo.FindUserByEmail("u1@acme.example"); });
  ASSERT_TRUE(u1.ok());
  EXPECT_FALSE(u1->has_value());
  auto u2 = store_->Read<std::optional<User>>([](Repo& repo) { return repo.FindUserByEmail("u2@acme.example"); });
  ASSERT_TRUE(u2.ok());
  EXPECT_TRUE(u2->has_value());
}

TEST_F(StoreTest, ConcurrentWritersGetUniqueSequentialNumbers) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<Id> numbers;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto ticket = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
        std::lock_guard lock(mu);
        numbers.insert(ticket.number);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(numbers.size(), 200u);
  EXPECT_EQ(*numbers.begin(), 1);
  EXPECT_EQ(*numbers.rbegin(), 200);
}

TEST_F(StoreTest, DuplicateEmailIsAConflict) {
  MakeUser("ana@acme.example", Role::kCustomer, std::nullopt);
  User u;
  u.email = "ana@acme.example";
  auto r = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(u, ""); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("already exists"), std::string::npos);
}

TEST_F(StoreTest, DomainMapsToOrganization) {
  const auto org = MakeOrg("acme");
  auto r = store_->Read<std::optional<Id>>([](Repo& repo) { return repo.OrganizationForDomain("acme.example"); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, org.id);
}

TEST(Cursor, RoundTripAndRejectsGarbage) {
  const auto c = EncodeCursor({2, 1767618000000, 17});
  EXPECT_EQ(DecodeCursor(c, 3), (std::vector<int64_t>{2, 1767618000000, 17}));
  EXPECT_FALSE(DecodeCursor(c, 1));
  EXPECT_FALSE(DecodeCursor("!!!", 1));
  EXPECT_FALSE(DecodeCursor(EncodeCursor({}), 1));
  EXPECT_FALSE(DecodeCursor("MS5h", 2));  // "1.a"
}

TEST(Blobs, ContentAddressed) {
  ASSERT_GE(sodium_init(), 0);
  const auto root = fs::temp_directory_path() / ("chamado_blobs_" + std::to_string(::getpid()));
  fs::remove_all(root);
  BlobStore blobs(root.string());
  auto a = blobs.Put("hello");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  auto b = blobs.Put("hello");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*blobs.Get(*a), "hello");
  EXPECT_TRUE(blobs.PathOf("../../etc/passwd").empty());
  EXPECT_FALSE(blobs.Get("zz").ok());
  fs::remove_all(root);
}

}  // namespace
}  // namespace chamado::store
