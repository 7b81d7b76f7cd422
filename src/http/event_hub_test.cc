#include "http/event_hub.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "http/live_feed.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::http {
namespace {

LiveEvent Created(core::Id id, core::Id ticket, core::Id requester, core::Id org = 0) {
  return {id, "ticket.created", ticket, requester, org, "", {}, true};
}

std::vector<core::Id> Ids(const std::vector<LiveEvent>& events) {
  std::vector<core::Id> out;
  for (const auto& e : events) out.push_back(e.id);
  return out;
}

Subscription::Filter All() {
  return [](const LiveEvent& e) { return std::optional<LiveEvent>(e); };
}

TEST(EventHub, SubscribersGetWhatIsPublishedInOrderAndAreWokenOnce) {
  EventHub hub(10);
  int wakes = 0;
  auto joined = hub.Subscribe("7", std::nullopt, All(), [&] { ++wakes; });
  ASSERT_TRUE(joined.ok());
  EXPECT_FALSE(joined->reload);
  hub.Publish({Created(11, 1, 7), Created(12, 2, 7)});
  hub.Publish({Created(12, 2, 7), Created(9, 3, 7)});  // not above the last id: ignored
  EXPECT_EQ(wakes, 1);  // woken when the queue stopped being empty, not per event
  EXPECT_EQ(Ids(joined->subscription->Take()), (std::vector<core::Id>{11, 12}));
  hub.Publish({Created(13, 3, 7)});
  EXPECT_EQ(wakes, 2);
  EXPECT_EQ(hub.last_id(), 13);
}

TEST(EventHub, ASlowSubscriberIsDroppedWithoutHoldingBackTheOthers) {
  EventHub hub(0, HubLimits{.replay = 100, .queue = 3, .per_client = 8, .total = 100});
  int slow_wakes = 0;
  auto slow = hub.Subscribe("1", std::nullopt, All(), [&] { ++slow_wakes; });
  auto quick = hub.Subscribe("2", std::nullopt, All(), [] {});
  ASSERT_TRUE(slow.ok() && quick.ok());
  for (core::Id id = 1; id <= 5; ++id) {
    hub.Publish({Created(id, id, 1)});
    EXPECT_EQ(quick->subscription->Take().size(), 1u);
  }
  EXPECT_TRUE(slow->subscription->dropped());
  EXPECT_TRUE(slow->subscription->Take().empty());  // its queue is let go
  EXPECT_EQ(slow_wakes, 2);                         // the first event, then being dropped
  EXPECT_EQ(hub.subscribers(), 1u);
  EXPECT_FALSE(quick->subscription->dropped());
}

TEST(EventHub, ResumesFromTheLastIdSeenOrAsksToReload) {
  EventHub hub(100, HubLimits{.replay = 3, .queue = 10, .per_client = 8, .total = 100});
  hub.Publish({Created(101, 1, 7), Created(102, 2, 7), Created(103, 3, 7), Created(104, 4, 7)});
  struct Case {
    std::optional<core::Id> after;
    bool reload;
    std::vector<core::Id> backlog;
  };
  const Case cases[] = {
      {std::nullopt, false, {}},         // a fresh stream: from now on
      {102, false, {103, 104}},          // what it missed
      {101, false, {102, 103, 104}},     // the oldest the hub still keeps
      {100, true, {}},                   // 101 is no longer kept
      {50, true, {}},                    // before the server started
      {104, false, {}},                  // missed nothing
      {200, true, {}},                   // an id this server never sent (another database)
  };
  for (const auto& c : cases) {
    auto j = hub.Subscribe("7", c.after, All(), [] {});
    ASSERT_TRUE(j.ok());
    EXPECT_EQ(j->reload, c.reload) << c.after.value_or(-1);
    EXPECT_EQ(Ids(j->subscription->Take()), c.backlog) << c.after.value_or(-1);
    hub.Leave(j->subscription);
  }
}

TEST(EventHub, AResumeLongerThanAQueueReloadsInstead) {
  EventHub hub(0, HubLimits{.replay = 10, .queue = 2, .per_client = 8, .total = 100});
  hub.Publish({Created(1, 1, 7), Created(2, 2, 7), Created(3, 3, 7)});
  auto j = hub.Subscribe("7", 0, All(), [] {});
  ASSERT_TRUE(j.ok());
  EXPECT_TRUE(j->reload);
  EXPECT_FALSE(j->subscription->dropped());
  EXPECT_TRUE(j->subscription->Take().empty());
}

TEST(EventHub, CapsPerClientAndInAll) {
  EventHub hub(0, HubLimits{.replay = 10, .queue = 10, .per_client = 2, .total = 3});
  auto a1 = hub.Subscribe("a", std::nullopt, All(), [] {});
  auto a2 = hub.Subscribe("a", std::nullopt, All(), [] {});
  auto a3 = hub.Subscribe("a", std::nullopt, All(), [] {});
  ASSERT_TRUE(a1.ok() && a2.ok());
  ASSERT_FALSE(a3.ok());
  EXPECT_EQ(a3.error().code, ErrorCode::kUnavailable);
  auto b1 = hub.Subscribe("b", std::nullopt, All(), [] {});
  auto b2 = hub.Subscribe("b", std::nullopt, All(), [] {});
  ASSERT_TRUE(b1.ok());
  EXPECT_FALSE(b2.ok());  // three open in all
  hub.Leave(a1->subscription);
  hub.Leave(a1->subscription);  // twice: counted once
  EXPECT_TRUE(hub.Subscribe("a", std::nullopt, All(), [] {}).ok());
  EXPECT_FALSE(hub.Subscribe("c", std::nullopt, All(), [] {}).ok());
}

TEST(LiveEventFor, WhoHearsWhat) {
  const core::Actor agent{1, core::Role::kAgent, std::nullopt};
  const core::Actor alone{7, core::Role::kCustomer, std::nullopt};       // a contact without organization
  const core::Actor colleague{8, core::Role::kCustomer, 30};             // of organization 30
  const core::Actor stranger{9, core::Role::kCustomer, 40};
  const LiveEvent own{1, "ticket.created", 5, 7, 0, "", {}, true};
  const LiveEvent org{2, "ticket.created", 6, 10, 30, "", {}, true};
  const LiveEvent note{3, "message.added", 6, 10, 30, "internal_note", {}, false};
  const LiveEvent reply{4, "message.added", 6, 10, 30, "public_reply", {}, false};
  const LiveEvent internal_change{5, "ticket.updated", 6, 10, 30, "", {"tags", "assignee", "group"}, false};
  const LiveEvent mixed_change{6, "ticket.updated", 6, 10, 30, "", {"tags", "status", "custom_fields.cost"}, false};
  struct Case {
    const core::Actor* viewer;
    const LiveEvent* event;
    bool heard;
    std::vector<std::string> fields;
  };
  const Case cases[] = {
      {&agent, &own, true, {}},
      {&agent, &note, true, {}},
      {&agent, &internal_change, true, {"tags", "assignee", "group"}},
      {&alone, &own, true, {}},
      {&alone, &org, false, {}},
      {&colleague, &org, true, {}},
      {&colleague, &own, false, {}},
      {&stranger, &org, false, {}},
      {&stranger, &reply, false, {}},
      {&colleague, &note, false, {}},
      {&colleague, &reply, true, {}},
      {&colleague, &internal_change, false, {}},
      {&colleague, &mixed_change, true, {"status"}},
  };
  for (const auto& c : cases) {
    auto seen = LiveEventFor(*c.viewer, *c.event);
    EXPECT_EQ(seen.has_value(), c.heard) << c.viewer->user_id << " event " << c.event->id;
    if (seen) EXPECT_EQ(seen->fields, c.fields) << c.viewer->user_id << " event " << c.event->id;
  }
}

TEST(SseFrame, OneEventPerFrameWithItsId) {
  EXPECT_EQ(SseFrame({42, "message.added", 7, 3, 0, "customer_message", {}, true}),
            "id: 42\nevent: ticket\ndata: "
            "{\"id\":42,\"kind\":\"message.added\",\"ticket\":7,\"by_customer\":true,\"message_kind\":\"customer_message\"}\n\n");
  EXPECT_EQ(SseFrame({43, "ticket.updated", 7, 3, 0, "", {"status"}, false}),
            "id: 43\nevent: ticket\ndata: "
            "{\"id\":43,\"kind\":\"ticket.updated\",\"ticket\":7,\"by_customer\":false,\"fields\":[\"status\"]}\n\n");
}

// Events clients are not sent (the scheduler's sla.* and automation.*) can follow the last
// streamed one by the hundred thousand in a breach storm. The feed must read past them once,
// not again on every later commit.
TEST(LiveFeed, ReadsPastEventsItDoesNotStreamOnce) {
  const auto dir = std::filesystem::temp_directory_path() / ("chamado-live-feed-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto st = store::Store::Open(store::TestStoreOptions(dir));
    ASSERT_TRUE(st.ok()) << st.error().message;
    auto& s = **st;
    auto hub = std::make_shared<EventHub>(0);
    LiveFeed feed(s, hub, std::chrono::hours(1));
    const Instant at = *ParseIsoInstant("2026-01-05T10:00:00Z");
    auto last = s.WriteSync<core::Id>([&](store::Repo& repo) -> Result<core::Id> {
      core::Organization o;
      o.name = "Acme";
      o.created_at = at;
      CHAMADO_ASSIGN_OR_RETURN(o, repo.InsertOrganization(o));
      core::User u;
      u.email = "ana@acme.example";
      u.role = core::Role::kCustomer;
      u.organization_id = o.id;
      u.created_at = at;
      CHAMADO_ASSIGN_OR_RETURN(u, repo.InsertUser(u, ""));
      core::Ticket t;
      t.subject = "Down";
      t.requester_id = u.id;
      t.organization_id = o.id;
      t.priority = s.catalog()->priorities.levels.front().name;
      t.created_at = t.updated_at = at;
      CHAMADO_ASSIGN_OR_RETURN(t, repo.InsertTicket(t, *s.catalog()));
      std::vector<core::Event> events{{"ticket.created", t.number, u.id, at, {}, 0}};
      for (int i = 0; i < 3; ++i) events.push_back({"sla.breached", t.number, 0, at, {}, 0});
      CHAMADO_TRY(repo.InsertEvents(events, t.number, 0));
      return repo.LastEventId();
    });
    ASSERT_TRUE(last.ok()) << last.error().message;
    ASSERT_TRUE(feed.CatchUp().ok());
    EXPECT_EQ(hub->last_id(), *last - 3);  // the ticket.created, published
    EXPECT_EQ(feed.read_upto(), *last);    // and the three after it, read and skipped
  }
  std::filesystem::remove_all(dir);
}

// On PostgreSQL two instances take event ids as they insert and commit in any order. A feed
// that read past an id still being written would never publish it (the hub takes only ids
// above its last), so it waits at the gap until the write commits, and passes a gap left by
// a rollback once it has waited gap_wait.
TEST(LiveFeed, WaitsAtAnIdAnotherInstanceIsStillWriting) {
  if (store::TestEngine() != "postgresql") GTEST_SKIP() << "SQLite's one writer commits ids in order";
  const auto dir = std::filesystem::temp_directory_path() / ("chamado-live-gap-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    const auto options = store::TestStoreOptions(dir);
    auto a = store::Store::Open(options);
    ASSERT_TRUE(a.ok()) << a.error().message;
    auto b = store::Store::Open(options);  // another instance on the same database
    ASSERT_TRUE(b.ok()) << b.error().message;
    const Instant at = *ParseIsoInstant("2026-01-05T10:00:00Z");
    auto ticket = (*a)->WriteSync<core::Ticket>([&](store::Repo& repo) -> Result<core::Ticket> {
      core::User u;
      u.email = "ana@acme.example";
      u.role = core::Role::kCustomer;
      u.created_at = at;
      CHAMADO_ASSIGN_OR_RETURN(u, repo.InsertUser(u, ""));
      core::Ticket t;
      t.subject = "Down";
      t.requester_id = u.id;
      t.priority = (*a)->catalog()->priorities.levels.front().name;
      t.created_at = t.updated_at = at;
      return repo.InsertTicket(t, *(*a)->catalog());
    });
    ASSERT_TRUE(ticket.ok()) << ticket.error().message;
    auto hub = std::make_shared<EventHub>(0);
    LiveFeed feed(**a, hub, std::chrono::hours(1), std::chrono::milliseconds(300));
    ASSERT_TRUE(feed.CatchUp().ok());
    auto heard = hub->Subscribe("staff", std::nullopt, All(), [] {});
    ASSERT_TRUE(heard.ok());
    const core::Id start = feed.read_upto();
    auto updated = [&](store::Store& s) {
      return s.WriteSync<core::Id>([&](store::Repo& repo) -> Result<core::Id> {
        CHAMADO_TRY(repo.InsertEvents({{"ticket.updated", ticket->number, 0, at, {}, 0}}, ticket->number, 0));
        return repo.LastEventId();
      });
    };
    // Instance b's write takes the next id and holds it; a's takes the one after and commits.
    // `outcome` says whether b commits.
    auto held = [&](bool commit, std::promise<void>& taken, std::future<void> release, std::promise<core::Id>& id) {
      (*b)->Write<core::Id>(
          [&, commit, release = std::make_shared<std::future<void>>(std::move(release))](store::Repo& repo) -> Result<core::Id> {
            CHAMADO_TRY(repo.InsertEvents({{"ticket.updated", ticket->number, 0, at, {}, 0}}, ticket->number, 0));
            CHAMADO_ASSIGN_OR_RETURN(const core::Id mine, repo.LastEventId());
            id.set_value(mine);
            taken.set_value();
            release->wait();
            if (!commit) return Error::Internal("rolled back on purpose");
            return mine;
          },
          [](Result<core::Id>) {});
    };

    std::promise<void> taken, release;
    std::promise<core::Id> b_id;
    held(true, taken, release.get_future(), b_id);
    taken.get_future().wait();
    auto a_id = updated(**a);
    ASSERT_TRUE(a_id.ok()) << a_id.error().message;
    const core::Id first = b_id.get_future().get();
    ASSERT_EQ(*a_id, first + 1);
    ASSERT_TRUE(feed.CatchUp().ok());
    EXPECT_EQ(feed.read_upto(), start) << "not past the id still being written";
    EXPECT_TRUE(heard->subscription->Take().empty());
    release.set_value();
    // b's commit: the next catch-up publishes both, in order.
    for (int i = 0; i < 100 && feed.read_upto() < *a_id; ++i) {
      ASSERT_TRUE(feed.CatchUp().ok());
      if (feed.read_upto() < *a_id) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(Ids(heard->subscription->Take()), (std::vector<core::Id>{first, *a_id}));

    // A write that rolls back leaves its id missing for good: passed after the wait.
    std::promise<void> taken2, release2;
    std::promise<core::Id> lost_id;
    held(false, taken2, release2.get_future(), lost_id);
    taken2.get_future().wait();
    auto next = updated(**a);
    ASSERT_TRUE(next.ok()) << next.error().message;
    const core::Id lost = lost_id.get_future().get();
    release2.set_value();
    ASSERT_TRUE((*b)->WriteSync<bool>([](store::Repo&) -> Result<bool> { return true; }).ok());  // b's job is over
    ASSERT_TRUE(feed.CatchUp().ok());
    EXPECT_EQ(feed.read_upto(), *a_id) << "waiting at the gap first";
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    ASSERT_TRUE(feed.CatchUp().ok());
    EXPECT_EQ(feed.read_upto(), *next);
    EXPECT_EQ(Ids(heard->subscription->Take()), (std::vector<core::Id>{*next}));
    EXPECT_EQ(*next, lost + 1);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chamado::http
