// Word between the instances that share one PostgreSQL database (LISTEN/NOTIFY).
//
// A Bus holds one connection of its own, listening on a fixed set of channels, and a thread
// that hands every notification to `heard`. Instances use it to tell each other what no
// table read would tell them in time: that new ticket events were committed (the events
// table's trigger notifies `chamado_events`, so the live feed reads them at once instead of
// at its next poll), and the live chat's frames (typing, read marks, new messages) for the
// sockets connected to another instance.
//
// Notifications are a hint, never the record: one lost while the connection is down is made
// up for by what the tables hold (the live feed reads on; a chat client catches up on
// reconnect). After the connection comes back, `heard` is called with an empty channel so
// listeners can catch up. NOTIFY is delivered at commit, in commit order, to every listener,
// this instance's own too. PgBouncer in transaction mode does not carry LISTEN: give the bus
// a direct URL then (StoreOptions::listen_url).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"

namespace chamado::store {

class Bus {
 public:
  // Runs on the bus's thread, one notification at a time; must not block for long nor call
  // the bus's destructor. `channel` empty: the connection was re-established (catch up).
  using Heard = std::function<void(std::string_view channel, std::string_view payload)>;

  // Connects to `url` (a postgresql:// URL; Chamado's own parameters are ignored), listens on
  // `channels` and starts the thread. Fails when the first connection fails; later breaks
  // are retried (1 s, doubling up to 30 s) and logged.
  static Result<std::unique_ptr<Bus>> Start(const std::string& url, std::vector<std::string> channels, Heard heard);
  ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // Sends `payload` (at most kMaxPayload bytes) on `channel` at once, outside any transaction.
  // Unavailable while the connection is down: the caller goes on without it.
  Result<void> Say(std::string_view channel, std::string_view payload);
  static constexpr size_t kMaxPayload = 7900;  // PostgreSQL refuses 8000 bytes and more

  // Whether the listening connection is up now.
  bool Listening() const;

 private:
  struct Impl;
  explicit Bus(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chamado::store
