// Outcomes and the customer's word: what solving a ticket must say (a resolution from the
// policy's list and a summary, seeds 002 and 003), the customer-facing text of each resolution
// built into the desk in its five languages, and the rules of the satisfaction survey that
// follows. Pure functions: no I/O, no clock (instants are passed in, UTC).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

inline constexpr size_t kMaxSummaryBytes = 256 * 1024;  // a solving reply's body is the summary
inline constexpr size_t kMaxSurveyCommentBytes = 4000;
// A survey answer may be changed this long after it was first given.
inline constexpr std::chrono::hours kSurveyChangeWindow{7 * 24};

// The desk's own customer text for each resolution in pt-BR, en, es, de and ru; a policy's
// [outcomes.texts] replaces them language by language.
const Texts& DefaultResolutionTexts(Resolution r);

// Outcomes with the built-in texts under the policy's: every resolution has a text in the
// five languages unless the policy rewrote it in one of them.
Outcomes WithDefaultTexts(Outcomes o);

// What solving records. `by_agent`: an agent solves (a customer marking their own ticket
// solved, or the system, gives no outcome). `chosen`: the resolution given, if any;
// `summary`: what the customer is told was done (a public reply's body, or the summary given).
// Refused, naming the field, when the policy requires an outcome and one is missing, or when
// the chosen resolution is not on the policy's list. Otherwise the resolution to record:
// the chosen one, else "answered".
Result<Resolution> SolveOutcome(const Outcomes& outcomes, std::optional<Resolution> chosen, std::string_view summary,
                                bool by_agent);

// Checks a summary's text (valid UTF-8, at most 256 KiB); returns it trimmed.
Result<std::string> CheckSummary(std::string_view summary);

// A customer's answer to the satisfaction survey of one ticket.
struct SurveyAnswer {
  Id ticket_number = 0;
  int rating = 0;  // 1 (poor) to 5 (excellent)
  std::string comment;
  Instant answered_at;  // first given (UTC); the change window counts from here
  Instant updated_at;
};

// The answer as it stands after the customer answers at `now`, given the one stored (if
// any). Refused: a rating outside 1-5 (field rating), a comment that is not plain text or
// longer than 4000 bytes (field comment), a ticket that is not solved or closed (it was
// reopened), or a change later than kSurveyChangeWindow after the first answer.
Result<SurveyAnswer> AnswerSurvey(const Ticket& ticket, const std::optional<SurveyAnswer>& stored, int rating,
                                  std::string_view comment, Instant now);

// Until when an answer first given at `answered_at` may change.
inline Instant SurveyChangeableUntil(Instant answered_at) { return answered_at + kSurveyChangeWindow; }

}  // namespace chamado::core
