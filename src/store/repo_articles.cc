#include "store/repo_articles.h"

#include <algorithm>

namespace chamado::store {
namespace {

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

}  // namespace

Result<ArticleRepo::Put> ArticleRepo::PutArticle(Article a, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto old, GetArticle(a.key, a.language));
  const std::string tags = JoinTags(a.tags);
  const char* status = a.published ? "published" : "draft";
  if (!old) {
    CHAMADO_TRY(c_.Run("INSERT INTO articles (key, language, title, body, product, module, slug, status, tags, created_at, "
                       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                       {a.key, a.language, a.title, a.body, a.product, a.module, a.slug, status, tags, ToUnixMillis(now)}));
    return Put::kCreated;
  }
  if (old->title == a.title && old->body == a.body && old->product == a.product && old->module == a.module &&
      old->slug == a.slug && old->published == a.published && old->tags == a.tags)
    return Put::kUnchanged;
  CHAMADO_TRY(c_.Run("UPDATE articles SET title = $1, body = $2, product = $3, module = $4, slug = $5, status = $6, tags = $7, "
                     "updated_at = $8 WHERE id = $9",
                     {a.title, a.body, a.product, a.module, a.slug, status, tags, ToUnixMillis(now), old->id}));
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
