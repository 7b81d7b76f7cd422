#include "http/conversation_hub.h"

#include <algorithm>

namespace chamado::http {

uint64_t ConversationHub::Join(core::Id conversation, Deliver deliver) {
  std::lock_guard lock(mu_);
  const uint64_t id = ++next_;
  joined_[conversation].emplace_back(id, std::move(deliver));
  return id;
}

void ConversationHub::Leave(core::Id conversation, uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = joined_.find(conversation);
  if (it == joined_.end()) return;
  std::erase_if(it->second, [id](const auto& j) { return j.first == id; });
  if (it->second.empty()) joined_.erase(it);
}

void ConversationHub::Publish(core::Id conversation, const std::vector<ChatFrame>& frames) {
  std::lock_guard publishing(publish_mu_);
  std::vector<std::pair<uint64_t, Deliver>> targets;
  {
    std::lock_guard lock(mu_);
    if (auto it = joined_.find(conversation); it != joined_.end()) targets = it->second;
  }
  for (const auto& f : frames)
    for (const auto& [id, deliver] : targets)
      if (id != f.origin) deliver(f);
}

size_t ConversationHub::Watching(core::Id conversation) const {
  std::lock_guard lock(mu_);
  auto it = joined_.find(conversation);
  return it == joined_.end() ? 0 : it->second.size();
}

}  // namespace chamado::http
