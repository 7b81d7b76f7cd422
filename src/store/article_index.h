// The help center's search index: Xapian, one database per index language, beside the SQL
// database (`<database>.help-index/<language>/`). The articles table is the truth; the index
// is derived from it and can be deleted while no server runs (it is built again at the first
// search).
//
// Why not FTS5, as tickets are: a question's common words ("como", "nota") occur in tens of
// thousands of articles, and FTS5 scores every article a word occurs in (bench/README.md:
// 30-45 ms at 100,000 articles); Xapian's matcher stops scoring an article as soon as it
// cannot reach the best ten, and answers the same questions in a millisecond or two.
//
// Every change to an article raises its revision (V014's triggers). Before a search, the
// index takes the articles past the revision it holds (CatchUp): a search sees what was
// written before it, whichever process wrote it. Only one process writes an index at a time
// (Xapian's lock); another that finds it locked searches what is there and leaves the rest
// to the one writing. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/repo_articles.h"

namespace chamado::store {

class Repo;

class ArticleIndex {
 public:
  // `dir`: where the databases live; created when missing.
  static Result<std::unique_ptr<ArticleIndex>> Open(std::string dir);
  ~ArticleIndex();
  ArticleIndex(const ArticleIndex&) = delete;
  ArticleIndex& operator=(const ArticleIndex&) = delete;

  // Applies the articles changed since the index's revision (all of them when the index was
  // built by another analyzer version, or holds a revision the database has not reached, as
  // after a backup was restored). Returns how many were applied; 0 when another process
  // holds the index.
  Result<int64_t> CatchUp(Repo& repo);
  // Empties the index; the next CatchUp builds it again from every article.
  Result<void> Clear();

  // Article ids and scores of one language's index, best first (see SearchArticles).
  struct Ranked {
    core::Id id = 0;
    double score = 0;
  };
  Result<std::vector<Ranked>> Search(const ArticleSearch& s, std::string_view language, int limit);

  const std::string& dir() const { return dir_; }

 private:
  struct Language;
  explicit ArticleIndex(std::string dir);
  Language& Of(std::string_view language);
  // Search's work; throws Xapian::Error.
  std::vector<Ranked> Find(Language& l, const ArticleSearch& s, int limit);
  int64_t Revision();  // the lowest of the languages' revisions

  std::string dir_;
  std::mutex mu_;  // one caller at a time: Xapian's objects are not thread-safe
  std::vector<std::unique_ptr<Language>> languages_;  // GUARDED_BY(mu_)
  std::optional<int64_t> caught_up_;  // the database revision the readers hold, as last found; GUARDED_BY(mu_)
};

}  // namespace chamado::store
