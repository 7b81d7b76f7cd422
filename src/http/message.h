// HTTP requests and responses as plain values, so handlers never see Beast or Asio.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chamado::http {

// What a request may send as its body, decided from its head (method, path, headers) before
// the body is read: the size limit that applies is the server's for that kind.
enum class BodyKind { kJson, kUpload, kMail };

struct Request {
  std::string method;  // upper case: "GET"
  std::string target;  // as received: "/api/v1/tickets?status=open"
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  // Runs a function on one of the server's network threads (used to leave the store's
  // writer thread quickly after a commit).
  std::function<void(std::function<void()>)> post;

  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }
  std::optional<std::string_view> Query(std::string_view name) const {
    for (const auto& [k, v] : query)
      if (k == name) return std::string_view(v);
    return std::nullopt;
  }
  std::vector<std::string_view> QueryAll(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : query)
      if (k == name) out.push_back(v);
    return out;
  }
  // The value of a cookie, or empty.
  std::string Cookie(std::string_view name) const;
};

// The writing end of a response whose body keeps coming (server-sent events), or of a
// WebSocket (each Send is one text frame). Thread-safe; holds no connection alive by itself.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // Queues `chunk` to be written after what was queued before; false once the stream has
  // ended (the client left, the server stops, or the client read too slowly and was cut off).
  virtual bool Send(std::string chunk) = 0;
  // Ends the stream once what was queued is written.
  virtual void End() = 0;
};

// What a streamed response does. The server writes the head, then calls `open` once, on a
// network thread, with the sink to write the body into; `closed` is called exactly once when
// the stream has ended, whatever ended it. A response that is never sent (its connection
// went first) just drops its Stream. While nothing
// else is written for ServerOptions::stream_heartbeat_seconds it writes `heartbeat`, so the
// connection outlives the idle timeout and proxies see it alive.
struct Stream {
  std::function<void(std::shared_ptr<StreamSink>)> open;
  std::function<void()> closed;
  std::string heartbeat;
  // Zero: as long as both ends keep it. Else the stream ends (as by End()) once it is this
  // old, checked at each heartbeat: a client that reconnects is authenticated again.
  std::chrono::seconds lifetime{0};
};

// What an accepted WebSocket does: a Response with `websocket` set, to a request that asked
// to upgrade (Upgrade: websocket), on the same port as HTTP. The server completes the
// handshake, then calls `open` once with the sink its text frames go into (each Send one
// frame), `message` with each text frame the client sends, in order, on a network thread, and
// `closed` exactly once when the socket ends, whatever ended it. The server pings an idle
// socket and closes one that stops answering; a client that reads too slowly is cut off.
struct WebSocket {
  std::function<void(std::shared_ptr<StreamSink>)> open;
  std::function<void(std::string)> message;
  std::function<void()> closed;
  size_t max_message_bytes = 64 * 1024;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set: the body is streamed instead (no Content-Length; the connection closes at its end).
  std::shared_ptr<Stream> stream;
  // Set (on an upgrade request): the connection becomes this WebSocket; status and headers
  // are not sent.
  std::shared_ptr<WebSocket> websocket;

  void Set(std::string name, std::string value) {
    for (auto& [k, v] : headers)
      if (k == name) {
        v = std::move(value);
        return;
      }
    headers.emplace_back(std::move(name), std::move(value));
  }
  std::string_view Get(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }
};

// Called exactly once per request, from any thread.
using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request, Reply)>;

}  // namespace chamado::http
