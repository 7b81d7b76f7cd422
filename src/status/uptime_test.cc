#include "status/uptime.h"

#include <gtest/gtest.h>

namespace chamado::status {
namespace {

using std::chrono::minutes;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// One sample a minute in [from, to), all `up` or all down.
void Every(ProbeSamples& p, const char* from, const char* to, bool up) {
  for (Instant t = At(from); t < At(to); t += minutes(1)) p.samples.push_back({t, up});
}

// The day of the hand-computed figures (2026-03-02, UTC): a probe checks every minute and a
// sample holds two minutes at most (interval 1 min + timeout 1 min).
//   00:00-04:00 up; no samples 04:00-05:00 (Chamado was down): the 03:59 sample holds to 04:01,
//   so 59 min are unknown; 05:00-10:00 up; 10:00-10:30 down; 10:30-24:00 up, except the probe
//   saw down 20:10-20:40, inside maintenance 20:00-21:00. A partial outage was declared
//   14:00-15:00 (probes up) and a degradation 16:00-17:00 (probes up).
struct Day {
  std::vector<Observed> observed;
  std::vector<IncidentSpan> incidents{{7, At("2026-03-02T14:00:00Z"), At("2026-03-02T15:00:00Z"), Impact::kPartial},
                                      {8, At("2026-03-02T16:00:00Z"), At("2026-03-02T17:00:00Z"), Impact::kDegraded}};
  std::vector<MaintenanceSpan> maintenance{{3, At("2026-03-02T20:00:00Z"), At("2026-03-02T21:00:00Z")}};
  Instant from = At("2026-03-02T00:00:00Z"), to = At("2026-03-03T00:00:00Z");
  Day() {
    ProbeSamples p{minutes(2), {}};
    Every(p, "2026-03-02T00:00:00Z", "2026-03-02T04:00:00Z", true);
    Every(p, "2026-03-02T05:00:00Z", "2026-03-02T10:00:00Z", true);
    Every(p, "2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z", false);
    Every(p, "2026-03-02T10:30:00Z", "2026-03-02T20:10:00Z", true);
    Every(p, "2026-03-02T20:10:00Z", "2026-03-02T20:40:00Z", false);
    Every(p, "2026-03-02T20:40:00Z", "2026-03-03T00:00:00Z", true);
    observed = CombineProbes({p}, from, to);
  }
};

TEST(Uptime, DayWithMaintenanceGapAndPartialOutage) {
  Day d;
  const auto u = ComputeUptime(d.from, d.to, d.observed, d.incidents, d.maintenance, {99.0, 1.0}, true);
  // 1440 min: 60 maintenance, 59 unknown, down 30 (probes) + 60 (partial as major), up the rest.
  EXPECT_EQ(u.total, minutes(1440));
  EXPECT_EQ(u.maintenance, minutes(60));
  EXPECT_EQ(u.unknown, minutes(59));
  EXPECT_EQ(u.down, minutes(90));
  EXPECT_EQ(u.up, minutes(1440 - 60 - 59 - 90));
  ASSERT_TRUE(u.percent);
  EXPECT_DOUBLE_EQ(*u.percent, 100.0 * 1231 / 1321);
  EXPECT_DOUBLE_EQ(u.lower_bound_percent, 100.0 * 1231 / 1380);
  // The budget: 1 % of the 1380 minutes that are not maintenance = 13.8 min, overspent by 76.2.
  EXPECT_EQ(u.budget, std::chrono::milliseconds(828'000));
  EXPECT_EQ(u.budget_left, std::chrono::milliseconds(828'000 - 90 * 60'000));

  struct Row {
    const char* from;
    const char* to;
    State state;
    int up, down, unknown;
    int64_t incident, maintenance;
  };
  const Row expected[] = {
      {"00:00", "04:01", State::kUp, 241, 0, 0, 0, 0},
      {"04:01", "05:00", State::kUnknown, 0, 0, 59, 0, 0},
      {"05:00", "10:00", State::kUp, 300, 0, 0, 0, 0},
      {"10:00", "10:30", State::kDown, 0, 30, 0, 0, 0},
      {"10:30", "14:00", State::kUp, 210, 0, 0, 0, 0},
      {"14:00", "15:00", State::kPartial, 0, 60, 0, 7, 0},
      {"15:00", "16:00", State::kUp, 60, 0, 0, 0, 0},
      {"16:00", "17:00", State::kDegraded, 60, 0, 0, 8, 0},
      {"17:00", "20:00", State::kUp, 180, 0, 0, 0, 0},
      {"20:00", "21:00", State::kMaintenance, 0, 0, 0, 0, 3},
      {"21:00", "00:00", State::kUp, 180, 0, 0, 0, 0},
  };
  ASSERT_EQ(u.explanation.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const Row& r = expected[i];
    const Piece& p = u.explanation[i];
    const std::string day = i + 1 == std::size(expected) ? "2026-03-03T" : "2026-03-02T";
    EXPECT_EQ(p.from, At(("2026-03-02T" + std::string(r.from) + ":00Z").c_str())) << i;
    EXPECT_EQ(p.to, At((day + r.to + ":00Z").c_str())) << i;
    EXPECT_EQ(p.state, r.state) << i;
    EXPECT_EQ(p.up, minutes(r.up)) << i;
    EXPECT_EQ(p.down, minutes(r.down)) << i;
    EXPECT_EQ(p.unknown, minutes(r.unknown)) << i;
    EXPECT_EQ(p.incident_id, r.incident) << i;
    EXPECT_EQ(p.maintenance_id, r.maintenance) << i;
  }
}

TEST(Uptime, PartialWeightIsTheShareCountedDown) {
  Day d;
  const auto half = ComputeUptime(d.from, d.to, d.observed, d.incidents, d.maintenance, {99.4, 0.5}, false);
  EXPECT_EQ(half.down, minutes(30 + 30));
  EXPECT_EQ(half.up, minutes(1231 + 30));
  EXPECT_TRUE(half.explanation.empty());
  EXPECT_DOUBLE_EQ(*half.percent, 100.0 * 1261 / 1321);
  const auto none = ComputeUptime(d.from, d.to, d.observed, d.incidents, d.maintenance, {99.4, 0.0}, false);
  EXPECT_EQ(none.down, minutes(30));
  // 0.6 % of 1380 min = 8.28 min.
  EXPECT_EQ(none.budget, std::chrono::milliseconds(496'800));
}

TEST(Uptime, DeclaredOutagesWithoutSamples) {
  // No probe ran in this hour; a major outage was declared 00:10-00:20 and a partial one
  // 00:15-00:40 (weight 0.5): the worst counts where they overlap; the rest stays unknown.
  const Instant from = At("2026-03-02T00:00:00Z"), to = At("2026-03-02T01:00:00Z");
  const std::vector<IncidentSpan> incidents{{1, At("2026-03-02T00:10:00Z"), At("2026-03-02T00:20:00Z"), Impact::kMajor},
                                            {2, At("2026-03-02T00:15:00Z"), At("2026-03-02T00:40:00Z"), Impact::kPartial}};
  const auto u = ComputeUptime(from, to, {}, incidents, {}, {99.0, 0.5}, true);
  EXPECT_EQ(u.down, minutes(10 + 10));
  EXPECT_EQ(u.up, minutes(10));
  EXPECT_EQ(u.unknown, minutes(30));
  EXPECT_DOUBLE_EQ(*u.percent, 100.0 * 10 / 30);
  ASSERT_EQ(u.explanation.size(), 4u);
  EXPECT_EQ(u.explanation[1].state, State::kMajor);
  EXPECT_EQ(u.explanation[1].incident_id, 1);
  EXPECT_EQ(u.explanation[2].state, State::kPartial);
  EXPECT_EQ(u.explanation[2].from, At("2026-03-02T00:20:00Z"));
  // Nothing known at all: no figure, and the budget untouched.
  const auto blank = ComputeUptime(from, to, {}, {}, {}, {99.0, 1.0}, false);
  EXPECT_FALSE(blank.percent);
  EXPECT_EQ(blank.unknown, minutes(60));
  EXPECT_EQ(blank.budget_left, blank.budget);
}

TEST(Uptime, ProbesCombineDownFirstThenUnknown) {
  // Probe a: up all hour. Probe b: up 00:00-00:20, down 00:20-00:30, silent after 00:30 (its
  // last sample holds 5 min: to 00:35).
  ProbeSamples a{minutes(2), {}}, b{minutes(5), {}};
  Every(a, "2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z", true);
  Every(b, "2026-03-02T00:00:00Z", "2026-03-02T00:20:00Z", true);
  Every(b, "2026-03-02T00:20:00Z", "2026-03-02T00:31:00Z", false);
  const auto seen = CombineProbes({a, b}, At("2026-03-02T00:00:00Z"), At("2026-03-02T01:00:00Z"));
  const std::vector<Observed> expected{{At("2026-03-02T00:00:00Z"), At("2026-03-02T00:20:00Z"), minutes(20), minutes(0)},
                                       {At("2026-03-02T00:20:00Z"), At("2026-03-02T00:35:00Z"), minutes(0), minutes(15)}};
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(CombineProbes({}, At("2026-03-02T00:00:00Z"), At("2026-03-02T01:00:00Z")).empty());
}

TEST(Uptime, RollupsGiveTheSameFigures) {
  Day d;
  const auto minutes_rolled = RollUp(d.observed, d.from, d.to, minutes(1));
  const auto hours_rolled = RollUp(minutes_rolled, d.from, d.to, std::chrono::hours(1));
  EXPECT_EQ(hours_rolled.size(), 24u);
  // The 04:00 hour: 1 minute up, 59 unknown.
  EXPECT_EQ(hours_rolled[4], (Observed{At("2026-03-02T04:00:00Z"), At("2026-03-02T05:00:00Z"), minutes(1), minutes(0)}));
  const auto raw = ComputeUptime(d.from, d.to, d.observed, d.incidents, d.maintenance, {99.0, 1.0}, false);
  for (const auto* rolled : {&minutes_rolled, &hours_rolled}) {
    const auto u = ComputeUptime(d.from, d.to, *rolled, d.incidents, d.maintenance, {99.0, 1.0}, false);
    EXPECT_EQ(u.up, raw.up);
    EXPECT_EQ(u.down, raw.down);
    EXPECT_EQ(u.unknown, raw.unknown);
  }
  // Maintenance over half an hourly bucket takes half of what the bucket saw (spread evenly):
  // 10:00-11:00 saw 30 min down and 30 up, so 10:30-11:00 keeps 15 and 15.
  const auto u = ComputeUptime(d.from, d.to, hours_rolled, {}, {{1, At("2026-03-02T10:00:00Z"), At("2026-03-02T10:30:00Z")}},
                               {99.0, 1.0}, false);
  EXPECT_EQ(u.down, minutes(15 + 30));
}

TEST(Uptime, DailyFigures) {
  Day d;
  const std::vector<Instant> cuts{d.from, At("2026-03-02T12:00:00Z"), d.to};
  const auto days = ComputeUptimes(cuts, d.observed, d.incidents, d.maintenance, {99.0, 1.0});
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].down, minutes(30));
  EXPECT_EQ(days[0].unknown, minutes(59));
  EXPECT_EQ(days[1].down, minutes(60));
  EXPECT_EQ(days[1].maintenance, minutes(60));
}

TEST(Uptime, MonthsAndDaysInAZone) {
  const auto sp = MonthWindow("2026-03", "America/Sao_Paulo");
  ASSERT_TRUE(sp.ok()) << sp.error().message;
  EXPECT_EQ(sp->from, At("2026-03-01T03:00:00Z"));
  EXPECT_EQ(sp->to, At("2026-04-01T03:00:00Z"));
  // Berlin moves to summer time on 2026-03-29: the month is an hour shorter.
  const auto berlin = MonthWindow("2026-03", "Europe/Berlin");
  ASSERT_TRUE(berlin.ok());
  EXPECT_EQ(berlin->from, At("2026-02-28T23:00:00Z"));
  EXPECT_EQ(berlin->to, At("2026-03-31T22:00:00Z"));
  const auto december = MonthWindow("2026-12", "UTC");
  ASSERT_TRUE(december.ok());
  EXPECT_EQ(december->to, At("2027-01-01T00:00:00Z"));
  for (const char* bad : {"2026-13", "2026-3", "March", "2026/03", ""}) {
    const auto w = MonthWindow(bad, "UTC");
    ASSERT_FALSE(w.ok()) << bad;
    EXPECT_EQ(w.error().fields.at(0).field, "month");
  }
  const auto zone = MonthWindow("2026-03", "Mars/Base");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().fields.at(0).field, "time_zone");

  // 2026-03-10T02:00Z is 23:00 on the 9th in Sao Paulo: the last two days are the 8th and 9th.
  const auto cuts = DayCuts(At("2026-03-10T02:00:00Z"), 2, "America/Sao_Paulo");
  ASSERT_TRUE(cuts.ok());
  const std::vector<Instant> expected{At("2026-03-08T03:00:00Z"), At("2026-03-09T03:00:00Z"), At("2026-03-10T03:00:00Z")};
  EXPECT_EQ(*cuts, expected);
  EXPECT_FALSE(DayCuts(At("2026-03-10T02:00:00Z"), 0, "UTC").ok());
  EXPECT_EQ(*LocalDate(At("2026-03-10T02:00:00Z"), "America/Sao_Paulo"), "2026-03-09");
  EXPECT_EQ(*LocalDate(At("2026-03-10T02:00:00Z"), "UTC"), "2026-03-10");
}

TEST(Uptime, ImpactNames) {
  for (auto i : {Impact::kDegraded, Impact::kPartial, Impact::kMajor}) EXPECT_EQ(ParseImpact(Name(i)), i);
  EXPECT_FALSE(ParseImpact("minor"));
  EXPECT_EQ(Name(State::kMaintenance), "maintenance");
}

}  // namespace
}  // namespace chamado::status
