#include "store/sealed.h"

#include <sodium.h>

#include <fstream>
#include <sstream>

#include "core/text.h"

namespace chamado::store {
namespace {

constexpr size_t kIdBytes = 8;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kHeaderBytes = Sealer::kMagic.size() + kIdBytes + kNonceBytes;

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const Sealer>> Sealer::FromKeys(const std::vector<std::string>& keys) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialize.");
  auto s = std::make_shared<Sealer>();
  for (const auto& raw : keys) {
    if (raw.size() != kKeyBytes)
      return Error::InvalidArgument("A key for the original emails has " + std::to_string(raw.size()) + " bytes; it must have 32.");
    Key k;
    std::copy(raw.begin(), raw.end(), k.bytes.begin());
    // The id says which key sealed a file without revealing anything of the key.
    unsigned char hash[kIdBytes];
    static const unsigned char kContext[] = "chamado original key id";
    crypto_generichash(hash, sizeof hash, k.bytes.data(), k.bytes.size(), kContext, sizeof kContext - 1);
    k.id.assign(reinterpret_cast<const char*>(hash), sizeof hash);
    s->keys_.push_back(std::move(k));
  }
  return std::shared_ptr<const Sealer>(std::move(s));
}

Result<std::shared_ptr<const Sealer>> Sealer::FromKeyFiles(const std::string& current, const std::vector<std::string>& older) {
  std::vector<std::string> keys;
  if (current.empty()) {
    if (!older.empty())
      return Error::InvalidArgument("Older keys for the original emails are set without a current one ([mail] original_key_file).");
    return FromKeys({});
  }
  std::vector<std::string> files{current};
  files.insert(files.end(), older.begin(), older.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error::InvalidArgument("Cannot read the key file " + file + " for the original emails.");
    std::stringstream text;
    text << in.rdbuf();
    const std::string hex(Trim(text.str()));
    std::string raw(kKeyBytes, '\0');
    size_t len = 0;
    const char* end = nullptr;
    if (hex.size() != 2 * kKeyBytes ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
        len != kKeyBytes)
      return Error::InvalidArgument("The key file " + file + " must hold 64 hexadecimal digits (a 32-byte key, as `openssl rand -hex 32` writes).");
    keys.push_back(std::move(raw));
  }
  return FromKeys(keys);
}

std::string Sealer::KeyId() const { return keys_.empty() ? std::string() : Hex(keys_.front().id); }

std::string Sealer::KeyIdOf(std::string_view stored) {
  if (!IsSealed(stored) || stored.size() < kHeaderBytes) return {};
  return Hex(stored.substr(kMagic.size(), kIdBytes));
}

std::string Sealer::Seal(std::string_view plain, std::string_view name) const {
  const Key& k = keys_.front();
  std::string out(kHeaderBytes + plain.size() + kTagBytes, '\0');
  std::copy(kMagic.begin(), kMagic.end(), out.begin());
  std::copy(k.id.begin(), k.id.end(), out.begin() + kMagic.size());
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + kMagic.size() + kIdBytes);
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data() + kHeaderBytes), &written,
                                             reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                                             reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr, nonce,
                                             k.bytes.data());
  out.resize(kHeaderBytes + written);
  return out;
}

Result<std::string> Sealer::Open(std::string stored, std::string_view name) const {
  if (!IsSealed(stored)) return stored;
  if (stored.size() < kHeaderBytes + kTagBytes) return Error::Internal("The sealed original " + std::string(name) + " is cut short.");
  const std::string_view id = std::string_view(stored).substr(kMagic.size(), kIdBytes);
  const Key* key = nullptr;
  for (const auto& k : keys_)
    if (k.id == id) key = &k;
  if (!key)
    return Error::Unavailable("The original email is sealed with key " + Hex(id) +
                              ", which this server does not have; configure it in [mail] original_key_file or "
                              "original_old_key_files (docs/operations.md).");
  const auto* nonce = reinterpret_cast<const unsigned char*>(stored.data() + kMagic.size() + kIdBytes);
  std::string plain(stored.size() - kHeaderBytes - kTagBytes, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
                                                 reinterpret_cast<const unsigned char*>(stored.data() + kHeaderBytes),
                                                 stored.size() - kHeaderBytes, reinterpret_cast<const unsigned char*>(name.data()),
                                                 name.size(), nonce, key->bytes.data()) != 0)
    return Error::Internal("The sealed original " + std::string(name) + " does not open: it was altered or is not the file of that name.");
  plain.resize(len);
  return plain;
}

}  // namespace chamado::store
