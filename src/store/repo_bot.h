// The chatbot aggregate of the repository: flow versions (bot_flows: rows are only added, so
// the history stays), conversations (bot_sessions) with their turns (bot_turns), and the
// articles that answered a conversation (bot_deflections). V023.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/conversation.h"
#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

struct StoredFlow {
  int64_t version = 0;
  std::string name;
  std::string source;
  Instant applied_at{};
  std::optional<core::Id> applied_by;
  std::optional<int64_t> restored_from;  // a rollback: the version whose text this is
};

struct BotSession {
  core::Id id = 0;
  std::string token_hash;
  std::optional<core::Id> user_id;  // the signed-in customer; none: anonymous
  int64_t flow_version = 0;
  std::string language;
  bot::State state;
  std::optional<core::Id> ticket_number;
  int turns = 0;
  Instant created_at{};
  Instant updated_at{};  // the last turn
};

struct BotTurn {
  int seq = 0;
  std::string author;  // bot | customer
  std::string text;
  std::vector<bot::Choice> options;
  std::vector<bot::ArticleLink> articles;
  std::optional<core::Id> ticket_number;
  Instant at{};
};

class BotRepo {
 public:
  explicit BotRepo(Connection& c) : c_(c) {}

  Result<std::optional<StoredFlow>> LatestFlow();
  Result<std::optional<StoredFlow>> FlowAt(int64_t version);
  // Every version, newest first, without their sources.
  Result<std::vector<StoredFlow>> FlowHistory();
  Result<int64_t> InsertFlow(const StoredFlow& f);

  Result<BotSession> InsertBotSession(BotSession s);
  Result<std::optional<BotSession>> GetBotSession(core::Id id);
  Result<void> UpdateBotSession(const BotSession& s);
  Result<void> InsertBotTurn(core::Id session, const BotTurn& t);
  Result<std::vector<BotTurn>> BotTurns(core::Id session);

  Result<void> InsertDeflection(std::string_view article_key, core::Id session, Instant at);
  struct Deflections {
    std::string article_key;
    int64_t count = 0;
  };
  // Per article, most first.
  Result<std::vector<Deflections>> DeflectionCounts();

  // Retention: the turns (and the kept question or address) of up to `limit` sessions with
  // no turn since `idle_before` are deleted; the sessions stay, with their counts, outcome
  // and deflections, for the bot's reports. Returns how many sessions lost their transcript.
  Result<int64_t> PruneBotTranscripts(Instant idle_before, int limit);

 private:
  Connection& c_;
};

}  // namespace chamado::store
