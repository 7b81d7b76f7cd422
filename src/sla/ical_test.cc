#include "sla/ical.h"

#include <gtest/gtest.h>

namespace chamado::sla {
namespace {

LocalDay D(const char* s) { return *ParseLocalDate(s); }

TEST(Ical, AllDayTimedMultiDayAndYearly) {
  const char* ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
      "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261226\r\nSUMMARY:Natal\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260216\r\nDTEND;VALUE=DATE:20260218\r\nSUMMARY:Carnaval\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:3\r\nDTSTART;VALUE=DATE:20200421\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Tiradentes\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:4\r\nDTSTART:20261124T090000\r\nDTEND:20261124T120000\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\n"
      "END:VCALENDAR\r\n";
  auto days = HolidaysFromIcs(ics, D("2026-01-01"), D("2027-12-31"));
  ASSERT_TRUE(days.ok()) << days.error().message;
  EXPECT_EQ(*days, (std::vector<LocalDay>{D("2026-02-16"), D("2026-02-17"), D("2026-04-21"), D("2026-11-24"),
                                          D("2026-12-25"), D("2027-04-21")}));
}

TEST(Ical, Rejects) {
  EXPECT_FALSE(HolidaysFromIcs("hello", 0, 100000).ok());
  EXPECT_FALSE(HolidaysFromIcs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", 0, 100000).ok());
}

}  // namespace
}  // namespace chamado::sla
