// The original emails at rest, sealed: each inbound mail's raw message (kept whole for "Original
// email" and for what did not fit a message) is encrypted with the operator's key before it
// reaches the disk, and opened when an agent downloads it. Attachments and message texts are
// not sealed (they are what the desk shows; their secrets are masked instead).
//
// XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf): a 256-bit key, a random
// 192-bit nonce per file (random nonces that long never repeat in practice), and the file's
// name as associated data, so a sealed file cannot be passed off under another name. AES-256-GCM
// is not used because libsodium offers it only on CPUs with AES-NI and its 96-bit nonces are
// too short to draw at random for every file.
//
// A sealed file is kMagic, the 8-byte id of its key, the nonce, then the ciphertext and its tag.
// DO NOT CHANGE the layout: sealed files outlive releases. Keys rotate: the first key seals,
// every key listed opens, and `chamado mail reseal` rewrites the originals under the first key
// (docs/operations.md). A file without kMagic is an original stored before sealing (or without
// a key): it is read as it is.
//
// Immutable once built: safe to share between threads.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chamado::store {

class Sealer {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr std::string_view kMagic{"\0chamado-sealed-1\n", 18};

  // No key: nothing is sealed, plain files are read as they are, sealed ones cannot be opened.
  Sealer() = default;
  // `keys`: raw 32-byte keys; the first seals, all open. Refuses a key of another length.
  static Result<std::shared_ptr<const Sealer>> FromKeys(const std::vector<std::string>& keys);
  // Key files of 64 hexadecimal digits (whitespace around them ignored), as
  // `openssl rand -hex 32` writes them: `current` seals, `older` only open. Empty `current`:
  // no key. Each error names the file.
  static Result<std::shared_ptr<const Sealer>> FromKeyFiles(const std::string& current, const std::vector<std::string>& older);

  bool sealing() const { return !keys_.empty(); }
  // The id of the key that seals ("" without one): 16 hex digits, in logs and `doctor`.
  std::string KeyId() const;

  // `plain` sealed under the first key, bound to `name`. Requires sealing().
  std::string Seal(std::string_view plain, std::string_view name) const;
  // The plain bytes of a stored file named `name`: a sealed one opened with the key it names,
  // any other as it is. Fails when the key is not configured or the file was altered.
  Result<std::string> Open(std::string stored, std::string_view name) const;
  static bool IsSealed(std::string_view stored) { return stored.substr(0, kMagic.size()) == kMagic; }
  // The id of the key a sealed file names; empty for a plain one.
  static std::string KeyIdOf(std::string_view stored);

 private:
  struct Key {
    std::array<unsigned char, kKeyBytes> bytes{};
    std::string id;  // 8 bytes: the start of the key's BLAKE2b hash under a fixed context
  };
  std::vector<Key> keys_;
};

}  // namespace chamado::store
