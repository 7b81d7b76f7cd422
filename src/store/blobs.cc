#include "store/blobs.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/credentials.h"

namespace chamado::store {
namespace {
// A file that cannot be written: a full disk (or quota) says so, so the client knows to wait
// for an administrator rather than retry at once.
Error FileError(std::string what, int err) {
  if (err == ENOSPC || err == EDQUOT)
    return Error::StorageFull("Storage is full: " + what + " was not saved; retry once the administrator has freed disk space.");
  return Error::Unavailable("Cannot store " + what + ": " + std::strerror(err));
}
}  // namespace
namespace fs = std::filesystem;

namespace {
bool IsDigest(std::string_view sha) {
  if (sha.size() != 64) return false;
  for (char c : sha)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
}  // namespace

std::string BlobStore::PathOf(std::string_view sha) const {
  if (!IsDigest(sha)) return {};
  const std::string flat = root_ + "/" + std::string(sha.substr(0, 2)) + "/" + std::string(sha);
  const std::string legacy = root_ + "/" + std::string(sha.substr(0, 2)) + "/" + std::string(sha.substr(2, 2)) + "/" + std::string(sha);
  std::error_code ec;
  if (!fs::exists(flat, ec) && fs::exists(legacy, ec)) return legacy;
  return flat;
}

Result<std::string> BlobStore::Put(std::string_view data) { return Write(data, true); }

Result<std::string> BlobStore::PutDeferred(std::string_view data) {
  auto sha = Write(data, false);
  if (sha.ok()) deferred_ = true;
  return sha;
}

Result<void> BlobStore::SyncDeferred() {
  if (!deferred_.exchange(false)) return Ok();
  const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::syncfs(fd) != 0) {
    const int errno_copy = errno;
    if (fd >= 0) ::close(fd);
    deferred_ = true;
    return FileError("the attachments", errno_copy);
  }
  ::close(fd);
  return Ok();
}


Result<std::string> BlobStore::Write(std::string_view data, bool sync) {
  return WriteAs(auth::Sha256Hex(data), data, sync, false);
}

namespace {
// The name of a sealed original: not the SHA-256 of its bytes, which an attachment of the same
// bytes would share (and read sealed).
std::string SealedName(std::string_view raw) {
  std::string prefixed = "chamado original\n";
  prefixed.append(raw);
  return auth::Sha256Hex(prefixed);
}
}  // namespace

Result<std::string> BlobStore::PutOriginalDeferred(std::string_view raw) {
  if (!sealer_->sealing()) return PutDeferred(raw);
  const std::string name = SealedName(raw);
  auto written = WriteAs(name, sealer_->Seal(raw, name), false, false);
  if (written.ok()) deferred_ = true;
  return written;
}

Result<std::string> BlobStore::GetOriginal(std::string_view name) const {
  CHAMADO_ASSIGN_OR_RETURN(std::string stored, Get(name));
  return sealer_->Open(std::move(stored), name);
}

Result<std::string> BlobStore::Reseal(std::string_view name) {
  if (!sealer_->sealing()) return Error::InvalidArgument("No key is configured ([mail] original_key_file): there is nothing to seal with.");
  CHAMADO_ASSIGN_OR_RETURN(std::string stored, Get(name));
  const bool was_sealed = Sealer::IsSealed(stored);
  if (was_sealed && Sealer::KeyIdOf(stored) == sealer_->KeyId()) return std::string(name);
  CHAMADO_ASSIGN_OR_RETURN(std::string plain, sealer_->Open(std::move(stored), name));
  const std::string target = was_sealed ? std::string(name) : SealedName(plain);
  return WriteAs(target, sealer_->Seal(plain, target), true, was_sealed);
}

Result<std::string> BlobStore::PutSealedCopy(std::string_view name, std::string_view sealed) {
  if (!IsDigest(name) || !Sealer::IsSealed(sealed)) return Error::InvalidArgument("The file " + std::string(name) + " is no sealed original.");
  return WriteAs(std::string(name), sealed, true, false);
}

Result<std::string> BlobStore::WriteAs(const std::string& sha, std::string_view data, bool sync, bool replace) {
  const std::string path = PathOf(sha);
  std::error_code ec;
  if (!replace && fs::exists(path, ec)) {
    // Stored again: it is in use from now on, so retention must not take it as forgotten.
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
    return sha;
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return FileError("the attachment's folder", ec.value());
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return FileError("the attachment", errno);
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return FileError("the attachment", err);
    }
    off += size_t(n);
  }
  if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return FileError("the attachment", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error::Unavailable("Cannot store the attachment: " + std::string(std::strerror(errno)));
  }
  const int dfd = sync ? ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return sha;
}

Result<std::string> BlobStore::Get(std::string_view sha) const {
  const std::string path = PathOf(sha);
  if (path.empty()) return Error::NotFound("No such attachment.");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("The attachment file is missing from the data folder.");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {
Instant ModifiedAt(const fs::path& p, std::error_code& ec) {
  const auto t = fs::last_write_time(p, ec);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::file_clock::to_sys(t));
}
}  // namespace

Result<std::vector<BlobStore::StoredFile>> BlobStore::List() const {
  std::vector<StoredFile> out;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    if (!IsDigest(name)) continue;  // temporary files of writes in progress
    std::error_code e2;
    StoredFile f{name, it->path().string(), int64_t(it->file_size(e2)), ModifiedAt(it->path(), e2)};
    if (!e2) out.push_back(std::move(f));
  }
  if (ec) return Error::Unavailable("Cannot list the stored files in " + root_ + ": " + ec.message());
  return out;
}

bool BlobStore::RemoveIfUnchangedSince(const StoredFile& file, Instant unchanged_since) const {
  std::error_code ec;
  const Instant modified = ModifiedAt(file.path, ec);
  if (ec || modified >= unchanged_since) return false;
  return fs::remove(file.path, ec) && !ec;
}

}  // namespace chamado::store
