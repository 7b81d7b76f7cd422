// The SQLite engine: one file, WAL, foreign keys on.
#pragma once

#include <memory>
#include <string>

#include "store/sql.h"

struct sqlite3;

namespace chamado::store {

struct SqliteOptions {
  bool writer = false;  // the one connection that writes: synchronous=FULL, no auto-checkpoint
  bool durable = true;  // synchronous=FULL (survives power loss) vs NORMAL
};

// Process-wide settings, before the first connection: no global memory-statistics mutex
// (every allocation would take it).
void ConfigureSqliteOnce();

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const SqliteOptions& options);

// Runs a passive WAL checkpoint on `c` (which must be a SQLite connection).
Result<void> SqliteCheckpoint(Connection& c);

}  // namespace chamado::store
