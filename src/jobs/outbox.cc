#include "jobs/outbox.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

namespace chamado::jobs {

std::optional<std::chrono::milliseconds> OutboxBackoff(int attempts) {
  if (attempts >= 20) return std::nullopt;  // about 3 days of tries
  const auto minutes = std::min<int64_t>(int64_t{1} << std::min(attempts, 10), 360);
  return std::chrono::minutes(minutes);
}

namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// POSTs `payload`; returns an empty string on a 2xx answer, else what went wrong.
std::string Post(const std::string& url, const std::string& payload, const std::string& event) {
  CURL* curl = curl_easy_init();
  if (!curl) return "cannot initialise libcurl";
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("X-Chamado-Event: " + event).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(payload.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Chamado-Webhook/1");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return curl_easy_strerror(rc);
  if (status < 200 || status >= 300) return "HTTP " + std::to_string(status);
  return {};
}

}  // namespace

Delivery PostWebhook(const store::Repo::QueuedNotification& n) {
  return {Post(n.row.recipient, n.row.payload, n.row.event), false};
}

OutboxSender::OutboxSender(store::Store& store, const core::Clock& clock, store::OutboxKind kind, Deliver deliver,
                           AfterSent after)
    : store_(store), clock_(clock), kind_(kind), deliver_(std::move(deliver)), after_(std::move(after)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() {
  worker_.Start([this] {
    if (auto r = SendDue(); !r.ok()) spdlog::error("{} sender: {}", store::Name(kind_), r.error().message);
    return std::chrono::milliseconds(1000);
  });
}

void OutboxSender::Stop() { worker_.Stop(); }

void OutboxSender::Poke() { worker_.Poke(); }

Result<int> OutboxSender::SendDue() {
  // A few rows per claim: a claimed row waits for the ones before it in the batch, and each
  // delivery may take its timeout (10 s for a webhook), well inside the lease.
  constexpr int kClaim = 10, kPerPass = 50;
  constexpr auto kLease = std::chrono::minutes(30);
  int attempted = 0;
  while (attempted < kPerPass) {
    const Instant now = clock_.Now();
    CHAMADO_ASSIGN_OR_RETURN(auto claimed, store_.WriteSync<std::vector<store::Repo::QueuedNotification>>(
                                               [&](store::Repo& repo) { return repo.ClaimOutbox(kind_, now, kClaim, now + kLease); }));
    for (const auto& n : claimed) CHAMADO_TRY(DeliverOne(n));
    attempted += int(claimed.size());
    if (int(claimed.size()) < kClaim) break;
  }
  return attempted;
}

Result<void> OutboxSender::DeliverOne(const store::Repo::QueuedNotification& n) {
  const Delivery d = deliver_(n);
  const std::string& error = d.error;
  const Instant at = clock_.Now();
  const int attempts = n.attempts + 1;
  CHAMADO_TRY(store_.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    if (error.empty()) {
      CHAMADO_TRY(repo.MarkOutboxSent(n.id, at));
      if (after_) CHAMADO_TRY(after_(repo, n, d, at));
    } else {
      if (d.permanent && after_) CHAMADO_TRY(after_(repo, n, d, at));
      auto delay = d.permanent ? std::nullopt : OutboxBackoff(attempts);
      // Given up: no further attempt is scheduled (far future), the error stays visible.
      const Instant next = delay ? at + *delay : FromUnixMillis(253402300799000);
      CHAMADO_TRY(repo.MarkOutboxFailed(n.id, attempts, next, error));
    }
    return true;
  }));
  if (!error.empty()) spdlog::warn("{} {} to {} failed (attempt {}): {}", store::Name(kind_), n.row.event, n.row.recipient, attempts, error);
  return Ok();
}

}  // namespace chamado::jobs
