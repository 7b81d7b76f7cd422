#include "store/repo_search.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <string_view>

#include "search/analyzer.h"
#include "search/similar.h"
#include "search/stopwords.h"
#include "store/fts.h"
#include "store/tsvector.h"

namespace chamado::store {
namespace {

using search::Clause;
using search::TicketSearch;

// The languages with an index of their own (V009).

// BM25 weights of the four columns: subject, public conversation, internal notes, people.
constexpr std::string_view kWeights = "5.0, 1.0, 1.0, 2.0";

std::string Expression(const Clause& c) { return FtsString(c.text) + (c.kind == Clause::Kind::kPrefix ? "*" : ""); }

std::string AnyOf(const std::vector<Clause>& clauses) {
  std::string out;
  for (const auto& c : clauses) out += (out.empty() ? "" : " OR ") + Expression(c);
  return clauses.size() > 1 ? "(" + out + ")" : out;
}

// The columns a searcher may match: customers never see internal notes.
std::string Columns(const TicketSearch& s, std::string expression) {
  if (s.internal) return expression;
  return "{subject public people} : (" + expression + ")";
}

// The MATCH expression of the words to find; empty when the search has none.
std::string MatchExpression(const TicketSearch& s) {
  if (s.all.empty()) return "";
  std::string out;
  for (const auto& group : s.all) out += (out.empty() ? "" : " AND ") + AnyOf(group);
  if (!s.none.empty()) out = "(" + out + ") NOT " + AnyOf(s.none);
  return Columns(s, out);
}

// Conditions on `tickets t` for the filters and the searcher's tenancy.
class Where {
 public:
  explicit Where(std::vector<Param>& params) : params_(params) {}

  std::string Next(Param p) {
    params_.push_back(p);
    return "$" + std::to_string(params_.size());
  }
  // A text parameter this Where keeps alive.
  std::string NextText(std::string text) { return Next(Param(std::string_view(texts_.emplace_back(std::move(text))))); }
  template <class T>
  void In(std::string_view column, const std::vector<T>& values) {
    if (values.empty()) return;
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : ", ") + Next(Param(v));
    Add(std::string(column) + " IN (" + list + ")");
  }
  void Add(std::string condition) { sql_ += " AND " + condition; }
  const std::string& sql() const { return sql_; }

 private:
  std::vector<Param>& params_;
  std::string sql_;
  std::deque<std::string> texts_;  // stable addresses
};

void AddFilters(const TicketSearch& s, Where& w) {
  w.In("t.status", s.statuses);
  w.In("t.priority", s.priorities);
  w.In("t.channel", s.channels);
  w.In("t.group_id", s.group_ids);
  w.In("t.organization_id", s.organization_ids);
  w.In("t.requester_id", s.requester_ids);
  if (!s.assignee_ids.empty() || s.unassigned) {
    std::string list;
    for (auto id : s.assignee_ids) list += (list.empty() ? "" : ", ") + w.Next(id);
    std::string any = list.empty() ? "" : "t.assignee_id IN (" + list + ")";
    if (s.unassigned) any = any.empty() ? "t.assignee_id IS NULL" : "(" + any + " OR t.assignee_id IS NULL)";
    w.Add(any);
  }
  if (!s.tags.empty()) {
    std::string list;
    for (const auto& tag : s.tags) list += (list.empty() ? "" : ", ") + w.Next(tag);
    w.Add("EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_number = t.number AND g.tag IN (" + list + "))");
  }
  if (s.created_from) w.Add("t.created_at >= " + w.Next(ToUnixMillis(*s.created_from)));
  if (s.created_to) w.Add("t.created_at < " + w.Next(ToUnixMillis(*s.created_to)));
  if (s.updated_from) w.Add("t.updated_at >= " + w.Next(ToUnixMillis(*s.updated_from)));
  if (s.updated_to) w.Add("t.updated_at < " + w.Next(ToUnixMillis(*s.updated_to)));
  if (s.visible_organization_id) w.Add("t.organization_id = " + w.Next(*s.visible_organization_id));
  if (s.visible_requester_id) w.Add("t.requester_id = " + w.Next(*s.visible_requester_id));
}

// How far down the results a search reads: its page and every one before it, within the cap.
int Reach(const TicketSearch& s) {
  return std::min(std::clamp(s.offset, 0, search::kMaxResults) + std::clamp(s.limit, 1, 100), search::kMaxResults);
}

// Filters alone, no words to rank: the newest first, so only this page and one more row are
// read; the total is what was seen.
Result<void> NewestFirst(Connection& c, const Where& w, const std::vector<Param>& params, int reach, search::TicketHits& out) {
  CHAMADO_TRY(c.RunDynamic("SELECT t.number FROM tickets t WHERE 1 = 1" + w.sql() + " ORDER BY t.number DESC LIMIT " +
                               std::to_string(reach + 1),
                           params, [&](const RowView& r) { out.items.push_back({r.Int(0), 0}); }));
  out.total_capped = out.items.size() > size_t(reach);
  return Ok();
}

// The hits of every index language in one order: the best first, the newest of equal ones.
void ByScore(std::vector<search::TicketHit>& items) {
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.score != b.score ? a.score > b.score : a.number > b.number;
  });
}

// The page `s` asks for out of everything found (`ranked`: found by words, each index's best),
// with the totals it tells.
search::TicketHits ThePage(search::TicketHits out, const TicketSearch& s, bool ranked) {
  const int reach = Reach(s);
  out.total = std::min<int64_t>(int64_t(out.items.size()), ranked ? search::kMaxResults : reach);
  out.total_capped = out.total_capped || out.items.size() > size_t(search::kMaxResults) || out.windowed;
  out.more = out.items.size() > size_t(reach) && reach < search::kMaxResults;
  const size_t begin = std::min(out.items.size(), size_t(std::clamp(s.offset, 0, search::kMaxResults)));
  const size_t end = std::min(out.items.size(), size_t(reach));
  out.items = std::vector<search::TicketHit>(out.items.begin() + begin, out.items.begin() + std::max(begin, end));
  return out;
}

// PostgreSQL (V028's ticket_search documents): tsquery literals of the analyzer's terms
// (store/tsvector.h), each a parameter.

// Any of the clauses, as AnyOf says it to FTS5; empty when none has a term (FTS5's empty
// phrases match nothing, so they drop out of an OR).
std::string TsAnyOf(const search::Analyzer& a, const std::vector<Clause>& clauses) {
  std::string out;
  for (const auto& c : clauses)
    if (const std::string q = TsQueryClause(a, c); !q.empty()) out += (out.empty() ? "(" : " | (") + q + ")";
  return out;
}

// A search's words in one language, as MatchExpression says them to FTS5: `found` the words
// to find, `query` less the words to exclude. nullopt when nothing can match (a group of no
// terms, as an empty phrase ANDed in FTS5).
struct TsSearch {
  std::string found, query;
};
std::optional<TsSearch> TsQueryOf(const TicketSearch& s, const search::Analyzer& a) {
  std::string found;
  for (const auto& group : s.all) {
    const std::string any = TsAnyOf(a, group);
    if (any.empty()) return std::nullopt;
    found += (found.empty() ? "(" : " & (") + any + ")";
  }
  const std::string none = TsAnyOf(a, s.none);
  return TsSearch{found, none.empty() ? found : "(" + found + ") & !(" + none + ")"};
}

std::string TsQueryParam(std::string literal, Where& w) { return "CAST(" + w.NextText(std::move(literal)) + " AS tsquery)"; }

// The part of a document a searcher may match: customers never match internal notes (C).
std::string PgDocument(const TicketSearch& s, std::string_view alias) {
  return s.internal ? std::string(alias) + ".document" : "ts_filter(" + std::string(alias) + ".document, '{a,b,d}')";
}

// ts_rank's weights {D, C, B, A}: public 1, internal 1, people 2, subject 5 (FTS5's bm25
// weights, over 5); customers' notes weigh nothing.
std::string PgWeights(const TicketSearch& s) { return s.internal ? "'{0.2, 0.2, 0.4, 1.0}'" : "'{0.2, 0, 0.4, 1.0}'"; }

}  // namespace

Result<search::TicketHits> SearchRepo::SearchTicketsPostgres(const TicketSearch& s) {
  search::TicketHits out;
  if (s.all.empty()) {
    std::vector<Param> params;
    Where w(params);
    AddFilters(s, w);
    // Words to exclude, in the language of each ticket's document.
    std::string excluded;
    for (auto language : kIndexLanguages)
      if (std::string none = TsAnyOf(search::ThreadAnalyzer(language), s.none); !none.empty())
        excluded += (excluded.empty() ? "" : " OR ") + ("(x.language = '" + std::string(language) + "' AND ") +
                    PgDocument(s, "x") + " @@ " + TsQueryParam(std::move(none), w) + ")";
    if (!excluded.empty())
      w.Add("NOT EXISTS (SELECT 1 FROM ticket_search x WHERE x.number = t.number AND (" + excluded + "))");
    CHAMADO_TRY(NewestFirst(c_, w, params, Reach(s), out));
  } else {
    for (auto language : kIndexLanguages) {
      const auto ts = TsQueryOf(s, search::ThreadAnalyzer(language));
      if (!ts) continue;
      std::vector<Param> params;
      Where w(params);
      // The whole document finds the candidates through the GIN index (by the words to find
      // alone: a customer's excluded word may be in a note they do not search).
      const std::string q = TsQueryParam(ts->query, w);
      const std::string match = s.internal ? q : TsQueryParam(ts->found, w) + " AND " + PgDocument(s, "s") + " @@ " + q;
      AddFilters(s, w);
      const std::string from = " FROM ticket_search s JOIN tickets t ON t.number = s.number WHERE s.language = '" +
                               std::string(language) + "' AND s.document @@ " + match + w.sql();
      std::optional<int64_t> oldest;
      CHAMADO_TRY(c_.RunDynamic("SELECT s.number" + from + " ORDER BY s.number DESC LIMIT 1 OFFSET " +
                                    std::to_string(std::max(s.rank_window, 1) - 1),
                                params, [&](const RowView& r) { oldest = r.Int(0); }));
      std::string window;
      if (oldest) {
        out.windowed = true;
        window = " AND s.number >= " + std::to_string(*oldest);
      }
      CHAMADO_TRY(c_.RunDynamic("SELECT s.number, ts_rank(" + PgWeights(s) + ", " + PgDocument(s, "s") + ", " + q + ") AS rank" +
                                    from + window + " ORDER BY rank DESC, s.number DESC LIMIT " +
                                    std::to_string(search::kMaxResults + 1),
                                params, [&](const RowView& r) { out.items.push_back({r.Int(0), r.Real(1)}); }));
    }
    ByScore(out.items);
  }
  return ThePage(std::move(out), s, !s.all.empty());
}

Result<search::TicketHits> SearchRepo::SearchTickets(const TicketSearch& s) {
  if (IsPostgres(c_)) return SearchTicketsPostgres(s);
  search::TicketHits out;
  const std::string match = MatchExpression(s);

  if (match.empty()) {
    // Filters alone: the newest first. Words to exclude are looked up in every index.
    std::vector<Param> params;
    Where w(params);
    AddFilters(s, w);
    const std::string none = Columns(s, AnyOf(s.none));  // outlives the parameters that view it
    if (!s.none.empty()) {
      const std::string excluded = w.Next(none);
      for (auto l : kIndexLanguages)
        w.Add("NOT EXISTS (SELECT 1 FROM ticket_fts_" + std::string(l) + " WHERE ticket_fts_" + std::string(l) +
              " MATCH " + excluded + " AND rowid = t.number)");
    }
    CHAMADO_TRY(NewestFirst(c_, w, params, Reach(s), out));
  } else {
    for (auto language : kIndexLanguages) {
      const std::string table = "ticket_fts_" + std::string(language);
      std::vector<Param> params{Param(match)};
      Where w(params);
      AddFilters(s, w);
      const bool filtered = !w.sql().empty();
      const std::string from = " FROM " + table + (filtered ? " JOIN tickets t ON t.number = " + table + ".rowid" : "") +
                               " WHERE " + table + " MATCH $1" + w.sql();
      // The window: the kRankWindow-th most recent match, if there are that many. (Walking
      // back that many matches costs a fraction of ranking them: bench/README.md, --stages.)
      std::optional<int64_t> oldest;
      CHAMADO_TRY(c_.RunDynamic("SELECT " + table + ".rowid" + from + " ORDER BY " + table + ".rowid DESC LIMIT 1 OFFSET " +
                                    std::to_string(std::max(s.rank_window, 1) - 1),
                                params, [&](const RowView& r) { oldest = r.Int(0); }));
      std::string window;
      if (oldest) {
        out.windowed = true;
        window = " AND " + table + ".rowid >= " + std::to_string(*oldest);
      }
      // One word or phrase: bm25's order without its count of every match (store/sqlite.cc).
      const char* rank = s.all.size() == 1 && s.all[0].size() == 1 ? "chamado_rank(" : "bm25(";
      CHAMADO_TRY(c_.RunDynamic("SELECT " + table + ".rowid, " + rank + table + ", " + std::string(kWeights) + ") AS rank" +
                                    from + window + " ORDER BY rank LIMIT " + std::to_string(search::kMaxResults + 1),
                                params, [&](const RowView& r) { out.items.push_back({r.Int(0), -r.Real(1)}); }));
    }
    ByScore(out.items);
  }
  return ThePage(std::move(out), s, !match.empty());
}

Result<search::TicketIndex::Indexed> SearchRepo::IndexMissing(int64_t after, int limit) {
  struct Missing {
    int64_t number;
    std::string language;
    std::string people;
    bool row;  // PostgreSQL: it has its row, with a stale document
  };
  const bool postgres = IsPostgres(c_);
  std::vector<Missing> missing;
  CHAMADO_TRY(c_.Run(postgres ? "SELECT t.number, u.language, trim(u.name || ' ' || u.email), s.number IS NOT NULL FROM tickets t "
                                "JOIN users u ON u.id = t.requester_id LEFT JOIN ticket_search s ON s.number = t.number "
                                "WHERE t.number > $1 AND (s.number IS NULL OR s.document IS NULL) ORDER BY t.number LIMIT $2"
                              : "SELECT t.number, u.language, trim(u.name || ' ' || u.email), 0 FROM tickets t "
                                "JOIN users u ON u.id = t.requester_id WHERE t.number > $1 "
                                "AND NOT EXISTS (SELECT 1 FROM ticket_search s WHERE s.number = t.number) ORDER BY t.number LIMIT $2",
                     {after, limit}, [&](const RowView& r) {
                       missing.push_back({r.Int(0), IndexLanguage(r.Text(1)), r.Str(2), r.Int(3) != 0});
                     }));
  for (const auto& m : missing) {
    if (!m.row)
      CHAMADO_TRY(c_.Run("INSERT INTO ticket_search (number, language, people) VALUES ($1, $2, $3)",
                         {m.number, m.language, m.people}));
    if (postgres) continue;
    CHAMADO_TRY(c_.Run("INSERT INTO ticket_fts_" + m.language + " (rowid, subject, public, internal, people) "
                       "SELECT number, subject, public, internal, people FROM ticket_text_" + m.language + " WHERE number = $1",
                       {m.number}));
  }
  if (postgres && !missing.empty())
    CHAMADO_TRY(FillDocuments("SELECT number FROM ticket_search WHERE document IS NULL AND number > $1 AND number <= $2",
                              {after, missing.back().number}));
  return Indexed{missing.empty() ? 0 : missing.back().number, int64_t(missing.size())};
}

Result<int64_t> SearchRepo::CountMissing() {
  int64_t n = 0;
  // PostgreSQL: a stale document is not indexed either, until it is filled.
  CHAMADO_TRY(c_.Run(IsPostgres(c_)
                         ? "SELECT (SELECT count(*) FROM tickets) - (SELECT count(*) FROM ticket_search) + "
                           "(SELECT count(*) FROM ticket_search WHERE document IS NULL)"
                         : "SELECT (SELECT count(*) FROM tickets) - (SELECT count(*) FROM ticket_search)",
                     {}, [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

Result<int64_t> SearchRepo::FillStaleDocuments(int limit) {
  if (!IsPostgres(c_)) return int64_t{0};
  return FillDocuments("SELECT number FROM ticket_search WHERE document IS NULL ORDER BY number LIMIT $1", {int64_t{limit}});
}

Result<int64_t> SearchRepo::FillDocuments(const std::string& numbers, std::vector<Param> params) {
  struct Stale {
    int64_t number;
    std::string language;
    TicketText text;
  };
  std::vector<Stale> stale;
  CHAMADO_TRY(c_.RunDynamic("SELECT number, language, subject, people, internal, public FROM ticket_text WHERE number IN (" +
                                numbers + ") ORDER BY number",
                            params, [&](const RowView& r) {
                              stale.push_back({r.Int(0), r.Str(1), {r.Str(2), r.Str(3), r.Str(4), r.Str(5)}});
                            }));
  if (stale.empty()) return int64_t{0};
  // One statement for the batch, as two arrays: ticket_vocab's statement triggers then run
  // once for all the documents, not once per document.
  std::string numbers_array = "{", documents_array = "{";
  for (const auto& row : stale) {
    if (numbers_array.size() > 1) {
      numbers_array += ',';
      documents_array += ',';
    }
    numbers_array += std::to_string(row.number);
    documents_array += '"';
    for (char ch : TsVectorLiteral(search::ThreadAnalyzer(row.language), row.text)) {
      if (ch == '"' || ch == '\\') documents_array += '\\';
      documents_array += ch;
    }
    documents_array += '"';
  }
  numbers_array += '}';
  documents_array += '}';
  CHAMADO_TRY(c_.Run("UPDATE ticket_search AS s SET document = CAST(v.document AS tsvector) FROM "
                     "unnest(CAST($1 AS bigint[]), CAST($2 AS text[])) AS v(number, document) WHERE s.number = v.number",
                     {numbers_array, documents_array}));
  return int64_t(stale.size());
}

Result<std::vector<SimilarHit>> SearchRepo::SimilarTickets(const SimilarQuery& q) {
  const std::string language = IndexLanguage(q.language);
  const std::string table = "ticket_fts_" + language;
  // The text's words (stop words aside, each once, at most 40) as "any of them".
  std::string any;
  int words = 0;
  std::vector<std::string> seen;
  std::vector<Clause> typed;  // the same words, for PostgreSQL's tsquery
  for (const auto& w : search::ParseQuestion(q.subject + "\n" + q.body)) {
    if (words >= 40) break;
    std::string folded = search::Fold(w.text);
    if (search::IsStopword(language, w.text) || std::find(seen.begin(), seen.end(), folded) != seen.end()) continue;
    seen.push_back(std::move(folded));
    typed.push_back({Clause::Kind::kWord, w.text});
    any += (any.empty() ? "" : " OR ") + FtsString(w.text);
    ++words;
  }
  std::vector<SimilarHit> out;
  if (any.empty()) return out;
  const bool postgres = IsPostgres(c_);
  const std::string match = "{subject public} : (" + any + ")";
  std::vector<Param> params;
  Where w(params);
  // PostgreSQL: the same words, any of them, in the subject (A) or the conversation (D).
  std::string pg_query;
  if (postgres) {
    std::string literal = TsAnyOf(search::ThreadAnalyzer(language), typed);
    if (literal.empty()) return out;
    pg_query = TsQueryParam(std::move(literal), w);
  } else {
    w.Next(Param(match));
  }
  w.Add("t.status IN ('new', 'open', 'pending_customer', 'on_hold')");
  if (q.exclude) w.Add("t.number <> " + w.Next(*q.exclude));
  if (q.organization_id) w.Add("t.organization_id = " + w.Next(*q.organization_id));
  else if (q.requester_id) w.Add("t.requester_id = " + w.Next(*q.requester_id));
  struct Candidate {
    int64_t number;
    std::string subject, body;
  };
  std::vector<Candidate> candidates;
  const std::string sql =
      postgres ? "SELECT s.number, x.subject, x.public FROM ticket_search s JOIN tickets t ON t.number = s.number "
                 "JOIN ticket_text_" + language + " x ON x.number = t.number WHERE s.language = '" + language +
                     "' AND s.document @@ " + pg_query + " AND ts_filter(s.document, '{a,d}') @@ " + pg_query + w.sql() +
                     " ORDER BY ts_rank('{0.5, 0, 0, 1.0}', ts_filter(s.document, '{a,d}'), " + pg_query + ") DESC, s.number DESC LIMIT 20"
               : "SELECT " + table + ".rowid, x.subject, x.public FROM " + table + " JOIN tickets t ON t.number = " + table +
                     ".rowid JOIN ticket_text_" + language + " x ON x.number = t.number WHERE " + table + " MATCH $1" + w.sql() +
                     " ORDER BY bm25(" + table + ", 2.0, 1.0, 0.0, 0.0) LIMIT 20";
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) { candidates.push_back({r.Int(0), r.Str(1), r.Str(2)}); }));
  if (candidates.empty()) return out;
  // Document frequencies from the index's vocabulary, each term looked up once.
  int64_t documents = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM ticket_search WHERE language = $1", {language},
                     [&](const RowView& r) { documents = r.Int(0); }));
  std::map<std::string, int64_t> frequency;
  Result<void> failed = Ok();
  auto df = [&](const std::string& term) -> int64_t {
    auto [it, fresh] = frequency.try_emplace(term, 0);
    if (fresh && failed.ok()) {
      auto r = postgres ? c_.Run("SELECT documents FROM ticket_vocab WHERE language = $1 AND term = $2", {language, term},
                                 [&, it = it](const RowView& row) { it->second = row.Int(0); })
                        : c_.Run("SELECT doc FROM ticket_vocab_" + language + " WHERE term = $1", {term},
                                 [&, it = it](const RowView& row) { it->second = row.Int(0); });
      if (!r.ok()) failed = std::move(r).error();
    }
    return it->second;
  };
  const search::Analyzer analyzer(language);
  const auto wanted = search::Vectorize(analyzer, q.subject, q.body, df, documents);
  for (const auto& c : candidates) {
    const double score = search::Cosine(wanted, search::Vectorize(analyzer, c.subject, c.body, df, documents));
    if (score >= q.min_score) out.push_back({c.number, score});
  }
  CHAMADO_TRY(std::move(failed));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  if (int(out.size()) > q.limit) out.resize(size_t(std::max(q.limit, 0)));
  return out;
}

Result<std::optional<std::string>> SearchRepo::IndexedLanguage(int64_t number) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT language FROM ticket_search WHERE number = $1", {number},
                     [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<std::vector<int64_t>> SearchRepo::PeopleNamed(std::string_view name) {
  std::vector<int64_t> out;
  CHAMADO_TRY(c_.Run("SELECT id FROM users WHERE lower(name) = lower($1) ORDER BY id LIMIT 100", {name},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<void> SearchRepo::ResetIndexes() {
  // PostgreSQL's documents and vocabulary go with their rows (V028's triggers).
  if (!IsPostgres(c_))
    for (auto language : kIndexLanguages) {
      const std::string tickets = "ticket_fts_" + std::string(language);
      CHAMADO_TRY(c_.Run("INSERT INTO " + tickets + " (" + tickets + ") VALUES ('delete-all')", {}));
    }
  CHAMADO_TRY(c_.Run("DELETE FROM ticket_search", {}));
  return Ok();
}

Result<bool> SearchRepo::MatchAnalyzer(int version) {
  std::optional<std::string> stored;
  CHAMADO_TRY(c_.Run("SELECT value FROM settings WHERE key = 'search_analyzer'", {}, [&](const RowView& r) { stored = r.Str(0); }));
  if (stored && *stored == std::to_string(version)) return false;
  CHAMADO_TRY(ResetIndexes());  // a database from before the indexes: nothing to empty yet
  CHAMADO_TRY(c_.Run("INSERT INTO settings (key, value) VALUES ('search_analyzer', $1) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     {std::to_string(version)}));
  return stored.has_value();
}

}  // namespace chamado::store
