// /metrics in the Prometheus text exposition format (version 0.0.4): a writer that keeps each
// family's HELP and TYPE before its samples and escapes label values, and the HTTP latency
// histograms by route template (never the raw path, so a million ticket numbers stay one
// series). docs/metrics.md lists every family.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace chamado::http {

using Labels = std::vector<std::pair<std::string_view, std::string>>;

// Builds one exposition. Not thread-safe: one per scrape.
class MetricsText {
 public:
  // Starts a family: `type` is counter, gauge or histogram.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  // One sample line; `name` may carry a suffix of the family (_bucket, _sum, _count).
  void Sample(std::string_view name, const Labels& labels, double value);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// A label value as the format writes it: backslash, double quote and line feed escaped.
std::string EscapeLabelValue(std::string_view v);

// Latency of every answered request by method and route template, and how many got each
// status. Thread-safe (one mutex; an observation is a few additions).
class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf follows).
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  void Observe(std::string_view method, std::string_view route, int status, std::chrono::nanoseconds took);
  void Write(MetricsText& out) const;

 private:
  struct Series {
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; Write sums them
    uint64_t count = 0;
    double sum = 0;  // seconds
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Series> latency_;                // GUARDED_BY(mu_): method, route
  std::map<std::tuple<std::string, std::string, int>, uint64_t> responses_;     // GUARDED_BY(mu_): method, route, status
};

}  // namespace chamado::http
