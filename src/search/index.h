// The seam between Chamado and a full-text engine: what a ticket search asks, what it gets
// back. SQLite's FTS5 implements it today (store/repo_search.h); PostgreSQL's full-text
// search will implement the same.
//
// Ranking is BM25 over four fields of a ticket (its subject, the public conversation, the
// internal notes, the requester's name and email), the subject weighing most. When a query
// matches more tickets than `kRankWindow`, the most recent kRankWindow matches are ranked
// (a word in a third of a million tickets says little about which of them is wanted; a
// second word or a filter narrows the window to what is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "search/query.h"

namespace chamado::search {

inline constexpr int kRankWindow = 10000;
// Results reachable by paging: a search is for finding, not for exporting.
inline constexpr int kMaxResults = 1000;

// A ticket search with every name resolved: ids, instants, visibility.
struct TicketSearch {
  std::vector<std::vector<Clause>> all;  // every group must match; any clause of a group
  std::vector<Clause> none;
  bool internal = false;  // may match internal notes: agents only

  std::vector<std::string> statuses;
  std::vector<std::string> priorities;
  std::vector<std::string> tags;
  std::vector<std::string> channels;
  std::vector<int64_t> group_ids;
  std::vector<int64_t> assignee_ids;
  bool unassigned = false;  // or no assignee at all (assignee:none)
  std::vector<int64_t> organization_ids;
  std::vector<int64_t> requester_ids;
  std::optional<Instant> created_from, created_to;  // [from, to)
  std::optional<Instant> updated_from, updated_to;
  // Tenancy, for customers: their organization's tickets, or only their own.
  std::optional<int64_t> visible_organization_id;
  std::optional<int64_t> visible_requester_id;

  int offset = 0;
  int limit = 25;
  int rank_window = kRankWindow;
};

struct TicketHit {
  int64_t number = 0;
  double score = 0;  // higher is better; 0 for a search by filters alone (newest first)
};

struct TicketHits {
  std::vector<TicketHit> items;
  bool more = false;            // another page exists
  int64_t total = 0;            // matches, counted up to kMaxResults
  bool total_capped = false;    // there are more than `total`
  bool windowed = false;        // more than kRankWindow matches: the most recent ones were ranked
};

class TicketIndex {
 public:
  virtual ~TicketIndex() = default;
  virtual Result<TicketHits> SearchTickets(const TicketSearch& search) = 0;

  // Indexing tickets written before the index existed (or after a rebuild), in number
  // order: indexes up to `limit` not-yet-indexed tickets numbered above `after`. Safe to stop
  // and resume anywhere.
  struct Indexed {
    int64_t last = 0;  // the last ticket indexed; 0 when none was left
    int64_t count = 0;
  };
  virtual Result<Indexed> IndexMissing(int64_t after, int limit) = 0;
  virtual Result<int64_t> CountMissing() = 0;
};

}  // namespace chamado::search
