// The support lead's reports (issue 14), assembled: the store's facts (store/repo_reports.h)
// through the report arithmetic (core/report.h), and each table as CSV. The API, the command
// line and the benchmark all read these, so one filter gives one figure everywhere.
//
// Every report covers a period [from, to) and the filter's tickets; which event of a ticket
// puts it in the period is said per report (see docs/reports.md). Durations are milliseconds;
// "business" durations are each ticket's SLA clock on its target's calendar. Read-only: each
// runs inside the caller's read transaction.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/report.h"
#include "store/repo.h"

namespace chamado::store {

// Reports cover at most this many days: a year and a day, so any calendar year fits.
inline constexpr int64_t kMaxReportDays = 366;

// Checks a filter's period: `to` after `from`, at most kMaxReportDays long.
Result<void> CheckPeriod(const ReportFilter& f);

// A filter as people write it: the API's query parameters and the command line's flags, by
// the same names. `from` and `to` are dates (2026-03-01: `from` its 00:00 UTC, `to` through
// the end of that day) or instants; by default the 30 days before `now`. `plan` and
// `priority` must be the policy's; `group`, `agent` and `organization` are ids. Refused,
// naming the parameter, otherwise.
struct ReportQuery {
  std::optional<std::string> from, to, plan, priority, group, agent, organization;
};
Result<ReportFilter> ParseReportFilter(const ReportQuery& q, const sla::Policy& policy, Instant now);

// Time to first response (tickets first answered in the period) or to solve (tickets solved in
// the period), in calendar time and in business time.
struct TimeFigures {
  core::DurationSummary calendar;
  core::DurationSummary business;  // only tickets whose target had a clock that stopped
};
struct TimesReport {
  TimeFigures all;
  std::vector<std::pair<std::string, TimeFigures>> by_priority;  // most urgent first
};
struct ResponseTimesReport {
  TimesReport first_response, resolution;
};
Result<ResponseTimesReport> ResponseTimes(Repo& repo, const ReportFilter& f);

// SLA achievement: clocks met or breached in the period, per target and priority, then the
// target's total (priority empty). Targets in the order first_response, next_response,
// resolution; targets with no decided clock are left out.
struct SlaRow {
  sla::Target target = sla::Target::kResolution;
  std::string priority;  // empty: all priorities of the target
  core::Achievement achievement;
};
Result<std::vector<SlaRow>> SlaAchievement(Repo& repo, const ReportFilter& f);

// The backlog at the end of each UTC day of the period (the last day's figure is at `to`
// when the period ends mid-day), with the tickets created and solved that day.
struct BacklogDay {
  Instant day;  // the day's start (UTC)
  int64_t created = 0, solved = 0, open = 0;
};
Result<std::vector<BacklogDay>> BacklogReport(Repo& repo, const ReportFilter& f);

// Tickets created and solved in the period, per channel (channels with neither left out).
struct ChannelRow {
  std::string channel;
  int64_t created = 0, solved = 0;
};
Result<std::vector<ChannelRow>> ChannelReport(Repo& repo, const ReportFilter& f);

// Tickets solved in the period, per resolution ("none": solved without one, as when a
// customer solves their own ticket), with each one's share of them.
struct OutcomeRow {
  std::string resolution;
  int64_t count = 0;
  std::optional<double> share;
};
Result<std::vector<OutcomeRow>> OutcomeReport(Repo& repo, const ReportFilter& f);

// Satisfaction of the tickets solved in the period: how many were answered, the mean rating,
// the response rate (answered / solved) and how many gave each rating.
struct SatisfactionReport {
  int64_t solved = 0, answered = 0;
  std::optional<double> mean_rating, response_rate;
  std::array<int64_t, 5> by_rating{};  // [0] is rating 1
};
Result<SatisfactionReport> Satisfaction(Repo& repo, const ReportFilter& f);

// One CSV line (RFC 4180, CRLF): cells quoted when they hold a comma, a quote or a line
// break; a cell starting with = + - @ gets a leading ' so a spreadsheet never runs it.
std::string CsvLine(const std::vector<std::string>& cells);

// Each report as CSV, a header line first. Durations in minutes, shares as fractions.
std::string ResponseTimesCsv(const ResponseTimesReport& r);
std::string SlaCsv(const std::vector<SlaRow>& rows);
std::string BacklogCsv(const std::vector<BacklogDay>& days);
std::string ChannelsCsv(const std::vector<ChannelRow>& rows);
std::string OutcomesCsv(const std::vector<OutcomeRow>& rows);
std::string SatisfactionCsv(const SatisfactionReport& r);

}  // namespace chamado::store
