#include "jobs/outbox.h"

#include <gtest/gtest.h>

namespace chamado::jobs {
namespace {

TEST(Outbox, BackoffDoublesUpToSixHoursThenGivesUp) {
  using std::chrono::minutes;
  EXPECT_EQ(*OutboxBackoff(1), minutes(2));
  EXPECT_EQ(*OutboxBackoff(2), minutes(4));
  EXPECT_EQ(*OutboxBackoff(8), minutes(256));
  EXPECT_EQ(*OutboxBackoff(9), minutes(360));
  EXPECT_EQ(*OutboxBackoff(19), minutes(360));
  EXPECT_FALSE(OutboxBackoff(20));
}

}  // namespace
}  // namespace chamado::jobs
