// The outcomes aggregate of the repository: customers' answers to the satisfaction survey
// (one per ticket; core/outcomes.h decides what an answer may be) and the feature-request
// report read from solved tickets. Owns the table survey_answers; reads tickets,
// organizations and users for the report.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/outcomes.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

class OutcomeRepo {
 public:
  explicit OutcomeRepo(Connection& c) : c_(c) {}

  Result<std::optional<core::SurveyAnswer>> GetSurveyAnswer(core::Id ticket_number);
  Result<void> PutSurveyAnswer(const core::SurveyAnswer& answer);
  // A contact's answers on the tickets they asked, newest first, at most `limit`, each with its
  // ticket's subject (the contact page's satisfaction history).
  struct ContactSurvey {
    core::SurveyAnswer answer;
    std::string subject;
  };
  Result<std::vector<ContactSurvey>> SurveysOfRequester(core::Id requester_id, int limit);

  // One ticket whose resolution is feature_request, with who asked.
  struct FeatureRequestRow {
    core::Id ticket_number = 0;
    std::string subject;
    std::string summary;  // the resolution summary: what was sent to the product team
    std::string status;   // solved or closed
    std::optional<core::Id> organization_id;
    std::string organization;  // name; empty without one
    std::string plan;          // the organization's plan key; empty without one
    std::string requester_name;
    std::string requester_email;
    Instant created_at;
    std::optional<Instant> solved_at;
  };
  // Feature requests solved at or after `since` (all when unset), by organization name
  // (tickets without one last), then by when they were solved, at most `limit`.
  Result<std::vector<FeatureRequestRow>> FeatureRequests(std::optional<Instant> since, int limit);

 private:
  Connection& c_;
};

}  // namespace chamado::store
