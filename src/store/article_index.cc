#include "store/article_index.h"

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include "help/article.h"
#include "search/analyzer.h"
#include "search/similar.h"
#include "search/stopwords.h"
#include "search/synonyms.h"
#include "store/fts.h"
#include "store/repo.h"

namespace chamado::store {
namespace {

namespace fs = std::filesystem;

// How much each part of an article counts, as within-document frequency: the title most.
constexpr Xapian::termcount kTitle = 4, kBody = 1, kTags = 2, kPlace = 1;
// How much a match through a synonym or a spelling correction counts beside one through the
// word itself.
constexpr double kSynonymWeight = 0.3;
// Articles applied per read of the articles table while catching up.
constexpr int kBatch = 1000;

// Boolean terms (Xapian's convention: an upper-case prefix; the analyzer's terms are folded
// to lower case, so they never meet).
std::string StatusTerm(bool published) { return published ? "XSpublished" : "XSdraft"; }
// A term is at most 245 bytes: longer products and modules are cut (and match by their start).
std::string PlaceTerm(std::string_view prefix, std::string_view value) {
  std::string out(prefix);
  out.append(value.substr(0, 200));
  return out;
}

// BM25 as FTS5 computes it (k1 = 1.2, b = 0.75), so rankings stay what the evaluation set
// measured.
Xapian::BM25Weight Bm25() { return Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5); }

std::string Message(const Xapian::Error& e) { return e.get_type() + std::string(": ") + e.get_msg(); }

// The first UTF-8 character of a term: typo corrections share it.
std::string_view FirstCharacter(std::string_view term) {
  if (term.empty()) return term;
  const auto lead = static_cast<unsigned char>(term[0]);
  const size_t n = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
  return term.substr(0, std::min(n, term.size()));
}

}  // namespace

struct ArticleIndex::Language {
  std::string code;  // "pt"
  std::string path;  // <dir>/pt
  search::Analyzer analyzer;
  std::optional<Xapian::Database> reader;  // none until the index has been written once

  Language(std::string c, std::string p) : code(std::move(c)), path(std::move(p)), analyzer(code) {}

  // Opens the database, or moves it to the newest revision on disk.
  void Refresh() {
    if (reader) {
      reader->reopen();
      return;
    }
    if (fs::exists(fs::path(path) / "iamglass")) reader.emplace(path);
  }
  int64_t Metadata(const char* key) const {
    if (!reader) return 0;
    const std::string v = reader->get_metadata(key);
    return v.empty() ? 0 : std::stoll(v);
  }

  Xapian::Document Document(const help::Article& a) const {
    Xapian::Document doc;
    auto add = [&](std::string_view text, Xapian::termcount weight) {
      for (const auto& t : analyzer.Tokenize(text))
        if (!t.term.empty() && t.term.size() <= 240) doc.add_term(t.term, weight);
    };
    add(a.title, kTitle);
    add(a.body, kBody);
    for (const auto& tag : a.tags) add(tag, kTags);
    add(a.product + " " + a.module, kPlace);
    doc.add_boolean_term(StatusTerm(a.published));
    if (!a.product.empty()) doc.add_boolean_term(PlaceTerm("XP", a.product));
    if (!a.module.empty()) doc.add_boolean_term(PlaceTerm("XM", a.module));
    return doc;
  }
};

ArticleIndex::ArticleIndex(std::string dir) : dir_(std::move(dir)) {
  for (auto l : kIndexLanguages) languages_.push_back(std::make_unique<Language>(std::string(l), (fs::path(dir_) / l).string()));
}

ArticleIndex::~ArticleIndex() = default;

Result<std::unique_ptr<ArticleIndex>> ArticleIndex::Open(std::string dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("Cannot create the help-center index directory " + dir + ": " + ec.message());
  return std::unique_ptr<ArticleIndex>(new ArticleIndex(std::move(dir)));
}

ArticleIndex::Language& ArticleIndex::Of(std::string_view language) {
  const std::string code = IndexLanguage(language);
  for (auto& l : languages_)
    if (l->code == code) return *l;
  return *languages_[1];  // en; IndexLanguage never gives anything else
}

int64_t ArticleIndex::Revision() {
  int64_t lowest = std::numeric_limits<int64_t>::max();
  for (auto& l : languages_) lowest = std::min(lowest, l->Metadata("revision"));
  return lowest;
}

Result<int64_t> ArticleIndex::CatchUp(Repo& repo) {
  std::lock_guard lock(mu_);
  CHAMADO_ASSIGN_OR_RETURN(const int64_t wanted, repo.ArticleRevision());
  // Nothing changed since this process last brought its readers to that revision: no index
  // file is looked at (the common case, before every search).
  if (caught_up_ == wanted) return int64_t{0};
  try {
    bool rebuild = false;
    for (auto& l : languages_) {
      l->Refresh();
      // Built by another analyzer, or ahead of the database (a backup restored under it).
      if (l->reader && (l->Metadata("analyzer") != search::kAnalyzerVersion || l->Metadata("revision") > wanted))
        rebuild = true;
    }
    int64_t since = rebuild ? 0 : Revision();
    if (!rebuild && since >= wanted) {
      if (since == wanted) caught_up_ = wanted;
      return int64_t{0};
    }
    std::map<std::string, Xapian::WritableDatabase> writers;
    try {
      for (auto& l : languages_)
        writers.emplace(l->code, Xapian::WritableDatabase(l->path, rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
                                                                          : Xapian::DB_CREATE_OR_OPEN));
    } catch (const Xapian::DatabaseLockError&) {
      return int64_t{0};  // another process is writing it
    }
    int64_t applied = 0;
    for (;;) {
      CHAMADO_ASSIGN_OR_RETURN(auto batch, repo.ArticlesSince(since, kBatch));
      if (batch.empty()) break;
      for (const auto& r : batch) {
        if (r.article.id <= 0 || r.article.id > int64_t(std::numeric_limits<Xapian::docid>::max()))
          return Error::Internal("Article id " + std::to_string(r.article.id) + " does not fit the help-center index.");
        // An article is in its language's index (a language is part of what an article is;
        // a search takes a hit only where the article's language is the index's).
        const auto& l = Of(r.article.language);
        writers.at(l.code).replace_document(Xapian::docid(r.article.id), l.Document(r.article));
        since = r.revision;
        ++applied;
      }
    }
    since = std::max(since, wanted);
    for (auto& [code, w] : writers) {
      w.set_metadata("revision", std::to_string(since));
      w.set_metadata("analyzer", std::to_string(search::kAnalyzerVersion));
      w.commit();
      w.close();  // lets other processes write
    }
    for (auto& l : languages_) l->Refresh();
    caught_up_ = since;
    return applied;
  } catch (const Xapian::Error& e) {
    caught_up_.reset();  // look at the files again next time
    return Error::Unavailable("The help-center index at " + dir_ + " failed (" + Message(e) +
                              "); delete that directory and it is built again.");
  }
}

Result<void> ArticleIndex::Clear() {
  std::lock_guard lock(mu_);
  try {
    for (auto& l : languages_) {
      Xapian::WritableDatabase w(l->path, Xapian::DB_CREATE_OR_OVERWRITE);
      w.commit();
      w.close();
      l->reader.reset();
      l->Refresh();
    }
    caught_up_.reset();
    return Ok();
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("Cannot empty the help-center index at " + dir_ + ": " + Message(e));
  }
}

Result<std::vector<ArticleIndex::Ranked>> ArticleIndex::Search(const ArticleSearch& s, std::string_view language, int limit) {
  std::lock_guard lock(mu_);
  Language& l = Of(language);
  for (int attempt = 0;; ++attempt) {
    try {
      return Find(l, s, limit);
    } catch (const Xapian::DatabaseModifiedError& e) {
      // Another process wrote the index twice during the search: opened again, asked again.
      l.reader.reset();
      if (attempt > 0)
        return Error::Unavailable("The help-center index kept changing during the search (" + Message(e) + "); ask again.");
    } catch (const Xapian::Error& e) {
      caught_up_.reset();
      return Error::Unavailable("The help-center index at " + dir_ + " failed (" + Message(e) +
                                "); delete that directory and it is built again.");
    }
  }
}

std::vector<ArticleIndex::Ranked> ArticleIndex::Find(Language& l, const ArticleSearch& s, int limit) {
  std::vector<Ranked> out;
  {
    l.Refresh();
    if (!l.reader) return out;
    const Xapian::Database& db = *l.reader;
    auto terms = [&](const std::string& text, std::vector<std::string>& into) {
      for (const auto& t : l.analyzer.Tokenize(text))
        if (!t.term.empty() && t.term.size() <= 240) into.push_back(t.term);
    };
    // A word no article in the reader's language has may be mistyped: the commonest term of
    // the index one edit away (two for long words), sharing its first letter, is matched as
    // well, weighing as a synonym does.
    auto correction = [&](const std::string& text) -> std::optional<std::string> {
      const auto tokens = l.analyzer.Tokenize(text);
      if (tokens.size() != 1 || tokens[0].kind != search::Token::Kind::kWord || tokens[0].term.size() < 4) return std::nullopt;
      const std::string& term = tokens[0].term;
      if (db.term_exists(term)) return std::nullopt;
      const int max = term.size() >= 8 ? 2 : 1;
      std::optional<std::string> best;
      Xapian::doccount best_documents = 0;
      const std::string first(FirstCharacter(term));
      for (auto it = db.allterms_begin(first); it != db.allterms_end(first); ++it) {
        const std::string candidate = *it;
        if (std::abs(int(candidate.size()) - int(term.size())) > max || it.get_termfreq() <= best_documents) continue;
        if (search::EditDistance(term, candidate, max) <= max) {
          best = candidate;
          best_documents = it.get_termfreq();
        }
      }
      return best;
    };
    // The question's words (stop words aside; all of them if nothing else is left), and as a
    // second ranking their synonyms and corrections.
    std::vector<std::string> own, others;
    for (const auto& q : s.words) {
      if (search::IsStopword(l.code, q.text)) continue;
      terms(q.text, own);
      if (l.code == IndexLanguage(s.language))
        if (auto fixed = correction(q.text)) others.push_back(std::move(*fixed));
      for (const auto& syn : search::SynonymsOf(l.code, q.text)) terms(syn, others);
    }
    if (own.empty())
      for (const auto& q : s.words) terms(q.text, own);
    if (own.empty() && others.empty()) return out;
    auto any = [](const std::vector<std::string>& t) { return Xapian::Query(Xapian::Query::OP_OR, t.begin(), t.end()); };
    Xapian::Query query = any(own);
    if (!others.empty()) query = Xapian::Query(Xapian::Query::OP_OR, query, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any(others), kSynonymWeight));
    std::vector<Xapian::Query> filters;
    if (!s.drafts) filters.emplace_back(StatusTerm(true));
    if (!s.product.empty()) filters.emplace_back(PlaceTerm("XP", s.product));
    if (!s.module.empty()) filters.emplace_back(PlaceTerm("XM", s.module));
    if (!filters.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Bm25());
    enquire.set_query(query);
    const Xapian::MSet found = enquire.get_mset(0, Xapian::doccount(std::max(limit, 1)));
    for (auto it = found.begin(); it != found.end(); ++it) out.push_back({core::Id(*it), it.get_weight()});
    return out;
  }
}

}  // namespace chamado::store
