// `chamado status components | uptime | maintenance add | incident open | incident update`:
// the status page from a script (a deploy that plans its maintenance window, a monitor that
// declares an incident, a monthly availability report). The same commands and figures as the
// API (store/status.h); texts given here are English.
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "store/status.h"

namespace chamado::app {
namespace {

struct StatusArgs {
  std::string component, month, window, from, to, title, text, state = "investigating";
  std::vector<std::string> components;  // keys, or key:impact for incidents
  bool explain = false;
  int64_t incident = 0;
};

std::string Seconds(status::Millis ms) {
  std::ostringstream out;
  out << ms.count() / 1000;
  if (ms.count() % 1000) out << "." << std::to_string(1000 + ms.count() % 1000).substr(1);
  return out.str();
}

// The component with the key, or an error naming it.
Result<store::StatusComponent> ByKey(store::Repo& repo, const std::string& key) {
  CHAMADO_ASSIGN_OR_RETURN(auto all, store::StatusRepo(repo.conn()).Components());
  for (auto& c : all)
    if (c.key == key) return c;
  std::string keys;
  for (const auto& c : all) keys += (keys.empty() ? "" : ", ") + c.key;
  return Error::NotFound("There is no component \"" + key + "\"" + (keys.empty() ? " (there is none yet)." : "; the components are " + keys + "."));
}

Result<Instant> InstantArg(const std::string& flag, const std::string& text) {
  auto t = ParseIsoInstant(text);
  if (!t) return Error::InvalidArgument(flag + ": \"" + text + "\" is not an instant; write RFC 3339 with an offset, such as 2026-03-02T14:00:00Z.");
  return *t;
}

int Components(const CommandLine& cl, Installation& inst) {
  const Instant now = cl.clock().Now();
  auto rows = inst.store->Read<std::vector<std::string>>([&](store::Repo& repo) -> Result<std::vector<std::string>> {
    store::StatusRepo s(repo.conn());
    CHAMADO_ASSIGN_OR_RETURN(auto all, s.Components());
    std::vector<std::string> out;
    for (const auto& c : all) {
      CHAMADO_ASSIGN_OR_RETURN(auto condition, store::ComponentCondition(repo, c, now));
      CHAMADO_ASSIGN_OR_RETURN(auto probes, s.Probes(c.id));
      out.push_back(c.key + "\t" + std::string(core::TextFor(c.names, "en")) + "\t" + condition + "\t" + std::to_string(probes.size()));
    }
    return out;
  });
  if (!rows.ok()) return Fail(rows.error().message);
  std::cout << "key\tname\tcondition\tprobes\n";
  for (const auto& r : *rows) std::cout << r << "\n";
  return 0;
}

int Uptime(const CommandLine& cl, Installation& inst, const StatusArgs& a) {
  if (!a.month.empty() && !a.window.empty()) return Fail("Give --month or --window, not both.");
  if (!a.window.empty() && a.window != "30d" && a.window != "90d") return Fail("--window: the rolling windows are 30d and 90d.");
  const Instant now = cl.clock().Now();
  const auto policy = inst.store->policy();
  status::Window w{now - std::chrono::days(a.window == "90d" ? 90 : 30), now};
  if (!a.month.empty()) {
    auto m = status::MonthWindow(a.month, policy->status.time_zone);
    if (!m.ok()) return Fail("--month: " + m.error().message);
    w = *m;
  }
  auto figure = inst.store->Read<status::Uptime>([&](store::Repo& repo) -> Result<status::Uptime> {
    CHAMADO_ASSIGN_OR_RETURN(auto c, ByKey(repo, a.component));
    return store::ComponentUptime(repo, policy->status, c, w, now, a.explain);
  });
  if (!figure.ok()) return Fail(figure.error().message);
  const auto& u = *figure;
  std::cout << "component\t" << a.component << "\nfrom\t" << FormatIsoUtc(u.from) << "\nto\t" << FormatIsoUtc(u.to) << "\nuptime_percent\t"
            << (u.percent ? std::to_string(*u.percent) : "unknown") << "\nlower_bound_percent\t" << std::to_string(u.lower_bound_percent)
            << "\ntarget_percent\t" << std::to_string(u.target_percent) << "\nmet\t"
            << (u.percent ? (*u.percent >= u.target_percent ? "yes" : "no") : "unknown") << "\nup_seconds\t" << Seconds(u.up)
            << "\ndown_seconds\t" << Seconds(u.down) << "\nunknown_seconds\t" << Seconds(u.unknown) << "\nmaintenance_seconds\t"
            << Seconds(u.maintenance) << "\nbudget_seconds\t" << Seconds(u.budget) << "\nbudget_left_seconds\t" << Seconds(u.budget_left) << "\n";
  if (a.explain) {
    std::cout << "\nfrom\tto\tstate\tup_seconds\tdown_seconds\tunknown_seconds\tmaintenance_seconds\tincident\tmaintenance\n";
    for (const auto& p : u.explanation)
      std::cout << FormatIsoUtc(p.from) << "\t" << FormatIsoUtc(p.to) << "\t" << status::Name(p.state) << "\t" << Seconds(p.up) << "\t"
                << Seconds(p.down) << "\t" << Seconds(p.unknown) << "\t" << Seconds(p.excluded) << "\t"
                << (p.incident_id ? std::to_string(p.incident_id) : "") << "\t" << (p.maintenance_id ? std::to_string(p.maintenance_id) : "") << "\n";
  }
  return 0;
}

int AddMaintenance(const CommandLine& cl, Installation& inst, const StatusArgs& a) {
  auto from = InstantArg("--from", a.from);
  if (!from.ok()) return Fail(from.error().message);
  auto to = InstantArg("--to", a.to);
  if (!to.ok()) return Fail(to.error().message);
  const Instant now = cl.clock().Now();
  auto made = inst.store->WriteSync<store::Maintenance>([&](store::Repo& repo) -> Result<store::Maintenance> {
    store::MaintenanceInput in;
    in.titles = {{"en", a.title}};
    if (!a.text.empty()) in.bodies = {{"en", a.text}};
    in.starts_at = *from;
    in.ends_at = *to;
    for (const auto& key : a.components) {
      CHAMADO_ASSIGN_OR_RETURN(auto c, ByKey(repo, key));
      in.components.push_back(c.id);
    }
    return store::CreateMaintenance(repo, in, std::nullopt, now);
  });
  if (!made.ok()) return FailWithProblems("the maintenance", made.error());
  std::cout << made->id << "\n";
  return 0;
}

int OpenIncident(const CommandLine& cl, Installation& inst, const StatusArgs& a) {
  const Instant now = cl.clock().Now();
  auto made = inst.store->WriteSync<store::Incident>([&](store::Repo& repo) -> Result<store::Incident> {
    store::IncidentInput in;
    in.titles = {{"en", a.title}};
    in.state = a.state;
    if (!a.from.empty()) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, InstantArg("--from", a.from));
      in.started_at = t;
    }
    for (const auto& spec : a.components) {
      const size_t colon = spec.find(':');
      CHAMADO_ASSIGN_OR_RETURN(auto c, ByKey(repo, spec.substr(0, colon)));
      in.components.emplace_back(c.id, colon == std::string::npos ? "major" : spec.substr(colon + 1));
    }
    core::Texts first;
    if (!a.text.empty()) first = {{"en", a.text}};
    return store::CreateIncident(repo, in, first, std::nullopt, now);
  });
  if (!made.ok()) return FailWithProblems("the incident", made.error());
  std::cout << made->id << "\n";
  return 0;
}

int UpdateIncident(const CommandLine& cl, Installation& inst, const StatusArgs& a) {
  const Instant now = cl.clock().Now();
  auto posted = inst.store->WriteSync<store::IncidentUpdate>([&](store::Repo& repo) {
    return store::PostIncidentUpdate(repo, a.incident, {a.state, {{"en", a.text}}, std::nullopt}, std::nullopt, now);
  });
  if (!posted.ok()) return FailWithProblems("the update", posted.error());
  std::cout << "incident " << a.incident << " is " << store::Name(posted->state) << "\n";
  return 0;
}

}  // namespace

void AddStatusCommand(CommandLine& cl) {
  auto a = std::make_shared<StatusArgs>();
  auto* status = cl.app().add_subcommand("status", "The status page: components, uptime, maintenance and incidents");
  status->require_subcommand(1);

  auto* components = status->add_subcommand("components", "List the components with their condition now (tab-separated)");
  cl.AddDataOption(components);
  cl.OnRunInstalled(components, [&cl](Installation& inst) { return Components(cl, inst); });

  auto* uptime = status->add_subcommand("uptime", "A component's time-weighted uptime over a month or a rolling window (tab-separated)");
  cl.AddDataOption(uptime);
  uptime->add_option("--component", a->component, "The component's key")->required();
  uptime->add_option("--month", a->month, "A calendar month in the policy's [status] time_zone, such as 2026-03");
  uptime->add_option("--window", a->window, "A rolling window ending now: 30d (the default) or 90d");
  uptime->add_flag("--explain", a->explain, "Also list every interval that makes the figure");
  cl.OnRunInstalled(uptime, [&cl, a](Installation& inst) { return Uptime(cl, inst, *a); });

  auto* maintenance = status->add_subcommand("maintenance", "Planned maintenance");
  maintenance->require_subcommand(1);
  auto* add = maintenance->add_subcommand("add", "Plan a maintenance window (excluded from uptime); prints its id");
  cl.AddDataOption(add);
  add->add_option("--component", a->components, "A component's key (repeat for several)")->required();
  add->add_option("--from", a->from, "When it starts (RFC 3339)")->required();
  add->add_option("--to", a->to, "When it ends (RFC 3339)")->required();
  add->add_option("--title", a->title, "What is done, in English")->required();
  add->add_option("--text", a->text, "More about it, in English");
  cl.OnRunInstalled(add, [&cl, a](Installation& inst) { return AddMaintenance(cl, inst, *a); });

  auto* incident = status->add_subcommand("incident", "Incidents");
  incident->require_subcommand(1);
  auto* open = incident->add_subcommand("open", "Declare an incident; prints its id");
  cl.AddDataOption(open);
  open->add_option("--title", a->title, "Its title, in English")->required();
  open->add_option("--component", a->components, "key:impact (degraded, partial or major; major when left out); repeat for several");
  open->add_option("--state", a->state, "investigating (the default), identified, monitoring or resolved");
  open->add_option("--from", a->from, "When it started (RFC 3339); default now");
  open->add_option("--text", a->text, "Its first public update, in English");
  cl.OnRunInstalled(open, [&cl, a](Installation& inst) { return OpenIncident(cl, inst, *a); });
  auto* update = incident->add_subcommand("update", "Post a public update; resolved ends the incident");
  cl.AddDataOption(update);
  update->add_option("incident", a->incident, "The incident's id")->required();
  update->add_option("--state", a->state, "investigating, identified, monitoring or resolved")->required();
  update->add_option("--text", a->text, "The update, in English")->required();
  cl.OnRunInstalled(update, [&cl, a](Installation& inst) { return UpdateIncident(cl, inst, *a); });
}

}  // namespace chamado::app
