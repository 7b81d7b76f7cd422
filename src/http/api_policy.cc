// The policy in effect (read by agents, changed by administrators) and the test clock.
#include <cstdio>

#include "core/text.h"
#include "http/api_impl.h"
#include "sla/policy_toml.h"
#include "store/commands.h"

namespace chamado::http {
using store::Repo;

namespace {

json::array TargetsJson(const std::vector<sla::Target>& ts) {
  json::array a;
  for (auto t : ts) a.emplace_back(sla::Name(t));
  return a;
}

// "09:00" for 540 minutes after midnight; "24:00" for the end of the day.
std::string ClockText(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

// The opening hours of a week, Monday first: each day's intervals as local wall-clock times.
json::array WeekJson(const sla::CalendarSpec& spec) {
  json::array week;
  for (const auto& day : spec.hours) {
    json::array intervals;
    for (const auto& i : day) intervals.push_back(json::object{{"start", ClockText(i.start)}, {"end", ClockText(i.end)}});
    week.push_back(std::move(intervals));
  }
  return week;
}

json::array StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object ConditionsJson(const sla::Conditions& c) {
  json::object o;
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    if (!v.empty()) o[key] = StringsJson(v);
  };
  list("plan", c.plans);
  list("priority", c.priorities);
  list("organization", c.organizations);
  list("category", c.categories);
  list("tag", c.tags);
  if (!c.channels.empty()) {
    json::array a;
    for (auto ch : c.channels) a.emplace_back(core::Name(ch));
    o["channel"] = std::move(a);
  }
  return o;
}

json::object PolicyJson(const sla::Policy& p, int64_t version) {
  json::object o;
  o["version"] = version;
  o["name"] = p.name;
  o["description"] = p.description;
  o["names"] = TextsJson(p.names);
  o["descriptions"] = TextsJson(p.descriptions);
  o["default_priority"] = p.catalog.priorities.default_name;
  json::array cals;
  for (const auto& [name, cal] : p.calendars) {
    const auto& spec = cal->spec();
    const auto named = p.calendar_names.find(name);
    cals.push_back(json::object{{"name", name},
                                {"names", named == p.calendar_names.end() ? json::object{} : TextsJson(named->second)},
                                {"tz", spec.tz},
                                {"always_open", spec.always_open},
                                {"hours", WeekJson(spec)},
                                {"holidays", int64_t(spec.holidays.size())},
                                {"day_length_minutes", cal->DayLength().count() / 60000}});
  }
  o["calendars"] = std::move(cals);
  json::array prios;
  for (const auto& l : p.catalog.priorities.levels)
    prios.push_back(json::object{{"name", l.name}, {"description", l.description}, {"descriptions", TextsJson(l.descriptions)}});
  o["priorities"] = std::move(prios);
  json::array cats;
  for (const auto& c : p.catalog.categories)
    cats.push_back(json::object{{"key", c.key}, {"name", c.name}, {"names", TextsJson(c.names)}, {"group", c.group},
                                {"details", DetailsJson(c.details, "en")}});
  o["categories"] = std::move(cats);
  json::array plans;
  for (const auto& pl : p.plans) {
    json::array features;
    if (pl.chat) features.emplace_back("chat");
    if (pl.customer_escalation) features.emplace_back("customer_escalation");
    if (pl.tam) features.emplace_back("tam");
    plans.push_back(json::object{{"key", pl.key}, {"name", pl.name}, {"features", std::move(features)}});
  }
  o["plans"] = std::move(plans);
  json::array targets;
  for (const auto& r : p.targets)
    targets.push_back(json::object{{"target", sla::Name(r.target)},
                                   {"within", r.within_text},
                                   {"within_minutes", r.within.count() / 60000},
                                   {"calendar", r.calendar},
                                   {"when", ConditionsJson(r.when)},
                                   {"line", r.line}});
  o["targets"] = std::move(targets);
  json::array pause;
  for (auto s : p.pause_statuses) pause.emplace_back(core::Name(s));
  o["pause"] = json::object{{"statuses", std::move(pause)}, {"targets", TargetsJson(p.pause_targets)}};
  json::array exemptions;
  for (const auto& e : p.exemptions) exemptions.push_back(json::object{{"targets", TargetsJson(e.targets)}, {"when", ConditionsJson(e.when)}});
  o["exemptions"] = std::move(exemptions);
  json::array warnings;
  for (const auto& w : p.warnings) warnings.push_back(json::object{{"targets", TargetsJson(w.targets)}, {"before", w.before_text}});
  o["warnings"] = std::move(warnings);
  json::array escalations;
  for (const auto& e : p.escalations) {
    escalations.push_back(json::object{{"targets", TargetsJson(e.targets)},
                                       {"when", ConditionsJson(e.when)},
                                       {"raise_priority", e.actions.raise_priority},
                                       {"group", e.actions.group},
                                       {"notify", StringsJson(e.actions.notify)},
                                       {"webhook", e.actions.webhook},
                                       {"mark_escalated", e.actions.mark_escalated}});
  }
  o["escalations"] = std::move(escalations);
  json::object automations;
  if (const auto& ac = p.automations.auto_close) {
    automations["auto_close"] = json::object{
        {"after", ac->after_text},
        {"after_minutes", ac->after.count() / 60000},
        {"reminder_before", ac->reminder_before ? json::value(ac->reminder_before_text) : json::value(nullptr)},
        {"reminder_before_minutes", ac->reminder_before ? json::value(ac->reminder_before->count() / 60000) : json::value(nullptr)},
        {"calendar", ac->calendar.empty() ? json::value(nullptr) : json::value(ac->calendar)},
        {"line", ac->line}};
  }
  json::array rules;
  for (const auto& r : p.automations.rules) {
    json::object when = ConditionsJson(r.when.facts);
    if (!r.when.statuses.empty()) {
      json::array a;
      for (auto st : r.when.statuses) a.emplace_back(core::Name(st));
      when["status"] = std::move(a);
    }
    if (!r.when.not_tags.empty()) when["not_tag"] = StringsJson(r.when.not_tags);
    if (!r.when.groups.empty()) when["group"] = StringsJson(r.when.groups);
    if (r.when.assigned) when["assigned"] = *r.when.assigned;
    const auto& a = r.actions;
    json::object set;
    if (a.status) set["status"] = core::Name(*a.status);
    if (a.resolution) set["resolution"] = core::Name(*a.resolution);
    if (!a.priority.empty()) set["priority"] = a.priority;
    if (!a.group.empty()) set["group"] = a.group;
    if (!a.assignee.empty() || a.unassign) set["assignee"] = a.assignee;
    const bool timed = r.on == sla::RuleTrigger::kTime;
    rules.push_back(json::object{
        {"name", r.name},
        {"on", sla::Name(r.on)},
        {"since", timed ? json::value(sla::Name(r.since)) : json::value(nullptr)},
        {"after", timed ? json::value(r.after_text) : json::value(nullptr)},
        {"after_minutes", timed ? json::value(r.after.count() / 60000) : json::value(nullptr)},
        {"calendar", r.calendar.empty() ? json::value(nullptr) : json::value(r.calendar)},
        {"when", std::move(when)},
        {"set", std::move(set)},
        {"add_tags", StringsJson(a.add_tags)},
        {"remove_tags", StringsJson(a.remove_tags)},
        {"notify", StringsJson(a.notify)},
        {"mail", a.mail ? json::value(json::object{{"subject", TextsJson(a.mail->subject)}, {"body", TextsJson(a.mail->body)}})
                        : json::value(nullptr)},
        {"webhook", a.webhook},
        {"line", r.line}});
  }
  automations["rules"] = std::move(rules);
  o["automations"] = std::move(automations);
  const sla::Routing& routing = p.routing;
  json::array routed_groups, specialists;
  for (const auto& [name, g] : routing.groups)
    routed_groups.push_back(json::object{{"name", name}, {"mode", core::Name(g.mode)}, {"capacity", g.capacity}});
  for (const auto& name : routing.specialists) specialists.emplace_back(name);
  o["routing"] = json::object{{"mode", core::Name(routing.defaults.mode)},
                              {"capacity", routing.defaults.capacity},
                              {"group", routing.group.empty() ? json::value(nullptr) : json::value(routing.group)},
                              {"by_language", routing.by_language},
                              {"groups", std::move(routed_groups)},
                              {"specialists", std::move(specialists)},
                              {"line", routing.line}};
  json::array internal_tags, internal_fields;
  for (const auto& tag : p.catalog.internal_tags) internal_tags.emplace_back(tag);
  for (const auto& f : p.catalog.internal_fields) internal_fields.emplace_back(f);
  o["visibility"] = json::object{{"internal_tags", std::move(internal_tags)}, {"internal_fields", std::move(internal_fields)}};
  json::array resolutions;
  for (const core::Resolution r : p.catalog.outcomes.Choices()) {
    json::object texts;
    for (const auto& [res, t] : p.catalog.outcomes.texts)
      if (res == r) texts = TextsJson(t);
    resolutions.push_back(json::object{{"key", core::Name(r)}, {"texts", std::move(texts)}});
  }
  o["outcomes"] = json::object{{"required", p.catalog.outcomes.required}, {"resolutions", std::move(resolutions)}};
  o["surveys"] = json::object{{"enabled", p.surveys.enabled}, {"after_auto_close", p.surveys.after_auto_close}};
  o["source"] = p.source;
  return o;
}

}  // namespace

void Api::Impl::GetPolicy(Call c) {
  json::object o = PolicyJson(*store.policy(), store.policy_version());
  auto stored = Read<std::optional<Repo::StoredPolicy>>([](Repo& repo) { return repo.LatestPolicy(); });
  json::array files;
  if (stored.ok() && *stored)
    for (const auto& [path, text] : (*stored)->files) files.push_back(json::object{{"name", path}, {"bytes", int64_t(text.size())}});
  o["files"] = std::move(files);
  Json(c, 200, o);
}

void Api::Impl::PutPolicy(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"source", "files"});
  f.Require("source", "the policy as TOML text");
  auto source = f.Str("source", 1024 * 1024);
  std::vector<std::pair<std::string, std::string>> files;
  if (const auto* fl = f.Raw("files"); fl && !fl->is_null()) {
    if (!fl->is_object()) {
      f.Fail("files", "files must be an object of file name: contents (for holidays_ics).");
    } else {
      for (const auto& kv : fl->as_object()) {
        if (!kv.value().is_string()) f.Fail("files", "Each file's contents must be a string.");
        else files.emplace_back(std::string(kv.key()), std::string(kv.value().as_string()));
      }
    }
  }
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  // Files not sent again (an unchanged holidays_ics) are taken from the policy in effect.
  auto stored = Read<std::optional<Repo::StoredPolicy>>([](Repo& repo) { return repo.LatestPolicy(); });
  if (!stored.ok()) return Fail(c, stored.error());
  if (*stored)
    for (const auto& [path, text] : (*stored)->files)
      if (std::none_of(files.begin(), files.end(), [&, path = path](const auto& kv) { return kv.first == path; })) files.emplace_back(path, text);
  auto parsed = store::ParseStoredPolicy(*source, "policy", files);
  if (!parsed.ok()) return Fail(c, parsed.error());
  auto policy = std::make_shared<sla::Policy>(std::move(*parsed));
  const Instant now = clock.Now();
  const core::Id actor = c.who().user.id;
  WriteThen<int64_t>(
      std::move(c),
      [policy, files, actor, now](Repo& repo) { return store::ApplyPolicyCommand(repo, *policy, files, actor, now); },
      [this](int64_t& version) {
        if (auto r = store.ReloadPolicy(); !r.ok()) return ProblemResponse(r.error());
        return JsonResponse(200, PolicyJson(*store.policy(), version));
      });
}

void Api::Impl::TestClock(Call c) {
  if (!options.move_clock)
    return Fail(c, Error::NotFound("There is no API endpoint POST /api/v1/test/clock; start the server with --test-clock."));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"set", "advance"});
  auto set = f.Str("set", 64);
  auto advance = f.Str("advance", 32);
  std::optional<Instant> to;
  std::optional<std::chrono::milliseconds> by;
  if (set) {
    to = ParseIsoInstant(*set);
    if (!to) f.Fail("set", "set must be an instant with an offset, such as 2026-01-05T09:00:00-03:00.");
  }
  if (advance) {
    by = ParseDuration(*advance);
    if (!by) f.Fail("advance", "advance must be a duration such as 90m, 4h or 2d (real time).");
  }
  if (!set && !advance) f.Fail("set", "Give set (an instant) or advance (a duration).");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto now = options.move_clock(to, by);
  if (!now.ok()) return Fail(c, now.error());
  Json(c, 200, json::object{{"now", FormatIsoUtc(*now)}});
}

void Api::Impl::ListOutbox(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  core::Id ticket = 0;
  if (auto t = c.req.Query("ticket_number")) {
    auto id = ParseId(*t);
    if (!id) return Fail(c, Error::Invalid("ticket_number", "ticket_number must be a ticket number."));
    ticket = *id;
  }
  auto r = Read<store::Paged<Repo::QueuedNotification>>([&](Repo& repo) { return repo.ListOutbox(ticket, *page); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& n : r->items) {
    boost::system::error_code ec;
    json::value payload = json::parse(n.row.payload, ec);
    items.push_back(json::object{{"id", n.id},
                                 {"kind", store::Name(n.row.kind)},
                                 {"recipient", n.row.recipient},
                                 {"ticket_number", n.row.ticket_number ? json::value(n.row.ticket_number) : json::value(nullptr)},
                                 {"event", n.row.event},
                                 {"payload", ec ? json::value(nullptr) : payload},
                                 {"created_at", FormatIsoUtc(n.row.created_at)},
                                 {"attempts", n.attempts},
                                 {"sent_at", InstantJson(n.sent_at)},
                                 {"last_error", n.last_error.empty() ? json::value(nullptr) : json::value(n.last_error)}});
  }
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", r->next.empty() ? json::value(nullptr) : json::value(r->next)}});
}

}  // namespace chamado::http
