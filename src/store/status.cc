#include "store/status.h"

#include <algorithm>

#include "core/languages.h"
#include "core/text.h"
#include "store/mail_out.h"

namespace chamado::store {
namespace {

using status::Millis;

constexpr Millis kMinute{60'000};
constexpr Millis kHour{3'600'000};
constexpr int64_t kDayMs = 86'400'000;

// The component's incidents and maintenance over [from, to), as spans for the domain. An open
// incident lasts until `to`.
Result<void> Spans(StatusRepo& s, core::Id component, Instant from, Instant to, std::vector<status::IncidentSpan>& incidents,
                   std::vector<status::MaintenanceSpan>& maintenance) {
  CHAMADO_ASSIGN_OR_RETURN(auto found, s.Incidents(from, to, 100000));
  for (const auto& i : found)
    for (const auto& a : i.components)
      if (a.component_id == component) incidents.push_back({i.id, i.started_at, i.resolved_at.value_or(to), a.impact});
  CHAMADO_ASSIGN_OR_RETURN(auto windows, s.MaintenanceWindows(from, to));
  for (const auto& m : windows)
    if (std::find(m.components.begin(), m.components.end(), component) != m.components.end())
      maintenance.push_back({m.id, m.starts_at, m.ends_at});
  return {};
}

// What the component's probes saw over [from, to): rollups before its rolled_until, raw
// samples after.
Result<std::vector<status::Observed>> Observed(StatusRepo& s, const StatusComponent& c, Instant from, Instant to) {
  std::vector<status::Observed> out;
  const Instant split = std::clamp(c.rolled_until.value_or(from), from, to);
  if (from < split) {
    // A bucket that starts before `from` may reach into it: start an hour early and clip.
    CHAMADO_ASSIGN_OR_RETURN(auto rolled, s.Rollups(c.id, from - kHour, split));
    for (auto& o : rolled) {
      if (o.to <= from) continue;
      if (o.from < from) {
        const Millis len = o.to - o.from, kept = o.to - from;
        o.up = Millis(o.up.count() * kept.count() / len.count());
        o.down = Millis(o.down.count() * kept.count() / len.count());
        o.from = from;
      }
      out.push_back(o);
    }
  }
  if (split < to) {
    CHAMADO_ASSIGN_OR_RETURN(auto probes, s.Probes(c.id));
    std::vector<status::ProbeSamples> series;
    for (const auto& p : probes) {
      CHAMADO_ASSIGN_OR_RETURN(auto samples, s.Samples(p.id, split, to));
      status::ProbeSamples ps{p.Hold(), {}};
      for (const auto& x : samples) ps.samples.push_back({x.at, x.up});
      series.push_back(std::move(ps));
    }
    auto raw = status::CombineProbes(series, split, to);
    out.insert(out.end(), raw.begin(), raw.end());
  }
  return out;
}

status::CountingRules RulesFor(const sla::StatusRules& rules, const StatusComponent& c) {
  return {rules.TargetFor(c.key), rules.partial_weight};
}

std::optional<FieldError> TextsProblem(const core::Texts& texts, const std::string& field, bool required) {
  if (required && texts.empty()) return FieldError::Said(field, "status.texts_required");
  for (const auto& [lang, text] : texts) {
    if (!core::IsDeskLanguage(lang))
      return FieldError::Said(field + "." + lang, "status.not_desk_language", {{"value", lang}, {"languages", core::DeskLanguageList()}});
    if (required && Trim(text).empty()) return FieldError::Said(field + "." + lang, "status.text_empty");
  }
  return std::nullopt;
}

Result<void> CheckComponents(StatusRepo& s, const std::vector<core::Id>& ids, const std::string& field,
                             std::vector<FieldError>& problems) {
  for (size_t i = 0; i < ids.size(); ++i) {
    CHAMADO_ASSIGN_OR_RETURN(auto c, s.Component(ids[i]));
    if (!c) problems.push_back(FieldError::Said(field + "[" + std::to_string(i) + "]", "status.component_missing", {{"id", std::to_string(ids[i])}}));
  }
  return {};
}

}  // namespace

Result<status::Uptime> ComponentUptime(Repo& repo, const sla::StatusRules& rules, const StatusComponent& component,
                                       status::Window window, Instant now, bool explain) {
  StatusRepo s(repo.conn());
  const Instant from = std::max(window.from, component.created_at);
  const Instant to = std::max(from, std::min(window.to, now));
  if (from == to) return status::ComputeUptime(from, to, {}, {}, {}, RulesFor(rules, component), explain);
  CHAMADO_ASSIGN_OR_RETURN(auto seen, Observed(s, component, from, to));
  std::vector<status::IncidentSpan> incidents;
  std::vector<status::MaintenanceSpan> maintenance;
  CHAMADO_TRY(Spans(s, component.id, from, to, incidents, maintenance));
  return status::ComputeUptime(from, to, seen, incidents, maintenance, RulesFor(rules, component), explain);
}

Result<std::vector<status::Uptime>> ComponentDays(Repo& repo, const sla::StatusRules& rules, const StatusComponent& component,
                                                  int days, Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto cuts, status::DayCuts(now, days, rules.time_zone));
  // Days before the component existed and the part of today still to come count nothing.
  for (auto& c : cuts) c = std::clamp(c, std::min(component.created_at, now), now);
  const Instant from = cuts.front(), to = cuts.back();
  if (from == to) return std::vector<status::Uptime>(size_t(days), status::ComputeUptime(from, to, {}, {}, {}, RulesFor(rules, component), false));
  CHAMADO_ASSIGN_OR_RETURN(auto seen, Observed(s, component, from, to));
  std::vector<status::IncidentSpan> incidents;
  std::vector<status::MaintenanceSpan> maintenance;
  CHAMADO_TRY(Spans(s, component.id, from, to, incidents, maintenance));
  // Equal cuts make empty days; the domain wants ascending ones, so compute on the distinct
  // cuts and give empty days their empty figure.
  std::vector<Instant> distinct = cuts;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  auto figures = status::ComputeUptimes(distinct, seen, incidents, maintenance, RulesFor(rules, component));
  std::vector<status::Uptime> out;
  size_t k = 0;
  for (size_t d = 0; d + 1 < cuts.size(); ++d) {
    if (cuts[d] == cuts[d + 1]) {
      out.push_back(status::ComputeUptime(cuts[d], cuts[d], {}, {}, {}, RulesFor(rules, component), false));
    } else {
      out.push_back(figures[k++]);
    }
  }
  return out;
}

Result<std::string> ComponentCondition(Repo& repo, const StatusComponent& component, Instant now) {
  StatusRepo s(repo.conn());
  // The probes' word: down when one says so, unknown when one has no sample holding.
  bool any = false, any_down = false, any_unknown = false;
  CHAMADO_ASSIGN_OR_RETURN(auto probes, s.Probes(component.id));
  for (const auto& p : probes) {
    if (!p.active) continue;
    any = true;
    CHAMADO_ASSIGN_OR_RETURN(auto last, s.LatestSample(p.id));
    if (!last || last->at + p.Hold() < now) any_unknown = true;
    else if (!last->up) any_down = true;
  }
  const std::string probed = any_down ? "major" : (!any || any_unknown) ? "unknown" : "operational";
  std::optional<status::Impact> worst;
  CHAMADO_ASSIGN_OR_RETURN(auto open, s.OpenIncidents());
  for (const auto& i : open)
    for (const auto& a : i.components)
      if (a.component_id == component.id && i.started_at <= now && (!worst || a.impact > *worst)) worst = a.impact;
  if (worst) return probed == "major" ? probed : std::string(status::Name(*worst));
  CHAMADO_ASSIGN_OR_RETURN(auto windows, s.MaintenanceWindows(now, now + Millis(1)));
  for (const auto& m : windows)
    if (std::find(m.components.begin(), m.components.end(), component.id) != m.components.end()) return std::string("maintenance");
  return probed;
}

Result<Rolled> RollUpSamples(Store& store, const RollupOptions& options, Instant now) {
  Rolled total;
  auto components = store.Read<std::vector<StatusComponent>>([](Repo& r) { return StatusRepo(r.conn()).Components(); });
  if (!components.ok()) return std::move(components).error();
  // Whole minutes only, so a bucket is never rolled twice.
  const int64_t raw_cut_ms = ToUnixMillis(now) - int64_t(options.raw_days) * kDayMs;
  const Instant raw_cut = FromUnixMillis(raw_cut_ms - raw_cut_ms % kMinute.count());
  const int64_t hour_cut_ms = ToUnixMillis(now) - int64_t(options.minute_days) * kDayMs;
  const Instant hour_cut = FromUnixMillis(hour_cut_ms - hour_cut_ms % kHour.count());
  for (const auto& c : *components) {
    auto done = store.WriteSync<Rolled>([&](Repo& r) -> Result<Rolled> {
      StatusRepo s(r.conn());
      Rolled rolled;
      const Instant from = c.rolled_until.value_or(c.created_at - c.created_at.time_since_epoch() % kMinute);
      if (from < raw_cut) {
        CHAMADO_ASSIGN_OR_RETURN(auto seen, Observed(s, c, from, raw_cut));
        for (const auto& o : status::RollUp(seen, from, raw_cut, kMinute)) {
          CHAMADO_TRY(s.AddRollup(c.id, kMinute, o));
          ++rolled.minute_rows;
        }
        CHAMADO_ASSIGN_OR_RETURN(auto probes, s.Probes(c.id));
        // The last sample before the cut may still hold after it: it stays.
        for (const auto& p : probes) {
          CHAMADO_ASSIGN_OR_RETURN(auto kept, s.Samples(p.id, raw_cut, raw_cut));
          const Instant keep_from = kept.empty() ? raw_cut : kept.front().at;
          CHAMADO_ASSIGN_OR_RETURN(auto n, s.DeleteSamplesBefore(p.id, keep_from));
          rolled.samples_deleted += n;
        }
        CHAMADO_TRY(s.SetRolledUntil(c.id, raw_cut));
      }
      CHAMADO_TRY(s.RollMinutesIntoHours(c.id, hour_cut));
      return rolled;
    });
    if (!done.ok()) return std::move(done).error();
    total.samples_deleted += done->samples_deleted;
    total.minute_rows += done->minute_rows;
  }
  return total;
}

// Commands.

namespace {

// `in` applied to `c`, or every problem of it (a key another component has is a conflict).
Result<StatusComponent> ComponentOf(StatusRepo& s, StatusComponent c, const ComponentInput& in) {
  std::vector<FieldError> problems;
  if (!IsSlug(in.key)) problems.push_back(FieldError::Said("key", "status.component_key"));
  if (auto p = TextsProblem(in.names, "names", true)) problems.push_back(*p);
  if (auto p = TextsProblem(in.descriptions, "descriptions", false)) problems.push_back(*p);
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  CHAMADO_ASSIGN_OR_RETURN(auto all, s.Components());
  for (const auto& other : all)
    if (other.key == in.key && other.id != c.id) return Error::Said(ErrorCode::kConflict, "status.component_key_taken", {{"key", in.key}});
  c.key = in.key;
  c.names = in.names;
  c.descriptions = in.descriptions;
  c.position = in.position;
  return c;
}

}  // namespace

Result<StatusComponent> CreateComponent(Repo& repo, const ComponentInput& in, Instant now) {
  StatusRepo s(repo.conn());
  StatusComponent base;
  base.created_at = now;
  CHAMADO_ASSIGN_OR_RETURN(auto c, ComponentOf(s, base, in));
  CHAMADO_ASSIGN_OR_RETURN(c.id, s.InsertComponent(c));
  return c;
}

Result<StatusComponent> UpdateComponent(Repo& repo, core::Id id, const ComponentInput& in) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto old, s.Component(id));
  if (!old) return Error::Said(ErrorCode::kNotFound, "status.component_missing", {{"id", std::to_string(id)}});
  CHAMADO_ASSIGN_OR_RETURN(auto c, ComponentOf(s, *old, in));
  CHAMADO_TRY(s.UpdateComponent(c));
  return c;
}

namespace {

// The probe `in` describes, or every problem of it.
Result<StatusProbe> ProbeOf(const ProbeInput& in) {
  std::vector<FieldError> problems;
  StatusProbe p;
  auto kind = ParseProbeKind(in.kind);
  if (!kind) problems.push_back(FieldError::Said("kind", "status.probe_kind"));
  else p.kind = *kind;
  if (kind == ProbeKind::kHttp && !(in.target.starts_with("http://") || in.target.starts_with("https://")))
    problems.push_back(FieldError::Said("target", "status.probe_http_target"));
  if (kind == ProbeKind::kTcp) {
    const size_t colon = in.target.rfind(':');
    const std::string port = colon == std::string::npos ? "" : in.target.substr(colon + 1);
    const bool digits = !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (colon == 0 || !digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
      problems.push_back(FieldError::Said("target", "status.probe_tcp_target"));
    if (in.expect_status || !in.expect_body.empty())
      problems.push_back(FieldError::Said("expect_status", "status.probe_tcp_expect"));
  }
  if (in.expect_status && (*in.expect_status < 100 || *in.expect_status > 599))
    problems.push_back(FieldError::Said("expect_status", "status.probe_http_status"));
  if (in.interval_seconds < 10 || in.interval_seconds > 86'400)
    problems.push_back(FieldError::Said("interval_seconds", "status.probe_interval"));
  if (in.timeout_seconds < 1 || in.timeout_seconds >= in.interval_seconds)
    problems.push_back(FieldError::Said("timeout_seconds", "status.probe_timeout"));
  if (in.retries < 0 || in.retries > 5) problems.push_back(FieldError::Said("retries", "status.probe_retries"));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  p.target = in.target;
  p.expect_status = in.expect_status;
  p.expect_body = in.expect_body;
  p.interval = Millis(in.interval_seconds * 1000);
  p.timeout = Millis(in.timeout_seconds * 1000);
  p.retries = in.retries;
  p.active = in.active;
  return p;
}

}  // namespace

Result<StatusProbe> CreateProbe(Repo& repo, core::Id component, const ProbeInput& in, Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto c, s.Component(component));
  if (!c) return Error::Said(ErrorCode::kNotFound, "status.component_missing", {{"id", std::to_string(component)}});
  CHAMADO_ASSIGN_OR_RETURN(auto p, ProbeOf(in));
  p.component_id = component;
  p.created_at = now;
  p.next_run_at = now;
  CHAMADO_ASSIGN_OR_RETURN(p.id, s.InsertProbe(p));
  return p;
}

Result<StatusProbe> UpdateProbe(Repo& repo, core::Id id, const ProbeInput& in, Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto old, s.Probe(id));
  if (!old) return Error::Said(ErrorCode::kNotFound, "status.probe_missing", {{"id", std::to_string(id)}});
  CHAMADO_ASSIGN_OR_RETURN(auto p, ProbeOf(in));
  p.id = id;
  p.component_id = old->component_id;
  p.created_at = old->created_at;
  p.next_run_at = std::min(old->next_run_at, now + p.interval);
  CHAMADO_TRY(s.UpdateProbe(p));
  return p;
}

namespace {

// The incident `in` describes over `base` (a new one: empty), or every problem of it.
Result<Incident> IncidentOf(StatusRepo& s, Incident base, const IncidentInput& in, Instant now) {
  std::vector<FieldError> problems;
  if (auto p = TextsProblem(in.titles, "titles", true)) problems.push_back(*p);
  auto state = ParseIncidentState(in.state);
  if (!state) problems.push_back(FieldError::Said("state", "status.incident_state"));
  std::vector<core::Id> ids;
  base.components.clear();
  for (size_t i = 0; i < in.components.size(); ++i) {
    auto impact = status::ParseImpact(in.components[i].second);
    if (!impact) problems.push_back(FieldError::Said("components[" + std::to_string(i) + "].impact", "status.impact"));
    else base.components.push_back({in.components[i].first, *impact});
    ids.push_back(in.components[i].first);
  }
  CHAMADO_TRY(CheckComponents(s, ids, "components", problems));
  base.started_at = in.started_at.value_or(base.id ? base.started_at : now);
  if (state == IncidentState::kResolved) base.resolved_at = in.resolved_at.value_or(base.resolved_at.value_or(now));
  else base.resolved_at.reset();
  if (base.resolved_at && *base.resolved_at < base.started_at)
    problems.push_back(FieldError::Said("resolved_at", "status.resolved_before_start"));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  base.titles = in.titles;
  base.state = *state;
  base.updated_at = now;
  return base;
}

}  // namespace

Result<Incident> CreateIncident(Repo& repo, const IncidentInput& in, const core::Texts& first_update, std::optional<core::Id> by,
                                Instant now) {
  StatusRepo s(repo.conn());
  Incident base;
  base.created_at = now;
  base.created_by = by;
  CHAMADO_ASSIGN_OR_RETURN(auto i, IncidentOf(s, base, in, now));
  if (auto p = TextsProblem(first_update, "update", false)) return Error::Invalid({*p});
  CHAMADO_ASSIGN_OR_RETURN(i.id, s.InsertIncident(i));
  if (!first_update.empty()) {
    IncidentUpdate u;
    u.incident_id = i.id;
    u.state = i.state;
    u.bodies = first_update;
    u.at = i.started_at;
    u.author_id = by;
    CHAMADO_ASSIGN_OR_RETURN(u.id, s.InsertIncidentUpdate(u));
  }
  CHAMADO_ASSIGN_OR_RETURN(auto stored, s.GetIncident(i.id));
  return *stored;
}

Result<Incident> UpdateIncident(Repo& repo, core::Id id, const IncidentInput& in, Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto old, s.GetIncident(id));
  if (!old) return Error::Said(ErrorCode::kNotFound, "status.incident_missing", {{"id", std::to_string(id)}});
  CHAMADO_ASSIGN_OR_RETURN(auto i, IncidentOf(s, *old, in, now));
  CHAMADO_TRY(s.UpdateIncident(i));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, s.GetIncident(id));
  return *stored;
}

Result<IncidentUpdate> PostIncidentUpdate(Repo& repo, core::Id incident, const UpdateInput& in, std::optional<core::Id> by,
                                          Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto i, s.GetIncident(incident));
  if (!i) return Error::Said(ErrorCode::kNotFound, "status.incident_missing", {{"id", std::to_string(incident)}});
  std::vector<FieldError> problems;
  auto state = ParseIncidentState(in.state);
  if (!state) problems.push_back(FieldError::Said("state", "status.incident_state"));
  if (auto p = TextsProblem(in.bodies, "bodies", true)) problems.push_back(*p);
  const Instant at = in.at.value_or(now);
  if (at < i->started_at) problems.push_back(FieldError::Said("at", "status.update_before_start"));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  IncidentUpdate u;
  u.incident_id = incident;
  u.state = *state;
  u.bodies = in.bodies;
  u.at = at;
  u.author_id = by;
  CHAMADO_ASSIGN_OR_RETURN(u.id, s.InsertIncidentUpdate(u));
  i->state = *state;
  if (*state == IncidentState::kResolved) i->resolved_at = at;
  else i->resolved_at.reset();
  i->updated_at = now;
  CHAMADO_TRY(s.UpdateIncident(*i));
  if (!in.notify) return u;
  std::vector<core::Id> told;  // requesters
  for (core::Id number : i->tickets) {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(number));
    if (!t || std::find(told.begin(), told.end(), t->requester_id) != told.end()) continue;
    told.push_back(t->requester_id);
    CHAMADO_TRY(QueueIncidentMail(repo, *t, incident, u.id, now));
  }
  u.notified = int(told.size());
  std::vector<std::string> told_addresses;
  for (core::Id person : told) {
    CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(person));
    if (user) told_addresses.push_back(user->email);
  }
  CHAMADO_ASSIGN_OR_RETURN(auto subscribers, s.Subscribers());
  for (const auto& sub : subscribers) {
    if (!sub.confirmed_at || std::find(told_addresses.begin(), told_addresses.end(), sub.email) != told_addresses.end()) continue;
    CHAMADO_TRY(QueueSubscriberMail(repo, sub, incident, u.id, now));
    ++u.notified;
  }
  CHAMADO_TRY(s.SetUpdateNotified(u.id, u.notified));
  return u;
}

namespace {

// The subscriber `email` and `language` describe, or every problem of them.
Result<StatusSubscriber> SubscriberOf(std::string_view email, std::string_view language, std::string token, Instant now) {
  std::vector<FieldError> problems;
  StatusSubscriber sub;
  sub.email = NormalizeEmail(email);
  if (sub.email.empty()) problems.push_back(FieldError::Said("email", "status.email_invalid", {{"value", std::string(email)}}));
  if (!core::IsDeskLanguage(language))
    problems.push_back(
        FieldError::Said("language", "status.not_desk_language", {{"value", std::string(language)}, {"languages", core::DeskLanguageList()}}));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  sub.language = std::string(language);
  sub.token = std::move(token);
  sub.created_at = now;
  return sub;
}

}  // namespace

Result<StatusSubscriber> AddSubscriber(Repo& repo, std::string_view email, std::string_view language, std::string token,
                                       Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto sub, SubscriberOf(email, language, std::move(token), now));
  sub.confirmed_at = now;
  CHAMADO_ASSIGN_OR_RETURN(auto id, StatusRepo(repo.conn()).InsertSubscriber(sub));
  if (!id) return Error::Said(ErrorCode::kConflict, "status.subscribed_already", {{"email", sub.email}});
  sub.id = *id;
  return sub;
}

Result<void> RequestSubscription(Repo& repo, std::string_view email, std::string_view language, std::string token, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto sub, SubscriberOf(email, language, std::move(token), now));
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto known, s.SubscriberByEmail(sub.email));
  if (known && known->confirmed_at) return Ok();
  if (known) return QueueSubscriptionMail(repo, *known, now);
  CHAMADO_ASSIGN_OR_RETURN(auto id, s.InsertSubscriber(sub));
  sub.id = id.value_or(0);
  return QueueSubscriptionMail(repo, sub, now);
}

Result<void> ConfirmSubscription(Repo& repo, std::string_view token, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(bool found, StatusRepo(repo.conn()).ConfirmSubscriber(token, now));
  if (!found) return Error::Said(ErrorCode::kNotFound, "status.confirmation_invalid");
  return Ok();
}

namespace {

// The maintenance `in` describes, or every problem of it.
Result<Maintenance> MaintenanceOf(StatusRepo& s, const MaintenanceInput& in) {
  std::vector<FieldError> problems;
  if (auto p = TextsProblem(in.titles, "titles", true)) problems.push_back(*p);
  if (auto p = TextsProblem(in.bodies, "bodies", false)) problems.push_back(*p);
  if (!in.starts_at) problems.push_back(FieldError::Said("starts_at", "status.maintenance_starts"));
  if (!in.ends_at) problems.push_back(FieldError::Said("ends_at", "status.maintenance_ends"));
  if (in.starts_at && in.ends_at && *in.ends_at <= *in.starts_at) problems.push_back(FieldError::Said("ends_at", "status.maintenance_order"));
  if (in.components.empty()) problems.push_back(FieldError::Said("components", "status.maintenance_components"));
  CHAMADO_TRY(CheckComponents(s, in.components, "components", problems));
  if (!problems.empty()) return Error::Invalid(std::move(problems));
  Maintenance m;
  m.titles = in.titles;
  m.bodies = in.bodies;
  m.starts_at = *in.starts_at;
  m.ends_at = *in.ends_at;
  m.components = in.components;
  return m;
}

}  // namespace

Result<Maintenance> CreateMaintenance(Repo& repo, const MaintenanceInput& in, std::optional<core::Id> by, Instant now) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto m, MaintenanceOf(s, in));
  m.created_at = now;
  m.created_by = by;
  CHAMADO_ASSIGN_OR_RETURN(m.id, s.InsertMaintenance(m));
  return m;
}

Result<Maintenance> UpdateMaintenance(Repo& repo, core::Id id, const MaintenanceInput& in) {
  StatusRepo s(repo.conn());
  CHAMADO_ASSIGN_OR_RETURN(auto old, s.GetMaintenance(id));
  if (!old) return Error::Said(ErrorCode::kNotFound, "status.maintenance_missing", {{"id", std::to_string(id)}});
  CHAMADO_ASSIGN_OR_RETURN(auto m, MaintenanceOf(s, in));
  m.id = id;
  m.created_at = old->created_at;
  m.created_by = old->created_by;
  CHAMADO_TRY(s.UpdateMaintenance(m));
  return m;
}

}  // namespace chamado::store
