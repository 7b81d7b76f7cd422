#include "sla/clocks.h"

#include <gtest/gtest.h>

#include "sla/policy_toml.h"

namespace chamado::sla {
namespace {

using core::Status;

const char* kPolicy = R"(name = "Test"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[calendars.business]
tz = "America/Sao_Paulo"
hours = { mon = [["09:00","12:00"],["13:00","17:00"]], tue = [["09:00","12:00"],["13:00","17:00"]], wed = [["09:00","12:00"],["13:00","17:00"]], thu = [["09:00","12:00"],["13:00","17:00"]], fri = [["09:00","12:00"],["13:00","17:00"]] }
[[priorities]]
name = "P1"
description = "Urgent"
[[priorities]]
name = "P3"
description = "Medium"
[pause]
statuses = ["pending_customer"]
targets = ["resolution"]
[[targets]]
target = "first_response"
within = "30m"
calendar = "always"
when = { priority = "P1" }
[[targets]]
target = "next_response"
within = "1h"
calendar = "always"
when = { priority = "P1" }
[[targets]]
target = "resolution"
within = "4h"
calendar = "always"
when = { priority = "P1" }
[[targets]]
target = "first_response"
within = "2h"
calendar = "always"
[[targets]]
target = "resolution"
within = "1d"
calendar = "business"
[[exemptions]]
targets = ["resolution"]
when = { tag = "third_party" }
[[warnings]]
before = "15m"
)";

const Policy& P() {
  static const Policy p = [] {
    auto r = ParsePolicy(kPolicy, "test.toml", [](std::string_view) -> Result<std::string> { return Error::NotFound("none"); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }();
  return p;
}

Instant T(const char* iso) { return *ParseIsoInstant(iso); }
std::string S(const std::optional<Instant>& t) { return t ? FormatIsoUtc(*t) : "-"; }

const Clock* Find(const std::vector<Clock>& cs, Target t) {
  for (const auto& c : cs)
    if (c.target == t) return &c;
  return nullptr;
}

TicketFacts Facts(const char* priority, std::vector<std::string> tags = {}) {
  return {"", priority, core::Channel::kWeb, "Acme", "", std::move(tags)};
}

Timeline Opened(const char* at) {
  Timeline t;
  t.opened_at = T(at);
  t.statuses.push_back({T(at), Status::kNew});
  return t;
}

TEST(Clocks, StateNamesParseBack) {
  for (auto s : kClockStates) EXPECT_EQ(ParseClockState(Name(s)), s) << Name(s);
  EXPECT_FALSE(ParseClockState("frozen"));
}

TEST(Clocks, FreshUrgentTicket) {
  const Timeline tl = Opened("2026-01-05T10:00:00Z");
  const auto cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T10:05:00Z"));
  ASSERT_EQ(cs.size(), 2u);  // no next_response cycle yet
  const Clock* fr = Find(cs, Target::kFirstResponse);
  EXPECT_EQ(fr->state, ClockState::kRunning);
  EXPECT_EQ(S(fr->due_at), "2026-01-05T10:30:00Z");
  EXPECT_EQ(fr->used, std::chrono::minutes(5));
  EXPECT_EQ(S(fr->warn_at.at(0)), "2026-01-05T10:15:00Z");
  const Clock* res = Find(cs, Target::kResolution);
  EXPECT_EQ(S(res->due_at), "2026-01-05T14:00:00Z");
  EXPECT_EQ(S(res->warn_at.at(0)), "2026-01-05T13:45:00Z");
}

TEST(Clocks, FirstResponseMetByAnAgentsReplyNotByAnAutoReply) {
  Timeline tl = Opened("2026-01-05T10:00:00Z");
  tl.messages = {{T("2026-01-05T10:00:05Z"), true, true}, {T("2026-01-05T10:20:00Z"), true, false}};
  tl.statuses.push_back({T("2026-01-05T10:20:00Z"), Status::kOpen});
  const auto cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T11:00:00Z"));
  const Clock* fr = Find(cs, Target::kFirstResponse);
  EXPECT_EQ(fr->state, ClockState::kMet);
  EXPECT_EQ(S(fr->stopped_at), "2026-01-05T10:20:00Z");
  EXPECT_EQ(fr->used, std::chrono::minutes(20));
}

TEST(Clocks, ATicketAnAutoReplyOpenedWaitsForNoFirstResponse) {
  // An out-of-office or a bounce that answers nothing opens a ticket whose first message is
  // automatic: nobody asked anything yet.
  Timeline tl = Opened("2026-01-05T10:00:00Z");
  tl.messages = {{T("2026-01-05T10:00:00Z"), false, true}};
  auto cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T12:00:00Z"));
  EXPECT_EQ(Find(cs, Target::kFirstResponse), nullptr);
  // Once the customer writes themselves, the first response is owed from then.
  tl.messages.push_back({T("2026-01-05T11:00:00Z"), false, false});
  cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T11:20:00Z"));
  const Clock* fr = Find(cs, Target::kFirstResponse);
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(S(fr->started_at), "2026-01-05T11:00:00Z");
  EXPECT_EQ(fr->used, std::chrono::minutes(20));
  EXPECT_EQ(fr->state, ClockState::kRunning);
}

TEST(Clocks, BreachIsTheDueThatWasPassed) {
  const Timeline tl = Opened("2026-01-05T10:00:00Z");
  auto at_due = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T10:30:00Z"));
  EXPECT_EQ(Find(at_due, Target::kFirstResponse)->state, ClockState::kRunning);  // still on time
  auto late = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T10:31:00Z"));
  const Clock* fr = Find(late, Target::kFirstResponse);
  EXPECT_EQ(fr->state, ClockState::kBreached);
  EXPECT_EQ(S(fr->breached_at), "2026-01-05T10:30:00Z");
  EXPECT_EQ(fr->remaining(), -std::chrono::minutes(1));
}

TEST(Clocks, PauseResumesWithTheTimeRemaining) {
  Timeline tl = Opened("2026-01-05T10:00:00Z");
  tl.statuses.push_back({T("2026-01-05T11:00:00Z"), Status::kPendingCustomer});
  tl.statuses.push_back({T("2026-01-05T13:00:00Z"), Status::kOpen});
  auto paused = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T12:00:00Z"));
  const Clock* res = Find(paused, Target::kResolution);
  EXPECT_EQ(res->state, ClockState::kPaused);
  EXPECT_EQ(res->used, std::chrono::hours(1));
  EXPECT_FALSE(res->due_at);
  auto resumed = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T13:30:00Z"));
  res = Find(resumed, Target::kResolution);
  EXPECT_EQ(res->state, ClockState::kRunning);
  EXPECT_EQ(res->used, std::chrono::minutes(90));
  EXPECT_EQ(S(res->due_at), "2026-01-05T16:00:00Z");  // 13:00 + the 3 h left
  // First response does not pause (only resolution is listed): breached at 10:30.
  EXPECT_EQ(Find(resumed, Target::kFirstResponse)->state, ClockState::kBreached);
}

TEST(Clocks, PriorityChangeRetargetsFromTheStart) {
  const Timeline tl = Opened("2026-01-05T13:00:00Z");  // Monday 10:00 in Sao Paulo
  auto as_p3 = ComputeClocks(P(), Facts("P3"), tl, T("2026-01-05T14:00:00Z"));
  EXPECT_EQ(S(Find(as_p3, Target::kResolution)->due_at), "2026-01-06T13:00:00Z");  // 1 business day: Tue 10:00 local
  EXPECT_EQ(Find(as_p3, Target::kResolution)->calendar, "business");
  auto as_p1 = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T14:00:00Z"));
  EXPECT_EQ(S(Find(as_p1, Target::kResolution)->due_at), "2026-01-05T17:00:00Z");  // 4 h from the ticket's start
  auto late = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T18:00:00Z"));
  EXPECT_EQ(Find(late, Target::kResolution)->state, ClockState::kBreached);
}

TEST(Clocks, BusinessDayAcrossTheWeekend) {
  const Timeline tl = Opened("2026-01-09T19:00:00Z");  // Friday 16:00 local
  auto cs = ComputeClocks(P(), Facts("P3"), tl, T("2026-01-10T12:00:00Z"));
  EXPECT_EQ(S(Find(cs, Target::kResolution)->due_at), "2026-01-12T19:00:00Z");  // Monday 16:00 local
  EXPECT_EQ(Find(cs, Target::kResolution)->used, std::chrono::hours(1));
}

TEST(Clocks, ExemptionStopsTheResolutionClock) {
  const Timeline tl = Opened("2026-01-05T10:00:00Z");
  auto cs = ComputeClocks(P(), Facts("P1", {"third_party"}), tl, T("2026-01-06T10:00:00Z"));
  EXPECT_EQ(Find(cs, Target::kResolution)->state, ClockState::kExempt);
  EXPECT_EQ(Find(cs, Target::kFirstResponse)->state, ClockState::kBreached);
}

TEST(Clocks, NextResponseCycles) {
  Timeline tl = Opened("2026-01-05T10:00:00Z");
  tl.messages = {{T("2026-01-05T10:10:00Z"), true, false},    // first response
                 {T("2026-01-05T10:40:00Z"), false, false},   // the customer answers: a cycle starts
                 {T("2026-01-05T10:50:00Z"), false, false},   // and adds more: same cycle
                 {T("2026-01-05T11:15:00Z"), true, false}};   // the agent answers: met
  auto cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T12:00:00Z"));
  const Clock* nr = Find(cs, Target::kNextResponse);
  ASSERT_NE(nr, nullptr);
  EXPECT_EQ(nr->state, ClockState::kMet);
  EXPECT_EQ(S(nr->started_at), "2026-01-05T10:40:00Z");
  tl.messages.push_back({T("2026-01-05T12:30:00Z"), false, false});
  cs = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T13:45:00Z"));
  nr = Find(cs, Target::kNextResponse);
  EXPECT_EQ(S(nr->started_at), "2026-01-05T12:30:00Z");
  EXPECT_EQ(nr->state, ClockState::kBreached);
  EXPECT_EQ(S(nr->breached_at), "2026-01-05T13:30:00Z");
}

TEST(Clocks, SolvedStopsResolutionAndReopeningResumesIt) {
  Timeline tl = Opened("2026-01-05T10:00:00Z");
  tl.messages = {{T("2026-01-05T10:10:00Z"), true, false}};
  tl.statuses.push_back({T("2026-01-05T10:10:00Z"), Status::kOpen});
  tl.statuses.push_back({T("2026-01-05T12:00:00Z"), Status::kSolved});
  auto solved = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-05T20:00:00Z"));
  const Clock* res = Find(solved, Target::kResolution);
  EXPECT_EQ(res->state, ClockState::kMet);
  EXPECT_EQ(S(res->stopped_at), "2026-01-05T12:00:00Z");
  tl.statuses.push_back({T("2026-01-06T09:00:00Z"), Status::kOpen});
  auto reopened = ComputeClocks(P(), Facts("P1"), tl, T("2026-01-06T09:30:00Z"));
  res = Find(reopened, Target::kResolution);
  EXPECT_EQ(res->state, ClockState::kRunning);
  EXPECT_EQ(res->used, std::chrono::minutes(150));
  EXPECT_EQ(S(res->due_at), "2026-01-06T11:00:00Z");
}

}  // namespace
}  // namespace chamado::sla
