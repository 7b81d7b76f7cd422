#include "sla/live_chat.h"

#include <gtest/gtest.h>

#include "sla/policy_toml.h"

namespace chamado::sla {
namespace {

using core::ConversationStatus;

// Seed 004's live service (09-12 and 13-17 in São Paulo, weekdays, a holiday) and seed 000's
// chat rules (first response by plan, next response, 48 h auto-close around the clock).
const std::string kPolicy = R"(name = "Chat"
default_priority = "normal"
[calendars.always]
tz = "UTC"
always_open = true
[calendars.live_chat]
tz = "America/Sao_Paulo"
holidays = ["2026-12-25"]
hours = { mon = [["09:00", "12:00"], ["13:00", "17:00"]], tue = [["09:00", "12:00"], ["13:00", "17:00"]], wed = [["09:00", "12:00"], ["13:00", "17:00"]], thu = [["09:00", "12:00"], ["13:00", "17:00"]], fri = [["09:00", "12:00"], ["13:00", "17:00"]] }
[plans.basic]
name = "Basic"
[plans.premium]
name = "Premium"
features = ["chat"]
[[priorities]]
name = "normal"
description = "Normal"
[pause]
statuses = ["pending_customer"]
targets = ["first_response", "next_response"]
[[targets]]
target = "first_response"
within = "30m"
calendar = "always"
when = { plan = "premium", channel = ["chat"] }
[[targets]]
target = "first_response"
within = "24h"
calendar = "always"
[[targets]]
target = "next_response"
within = "10m"
calendar = "always"
when = { channel = ["chat"] }
[[targets]]
target = "resolution"
within = "48h"
calendar = "always"
[automations.auto_close]
after = "48h"
)";

Result<Policy> Parse(const std::string& extra) {
  return ParsePolicy(kPolicy + extra, "chat.toml", [](std::string_view) -> Result<std::string> { return Error::NotFound("none"); });
}

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

TEST(LiveChatPolicy, ReadsTheChatCalendar) {
  auto p = Parse("[chat]\ncalendar = \"live_chat\"\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->chat.calendar, "live_chat");
  auto none = Parse("");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->chat.calendar, "");
  EXPECT_EQ(none->chat.line, 0);
}

TEST(LiveChatPolicy, ErrorsNameLineAndKey) {
  struct Case {
    const char* text;
    const char* where;
    const char* says;  // part of the message
  };
  const Case cases[] = {
      {"[chat]\ncalendar = \"lunch\"\n", "chat.toml:42: chat.calendar", "Unknown calendar \"lunch\"; the policy defines always, live_chat"},
      {"[chat]\nhours = \"9-17\"\n", "chat.toml:42: chat.hours", "the keys here are calendar"},
  };
  for (const auto& c : cases) {
    auto p = Parse(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    ASSERT_FALSE(p.error().fields.empty()) << c.text;
    EXPECT_EQ(p.error().fields[0].field, c.where) << c.text << " -> " << p.error().message;
    EXPECT_NE(p.error().fields[0].message.find(c.says), std::string::npos) << c.text << " -> " << p.error().fields[0].message;
  }
  auto not_a_table = ParsePolicy("chat = true\n" + kPolicy, "chat.toml", [](std::string_view) -> Result<std::string> { return std::string(); });
  ASSERT_FALSE(not_a_table.ok());
  EXPECT_EQ(not_a_table.error().fields.at(0).field, "chat.toml:1: chat");
  EXPECT_NE(not_a_table.error().fields.at(0).message.find("[chat]"), std::string::npos);
}

// Who may talk to a person when: the plan's chat feature and the live-chat hours (São Paulo
// is UTC-3: 12:00 UTC is 09:00 there).
TEST(HandOffAt, PlanAndHours) {
  auto p = Parse("[chat]\ncalendar = \"live_chat\"\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  using V = HandOff::Verdict;
  struct Case {
    const char* name;
    bool chat;
    const char* now;
    V verdict;
    const char* back;  // "" : none
  };
  const Case cases[] = {
      {"morning, in hours", true, "2026-11-30T12:30:00Z", V::kOpen, ""},
      {"no chat in the plan", false, "2026-11-30T12:30:00Z", V::kNoChat, ""},
      {"lunch break", true, "2026-11-30T15:30:00Z", V::kClosed, "2026-11-30T16:00:00Z"},
      {"evening", true, "2026-11-30T21:00:00Z", V::kClosed, "2026-12-01T12:00:00Z"},
      {"Friday evening: back on Monday", true, "2026-12-04T21:00:00Z", V::kClosed, "2026-12-07T12:00:00Z"},
      {"Christmas: back the next day", true, "2026-12-25T13:00:00Z", V::kClosed, "2026-12-28T12:00:00Z"},
      {"the minute it closes", true, "2026-11-30T20:00:00Z", V::kClosed, "2026-12-01T12:00:00Z"},
  };
  for (const auto& c : cases) {
    const HandOff h = HandOffAt(*p, c.chat, At(c.now));
    EXPECT_EQ(h.verdict, c.verdict) << c.name;
    if (*c.back) {
      ASSERT_TRUE(h.back_at) << c.name;
      EXPECT_EQ(FormatIsoUtc(*h.back_at), FormatIsoUtc(At(c.back))) << c.name;
    } else {
      EXPECT_FALSE(h.back_at) << c.name;
    }
  }
  // Without [chat] people take chats around the clock.
  auto always = Parse("");
  EXPECT_EQ(HandOffAt(*always, true, At("2026-12-25T03:00:00Z")).verdict, V::kOpen);
  EXPECT_EQ(HandOffAt(*always, false, At("2026-12-25T03:00:00Z")).verdict, V::kNoChat);
}

const Clock* Find(const std::vector<Clock>& clocks, Target t) {
  for (const auto& c : clocks)
    if (c.target == t) return &c;
  return nullptr;
}

TEST(ConversationClocks, FirstAndNextResponseFromThePolicy) {
  auto p = Parse("");
  ASSERT_TRUE(p.ok()) << p.error().message;
  TicketFacts premium{.plan = "premium", .channel = core::Channel::kChat};
  ConversationTimeline tl;
  tl.handed_off_at = At("2026-11-30T12:00:00Z");
  tl.statuses = {{At("2026-11-30T12:00:00Z"), ConversationStatus::kWaiting}};

  // Waiting for an agent: the first response runs, 30 minutes for Premium; no resolution clock.
  auto clocks = ConversationClocks(*p, premium, tl, At("2026-11-30T12:10:00Z"));
  const Clock* first = Find(clocks, Target::kFirstResponse);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->state, ClockState::kRunning);
  EXPECT_EQ(FormatIsoUtc(*first->due_at), "2026-11-30T12:30:00Z");
  EXPECT_FALSE(Find(clocks, Target::kResolution));
  EXPECT_EQ(FormatIsoUtc(*NextConversationFire(clocks, std::nullopt)), "2026-11-30T12:30:00.001Z");
  // Basic falls to the 24 h rule.
  TicketFacts basic{.plan = "basic", .channel = core::Channel::kChat};
  EXPECT_EQ(FormatIsoUtc(*Find(ConversationClocks(*p, basic, tl, At("2026-11-30T12:10:00Z")), Target::kFirstResponse)->due_at),
            "2026-12-01T12:00:00Z");

  // Past the due instant with nobody answering: breached.
  clocks = ConversationClocks(*p, premium, tl, At("2026-11-30T12:31:00Z"));
  EXPECT_EQ(Find(clocks, Target::kFirstResponse)->state, ClockState::kBreached);

  // The agent accepts and answers at 12:20: met. The customer writes at 12:25: the next response runs.
  tl.statuses.push_back({At("2026-11-30T12:19:00Z"), ConversationStatus::kActive});
  tl.messages.push_back({At("2026-11-30T12:20:00Z"), true});
  tl.statuses.push_back({At("2026-11-30T12:20:00Z"), ConversationStatus::kWaitingOnCustomer});
  clocks = ConversationClocks(*p, premium, tl, At("2026-11-30T12:22:00Z"));
  EXPECT_EQ(Find(clocks, Target::kFirstResponse)->state, ClockState::kMet);
  EXPECT_EQ(NextConversationFire(clocks, std::nullopt), std::nullopt);  // nothing runs while the customer is owed nothing
  tl.messages.push_back({At("2026-11-30T12:25:00Z"), false});
  tl.statuses.push_back({At("2026-11-30T12:25:00Z"), ConversationStatus::kActive});
  clocks = ConversationClocks(*p, premium, tl, At("2026-11-30T12:26:00Z"));
  const Clock* next = Find(clocks, Target::kNextResponse);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->state, ClockState::kRunning);
  EXPECT_EQ(FormatIsoUtc(*next->due_at), "2026-11-30T12:35:00Z");
}

TEST(ConversationClocks, TheBotsTimeDoesNotCount) {
  auto p = Parse("");
  TicketFacts premium{.plan = "premium", .channel = core::Channel::kChat};
  ConversationTimeline tl;
  tl.handed_off_at = At("2026-11-30T13:00:00Z");
  // An hour with the bot before the hand-off: ignored.
  tl.statuses = {{At("2026-11-30T12:00:00Z"), ConversationStatus::kBot}, {At("2026-11-30T13:00:00Z"), ConversationStatus::kWaiting}};
  tl.messages = {{At("2026-11-30T12:05:00Z"), false}};
  auto clocks = ConversationClocks(*p, premium, tl, At("2026-11-30T13:10:00Z"));
  EXPECT_EQ(FormatIsoUtc(*Find(clocks, Target::kFirstResponse)->due_at), "2026-11-30T13:30:00Z");
}

TEST(ConversationAutoClose, FortyEightHoursOnTheCustomer) {
  auto p = Parse("");
  ConversationTimeline tl;
  tl.handed_off_at = At("2026-11-30T12:00:00Z");
  tl.statuses = {{At("2026-11-30T12:00:00Z"), ConversationStatus::kWaiting},
                 {At("2026-11-30T12:05:00Z"), ConversationStatus::kActive}};
  auto none = ConversationAutoClose(*p, tl);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);  // the desk owes the answer: nothing to close
  tl.statuses.push_back({At("2026-11-30T12:06:00Z"), ConversationStatus::kWaitingOnCustomer});
  auto waiting = ConversationAutoClose(*p, tl);
  ASSERT_TRUE(waiting.ok() && *waiting);
  EXPECT_EQ(FormatIsoUtc((*waiting)->close_at), "2026-12-02T12:06:00Z");
  EXPECT_EQ(FormatIsoUtc(*NextConversationFire({}, *waiting)), "2026-12-02T12:06:00Z");
  // The customer answers: the period ends; the agent answers again: a new one starts.
  tl.statuses.push_back({At("2026-12-01T09:00:00Z"), ConversationStatus::kActive});
  tl.statuses.push_back({At("2026-12-01T09:01:00Z"), ConversationStatus::kWaitingOnCustomer});
  auto again = ConversationAutoClose(*p, tl);
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ(FormatIsoUtc((*again)->close_at), "2026-12-03T09:01:00Z");
}

TEST(ConversationStatusForClocks, Mapping) {
  EXPECT_EQ(ClockStatusOf(ConversationStatus::kWaiting), core::Status::kNew);
  EXPECT_EQ(ClockStatusOf(ConversationStatus::kActive), core::Status::kOpen);
  EXPECT_EQ(ClockStatusOf(ConversationStatus::kWaitingOnCustomer), core::Status::kPendingCustomer);
  EXPECT_EQ(ClockStatusOf(ConversationStatus::kClosed), core::Status::kClosed);
}

}  // namespace
}  // namespace chamado::sla
