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

Error Error::Invalid(std::vector<FieldError> fields) {
  assert(!fields.empty());
  std::string message = fields.front().message;
  if (fields.size() > 1) message += " (and " + std::to_string(fields.size() - 1) + " more problem(s), listed in errors)";
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(fields)};
}

}  // namespace chamado
