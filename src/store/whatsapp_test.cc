// The WhatsApp channel on a real SQLite file: a customer's message starts (then continues) an
// anonymous conversation named by their profile, a redelivery is stored once, an agent's reply
// is queued to the Graph API inside the 24-hour window and refused outside it, a template is
// queued any time, delivery reports move messages forward, and a file that could not be
// fetched leaves the caption and a note.
#include "store/whatsapp.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
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

// People take chats around the clock; no plan needed for WhatsApp customers.
constexpr const char* kPolicy = R"(name = "WhatsApp"
default_priority = "normal"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "normal"
description = "Normal"
)";

constexpr const char* kFlow = R"([bot]
name = "Assistant"
default_language = "en"
start = "welcome"
calendar = "always"

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

class WhatsappStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_whatsapp_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = Store::Open(options_ = TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    auto policy = ParseStoredPolicy(kPolicy, "wa.toml", {});
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    auto v = store_->WriteSync<int64_t>([&](Repo& repo) { return ApplyPolicyCommand(repo, *policy, {}, std::nullopt, At("2026-11-01T00:00:00Z")); });
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(store_->ReloadPolicy().ok());
    agent_.email = "ana@desk.example";
    agent_.name = "Ana";
    agent_.role = Role::kAgent;
    agent_.language = "en";
    agent_.created_at = At("2026-11-01T00:00:00Z");
    auto a = store_->WriteSync<User>([&](Repo& repo) { return repo.InsertUser(agent_, ""); });
    ASSERT_TRUE(a.ok()) << a.error().message;
    agent_ = *a;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  Result<ConversationUpdate> Inbound(const char* wamid, const char* text, const char* at, std::string fetch_error = "",
                                     std::string type = "text", const bot::Flow* flow = nullptr) {
    WhatsappInboundRequest r;
    r.message.wamid = wamid;
    r.message.from = "5511987654321";
    r.message.profile_name = "Zé Silva";
    r.message.at = At(at);
    r.message.type = std::move(type);
    r.message.text = text;
    r.fetch_error = std::move(fetch_error);
    r.language = "pt-BR";
    r.random_bits = ++random_;
    return store_->WriteSync<ConversationUpdate>(
        [&](Repo& repo) {
          std::optional<BotFlowAt> at_flow;
          if (flow) at_flow = BotFlowAt{flow_version_, flow};
          return WhatsappInboundCommand(repo, *store_->policy(), masker_, at_flow, r, At(at));
        });
  }

  Result<ConversationUpdate> Reply(Id id, const char* text, const char* now) {
    return store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
      return AgentMessageOverChannelCommand(repo, *store_->policy(), masker_, agent_, id, text, "", {}, 3, At(now));
    });
  }

  // The queued WhatsApp messages, oldest first: (recipient, the Graph API body).
  std::vector<std::pair<std::string, std::string>> Queued(const char* now) {
    auto r = store_->Read<std::vector<Repo::QueuedNotification>>(
        [&](Repo& repo) { return repo.DueOutbox(OutboxKind::kWhatsapp, At(now), 50); });
    EXPECT_TRUE(r.ok());
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& n : *r)
      out.emplace_back(n.row.recipient, boost::json::serialize(boost::json::parse(n.row.payload).at("message")));
    return out;
  }

  std::optional<WhatsappView> View(const Conversation& c, const char* now) {
    auto r = store_->Read<std::optional<WhatsappView>>([&](Repo& repo) { return WhatsappViewOf(repo, c, At(now)); });
    EXPECT_TRUE(r.ok());
    return *r;
  }

  bot::Flow Flow() {
    auto f = bot::ParseFlow(kFlow, "bot.toml", store_->policy().get());
    EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
    auto v = store_->WriteSync<int64_t>(
        [&](Repo& repo) { return ApplyBotFlowCommand(repo, f->flow, std::nullopt, std::nullopt, At("2026-11-01T00:00:00Z")); });
    EXPECT_TRUE(v.ok());
    flow_version_ = *v;
    return f->flow;
  }

  fs::path dir_;
  StoreOptions options_;
  int64_t flow_version_ = 0;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const SecretMasker> masker_ptr_ = *SecretMasker::Make({});
  const SecretMasker& masker_ = *masker_ptr_;
  User agent_;
  uint64_t random_ = 0;
};

TEST_F(WhatsappStoreTest, AMessageStartsAnAnonymousConversationAndARedeliveryIsStoredOnce) {
  auto first = Inbound("wamid.A1", "Meu pedido não chegou", "2026-11-30T10:00:00Z");
  ASSERT_TRUE(first.ok()) << first.error().message;
  const Conversation& c = first->conversation;
  EXPECT_EQ(c.channel, Channel::kWhatsapp);
  EXPECT_EQ(c.external_id, "5511987654321");
  EXPECT_FALSE(c.contact_id);
  EXPECT_FALSE(c.organization_id);  // never guessed
  EXPECT_EQ(c.status, ConversationStatus::kWaiting);  // handed to people: no flow, always open
  EXPECT_EQ(c.subject, "Meu pedido não chegou");

  auto again = Inbound("wamid.A1", "Meu pedido não chegou", "2026-11-30T10:00:05Z");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_TRUE(again->added.empty());

  auto second = Inbound("wamid.A2", "Alguém?", "2026-11-30T10:01:00Z");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->conversation.id, c.id);  // the open conversation of that number
  auto view = View(second->conversation, "2026-11-30T10:02:00Z");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->profile_name, "Zé Silva");
  EXPECT_TRUE(view->window_open);
  EXPECT_EQ(FormatIsoUtc(*view->window_closes_at), "2026-12-01T10:01:00Z");
  int customer_messages = 0;
  auto stored = store_->Read<std::vector<ConversationMessage>>([&](Repo& repo) { return repo.ConversationMessages(c.id, 0, 50); });
  for (const auto& m : *stored) customer_messages += m.author == ConversationAuthor::kCustomer;
  EXPECT_EQ(customer_messages, 2);
  // The queue notice answered the customer's first message on WhatsApp.
  auto queued = Queued("2026-11-30T10:02:00Z");
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_NE(queued[0].second.find(R"("type":"text")"), std::string::npos);
}

TEST_F(WhatsappStoreTest, RepliesAreQueuedInTheWindowAndRefusedAfterIt) {
  auto in = Inbound("wamid.B1", "Oi", "2026-11-30T10:00:00Z");
  ASSERT_TRUE(in.ok());
  const Id id = in->conversation.id;
  const size_t before = Queued("2026-11-30T10:00:00Z").size();
  auto reply = Reply(id, "Olá, Zé! Vou verificar.", "2026-12-01T09:59:59Z");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  auto queued = Queued("2026-12-01T10:00:00Z");
  ASSERT_EQ(queued.size(), before + 1);
  EXPECT_EQ(queued.back().first, "5511987654321");
  EXPECT_EQ(queued.back().second, WhatsappTextBody("5511987654321", "Olá, Zé! Vou verificar."));

  auto late = Reply(id, "Ainda aí?", "2026-12-01T10:00:00Z");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  EXPECT_EQ(late.error().text_id, "whatsapp.window_closed");
  EXPECT_NE(late.error().MessageIn("en").find("/whatsapp/template"), std::string::npos);
  EXPECT_EQ(Queued("2026-12-01T10:00:00Z").size(), before + 1);  // nothing stored, nothing queued

  auto t = store_->WriteSync<ConversationUpdate>([&](Repo& repo) {
    return WhatsappTemplateCommand(repo, *store_->policy(), masker_, agent_, id, {"order_update", "pt_BR", {"42"}}, 3,
                                   At("2026-12-02T08:00:00Z"));
  });
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->added.back().body, "Template order_update (pt_BR): 42");
  queued = Queued("2026-12-02T08:00:00Z");
  ASSERT_EQ(queued.size(), before + 2);
  EXPECT_EQ(queued.back().second, WhatsappTemplateBody("5511987654321", {"order_update", "pt_BR", {"42"}}));

  // The customer answers: the window opens again.
  ASSERT_TRUE(Inbound("wamid.B2", "Obrigado", "2026-12-02T09:00:00Z").ok());
  EXPECT_TRUE(Reply(id, "De nada!", "2026-12-02T09:05:00Z").ok());
}

TEST_F(WhatsappStoreTest, DeliveryReportsMoveTheReplyForwardAndReadIsTheCustomersReadMark) {
  auto in = Inbound("wamid.C1", "Oi", "2026-11-30T10:00:00Z");
  ASSERT_TRUE(in.ok());
  auto reply = Reply(in->conversation.id, "Olá!", "2026-11-30T10:01:00Z");
  ASSERT_TRUE(reply.ok());
  const int64_t seq = reply->added.back().seq;
  auto rows = store_->Read<std::vector<Repo::QueuedNotification>>(
      [&](Repo& repo) { return repo.DueOutbox(OutboxKind::kWhatsapp, At("2026-11-30T10:01:00Z"), 50); });
  ASSERT_TRUE(rows.ok());
  const std::string payload = rows->back().row.payload;
  ASSERT_TRUE(store_->WriteSync<bool>([&](Repo& repo) -> Result<bool> {
                       CHAMADO_TRY(WhatsappSentCommand(repo, payload, "wamid.OUT", At("2026-11-30T10:01:01Z")));
                       return true;
                     }).ok());
  auto report = [&](WhatsappDelivery d, const char* error = "") {
    auto r = store_->WriteSync<std::optional<Conversation>>([&](Repo& repo) {
      return WhatsappStatusCommand(repo, {"wamid.OUT", d, "5511987654321", At("2026-11-30T10:02:00Z"), error}, At("2026-11-30T10:02:00Z"));
    });
    EXPECT_TRUE(r.ok());
    return *r;
  };
  auto state = [&]() {
    auto v = View(in->conversation, "2026-11-30T10:03:00Z");
    for (const auto& m : v->messages)
      if (m.seq == seq) return m;
    return WhatsappMessage{};
  };
  EXPECT_EQ(state().status, WhatsappDelivery::kSent);
  EXPECT_EQ(state().wamid, "wamid.OUT");
  auto read = report(WhatsappDelivery::kRead);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->customer_read_seq, seq);
  EXPECT_FALSE(report(WhatsappDelivery::kDelivered));  // late: read stays
  EXPECT_EQ(state().status, WhatsappDelivery::kRead);
  EXPECT_TRUE(report(WhatsappDelivery::kFailed, "Re-engagement message"));
  EXPECT_EQ(state().status, WhatsappDelivery::kFailed);
  EXPECT_EQ(state().error, "Re-engagement message");
  auto unknown = store_->WriteSync<std::optional<Conversation>>([&](Repo& repo) {
    return WhatsappStatusCommand(repo, {"wamid.NOT-OURS", WhatsappDelivery::kRead, "1", At("2026-11-30T10:02:00Z"), ""},
                                 At("2026-11-30T10:02:00Z"));
  });
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(*unknown);
}

TEST_F(WhatsappStoreTest, AFileThatCouldNotBeFetchedKeepsTheCaptionAndSaysSo) {
  auto in = Inbound("wamid.D1", "A peça quebrada", "2026-11-30T10:00:00Z", "HTTP 500", "image");
  ASSERT_TRUE(in.ok()) << in.error().message;
  auto messages = store_->Read<std::vector<ConversationMessage>>(
      [&](Repo& repo) { return repo.ConversationMessages(in->conversation.id, 0, 50); });
  ASSERT_TRUE(messages.ok());
  bool caption = false, note = false;
  for (const auto& m : *messages) {
    caption = caption || (m.author == ConversationAuthor::kCustomer && m.body == "A peça quebrada");
    note = note || (m.author == ConversationAuthor::kSystem && m.extra.find("whatsapp_media_failed") != std::string::npos);
  }
  EXPECT_TRUE(caption);
  EXPECT_TRUE(note);
  auto bare = Inbound("wamid.D2", "", "2026-11-30T10:01:00Z", "timeout", "audio");
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  EXPECT_EQ(bare->added.front().body, "[audio]");  // never an empty message
  // The agents' note is not sent to the customer.
  for (const auto& q : Queued("2026-11-30T10:02:00Z")) EXPECT_EQ(q.second.find("could not"), std::string::npos) << q.second;
}

TEST_F(WhatsappStoreTest, TheBotTalksFirstItsOptionsNumberedAndTheCustomersNumberPicksOne) {
  const bot::Flow flow = Flow();
  auto first = Inbound("wamid.E1", "Oi", "2026-11-30T10:00:00Z", "", "text", &flow);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->conversation.status, ConversationStatus::kBot);
  auto queued = Queued("2026-11-30T10:00:00Z");
  ASSERT_FALSE(queued.empty());
  EXPECT_NE(queued.front().second.find(R"(Hello! How can I help?\n1. Talk to a person\n2. Nothing, thanks)"), std::string::npos)
      << queued.front().second;

  auto picked = Inbound("wamid.E2", "1", "2026-11-30T10:01:00Z", "", "text", &flow);
  ASSERT_TRUE(picked.ok()) << picked.error().message;
  EXPECT_EQ(picked->conversation.status, ConversationStatus::kWaiting);  // "Talk to a person"
  queued = Queued("2026-11-30T10:01:00Z");
  bool calling = false;
  for (const auto& q : queued) calling = calling || q.second.find("Calling someone.") != std::string::npos;
  EXPECT_TRUE(calling);
}

}  // namespace
}  // namespace chamado::store
