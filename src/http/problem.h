// RFC 9457 problem details: every error Chamado answers, rendered one way.
#pragma once

#include <functional>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace chamado::http {

// The one table from ErrorCode to HTTP status.
int HttpStatus(ErrorCode code);

// An application/problem+json response for `e`, its title and messages said in `language`
// (a desk language tag; English for any other) where the error carries catalog ids; `code`
// and each error's `field` are the same in every language. Internal errors are logged with
// their detail and answered with a generic sentence.
Response ProblemResponse(const Error& e, std::string_view instance = {}, std::string_view language = "en");
// A problem whose HTTP status no error code maps to (405 Method Not Allowed): the status and
// title given, the body's `status` the same as the response's.
Response ProblemResponse(const Error& e, std::string_view instance, int status, std::string_view title,
                         std::string_view language = "en");

// The language to answer a request in: the signed-in person's (`user_language`, empty when
// nobody is signed in), else the first desk language of `accept_language`, else English.
std::string AnswerLanguage(std::string_view user_language, std::string_view accept_language);

// Runs a handler under the Reply contract (called exactly once): the handler gets a reply
// that answers at most once. If it throws before answering, the exception is logged and the
// client gets a 500 problem for `instance`; an answer after the first is dropped and logged.
void RunHandler(const std::function<void(Reply)>& handler, Reply reply, std::string_view instance);

}  // namespace chamado::http
