#include "core/conversation.h"

#include <gtest/gtest.h>

#include <set>

namespace chamado::core {
namespace {

using S = ConversationStatus;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

Conversation In(S status, std::optional<Id> agent = std::nullopt) {
  Conversation c;
  c.public_id = "CH-ABCDEFGH";
  c.status = status;
  c.agent_id = agent;
  return c;
}

TEST(ConversationStatus, NamesRoundTrip) {
  for (auto s : {S::kBot, S::kWaiting, S::kActive, S::kWaitingOnCustomer, S::kClosed})
    EXPECT_EQ(ParseConversationStatus(Name(s)), s);
  EXPECT_EQ(Name(S::kWaitingOnCustomer), "waiting_on_customer");
  EXPECT_FALSE(ParseConversationStatus("open"));
  for (auto a : {ConversationAuthor::kCustomer, ConversationAuthor::kAgent, ConversationAuthor::kBot, ConversationAuthor::kSystem})
    EXPECT_EQ(ParseConversationAuthor(Name(a)), a);
}

// Who writes moves the conversation: one row per status and writer.
TEST(ConversationMessages, StatusAfterAMessage) {
  const Instant now = At("2026-11-30T12:00:00Z");
  struct Case {
    S before;
    std::optional<Id> agent;
    const char* writer;  // "customer" or "agent 7"
    std::optional<S> after;  // nullopt: refused
  };
  const Case cases[] = {
      {S::kBot, {}, "customer", S::kBot},
      {S::kWaiting, {}, "customer", S::kWaiting},
      {S::kActive, 7, "customer", S::kActive},
      {S::kWaitingOnCustomer, 7, "customer", S::kActive},
      {S::kClosed, 7, "customer", std::nullopt},
      // An agent's reply stops the bot and takes the conversation.
      {S::kBot, {}, "agent 7", S::kWaitingOnCustomer},
      {S::kWaiting, {}, "agent 7", S::kWaitingOnCustomer},
      {S::kActive, 7, "agent 7", S::kWaitingOnCustomer},
      {S::kWaitingOnCustomer, 7, "agent 7", S::kWaitingOnCustomer},
      {S::kActive, 8, "agent 7", std::nullopt},  // held by another agent
      {S::kClosed, 7, "agent 7", std::nullopt},
  };
  for (const auto& c : cases) {
    const Conversation before = In(c.before, c.agent);
    const bool by_customer = std::string_view(c.writer) == "customer";
    auto after = by_customer ? CustomerWrote(before, now) : AgentWrote(before, 7, 0, 3, now);
    const std::string label = std::string(Name(c.before)) + " + " + c.writer;
    if (!c.after) {
      ASSERT_FALSE(after.ok()) << label;
      EXPECT_EQ(after.error().code, ErrorCode::kConflict) << label;
      continue;
    }
    ASSERT_TRUE(after.ok()) << label << ": " << after.error().message;
    EXPECT_EQ(after->status, *c.after) << label;
    if (!by_customer) {
      EXPECT_EQ(after->agent_id, Id(7)) << label;
      EXPECT_TRUE(after->handed_off_at || c.before == S::kActive || c.before == S::kWaitingOnCustomer) << label;
    }
  }
}

TEST(ConversationAccept, WaitingOnlyAndTheLimit) {
  const Instant now = At("2026-11-30T12:00:00Z");
  auto ok = Accept(In(S::kWaiting), 7, 2, 3, now);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, S::kActive);
  EXPECT_EQ(ok->agent_id, Id(7));
  EXPECT_EQ(ok->accepted_at, now);
  // At the limit: refused, saying the limit; 0 means none.
  auto full = Accept(In(S::kWaiting), 7, 3, 3, now);
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.error().message.find("(3)"), std::string::npos) << full.error().message;
  EXPECT_TRUE(Accept(In(S::kWaiting), 7, 50, 0, now).ok());
  // Accepting one's own again is the same acceptance; another's is refused.
  EXPECT_TRUE(Accept(In(S::kActive, 7), 7, 3, 3, now).ok());
  EXPECT_FALSE(Accept(In(S::kActive, 8), 7, 0, 3, now).ok());
  EXPECT_FALSE(Accept(In(S::kBot), 7, 0, 3, now).ok());
  EXPECT_FALSE(Accept(In(S::kClosed), 7, 0, 3, now).ok());
  // The limit holds when an agent's message takes a waiting conversation too.
  EXPECT_FALSE(AgentWrote(In(S::kWaiting), 7, 3, 3, now).ok());
}

TEST(ConversationRefusals, AreSaidInTheReadersLanguage) {
  const Instant now = At("2026-11-30T12:00:00Z");
  auto full = Accept(In(S::kWaiting), 7, 3, 3, now);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_EQ(full.error().message, "You hold 3 conversation(s), the most one agent may hold at once (3); close or transfer one first.");
  EXPECT_EQ(full.error().MessageIn("pt-BR"),
            "Você está com 3 conversa(s), o máximo que um agente pode ter ao mesmo tempo (3); encerre ou transfira uma antes.");
  auto taken = Accept(In(S::kActive, 8), 7, 0, 3, now);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().message, "Conversation CH-ABCDEFGH is active, with another agent; only a waiting conversation is accepted.");
  EXPECT_EQ(taken.error().MessageIn("de"),
            "Die Unterhaltung CH-ABCDEFGH ist im Status active bei einem anderen Mitarbeiter; nur eine wartende Unterhaltung kann "
            "angenommen werden.");
  auto bot = Accept(In(S::kBot), 7, 0, 3, now);
  ASSERT_FALSE(bot.ok());
  EXPECT_EQ(bot.error().message, "Conversation CH-ABCDEFGH is bot; only a waiting conversation is accepted.");
  auto neither = Transfer(In(S::kActive, 7), std::nullopt, std::nullopt, 0, 3, now);
  ASSERT_FALSE(neither.ok());
  ASSERT_EQ(neither.error().fields.size(), 1u);
  EXPECT_EQ(neither.error().fields[0].field, "to");
  EXPECT_EQ(neither.error().fields[0].MessageIn("ru"), "Передайте агенту (agent_id) или группе (group_id) — что-то одно.");
  auto closed = Close(In(S::kClosed), CloseReason::kAgent, now);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().MessageIn("es"), "La conversación CH-ABCDEFGH está cerrada; el cliente puede iniciar una nueva.");
}

TEST(ConversationTransfer, ToAnAgentOrAGroup) {
  const Instant now = At("2026-11-30T12:00:00Z");
  auto to_agent = Transfer(In(S::kWaitingOnCustomer, 7), 8, std::nullopt, 0, 3, now);
  ASSERT_TRUE(to_agent.ok());
  EXPECT_EQ(to_agent->agent_id, Id(8));
  EXPECT_EQ(to_agent->status, S::kWaitingOnCustomer);
  auto waiting_to_agent = Transfer(In(S::kWaiting), 8, std::nullopt, 0, 3, now);
  ASSERT_TRUE(waiting_to_agent.ok());
  EXPECT_EQ(waiting_to_agent->status, S::kActive);
  auto to_group = Transfer(In(S::kActive, 7), std::nullopt, 4, 0, 0, now);
  ASSERT_TRUE(to_group.ok());
  EXPECT_EQ(to_group->status, S::kWaiting);
  EXPECT_EQ(to_group->group_id, Id(4));
  EXPECT_FALSE(to_group->agent_id);
  // Refused: both or neither, the same agent, a full agent, the bot's, a closed one.
  EXPECT_FALSE(Transfer(In(S::kActive, 7), 8, 4, 0, 3, now).ok());
  EXPECT_FALSE(Transfer(In(S::kActive, 7), std::nullopt, std::nullopt, 0, 3, now).ok());
  EXPECT_FALSE(Transfer(In(S::kActive, 7), 7, std::nullopt, 0, 3, now).ok());
  EXPECT_FALSE(Transfer(In(S::kActive, 7), 8, std::nullopt, 3, 3, now).ok());
  EXPECT_FALSE(Transfer(In(S::kBot), 8, std::nullopt, 0, 3, now).ok());
  EXPECT_FALSE(Transfer(In(S::kClosed), 8, std::nullopt, 0, 3, now).ok());
}

TEST(ConversationClose, OnceWithItsReason) {
  const Instant now = At("2026-11-30T12:00:00Z");
  auto closed = Close(In(S::kWaitingOnCustomer, 7), CloseReason::kAutoClose, now);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, S::kClosed);
  EXPECT_EQ(closed->close_reason, CloseReason::kAutoClose);
  EXPECT_EQ(closed->closed_at, now);
  EXPECT_FALSE(Close(*closed, CloseReason::kAgent, now).ok());
  EXPECT_FALSE(HandedOff(In(S::kWaiting), now).ok());
  auto handed = HandedOff(In(S::kBot), now);
  ASSERT_TRUE(handed.ok());
  EXPECT_EQ(handed->status, S::kWaiting);
  EXPECT_EQ(handed->handed_off_at, now);
}

TEST(ConversationReadMarks, NeverBackNorPastTheLast) {
  Conversation c = In(S::kActive, 7);
  c.last_seq = 5;
  auto r = MarkRead(c, true, 4);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->customer_read_seq, 4);
  EXPECT_EQ(r->agent_read_seq, 0);
  auto back = MarkRead(*r, true, 2);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->customer_read_seq, 4);
  EXPECT_FALSE(MarkRead(c, false, 6).ok());
  EXPECT_FALSE(MarkRead(c, false, -1).ok());
}

TEST(PublicConversationId, ShapeAndSpread) {
  std::set<std::string> seen;
  for (uint64_t bits : {uint64_t{0}, uint64_t{1}, uint64_t{0xFFFFFFFFFF}, uint64_t{123456789}, ~uint64_t{0}}) {
    const std::string id = PublicConversationId(bits);
    EXPECT_TRUE(LooksLikePublicConversationId(id)) << id;
    EXPECT_EQ(id.size(), 11u);
    EXPECT_EQ(id.find_first_of("01ILO", 3), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_FALSE(LooksLikePublicConversationId("CH-ABCDEFG"));
  EXPECT_FALSE(LooksLikePublicConversationId("CH-ABCDEF0H"));
  EXPECT_FALSE(LooksLikePublicConversationId("XX-ABCDEFGH"));
}

TEST(ChatIdentity, Shape) {
  auto ok = ParseChatIdentity("12:1764500000:rosa@agencia.test:c2lnbmF0dXJl");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->organization, Id(12));
  EXPECT_EQ(ok->expires, 1764500000);
  EXPECT_EQ(ok->email, "rosa@agencia.test");
  EXPECT_EQ(ok->signed_part, "12:1764500000:rosa@agencia.test");
  EXPECT_EQ(ok->signature, "c2lnbmF0dXJl");
  for (const char* bad : {"", "12:1764500000:rosa@agencia.test", "x:1:a@b.c:sig", "12:soon:a@b.c:sig", "0:1:a@b.c:sig",
                          "12:1::sig", "12:1:a@b.c:"}) {
    auto r = ParseChatIdentity(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "identity") << bad;
  }
}

}  // namespace
}  // namespace chamado::core
