// Outcomes and the customer's word: the satisfaction survey behind its signed link (no
// sign-in: the link's signature is the credential, store/outcomes.h) and the feature-request
// report for the product team (JSON grouped by organization, or CSV).
#include "core/text.h"
#include "http/api_impl.h"
#include "store/outcomes.h"

namespace chamado::http {
namespace {

using store::Repo;

constexpr int kMaxFeatureRequests = 10000;

// The survey as its page shows it, in the customer's language.
json::object SurveyJson(const store::SurveyView& v, const core::Catalog& catalog) {
  const core::Ticket& t = v.ticket;
  const bool open = t.status == core::Status::kSolved || t.status == core::Status::kClosed;
  json::object ticket{{"number", t.number},
                      {"subject", t.subject},
                      {"status", core::Name(t.status)},
                      {"resolution", t.resolution ? json::value(core::Name(*t.resolution)) : json::value(nullptr)},
                      {"resolution_text", t.resolution ? json::value(catalog.outcomes.TextFor(*t.resolution, v.language))
                                                       : json::value(nullptr)},
                      {"resolution_summary", t.resolution_summary.empty() ? json::value(nullptr) : json::value(t.resolution_summary)}};
  return json::object{{"ticket", std::move(ticket)},
                      {"language", v.language},
                      {"requester_name", v.requester_name},
                      {"open", open},
                      {"answer", v.answer ? json::value(SurveyAnswerJson(*v.answer)) : json::value(nullptr)}};
}

std::string SignatureOf(const Request& req) { return std::string(req.Query("sig").value_or("")); }

}  // namespace

void Api::Impl::GetSurvey(Call c) {
  auto number = PathId(c, 0, "Survey");
  if (!number.ok()) return Fail(c, number.error());
  const std::string sig = SignatureOf(c.req);
  auto r = Read<store::SurveyView>([&](Repo& repo) { return store::OpenSurvey(repo, *number, sig); });
  if (!r.ok()) return Fail(c, r.error());
  Json(c, 200, SurveyJson(*r, store.policy()->catalog));
}

void Api::Impl::AnswerSurvey(Call c) {
  auto number = PathId(c, 0, "Survey");
  if (!number.ok()) return Fail(c, number.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"rating", "comment"});
  f.Require("rating", "the rating from 1 to 5");
  const int64_t rating = f.Int("rating").value_or(0);
  const std::string comment = f.Str("comment", core::kMaxSurveyCommentBytes * 2).value_or("");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  if (rating < 1 || rating > 5) return Fail(c, Error::InvalidSaid("rating", "survey.rating_range"));
  auto policy = store.policy();
  const Instant now = clock.Now();
  const Id n = *number;
  WriteThen<store::SurveyView>(
      std::move(c),
      [masker = options.masker, sig = SignatureOf(c.req), n, rating, comment, now](Repo& repo) {
        return store::AnswerSurveyCommand(repo, *masker, n, sig, int(rating), comment, now);
      },
      [policy](store::SurveyView& v) { return JsonResponse(200, SurveyJson(v, policy->catalog)); });
}

void Api::Impl::FeatureRequests(Call c) {
  std::optional<Instant> since;
  if (auto s = c.req.Query("since")) {
    since = ParseIsoInstant(*s);
    if (!since) {
      if (auto day = ParseIsoInstant(std::string(*s) + "T00:00:00Z")) since = day;
      else return Fail(c, Error::InvalidSaid("since", "outcome.since_not_date", {{"value", std::string(*s)}}));
    }
  }
  if (auto f = c.req.Query("format"); f && *f != "csv" && *f != "json")
    return Fail(c, Error::InvalidSaid("format", "outcome.format_unknown", {{"value", std::string(*f)}}));
  auto rows = Read<std::vector<Repo::FeatureRequestRow>>([&](Repo& repo) { return repo.FeatureRequests(since, kMaxFeatureRequests); });
  if (!rows.ok()) return Fail(c, rows.error());
  if (WantsCsv(c.req)) return c.reply(CsvResponse(store::FeatureRequestsCsv(*rows), "feature-requests"));
  // Rows come ordered by organization: each run of one organization is one group.
  json::array groups;
  for (size_t i = 0; i < rows->size();) {
    const auto& first = (*rows)[i];
    json::array tickets;
    size_t j = i;
    for (; j < rows->size() && (*rows)[j].organization_id == first.organization_id; ++j) {
      const auto& r = (*rows)[j];
      tickets.push_back(json::object{{"number", r.ticket_number},
                                     {"subject", r.subject},
                                     {"summary", r.summary},
                                     {"status", r.status},
                                     {"requester", json::object{{"name", r.requester_name}, {"email", r.requester_email}}},
                                     {"created_at", FormatIsoUtc(r.created_at)},
                                     {"solved_at", InstantJson(r.solved_at)}});
    }
    json::value org = nullptr;
    if (first.organization_id) org = json::object{{"id", *first.organization_id}, {"name", first.organization}, {"plan", first.plan}};
    groups.push_back(json::object{{"organization", std::move(org)}, {"count", j - i}, {"tickets", std::move(tickets)}});
    i = j;
  }
  Json(c, 200, json::object{{"total", rows->size()}, {"groups", std::move(groups)}});
}

}  // namespace chamado::http

namespace chamado::http {

// A contact's satisfaction history (agents): their answers on the tickets they asked, newest
// first, with the mean rating of those listed.
void Api::Impl::ContactSurveys(Call c) {
  auto id = PathId(c, 0, "contact");
  if (!id.ok()) return Fail(c, id.error());
  constexpr int kMaxAnswers = 200;
  auto r = Read<std::optional<std::vector<store::OutcomeRepo::ContactSurvey>>>(
      [id = *id](Repo& repo) -> Result<std::optional<std::vector<store::OutcomeRepo::ContactSurvey>>> {
        CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(id));
        if (!user || user->role != core::Role::kCustomer) return std::optional<std::vector<store::OutcomeRepo::ContactSurvey>>();
        CHAMADO_ASSIGN_OR_RETURN(auto answers, repo.SurveysOfRequester(id, kMaxAnswers));
        return std::optional(std::move(answers));
      });
  if (!r.ok()) return Fail(c, r.error());
  if (!*r) return Fail(c, Error::Said(ErrorCode::kNotFound, "directory.contact_missing", {{"id", std::to_string(*id)}}));
  json::array items;
  int64_t sum = 0;
  for (const auto& s : **r) {
    json::object o = SurveyAnswerJson(s.answer);
    o["ticket"] = s.answer.ticket_number;
    o["subject"] = s.subject;
    items.push_back(std::move(o));
    sum += s.answer.rating;
  }
  const size_t n = (*r)->size();
  Json(c, 200,
       json::object{{"items", std::move(items)},
                    {"count", int64_t(n)},
                    {"mean_rating", n ? json::value(double(sum) / double(n)) : json::value(nullptr)}});
}

}  // namespace chamado::http
