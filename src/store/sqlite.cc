#include "store/sqlite.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "search/analyzer.h"

namespace chamado::store {
namespace {

// How long a statement waits for a lock held by another connection before it reports busy.
constexpr int kBusyTimeoutMs = 10000;

class SqliteRow final : public RowView {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  bool IsNull(int c) const override { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  int64_t Int(int c) const override { return sqlite3_column_int64(s_, c); }
  double Real(int c) const override { return sqlite3_column_double(s_, c); }
  std::string_view Text(int c) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(s_, c))) : std::string_view();
  }

 private:
  sqlite3_stmt* s_;
};

Error SqlError(sqlite3* db, int rc, std::string_view sql) {
  std::string msg = std::string(sqlite3_errmsg(db)) + " (in: " + std::string(sql.substr(0, 120)) + ")";
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Error::Unavailable("The database is busy; retry in a moment.");
  if ((rc & 0xff) == SQLITE_FULL) return Error::StorageFull("The disk of the database is full; free space and retry.");
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Error::Conflict(msg);
  return Error::Internal(msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [k, s] : cache_) sqlite3_finalize(s.stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* db() { return db_; }

  Result<int64_t> Run(std::string_view sql, std::initializer_list<Param> params, const RowFn& row) override {
    return Execute(sql, params.begin(), params.size(), row);
  }
  Result<int64_t> RunDynamic(std::string_view sql, const std::vector<Param>& params, const RowFn& row) override {
    return Execute(sql, params.data(), params.size(), row);
  }

  Result<void> Script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      return Error::Internal("SQLite: " + m);
    }
    return Ok();
  }

  std::string_view Engine() const override { return "sqlite"; }

 private:
  Result<int64_t> Execute(std::string_view sql, const Param* params, size_t n, const RowFn& row) {
    Prepared* prepared = nullptr;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      prepared = &it->second;
    } else {
      sqlite3_stmt* fresh = nullptr;
      const int rc = sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &fresh, nullptr);
      if (rc != SQLITE_OK) return SqlError(db_, rc, sql);
      if (cache_.size() > 512) {
        for (auto& [k, s] : cache_) sqlite3_finalize(s.stmt);
        cache_.clear();
      }
      // SQLite numbers "$N" parameters by first appearance, not by N: bind by name, so
      // "$2 ... $1" means what it means in PostgreSQL.
      Prepared p{fresh, {}};
      for (int i = 1; i <= sqlite3_bind_parameter_count(fresh); ++i)
        p.slot_of.push_back(sqlite3_bind_parameter_index(fresh, ("$" + std::to_string(i)).c_str()));
      prepared = &cache_.emplace(std::string(sql), std::move(p)).first->second;
    }
    sqlite3_stmt* st = prepared->stmt;
    if (n != prepared->slot_of.size())
      return Error::Internal("The statement takes " + std::to_string(prepared->slot_of.size()) + " parameters, " +
                             std::to_string(n) + " given (in: " + std::string(sql.substr(0, 120)) + ")");
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() { sqlite3_reset(s); sqlite3_clear_bindings(s); }
    } reset{st};
    for (size_t i = 0; i < n; ++i) {
      const Param& p = params[i];
      const int idx = prepared->slot_of[i];
      if (idx == 0) return Error::Internal("Parameter $" + std::to_string(i + 1) + " is missing from: " + std::string(sql.substr(0, 120)));
      int rc = SQLITE_OK;
      switch (p.kind()) {
        case Param::Kind::kNull: rc = sqlite3_bind_null(st, idx); break;
        case Param::Kind::kInt: rc = sqlite3_bind_int64(st, idx, p.integer()); break;
        case Param::Kind::kReal: rc = sqlite3_bind_double(st, idx, p.real()); break;
        case Param::Kind::kText:
          rc = sqlite3_bind_text(st, idx, p.text().data(), int(p.text().size()), SQLITE_STATIC);
          break;
        case Param::Kind::kBlob:
          rc = sqlite3_bind_blob64(st, idx, p.text().data(), sqlite3_uint64(p.text().size()), SQLITE_STATIC);
          break;
      }
      if (rc != SQLITE_OK) return SqlError(db_, rc, sql);
    }
    SqliteRow view(st);
    while (true) {
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        if (row) row(view);
        continue;
      }
      if (rc == SQLITE_DONE) break;
      return SqlError(db_, rc, sql);
    }
    return int64_t(sqlite3_changes64(db_));
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Prepared {
    sqlite3_stmt* stmt;
    std::vector<int> slot_of;  // slot_of[i]: SQLite's index of "$i+1"
  };
  sqlite3* db_;
  std::unordered_map<std::string, Prepared, Hash, std::equal_to<>> cache_;
};

// The FTS5 tokenizer "chamado" (tokenize = 'chamado pt [pairs]', the language's base subtag):
// Chamado's analyzer, so full-text indexes fold, stem and keep codes whole exactly as the
// search layer says. A prefix query ("configura*") is stemmed like any word ("configur"),
// since the index holds stems, which are often shorter than what was typed.
//
// With "pairs" (the ticket indexes, V013), a document's every two adjacent terms are indexed
// as one more term (search::PairTerm) at the first one's position, and a phrase in a query
// is matched as the phrase of its pairs: "a b c" as "a·b b·c", which holds exactly where
// a, b and c stand in a row, through lists as short as the phrase is rare.
struct FtsTokenizer {
  search::Analyzer analyzer;
  bool pairs = false;
};

int FtsCreate(void*, const char** args, int n, Fts5Tokenizer** out) {
  const bool pairs = n > 1 && std::string_view(args[1]) == "pairs";
  *out = reinterpret_cast<Fts5Tokenizer*>(new FtsTokenizer{search::Analyzer(n > 0 ? args[0] : ""), pairs});
  return SQLITE_OK;
}

void FtsDelete(Fts5Tokenizer* t) { delete reinterpret_cast<FtsTokenizer*>(t); }

int FtsTokenize(Fts5Tokenizer* tokenizer, void* ctx, int flags, const char* text, int n,
                int (*emit)(void*, int, const char*, int, int, int)) {
  const auto& self = *reinterpret_cast<FtsTokenizer*>(tokenizer);
  const bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
  // A query string that starts with \x01 is an index term already (a spelling correction
  // taken from the vocabulary): matched as it is, not analysed again.
  if (query && n > 1 && text[0] == '\x01') return emit(ctx, 0, text + 1, n - 1, 0, n);
  const auto tokens = self.analyzer.Tokenize(std::string_view(text, size_t(n)));
  auto word = [&](const search::Token& t, int flag) {
    return emit(ctx, flag, t.term.data(), int(t.term.size()), int(t.begin), int(t.end));
  };
  auto pair = [&](size_t i, int flag) {
    const std::string term = search::PairTerm(tokens[i].term, tokens[i + 1].term);
    return emit(ctx, flag, term.data(), int(term.size()), int(tokens[i].begin), int(tokens[i + 1].end));
  };
  // A phrase in a query (a prefix one aside: its last word is not whole).
  if (self.pairs && query && (flags & FTS5_TOKENIZE_PREFIX) == 0 && tokens.size() > 1) {
    for (size_t i = 0; i + 1 < tokens.size(); ++i)
      if (const int rc = pair(i, 0); rc != SQLITE_OK) return rc;
    return SQLITE_OK;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (const int rc = word(tokens[i], 0); rc != SQLITE_OK) return rc;
    if (self.pairs && !query && i + 1 < tokens.size())
      if (const int rc = pair(i, FTS5_TOKEN_COLOCATED); rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

// The FTS5 function chamado_rank(table, w0, w1, ...): FTS5's bm25() (k1 = 1.2, b = 0.75, the
// same column weights, negative: ORDER BY it ascending) without the inverse document
// frequency, which bm25() finds by counting every row that holds each phrase, on every query:
// for a word in 400,000 tickets that count costs more than ranking the 10,000 newest of them.
// With a single phrase the frequency is one factor of every score, so the order is bm25()'s
// exactly (SearchRepo uses it for a search of one word or one phrase; repo_search_test
// compares the two).
struct RankData {
  double average_tokens = 0;
};

void ChamadoRank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  constexpr double kK1 = 1.2, kB = 0.75;
  auto* data = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
  if (!data) {
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
    data = new RankData{rows > 0 && tokens > 0 ? double(tokens) / double(rows) : 1.0};
    if ((rc = api->xSetAuxdata(fts, data, [](void* p) { delete static_cast<RankData*>(p); })) != SQLITE_OK)
      return sqlite3_result_error_code(ctx, rc);
  }
  const int phrases = api->xPhraseCount(fts);
  std::vector<double> frequency(size_t(std::max(phrases, 0)), 0.0);
  int instances = 0;
  if (const int rc = api->xInstCount(fts, &instances); rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
  for (int i = 0; i < instances; ++i) {
    int phrase = 0, column = 0, offset = 0;
    if (const int rc = api->xInst(fts, i, &phrase, &column, &offset); rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
    const double weight = column < argc ? sqlite3_value_double(argv[column]) : 1.0;
    if (phrase >= 0 && phrase < phrases) frequency[size_t(phrase)] += weight;
  }
  int tokens = 0;
  if (const int rc = api->xColumnSize(fts, -1, &tokens); rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
  const double length = kK1 * (1 - kB + kB * double(tokens) / data->average_tokens);
  double score = 0;
  for (double f : frequency) score += f * (kK1 + 1) / (f + length);
  sqlite3_result_double(ctx, -score);
}

Result<void> RegisterTokenizer(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK)
    return Error::Internal(std::string("SQLite has no FTS5: ") + sqlite3_errmsg(db));
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (!api) return Error::Internal("SQLite did not hand out its FTS5 interface.");
  static fts5_tokenizer kTokenizer{FtsCreate, FtsDelete, FtsTokenize};
  if (api->xCreateTokenizer(api, "chamado", nullptr, &kTokenizer, nullptr) != SQLITE_OK)
    return Error::Internal(std::string("Cannot register the chamado tokenizer: ") + sqlite3_errmsg(db));
  if (api->xCreateFunction(api, "chamado_rank", nullptr, ChamadoRank, nullptr) != SQLITE_OK)
    return Error::Internal(std::string("Cannot register chamado_rank: ") + sqlite3_errmsg(db));
  return Ok();
}

}  // namespace

void ConfigureSqliteOnce() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)done;
}

Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path, const SqliteOptions& o) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error::Unavailable("Cannot open the database " + path + ": " + m);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  auto conn = std::make_unique<SqliteConnection>(db);
  if (auto r = RegisterTokenizer(db); !r.ok()) return Error::Unavailable("Cannot set up the database " + path + ": " + r.error().message);
  // A new database gives freed pages back to the file system on request (retention's
  // incremental vacuum); the mode can only be chosen while the file is still empty.
  std::string pragmas = o.writer ? "PRAGMA auto_vacuum=INCREMENTAL;" : "";
  // The writer keeps temporary data (statement journals, large sorts) in temporary files, not
  // in memory: each unit of work runs in a savepoint, so a statement journal held in memory
  // grows with the whole unit, and SQLite walks that in-memory journal from its start on every
  // write (a scheduler pass of 30,000 breaches at 300,000 tickets took 7.3 s instead of
  // 2.0 s). Files go where SQLite puts them (SQLITE_TMPDIR, else /var/tmp or /tmp; the
  // package's unit has a private /tmp). Readers never journal, and their temporary b-trees
  // (the IN lists of a page's tags and clocks) are small and short-lived: in files they cost
  // a write system call each (the queue page at 1,000,000 tickets spent 9 % of its time there).
  pragmas += "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;";
  pragmas += o.writer ? "PRAGMA temp_store=FILE;" : "PRAGMA temp_store=MEMORY;";
  pragmas += o.durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
  // The writer never checkpoints inside a commit; the store runs checkpoints on its own thread.
  pragmas += o.writer ? "PRAGMA wal_autocheckpoint=0;" : "PRAGMA query_only=1;";
  pragmas += "PRAGMA cache_size=-32000;";
  if (o.writer && o.journal_size_limit >= 0) pragmas += "PRAGMA journal_size_limit=" + std::to_string(o.journal_size_limit) + ";";
  if (auto r = conn->Script(pragmas); !r.ok()) return Error::Unavailable("Cannot set up the database " + path + ": " + r.error().message);
  return std::unique_ptr<Connection>(std::move(conn));
}

Result<void> SqliteCopy(const std::string& from, const std::string& to) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close = [&] {
    sqlite3_close_v2(src);
    sqlite3_close_v2(dst);
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string why = src ? sqlite3_errmsg(src) : "out of memory";
    close();
    return Error::Unavailable("Cannot open the database " + from + ": " + why);
  }
  sqlite3_busy_timeout(src, kBusyTimeoutMs);
  if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, nullptr) != SQLITE_OK) {
    const std::string why = dst ? sqlite3_errmsg(dst) : "out of memory";
    close();
    return Error::Unavailable("Cannot create " + to + ": " + why);
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    const std::string why = sqlite3_errmsg(dst);
    close();
    return Error::Unavailable("Cannot start the copy of " + from + ": " + why);
  }
  const int step = sqlite3_backup_step(b, -1);  // all pages in one snapshot
  const int finish = sqlite3_backup_finish(b);
  if (step != SQLITE_DONE || finish != SQLITE_OK) {
    const std::string why = sqlite3_errstr(step != SQLITE_DONE ? step : finish);
    close();
    if ((step & 0xff) == SQLITE_FULL) return Error::StorageFull("The disk is full: the copy into " + to + " was not finished.");
    return Error::Unavailable("The copy of " + from + " failed: " + why);
  }
  char* err = nullptr;
  if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    close();
    return Error::Unavailable("Cannot finish the copy " + to + ": " + why);
  }
  close();
  return Ok();
}

Result<CheckpointResult> SqliteCheckpoint(Connection& c, CheckpointMode mode, std::chrono::milliseconds wait) {
  auto& s = static_cast<SqliteConnection&>(c);
  int log = 0, done = 0;
  const bool truncate = mode == CheckpointMode::kTruncate;
  if (truncate) sqlite3_busy_timeout(s.db(), int(wait.count()));
  const int rc = sqlite3_wal_checkpoint_v2(s.db(), nullptr, truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE,
                                           &log, &done);
  if (truncate) sqlite3_busy_timeout(s.db(), kBusyTimeoutMs);
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) return Error::Internal(std::string("checkpoint: ") + sqlite3_errmsg(s.db()));
  CheckpointResult r;
  r.log_frames = log;
  r.copied_frames = done;
  r.complete = rc == SQLITE_OK && done == log;
  return r;
}

}  // namespace chamado::store
