// The help-center aggregate of the repository: articles (one row per translation), each with
// the revision of its last change (V014), from which the search index (store/article_index.h)
// is kept; every saved state of each translation, numbered from 1 (article_revisions, V021);
// the images articles show (help_images, V021), whose bytes are in the BlobStore; and readers'
// votes and deflections (V022: article_votes, article_deflections).
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
#include "store/page.h"
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

// Who saves an article translation, and from which of its revisions.
struct ArticleSave {
  std::optional<core::Id> author;        // empty: files (chamado help import)
  std::optional<int64_t> base_revision;  // the revision the editor started from (0: a new one)
  std::optional<int64_t> restored_from;  // the revision whose content this save brings back
};

// One saved state of a translation. `content` has the translation's key and language and the
// saved title, body, product, module, status and tags (its body is empty in lists).
struct TranslationRevision {
  int64_t number = 0;  // 1, 2, ... within the translation
  help::Article content;
  std::optional<core::Id> author_id;  // empty: files
  std::string author_name;            // the author's name, or "" for files
  std::optional<int64_t> restored_from;
  Instant created_at{};
};

// One translation as the editor lists it: the article and its latest revision (no body).
struct EditedArticle {
  help::Article article;
  TranslationRevision latest;
};

struct EditorFilter {
  std::string key;       // only this key's translations, when set
  std::string product;   // exact, when set
  std::string module;    // exact, when set
  std::string language;  // exact, when set
  std::string status;    // "draft" or "published", when set
};

// An image an article shows, stored once per content and name.
struct HelpImage {
  core::Id id = 0;
  std::string sha256;
  std::string filename;      // help::ImageFileName
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  int64_t size = 0;          // bytes
  Instant created_at{};
};

class ArticleRepo {
 public:
  explicit ArticleRepo(Connection& c) : c_(c) {}

  enum class Put { kCreated, kUpdated, kUnchanged };
  // Creates the translation (key, language) or updates it, each time as a new revision by
  // `save.author`; an identical one is left alone and makes no revision. A `base_revision`
  // that is no longer the latest is a conflict naming who saved since (an identical save is
  // not: nothing would be lost).
  Result<Put> PutArticle(help::Article a, Instant now, const ArticleSave& save = {});
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

  // The editor's list: translations by key then language, with their latest revision.
  Result<Paged<EditedArticle>> ListEditedArticles(const EditorFilter& f, const Page& page);
  // How many translations each product and module has, by product then module.
  struct Place {
    std::string product;
    std::string module;
    int64_t articles = 0;
  };
  Result<std::vector<Place>> ArticlePlaces();
  // A translation's revisions, newest first, without their bodies.
  Result<std::vector<TranslationRevision>> ListArticleRevisions(core::Id article_id);
  // One revision with its body; nullopt when the translation has no such number.
  Result<std::optional<TranslationRevision>> GetArticleRevision(core::Id article_id, int64_t number);
  // The latest revision, without its body (nullopt only for a translation never saved).
  Result<std::optional<TranslationRevision>> LatestArticleRevision(core::Id article_id);

  // Records an image whose bytes are stored under `sha256`; the same bytes under the same
  // name are one image, returned as it was first recorded.
  Result<HelpImage> AddHelpImage(const HelpImage& image, std::optional<core::Id> by, Instant now);
  Result<std::optional<HelpImage>> GetHelpImage(core::Id id);
  // Retention: deletes the images uploaded (or uploaded again) before `uploaded_before` that
  // no revision of any article shows (the current text is a revision too), so a restored
  // revision still finds its images. Their bytes become files nothing names, which the
  // orphan sweep deletes. Returns how many images went.
  Result<int64_t> PruneUnusedHelpImages(Instant uploaded_before);

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
