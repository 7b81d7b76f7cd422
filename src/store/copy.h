// A desk moved from SQLite to PostgreSQL (`chamado migrate-store`), and the proof that the
// copy holds what the original does.
//
// The copy reads one snapshot of the SQLite database (writes after it are not copied: stop
// the server first) and writes every table into an empty PostgreSQL database in ONE
// transaction: it is all there or nothing is. Foreign keys are checked at the commit (they are
// DEFERRABLE), the triggers that derive data are off meanwhile except the one that computes
// each ticket's search document, and the identity sequences move past the copied ids.
//
// The check compares, table by table, the number of rows and a checksum of their values (the
// sum of each row's BLAKE2b hash, so the order rows come in does not matter) over the columns
// both engines store; derived objects (SQLite's full-text tables, PostgreSQL's documents) are
// left out.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

struct TableCheck {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  std::string source_sum;  // 16 hex digits
  std::string target_sum;
  bool same() const { return source_rows == target_rows && source_sum == target_sum; }
};

struct CopyProgress {
  std::string table;
  int64_t table_rows_done = 0;
  int64_t table_rows = 0;
  int64_t rows_done = 0;  // all tables
  int64_t rows = 0;
};

struct CopyReport {
  int64_t rows = 0;
  std::vector<TableCheck> tables;
  bool verified() const {
    for (const auto& t : tables)
      if (!t.same()) return false;
    return true;
  }
};

// Copies the SQLite database at `sqlite_path` into the PostgreSQL database at `url`, both
// migrated to this release's schema first, then checks the copy. Refuses a target that holds
// people or tickets already.
Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path, const std::string& url,
                                        const std::function<void(const CopyProgress&)>& progress);

// The check alone: counts and checksums of every table the two databases share.
Result<std::vector<TableCheck>> CompareDatabases(Connection& sqlite, Connection& postgres);

}  // namespace chamado::store
