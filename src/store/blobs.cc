#include "store/blobs.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chamado::store {
namespace fs = std::filesystem;

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string BlobStore::PathOf(std::string_view sha) const {
  if (sha.size() != 64) return {};
  for (char c : sha)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  return root_ + "/" + std::string(sha.substr(0, 2)) + "/" + std::string(sha.substr(2, 2)) + "/" + std::string(sha);
}

Result<std::string> BlobStore::Put(std::string_view data) {
  const std::string sha = Sha256Hex(data);
  const std::string path = PathOf(sha);
  std::error_code ec;
  if (fs::exists(path, ec)) return sha;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Error::Unavailable("Cannot create the attachment folder: " + ec.message());
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp" + std::to_string(::getpid()) + "." + std::to_string(counter++);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return Error::Unavailable("Cannot store the attachment: " + std::string(std::strerror(errno)));
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error::Unavailable("Cannot store the attachment: " + std::string(std::strerror(err)));
    }
    off += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Error::Unavailable("Cannot store the attachment durably.");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error::Unavailable("Cannot store the attachment: " + std::string(std::strerror(errno)));
  }
  const int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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

}  // namespace chamado::store
