// Instants and their text form.
//
// An Instant is a UTC instant with millisecond precision (time since the Unix epoch,
// leap seconds ignored, as everywhere). The core never reads the wall clock: every
// function that needs "now" takes it as a parameter.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chamado {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

inline int64_t ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMillis(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

// "2026-01-05T14:00:00Z", or with ".123" when the instant has milliseconds.
std::string FormatIsoUtc(Instant t);

// Parses RFC 3339 with a mandatory offset ("Z", "+02:00", "-0300"); fractional seconds
// are truncated to milliseconds. Returns nullopt on anything else.
std::optional<Instant> ParseIsoInstant(std::string_view text);

// Parses a duration such as "90m", "4h", "2d", "30s", "1h30m" into milliseconds of real
// time (days are 24 h here; business days are the SLA engine's business).
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

}  // namespace chamado
