// The WhatsApp channel's units of work (issue 13, docs/whatsapp.md). A WhatsApp conversation
// is a live conversation (store/conversations.h) of channel whatsapp whose external id is the
// customer's WhatsApp id: these commands find or start it and then call the same commands the
// web widget's conversations use, and add what only this channel has: Meta's message ids
// (a redelivered message is stored once), the 24-hour window, the messages queued in the
// outbox (kind whatsapp; jobs/whatsapp.h sends them) and their delivery reports.
// Each runs inside one store transaction (Store::Write); nothing here does I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/whatsapp.h"
#include "store/conversations.h"
#include "store/repo.h"

namespace chamado::store {

struct WhatsappInboundRequest {
  core::WhatsappInbound message;
  std::vector<core::Attachment> attachments;  // its file, already fetched and stored as a blob
  std::string fetch_error;                    // the file could not be fetched: why (a system note says so)
  std::string language;                       // a desk language, for a conversation it starts
  uint64_t random_bits = 0;                   // for a new conversation's public id
  // The help-center articles for the text, when the conversation's bot waits for the words of
  // a search (searched outside the transaction, as the widget's are).
  std::vector<bot::ArticleLink> found;
};

// A customer's WhatsApp message: into their open conversation, or a new one (with the bot
// first when `flow` is given: the flow a new conversation starts on, or the one the open
// conversation's bot session runs). The customer's number is not matched to a contact (the
// directory keeps no phone numbers): the conversation is anonymous, named by the WhatsApp
// profile; no organization is guessed. An answer to the bot's numbered options picks the
// option. What the bot and the desk's notices say back is queued to the customer.
// A message id stored before is a duplicate: nothing is stored (duplicate = true).
Result<ConversationUpdate> WhatsappInboundCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                  const std::optional<BotFlowAt>& flow, const WhatsappInboundRequest& request,
                                                  Instant now);

// An agent's message (store::AgentMessageCommand) on any conversation; on a WhatsApp one it is
// refused outside the 24-hour window (409, catalog id whatsapp.window_closed) or with files
// (400, whatsapp.no_files: the desk sends text and templates there) and, once stored, queued
// to the customer.
Result<ConversationUpdate> AgentMessageOverChannelCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                          const core::User& agent, core::Id conversation, std::string_view text,
                                                          std::string_view client_id, std::vector<core::Attachment> attachments,
                                                          int per_agent_limit, Instant now);

// An approved template to a WhatsApp conversation's customer, in or out of the window: stored
// as the agent's message ("Template order_update (pt_BR): 42 · tomorrow") and queued.
Result<ConversationUpdate> WhatsappTemplateCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                   const core::User& agent, core::Id conversation, const core::WhatsappTemplate& t,
                                                   int per_agent_limit, Instant now);

// A delivery report: moves the message's state forward (core::NextDelivery); read becomes the
// conversation's customer read mark. None when the report is about no message of ours.
Result<std::optional<core::Conversation>> WhatsappStatusCommand(Repo& repo, const core::WhatsappStatus& status, Instant now);

// The outbox's outcome for a queued message (payload of kind whatsapp): the Graph API's
// message id once accepted, or the refusal (`error`) when it will not be tried again.
Result<void> WhatsappSentCommand(Repo& repo, std::string_view outbox_payload, std::string_view wamid, Instant now);
Result<void> WhatsappRefusedCommand(Repo& repo, std::string_view outbox_payload, std::string_view error, Instant now);

// What the console shows beside a WhatsApp conversation.
struct WhatsappView {
  std::string number;        // the customer's WhatsApp id
  std::string profile_name;
  std::optional<Instant> window_closes_at;  // none: never opened
  bool window_open = false;
  std::vector<WhatsappMessage> messages;  // the delivery state of each message that crossed
};
Result<std::optional<WhatsappView>> WhatsappViewOf(Repo& repo, const core::Conversation& c, Instant now);

}  // namespace chamado::store
