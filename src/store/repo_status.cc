#include "store/repo_status.h"

#include <boost/json.hpp>

namespace chamado::store {
namespace json = boost::json;
namespace {

constexpr std::string_view kProbeKinds[] = {"http", "tcp"};
constexpr std::string_view kIncidentStates[] = {"investigating", "identified", "monitoring", "resolved"};

std::string TextsText(const core::Texts& t) {
  json::object o;
  for (const auto& [lang, text] : t) o[lang] = text;
  return json::serialize(o);
}

core::Texts TextsOf(std::string_view stored) {
  core::Texts out;
  boost::system::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [lang, text] : v.as_object())
    if (text.is_string()) out.emplace_back(std::string(lang), std::string(text.as_string()));
  return out;
}

std::optional<Instant> OptInstant(const RowView& r, int col) {
  auto v = r.OptInt(col);
  return v ? std::optional<Instant>(FromUnixMillis(*v)) : std::nullopt;
}
std::optional<int64_t> OptMillis(std::optional<Instant> t) {
  return t ? std::optional<int64_t>(ToUnixMillis(*t)) : std::nullopt;
}

StatusComponent ComponentOf(const RowView& r) {
  StatusComponent c;
  c.id = r.Int(0);
  c.key = r.Str(1);
  c.names = TextsOf(r.Text(2));
  c.descriptions = TextsOf(r.Text(3));
  c.position = int(r.Int(4));
  c.created_at = FromUnixMillis(r.Int(5));
  c.rolled_until = OptInstant(r, 6);
  return c;
}

#define PROBE_COLUMNS \
  "id, component_id, kind, target, expect_status, expect_body, interval_ms, timeout_ms, retries, active, next_run_at, created_at"
StatusProbe ProbeOf(const RowView& r) {
  StatusProbe p;
  p.id = r.Int(0);
  p.component_id = r.Int(1);
  p.kind = ParseProbeKind(r.Text(2)).value_or(ProbeKind::kHttp);
  p.target = r.Str(3);
  if (auto s = r.OptInt(4)) p.expect_status = int(*s);
  p.expect_body = r.Str(5);
  p.interval = status::Millis(r.Int(6));
  p.timeout = status::Millis(r.Int(7));
  p.retries = int(r.Int(8));
  p.active = r.Int(9) != 0;
  p.next_run_at = FromUnixMillis(r.Int(10));
  p.created_at = FromUnixMillis(r.Int(11));
  return p;
}

StatusSample SampleOf(const RowView& r) {
  return {r.Int(0), FromUnixMillis(r.Int(1)), r.Int(2) != 0, r.Int(3), int(r.Int(4)), r.Str(5)};
}

#define INCIDENT_COLUMNS "id, titles, state, started_at, resolved_at, created_by, created_at, updated_at"
Incident IncidentOf(const RowView& r) {
  Incident i;
  i.id = r.Int(0);
  i.titles = TextsOf(r.Text(1));
  i.state = ParseIncidentState(r.Text(2)).value_or(IncidentState::kInvestigating);
  i.started_at = FromUnixMillis(r.Int(3));
  i.resolved_at = OptInstant(r, 4);
  i.created_by = r.OptInt(5);
  i.created_at = FromUnixMillis(r.Int(6));
  i.updated_at = FromUnixMillis(r.Int(7));
  return i;
}

#define MAINTENANCE_COLUMNS "id, titles, bodies, starts_at, ends_at, created_by, created_at"
Maintenance MaintenanceOf(const RowView& r) {
  Maintenance m;
  m.id = r.Int(0);
  m.titles = TextsOf(r.Text(1));
  m.bodies = TextsOf(r.Text(2));
  m.starts_at = FromUnixMillis(r.Int(3));
  m.ends_at = FromUnixMillis(r.Int(4));
  m.created_by = r.OptInt(5);
  m.created_at = FromUnixMillis(r.Int(6));
  return m;
}

}  // namespace

std::string_view Name(ProbeKind k) { return kProbeKinds[int(k)]; }
std::optional<ProbeKind> ParseProbeKind(std::string_view s) {
  for (int i = 0; i < 2; ++i)
    if (kProbeKinds[i] == s) return ProbeKind(i);
  return std::nullopt;
}
std::string_view Name(IncidentState s) { return kIncidentStates[int(s)]; }
std::optional<IncidentState> ParseIncidentState(std::string_view s) {
  for (int i = 0; i < 4; ++i)
    if (kIncidentStates[i] == s) return IncidentState(i);
  return std::nullopt;
}

// Components.

Result<std::vector<StatusComponent>> StatusRepo::Components() {
  std::vector<StatusComponent> out;
  CHAMADO_TRY(c_.Run("SELECT id, key, names, descriptions, position, created_at, rolled_until FROM status_components ORDER BY position, id", {},
                     [&](const RowView& r) { out.push_back(ComponentOf(r)); }));
  return out;
}

Result<std::optional<StatusComponent>> StatusRepo::Component(core::Id id) {
  std::optional<StatusComponent> out;
  CHAMADO_TRY(c_.Run("SELECT id, key, names, descriptions, position, created_at, rolled_until FROM status_components WHERE id = $1", {id},
                     [&](const RowView& r) { out = ComponentOf(r); }));
  return out;
}

Result<core::Id> StatusRepo::InsertComponent(const StatusComponent& c) {
  core::Id id = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO status_components (key, names, descriptions, position, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                     {c.key, TextsText(c.names), TextsText(c.descriptions), c.position, ToUnixMillis(c.created_at)},
                     [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<void> StatusRepo::UpdateComponent(const StatusComponent& c) {
  CHAMADO_TRY(c_.Run("UPDATE status_components SET key = $2, names = $3, descriptions = $4, position = $5 WHERE id = $1",
                     {c.id, c.key, TextsText(c.names), TextsText(c.descriptions), c.position}));
  return {};
}

Result<bool> StatusRepo::DeleteComponent(core::Id id) {
  auto n = c_.Run("DELETE FROM status_components WHERE id = $1", {id});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

// Probes.

Result<std::vector<StatusProbe>> StatusRepo::Probes(std::optional<core::Id> component) {
  std::vector<StatusProbe> out;
  CHAMADO_TRY(c_.Run("SELECT " PROBE_COLUMNS " FROM status_probes WHERE CAST($1 AS BIGINT) IS NULL OR component_id = $1 ORDER BY component_id, id",
                     {component}, [&](const RowView& r) { out.push_back(ProbeOf(r)); }));
  return out;
}

Result<std::optional<StatusProbe>> StatusRepo::Probe(core::Id id) {
  std::optional<StatusProbe> out;
  CHAMADO_TRY(c_.Run("SELECT " PROBE_COLUMNS " FROM status_probes WHERE id = $1", {id}, [&](const RowView& r) { out = ProbeOf(r); }));
  return out;
}

Result<core::Id> StatusRepo::InsertProbe(const StatusProbe& p) {
  core::Id id = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO status_probes (component_id, kind, target, expect_status, expect_body, interval_ms, timeout_ms, retries, "
                     "active, next_run_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                     {p.component_id, Name(p.kind), p.target, p.expect_status, p.expect_body, p.interval.count(), p.timeout.count(),
                      p.retries, p.active, ToUnixMillis(p.next_run_at), ToUnixMillis(p.created_at)},
                     [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<void> StatusRepo::UpdateProbe(const StatusProbe& p) {
  CHAMADO_TRY(c_.Run("UPDATE status_probes SET kind = $2, target = $3, expect_status = $4, expect_body = $5, interval_ms = $6, "
                     "timeout_ms = $7, retries = $8, active = $9, next_run_at = $10 WHERE id = $1",
                     {p.id, Name(p.kind), p.target, p.expect_status, p.expect_body, p.interval.count(), p.timeout.count(), p.retries,
                      p.active, ToUnixMillis(p.next_run_at)}));
  return {};
}

Result<bool> StatusRepo::DeleteProbe(core::Id id) {
  auto n = c_.Run("DELETE FROM status_probes WHERE id = $1", {id});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<std::vector<StatusProbe>> StatusRepo::DueProbes(Instant now, int limit) {
  std::vector<StatusProbe> out;
  CHAMADO_TRY(c_.Run("SELECT " PROBE_COLUMNS " FROM status_probes WHERE active = 1 AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2",
                     {ToUnixMillis(now), limit}, [&](const RowView& r) { out.push_back(ProbeOf(r)); }));
  return out;
}

Result<std::optional<Instant>> StatusRepo::NextProbeDue() {
  std::optional<Instant> out;
  CHAMADO_TRY(c_.Run("SELECT min(next_run_at) FROM status_probes WHERE active = 1", {},
                     [&](const RowView& r) { out = OptInstant(r, 0); }));
  return out;
}

Result<void> StatusRepo::SetProbeNextRun(core::Id probe, Instant at) {
  CHAMADO_TRY(c_.Run("UPDATE status_probes SET next_run_at = $2 WHERE id = $1", {probe, ToUnixMillis(at)}));
  return {};
}

// Samples and rollups.

Result<void> StatusRepo::InsertSample(const StatusSample& s) {
  CHAMADO_TRY(c_.Run("INSERT INTO status_samples (probe_id, at, up, latency_ms, attempts, error) VALUES ($1, $2, $3, $4, $5, $6) "
                     "ON CONFLICT (probe_id, at) DO UPDATE SET up = excluded.up, latency_ms = excluded.latency_ms, "
                     "attempts = excluded.attempts, error = excluded.error",
                     {s.probe_id, ToUnixMillis(s.at), s.up, s.latency_ms, s.attempts, s.error}));
  return {};
}

Result<std::vector<StatusSample>> StatusRepo::Samples(core::Id probe, Instant from, Instant to) {
  std::vector<StatusSample> out;
  CHAMADO_TRY(c_.Run("SELECT probe_id, at, up, latency_ms, attempts, error FROM status_samples WHERE probe_id = $1 AND at < $2 "
                     "ORDER BY at DESC LIMIT 1",
                     {probe, ToUnixMillis(from)}, [&](const RowView& r) { out.push_back(SampleOf(r)); }));
  CHAMADO_TRY(c_.Run("SELECT probe_id, at, up, latency_ms, attempts, error FROM status_samples WHERE probe_id = $1 AND at >= $2 AND at < $3 "
                     "ORDER BY at",
                     {probe, ToUnixMillis(from), ToUnixMillis(to)}, [&](const RowView& r) { out.push_back(SampleOf(r)); }));
  return out;
}

Result<std::optional<StatusSample>> StatusRepo::LatestSample(core::Id probe) {
  std::optional<StatusSample> out;
  CHAMADO_TRY(c_.Run("SELECT probe_id, at, up, latency_ms, attempts, error FROM status_samples WHERE probe_id = $1 ORDER BY at DESC LIMIT 1",
                     {probe}, [&](const RowView& r) { out = SampleOf(r); }));
  return out;
}

Result<int64_t> StatusRepo::DeleteSamplesBefore(core::Id probe, Instant before) {
  return c_.Run("DELETE FROM status_samples WHERE probe_id = $1 AND at < $2", {probe, ToUnixMillis(before)});
}

Result<void> StatusRepo::AddRollup(core::Id component, status::Millis bucket, const status::Observed& o) {
  CHAMADO_TRY(c_.Run("INSERT INTO status_rollups (component_id, bucket_ms, start_at, up_ms, down_ms) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (component_id, start_at, bucket_ms) DO UPDATE SET up_ms = status_rollups.up_ms + excluded.up_ms, "
                     "down_ms = status_rollups.down_ms + excluded.down_ms",
                     {component, bucket.count(), ToUnixMillis(o.from), o.up.count(), o.down.count()}));
  return {};
}

Result<std::vector<status::Observed>> StatusRepo::Rollups(core::Id component, Instant from, Instant to) {
  std::vector<status::Observed> out;
  CHAMADO_TRY(c_.Run("SELECT start_at, bucket_ms, up_ms, down_ms FROM status_rollups WHERE component_id = $1 AND start_at >= $2 "
                     "AND start_at < $3 ORDER BY start_at",
                     {component, ToUnixMillis(from), ToUnixMillis(to)}, [&](const RowView& r) {
                       const Instant start = FromUnixMillis(r.Int(0));
                       out.push_back({start, start + status::Millis(r.Int(1)), status::Millis(r.Int(2)), status::Millis(r.Int(3))});
                     }));
  return out;
}

Result<int64_t> StatusRepo::RollMinutesIntoHours(core::Id component, Instant before) {
  CHAMADO_TRY(c_.Run("INSERT INTO status_rollups (component_id, bucket_ms, start_at, up_ms, down_ms) "
                     "SELECT component_id, 3600000, start_at - start_at % 3600000, sum(up_ms), sum(down_ms) FROM status_rollups "
                     "WHERE component_id = $1 AND bucket_ms = 60000 AND start_at < $2 GROUP BY component_id, start_at - start_at % 3600000 "
                     "ON CONFLICT (component_id, start_at, bucket_ms) DO UPDATE SET up_ms = status_rollups.up_ms + excluded.up_ms, "
                     "down_ms = status_rollups.down_ms + excluded.down_ms",
                     {component, ToUnixMillis(before)}));
  return c_.Run("DELETE FROM status_rollups WHERE component_id = $1 AND bucket_ms = 60000 AND start_at < $2", {component, ToUnixMillis(before)});
}

Result<void> StatusRepo::SetRolledUntil(core::Id component, Instant until) {
  CHAMADO_TRY(c_.Run("UPDATE status_components SET rolled_until = $2 WHERE id = $1", {component, ToUnixMillis(until)}));
  return {};
}

// Incidents.

Result<void> StatusRepo::FillIncident(Incident& i) {
  CHAMADO_TRY(c_.Run("SELECT component_id, impact FROM status_incident_components WHERE incident_id = $1 ORDER BY component_id", {i.id},
                     [&](const RowView& r) {
                       i.components.push_back({r.Int(0), status::ParseImpact(r.Text(1)).value_or(status::Impact::kMajor)});
                     }));
  CHAMADO_TRY(c_.Run("SELECT id, incident_id, state, bodies, at, author_id, notified FROM status_incident_updates WHERE incident_id = $1 "
                     "ORDER BY at, id",
                     {i.id}, [&](const RowView& r) {
                       IncidentUpdate u;
                       u.id = r.Int(0);
                       u.incident_id = r.Int(1);
                       u.state = ParseIncidentState(r.Text(2)).value_or(IncidentState::kInvestigating);
                       u.bodies = TextsOf(r.Text(3));
                       u.at = FromUnixMillis(r.Int(4));
                       u.author_id = r.OptInt(5);
                       u.notified = int(r.Int(6));
                       i.updates.push_back(std::move(u));
                     }));
  CHAMADO_TRY(c_.Run("SELECT ticket_number FROM status_incident_tickets WHERE incident_id = $1 ORDER BY ticket_number", {i.id},
                     [&](const RowView& r) { i.tickets.push_back(r.Int(0)); }));
  return {};
}

Result<std::vector<Incident>> StatusRepo::Incidents(Instant from, Instant to, int limit) {
  std::vector<Incident> out;
  CHAMADO_TRY(c_.Run("SELECT " INCIDENT_COLUMNS " FROM status_incidents WHERE started_at < $2 AND (resolved_at IS NULL OR resolved_at > $1) "
                     "ORDER BY started_at DESC, id DESC LIMIT $3",
                     {ToUnixMillis(from), ToUnixMillis(to), limit}, [&](const RowView& r) { out.push_back(IncidentOf(r)); }));
  for (auto& i : out) CHAMADO_TRY(FillIncident(i));
  return out;
}

Result<std::vector<Incident>> StatusRepo::OpenIncidents() {
  std::vector<Incident> out;
  CHAMADO_TRY(c_.Run("SELECT " INCIDENT_COLUMNS " FROM status_incidents WHERE resolved_at IS NULL ORDER BY started_at DESC, id DESC", {},
                     [&](const RowView& r) { out.push_back(IncidentOf(r)); }));
  for (auto& i : out) CHAMADO_TRY(FillIncident(i));
  return out;
}

Result<std::optional<Incident>> StatusRepo::GetIncident(core::Id id) {
  std::optional<Incident> out;
  CHAMADO_TRY(c_.Run("SELECT " INCIDENT_COLUMNS " FROM status_incidents WHERE id = $1", {id}, [&](const RowView& r) { out = IncidentOf(r); }));
  if (out) CHAMADO_TRY(FillIncident(*out));
  return out;
}

Result<void> StatusRepo::ReplaceIncidentComponents(const Incident& i) {
  CHAMADO_TRY(c_.Run("DELETE FROM status_incident_components WHERE incident_id = $1", {i.id}));
  for (const auto& a : i.components)
    CHAMADO_TRY(c_.Run("INSERT INTO status_incident_components (incident_id, component_id, impact) VALUES ($1, $2, $3)",
                       {i.id, a.component_id, status::Name(a.impact)}));
  return {};
}

Result<core::Id> StatusRepo::InsertIncident(const Incident& i) {
  Incident copy = i;
  CHAMADO_TRY(c_.Run("INSERT INTO status_incidents (titles, state, started_at, resolved_at, created_by, created_at, updated_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                     {TextsText(i.titles), Name(i.state), ToUnixMillis(i.started_at), OptMillis(i.resolved_at), i.created_by,
                      ToUnixMillis(i.created_at), ToUnixMillis(i.updated_at)},
                     [&](const RowView& r) { copy.id = r.Int(0); }));
  CHAMADO_TRY(ReplaceIncidentComponents(copy));
  return copy.id;
}

Result<void> StatusRepo::UpdateIncident(const Incident& i) {
  CHAMADO_TRY(c_.Run("UPDATE status_incidents SET titles = $2, state = $3, started_at = $4, resolved_at = $5, updated_at = $6 WHERE id = $1",
                     {i.id, TextsText(i.titles), Name(i.state), ToUnixMillis(i.started_at), OptMillis(i.resolved_at),
                      ToUnixMillis(i.updated_at)}));
  return ReplaceIncidentComponents(i);
}

Result<bool> StatusRepo::DeleteIncident(core::Id id) {
  auto n = c_.Run("DELETE FROM status_incidents WHERE id = $1", {id});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<core::Id> StatusRepo::InsertIncidentUpdate(const IncidentUpdate& u) {
  core::Id id = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO status_incident_updates (incident_id, state, bodies, at, author_id, notified) VALUES ($1, $2, $3, $4, $5, $6) "
                     "RETURNING id",
                     {u.incident_id, Name(u.state), TextsText(u.bodies), ToUnixMillis(u.at), u.author_id, u.notified},
                     [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<void> StatusRepo::SetUpdateNotified(core::Id update, int count) {
  CHAMADO_TRY(c_.Run("UPDATE status_incident_updates SET notified = $2 WHERE id = $1", {update, count}));
  return {};
}

Result<bool> StatusRepo::LinkTicket(core::Id incident, core::Id ticket_number, std::optional<core::Id> by, Instant at) {
  auto n = c_.Run("INSERT INTO status_incident_tickets (incident_id, ticket_number, linked_at, linked_by) VALUES ($1, $2, $3, $4) "
                  "ON CONFLICT (incident_id, ticket_number) DO NOTHING",
                  {incident, ticket_number, ToUnixMillis(at), by});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<bool> StatusRepo::UnlinkTicket(core::Id incident, core::Id ticket_number) {
  auto n = c_.Run("DELETE FROM status_incident_tickets WHERE incident_id = $1 AND ticket_number = $2", {incident, ticket_number});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<std::vector<core::Id>> StatusRepo::IncidentsOfTicket(core::Id ticket_number) {
  std::vector<core::Id> out;
  CHAMADO_TRY(c_.Run("SELECT incident_id FROM status_incident_tickets WHERE ticket_number = $1 ORDER BY incident_id", {ticket_number},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

// Maintenance.

Result<std::vector<Maintenance>> StatusRepo::MaintenanceWindows(Instant from, Instant to) {
  std::vector<Maintenance> out;
  CHAMADO_TRY(c_.Run("SELECT " MAINTENANCE_COLUMNS " FROM status_maintenance WHERE starts_at < $2 AND ends_at > $1 ORDER BY starts_at, id",
                     {ToUnixMillis(from), ToUnixMillis(to)}, [&](const RowView& r) { out.push_back(MaintenanceOf(r)); }));
  for (auto& m : out)
    CHAMADO_TRY(c_.Run("SELECT component_id FROM status_maintenance_components WHERE maintenance_id = $1 ORDER BY component_id", {m.id},
                       [&](const RowView& r) { m.components.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Maintenance>> StatusRepo::GetMaintenance(core::Id id) {
  std::optional<Maintenance> out;
  CHAMADO_TRY(c_.Run("SELECT " MAINTENANCE_COLUMNS " FROM status_maintenance WHERE id = $1", {id}, [&](const RowView& r) { out = MaintenanceOf(r); }));
  if (out)
    CHAMADO_TRY(c_.Run("SELECT component_id FROM status_maintenance_components WHERE maintenance_id = $1 ORDER BY component_id", {id},
                       [&](const RowView& r) { out->components.push_back(r.Int(0)); }));
  return out;
}

Result<void> StatusRepo::ReplaceMaintenanceComponents(const Maintenance& m) {
  CHAMADO_TRY(c_.Run("DELETE FROM status_maintenance_components WHERE maintenance_id = $1", {m.id}));
  for (core::Id c : m.components)
    CHAMADO_TRY(c_.Run("INSERT INTO status_maintenance_components (maintenance_id, component_id) VALUES ($1, $2)", {m.id, c}));
  return {};
}

Result<core::Id> StatusRepo::InsertMaintenance(const Maintenance& m) {
  Maintenance copy = m;
  CHAMADO_TRY(c_.Run("INSERT INTO status_maintenance (titles, bodies, starts_at, ends_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                     "RETURNING id",
                     {TextsText(m.titles), TextsText(m.bodies), ToUnixMillis(m.starts_at), ToUnixMillis(m.ends_at), m.created_by,
                      ToUnixMillis(m.created_at)},
                     [&](const RowView& r) { copy.id = r.Int(0); }));
  CHAMADO_TRY(ReplaceMaintenanceComponents(copy));
  return copy.id;
}

Result<void> StatusRepo::UpdateMaintenance(const Maintenance& m) {
  CHAMADO_TRY(c_.Run("UPDATE status_maintenance SET titles = $2, bodies = $3, starts_at = $4, ends_at = $5 WHERE id = $1",
                     {m.id, TextsText(m.titles), TextsText(m.bodies), ToUnixMillis(m.starts_at), ToUnixMillis(m.ends_at)}));
  return ReplaceMaintenanceComponents(m);
}

Result<bool> StatusRepo::DeleteMaintenance(core::Id id) {
  auto n = c_.Run("DELETE FROM status_maintenance WHERE id = $1", {id});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

// Subscribers.

#define SUBSCRIBER_COLUMNS "id, email, language, token, created_at, confirmed_at"
namespace {
StatusSubscriber SubscriberOf(const RowView& r) {
  return {r.Int(0), r.Str(1), r.Str(2), r.Str(3), FromUnixMillis(r.Int(4)), OptInstant(r, 5)};
}
}  // namespace

Result<std::vector<StatusSubscriber>> StatusRepo::Subscribers() {
  std::vector<StatusSubscriber> out;
  CHAMADO_TRY(c_.Run("SELECT " SUBSCRIBER_COLUMNS " FROM status_subscribers ORDER BY id", {},
                     [&](const RowView& r) { out.push_back(SubscriberOf(r)); }));
  return out;
}

Result<std::optional<StatusSubscriber>> StatusRepo::SubscriberByEmail(std::string_view email) {
  std::optional<StatusSubscriber> out;
  CHAMADO_TRY(c_.Run("SELECT " SUBSCRIBER_COLUMNS " FROM status_subscribers WHERE email = $1", {email},
                     [&](const RowView& r) { out = SubscriberOf(r); }));
  return out;
}

Result<std::optional<core::Id>> StatusRepo::InsertSubscriber(const StatusSubscriber& s) {
  std::optional<core::Id> id;
  CHAMADO_TRY(c_.Run("INSERT INTO status_subscribers (email, language, token, created_at, confirmed_at) VALUES ($1, $2, $3, $4, $5) "
                     "ON CONFLICT (email) DO NOTHING RETURNING id",
                     {s.email, s.language, s.token, ToUnixMillis(s.created_at), OptMillis(s.confirmed_at)},
                     [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<bool> StatusRepo::ConfirmSubscriber(std::string_view token, Instant at) {
  auto n = c_.Run("UPDATE status_subscribers SET confirmed_at = coalesce(confirmed_at, $2) WHERE token = $1", {token, ToUnixMillis(at)});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<bool> StatusRepo::DeleteSubscriber(core::Id id) {
  auto n = c_.Run("DELETE FROM status_subscribers WHERE id = $1", {id});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

Result<bool> StatusRepo::DeleteSubscriberByToken(std::string_view token) {
  auto n = c_.Run("DELETE FROM status_subscribers WHERE token = $1", {token});
  if (!n.ok()) return std::move(n).error();
  return *n > 0;
}

}  // namespace chamado::store
