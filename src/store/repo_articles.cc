#include "store/repo_articles.h"

#include <algorithm>
#include <array>
#include <map>

#include "search/analyzer.h"
#include "search/similar.h"
#include "search/stopwords.h"
#include "search/synonyms.h"
#include "store/fts.h"

namespace chamado::store {
namespace {

using help::Article;

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

// The words a question is matched with, and in how many articles of the index each occurs.
struct Word {
  std::string text;
  int64_t documents = 0;
};

// "Any of these words", leaving out the most common ones while the articles they occur in
// add up to more than `budget` (FTS5 scores every article that matches; a word in a third of
// the help center weighs least in BM25 and costs most). The rarest word always stays; when it
// alone is over the budget, it is matched in titles and tags only (where a reader's common
// word says most), and the caller falls back to everything if that finds nothing.
struct Expression {
  std::string match;
  bool narrowed = false;  // titles and tags only
};
Expression AnyWithin(std::vector<Word> words, int64_t budget) {
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.documents < b.documents; });
  int64_t total = 0;
  for (const auto& w : words) total += w.documents;
  while (words.size() > 1 && total > budget) {
    total -= words.back().documents;
    words.pop_back();
  }
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " OR ") + FtsString(w.text);
  if (total > budget && !out.empty()) return {"{title tags} : (" + out + ")", true};
  return {out, false};
}

// Articles scored per question and language at most: the bound of AnyWithin.
constexpr int64_t kMatchBudget = 5000;

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
    // The question's words (stop words aside; all of them if nothing else is left) and their
    // synonyms, each with its document frequency from the index's vocabulary.
    const std::string vocabulary = "article_vocab_" + std::string(language);
    const search::Analyzer analyzer(language);
    auto weigh = [&](const std::string& text) -> Result<Word> {
      Word w{text, 0};
      for (const auto& t : analyzer.Tokenize(text))
        CHAMADO_TRY(c_.Run("SELECT doc FROM " + vocabulary + " WHERE term = $1", {t.term},
                           [&](const RowView& r) { w.documents = std::max(w.documents, r.Int(0)); }));
      return w;
    };
    // A word no article in the reader's language has may be mistyped: the commonest term of
    // the vocabulary one edit away (two for long words), sharing its first letter, is matched
    // as well, weighing as a synonym does.
    auto correct = [&](const std::string& text) -> Result<std::optional<Word>> {
      const auto tokens = analyzer.Tokenize(text);
      if (tokens.size() != 1 || tokens[0].kind != search::Token::Kind::kWord || tokens[0].term.size() < 4) return std::optional<Word>{};
      const std::string& term = tokens[0].term;
      const int max = term.size() >= 8 ? 2 : 1;
      std::optional<Word> best;
      std::string upper = term.substr(0, 1);
      upper.back() = char(upper.back() + 1);
      CHAMADO_TRY(c_.Run("SELECT term, doc FROM " + vocabulary + " WHERE term >= $1 AND term < $2", {term.substr(0, 1), upper},
                         [&](const RowView& r) {
                           const auto candidate = r.Text(0);
                           if (std::abs(int(candidate.size()) - int(term.size())) > max) return;
                           if ((!best || r.Int(1) > best->documents) && search::EditDistance(term, candidate, max) <= max)
                             best = Word{"\x01" + std::string(candidate), r.Int(1)};
                         }));
      return best;
    };
    std::vector<Word> own, others;
    for (const auto& q : s.words) {
      if (search::IsStopword(language, q.text)) continue;
      CHAMADO_ASSIGN_OR_RETURN(auto w, weigh(q.text));
      if (w.documents == 0 && language == reader) {
        CHAMADO_ASSIGN_OR_RETURN(auto fixed, correct(q.text));
        if (fixed) others.push_back(std::move(*fixed));  // weighs as a synonym: it may be a guess
      }
      own.push_back(std::move(w));
      for (const auto& syn : search::SynonymsOf(language, q.text)) {
        CHAMADO_ASSIGN_OR_RETURN(auto o, weigh(syn));
        others.push_back(std::move(o));
      }
    }
    if (own.empty()) {  // stop words alone ("como?"): weighed like any word, so rarely matched beyond titles
      for (const auto& q : s.words) {
        CHAMADO_ASSIGN_OR_RETURN(auto w, weigh(q.text));
        own.push_back(std::move(w));
      }
    }
    const auto words = AnyWithin(own, kMatchBudget), synonyms = AnyWithin(others, kMatchBudget);
    CHAMADO_TRY(run(words.match, 1.0));
    if (ranked.empty() && words.narrowed) {
      auto rarest = own;
      for (auto& w : rarest) w.documents = 0;  // within any budget: everything, everywhere
      CHAMADO_TRY(run(AnyWithin(rarest, kMatchBudget).match, 1.0));
    }
    CHAMADO_TRY(run(synonyms.match, kSynonymWeight));
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
