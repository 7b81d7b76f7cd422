// Holidays from an iCalendar (.ics) file, as published by governments and calendar apps:
// every day covered by an event (all-day or timed, one day or several), with yearly or other
// recurrence rules expanded. Pure parsing of text (libical); reading the file is the caller's.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "sla/calendar.h"

namespace chamado::sla {

// The local days covered by the events of `ics`, within [from, to] (recurrences are expanded
// within that range), sorted and unique. An error when the text is not iCalendar or has no
// events.
Result<std::vector<LocalDay>> HolidaysFromIcs(std::string_view ics, LocalDay from, LocalDay to);

}  // namespace chamado::sla
