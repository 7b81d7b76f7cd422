#include "jobs/probes.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/claims.h"

namespace chamado::jobs {
namespace {

constexpr size_t kBodyLimit = 1 << 20;  // an expected text is looked for in the first MiB
constexpr int kBatch = 50;

size_t KeepBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (body->size() < kBodyLimit) body->append(data, std::min(bytes, kBodyLimit - body->size()));
  return bytes;
}

class CurlTransport final : public ProbeTransport {
 public:
  Attempt Try(const store::StatusProbe& p) override {
    Attempt a;
    CURL* curl = curl_easy_init();
    if (!curl) {
      a.error = "could not start an HTTP client";
      return a;
    }
    std::string body;
    const std::string url = p.kind == store::ProbeKind::kTcp ? "http://" + p.target : p.target;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(p.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(p.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (p.kind == store::ProbeKind::kTcp) {
      curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, KeepBody);
      curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
      curl_easy_setopt(curl, CURLOPT_USERAGENT, "Chamado status probe");
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_off_t micros = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros);
    a.latency_ms = int64_t(micros / 1000);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
      a.error = curl_easy_strerror(rc);
      return a;
    }
    if (p.kind == store::ProbeKind::kTcp) {
      a.up = true;
      return a;
    }
    const bool status_ok = p.expect_status ? code == *p.expect_status : (code >= 200 && code < 300);
    if (!status_ok) {
      a.error = "expected status " + (p.expect_status ? std::to_string(*p.expect_status) : std::string("2xx")) + ", got " +
                std::to_string(code);
      return a;
    }
    if (!p.expect_body.empty() && body.find(p.expect_body) == std::string::npos) {
      a.error = "the answer does not contain \"" + p.expect_body + "\"";
      return a;
    }
    a.up = true;
    return a;
  }
};

}  // namespace

std::unique_ptr<ProbeTransport> MakeCurlTransport() { return std::make_unique<CurlTransport>(); }

store::StatusSample Check(ProbeTransport& transport, const store::StatusProbe& probe, Instant at) {
  store::StatusSample s;
  s.probe_id = probe.id;
  s.at = at;
  s.attempts = 0;
  for (int i = 0; i <= probe.retries; ++i) {
    const Attempt a = transport.Try(probe);
    ++s.attempts;
    s.latency_ms = a.latency_ms;
    s.up = a.up;
    s.error = a.error;
    if (a.up) break;
  }
  return s;
}

Result<int> RunDueProbes(store::Store& store, ProbeTransport& transport, Instant now) {
  // The due probes are claimed and moved to their next run before they run, so that an
  // instance sharing the database does not run them too; a probe whose run is lost (a crash)
  // runs again at its next interval.
  CHAMADO_ASSIGN_OR_RETURN(auto due, store.WriteSync<std::vector<store::StatusProbe>>(
                                         [&](store::Repo& r) -> Result<std::vector<store::StatusProbe>> {
                                           store::StatusRepo s(r.conn());
                                           CHAMADO_ASSIGN_OR_RETURN(auto found, s.DueProbes(now, kBatch));
                                           std::vector<core::Id> ids;
                                           for (const auto& p : found) ids.push_back(p.id);
                                           CHAMADO_ASSIGN_OR_RETURN(const auto held, store::ClaimProbes(r.conn(), ids));
                                           std::vector<store::StatusProbe> claimed;
                                           for (auto& p : found) {
                                             if (std::find(held.begin(), held.end(), p.id) == held.end()) continue;
                                             Instant next = p.next_run_at + p.interval;
                                             if (next <= now) next = now + p.interval;
                                             CHAMADO_TRY(s.SetProbeNextRun(p.id, next));
                                             claimed.push_back(std::move(p));
                                           }
                                           return claimed;
                                         }));
  if (due.empty()) return 0;
  std::vector<store::StatusSample> samples;
  for (const auto& p : due) {
    samples.push_back(Check(transport, p, now));
    if (!samples.back().up) spdlog::warn("status probe {} ({}): down: {}", p.id, p.target, samples.back().error);
  }
  CHAMADO_TRY(store.WriteSync<bool>([&](store::Repo& r) -> Result<bool> {
    store::StatusRepo s(r.conn());
    for (size_t i = 0; i < due.size(); ++i) {
      // The probe may have been deleted while it ran: its sample goes with it.
      CHAMADO_ASSIGN_OR_RETURN(auto still, s.Probe(due[i].id));
      if (!still) continue;
      CHAMADO_TRY(s.InsertSample(samples[i]));
    }
    return true;
  }));
  return int(due.size());
}

}  // namespace chamado::jobs
