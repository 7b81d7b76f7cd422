// The search aggregate of the repository: the full-text indexes of tickets (tables
// ticket_search and ticket_fts_<language>, kept by V009's triggers in the transaction that
// writes the text; on PostgreSQL, V028's ticket_search documents, filled by FillStaleDocuments
// in that transaction) and the queries over them.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time. SQLite FTS5 or PostgreSQL's tsvector, by the connection's engine; both
// index and match the terms of Chamado's analyzer (search/analyzer.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "search/index.h"
#include "store/sql.h"

namespace chamado::store {

// Duplicate hints: open tickets that read like the given text.
struct SimilarQuery {
  std::string subject;
  std::string body;
  std::string language;                 // the text's (a desk language or its base subtag)
  std::optional<int64_t> exclude;       // the ticket the text is from
  std::optional<int64_t> organization_id;  // the same organization's tickets...
  std::optional<int64_t> requester_id;     // ...or, without one, the same requester's
  int limit = 5;
  double min_score = 0.15;
};

struct SimilarHit {
  int64_t number = 0;
  double score = 0;  // search::Cosine, 0 to 1
};

class SearchRepo : public search::TicketIndex {
 public:
  explicit SearchRepo(Connection& c) : c_(c) {}

  // Ticket indexes built by another version of the analyzer (search::kAnalyzerVersion) hold
  // terms this one would not produce, and could not even remove: they are emptied (every
  // ticket becomes not-yet-indexed, for IndexMissing). Returns whether indexes of another
  // version were there. (The help center's index checks its own: store/article_index.h.)
  Result<bool> MatchAnalyzer(int version);
  // Empties the ticket indexes (every ticket becomes not-yet-indexed).
  Result<void> ResetIndexes();

  Result<search::TicketHits> SearchTickets(const search::TicketSearch& s) override;
  // PostgreSQL (V028): a ticket whose document is stale (NULL: its text changed) is not indexed
  // either, until filled.
  Result<Indexed> IndexMissing(int64_t after, int limit) override;
  Result<int64_t> CountMissing() override;

  // PostgreSQL: writes up to `limit` stale documents (the lowest numbers first) from their
  // tickets' text, in the caller's transaction; returns how many. The Store's writer calls it
  // before each COMMIT, so a ticket is found once its write is acknowledged. Nothing to do on
  // SQLite, whose FTS5 tables are written by triggers.
  Result<int64_t> FillStaleDocuments(int limit);

  // Ranked by score; the index finds candidates (any shared word, BM25), the TF-IDF cosine
  // scores them. Open means new, open, pending_customer or on_hold.
  Result<std::vector<SimilarHit>> SimilarTickets(const SimilarQuery& q);

  // The language a ticket's document is in ("pt"); nullopt while it is not indexed.
  Result<std::optional<std::string>> IndexedLanguage(int64_t number);
  // People whose name is `name` (case-insensitive), for filters written with a name.
  Result<std::vector<int64_t>> PeopleNamed(std::string_view name);

 private:
  // SearchTickets over PostgreSQL's documents (V028): the same answers in the same shape.
  Result<search::TicketHits> SearchTicketsPostgres(const search::TicketSearch& s);
  // Fills the documents of the tickets `numbers` (SQL of one column, with `params`) selects.
  Result<int64_t> FillDocuments(const std::string& numbers, std::vector<Param> params);

  Connection& c_;
};

}  // namespace chamado::store
