// The help-center aggregate of the repository: articles (one row per translation) and their
// full-text indexes (article_fts_<language>, kept by V010's triggers).
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "help/article.h"
#include "search/query.h"
#include "store/sql.h"

namespace chamado::store {

struct ArticleSearch {
  std::vector<search::Clause> words;  // a question's words (search::ParseQuestion)
  std::string language;               // the reader's: their language's results come first
  std::string product;                // only this product (exact), when set
  std::string module;                 // only this module (exact), when set
  bool drafts = false;                // agents preparing articles see drafts too
  int limit = 10;
};

struct ArticleHit {
  help::Article article;
  double score = 0;  // higher is better, comparable within one language
};

class ArticleRepo {
 public:
  explicit ArticleRepo(Connection& c) : c_(c) {}

  enum class Put { kCreated, kUpdated, kUnchanged };
  // Creates the translation (key, language) or updates it; an identical one is left alone.
  Result<Put> PutArticle(help::Article a, Instant now);
  Result<std::optional<help::Article>> GetArticle(std::string_view key, std::string_view language);
  // Every translation, by key then language (export).
  Result<std::vector<help::Article>> AllArticles();

  // Ranked by BM25 over title, body, tags and place (product and module), the title weighing
  // most; a document needs one of the words (stop words of its language dropped), and the
  // more it has the higher it ranks.
  Result<std::vector<ArticleHit>> SearchArticles(const ArticleSearch& s);

 private:
  Connection& c_;
};

}  // namespace chamado::store
