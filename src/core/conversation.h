// Live conversations (issue 13): a customer talking with the desk in real time, through the
// web chat widget (channel chat) or, later, another channel such as WhatsApp (an external id
// names the other side there). Pure rules: which status a conversation moves to on a message,
// who may accept, transfer or close it, and the per-agent limit. The store keeps the rows and
// the messages (store/conversations.h); the hours and the clocks are sla/live_chat.h's.
//
// The life of a conversation:
//   bot                  the chatbot talks (a flow is in effect); nobody at the desk is asked
//   waiting              handed off: queued for an agent (or a group)
//   active               an agent has it and the customer spoke last (the desk owes an answer)
//   waiting_on_customer  the agent answered; the customer's next message makes it active again
//   closed               by the agent, the customer, the auto-close, or a conversion to a ticket
// An agent's message stops the bot: a conversation in bot or waiting becomes the agent's.
//
// Instants are UTC. Values only; no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

// DO NOT CHANGE THESE NAMES: they are stored (conversations.status) and are the API's.
enum class ConversationStatus { kBot, kWaiting, kActive, kWaitingOnCustomer, kClosed };
std::string_view Name(ConversationStatus s);
std::optional<ConversationStatus> ParseConversationStatus(std::string_view s);

// DO NOT CHANGE THESE NAMES: stored (conversation_messages.author) and the API's.
enum class ConversationAuthor { kCustomer, kAgent, kBot, kSystem };
std::string_view Name(ConversationAuthor a);
std::optional<ConversationAuthor> ParseConversationAuthor(std::string_view s);

// DO NOT CHANGE THESE NAMES: stored (conversations.close_reason) and the API's.
enum class CloseReason { kAgent, kCustomer, kAutoClose, kConverted, kBot };
std::string_view Name(CloseReason r);

struct Conversation {
  Id id = 0;
  std::string public_id;            // the chat id the customer sees and quotes: "CH-7K3M9Q2P"
  Channel channel = Channel::kChat;  // chat (the web widget), whatsapp, ...
  std::string external_id;          // the channel's id of the customer (a WhatsApp number); empty for the widget
  std::optional<Id> organization_id;
  std::optional<Id> contact_id;     // the customer (a user); none: an anonymous visitor
  std::string email;                // an anonymous visitor's address, once given
  std::string language;             // a desk language
  std::string subject;              // the customer's first words, for the queue and the ticket
  ConversationStatus status = ConversationStatus::kBot;
  std::optional<Id> bot_session_id;
  std::optional<Id> agent_id;
  std::optional<Id> group_id;
  std::optional<Id> ticket_number;  // the one ticket this conversation became or was linked to
  int64_t last_seq = 0;             // the newest message's sequence number (1, 2, ...)
  int64_t customer_read_seq = 0;    // read marks: the newest message each side has seen
  int64_t agent_read_seq = 0;
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> handed_off_at;  // entered waiting for the first time: the SLA clocks start
  std::optional<Instant> accepted_at;
  std::optional<Instant> closed_at;
  std::optional<CloseReason> close_reason;
  bool escalated = false;  // an SLA clock breached (sla/live_chat.h)
};

inline bool IsOpen(const Conversation& c) { return c.status != ConversationStatus::kClosed; }
// Whether the desk holds it (an agent accepted it and it is not over): counts against the limit.
inline bool HeldByAgent(const Conversation& c) {
  return c.status == ConversationStatus::kActive || c.status == ConversationStatus::kWaitingOnCustomer;
}

// The customer wrote: a held conversation becomes active (the desk owes the answer); bot and
// waiting stay as they are. Refused on a closed conversation.
Result<Conversation> CustomerWrote(Conversation c, Instant now);

// The bot handed the conversation to people (its person node, in hours).
Result<Conversation> HandedOff(Conversation c, Instant now);

// Agent `agent` accepts a waiting conversation; `held`: how many conversations the agent holds
// now, `limit`: how many one agent may hold at once (0: no limit).
Result<Conversation> Accept(Conversation c, Id agent, int held, int limit, Instant now);

// Agent `agent` wrote. It stops the bot: a conversation in bot or waiting becomes the agent's
// (held and limit as for Accept), a held one waits on the customer. Another agent's message
// on a held conversation is refused (transfer it first).
Result<Conversation> AgentWrote(Conversation c, Id agent, int held, int limit, Instant now);

// Passes a conversation on: to an agent (who holds it at once; `held`, `limit` are theirs) or
// to a group (back to waiting, for any of its agents). Exactly one of the two is given.
Result<Conversation> Transfer(Conversation c, std::optional<Id> to_agent, std::optional<Id> to_group, int held,
                              int limit, Instant now);

Result<Conversation> Close(Conversation c, CloseReason reason, Instant now);

// A read mark: the newest message `seq` the customer (or the desk) has seen. Marks never go
// back, nor past the last message.
Result<Conversation> MarkRead(Conversation c, bool by_customer, int64_t seq);

// A signed-in customer's chat identity, as the host site signs it (docs/chat.md):
// "<organization id>:<expiry, Unix seconds>:<email>:<signature>", the signature being the
// HMAC-SHA256 of "<organization id>:<expiry>:<email>" under the organization's chat secret,
// base64url without padding. Parsing checks the shape only; the store checks the signature.
struct ChatIdentity {
  Id organization = 0;
  int64_t expires = 0;     // Unix seconds
  std::string email;       // as signed
  std::string signed_part;  // what the signature covers
  std::string signature;
};
Result<ChatIdentity> ParseChatIdentity(std::string_view token);

// "CH-" and 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L), from random bits.
std::string PublicConversationId(uint64_t random_bits);
bool LooksLikePublicConversationId(std::string_view s);

}  // namespace chamado::core
