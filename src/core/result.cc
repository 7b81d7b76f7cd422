#include "core/result.h"

namespace chamado {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kStorageFull: return "storage_full";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

namespace {
// Said after the first of several field problems.
constexpr std::string_view kMoreProblems = "errors.more";
}  // namespace

Error Error::Invalid(std::vector<FieldError> fields) {
  assert(!fields.empty());
  std::string message = fields.front().message;
  Error e{ErrorCode::kInvalidArgument, {}, {}};
  if (fields.size() > 1) {
    e.text_id = kMoreProblems;
    e.args = {{"count", std::to_string(fields.size() - 1)}};
    message += " " + core::Say(kMoreProblems, e.args);
  }
  e.message = std::move(message);
  e.fields = std::move(fields);
  return e;
}

Error Error::Said(ErrorCode code, std::string_view id, core::TextArgs args) {
  Error e{code, core::Say(id, args), {}};
  e.text_id = id;
  e.args = std::move(args);
  return e;
}

Error Error::InvalidSaid(std::string field, std::string_view id, core::TextArgs args) {
  Error e = Said(ErrorCode::kInvalidArgument, id, args);
  e.fields.push_back({std::move(field), e.message, std::string(id), std::move(args)});
  return e;
}

FieldError FieldError::Said(std::string field, std::string_view id, core::TextArgs args) {
  std::string message = core::Say(id, args);
  return {std::move(field), std::move(message), std::string(id), std::move(args)};
}

std::string FieldError::MessageIn(std::string_view language) const {
  return text_id.empty() ? message : core::Say(text_id, args, language);
}

std::string Error::MessageIn(std::string_view language) const {
  if (text_id == kMoreProblems) {
    // One language per sentence: a first problem said only in English keeps the summary English.
    const std::string_view in = fields.front().text_id.empty() ? std::string_view("en") : language;
    return fields.front().MessageIn(in) + " " + core::Say(text_id, args, in);
  }
  return text_id.empty() ? message : core::Say(text_id, args, language);
}

}  // namespace chamado
