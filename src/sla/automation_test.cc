#include "sla/automation.h"

#include <gtest/gtest.h>

#include "sla/policy_toml.h"

namespace chamado::sla {
namespace {

using core::Status;

const std::string kBase = R"(name = "Test"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[calendars.business]
tz = "America/Sao_Paulo"
hours = { mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }
[[priorities]]
name = "P3"
description = "Medium"
)";

Result<Policy> Parse(const std::string& automations) {
  return ParsePolicy(kBase + automations, "p.toml", [](std::string_view) -> Result<std::string> { return Error::NotFound("none"); });
}

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

TEST(AutoClosePolicy, ReadsTheRule) {
  auto p = Parse("[automations.auto_close]\nafter = \"48h\"\nreminder_before = \"24h\"\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_TRUE(p->automations.auto_close);
  const auto& r = *p->automations.auto_close;
  EXPECT_EQ(r.after, std::chrono::hours(48));
  EXPECT_EQ(r.after_text, "48h");
  EXPECT_EQ(r.reminder_before, std::chrono::hours(24));
  EXPECT_EQ(r.calendar, "");
  EXPECT_EQ(r.line, 12);
  // Days count 24 hours around the clock, the calendar's day on a calendar (8 h here).
  auto days = Parse("[automations.auto_close]\nafter = \"2d\"\n");
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(days->automations.auto_close->after, std::chrono::hours(48));
  EXPECT_FALSE(days->automations.auto_close->reminder_before);
  auto business = Parse("[automations.auto_close]\nafter = \"2d\"\ncalendar = \"business\"\n");
  ASSERT_TRUE(business.ok());
  EXPECT_EQ(business->automations.auto_close->after, std::chrono::hours(16));
  // Without the section there is no auto-close; an empty [automations] is allowed.
  auto none = Parse("[automations]\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->automations.auto_close);
}

// Each mistake names its line and key, and says what to write.
TEST(AutoClosePolicy, ErrorsNameLineAndKey) {
  struct Case {
    const char* name;
    const char* text;
    const char* where;
    const char* says;  // part of the message
  };
  const Case cases[] = {
      {"missing after", "[automations.auto_close]\nreminder_before = \"1h\"\n", "p.toml:12: automations.auto_close.after", "is missing"},
      {"bad after", "[automations.auto_close]\nafter = \"two days\"\n", "p.toml:13: automations.auto_close.after", "\"48h\""},
      {"zero after", "[automations.auto_close]\nafter = \"0h\"\n", "p.toml:13: automations.auto_close.after", "not a duration"},
      {"bad reminder", "[automations.auto_close]\nafter = \"48h\"\nreminder_before = \"soon\"\n",
       "p.toml:14: automations.auto_close.reminder_before", "not a duration"},
      {"reminder not before", "[automations.auto_close]\nafter = \"24h\"\nreminder_before = \"1d\"\n",
       "p.toml:14: automations.auto_close.reminder_before", "must be shorter than after"},
      {"unknown calendar", "[automations.auto_close]\nafter = \"48h\"\ncalendar = \"office\"\n",
       "p.toml:14: automations.auto_close.calendar", "the policy defines always, business"},
      {"unknown key", "[automations.auto_close]\nafter = \"48h\"\nnotify = \"requester\"\n",
       "p.toml:14: automations.auto_close.notify", "the keys here are after, reminder_before, calendar"},
      {"unknown automation", "[automations.auto_open]\nafter = \"48h\"\n", "p.toml:12: automations.auto_open", "auto_close"},
      {"auto_close not a table", "[automations]\nauto_close = \"48h\"\n", "p.toml:13: automations.auto_close", "after = \"48h\""},
  };
  for (const auto& c : cases) {
    auto p = Parse(c.text);
    ASSERT_FALSE(p.ok()) << c.name;
    ASSERT_FALSE(p.error().fields.empty()) << c.name;
    EXPECT_EQ(p.error().fields[0].field, c.where) << c.name << ": " << p.error().message;
    EXPECT_NE(p.error().fields[0].message.find(c.says), std::string::npos) << c.name << ": " << p.error().fields[0].message;
  }
  auto not_a_table = ParsePolicy("automations = 3\n" + kBase, "p.toml", [](std::string_view) -> Result<std::string> { return std::string(); });
  ASSERT_FALSE(not_a_table.ok());
  EXPECT_EQ(not_a_table.error().fields.at(0).field, "p.toml:1: automations");
  EXPECT_NE(not_a_table.error().fields.at(0).message.find("[automations.auto_close]"), std::string::npos);
}

// Timelines of status changes -> the schedule of the current waiting period.
TEST(AutoClose, ScheduleFollowsTheLastWait) {
  auto p = Parse("[automations.auto_close]\nafter = \"48h\"\nreminder_before = \"24h\"\n");
  ASSERT_TRUE(p.ok());
  struct Case {
    const char* name;
    std::vector<StatusChange> statuses;
    std::optional<AutoCloseSchedule> want;
  };
  const Case cases[] = {
      {"never waited", {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kOpen}}, std::nullopt},
      {"waits",
       {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kPendingCustomer}},
       AutoCloseSchedule{At("2026-03-02T10:00:00Z"), At("2026-03-03T10:00:00Z"), At("2026-03-04T10:00:00Z")}},
      {"the customer answered: open again",
       {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kPendingCustomer},
        {At("2026-03-03T08:00:00Z"), Status::kOpen}},
       std::nullopt},
      {"asked again: a new period from the second time",
       {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kPendingCustomer},
        {At("2026-03-03T08:00:00Z"), Status::kOpen}, {At("2026-03-03T09:30:00Z"), Status::kPendingCustomer}},
       AutoCloseSchedule{At("2026-03-03T09:30:00Z"), At("2026-03-04T09:30:00Z"), At("2026-03-05T09:30:00Z")}},
      {"pending recorded twice: the period started with the first",
       {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kPendingCustomer},
        {At("2026-03-02T11:00:00Z"), Status::kPendingCustomer}},
       AutoCloseSchedule{At("2026-03-02T10:00:00Z"), At("2026-03-03T10:00:00Z"), At("2026-03-04T10:00:00Z")}},
      {"on hold is not waiting on the customer",
       {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kOnHold}}, std::nullopt},
      {"solved", {{At("2026-03-02T09:00:00Z"), Status::kNew}, {At("2026-03-02T10:00:00Z"), Status::kSolved}}, std::nullopt},
  };
  for (const auto& c : cases) {
    auto s = ScheduleAutoClose(*p, c.statuses);
    ASSERT_TRUE(s.ok()) << c.name;
    EXPECT_EQ(*s, c.want) << c.name;
  }
  // No rule, no schedule.
  auto without = Parse("");
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(*ScheduleAutoClose(*without, {{At("2026-03-02T10:00:00Z"), Status::kPendingCustomer}}));
}

TEST(AutoClose, CountsOnTheCalendar) {
  // Friday 16:00 in Sao Paulo (19:00Z), 8 business hours a day: 2d is 16 h of office time.
  auto p = Parse("[automations.auto_close]\nafter = \"2d\"\nreminder_before = \"1d\"\ncalendar = \"business\"\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto s = ScheduleAutoClose(*p, {{At("2026-03-06T19:00:00Z"), Status::kPendingCustomer}});
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ((*s)->remind_at, At("2026-03-09T19:00:00Z"));  // Monday 16:00 local
  EXPECT_EQ((*s)->close_at, At("2026-03-10T19:00:00Z"));   // Tuesday 16:00 local
}

// A waiting period's timeline and what is due at each instant.
TEST(AutoClose, WhatIsDue) {
  const AutoCloseSchedule with_reminder{At("2026-03-02T10:00:00Z"), At("2026-03-03T10:00:00Z"), At("2026-03-04T10:00:00Z")};
  const AutoCloseSchedule without{At("2026-03-02T10:00:00Z"), std::nullopt, At("2026-03-04T10:00:00Z")};
  struct Case {
    const char* name;
    const AutoCloseSchedule& s;
    bool reminded;
    const char* now;
    AutoCloseAction want;
    const char* next;
  };
  const Case cases[] = {
      {"just started", with_reminder, false, "2026-03-02T10:00:00Z", AutoCloseAction::kNothing, "2026-03-03T10:00:00Z"},
      {"a moment before the reminder", with_reminder, false, "2026-03-03T09:59:59.999Z", AutoCloseAction::kNothing, "2026-03-03T10:00:00Z"},
      {"reminder due", with_reminder, false, "2026-03-03T10:00:00Z", AutoCloseAction::kRemind, "2026-03-03T10:00:00Z"},
      {"reminder sent: once", with_reminder, true, "2026-03-03T12:00:00Z", AutoCloseAction::kNothing, "2026-03-04T10:00:00Z"},
      {"a moment before the close", with_reminder, true, "2026-03-04T09:59:59.999Z", AutoCloseAction::kNothing, "2026-03-04T10:00:00Z"},
      {"closes after 48 h", with_reminder, true, "2026-03-04T10:00:00Z", AutoCloseAction::kClose, "2026-03-04T10:00:00Z"},
      {"late pass: closes without a reminder", with_reminder, false, "2026-03-05T00:00:00Z", AutoCloseAction::kClose, "2026-03-03T10:00:00Z"},
      {"no reminder rule", without, false, "2026-03-03T12:00:00Z", AutoCloseAction::kNothing, "2026-03-04T10:00:00Z"},
      {"no reminder rule, closes", without, false, "2026-03-04T10:00:00Z", AutoCloseAction::kClose, "2026-03-04T10:00:00Z"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(AutoCloseDue(c.s, c.reminded, At(c.now)), c.want) << c.name;
    EXPECT_EQ(NextAutoCloseFire(c.s, c.reminded), At(c.next)) << c.name;
  }
}

}  // namespace
}  // namespace chamado::sla
