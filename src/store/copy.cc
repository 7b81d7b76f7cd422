#include "store/copy.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>

#include <fmt/format.h>

#include "store/postgres.h"
#include "store/repo_search.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace chamado::store {
namespace {

enum class ColumnType { kInt, kReal, kText, kBlob };

struct Column {
  std::string name;
  ColumnType type;
  bool identity = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // the ones both engines store, in PostgreSQL's order
};

// Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement.
constexpr size_t kMaxParams = 60000;
constexpr size_t kMaxRows = 500;
// Rows per FETCH when reading PostgreSQL back (libpq holds a whole result in memory).
constexpr int kFetch = 5000;

// Derived last: its rows go in with their documents stale (V028), filled once every table is in.
constexpr std::string_view kDerivedLast = "ticket_search";

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string ColumnList(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + Quoted(c.name);
  return out;
}

// The tables both databases hold, with the columns both store (generated ones and search
// documents left out), ticket_search last.
Result<std::vector<Table>> SharedTables(Connection& sqlite, Connection& postgres) {
  std::map<std::string, Table> pg;
  CHAMADO_TRY(postgres.Run(
      "SELECT c.table_name, c.column_name, c.data_type, c.is_identity FROM information_schema.columns c "
      "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
      "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER' "
      "AND c.table_name <> 'schema_migrations' ORDER BY c.table_name, c.ordinal_position",
      {}, [&](const RowView& r) {
        const std::string type = r.Str(2);
        ColumnType kind = ColumnType::kText;
        if (type == "bigint" || type == "integer" || type == "smallint") kind = ColumnType::kInt;
        else if (type == "double precision" || type == "real" || type == "numeric") kind = ColumnType::kReal;
        else if (type == "bytea") kind = ColumnType::kBlob;
        else if (type != "text") return;  // tsvector: a search document, derived
        auto& t = pg[r.Str(0)];
        t.name = r.Str(0);
        t.columns.push_back({r.Str(1), kind, r.Str(3) == "YES"});
      }));
  std::vector<Table> out;
  for (auto& [name, table] : pg) {
    std::vector<std::string> columns;
    CHAMADO_TRY(sqlite.Run("SELECT name FROM pragma_table_xinfo($1) WHERE hidden = 0", {name},
                           [&](const RowView& r) { columns.push_back(r.Str(0)); }));
    if (columns.empty()) continue;  // PostgreSQL's own (the search vocabulary)
    std::erase_if(table.columns, [&](const Column& c) { return std::find(columns.begin(), columns.end(), c.name) == columns.end(); });
    if (!table.columns.empty()) out.push_back(std::move(table));
  }
  std::stable_partition(out.begin(), out.end(), [](const Table& t) { return t.name != kDerivedLast; });
  return out;
}

// One row's values in an engine-neutral form, hashed.
class RowHasher {
 public:
  uint64_t Hash(const RowView& r, const std::vector<Column>& columns) {
    bytes_.clear();
    for (size_t i = 0; i < columns.size(); ++i) {
      const int c = int(i);
      if (r.IsNull(c)) {
        bytes_ += 'N';
        continue;
      }
      std::string v;
      switch (columns[i].type) {
        case ColumnType::kInt: v = std::to_string(r.Int(c)); break;
        case ColumnType::kReal: v = fmt::format("{:.17g}", r.Real(c)); break;
        case ColumnType::kText:
        case ColumnType::kBlob: v.assign(r.Text(c)); break;
      }
      bytes_ += 'V';
      bytes_ += std::to_string(v.size());
      bytes_ += ':';
      bytes_ += v;
    }
    unsigned char out[crypto_generichash_BYTES_MIN];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes_.data()), bytes_.size(), nullptr, 0);
    uint64_t h = 0;
    std::memcpy(&h, out, sizeof h);
    return h;
  }

 private:
  std::string bytes_;
};

Result<void> Sum(Connection& c, const Table& t, bool postgres, int64_t& rows, std::string& sum) {
  RowHasher hasher;
  uint64_t total = 0;
  rows = 0;
  auto add = [&](const RowView& r) {
    total += hasher.Hash(r, t.columns);
    ++rows;
  };
  const std::string select = "SELECT " + ColumnList(t) + " FROM " + Quoted(t.name);
  if (!postgres) {
    CHAMADO_TRY(c.Run(select, {}, add));
  } else {
    CHAMADO_TRY(c.Script("DECLARE chamado_sum NO SCROLL CURSOR FOR " + select));
    while (true) {
      int64_t got = 0;
      CHAMADO_TRY(c.Run("FETCH " + std::to_string(kFetch) + " FROM chamado_sum", {}, [&](const RowView& r) {
        add(r);
        ++got;
      }));
      if (got < kFetch) break;
    }
    CHAMADO_TRY(c.Script("CLOSE chamado_sum"));
  }
  sum = fmt::format("{:016x}", total);
  return Ok();
}

Result<std::vector<TableCheck>> Compare(Connection& sqlite, Connection& postgres, const std::vector<Table>& tables) {
  std::vector<TableCheck> out;
  CHAMADO_TRY(sqlite.Script(BeginRead(sqlite)));
  CHAMADO_TRY(postgres.Script(BeginRead(postgres)));
  for (const auto& t : tables) {
    TableCheck check;
    check.table = t.name;
    auto a = Sum(sqlite, t, false, check.source_rows, check.source_sum);
    auto b = a.ok() ? Sum(postgres, t, true, check.target_rows, check.target_sum) : a;
    if (!b.ok()) {
      (void)sqlite.Script("ROLLBACK");
      (void)postgres.Script("ROLLBACK");
      return std::move(b).error();
    }
    out.push_back(std::move(check));
  }
  (void)sqlite.Script("COMMIT");
  (void)postgres.Script("COMMIT");
  return out;
}

// Inserts the rows of `t` read from SQLite into PostgreSQL, a few hundred per statement.
class Inserter {
 public:
  Inserter(Connection& target, const Table& t)
      : target_(target), t_(t), per_statement_(std::min(kMaxRows, kMaxParams / std::max<size_t>(1, t.columns.size()))) {}

  Result<void> Add(const RowView& r) {
    for (size_t i = 0; i < t_.columns.size(); ++i) {
      const int c = int(i);
      if (r.IsNull(c)) {
        params_.emplace_back(nullptr);
        continue;
      }
      switch (t_.columns[i].type) {
        case ColumnType::kInt: params_.emplace_back(r.Int(c)); break;
        case ColumnType::kReal: params_.emplace_back(r.Real(c)); break;
        case ColumnType::kText: params_.emplace_back(std::string_view(texts_.emplace_back(r.Text(c)))); break;
        case ColumnType::kBlob: params_.push_back(Param::Blob(texts_.emplace_back(r.Text(c)))); break;
      }
    }
    if (++rows_ == per_statement_) return Flush();
    return Ok();
  }

  Result<void> Flush() {
    if (rows_ == 0) return Ok();
    std::string sql = "INSERT INTO " + Quoted(t_.name) + " (" + ColumnList(t_) + ") OVERRIDING SYSTEM VALUE VALUES ";
    size_t n = 0;
    for (size_t row = 0; row < rows_; ++row) {
      sql += row ? ", (" : "(";
      for (size_t i = 0; i < t_.columns.size(); ++i) sql += (i ? ", $" : "$") + std::to_string(++n);
      sql += ")";
    }
    auto r = target_.RunDynamic(sql, params_);
    params_.clear();
    texts_.clear();
    rows_ = 0;
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }

 private:
  Connection& target_;
  const Table& t_;
  size_t per_statement_;
  size_t rows_ = 0;
  std::vector<Param> params_;
  std::deque<std::string> texts_;  // what the text parameters point into (stable addresses)
};

// Rows of `table` (those `where` keeps, when given).
Result<int64_t> Count(Connection& c, const std::string& table, std::string_view where = {}) {
  int64_t n = 0;
  CHAMADO_TRY(c.Run("SELECT count(*) FROM " + Quoted(table) + (where.empty() ? "" : " WHERE " + std::string(where)), {},
                    [&](const RowView& r) { n = r.Int(0); }));
  return n;
}

Result<void> CopyTables(Connection& sqlite, Connection& pg, const std::vector<Table>& tables,
                        const std::function<void(const CopyProgress&)>& progress, int64_t& copied) {
  CopyProgress p;
  std::vector<int64_t> counts;
  for (const auto& t : tables) {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t n, Count(sqlite, t.name));
    counts.push_back(n);
    p.rows += n;
  }
  // Foreign keys are checked at COMMIT, whatever order the tables come in; only the search
  // document's trigger runs meanwhile.
  CHAMADO_TRY(pg.Script("SET CONSTRAINTS ALL DEFERRED"));
  for (const auto& t : tables)
    if (t.name != kDerivedLast) CHAMADO_TRY(pg.Script("ALTER TABLE " + Quoted(t.name) + " DISABLE TRIGGER USER"));
  // What the migrations wrote (user 0, the survey key) comes from the source like the rest.
  for (const auto& t : tables) CHAMADO_TRY(pg.Script("DELETE FROM " + Quoted(t.name)));
  for (size_t i = 0; i < tables.size(); ++i) {
    const Table& t = tables[i];
    p.table = t.name;
    p.table_rows = counts[i];
    p.table_rows_done = 0;
    if (progress) progress(p);
    Inserter insert(pg, t);
    Result<void> failed = Ok();
    auto started = std::chrono::steady_clock::now();
    CHAMADO_TRY(sqlite.Run("SELECT " + ColumnList(t) + " FROM " + Quoted(t.name), {}, [&](const RowView& r) {
      if (!failed.ok()) return;
      failed = insert.Add(r);
      ++p.table_rows_done;
      ++p.rows_done;
      if (progress && std::chrono::steady_clock::now() - started > std::chrono::milliseconds(200)) {
        progress(p);
        started = std::chrono::steady_clock::now();
      }
    }));
    CHAMADO_TRY(failed);
    CHAMADO_TRY(insert.Flush());
    if (progress) progress(p);
    for (const auto& c : t.columns)
      if (c.identity)
        CHAMADO_TRY(pg.Run("SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(" + Quoted(c.name) +
                               ") FROM " + Quoted(t.name) + "), 0) + 1, false)",
                           {t.name, c.name}));
  }
  // Every foreign key checked now (a table's triggers cannot change while checks are pending).
  CHAMADO_TRY(pg.Script("SET CONSTRAINTS ALL IMMEDIATE"));
  for (const auto& t : tables)
    if (t.name != kDerivedLast) CHAMADO_TRY(pg.Script("ALTER TABLE " + Quoted(t.name) + " ENABLE TRIGGER USER"));
  copied = p.rows_done;
  return Ok();
}

}  // namespace

Result<std::vector<TableCheck>> CompareDatabases(Connection& sqlite, Connection& postgres) {
  CHAMADO_ASSIGN_OR_RETURN(const auto tables, SharedTables(sqlite, postgres));
  return Compare(sqlite, postgres, tables);
}

Result<CopyReport> CopySqliteToPostgres(const std::string& sqlite_path, const std::string& url,
                                        const std::function<void(const CopyProgress&)>& progress) {
  // Both at this release's schema: the same tables and columns on each side.
  // (One after the other: each opens the folder's help-center index, which one process at a
  // time may write.)
  CHAMADO_TRY(Store::Open({.path = sqlite_path}));
  CHAMADO_TRY(Store::Open({.path = sqlite_path, .url = url}));
  CHAMADO_ASSIGN_OR_RETURN(auto sqlite, OpenSqlite(sqlite_path, {.writer = false}));
  CHAMADO_ASSIGN_OR_RETURN(auto pg, OpenPostgres(url, {}));
  // (User 0, Chamado itself, is the schema's own.)
  for (const std::string table : {"users", "tickets", "organizations"}) {
    CHAMADO_ASSIGN_OR_RETURN(const int64_t n, Count(*pg, table, table == "users" ? "id <> 0" : ""));
    if (n > 0)
      return Error::Conflict("The PostgreSQL database at " + RedactedUrl(url) + " already holds " + std::to_string(n) + " row(s) in " +
                             table + ": copy into an empty database (createdb a new one).");
  }
  CHAMADO_ASSIGN_OR_RETURN(const auto tables, SharedTables(*sqlite, *pg));
  CopyReport report;
  // One snapshot of SQLite, one transaction in PostgreSQL: all of it or nothing.
  CHAMADO_TRY(sqlite->Script(BeginRead(*sqlite)));
  CHAMADO_TRY(pg->Script(BeginWrite(*pg)));
  auto copied = CopyTables(*sqlite, *pg, tables, progress, report.rows);
  // The copied tickets are found as soon as the copy is: their documents written in it too.
  for (SearchRepo search(*pg); copied.ok();) {
    auto filled = search.FillStaleDocuments(1000);
    if (!filled.ok()) copied = std::move(filled).error();
    else if (*filled == 0) break;
  }
  (void)sqlite->Script("COMMIT");
  if (!copied.ok()) {
    (void)pg->Script("ROLLBACK");
    return std::move(copied).error();
  }
  if (auto c = pg->Script("COMMIT"); !c.ok())
    return Error{c.error().code, "The copy was not saved: " + c.error().message, {}};
  CHAMADO_ASSIGN_OR_RETURN(report.tables, Compare(*sqlite, *pg, tables));
  return report;
}

}  // namespace chamado::store
