#include "sla/calendar.h"
#include "core/text.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace chamado::sla {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 86'400'000;

// 1970-01-01 was a Thursday: Monday-based weekday of a day count.
int WeekdayOf(LocalDay d) { return int(((int64_t(d) % 7) + 7 + 3) % 7); }

bool Digits(std::string_view s, size_t pos, size_t n, int& out) { return ParseFixedDigits(s, pos, n, out); }

}  // namespace

struct Calendar::Chunk {
  // Open intervals [start[i], end[i]) in UTC ms, sorted, disjoint, inside this chunk's span;
  // after[i] is the open time from the chunk's beginning to end[i].
  std::vector<int64_t> start, end, after;
  int64_t total = 0;
};

Calendar::Calendar(CalendarSpec spec, const date::time_zone* zone, Millis day_length)
    : spec_(std::move(spec)), zone_(zone), day_length_(day_length) {
  holidays_sorted_ = spec_.holidays;
  std::sort(holidays_sorted_.begin(), holidays_sorted_.end());
}

Calendar::~Calendar() {
  for (auto& c : chunks_) delete c.load();
}

Result<std::shared_ptr<const Calendar>> Calendar::Make(CalendarSpec spec) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(spec.tz);
  } catch (const std::exception&) {
    return Error::InvalidSaid("tz", "field.time_zone", {{"value", spec.tz}});
  }
  static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::array<int64_t, 7> totals{};
  if (spec.always_open) {
    for (const auto& day : spec.hours)
      if (!day.empty()) return Error::InvalidSaid("hours", "calendar.open_or_hours");
    totals.fill(1440);
  } else {
    for (int d = 0; d < 7; ++d) {
      auto& day = spec.hours[size_t(d)];
      std::sort(day.begin(), day.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
      for (size_t i = 0; i < day.size(); ++i) {
        const auto& iv = day[i];
        if (iv.start < 0 || iv.end > 1440 || iv.start >= iv.end)
          return Error::InvalidSaid(std::string("hours.") + kDays[d], "calendar.interval", {{"day", kDays[d]}});
        if (i > 0 && day[i - 1].end > iv.start)
          return Error::InvalidSaid(std::string("hours.") + kDays[d], "calendar.overlap", {{"day", kDays[d]}});
        totals[size_t(d)] += iv.end - iv.start;
      }
    }
    if (std::all_of(totals.begin(), totals.end(), [](int64_t t) { return t == 0; }))
      return Error::InvalidSaid("hours", "calendar.never_open");
  }
  for (const auto& [a, b] : spec.breaks)
    if (b <= a) return Error::InvalidSaid("breaks", "calendar.break_order");
  Millis day_length{0};
  if (spec.day_length) {
    if (spec.day_length->count() <= 0 || *spec.day_length > std::chrono::hours(24))
      return Error::InvalidSaid("day_length", "calendar.day_length");
    day_length = *spec.day_length;
  } else {
    std::map<int64_t, int> count;
    for (auto t : totals)
      if (t > 0) count[t]++;
    int best = 0;
    int64_t best_total = 0;
    for (const auto& [t, n] : count)
      if (n > best || (n == best && t > best_total)) best = n, best_total = t;
    day_length = std::chrono::minutes(best_total);
  }
  return std::shared_ptr<const Calendar>(new Calendar(std::move(spec), zone, day_length));
}

Instant Calendar::FromLocalMillis(int64_t local_ms) const {
  const date::local_time<std::chrono::milliseconds> lt{std::chrono::milliseconds(local_ms)};
  const auto info = zone_->get_info(lt);
  // unique: its offset; ambiguous: the first (earlier instant); nonexistent: the offset
  // before the gap, which moves the time forward by the gap.
  const auto offset = std::chrono::duration_cast<std::chrono::milliseconds>(info.first.offset);
  return Instant(std::chrono::milliseconds(local_ms) - offset);
}

Instant Calendar::FromLocal(LocalMinute local) const { return FromLocalMillis(local * kMinuteMs); }

std::chrono::seconds Calendar::OffsetAt(Instant t) const { return zone_->get_info(t).offset; }

namespace {

// Walks the time zone's UTC-offset periods in order, remembering the last one.
class Periods {
 public:
  explicit Periods(const date::time_zone* z) : zone_(z) {}
  struct Period {
    int64_t begin, end, offset;  // UTC ms [begin, end); local = utc + offset
  };
  const Period& At(int64_t utc_ms) {
    if (valid_ && utc_ms >= p_.begin && utc_ms < p_.end) return p_;
    const auto info = zone_->get_info(date::sys_seconds(std::chrono::seconds(FloorDiv(utc_ms, 1000))));
    auto clamp = [](int64_t s) { return std::clamp<int64_t>(s, -100'000'000'000, 100'000'000'000) * 1000; };
    p_ = {clamp(info.begin.time_since_epoch().count()), clamp(info.end.time_since_epoch().count()),
          int64_t(info.offset.count()) * 1000};
    valid_ = true;
    return p_;
  }

 private:
  static int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
  const date::time_zone* zone_;
  Period p_{};
  bool valid_ = false;
};

// Appends the instants whose local wall-clock time lies in [from, to) (local ms): one
// range per UTC-offset period it crosses (usually one; two around a repeated hour).
void AppendPreimage(Periods& periods, int64_t from, int64_t to, std::vector<std::pair<int64_t, int64_t>>& out) {
  constexpr int64_t kMaxEast = 14 * 3'600'000, kMaxWest = 12 * 3'600'000;  // offsets lie in [-12 h, +14 h]
  int64_t t = from - kMaxEast;
  const int64_t last = to + kMaxWest;
  while (t < last) {
    const auto& p = periods.At(t);
    // Past the last period the zone database knows (clamped, thousands of years ahead) the
    // offset stays: that period runs to the end of the range, or the walk would stand still.
    const int64_t end = p.end > t ? p.end : last + kMaxEast;
    const int64_t s = std::max(from - p.offset, p.begin), e = std::min(to - p.offset, end);
    if (s < e) out.emplace_back(s, e);
    t = end;
  }
}

}  // namespace

std::unique_ptr<Calendar::Chunk> Calendar::BuildChunk(int64_t index) const {
  auto chunk = std::make_unique<Chunk>();
  const int64_t lo = index * kChunkMs, hi = lo + kChunkMs;
  // Local days whose hours can reach into [lo, hi): offsets are within +-26 h.
  const LocalDay first_day = LocalDay((lo - 2 * kDayMs) / kDayMs);
  const LocalDay last_day = LocalDay((hi + 2 * kDayMs) / kDayMs);
  Periods periods(zone_);
  std::vector<std::pair<int64_t, int64_t>> open, piece;
  // An instant is open when its local wall-clock time lies in one of its day's intervals.
  auto add_local = [&](LocalDay day, int from_min, int to_min) {
    piece.clear();
    const int64_t base = int64_t(day) * kDayMs;
    AppendPreimage(periods, base + from_min * kMinuteMs, base + to_min * kMinuteMs, piece);
    for (const auto& [a, b] : piece) {
      const int64_t s = std::max(a, lo), e = std::min(b, hi);
      if (s < e) open.emplace_back(s, e);
    }
  };
  for (LocalDay day = first_day; day <= last_day; ++day) {
    if (std::binary_search(holidays_sorted_.begin(), holidays_sorted_.end(), day)) continue;
    if (spec_.always_open) {
      add_local(day, 0, 1440);
      continue;
    }
    for (const auto& iv : spec_.hours[size_t(WeekdayOf(day))]) add_local(day, iv.start, iv.end);
  }
  std::sort(open.begin(), open.end());
  // Merge touching and overlapping intervals.
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& iv : open) {
    if (!merged.empty() && iv.first <= merged.back().second) merged.back().second = std::max(merged.back().second, iv.second);
    else merged.push_back(iv);
  }
  // Cut the breaks out.
  if (!spec_.breaks.empty()) {
    std::vector<std::pair<int64_t, int64_t>> closed;
    for (const auto& [a, b] : spec_.breaks) {
      if (b * kMinuteMs < lo - 2 * kDayMs || a * kMinuteMs > hi + 2 * kDayMs) continue;
      AppendPreimage(periods, a * kMinuteMs, b * kMinuteMs, closed);
    }
    std::sort(closed.begin(), closed.end());
    std::vector<std::pair<int64_t, int64_t>> cut;
    for (auto [s, e] : merged) {
      for (const auto& [cs, ce] : closed) {
        if (ce <= s || cs >= e) continue;
        if (cs > s) cut.emplace_back(s, cs);
        s = std::max(s, ce);
        if (s >= e) break;
      }
      if (s < e) cut.emplace_back(s, e);
    }
    merged = std::move(cut);
  }
  int64_t total = 0;
  for (const auto& [s, e] : merged) {
    total += e - s;
    chunk->start.push_back(s);
    chunk->end.push_back(e);
    chunk->after.push_back(total);
  }
  chunk->total = total;
  return chunk;
}

const Calendar::Chunk& Calendar::ChunkAt(int64_t index) const {
  if (const Chunk* c = chunks_[size_t(index)].load(std::memory_order_acquire)) return *c;
  std::lock_guard lock(build_mu_);
  if (const Chunk* c = chunks_[size_t(index)].load(std::memory_order_relaxed)) return *c;
  const Chunk* built = BuildChunk(index).release();
  chunks_[size_t(index)].store(built, std::memory_order_release);
  return *built;
}

int64_t Calendar::OpenBefore(const Chunk& c, int64_t t) const {
  auto it = std::upper_bound(c.start.begin(), c.start.end(), t);
  if (it == c.start.begin()) return 0;
  const size_t i = size_t(it - c.start.begin()) - 1;
  const int64_t len = c.end[i] - c.start[i];
  return c.after[i] - len + std::min(t - c.start[i], len);
}

static int64_t ClampIndex(int64_t ms, int64_t shift, int64_t max) {
  if (ms < 0) return -1;
  const int64_t i = ms >> shift;
  return i >= max ? max : i;
}

bool Calendar::IsOpen(Instant t) const {
  const int64_t ms = ToUnixMillis(t);
  const int64_t k = ClampIndex(ms, kChunkShift, kMaxChunks);
  if (k < 0 || k >= kMaxChunks) return false;
  const Chunk& c = ChunkAt(k);
  auto it = std::upper_bound(c.start.begin(), c.start.end(), ms);
  if (it == c.start.begin()) return false;
  const size_t i = size_t(it - c.start.begin()) - 1;
  return ms < c.end[i];
}

Result<Instant> Calendar::Add(Instant start, Millis business) const {
  const int64_t ms = ToUnixMillis(start);
  int64_t k = ClampIndex(ms, kChunkShift, kMaxChunks);
  if (k < 0 || k >= kMaxChunks) return Error::InvalidArgument("The start is outside the years 1970-2500.");
  if (business.count() < 0) return Error::InvalidArgument("A duration cannot be negative.");
  const Chunk* c = &ChunkAt(k);
  int64_t target = OpenBefore(*c, ms) + business.count();
  int empty_chunks = 0;
  while (true) {
    if (target < c->total) {
      // The first interval whose end holds more open time than the target.
      const size_t i = size_t(std::upper_bound(c->after.begin(), c->after.end(), target) - c->after.begin());
      const int64_t before = c->after[i] - (c->end[i] - c->start[i]);
      const int64_t t = c->start[i] + (target - before);
      return Instant(std::chrono::milliseconds(std::max(t, ms)));
    }
    target -= c->total;
    empty_chunks = c->total == 0 ? empty_chunks + 1 : 0;
    if (++k >= kMaxChunks || empty_chunks > 10)
      return Error::InvalidArgument("The calendar has no open time left within ten years of the start.");
    c = &ChunkAt(k);
  }
}

Instant Calendar::DisplayDue(Instant due) const {
  const int64_t ms = ToUnixMillis(due);
  if (!IsOpen(due) || IsOpen(Instant(std::chrono::milliseconds(ms - 1)))) return due;
  // `due` opens an interval: find where the one before it closed (within ten chunks).
  for (int64_t k = ms >> kChunkShift; k >= 0 && k > (ms >> kChunkShift) - 10; --k) {
    const Chunk& c = ChunkAt(k);
    auto it = std::lower_bound(c.end.begin(), c.end.end(), ms);  // ends strictly before `ms`
    if (it != c.end.begin()) return Instant(std::chrono::milliseconds(*std::prev(it)));
  }
  return due;
}

Millis Calendar::Elapsed(Instant a, Instant b) const {
  int64_t ma = ToUnixMillis(a), mb = ToUnixMillis(b);
  if (mb <= ma) return Millis(0);
  ma = std::max<int64_t>(ma, 0);
  mb = std::min<int64_t>(mb, kMaxChunks * kChunkMs - 1);
  if (mb <= ma) return Millis(0);
  const int64_t ka = ma >> kChunkShift, kb = mb >> kChunkShift;
  const Chunk& ca = ChunkAt(ka);
  if (ka == kb) return Millis(OpenBefore(ca, mb) - OpenBefore(ca, ma));
  int64_t sum = ca.total - OpenBefore(ca, ma);
  for (int64_t k = ka + 1; k < kb; ++k) sum += ChunkAt(k).total;
  sum += OpenBefore(ChunkAt(kb), mb);
  return Millis(sum);
}

// ---- parsing and formatting ----

std::optional<int> ParseClock(std::string_view s) {
  int h, m;
  if (s.size() != 5 || s[2] != ':' || !Digits(s, 0, 2, h) || !Digits(s, 3, 2, m)) return std::nullopt;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<LocalDay> ParseLocalDate(std::string_view s) {
  int y, mo, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, y) || !Digits(s, 5, 2, mo) || !Digits(s, 8, 2, d))
    return std::nullopt;
  const date::year_month_day ymd{date::year(y), date::month(unsigned(mo)), date::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return LocalDay(date::sys_days(ymd).time_since_epoch().count());
}

std::optional<int64_t> ParseLocalDateTimeMillis(std::string_view s) {
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  auto day = ParseLocalDate(s.substr(0, 10));
  auto clock = ParseClock(s.substr(11, 5));
  if (!day || !clock) return std::nullopt;
  int sec = 0, ms = 0;
  size_t pos = 16;
  if (pos < s.size()) {
    if (s[pos] != ':' || !Digits(s, pos + 1, 2, sec) || sec > 59) return std::nullopt;
    pos += 3;
    if (pos < s.size()) {
      if (s[pos] != '.') return std::nullopt;
      ++pos;
      int scale = 100, n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (scale) ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++n;
      }
      if (n == 0 || pos != s.size()) return std::nullopt;
    }
  }
  if (*clock == 1440 && (sec || ms)) return std::nullopt;
  return (int64_t(*day) * 1440 + *clock) * kMinuteMs + sec * 1000 + ms;
}

std::optional<Millis> ParseBusinessDuration(std::string_view s, Millis day_length) {
  if (s.empty()) return std::nullopt;
  Millis total{0};
  size_t i = 0;
  while (i < s.size()) {
    int64_t n = 0;
    const size_t begin = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      n = n * 10 + (s[i] - '0');
      if (n > 100'000'000) return std::nullopt;
      ++i;
    }
    if (i == begin || i == s.size()) return std::nullopt;
    switch (s[i]) {
      case 's': total += std::chrono::seconds(n); break;
      case 'm': total += std::chrono::minutes(n); break;
      case 'h': total += std::chrono::hours(n); break;
      case 'd': total += day_length * n; break;
      default: return std::nullopt;
    }
    ++i;
  }
  return total;
}

std::string FormatLocal(Instant t, std::chrono::seconds offset) {
  using namespace std::chrono;
  const auto local = t + offset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{local - day};
  const int64_t off = offset.count();
  const char sign = off < 0 ? '-' : '+';
  const int64_t a = off < 0 ? -off : off;
  char buf[48];
  const int ms = int(hms.subseconds().count());
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                        unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                        int(hms.seconds().count()));
  if (ms) n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%03d", ms);
  std::snprintf(buf + n, sizeof buf - size_t(n), "%c%02d:%02d", sign, int(a / 3600), int((a / 60) % 60));
  return buf;
}

std::string FormatLocal(Instant t, std::string_view language, std::string_view time_zone) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(std::string(time_zone));
  } catch (const std::exception&) {
    zone = date::locate_zone("UTC");
  }
  auto local = date::make_zoned(zone, std::chrono::time_point_cast<std::chrono::minutes>(t));
  const char* pattern = "%Y-%m-%d %H:%M";
  if (language == "pt-BR" || language == "es") pattern = "%d/%m/%Y %H:%M";
  if (language == "de" || language == "ru") pattern = "%d.%m.%Y %H:%M";
  return date::format(pattern, local) + " (" + std::string(zone->name()) + ")";
}

}  // namespace chamado::sla
