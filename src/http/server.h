// The HTTP/1.1 server (Boost.Beast): keep-alive, several network threads, size limits.
// The only part of Chamado that includes Beast or Asio.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

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
  int idle_timeout_seconds = 60;
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
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chamado::http
