// /api/v1/status: the public status page (components and their condition, daily figures,
// incidents, maintenance; each component's uptime with its explanation; an Atom feed) and
// its management (components and probes by admins; incidents, their updates and linked
// tickets, and maintenance by agents). The figures are status/uptime.h's under the policy's
// [status]; the commands and their checks are store/status.h's.
#include <algorithm>

#include "core/languages.h"
#include "core/text.h"
#include "auth/credentials.h"
#include "http/api_impl.h"
#include "store/status.h"

namespace chamado::http {
namespace {

using store::Repo;
using store::StatusRepo;

constexpr int kDefaultDays = 90;
constexpr size_t kMaxTextBytes = 20000;

// ---- reading bodies ----

// A JSON object of desk language -> text ("names": {"en": "API"}).
std::optional<core::Texts> TextsField(Fields& f, std::string_view key) {
  const json::value* v = f.Raw(key);
  if (!v) return std::nullopt;
  core::Texts out;
  if (!v->is_object()) {
    f.Say(key, "status.texts_object");
    return out;
  }
  for (const auto& [lang, text] : v->as_object()) {
    if (!text.is_string() || text.as_string().size() > kMaxTextBytes) {
      f.Say(std::string(key) + "." + std::string(lang), "status.text_too_long", {{"bytes", std::to_string(kMaxTextBytes)}});
      continue;
    }
    out.emplace_back(std::string(lang), std::string(text.as_string()));
  }
  return out;
}

std::optional<Instant> InstantField(Fields& f, std::string_view key) {
  auto s = f.Str(key, 64);
  if (!s) return std::nullopt;
  auto t = ParseIsoInstant(*s);
  if (!t) f.Say(key, "status.instant", {{"value", *s}});
  return t;
}

Result<store::ComponentInput> ReadComponent(const json::object& body, store::ComponentInput in, bool create) {
  Fields f(body, {"key", "names", "descriptions", "position"});
  if (create) {
    f.Require("key", "the component's key, such as \"api\"");
    f.Require("names", "its name per language, such as {\"en\": \"API\"}");
  }
  if (auto k = f.Str("key", 64)) in.key = *k;
  if (auto n = TextsField(f, "names")) in.names = *n;
  if (auto d = TextsField(f, "descriptions")) in.descriptions = *d;
  if (auto p = f.Int("position")) in.position = int(*p);
  CHAMADO_TRY(f.Finish());
  return in;
}

Result<store::ProbeInput> ReadProbe(const json::object& body, store::ProbeInput in, bool create) {
  Fields f(body, {"kind", "target", "expect_status", "expect_body", "interval_seconds", "timeout_seconds", "retries", "active"});
  if (create) {
    f.Require("kind", "http or tcp");
    f.Require("target", "a URL (http) or host:port (tcp)");
  }
  if (auto k = f.Str("kind", 16)) in.kind = *k;
  if (auto t = f.Str("target", 2000)) in.target = *t;
  if (auto s = f.NullableInt("expect_status")) in.expect_status = *s ? std::optional<int>(int(**s)) : std::nullopt;
  if (auto b = f.Str("expect_body", 1000)) in.expect_body = *b;
  if (auto i = f.Int("interval_seconds")) in.interval_seconds = *i;
  if (auto t = f.Int("timeout_seconds")) in.timeout_seconds = *t;
  if (auto r = f.Int("retries")) in.retries = int(*r);
  if (auto a = f.Bool("active")) in.active = *a;
  CHAMADO_TRY(f.Finish());
  return in;
}

// "components": [{"id": 1, "impact": "major"}].
std::optional<std::vector<std::pair<Id, std::string>>> AffectedField(Fields& f, std::string_view key) {
  const json::value* v = f.Raw(key);
  if (!v) return std::nullopt;
  std::vector<std::pair<Id, std::string>> out;
  if (!v->is_array()) {
    f.Say(key, "status.components_list");
    return out;
  }
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const json::value& e = v->as_array()[i];
    const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
    const json::value* id = e.is_object() ? e.as_object().if_contains("id") : nullptr;
    const json::value* impact = e.is_object() ? e.as_object().if_contains("impact") : nullptr;
    if (!id || !id->is_int64() || !impact || !impact->is_string() || e.as_object().size() != 2) {
      f.Say(at, "status.component_entry");
      continue;
    }
    out.emplace_back(id->as_int64(), std::string(impact->as_string()));
  }
  return out;
}

Result<store::IncidentInput> ReadIncident(const json::object& body, store::IncidentInput in, core::Texts* update, bool create) {
  Fields f(body, create ? std::initializer_list<std::string_view>{"titles", "state", "started_at", "resolved_at", "components", "update"}
                        : std::initializer_list<std::string_view>{"titles", "state", "started_at", "resolved_at", "components"});
  if (create) f.Require("titles", "the incident's title per language, such as {\"en\": \"API errors\"}");
  if (auto t = TextsField(f, "titles")) in.titles = *t;
  if (auto s = f.Str("state", 32)) in.state = *s;
  if (auto t = InstantField(f, "started_at")) in.started_at = t;
  if (auto t = InstantField(f, "resolved_at")) in.resolved_at = t;
  if (auto a = AffectedField(f, "components")) in.components = *a;
  if (update)
    if (auto u = TextsField(f, "update")) *update = *u;
  CHAMADO_TRY(f.Finish());
  return in;
}

Result<store::MaintenanceInput> ReadMaintenance(const json::object& body, store::MaintenanceInput in, bool create) {
  Fields f(body, {"titles", "bodies", "starts_at", "ends_at", "components"});
  if (create) {
    f.Require("titles", "what is done, per language");
    f.Require("starts_at", "when it starts (RFC 3339)");
    f.Require("ends_at", "when it ends (RFC 3339)");
    f.Require("components", "the ids of the components it affects");
  }
  if (auto t = TextsField(f, "titles")) in.titles = *t;
  if (auto b = TextsField(f, "bodies")) in.bodies = *b;
  if (auto t = InstantField(f, "starts_at")) in.starts_at = t;
  if (auto t = InstantField(f, "ends_at")) in.ends_at = t;
  if (auto c = f.IntList("components", 100)) in.components = *c;
  CHAMADO_TRY(f.Finish());
  return in;
}

// ---- rendering ----

json::value Percent(const std::optional<double>& p) { return p ? json::value(*p) : json::value(nullptr); }

json::object ComponentJson(const store::StatusComponent& c, std::string_view language) {
  return json::object{{"id", c.id},
                      {"key", c.key},
                      {"name", core::TextFor(c.names, language)},
                      {"names", TextsJson(c.names)},
                      {"description", core::TextFor(c.descriptions, language)},
                      {"descriptions", TextsJson(c.descriptions)},
                      {"position", c.position},
                      {"created_at", InstantJson(c.created_at)}};
}

json::object SampleJson(const store::StatusSample& s) {
  return json::object{{"at", InstantJson(s.at)}, {"up", s.up}, {"latency_ms", s.latency_ms}, {"attempts", s.attempts}, {"error", s.error}};
}

json::object ProbeJson(const store::StatusProbe& p, const std::optional<store::StatusSample>& last) {
  return json::object{{"id", p.id},
                      {"component_id", p.component_id},
                      {"kind", store::Name(p.kind)},
                      {"target", p.target},
                      {"expect_status", p.expect_status ? json::value(*p.expect_status) : json::value(nullptr)},
                      {"expect_body", p.expect_body},
                      {"interval_seconds", p.interval.count() / 1000},
                      {"timeout_seconds", p.timeout.count() / 1000},
                      {"retries", p.retries},
                      {"active", p.active},
                      {"next_run_at", InstantJson(p.next_run_at)},
                      {"last_sample", last ? json::value(SampleJson(*last)) : json::value(nullptr)}};
}

json::object IncidentJson(const store::Incident& i, std::string_view language, bool staff) {
  json::array components, updates;
  for (const auto& a : i.components) components.push_back(json::object{{"id", a.component_id}, {"impact", status::Name(a.impact)}});
  // Newest first, as a status page reads.
  for (auto it = i.updates.rbegin(); it != i.updates.rend(); ++it) {
    json::object u{{"id", it->id},
                   {"state", store::Name(it->state)},
                   {"body", core::TextFor(it->bodies, language)},
                   {"bodies", TextsJson(it->bodies)},
                   {"at", InstantJson(it->at)}};
    if (staff) u["notified"] = it->notified;
    updates.push_back(std::move(u));
  }
  json::object o{{"id", i.id},
                 {"title", core::TextFor(i.titles, language)},
                 {"titles", TextsJson(i.titles)},
                 {"state", store::Name(i.state)},
                 {"started_at", InstantJson(i.started_at)},
                 {"resolved_at", InstantJson(i.resolved_at)},
                 {"components", std::move(components)},
                 {"updates", std::move(updates)}};
  if (staff) {
    json::array tickets;
    for (Id n : i.tickets) tickets.push_back(n);
    o["tickets"] = std::move(tickets);
  }
  return o;
}

json::object MaintenanceJson(const store::Maintenance& m, std::string_view language) {
  json::array components;
  for (Id c : m.components) components.push_back(c);
  return json::object{{"id", m.id},
                      {"title", core::TextFor(m.titles, language)},
                      {"titles", TextsJson(m.titles)},
                      {"body", core::TextFor(m.bodies, language)},
                      {"bodies", TextsJson(m.bodies)},
                      {"starts_at", InstantJson(m.starts_at)},
                      {"ends_at", InstantJson(m.ends_at)},
                      {"components", std::move(components)}};
}

json::object UptimeJson(const status::Uptime& u, Id component, std::string_view time_zone) {
  json::object o{{"component_id", component},
                 {"from", InstantJson(u.from)},
                 {"to", InstantJson(u.to)},
                 {"time_zone", time_zone},
                 {"percent", Percent(u.percent)},
                 {"lower_bound_percent", u.lower_bound_percent},
                 {"target_percent", u.target_percent},
                 {"met", u.percent ? json::value(*u.percent >= u.target_percent) : json::value(nullptr)},
                 {"total_ms", u.total.count()},
                 {"up_ms", u.up.count()},
                 {"down_ms", u.down.count()},
                 {"unknown_ms", u.unknown.count()},
                 {"maintenance_ms", u.maintenance.count()},
                 {"budget_ms", u.budget.count()},
                 {"budget_left_ms", u.budget_left.count()}};
  if (!u.explanation.empty() || u.total.count() == 0) {
    json::array pieces;
    for (const auto& p : u.explanation)
      pieces.push_back(json::object{{"from", InstantJson(p.from)},
                                    {"to", InstantJson(p.to)},
                                    {"state", status::Name(p.state)},
                                    {"up_ms", p.up.count()},
                                    {"down_ms", p.down.count()},
                                    {"unknown_ms", p.unknown.count()},
                                    {"maintenance_ms", p.excluded.count()},
                                    {"incident_id", p.incident_id ? json::value(p.incident_id) : json::value(nullptr)},
                                    {"maintenance_id", p.maintenance_id ? json::value(p.maintenance_id) : json::value(nullptr)}});
    o["explanation"] = std::move(pieces);
  }
  return o;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

// The reader's language: ?language= when it is a desk language, else the caller's.
std::string ReaderLanguage(const Call& c, const std::string& callers) {
  const auto asked = c.req.Query("language");
  return asked && core::IsDeskLanguage(*asked) ? std::string(*asked) : callers;
}

// DELETE of the row the path's id names: 204, or 404 when `remove` finds none.
// `missing`: the catalog sentence of its 404 ({id}).
void DeleteById(Api::Impl& api, Call c, const std::string& what, std::string_view missing, Result<bool> (StatusRepo::*remove)(core::Id)) {
  auto id = Api::Impl::PathId(c, 0, what);
  if (!id.ok()) return api.Fail(c, id.error());
  api.WriteThen<bool>(
      std::move(c),
      [id = *id, missing, remove](Repo& repo) -> Result<bool> {
        StatusRepo s(repo.conn());
        CHAMADO_ASSIGN_OR_RETURN(bool gone, (s.*remove)(id));
        if (!gone) return Error::Said(ErrorCode::kNotFound, missing, {{"id", std::to_string(id)}});
        return true;
      },
      [](bool&) { return Api::Impl::NoContent(); });
}

Result<Id> QueryDays(const Request& req) {
  auto d = req.Query("days");
  if (!d) return kDefaultDays;
  auto n = ParseId(*d);
  if (!n || *n > 366) return Error::InvalidSaid("days", "status.days");
  return *n;
}

}  // namespace

// ---- public ----

void Api::Impl::GetStatus(Call c) {
  auto days = QueryDays(c.req);
  if (!days.ok()) return Fail(c, days.error());
  const std::string language = ReaderLanguage(c, LanguageOf(c));
  const Instant now = clock.Now();
  const auto policy = store.policy();
  const sla::StatusRules& rules = policy->status;
  auto page = Read<json::object>([&](Repo& repo) -> Result<json::object> {
    StatusRepo s(repo.conn());
    CHAMADO_ASSIGN_OR_RETURN(auto cuts, status::DayCuts(now, int(*days), rules.time_zone));
    CHAMADO_ASSIGN_OR_RETURN(auto components, s.Components());
    json::array items;
    std::vector<std::string> dates;
    for (size_t d = 0; d + 1 < cuts.size(); ++d) {
      CHAMADO_ASSIGN_OR_RETURN(auto date, status::LocalDate(cuts[d], rules.time_zone));
      dates.push_back(std::move(date));
    }
    for (const auto& comp : components) {
      CHAMADO_ASSIGN_OR_RETURN(auto figures, store::ComponentDays(repo, rules, comp, int(*days), now));
      CHAMADO_ASSIGN_OR_RETURN(auto condition, store::ComponentCondition(repo, comp, now));
      // The period's figure is the days' sums (each day is cut at the same instants).
      status::Millis up{0}, down{0};
      json::array bars;
      for (const auto& f : figures) up += f.up, down += f.down;
      for (size_t d = 0; d < figures.size(); ++d)
        bars.push_back(json::object{{"date", dates[d]},
                                    {"percent", Percent(figures[d].percent)},
                                    {"up_ms", figures[d].up.count()},
                                    {"down_ms", figures[d].down.count()},
                                    {"unknown_ms", figures[d].unknown.count()},
                                    {"maintenance_ms", figures[d].maintenance.count()}});
      json::object o = ComponentJson(comp, language);
      o["condition"] = condition;
      o["percent"] = (up + down).count() > 0 ? json::value(100.0 * double(up.count()) / double((up + down).count())) : json::value(nullptr);
      o["target_percent"] = rules.TargetFor(comp.key);
      o["days"] = std::move(bars);
      items.push_back(std::move(o));
    }
    json::array open, history, maintenance;
    CHAMADO_ASSIGN_OR_RETURN(auto incidents, s.Incidents(cuts.front(), now + std::chrono::milliseconds(1), 200));
    for (const auto& i : incidents) (i.resolved_at ? history : open).push_back(IncidentJson(i, language, false));
    CHAMADO_ASSIGN_OR_RETURN(auto windows, s.MaintenanceWindows(now, now + std::chrono::days(366)));
    for (const auto& m : windows) maintenance.push_back(MaintenanceJson(m, language));
    return json::object{{"time_zone", rules.time_zone},
                        {"days", *days},
                        {"generated_at", InstantJson(now)},
                        {"components", std::move(items)},
                        {"incidents", std::move(open)},
                        {"maintenance", std::move(maintenance)},
                        {"history", std::move(history)}};
  });
  if (!page.ok()) return Fail(c, page.error());
  Json(c, 200, *page);
}

void Api::Impl::GetComponentUptime(Call c) {
  auto id = PathId(c, 0, "Component");
  if (!id.ok()) return Fail(c, id.error());
  const auto month = c.req.Query("month");
  const auto window = c.req.Query("window");
  const auto explain = c.req.Query("explain");
  if (month && window) return Fail(c, Error::InvalidSaid("window", "status.month_or_window"));
  if (window && *window != "30d" && *window != "90d")
    return Fail(c, Error::InvalidSaid("window", "status.window"));
  if (explain && *explain != "1" && *explain != "true" && *explain != "0" && *explain != "false")
    return Fail(c, Error::InvalidSaid("explain", "status.explain"));
  const bool explained = explain && (*explain == "1" || *explain == "true");
  const Instant now = clock.Now();
  const auto policy = store.policy();
  const sla::StatusRules& rules = policy->status;
  status::Window w{now - std::chrono::days(30), now};
  if (window && *window == "90d") w.from = now - std::chrono::days(90);
  if (month) {
    auto m = status::MonthWindow(*month, rules.time_zone);
    if (!m.ok()) return Fail(c, m.error());
    w = *m;
  }
  auto figure = Read<status::Uptime>([&](Repo& repo) -> Result<status::Uptime> {
    CHAMADO_ASSIGN_OR_RETURN(auto comp, StatusRepo(repo.conn()).Component(*id));
    if (!comp) return Error::Said(ErrorCode::kNotFound, "status.component_missing", {{"id", std::to_string(*id)}});
    return store::ComponentUptime(repo, rules, *comp, w, now, explained);
  });
  if (!figure.ok()) return Fail(c, figure.error());
  json::object o = UptimeJson(*figure, *id, rules.time_zone);
  if (!explained) o.erase("explanation");
  o["month"] = month ? json::value(*month) : json::value(nullptr);
  if (window) o["window"] = *window;
  else if (month) o["window"] = nullptr;
  else o["window"] = "30d";
  Json(c, 200, o);
}

void Api::Impl::GetStatusIncident(Call c) {
  auto id = PathId(c, 0, "Incident");
  if (!id.ok()) return Fail(c, id.error());
  auto i = Read<std::optional<store::Incident>>([&](Repo& repo) { return StatusRepo(repo.conn()).GetIncident(*id); });
  if (!i.ok()) return Fail(c, i.error());
  if (!*i) return Fail(c, Error::Said(ErrorCode::kNotFound, "status.incident_missing", {{"id", std::to_string(*id)}}));
  Json(c, 200, IncidentJson(**i, ReaderLanguage(c, LanguageOf(c)), false));
}

void Api::Impl::StatusFeed(Call c) {
  const std::string language = ReaderLanguage(c, LanguageOf(c));
  const Instant now = clock.Now();
  auto incidents = Read<std::vector<store::Incident>>(
      [&](Repo& repo) { return StatusRepo(repo.conn()).Incidents(now - std::chrono::days(90), now + std::chrono::milliseconds(1), 50); });
  if (!incidents.ok()) return Fail(c, incidents.error());
  const std::string base = PublicBase(c.req);
  Instant updated = FromUnixMillis(0);
  for (const auto& i : *incidents) updated = std::max(updated, i.updated_at);
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"" +
                    XmlEscape(language) + "\">\n<title>Status</title>\n<id>" + XmlEscape(base) + "/status</id>\n<link rel=\"alternate\" href=\"" +
                    XmlEscape(base) + "/status\"/>\n<link rel=\"self\" href=\"" + XmlEscape(base) + "/api/v1/status/feed.atom\"/>\n<updated>" +
                    FormatIsoUtc(updated) + "</updated>\n";
  for (const auto& i : *incidents) {
    std::string content;
    for (auto it = i.updates.rbegin(); it != i.updates.rend(); ++it)
      content += FormatIsoUtc(it->at) + " " + std::string(store::Name(it->state)) + ": " + std::string(core::TextFor(it->bodies, language)) + "\n";
    const std::string link = XmlEscape(base) + "/status#incident-" + std::to_string(i.id);
    xml += "<entry>\n<title>" + XmlEscape(core::TextFor(i.titles, language)) + "</title>\n<id>" + link + "</id>\n<link href=\"" + link +
           "\"/>\n<published>" +
           FormatIsoUtc(i.started_at) + "</published>\n<updated>" + FormatIsoUtc(i.updated_at) + "</updated>\n<category term=\"" +
           std::string(store::Name(i.state)) + "\"/>\n<author><name>Status</name></author>\n<content type=\"text\">" + XmlEscape(content) +
           "</content>\n</entry>\n";
  }
  xml += "</feed>\n";
  Response r;
  r.status = 200;
  r.Set("Content-Type", "application/atom+xml; charset=utf-8");
  r.body = std::move(xml);
  c.reply(std::move(r));
}

// ---- components and probes (admins) ----

void Api::Impl::CreateStatusComponent(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadComponent(*body, {}, true);
  if (!in.ok()) return Fail(c, in.error());
  const Instant now = clock.Now();
  const std::string language = LanguageOf(c);
  WriteThen<store::StatusComponent>(
      std::move(c), [in = *in, now](Repo& repo) { return store::CreateComponent(repo, in, now); },
      [language](store::StatusComponent& made) { return JsonResponse(201, ComponentJson(made, language)); });
}

void Api::Impl::PatchStatusComponent(Call c) {
  auto id = PathId(c, 0, "Component");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const std::string language = LanguageOf(c);
  WriteThen<store::StatusComponent>(
      std::move(c),
      [body = *body, id = *id](Repo& repo) -> Result<store::StatusComponent> {
        CHAMADO_ASSIGN_OR_RETURN(auto old, StatusRepo(repo.conn()).Component(id));
        if (!old) return Error::Said(ErrorCode::kNotFound, "status.component_missing", {{"id", std::to_string(id)}});
        CHAMADO_ASSIGN_OR_RETURN(auto in, ReadComponent(body, {old->key, old->names, old->descriptions, old->position}, false));
        return store::UpdateComponent(repo, id, in);
      },
      [language](store::StatusComponent& c) { return JsonResponse(200, ComponentJson(c, language)); });
}

void Api::Impl::DeleteStatusComponent(Call c) { DeleteById(*this, std::move(c), "Component", "status.component_missing", &StatusRepo::DeleteComponent); }

void Api::Impl::ListStatusProbes(Call c) {
  auto id = PathId(c, 0, "Component");
  if (!id.ok()) return Fail(c, id.error());
  auto items = Read<json::array>([&](Repo& repo) -> Result<json::array> {
    StatusRepo s(repo.conn());
    CHAMADO_ASSIGN_OR_RETURN(auto comp, s.Component(*id));
    if (!comp) return Error::Said(ErrorCode::kNotFound, "status.component_missing", {{"id", std::to_string(*id)}});
    CHAMADO_ASSIGN_OR_RETURN(auto probes, s.Probes(*id));
    json::array out;
    for (const auto& p : probes) {
      CHAMADO_ASSIGN_OR_RETURN(auto last, s.LatestSample(p.id));
      out.push_back(ProbeJson(p, last));
    }
    return out;
  });
  if (!items.ok()) return Fail(c, items.error());
  Json(c, 200, json::object{{"items", std::move(*items)}});
}

void Api::Impl::CreateStatusProbe(Call c) {
  auto id = PathId(c, 0, "Component");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadProbe(*body, {}, true);
  if (!in.ok()) return Fail(c, in.error());
  const Instant now = clock.Now();
  WriteThen<store::StatusProbe>(
      std::move(c), [in = *in, id = *id, now](Repo& repo) { return store::CreateProbe(repo, id, in, now); },
      [](store::StatusProbe& p) { return JsonResponse(201, ProbeJson(p, std::nullopt)); });
}

void Api::Impl::PatchStatusProbe(Call c) {
  auto id = PathId(c, 0, "Probe");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const Instant now = clock.Now();
  WriteThen<store::StatusProbe>(
      std::move(c),
      [body = *body, id = *id, now](Repo& repo) -> Result<store::StatusProbe> {
        CHAMADO_ASSIGN_OR_RETURN(auto old, StatusRepo(repo.conn()).Probe(id));
        if (!old) return Error::Said(ErrorCode::kNotFound, "status.probe_missing", {{"id", std::to_string(id)}});
        store::ProbeInput base{std::string(store::Name(old->kind)), old->target, old->expect_status, old->expect_body,
                               old->interval.count() / 1000, old->timeout.count() / 1000, old->retries, old->active};
        CHAMADO_ASSIGN_OR_RETURN(auto in, ReadProbe(body, base, false));
        return store::UpdateProbe(repo, id, in, now);
      },
      [](store::StatusProbe& p) { return JsonResponse(200, ProbeJson(p, std::nullopt)); });
}

void Api::Impl::DeleteStatusProbe(Call c) { DeleteById(*this, std::move(c), "Probe", "status.probe_missing", &StatusRepo::DeleteProbe); }

// ---- incidents (agents) ----

void Api::Impl::ListStatusIncidents(Call c) {
  auto days = QueryDays(c.req);
  if (!days.ok()) return Fail(c, days.error());
  const Instant now = clock.Now();
  auto found = Read<std::vector<store::Incident>>([&](Repo& repo) {
    return StatusRepo(repo.conn()).Incidents(now - std::chrono::days(*days), now + std::chrono::days(366), 500);
  });
  if (!found.ok()) return Fail(c, found.error());
  json::array items;
  const std::string language = ReaderLanguage(c, LanguageOf(c));
  for (const auto& i : *found) items.push_back(IncidentJson(i, language, true));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateStatusIncident(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  core::Texts update;
  auto in = ReadIncident(*body, {}, &update, true);
  if (!in.ok()) return Fail(c, in.error());
  const Instant now = clock.Now();
  const Id by = c.who().user.id;
  const std::string language = LanguageOf(c);
  WriteThen<store::Incident>(
      std::move(c), [in = *in, update, by, now](Repo& repo) { return store::CreateIncident(repo, in, update, by, now); },
      [language](store::Incident& i) { return JsonResponse(201, IncidentJson(i, language, true)); });
}

void Api::Impl::PatchStatusIncident(Call c) {
  auto id = PathId(c, 0, "Incident");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const Instant now = clock.Now();
  const std::string language = LanguageOf(c);
  WriteThen<store::Incident>(
      std::move(c),
      [body = *body, id = *id, now](Repo& repo) -> Result<store::Incident> {
        CHAMADO_ASSIGN_OR_RETURN(auto old, StatusRepo(repo.conn()).GetIncident(id));
        if (!old) return Error::Said(ErrorCode::kNotFound, "status.incident_missing", {{"id", std::to_string(id)}});
        store::IncidentInput base;
        base.titles = old->titles;
        base.state = std::string(store::Name(old->state));
        base.started_at = old->started_at;
        base.resolved_at = old->resolved_at;
        for (const auto& a : old->components) base.components.emplace_back(a.component_id, std::string(status::Name(a.impact)));
        CHAMADO_ASSIGN_OR_RETURN(auto in, ReadIncident(body, base, nullptr, false));
        return store::UpdateIncident(repo, id, in, now);
      },
      [language](store::Incident& i) { return JsonResponse(200, IncidentJson(i, language, true)); });
}

void Api::Impl::DeleteStatusIncident(Call c) { DeleteById(*this, std::move(c), "Incident", "status.incident_missing", &StatusRepo::DeleteIncident); }

void Api::Impl::PostStatusIncidentUpdate(Call c) {
  auto id = PathId(c, 0, "Incident");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"state", "bodies", "at", "notify"});
  f.Require("state", "the state the incident is in now: investigating, identified, monitoring or resolved");
  f.Require("bodies", "what people are told, per language");
  store::UpdateInput in;
  if (auto s = f.Str("state", 32)) in.state = *s;
  if (auto b = TextsField(f, "bodies")) in.bodies = *b;
  in.at = InstantField(f, "at");
  in.notify = f.Bool("notify").value_or(false);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  const Id by = c.who().user.id;
  const std::string language = LanguageOf(c);
  WriteThen<store::Incident>(
      std::move(c),
      [in, id = *id, by, now](Repo& repo) -> Result<store::Incident> {
        CHAMADO_TRY(store::PostIncidentUpdate(repo, id, in, by, now));
        CHAMADO_ASSIGN_OR_RETURN(auto i, StatusRepo(repo.conn()).GetIncident(id));
        return *i;
      },
      [language](store::Incident& i) { return JsonResponse(201, IncidentJson(i, language, true)); });
}

void Api::Impl::LinkStatusIncidentTicket(Call c) {
  auto id = PathId(c, 0, "Incident");
  if (!id.ok()) return Fail(c, id.error());
  auto number = PathId(c, 1, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  const Instant now = clock.Now();
  const Id by = c.who().user.id;
  const std::string language = LanguageOf(c);
  WriteThen<store::Incident>(
      std::move(c),
      [id = *id, number = *number, by, now](Repo& repo) -> Result<store::Incident> {
        StatusRepo s(repo.conn());
        CHAMADO_ASSIGN_OR_RETURN(auto i, s.GetIncident(id));
        if (!i) return Error::Said(ErrorCode::kNotFound, "status.incident_missing", {{"id", std::to_string(id)}});
        CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(number));
        if (!t) return Error::Said(ErrorCode::kNotFound, "ticket.not_found", {{"number", std::to_string(number)}});
        CHAMADO_TRY(s.LinkTicket(id, number, by, now));
        CHAMADO_ASSIGN_OR_RETURN(auto linked, s.GetIncident(id));
        return *linked;
      },
      [language](store::Incident& i) { return JsonResponse(200, IncidentJson(i, language, true)); });
}

void Api::Impl::UnlinkStatusIncidentTicket(Call c) {
  auto id = PathId(c, 0, "Incident");
  if (!id.ok()) return Fail(c, id.error());
  auto number = PathId(c, 1, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  WriteThen<bool>(
      std::move(c),
      [id = *id, number = *number](Repo& repo) -> Result<bool> {
        CHAMADO_ASSIGN_OR_RETURN(bool gone, StatusRepo(repo.conn()).UnlinkTicket(id, number));
        if (!gone)
          return Error::Said(ErrorCode::kNotFound, "status.ticket_not_linked", {{"number", std::to_string(number)}, {"id", std::to_string(id)}});
        return true;
      },
      [](bool&) { return NoContent(); });
}

// ---- maintenance (agents) ----

void Api::Impl::ListStatusMaintenance(Call c) {
  auto days = QueryDays(c.req);
  if (!days.ok()) return Fail(c, days.error());
  const Instant now = clock.Now();
  auto found = Read<std::vector<store::Maintenance>>(
      [&](Repo& repo) { return StatusRepo(repo.conn()).MaintenanceWindows(now - std::chrono::days(*days), now + std::chrono::days(366)); });
  if (!found.ok()) return Fail(c, found.error());
  json::array items;
  const std::string language = ReaderLanguage(c, LanguageOf(c));
  for (const auto& m : *found) items.push_back(MaintenanceJson(m, language));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateStatusMaintenance(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadMaintenance(*body, {}, true);
  if (!in.ok()) return Fail(c, in.error());
  const Instant now = clock.Now();
  const Id by = c.who().user.id;
  const std::string language = LanguageOf(c);
  WriteThen<store::Maintenance>(
      std::move(c), [in = *in, by, now](Repo& repo) { return store::CreateMaintenance(repo, in, by, now); },
      [language](store::Maintenance& m) { return JsonResponse(201, MaintenanceJson(m, language)); });
}

void Api::Impl::PatchStatusMaintenance(Call c) {
  auto id = PathId(c, 0, "Maintenance");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  const std::string language = LanguageOf(c);
  WriteThen<store::Maintenance>(
      std::move(c),
      [body = *body, id = *id](Repo& repo) -> Result<store::Maintenance> {
        CHAMADO_ASSIGN_OR_RETURN(auto old, StatusRepo(repo.conn()).GetMaintenance(id));
        if (!old) return Error::Said(ErrorCode::kNotFound, "status.maintenance_missing", {{"id", std::to_string(id)}});
        CHAMADO_ASSIGN_OR_RETURN(auto in, ReadMaintenance(body, {old->titles, old->bodies, old->starts_at, old->ends_at, old->components}, false));
        return store::UpdateMaintenance(repo, id, in);
      },
      [language](store::Maintenance& m) { return JsonResponse(200, MaintenanceJson(m, language)); });
}

void Api::Impl::DeleteStatusMaintenance(Call c) { DeleteById(*this, std::move(c), "Maintenance", "status.maintenance_missing", &StatusRepo::DeleteMaintenance); }

// ---- subscribers ----

namespace {

json::object SubscriberJson(const store::StatusSubscriber& s) {
  return json::object{{"id", s.id},
                      {"email", s.email},
                      {"language", s.language},
                      {"created_at", InstantJson(s.created_at)},
                      {"confirmed_at", InstantJson(s.confirmed_at)}};
}

// {"token": ...}, the secret of a subscriber's link.
Result<std::string> TokenOf(const Request& req) {
  CHAMADO_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  Fields f(body, {"token"});
  f.Require("token", "the token of the mail's link");
  auto token = f.Str("token", 128);
  CHAMADO_TRY(f.Finish());
  return *token;
}

}  // namespace

void Api::Impl::ListStatusSubscribers(Call c) {
  auto all = Read<std::vector<store::StatusSubscriber>>([](Repo& repo) { return StatusRepo(repo.conn()).Subscribers(); });
  if (!all.ok()) return Fail(c, all.error());
  json::array items;
  for (const auto& s : *all) items.push_back(SubscriberJson(s));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateStatusSubscriber(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"email", "language"});
  f.Require("email", "the subscriber's address");
  auto email = f.Str("email", 254);
  auto language = f.Str("language", 16);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  WriteThen<store::StatusSubscriber>(
      std::move(c),
      [email = *email, language = language.value_or("en"), now](Repo& repo) {
        return store::AddSubscriber(repo, email, language, auth::NewToken(), now);
      },
      [](store::StatusSubscriber& s) { return JsonResponse(201, SubscriberJson(s)); });
}

void Api::Impl::DeleteStatusSubscriber(Call c) { DeleteById(*this, std::move(c), "Subscriber", "status.subscriber_missing", &StatusRepo::DeleteSubscriber); }

void Api::Impl::UnsubscribeFromStatus(Call c) {
  auto token = TokenOf(c.req);
  if (!token.ok()) return Fail(c, token.error());
  WriteThen<bool>(
      std::move(c),
      [token = *token](Repo& repo) -> Result<bool> {
        CHAMADO_ASSIGN_OR_RETURN(bool gone, StatusRepo(repo.conn()).DeleteSubscriberByToken(token));
        if (!gone) return Error::Said(ErrorCode::kNotFound, "status.unsubscribe_invalid");
        return true;
      },
      [](bool&) { return NoContent(); });
}

void Api::Impl::SubscribeToStatus(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"email", "language"});
  f.Require("email", "the address the updates go to");
  auto email = f.Str("email", 254);
  auto language = f.Str("language", 16);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  // Each request may send a mail to any address: as few as votes per client address.
  const std::string address = "s:" + ClientAddress(c.req, options.trusted_proxies);
  if (!feedback_by_address.Allow(address, now)) {
    const auto wait = std::max(feedback_by_address.RetryAfter(address, now), std::chrono::seconds(1));
    Response r = ProblemResponse(Error::Said(ErrorCode::kRateLimited, "status.too_many_subscriptions", {{"seconds", std::to_string(wait.count())}}),
                                 c.req.path, LanguageOf(c));
    r.Set("Retry-After", std::to_string(wait.count()));
    return c.reply(std::move(r));
  }
  WriteThen<bool>(
      std::move(c),
      [email = *email, language = language.value_or("en"), now](Repo& repo) -> Result<bool> {
        CHAMADO_TRY(store::RequestSubscription(repo, email, language, auth::NewToken(), now));
        return true;
      },
      [](bool&) {
        Response r = NoContent();
        r.status = 202;
        return r;
      });
}

void Api::Impl::ConfirmStatusSubscription(Call c) {
  auto token = TokenOf(c.req);
  if (!token.ok()) return Fail(c, token.error());
  const Instant now = clock.Now();
  WriteThen<bool>(
      std::move(c),
      [token = *token, now](Repo& repo) -> Result<bool> {
        CHAMADO_TRY(store::ConfirmSubscription(repo, token, now));
        return true;
      },
      [](bool&) { return NoContent(); });
}

}  // namespace chamado::http
