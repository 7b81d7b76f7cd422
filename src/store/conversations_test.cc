// Live conversations on a real SQLite file: the bot first, the hand-off in the live-chat
// hours only, messages numbered and stored once (a resend is recognized), the per-agent limit,
// the clocks' breach and the auto-close on the scheduler, and one ticket per conversation.
#include "store/conversations.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>

#include "bot/flow.h"
#include "store/bot.h"
#include "store/commands.h"
#include "store/store.h"
#include "store/testing.h"

namespace chamado::store {
namespace {
namespace fs = std::filesystem;
using namespace core;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// People take chats 09:00-17:00 UTC on weekdays; Premium has chat and a 30-minute first
// response; 48 hours waiting on the customer closes a chat. 2026-11-30 is a Monday.
constexpr const char* kPolicy = R"(name = "Live chat"
default_priority = "normal"
[calendars.always]
tz = "UTC"
always_open = true
[calendars.live_chat]
tz = "UTC"
hours = { mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }
[chat]
calendar = "live_chat"
[plans.premium]
name = "Premium"
features = ["chat"]
[plans.basic]
name = "Basic"
[[priorities]]
name = "normal"
description = "Normal"
[[targets]]
target = "first_response"
within = "30m"
calendar = "always"
when = { channel = ["chat"] }
[[escalations]]
targets = ["first_response"]
group = "Escalations"
notify = ["assignee", "group", "requester", "lead@desk.example"]
webhook = "http://127.0.0.1:9/breaches"
[automations.auto_close]
after = "48h"
)";

constexpr const char* kFlow = R"([bot]
name = "Assistant"
default_language = "en"
start = "welcome"
calendar = "live_chat"

[nodes.welcome]
type = "message"
text = "Hello! How can I help?"
options = [
  { label = "Talk to a person", next = "person" },
  { label = "Nothing, thanks", next = "bye" },
]

[nodes.person]
type = "person"
text = "Calling someone."

[nodes.bye]
type = "end"
text = "Bye!"
)";

class ConversationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_conversations_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    auto policy = ParseStoredPolicy(kPolicy, "chat.toml", {});
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *policy, {}, std::nullopt, At("2026-11-01T00:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(store_->ReloadPolicy().ok());
    premium_ = Org("Acme", "premium");
    basic_ = Org("Small", "basic");
    agent_ = Insert("ana@desk.example", Role::kAgent, std::nullopt);
    other_agent_ = Insert("bia@desk.example", Role::kAgent, std::nullopt);
    customer_ = Insert("ze@acme.example", Role::kCustomer, premium_);
    basic_customer_ = Insert("rui@small.example", Role::kCustomer, basic_);
    auto g = store_->WriteSync<Group>([&](Repo& repo) { return repo.InsertGroup({0, "Escalations", "", At("2026-11-01T00:00:00Z")}); });
    ASSERT_TRUE(g.ok()) << g.error().message;
    escalations_ = g->id;
    User lead;
    lead.email = "carla@desk.example";
    lead.name = "Carla";
    lead.role = Role::kAgent;
    lead.group_ids = {escalations_};
    lead.created_at = At("2026-11-01T00:00:00Z");
    ASSERT_TRUE(store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(lead, ""); }).ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Id Org(const std::string& name, const std::string& plan) {
    Organization o;
    o.name = name;
    o.plan = plan;
    o.created_at = At("2026-11-01T00:00:00Z");
    auto r = store_->WriteSync<Organization>([&](Repo& repo) { return repo.InsertOrganization(o); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r->id;
  }

  User Insert(const std::string& email, Role role, std::optional<Id> org) {
    User u;
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.role = role;
    u.organization_id = org;
    u.language = "en";
    u.created_at = At("2026-11-01T00:00:00Z");
    auto r = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(u, ""); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  const sla::Policy& policy() { return *store_->policy(); }

  ConversationUpdate Start(std::optional<User> customer, const char* now, const bot::Flow* flow = nullptr) {
    StartConversationRequest req;
    req.customer = customer;
    req.language = "en";
    req.token_hash = "hash";
    req.random_bits = ++random_;
    std::optional<BotFlowAt> at;
    if (flow) at = BotFlowAt{flow_version_, flow};
    auto r = store_->WriteSync<ConversationUpdate>([&](Repo& repo) { return StartConversationCommand(repo, policy(), at, req, At(now)); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : ConversationUpdate{};
  }

  Result<ConversationUpdate> Customer(Id id, const char* text, const char* now, std::string client_id = "",
                                      const bot::Flow* flow = nullptr, std::optional<std::string> option = std::nullopt) {
    CustomerInput in;
    if (option) in.option = option;
    else in.text = text;
    in.client_id = std::move(client_id);
    std::optional<BotFlowAt> at;
    if (flow) at = BotFlowAt{flow_version_, flow};
    return store_->WriteSync<ConversationUpdate>(
        [&](Repo& repo) { return CustomerMessageCommand(repo, policy(), *masker_, at, id, in, {}, At(now)); });
  }

  Result<ConversationUpdate> Agent(const User& agent, Id id, const char* text, const char* now, int limit = 3,
                                   std::string client_id = "") {
    return store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
      return AgentMessageCommand(repo, policy(), *masker_, agent, id, text, client_id, {}, limit, At(now));
    });
  }

  Result<ConversationUpdate> Accept(const User& agent, Id id, const char* now, int limit = 3) {
    return store_->WriteSync<ConversationUpdate>(
        [&](Repo& repo) { return AcceptConversationCommand(repo, policy(), agent, id, limit, At(now)); });
  }

  std::vector<ConversationMessage> Messages(Id id, int64_t after = 0) {
    auto r = store_->Read<std::vector<ConversationMessage>>([&](Repo& repo) { return repo.ConversationMessages(id, after, 100); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<ConversationMessage>{};
  }

  Conversation Get(Id id) {
    auto r = store_->Read<std::optional<Conversation>>([&](Repo& repo) { return repo.GetConversation(id); });
    EXPECT_TRUE(r.ok() && *r);
    return **r;
  }

  // One scheduler pass over the conversations, as jobs::Scheduler runs it.
  int Pass(const char* now) {
    auto r = store_->WriteSync<int>([&](Repo& repo) -> Result<int> {
      CHAMADO_ASSIGN_OR_RETURN(auto due, repo.DueConversations(At(now), 200));
      for (Id id : due) CHAMADO_TRY(FireConversation(repo, policy(), id, At(now)));
      return int(due.size());
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : -1;
  }

  int TicketCount() {
    auto r = store_->Read<int>([&](Repo& repo) -> Result<int> {
      int n = 0;
      CHAMADO_TRY(repo.conn().Run("SELECT COUNT(*) FROM tickets", {}, [&](const RowView& row) { n = int(row.Int(0)); }));
      return n;
    });
    return r.ok() ? *r : -1;
  }

  std::vector<Message> TicketMessages(Id number) {
    auto r = store_->Read<Paged<Message>>([&](Repo& repo) { return repo.ListMessages(number, true, Page{200, ""}); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->items : std::vector<Message>{};
  }

  bot::Flow Flow() {
    auto f = bot::ParseFlow(kFlow, "bot.toml", &policy());
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyBotFlowCommand(repo, f->flow, std::nullopt, std::nullopt, At("2026-11-01T00:00:00Z")); });
    EXPECT_TRUE(v.ok());
    flow_version_ = *v;
    return f->flow;
  }

  fs::path dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ = *SecretMasker::Make(SecretMasker::Defaults());
  Id premium_ = 0, basic_ = 0, escalations_ = 0;
  User agent_, other_agent_, customer_, basic_customer_;
  uint64_t random_ = 1000;
  int64_t flow_version_ = 0;
};

std::string Extra(const ConversationMessage& m, const char* key) {
  const auto pos = m.extra.find(std::string("\"") + key + "\"");
  return pos == std::string::npos ? "" : m.extra.substr(pos);
}

TEST_F(ConversationsTest, WithoutABotInHoursItGoesToPeopleAndMessagesAreNumbered) {
  auto started = Start(customer_, "2026-11-30T10:00:00Z");
  const Id id = started.conversation.id;
  EXPECT_TRUE(LooksLikePublicConversationId(started.conversation.public_id)) << started.conversation.public_id;
  EXPECT_EQ(started.conversation.status, ConversationStatus::kWaiting);
  EXPECT_EQ(started.conversation.organization_id, premium_);
  ASSERT_EQ(started.added.size(), 1u);
  EXPECT_EQ(started.added[0].author, ConversationAuthor::kSystem);
  EXPECT_NE(Extra(started.added[0], "notice").find("waiting"), std::string::npos);

  auto said = Customer(id, "My webhook stopped. Key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "2026-11-30T10:01:00Z", "c-1");
  ASSERT_TRUE(said.ok()) << said.error().message;
  ASSERT_EQ(said->added.size(), 1u);
  EXPECT_EQ(said->added[0].seq, 2);
  EXPECT_TRUE(said->added[0].masked);
  EXPECT_EQ(said->added[0].body.find("4eC39HqLyjWDarjtT1zdp7dc"), std::string::npos) << said->added[0].body;
  EXPECT_EQ(said->conversation.subject.substr(0, 20), "My webhook stopped. ");

  // The same message sent again after a reconnect: recognized, not stored twice.
  auto again = Customer(id, "My webhook stopped. Key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "2026-11-30T10:01:05Z", "c-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->added[0].seq, 2);
  EXPECT_EQ(Messages(id).size(), 2u);

  ASSERT_TRUE(Accept(agent_, id, "2026-11-30T10:02:00Z").ok());
  auto reply = Agent(agent_, id, "Looking at it now.", "2026-11-30T10:03:00Z");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->conversation.status, ConversationStatus::kWaitingOnCustomer);
  auto back = Customer(id, "Thanks", "2026-11-30T10:04:00Z");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->conversation.status, ConversationStatus::kActive);

  // Read after a sequence number: only what came later, in order.
  auto later = Messages(id, 2);
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[0].seq, 3);
  EXPECT_EQ(later[0].author, ConversationAuthor::kSystem);  // "ana joined"
  EXPECT_EQ(later[1].author, ConversationAuthor::kAgent);
  EXPECT_EQ(later[2].body, "Thanks");

  // Another agent may not write in it; a second acceptance by them is refused.
  EXPECT_FALSE(Agent(other_agent_, id, "Hi", "2026-11-30T10:05:00Z").ok());
  EXPECT_FALSE(Accept(other_agent_, id, "2026-11-30T10:05:00Z").ok());
}

TEST_F(ConversationsTest, OutOfHoursSaysWhenPeopleAreBackAndHandsOffWhenTheyAre) {
  auto started = Start(customer_, "2026-11-30T18:30:00Z");
  EXPECT_EQ(started.conversation.status, ConversationStatus::kBot);
  ASSERT_EQ(started.added.size(), 1u);
  EXPECT_NE(Extra(started.added[0], "back_at").find("2026-12-01T09:00:00Z"), std::string::npos) << started.added[0].extra;
  EXPECT_NE(started.added[0].body.find("back on 2026-12-01 09:00 (UTC)"), std::string::npos) << started.added[0].body;
  EXPECT_FALSE(started.conversation.handed_off_at);
  // Written again the next morning, in hours: handed off.
  auto morning = Customer(started.conversation.id, "Still there?", "2026-12-01T09:05:00Z");
  ASSERT_TRUE(morning.ok()) << morning.error().message;
  EXPECT_EQ(morning->conversation.status, ConversationStatus::kWaiting);
  EXPECT_EQ(morning->conversation.handed_off_at, At("2026-12-01T09:05:00Z"));
}

TEST_F(ConversationsTest, APlanWithoutChatIsOfferedATicket) {
  auto started = Start(basic_customer_, "2026-11-30T10:00:00Z");
  EXPECT_EQ(started.conversation.status, ConversationStatus::kBot);
  ASSERT_EQ(started.added.size(), 1u);
  EXPECT_NE(Extra(started.added[0], "notice").find("no_chat"), std::string::npos);
  EXPECT_NE(Extra(started.added[0], "offer_ticket").find("true"), std::string::npos);
  auto anonymous = Start(std::nullopt, "2026-11-30T10:00:00Z");
  EXPECT_EQ(anonymous.conversation.status, ConversationStatus::kBot);
}

TEST_F(ConversationsTest, TheBotTalksFirstAndItsPersonNodeHandsOff) {
  const bot::Flow flow = Flow();
  auto started = Start(customer_, "2026-11-30T10:00:00Z", &flow);
  const Id id = started.conversation.id;
  EXPECT_EQ(started.conversation.status, ConversationStatus::kBot);
  EXPECT_TRUE(started.conversation.bot_session_id);
  ASSERT_EQ(started.added.size(), 1u);
  EXPECT_EQ(started.added[0].author, ConversationAuthor::kBot);
  EXPECT_NE(Extra(started.added[0], "options").find("Talk to a person"), std::string::npos);
  auto person = Customer(id, "", "2026-11-30T10:01:00Z", "c-1", &flow, "1");
  ASSERT_TRUE(person.ok()) << person.error().message;
  EXPECT_EQ(person->conversation.status, ConversationStatus::kWaiting);
  ASSERT_EQ(person->added.size(), 2u);
  EXPECT_EQ(person->added[0].author, ConversationAuthor::kCustomer);
  EXPECT_EQ(person->added[0].body, "Talk to a person");
  EXPECT_EQ(person->added[1].author, ConversationAuthor::kBot);
  // From here on the bot says nothing: the customer's words wait for the agent.
  auto words = Customer(id, "Hello?", "2026-11-30T10:02:00Z", "c-2", &flow);
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->added.size(), 1u);
}

// The portal's assistant (the bot API, no live conversation) reaching its person node: the
// customer goes on with people in a live conversation carrying the bot's turns; asking again
// finds the same one.
TEST_F(ConversationsTest, APortalBotSessionHandedToAPersonContinuesAsALiveConversation) {
  const bot::Flow flow = Flow();
  const Instant t0 = At("2026-11-30T10:00:00Z");
  auto started = store_->WriteSync<BotReply>(
      [&](Repo& repo) { return StartBotSessionCommand(repo, policy(), flow_version_, flow, customer_, "en", "bot-hash", t0); });
  ASSERT_TRUE(started.ok()) << started.error().message;
  const Id session = started->session.id;
  auto live = [&](const char* now) {
    return store_->WriteSync<std::optional<ConversationUpdate>>(
        [&](Repo& repo) { return ContinueBotSessionLiveCommand(repo, policy(), session, "live-hash", 77, At(now)); });
  };
  auto not_yet = live("2026-11-30T10:00:30Z");
  ASSERT_TRUE(not_yet.ok()) << not_yet.error().message;
  EXPECT_FALSE(*not_yet) << "the bot still talks";

  auto person = store_->WriteSync<BotReply>([&](Repo& repo) {
    return BotMessageCommand(repo, policy(), *masker_, flow, session, started->session.turns, bot::Input{"1", std::nullopt}, {},
                             At("2026-11-30T10:01:00Z"));
  });
  ASSERT_TRUE(person.ok()) << person.error().message;
  ASSERT_EQ(person->session.state.status, bot::Status::kWaitingForAgent);
  auto handed = live("2026-11-30T10:01:00Z");
  ASSERT_TRUE(handed.ok()) << handed.error().message;
  ASSERT_TRUE(*handed);
  const Conversation& c = (*handed)->conversation;
  EXPECT_EQ(c.status, ConversationStatus::kWaiting);
  EXPECT_EQ(c.contact_id, customer_.id);
  EXPECT_EQ(c.organization_id, premium_);
  EXPECT_EQ(c.bot_session_id, session);
  EXPECT_EQ(c.subject, "Talk to a person");
  auto messages = Messages(c.id);
  ASSERT_EQ(messages.size(), 4u);  // the bot's greeting, the customer's choice, the bot's answer, the desk's notice
  EXPECT_EQ(messages[0].author, ConversationAuthor::kBot);
  EXPECT_EQ(messages[1].author, ConversationAuthor::kCustomer);
  EXPECT_EQ(messages[1].body, "Talk to a person");
  EXPECT_EQ(messages[3].author, ConversationAuthor::kSystem);
  auto token = store_->Read<std::string>([&](Repo& repo) { return repo.ConversationTokenHash(c.id); });
  EXPECT_EQ(*token, "live-hash");

  auto again = live("2026-11-30T10:02:00Z");
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ((*again)->conversation.id, c.id);
  EXPECT_EQ(Messages(c.id).size(), 4u);
}

// A chat left with the bot past its idle expiry is not refused: the bot starts over in the same
// conversation, the customer's words kept, and the conversation goes on from there.
TEST_F(ConversationsTest, ACustomerBackAfterTheBotsIdleExpiryFindsTheBotAgain) {
  const bot::Flow flow = Flow();
  auto started = Start(customer_, "2026-11-30T10:00:00Z", &flow);
  const Id id = started.conversation.id;
  const Id first_session = *started.conversation.bot_session_id;
  auto back = Customer(id, "Still there?", "2026-11-30T11:00:00Z", "c-1", &flow);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->conversation.status, ConversationStatus::kBot);
  ASSERT_TRUE(back->conversation.bot_session_id);
  EXPECT_NE(*back->conversation.bot_session_id, first_session);
  ASSERT_EQ(back->added.size(), 2u);
  EXPECT_EQ(back->added[0].author, ConversationAuthor::kCustomer);
  EXPECT_EQ(back->added[0].body, "Still there?");
  EXPECT_EQ(back->added[0].client_id, "c-1");
  EXPECT_EQ(back->added[1].author, ConversationAuthor::kBot);
  EXPECT_NE(Extra(back->added[1], "options").find("Talk to a person"), std::string::npos);
  // The new session answers the next step as any.
  auto person = Customer(id, "", "2026-11-30T11:01:00Z", "c-2", &flow, "1");
  ASSERT_TRUE(person.ok()) << person.error().message;
  EXPECT_EQ(person->conversation.status, ConversationStatus::kWaiting);
}

TEST_F(ConversationsTest, AnAgentsReplyStopsTheBot) {
  const bot::Flow flow = Flow();
  auto started = Start(customer_, "2026-11-30T10:00:00Z", &flow);
  auto reply = Agent(agent_, started.conversation.id, "Hi, I saw you here. How can I help?", "2026-11-30T10:01:00Z");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->conversation.status, ConversationStatus::kWaitingOnCustomer);
  EXPECT_EQ(reply->conversation.agent_id, agent_.id);
  auto answer = Customer(started.conversation.id, "The webhook", "2026-11-30T10:02:00Z", "", &flow);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->added.size(), 1u);  // no bot turn after it
  EXPECT_EQ(answer->conversation.status, ConversationStatus::kActive);
}

TEST_F(ConversationsTest, ThePerAgentLimit) {
  const Id a = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  const Id b = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Accept(agent_, a, "2026-11-30T10:01:00Z", 1).ok());
  auto refused = Accept(agent_, b, "2026-11-30T10:01:00Z", 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(Agent(agent_, b, "hi", "2026-11-30T10:01:00Z", 1).ok());
  // Transferred to a colleague, the first one frees the place.
  auto moved = store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
    return TransferConversationCommand(repo, policy(), agent_, a, other_agent_.id, std::nullopt, 1, At("2026-11-30T10:02:00Z"));
  });
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->conversation.agent_id, other_agent_.id);
  EXPECT_TRUE(Accept(agent_, b, "2026-11-30T10:03:00Z", 1).ok());
}

TEST_F(ConversationsTest, ABreachEscalatesOnceAndTheAutoCloseClosesAfter48Hours) {
  const Id id = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(id, "Down!", "2026-11-30T10:00:30Z").ok());
  EXPECT_EQ(Pass("2026-11-30T10:29:00Z"), 0);
  EXPECT_EQ(Pass("2026-11-30T10:31:00Z"), 1);
  Conversation c = Get(id);
  EXPECT_TRUE(c.escalated);
  EXPECT_EQ(c.group_id, escalations_);
  EXPECT_EQ(Pass("2026-11-30T10:32:00Z"), 0);  // once
  // Its notices, once: the escalation group's members (it was moved there) and the named
  // address by mail, never the customer; the webhook.
  auto queued = [&](OutboxKind kind) {
    auto r = store_->Read<std::vector<Repo::QueuedNotification>>([&](Repo& repo) { return repo.DueOutbox(kind, At("2027-01-01T00:00:00Z"), 100); });
    EXPECT_TRUE(r.ok());
    std::vector<std::string> to;
    for (const auto& n : *r) {
      EXPECT_EQ(n.row.event, "conversation.breached");
      EXPECT_NE(n.row.payload.find("\"chat_id\":\"" + c.public_id + "\""), std::string::npos) << n.row.payload;
      EXPECT_NE(n.row.payload.find("\"target\":\"first_response\""), std::string::npos) << n.row.payload;
      to.push_back(n.row.recipient);
    }
    std::sort(to.begin(), to.end());
    return to;
  };
  EXPECT_EQ(queued(OutboxKind::kEmail), (std::vector<std::string>{"carla@desk.example", "lead@desk.example"}));
  EXPECT_EQ(queued(OutboxKind::kWebhook), (std::vector<std::string>{"http://127.0.0.1:9/breaches"}));

  ASSERT_TRUE(Agent(agent_, id, "Fixed, can you check?", "2026-11-30T11:00:00Z").ok());
  EXPECT_EQ(Pass("2026-12-02T10:59:00Z"), 0);
  EXPECT_EQ(Pass("2026-12-02T11:00:00Z"), 1);
  c = Get(id);
  EXPECT_EQ(c.status, ConversationStatus::kClosed);
  EXPECT_EQ(c.close_reason, CloseReason::kAutoClose);
  EXPECT_EQ(Messages(id).back().author, ConversationAuthor::kSystem);
  EXPECT_EQ(Pass("2026-12-05T00:00:00Z"), 0);
}

TEST_F(ConversationsTest, ConvertingMakesOneTicketWithTheTranscript) {
  const Id id = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(id, "Media upload fails with error 131053", "2026-11-30T10:01:00Z").ok());
  ASSERT_TRUE(Agent(agent_, id, "Which file type?", "2026-11-30T10:02:00Z").ok());
  const int before = TicketCount();
  auto convert = [&]() {
    return store_->WriteSync<Converted>(
        [&](Repo& repo) { return ConvertConversationCommand(repo, policy(), *masker_, agent_, id, At("2026-11-30T10:05:00Z")); });
  };
  auto converted = convert();
  ASSERT_TRUE(converted.ok()) << converted.error().message;
  EXPECT_TRUE(converted->created);
  EXPECT_EQ(TicketCount(), before + 1);
  EXPECT_EQ(converted->update.conversation.status, ConversationStatus::kClosed);
  EXPECT_EQ(converted->update.conversation.ticket_number, converted->ticket_number);
  auto first = TicketMessages(converted->ticket_number);
  ASSERT_FALSE(first.empty());
  const std::string& body = first.front().body;
  EXPECT_EQ(body.find("Chat " + Get(id).public_id), 0u) << body;
  EXPECT_NE(body.find("Customer: Media upload fails"), std::string::npos) << body;
  EXPECT_NE(body.find("\nana: Which file type?"), std::string::npos) << body;  // an agent by their name
  auto ticket = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(converted->ticket_number); });
  EXPECT_EQ((*ticket)->requester_id, customer_.id);
  EXPECT_EQ((*ticket)->channel, Channel::kChat);
  EXPECT_EQ((*ticket)->subject, "Media upload fails with error 131053");

  // Again: the same ticket, no second one.
  auto twice = convert();
  ASSERT_TRUE(twice.ok()) << twice.error().message;
  EXPECT_FALSE(twice->created);
  EXPECT_EQ(twice->ticket_number, converted->ticket_number);
  EXPECT_EQ(TicketCount(), before + 1);
}

TEST_F(ConversationsTest, ALinkedOpenTicketGetsTheTranscriptInsteadOfASecondTicket) {
  auto opened = store_->WriteSync<OpenedTicket>([&](Repo& repo) {
    OpenTicketRequest req;
    req.ticket.subject = "Webhook stopped";
    req.ticket.description = "Since this morning.";
    return OpenTicketCommand(repo, policy(), *masker_, customer_, req, At("2026-11-30T08:00:00Z"));
  });
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  const Id number = opened->ticket.number;
  const Id id = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(id, "My webhook stopped", "2026-11-30T10:01:00Z").ok());
  auto linked = store_->WriteSync<ConversationUpdate>(
      [&](Repo& repo) { return LinkConversationTicketCommand(repo, policy(), customer_, id, number, At("2026-11-30T10:02:00Z")); });
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  const int before = TicketCount();
  auto converted = store_->WriteSync<Converted>(
      [&](Repo& repo) { return ConvertConversationCommand(repo, policy(), *masker_, agent_, id, At("2026-11-30T10:05:00Z")); });
  ASSERT_TRUE(converted.ok()) << converted.error().message;
  EXPECT_FALSE(converted->created);
  EXPECT_EQ(converted->ticket_number, number);
  EXPECT_EQ(TicketCount(), before);
  auto messages = TicketMessages(number);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages.back().body.find("Customer: My webhook stopped"), std::string::npos);
  // Another customer's ticket, or a second conversation on the same ticket: refused.
  const Id other = Start(customer_, "2026-11-30T10:06:00Z").conversation.id;
  EXPECT_FALSE(store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
                 return LinkConversationTicketCommand(repo, policy(), customer_, other, number, At("2026-11-30T10:07:00Z"));
               }).ok());
}

TEST_F(ConversationsTest, ACustomerLeavingUnansweredBecomesATicketAndAnAnsweredOneJustCloses) {
  auto leave = [&](Id id, const char* now) {
    return store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
      return CloseConversationCommand(repo, policy(), *masker_, User{}, id, CloseReason::kCustomer, At(now));
    });
  };
  const int before = TicketCount();
  // Nobody accepted it: leaving makes it the one ticket, in the customer's name.
  const Id waiting = Start(customer_, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(waiting, "The export never finishes", "2026-11-30T10:01:00Z").ok());
  auto left = leave(waiting, "2026-11-30T10:04:00Z");
  ASSERT_TRUE(left.ok()) << left.error().message;
  EXPECT_EQ(left->conversation.status, ConversationStatus::kClosed);
  EXPECT_EQ(left->conversation.close_reason, CloseReason::kConverted);
  ASSERT_TRUE(left->conversation.ticket_number);
  EXPECT_EQ(TicketCount(), before + 1);
  ASSERT_FALSE(left->added.empty());
  EXPECT_NE(Extra(left->added.back(), "notice").find("auto_converted"), std::string::npos) << left->added.back().extra;
  EXPECT_NE(left->added.back().body.find("#" + std::to_string(*left->conversation.ticket_number)), std::string::npos);
  auto ticket = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(*left->conversation.ticket_number); });
  ASSERT_TRUE(ticket.ok() && *ticket);
  EXPECT_EQ((*ticket)->requester_id, customer_.id);
  EXPECT_EQ((*ticket)->subject, "The export never finishes");
  EXPECT_NE(TicketMessages((*ticket)->number).front().body.find("Customer: The export never finishes"), std::string::npos);

  // The customer wrote last after the agent's answer: still owed, still a ticket.
  const Id active = Start(customer_, "2026-11-30T11:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(active, "Login loops", "2026-11-30T11:01:00Z").ok());
  ASSERT_TRUE(Agent(agent_, active, "Which browser?", "2026-11-30T11:02:00Z").ok());
  ASSERT_TRUE(Customer(active, "Firefox, and it still loops", "2026-11-30T11:03:00Z").ok());
  auto owed = leave(active, "2026-11-30T11:05:00Z");
  ASSERT_TRUE(owed.ok()) << owed.error().message;
  EXPECT_EQ(owed->conversation.close_reason, CloseReason::kConverted);
  EXPECT_EQ(TicketCount(), before + 2);

  // The agent answered last: the customer leaving just closes it.
  const Id answered = Start(customer_, "2026-11-30T12:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(answered, "Where is the invoice?", "2026-11-30T12:01:00Z").ok());
  ASSERT_TRUE(Agent(agent_, answered, "Under Billing > Invoices.", "2026-11-30T12:02:00Z").ok());
  auto closed = leave(answered, "2026-11-30T12:03:00Z");
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->conversation.close_reason, CloseReason::kCustomer);
  EXPECT_FALSE(closed->conversation.ticket_number);

  // Out of hours nobody was asked (the customer was offered a ticket): closing just closes.
  const Id night = Start(customer_, "2026-11-30T20:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(night, "Is anyone there?", "2026-11-30T20:01:00Z").ok());
  auto night_closed = leave(night, "2026-11-30T20:02:00Z");
  ASSERT_TRUE(night_closed.ok()) << night_closed.error().message;
  EXPECT_EQ(night_closed->conversation.close_reason, CloseReason::kCustomer);

  // An agent closing an owed conversation decides so: no ticket.
  const Id agents = Start(customer_, "2026-11-30T13:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(agents, "Spam spam spam", "2026-11-30T13:01:00Z").ok());
  auto by_agent = store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
    return CloseConversationCommand(repo, policy(), *masker_, agent_, agents, CloseReason::kAgent, At("2026-11-30T13:02:00Z"));
  });
  ASSERT_TRUE(by_agent.ok()) << by_agent.error().message;
  EXPECT_EQ(by_agent->conversation.close_reason, CloseReason::kAgent);
  EXPECT_EQ(TicketCount(), before + 2);
}

TEST_F(ConversationsTest, AnAnonymousVisitorGivesAnAddressBeforeATicket) {
  const Id id = Start(std::nullopt, "2026-11-30T10:00:00Z").conversation.id;
  ASSERT_TRUE(Customer(id, "Question about pricing", "2026-11-30T10:01:00Z").ok());
  auto refused = store_->WriteSync<Converted>(
      [&](Repo& repo) { return ConvertConversationCommand(repo, policy(), *masker_, agent_, id, At("2026-11-30T10:05:00Z")); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.empty() ? "" : refused.error().fields[0].field, "email");
  EXPECT_FALSE(store_->WriteSync<ConversationUpdate>([&](Repo& repo) { return SetConversationEmailCommand(repo, id, "not an address", At("2026-11-30T10:06:00Z")); }).ok());
  ASSERT_TRUE(store_->WriteSync<ConversationUpdate>([&](Repo& repo) { return SetConversationEmailCommand(repo, id, "Visitor@Example.com", At("2026-11-30T10:06:00Z")); }).ok());
  // The visitor converts it (a customer without an account: id 0); another customer may not.
  EXPECT_FALSE(store_->WriteSync<Converted>([&](Repo& repo) {
                 return ConvertConversationCommand(repo, policy(), *masker_, basic_customer_, id, At("2026-11-30T10:07:00Z"));
               }).ok());
  auto converted = store_->WriteSync<Converted>(
      [&](Repo& repo) { return ConvertConversationCommand(repo, policy(), *masker_, User{}, id, At("2026-11-30T10:07:00Z")); });
  ASSERT_TRUE(converted.ok()) << converted.error().message;
  EXPECT_TRUE(converted->created);
  auto ticket = store_->Read<std::optional<Ticket>>([&](Repo& repo) { return repo.GetTicket(converted->ticket_number); });
  ASSERT_TRUE(ticket.ok() && *ticket);
  auto requester = store_->Read<std::optional<User>>([&](Repo& repo) { return repo.GetUser((*ticket)->requester_id); });
  EXPECT_EQ((*requester)->email, "visitor@example.com");
}

}  // namespace
}  // namespace chamado::store
