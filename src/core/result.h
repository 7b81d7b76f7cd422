// Result<T>: the value of an operation that can fail in an expected way.
//
// Expected failures (bad input, missing ticket, invalid transition) are values, never
// exceptions. Each carries a closed ErrorCode, one sentence a person can act on, and
// optionally per-field details. Exactly one table (src/http/problem.cc) maps codes to HTTP.
//
// The sentence is English in `message` (logs, the command line). An error built with Said()
// also carries the sentence's id in the message catalogs (core/messages.h) and its
// parameters, so the API says it in the caller's language (MessageIn).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/messages.h"

namespace chamado {

// DO NOT RENUMBER: codes are written to logs and the audit trail by name, but tests and
// tools compare them; add new codes at the end.
enum class ErrorCode {
  kInvalidArgument,   // the request is malformed or a value is out of range
  kNotFound,          // no such thing, or the caller may not know it exists
  kConflict,          // the thing exists but is in a state that forbids the change
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // credentials fine, role not allowed
  kTooLarge,          // a body, file or field exceeds its limit
  kUnsupportedMediaType,
  kRateLimited,
  kUnavailable,  // temporary: retry later (store busy, shutting down)
  kStorageFull,  // the disk is full: nothing was saved; reads work; retry once space is freed
  kInternal,     // a bug or corruption: logged with detail, answered with a generic sentence
};

const char* ErrorCodeName(ErrorCode code);

struct FieldError {
  std::string field;    // JSON pointer-ish name: "requester.email", "tags[2]"
  std::string message;  // one sentence, in English
  std::string text_id = {};  // the sentence's id in the message catalogs; empty: only English
  core::TextArgs args = {};

  // The problem of `field` said with the catalog sentence `id` (English in `message`).
  static FieldError Said(std::string field, std::string_view id, core::TextArgs args = {});
  std::string MessageIn(std::string_view language) const;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
  std::string text_id = {};  // the sentence's id in the message catalogs; empty: only English
  core::TextArgs args = {};

  // The sentence `id` of the catalogs with its parameters (English in `message`).
  static Error Said(ErrorCode code, std::string_view id, core::TextArgs args = {});
  // A field's problem said so: InvalidArgument with one field error.
  static Error InvalidSaid(std::string field, std::string_view id, core::TextArgs args = {});
  // The message in `language` (a desk language tag), English when it has no id.
  std::string MessageIn(std::string_view language) const;

  static Error InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m), {}}; }
  static Error Invalid(std::string field, std::string m) {
    Error e{ErrorCode::kInvalidArgument, m, {}};
    e.fields.push_back({std::move(field), std::move(m)});
    return e;
  }
  // Every problem of an input at once (at least one): the first is the message, the others
  // are counted in it.
  static Error Invalid(std::vector<FieldError> fields);
  static Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m), {}}; }
  static Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m), {}}; }
  static Error Unauthenticated(std::string m) { return {ErrorCode::kUnauthenticated, std::move(m), {}}; }
  static Error PermissionDenied(std::string m) { return {ErrorCode::kPermissionDenied, std::move(m), {}}; }
  static Error TooLarge(std::string m) { return {ErrorCode::kTooLarge, std::move(m), {}}; }
  static Error UnsupportedMediaType(std::string m) { return {ErrorCode::kUnsupportedMediaType, std::move(m), {}}; }
  static Error RateLimited(std::string m) { return {ErrorCode::kRateLimited, std::move(m), {}}; }
  static Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m), {}}; }
  static Error StorageFull(std::string m) { return {ErrorCode::kStorageFull, std::move(m), {}}; }
  static Error Internal(std::string m) { return {ErrorCode::kInternal, std::move(m), {}}; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};


inline Result<void> Ok() { return {}; }

}  // namespace chamado

// Propagates the error of a Result-returning expression.
#define CHAMADO_TRY(expr)                       \
  do {                                          \
    auto&& chamado_try_r_ = (expr);             \
    if (!chamado_try_r_.ok()) return std::move(chamado_try_r_).error(); \
  } while (0)

#define CHAMADO_CONCAT_INNER(a, b) a##b
#define CHAMADO_CONCAT(a, b) CHAMADO_CONCAT_INNER(a, b)
// Binds the value of a Result-returning expression or propagates its error.
#define CHAMADO_ASSIGN_OR_RETURN(lhs, expr)                                   \
  auto CHAMADO_CONCAT(chamado_r_, __LINE__) = (expr);                          \
  if (!CHAMADO_CONCAT(chamado_r_, __LINE__).ok())                              \
    return std::move(CHAMADO_CONCAT(chamado_r_, __LINE__)).error();            \
  lhs = std::move(CHAMADO_CONCAT(chamado_r_, __LINE__)).value()
