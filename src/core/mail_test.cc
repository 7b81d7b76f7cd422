#include "core/mail.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

TEST(TicketTag, FindsTheFirstWellFormedTag) {
  EXPECT_EQ(TicketTagIn("Re: [#1234] Printer"), 1234);
  EXPECT_EQ(TicketTagIn("AW: [#x] [#42] Drucker"), 42);
  EXPECT_EQ(TicketTagIn("[#] nothing"), std::nullopt);
  EXPECT_EQ(TicketTagIn("Order #1234 shipped"), std::nullopt);
  EXPECT_EQ(TicketTagIn("[#12"), std::nullopt);
  EXPECT_EQ(TicketTagIn("[#99999999999999999999999]"), std::nullopt);
}

TEST(DeskLanguage, MapsContentLanguage) {
  EXPECT_EQ(DeskLanguage("pt-BR"), "pt-BR");
  EXPECT_EQ(DeskLanguage("pt"), "pt-BR");
  EXPECT_EQ(DeskLanguage(" es-MX, en-US"), "es");
  EXPECT_EQ(DeskLanguage("DE"), "de");
  EXPECT_EQ(DeskLanguage("fr-FR"), "");
  EXPECT_EQ(DeskLanguage(""), "");
}

TEST(CleanSubject, DropsReplyPrefixesAndTags) {
  EXPECT_EQ(CleanSubject("Re: AW: [#12] Printer"), "Printer");
  EXPECT_EQ(CleanSubject("RES: Fwd: Nota fiscal"), "Nota fiscal");
  EXPECT_EQ(CleanSubject("Ответ: Счёт"), "Счёт");
  EXPECT_EQ(CleanSubject("Reunião amanhã"), "Reunião amanhã");  // "Re" inside a word stays
  EXPECT_EQ(CleanSubject("Re[2]: status"), "status");
}

TEST(ChamadoMessageId, RoundTrips) {
  auto id = ChamadoMessageId(1234, 17, "ab12cd", "desk.example");
  EXPECT_EQ(id, "chamado.1234.17.ab12cd@desk.example");
  EXPECT_EQ(TicketOfChamadoMessageId(id), 1234);
  EXPECT_EQ(TicketOfChamadoMessageId("CAF1234@mail.gmail.com"), std::nullopt);
  EXPECT_EQ(TicketOfChamadoMessageId("chamado.x.1@h"), std::nullopt);
}

// The threading rules as a table: every situation intake can meet, and where the mail goes.
TEST(RouteMail, EverySituation) {
  using A = MailRoute::Action;
  using K = MessageKind;
  struct Row {
    const char* what;
    bool answers, closed, requester, agent, automatic;
    A action;
    K kind;
    bool on_behalf, follow_up;
  };
  const Row rows[] = {
      {"requester replies", true, false, true, false, false, A::kAppend, K::kCustomerMessage, false, false},
      {"requester's auto-reply", true, false, true, false, true, A::kAppend, K::kCustomerMessage, false, false},
      {"agent answers by mail", true, false, false, true, false, A::kAppend, K::kPublicReply, false, false},
      {"agent's out-of-office", true, false, false, true, true, A::kAppend, K::kInternalNote, false, false},
      {"a colleague writes", true, false, false, false, false, A::kOpen, K::kCustomerMessage, false, false},
      {"a third party's bounce", true, false, false, false, true, A::kAppend, K::kCustomerMessage, true, false},
      {"requester after closing", true, true, true, false, false, A::kOpen, K::kCustomerMessage, false, true},
      {"someone else after closing", true, true, false, false, false, A::kOpen, K::kCustomerMessage, false, false},
      {"auto-reply after closing", true, true, true, false, true, A::kIgnore, K::kCustomerMessage, false, false},
      {"agent's auto-reply after closing", true, true, false, true, true, A::kIgnore, K::kCustomerMessage, false, false},
      {"agent after closing", true, true, false, true, false, A::kRefuse, K::kCustomerMessage, false, false},
      {"a new request", false, false, false, false, false, A::kOpen, K::kCustomerMessage, false, false},
      {"an auto-reply answering nothing", false, false, false, false, true, A::kOpen, K::kCustomerMessage, false, false},
      {"an agent's mail answering nothing", false, false, false, true, false, A::kRefuse, K::kCustomerMessage, false, false},
      {"an agent's auto-reply answering nothing", false, false, false, true, true, A::kRefuse, K::kCustomerMessage, false, false},
  };
  for (const auto& r : rows) {
    const MailRoute got = RouteMail({r.answers, r.closed, r.requester, r.agent, r.automatic});
    EXPECT_EQ(got.action, r.action) << r.what;
    if (r.action == A::kAppend) {
      EXPECT_EQ(got.kind, r.kind) << r.what;
      EXPECT_EQ(got.on_behalf, r.on_behalf) << r.what;
    }
    if (r.action == A::kOpen) EXPECT_EQ(got.follow_up, r.follow_up) << r.what;
  }
}

TEST(QuotedHistory, FindsAttributionsInFiveLanguages) {
  struct Case {
    const char* body;
    const char* quote;  // where the history starts; nullptr: none
  };
  const Case cases[] = {
      {"Thanks, works now.\n\nOn Mon, 2 Nov 2026 at 10:00, Ana <ana@x.com> wrote:\n> old", "On Mon"},
      {"Obrigado!\n\nEm seg., 2 de nov. de 2026 às 10:00, Ana <ana@x.com> escreveu:\n> antigo", "Em seg."},
      {"Gracias\n\nEl lun, 2 nov 2026 a las 10:00, Ana (<ana@x.com>) escribió:\n> viejo", "El lun"},
      {"Danke\n\nAm 02.11.2026 um 10:00 schrieb Ana <ana@x.com>:\n> alt", "Am 02"},
      {"Спасибо\n\n2 нояб. 2026 г., в 10:00, Анна <ana@x.com> написал(а):\n> старое", "2 нояб"},
      {"See below\n\n-----Original Message-----\nFrom: Ana\nSent: Monday", "-----Original"},
      {"Segue\n\nDe: Ana Souza <ana@x.com>\nEnviado: segunda-feira\nPara: suporte", "De: Ana"},
      {"Wrapped\n\nOn Mon, 2 Nov 2026 at 10:00, Ana Souza <\nana@x.com> wrote:\n> old", "On Mon"},
      {"Top\n\n> quoted\n> more\n\n> and more", "> quoted"},
      {"Inline answers:\n> question one\nanswer one\n> question two\nanswer two", nullptr},
      {"> only a quote\n> nothing else", nullptr},
      {"No history here.\nOn the other hand, it wrote nothing", nullptr},
  };
  for (const auto& c : cases) {
    std::string_view body = c.body;
    size_t at = QuotedHistoryStart(body);
    if (c.quote == nullptr) {
      EXPECT_EQ(at, std::string_view::npos) << body;
    } else {
      ASSERT_NE(at, std::string_view::npos) << body;
      EXPECT_TRUE(body.substr(at).starts_with(c.quote)) << body << "\n-> " << body.substr(at);
    }
  }
}

}  // namespace
}  // namespace chamado::core
