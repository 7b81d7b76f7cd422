// The search aggregate of the repository: the full-text indexes of tickets (tables
// ticket_search and ticket_fts_<language>, kept by V009's triggers in the transaction that
// writes the text) and the queries over them.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time. SQLite FTS5 here; the engine is chosen by the connection.
#pragma once

#include "search/index.h"
#include "store/sql.h"

namespace chamado::store {

class SearchRepo : public search::TicketIndex {
 public:
  explicit SearchRepo(Connection& c) : c_(c) {}

  // Indexes built by another version of the analyzer (search::kAnalyzerVersion) hold terms
  // this one would not produce, and could not even remove: ticket indexes are emptied (every
  // ticket becomes not-yet-indexed, for IndexMissing) and article indexes rebuilt. Returns
  // whether indexes of another version were there.
  Result<bool> MatchAnalyzer(int version);
  // Empties the ticket indexes (every ticket becomes not-yet-indexed) and rebuilds the
  // article indexes from the articles.
  Result<void> ResetIndexes();

  Result<search::TicketHits> SearchTickets(const search::TicketSearch& s) override;
  Result<Indexed> IndexMissing(int64_t after, int limit) override;
  Result<int64_t> CountMissing() override;

  // The language a ticket's document is in ("pt"); nullopt while it is not indexed.
  Result<std::optional<std::string>> IndexedLanguage(int64_t number);
  // People whose name is `name` (case-insensitive), for filters written with a name.
  Result<std::vector<int64_t>> PeopleNamed(std::string_view name);

 private:
  Connection& c_;
};

}  // namespace chamado::store
