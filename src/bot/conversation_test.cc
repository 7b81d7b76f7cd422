#include "bot/conversation.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sla/policy_toml.h"

namespace chamado::bot {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// Seed 004's flow and policy, walked as a customer would.
class Conversation : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = std::string(CHAMADO_EXAMPLES) + "/";
    auto p = sla::ParsePolicy(ReadFile(dir + "policies/004_agency_management.toml"), "004.toml",
                              [&](std::string_view rel) -> Result<std::string> { return ReadFile(dir + "policies/" + std::string(rel)); });
    ASSERT_TRUE(p.ok()) << p.error().message;
    policy_ = std::move(*p);
    auto f = ParseFlow(ReadFile(dir + "bots/004_agency_management.toml"), "004.toml", &policy_);
    ASSERT_TRUE(f.ok()) << f.error().message;
    flow_ = std::move(f->flow);
    facts_.language = "pt-BR";
    facts_.now = At("2026-11-30T10:00:00-03:00");  // a Monday, in live-chat hours
    facts_.signed_in = true;
    facts_.plan_has_chat = true;
    facts_.calendars = &policy_.calendars;
    facts_.time_zone = "America/Sao_Paulo";
  }

  Outcome Choose(const State& s, const char* option) { return Step(flow_, s, Input{option, std::nullopt}, facts_); }
  Outcome Type(const State& s, const char* text) { return Step(flow_, s, Input{std::nullopt, text}, facts_); }
  // From the start to the search: "Tenho uma dúvida sobre a plataforma", then "Não".
  State AtSearch() {
    return Choose(Choose(Start(flow_, facts_).state, "1").state, "2").state;
  }
  State NotHelped() {
    facts_.found = {{"projects-open", "Como abrir um projeto", "/help/pt-BR/projetos/projetos/como-abrir-um-projeto"}};
    auto shown = Type(AtSearch(), "abrir projeto");
    facts_.found.clear();
    return Choose(shown.state, "2").state;
  }

  sla::Policy policy_;
  Flow flow_;
  Facts facts_;
};

TEST_F(Conversation, TheFirstTurnIsTheStartNodeInTheSessionsLanguage) {
  auto o = Start(flow_, facts_);
  ASSERT_EQ(o.said.size(), 1u);
  EXPECT_EQ(o.said[0].text, "Olá! Sou o assistente do suporte. Como posso ajudar?");
  ASSERT_EQ(o.said[0].options.size(), 2u);
  EXPECT_EQ(o.said[0].options[0].id, "1");
  EXPECT_EQ(o.said[0].options[0].label, "Tenho uma dúvida sobre a plataforma");
  EXPECT_EQ(o.state.node, "welcome");
  EXPECT_EQ(o.state.awaiting, Awaiting::kChoice);
  facts_.language = "es";
  EXPECT_EQ(Start(flow_, facts_).said[0].options[0].label, "Tengo una duda sobre la plataforma");
  facts_.language = "de";  // no German in the flow: its default language
  EXPECT_EQ(Start(flow_, facts_).said[0].text, "Olá! Sou o assistente do suporte. Como posso ajudar?");
}

TEST_F(Conversation, TheSeedsPathToAnArticleThatHelped) {
  auto invoices = Choose(Start(flow_, facts_).state, "1");
  EXPECT_EQ(invoices.said[0].text, "É sobre faturas ou notas fiscais?");
  auto search = Type(invoices.state, "Não");  // the label typed out works as the option
  EXPECT_EQ(search.state.node, "search");
  EXPECT_EQ(search.state.awaiting, Awaiting::kWords);
  facts_.found = {{"projects-open", "Como abrir um projeto", "/help/pt-BR/projetos/projetos/como-abrir-um-projeto"},
                  {"projects-close", "Como fechar um projeto", "/help/pt-BR/projetos/projetos/como-fechar-um-projeto"}};
  auto shown = Type(search.state, "abrir projeto");
  ASSERT_EQ(shown.said.size(), 1u);
  EXPECT_EQ(shown.said[0].articles.size(), 2u);
  EXPECT_EQ(shown.said[0].text, "Algum destes artigos da Central de Ajuda respondeu à sua dúvida?");
  ASSERT_EQ(shown.said[0].options.size(), 2u);
  EXPECT_EQ(shown.said[0].options[0].label, "Sim");
  auto glad = Choose(shown.state, "1");
  EXPECT_EQ(glad.said[0].text, "Que bom que ajudou! A Central de Ajuda está disponível 24 horas por dia.");
  EXPECT_EQ(glad.state.status, Status::kEnded);
  EXPECT_EQ(glad.deflected, (std::vector<std::string>{"projects-open", "projects-close"}));
  auto after = Type(glad.state, "olá?");
  EXPECT_EQ(after.said[0].text, PhraseIn(Phrase::kEnded, "pt-BR"));
}

TEST_F(Conversation, NothingFoundGoesOnAsNotHelped) {
  auto o = Type(AtSearch(), "xyzzy");
  ASSERT_EQ(o.said.size(), 2u);
  EXPECT_EQ(o.said[0].text, "Não encontrei nenhum artigo sobre isso.");
  EXPECT_EQ(o.state.node, "not_helped");
  EXPECT_TRUE(o.deflected.empty());
}

TEST_F(Conversation, AnUnrecognisedAnswerIsSaidSoAndTheQuestionAsked) {
  auto start = Start(flow_, facts_);
  auto o = Type(start.state, "banana");
  ASSERT_EQ(o.said.size(), 1u);
  EXPECT_EQ(o.said[0].text, "Desculpe, não entendi. Escolha uma das opções abaixo.");
  EXPECT_EQ(o.said[0].options.size(), 2u);
  EXPECT_EQ(o.state.node, "welcome");
  EXPECT_EQ(Choose(start.state, "9").state.node, "welcome");
  auto words = Choose(AtSearch(), "1");  // a search waits for words, not a choice
  EXPECT_EQ(words.said[0].text, "Digite algumas palavras sobre a sua dúvida.");
  EXPECT_EQ(words.state.awaiting, Awaiting::kWords);
}

TEST_F(Conversation, APersonTakesOverInLiveChatHoursWhenThePlanHasChat) {
  auto o = Choose(NotHelped(), "1");
  ASSERT_EQ(o.said.size(), 1u);
  EXPECT_EQ(o.said[0].text, "Vou chamar uma pessoa do nosso time; ela continua esta conversa em instantes.");
  EXPECT_EQ(o.state.status, Status::kWaitingForAgent);
  EXPECT_TRUE(o.hand_off);
  EXPECT_TRUE(Type(o.state, "alô?").said.empty());  // the agent answers now, not the bot
}

TEST_F(Conversation, OutOfHoursTheBotSaysWhenPeopleAreBackAndOffersATicket) {
  struct Case {
    const char* now;
    const char* language;
    const char* zone;
    std::string said;
  } cases[] = {
      {"2026-11-30T12:30:00-03:00", "pt-BR", "America/Sao_Paulo",
       "Nosso atendimento ao vivo funciona das 9h às 12h e das 13h às 17h, em dias úteis. Voltamos em 30/11/2026 13:00 (America/Sao_Paulo)."},
      {"2026-12-04T17:00:00-03:00", "en", "America/Sao_Paulo",  // Friday's closing: Monday
       "Our live service runs 09:00-12:00 and 13:00-17:00 on business days. We are back on 2026-12-07 09:00 (America/Sao_Paulo)."},
      {"2026-12-24T20:00:00-03:00", "es", "Europe/Madrid",  // Christmas is a holiday; in the customer's zone
       "Nuestra atención en vivo funciona de 9 a 12 y de 13 a 17, en días hábiles. Volvemos el 28/12/2026 13:00 (Europe/Madrid)."},
  };
  for (const auto& c : cases) {
    facts_.language = c.language;
    facts_.time_zone = c.zone;
    const State at = NotHelped();
    facts_.now = At(c.now);
    auto o = Choose(at, "1");
    ASSERT_EQ(o.said.size(), 1u) << c.now;
    EXPECT_EQ(o.said[0].text, c.said) << c.now;
    EXPECT_FALSE(o.hand_off);
    EXPECT_EQ(o.state.status, Status::kActive);
    ASSERT_EQ(o.said[0].options.size(), 1u);
    auto ticket = Choose(o.state, "1");
    EXPECT_EQ(ticket.state.node, "ticket");
    EXPECT_EQ(ticket.state.awaiting, Awaiting::kDescription);
    facts_.now = At("2026-11-30T10:00:00-03:00");
  }
}

TEST_F(Conversation, WithoutChatInThePlanThereIsNoPersonButATicket) {
  facts_.plan_has_chat = false;
  auto o = Choose(NotHelped(), "1");
  EXPECT_EQ(o.said[0].text, "O atendimento ao vivo não faz parte do seu plano.");
  EXPECT_FALSE(o.hand_off);
  EXPECT_EQ(o.said[0].options[0].label, "Abrir um ticket");
}

TEST_F(Conversation, ASignedInCustomersTicketOpensFromTheirQuestion) {
  auto asked = Choose(NotHelped(), "2");
  EXPECT_EQ(asked.state.awaiting, Awaiting::kDescription);
  auto o = Type(asked.state, "  O projeto 123 não abre  ");
  ASSERT_TRUE(o.ticket);
  EXPECT_EQ(o.ticket->category, "platform_question");
  EXPECT_EQ(o.ticket->description, "O projeto 123 não abre");
  EXPECT_TRUE(o.said.empty());
  auto done = TicketOpened(flow_, o.state, 42, facts_);
  EXPECT_EQ(done.said[0].text, "Abrimos o ticket #42. Responderemos por email em até 24 horas úteis. Lembre-se: um ticket por assunto.");
  EXPECT_EQ(done.state.status, Status::kTicketOpened);
}

TEST_F(Conversation, TheInvoicesPathOpensItsTicketInItsCategory) {
  auto invoices = Choose(Choose(Start(flow_, facts_).state, "1").state, "1");
  EXPECT_EQ(invoices.state.node, "invoices_ticket");
  EXPECT_EQ(Type(invoices.state, "Nota 77 recusada").ticket->category, "invoices");
}

TEST_F(Conversation, AnAnonymousVisitorGivesAnEmailAddress) {
  facts_.signed_in = false;
  auto asked = Choose(Start(flow_, facts_).state, "2");
  auto email = Type(asked.state, "Minha senha não funciona");
  EXPECT_FALSE(email.ticket);
  EXPECT_EQ(email.state.awaiting, Awaiting::kEmail);
  EXPECT_EQ(email.said[0].text, PhraseIn(Phrase::kAskEmail, "pt-BR"));
  auto bad = Type(email.state, "não tenho");
  EXPECT_FALSE(bad.ticket);
  EXPECT_EQ(bad.said[0].text, PhraseIn(Phrase::kBadEmail, "pt-BR"));
  auto o = Type(bad.state, "rosa@example.com");
  ASSERT_TRUE(o.ticket);
  EXPECT_EQ(o.ticket->email, "rosa@example.com");
  EXPECT_EQ(o.ticket->description, "Minha senha não funciona");
}

TEST(Email, WhatLooksLikeAnAddress) {
  EXPECT_TRUE(LooksLikeEmail("a@b.co"));
  EXPECT_TRUE(LooksLikeEmail("maria.silva+bot@acme.com.br"));
  for (const char* bad : {"", "a@b", "@b.co", "a@@b.co", "a b@c.co", "a@b.", "a@.co", "<a@b.co>"}) EXPECT_FALSE(LooksLikeEmail(bad)) << bad;
}

TEST(Phrases, EveryPhraseInEveryDeskLanguage) {
  // An id the catalog lacks would come back as the id itself.
  for (int p = 0; p <= int(Phrase::kTranscriptCustomer); ++p)
    for (const char* l : {"en", "pt-BR", "es", "de", "ru"}) {
      const std::string said = PhraseIn(Phrase(p), l);
      EXPECT_FALSE(said.empty() || said.starts_with("bot.")) << p << " " << l << ": " << said;
    }
  EXPECT_EQ(PhraseIn(Phrase::kYes, "fr"), "Yes");
  EXPECT_EQ(PhraseIn(Phrase::kYes, "pt-BR"), "Sim");
  EXPECT_EQ(PhraseIn(Phrase::kTranscriptCustomer, "de"), "Kunde");
}

}  // namespace
}  // namespace chamado::bot
