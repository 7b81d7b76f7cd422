#include "store/outcomes.h"

#include "auth/credentials.h"
#include "store/reports.h"

namespace chamado::store {
using namespace core;

namespace {

constexpr std::string_view kSurveyKeySetting = "survey_key";

Result<std::string> SurveySignature(Repo& repo, Id ticket_number) {
  CHAMADO_ASSIGN_OR_RETURN(auto key, repo.GetSetting(kSurveyKeySetting));
  if (!key || key->empty()) return Error::Internal("The data folder has no survey key (settings survey_key); run chamado migrate.");
  return auth::Sign(*key, "survey:" + std::to_string(ticket_number));
}

Error BadLink() {
  return Error::NotFound("This survey link is not valid; use the link from your email as it was sent.");
}

}  // namespace

Result<std::string> SurveyPath(Repo& repo, Id ticket_number) {
  CHAMADO_ASSIGN_OR_RETURN(auto sig, SurveySignature(repo, ticket_number));
  return "/survey/" + std::to_string(ticket_number) + "?sig=" + sig;
}

Result<SurveyView> OpenSurvey(Repo& repo, Id ticket_number, std::string_view signature) {
  CHAMADO_ASSIGN_OR_RETURN(auto expected, SurveySignature(repo, ticket_number));
  if (!auth::SameSecret(expected, signature)) return BadLink();
  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(ticket_number));
  if (!ticket) return BadLink();
  SurveyView view;
  view.ticket = std::move(*ticket);
  CHAMADO_ASSIGN_OR_RETURN(auto requester, repo.GetUser(view.ticket.requester_id));
  view.language = requester ? requester->language : "en";
  view.requester_name = requester ? requester->name : "";
  CHAMADO_ASSIGN_OR_RETURN(view.answer, repo.GetSurveyAnswer(ticket_number));
  return view;
}

Result<SurveyView> AnswerSurveyCommand(Repo& repo, const SecretMasker& masker, Id ticket_number, std::string_view signature,
                                       int rating, std::string_view comment, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto view, OpenSurvey(repo, ticket_number, signature));
  const std::string masked = masker.Mask(comment).text;
  CHAMADO_ASSIGN_OR_RETURN(auto answer, AnswerSurvey(view.ticket, view.answer, rating, masked, now));
  CHAMADO_TRY(repo.PutSurveyAnswer(answer));
  std::vector<Change> changes;
  changes.push_back({"rating", view.answer ? std::to_string(view.answer->rating) : "", std::to_string(answer.rating)});
  if (answer.comment != (view.answer ? view.answer->comment : "")) changes.push_back({"comment", view.answer ? view.answer->comment : "", answer.comment});
  CHAMADO_TRY(repo.InsertEvents({{"survey.answered", ticket_number, view.ticket.requester_id, now, std::move(changes), 0}},
                                ticket_number, 0));
  view.answer = std::move(answer);
  return view;
}

std::string FeatureRequestsCsv(const std::vector<OutcomeRepo::FeatureRequestRow>& rows) {
  std::string out = CsvLine({"organization", "plan", "ticket", "subject", "summary", "requester", "requester_email", "status",
                             "created_at", "solved_at"});
  for (const auto& r : rows)
    out += CsvLine({r.organization, r.plan, std::to_string(r.ticket_number), r.subject, r.summary, r.requester_name,
                    r.requester_email, r.status, FormatIsoUtc(r.created_at), r.solved_at ? FormatIsoUtc(*r.solved_at) : ""});
  return out;
}

}  // namespace chamado::store
