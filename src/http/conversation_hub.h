// Live conversations' frames for the WebSockets that watch them (api_conversations.cc): after
// a command commits, its messages and the conversation's new state are published here as
// ready JSON frames, with the message's sequence number, and every socket joined to that
// conversation gets them in publishing order. Typing indicators and read marks pass through
// too, never stored. In this process: other instances on the same PostgreSQL database are
// told through the store's bus and publish to their own hubs (Api::Impl::TellInstances,
// docs/chat.md). Thread-safe; a delivery must not block nor call the hub.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.h"

namespace chamado::http {

struct ChatFrame {
  int64_t seq = 0;      // a message's sequence number; 0: not a message (state, typing, read)
  std::string json;     // the frame as sent
  uint64_t origin = 0;  // the joined socket it came from, which does not get it back; 0: none
};

class ConversationHub {
 public:
  using Deliver = std::function<void(const ChatFrame&)>;
  // Returns the joiner's id (never 0).
  uint64_t Join(core::Id conversation, Deliver deliver);
  void Leave(core::Id conversation, uint64_t id);
  void Publish(core::Id conversation, const std::vector<ChatFrame>& frames);
  size_t Watching(core::Id conversation) const;

 private:
  mutable std::mutex mu_;
  uint64_t next_ = 0;                                                              // GUARDED_BY(mu_)
  std::unordered_map<core::Id, std::vector<std::pair<uint64_t, Deliver>>> joined_;  // GUARDED_BY(mu_)
  // One publication at a time, so every socket gets frames in the same order.
  std::mutex publish_mu_;
};

}  // namespace chamado::http
