#include "store/repo_articles.h"

#include <algorithm>
#include <array>
#include <map>

#include "search/stopwords.h"
#include "search/synonyms.h"

namespace chamado::store {
namespace {

using help::Article;

constexpr std::array<std::string_view, 5> kIndexLanguages = {"pt", "en", "es", "de", "ru"};
// BM25 weights: title, body, tags, place.
constexpr std::string_view kWeights = "4.0, 1.0, 2.0, 1.0";

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

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The question's words as an FTS5 expression: any of them, without the language's stop words
// (all of them if nothing else is left).
std::string AnyWord(const std::vector<search::Clause>& words, std::string_view language) {
  std::string out, all;
  for (const auto& w : words) {
    all += (all.empty() ? "" : " OR ") + Quoted(w.text);
    if (!search::IsStopword(language, w.text)) out += (out.empty() ? "" : " OR ") + Quoted(w.text);
  }
  return out.empty() ? all : out;
}

// Their synonyms the same way; empty when no word has any.
std::string AnySynonym(const std::vector<search::Clause>& words, std::string_view language) {
  std::string out;
  for (const auto& w : words) {
    if (search::IsStopword(language, w.text)) continue;
    for (const auto& syn : search::SynonymsOf(language, w.text)) out += (out.empty() ? "" : " OR ") + Quoted(syn);
  }
  return out;
}

// How much a match through a synonym counts beside one through the word itself.
constexpr double kSynonymWeight = 0.3;

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

Result<std::vector<ArticleHit>> ArticleRepo::SearchArticles(const ArticleSearch& s) {
  std::vector<ArticleHit> out;
  if (s.words.empty()) return out;
  const std::string reader = s.language.substr(0, s.language.find('-'));
  // The reader's language first, then the others.
  std::vector<std::string_view> order(kIndexLanguages.begin(), kIndexLanguages.end());
  std::stable_partition(order.begin(), order.end(), [&](std::string_view l) { return l == reader; });
  const int limit = std::clamp(s.limit, 1, 50);
  const int candidates = std::max(limit, 30);
  for (auto language : order) {
    const std::string table = "article_fts_" + std::string(language);
    std::string where;
    std::vector<Param> filters;
    if (!s.drafts) where += " AND a.status = 'published'";
    if (!s.product.empty()) {
      filters.emplace_back(s.product);
      where += " AND a.product = $" + std::to_string(filters.size() + 1);
    }
    if (!s.module.empty()) {
      filters.emplace_back(s.module);
      where += " AND a.module = $" + std::to_string(filters.size() + 1);
    }
    // Ranked by the words; a synonym adds a fraction of its own ranking (FTS5 weighs every
    // term of one expression alike, so synonyms are a second query).
    std::map<core::Id, ArticleHit> ranked;
    auto run = [&](const std::string& match, double weight) -> Result<void> {
      if (match.empty()) return Ok();
      std::vector<Param> params{Param(match)};
      params.insert(params.end(), filters.begin(), filters.end());
      CHAMADO_TRY(c_.RunDynamic("SELECT " + std::string(kColumns) + ", bm25(" + table + ", " + std::string(kWeights) + ") AS rank FROM " +
                               table + " JOIN articles a ON a.id = " + table + ".rowid WHERE " + table + " MATCH $1" + where +
                               " ORDER BY rank LIMIT " + std::to_string(candidates),
                           params, [&](const RowView& r) {
                             auto [it, fresh] = ranked.try_emplace(r.Int(0));
                             if (fresh) it->second.article = ArticleOf(r);
                             it->second.score += -r.Real(12) * weight;
                           }));
      return Ok();
    };
    const std::string words = AnyWord(s.words, language), synonyms = AnySynonym(s.words, language);
    CHAMADO_TRY(run(words, 1.0));
    CHAMADO_TRY(run(synonyms, kSynonymWeight));
    std::vector<ArticleHit> here;
    for (auto& [id, hit] : ranked) here.push_back(std::move(hit));
    std::stable_sort(here.begin(), here.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    for (auto& h : here) out.push_back(std::move(h));
    if (int(out.size()) >= limit) break;
  }
  if (int(out.size()) > limit) out.resize(size_t(limit));
  return out;
}

}  // namespace chamado::store
