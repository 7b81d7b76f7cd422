// The help-center aggregate of the repository: articles (one row per translation), each with
// the revision of its last change (V014), from which the search index (store/article_index.h)
// is kept; readers' votes and deflections (V022: article_votes, article_deflections).
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <map>
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

  // ---- reading the help center ----
  // Every translation without its body (lists, the catalog, the sitemap), published ones only
  // unless `drafts`.
  Result<std::vector<help::Article>> ArticleHeads(bool drafts);
  // The translations of one key with their revisions (published only unless `drafts`), by language.
  Result<std::vector<Revised>> TranslationsOf(std::string_view key, bool drafts);
  // The translations whose slug is `slug` (a page address's last part), published ones only
  // unless `drafts`, with their bodies.
  Result<std::vector<help::Article>> ArticlesWithSlug(std::string_view slug, bool drafts);

  // A reader's vote on an article (replacing their earlier one) and a deflection (once per
  // reader). `reader`: the hash of the reader's cookie. Deflection: false when already counted.
  Result<void> PutVote(std::string_view key, std::string_view reader, std::string_view language, bool helpful, Instant now);
  Result<bool> PutDeflection(std::string_view key, std::string_view reader, std::string_view language, Instant now);
  struct Feedback {
    int64_t helpful = 0;
    int64_t unhelpful = 0;
    int64_t deflections = 0;
  };
  // The counts of these keys (keys without any are left out).
  Result<std::map<std::string, Feedback>> FeedbackOf(const std::vector<std::string>& keys);

 private:
  Connection& c_;
};

}  // namespace chamado::store
