#include "sla/ical.h"

#include <libical/ical.h>

#include <algorithm>
#include <memory>
#include <string>

namespace chamado::sla {
namespace {

LocalDay DayOf(const icaltimetype& t) {
  // Days since 1970-01-01 of the civil date (Howard Hinnant's days_from_civil).
  int y = t.year;
  const unsigned m = unsigned(t.month), d = unsigned(t.day);
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return LocalDay(era * 146097 + int(doe) - 719468);
}

}  // namespace

Result<std::vector<LocalDay>> HolidaysFromIcs(std::string_view ics, LocalDay from, LocalDay to) {
  const std::string text(ics);
  std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)> root(icalparser_parse_string(text.c_str()),
                                                                        &icalcomponent_free);
  if (!root) return Error::Said(ErrorCode::kInvalidArgument, "calendar.ics_not_icalendar");
  icalcomponent* cal = root.get();
  if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
    cal = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT);
    if (!cal) return Error::Said(ErrorCode::kInvalidArgument, "calendar.ics_no_vcalendar");
  }
  std::vector<LocalDay> days;
  int events = 0;
  for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
       ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    const icaltimetype start = icalcomponent_get_dtstart(ev);
    if (icaltime_is_null_time(start)) continue;
    ++events;
    icaltimetype end = icalcomponent_get_dtend(ev);
    // Days covered by one occurrence: all-day events end exclusively on DTEND's date.
    int span = 1;
    if (!icaltime_is_null_time(end)) {
      const int d = DayOf(end) - DayOf(start);
      span = start.is_date ? std::max(1, d) : std::max(1, d + (end.hour || end.minute || end.second ? 1 : 0));
    }
    auto cover = [&](const icaltimetype& occurrence) {
      const LocalDay first = DayOf(occurrence);
      for (int i = 0; i < span && i < 366; ++i)
        if (first + i >= from && first + i <= to) days.push_back(first + i);
    };
    icalproperty* rrule = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
    if (!rrule) {
      cover(start);
      continue;
    }
    const icalrecurrencetype recur = icalproperty_get_rrule(rrule);
    std::unique_ptr<icalrecur_iterator, decltype(&icalrecur_iterator_free)> it(icalrecur_iterator_new(recur, start),
                                                                               &icalrecur_iterator_free);
    if (!it) return Error::Said(ErrorCode::kInvalidArgument, "calendar.ics_rrule");
    for (int n = 0; n < 5000; ++n) {
      const icaltimetype next = icalrecur_iterator_next(it.get());
      if (icaltime_is_null_time(next) || DayOf(next) > to) break;
      cover(next);
    }
  }
  if (events == 0) return Error::Said(ErrorCode::kInvalidArgument, "calendar.ics_no_events");
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace chamado::sla
