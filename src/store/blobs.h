// Content-addressed files for attachments: each file is stored once under its SHA-256,
// in DIR/attachments/ab/abcd.... (256 folders, as git does: creating folders is what costs on
// ext4; files written before 2026-11 sit one level deeper, in ab/cd/, and are still found).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace chamado::store {

class BlobStore {
 public:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  // Writes `data` durably (temporary file, fsync, rename) unless it is already there;
  // returns its lower-case hex SHA-256.
  Result<std::string> Put(std::string_view data);

  // The same without waiting for the disk: SyncDeferred() makes every file written so far
  // durable at once (one syncfs). The store calls it before each group commit
  // (Store::SetBeforeCommit), so a committed row never names a file the disk may lose, and
  // a batch of mails pays for one flush instead of two per file.
  Result<std::string> PutDeferred(std::string_view data);
  Result<void> SyncDeferred();

  // The path of a blob (where it is, or where it goes); empty when `sha256` is not a
  // well-formed digest.
  std::string PathOf(std::string_view sha256) const;

  Result<std::string> Get(std::string_view sha256) const;

  struct StoredFile {
    std::string sha256;
    std::string path;
    int64_t bytes = 0;
    Instant modified;  // when it was last written (or stored again: Put refreshes it)
  };
  // Every stored file (retention looks for those nothing names any more).
  Result<std::vector<StoredFile>> List() const;
  // Deletes a stored file when it was not written since `unchanged_since`; true when deleted.
  bool RemoveIfUnchangedSince(const StoredFile& file, Instant unchanged_since) const;

 private:
  Result<std::string> Write(std::string_view data, bool sync);
  std::string root_;
  std::atomic<bool> deferred_{false};
};

}  // namespace chamado::store
