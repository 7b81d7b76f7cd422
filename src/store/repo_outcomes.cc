#include "store/repo_outcomes.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

Result<std::optional<SurveyAnswer>> OutcomeRepo::GetSurveyAnswer(Id ticket_number) {
  return One(c_, "SELECT ticket_number, rating, comment, answered_at, updated_at FROM survey_answers WHERE ticket_number = $1",
             {ticket_number}, [](const RowView& r) -> Result<SurveyAnswer> {
               return SurveyAnswer{r.Int(0), int(r.Int(1)), r.Str(2), FromUnixMillis(r.Int(3)), FromUnixMillis(r.Int(4))};
             });
}

Result<void> OutcomeRepo::PutSurveyAnswer(const SurveyAnswer& a) {
  CHAMADO_TRY(c_.Run(
      "INSERT INTO survey_answers (ticket_number, rating, comment, answered_at, updated_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (ticket_number) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, "
      "updated_at = excluded.updated_at",
      {a.ticket_number, a.rating, a.comment, ToUnixMillis(a.answered_at), ToUnixMillis(a.updated_at)}));
  return Ok();
}

Result<std::vector<OutcomeRepo::ContactSurvey>> OutcomeRepo::SurveysOfRequester(Id requester_id, int limit) {
  // Through the requester's tickets (tickets_requester), each looked up in survey_answers by key.
  return All(c_,
             "SELECT a.ticket_number, a.rating, a.comment, a.answered_at, a.updated_at, t.subject FROM tickets t "
             "JOIN survey_answers a ON a.ticket_number = t.number WHERE t.requester_id = $1 "
             "ORDER BY a.answered_at DESC, a.ticket_number DESC LIMIT $2",
             {requester_id, limit}, [](const RowView& r) -> Result<ContactSurvey> {
               return ContactSurvey{{r.Int(0), int(r.Int(1)), r.Str(2), FromUnixMillis(r.Int(3)), FromUnixMillis(r.Int(4))}, r.Str(5)};
             });
}

Result<std::vector<OutcomeRepo::FeatureRequestRow>> OutcomeRepo::FeatureRequests(std::optional<Instant> since, int limit) {
  std::vector<FeatureRequestRow> out;
  CHAMADO_TRY(c_.Run(
      "SELECT t.number, t.subject, t.resolution_summary, t.status, t.organization_id, coalesce(o.name, ''), "
      "coalesce(o.plan, ''), u.name, u.email, t.created_at, t.solved_at "
      "FROM tickets t JOIN users u ON u.id = t.requester_id LEFT JOIN organizations o ON o.id = t.organization_id "
      "WHERE t.resolution = 'feature_request' AND coalesce(t.solved_at, 0) >= $1 "
      "ORDER BY o.name IS NULL, lower(o.name), t.organization_id, t.solved_at, t.number LIMIT $2",
      {since ? ToUnixMillis(*since) : int64_t(0), limit}, [&](const RowView& r) {
        out.push_back({r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.OptInt(4), r.Str(5), r.Str(6), r.Str(7), r.Str(8),
                       FromUnixMillis(r.Int(9)), OptInstant(r, 10)});
      }));
  return out;
}

}  // namespace chamado::store
