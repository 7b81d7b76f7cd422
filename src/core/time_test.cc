#include "core/time.h"

#include <gtest/gtest.h>

namespace chamado {
namespace {

TEST(Time, ParseAndFormatRoundTrip) {
  struct Case { const char* in; const char* out; };
  const Case cases[] = {
      {"2026-01-05T14:00:00Z", "2026-01-05T14:00:00Z"},
      {"2026-01-05T11:00:00-03:00", "2026-01-05T14:00:00Z"},
      {"2026-01-05T11:00-03:00", "2026-01-05T14:00:00Z"},
      {"2026-01-05T16:00:00+0200", "2026-01-05T14:00:00Z"},
      {"2026-01-05t14:00:00.5z", "2026-01-05T14:00:00.500Z"},
      {"2026-01-05 14:00:00.123456Z", "2026-01-05T14:00:00.123Z"},
      {"2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"},
      {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"},
      {"1969-12-31T23:59:59.001Z", "1969-12-31T23:59:59.001Z"},
      {"2026-11-30T09:05:07.040Z", "2026-11-30T09:05:07.040Z"},
      {"0999-03-04T05:06:07Z", "0999-03-04T05:06:07Z"},
      {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"},
  };
  for (const auto& c : cases) {
    auto t = ParseIsoInstant(c.in);
    ASSERT_TRUE(t) << c.in;
    EXPECT_EQ(FormatIsoUtc(*t), c.out) << c.in;
  }
}

TEST(Time, RejectsMalformed) {
  for (const char* in : {"", "2026-01-05", "2026-01-05T14:00:00", "2026-13-05T14:00:00Z", "2026-02-30T10:00:00Z",
                         "2026-01-05T24:00:00Z", "2026-01-05T14:00:00+25:00", "2026-01-05T14:00:00Zjunk",
                         "2026-01-05T14:00:00.Z", "x026-01-05T14:00:00Z"}) {
    EXPECT_FALSE(ParseIsoInstant(in)) << in;
  }
}

TEST(Time, Durations) {
  using namespace std::chrono;
  EXPECT_EQ(*ParseDuration("90m"), minutes(90));
  EXPECT_EQ(*ParseDuration("4h"), hours(4));
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(*ParseDuration("2d"), hours(48));
  EXPECT_EQ(*ParseDuration("45s"), seconds(45));
  for (const char* bad : {"", "m", "90", "1x", "-5m", "1.5h", "h1"}) EXPECT_FALSE(ParseDuration(bad)) << bad;
}

}  // namespace
}  // namespace chamado
