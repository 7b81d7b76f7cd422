// An LMTP listener (RFC 2033) so an MTA (Postfix's lmtp transport, Exim's lmtp) delivers
// straight into the desk. Each delivered mail is handed to `deliver` once, whatever the
// number of recipients, and each recipient gets its answer. Written by hand: Debian has
// LMTP clients, not a server library; the protocol is a dozen commands.
//
// One thread per connection (MTAs open few), at most `max_connections`; commands and data
// time out after `timeout`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "core/result.h"

namespace chamado::mail {

struct LmtpReply {
  int code = 250;            // 250, 451 (try again), 550/552/554 (refused)
  std::string enhanced;      // "2.0.0"
  std::string text;
};

struct LmtpOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 2424;
  std::string hostname = "chamado";
  size_t max_message_bytes = 30 * 1024 * 1024;
  int max_connections = 32;
  std::chrono::seconds timeout{300};
};

class LmtpServer {
 public:
  using Deliver = std::function<LmtpReply(std::string raw, std::string envelope_sender)>;
  // Binds at once (a port conflict is reported before anything else starts) and serves on
  // its own thread until Stop().
  static Result<std::unique_ptr<LmtpServer>> Start(const LmtpOptions& options, Deliver deliver);
  ~LmtpServer();
  unsigned short port() const;
  void Stop();

 private:
  struct Impl;
  explicit LmtpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chamado::mail
