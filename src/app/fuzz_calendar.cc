// libFuzzer target: calendar input as `chamado calendar eval` reads it (one JSON line in the
// format of ../shared/spec/business-time.md), then business time on the calendar the line
// describes, at instants and durations the rest of the input picks.
//
// Input: the line, then optionally a newline and bytes that choose three instants (within two
// years of the line's start or at, else of 2026-01-05) and two durations (up to 40 days).
// Checks, beyond not crashing:
// - the answer is one JSON object with the line's id and exactly one of due, minutes, open or
//   error;
// - on a valid calendar, the spec's laws: elapsed(a, b) is 0 when b <= a and never more than
//   b - a, and elapsed(a, b) + elapsed(b, c) = elapsed(a, c); due = add(a, d) is open, not
//   before a, and elapsed(a, due) = d (so any later instant is late); add is monotone in d;
//   add(t, 0) = t exactly when t is open; the due shown to people is not after the due and no
//   open time lies between them.
// Build and run: ./scripts/fuzz calendar [seconds].
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/calendar_eval.h"
#include "core/time.h"
#include "sla/calendar.h"

namespace {

using namespace chamado;
using sla::Millis;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckAnswer(const std::string& answer) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(answer, ec);
  Check(!ec && v.is_object());
  const auto& o = v.as_object();
  Check(o.contains("id"));
  int results = 0;
  for (const char* key : {"due", "minutes", "open", "error"}) results += o.contains(key) ? 1 : 0;
  Check(results == 1);
  Check(answer.find('\n') == std::string::npos);
}

// The instant the line names in `key` (absolute, or local to the calendar), if any.
std::optional<Instant> LineInstant(const boost::json::object& o, const char* key, const sla::Calendar& cal) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  if (auto abs = ParseIsoInstant(v->as_string())) return abs;
  if (auto local = sla::ParseLocalDateTimeMillis(v->as_string())) return cal.FromLocalMillis(*local);
  return std::nullopt;
}

void CheckLaws(const sla::Calendar& cal, Instant base, FuzzedDataProvider& in) {
  constexpr int64_t kTwoYears = int64_t{2} * 366 * 24 * 3600 * 1000;
  Instant t[3];
  for (auto& x : t) x = base + Millis(in.ConsumeIntegralInRange<int64_t>(-kTwoYears, kTwoYears));
  Millis d[2];
  for (auto& x : d) x = Millis(in.ConsumeIntegralInRange<int64_t>(0, int64_t{40} * 24 * 3600 * 1000));

  for (const Instant a : t)
    for (const Instant b : t) {
      const Millis e = cal.Elapsed(a, b);
      Check(b <= a ? e == Millis(0) : e >= Millis(0) && e <= b - a);
    }
  Instant s[3] = {t[0], t[1], t[2]};
  std::sort(std::begin(s), std::end(s));
  Check(cal.Elapsed(s[0], s[1]) + cal.Elapsed(s[1], s[2]) == cal.Elapsed(s[0], s[2]));

  std::optional<Instant> previous;
  std::sort(std::begin(d), std::end(d));
  for (const Millis duration : d) {
    auto due = cal.Add(t[0], duration);
    if (!due.ok()) return;  // no opening within ten years of the start
    Check(*due >= t[0]);
    Check(cal.IsOpen(*due));
    Check(cal.Elapsed(t[0], *due) == duration);
    if (previous) Check(*previous <= *due);
    previous = *due;
    const Instant shown = cal.DisplayDue(*due);
    Check(shown <= *due && cal.Elapsed(shown, *due) == Millis(0));
  }
  for (const Instant a : t) {
    auto now = cal.Add(a, Millis(0));
    if (!now.ok()) continue;
    Check(cal.IsOpen(a) ? *now == a : *now > a);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view line = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  app::CalendarEvaluator eval;
  CheckAnswer(eval.EvalLine(line));

  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return 0;
  const auto* calendar = v.as_object().if_contains("calendar");
  if (!calendar || !calendar->is_object()) return 0;
  auto spec = app::ParseCalendarJson(boost::json::serialize(*calendar));
  if (!spec.ok()) return 0;
  auto cal = sla::Calendar::Make(std::move(*spec));
  if (!cal.ok()) return 0;
  Instant base = *ParseIsoInstant("2026-01-05T00:00:00Z");
  for (const char* key : {"start", "at"})
    if (auto named = LineInstant(v.as_object(), key, **cal)) {
      base = *named;
      break;
    }
  // Far from today's calendars the instants say nothing new (and the calendar's range ends).
  if (base < *ParseIsoInstant("1990-01-01T00:00:00Z") || base > *ParseIsoInstant("2200-01-01T00:00:00Z")) return 0;
  FuzzedDataProvider in(reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
  CheckLaws(**cal, base, in);
  return 0;
}
