#include "core/report.h"

#include <algorithm>

namespace chamado::core {

DurationSummary Summarize(std::vector<int64_t> v) {
  DurationSummary s;
  s.count = int64_t(v.size());
  if (v.empty()) return s;
  const size_t n = v.size();
  // A long double sum: a million durations of days each stay exact well past int64's reach.
  long double sum = 0;
  for (int64_t x : v) sum += x;
  s.mean_ms = double(sum / n);
  // Selection, not a sort: a year of a million tickets is a million values per figure.
  // Nearest rank for p90: ceil(0.9 n), 1-based, in integers so 0.9 * 10 is exactly 9.
  const size_t rank = (9 * n + 9) / 10;
  std::nth_element(v.begin(), v.begin() + ptrdiff_t(rank - 1), v.end());
  const int64_t p90 = v[rank - 1];
  // The median lies at or below p90's place: select it among the values before it.
  const size_t mid = n / 2;
  auto below = [&](size_t k) {
    std::nth_element(v.begin(), v.begin() + ptrdiff_t(k), v.begin() + ptrdiff_t(rank - 1));
    return v[k];
  };
  const int64_t upper = mid < rank - 1 ? below(mid) : p90;
  if (n % 2) {
    s.median_ms = double(upper);
  } else {
    // The lower middle value is the largest of those before the upper one.
    const int64_t lower = *std::max_element(v.begin(), v.begin() + ptrdiff_t(mid));
    s.median_ms = (double(lower) + double(upper)) / 2;
  }
  s.p90_ms = double(p90);
  return s;
}

std::optional<double> Achievement::Rate() const { return Share(met, met + breached); }

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return double(part) / double(whole);
}

std::vector<int64_t> Backlog(int64_t open_before, const std::vector<int64_t>& created, const std::vector<int64_t>& solved) {
  std::vector<int64_t> out;
  out.reserve(created.size());
  int64_t open = open_before;
  for (size_t i = 0; i < created.size(); ++i) {
    open += created[i] - (i < solved.size() ? solved[i] : 0);
    out.push_back(open);
  }
  return out;
}

namespace {
constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
int64_t FloorDay(int64_t ms) { return ms >= 0 ? ms / kDayMs : -((-ms + kDayMs - 1) / kDayMs); }
}  // namespace

std::vector<Instant> DaysOf(Instant from, Instant to) {
  std::vector<Instant> out;
  for (int64_t d = FloorDay(ToUnixMillis(from)); d * kDayMs < ToUnixMillis(to); ++d) out.push_back(FromUnixMillis(d * kDayMs));
  return out;
}

int64_t DayIndex(Instant from, Instant t) { return FloorDay(ToUnixMillis(t)) - FloorDay(ToUnixMillis(from)); }

}  // namespace chamado::core
