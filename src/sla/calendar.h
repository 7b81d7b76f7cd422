// Business calendars: when is support open, and how much open time lies between two
// instants. The semantics are normative in ../shared/spec/business-time.md (restated in
// docs/business-time.md).
//
// All instants are UTC (Instant, milliseconds). Local wall-clock values appear only in
// CalendarSpec, as minutes. A Calendar is immutable once made and safe to share between
// threads; it computes its open intervals lazily, a UTC "chunk" (2^35 ms, about 398 days) at
// a time, and keeps them, so each operation is a binary search or two.
//
// The time zone database is the system's tzdata, read through Howard Hinnant's date/tz: a
// read of static data on first use, never the clock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace date {
class time_zone;
}

namespace chamado::sla {

using Millis = std::chrono::milliseconds;

// A half-open local wall-clock interval of one day, in minutes after midnight: [540, 720)
// is 09:00-12:00. 1440 ("24:00") is a valid end.
struct Interval {
  int start = 0;
  int end = 0;
  bool operator==(const Interval&) const = default;
};

// Local calendar values: days and minutes since 1970-01-01 00:00 local (no zone attached).
using LocalDay = int32_t;
using LocalMinute = int64_t;

struct CalendarSpec {
  std::string tz = "UTC";
  bool always_open = false;
  std::array<std::vector<Interval>, 7> hours;  // [0] is Monday ... [6] Sunday
  std::vector<LocalDay> holidays;
  std::vector<std::pair<LocalMinute, LocalMinute>> breaks;  // closed [start, end)
  std::optional<Millis> day_length;                         // default: see DayLength()
};

class Calendar {
 public:
  // Validates the spec (the zone exists, intervals are well formed and do not overlap, the
  // calendar opens at all) and makes the calendar.
  static Result<std::shared_ptr<const Calendar>> Make(CalendarSpec spec);

  bool IsOpen(Instant t) const;

  // The due instant: the latest t >= start such that the open time in [start, t) is still
  // `business`. When the time runs out exactly at a closing, that is the next opening.
  // Fails only when no opening exists within ten years.
  Result<Instant> Add(Instant start, Millis business) const;

  // How a due instant reads to people: one that falls on an opening (time ran out at the
  // previous closing) is shown as that closing, "by Monday 18:00" rather than "Tuesday
  // 09:00"; both name the same business moment. Other instants are returned as they are.
  Instant DisplayDue(Instant due) const;

  // Open time in [a, b); zero when b <= a.
  Millis Elapsed(Instant a, Instant b) const;

  // The length of one business day (unit "d"): the spec's day_length, else the most common
  // non-zero weekday total (24 h for always-open calendars).
  Millis DayLength() const { return day_length_; }

  // Local wall-clock minute -> instant: a time in a skipped hour moves forward by the gap;
  // an ambiguous one takes the earlier offset.
  Instant FromLocal(LocalMinute local) const;
  Instant FromLocalMillis(int64_t local_ms) const;
  // The UTC offset in effect at t.
  std::chrono::seconds OffsetAt(Instant t) const;

  const CalendarSpec& spec() const { return spec_; }

  ~Calendar();
  Calendar(const Calendar&) = delete;
  Calendar& operator=(const Calendar&) = delete;

 private:
  struct Chunk;
  static constexpr int kChunkShift = 35;
  static constexpr int64_t kChunkMs = int64_t{1} << kChunkShift;
  static constexpr int kMaxChunks = 512;  // 1970 to about 2527

  Calendar(CalendarSpec spec, const date::time_zone* zone, Millis day_length);
  const Chunk& ChunkAt(int64_t index) const;
  std::unique_ptr<Chunk> BuildChunk(int64_t index) const;
  int64_t OpenBefore(const Chunk& c, int64_t t) const;

  CalendarSpec spec_;
  const date::time_zone* zone_;
  Millis day_length_;
  std::vector<LocalDay> holidays_sorted_;
  mutable std::array<std::atomic<const Chunk*>, kMaxChunks> chunks_{};
  mutable std::mutex build_mu_;
};

// Parsing of the textual forms used by policies and `chamado calendar eval`.
std::optional<int> ParseClock(std::string_view hhmm);            // "09:00" -> 540; "24:00" -> 1440
std::optional<LocalDay> ParseLocalDate(std::string_view ymd);    // "2026-12-25"
// "2026-12-24T12:00" or "...T12:00:00"; "T24:00" is the next day's midnight.
std::optional<int64_t> ParseLocalDateTimeMillis(std::string_view text);
// "30m", "4h", "1d", "1d4h", "90s" on a calendar: d counts business days of `day_length`.
std::optional<Millis> ParseBusinessDuration(std::string_view text, Millis day_length);
// "2026-01-05T14:00:00-03:00" (seconds, and milliseconds when present).
std::string FormatLocal(Instant t, std::chrono::seconds offset);
// "24/11/2026 17:00 (America/Sao_Paulo)": a local date and time as people of the language
// write it, in the IANA zone (UTC when the zone is unknown). For people, not for parsing.
std::string FormatLocal(Instant t, std::string_view language, std::string_view time_zone);

}  // namespace chamado::sla
