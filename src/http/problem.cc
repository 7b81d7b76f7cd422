#include "http/problem.h"

#include "core/languages.h"
#include "core/messages.h"

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

Response ProblemResponse(const Error& e, std::string_view instance, std::string_view language) {
  return ProblemResponse(e, instance, HttpStatus(e.code), core::Say(std::string("title.") + ErrorCodeName(e.code), {}, language),
                         language);
}

Response ProblemResponse(const Error& e, std::string_view instance, int status, std::string_view title,
                         std::string_view language) {
  Response r;
  r.status = status;
  json::object o;
  o["type"] = "about:blank";
  o["title"] = title;
  o["status"] = r.status;
  o["code"] = ErrorCodeName(e.code);
  if (e.code == ErrorCode::kInternal) {
    spdlog::error("internal error{}{}: {}", instance.empty() ? "" : " at ", instance, e.message);
    o["detail"] = core::Say("errors.internal", {}, language);
  } else {
    o["detail"] = e.MessageIn(language);
  }
  if (!instance.empty()) o["instance"] = instance;
  if (!e.fields.empty()) {
    json::array errors;
    for (const auto& f : e.fields) errors.push_back(json::object{{"field", f.field}, {"message", f.MessageIn(language)}});
    o["errors"] = std::move(errors);
  }
  r.Set("Content-Type", "application/problem+json");
  if (e.code == ErrorCode::kUnauthenticated) r.Set("WWW-Authenticate", "Bearer realm=\"chamado\"");
  if (e.code == ErrorCode::kRateLimited || e.code == ErrorCode::kUnavailable) r.Set("Retry-After", "5");
  if (e.code == ErrorCode::kStorageFull) r.Set("Retry-After", "60");
  r.body = json::serialize(o);
  return r;
}

std::string AnswerLanguage(std::string_view user_language, std::string_view accept_language) {
  if (core::IsDeskLanguage(user_language)) return std::string(user_language);
  std::string chosen = core::LanguageOfAcceptLanguage(accept_language);
  return chosen.empty() ? std::string("en") : chosen;
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

