// Live conversations' units of work (issue 13). The decisions are core/conversation.h's (what
// a message, an acceptance, a transfer or a close does) and sla/live_chat.h's (the hours, the
// clocks, the auto-close); these gather the facts, store the messages (secrets masked, each
// with its sequence number, before anything acknowledges it), record the status history and
// the audit events, keep the scheduler's due instant, and open the one ticket a conversation
// may become. Each runs inside one store transaction (Store::Write).
//
// The bot (store/bot.h) talks first when a flow is in effect: its turns are the
// conversation's messages too, and its person node hands the conversation off.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/conversation.h"
#include "bot/flow.h"
#include "core/conversation.h"
#include "core/secrets.h"
#include "sla/live_chat.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

inline constexpr size_t kMaxConversationTextBytes = 4000;  // one message
inline constexpr int kMaxConversationMessages = 2000;      // one conversation
inline constexpr size_t kMaxClientIdBytes = 64;

// What a command did: the conversation after it and the messages it stored, in order.
struct ConversationUpdate {
  core::Conversation conversation;
  std::vector<ConversationMessage> added;
  bool duplicate = false;  // the message's client_id was stored before: nothing new was stored
};

// The bot flow a web conversation starts on; none: no flow is in effect.
struct BotFlowAt {
  int64_t version = 0;
  const bot::Flow* flow = nullptr;
};

struct StartConversationRequest {
  core::Channel channel = core::Channel::kChat;
  std::string external_id;                 // channels with one (WhatsApp)
  std::optional<core::User> customer;      // signed in (or identified by the host site's token)
  std::string email;                       // an anonymous visitor's address, when known
  std::string language;                    // a desk language
  std::string token_hash;                  // the widget's secret, hashed
  uint64_t random_bits = 0;                // for the public chat id
};

// Starts a conversation: with the bot when `flow` is given (its first turns are the first
// messages), else straight to people when the hours and the plan allow (sla::HandOffAt),
// else with a system message saying when people are back, or that chat is not in the plan,
// and that a ticket can be opened instead.
Result<ConversationUpdate> StartConversationCommand(Repo& repo, const sla::Policy& policy, const std::optional<BotFlowAt>& flow,
                                                    const StartConversationRequest& request, Instant now);

// A chatbot session of the bot API (the portal's assistant, not a live conversation) reached
// its person node: the same customer goes on with people in a live conversation that carries
// the bot's turns as its first messages, handed off as the widget's would be (the hours and the
// plan decide; otherwise the notice says when people are back and offers a ticket).
// `token_hash`: the conversation's token for its holder. A session that already has its
// conversation gets that one, with the new token. Nullopt: the session does not wait for a person.
Result<std::optional<ConversationUpdate>> ContinueBotSessionLiveCommand(Repo& repo, const sla::Policy& policy, core::Id bot_session,
                                                                        std::string_view token_hash, uint64_t random_bits,
                                                                        Instant now);

struct CustomerInput {
  std::optional<std::string> option;  // one of the bot's options
  std::optional<std::string> text;
  std::string client_id;              // the widget's id for the message: a resend is recognized
  std::vector<core::Attachment> attachments;  // already stored blobs
};

// The customer's message. With the bot it is the bot's turn too (store::BotMessageCommand:
// `found` are the articles searched for it, outside the transaction); its hand-off moves the
// conversation to waiting, a ticket it opens is the conversation's ticket. The customer's first
// words are the conversation's subject; an open ticket of theirs that reads alike is offered.
Result<ConversationUpdate> CustomerMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                  const std::optional<BotFlowAt>& flow, core::Id conversation,
                                                  const CustomerInput& input, std::vector<bot::ArticleLink> found, Instant now);

// An agent's message: it stops the bot and takes a conversation nobody holds (within
// `per_agent_limit`, 0: none).
Result<ConversationUpdate> AgentMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                               const core::User& agent, core::Id conversation, std::string_view text,
                                               std::string_view client_id, std::vector<core::Attachment> attachments,
                                               int per_agent_limit, Instant now);

Result<ConversationUpdate> AcceptConversationCommand(Repo& repo, const sla::Policy& policy, const core::User& agent,
                                                     core::Id conversation, int per_agent_limit, Instant now);

// To an agent (active, staff) or a group.
Result<ConversationUpdate> TransferConversationCommand(Repo& repo, const sla::Policy& policy, const core::User& actor,
                                                       core::Id conversation, std::optional<core::Id> to_agent,
                                                       std::optional<core::Id> to_group, int per_agent_limit, Instant now);

// Closes the conversation. A customer leaving while the desk owes them an answer (handed off,
// not yet accepted or they wrote last) and with an address known does not lose their case: it
// becomes the one ticket (ConvertConversationCommand, in their name; the notice says so and
// that the answer comes by mail), closed as converted.
Result<ConversationUpdate> CloseConversationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                    const core::User& actor, core::Id conversation, core::CloseReason reason,
                                                    Instant now);

// A read mark of the customer's side (`by_customer`) or the desk's.
Result<core::Conversation> MarkConversationReadCommand(Repo& repo, core::Id conversation, bool by_customer, int64_t seq);

// An anonymous visitor's address (asked before a ticket can be opened for them).
Result<ConversationUpdate> SetConversationEmailCommand(Repo& repo, core::Id conversation, std::string_view email, Instant now);

struct Converted {
  ConversationUpdate update;
  core::Id ticket_number = 0;
  bool created = false;  // false: the conversation's ticket already existed (converted before, or linked)
};

// The conversation becomes a ticket: the transcript as its first message (the chat id on its
// first line), the files sent in it, channel of the conversation, tag "chat"; the conversation
// is linked to it and closed. Never a second ticket: a conversation converted (or linked to an
// open ticket) before answers with that ticket, and a linked open ticket gets the transcript
// as a message instead. `actor`: the agent, or the customer (out of hours, offered a ticket);
// for an anonymous visitor's conversation, a customer with id 0 (the caller checked the token).
Result<Converted> ConvertConversationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                             const core::User& actor, core::Id conversation, Instant now);

// Links the conversation to one of its customer's open tickets (the one offered as "the same
// subject"), so converting it adds to that ticket instead of opening another.
Result<ConversationUpdate> LinkConversationTicketCommand(Repo& repo, const sla::Policy& policy, const core::User& actor,
                                                         core::Id conversation, core::Id ticket_number, Instant now);

// The customer a host site's signed identity (core::ParseChatIdentity) names: the signature
// checks under the organization's chat secret, it has not expired at `now`, and the address is
// an active contact of that organization. Every failure is the same 400 (field identity), so
// a forger learns nothing of which part was wrong.
Result<core::User> IdentifiedCustomer(Repo& repo, std::string_view identity, Instant now);

// A new chat secret for the organization (the old one stops signing), recorded in the audit
// trail; the secret itself is returned once and kept only in the database.
Result<void> RotateChatSecretCommand(Repo& repo, core::Id organization, std::string_view secret, core::Id actor, Instant now);

// The scheduler: carries out what is due on the conversation at `now` (its auto-close, a
// breach's escalation), then keeps its next due instant.
Result<void> FireConversation(Repo& repo, const sla::Policy& policy, core::Id conversation, Instant now);

// The conversation's clocks now (for the API).
Result<std::vector<sla::Clock>> ConversationClocksNow(Repo& repo, const sla::Policy& policy, const core::Conversation& c,
                                                      Instant now);

// Queues the conversation's transcript as it stands, by mail to its customer (the contact, or
// the address an anonymous visitor gave); the address it goes to. Invalid("email") when
// nobody's address is known.
Result<std::string> MailTranscriptCommand(Repo& repo, core::Id conversation, Instant now);

// The transcript as a ticket's text: "Customer: ...", "Ana: ...", "Assistant: ..." (the
// speakers named in the conversation's language, an agent by their name).
std::string ConversationTranscript(const core::Conversation& c, const std::vector<ConversationMessage>& messages,
                                   const std::vector<std::pair<core::Id, std::string>>& agent_names);

}  // namespace chamado::store
