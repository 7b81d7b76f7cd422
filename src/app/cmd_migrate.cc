// `chamado migrate`: create or upgrade the database (opening it migrates).
// `chamado migrate-store`: copy a SQLite desk into PostgreSQL, then prove the copy (store/copy.h).
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "app/progress.h"
#include "store/copy.h"
#include "store/postgres.h"
#include "store/sqlite.h"

namespace chamado::app {
namespace fs = std::filesystem;

void AddMigrateCommand(CommandLine& cl) {
  auto* migrate = cl.app().add_subcommand("migrate", "Create or upgrade the database");
  cl.AddDataOption(migrate);
  cl.OnRunInstalled(migrate, [](Installation& installation) {
    std::cout << "database " << installation.store->location() << " is up to date\n";
    return 0;
  });

  auto* copy = cl.app().add_subcommand(
      "migrate-store", "Copy a SQLite desk's database into an empty PostgreSQL database and verify the copy (stop the server first)");
  struct Options {
    std::string from, to;
    bool check = false;
  };
  auto o = std::make_shared<Options>();
  copy->add_option("--from", o->from, "The data folder whose chamado.db is copied")->required();
  copy->add_option("--to", o->to, "postgresql://user:password@host/db of an empty database")->required();
  copy->add_flag("--check", o->check, "Copy nothing: compare the two databases' rows and checksums, table by table");
  cl.OnRun(copy, [o] {
    const std::string db = (fs::path(o->from) / "chamado.db").string();
    std::error_code ec;
    if (!fs::is_regular_file(db, ec)) return Fail("no database at " + db + ": give the data folder of the SQLite desk with --from.");
    if (!store::IsPostgresUrl(o->to)) return Fail("--to must be a postgresql:// URL (got " + store::RedactedUrl(o->to) + ").");
    auto report_differences = [](const std::vector<store::TableCheck>& tables) {
      int64_t differ = 0;
      for (const auto& t : tables) {
        if (t.same()) continue;
        ++differ;
        std::cerr << "chamado: " << t.table << " differs: " << t.source_rows << " row(s), checksum " << t.source_sum
                  << " in SQLite; " << t.target_rows << " row(s), checksum " << t.target_sum << " in PostgreSQL\n";
      }
      return differ;
    };
    if (o->check) {
      auto sqlite = store::OpenSqlite(db, {.writer = false});
      if (!sqlite.ok()) return Fail(sqlite.error().message);
      auto pg = store::OpenPostgres(o->to, {.read_only = true});
      if (!pg.ok()) return Fail(pg.error().message);
      auto tables = store::CompareDatabases(**sqlite, **pg);
      if (!tables.ok()) return Fail(tables.error().message);
      int64_t rows = 0;
      for (const auto& t : *tables) rows += t.source_rows;
      if (const int64_t differ = report_differences(*tables); differ > 0)
        return Fail(std::to_string(differ) + " table(s) differ (above).");
      std::cout << "same: " << tables->size() << " tables, " << Thousands(rows) << " rows, every checksum equal\n";
      return 0;
    }
    std::unique_ptr<Progress> bar;
    std::string table;
    int64_t done = 0;
    auto report = store::CopySqliteToPostgres(db, o->to, [&](const store::CopyProgress& p) {
      if (p.table != table) {
        if (bar) bar->Finish(done);
        bar.reset();
        table = p.table;
      }
      if (!bar) bar = std::make_unique<Progress>("copy " + p.table, "rows", p.table_rows);
      done = p.table_rows_done;
      bar->Update(done);
    });
    if (bar) bar->Finish(done);
    if (!report.ok()) return Fail(report.error().message);
    if (const int64_t differ = report_differences(report->tables); differ > 0)
      return Fail(std::to_string(differ) + " table(s) differ after the copy (above): keep serving from SQLite and report this.");
    std::cout << "copied " << Thousands(report->rows) << " rows of " << report->tables.size() << " tables into "
              << store::RedactedUrl(o->to) << "; verified: every table has the same rows and checksum\n"
              << "next: set [store] url (or CHAMADO_STORE_URL) to it, keep the same data folder for the files, and start serve\n";
    return 0;
  });
}

}  // namespace chamado::app
