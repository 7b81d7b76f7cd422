// Outcomes and the customer's word, carried out: the satisfaction survey's signed links and
// answers, and the feature-request report (issue 11). core/outcomes.h decides what an answer
// may be; these load what it needs and write it with its audit event in the caller's
// transaction.
//
// A survey link names its ticket and carries an HMAC-SHA256 of it under the data folder's
// survey key (settings 'survey_key', made by migration V017 and never sent anywhere): whoever
// holds the mail may answer without signing in, and nobody can make a link for another ticket.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/outcomes.h"
#include "core/secrets.h"
#include "store/repo.h"

namespace chamado::store {

// The link's path and query for a ticket's survey: "/survey/12?sig=<43 characters>".
Result<std::string> SurveyPath(Repo& repo, core::Id ticket_number);

// A survey as the customer opens it from their link.
struct SurveyView {
  core::Ticket ticket;
  std::string requester_name;
  std::string language;  // the requester's: the page speaks it
  std::optional<core::SurveyAnswer> answer;
};

// Refused as not found (the same for every wrong link: a bad signature, an unknown ticket) so a
// link reveals nothing about tickets it does not name.
Result<SurveyView> OpenSurvey(Repo& repo, core::Id ticket_number, std::string_view signature);

// The customer answers (or changes their answer) through their link; the comment's secrets are
// masked; the ticket's history records it as the requester's ("survey.answered").
Result<SurveyView> AnswerSurveyCommand(Repo& repo, const SecretMasker& masker, core::Id ticket_number,
                                       std::string_view signature, int rating, std::string_view comment, Instant now);

// The feature-request report as CSV (RFC 4180, a header line, CRLF): one line per ticket,
// grouped by organization. A cell that a spreadsheet would run as a formula (= + - @ first)
// is written with a leading apostrophe.
std::string FeatureRequestsCsv(const std::vector<OutcomeRepo::FeatureRequestRow>& rows);

}  // namespace chamado::store
