#include "http/metrics.h"

#include <cmath>
#include <cstdio>
#include <tuple>

namespace chamado::http {

namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(int64_t(v));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string Bound(double le) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", le);
  return buf;
}

}  // namespace

std::string EscapeLabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void MetricsText::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += help;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void MetricsText::Sample(std::string_view name, const Labels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i) out_ += ',';
      out_ += labels[i].first;
      out_ += "=\"";
      out_ += EscapeLabelValue(labels[i].second);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += FormatValue(value);
  out_ += '\n';
}

void RequestMetrics::Observe(std::string_view method, std::string_view route, int status, std::chrono::nanoseconds took) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::lock_guard lock(mu_);
  Series& s = latency_[{std::string(method), std::string(route)}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  ++s.count;
  s.sum += seconds;
  ++responses_[{std::string(method), std::string(route), status}];
}

void RequestMetrics::Write(MetricsText& out) const {
  std::lock_guard lock(mu_);
  out.Family("chamado_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to its answer, by method and route template.");
  for (const auto& [key, s] : latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += s.buckets[i];
      out.Sample("chamado_http_request_duration_seconds_bucket", {{"method", key.first}, {"route", key.second}, {"le", Bound(kBuckets[i])}},
                 double(cumulative));
    }
    out.Sample("chamado_http_request_duration_seconds_bucket", {{"method", key.first}, {"route", key.second}, {"le", "+Inf"}},
               double(s.count));
    out.Sample("chamado_http_request_duration_seconds_sum", {{"method", key.first}, {"route", key.second}}, s.sum);
    out.Sample("chamado_http_request_duration_seconds_count", {{"method", key.first}, {"route", key.second}}, double(s.count));
  }
  out.Family("chamado_http_responses_total", "counter", "Answered requests by method, route template and status code.");
  for (const auto& [key, n] : responses_)
    out.Sample("chamado_http_responses_total",
               {{"method", std::get<0>(key)}, {"route", std::get<1>(key)}, {"code", std::to_string(std::get<2>(key))}}, double(n));
}

}  // namespace chamado::http
