#include "auth/credentials.h"

#include <sodium.h>

#include <cctype>
#include <cstring>

namespace chamado::auth {

Result<void> Init() {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialize.");
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error::Unavailable("Not enough memory to hash the password; retry in a moment.");
  return std::string(out);
}

bool VerifyPassword(std::string_view stored, std::string_view password) {
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  std::string s(stored);
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyHash() {
  static const std::string hash = [] {
    auto r = HashPassword("chamado-dummy-password-for-timing");
    return r.ok() ? *r : std::string();
  }();
  return hash;
}

std::string PasswordProblem(std::string_view p) {
  if (p.size() < 8) return "The password is shorter than 8 characters; choose a longer one.";
  if (p.size() > 1024) return "The password is longer than 1024 bytes.";
  return {};
}

std::string NewToken() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

std::string Sign(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char out[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HubSignature(std::string_view app_secret, std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(app_secret.data()), app_secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

bool HubSignatureValid(std::string_view app_secret, std::string_view body, std::string_view header) {
  if (app_secret.empty()) return false;
  std::string given(header);
  for (auto& c : given) c = char(std::tolower(static_cast<unsigned char>(c)));
  return SameSecret(HubSignature(app_secret, body), given);
}

}  // namespace chamado::auth
