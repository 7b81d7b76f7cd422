#include "core/whatsapp.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace chamado::core {
namespace {

// Shaped as Meta documents them (WhatsApp Cloud API, "Webhooks: messages"): one entry, one
// change, its value holding metadata, contacts and messages or statuses.
std::string Change(std::string_view value, std::string_view field = "messages") {
  return R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},)" +
         std::string(value) + R"(},"field":")" + std::string(field) + R"("}]}]})";
}

constexpr std::string_view kContact = R"("contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],)";

TEST(Whatsapp, ParsesATextMessageWithItsSenderAndProfileName) {
  auto w = ParseWhatsappWebhook(Change(std::string(kContact) +
                                       R"("messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFGRkFCMDBBQjA5OQA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}])"));
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->phone_number_id, "106540352242922");
  ASSERT_EQ(w->messages.size(), 1u);
  const auto& m = w->messages[0];
  EXPECT_EQ(m.wamid, "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFGRkFCMDBBQjA5OQA=");
  EXPECT_EQ(m.from, "16505551234");
  EXPECT_EQ(m.profile_name, "Sheena Nelson");
  EXPECT_EQ(m.type, "text");
  EXPECT_EQ(m.text, "Does it come in another color?");
  EXPECT_EQ(FormatIsoUtc(m.at), "2025-06-08T20:59:43Z");
  EXPECT_TRUE(m.media_id.empty());
  EXPECT_TRUE(m.supported);
  EXPECT_TRUE(w->statuses.empty());
}

TEST(Whatsapp, ParsesMediaWithCaptionAndADocumentWithItsFileName) {
  auto w = ParseWhatsappWebhook(Change(std::string(kContact) + R"("messages":[
    {"from":"16505551234","id":"wamid.IMG","timestamp":"1749416400","type":"image","image":{"caption":"The broken part","mime_type":"image/jpeg","sha256":"aGVsbG8=","id":"1003383421387256"}},
    {"from":"16505551234","id":"wamid.DOC","timestamp":"1749416401","type":"document","document":{"filename":"invoice-42.pdf","mime_type":"application/pdf","sha256":"aGVsbG8=","id":"1003383421387257"}},
    {"from":"16505551234","id":"wamid.LOC","timestamp":"1749416402","type":"location","location":{"latitude":38.9,"longitude":-77.0}}])"));
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_EQ(w->messages.size(), 3u);
  EXPECT_EQ(w->messages[0].type, "image");
  EXPECT_EQ(w->messages[0].media_id, "1003383421387256");
  EXPECT_EQ(w->messages[0].mime_type, "image/jpeg");
  EXPECT_EQ(w->messages[0].text, "The broken part");
  EXPECT_EQ(w->messages[1].media_id, "1003383421387257");
  EXPECT_EQ(w->messages[1].filename, "invoice-42.pdf");
  EXPECT_EQ(w->messages[1].text, "");
  EXPECT_FALSE(w->messages[2].supported);  // a location is acknowledged, noted, not taken
}

TEST(Whatsapp, ParsesDeliveryReportsWithMetasErrorTitle) {
  auto w = ParseWhatsappWebhook(Change(R"("statuses":[
    {"id":"wamid.OUT1","status":"delivered","timestamp":"1749416500","recipient_id":"16505551234","conversation":{"id":"c1","origin":{"type":"service"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"service"}},
    {"id":"wamid.OUT1","status":"read","timestamp":"1749416510","recipient_id":"16505551234"},
    {"id":"wamid.OUT2","status":"failed","timestamp":"1749416520","recipient_id":"16505551234","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]},
    {"id":"wamid.OUT3","status":"deleted","timestamp":"1749416530","recipient_id":"16505551234"}])"));
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_EQ(w->statuses.size(), 3u);
  EXPECT_EQ(w->statuses[0].status, WhatsappDelivery::kDelivered);
  EXPECT_EQ(w->statuses[1].status, WhatsappDelivery::kRead);
  EXPECT_EQ(w->statuses[2].status, WhatsappDelivery::kFailed);
  EXPECT_EQ(w->statuses[2].error,
            "Re-engagement message (Message failed to send because more than 24 hours have passed since the customer last "
            "replied to this number.)");
  EXPECT_EQ(w->ignored, 1);  // "deleted" is not tracked
}

TEST(Whatsapp, OtherFieldsAndObjectsAreIgnoredNotRefused) {
  auto account = ParseWhatsappWebhook(Change(R"("event":"FLAGGED","current_limit":"TIER_1K")", "account_update"));
  ASSERT_TRUE(account.ok());
  EXPECT_TRUE(account->messages.empty());
  EXPECT_EQ(account->ignored, 1);
  auto page = ParseWhatsappWebhook(R"({"object":"page","entry":[]})");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->ignored, 1);
}

TEST(Whatsapp, RefusesWhatIsNotJsonOrAMessageWithoutItsIdentity) {
  const struct {
    std::string body;
    std::string says;
  } rows[] = {
      {"not json", "not a JSON object"},
      {"[1,2]", "not a JSON object"},
      {R"({"object":"whatsapp_business_account"})", "no entry list"},
      {Change(R"("messages":[{"from":"1","timestamp":"1","type":"text","text":{"body":"x"}}])"), "has no id"},
      {Change(R"("messages":[{"id":"wamid.A","timestamp":"1","type":"text"}])"), "has no sender"},
      {Change(R"("messages":[{"id":"wamid.A","from":"1","timestamp":"soon","type":"text"}])"), "no timestamp"},
      {Change(R"("messages":[{"id":"wamid.A","from":"1","timestamp":"1","type":"image","image":{}}])"), "no media id"},
  };
  for (const auto& r : rows) {
    auto w = ParseWhatsappWebhook(r.body);
    ASSERT_FALSE(w.ok()) << r.body;
    EXPECT_EQ(w.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(w.error().MessageIn("en").find(r.says), std::string::npos) << w.error().MessageIn("en");
  }
}

TEST(Whatsapp, TheWindowIsOpenFor24HoursAfterTheCustomersLastMessage) {
  const Instant last = *ParseIsoInstant("2026-03-02T10:00:00Z");
  const struct {
    std::optional<Instant> last;
    const char* now;
    bool open;
  } rows[] = {
      {last, "2026-03-02T10:00:00Z", true},
      {last, "2026-03-03T09:59:59Z", true},
      {last, "2026-03-03T10:00:00Z", false},  // exactly 24 h later: closed
      {last, "2026-03-05T10:00:00Z", false},
      {std::nullopt, "2026-03-02T10:00:00Z", false},  // the customer never wrote
  };
  for (const auto& r : rows) EXPECT_EQ(WhatsappWindowOpen(r.last, *ParseIsoInstant(r.now)), r.open) << r.now;
  EXPECT_EQ(FormatIsoUtc(*WhatsappWindowClosesAt(last)), "2026-03-03T10:00:00Z");
}

TEST(Whatsapp, DeliveryMovesForwardOnly) {
  using D = WhatsappDelivery;
  const struct {
    D now, reported, next;
  } rows[] = {
      {D::kQueued, D::kSent, D::kSent},       {D::kSent, D::kDelivered, D::kDelivered}, {D::kSent, D::kRead, D::kRead},
      {D::kRead, D::kDelivered, D::kRead},    {D::kDelivered, D::kSent, D::kDelivered}, {D::kSent, D::kFailed, D::kFailed},
      {D::kFailed, D::kRead, D::kFailed},     {D::kReceived, D::kRead, D::kReceived},
  };
  for (const auto& r : rows) EXPECT_EQ(NextDelivery(r.now, r.reported), r.next) << Name(r.now) << "+" << Name(r.reported);
}

TEST(Whatsapp, GraphBodiesForTextAndTemplates) {
  EXPECT_EQ(WhatsappTextBody("16505551234", "Hi \"there\""),
            R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"text","text":{"preview_url":false,"body":"Hi \"there\""}})");
  EXPECT_EQ(WhatsappTemplateBody("16505551234", {"order_update", "pt_BR", {"42", "amanhã"}}),
            R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"16505551234","type":"template","template":{"name":"order_update","language":{"code":"pt_BR"},"components":[{"type":"body","parameters":[{"type":"text","text":"42"},{"type":"text","text":"amanhã"}]}]}})");
  EXPECT_EQ(WhatsappTemplateBody("1", {"hello_world", "en_US", {}}),
            R"({"messaging_product":"whatsapp","recipient_type":"individual","to":"1","type":"template","template":{"name":"hello_world","language":{"code":"en_US"}}})");
  EXPECT_TRUE(CheckWhatsappTemplate({"hello_world", "en_US", {}}).ok());
  auto bad = CheckWhatsappTemplate({"Hello World", "english!", {""}});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 3u);
  EXPECT_EQ(bad.error().fields[0].field, "name");
  EXPECT_EQ(bad.error().fields[1].field, "language");
  EXPECT_EQ(bad.error().fields[2].field, "parameters[0]");
}

TEST(Whatsapp, BotOptionsAreANumberedListAndAnswersPickThem) {
  const std::vector<WhatsappOption> options{{"billing", "Billing"}, {"outage", "Something is down"}};
  EXPECT_EQ(WithNumberedOptions("What is it about?", options), "What is it about?\n1. Billing\n2. Something is down");
  EXPECT_EQ(PickedOption("2", options), "outage");
  EXPECT_EQ(PickedOption(" 1 ", options), "billing");
  EXPECT_EQ(PickedOption("billing", options), "billing");
  EXPECT_EQ(PickedOption("3", options), std::nullopt);
  EXPECT_EQ(PickedOption("my invoice is wrong", options), std::nullopt);
}

}  // namespace
}  // namespace chamado::core
