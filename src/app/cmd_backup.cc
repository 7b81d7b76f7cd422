// `chamado backup FILE` and `chamado restore FILE`: one self-contained file with the database
// (a consistent copy taken while the server runs) and every file it names (store/backup.h).
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "store/backup.h"

namespace chamado::app {
namespace fs = std::filesystem;

namespace {

void Print(const char* what, const std::string& file, const store::BackupReport& r) {
  std::cout << what << " " << file << ": " << r.tickets << " tickets, " << r.files << " files (" << r.file_bytes
            << " bytes), " << r.backup_bytes << " bytes\n";
}

}  // namespace

void AddBackupCommand(CommandLine& cl) {
  auto* backup = cl.app().add_subcommand(
      "backup", "Write a consistent backup of the database and its files to FILE (while the server runs)");
  auto file = std::make_shared<std::string>();
  cl.AddDataOption(backup);
  backup->add_option("file", *file, "The backup to write (must not exist)")->required();
  cl.OnRunInstalled(backup, [file](Installation& installation) {
    if (installation.store->postgres())
      return Fail("the database is PostgreSQL's (" + installation.store->location() +
                  "): back it up with PostgreSQL's own tools (pg_basebackup with WAL archiving, or pg_dump; "
                  "docs/operations.md) and the data folder's files with it. `chamado backup` copies SQLite desks.");
    store::BlobStore blobs((fs::path(installation.config.data) / "attachments").string());
    auto r = store::WriteBackup(installation.store->path(), blobs, *file);
    if (!r.ok()) return Fail(r.error().message);
    Print("backup", *file, *r);
    return 0;
  });

  auto* restore = cl.app().add_subcommand("restore", "Restore a backup made by `chamado backup` into an empty data folder");
  struct Options {
    std::string file, data;
  };
  auto o = std::make_shared<Options>();
  restore->add_option("file", o->file, "The backup to restore")->required();
  restore->add_option("--data", o->data, "The data folder to restore into (it must hold no database)")->required();
  cl.OnRun(restore, [o] {
    auto r = store::RestoreBackup(o->file, o->data);
    if (!r.ok()) return Fail(r.error().message);
    Print("restored", (fs::path(o->data) / "chamado.db").string(), *r);
    return 0;
  });
}

}  // namespace chamado::app
