#include "store/backup.h"

#include <filesystem>
#include <functional>
#include <optional>

#include "auth/credentials.h"
#include "store/sqlite.h"

namespace chamado::store {
namespace fs = std::filesystem;

namespace {

// Every file the database names: attachments (of tickets and of conversations) and the original emails.
constexpr std::string_view kNamedFiles =
    "SELECT sha256 FROM attachments UNION SELECT sha256 FROM conversation_attachments "
    "UNION SELECT raw_sha256 FROM mail_ids WHERE raw_sha256 IS NOT NULL";

int64_t SizeOf(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : int64_t(n);
}

}  // namespace

namespace {

// Copies the database `from` to `to` by way of `to`.partial: `work` runs on the open copy, and
// only a copy it accepted is renamed to `to`; anything else leaves nothing behind. Fills the
// report's ticket count and size.
Result<void> CopyThrough(const std::string& from, const std::string& to, BackupReport& report,
                         const std::function<Result<void>(Connection&)>& work) {
  std::error_code ec;
  const std::string partial = to + ".partial";
  fs::remove(partial, ec);
  Result<void> done = SqliteCopy(from, partial);
  if (done.ok()) {
    auto opened = OpenSqlite(partial, {.writer = true, .durable = true});
    if (!opened.ok()) done = opened.error();
    else done = work(**opened);
    if (done.ok()) {
      auto counted = (*opened)->Run("SELECT count(*) FROM tickets", {}, [&](const RowView& row) { report.tickets = row.Int(0); });
      if (!counted.ok()) done = counted.error();
    }
  }  // the copy is closed here, before it is renamed
  if (done.ok()) {
    fs::rename(partial, to, ec);
    if (ec) done = Error::Unavailable("Cannot name " + to + ": " + ec.message());
  }
  if (!done.ok()) fs::remove(partial, ec);
  fs::remove(partial + "-wal", ec);
  fs::remove(partial + "-shm", ec);
  report.backup_bytes = SizeOf(to);
  return done;
}

}  // namespace

Result<BackupReport> WriteBackup(const std::string& database, const BlobStore& blobs, const std::string& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec)) return Error::Invalid("file", dest + " already exists; name a new file for the backup.");
  BackupReport report;
  CHAMADO_TRY(CopyThrough(database, dest, report, [&](Connection& c) -> Result<void> {
    // The copy is no live database: a plain journal, and the files it names in a table.
    CHAMADO_TRY(c.Script("PRAGMA journal_mode=DELETE; BEGIN; CREATE TABLE backup_files (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"));
    std::vector<std::string> shas;
    CHAMADO_TRY(c.Run(kNamedFiles, {}, [&](const RowView& row) { shas.emplace_back(row.Text(0)); }));
    for (const auto& sha : shas) {
      auto data = blobs.Get(sha);
      if (!data.ok())
        return Error::Unavailable("The file " + sha + " that the database names is missing from the data folder (" +
                                  data.error().message + "); the backup was not written.");
      CHAMADO_TRY(c.Run("INSERT INTO backup_files (sha256, data) VALUES ($1, $2)", {sha, Param::Blob(*data)}));
      ++report.files;
      report.file_bytes += int64_t(data->size());
    }
    return c.Script("COMMIT");
  }));
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
  BackupReport report;
  CHAMADO_TRY(CopyThrough(backup, database, report, [&](Connection& c) -> Result<void> {
    bool is_backup = false;
    if (auto r = c.Run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'backup_files'", {},
                       [&](const RowView&) { is_backup = true; });
        !r.ok() || !is_backup)
      return Error::Invalid("file", backup + " is not a Chamado backup (it has no backup_files table); make one with "
                                    "`chamado backup`.");
    BlobStore blobs((fs::path(data_dir) / "attachments").string());
    std::optional<Error> problem;
    CHAMADO_TRY(c.Run("SELECT sha256, data FROM backup_files", {}, [&](const RowView& row) {
      if (problem) return;
      const std::string sha(row.Text(0));
      const std::string_view data = row.Text(1);
      // A sealed original is named apart from its bytes; its key checks it when it is opened.
      const bool sealed = Sealer::IsSealed(data);
      if (!sealed && auth::Sha256Hex(data) != sha) {
        problem = Error::Invalid("file", "The file " + sha + " in " + backup + " does not match its digest; the backup is damaged.");
        return;
      }
      if (auto put = sealed ? blobs.PutSealedCopy(sha, data) : blobs.Put(data); !put.ok()) {
        problem = put.error();
        return;
      }
      ++report.files;
      report.file_bytes += int64_t(data.size());
    }));
    if (problem) return *problem;
    return c.Script("DROP TABLE backup_files; VACUUM; PRAGMA journal_mode=WAL;");
  }));
  return report;
}

}  // namespace chamado::store
