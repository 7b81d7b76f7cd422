#include "store/reports.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "core/text.h"

namespace chamado::store {
using namespace core;

namespace {

TimesReport Times(const std::vector<ReportRepo::TimedTicket>& tickets) {
  // By rank, the policy's order: a policy names each rank once (applying one re-ranks every
  // ticket), so the rank alone tells the priorities apart.
  struct Priority {
    std::string name;
    std::vector<int64_t> calendar, business;
  };
  std::vector<Priority> by_rank;
  std::vector<int64_t> calendar, business;
  calendar.reserve(tickets.size());
  business.reserve(tickets.size());
  for (const auto& t : tickets) {
    const size_t rank = size_t(std::max(0, t.priority_rank));
    if (rank >= by_rank.size()) by_rank.resize(rank + 1);
    Priority& p = by_rank[rank];
    if (p.name.empty()) p.name = t.priority;
    calendar.push_back(t.calendar_ms);
    p.calendar.push_back(t.calendar_ms);
    if (t.business_ms) {
      business.push_back(*t.business_ms);
      p.business.push_back(*t.business_ms);
    }
  }
  TimesReport out;
  out.all = {Summarize(std::move(calendar)), Summarize(std::move(business))};
  for (auto& p : by_rank)
    if (!p.calendar.empty()) out.by_priority.push_back({p.name, {Summarize(std::move(p.calendar)), Summarize(std::move(p.business))}});
  return out;
}

constexpr auto kDefaultPeriod = std::chrono::days(30);

Result<Instant> ParseBound(std::string_view field, const std::string& s, bool end) {
  if (auto day = ParseIsoInstant(s + "T00:00:00Z")) return end ? *day + std::chrono::days(1) : *day;
  if (auto t = ParseIsoInstant(s)) return *t;
  return Error::InvalidSaid(std::string(field), "report.bound", {{"field", std::string(field)}, {"value", s}});
}

Result<std::optional<Id>> ParseOptionalId(std::string_view field, const std::optional<std::string>& v) {
  if (!v) return std::optional<Id>();
  auto id = ParseId(*v);
  if (!id) return Error::InvalidSaid(std::string(field), "report.id", {{"field", std::string(field)}, {"value", *v}});
  return std::optional<Id>(*id);
}

std::string Minutes(const std::optional<double>& ms) {
  if (!ms) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *ms / 60000.0);
  return buf;
}

std::string Fraction(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", *v);
  return buf;
}

}  // namespace

Result<void> CheckPeriod(const ReportFilter& f) {
  if (f.to <= f.from) return Error::InvalidSaid("to", "report.period_order");
  if (f.to - f.from > std::chrono::days(kMaxReportDays))
    return Error::InvalidSaid("to", "report.period_too_long", {{"days", std::to_string(kMaxReportDays)}});
  return Ok();
}

Result<ReportFilter> ParseReportFilter(const ReportQuery& q, const sla::Policy& policy, Instant now) {
  ReportFilter f;
  f.to = now;
  if (q.to) {
    CHAMADO_ASSIGN_OR_RETURN(f.to, ParseBound("to", *q.to, true));
  }
  f.from = f.to - kDefaultPeriod;
  if (q.from) {
    CHAMADO_ASSIGN_OR_RETURN(f.from, ParseBound("from", *q.from, false));
  }
  CHAMADO_TRY(CheckPeriod(f));
  if (q.priority) {
    if (!policy.catalog.priorities.Rank(*q.priority))
      return Error::InvalidSaid("priority", "report.priority_unknown", {{"value", *q.priority}, {"accepted", policy.catalog.priorities.Names()}});
    f.priority = *q.priority;
  }
  if (q.plan) {
    if (!policy.FindPlan(*q.plan)) {
      std::string plans;
      for (const auto& plan : policy.plans) plans += (plans.empty() ? "" : ", ") + plan.key;
      if (plans.empty()) return Error::InvalidSaid("plan", "report.plan_none", {{"value", *q.plan}});
      return Error::InvalidSaid("plan", "report.plan_unknown", {{"value", *q.plan}, {"accepted", plans}});
    }
    f.plan = *q.plan;
  }
  CHAMADO_ASSIGN_OR_RETURN(f.group_id, ParseOptionalId("group", q.group));
  CHAMADO_ASSIGN_OR_RETURN(f.agent_id, ParseOptionalId("agent", q.agent));
  CHAMADO_ASSIGN_OR_RETURN(f.organization_id, ParseOptionalId("organization", q.organization));
  return f;
}

Result<ResponseTimesReport> ResponseTimes(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  ResponseTimesReport out;
  CHAMADO_ASSIGN_OR_RETURN(auto first, repo.TimesTo(sla::Target::kFirstResponse, f));
  out.first_response = Times(first);
  CHAMADO_ASSIGN_OR_RETURN(auto solved, repo.TimesTo(sla::Target::kResolution, f));
  out.resolution = Times(solved);
  return out;
}

Result<std::vector<SlaRow>> SlaAchievement(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  CHAMADO_ASSIGN_OR_RETURN(auto counts, repo.DecidedClocks(f));
  std::vector<SlaRow> out;
  for (sla::Target target : sla::kTargets) {
    Achievement total;
    for (const auto& c : counts) {
      if (c.target != target) continue;
      out.push_back({target, c.priority, {c.met, c.breached}});
      total.met += c.met;
      total.breached += c.breached;
    }
    if (total.met + total.breached > 0) out.push_back({target, "", total});
  }
  return out;
}

Result<std::vector<BacklogDay>> BacklogReport(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  const std::vector<Instant> days = DaysOf(f.from, f.to);
  CHAMADO_ASSIGN_OR_RETURN(auto facts, repo.BacklogOf(f, days.size()));
  const std::vector<int64_t> open = Backlog(facts.open_before, facts.created, facts.solved);
  std::vector<BacklogDay> out;
  for (size_t i = 0; i < days.size(); ++i) out.push_back({days[i], facts.created[i], facts.solved[i], open[i]});
  return out;
}

Result<std::vector<ChannelRow>> ChannelReport(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  CHAMADO_ASSIGN_OR_RETURN(auto created, repo.CreatedByChannel(f));
  CHAMADO_ASSIGN_OR_RETURN(auto solved, repo.SolvedByChannel(f));
  std::map<std::string, ChannelRow> rows;
  for (const auto& c : created) rows[c.key] = {c.key, c.count, 0};
  for (const auto& s : solved) {
    auto& row = rows[s.key];
    row.channel = s.key;
    row.solved = s.count;
  }
  std::vector<ChannelRow> out;
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

Result<std::vector<OutcomeRow>> OutcomeReport(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  CHAMADO_ASSIGN_OR_RETURN(auto counts, repo.SolvedByResolution(f));
  int64_t total = 0;
  for (const auto& c : counts) total += c.count;
  std::vector<OutcomeRow> out;
  for (const auto& c : counts) out.push_back({c.key.empty() ? "none" : c.key, c.count, Share(c.count, total)});
  std::sort(out.begin(), out.end(), [](const OutcomeRow& a, const OutcomeRow& b) {
    return a.count != b.count ? a.count > b.count : a.resolution < b.resolution;
  });
  return out;
}

Result<SatisfactionReport> Satisfaction(Repo& repo, const ReportFilter& f) {
  CHAMADO_TRY(CheckPeriod(f));
  SatisfactionReport out;
  CHAMADO_ASSIGN_OR_RETURN(auto solved, repo.SolvedByResolution(f));
  for (const auto& c : solved) out.solved += c.count;
  CHAMADO_ASSIGN_OR_RETURN(auto ratings, repo.RatingsOfSolved(f));
  int64_t sum = 0;
  for (const auto& r : ratings) {
    const int rating = std::atoi(r.key.c_str());
    if (rating < 1 || rating > 5) continue;
    out.by_rating[size_t(rating - 1)] = r.count;
    out.answered += r.count;
    sum += int64_t(rating) * r.count;
  }
  if (out.answered > 0) out.mean_rating = double(sum) / double(out.answered);
  out.response_rate = Share(out.answered, out.solved);
  return out;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    std::string s = cells[i];
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(0, 1, '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
      out += s;
      continue;
    }
    out += '"';
    for (char c : s) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out + "\r\n";
}

std::string ResponseTimesCsv(const ResponseTimesReport& r) {
  std::string out = CsvLine({"target", "priority", "time", "count", "mean_minutes", "median_minutes", "p90_minutes"});
  auto rows = [&](std::string_view target, const std::string& priority, const TimeFigures& t) {
    for (const auto& [kind, s] : {std::pair<std::string, const DurationSummary*>{"calendar", &t.calendar}, {"business", &t.business}})
      out += CsvLine({std::string(target), priority, kind, std::to_string(s->count), Minutes(s->mean_ms), Minutes(s->median_ms),
                      Minutes(s->p90_ms)});
  };
  for (const auto& [target, times] : {std::pair<std::string_view, const TimesReport*>{"first_response", &r.first_response},
                                      {"resolution", &r.resolution}}) {
    rows(target, "", times->all);
    for (const auto& [priority, t] : times->by_priority) rows(target, priority, t);
  }
  return out;
}

std::string SlaCsv(const std::vector<SlaRow>& rows) {
  std::string out = CsvLine({"target", "priority", "met", "breached", "achievement"});
  for (const auto& r : rows)
    out += CsvLine({std::string(sla::Name(r.target)), r.priority, std::to_string(r.achievement.met),
                    std::to_string(r.achievement.breached), Fraction(r.achievement.Rate())});
  return out;
}

std::string BacklogCsv(const std::vector<BacklogDay>& days) {
  std::string out = CsvLine({"day", "created", "solved", "open"});
  for (const auto& d : days)
    out += CsvLine({FormatIsoUtc(d.day).substr(0, 10), std::to_string(d.created), std::to_string(d.solved), std::to_string(d.open)});
  return out;
}

std::string ChannelsCsv(const std::vector<ChannelRow>& rows) {
  std::string out = CsvLine({"channel", "created", "solved"});
  for (const auto& r : rows) out += CsvLine({r.channel, std::to_string(r.created), std::to_string(r.solved)});
  return out;
}

std::string OutcomesCsv(const std::vector<OutcomeRow>& rows) {
  std::string out = CsvLine({"resolution", "count", "share"});
  for (const auto& r : rows) out += CsvLine({r.resolution, std::to_string(r.count), Fraction(r.share)});
  return out;
}

std::string SatisfactionCsv(const SatisfactionReport& r) {
  std::string out = CsvLine({"rating", "answers"});
  for (size_t i = 0; i < r.by_rating.size(); ++i) out += CsvLine({std::to_string(i + 1), std::to_string(r.by_rating[i])});
  out += CsvLine({"all", std::to_string(r.answered)});
  out += CsvLine({"solved", std::to_string(r.solved)});
  out += CsvLine({"mean_rating", r.mean_rating ? Fraction(r.mean_rating) : ""});
  out += CsvLine({"response_rate", Fraction(r.response_rate)});
  return out;
}

}  // namespace chamado::store
