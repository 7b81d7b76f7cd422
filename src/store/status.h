// The status page over the store: what status/uptime.h computes, gathered from the tables
// (repo_status.h), and the commands that change components, probes, incidents and
// maintenance, each checking its input first (every problem named by its field).
//
// Functions taking a Repo run inside the caller's transaction; RollUpSamples opens its own
// short ones. Instants are UTC milliseconds; `now` is always a parameter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sla/policy.h"
#include "status/uptime.h"
#include "store/repo.h"
#include "store/repo_status.h"
#include "store/store.h"

namespace chamado::store {

// A component's figure over `window`, cut to [its creation, now): the policy's target for its
// key, rollups where raw samples were rolled up, samples after.
Result<status::Uptime> ComponentUptime(Repo& repo, const sla::StatusRules& rules, const StatusComponent& component,
                                       status::Window window, Instant now, bool explain);
// Its figure per day for the `days` local days up to now (the policy's zone), oldest first.
Result<std::vector<status::Uptime>> ComponentDays(Repo& repo, const sla::StatusRules& rules, const StatusComponent& component,
                                                  int days, Instant now);
// What the component is now: the worst open incident's impact, else its probes' last word:
// "operational", "degraded", "partial", "major", "maintenance" or "unknown".
Result<std::string> ComponentCondition(Repo& repo, const StatusComponent& component, Instant now);

struct RollupOptions {
  int raw_days = 7;      // samples older than this become per-minute rollups
  int minute_days = 90;  // per-minute rollups older than this become per-hour ones
};
struct Rolled {
  int64_t samples_deleted = 0;
  int64_t minute_rows = 0;
};
// Rolls every component's old samples up (per minute) and its old minutes into hours, a
// component per transaction; the uptime figures stay the same (status/uptime.h RollUp).
Result<Rolled> RollUpSamples(Store& store, const RollupOptions& options, Instant now);

// The commands' inputs, as the API and the command line give them.
struct ComponentInput {
  std::string key;
  core::Texts names, descriptions;
  int position = 0;
};
Result<StatusComponent> CreateComponent(Repo& repo, const ComponentInput& in, Instant now);
Result<StatusComponent> UpdateComponent(Repo& repo, core::Id id, const ComponentInput& in);

struct ProbeInput {
  std::string kind;  // http | tcp
  std::string target;
  std::optional<int> expect_status;
  std::string expect_body;
  int64_t interval_seconds = 60, timeout_seconds = 10;
  int retries = 0;
  bool active = true;
};
Result<StatusProbe> CreateProbe(Repo& repo, core::Id component, const ProbeInput& in, Instant now);
Result<StatusProbe> UpdateProbe(Repo& repo, core::Id id, const ProbeInput& in, Instant now);

struct IncidentInput {
  core::Texts titles;
  std::string state = "investigating";
  std::optional<Instant> started_at;   // none: now
  std::optional<Instant> resolved_at;  // with state resolved; none: now
  std::vector<std::pair<core::Id, std::string>> components;  // id, impact
};
// A new incident and, when `first_update` has text, its first update.
Result<Incident> CreateIncident(Repo& repo, const IncidentInput& in, const core::Texts& first_update, std::optional<core::Id> by,
                                Instant now);
Result<Incident> UpdateIncident(Repo& repo, core::Id id, const IncidentInput& in, Instant now);

// A timed public update; it moves the incident to `state` (resolving it sets its end, a later
// update reopens it). With `notify`, the requesters of the linked tickets get it by mail, in
// their language (the outbox, in this transaction; one mail per requester, threaded into the
// first of their linked tickets), and so do the subscribers who are not among them, with their
// unsubscribe link. Returns the update, with how many mails were queued.
struct UpdateInput {
  std::string state;
  core::Texts bodies;
  std::optional<Instant> at;  // none: now
  bool notify = false;
};
Result<IncidentUpdate> PostIncidentUpdate(Repo& repo, core::Id incident, const UpdateInput& in, std::optional<core::Id> by,
                                          Instant now);

// An e-mail subscriber to incident updates, added by an agent (confirmed at once; each mail's
// link unsubscribes). `token`: the links' secret (auth::NewToken). A second subscription of an
// address is a conflict.
Result<StatusSubscriber> AddSubscriber(Repo& repo, std::string_view email, std::string_view language, std::string token,
                                       Instant now);
// A visitor asks to subscribe from the status page: the address gets a mail whose link confirms
// (status_subscription); nothing else is sent to it until then. An address already confirmed
// gets nothing, one waiting gets the link again, so the answer never tells who subscribed.
Result<void> RequestSubscription(Repo& repo, std::string_view email, std::string_view language, std::string token, Instant now);
// The confirmation link's token: the subscription starts (again: nothing changes). NotFound
// when the token names none (unsubscribed since).
Result<void> ConfirmSubscription(Repo& repo, std::string_view token, Instant now);

struct MaintenanceInput {
  core::Texts titles, bodies;
  std::optional<Instant> starts_at, ends_at;
  std::vector<core::Id> components;
};
Result<Maintenance> CreateMaintenance(Repo& repo, const MaintenanceInput& in, std::optional<core::Id> by, Instant now);
Result<Maintenance> UpdateMaintenance(Repo& repo, core::Id id, const MaintenanceInput& in);

}  // namespace chamado::store
