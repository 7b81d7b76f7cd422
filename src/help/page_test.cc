#include "help/page.h"

#include <gtest/gtest.h>

namespace chamado::help {
namespace {

constexpr const char* kShell = R"(<!doctype html>
<html lang="en">
  <head>
    <meta name="description" content="Chamado help desk" />
    <title>Chamado</title>
  </head>
  <body><div id="app"></div></body>
</html>
)";

TEST(FillPage, SetsTitleDescriptionCanonicalAndLanguage) {
  const std::string html = FillPage(kShell, {"pt-BR", "Emitir nota <fiscal> & \"boleto\"", "Vá em Financeiro.",
                                             "https://desk.example/help/pt-BR/financeiro/notas-fiscais/emitir"});
  EXPECT_NE(html.find("<html lang=\"pt-BR\">"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>Emitir nota &lt;fiscal&gt; &amp; &quot;boleto&quot;</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("<meta name=\"description\" content=\"Vá em Financeiro.\" />"), std::string::npos) << html;
  EXPECT_NE(html.find("<link rel=\"canonical\" href=\"https://desk.example/help/pt-BR/financeiro/notas-fiscais/emitir\" />"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("Chamado help desk"), std::string::npos);
  EXPECT_EQ(html.find("<title>Chamado</title>"), std::string::npos);
}

TEST(ParsePagePath, ReadsTheHelpCenterAddresses) {
  EXPECT_FALSE(ParsePagePath("/help"));
  EXPECT_FALSE(ParsePagePath("/agent/x"));
  EXPECT_FALSE(ParsePagePath("/help/en/a/b/c/d"));
  auto a = ParsePagePath("/help/pt-BR/financeiro/notas-fiscais/emitir");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->language, "pt-BR");
  EXPECT_EQ(a->product, "financeiro");
  EXPECT_EQ(a->module, "notas-fiscais");
  EXPECT_EQ(a->slug, "emitir");
  auto s = ParsePagePath("/help/es/search");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->search);
  auto home = ParsePagePath("/help/en/");
  ASSERT_TRUE(home);
  EXPECT_TRUE(home->product.empty());
}

TEST(Sitemap, ListsEscapedAddressesWithTheirDay) {
  const std::string xml = Sitemap({{"https://d.example/help/en?x=1&y=2", std::nullopt},
                                   {"https://d.example/help/en/a/b/c", FromUnixMillis(1764547200000)}});
  EXPECT_NE(xml.find("<loc>https://d.example/help/en?x=1&amp;y=2</loc></url>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<lastmod>2025-12-01</lastmod>"), std::string::npos) << xml;
  EXPECT_TRUE(xml.starts_with("<?xml"));
}

}  // namespace
}  // namespace chamado::help
