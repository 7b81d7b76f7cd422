// Content-addressed files for attachments: each file is stored once under its SHA-256,
// in DIR/attachments/ab/abcd.... (256 folders, as git does: creating folders is what costs on
// ext4; files written before 2026-11 sit one level deeper, in ab/cd/, and are still found).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/sealed.h"

namespace chamado::store {

class BlobStore {
 public:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  // The original emails are sealed with `sealer` from now on (store/sealed.h); without one
  // (or without a key in it) they are written as they came. Set once, before serving.
  void SetSealer(std::shared_ptr<const Sealer> sealer) { sealer_ = std::move(sealer); }
  const Sealer& sealer() const { return *sealer_; }
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

  // An original email (the raw message as received), written like PutDeferred: sealed when
  // the sealer has a key, under a name of its own (the SHA-256 of a fixed prefix and the
  // bytes), so it never shares a file with an attachment of the same bytes; plain otherwise,
  // under its SHA-256 as before. Returns the name.
  Result<std::string> PutOriginalDeferred(std::string_view raw);
  // The original email stored under `name`, opened when sealed.
  Result<std::string> GetOriginal(std::string_view name) const;
  // Rewrites the original `name` sealed under the sealer's key (a plain one gets a new name,
  // which is returned; a sealed one keeps its name): `chamado mail reseal`. Durable on return.
  Result<std::string> Reseal(std::string_view name);
  // A sealed original copied back under its name (a restore): its name is no digest of its
  // bytes, so it is checked when opened, by its key, not here. Durable on return.
  Result<std::string> PutSealedCopy(std::string_view name, std::string_view sealed);

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
  // `data` under `name`; an existing file is kept (and touched) unless `replace`.
  Result<std::string> WriteAs(const std::string& name, std::string_view data, bool sync, bool replace);
  std::string root_;
  std::shared_ptr<const Sealer> sealer_ = std::make_shared<Sealer>();
  std::atomic<bool> deferred_{false};
};

}  // namespace chamado::store
