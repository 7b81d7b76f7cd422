#include "help/catalog.h"

#include <algorithm>
#include <map>

namespace chamado::help {

int FallbackRank(std::string_view article_language, std::string_view reader_language) {
  if (article_language == reader_language) return 0;
  if (article_language == "en") return 1;
  if (article_language == "pt-BR") return 2;
  return 3;
}

const Article* PickTranslation(const std::vector<Article>& translations, std::string_view reader_language) {
  const Article* best = nullptr;
  for (const auto& a : translations) {
    if (!best) {
      best = &a;
      continue;
    }
    const int rank = FallbackRank(a.language, reader_language), best_rank = FallbackRank(best->language, reader_language);
    if (rank < best_rank || (rank == best_rank && a.language < best->language)) best = &a;
  }
  return best;
}

std::vector<Article> ForReader(std::vector<Article> articles, std::string_view reader_language) {
  std::map<std::string, std::vector<Article>> by_key;
  for (auto& a : articles) by_key[a.key].push_back(std::move(a));
  std::vector<Article> out;
  for (auto& [key, translations] : by_key)
    if (const Article* best = PickTranslation(translations, reader_language)) out.push_back(*best);
  std::stable_sort(out.begin(), out.end(), [](const Article& a, const Article& b) { return a.title < b.title; });
  return out;
}

std::string ProductOf(const Article& a) { return a.product.empty() ? "General" : a.product; }
std::string ModuleOf(const Article& a) { return a.module.empty() ? "General" : a.module; }

std::vector<Product> Catalog(const std::vector<Article>& articles) {
  std::map<std::string, std::map<std::string, int>> counts;
  for (const auto& a : articles) ++counts[ProductOf(a)][ModuleOf(a)];
  std::vector<Product> out;
  for (const auto& [product, modules] : counts) {
    Product p{product, Slug(product), 0, {}};
    for (const auto& [module, n] : modules) {
      p.modules.push_back({module, Slug(module), n});
      p.articles += n;
    }
    out.push_back(std::move(p));
  }
  return out;
}

bool NamesPlace(std::string_view value, std::string_view name) { return value == name || value == Slug(name); }

}  // namespace chamado::help
