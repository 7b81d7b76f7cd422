// GET /metrics for Prometheus (docs/metrics.md): the desk's gauges read from the store in one
// read transaction, then this process's HTTP latency histograms. Who may scrape is the
// operator's choice ([metrics] access): loopback clients only (the default), a bearer token,
// or nobody.
#include "auth/credentials.h"
#include "http/api_impl.h"
#include "http/metrics.h"
#include "store/repo_status.h"

namespace chamado::http {
namespace {

bool Loopback(std::string_view a) {
  return a.starts_with("127.") || a == "::1" || a.starts_with("::ffff:127.");
}

double Seconds(std::chrono::milliseconds ms) { return double(ms.count()) / 1000.0; }

Labels ProbeLabels(const std::string& component, const store::StatusProbe& p) {
  return {{"component", component}, {"probe", std::to_string(p.id)}, {"kind", std::string(store::Name(p.kind))}};
}

}  // namespace

void Api::Impl::Metrics(Call c) {
  if (options.metrics_access == "off")
    return Fail(c, Error::NotFound("This desk does not serve metrics ([metrics] access is off)."));
  if (options.metrics_access == "token") {
    const std::string_view auth = c.req.Header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (options.metrics_token.empty() || !auth.starts_with(kBearer) ||
        !auth::SameSecret(auth.substr(kBearer.size()), options.metrics_token))
      return Fail(c, Error::Unauthenticated("Scraping /metrics takes the bearer token of [metrics] token."));
  } else if (!Loopback(ClientAddress(c.req, options.trusted_proxies))) {
    return Fail(c, Error::PermissionDenied("/metrics answers only clients on this machine ([metrics] access = \"local\"); "
                                           "set access = \"token\" to scrape from elsewhere."));
  }
  const Instant now = clock.Now();
  auto g = Read<store::ReportRepo::Gauges>([&](store::Repo& repo) { return repo.ReadGauges(now); });
  if (!g.ok()) return Fail(c, g.error());
  // The status page's probes (docs/status-page.md): each one's last check, so an alert can
  // fire on a component the status page would show down.
  struct ProbeState {
    std::string component;
    store::StatusProbe probe;
    store::StatusSample sample;
  };
  auto probes = Read<std::vector<ProbeState>>([&](store::Repo& repo) -> Result<std::vector<ProbeState>> {
    std::vector<ProbeState> out;
    store::StatusRepo status(repo.conn());
    CHAMADO_ASSIGN_OR_RETURN(auto components, status.Components());
    for (const auto& component : components) {
      CHAMADO_ASSIGN_OR_RETURN(auto list, status.Probes(component.id));
      for (auto& probe : list) {
        if (!probe.active) continue;
        CHAMADO_ASSIGN_OR_RETURN(auto sample, status.LatestSample(probe.id));
        if (sample) out.push_back({component.key, std::move(probe), std::move(*sample)});
      }
    }
    return out;
  });
  if (!probes.ok()) return Fail(c, probes.error());
  MetricsText m;
  m.Family("chamado_tickets", "gauge", "Tickets by status and priority.");
  for (const auto& t : g->tickets) m.Sample("chamado_tickets", {{"status", t.a}, {"priority", t.b}}, double(t.count));
  m.Family("chamado_sla_clocks", "gauge", "SLA clocks by target and state, as last computed (met and breached are the clocks' outcomes so far).");
  for (const auto& k : g->clocks) m.Sample("chamado_sla_clocks", {{"target", k.a}, {"state", k.b}}, double(k.count));
  m.Family("chamado_sla_overdue_clocks", "gauge", "Running clocks whose due instant has passed and that the scheduler has not yet marked breached.");
  for (const auto& k : g->overdue_clocks) m.Sample("chamado_sla_overdue_clocks", {{"target", k.a}}, double(k.count));
  m.Family("chamado_outbox_pending", "gauge", "Notifications not yet delivered, by kind (email, webhook).");
  for (const auto& o : g->outbox) m.Sample("chamado_outbox_pending", {{"kind", o.kind}}, double(o.pending));
  m.Family("chamado_outbox_oldest_pending_age_seconds", "gauge", "Age of the oldest notification not yet delivered, by kind.");
  for (const auto& o : g->outbox)
    if (o.oldest) m.Sample("chamado_outbox_oldest_pending_age_seconds", {{"kind", o.kind}}, Seconds(std::max(now - *o.oldest, std::chrono::milliseconds(0))));
  m.Family("chamado_scheduler_lag_seconds", "gauge",
           "How long the earliest due scheduler work (an SLA warning or breach, an automation) has been waiting; 0 when nothing is overdue.");
  m.Sample("chamado_scheduler_lag_seconds", {},
           g->earliest_due && *g->earliest_due < now ? Seconds(now - *g->earliest_due) : 0.0);
  m.Family("chamado_mail_received", "gauge", "Inbound emails kept, by what became of them (opened, appended, ignored).");
  for (const auto& k : g->mail) m.Sample("chamado_mail_received", {{"outcome", k.a}}, double(k.count));
  m.Family("chamado_status_probe_up", "gauge", "The last check of each active status probe: 1 up, 0 down.");
  for (const auto& p : *probes)
    m.Sample("chamado_status_probe_up", ProbeLabels(p.component, p.probe), p.sample.up ? 1.0 : 0.0);
  m.Family("chamado_status_probe_duration_seconds", "gauge", "How long the last check of each active status probe took.");
  for (const auto& p : *probes)
    m.Sample("chamado_status_probe_duration_seconds", ProbeLabels(p.component, p.probe), double(p.sample.latency_ms) / 1000.0);
  m.Family("chamado_status_probe_last_check_age_seconds", "gauge",
           "Time since the last check of each active status probe; past its interval, the probes are not running.");
  for (const auto& p : *probes)
    m.Sample("chamado_status_probe_last_check_age_seconds", ProbeLabels(p.component, p.probe),
             Seconds(std::max(now - p.sample.at, std::chrono::milliseconds(0))));
  request_metrics.Write(m);
  Response res;
  res.body = m.text();
  res.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  res.Set("Cache-Control", "no-store");
  c.reply(std::move(res));
}

}  // namespace chamado::http
