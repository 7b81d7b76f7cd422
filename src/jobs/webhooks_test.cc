#include "jobs/webhooks.h"

#include <gtest/gtest.h>

namespace chamado::jobs {
namespace {

TEST(Webhooks, BackoffDoublesUpToSixHoursThenGivesUp) {
  using std::chrono::minutes;
  EXPECT_EQ(*WebhookBackoff(1), minutes(2));
  EXPECT_EQ(*WebhookBackoff(2), minutes(4));
  EXPECT_EQ(*WebhookBackoff(8), minutes(256));
  EXPECT_EQ(*WebhookBackoff(9), minutes(360));
  EXPECT_EQ(*WebhookBackoff(19), minutes(360));
  EXPECT_FALSE(WebhookBackoff(20));
}

}  // namespace
}  // namespace chamado::jobs
