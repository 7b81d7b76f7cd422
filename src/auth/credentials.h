// Passwords, session and API tokens, and the SHA-256 digest (libsodium).
//
// Passwords are hashed with argon2id (about 90 ms each on this hardware: call from a small
// bounded pool, never a network thread). Tokens are 32 random bytes, base64url; only their
// SHA-256 is stored, so a stolen database yields no usable token. The same digest names
// what the store keeps by content (attachments, mail without a Message-ID). Everything
// here but Init is safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace chamado::auth {

// Must be called once before anything else here (idempotent, thread-safe).
Result<void> Init();

Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view stored_hash, std::string_view password);
// A hash to verify against when the user does not exist, so timing does not reveal it.
const std::string& DummyHash();

// Password rules: 8 to 1024 bytes. Returns a sentence saying what is wrong, or empty.
std::string PasswordProblem(std::string_view password);

// 32 random bytes, base64url without padding (43 characters).
std::string NewToken();
// Lower-case hex SHA-256 of any bytes (64 characters).
std::string Sha256Hex(std::string_view data);
// What is stored of a token: its Sha256Hex.
std::string TokenHash(std::string_view token);
// HMAC-SHA256 of `data` under `key` (any length), base64url without padding (43 characters):
// signs links that need no sign-in (the survey's), so only the server that holds the key
// can make one.
std::string Sign(std::string_view key, std::string_view data);
// Constant-time comparison.
bool SameSecret(std::string_view a, std::string_view b);
// Whether `header` is Meta's X-Hub-Signature-256 of `body` under the app secret:
// "sha256=" and the lower-case hex HMAC-SHA256 of the raw body (upper-case hex accepted);
// compared in constant time. A missing or malformed header is not valid.
bool HubSignatureValid(std::string_view app_secret, std::string_view body, std::string_view header);
// The header value HubSignatureValid accepts (tests and tools sign with it).
std::string HubSignature(std::string_view app_secret, std::string_view body);

}  // namespace chamado::auth
