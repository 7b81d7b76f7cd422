// The support lead's reports (issue 14): each report as JSON or CSV (format=csv or Accept:
// text/csv) over one filter, the tickets behind any figure (drill-down), and the one figure an
// admin may publish without sign-in (seed 002's average response time). The figures are
// store/reports.h's; this only reads the query and writes the answer.
#include <cmath>

#include "core/text.h"
#include "http/api_impl.h"
#include "store/reports.h"

namespace chamado::http {
namespace {

using store::Repo;
using store::ReportFilter;

json::value Minutes(const std::optional<double>& ms) {
  if (!ms) return nullptr;
  return std::round(*ms / 600.0) / 100.0;  // minutes, to the hundredth
}

json::value Number(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object SummaryJson(const core::DurationSummary& s) {
  return json::object{{"count", s.count}, {"mean_minutes", Minutes(s.mean_ms)}, {"median_minutes", Minutes(s.median_ms)},
                      {"p90_minutes", Minutes(s.p90_ms)}};
}

json::object FiguresJson(const store::TimeFigures& f) {
  return json::object{{"calendar", SummaryJson(f.calendar)}, {"business", SummaryJson(f.business)}};
}

json::object TimesJson(const store::TimesReport& t, std::string_view set) {
  json::array by_priority;
  for (const auto& [priority, figures] : t.by_priority) {
    json::object o = FiguresJson(figures);
    o["priority"] = priority;
    o["drill"] = json::object{{"set", set}, {"priority", priority}};
    by_priority.push_back(std::move(o));
  }
  json::object o = FiguresJson(t.all);
  o["by_priority"] = std::move(by_priority);
  o["drill"] = json::object{{"set", set}};
  return o;
}

json::object PeriodJson(const ReportFilter& f) { return json::object{{"from", FormatIsoUtc(f.from)}, {"to", FormatIsoUtc(f.to)}}; }

}  // namespace

bool WantsCsv(const Request& req) {
  if (auto f = req.Query("format")) return *f == "csv";
  return req.Header("accept").find("text/csv") != std::string_view::npos;
}

Response CsvResponse(std::string body, std::string_view name) {
  Response res;
  res.body = std::move(body);
  res.Set("Content-Type", "text/csv; charset=utf-8");
  res.Set("Content-Disposition", "attachment; filename=\"" + std::string(name) + ".csv\"");
  return res;
}

Result<ReportFilter> Api::Impl::ReportFilterOf(const Request& req) {
  if (auto f = req.Query("format"); f && *f != "csv" && *f != "json")
    return Error::InvalidSaid("format", "report.format", {{"value", std::string(*f)}});
  auto param = [&](std::string_view name) {
    auto v = req.Query(name);
    return v ? std::optional<std::string>(*v) : std::nullopt;
  };
  const store::ReportQuery q{param("from"), param("to"), param("plan"), param("priority"), param("group"), param("agent"), param("organization")};
  return store::ParseReportFilter(q, *store.policy(), clock.Now());
}

namespace {

// Each report's JSON: its rows with the `drill` of each figure, after the period.
json::object ResponseTimesJson(const store::ResponseTimesReport& r) {
  return json::object{{"first_response", TimesJson(r.first_response, "first_responded")}, {"resolution", TimesJson(r.resolution, "solved")}};
}

json::object SlaJson(const std::vector<store::SlaRow>& r) {
  json::array rows;
  for (const auto& row : r) {
    json::object drill{{"set", "clocks"}, {"target", sla::Name(row.target)}};
    if (!row.priority.empty()) drill["priority"] = row.priority;
    rows.push_back(json::object{{"target", sla::Name(row.target)},
                                {"priority", row.priority.empty() ? json::value(nullptr) : json::value(row.priority)},
                                {"met", row.achievement.met},
                                {"breached", row.achievement.breached},
                                {"achievement", Number(row.achievement.Rate())},
                                {"drill", std::move(drill)}});
  }
  return json::object{{"rows", std::move(rows)}};
}

json::object BacklogJson(const std::vector<store::BacklogDay>& r, const ReportFilter& f) {
  json::array days;
  for (const auto& d : r) {
    const Instant end = std::min(d.day + std::chrono::days(1), f.to);
    days.push_back(json::object{{"day", FormatIsoUtc(d.day).substr(0, 10)},
                                {"created", d.created},
                                {"solved", d.solved},
                                {"open", d.open},
                                {"drill", json::object{{"set", "backlog"}, {"at", FormatIsoUtc(end)}}}});
  }
  return json::object{{"days", std::move(days)}};
}

json::object ChannelsJson(const std::vector<store::ChannelRow>& r) {
  json::array rows;
  for (const auto& row : r)
    rows.push_back(json::object{{"channel", row.channel},
                                {"created", row.created},
                                {"solved", row.solved},
                                {"drill", json::object{{"created", json::object{{"set", "created"}, {"channel", row.channel}}},
                                                       {"solved", json::object{{"set", "solved"}, {"channel", row.channel}}}}}});
  return json::object{{"rows", std::move(rows)}};
}

json::object OutcomesJson(const std::vector<store::OutcomeRow>& r) {
  json::array rows;
  for (const auto& row : r)
    rows.push_back(json::object{{"resolution", row.resolution},
                                {"count", row.count},
                                {"share", Number(row.share)},
                                {"drill", json::object{{"set", "solved"}, {"resolution", row.resolution}}}});
  return json::object{{"rows", std::move(rows)}};
}

json::object SatisfactionJson(const store::SatisfactionReport& r) {
  json::array by_rating;
  for (size_t i = 0; i < r.by_rating.size(); ++i)
    by_rating.push_back(json::object{{"rating", int(i + 1)},
                                     {"count", r.by_rating[i]},
                                     {"drill", json::object{{"set", "rated"}, {"rating", int(i + 1)}}}});
  return json::object{{"solved", r.solved},
                      {"answered", r.answered},
                      {"mean_rating", Number(r.mean_rating)},
                      {"response_rate", Number(r.response_rate)},
                      {"by_rating", std::move(by_rating)},
                      {"drill", json::object{{"set", "rated"}}}};
}

}  // namespace

// Every report answers alike: the filter, the report read in one transaction, then CSV or JSON.
template <class T>
void Api::Impl::AnswerReport(Call& c, Result<T> (*read)(Repo&, const ReportFilter&), std::string (*csv)(const T&), std::string_view name,
                             const std::function<json::object(const T&, const ReportFilter&)>& to_json) {
  auto f = ReportFilterOf(c.req);
  if (!f.ok()) return Fail(c, f.error());
  auto r = Read<T>([&](Repo& repo) { return read(repo, *f); });
  if (!r.ok()) return Fail(c, r.error());
  if (WantsCsv(c.req)) return c.reply(CsvResponse(csv(*r), name));
  json::object o = to_json(*r, *f);
  o["period"] = PeriodJson(*f);
  Json(c, 200, o);
}

void Api::Impl::ReportResponseTimes(Call c) {
  AnswerReport<store::ResponseTimesReport>(c, &store::ResponseTimes, &store::ResponseTimesCsv, "response-times",
                                           [](const auto& r, const ReportFilter&) { return ResponseTimesJson(r); });
}

void Api::Impl::ReportSla(Call c) {
  AnswerReport<std::vector<store::SlaRow>>(c, &store::SlaAchievement, &store::SlaCsv, "sla",
                                           [](const auto& r, const ReportFilter&) { return SlaJson(r); });
}

void Api::Impl::ReportBacklog(Call c) {
  AnswerReport<std::vector<store::BacklogDay>>(c, &store::BacklogReport, &store::BacklogCsv, "backlog", BacklogJson);
}

void Api::Impl::ReportChannels(Call c) {
  AnswerReport<std::vector<store::ChannelRow>>(c, &store::ChannelReport, &store::ChannelsCsv, "channels",
                                               [](const auto& r, const ReportFilter&) { return ChannelsJson(r); });
}

void Api::Impl::ReportOutcomes(Call c) {
  AnswerReport<std::vector<store::OutcomeRow>>(c, &store::OutcomeReport, &store::OutcomesCsv, "outcomes",
                                               [](const auto& r, const ReportFilter&) { return OutcomesJson(r); });
}

void Api::Impl::ReportSatisfaction(Call c) {
  AnswerReport<store::SatisfactionReport>(c, &store::Satisfaction, &store::SatisfactionCsv, "satisfaction",
                                          [](const auto& r, const ReportFilter&) { return SatisfactionJson(r); });
}

void Api::Impl::ReportTickets(Call c) {
  auto f = ReportFilterOf(c.req);
  if (!f.ok()) return Fail(c, f.error());
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  store::Drill d;
  const auto set = c.req.Query("set");
  if (!set) return Fail(c, Error::InvalidSaid("set", "report.set_required"));
  auto parsed = store::ParseDrillSet(*set);
  if (!parsed)
    return Fail(c, Error::InvalidSaid("set", "report.set_unknown", {{"value", std::string(*set)}}));
  d.set = *parsed;
  if (auto ch = c.req.Query("channel")) {
    d.channel = core::ParseChannel(*ch);
    if (!d.channel) return Fail(c, Error::InvalidSaid("channel", "report.channel_unknown", {{"value", std::string(*ch)}}));
  }
  if (auto res = c.req.Query("resolution")) {
    if (*res != "none" && !core::ParseResolution(*res))
      return Fail(c, Error::InvalidSaid("resolution", "report.resolution_unknown", {{"value", std::string(*res)}}));
    d.resolution = std::string(*res);
  }
  if (auto t = c.req.Query("target")) {
    d.target = sla::ParseTarget(*t);
    if (!d.target) return Fail(c, Error::InvalidSaid("target", "report.target_unknown", {{"value", std::string(*t)}}));
  }
  if (auto s = c.req.Query("state")) {
    d.state = sla::ParseClockState(*s);
    if (!d.state || (*d.state != sla::ClockState::kMet && *d.state != sla::ClockState::kBreached))
      return Fail(c, Error::InvalidSaid("state", "report.state", {{"value", std::string(*s)}}));
  }
  if (auto r = c.req.Query("rating")) {
    auto v = ParseId(*r);
    if (!v || *v < 1 || *v > 5) return Fail(c, Error::InvalidSaid("rating", "report.rating"));
    d.rating = int(*v);
  }
  if (auto at = c.req.Query("at")) {
    auto t = ParseIsoInstant(*at);
    if (!t) return Fail(c, Error::InvalidSaid("at", "report.at"));
    d.at = *t;
  }
  if (d.set == store::DrillSet::kClocks && !d.target)
    return Fail(c, Error::InvalidSaid("target", "report.clocks_target"));
  const ReportFilter filter = *f;
  RenderTicketPage(std::move(c),
                   [filter, d](Repo& repo, const store::Page& p) -> Result<store::Paged<core::Ticket>> {
                     CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.DrillTickets(filter, d, p));
                     store::Paged<core::Ticket> out;
                     out.next = std::move(numbers.next);
                     for (Id n : numbers.items) {
                       CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
                       if (t) out.items.push_back(std::move(*t));
                     }
                     return out;
                   },
                   *page);
}

// Seed 002 publishes its average response time: when an admin opts in ([reports]
// publish_response_time), the mean time to first response of the last days, without sign-in.
void Api::Impl::PublicResponseTime(Call c) {
  if (options.publish_response_time.empty() || options.publish_response_time == "off")
    return Fail(c, Error::Said(ErrorCode::kNotFound, "report.response_time_private"));
  ReportFilter f;
  f.to = clock.Now();
  f.from = f.to - std::chrono::days(options.publish_window_days);
  auto r = Read<store::ResponseTimesReport>([&](Repo& repo) { return store::ResponseTimes(repo, f); });
  if (!r.ok()) return Fail(c, r.error());
  const bool business = options.publish_response_time == "business";
  const core::DurationSummary& s = business ? r->first_response.all.business : r->first_response.all.calendar;
  auto res = JsonResponse(200, json::object{{"average_first_response_minutes", Minutes(s.mean_ms)},
                                            {"median_first_response_minutes", Minutes(s.median_ms)},
                                            {"tickets", s.count},
                                            {"time", business ? "business" : "calendar"},
                                            {"window_days", options.publish_window_days},
                                            {"as_of", FormatIsoUtc(f.to)}});
  res.Set("Cache-Control", "public, max-age=300");
  c.reply(std::move(res));
}

}  // namespace chamado::http
