#include "help/catalog.h"

#include <gtest/gtest.h>

namespace chamado::help {
namespace {

Article A(std::string key, std::string language, std::string title, std::string product = "", std::string module = "") {
  Article a;
  a.key = std::move(key);
  a.language = std::move(language);
  a.title = std::move(title);
  a.product = std::move(product);
  a.module = std::move(module);
  a.slug = Slug(a.title);
  return a;
}

TEST(PickTranslation, FollowsTheReaderThenEnglishThenPortugueseThenAny) {
  struct Case {
    std::vector<std::string> have;
    const char* reader;
    const char* served;
  } cases[] = {
      {{"pt-BR", "en", "es"}, "es", "es"},
      {{"pt-BR", "en", "es"}, "de", "en"},
      {{"pt-BR", "es"}, "de", "pt-BR"},
      {{"ru", "es"}, "de", "es"},
      {{"ru"}, "pt-BR", "ru"},
      {{"en", "pt-BR"}, "pt-BR", "pt-BR"},
  };
  for (const auto& c : cases) {
    std::vector<Article> translations;
    for (const auto& l : c.have) translations.push_back(A("k", l, "T " + l));
    const Article* best = PickTranslation(translations, c.reader);
    ASSERT_NE(best, nullptr);
    EXPECT_EQ(best->language, c.served) << c.reader;
  }
  EXPECT_EQ(PickTranslation({}, "en"), nullptr);
}

TEST(Catalog, GroupsOneTranslationPerKeyIntoProductsAndModules) {
  const auto shown = ForReader({A("nfe", "pt-BR", "Emitir nota", "Financeiro", "Notas fiscais"),
                                A("nfe", "en", "Issue an invoice", "Billing", "Invoices"),
                                A("boleto", "en", "Boleto payments", "Billing", "Payments"),
                                A("stock", "pt-BR", "Ajustar estoque", "Estoque", "Ajustes"),
                                A("loose", "pt-BR", "Sem lugar")},
                               "pt-BR");
  ASSERT_EQ(shown.size(), 4u);
  EXPECT_EQ(shown[0].title, "Ajustar estoque");
  const auto products = Catalog(shown);
  ASSERT_EQ(products.size(), 4u);
  EXPECT_EQ(products[0].name, "Billing");  // only the English boleto article: a fallback
  EXPECT_EQ(products[0].modules[0].slug, "payments");
  EXPECT_EQ(products[2].name, "Financeiro");
  EXPECT_EQ(products[2].modules[0].name, "Notas fiscais");
  EXPECT_EQ(products[2].modules[0].slug, "notas-fiscais");
  EXPECT_EQ(products[2].articles, 1);
  EXPECT_EQ(products[3].name, "General");
  EXPECT_EQ(products[3].modules[0].slug, "general");
  EXPECT_TRUE(NamesPlace("notas-fiscais", "Notas fiscais"));
  EXPECT_TRUE(NamesPlace("Notas fiscais", "Notas fiscais"));
  EXPECT_FALSE(NamesPlace("notas", "Notas fiscais"));
}

}  // namespace
}  // namespace chamado::help
