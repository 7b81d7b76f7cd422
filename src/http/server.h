// The HTTP/1.1 server (Boost.Beast): keep-alive, several network threads, size limits,
// connection caps. When accepting fails (out of file descriptors: EMFILE, ENFILE), it waits
// before trying again, from 10 ms doubling to 1 s, instead of trying again at once: the
// waiting connection would fail the next accept as well, and the loop would spin.
// The only part of Chamado that includes Beast or Asio.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace chamado::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 0;                           // 0: one per core
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;       // JSON and forms
  size_t max_upload_bytes = 26 * 1024 * 1024;  // multipart/form-data
  size_t max_mail_bytes = 30 * 1024 * 1024;    // message/rfc822 (the mail gateway)
  // A connection silent this long is closed; a request body that pauses this long, or
  // averages under 1 KiB/s once this long has passed, is answered 408.
  int idle_timeout_seconds = 60;
  // The kind of body a request may send, from its head (a Request without body, query or
  // post); unset: by Content-Type alone. The API decides by route and caller, so an anonymous
  // client cannot send an upload's or a mail's size to a route that takes neither.
  std::function<BodyKind(const Request& head)> body_kind;
  // Open connections at most, in all and from one client address (a refused one gets a 503
  // and is closed). Proxies in `unlimited_clients` carry many clients' connections and count
  // only toward the total.
  int max_connections = 10000;
  // A streamed response (Response::stream) writes its heartbeat after this long without
  // writing anything; keep it under the idle timeouts of the proxies in front.
  int stream_heartbeat_seconds = 20;
  // Bytes a streamed response may have waiting for a client that does not read; past it the
  // stream is cut off (the client reconnects and resumes).
  size_t max_stream_backlog_bytes = 1024 * 1024;
  int max_connections_per_client = 256;
  std::vector<std::string> unlimited_clients;
};

class Server {
 public:
  // Binds at once (so a port conflict is reported before anything else starts).
  static Result<std::unique_ptr<Server>> Bind(const ServerOptions& options, Handler handler);
  ~Server();
  // The port actually bound (useful with port 0).
  unsigned short port() const;
  // Serves until Stop() or SIGINT/SIGTERM; returns then.
  void Run();
  // Ends open streams (their `closed` runs), stops accepting and stops the network threads.
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chamado::http
