#include "store/backup.h"

#include <filesystem>

#include "auth/credentials.h"
#include "store/sqlite.h"

namespace chamado::store {
namespace fs = std::filesystem;

namespace {

// Every file the database names: attachments and the original emails.
constexpr std::string_view kNamedFiles =
    "SELECT sha256 FROM attachments UNION SELECT raw_sha256 FROM mail_ids WHERE raw_sha256 IS NOT NULL";

int64_t SizeOf(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : int64_t(n);
}

}  // namespace

Result<BackupReport> WriteBackup(const std::string& database, const BlobStore& blobs, const std::string& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec)) return Error::Invalid("file", dest + " already exists; name a new file for the backup.");
  const std::string partial = dest + ".partial";
  fs::remove(partial, ec);
  auto fail = [&](Error e) -> Result<BackupReport> {
    fs::remove(partial, ec);
    return e;
  };
  if (auto r = SqliteCopy(database, partial); !r.ok()) return fail(r.error());
  BackupReport report;
  {
    auto opened = OpenSqlite(partial, {.writer = true, .durable = true});
    if (!opened.ok()) return fail(opened.error());
    Connection& c = **opened;
    // The copy is no live database: a plain journal, and the files it names in a table.
    if (auto r = c.Script("PRAGMA journal_mode=DELETE; BEGIN; CREATE TABLE backup_files (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);");
        !r.ok())
      return fail(r.error());
    std::vector<std::string> shas;
    if (auto r = c.Run(kNamedFiles, {}, [&](const RowView& row) { shas.emplace_back(row.Text(0)); }); !r.ok())
      return fail(r.error());
    for (const auto& sha : shas) {
      auto data = blobs.Get(sha);
      if (!data.ok())
        return fail(Error::Unavailable("The file " + sha + " that the database names is missing from the data folder (" +
                                       data.error().message + "); the backup was not written."));
      if (auto r = c.Run("INSERT INTO backup_files (sha256, data) VALUES ($1, $2)", {sha, Param::Blob(*data)}); !r.ok())
        return fail(r.error());
      ++report.files;
      report.file_bytes += int64_t(data->size());
    }
    if (auto r = c.Run("SELECT count(*) FROM tickets", {}, [&](const RowView& row) { report.tickets = row.Int(0); }); !r.ok())
      return fail(r.error());
    if (auto r = c.Script("COMMIT"); !r.ok()) return fail(r.error());
  }
  fs::rename(partial, dest, ec);
  if (ec) return fail(Error::Unavailable("Cannot name the backup " + dest + ": " + ec.message()));
  report.backup_bytes = SizeOf(dest);
  return report;
}

Result<BackupReport> RestoreBackup(const std::string& backup, const std::string& data_dir) {
  std::error_code ec;
  const std::string database = (fs::path(data_dir) / "chamado.db").string();
  if (!fs::exists(backup, ec)) return Error::Invalid("file", "There is no backup at " + backup + ".");
  if (fs::exists(database, ec))
    return Error::Conflict(database + " exists; restore into a new data folder (or move the current one away first).");
  fs::create_directories(data_dir, ec);
  if (ec) return Error::Unavailable("Cannot create the data folder " + data_dir + ": " + ec.message());
  const std::string partial = database + ".partial";
  fs::remove(partial, ec);
  auto fail = [&](Error e) -> Result<BackupReport> {
    fs::remove(partial, ec);
    return e;
  };
  if (auto r = SqliteCopy(backup, partial); !r.ok()) return fail(r.error());
  BackupReport report;
  {
    auto opened = OpenSqlite(partial, {.writer = true, .durable = true});
    if (!opened.ok()) return fail(opened.error());
    Connection& c = **opened;
    bool is_backup = false;
    if (auto r = c.Run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_files'", {},
                       [&](const RowView&) { is_backup = true; });
        !r.ok() || !is_backup)
      return fail(Error::Invalid("file", backup + " is not a Chamado backup (it has no backup_files table); make one with "
                                         "`chamado backup`."));
    BlobStore blobs((fs::path(data_dir) / "attachments").string());
    Error problem = Error::Internal("");
    bool failed = false;
    auto r = c.Run("SELECT sha256, data FROM backup_files", {}, [&](const RowView& row) {
      if (failed) return;
      const std::string sha(row.Text(0));
      const std::string_view data = row.Text(1);
      if (auth::Sha256Hex(data) != sha) {
        problem = Error::Invalid("file", "The file " + sha + " in " + backup + " does not match its digest; the backup is damaged.");
        failed = true;
        return;
      }
      auto put = blobs.Put(data);
      if (!put.ok()) {
        problem = put.error();
        failed = true;
        return;
      }
      ++report.files;
      report.file_bytes += int64_t(data.size());
    });
    if (!r.ok()) return fail(r.error());
    if (failed) return fail(problem);
    if (auto d = c.Script("DROP TABLE backup_files; VACUUM; PRAGMA journal_mode=WAL;"); !d.ok()) return fail(d.error());
    if (auto t = c.Run("SELECT count(*) FROM tickets", {}, [&](const RowView& row) { report.tickets = row.Int(0); }); !t.ok())
      return fail(t.error());
  }
  fs::rename(partial, database, ec);
  if (ec) return fail(Error::Unavailable("Cannot name the restored database " + database + ": " + ec.message()));
  fs::remove(partial + "-wal", ec);
  fs::remove(partial + "-shm", ec);
  report.backup_bytes = SizeOf(database);
  return report;
}

}  // namespace chamado::store
