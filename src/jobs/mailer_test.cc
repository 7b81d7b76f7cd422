#include "jobs/mailer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/languages.h"
#include "store/status.h"
#include "store/testing.h"

namespace chamado::jobs {
namespace {

TEST(Mailer, FormatsLocalTimesAsEachLanguageWritesThem) {
  const Instant t = *ParseIsoInstant("2026-11-24T20:00:00Z");
  EXPECT_EQ(FormatLocal(t, "pt-BR", "America/Sao_Paulo"), "24/11/2026 17:00 (America/Sao_Paulo)");
  EXPECT_EQ(FormatLocal(t, "de", "Europe/Berlin"), "24.11.2026 21:00 (Europe/Berlin)");
  EXPECT_EQ(FormatLocal(t, "en", "UTC"), "2026-11-24 20:00 (UTC)");
  EXPECT_EQ(FormatLocal(t, "ru", "No/Such_Zone"), "24.11.2026 20:00 (UTC)");
}

TEST(Mailer, MessageIdsAreStableAndNameTheTicket) {
  store::Repo::QueuedNotification n;
  n.id = 17;
  n.row.ticket_number = 1234;
  n.row.created_at = FromUnixMillis(1000);
  const auto id = OutboxMessageId(n, "desk.example");
  EXPECT_EQ(id, "chamado.1234.17.rs@desk.example");
  EXPECT_EQ(OutboxMessageId(n, "desk.example"), id);
  EXPECT_EQ(core::TicketOfChamadoMessageId(id), 1234);
}

TEST(Mailer, TheShippedTemplatesAreCompleteAndARemovedOneIsNamed) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  EXPECT_TRUE(CheckTemplates(*shipped).ok());

  const auto dir = std::filesystem::temp_directory_path() / ("chamado_templates_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy(CHAMADO_TEMPLATES_DIR, dir, std::filesystem::copy_options::recursive);
  std::filesystem::remove(dir / "en" / "sla_breached.txt");
  auto partial = mail::MailTemplates::Load(dir.string());
  ASSERT_TRUE(partial.ok());
  auto r = CheckTemplates(*partial);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("en/sla_breached.txt"), std::string::npos) << r.error().message;
  std::filesystem::remove_all(dir);
}

// The merge's mail exists in every desk language and names and links the survivor.
TEST(Mailer, MergeMailInEveryLanguage) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  const mail::MailTemplates::Vars v{{"ticket.number", "42"},
                                    {"ticket.subject", "Media upload fails"},
                                    {"recipient.name", "Zé"},
                                    {"desk.name", "Acme Support"},
                                    {"merge.into", "17"},
                                    {"merge.url", "https://desk.example/portal/tickets/17"}};
  auto english = shipped->Render("ticket_merged", "en", v);
  ASSERT_TRUE(english.ok()) << english.error().message;
  for (std::string_view language : core::kLanguages) {
    const std::string lang(language);
    auto mail = shipped->Render("ticket_merged", lang, v);
    ASSERT_TRUE(mail.ok()) << lang;
    EXPECT_NE(mail->subject.find("#17"), std::string::npos) << lang << mail->subject;
    EXPECT_NE(mail->body.find("#42"), std::string::npos) << lang;
    EXPECT_NE(mail->body.find("https://desk.example/portal/tickets/17"), std::string::npos) << lang << mail->body;
    EXPECT_NE(mail->body.find("Acme Support"), std::string::npos) << lang;
    if (lang != "en") EXPECT_NE(mail->subject, english->subject) << lang << " falls back to English";
  }
}

// A status incident's update reaches the requesters of linked tickets in every desk language,
// with the incident, the update and the status page's link.
TEST(Mailer, IncidentUpdateMailInEveryLanguage) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  ASSERT_TRUE(CheckTemplates(*shipped).ok());
  const mail::MailTemplates::Vars v{{"ticket.number", "42"},
                                    {"ticket.subject", "Cannot log in"},
                                    {"ticket.url", "https://desk.example/portal/tickets/42"},
                                    {"recipient.name", "Zé"},
                                    {"desk.name", "Acme Support"},
                                    {"incident.title", "Login errors"},
                                    {"incident.update", "A certificate was renewed."},
                                    {"incident.url", "https://desk.example/status#incident-7"}};
  auto english = shipped->Render("incident_update", "en", v);
  ASSERT_TRUE(english.ok()) << english.error().message;
  for (std::string_view language : core::kLanguages) {
    const std::string lang(language);
    auto mail = shipped->Render("incident_update", lang, v);
    ASSERT_TRUE(mail.ok()) << lang;
    EXPECT_NE(mail->subject.find("Login errors"), std::string::npos) << lang << mail->subject;
    for (const char* part : {"#42", "A certificate was renewed.", "https://desk.example/status#incident-7", "https://desk.example/portal/tickets/42", "Acme Support"})
      EXPECT_NE(mail->body.find(part), std::string::npos) << lang << ": " << part;
    if (lang != "en") EXPECT_NE(mail->subject, english->subject) << lang << " falls back to English";
  }
}

// A subscriber's copy names no ticket and carries the unsubscribe link, in every desk language.
TEST(Mailer, IncidentSubscriberMailInEveryLanguage) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  const mail::MailTemplates::Vars v{{"desk.name", "Acme Support"},
                                    {"incident.title", "Login errors"},
                                    {"incident.update", "A certificate was renewed."},
                                    {"incident.url", "https://desk.example/status#incident-7"},
                                    {"unsubscribe.url", "https://desk.example/status?unsubscribe=abc"}};
  auto english = shipped->Render("incident_subscriber", "en", v);
  ASSERT_TRUE(english.ok()) << english.error().message;
  for (std::string_view language : core::kLanguages) {
    const std::string lang(language);
    auto mail = shipped->Render("incident_subscriber", lang, v);
    ASSERT_TRUE(mail.ok()) << lang;
    for (const char* part : {"A certificate was renewed.", "https://desk.example/status#incident-7", "https://desk.example/status?unsubscribe=abc"})
      EXPECT_NE(mail->body.find(part), std::string::npos) << lang << ": " << part;
    if (lang != "en") EXPECT_NE(mail->body, english->body) << lang << " falls back to English";
  }
}

// An update posted with notify reaches a subscriber through the outbox: rendered from the
// store in the subscriber's language, with the update, the status page and the unsubscribe link.
TEST(Mailer, SubscriberMailRendersFromTheStore) {
  const auto dir = std::filesystem::temp_directory_path() / ("chamado_mailer_status_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "files");
  auto opened = store::Store::Open(store::TestStoreOptions(dir));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& st = **opened;
  const Instant now = *ParseIsoInstant("2026-03-02T10:00:00Z");
  auto update = st.WriteSync<store::IncidentUpdate>([&](store::Repo& repo) -> Result<store::IncidentUpdate> {
    CHAMADO_ASSIGN_OR_RETURN(auto c, store::CreateComponent(repo, {"api", {{"en", "API"}}, {}, 0}, now));
    CHAMADO_TRY(store::AddSubscriber(repo, "ops@client.test", "de", "tok123", now));
    store::IncidentInput in;
    in.titles = {{"en", "Login errors"}, {"de", "Anmeldefehler"}};
    in.components = {{c.id, "major"}};
    CHAMADO_ASSIGN_OR_RETURN(auto i, store::CreateIncident(repo, in, {}, std::nullopt, now));
    return store::PostIncidentUpdate(repo, i.id, {"resolved", {{"en", "Fixed."}, {"de", "Behoben."}}, std::nullopt, true}, std::nullopt, now);
  });
  ASSERT_TRUE(update.ok()) << update.error().message;
  EXPECT_EQ(update->notified, 1);
  auto queued = st.Read<store::Paged<store::Repo::QueuedNotification>>([](store::Repo& repo) { return repo.ListOutbox(0, {}); });
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->items.size(), 1u);
  auto templates = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(templates.ok());
  store::BlobStore blobs((dir / "files").string());
  core::ManualClock clock(now);
  MailerOptions options;
  options.desk_name = "Acme Support";
  options.public_url = "https://desk.example";
  Mailer mailer(st, blobs, clock, options, std::move(*templates));
  auto mail = st.Read<mail::OutgoingMail>([&](store::Repo& repo) { return mailer.Render(repo, queued->items[0], now); });
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->to.address, "ops@client.test");
  EXPECT_EQ(mail->subject, "Status-Update: Anmeldefehler");
  EXPECT_NE(mail->body.find("Behoben."), std::string::npos) << mail->body;
  EXPECT_NE(mail->body.find("https://desk.example/status#incident-"), std::string::npos) << mail->body;
  EXPECT_NE(mail->body.find("https://desk.example/status?unsubscribe=tok123"), std::string::npos) << mail->body;
  EXPECT_EQ(mail->ticket, 0);
  // Asking on the page: the mail's link confirms.
  ASSERT_TRUE(st.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
                  CHAMADO_TRY(store::RequestSubscription(repo, "new@client.test", "pt-BR", "tok456", now));
                  return true;
                }).ok());
  queued = st.Read<store::Paged<store::Repo::QueuedNotification>>([](store::Repo& repo) { return repo.ListOutbox(0, {}); });
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->items.size(), 2u);
  auto confirm = st.Read<mail::OutgoingMail>([&](store::Repo& repo) { return mailer.Render(repo, queued->items[0], now); });
  ASSERT_TRUE(confirm.ok()) << confirm.error().message;
  EXPECT_EQ(confirm->to.address, "new@client.test");
  EXPECT_EQ(confirm->subject, "Confirme sua assinatura das nossas atualizações de status");
  EXPECT_NE(confirm->body.find("https://desk.example/status?confirm=tok456"), std::string::npos) << confirm->body;
  opened->reset();
  std::filesystem::remove_all(dir);
}

// A live conversation's breach notice goes to an agent: no ticket, in the agent's language
// and time zone, the chat id, the customer, the target and the console's link.
TEST(Mailer, ConversationBreachMailRendersInTheAgentsLanguage) {
  const auto dir = std::filesystem::temp_directory_path() / ("chamado_mailer_chat_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "files");
  auto opened = store::Store::Open(store::TestStoreOptions(dir));
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& st = **opened;
  const Instant now = *ParseIsoInstant("2026-11-30T13:31:00Z");
  auto queued = st.WriteSync<store::Repo::QueuedNotification>([&](store::Repo& repo) -> Result<store::Repo::QueuedNotification> {
    core::User agent;
    agent.email = "lia@desk.test";
    agent.name = "Lia";
    agent.role = core::Role::kAgent;
    agent.language = "pt-BR";
    agent.time_zone = "America/Sao_Paulo";
    agent.created_at = now;
    CHAMADO_ASSIGN_OR_RETURN(auto inserted, repo.InsertUser(agent, ""));
    (void)inserted;
    CHAMADO_TRY(repo.InsertOutbox({store::OutboxKind::kEmail, "lia@desk.test", 0, "conversation.breached",
                                   R"({"template":"conversation_breached","event":"conversation.breached","conversation":7,)"
                                   R"("chat_id":"CH-7K2M9QXA","channel":"chat","subject":"O relatório não abre","customer":"Rosa",)"
                                   R"("target":"first_response","within":"30m","due_at":"2026-11-30T13:30:00Z"})",
                                   now}));
    CHAMADO_ASSIGN_OR_RETURN(auto due, repo.DueOutbox(store::OutboxKind::kEmail, now, 10));
    if (due.size() != 1) return Error::Internal("expected one queued mail");
    return due[0];
  });
  ASSERT_TRUE(queued.ok()) << queued.error().message;
  auto templates = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(templates.ok());
  store::BlobStore blobs((dir / "files").string());
  core::ManualClock clock(now);
  MailerOptions options;
  options.desk_name = "Acme Support";
  options.public_url = "https://desk.example";
  Mailer mailer(st, blobs, clock, options, std::move(*templates));
  auto mail = st.Read<mail::OutgoingMail>([&](store::Repo& repo) { return mailer.Render(repo, *queued, now); });
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->to.address, "lia@desk.test");
  EXPECT_EQ(mail->subject, "Violação de SLA no chat (primeira resposta): CH-7K2M9QXA");
  EXPECT_EQ(mail->ticket, 0);
  for (const char* part : {"Olá, Lia,", "Chat CH-7K2M9QXA com Rosa: O relatório não abre", "em até 30m", "Venceu em: 30/11/2026 10:30 (America/Sao_Paulo)",
                           "https://desk.example/agent/chats"})
    EXPECT_NE(mail->body.find(part), std::string::npos) << part << "\n" << mail->body;
  opened->reset();
  std::filesystem::remove_all(dir);
}

// The auto-close's two mails exist in every desk language (none falls back to English) and
// carry when the ticket closes and after how long.
TEST(Mailer, AutoCloseMailsInEveryLanguage) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  const mail::MailTemplates::Vars v{{"ticket.number", "42"},
                                    {"ticket.subject", "Media upload fails"},
                                    {"ticket.url", "https://desk.example/portal/tickets/42"},
                                    {"recipient.name", "Zé"},
                                    {"desk.name", "Acme Support"},
                                    {"automation.after", "48h"},
                                    {"automation.closes_at", "04/03/2026 10:00 (America/Sao_Paulo)"}};
  auto english_reminder = shipped->Render("auto_close_reminder", "en", v);
  auto english_closed = shipped->Render("auto_closed", "en", v);
  ASSERT_TRUE(english_reminder.ok() && english_closed.ok());
  for (std::string_view language : core::kLanguages) {
    const std::string lang(language);
    auto reminder = shipped->Render("auto_close_reminder", lang, v);
    auto closed = shipped->Render("auto_closed", lang, v);
    ASSERT_TRUE(reminder.ok() && closed.ok()) << lang;
    EXPECT_NE(reminder->body.find("04/03/2026 10:00 (America/Sao_Paulo)"), std::string::npos) << lang << reminder->body;
    EXPECT_NE(reminder->body.find("#42"), std::string::npos) << lang;
    EXPECT_NE(closed->body.find("48h"), std::string::npos) << lang << closed->body;
    EXPECT_NE(closed->body.find("Acme Support"), std::string::npos) << lang;
    if (lang != "en") {
      EXPECT_NE(reminder->subject, english_reminder->subject) << lang << " falls back to English";
      EXPECT_NE(closed->subject, english_closed->subject) << lang << " falls back to English";
    }
  }
}

// Labels live beside the templates: complete in English, and a misspelt key is refused
// instead of silently falling back.
// The solved mail in every desk language: the resolution's customer text and the summary given
// with the status change (no reply), and the survey's link only when the mailer gives one,
// leaving no gap where it is not.
TEST(Mailer, SolvedMailCarriesTheOutcomeAndTheSurveyLinkInEveryLanguage) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  mail::MailTemplates::Vars v{{"ticket.number", "42"},
                              {"ticket.subject", "Export to Salesforce"},
                              {"ticket.url", "https://desk.example/portal/tickets/42"},
                              {"ticket.resolution", "Feature request"},
                              {"ticket.resolution_text", "RESOLUTION-TEXT"},
                              {"ticket.resolution_summary", "Sent to the product team as PRD-41."},
                              {"desk.name", "Acme Support"}};
  for (std::string_view language : core::kLanguages) {
    const std::string lang(language);
    auto plain = shipped->Render("ticket_solved", lang, v);
    ASSERT_TRUE(plain.ok()) << lang;
    EXPECT_NE(plain->body.find("RESOLUTION-TEXT"), std::string::npos) << lang << plain->body;
    EXPECT_NE(plain->body.find("Sent to the product team as PRD-41."), std::string::npos) << lang << plain->body;
    EXPECT_EQ(plain->body.find("survey"), std::string::npos) << lang << plain->body;
    EXPECT_EQ(plain->body.find("\n\n\n"), std::string::npos) << lang << plain->body;
    auto with_survey = v;
    with_survey["survey.url"] = "https://desk.example/survey/42?sig=abc";
    for (const char* tmpl : {"ticket_solved", "auto_closed"}) {
      auto asked = shipped->Render(tmpl, lang, with_survey);
      ASSERT_TRUE(asked.ok()) << lang;
      EXPECT_NE(asked->body.find(": https://desk.example/survey/42?sig=abc\n"), std::string::npos) << lang << asked->body;
      EXPECT_EQ(asked->body.find("\n\n\n"), std::string::npos) << lang << asked->body;
    }
  }
}

TEST(Mailer, LabelsAreCompleteInEnglishAndUnknownOnesAreRefused) {
  auto shipped = mail::MailTemplates::Load(CHAMADO_TEMPLATES_DIR);
  ASSERT_TRUE(shipped.ok()) << shipped.error().message;
  for (std::string_view language : core::kLanguages)
    for (const auto& key : MailLabelKeys())
      EXPECT_TRUE(shipped->labels().count(std::string(language) + "/" + key)) << language << " lacks " << key;
  EXPECT_EQ(shipped->Label("pt-BR", "status.pending_customer"), "Aguardando sua resposta");
  EXPECT_EQ(shipped->Label("xx", "target.first_response"), "first response");

  const auto dir = std::filesystem::temp_directory_path() / ("chamado_labels_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(CHAMADO_TEMPLATES_DIR, dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "de" / "labels.toml", std::ios::app);
    out << "\n[status]\npending_custmer = \"Wartet\"\n";
  }
  auto duplicate_table = mail::MailTemplates::Load(dir.string());
  ASSERT_FALSE(duplicate_table.ok());  // [status] twice is a TOML error, named with its file
  EXPECT_NE(duplicate_table.error().message.find("de/labels.toml"), std::string::npos) << duplicate_table.error().message;
  {
    std::ofstream out(dir / "de" / "labels.toml", std::ios::trunc);
    out << "[status]\npending_custmer = \"Wartet\"\n";
  }
  auto misspelt = mail::MailTemplates::Load(dir.string());
  ASSERT_TRUE(misspelt.ok()) << misspelt.error().message;
  auto r = CheckTemplates(*misspelt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("de/labels.toml has an unknown label \"status.pending_custmer\""), std::string::npos)
      << r.error().message;
  std::filesystem::remove(dir / "en" / "labels.toml");
  auto no_english = mail::MailTemplates::Load(dir.string());
  ASSERT_TRUE(no_english.ok());
  r = CheckTemplates(*no_english);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("en/labels.toml lacks status.new"), std::string::npos) << r.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chamado::jobs
