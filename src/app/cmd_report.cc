// `chamado report ...`: the support lead's reports as CSV on standard output, the same tables
// (and the same filter flags) as GET /api/v1/reports/... with format=csv, for a spreadsheet
// or a script (docs/reports.md). `feature-requests` is the product team's list.
#include <iostream>

#include "app/cli.h"
#include "store/outcomes.h"
#include "store/reports.h"

namespace chamado::app {
namespace {

// The filter flags every report takes, named as the API's query parameters.
struct FilterFlags {
  std::string from, to, plan, priority, group, agent, organization;

  void AddTo(CLI::App* c) {
    c->add_option("--from", from, "The period's start: a date (its 00:00 UTC) or an instant; default 30 days before --to");
    c->add_option("--to", to, "The period's end: a date (through the end of that day) or an instant; default now");
    c->add_option("--plan", plan, "Only tickets of organizations on this plan (a key of the policy's plans)");
    c->add_option("--priority", priority, "Only this priority");
    c->add_option("--group", group, "Only tickets of this group (id)");
    c->add_option("--agent", agent, "Only tickets assigned to this agent (id)");
    c->add_option("--organization", organization, "Only this organization's tickets (id)");
  }
  store::ReportQuery Query() const {
    auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    return {opt(from), opt(to), opt(plan), opt(priority), opt(group), opt(agent), opt(organization)};
  }
};

// A report: reads its rows under the filter and writes them as CSV.
using CsvReport = std::function<Result<std::string>(store::Repo&, const store::ReportFilter&)>;

template <class T>
CsvReport AsCsv(Result<T> (*read)(store::Repo&, const store::ReportFilter&), std::string (*csv)(const T&)) {
  return [read, csv](store::Repo& repo, const store::ReportFilter& f) -> Result<std::string> {
    CHAMADO_ASSIGN_OR_RETURN(auto rows, read(repo, f));
    return csv(rows);
  };
}

void AddFilteredReport(CommandLine& cl, CLI::App* report, const std::string& name, const std::string& help, CsvReport run) {
  auto* cmd = report->add_subcommand(name, help + ", as CSV on standard output");
  auto flags = std::make_shared<FilterFlags>();
  cl.AddDataOption(cmd);
  flags->AddTo(cmd);
  const core::Clock& clock = cl.clock();
  cl.OnRunInstalled(cmd, [flags, run, &clock, name](Installation& installation) {
    auto filter = store::ParseReportFilter(flags->Query(), *installation.store->policy(), clock.Now());
    if (!filter.ok()) return Fail(filter.error().message);
    auto csv = installation.store->ReadOne<std::string>([&](store::Repo& repo) { return run(repo, *filter); });
    if (!csv.ok()) return Fail(name + ": " + csv.error().message);
    std::cout << *csv;
    return 0;
  });
}

}  // namespace

void AddReportCommand(CommandLine& cl) {
  auto* report = cl.app().add_subcommand("report", "Reports read from the tickets");
  report->require_subcommand(1);
  AddFilteredReport(cl, report, "response-times", "First-response and resolution times (mean, median, p90; calendar and business time)",
                    AsCsv(&store::ResponseTimes, &store::ResponseTimesCsv));
  AddFilteredReport(cl, report, "sla", "SLA achievement per target and priority", AsCsv(&store::SlaAchievement, &store::SlaCsv));
  AddFilteredReport(cl, report, "backlog", "Backlog at the end of each UTC day", AsCsv(&store::BacklogReport, &store::BacklogCsv));
  AddFilteredReport(cl, report, "channels", "Tickets created and solved by channel", AsCsv(&store::ChannelReport, &store::ChannelsCsv));
  AddFilteredReport(cl, report, "outcomes", "Tickets solved, by resolution", AsCsv(&store::OutcomeReport, &store::OutcomesCsv));
  AddFilteredReport(cl, report, "satisfaction", "Survey ratings and response rate of the tickets solved",
                    AsCsv(&store::Satisfaction, &store::SatisfactionCsv));

  auto* features = report->add_subcommand(
      "feature-requests", "Tickets solved as feature requests, grouped by organization, as CSV on standard output");
  auto since = std::make_shared<std::string>();
  cl.AddDataOption(features);
  features->add_option("--since", *since, "Only those solved on or after this date (2026-03-01) or instant (UTC)");
  cl.OnRunInstalled(features, [since](Installation& installation) {
    std::optional<Instant> from;
    if (!since->empty()) {
      from = ParseIsoInstant(*since);
      if (!from) from = ParseIsoInstant(*since + "T00:00:00Z");
      if (!from) return Fail("--since: \"" + *since + "\" is not a date (2026-03-01) or an instant (2026-03-01T00:00:00Z).");
    }
    auto rows = installation.store->ReadOne<std::vector<store::Repo::FeatureRequestRow>>(
        [&](store::Repo& repo) { return repo.FeatureRequests(from, 1000000); });
    if (!rows.ok()) return Fail(rows.error().message);
    std::cout << store::FeatureRequestsCsv(*rows);
    return 0;
  });
}

}  // namespace chamado::app
