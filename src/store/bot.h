// The chatbot's units of work (issue 12): applying a flow (a new version, also for a
// rollback), and the turns of a conversation. The decisions are bot::Start and bot::Step
// (bot/conversation.h); these gather their facts (the customer's plan and time zone, the
// policy's calendars), save the turns, open the ticket with the transcript, count what
// answered the question. Each runs inside one store transaction (Store::Write).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/conversation.h"
#include "bot/flow.h"
#include "core/secrets.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// Makes `flow` the one in effect as a new version; `restored_from`: a rollback to it.
Result<int64_t> ApplyBotFlowCommand(Repo& repo, const bot::Flow& flow, std::optional<core::Id> actor,
                                    std::optional<int64_t> restored_from, Instant now);

// Bounds of a conversation.
inline constexpr size_t kMaxBotTextBytes = 2000;      // one message of the customer
inline constexpr int kMaxBotTurns = 200;              // turns of one session, the bot's and the customer's
inline constexpr std::chrono::minutes kBotIdleExpiry{30};  // a session without a turn for this long is over

struct BotReply {
  BotSession session;
  std::vector<BotTurn> turns;  // the turns this command added
};

// Starts a conversation on flow `version` (already read and checked): the bot's first turn.
// `customer`: the signed-in customer, none for an anonymous visitor.
Result<BotReply> StartBotSessionCommand(Repo& repo, const sla::Policy& policy, int64_t version, const bot::Flow& flow,
                                        const std::optional<core::User>& customer, std::string_view language,
                                        std::string_view token_hash, Instant now);

// What the customer sent, and the bot's answer. `found`: the articles for `input.text` when
// the session waits for the words of a search (the caller searched, outside the
// transaction); `seen_turns`: the session's turn count when they were found, so a search
// answers the turn it was made for (Conflict otherwise). Refused when the session expired,
// is at its bound of turns, or the text is too long.
Result<BotReply> BotMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const bot::Flow& flow,
                                   core::Id session_id, int seen_turns, const bot::Input& input,
                                   std::vector<bot::ArticleLink> found, Instant now);

// The conversation as a ticket's first message: one line per turn, "Assistant: ..." and
// "Customer: ..." (the speakers named in `language`), the articles shown listed under the
// bot's text.
std::string TranscriptText(const std::vector<BotTurn>& turns, std::string_view language);

// Whether the session idled past kBotIdleExpiry while still open to the bot.
bool BotSessionExpired(const BotSession& s, Instant now);

}  // namespace chamado::store
