#include "core/report.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

Instant At(const char* iso) { return *ParseIsoInstant(iso); }
constexpr int64_t kMin = 60 * 1000;

struct SummaryCase {
  const char* name;
  std::vector<int64_t> minutes;
  int64_t count;
  std::optional<double> mean, median, p90;  // minutes
};

TEST(Summarize, Table) {
  const SummaryCase cases[] = {
      {"empty", {}, 0, std::nullopt, std::nullopt, std::nullopt},
      {"one", {42}, 1, 42, 42, 42},
      {"odd count, unsorted", {30, 10, 20}, 3, 20, 20, 30},
      // 90 % of 10 is rank 9: the ninth smallest.
      {"ten", {1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, 10, 14.5, 5.5, 9},
      // 90 % of 11 is 9.9, rounded up to rank 10.
      {"eleven", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 11, 6, 6, 10},
      {"even count: the mean of the middle two", {60, 120}, 2, 90, 90, 120},
      {"even count, unsorted", {5, 1, 4, 2, 3, 6}, 6, 3.5, 3.5, 6},
      {"repeated values", {7, 7, 7, 1, 7, 7, 7, 7, 7, 7}, 10, 6.4, 7, 7},
      {"zero durations count", {0, 0, 0, 90}, 4, 22.5, 0, 90},
  };
  for (const auto& c : cases) {
    std::vector<int64_t> ms;
    for (int64_t m : c.minutes) ms.push_back(m * kMin);
    const DurationSummary s = Summarize(ms);
    EXPECT_EQ(s.count, c.count) << c.name;
    auto minutes = [](std::optional<double> v) { return v ? std::optional<double>(*v / kMin) : std::nullopt; };
    EXPECT_EQ(minutes(s.mean_ms), c.mean) << c.name;
    EXPECT_EQ(minutes(s.median_ms), c.median) << c.name;
    EXPECT_EQ(minutes(s.p90_ms), c.p90) << c.name;
  }
}

TEST(Achievement, RateOfDecidedClocksOnly) {
  EXPECT_EQ((Achievement{3, 1}.Rate()), 0.75);
  EXPECT_EQ((Achievement{0, 2}.Rate()), 0.0);
  EXPECT_EQ((Achievement{0, 0}.Rate()), std::nullopt);
  EXPECT_EQ(Share(1, 4), 0.25);
  EXPECT_EQ(Share(0, 0), std::nullopt);
}

TEST(Backlog, EachDayAddsWhatCameLessWhatWent) {
  EXPECT_EQ(Backlog(5, {2, 0, 3}, {1, 4, 0}), (std::vector<int64_t>{6, 2, 5}));
  EXPECT_EQ(Backlog(0, {}, {}), (std::vector<int64_t>{}));
}

TEST(DaysOf, WholeUtcDaysOverlappingThePeriod) {
  EXPECT_EQ(DaysOf(At("2026-03-01T00:00:00Z"), At("2026-03-03T00:00:00Z")),
            (std::vector<Instant>{At("2026-03-01T00:00:00Z"), At("2026-03-02T00:00:00Z")}));
  // A period starting mid-day still has that day; one ending just after midnight has the next.
  EXPECT_EQ(DaysOf(At("2026-03-01T15:00:00Z"), At("2026-03-02T00:00:01Z")),
            (std::vector<Instant>{At("2026-03-01T00:00:00Z"), At("2026-03-02T00:00:00Z")}));
  EXPECT_TRUE(DaysOf(At("2026-03-02T00:00:00Z"), At("2026-03-01T00:00:00Z")).empty());
  EXPECT_EQ(DayIndex(At("2026-03-01T15:00:00Z"), At("2026-03-03T01:00:00Z")), 2);
  EXPECT_EQ(DaysOf(At("1969-12-31T12:00:00Z"), At("1970-01-01T00:00:00Z")), (std::vector<Instant>{At("1969-12-31T00:00:00Z")}));
}

}  // namespace
}  // namespace chamado::core
