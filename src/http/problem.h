// RFC 9457 problem details: every error Chamado answers, rendered one way.
#pragma once

#include "core/result.h"
#include "http/message.h"

namespace chamado::http {

// The one table from ErrorCode to HTTP status.
int HttpStatus(ErrorCode code);

// An application/problem+json response for `e`. Internal errors are logged with their
// detail and answered with a generic sentence.
Response ProblemResponse(const Error& e, std::string_view instance = {});

}  // namespace chamado::http
