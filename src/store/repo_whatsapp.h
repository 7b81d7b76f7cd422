// The WhatsApp aggregate of the repository (issue 13): what only the WhatsApp channel keeps
// beside a conversation (whatsapp_chats: the profile name, the customer's last message for
// the 24-hour window) and each message that crossed it by Meta's id (whatsapp_messages:
// redeliveries, delivery reports). V028. core/whatsapp.h has the rules; store/whatsapp.h
// carries the webhook and the replies out.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "core/whatsapp.h"
#include "store/sql.h"

namespace chamado::store {

struct WhatsappChat {
  core::Id conversation_id = 0;
  std::string profile_name;
  std::optional<Instant> last_inbound_at;  // UTC; none: the customer never wrote
};

// A conversation message as it crossed WhatsApp.
struct WhatsappMessage {
  core::Id conversation_id = 0;
  int64_t seq = 0;
  std::string wamid;  // empty while queued
  bool inbound = false;
  core::WhatsappDelivery status = core::WhatsappDelivery::kQueued;
  std::string error;
  Instant updated_at{};
};

class WhatsappRepo {
 public:
  explicit WhatsappRepo(Connection& c) : c_(c) {}

  Result<std::optional<WhatsappChat>> GetWhatsappChat(core::Id conversation);
  // Keeps the profile name (when given) and moves the last inbound instant forward.
  Result<void> UpsertWhatsappChat(const WhatsappChat& chat);

  Result<void> InsertWhatsappMessage(const WhatsappMessage& m);
  Result<std::optional<WhatsappMessage>> WhatsappMessageByWamid(std::string_view wamid);
  Result<void> UpdateWhatsappMessage(const WhatsappMessage& m);
  // The conversation's messages that crossed WhatsApp, in order.
  Result<std::vector<WhatsappMessage>> WhatsappMessagesOf(core::Id conversation);

 private:
  Connection& c_;
};

}  // namespace chamado::store
