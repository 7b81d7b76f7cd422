// Small text checks shared by every input path. All strings are UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chamado {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// Number of code points; `s` must be valid UTF-8.
size_t Utf8Length(std::string_view s);

// Strips ASCII and Unicode-ASCII-range whitespace from both ends.
std::string_view Trim(std::string_view s);

// True when `s` contains a C0 control character other than tab, or DEL.
bool HasControlChars(std::string_view s, bool allow_newlines);

std::string AsciiLower(std::string_view s);

// A pragmatic address check (what support desks accept): local@domain.tld, no spaces,
// no angle brackets, at most 254 octets. Returns the address lower-cased, or empty.
std::string NormalizeEmail(std::string_view s);

// The part after '@' of a normalized address.
std::string_view EmailDomain(std::string_view normalized_email);

// Exactly `n` ASCII digits at `pos` of `s`, as a number; false when there are not.
bool ParseFixedDigits(std::string_view s, size_t pos, size_t n, int& out);

// A positive decimal identifier of at most 18 digits ("42"); nullopt for anything else.
std::optional<int64_t> ParseId(std::string_view s);

// A lower-case identifier: [a-z0-9][a-z0-9_-]*, at most `max` octets.
bool IsSlug(std::string_view s, size_t max = 64);

}  // namespace chamado
