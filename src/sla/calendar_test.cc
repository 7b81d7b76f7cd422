#include "sla/calendar.h"

#include <gtest/gtest.h>

#include "sla/policy_toml.h"

namespace chamado::sla {
namespace {

std::shared_ptr<const Calendar> LunchBreakCalendar(const char* tz = "America/Sao_Paulo") {
  CalendarSpec s;
  s.tz = tz;
  for (int d = 0; d < 5; ++d) s.hours[size_t(d)] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  auto c = Calendar::Make(s);
  EXPECT_TRUE(c.ok());
  return *c;
}

Instant Local(const Calendar& c, const char* text) { return c.FromLocalMillis(*ParseLocalDateTimeMillis(text)); }
std::string Show(const Calendar& c, Instant t) { return FormatLocal(t, c.OffsetAt(t)); }

// The examples table of ../shared/spec/business-time.md.
TEST(Calendar, SpecExamples) {
  auto cal = LunchBreakCalendar();
  const Calendar& c = *cal;
  struct Add { const char* start; const char* duration; const char* due; };
  const Add adds[] = {
      {"2026-01-05T08:30", "90m", "2026-01-05T10:30:00-03:00"},
      {"2026-01-05T11:30", "90m", "2026-01-05T14:00:00-03:00"},
      {"2026-01-05T09:00", "3h", "2026-01-05T13:00:00-03:00"},
      {"2026-01-09T16:00", "2h", "2026-01-12T10:00:00-03:00"},
      {"2026-01-06T10:30", "1d", "2026-01-07T10:30:00-03:00"},
      {"2026-01-10T03:00", "1d", "2026-01-13T09:00:00-03:00"},
      {"2026-01-05T09:00", "24h", "2026-01-08T13:00:00-03:00"},
      {"2026-01-04T10:00", "0m", "2026-01-05T09:00:00-03:00"},
      {"2026-01-05T10:00", "0m", "2026-01-05T10:00:00-03:00"},
  };
  for (const auto& a : adds) {
    auto d = ParseBusinessDuration(a.duration, c.DayLength());
    ASSERT_TRUE(d) << a.duration;
    auto due = c.Add(Local(c, a.start), *d);
    ASSERT_TRUE(due.ok());
    EXPECT_EQ(Show(c, *due), a.due) << a.start << " + " << a.duration;
  }
  EXPECT_EQ(c.Elapsed(Local(c, "2026-01-05T08:00"), Local(c, "2026-01-06T08:00")), std::chrono::minutes(420));
  EXPECT_FALSE(c.IsOpen(Local(c, "2026-01-05T12:30")));
  EXPECT_TRUE(c.IsOpen(Local(c, "2026-01-05T09:00")));
  EXPECT_FALSE(c.IsOpen(Local(c, "2026-01-05T12:00")));
  EXPECT_EQ(c.DayLength(), std::chrono::hours(7));
}

TEST(Calendar, DisplayDueReadsAnOpeningAsTheClosingBefore) {
  auto cal = LunchBreakCalendar();
  const Calendar& c = *cal;
  // Runs out at 12:00: due 13:00, read "by 12:00". Runs out Friday 17:00: due Monday 09:00,
  // read "by Friday 17:00". Inside an interval nothing changes.
  EXPECT_EQ(Show(c, c.DisplayDue(Local(c, "2026-01-05T13:00"))), "2026-01-05T12:00:00-03:00");
  EXPECT_EQ(Show(c, c.DisplayDue(Local(c, "2026-01-12T09:00"))), "2026-01-09T17:00:00-03:00");
  EXPECT_EQ(Show(c, c.DisplayDue(Local(c, "2026-01-05T10:30"))), "2026-01-05T10:30:00-03:00");
  EXPECT_EQ(Show(c, c.DisplayDue(Local(c, "2026-01-05T20:00"))), "2026-01-05T20:00:00-03:00");
}

// A break that runs past the last period the zone database knows (thousands of years ahead)
// closes the calendar from its start on. The walk over the zone's periods used to stand still
// there, growing its list until memory ran out (found by the calendar fuzz target).
TEST(Calendar, BreakPastTheEndOfTheZoneDatabase) {
  CalendarSpec s;
  s.tz = "America/Sao_Paulo";
  for (int d = 0; d < 5; ++d) s.hours[size_t(d)] = {{9 * 60, 17 * 60}};
  s.breaks = {{*ParseLocalDateTimeMillis("2026-12-24T12:00") / 60000, *ParseLocalDateTimeMillis("8351-12-24T24:00") / 60000}};
  auto made = Calendar::Make(s);
  ASSERT_TRUE(made.ok());
  const Calendar& c = **made;
  auto due = c.Add(Local(c, "2026-12-24T11:00"), std::chrono::minutes(30));
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(c, *due), "2026-12-24T11:30:00-03:00");
  EXPECT_FALSE(c.Add(Local(c, "2026-12-24T11:00"), std::chrono::hours(1)).ok());  // no opening after noon, ever
  EXPECT_FALSE(c.IsOpen(Local(c, "2027-01-05T10:00")));
  EXPECT_EQ(c.Elapsed(Local(c, "2026-12-24T09:00"), Local(c, "2027-12-24T09:00")), std::chrono::hours(3));
}

TEST(Calendar, HolidaysAndBreaks) {
  CalendarSpec s;
  s.tz = "America/Sao_Paulo";
  for (int d = 0; d < 5; ++d) s.hours[size_t(d)] = {{9 * 60, 17 * 60}};
  s.holidays = {*ParseLocalDate("2026-12-25")};
  s.breaks = {{*ParseLocalDateTimeMillis("2026-12-24T12:00") / 60000, *ParseLocalDateTimeMillis("2026-12-24T24:00") / 60000}};
  auto cal = Calendar::Make(s);
  ASSERT_TRUE(cal.ok());
  const Calendar& c = **cal;
  // Thu 24th: open 09-12 only; Fri 25th: holiday; so 4h from Thu 11:00 is Mon 28th 12:00.
  auto due = c.Add(Local(c, "2026-12-24T11:00"), std::chrono::hours(4));
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Show(c, *due), "2026-12-28T12:00:00-03:00");
  EXPECT_FALSE(c.IsOpen(Local(c, "2026-12-25T10:00")));
  EXPECT_FALSE(c.IsOpen(Local(c, "2026-12-24T13:00")));
  EXPECT_EQ(c.Elapsed(Local(c, "2026-12-24T00:00"), Local(c, "2026-12-29T00:00")), std::chrono::hours(3 + 8));
}

TEST(Calendar, DaylightSavingInBerlin) {
  // 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  CalendarSpec s;
  s.tz = "Europe/Berlin";
  s.always_open = true;
  auto cal = Calendar::Make(s);
  ASSERT_TRUE(cal.ok());
  const Calendar& c = **cal;
  EXPECT_EQ(c.Elapsed(Local(c, "2026-03-29T00:00"), Local(c, "2026-03-30T00:00")), std::chrono::hours(23));
  EXPECT_EQ(c.Elapsed(Local(c, "2026-10-25T00:00"), Local(c, "2026-10-26T00:00")), std::chrono::hours(25));
  // A skipped local time moves forward by the gap.
  EXPECT_EQ(Show(c, Local(c, "2026-03-29T02:30")), "2026-03-29T03:30:00+02:00");
  // An ambiguous one takes the earlier offset.
  EXPECT_EQ(Show(c, Local(c, "2026-10-25T02:30")), "2026-10-25T02:30:00+02:00");
  auto due = c.Add(Local(c, "2026-03-28T22:00"), std::chrono::hours(6));
  EXPECT_EQ(Show(c, *due), "2026-03-29T05:00:00+02:00");

  CalendarSpec night;
  night.tz = "Europe/Berlin";
  night.hours[6] = {{0, 4 * 60}};  // Sundays 00:00-04:00
  auto n = Calendar::Make(night);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->Elapsed(Local(**n, "2026-03-29T00:00"), Local(**n, "2026-03-30T00:00")), std::chrono::hours(3));
  EXPECT_EQ((*n)->Elapsed(Local(**n, "2026-10-25T00:00"), Local(**n, "2026-10-26T00:00")), std::chrono::hours(5));
}

// Open means "the local wall-clock time lies in an interval": around a DST change that is
// the preimage of the local range, not the range between its converted ends.
TEST(Calendar, WallClockIntervalsAcrossDaylightSaving) {
  CalendarSpec s;
  s.tz = "Europe/Berlin";
  s.hours[6] = {{2 * 60 + 30, 4 * 60}};  // Sundays 02:30-04:00
  auto cal = Calendar::Make(s);
  ASSERT_TRUE(cal.ok());
  const Calendar& c = **cal;
  // Spring forward: 02:30 does not exist; wall-clock 03:00-04:00 is open: one hour.
  EXPECT_EQ(c.Elapsed(Local(c, "2026-03-29T00:00"), Local(c, "2026-03-30T00:00")), std::chrono::hours(1));
  // Fall back: 02:30-03:00 CEST, then 02:30-04:00 CET: two hours, in two pieces.
  EXPECT_EQ(c.Elapsed(Local(c, "2026-10-25T00:00"), Local(c, "2026-10-26T00:00")), std::chrono::hours(2));
  const Instant first_pass = *ParseIsoInstant("2026-10-25T00:45:00Z");   // 02:45 CEST
  const Instant between = *ParseIsoInstant("2026-10-25T01:15:00Z");      // 02:15 CET
  const Instant second_pass = *ParseIsoInstant("2026-10-25T01:45:00Z");  // 02:45 CET
  EXPECT_TRUE(c.IsOpen(first_pass));
  EXPECT_FALSE(c.IsOpen(between));
  EXPECT_TRUE(c.IsOpen(second_pass));
}

TEST(Calendar, RejectsBadSpecs) {
  CalendarSpec zone;
  zone.tz = "Mars/Olympus";
  zone.always_open = true;
  EXPECT_FALSE(Calendar::Make(zone).ok());
  CalendarSpec overlap;
  overlap.hours[0] = {{540, 720}, {700, 800}};
  EXPECT_FALSE(Calendar::Make(overlap).ok());
  CalendarSpec never;
  EXPECT_FALSE(Calendar::Make(never).ok());
  CalendarSpec backwards;
  backwards.hours[0] = {{720, 540}};
  EXPECT_FALSE(Calendar::Make(backwards).ok());
}

TEST(Calendar, Parsing) {
  EXPECT_EQ(ParseClock("09:00"), 540);
  EXPECT_EQ(ParseClock("24:00"), 1440);
  EXPECT_FALSE(ParseClock("24:01"));
  EXPECT_FALSE(ParseClock("9:00"));
  EXPECT_FALSE(ParseLocalDate("2026-02-30"));
  EXPECT_EQ(ParseBusinessDuration("1d", std::chrono::hours(7)), std::chrono::hours(7));
  EXPECT_EQ(ParseBusinessDuration("1h30m", std::chrono::hours(7)), std::chrono::minutes(90));
  EXPECT_FALSE(ParseBusinessDuration("1.5h", std::chrono::hours(7)));
  EXPECT_FALSE(ParseBusinessDuration("-1h", std::chrono::hours(7)));
}

TEST(Calendar, ItsChecksAreSaidInTheReadersLanguage) {
  CalendarSpec s;
  s.tz = "America/Sao_Paulo";
  s.hours[1] = {{9 * 60, 12 * 60}, {11 * 60, 17 * 60}};
  auto overlap = Calendar::Make(s);
  ASSERT_FALSE(overlap.ok());
  ASSERT_EQ(overlap.error().fields.size(), 1u);
  EXPECT_EQ(overlap.error().fields[0].field, "hours.tue");
  EXPECT_EQ(overlap.error().message, "Intervals on tue overlap.");
  EXPECT_EQ(overlap.error().MessageIn("pt-BR"), "Os intervalos em tue se sobrepõem.");
  s.hours[1].clear();
  auto never = Calendar::Make(s);
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(never.error().MessageIn("de"), "Der Kalender ist nie geöffnet; geben Sie ihm hours an mindestens einem Tag oder always_open.");
  s.tz = "Mars/Olympus";
  auto zone = Calendar::Make(s);
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().MessageIn("es"), "Zona horaria desconocida \"Mars/Olympus\"; use un nombre IANA como America/Sao_Paulo o Europe/Berlin.");

  // In the policy editor: the file and line stay, the sentence is the reader's.
  const std::string policy = R"(name = "Office"
default_priority = "normal"
[calendars.office]
tz = "America/Sao_Paulo"
hours = { mon = [["09:00", "12:00"], ["11:00", "17:00"]] }
[[priorities]]
name = "normal"
description = "Normal"
[[targets]]
target = "first_response"
within = "8h"
calendar = "office"
)";
  auto parsed = ParsePolicy(policy, "policy.toml", [](std::string_view) -> Result<std::string> { return Error::NotFound("none"); });
  ASSERT_FALSE(parsed.ok());
  ASSERT_FALSE(parsed.error().fields.empty());
  const FieldError& e = parsed.error().fields[0];
  EXPECT_EQ(e.field, "policy.toml:3: calendars.office");
  EXPECT_EQ(e.message, "Intervals on mon overlap.");
  EXPECT_EQ(e.MessageIn("pt-BR"), "Os intervalos em mon se sobrepõem.");
  EXPECT_EQ(e.MessageIn("ru"), "Интервалы дня mon пересекаются.");
}

}  // namespace
}  // namespace chamado::sla
