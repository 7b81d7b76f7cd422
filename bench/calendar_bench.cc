// Business time speed: add and elapsed on random cases over a 09-12/13-17 Monday-Friday
// calendar in America/Sao_Paulo with the 2026-2027 national holidays. Writes the cases and
// Chamado's answers for bench/calendar.sh to replay through Perl's Business::Hours.
//
// usage: calendar_bench N CASES_FILE   (CASES_FILE lines: start_epoch seconds end_epoch due elapsed)
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "sla/calendar.h"

using namespace chamado;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  sla::CalendarSpec spec;
  spec.tz = "America/Sao_Paulo";
  for (int d = 0; d < 5; ++d) spec.hours[size_t(d)] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  for (const char* h : {"2026-01-01", "2026-02-16", "2026-02-17", "2026-04-03", "2026-04-21", "2026-05-01", "2026-06-04",
                        "2026-09-07", "2026-10-12", "2026-11-02", "2026-11-15", "2026-11-20", "2026-12-25", "2027-01-01",
                        "2027-02-08", "2027-02-09", "2027-03-26", "2027-04-21", "2027-05-01", "2027-05-27"})
    spec.holidays.push_back(*sla::ParseLocalDate(h));
  auto made = sla::Calendar::Make(spec);
  if (!made.ok()) return 1;
  const sla::Calendar& cal = **made;

  struct Case {
    int64_t start_s, seconds, end_s;
  };
  std::mt19937_64 rng(20261122);
  const int64_t base = 1767225600;  // 2026-01-01T00:00:00Z
  std::vector<Case> cases(static_cast<size_t>(n));
  for (auto& c : cases) {
    c.start_s = base + int64_t(rng() % (365 * 24 * 60)) * 60;
    c.seconds = int64_t(1 + rng() % (5 * 7 * 60)) * 60;  // 1 minute to 5 business days
    c.end_s = c.start_s + int64_t(rng() % (10 * 24 * 60)) * 60;
  }
  auto at = [](int64_t s) { return Instant(std::chrono::seconds(s)); };
  // Warm-up: compute the year's open intervals once, as a long-running server would.
  for (size_t i = 0; i < cases.size(); i += 997) (void)cal.Add(at(cases[i].start_s), std::chrono::seconds(cases[i].seconds));

  std::vector<int64_t> due(cases.size()), elapsed(cases.size());
  auto t0 = Clock::now();
  for (size_t i = 0; i < cases.size(); ++i)
    due[i] = ToUnixMillis(*cal.Add(at(cases[i].start_s), std::chrono::seconds(cases[i].seconds))) / 1000;
  auto t1 = Clock::now();
  for (size_t i = 0; i < cases.size(); ++i)
    elapsed[i] = cal.Elapsed(at(cases[i].start_s), at(cases[i].end_s)).count() / 1000;
  auto t2 = Clock::now();
  const double add_ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
  const double elapsed_ns = std::chrono::duration<double, std::nano>(t2 - t1).count() / n;
  std::printf("chamado cases=%d add_ns=%.1f elapsed_ns=%.1f\n", n, add_ns, elapsed_ns);
  if (argc > 2) {
    FILE* f = std::fopen(argv[2], "w");
    if (!f) return 1;
    for (size_t i = 0; i < cases.size(); ++i)
      std::fprintf(f, "%lld %lld %lld %lld %lld\n", (long long)cases[i].start_s, (long long)cases[i].seconds,
                   (long long)cases[i].end_s, (long long)due[i], (long long)elapsed[i]);
    std::fclose(f);
  }
}
