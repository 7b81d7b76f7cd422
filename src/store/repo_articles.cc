#include "store/repo_articles.h"

#include <algorithm>
#include <unordered_set>

#include "help/images.h"

namespace chamado::store {
namespace {

using core::Id;
using help::Article;

// Tags are stored one per line (a tag may hold spaces: "nota fiscal").
std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : "\n") + t;
  return out;
}

std::vector<std::string> SplitTags(std::string_view s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t end = s.find('\n', at);
    if (end == std::string_view::npos) end = s.size();
    if (end > at) out.emplace_back(s.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

constexpr std::string_view kColumns =
    "a.id, a.key, a.language, a.title, a.body, a.product, a.module, a.slug, a.status, a.tags, a.created_at, a.updated_at";

Article ArticleOf(const RowView& r) {
  Article a;
  a.id = r.Int(0);
  a.key = r.Str(1);
  a.language = r.Str(2);
  a.title = r.Str(3);
  a.body = r.Str(4);
  a.product = r.Str(5);
  a.module = r.Str(6);
  a.slug = r.Str(7);
  a.published = r.Text(8) == "published";
  a.tags = SplitTags(r.Text(9));
  a.created_at = FromUnixMillis(r.Int(10));
  a.updated_at = FromUnixMillis(r.Int(11));
  return a;
}

constexpr std::string_view kRevisionColumns =
    "r.number, r.title, r.product, r.module, r.status, r.tags, r.author_id, coalesce(u.name, ''), r.restored_from, "
    "r.created_at";

// A revision from kRevisionColumns at `col`; the body is the caller's to fill.
TranslationRevision RevisionOf(const RowView& r, int col, const Article& of) {
  TranslationRevision v;
  v.number = r.Int(col);
  v.content.id = of.id;
  v.content.key = of.key;
  v.content.language = of.language;
  v.content.title = r.Str(col + 1);
  v.content.product = r.Str(col + 2);
  v.content.module = r.Str(col + 3);
  v.content.published = r.Text(col + 4) == "published";
  v.content.tags = SplitTags(r.Text(col + 5));
  v.content.slug = help::Slug(v.content.title);
  v.author_id = r.OptInt(col + 6);
  v.author_name = r.Str(col + 7);
  v.restored_from = r.OptInt(col + 8);
  v.created_at = FromUnixMillis(r.Int(col + 9));
  return v;
}

}  // namespace

Result<ArticleRepo::Put> ArticleRepo::PutArticle(Article a, Instant now, const ArticleSave& save) {
  CHAMADO_ASSIGN_OR_RETURN(auto old, GetArticle(a.key, a.language));
  const std::string tags = JoinTags(a.tags);
  const char* status = a.published ? "published" : "draft";
  const std::string name = a.key + " (" + a.language + ")";
  auto record = [&](Id article_id, int64_t number) {
    return c_.Run("INSERT INTO article_revisions (article_id, number, title, body, product, module, status, tags, author_id, "
                  "restored_from, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                  {article_id, number, a.title, a.body, a.product, a.module, status, tags, save.author, save.restored_from,
                   ToUnixMillis(now)});
  };
  if (!old) {
    if (save.base_revision.value_or(0) != 0)
      return Error::Said(ErrorCode::kNotFound, "article.not_found_base", {{"article", name}});
    Id id = 0;
    CHAMADO_TRY(c_.Run("INSERT INTO articles (key, language, title, body, product, module, slug, status, tags, created_at, "
                       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
                       {a.key, a.language, a.title, a.body, a.product, a.module, a.slug, status, tags, ToUnixMillis(now)},
                       [&](const RowView& r) { id = r.Int(0); }));
    CHAMADO_TRY(record(id, 1));
    return Put::kCreated;
  }
  if (old->title == a.title && old->body == a.body && old->product == a.product && old->module == a.module &&
      old->slug == a.slug && old->published == a.published && old->tags == a.tags)
    return Put::kUnchanged;
  CHAMADO_ASSIGN_OR_RETURN(auto latest, LatestArticleRevision(old->id));
  const int64_t number = latest ? latest->number : 0;
  if (save.base_revision && *save.base_revision != number) {
    if (*save.base_revision == 0 || !latest)
      return Error::Said(ErrorCode::kConflict, "article.created_meanwhile", {{"article", name}, {"number", std::to_string(number)}});
    core::TextArgs args = {{"number", std::to_string(number)},
                           {"article", name},
                           {"at", FormatIsoUtc(latest->created_at)},
                           {"base", std::to_string(*save.base_revision)}};
    if (!latest->author_id) return Error::Said(ErrorCode::kConflict, "article.saved_meanwhile_import", std::move(args));
    args.emplace_back("who", latest->author_name);
    return Error::Said(ErrorCode::kConflict, "article.saved_meanwhile", std::move(args));
  }
  CHAMADO_TRY(c_.Run("UPDATE articles SET title = $1, body = $2, product = $3, module = $4, slug = $5, status = $6, tags = $7, "
                     "updated_at = $8 WHERE id = $9",
                     {a.title, a.body, a.product, a.module, a.slug, status, tags, ToUnixMillis(now), old->id}));
  CHAMADO_TRY(record(old->id, number + 1));
  return Put::kUpdated;
}

Result<std::optional<Article>> ArticleRepo::GetArticle(std::string_view key, std::string_view language) {
  std::optional<Article> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kColumns) + " FROM articles a WHERE a.key = $1 AND a.language = $2",
                     {key, language}, [&](const RowView& r) { out = ArticleOf(r); }));
  return out;
}

Result<std::vector<Article>> ArticleRepo::AllArticles() {
  std::vector<Article> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kColumns) + " FROM articles a ORDER BY a.key, a.language", {},
                     [&](const RowView& r) { out.push_back(ArticleOf(r)); }));
  return out;
}

Result<int64_t> ArticleRepo::ArticleRevision() {
  int64_t out = 0;
  CHAMADO_TRY(c_.Run("SELECT coalesce(max(revision), 0) FROM articles", {}, [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

Result<std::vector<ArticleRepo::Revised>> ArticleRepo::ArticlesSince(int64_t revision, int limit) {
  std::vector<Revised> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kColumns) + ", a.revision FROM articles a WHERE a.revision > $1 "
                     "ORDER BY a.revision LIMIT $2",
                     {revision, limit}, [&](const RowView& r) { out.push_back({r.Int(12), ArticleOf(r)}); }));
  return out;
}

Result<std::vector<Article>> ArticleRepo::ArticlesWithIds(const std::vector<core::Id>& ids) {
  std::vector<Article> out;
  if (ids.empty()) return out;
  std::vector<Param> params;
  std::string list;
  for (auto id : ids) {
    params.emplace_back(id);
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  CHAMADO_TRY(c_.RunDynamic("SELECT " + std::string(kColumns) + " FROM articles a WHERE a.id IN (" + list + ")", params,
                            [&](const RowView& r) { out.push_back(ArticleOf(r)); }));
  return out;
}

Result<Paged<EditedArticle>> ArticleRepo::ListEditedArticles(const EditorFilter& f, const Page& page) {
  std::vector<Param> params;
  std::string where = "TRUE";
  auto add = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    params.emplace_back(value);
    where += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  add("a.key", f.key);
  add("a.product", f.product);
  add("a.module", f.module);
  add("a.language", f.language);
  add("a.status", f.status);
  // The cursor is the last row's "key language" (keys hold no spaces).
  std::string after_key, after_language;
  if (!page.after.empty()) {
    const size_t space = page.after.find(' ');
    if (space == std::string::npos) return Error::InvalidSaid("after", "page.after");
    after_key = page.after.substr(0, space);
    after_language = page.after.substr(space + 1);
    params.emplace_back(after_key);
    params.emplace_back(after_language);
    where += " AND (a.key, a.language) > ($" + std::to_string(params.size() - 1) + ", $" + std::to_string(params.size()) + ")";
  }
  const int limit = std::clamp(page.limit, 1, 200);
  params.emplace_back(limit + 1);
  Paged<EditedArticle> out;
  CHAMADO_TRY(c_.RunDynamic(
      "SELECT " + std::string(kColumns) + ", " + std::string(kRevisionColumns) +
          " FROM articles a LEFT JOIN article_revisions r ON r.article_id = a.id AND r.number = "
          "(SELECT max(number) FROM article_revisions x WHERE x.article_id = a.id) LEFT JOIN users u ON u.id = r.author_id "
          "WHERE " + where + " ORDER BY a.key, a.language LIMIT $" + std::to_string(params.size()),
      params, [&](const RowView& r) {
        EditedArticle e;
        e.article = ArticleOf(r);
        if (!r.IsNull(12)) e.latest = RevisionOf(r, 12, e.article);
        out.items.push_back(std::move(e));
      }));
  if (int(out.items.size()) > limit) {
    out.items.pop_back();
    out.next = out.items.back().article.key + " " + out.items.back().article.language;
  }
  for (auto& e : out.items) e.article.body.clear();
  return out;
}

Result<std::vector<ArticleRepo::Place>> ArticleRepo::ArticlePlaces() {
  std::vector<Place> out;
  CHAMADO_TRY(c_.Run("SELECT product, module, count(*) FROM articles GROUP BY product, module ORDER BY product, module", {},
                     [&](const RowView& r) { out.push_back({r.Str(0), r.Str(1), r.Int(2)}); }));
  return out;
}

Result<std::vector<TranslationRevision>> ArticleRepo::ListArticleRevisions(Id article_id) {
  CHAMADO_ASSIGN_OR_RETURN(auto of, ArticlesWithIds({article_id}));
  std::vector<TranslationRevision> out;
  if (of.empty()) return out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kRevisionColumns) +
                         " FROM article_revisions r LEFT JOIN users u ON u.id = r.author_id WHERE r.article_id = $1 "
                         "ORDER BY r.number DESC",
                     {article_id}, [&](const RowView& r) { out.push_back(RevisionOf(r, 0, of[0])); }));
  return out;
}

Result<std::optional<TranslationRevision>> ArticleRepo::GetArticleRevision(Id article_id, int64_t number) {
  CHAMADO_ASSIGN_OR_RETURN(auto of, ArticlesWithIds({article_id}));
  std::optional<TranslationRevision> out;
  if (of.empty()) return out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kRevisionColumns) +
                         ", r.body FROM article_revisions r LEFT JOIN users u ON u.id = r.author_id "
                         "WHERE r.article_id = $1 AND r.number = $2",
                     {article_id, number}, [&](const RowView& r) {
                       out = RevisionOf(r, 0, of[0]);
                       out->content.body = r.Str(10);
                     }));
  return out;
}

Result<std::optional<TranslationRevision>> ArticleRepo::LatestArticleRevision(Id article_id) {
  CHAMADO_ASSIGN_OR_RETURN(auto of, ArticlesWithIds({article_id}));
  std::optional<TranslationRevision> out;
  if (of.empty()) return out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kRevisionColumns) +
                         " FROM article_revisions r LEFT JOIN users u ON u.id = r.author_id WHERE r.article_id = $1 "
                         "ORDER BY r.number DESC LIMIT 1",
                     {article_id}, [&](const RowView& r) { out = RevisionOf(r, 0, of[0]); }));
  return out;
}

namespace {
constexpr std::string_view kImageColumns = "id, sha256, filename, content_type, size, created_at";
HelpImage ImageOf(const RowView& r) {
  return {r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), FromUnixMillis(r.Int(5))};
}
}  // namespace

Result<HelpImage> ArticleRepo::AddHelpImage(const HelpImage& image, std::optional<Id> by, Instant now) {
  std::optional<HelpImage> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kImageColumns) + " FROM help_images WHERE sha256 = $1 AND filename = $2",
                     {image.sha256, image.filename}, [&](const RowView& r) { out = ImageOf(r); }));
  if (out) {
    // Uploading it again is a new use: retention counts an image's unused days from here.
    CHAMADO_TRY(c_.Run("UPDATE help_images SET created_at = CASE WHEN created_at > $1 THEN created_at ELSE $1 END WHERE id = $2", {ToUnixMillis(now), out->id}));
    out->created_at = std::max(out->created_at, now);
    return *out;
  }
  CHAMADO_TRY(c_.Run("INSERT INTO help_images (sha256, filename, content_type, size, created_by, created_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + std::string(kImageColumns),
                     {image.sha256, image.filename, image.content_type, image.size, by, ToUnixMillis(now)},
                     [&](const RowView& r) { out = ImageOf(r); }));
  if (!out) return Error::Internal("The image " + image.filename + " was not recorded.");
  return *out;
}

Result<std::optional<HelpImage>> ArticleRepo::GetHelpImage(Id id) {
  std::optional<HelpImage> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kImageColumns) + " FROM help_images WHERE id = $1", {id},
                     [&](const RowView& r) { out = ImageOf(r); }));
  return out;
}

Result<int64_t> ArticleRepo::PruneUnusedHelpImages(Instant uploaded_before) {
  std::vector<Id> candidates;
  CHAMADO_TRY(c_.Run("SELECT id FROM help_images WHERE created_at < $1", {ToUnixMillis(uploaded_before)},
                     [&](const RowView& r) { candidates.push_back(r.Int(0)); }));
  if (candidates.empty()) return int64_t{0};
  // Any mention of an image's URL keeps it, an example in a code block too: deleting an image
  // someone shows costs more than keeping one nobody does.
  std::unordered_set<Id> shown;
  const char* mentions = IsPostgres(c_) ? "SELECT body FROM article_revisions WHERE strpos(body, $1) > 0"
                                                     : "SELECT body FROM article_revisions WHERE instr(body, $1) > 0";
  CHAMADO_TRY(c_.Run(mentions, {help::kImageUrlPrefix}, [&](const RowView& r) {
    for (const Id id : help::ImageIdsMentioned(r.Text(0))) shown.insert(id);
  }));
  int64_t pruned = 0;
  for (const Id id : candidates) {
    if (shown.contains(id)) continue;
    CHAMADO_ASSIGN_OR_RETURN(const int64_t n, c_.Run("DELETE FROM help_images WHERE id = $1", {id}));
    pruned += n;
  }
  return pruned;
}

Result<std::vector<Article>> ArticleRepo::ArticleHeads(bool drafts) {
  std::vector<Article> out;
  CHAMADO_TRY(c_.Run("SELECT a.id, a.key, a.language, a.title, '', a.product, a.module, a.slug, a.status, a.tags, a.created_at, "
                     "a.updated_at FROM articles a WHERE $1 = 1 OR a.status = 'published' ORDER BY a.key, a.language",
                     {int64_t(drafts ? 1 : 0)}, [&](const RowView& r) { out.push_back(ArticleOf(r)); }));
  return out;
}

Result<std::vector<ArticleRepo::Revised>> ArticleRepo::TranslationsOf(std::string_view key, bool drafts) {
  std::vector<Revised> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kColumns) + ", a.revision FROM articles a WHERE a.key = $1 "
                     "AND ($2 = 1 OR a.status = 'published') ORDER BY a.language",
                     {key, int64_t(drafts ? 1 : 0)}, [&](const RowView& r) { out.push_back({r.Int(12), ArticleOf(r)}); }));
  return out;
}

Result<std::vector<Article>> ArticleRepo::ArticlesWithSlug(std::string_view slug, bool drafts) {
  std::vector<Article> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kColumns) + " FROM articles a WHERE a.slug = $1 AND ($2 = 1 OR a.status = 'published') "
                     "ORDER BY a.key, a.language",
                     {slug, int64_t(drafts ? 1 : 0)}, [&](const RowView& r) { out.push_back(ArticleOf(r)); }));
  return out;
}

Result<void> ArticleRepo::PutVote(std::string_view key, std::string_view reader, std::string_view language, bool helpful,
                                  Instant now) {
  CHAMADO_TRY(c_.Run("INSERT INTO article_votes (article_key, reader, language, helpful, created_at) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (article_key, reader) DO UPDATE SET language = excluded.language, helpful = excluded.helpful, "
                     "created_at = excluded.created_at",
                     {key, reader, language, int64_t(helpful ? 1 : 0), ToUnixMillis(now)}));
  return Ok();
}

Result<bool> ArticleRepo::PutDeflection(std::string_view key, std::string_view reader, std::string_view language, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t added,
                           c_.Run("INSERT INTO article_deflections (article_key, reader, language, created_at) VALUES ($1, $2, $3, $4) "
                                  "ON CONFLICT (article_key, reader) DO NOTHING",
                                  {key, reader, language, ToUnixMillis(now)}));
  return added > 0;
}

Result<std::map<std::string, ArticleRepo::Feedback>> ArticleRepo::FeedbackOf(const std::vector<std::string>& keys) {
  std::map<std::string, Feedback> out;
  if (keys.empty()) return out;
  std::vector<Param> params;
  std::string list;
  for (const auto& k : keys) {
    params.emplace_back(k);
    list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  CHAMADO_TRY(c_.RunDynamic("SELECT article_key, sum(helpful), sum(1 - helpful) FROM article_votes WHERE article_key IN (" + list +
                                ") GROUP BY article_key",
                            params, [&](const RowView& r) {
                              auto& f = out[r.Str(0)];
                              f.helpful = r.Int(1);
                              f.unhelpful = r.Int(2);
                            }));
  CHAMADO_TRY(c_.RunDynamic("SELECT article_key, count(*) FROM article_deflections WHERE article_key IN (" + list +
                                ") GROUP BY article_key",
                            params, [&](const RowView& r) { out[r.Str(0)].deflections = r.Int(1); }));
  return out;
}

}  // namespace chamado::store
