// The conversations aggregate of the repository (issue 13): live conversations
// (conversations), their messages with per-conversation sequence numbers
// (conversation_messages), the files sent in them (conversation_attachments) and their status
// history (conversation_statuses). V025. core/conversation.h has the rules, sla/live_chat.h
// the clocks; store/conversations.h carries the commands out.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/conversation.h"
#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

struct ConversationMessage {
  int64_t seq = 0;
  core::ConversationAuthor author = core::ConversationAuthor::kCustomer;
  std::optional<core::Id> author_id;  // the agent (or the signed-in customer); none for the bot and the system
  std::string body;                   // plain text, secrets masked
  bool masked = false;
  std::string extra = "{}";           // JSON: the bot's options and articles, a system notice's kind
  std::string client_id;              // the sender's id for it; empty: none
  Instant at{};
  std::vector<core::Attachment> attachments;
};

// One row of the agents' queue: the conversation and what the list shows beside it.
struct ConversationListed {
  core::Conversation conversation;
  std::string contact_name;  // empty for an anonymous visitor
  std::string contact_email;
  std::string organization_name;
  std::string agent_name;
};

class ConversationRepo {
 public:
  explicit ConversationRepo(Connection& c) : c_(c) {}

  Result<core::Conversation> InsertConversation(core::Conversation c);
  Result<void> UpdateConversation(const core::Conversation& c);
  Result<std::optional<core::Conversation>> GetConversation(core::Id id);
  Result<std::optional<core::Conversation>> ConversationByPublicId(std::string_view public_id);
  Result<std::optional<core::Conversation>> ConversationOfBotSession(core::Id bot_session_id);
  Result<std::optional<core::Conversation>> ConversationOfTicket(core::Id ticket_number);
  // The open conversation of a channel's customer (WhatsApp: their number); at most one.
  Result<std::optional<core::Conversation>> OpenConversationOf(core::Channel channel, std::string_view external_id);
  // The widget's visitor proves it holds the conversation with its token.
  Result<std::string> ConversationTokenHash(core::Id id);
  Result<void> SetConversationToken(core::Id id, std::string_view token_hash);

  // Open conversations (statuses given; all open ones when empty), the oldest hand-off first,
  // then the newest without one.
  Result<std::vector<ConversationListed>> ListConversations(const std::vector<core::ConversationStatus>& statuses,
                                                            std::optional<core::Id> agent, int limit);
  // How many conversations `agent` holds (active or waiting on the customer).
  Result<int> HeldBy(core::Id agent);

  // Stores `m` and its files, which get their ids.
  Result<void> InsertConversationMessage(core::Id conversation, ConversationMessage& m);
  Result<std::optional<ConversationMessage>> MessageByClientId(core::Id conversation, std::string_view client_id);
  // Messages with seq above `after`, in order, at most `limit`.
  Result<std::vector<ConversationMessage>> ConversationMessages(core::Id conversation, int64_t after, int limit);
  // A file sent in `conversation`; none when `id` names no file of that conversation.
  Result<std::optional<core::Attachment>> ConversationAttachment(core::Id conversation, core::Id id);

  Result<void> InsertConversationStatus(core::Id conversation, Instant at, core::ConversationStatus status);
  struct StatusRow {
    Instant at;
    core::ConversationStatus status;
  };
  Result<std::vector<StatusRow>> ConversationStatuses(core::Id conversation);

  // An organization's chat identity secret ('' when it has none), and a new one.
  Result<std::string> OrganizationChatSecret(core::Id organization);
  Result<void> SetOrganizationChatSecret(core::Id organization, std::string_view secret);

  // The scheduler's index: conversations with a breach or an auto-close due at or before `now`.
  Result<std::vector<core::Id>> DueConversations(Instant now, int limit);
  Result<std::optional<Instant>> NextConversationFire();
  Result<void> SetConversationFire(core::Id id, std::optional<Instant> next_fire_at, std::optional<Instant> breach_fired_at);
  Result<std::optional<Instant>> ConversationBreachFiredAt(core::Id id);

 private:
  Result<std::optional<core::Conversation>> OneWhere(std::string_view where, std::initializer_list<Param> params);
  Connection& c_;
};

}  // namespace chamado::store
