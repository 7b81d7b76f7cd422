// libFuzzer target: holidays from an iCalendar file (a policy's holidays_ics), with libical's
// parser and recurrence rules.
// Checks, beyond not crashing: the days are sorted, unique and within the range asked for; a
// narrower range gives exactly the days of the wider one that fall in it; reading the same text
// again gives the same days.
// Build and run: ./scripts/fuzz ical [seconds].
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sla/ical.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace chamado::sla;
  const std::string_view ics(reinterpret_cast<const char*>(data), size);
  const LocalDay from = *ParseLocalDate("2020-01-01"), to = *ParseLocalDate("2030-12-31");
  const LocalDay narrow_from = *ParseLocalDate("2025-06-01"), narrow_to = *ParseLocalDate("2027-01-31");
  auto wide = HolidaysFromIcs(ics, from, to);
  auto narrow = HolidaysFromIcs(ics, narrow_from, narrow_to);
  Check(wide.ok() == narrow.ok());
  if (!wide.ok()) {
    Check(!wide.error().message.empty());
    return 0;
  }
  Check(std::is_sorted(wide->begin(), wide->end()) && std::adjacent_find(wide->begin(), wide->end()) == wide->end());
  Check(wide->empty() || (wide->front() >= from && wide->back() <= to));
  std::vector<LocalDay> within;
  std::copy_if(wide->begin(), wide->end(), std::back_inserter(within), [&](LocalDay d) { return d >= narrow_from && d <= narrow_to; });
  Check(within == *narrow);
  auto again = HolidaysFromIcs(ics, from, to);
  Check(again.ok() && *again == *wide);
  return 0;
}
