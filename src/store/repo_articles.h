// The help-center aggregate of the repository: articles (one row per translation), each with
// the revision of its last change (V014), from which the search index (store/article_index.h)
// is kept.
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

  // The highest revision of any article (0: none yet).
  Result<int64_t> ArticleRevision();
  // Articles whose revision is past `revision`, in revision order, at most `limit`.
  struct Revised {
    int64_t revision = 0;
    help::Article article;
  };
  Result<std::vector<Revised>> ArticlesSince(int64_t revision, int limit);
  // The articles of these ids that exist, in no particular order.
  Result<std::vector<help::Article>> ArticlesWithIds(const std::vector<core::Id>& ids);

 private:
  Connection& c_;
};

}  // namespace chamado::store
