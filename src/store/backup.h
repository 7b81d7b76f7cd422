// Backups: one file that holds a consistent copy of the database (SQLite's online backup in
// one read snapshot, so the server goes on writing meanwhile) and every file the copy names
// (attachments and original emails, in a table of the copy). A backup is complete in itself:
// restoring it needs nothing else.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "store/blobs.h"

namespace chamado::store {

struct BackupReport {
  int64_t tickets = 0;
  int64_t files = 0;           // attachments and original emails carried
  int64_t file_bytes = 0;
  int64_t backup_bytes = 0;    // the size of the backup (or of the restored database)
};

// Writes the backup of the database at `database` (with its files from `blobs`) to `dest`,
// which must not exist; a failed backup leaves nothing at `dest`.
Result<BackupReport> WriteBackup(const std::string& database, const BlobStore& blobs, const std::string& dest);

// Restores `backup` into the data folder `data_dir`, which must hold no database yet: the
// database as chamado.db and its files under attachments/, each checked against its digest.
// A failed restore leaves no database behind.
Result<BackupReport> RestoreBackup(const std::string& backup, const std::string& data_dir);

}  // namespace chamado::store
