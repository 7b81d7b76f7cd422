#include "core/report.h"

#include <algorithm>
#include <numeric>

namespace chamado::core {

DurationSummary Summarize(std::vector<int64_t> v) {
  DurationSummary s;
  s.count = int64_t(v.size());
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  // A long double sum: a million durations of days each stay exact well past int64's reach.
  long double sum = 0;
  for (int64_t x : v) sum += x;
  s.mean_ms = double(sum / n);
  s.median_ms = n % 2 ? double(v[n / 2]) : (double(v[n / 2 - 1]) + double(v[n / 2])) / 2;
  // Nearest rank: ceil(0.9 n), 1-based, in integers so 0.9 * 10 is exactly 9.
  const size_t rank = (9 * n + 9) / 10;
  s.p90_ms = double(v[rank - 1]);
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
