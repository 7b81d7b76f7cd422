#include "search/snippet.h"
#include "search/stopwords.h"
#include "search/synonyms.h"

#include <gtest/gtest.h>

namespace chamado::search {
namespace {

Matcher For(const Analyzer& a, std::string_view q) { return Matcher(a, Flatten(ParseTicketQuery(q)->all)); }

TEST(Snippet, MarksWhatTheSearchMatchedInAnyForm) {
  Analyzer pt("pt-BR");
  const auto s = MakeSnippet("As notas fiscais de março\nnão saem; a emissão para.", pt, For(pt, "\"nota fiscal\" emissao"));
  EXPECT_EQ(s.html, "As <mark>notas</mark> <mark>fiscais</mark> de março não saem; a <mark>emissão</mark> para.");
  EXPECT_EQ(s.matches, 3);
}

TEST(Snippet, EscapesEverythingButItsOwnMarks) {
  Analyzer en("en");
  const auto s = MakeSnippet(R"(<script>alert("x")</script> & the invoice's <b>total</b>)", en, For(en, "invoice"));
  EXPECT_EQ(s.html,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the <mark>invoice</mark>&#39;s &lt;b&gt;total&lt;/b&gt;");
}

TEST(Snippet, ALongTextIsCutAroundTheDensestMatches) {
  Analyzer en("en");
  std::string text;
  for (int i = 0; i < 40; ++i) text += "filler words here. ";
  text += "The webhook failed with ERR_CONN_REFUSED after the webhook retry. ";
  for (int i = 0; i < 40; ++i) text += "more filler text. ";
  const auto s = MakeSnippet(text, en, For(en, "webhook err_conn_refused"), 120);
  EXPECT_TRUE(s.html.starts_with("…")) << s.html;
  EXPECT_TRUE(s.html.ends_with("…")) << s.html;
  EXPECT_NE(s.html.find("<mark>webhook</mark> failed with <mark>ERR_CONN_REFUSED</mark>"), std::string::npos) << s.html;
  EXPECT_EQ(s.matches, 3);
  EXPECT_LT(s.html.size(), 120u + 80u);
}

TEST(Snippet, WithoutAMatchItIsTheBeginning) {
  Analyzer en("en");
  const auto s = MakeSnippet("Short text.", en, For(en, "absent"));
  EXPECT_EQ(s.html, "Short text.");
  EXPECT_EQ(s.matches, 0);
  EXPECT_EQ(MakeSnippet("", en, For(en, "x")).html, "");
}

TEST(Snippet, PrefixesMatchTheWordsThatStartWithThem) {
  Analyzer pt("pt-BR");
  EXPECT_EQ(Highlight("Configurações e configurar", pt, For(pt, "configura*")),
            "<mark>Configurações</mark> e <mark>configurar</mark>");
  // Multibyte text is never cut inside a character.
  const auto s = MakeSnippet(std::string(300, 'a') + " ação " + std::string(10, 'b'), pt, For(pt, "acao"), 20);
  EXPECT_NE(s.html.find("<mark>ação</mark>"), std::string::npos) << s.html;
}

TEST(Stopwords, SnowballsListsWhateverTheCaseAndAccents) {
  EXPECT_TRUE(IsStopword("pt-BR", "Não"));
  EXPECT_TRUE(IsStopword("pt", "nao"));
  EXPECT_TRUE(IsStopword("pt", "como"));
  EXPECT_FALSE(IsStopword("pt", "nota"));
  EXPECT_TRUE(IsStopword("en", "The"));
  EXPECT_FALSE(IsStopword("en", "invoice"));
  EXPECT_TRUE(IsStopword("ru", "Этот"));
  EXPECT_TRUE(IsStopword("de", "über"));
  EXPECT_TRUE(IsStopword("es", "cómo"));
  EXPECT_FALSE(IsStopword("fr", "le"));
}

TEST(Synonyms, AWordFindsItsSetsByStem) {
  const auto anular = SynonymsOf("pt-BR", "anulei");
  EXPECT_NE(std::find(anular.begin(), anular.end(), "cancelar"), anular.end());
  const auto cancelar = SynonymsOf("pt", "Cancelamento");  // in two sets: both
  EXPECT_NE(std::find(cancelar.begin(), cancelar.end(), "anular"), cancelar.end());
  EXPECT_NE(std::find(cancelar.begin(), cancelar.end(), "encerrar"), cancelar.end());
  EXPECT_EQ(std::find(cancelar.begin(), cancelar.end(), "cancelar"), cancelar.end());  // not itself
  const auto nf = SynonymsOf("pt", "NF");
  EXPECT_NE(std::find(nf.begin(), nf.end(), "nota fiscal"), nf.end());
  EXPECT_TRUE(SynonymsOf("pt", "banana").empty());
  EXPECT_TRUE(SynonymsOf("fr", "annuler").empty());
  const auto signin = SynonymsOf("en", "Logins");
  EXPECT_NE(std::find(signin.begin(), signin.end(), "sign in"), signin.end());
}

}  // namespace
}  // namespace chamado::search
