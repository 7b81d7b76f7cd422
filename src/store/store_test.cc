#include "store/store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "core/text.h"
#include "core/ticket.h"
#include "help/images.h"
#include "store/blobs.h"
#include "store/bus.h"
#include "store/claims.h"
#include "store/commands.h"
#include "store/bot.h"
#include "store/outcomes.h"
#include "store/reports.h"
#include "store/retention.h"
#include "store/repo_rows.h"
#include "store/sqlite.h"
#include "store/testing.h"
#include "store/tsvector.h"

namespace chamado::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& sqlite_migrations();
}

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
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    desk_agent_ = MakeUser("desk@desk.example", Role::kAgent, std::nullopt);
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

  // Opens a ticket the way every channel does (OpenTicketCommand), as an agent on behalf
  // of `requester`.
  Ticket MakeTicket(const User& requester, const std::string& priority, const char* at, Channel channel = Channel::kWeb) {
    auto policy = store_->policy();
    auto r = store_->WriteSync<Ticket>([&](Repo& repo) -> Result<Ticket> {
      OpenTicketRequest req;
      req.ticket.subject = "Ticket at " + std::string(at);
      req.ticket.channel = channel;
      req.ticket.description = "details";
      req.ticket.priority = priority;
      req.ticket.tags = {"api"};
      req.ticket.custom_fields = {{"order_id", int64_t{42}}, {"vip", true}};
      req.requester_email = requester.email;
      CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, *policy, *masker_, *desk_agent_, req, At(at)));
      return opened.ticket;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  std::optional<User> desk_agent_;
  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ = *SecretMasker::Make(SecretMasker::Defaults());
};

TEST_F(StoreTest, DefaultCatalogComesFromTheDefaultPolicy) {
  auto c = store_->catalog();
  EXPECT_EQ(c->priorities.Names(), "P1, P2, P3, P4");
  EXPECT_EQ(c->priorities.default_name, "P3");
  EXPECT_TRUE(c->HasCategory("billing"));
}

TEST_F(StoreTest, ReopenDoesNotMigrateTwice) {
  auto count = [](Store& st) {
    return st.Read<int64_t>([](Repo& repo) -> Result<int64_t> {
      int64_t v = 0;
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM schema_migrations", {}, [&](const RowView& r) { v = r.Int(0); }));
      return v;
    });
  };
  auto before = count(*store_);
  ASSERT_TRUE(before.ok());
  EXPECT_GE(*before, 1);  // PostgreSQL's first migration is the whole schema
  store_.reset();
  auto s = Store::Open(options_);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto after = count(**s);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);
}

TEST_F(StoreTest, ADatabaseFromANewerReleaseIsRefused) {
  EXPECT_EQ(*store_->Read<int64_t>([](Repo& repo) { return SchemaVersion(repo.conn()); }), LatestSchemaVersion());
  auto bumped = store_->WriteSync<bool>([](Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                                {LatestSchemaVersion() + 1, std::string("V999__from_the_future.sql"), int64_t(0)}));
    return true;
  });
  ASSERT_TRUE(bumped.ok()) << bumped.error().message;
  store_.reset();
  auto s = Store::Open(options_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_NE(s.error().message.find("newer than this chamado"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("schema version " + std::to_string(LatestSchemaVersion() + 1)), std::string::npos);
}

TEST_F(StoreTest, DefaultPolicyUntilOneIsApplied) {
  EXPECT_EQ(store_->policy_version(), 0);
  EXPECT_EQ(store_->policy()->name, "Default policy");
  EXPECT_FALSE(store_->policy()->targets.empty());
}

TEST_F(StoreTest, ApplyingAPolicyReranksAndRefusesToStrandTickets) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  MakeTicket(ana, "P4", "2026-01-05T10:00:00Z");  // 1
  MakeTicket(ana, "P1", "2026-01-05T11:00:00Z");  // 2
  // The new order puts P4 first.
  auto parsed = ParseStoredPolicy(R"(name = "Reversed"
default_priority = "P4"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P4"
description = "Now the most urgent"
[[priorities]]
name = "P1"
description = "Now the least"
)", "reversed.toml", {});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *parsed, {}, std::nullopt, At("2026-01-06T00:00:00Z")); });
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, 1);
  ASSERT_TRUE(store_->ReloadPolicy().ok());
  EXPECT_EQ(store_->policy()->name, "Reversed");
  auto q = store_->Read<Paged<Ticket>>([](Repo& repo) { return repo.Queue({}, {}); });
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->items.size(), 2u);
  EXPECT_EQ(q->items[0].number, 1);  // P4 now leads the queue

  auto only_p1 = ParseStoredPolicy(R"(name = "Only P1"
default_priority = "P1"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "All"
)", "only.toml", {});
  ASSERT_TRUE(only_p1.ok());
  auto refused = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *only_p1, {}, std::nullopt, At("2026-01-06T00:00:00Z")); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("1 with P4"), std::string::npos) << refused.error().message;
}

TEST_F(StoreTest, StatusChangesAreRecorded) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  const auto agent = MakeUser("agent@desk.example", Role::kAgent, std::nullopt);
  const auto t = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  auto r = store_->WriteSync<MessagePosted>([&](Repo& repo) {
    NewMessage m{MessageKind::kPublicReply, "Send logs?", Channel::kWeb, false, {}, Status::kPendingCustomer, std::nullopt};
    return AddMessageCommand(repo, *store_->policy(), *masker_, agent, t.number, m, At("2026-01-05T10:30:00Z"));
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto h = store_->Read<std::vector<Repo::StatusAt>>([&](Repo& repo) { return repo.StatusHistory(t.number); });
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 1u);  // the opening "new" is implied
  EXPECT_EQ((*h)[0].status, Status::kPendingCustomer);
  EXPECT_EQ((*h)[0].at, At("2026-01-05T10:30:00Z"));
  auto msgs = store_->Read<std::vector<Repo::PublicMessageAt>>([&](Repo& repo) { return repo.PublicMessages(t.number); });
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_FALSE((*msgs)[0].by_staff);
  EXPECT_TRUE((*msgs)[1].by_staff);
}

// A customer's word on a closed ticket, on any channel, opens a follow-up linked to it in the
// same unit of work; an agent's is refused (they open a new ticket themselves).
TEST_F(StoreTest, CustomerMessageOnClosedTicketOpensLinkedFollowUp) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  const auto agent = MakeUser("agent@desk.example", Role::kAgent, std::nullopt);
  const Ticket t = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  auto policy = store_->policy();
  for (Status s : {Status::kSolved, Status::kClosed}) {
    auto changed = store_->WriteSync<Ticket>([&](Repo& repo) {
      ChangeTicketRequest req;
      req.patch.status = s;
      if (s == Status::kSolved) req.patch.resolution = std::optional<Resolution>(Resolution::kFixed);
      return ChangeTicketCommand(repo, *policy, *masker_, agent, t.number, req, At("2026-01-05T11:00:00Z"));
    });
    ASSERT_TRUE(changed.ok()) << changed.error().message;
  }
  auto post = [&](const User& who, MessageKind kind) {
    return store_->WriteSync<MessagePosted>([&](Repo& repo) {
      NewMessage m;
      m.kind = kind;
      m.body = "It broke again.";
      m.channel = Channel::kApi;
      m.attachments = {{0, std::string(64, 'a'), "log.txt", "text/plain", 3}};
      return AddMessageCommand(repo, *policy, *masker_, who, t.number, m, At("2026-01-06T09:00:00Z"));
    });
  };
  auto refused = post(agent, MessageKind::kPublicReply);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);

  auto posted = post(ana, MessageKind::kCustomerMessage);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(posted->follow_up_of, t.number);
  const Id f = posted->ticket.number;
  EXPECT_NE(f, t.number);
  EXPECT_EQ(posted->ticket.requester_id, ana.id);
  EXPECT_EQ(posted->ticket.organization_id, std::optional<Id>(org.id));
  EXPECT_EQ(posted->ticket.status, Status::kNew);
  EXPECT_EQ(posted->ticket.channel, Channel::kApi);
  EXPECT_EQ(posted->message.ticket_number, f);
  EXPECT_EQ(posted->message.body, "It broke again.");
  ASSERT_EQ(posted->message.attachments.size(), 1u);
  auto links = store_->Read<std::vector<Repo::TicketLink>>([&](Repo& repo) { return repo.TicketLinks(t.number); });
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].ticket_number, f);
  EXPECT_EQ((*links)[0].kind, TicketLinkKind::kFollowUp);
  EXPECT_FALSE((*links)[0].outgoing);
  auto closed = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(t.number); });
  ASSERT_TRUE(closed.ok() && *closed);
  EXPECT_EQ((*closed)->status, Status::kClosed);
}

TEST(NewTicketSubject, DropsReplyPrefixesAndTagsAndKeepsTheLimit) {
  EXPECT_EQ(NewTicketSubject("Re: AW: [#12] Printer jam"), "Printer jam");
  EXPECT_EQ(NewTicketSubject("Printer jam"), "Printer jam");
  EXPECT_EQ(NewTicketSubject("   "), "(no subject)");
  const std::string longest(kMaxSubjectChars + 10, 'x');
  const std::string cut = NewTicketSubject(longest);
  EXPECT_EQ(Utf8Length(cut), size_t(kMaxSubjectChars));
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
}

// Secrets never rest in the store, whichever channel calls the command: the commands mask
// what they store themselves (a caller that forgot to mask cannot leak one).
TEST_F(StoreTest, CommandsMaskSecretsInEverythingTheyStore) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  const auto agent = MakeUser("agent@desk.example", Role::kAgent, std::nullopt);
  const std::string key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
  auto policy = store_->policy();
  auto opened = store_->WriteSync<OpenedTicket>([&](Repo& repo) {
    OpenTicketRequest req;
    req.ticket.subject = "Key " + key + " fails";
    req.ticket.description = "We call with " + key + " and get 401.";
    return OpenTicketCommand(repo, *policy, *masker_, ana, req, At("2026-01-05T10:00:00Z"));
  });
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  const Id n = opened->ticket.number;
  auto posted = store_->WriteSync<MessagePosted>([&](Repo& repo) {
    NewMessage m;
    m.kind = MessageKind::kCustomerMessage;
    m.body = "Also tried password: hunter2hunter2";
    return AddMessageCommand(repo, *policy, *masker_, ana, n, m, At("2026-01-05T10:05:00Z"));
  });
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_TRUE(posted->message.masked);
  auto renamed = store_->WriteSync<Ticket>([&](Repo& repo) {
    ChangeTicketRequest req;
    req.patch.subject = "Customer pasted " + key;
    return ChangeTicketCommand(repo, *policy, *masker_, agent, n, req, At("2026-01-05T10:10:00Z"));
  });
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;

  auto t = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(n); });
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->subject, "Customer pasted " + MaskSecret(key));
  auto msgs = store_->Read<Paged<Message>>([&](Repo& repo) { return repo.ListMessages(n, true, {}); });
  ASSERT_TRUE(msgs.ok());
  ASSERT_EQ(msgs->items.size(), 2u);
  EXPECT_EQ(msgs->items[0].body, "We call with " + MaskSecret(key) + " and get 401.");
  EXPECT_TRUE(msgs->items[0].masked);
  EXPECT_EQ(msgs->items[1].body.find("hunter2hunter2"), std::string::npos) << msgs->items[1].body;
  EXPECT_TRUE(msgs->items[1].masked);
  auto events = store_->Read<Paged<StoredEvent>>([&](Repo& repo) { return repo.ListEvents(n, {}); });
  ASSERT_TRUE(events.ok());
  for (const auto& e : events->items)
    for (const auto& c : e.event.changes) {
      EXPECT_EQ(c.before.find(key), std::string::npos) << e.event.kind;
      EXPECT_EQ(c.after.find(key), std::string::npos) << e.event.kind;
    }
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

// A solved ticket keeps its outcome; its survey link opens only its own survey, under this data
// folder's key; answers round-trip; feature requests come back by organization.
TEST_F(StoreTest, OutcomesSurveysAndFeatureRequests) {
  const auto zeta = MakeOrg("zeta");
  const auto acme = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, acme.id);
  const auto zoe = MakeUser("zoe@zeta.example", Role::kCustomer, zeta.id);
  auto policy = store_->policy();
  auto solve = [&](const User& who, Resolution r, const char* at) {
    const Ticket t = MakeTicket(who, "P2", at);
    auto solved = store_->WriteSync<Ticket>([&](Repo& repo) {
      ChangeTicketRequest req;
      req.patch.status = Status::kSolved;
      req.patch.resolution = std::optional<Resolution>(r);
      req.patch.resolution_summary = "Summary of #" + std::to_string(t.number) + ", key sk_live_abcdefghijklmnop1234";
      return ChangeTicketCommand(repo, *policy, *masker_, *desk_agent_, t.number, req, At(at));
    });
    EXPECT_TRUE(solved.ok()) << solved.error().message;
    return *solved;
  };
  const Ticket a = solve(zoe, Resolution::kFeatureRequest, "2026-01-05T13:00:00Z");
  const Ticket b = solve(ana, Resolution::kFeatureRequest, "2026-01-06T13:00:00Z");
  const Ticket c = solve(ana, Resolution::kFixed, "2026-01-07T13:00:00Z");
  auto got = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(a.number); });
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->resolution_summary.rfind("Summary of #1, key ", 0), 0u);
  EXPECT_EQ((*got)->resolution_summary.find("sk_live_abcdefghijklmnop1234"), std::string::npos) << "masked like any text";

  auto path = store_->Read<std::string>([&](Repo& repo) { return SurveyPath(repo, b.number); });
  ASSERT_TRUE(path.ok()) << path.error().message;
  const std::string sig = path->substr(path->find("?sig=") + 5);
  EXPECT_EQ(*path, "/survey/" + std::to_string(b.number) + "?sig=" + sig);
  EXPECT_EQ(sig.size(), 43u);
  auto other = store_->Read<SurveyView>([&](Repo& repo) { return OpenSurvey(repo, c.number, sig); });
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto answered = store_->WriteSync<SurveyView>(
      [&](Repo& repo) { return AnswerSurveyCommand(repo, *masker_, b.number, sig, 4, "  fine  ", At("2026-01-08T10:00:00Z")); });
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  auto again = store_->WriteSync<SurveyView>(
      [&](Repo& repo) { return AnswerSurveyCommand(repo, *masker_, b.number, sig, 5, "great", At("2026-01-09T10:00:00Z")); });
  ASSERT_TRUE(again.ok()) << again.error().message;
  auto stored = store_->Read<std::optional<SurveyAnswer>>([&](Repo& repo) { return repo.GetSurveyAnswer(b.number); });
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->rating, 5);
  EXPECT_EQ((*stored)->comment, "great");
  EXPECT_EQ((*stored)->answered_at, At("2026-01-08T10:00:00Z"));
  EXPECT_EQ((*stored)->updated_at, At("2026-01-09T10:00:00Z"));

  // Another data folder has another key: this link means nothing there.
  const fs::path elsewhere = dir_ / "other.db";
  auto second = Store::Open({elsewhere.string()});
  ASSERT_TRUE(second.ok());
  auto their = (*second)->Read<std::string>([&](Repo& repo) { return SurveyPath(repo, b.number); });
  ASSERT_TRUE(their.ok());
  EXPECT_NE(*their, *path);

  auto rows = store_->Read<std::vector<Repo::FeatureRequestRow>>([&](Repo& repo) { return repo.FeatureRequests(std::nullopt, 100); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].ticket_number, b.number);  // acme before zeta
  EXPECT_EQ((*rows)[0].organization, "acme");
  EXPECT_EQ((*rows)[1].ticket_number, a.number);
  auto since = store_->Read<std::vector<Repo::FeatureRequestRow>>(
      [&](Repo& repo) { return repo.FeatureRequests(At("2026-01-06T00:00:00Z"), 100); });
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->size(), 1u);
  const std::string csv = FeatureRequestsCsv(*since);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "organization,plan,ticket,subject,summary,requester,requester_email,status,created_at,solved_at");
  EXPECT_NE(csv.find("\r\nacme,premium,2,Ticket at 2026-01-06T13:00:00Z,\"Summary of #2, key "), std::string::npos) << csv;
}

// A week of five tickets on the default policy (business hours Monday to Friday 09:00-18:00
// UTC, a business day of 9 hours), each report's figures worked out by hand below.
TEST_F(StoreTest, ReportsOfAWeekComputedByHand) {
  const auto acme = MakeOrg("acme");  // plan premium
  Organization zeta_org;
  zeta_org.name = "zeta";
  zeta_org.plan = "basic";
  zeta_org.created_at = At("2026-01-01T00:00:00Z");
  const auto zeta = *store_->WriteSync<Organization>([&](Repo& repo) { return repo.InsertOrganization(zeta_org); });
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, acme.id);
  const auto zoe = MakeUser("zoe@zeta.example", Role::kCustomer, zeta.id);
  auto policy = store_->policy();
  auto reply = [&](const Ticket& t, const char* at) {
    auto r = store_->WriteSync<MessagePosted>([&](Repo& repo) {
      NewMessage m;
      m.kind = MessageKind::kPublicReply;
      m.body = "Looking into it.";
      return AddMessageCommand(repo, *policy, *masker_, *desk_agent_, t.number, m, At(at));
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  auto solve = [&](const Ticket& t, Resolution resolution, const char* at) {
    auto r = store_->WriteSync<Ticket>([&](Repo& repo) {
      ChangeTicketRequest req;
      req.patch.status = Status::kSolved;
      req.patch.resolution = std::optional<Resolution>(resolution);
      req.patch.resolution_summary = "Done.";
      return ChangeTicketCommand(repo, *policy, *masker_, *desk_agent_, t.number, req, At(at));
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  // In time order. #1 opened the Friday before the week: P4, 1 business day to answer.
  const Ticket t5 = MakeTicket(ana, "P4", "2026-02-27T10:00:00Z", Channel::kWeb);
  const Ticket t1 = MakeTicket(ana, "P1", "2026-03-02T08:00:00Z", Channel::kChat);  // #2, Monday
  reply(t1, "2026-03-02T08:30:00Z");
  solve(t1, Resolution::kFixed, "2026-03-02T10:00:00Z");
  const Ticket t2 = MakeTicket(ana, "P2", "2026-03-02T17:00:00Z", Channel::kEmail);  // #3
  const Ticket t3 = MakeTicket(zoe, "P3", "2026-03-03T09:00:00Z", Channel::kEmail);  // #4, Tuesday
  reply(t2, "2026-03-03T10:00:00Z");
  solve(t5, Resolution::kFixed, "2026-03-03T14:00:00Z");
  solve(t2, Resolution::kAnswered, "2026-03-04T12:00:00Z");
  reply(t3, "2026-03-05T12:00:00Z");
  solve(t3, Resolution::kFeatureRequest, "2026-03-06T09:00:00Z");
  const Ticket t4 = MakeTicket(zoe, "P3", "2026-03-06T16:00:00Z", Channel::kWeb);  // #5, due the next Monday 16:00
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.PutSurveyAnswer({t1.number, 5, "", At("2026-03-06T17:00:00Z"), At("2026-03-06T17:00:00Z")}));
                      CHAMADO_TRY(repo.PutSurveyAnswer({t2.number, 3, "", At("2026-03-06T17:00:00Z"), At("2026-03-06T17:00:00Z")}));
                      return true;
                    }).ok());

  ReportFilter week;
  week.from = At("2026-03-02T00:00:00Z");
  week.to = At("2026-03-07T00:00:00Z");
  constexpr double kMin = 60000;
  auto read = [&](auto report, const ReportFilter& f) {
    auto r = store_->Read<std::decay_t<decltype(report(std::declval<Repo&>(), f).value())>>([&](Repo& repo) { return report(repo, f); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  };

  // First responses in the week: #2 (P1) 30 min on the 24/7 calendar; #3 (P2) Monday 17:00 to
  // Tuesday 10:00 is 17 h, of which 2 business hours; #4 (P3) Tuesday 09:00 to Thursday 12:00
  // is 51 h, 9 + 9 + 3 = 21 business hours.
  const auto times = read(ResponseTimes, week);
  const auto& fr = times.first_response.all;
  EXPECT_EQ(fr.calendar.count, 3);
  EXPECT_DOUBLE_EQ(*fr.calendar.mean_ms / kMin, (30 + 17 * 60 + 51 * 60) / 3.0);
  EXPECT_EQ(*fr.calendar.median_ms / kMin, 17 * 60);
  EXPECT_EQ(*fr.calendar.p90_ms / kMin, 51 * 60);
  EXPECT_EQ(fr.business.count, 3);
  EXPECT_DOUBLE_EQ(*fr.business.mean_ms / kMin, (30 + 2 * 60 + 21 * 60) / 3.0);
  EXPECT_EQ(*fr.business.median_ms / kMin, 2 * 60);
  EXPECT_EQ(*fr.business.p90_ms / kMin, 21 * 60);
  ASSERT_EQ(times.first_response.by_priority.size(), 3u);
  EXPECT_EQ(times.first_response.by_priority[0].first, "P1");
  EXPECT_EQ(*times.first_response.by_priority[0].second.business.mean_ms / kMin, 30);
  EXPECT_EQ(times.first_response.by_priority[2].first, "P3");
  // Solved in the week: #2 in 2 h (2 business), #3 in 43 h (1 + 9 + 3 = 13 business), #4 in
  // 72 h (9 + 9 + 9 = 27 business) and #1, Friday 10:00 to Tuesday 14:00: 100 h, of which
  // 8 + 9 + 5 = 22 business hours.
  const auto& res = times.resolution.all;
  EXPECT_EQ(res.calendar.count, 4);
  EXPECT_EQ(*res.calendar.mean_ms / kMin, (2 + 43 + 72 + 100) / 4.0 * 60);
  EXPECT_EQ(*res.calendar.median_ms / kMin, (43 + 72) / 2.0 * 60);
  EXPECT_EQ(*res.calendar.p90_ms / kMin, 100 * 60);
  EXPECT_EQ(*res.business.mean_ms / kMin, (2 + 13 + 22 + 27) / 4.0 * 60);
  EXPECT_EQ(*res.business.median_ms / kMin, (13 + 22) / 2.0 * 60);
  EXPECT_EQ(*res.business.p90_ms / kMin, 27 * 60);

  // Clocks decided in the week. First response: #2 and #3 met; #4 breached (21 h over its 9);
  // #1 breached Monday 10:00 (its ninth business hour), though solved only on Tuesday. Every
  // resolution clock was met.
  const auto sla_rows = read(SlaAchievement, week);
  auto row = [&](sla::Target target, const std::string& priority) {
    for (const auto& r : sla_rows)
      if (r.target == target && r.priority == priority) return r.achievement;
    ADD_FAILURE() << "no row " << sla::Name(target) << " " << priority;
    return Achievement{};
  };
  EXPECT_EQ(row(sla::Target::kFirstResponse, "P1").met, 1);
  EXPECT_EQ(row(sla::Target::kFirstResponse, "P3").breached, 1);
  EXPECT_EQ(row(sla::Target::kFirstResponse, "P4").breached, 1);
  EXPECT_EQ(row(sla::Target::kFirstResponse, "").Rate(), 0.5);
  EXPECT_EQ(row(sla::Target::kResolution, "").met, 4);
  EXPECT_EQ(row(sla::Target::kResolution, "").Rate(), 1.0);
  EXPECT_EQ(sla_rows.size(), 4u + 1 + 4 + 1) << "four priorities and a total per target";

  // Backlog: #1 open before the week; Monday +2 -1, Tuesday +1 -1, Wednesday -1, Friday +1 -1.
  const auto backlog = read(BacklogReport, week);
  std::vector<int64_t> open;
  for (const auto& d : backlog) open.push_back(d.open);
  EXPECT_EQ(open, (std::vector<int64_t>{2, 2, 1, 1, 1}));
  EXPECT_EQ(backlog[0].day, At("2026-03-02T00:00:00Z"));

  const auto channels = read(ChannelReport, week);
  ASSERT_EQ(channels.size(), 3u);
  EXPECT_EQ(channels[0].channel, "chat");
  EXPECT_EQ(channels[1].channel, "email");
  EXPECT_EQ(channels[1].created, 2);
  EXPECT_EQ(channels[1].solved, 2);
  EXPECT_EQ(channels[2].channel, "web");
  EXPECT_EQ(channels[2].created, 1);  // #5; #1 was created before the week
  EXPECT_EQ(channels[2].solved, 1);   // #1

  const auto outcomes = read(OutcomeReport, week);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].resolution, "fixed");
  EXPECT_EQ(outcomes[0].count, 2);
  EXPECT_EQ(outcomes[0].share, 0.5);
  EXPECT_EQ(outcomes[1].resolution, "answered");
  EXPECT_EQ(outcomes[2].resolution, "feature_request");

  const auto satisfaction = read(Satisfaction, week);
  EXPECT_EQ(satisfaction.solved, 4);
  EXPECT_EQ(satisfaction.answered, 2);
  EXPECT_EQ(satisfaction.mean_rating, 4.0);
  EXPECT_EQ(satisfaction.response_rate, 0.5);
  EXPECT_EQ(satisfaction.by_rating, (std::array<int64_t, 5>{0, 0, 1, 0, 1}));

  // Filters: zeta's plan (basic) has #4 and #5 only; P1 has #2 only.
  ReportFilter basic = week;
  basic.plan = "basic";
  const auto basic_times = read(ResponseTimes, basic);
  EXPECT_EQ(basic_times.first_response.all.calendar.count, 1);
  EXPECT_EQ(*basic_times.first_response.all.calendar.mean_ms / kMin, 51 * 60);
  std::vector<int64_t> basic_open;
  for (const auto& d : read(BacklogReport, basic)) basic_open.push_back(d.open);
  EXPECT_EQ(basic_open, (std::vector<int64_t>{0, 1, 1, 1, 1}));
  ReportFilter p1 = week;
  p1.priority = "P1";
  EXPECT_EQ(read(Satisfaction, p1).mean_rating, 5.0);
  ReportFilter acme_only = week;
  acme_only.organization_id = acme.id;
  EXPECT_EQ(read(OutcomeReport, acme_only).size(), 2u);

  // Drill-down: the tickets behind a figure.
  auto drill = [&](const ReportFilter& f, Drill d) {
    auto r = store_->Read<Paged<Id>>([&](Repo& repo) { return repo.DrillTickets(f, d, {}); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r->items;
  };
  Drill breached{DrillSet::kClocks};
  breached.target = sla::Target::kFirstResponse;
  breached.state = sla::ClockState::kBreached;
  EXPECT_EQ(drill(week, breached), (std::vector<Id>{t3.number, t5.number}));
  Drill backlog_tuesday{DrillSet::kBacklog};
  backlog_tuesday.at = At("2026-03-03T12:00:00Z");
  EXPECT_EQ(drill(week, backlog_tuesday), (std::vector<Id>{t3.number, t2.number, t5.number}));
  Drill email_created{DrillSet::kCreated};
  email_created.channel = Channel::kEmail;
  EXPECT_EQ(drill(week, email_created), (std::vector<Id>{t3.number, t2.number}));
  Drill rated_three{DrillSet::kRated};
  rated_three.rating = 3;
  EXPECT_EQ(drill(week, rated_three), (std::vector<Id>{t2.number}));
  Drill features{DrillSet::kSolved};
  features.resolution = "feature_request";
  EXPECT_EQ(drill(week, features), (std::vector<Id>{t3.number}));
  EXPECT_EQ(drill(basic, Drill{DrillSet::kCreated}), (std::vector<Id>{t4.number, t3.number}));
  // Pages: one ticket at a time, newest first.
  auto first_page = store_->Read<Paged<Id>>([&](Repo& repo) { return repo.DrillTickets(week, Drill{DrillSet::kSolved}, {1, ""}); });
  ASSERT_TRUE(first_page.ok());
  EXPECT_EQ(first_page->items, (std::vector<Id>{t3.number}));
  auto second_page =
      store_->Read<Paged<Id>>([&](Repo& repo) { return repo.DrillTickets(week, Drill{DrillSet::kSolved}, {1, first_page->next}); });
  ASSERT_TRUE(second_page.ok());
  EXPECT_EQ(second_page->items, (std::vector<Id>{t2.number}));

  // CSV: a header, then the rows, durations in minutes.
  const std::string csv = ResponseTimesCsv(times);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "target,priority,time,count,mean_minutes,median_minutes,p90_minutes");
  EXPECT_NE(csv.find("\r\nfirst_response,,business,3,470.00,120.00,1260.00\r\n"), std::string::npos) << csv;
  EXPECT_NE(BacklogCsv(backlog).find("\r\n2026-03-02,2,1,2\r\n"), std::string::npos);

  // /metrics' gauges the next Monday 17:00, the scheduler not having run: #5's first response
  // (due 16:00) is overdue and not yet marked breached, and the earliest work waiting is #1's
  // first-response breach of the first Monday (its escalation fires the millisecond after
  // 10:00, though the ticket was solved since).
  auto gauges = store_->Read<Repo::Gauges>([&](Repo& repo) { return repo.ReadGauges(At("2026-03-09T17:00:00Z")); });
  ASSERT_TRUE(gauges.ok()) << gauges.error().message;
  ASSERT_EQ(gauges->overdue_clocks.size(), 1u);
  EXPECT_EQ(gauges->overdue_clocks[0].a, "first_response");
  EXPECT_EQ(gauges->overdue_clocks[0].count, 1);
  EXPECT_EQ(gauges->earliest_due, At("2026-03-02T10:00:00.001Z"));
  std::vector<std::string> tickets_by_status;
  for (const auto& t : gauges->tickets) tickets_by_status.push_back(t.a + " " + t.b + " " + std::to_string(t.count));
  EXPECT_EQ(tickets_by_status, (std::vector<std::string>{"new P3 1", "solved P1 1", "solved P2 1", "solved P3 1", "solved P4 1"}));

  ReportFilter backwards = week;
  backwards.to = backwards.from;
  auto refused = store_->Read<ResponseTimesReport>([&](Repo& repo) { return ResponseTimes(repo, backwards); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at(0).field, "to");
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

// Three writes submitted together (one batch, usually); the middle one fails after writing,
// by returning an error or by throwing. Returns their results in order.
enum class Failure { kReturnsError, kThrows };
std::vector<Result<Id>> WriteThreeMiddleFails(Store& store, Id org_id, Failure how) {
  std::atomic<int> done{0};
  std::vector<Result<Id>> results(3, Result<Id>(Error::Internal("unset")));
  for (int i = 0; i < 3; ++i) {
    store.Write<Id>(
        [i, how, org_id](Repo& repo) -> Result<Id> {
          User u;
          u.email = "u" + std::to_string(i) + "@acme.example";
          u.role = Role::kCustomer;
          u.organization_id = org_id;
          CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertUser(u, ""));
          if (i == 1 && how == Failure::kReturnsError) return Error::Conflict("refused after writing");
          if (i == 1 && how == Failure::kThrows) throw std::runtime_error("bug after writing");
          return made.id;
        },
        [&, i](Result<Id> r) {
          results[size_t(i)] = std::move(r);
          ++done;
        });
  }
  while (done < 3) std::this_thread::yield();
  return results;
}

TEST_F(StoreTest, FailingJobRollsBackAloneInItsBatch) {
  const auto org = MakeOrg("acme");
  auto results = WriteThreeMiddleFails(*store_, org.id, Failure::kReturnsError);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::kConflict);
  EXPECT_TRUE(results[2].ok());
  auto u1 = store_->Read<std::optional<User>>([](Repo& repo) { return repo.FindUserByEmail("u1@acme.example"); });
  ASSERT_TRUE(u1.ok());
  EXPECT_FALSE(u1->has_value());
  auto u2 = store_->Read<std::optional<User>>([](Repo& repo) { return repo.FindUserByEmail("u2@acme.example"); });
  ASSERT_TRUE(u2.ok());
  EXPECT_TRUE(u2->has_value());
}

// The live feed's two halves (http/live_feed.h): the hook runs once the commit is visible to
// readers, and the activity read gives each ticket event with who may see the ticket.
TEST_F(StoreTest, AfterCommitSeesTheCommitAndTicketActivityReadsItsEvents) {
  const auto org = MakeOrg("acme");
  const auto customer = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  auto before = store_->ReadOne<Id>([](Repo& repo) { return repo.LastEventId(); });
  ASSERT_TRUE(before.ok());
  std::vector<Id> seen_at_hook;
  store_->SetAfterCommit([&] {
    auto last = store_->ReadOne<Id>([](Repo& repo) { return repo.LastEventId(); });
    seen_at_hook.push_back(last.ok() ? *last : -1);
  });
  const Ticket t = MakeTicket(customer, "P2", "2026-01-05T10:00:00Z");
  store_->SetAfterCommit(nullptr);
  ASSERT_EQ(seen_at_hook.size(), 1u);
  EXPECT_GT(seen_at_hook[0], *before);  // the new ticket's events are readable when it runs

  auto activity = store_->ReadOne<std::vector<TicketActivity>>([&](Repo& repo) { return repo.TicketActivityAfter(*before, seen_at_hook[0], 10); });
  ASSERT_TRUE(activity.ok()) << activity.error().message;
  ASSERT_EQ(activity->size(), 2u);
  EXPECT_EQ((*activity)[0].stored.event.kind, "ticket.created");
  EXPECT_EQ((*activity)[1].stored.event.kind, "message.added");
  for (const auto& a : *activity) {
    EXPECT_EQ(a.stored.event.ticket_number, t.number);
    EXPECT_EQ(a.requester_id, customer.id);
    EXPECT_EQ(a.organization_id, org.id);
    EXPECT_EQ(a.actor_role, "agent");
  }
  EXPECT_EQ((*activity)[1].stored.id, seen_at_hook[0]);
  auto rest = store_->ReadOne<std::vector<TicketActivity>>([&](Repo& repo) { return repo.TicketActivityAfter(seen_at_hook[0], seen_at_hook[0] + 100, 10); });
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->empty());
  // Other kinds of events (the directory's, the SLA's) are not ticket activity.
  auto limited = store_->ReadOne<std::vector<TicketActivity>>([&](Repo& repo) { return repo.TicketActivityAfter(0, seen_at_hook[0], 1); });
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].stored.event.kind, "ticket.created");
  // Nothing above `upto`.
  auto bounded = store_->ReadOne<std::vector<TicketActivity>>(
      [&](Repo& repo) { return repo.TicketActivityAfter(*before, seen_at_hook[0] - 1, 10); });
  ASSERT_TRUE(bounded.ok());
  ASSERT_EQ(bounded->size(), 1u);
  EXPECT_EQ((*bounded)[0].stored.event.kind, "ticket.created");
}

TEST_F(StoreTest, ThrowingJobFailsAloneWithAnInternalError) {
  const auto org = MakeOrg("acme");
  auto results = WriteThreeMiddleFails(*store_, org.id, Failure::kThrows);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().code, ErrorCode::kInternal);
  EXPECT_NE(results[1].error().message.find("bug after writing"), std::string::npos);
  EXPECT_TRUE(results[2].ok());
  auto u1 = store_->Read<std::optional<User>>([](Repo& repo) { return repo.FindUserByEmail("u1@acme.example"); });
  ASSERT_TRUE(u1.ok());
  EXPECT_FALSE(u1->has_value());  // its write was rolled back
}

// Under a steady load some reader is always in the log, so passive checkpoints copy it into
// the database but can never empty it: the file grew without bound. Past its bound the
// store empties it (truncating checkpoint), and the readers keep reading meanwhile.
TEST(StoreWal, TheLogStaysUnderItsBoundWhileReadersNeverStop) {
  ASSERT_GE(sodium_init(), 0);
  const auto dir = fs::temp_directory_path() / ("chamado_wal_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "chamado.db").string();
  constexpr int64_t kBound = 256 * 1024;
  auto opened = Store::Open({.path = db, .max_wal_bytes = kBound});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& store = **opened;

  std::atomic<bool> stop{false};
  std::atomic<int64_t> reads{0}, failed_reads{0};
  // Three readers, each starting its next read the moment the last one ends: without the
  // store's help the log is never free of them long enough to be emptied.
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!stop) {
        auto n = store.Read<int64_t>([](Repo& repo) { return repo.CountTickets(); });
        if (n.ok()) ++reads;
        else ++failed_reads;
      }
    });
  int64_t largest = 0;  // the log's size as each write is answered
  for (int batch = 0; batch < 40; ++batch) {
    auto r = store.WriteSync<int>([&](Repo& repo) -> Result<int> {
      for (int i = 0; i < 50; ++i) {
        User u;
        u.email = "u" + std::to_string(batch) + "_" + std::to_string(i) + "@acme.example";
        u.name = std::string(400, 'x');  // about 1 KiB a row with its index entries
        u.role = Role::kCustomer;
        CHAMADO_TRY(repo.InsertUser(u, ""));
      }
      return 50;
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
    largest = std::max<int64_t>(largest, int64_t(fs::file_size(db + "-wal")));
  }
  ASSERT_TRUE(store.Checkpoint().ok());
  const StorageHealth h = store.storage();
  stop = true;
  for (auto& r : readers) r.join();
  // A batch may land before the writer empties the log: at most one batch over the bound
  // during the load. A checkpoint asked for then empties it, readers or not.
  EXPECT_LE(largest, 2 * kBound);
  EXPECT_GT(h.database_bytes, 4 * kBound);  // several bounds' worth went through the log into the database
  EXPECT_LE(h.wal_bytes, kBound);
  EXPECT_EQ(h.failed_truncations, 0);
  EXPECT_GE(h.truncations, 1);  // the log was emptied under the load
  EXPECT_GE(h.seconds_since_checkpoint, 0.0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(failed_reads.load(), 0);
  opened->reset();
  fs::remove_all(dir);
}

// Retention prunes what may go and nothing else: delivered notifications past their days,
// files nothing names past their grace; never tickets, messages, or files in use.
TEST_F(StoreTest, RetentionPrunesOnlyWhatMayGo) {
  const auto org = MakeOrg("acme");
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, org.id);
  const Instant now = At("2026-03-01T00:00:00Z");
  BlobStore blobs((dir_ / "attachments").string());
  auto named = blobs.Put("a screenshot");
  auto orphan = blobs.Put("a file whose ticket was never saved");
  auto fresh_orphan = blobs.Put("a file whose ticket is being saved right now");
  ASSERT_TRUE(named.ok() && orphan.ok() && fresh_orphan.ok());
  // Files written two days before `now`, the fresh one an hour before.
  auto written = [&](const std::string& sha, std::chrono::hours ago) {
    fs::last_write_time(blobs.PathOf(sha), std::chrono::file_clock::from_sys(now - ago));
  };
  written(*named, std::chrono::hours(48));
  written(*orphan, std::chrono::hours(48));
  written(*fresh_orphan, std::chrono::hours(1));
  const Ticket t = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  auto seeded = store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
    NewMessage m;
    m.kind = MessageKind::kCustomerMessage;
    m.body = "See the screenshot.";
    m.attachments = {{0, *named, "shot.png", "image/png", 12}};
    CHAMADO_TRY(AddMessageCommand(repo, *store_->policy(), *masker_, ana, t.number, m, At("2026-01-05T10:05:00Z")));
    for (int i = 0; i < 3; ++i)
      CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kEmail, "ana@acme.example", t.number, "first_response", "{}", At("2026-01-05T11:00:00Z")}));
    return true;
  });
  ASSERT_TRUE(seeded.ok()) << seeded.error().message;
  auto rows = store_->Read<Paged<Repo::QueuedNotification>>([&](Repo& repo) { return repo.ListOutbox(0, {}); });
  ASSERT_TRUE(rows.ok());
  const size_t total = rows->items.size();
  ASSERT_GE(total, 3u);
  // Newest first: the last one stays unsent, one is sent recently, the rest long ago.
  auto sent = store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.MarkOutboxSent(rows->items[1].id, now - std::chrono::days(2)));
    for (size_t i = 2; i < total; ++i) CHAMADO_TRY(repo.MarkOutboxSent(rows->items[i].id, now - std::chrono::days(40)));
    return true;
  });
  ASSERT_TRUE(sent.ok());

  auto pruned = RunRetention(*store_, blobs, {.outbox_days = 30}, now);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(pruned->outbox_rows, int64_t(total - 2));
  EXPECT_EQ(pruned->files, 1);
  EXPECT_TRUE(fs::exists(blobs.PathOf(*named)));
  EXPECT_FALSE(fs::exists(blobs.PathOf(*orphan)));
  EXPECT_TRUE(fs::exists(blobs.PathOf(*fresh_orphan)));  // within its grace
  auto left = store_->Read<Paged<Repo::QueuedNotification>>([&](Repo& repo) { return repo.ListOutbox(0, {}); });
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->items.size(), 2u);
  auto msgs = store_->Read<Paged<Message>>([&](Repo& repo) { return repo.ListMessages(t.number, true, {}); });
  ASSERT_TRUE(msgs.ok());
  EXPECT_EQ(msgs->items.size(), 2u);
  auto recorded = [&] {
    return store_->Read<int64_t>([](Repo& repo) -> Result<int64_t> {
      int64_t n = 0;
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM events WHERE kind = 'retention.pruned'", {},
                                  [&](const RowView& r) { n = r.Int(0); }));
      return n;
    });
  };
  EXPECT_EQ(*recorded(), 1);
  // A second pass finds nothing more and records nothing.
  auto again = RunRetention(*store_, blobs, {.outbox_days = 30}, now);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->any()) << again->outbox_rows << " " << again->files << " " << again->pages_freed;
  EXPECT_EQ(*recorded(), 1);
  // New databases give freed pages back to the file system (SQLite; PostgreSQL vacuums itself).
  if (TestEngine() == "postgresql") return;
  auto mode = store_->Read<int64_t>([](Repo& repo) -> Result<int64_t> {
    int64_t m = -1;
    CHAMADO_TRY(repo.conn().Run("PRAGMA auto_vacuum", {}, [&](const RowView& r) { m = r.Int(0); }));
    return m;
  });
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, 2);  // INCREMENTAL
}

// Retention also deletes chatbot transcripts long idle (the sessions and what they counted
// stay) and help images no revision shows once their grace is over; a revision that is not
// the current one still keeps its images, and uploading an image again restarts its grace.
TEST_F(StoreTest, RetentionDropsIdleBotTranscriptsAndUnusedHelpImages) {
  const Instant now = At("2026-06-01T00:00:00Z");
  const auto days = [&](int n) { return now - std::chrono::days(n); };
  BlobStore blobs((dir_ / "attachments").string());
  struct Uploaded {
    std::string sha;
    HelpImage image;
  };
  auto upload = [&](const std::string& bytes, const std::string& name, Instant at) {
    auto sha = blobs.Put(bytes);
    EXPECT_TRUE(sha.ok());
    fs::last_write_time(blobs.PathOf(*sha), std::chrono::file_clock::from_sys(at));
    auto img = store_->WriteSync<HelpImage>([&](Repo& repo) {
      return repo.AddHelpImage({0, *sha, name, "image/png", int64_t(bytes.size()), {}}, desk_agent_->id, at);
    });
    EXPECT_TRUE(img.ok()) << img.error().message;
    return Uploaded{*sha, *img};
  };
  const Uploaded in_old_revision = upload("png: the old form", "old-form.png", days(30));
  const Uploaded unused = upload("png: never shown", "unused.png", days(10));
  const Uploaded fresh = upload("png: just uploaded", "fresh.png", days(2));
  const Uploaded again = upload("png: uploaded twice", "again.png", days(30));
  EXPECT_EQ(upload("png: uploaded twice", "again.png", days(1)).image.id, again.image.id);

  help::Article a;
  a.key = "invoices";
  a.language = "en";
  a.title = "Invoices";
  a.slug = "invoices";
  a.product = "Billing";
  a.module = "Invoices";
  a.published = true;
  a.body = "Fill in the form:\n\n![form](" + help::ImageUrl(in_old_revision.image.id, "old-form.png") + ")\n";
  ASSERT_TRUE(store_->WriteSync<ArticleRepo::Put>([&](Repo& repo) { return repo.PutArticle(a, days(20)); }).ok());
  a.body = "The form is gone; fill in the page instead.\n";
  ASSERT_TRUE(store_->WriteSync<ArticleRepo::Put>([&](Repo& repo) { return repo.PutArticle(a, days(19)); }).ok());

  struct Sessions {
    Id idle = 0, recent = 0;
  };
  auto sessions = store_->WriteSync<Sessions>([&](Repo& repo) -> Result<Sessions> {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t version, repo.InsertFlow({0, "help", "[bot]\n", days(200), std::nullopt, std::nullopt}));
    Sessions out;
    for (auto [at, into] : {std::pair{days(100), &out.idle}, std::pair{days(1), &out.recent}}) {
      BotSession s;
      s.token_hash = std::string(64, 'f');
      s.flow_version = version;
      s.language = "en";
      s.state.node = "start";
      s.state.status = bot::Status::kEnded;
      s.state.description = "my password is in here";
      s.turns = 2;
      s.created_at = at;
      s.updated_at = at;
      CHAMADO_ASSIGN_OR_RETURN(s, repo.InsertBotSession(s));
      *into = s.id;
      for (int seq : {1, 2}) CHAMADO_TRY(repo.InsertBotTurn(s.id, {seq, seq == 1 ? "bot" : "customer", "turn text", {}, {}, {}, at}));
      CHAMADO_TRY(repo.InsertDeflection("invoices", s.id, at));
    }
    return out;
  });
  ASSERT_TRUE(sessions.ok()) << sessions.error().message;

  auto pruned = RunRetention(*store_, blobs, {.outbox_days = 30, .bot_transcript_days = 90, .unused_image_days = 7}, now);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(pruned->bot_transcripts, 1);
  EXPECT_EQ(pruned->help_images, 1);
  EXPECT_EQ(pruned->files, 1);  // the unused image's bytes

  auto turns = [&](Id session) {
    auto t = store_->ReadOne<std::vector<BotTurn>>([&](Repo& repo) { return repo.BotTurns(session); });
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->size() : size_t(99);
  };
  EXPECT_EQ(turns(sessions->idle), 0u);
  EXPECT_EQ(turns(sessions->recent), 2u);
  auto idle = store_->ReadOne<std::optional<BotSession>>([&](Repo& repo) { return repo.GetBotSession(sessions->idle); });
  ASSERT_TRUE(idle.ok() && *idle);
  EXPECT_EQ((*idle)->turns, 2);                      // how long it was stays
  EXPECT_EQ((*idle)->state.description, "");        // what the customer typed does not
  auto deflected = store_->ReadOne<std::vector<Repo::Deflections>>([](Repo& repo) { return repo.DeflectionCounts(); });
  ASSERT_TRUE(deflected.ok() && deflected->size() == 1u);
  EXPECT_EQ((*deflected)[0].count, 2);

  auto image = [&](const Uploaded& u) {
    auto got = store_->ReadOne<std::optional<HelpImage>>([&](Repo& repo) { return repo.GetHelpImage(u.image.id); });
    EXPECT_TRUE(got.ok());
    return got.ok() && got->has_value();
  };
  EXPECT_TRUE(image(in_old_revision));
  EXPECT_FALSE(image(unused));
  EXPECT_TRUE(image(fresh));
  EXPECT_TRUE(image(again));
  EXPECT_TRUE(fs::exists(blobs.PathOf(in_old_revision.sha)));
  EXPECT_FALSE(fs::exists(blobs.PathOf(unused.sha)));
  EXPECT_TRUE(fs::exists(blobs.PathOf(fresh.sha)));

  auto second = RunRetention(*store_, blobs, {.outbox_days = 30, .bot_transcript_days = 90, .unused_image_days = 7}, now);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->any());
}

// Every connection knows Chamado's tokenizer: an FTS5 index with it folds, stems and keeps
// codes whole as the search layer's analyzer does.
TEST_F(StoreTest, FullTextIndexesUseChamadosAnalyzer) {
  if (TestEngine() == "postgresql") {
    // PostgreSQL's documents and queries are literals of the same analyzer's terms (store/tsvector.h).
    const search::Analyzer pt("pt");
    const std::vector<std::string> docs = {"As Configurações do webhook falham com ERR_CONN_REFUSED",
                                           "Emissão da nota fiscal 2.4.1 parada, veja #1234", "Nada a ver"};
    auto match = [&](const std::string& query) {
      auto r = store_->Read<std::vector<int64_t>>([&](Repo& repo) -> Result<std::vector<int64_t>> {
        std::vector<int64_t> rows;
        for (size_t i = 0; i < docs.size(); ++i)
          CHAMADO_TRY(repo.conn().Run("SELECT CAST($1 AS tsvector) @@ CAST($2 AS tsquery)",
                                      {TsVectorLiteral(pt, {"", "", "", docs[i]}), query}, [&](const RowView& row) {
                                        if (row.Int(0)) rows.push_back(int64_t(i) + 1);
                                      }));
        return rows;
      });
      EXPECT_TRUE(r.ok()) << query << ": " << (r.ok() ? "" : r.error().message);
      return r.ok() ? *r : std::vector<int64_t>{};
    };
    using V = std::vector<int64_t>;
    using K = search::Clause::Kind;
    auto q = [&](K kind, const std::string& text) { return TsQueryClause(pt, {kind, text}); };
    EXPECT_EQ(match(q(K::kWord, "configuracao")), V{1});
    EXPECT_EQ(match(q(K::kWord, "CONFIGURAÇÃO")), V{1});
    EXPECT_EQ(match(q(K::kPrefix, "configur")), V{1});
    EXPECT_EQ(match(q(K::kPrefix, "configura")), V{1});
    EXPECT_EQ(match(q(K::kWord, "ERR_CONN_REFUSED")), V{1});
    EXPECT_EQ(match(q(K::kPhrase, "nota fiscal")), V{2});
    EXPECT_EQ(match(q(K::kWord, "notas")), V{2});
    EXPECT_EQ(match(q(K::kWord, "emissao")), V{2});
    EXPECT_EQ(match(q(K::kWord, "2.4.1")), V{2});
    EXPECT_EQ(match(q(K::kWord, "#1234")), V{2});
    EXPECT_EQ(match("(" + q(K::kWord, "webhook") + ") & !(" + q(K::kWord, "falham") + ")"), V{});
    EXPECT_EQ(match(q(K::kWord, "ver")), V{3});
    return;
  }
  auto made = store_->WriteSync<bool>([](Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Script(
        "CREATE VIRTUAL TABLE probe USING fts5(body, tokenize = 'chamado pt');"
        "INSERT INTO probe (rowid, body) VALUES (1, 'As Configurações do webhook falham com ERR_CONN_REFUSED'),"
        " (2, 'Emissão da nota fiscal 2.4.1 parada, veja #1234'), (3, 'Nada a ver')"));
    return true;
  });
  ASSERT_TRUE(made.ok()) << made.error().message;
  auto match = [&](const std::string& q) {
    auto r = store_->Read<std::vector<int64_t>>([&](Repo& repo) -> Result<std::vector<int64_t>> {
      std::vector<int64_t> rows;
      CHAMADO_TRY(repo.conn().Run("SELECT rowid FROM probe WHERE probe MATCH $1 ORDER BY rowid", {q},
                                  [&](const RowView& row) { rows.push_back(row.Int(0)); }));
      return rows;
    });
    EXPECT_TRUE(r.ok()) << q << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : std::vector<int64_t>{};
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(match("configuracao"), V{1});
  EXPECT_EQ(match("CONFIGURAÇÃO"), V{1});
  EXPECT_EQ(match("configur*"), V{1});
  EXPECT_EQ(match("configura*"), V{1});  // longer than the stem "configur": stemmed too
  EXPECT_EQ(match("ERR_CONN_REFUSED"), V{1});
  EXPECT_EQ(match("\"nota fiscal\""), V{2});
  EXPECT_EQ(match("notas"), V{2});
  EXPECT_EQ(match("emissao"), V{2});
  EXPECT_EQ(match("\"2.4.1\""), V{2});
  EXPECT_EQ(match("\"#1234\""), V{2});
  EXPECT_EQ(match("webhook NOT falham"), V{});
  EXPECT_EQ(match("ver"), V{3});
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
  ASSERT_EQ(r.error().fields.size(), 1u);  // a form shows it beside the address
  EXPECT_EQ(r.error().fields[0].field, "email");
}

TEST_F(StoreTest, DomainMapsToOrganization) {
  const auto org = MakeOrg("acme");
  auto r = store_->Read<std::optional<Id>>([](Repo& repo) { return repo.OrganizationForDomain("acme.example"); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, org.id);
}

// Each read of one organization or one person comes with what lives in other tables (its
// domains, an agent's groups), whichever way it is found; a miss is no error.
TEST_F(StoreTest, SingleReadsCarryTheirExtras) {
  const auto org = MakeOrg("acme");
  auto g = store_->WriteSync<Group>([&](Repo& repo) { return repo.InsertGroup({0, "Tier 2", "", At("2026-01-01T00:00:00Z")}); });
  ASSERT_TRUE(g.ok()) << g.error().message;
  User agent;
  agent.email = "agent@desk.example";
  agent.role = Role::kAgent;
  agent.group_ids = {g->id};
  agent.created_at = At("2026-01-01T00:00:00Z");
  auto made = store_->WriteSync<User>([&](Repo& repo) -> Result<User> {
    CHAMADO_ASSIGN_OR_RETURN(auto u, repo.InsertUser(agent, ""));
    CHAMADO_TRY(repo.InsertApiToken(u.id, "token-hash", "ci", At("2026-01-01T00:00:00Z")));
    CHAMADO_TRY(repo.InsertSession("session-hash", u.id, "csrf-1", At("2026-01-01T00:00:00Z"), At("2026-01-02T00:00:00Z")));
    return u;
  });
  ASSERT_TRUE(made.ok()) << made.error().message;

  struct Found {
    std::vector<std::optional<Organization>> orgs;
    std::vector<std::optional<User>> users;
    std::optional<Repo::SessionUser> session;
    std::optional<Group> group;
  };
  auto r = store_->Read<Found>([&](Repo& repo) -> Result<Found> {
    Found f;
    for (auto org_read : {repo.GetOrganization(org.id), repo.FindOrganizationByName("ACME"), repo.GetOrganization(999)}) {
      CHAMADO_ASSIGN_OR_RETURN(auto o, std::move(org_read));
      f.orgs.push_back(std::move(o));
    }
    for (auto user_read : {repo.GetUser(made->id), repo.FindUserByEmail("agent@desk.example"),
                           repo.UserByApiToken("token-hash"), repo.GetUser(999), repo.UserByApiToken("other")}) {
      CHAMADO_ASSIGN_OR_RETURN(auto u, std::move(user_read));
      f.users.push_back(std::move(u));
    }
    CHAMADO_ASSIGN_OR_RETURN(f.session, repo.UserBySession("session-hash", At("2026-01-01T12:00:00Z")));
    CHAMADO_ASSIGN_OR_RETURN(f.group, repo.FindGroupByName("tier 2"));
    return f;
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->orgs.size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(r->orgs[i].has_value()) << i;
    EXPECT_EQ(r->orgs[i]->id, org.id);
    EXPECT_EQ(r->orgs[i]->domains, std::vector<std::string>{"acme.example"}) << i;
  }
  EXPECT_FALSE(r->orgs[2].has_value());
  ASSERT_EQ(r->users.size(), 5u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(r->users[i].has_value()) << i;
    EXPECT_EQ(r->users[i]->id, made->id);
    EXPECT_EQ(r->users[i]->group_ids, std::vector<Id>{g->id}) << i;
  }
  EXPECT_FALSE(r->users[3].has_value());
  EXPECT_FALSE(r->users[4].has_value());
  ASSERT_TRUE(r->session.has_value());
  EXPECT_EQ(r->session->user.id, made->id);
  EXPECT_EQ(r->session->user.group_ids, std::vector<Id>{g->id});
  EXPECT_EQ(r->session->csrf_token, "csrf-1");
  ASSERT_TRUE(r->group.has_value());
  EXPECT_EQ(r->group->id, g->id);
  EXPECT_EQ(r->group->name, "Tier 2");
}

// "$2 ... $1" binds by number, as in PostgreSQL (SQLite numbers by first appearance).
TEST_F(StoreTest, PlaceholdersBindByNumberWhateverTheirOrder) {
  auto r = store_->Read<std::string>([](Repo& repo) -> Result<std::string> {
    std::string out;
    CHAMADO_TRY(repo.conn().Run("SELECT $2 || '-' || $1", {"first", "second"}, [&](const RowView& row) { out = row.Str(0); }));
    return out;
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "second-first");
  auto wrong = store_->Read<std::string>([](Repo& repo) -> Result<std::string> {
    CHAMADO_TRY(repo.conn().Run("SELECT $1", {"a", "b"}));
    return std::string();
  });
  EXPECT_FALSE(wrong.ok());
}

// The text a stored enum column holds, read past the repository.
Result<std::string> StoredText(Repo& repo, std::string_view sql, std::initializer_list<Param> params) {
  std::string out;
  CHAMADO_TRY(repo.conn().Run(sql, params, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

// Every enum a clock row or a mail id carries is stored as the name it has always had (no
// migration rewrote them) and reads back as itself.
TEST_F(StoreTest, ClockRowsAndMailIdsRoundTripEveryEnumValue) {
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, std::nullopt);
  const auto t = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  const std::pair<sla::Target, const char*> targets[] = {{sla::Target::kFirstResponse, "first_response"},
                                                         {sla::Target::kNextResponse, "next_response"},
                                                         {sla::Target::kResolution, "resolution"}};
  const std::pair<sla::ClockState, const char*> states[] = {{sla::ClockState::kRunning, "running"},
                                                            {sla::ClockState::kPaused, "paused"},
                                                            {sla::ClockState::kMet, "met"},
                                                            {sla::ClockState::kBreached, "breached"},
                                                            {sla::ClockState::kExempt, "exempt"}};
  ASSERT_EQ(std::size(targets), std::size(sla::kTargets));
  ASSERT_EQ(std::size(states), std::size(sla::kClockStates));
  for (const auto& [target, target_name] : targets) {
    for (const auto& [state, state_name] : states) {
      Repo::ClockRow row;
      row.ticket_number = t.number;
      row.target = target;
      row.cycle_start = At("2026-01-05T10:00:00Z");
      row.state = state;
      row.calendar = "business";
      row.within_text = "4h";
      row.within = std::chrono::hours(4);
      row.used = std::chrono::minutes(90);
      row.due_at = At("2026-01-05T14:00:00Z");
      row.warn_at = {At("2026-01-05T13:00:00Z")};
      row.computed_at = At("2026-01-05T11:30:00Z");
      auto r = store_->WriteSync<std::vector<Repo::ClockRow>>([&](Repo& repo) -> Result<std::vector<Repo::ClockRow>> {
        CHAMADO_TRY(repo.UpsertClock(row));
        return repo.ClockRows(t.number);
      });
      ASSERT_TRUE(r.ok()) << target_name << " " << state_name << ": " << r.error().message;
      auto back = std::find_if(r->begin(), r->end(), [&, target = target](const auto& c) { return c.target == target; });
      ASSERT_NE(back, r->end()) << target_name;
      EXPECT_EQ(back->state, state) << target_name << " " << state_name;
      EXPECT_EQ(back->within, std::chrono::hours(4));
      EXPECT_EQ(back->used, std::chrono::minutes(90));
      EXPECT_EQ(back->warn_at, row.warn_at);
      auto text = store_->Read<std::string>([&, target_name = target_name](Repo& repo) {
        return StoredText(repo, "SELECT target || ' ' || state || ' ' || within_ms || ' ' || used_ms FROM ticket_clocks "
                                "WHERE ticket_number = $1 AND target = $2", {t.number, target_name});
      });
      ASSERT_TRUE(text.ok());
      EXPECT_EQ(*text, std::string(target_name) + " " + state_name + " 14400000 5400000");
    }
  }

  const std::pair<MailDirection, const char*> directions[] = {{MailDirection::kIn, "in"}, {MailDirection::kOut, "out"}};
  const std::pair<MailOutcome, const char*> outcomes[] = {{MailOutcome::kOpened, "opened"},
                                                          {MailOutcome::kAppended, "appended"},
                                                          {MailOutcome::kIgnored, "ignored"},
                                                          {MailOutcome::kSent, "sent"}};
  ASSERT_EQ(std::size(directions), std::size(kMailDirections));
  ASSERT_EQ(std::size(outcomes), std::size(kMailOutcomes));
  for (const auto& [direction, direction_name] : directions) {
    for (const auto& [outcome, outcome_name] : outcomes) {
      const std::string id = std::string("<") + direction_name + "-" + outcome_name + "@test.example>";
      const Repo::MailId m{id, direction, t.number, std::nullopt, "", outcome, At("2026-01-05T10:00:00Z")};
      auto r = store_->WriteSync<std::optional<Repo::MailId>>([&](Repo& repo) -> Result<std::optional<Repo::MailId>> {
        CHAMADO_TRY(repo.InsertMailId(m));
        return repo.FindMailId(id);
      });
      ASSERT_TRUE(r.ok() && r->has_value()) << id;
      EXPECT_EQ((*r)->direction, direction) << id;
      EXPECT_EQ((*r)->outcome, outcome) << id;
      EXPECT_EQ((*r)->ticket_number, t.number);
      auto text = store_->Read<std::string>([&](Repo& repo) {
        return StoredText(repo, "SELECT direction || ' ' || outcome FROM mail_ids WHERE message_id = $1", {id});
      });
      ASSERT_TRUE(text.ok());
      EXPECT_EQ(*text, std::string(direction_name) + " " + outcome_name);
    }
  }
}

// The same for ticket links and the outbox.
TEST_F(StoreTest, MergeRowsAndMovedMessagesRoundTrip) {
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, std::nullopt);
  const auto survivor = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  const auto merged = MakeTicket(ana, "P3", "2026-01-06T10:00:00Z");
  struct Seen {
    std::optional<Repo::MergeRow> row;
    std::vector<Id> into;
    int64_t moved = 0;
    std::vector<Id> on_survivor;
  };
  auto r = store_->WriteSync<Seen>([&](Repo& repo) -> Result<Seen> {
    Seen s;
    CHAMADO_TRY(repo.InsertMerge({merged.number, survivor.number, Status::kPendingCustomer, 7, At("2026-01-07T10:00:00Z")}));
    CHAMADO_ASSIGN_OR_RETURN(s.row, repo.GetMerge(merged.number));
    CHAMADO_ASSIGN_OR_RETURN(s.into, repo.MergedInto(survivor.number));
    CHAMADO_ASSIGN_OR_RETURN(s.moved, repo.MoveMessagesForMerge(merged.number, survivor.number));
    CHAMADO_ASSIGN_OR_RETURN(s.on_survivor, repo.MessageIds(survivor.number));
    return s;
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->row);
  EXPECT_EQ(r->row->into, survivor.number);
  EXPECT_EQ(r->row->previous, Status::kPendingCustomer);
  EXPECT_EQ(r->row->merged_by, 7);
  EXPECT_EQ(r->row->merged_at, At("2026-01-07T10:00:00Z"));
  EXPECT_EQ(r->into, std::vector<Id>{merged.number});
  EXPECT_EQ(r->moved, 1);
  EXPECT_EQ(r->on_survivor.size(), 2u);

  auto undone = store_->WriteSync<std::pair<int64_t, bool>>([&](Repo& repo) -> Result<std::pair<int64_t, bool>> {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t back, repo.ReturnMergedMessages(merged.number));
    CHAMADO_TRY(repo.DeleteMerge(merged.number));
    CHAMADO_ASSIGN_OR_RETURN(auto row, repo.GetMerge(merged.number));
    return std::pair{back, row.has_value()};
  });
  ASSERT_TRUE(undone.ok()) << undone.error().message;
  EXPECT_EQ(undone->first, 1);
  EXPECT_FALSE(undone->second);
}

TEST_F(StoreTest, TicketLinksAndOutboxRowsRoundTripEveryKind) {
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, std::nullopt);
  const auto first = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  const std::pair<TicketLinkKind, const char*> links[] = {{TicketLinkKind::kFollowUp, "follow_up"},
                                                          {TicketLinkKind::kAnswered, "answered"},
                                                          {TicketLinkKind::kMerged, "merged"},
                                                          {TicketLinkKind::kSplit, "split"}};
  ASSERT_EQ(std::size(links), std::size(kTicketLinkKinds));
  for (const auto& [kind, name] : links) {
    const auto other = MakeTicket(ana, "P3", "2026-01-06T10:00:00Z");
    auto r = store_->WriteSync<std::vector<Repo::TicketLink>>([&, kind = kind](Repo& repo) -> Result<std::vector<Repo::TicketLink>> {
      CHAMADO_TRY(repo.InsertTicketLink(other.number, first.number, kind, At("2026-01-06T10:00:00Z")));
      return repo.TicketLinks(other.number);
    });
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].kind, kind) << name;
    EXPECT_EQ((*r)[0].ticket_number, first.number);
    EXPECT_TRUE((*r)[0].outgoing);
    auto text = store_->Read<std::string>([&](Repo& repo) {
      return StoredText(repo, "SELECT kind FROM ticket_links WHERE ticket_number = $1", {other.number});
    });
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, name);
  }

  const std::pair<OutboxKind, const char*> kinds[] = {{OutboxKind::kEmail, "email"}, {OutboxKind::kWebhook, "webhook"},
                                                      {OutboxKind::kWhatsapp, "whatsapp"}};
  ASSERT_EQ(std::size(kinds), std::size(kOutboxKinds));
  for (const auto& [kind, name] : kinds) {
    const std::string recipient = std::string(name) + "-recipient";
    auto r = store_->WriteSync<std::vector<Repo::QueuedNotification>>(
        [&, kind = kind](Repo& repo) -> Result<std::vector<Repo::QueuedNotification>> {
          CHAMADO_TRY(repo.InsertOutbox({kind, recipient, first.number, "sla.warning", "{}", At("2026-01-05T10:00:00Z")}));
          return repo.DueOutbox(kind, At("2026-01-05T10:00:00Z"), 10);
        });
    ASSERT_TRUE(r.ok()) << name << ": " << r.error().message;
    auto mine = std::find_if(r->begin(), r->end(), [&](const auto& n) { return n.row.recipient == recipient; });
    ASSERT_NE(mine, r->end()) << name;
    EXPECT_EQ(mine->row.kind, kind);
    auto text = store_->Read<std::string>([&](Repo& repo) {
      return StoredText(repo, "SELECT kind FROM outbox WHERE recipient = $1", {recipient});
    });
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, name);
  }
}

// A stored name this version does not know fails the read instead of being taken for another.
TEST_F(StoreTest, UnknownStoredNameIsAnError) {
  const auto ana = MakeUser("ana@acme.example", Role::kCustomer, std::nullopt);
  const auto t = MakeTicket(ana, "P3", "2026-01-05T10:00:00Z");
  auto r = store_->WriteSync<std::vector<Repo::ClockRow>>([&](Repo& repo) -> Result<std::vector<Repo::ClockRow>> {
    CHAMADO_TRY(repo.conn().Run("UPDATE ticket_clocks SET state = 'frozen' WHERE ticket_number = $1", {t.number}));
    return repo.ClockRows(t.number);
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
  EXPECT_NE(r.error().message.find("\"frozen\" in ticket_clocks.state"), std::string::npos) << r.error().message;
}

TEST(Cursor, RoundTripAndRejectsGarbage) {
  const auto c = EncodeCursor({2, 1767618000000, 17});
  EXPECT_EQ(DecodeCursor(c, 3), (std::vector<int64_t>{2, 1767618000000, 17}));
  EXPECT_FALSE(DecodeCursor(c, 1));
  EXPECT_FALSE(DecodeCursor("!!!", 1));
  EXPECT_FALSE(DecodeCursor(EncodeCursor({}), 1));
  EXPECT_FALSE(DecodeCursor("MS5h", 2));  // "1.a"
}

TEST_F(StoreTest, SavedViewsBelongToTheirAgent) {
  const auto lucas = MakeUser("lucas@desk.example", Role::kAgent, std::nullopt);
  const auto rita = MakeUser("rita@desk.example", Role::kAgent, std::nullopt);
  auto insert = [&](Id user, const std::string& name) {
    return store_->WriteSync<SavedView>([&](Repo& repo) {
      return repo.InsertView({0, user, name, "status:open priority:P1", false, 0, At("2026-03-02T09:00:00Z")});
    });
  };
  auto first = insert(lucas.id, "My open P1s");
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = insert(lucas.id, "Acme");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->position, first->position + 1);  // new views go last
  // Names are unique per agent, ignoring case; another agent may reuse one.
  auto again = insert(lucas.id, "my open p1s");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(insert(rita.id, "My open P1s").ok());

  // Another agent's view is not found, nor deleted.
  auto theirs = store_->Read<std::optional<SavedView>>([&](Repo& repo) { return repo.GetView(rita.id, first->id); });
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(*theirs);
  auto gone = store_->WriteSync<bool>([&](Repo& repo) { return repo.DeleteView(rita.id, first->id); });
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);

  SavedView moved = *second;
  moved.position = -1;
  moved.pinned = true;
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.UpdateView(moved));
                      return true;
                    }).ok());
  auto mine = store_->Read<std::vector<SavedView>>([&](Repo& repo) { return repo.ListViews(lucas.id); });
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].name, "Acme");
  EXPECT_TRUE((*mine)[0].pinned);
  EXPECT_EQ((*mine)[1].query, "status:open priority:P1");
  EXPECT_EQ((*mine)[1].created_at, At("2026-03-02T09:00:00Z"));

  // At most kMaxSavedViews views each.
  for (int64_t i = 2; i < kMaxSavedViews; ++i) ASSERT_TRUE(insert(lucas.id, "View " + std::to_string(i)).ok());
  auto over = insert(lucas.id, "One too many");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);

  // A person's views go with them.
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.conn().Run("DELETE FROM users WHERE id = $1", {lucas.id}));
                      return true;
                    }).ok());
  auto left = store_->Read<std::vector<SavedView>>([&](Repo& repo) { return repo.ListViews(lucas.id); });
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
}

TEST_F(StoreTest, MacrosArePersonalOrShared) {
  const auto lucas = MakeUser("lucas@desk.example", Role::kAgent, std::nullopt);
  const auto rita = MakeUser("rita@desk.example", Role::kAgent, std::nullopt);
  auto insert = [&](std::optional<Id> owner, const std::string& name) {
    Macro m;
    m.owner_id = owner;
    m.name = name;
    m.body = "Hi {{customer.name}}";
    m.fields.status = core::Status::kPendingCustomer;
    m.fields.priority = "P2";
    m.fields.add_tags = {"billing", "refund"};
    m.created_at = m.updated_at = At("2026-03-02T09:00:00Z");
    return store_->WriteSync<Macro>([m](Repo& repo) { return repo.InsertMacro(m); });
  };
  auto shared = insert(std::nullopt, "Refund");
  ASSERT_TRUE(shared.ok()) << shared.error().message;
  auto mine = insert(lucas.id, "refund");  // a personal one may share a shared one's name
  ASSERT_TRUE(mine.ok()) << mine.error().message;
  auto again = insert(lucas.id, "REFUND");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto shared_again = insert(std::nullopt, "refund");
  ASSERT_FALSE(shared_again.ok());
  EXPECT_NE(shared_again.error().message.find("shared macro"), std::string::npos);

  // Rita sees the shared one, not Lucas's.
  auto hers = store_->Read<std::vector<Macro>>([&](Repo& repo) { return repo.ListMacros(rita.id); });
  ASSERT_TRUE(hers.ok());
  ASSERT_EQ(hers->size(), 1u);
  EXPECT_TRUE((*hers)[0].shared());
  EXPECT_EQ((*hers)[0].fields.status, core::Status::kPendingCustomer);
  EXPECT_EQ((*hers)[0].fields.add_tags, (std::vector<std::string>{"billing", "refund"}));
  auto theirs = store_->Read<std::optional<Macro>>([&](Repo& repo) { return repo.GetMacro(rita.id, mine->id); });
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(*theirs);
  auto not_hers = store_->WriteSync<bool>([&](Repo& repo) { return repo.DeleteMacro(rita.id, mine->id); });
  ASSERT_TRUE(not_hers.ok());
  EXPECT_FALSE(*not_hers);
  // Deleting as the shared set does not reach a personal one either.
  auto not_shared = store_->WriteSync<bool>([&](Repo& repo) { return repo.DeleteMacro(std::nullopt, mine->id); });
  ASSERT_TRUE(not_shared.ok());
  EXPECT_FALSE(*not_shared);

  Macro changed = *mine;
  changed.name = "Refund, personal";
  changed.fields = {};
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.UpdateMacro(changed));
                      return true;
                    }).ok());
  auto his = store_->Read<std::vector<Macro>>([&](Repo& repo) { return repo.ListMacros(lucas.id); });
  ASSERT_TRUE(his.ok());
  ASSERT_EQ(his->size(), 2u);
  EXPECT_EQ((*his)[0].name, "Refund");  // by name
  EXPECT_EQ((*his)[1].name, "Refund, personal");
  EXPECT_FALSE((*his)[1].fields.status);
  EXPECT_TRUE((*his)[1].fields.add_tags.empty());

  // A person's macros go with them; shared ones stay.
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.conn().Run("DELETE FROM users WHERE id = $1", {lucas.id}));
                      return true;
                    }).ok());
  auto left = store_->Read<std::vector<Macro>>([&](Repo& repo) { return repo.ListMacros(lucas.id); });
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_TRUE((*left)[0].shared());
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
  EXPECT_EQ(blobs.PathOf(*a), root.string() + "/2c/" + *a);
  EXPECT_TRUE(blobs.PathOf("../../etc/passwd").empty());
  // Files stored one level deeper (before 2026-11) are still found.
  const std::string old = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7";  // "world"
  fs::create_directories(root / "48" / "6e");
  std::ofstream(root / "48" / "6e" / old) << "world";
  EXPECT_EQ(*blobs.Get(old), "world");
  EXPECT_EQ(*blobs.Put("world"), old);
  EXPECT_FALSE(fs::exists(root / "48" / old));  // not written twice
  EXPECT_FALSE(blobs.Get("zz").ok());
  fs::remove_all(root);
}

// A SQLite database at `path` as a release before migration `before` left it: the migrations
// below that number applied and recorded.
Result<std::unique_ptr<Connection>> OldDatabase(const std::string& path, int before) {
  CHAMADO_ASSIGN_OR_RETURN(auto db, OpenSqlite(path, {.writer = true}));
  CHAMADO_TRY(db->Script("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  for (const auto& [file, sql] : embedded::sqlite_migrations()) {
    const int version = std::stoi(std::string(file.substr(1, file.find("__") - 1)));
    if (version >= before) continue;
    CHAMADO_TRY(db->Script(sql));
    CHAMADO_TRY(db->Run("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)", {int64_t(version), file}));
  }
  return db;
}

// A database of the release before V024: an escalation request whose words were written into its
// text in the customer's language, a bounce's sender kept as a contact, an organization.
// Opening it with this release labels the request (each reader's screen says the words in
// their language), adds Chamado's own user 0 and leaves the organization active.
TEST(MigrationV024, AnOlderDatabaseKeepsItsDataAndGainsLabels) {
  const fs::path dir = fs::temp_directory_path() / ("chamado_v024_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "chamado.db").string();
  {
    auto c = OldDatabase(path, 24);
    ASSERT_TRUE(c.ok()) << c.error().message;
    Connection& db = **c;
    ASSERT_TRUE(db.Script(
        "INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', 0);"
        "INSERT INTO users (id, email, name, role, organization_id, language, created_at, updated_at) "
        "  VALUES (1, 'maria@acme.example', 'Maria', 'customer', 1, 'pt-BR', 0, 0);"
        "INSERT INTO tickets (number, subject, requester_id, organization_id, channel, status, priority, priority_rank, created_at, updated_at) "
        "  VALUES (1, 'Fechamento', 1, 1, 'web', 'open', 'P3', 2, 0, 0);"
        "INSERT INTO messages (id, ticket_number, kind, author_id, body, channel, created_at) VALUES "
        "  (1, 1, 'customer_message', 1, 'Nada carrega.', 'web', 0),"
        "  (2, 1, 'customer_message', 1, 'Escalonamento solicitado. Impacto no negócio: O fechamento está parado.', 'web', 1),"
        "  (3, 1, 'customer_message', 1, 'Eskalation angefordert. Geschäftliche Auswirkung: Alles steht.', 'web', 2),"
        "  (4, 1, 'public_reply', 1, 'Escalation requested. Business impact: quoted by an agent', 'web', 3);").ok());
  }
  auto opened = Store::Open({path});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto messages = (*opened)->Read<std::vector<std::pair<std::string, std::string>>>(
      [](Repo& repo) -> Result<std::vector<std::pair<std::string, std::string>>> {
        std::vector<std::pair<std::string, std::string>> out;
        CHAMADO_TRY(repo.conn().Run("SELECT body, label FROM messages ORDER BY id", {},
                                    [&](const RowView& r) { out.emplace_back(r.Str(0), r.Str(1)); }));
        return out;
      });
  ASSERT_TRUE(messages.ok()) << messages.error().message;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Nada carrega.", ""},
      {"O fechamento está parado.", "escalation_requested"},
      {"Alles steht.", "escalation_requested"},
      {"Escalation requested. Business impact: quoted by an agent", ""},  // an agent's reply is no request
  };
  EXPECT_EQ(*messages, expected);
  auto system = (*opened)->Read<std::optional<User>>([](Repo& repo) { return repo.GetUser(0); });
  ASSERT_TRUE(system.ok() && system->has_value());
  EXPECT_EQ((*system)->name, "Chamado");
  EXPECT_FALSE((*system)->active);
  auto org = (*opened)->Read<std::optional<Organization>>([](Repo& repo) { return repo.GetOrganization(1); });
  ASSERT_TRUE(org.ok() && org->has_value());
  EXPECT_TRUE((*org)->active);
  opened->reset();
  fs::remove_all(dir);
}

// A database of the release before V030 (made before V024): a bounce's sender kept as a
// contact of the organization, with the notice as its message on a customer's ticket and a
// ticket of its own. Opening it with this release makes the notices and their events
// Chamado's (user 0), and deactivates the contact out of its organization; a person's data
// is untouched.
TEST(MigrationV030, BounceSendersMadeContactsBeforeV024AreNobody) {
  const fs::path dir = fs::temp_directory_path() / ("chamado_v030_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "chamado.db").string();
  {
    auto c = OldDatabase(path, 30);
    ASSERT_TRUE(c.ok()) << c.error().message;
    Connection& db = **c;
    ASSERT_TRUE(db.Script(
        "INSERT INTO organizations (id, name, created_at) VALUES (1, 'Acme', 0);"
        "INSERT INTO users (id, email, name, role, organization_id, language, password_hash, created_at, updated_at) VALUES "
        "  (1, 'maria@acme.example', 'Maria', 'customer', 1, 'pt-BR', NULL, 0, 0),"
        "  (2, 'mailer-daemon@acme.example', 'Mail Delivery System', 'customer', 1, 'en', NULL, 0, 0),"
        "  (3, 'mailer-daemon@staff.example', 'Daemon the agent', 'agent', NULL, 'en', 'x', 0, 0);"
        "INSERT INTO tickets (number, subject, requester_id, organization_id, channel, status, priority, priority_rank, created_at, updated_at) VALUES"
        "  (1, 'Fechamento', 1, 1, 'email', 'open', 'P3', 2, 0, 0),"
        "  (2, 'Undelivered Mail Returned to Sender', 2, 1, 'email', 'new', 'P3', 2, 0, 0);"
        "INSERT INTO messages (id, ticket_number, kind, author_id, body, channel, created_at) VALUES "
        "  (1, 1, 'customer_message', 1, 'Nada carrega.', 'email', 0),"
        "  (2, 1, 'customer_message', 2, 'This is the mail system at host mx.acme.example.', 'email', 1),"
        "  (3, 2, 'customer_message', 2, 'Delivery to the following recipient failed permanently.', 'email', 2);"
        "INSERT INTO events (id, ticket_number, kind, actor_id, at, message_id) VALUES "
        "  (1, 1, 'ticket.created', 1, 0, 1), (2, 1, 'message.added', 2, 1, 2), (3, 2, 'ticket.created', 2, 2, 3);").ok());
  }
  auto opened = Store::Open({path});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto ids = [&](const std::string& sql) {
    auto r = (*opened)->Read<std::vector<int64_t>>([&](Repo& repo) -> Result<std::vector<int64_t>> {
      std::vector<int64_t> out;
      CHAMADO_TRY(repo.conn().Run(sql, {}, [&](const RowView& row) { out.push_back(row.Int(0)); }));
      return out;
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : std::vector<int64_t>{};
  };
  EXPECT_EQ(ids("SELECT author_id FROM messages ORDER BY id"), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(ids("SELECT actor_id FROM events WHERE id <= 3 ORDER BY id"), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(ids("SELECT requester_id FROM tickets ORDER BY number"), (std::vector<int64_t>{1, 2})) << "the ticket's history reads as it did";
  auto user = [&](Id id) {
    auto r = (*opened)->Read<std::optional<User>>([&](Repo& repo) { return repo.GetUser(id); });
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : User{};
  };
  EXPECT_FALSE(user(2).active);
  EXPECT_EQ(user(2).organization_id, std::nullopt);
  EXPECT_TRUE(user(1).active);
  EXPECT_EQ(user(1).organization_id, std::optional<Id>(1));
  EXPECT_TRUE(user(3).active) << "a person at the desk with that address signs in: not a bounce sender";
  opened->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace chamado::store

namespace chamado::store {
namespace {

// A small flow on the default policy: a choice, then a ticket in its "question" category.
constexpr const char* kBotFlow = R"([bot]
name = "Desk bot"
default_language = "en"
start = "welcome"

[nodes.welcome]
type = "message"
text = "Hello"
options = [ { label = "A question", next = "ask" } ]

[nodes.ask]
type = "ticket"
category = "question"
text = "Describe it"
)";

class BotStoreTest : public StoreTest {
 protected:
  std::shared_ptr<const bot::Flow> Flow() {
    auto f = bot::ParseFlow(kBotFlow, "bot.toml", store_->policy().get());
    EXPECT_TRUE(f.ok()) << f.error().message;
    return std::make_shared<const bot::Flow>(f->flow);
  }
  BotReply Send(const bot::Flow& flow, const BotSession& s, bot::Input in, const char* at) {
    auto r = store_->WriteSync<BotReply>([&](Repo& repo) {
      return BotMessageCommand(repo, *store_->policy(), *masker_, flow, s.id, s.turns, in, {}, At(at));
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }
};

TEST_F(BotStoreTest, FlowVersionsAreKeptAndARollbackIsANewVersion) {
  auto flow = Flow();
  for (std::optional<int64_t> from : {std::optional<int64_t>(), std::optional<int64_t>(), std::optional<int64_t>(1)}) {
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyBotFlowCommand(repo, *flow, std::nullopt, from, At("2026-03-02T12:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
  }
  auto history = store_->Read<std::vector<StoredFlow>>([](Repo& repo) { return repo.FlowHistory(); });
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].version, 3);
  EXPECT_EQ((*history)[0].restored_from, 1);
  EXPECT_EQ((*history)[0].source, "");  // the list leaves the texts out
  EXPECT_EQ((*history)[2].applied_at, At("2026-03-02T12:00:00Z"));
  auto latest = store_->Read<std::optional<StoredFlow>>([](Repo& repo) { return repo.LatestFlow(); });
  EXPECT_EQ((*latest)->version, 3);
  EXPECT_EQ((*latest)->source, kBotFlow);
}

TEST_F(BotStoreTest, AnAnonymousConversationOpensATicketWithItsTranscriptAndMaskedSecrets) {
  auto flow = Flow();
  auto version = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyBotFlowCommand(repo, *flow, std::nullopt, std::nullopt, At("2026-03-02T12:00:00Z")); });
  auto started = store_->WriteSync<BotReply>([&](Repo& repo) {
    return StartBotSessionCommand(repo, *store_->policy(), *version, *flow, std::nullopt, "en", "hash", At("2026-03-02T12:00:00Z"));
  });
  ASSERT_TRUE(started.ok()) << started.error().message;
  BotSession s = started->session;
  EXPECT_EQ(s.turns, 1);
  s = Send(*flow, s, {"1", std::nullopt}, "2026-03-02T12:01:00Z").session;
  EXPECT_EQ(s.state.awaiting, bot::Awaiting::kDescription);

  // An answer made for a turn that is no longer the last is refused.
  auto stale = store_->WriteSync<BotReply>([&](Repo& repo) {
    return BotMessageCommand(repo, *store_->policy(), *masker_, *flow, s.id, s.turns - 1, {std::nullopt, "late"}, {}, At("2026-03-02T12:02:00Z"));
  });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  s = Send(*flow, s, {std::nullopt, "Login fails, my senha=Abacaxi2024 is refused"}, "2026-03-02T12:03:00Z").session;
  EXPECT_EQ(s.state.awaiting, bot::Awaiting::kEmail);
  auto done = Send(*flow, s, {std::nullopt, "Rosa@Example.com"}, "2026-03-02T12:04:00Z");
  ASSERT_TRUE(done.session.ticket_number);
  EXPECT_EQ(done.session.state.status, bot::Status::kTicketOpened);
  EXPECT_EQ(done.turns.back().ticket_number, done.session.ticket_number);

  auto turns = store_->Read<std::vector<BotTurn>>([&](Repo& repo) { return repo.BotTurns(s.id); });
  ASSERT_TRUE(turns.ok());
  EXPECT_EQ(turns->size(), 7u);
  for (const auto& t : *turns) EXPECT_EQ(t.text.find("Abacaxi2024"), std::string::npos) << t.text;
  auto ticket = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(*done.session.ticket_number); });
  ASSERT_TRUE(ticket.ok() && *ticket);
  EXPECT_EQ((*ticket)->category, "question");
  EXPECT_EQ((*ticket)->channel, Channel::kChat);
  auto messages = store_->Read<Paged<Message>>([&](Repo& repo) { return repo.ListMessages((*ticket)->number, true, Page{}); });
  ASSERT_TRUE(messages.ok());
  EXPECT_EQ(messages->items.at(0).body,
            "Assistant: Hello\nCustomer: A question\nAssistant: Describe it\nCustomer: Login fails, my senha=A•••••••••4 is refused\n"
            "Assistant: " + bot::PhraseIn(bot::Phrase::kAskEmail, "en") + "\nCustomer: Rosa@Example.com\n");
  auto requester = store_->Read<std::optional<User>>([&](Repo& repo) { return repo.GetUser((*ticket)->requester_id); });
  EXPECT_EQ((*requester)->email, "rosa@example.com");

  // Thirty idle minutes end a conversation that is still open to the bot.
  auto again = store_->WriteSync<BotReply>([&](Repo& repo) {
    return StartBotSessionCommand(repo, *store_->policy(), *version, *flow, std::nullopt, "en", "hash2", At("2026-03-02T13:00:00Z"));
  });
  EXPECT_FALSE(BotSessionExpired(again->session, At("2026-03-02T13:29:59Z")));
  EXPECT_TRUE(BotSessionExpired(again->session, At("2026-03-02T13:30:00Z")));
  auto late = store_->WriteSync<BotReply>([&](Repo& repo) {
    return BotMessageCommand(repo, *store_->policy(), *masker_, *flow, again->session.id, 1, {"1", std::nullopt}, {}, At("2026-03-02T13:31:00Z"));
  });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
}

// A write job that holds its transaction open until released: what one instance's pass holds
// while another instance's runs.
class HeldWrite {
 public:
  template <class Work>
  HeldWrite(Store& store, Work work) {
    store.Write<bool>(
        [this, work](Repo& repo) -> Result<bool> {
          CHAMADO_TRY(work(repo));
          held_.set_value();
          release_.get_future().wait();
          return true;
        },
        [this](Result<bool> r) { done_.set_value(r.ok()); });
    held_.get_future().wait();
  }
  // Commits; returns whether it did.
  bool Release() {
    released_ = true;
    release_.set_value();
    return done_.get_future().get();
  }
  ~HeldWrite() {
    if (!released_) Release();  // a failed assertion left it held: the writer must go on
  }

 private:
  bool released_ = false;
  std::promise<void> held_, release_;
  std::promise<bool> done_;
};

TEST_F(StoreTest, TwoInstancesClaimApartWhatIsDue) {
  if (TestEngine() != "postgresql") GTEST_SKIP() << "one SQLite writer at a time: claims grant everything";
  auto other = Store::Open(options_);  // a second instance on the same database
  ASSERT_TRUE(other.ok()) << other.error().message;
  const auto org = MakeOrg("claims");
  const auto requester = MakeUser("ana@claims.example", Role::kCustomer, org.id);
  const Id t1 = MakeTicket(requester, "P1", "2026-01-05T10:00:00Z").number;
  const Id t2 = MakeTicket(requester, "P1", "2026-01-05T10:01:00Z").number;
  const Id t3 = MakeTicket(requester, "P1", "2026-01-05T10:02:00Z").number;
  std::vector<Id> first;
  HeldWrite held(*store_, [&](Repo& repo) -> Result<void> {
    CHAMADO_ASSIGN_OR_RETURN(first, ClaimTickets(repo.conn(), {t1, t2}));
    return Ok();
  });
  EXPECT_EQ(first, (std::vector<Id>{t1, t2}));
  // The other instance gets what the first does not hold, at once (SKIP LOCKED never waits),
  // and no turn while the first holds it.
  auto second = (*other)->WriteSync<std::vector<Id>>([&](Repo& repo) { return ClaimTickets(repo.conn(), {t3, t2, t1}); });
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(*second, (std::vector<Id>{t3}));
  ASSERT_TRUE(held.Release());
  auto after = (*other)->WriteSync<std::vector<Id>>([&](Repo& repo) { return ClaimTickets(repo.conn(), {t1, t2}); });
  EXPECT_EQ(*after, (std::vector<Id>{t1, t2})) << "released with the transaction";

  HeldWrite routing(*store_, [&](Repo& repo) -> Result<void> {
    CHAMADO_ASSIGN_OR_RETURN(const bool turn, TakeTurn(repo.conn(), Turn::kRouting));
    if (!turn) return Error::Internal("the first instance did not get the turn");
    return Ok();
  });
  auto turn = (*other)->WriteSync<bool>([&](Repo& repo) { return TakeTurn(repo.conn(), Turn::kRouting); });
  ASSERT_TRUE(turn.ok()) << turn.error().message;
  EXPECT_FALSE(*turn);
  ASSERT_TRUE(routing.Release());
  EXPECT_TRUE(*(*other)->WriteSync<bool>([&](Repo& repo) { return TakeTurn(repo.conn(), Turn::kRouting); }));
}

// A periodic job runs once per period for the desk: the run is recorded, and a claim before
// the period has passed is refused, however many instances ask.
TEST_F(StoreTest, APeriodicJobIsClaimedOncePerPeriod) {
  const Instant at = At("2026-01-05T10:00:00Z");
  auto claim = [&](Store& store, std::string_view job, Instant when) {
    auto r = store.WriteSync<bool>([&](Repo& repo) { return ClaimPeriodic(repo.conn(), job, when, std::chrono::hours(1)); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() && *r;
  };
  EXPECT_TRUE(claim(*store_, "retention", at)) << "never run";
  EXPECT_FALSE(claim(*store_, "retention", at + std::chrono::minutes(59)));
  EXPECT_TRUE(claim(*store_, "other-job", at + std::chrono::minutes(59))) << "each job has its own period";
  EXPECT_TRUE(claim(*store_, "retention", at + std::chrono::minutes(60)));
  EXPECT_FALSE(claim(*store_, "retention", at + std::chrono::minutes(61)));
  // A clock set back (a restored backup, a corrected clock) does not stop the job for good.
  EXPECT_TRUE(claim(*store_, "retention", at - std::chrono::hours(5)));
  if (TestEngine() != "postgresql") return;
  auto other = Store::Open(options_);  // a second instance on the same database
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_FALSE(claim(**other, "retention", at - std::chrono::hours(5) + std::chrono::minutes(30)));
  // While one instance holds the claiming turn, the other is told no at once.
  HeldWrite held(*store_, [&](Repo& repo) -> Result<void> {
    CHAMADO_ASSIGN_OR_RETURN(const bool mine, ClaimPeriodic(repo.conn(), "hourly", at, std::chrono::hours(1)));
    if (!mine) return Error::Internal("the first instance did not get the run");
    return Ok();
  });
  EXPECT_FALSE(claim(**other, "hourly", at));
  ASSERT_TRUE(held.Release());
  EXPECT_FALSE(claim(**other, "hourly", at + std::chrono::minutes(1))) << "the first instance's run is recorded";
  EXPECT_TRUE(claim(**other, "hourly", at + std::chrono::hours(1)));
}

// What a sender claims is its own until the lease ends: another sender's claim (another
// instance's) skips it, and a claim lost with a crash comes back when the lease ends.
TEST_F(StoreTest, OutboxClaimsAreLeased) {
  const Instant now = At("2026-01-05T10:00:00Z");
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      for (int i = 0; i < 15; ++i)
                        CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kWebhook, "https://hooks.example/" + std::to_string(i), 0,
                                                       "sla.breached", "{}", now}));
                      CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kEmail, "x@example.com", 0, "sla.breached", "{}", now}));
                      return true;
                    }).ok());
  const Instant lease = now + std::chrono::minutes(30);
  auto claim = [&](Store& store, Instant at) {
    auto r = store.WriteSync<std::vector<Repo::QueuedNotification>>(
        [&](Repo& repo) { return repo.ClaimOutbox(OutboxKind::kWebhook, at, 10, at + std::chrono::minutes(30)); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<Id> ids;
    for (const auto& n : *r) ids.push_back(n.id);
    return ids;
  };
  const auto first = claim(*store_, now);
  ASSERT_EQ(first.size(), 10u);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
  const auto second = claim(*store_, now + std::chrono::minutes(1));
  ASSERT_EQ(second.size(), 5u) << "the rest, not the leased ones";
  for (Id id : second) EXPECT_EQ(std::count(first.begin(), first.end(), id), 0);
  EXPECT_TRUE(claim(*store_, lease - std::chrono::milliseconds(1)).empty());
  // The first sender sent one and failed another; then it crashed with the other eight.
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                      CHAMADO_TRY(repo.MarkOutboxSent(first[0], now));
                      CHAMADO_TRY(repo.MarkOutboxFailed(first[1], 1, now + std::chrono::minutes(1), "HTTP 503"));
                      return true;
                    }).ok());
  const auto retried = claim(*store_, now + std::chrono::minutes(2));
  EXPECT_EQ(retried, (std::vector<Id>{first[1]})) << "a failure is due at its backoff, not the lease";
  const auto back = claim(*store_, lease);
  EXPECT_EQ(back, std::vector<Id>(first.begin() + 2, first.end())) << "sent once, or again after the lease; never lost";

  if (TestEngine() != "postgresql") return;
  // Two instances claiming at once take disjoint rows.
  auto other = Store::Open(options_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  const Instant later = lease + std::chrono::hours(2);
  std::vector<Id> held_ids;
  HeldWrite held(*store_, [&](Repo& repo) -> Result<void> {
    CHAMADO_ASSIGN_OR_RETURN(auto rows, repo.ClaimOutbox(OutboxKind::kWebhook, later, 10, later + std::chrono::minutes(30)));
    for (const auto& n : rows) held_ids.push_back(n.id);
    return Ok();
  });
  const auto theirs = claim(**other, later);
  ASSERT_TRUE(held.Release());
  EXPECT_EQ(held_ids.size() + theirs.size(), 14u) << "every unsent row, once";
  for (Id id : theirs) EXPECT_EQ(std::count(held_ids.begin(), held_ids.end(), id), 0) << id;
}

// LISTEN/NOTIFY between instances: what one says, every instance on the same desk hears, and
// committed events ring them; a desk in another schema of the same database hears neither.
TEST_F(StoreTest, InstancesOnOneDatabaseHearEachOther) {
  if (TestEngine() != "postgresql") GTEST_SKIP() << "SQLite: one instance per file, nothing to tell";
  struct Ear {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::pair<std::string, std::string>> heard;
    Bus::Heard Fn() {
      return [this](std::string_view c, std::string_view p) {
        std::lock_guard lock(mu);
        heard.emplace_back(c, p);
        cv.notify_all();
      };
    }
    bool Heard(const std::string& channel, const std::string& payload, std::chrono::milliseconds wait = std::chrono::seconds(10)) {
      std::unique_lock lock(mu);
      return cv.wait_for(lock, wait, [&] {
        return std::find(heard.begin(), heard.end(), std::make_pair(channel, payload)) != heard.end();
      });
    }
  } a, b, elsewhere;
  auto bus_a = Bus::Start(options_.url, {"chamado_events", "chamado_chat"}, a.Fn());
  ASSERT_TRUE(bus_a.ok()) << bus_a.error().message;
  auto bus_b = Bus::Start(options_.url, {"chamado_events", "chamado_chat"}, b.Fn());
  ASSERT_TRUE(bus_b.ok()) << bus_b.error().message;
  const fs::path other_dir = dir_ / "other-desk";
  fs::create_directories(other_dir);
  const StoreOptions other_desk = TestStoreOptions(other_dir);  // a schema of its own
  auto other_store = Store::Open(other_desk);
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  auto bus_elsewhere = Bus::Start(other_desk.url, {"chamado_events", "chamado_chat"}, elsewhere.Fn());
  ASSERT_TRUE(bus_elsewhere.ok()) << bus_elsewhere.error().message;

  ASSERT_TRUE((*bus_a)->Say("chamado_chat", R"({"c":7})").ok());
  EXPECT_TRUE(b.Heard("chamado_chat", R"({"c":7})"));
  EXPECT_TRUE(a.Heard("chamado_chat", R"({"c":7})")) << "the sayer hears itself too";
  MakeTicket(MakeUser("rui@bus.example", Role::kCustomer, std::nullopt), "P2", "2026-01-05T10:00:00Z");
  EXPECT_TRUE(a.Heard("chamado_events", ""));
  EXPECT_TRUE(b.Heard("chamado_events", ""));
  EXPECT_FALSE(elsewhere.Heard("chamado_chat", R"({"c":7})", std::chrono::milliseconds(300)));
  EXPECT_FALSE(elsewhere.Heard("chamado_events", "", std::chrono::milliseconds(300)));

  const auto big = (*bus_a)->Say("chamado_chat", std::string(Bus::kMaxPayload + 1, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace chamado::store
