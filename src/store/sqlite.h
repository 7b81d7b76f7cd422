// The SQLite engine: one file, WAL, foreign keys on.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "store/sql.h"

struct sqlite3;

namespace chamado::store {

struct SqliteOptions {
  bool writer = false;  // the one connection that writes: synchronous=FULL, no auto-checkpoint
  bool durable = true;  // synchronous=FULL (survives power loss) vs NORMAL
  int64_t journal_size_limit = -1;  // bytes the log file is trimmed to when it restarts; -1: never
};

// Process-wide settings, before the first connection: no global memory-statistics mutex
// (every allocation would take it).
void ConfigureSqliteOnce();

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const SqliteOptions& options);

// Copies the database file at `from` into a new file `to` with SQLite's online backup, in one
// step: one read snapshot, so whoever writes `from` meanwhile goes on and the copy is
// consistent. The copy uses a rollback journal (one self-contained file). `to` must not exist.
Result<void> SqliteCopy(const std::string& from, const std::string& to);

enum class CheckpointMode {
  kPassive,   // copies what no reader still needs; never waits, never blocks anyone
  kTruncate,  // copies everything and empties the log: waits (up to `wait`) for readers still
              // in the log to finish, holding new writers back meanwhile
};
struct CheckpointResult {
  bool complete = false;  // every frame of the log is in the database file (and, truncating, the log is empty)
  int64_t log_frames = 0;
  int64_t copied_frames = 0;
};
// Runs a WAL checkpoint on `c` (which must be a SQLite connection). A reader or writer that
// does not let go within `wait` is no error: the result says the checkpoint is incomplete.
Result<CheckpointResult> SqliteCheckpoint(Connection& c, CheckpointMode mode = CheckpointMode::kPassive,
                                          std::chrono::milliseconds wait = std::chrono::milliseconds(0));

}  // namespace chamado::store
