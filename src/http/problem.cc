#include "http/problem.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json.hpp>
#include <memory>

namespace chamado::http {
namespace json = boost::json;

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kStorageFull: return 503;
  }
  return 500;
}

const char* ErrorTitle(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "Invalid request";
    case ErrorCode::kUnauthenticated: return "Sign-in required";
    case ErrorCode::kPermissionDenied: return "Not allowed";
    case ErrorCode::kNotFound: return "Not found";
    case ErrorCode::kConflict: return "Conflict";
    case ErrorCode::kTooLarge: return "Too large";
    case ErrorCode::kUnsupportedMediaType: return "Unsupported media type";
    case ErrorCode::kRateLimited: return "Too many requests";
    case ErrorCode::kInternal: return "Internal error";
    case ErrorCode::kUnavailable: return "Temporarily unavailable";
    case ErrorCode::kStorageFull: return "Storage full";
  }
  return "Error";
}

Response ProblemResponse(const Error& e, std::string_view instance) {
  return ProblemResponse(e, instance, HttpStatus(e.code), ErrorTitle(e.code));
}

Response ProblemResponse(const Error& e, std::string_view instance, int status, const char* title) {
  Response r;
  r.status = status;
  json::object o;
  o["type"] = "about:blank";
  o["title"] = title;
  o["status"] = r.status;
  o["code"] = ErrorCodeName(e.code);
  if (e.code == ErrorCode::kInternal) {
    spdlog::error("internal error{}{}: {}", instance.empty() ? "" : " at ", instance, e.message);
    o["detail"] = "Something went wrong on our side; it has been logged. Retry, and tell your administrator if it persists.";
  } else {
    o["detail"] = e.message;
  }
  if (!instance.empty()) o["instance"] = instance;
  if (!e.fields.empty()) {
    json::array errors;
    for (const auto& f : e.fields) errors.push_back(json::object{{"field", f.field}, {"message", f.message}});
    o["errors"] = std::move(errors);
  }
  r.Set("Content-Type", "application/problem+json");
  if (e.code == ErrorCode::kUnauthenticated) r.Set("WWW-Authenticate", "Bearer realm=\"chamado\"");
  if (e.code == ErrorCode::kRateLimited || e.code == ErrorCode::kUnavailable) r.Set("Retry-After", "5");
  if (e.code == ErrorCode::kStorageFull) r.Set("Retry-After", "60");
  r.body = json::serialize(o);
  return r;
}

void RunHandler(const std::function<void(Reply)>& handler, Reply reply, std::string_view instance) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  auto once = [answered, reply = std::move(reply), path = std::string(instance)](Response r) {
    if (answered->exchange(true)) {
      spdlog::error("a second answer to {} was dropped (status {})", path, r.status);
      return;
    }
    reply(std::move(r));
  };
  Reply guarded = once;  // a copy: the handler may move its own away
  try {
    handler(std::move(once));
  } catch (const std::exception& e) {
    guarded(ProblemResponse(Error::Internal(std::string("the handler threw: ") + e.what()), instance));
  } catch (...) {
    guarded(ProblemResponse(Error::Internal("the handler threw a non-standard exception"), instance));
  }
}

}  // namespace chamado::http

