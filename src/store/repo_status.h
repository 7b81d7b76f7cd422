// The status page's aggregate of the repository (V026): components (status_components), their
// probes (status_probes) and samples (status_samples), the rollups old samples become
// (status_rollups), incidents with their components, updates and linked tickets
// (status_incidents, status_incident_components, status_incident_updates,
// status_incident_tickets), planned maintenance (status_maintenance,
// status_maintenance_components) and e-mail subscribers (status_subscribers).
//
// Like the other aggregates it runs inside the transaction the Store opened and never opens
// one; it does not own its connection and is used by one thread at a time. It is made on the
// Repo's connection where needed: StatusRepo s(repo.conn()). Instants are UTC milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "status/uptime.h"
#include "store/sql.h"

namespace chamado::store {

struct StatusComponent {
  core::Id id = 0;
  std::string key;  // slug
  core::Texts names, descriptions;
  int position = 0;
  Instant created_at{};
  std::optional<Instant> rolled_until;
};

// DO NOT CHANGE THE NAMES: stored in status_probes.kind.
enum class ProbeKind { kHttp, kTcp };
std::string_view Name(ProbeKind k);
std::optional<ProbeKind> ParseProbeKind(std::string_view s);

struct StatusProbe {
  core::Id id = 0;
  core::Id component_id = 0;
  ProbeKind kind = ProbeKind::kHttp;
  std::string target;                // http: URL; tcp: host:port
  std::optional<int> expect_status;  // none: any 2xx
  std::string expect_body;
  status::Millis interval{60'000}, timeout{10'000};
  int retries = 0;
  bool active = true;
  Instant next_run_at{};
  Instant created_at{};
  // How long one of its samples holds at most (status/uptime.h): its interval, plus the time
  // a check may take with its retries.
  status::Millis Hold() const { return interval + timeout * (retries + 1); }
};

struct StatusSample {
  core::Id probe_id = 0;
  Instant at{};
  bool up = false;
  int64_t latency_ms = 0;
  int attempts = 1;
  std::string error;
};

// DO NOT CHANGE THE NAMES: stored in status_incidents.state and written in the API.
enum class IncidentState { kInvestigating, kIdentified, kMonitoring, kResolved };
std::string_view Name(IncidentState s);
std::optional<IncidentState> ParseIncidentState(std::string_view s);

struct AffectedComponent {
  core::Id component_id = 0;
  status::Impact impact = status::Impact::kMajor;
};

struct IncidentUpdate {
  core::Id id = 0;
  core::Id incident_id = 0;
  IncidentState state = IncidentState::kInvestigating;
  core::Texts bodies;
  Instant at{};
  std::optional<core::Id> author_id;
  int notified = 0;
};

struct Incident {
  core::Id id = 0;
  core::Texts titles;
  IncidentState state = IncidentState::kInvestigating;
  Instant started_at{};
  std::optional<Instant> resolved_at;
  std::optional<core::Id> created_by;
  Instant created_at{}, updated_at{};
  std::vector<AffectedComponent> components;
  std::vector<IncidentUpdate> updates;  // oldest first
  std::vector<core::Id> tickets;        // linked ticket numbers, ascending
};

struct Maintenance {
  core::Id id = 0;
  core::Texts titles, bodies;
  Instant starts_at{}, ends_at{};
  std::optional<core::Id> created_by;
  Instant created_at{};
  std::vector<core::Id> components;
};

struct StatusSubscriber {
  core::Id id = 0;
  std::string email;
  std::string language;
  std::string token;  // the secret of its mails' links (confirm, unsubscribe)
  Instant created_at{};
  std::optional<Instant> confirmed_at;  // none: waiting for the address to confirm; no mail goes to it
};

class StatusRepo {
 public:
  explicit StatusRepo(Connection& c) : c_(c) {}

  // Components, by position then id.
  Result<std::vector<StatusComponent>> Components();
  Result<std::optional<StatusComponent>> Component(core::Id id);
  Result<core::Id> InsertComponent(const StatusComponent& c);
  Result<void> UpdateComponent(const StatusComponent& c);
  Result<bool> DeleteComponent(core::Id id);

  Result<std::vector<StatusProbe>> Probes(std::optional<core::Id> component);
  Result<std::optional<StatusProbe>> Probe(core::Id id);
  Result<core::Id> InsertProbe(const StatusProbe& p);
  Result<void> UpdateProbe(const StatusProbe& p);
  Result<bool> DeleteProbe(core::Id id);
  // Active probes due at `now`, earliest first, at most `limit`.
  Result<std::vector<StatusProbe>> DueProbes(Instant now, int limit);
  Result<std::optional<Instant>> NextProbeDue();
  Result<void> SetProbeNextRun(core::Id probe, Instant at);

  // A sample at an instant the probe already has replaces it (a check retried by a restart).
  Result<void> InsertSample(const StatusSample& s);
  // The probe's samples in [from, to), with the last one before `from` (it may still hold).
  Result<std::vector<StatusSample>> Samples(core::Id probe, Instant from, Instant to);
  Result<std::optional<StatusSample>> LatestSample(core::Id probe);
  Result<int64_t> DeleteSamplesBefore(core::Id probe, Instant before);

  // Adds to the bucket (or makes it).
  Result<void> AddRollup(core::Id component, status::Millis bucket, const status::Observed& o);
  // Buckets that start in [from, to), by start.
  Result<std::vector<status::Observed>> Rollups(core::Id component, Instant from, Instant to);
  // Minute buckets that start before `before` become hour buckets.
  Result<int64_t> RollMinutesIntoHours(core::Id component, Instant before);
  Result<void> SetRolledUntil(core::Id component, Instant until);

  // Incidents that overlap [from, to) (open ones too), newest first, whole.
  Result<std::vector<Incident>> Incidents(Instant from, Instant to, int limit);
  Result<std::vector<Incident>> OpenIncidents();
  Result<std::optional<Incident>> GetIncident(core::Id id);
  // Writes the incident's own row and replaces its components (not its updates or tickets).
  Result<core::Id> InsertIncident(const Incident& i);
  Result<void> UpdateIncident(const Incident& i);
  Result<bool> DeleteIncident(core::Id id);
  Result<core::Id> InsertIncidentUpdate(const IncidentUpdate& u);
  Result<void> SetUpdateNotified(core::Id update, int count);
  Result<bool> LinkTicket(core::Id incident, core::Id ticket_number, std::optional<core::Id> by, Instant at);
  Result<bool> UnlinkTicket(core::Id incident, core::Id ticket_number);
  // The incidents a ticket is linked to.
  Result<std::vector<core::Id>> IncidentsOfTicket(core::Id ticket_number);

  // Maintenance that overlaps [from, to), by start.
  Result<std::vector<Maintenance>> MaintenanceWindows(Instant from, Instant to);
  Result<std::optional<Maintenance>> GetMaintenance(core::Id id);
  Result<core::Id> InsertMaintenance(const Maintenance& m);
  Result<void> UpdateMaintenance(const Maintenance& m);
  Result<bool> DeleteMaintenance(core::Id id);

  Result<std::vector<StatusSubscriber>> Subscribers();
  // None when the address is already subscribed.
  Result<std::optional<core::Id>> InsertSubscriber(const StatusSubscriber& s);
  Result<bool> DeleteSubscriber(core::Id id);
  Result<bool> DeleteSubscriberByToken(std::string_view token);
  Result<std::optional<StatusSubscriber>> SubscriberByEmail(std::string_view email);
  // Confirms the subscription the token names; false when none does.
  Result<bool> ConfirmSubscriber(std::string_view token, Instant at);

 private:
  Result<void> ReplaceIncidentComponents(const Incident& i);
  Result<void> ReplaceMaintenanceComponents(const Maintenance& m);
  Result<void> FillIncident(Incident& i);

  Connection& c_;
};

}  // namespace chamado::store
