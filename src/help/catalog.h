// What a reader of the help center sees in a language: one translation of each article (the
// language asked for, else a fallback), grouped into products and modules, each with the slug
// its page address uses.
//
// Fallback order for a reader of language L: L, then en, then pt-BR, then any other (by
// language code). An article is served in the first of these it has.
//
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "help/article.h"

namespace chamado::help {

// The place of a language in a reader's fallback order (0: theirs; lower is better).
int FallbackRank(std::string_view article_language, std::string_view reader_language);

// The best translation for the reader among `translations` (all of one key), or null when empty.
const Article* PickTranslation(const std::vector<Article>& translations, std::string_view reader_language);

// One translation per key (PickTranslation), in title order. `articles`: any order, any keys.
std::vector<Article> ForReader(std::vector<Article> articles, std::string_view reader_language);

struct Module {
  std::string name;
  std::string slug;
  int articles = 0;
};

struct Product {
  std::string name;
  std::string slug;
  int articles = 0;
  std::vector<Module> modules;  // by name
};

// The products and modules of `articles` (one per key, as ForReader gives), by name; an
// article without a product or module is in "General".
std::vector<Product> Catalog(const std::vector<Article>& articles);

// Whether `value` names the product or module `name`: its name exactly, or its slug.
bool NamesPlace(std::string_view value, std::string_view name);

// The product and module an article is shown under ("General" when it has none).
std::string ProductOf(const Article& a);
std::string ModuleOf(const Article& a);

}  // namespace chamado::help
