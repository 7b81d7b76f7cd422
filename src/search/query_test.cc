#include "search/query.h"

#include <gtest/gtest.h>

namespace chamado::search {
namespace {

using K = Clause::Kind;

TicketQuery Parse(std::string_view text) {
  auto q = ParseTicketQuery(text);
  EXPECT_TRUE(q.ok()) << text << ": " << (q.ok() ? "" : q.error().message);
  return q.ok() ? *q : TicketQuery{};
}

date::sys_days Day(int y, unsigned m, unsigned d) { return date::sys_days(date::year{y} / m / d); }

TEST(TicketQuery, TheIssuesExampleSplitsIntoTextAndFilters) {
  const auto q = Parse(R"(status:open org:acme "nota fiscal" -teste configur*)");
  EXPECT_EQ(q.statuses, std::vector<std::string>{"open"});
  EXPECT_EQ(q.organizations, std::vector<std::string>{"acme"});
  ASSERT_EQ(q.all.size(), 2u);
  EXPECT_EQ(q.all[0], (std::vector<Clause>{{K::kPhrase, "nota fiscal"}}));
  EXPECT_EQ(q.all[1], (std::vector<Clause>{{K::kPrefix, "configur"}}));
  EXPECT_EQ(q.none, (std::vector<Clause>{{K::kWord, "teste"}}));
}

TEST(TicketQuery, CommasAndRepeatsMeanAnyOf) {
  const auto q = Parse("status:open,pending_customer status:open tag:vip priority:P1 Priority:P2");
  EXPECT_EQ(q.statuses, (std::vector<std::string>{"open", "pending_customer"}));
  EXPECT_EQ(q.tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(q.priorities, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_FALSE(q.HasText());
  EXPECT_TRUE(q.HasFilters());
}

TEST(TicketQuery, QuotedValuesKeepTheirSpacesAndCommas) {
  const auto q = Parse(R"(organization:"Acme, Ltda" group:"Nível 2" requester:ana@acme.com.br)");
  EXPECT_EQ(q.organizations, std::vector<std::string>{"Acme, Ltda"});
  EXPECT_EQ(q.groups, std::vector<std::string>{"Nível 2"});
  EXPECT_EQ(q.requesters, std::vector<std::string>{"ana@acme.com.br"});
}

TEST(TicketQuery, OrJoinsTheClausesBesideIt) {
  const auto q = Parse("boleto OR pix atrasado");
  ASSERT_EQ(q.all.size(), 2u);
  EXPECT_EQ(q.all[0], (std::vector<Clause>{{K::kWord, "boleto"}, {K::kWord, "pix"}}));
  EXPECT_EQ(q.all[1], (std::vector<Clause>{{K::kWord, "atrasado"}}));
  // A leading or trailing OR, or "or" in lower case, is a word or nothing.
  EXPECT_EQ(Parse("OR boleto OR").all.size(), 1u);
  EXPECT_EQ(Parse("boleto or pix").all.size(), 3u);
}

TEST(TicketQuery, DatesAreDayRangesInTheSearchersZone) {
  auto q = Parse("created>=2026-01-01 created<2026-02-01 updated:2026-03-15");
  EXPECT_EQ(q.created, (DayRange{Day(2026, 1, 1), Day(2026, 2, 1)}));
  EXPECT_EQ(q.updated, (DayRange{Day(2026, 3, 15), Day(2026, 3, 16)}));
  q = Parse("created>2026-01-01 created<=2026-01-31");
  EXPECT_EQ(q.created, (DayRange{Day(2026, 1, 2), Day(2026, 2, 1)}));
  // Two lower bounds: the later one holds.
  q = Parse("created>=2026-01-01 created>=2026-01-10");
  EXPECT_EQ(q.created.from, Day(2026, 1, 10));
}

TEST(TicketQuery, WhatIsNotAFieldIsText) {
  const auto q = Parse("erro: https://acme.com.br/x ERR_CONN_REFUSED #1234 2.4.1 status:");
  ASSERT_EQ(q.all.size(), 6u);
  EXPECT_EQ(q.all[0][0].text, "erro:");
  EXPECT_EQ(q.all[1][0].text, "https://acme.com.br/x");
  EXPECT_EQ(q.all[5][0].text, "status:");
  EXPECT_FALSE(q.HasFilters());
  // Clauses with no letter or digit say nothing.
  EXPECT_TRUE(Parse(R"(- -- "" * ! ...)").Empty());
}

TEST(TicketQuery, AnUnclosedQuoteRunsToTheEnd) {
  const auto q = Parse(R"(boleto "nota fisc)");
  ASSERT_EQ(q.all.size(), 2u);
  EXPECT_EQ(q.all[1], (std::vector<Clause>{{K::kPhrase, "nota fisc"}}));
}

TEST(TicketQuery, MistakesAreNamedWithWhatToWrite) {
  struct Case {
    const char* query;
    const char* says;
  };
  for (const auto& c : std::vector<Case>{
           {"created>=2026-13-01", "created>=2026-13-01: 2026-13-01 is not a day"},
           {"created>=yesterday", "a date is written YYYY-MM-DD"},
           {"updated:2026-02-30", "is not a day"},
           {"-status:closed", "filters cannot be excluded"},
           {"status>open", "status is compared with ':'"},
           {"tag:,", "give tag a value"},
       }) {
    auto q = ParseTicketQuery(c.query);
    ASSERT_FALSE(q.ok()) << c.query;
    EXPECT_NE(q.error().message.find(c.says), std::string::npos) << c.query << " -> " << q.error().message;
    ASSERT_EQ(q.error().fields.size(), 1u);
    EXPECT_EQ(q.error().fields[0].field, "q");
  }
  // Said in the reader's language, the clause and the filter as typed.
  const auto empty = ParseTicketQuery("tag:,");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().MessageIn("pt-BR"), "tag:,: dê um valor a tag.");
  EXPECT_EQ(empty.error().MessageIn("de"), "tag:,: geben Sie tag einen Wert.");
}

TEST(Question, EveryWordCountsAndOperatorsAreText) {
  const auto words = ParseQuestion(R"(como "cancelo" uma nota -fiscal OR boleto*? !!)");
  std::vector<std::string> texts;
  for (const auto& w : words) texts.push_back(w.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"como", "cancelo", "uma", "nota", "fiscal", "boleto?"}));
  for (const auto& w : words) EXPECT_EQ(w.kind, K::kWord);
}

}  // namespace
}  // namespace chamado::search
