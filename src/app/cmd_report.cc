// `chamado report feature-requests`: the tickets solved as feature requests, grouped by
// organization, as CSV on standard output (the same file GET /api/v1/reports/feature-requests
// gives), for the product team's spreadsheet or a script.
#include <iostream>

#include "app/cli.h"
#include "store/outcomes.h"

namespace chamado::app {

void AddReportCommand(CommandLine& cl) {
  auto* report = cl.app().add_subcommand("report", "Reports read from the tickets");
  report->require_subcommand(1);
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
