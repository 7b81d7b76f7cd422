#include "http/metrics.h"

#include <gtest/gtest.h>

namespace chamado::http {
namespace {

using std::chrono::milliseconds;

TEST(MetricsText, FamiliesThenSamplesWithEscapedLabels) {
  MetricsText m;
  m.Family("chamado_tickets", "gauge", "Tickets by status and priority.");
  m.Sample("chamado_tickets", {{"status", "new"}, {"priority", "P\"1\\\n"}}, 3);
  m.Sample("chamado_scheduler_lag_seconds", {}, 1.5);
  EXPECT_EQ(m.text(),
            "# HELP chamado_tickets Tickets by status and priority.\n"
            "# TYPE chamado_tickets gauge\n"
            "chamado_tickets{status=\"new\",priority=\"P\\\"1\\\\\\n\"} 3\n"
            "chamado_scheduler_lag_seconds 1.5\n");
}

TEST(RequestMetrics, CumulativeBucketsPerRouteTemplate) {
  RequestMetrics r;
  r.Observe("GET", "/api/v1/tickets/{number}", 200, milliseconds(3));    // in 0.005
  r.Observe("GET", "/api/v1/tickets/{number}", 404, milliseconds(30));   // in 0.05
  r.Observe("GET", "/api/v1/tickets/{number}", 200, milliseconds(20000));  // past every bound: +Inf only
  MetricsText m;
  r.Write(m);
  const std::string& t = m.text();
  auto has = [&](const std::string& line) { return t.find(line + "\n") != std::string::npos; };
  const std::string labels = "method=\"GET\",route=\"/api/v1/tickets/{number}\"";
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"0.001\"} 0")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 1")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"0.025\"} 1")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"0.05\"} 2")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"10\"} 2")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_sum{" + labels + "} 20.033")) << t;
  EXPECT_TRUE(has("chamado_http_request_duration_seconds_count{" + labels + "} 3")) << t;
  EXPECT_TRUE(has("chamado_http_responses_total{" + labels + ",code=\"200\"} 2")) << t;
  EXPECT_TRUE(has("chamado_http_responses_total{" + labels + ",code=\"404\"} 1")) << t;
}

}  // namespace
}  // namespace chamado::http
