// The REST API (/api/v1) and the web UI's static files.
//
// Handlers are thin: parse the request, call the domain inside a store transaction,
// serialize. Reads run on the network thread; writes go to the store's group-commit
// writer and answer once durable. Password hashing runs on a small bounded pool.
#pragma once

#include <chrono>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/secrets.h"
#include "http/message.h"
#include "store/blobs.h"
#include "store/store.h"

namespace chamado::mail {
class Inbox;
}

namespace chamado::http {

struct ApiOptions {
  bool cookie_secure = false;  // set when served over HTTPS (behind a proxy)
  // Addresses of reverse proxies whose X-Forwarded-For is believed: behind one, the client is
  // the nearest address in that header that is not a trusted proxy. Empty: the header is ignored.
  std::vector<std::string> trusted_proxies;
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 14);
  size_t max_attachment_bytes = 20 * 1024 * 1024;
  std::string web_root;  // the built web UI (web/dist); empty: API only
  // The desk's public address ([mail] public_url) for the help center's canonical links and
  // sitemap; empty: the request's Host.
  std::string public_url;
  // Help-center articles and pages kept rendered in memory ([help] page_cache); 0: none.
  size_t help_cache_entries = 2048;
  int signin_attempts_per_email = 10;  // per 5 minutes
  int signin_attempts_per_address = 100;
  int bot_sessions_per_address = 60;   // conversations started per 10 minutes
  int bot_messages_per_session = 30;   // messages per minute in one conversation
  int chat_max_per_agent = 3;          // live conversations one agent holds at once; 0: no limit
  int hash_threads = 1;
  // Seed 002's published figure (GET /api/v1/public/response-time): "off" (the route answers
  // 404), "calendar" or "business" time; over the last `publish_window_days` days.
  std::string publish_response_time = "off";
  int publish_window_days = 30;
  // Who may scrape GET /metrics: "local" (clients on this machine, after trusted proxies),
  // "token" (Authorization: Bearer `metrics_token`) or "off" (404).
  std::string metrics_access = "local";
  std::string metrics_token;
  // Masks secrets in incoming text before it is stored (the defaults when empty).
  std::shared_ptr<const SecretMasker> masker;
  // The WhatsApp channel (docs/whatsapp.md); verify_token empty: it is off, its webhook
  // answers 404.
  struct Whatsapp {
    std::string verify_token;
    std::string app_secret;
    std::string phone_number_id;
    std::string language = "en";  // of the conversations it starts
    // A file a customer sent, by its media id (jobs::FetchWhatsappMedia): its bytes and type.
    // Called on a pool thread, never on a network thread.
    std::function<Result<std::pair<std::string, std::string>>(const std::string& media_id, size_t max_bytes)> fetch_media;
    std::function<void()> queued;  // something was queued to send: wakes the sender
  } whatsapp;
  // Mail in (POST /api/v1/mail/inbound); none: the endpoint answers 404.
  mail::Inbox* inbox = nullptr;
  // PostgreSQL: the URL the instances sharing the database tell each other on (LISTEN/NOTIFY,
  // store/bus.h): new ticket events for live updates, live chat frames. Empty: the store's
  // own; give a direct one when the store's goes through PgBouncer in transaction mode.
  std::string bus_url;
  // Only with `serve --test-clock`: moves the server's clock (set, then advance) and runs the
  // scheduler; returns the new now. Empty: the test clock endpoint does not exist.
  std::function<Result<Instant>(std::optional<Instant> set, std::optional<std::chrono::milliseconds> advance)> move_clock;
};

// The client's address: the peer, or behind a trusted proxy the nearest untrusted address in
// X-Forwarded-For (a client can write anything in it, so only what trusted proxies appended counts).
std::string ClientAddress(const Request& req, const std::vector<std::string>& trusted_proxies);

// A fixed-window counter per key, in bounded memory: past `max_keys` the oldest windows that
// are over or not at their limit are forgotten first; a key at its limit is never forgotten
// before its window ends (when every key is, a new key is refused). Thread-safe.
class RateLimiter {
 public:
  RateLimiter(int limit, std::chrono::seconds window, size_t max_keys = 100000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}
  bool Allow(const std::string& key, Instant now);
  // How long `key` stays refused: zero when it is not.
  std::chrono::seconds RetryAfter(const std::string& key, Instant now);
  size_t size();

 private:
  struct Window {
    Instant start;
    int count = 0;
    std::list<std::string>::iterator order;
  };
  bool Locked(const Window& w, Instant now) const { return w.count >= limit_ && now - w.start < window_; }
  int limit_;
  std::chrono::seconds window_;
  size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;  // GUARDED_BY(mu_)
  std::list<std::string> order_;                     // GUARDED_BY(mu_): keys, oldest window first
};

// A few threads for CPU-heavy work (argon2id), with a bounded queue.
class WorkPool {
 public:
  WorkPool(int threads, size_t max_queue);
  ~WorkPool();
  // False when the queue is full (the caller answers 503).
  bool Post(std::function<void()> f);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  size_t max_queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class Api {
 public:
  Api(store::Store& store, store::BlobStore& blobs, const core::Clock& clock, ApiOptions options);
  ~Api();

  void Handle(Request req, Reply reply);
  // The body a request may send (http::ServerOptions::body_kind): an upload only to a route
  // that takes files, a raw email only to the mail gateway, and either only from a caller
  // who may use that route; JSON's limit for everything else.
  BodyKind BodyKindOf(const Request& head);

  struct RouteInfo {
    std::string method;
    std::string pattern;  // "/api/v1/tickets/{number}"
  };
  static std::vector<RouteInfo> Routes();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace chamado::http
