#include "sla/policy_toml.h"

#include <kainjow/mustache.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "core/outcomes.h"
#include "core/text.h"
#include "sla/ical.h"
#include "sla/toml_reader.h"

namespace chamado::sla {
namespace {

using Reader = TomlReader;

const char* kDayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::vector<Target> ParseTargets(Reader& r, const toml::table& t, const std::string& path, bool all_when_missing) {
  std::vector<Target> out;
  if (!t.get("targets")) {
    if (all_when_missing) out.assign(std::begin(kTargets), std::end(kTargets));
    else r.Fail(&t, Reader::Join(path, "targets"), "is missing; list first_response, next_response and/or resolution.");
    return out;
  }
  for (const auto& name : r.Strings(t, path, "targets")) {
    auto target = ParseTarget(name);
    if (!target) {
      r.Fail(t.get("targets"), Reader::Join(path, "targets"),
             "Unknown target \"" + name + "\"; use first_response, next_response or resolution.");
      continue;
    }
    out.push_back(*target);
  }
  return out;
}

// The names sections define, for the sections after them to refer to.
struct Known {
  std::set<std::string> plans, priorities, categories;
};

// The keys `when` tables share (plan, priority, channel, organization, category, tag), without
// checking for others: the caller knows which keys its table takes.
Conditions ParseConditionTable(Reader& r, const toml::table& t, const std::string& p, const Known& known) {
  Conditions c;
  c.plans = r.Strings(t, p, "plan");
  for (const auto& v : c.plans)
    if (!known.plans.count(v)) r.Fail(t.get("plan"), p + ".plan", "Unknown plan \"" + v + "\"; define it under [plans." + v + "].");
  c.priorities = r.Strings(t, p, "priority");
  for (const auto& v : c.priorities)
    if (!known.priorities.count(v)) r.Fail(t.get("priority"), p + ".priority", "Unknown priority \"" + v + "\"; list it under [[priorities]].");
  for (const auto& v : r.Strings(t, p, "channel")) {
    auto ch = core::ParseChannel(v);
    if (!ch) r.Fail(t.get("channel"), p + ".channel", "Unknown channel \"" + v + "\"; use " + core::ChannelNames() + ".");
    else c.channels.push_back(*ch);
  }
  c.organizations = r.Strings(t, p, "organization");
  c.categories = r.Strings(t, p, "category");
  for (const auto& v : c.categories)
    if (!known.categories.count(v)) r.Fail(t.get("category"), p + ".category", "Unknown category \"" + v + "\"; list it under [[categories]].");
  for (const auto& v : r.Strings(t, p, "tag")) c.tags.push_back(AsciiLower(v));
  return c;
}

Conditions ParseConditions(Reader& r, const toml::table& parent, const std::string& path, const Known& known) {
  const toml::node* n = parent.get("when");
  if (!n) return {};
  const auto* t = n->as_table();
  const std::string p = Reader::Join(path, "when");
  if (!t) {
    r.Fail(n, p, "must be a table such as { plan = [\"premium\"], priority = [\"P1\"] }.");
    return {};
  }
  r.KnownKeys(*t, p, {"plan", "priority", "channel", "organization", "category", "tag"});
  return ParseConditionTable(r, *t, p, known);
}

void ParseCalendar(Reader& r, const std::string& name, const toml::table& t, const PolicyFileReader& read, Policy& policy,
                   std::set<std::string>& broken) {
  const std::string path = "calendars." + name;
  const size_t errors_before = r.count();
  r.KnownKeys(t, path, {"name", "tz", "hours", "always_open", "holidays", "holidays_ics", "breaks", "day_length"});
  if (t.get("name")) policy.calendar_names[name] = r.Texts(t, path, "name", false);
  CalendarSpec spec;
  if (auto tz = r.Str(t, path, "tz", true)) spec.tz = *tz;
  if (const auto* ao = t.get("always_open")) {
    if (!ao->is_boolean()) r.Fail(ao, path + ".always_open", "must be true or false.");
    else spec.always_open = *ao->value<bool>();
  }
  if (const auto* h = t.get("hours")) {
    const auto* ht = h->as_table();
    if (!ht) {
      r.Fail(h, path + ".hours", "must be a table such as { mon = [[\"09:00\", \"17:00\"]] }.");
    } else {
      for (const auto& [day, spans] : *ht) {
        int d = -1;
        for (int i = 0; i < 7; ++i)
          if (day.str() == kDayKeys[i]) d = i;
        const std::string dp = path + ".hours." + std::string(day.str());
        if (d < 0) {
          r.Fail(&spans, dp, "Unknown day; use mon, tue, wed, thu, fri, sat, sun.");
          continue;
        }
        const auto* arr = spans.as_array();
        if (!arr) {
          r.Fail(&spans, dp, "must be a list of [\"HH:MM\", \"HH:MM\"] pairs.");
          continue;
        }
        for (const auto& iv : *arr) {
          const auto* pair = iv.as_array();
          std::optional<int> a, b;
          if (pair && pair->size() == 2 && (*pair)[0].is_string() && (*pair)[1].is_string()) {
            a = ParseClock(*(*pair)[0].value<std::string>());
            b = ParseClock(*(*pair)[1].value<std::string>());
          }
          if (!a || !b || *a == 1440) {
            r.Fail(&iv, dp, "Each interval is a pair of times from 00:00 to 24:00, such as [\"09:00\", \"12:00\"].");
            continue;
          }
          spec.hours[size_t(d)].push_back({*a, *b});
        }
      }
    }
  }
  for (const auto& text : r.Strings(t, path, "holidays")) {
    auto day = ParseLocalDate(text);
    if (!day) r.Fail(t.get("holidays"), path + ".holidays", "\"" + text + "\" is not a date such as 2026-12-25.");
    else spec.holidays.push_back(*day);
  }
  if (auto ics = r.Str(t, path, "holidays_ics", false)) {
    auto text = read(*ics);
    if (!text.ok()) {
      r.Fail(t.get("holidays_ics"), path + ".holidays_ics", text.error().message);
    } else {
      // Recurring holidays are expanded for ten years around 2030.
      auto days = HolidaysFromIcs(*text, *ParseLocalDate("2020-01-01"), *ParseLocalDate("2040-12-31"));
      if (!days.ok()) r.Fail(t.get("holidays_ics"), path + ".holidays_ics", days.error());
      else spec.holidays.insert(spec.holidays.end(), days->begin(), days->end());
    }
  }
  if (const auto* br = t.get("breaks")) {
    const auto* arr = br->as_array();
    if (!arr) r.Fail(br, path + ".breaks", "must be a list of [start, end] local date-times.");
    for (size_t i = 0; arr && i < arr->size(); ++i) {
      const auto* pair = (*arr)[i].as_array();
      std::optional<int64_t> a, b;
      if (pair && pair->size() == 2 && (*pair)[0].is_string() && (*pair)[1].is_string()) {
        a = ParseLocalDateTimeMillis(*(*pair)[0].value<std::string>());
        b = ParseLocalDateTimeMillis(*(*pair)[1].value<std::string>());
      }
      if (!a || !b) r.Fail(&(*arr)[i], path + ".breaks", "Each break is a pair such as [\"2026-12-24T12:00\", \"2026-12-24T24:00\"].");
      else spec.breaks.emplace_back(*a / 60000, *b / 60000);
    }
  }
  if (auto dl = r.Str(t, path, "day_length", false)) {
    auto d = ParseBusinessDuration(*dl, Millis(0));
    if (!d || dl->find('d') != std::string::npos || d->count() <= 0)
      r.Fail(t.get("day_length"), path + ".day_length", "must be hours and minutes, such as \"8h\" or \"7h30m\".");
    else spec.day_length = *d;
  }
  if (r.count() != errors_before) {  // its own fields are wrong: nothing to build
    broken.insert(name);
    return;
  }
  auto cal = Calendar::Make(spec);
  if (!cal.ok()) {
    r.Fail(&t, path, cal.error());
    broken.insert(name);
    return;
  }
  policy.calendar_specs[name] = spec;
  policy.calendars[name] = *cal;
}

// Calls `each(table, path)` for every table of the list [[key]].
template <class Each>
void ForEachTable(Reader& r, const toml::table& root, const char* key, Each each) {
  const auto* node = root.get(key);
  if (!node) return;
  const auto* arr = node->as_array();
  if (!arr) {
    r.Fail(node, key, std::string("must be a list of tables ([[") + key + "]]).");
    return;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string path = std::string(key) + "[" + std::to_string(i + 1) + "]";
    const auto* t = (*arr)[i].as_table();
    if (!t) r.Fail(&(*arr)[i], path, std::string("must be a table ([[") + key + "]]).");
    else each(*t, path);
  }
}

// The top level: its keys, the policy's name and description.
void ReadHeader(Reader& r, const toml::table& root, Policy& policy) {
  r.KnownKeys(root, "", {"name", "description", "default_priority", "calendars", "priorities", "categories", "plans",
                         "pause", "targets", "exemptions", "warnings", "escalations", "automations", "visibility",
                         "routing", "outcomes", "surveys", "status", "chat"});
  policy.names = r.Texts(root, "", "name", true);
  policy.name = std::string(core::TextFor(policy.names, "en"));
  policy.descriptions = r.Texts(root, "", "description", false);
  policy.description = std::string(core::TextFor(policy.descriptions, "en"));
}

// [calendars.NAME]. One that fails is reported once and named in `broken`, so rules that
// name it are not blamed again.
void ReadCalendars(Reader& r, const toml::table& root, const PolicyFileReader& read, Policy& policy,
                   std::set<std::string>& broken) {
  if (const auto* cals = root.get("calendars")) {
    if (const auto* t = cals->as_table()) {
      for (const auto& [name, node] : *t) {
        const std::string n(name.str());
        if (!IsSlug(n)) r.Fail(&node, "calendars." + n, "A calendar name is lower-case letters, digits, _ or -.");
        if (const auto* ct = node.as_table()) ParseCalendar(r, n, *ct, read, policy, broken);
        else r.Fail(&node, "calendars." + n, "must be a table ([calendars." + n + "]).");
      }
    } else {
      r.Fail(cals, "calendars", "must be a table of named calendars ([calendars.business]).");
    }
  }
  if (policy.calendars.empty() && broken.empty())
    r.Fail(&root, "calendars", "The policy defines no calendar; add [calendars.NAME].");
}

// [[priorities]], most urgent first, and default_priority among them.
void ReadPriorities(Reader& r, const toml::table& root, Policy& policy, Known& known) {
  if (const auto* arr = root.get("priorities") ? root.get("priorities")->as_array() : nullptr) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string path = "priorities[" + std::to_string(i + 1) + "]";
      const auto* t = (*arr)[i].as_table();
      if (!t) {
        r.Fail(&(*arr)[i], path, "must be a table ([[priorities]]).");
        continue;
      }
      r.KnownKeys(*t, path, {"name", "description"});
      core::Priority p;
      p.name = r.Str(*t, path, "name", true).value_or("");
      if (!p.name.empty() && (p.name.size() > 32 || HasControlChars(p.name, false)))
        r.Fail(t->get("name"), path + ".name", "A priority name is a short label such as P1 or 1.");
      if (!known.priorities.insert(p.name).second) r.Fail(t->get("name"), path + ".name", "The priority \"" + p.name + "\" is listed twice.");
      p.descriptions = r.Texts(*t, path, "description", true);
      p.description = std::string(core::TextFor(p.descriptions, "en"));
      policy.catalog.priorities.levels.push_back(std::move(p));
    }
  } else {
    r.Fail(root.get("priorities") ? root.get("priorities") : &root, "priorities",
           "The policy needs its ordered priority list, most urgent first: [[priorities]] with name and description.");
  }
  if (auto d = r.Str(root, "", "default_priority", true)) {
    if (!known.priorities.count(*d)) r.Fail(root.get("default_priority"), "default_priority", "\"" + *d + "\" is not one of the priorities.");
    policy.catalog.priorities.default_name = *d;
  }
}

// A category's `details = [{ key, name, kind, required }]`: what opening a ticket of it needs.
std::vector<core::Detail> ReadDetails(Reader& r, const toml::table& category, const std::string& category_path) {
  std::vector<core::Detail> out;
  const toml::node* node = category.get("details");
  if (!node) return out;
  const std::string key = category_path + ".details";
  const auto* arr = node->as_array();
  if (!arr) {
    r.Fail(node, key, "must be a list of details such as [{ key = \"project_number\", name = \"Project number\" }].");
    return out;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string path = key + "[" + std::to_string(i + 1) + "]";
    const auto* t = (*arr)[i].as_table();
    if (!t) {
      r.Fail(&(*arr)[i], path, "must be a table such as { key = \"os\", name = \"Operating system\" }.");
      continue;
    }
    r.KnownKeys(*t, path, {"key", "name", "kind", "required"});
    core::Detail d;
    d.key = r.Str(*t, path, "key", true).value_or("");
    if (!d.key.empty() && !IsSlug(d.key)) r.Fail(t->get("key"), path + ".key", "A detail key is lower-case letters, digits, _ or -.");
    if (!d.key.empty() && !seen.insert(d.key).second) r.Fail(t->get("key"), path + ".key", "The detail \"" + d.key + "\" is listed twice in this category.");
    d.names = r.Texts(*t, path, "name", true);
    d.name = std::string(core::TextFor(d.names, "en"));
    if (auto kind = r.Str(*t, path, "kind", false)) {
      if (auto k = core::ParseDetailKind(*kind)) d.kind = *k;
      else r.Fail(t->get("kind"), path + ".kind", "Unknown kind \"" + *kind + "\"; use text, number or attachment.");
    }
    if (const toml::node* req = t->get("required")) {
      if (auto b = req->value<bool>(); b && req->is_boolean()) d.required = *b;
      else r.Fail(req, path + ".required", "must be true or false.");
    }
    out.push_back(std::move(d));
  }
  return out;
}

// [[categories]].
void ReadCategories(Reader& r, const toml::table& root, Policy& policy, Known& known) {
  ForEachTable(r, root, "categories", [&](const toml::table& t, const std::string& path) {
    r.KnownKeys(t, path, {"key", "name", "group", "details"});
    core::Category c;
    c.key = r.Str(t, path, "key", true).value_or("");
    if (!c.key.empty() && !IsSlug(c.key)) r.Fail(t.get("key"), path + ".key", "A category key is lower-case letters, digits, _ or -.");
    if (!known.categories.insert(c.key).second) r.Fail(t.get("key"), path + ".key", "The category \"" + c.key + "\" is listed twice.");
    c.names = r.Texts(t, path, "name", true);
    c.name = std::string(core::TextFor(c.names, "en"));
    c.group = r.Str(t, path, "group", false).value_or("");
    c.details = ReadDetails(r, t, path);
    policy.catalog.categories.push_back(std::move(c));
  });
}

// [plans.KEY].
void ReadPlans(Reader& r, const toml::table& root, Policy& policy, Known& known) {
  const auto* node = root.get("plans");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "plans", "must be a table of plans ([plans.premium]).");
    return;
  }
  for (const auto& [key, pn] : *t) {
    const std::string k(key.str()), path = "plans." + k;
    const auto* pt = pn.as_table();
    if (!IsSlug(k)) r.Fail(&pn, path, "A plan key is lower-case letters, digits, _ or -.");
    if (!pt) {
      r.Fail(&pn, path, "must be a table ([plans." + k + "]).");
      continue;
    }
    r.KnownKeys(*pt, path, {"name", "features"});
    Plan plan;
    plan.key = k;
    plan.name = r.Str(*pt, path, "name", false).value_or(k);
    for (const auto& f : r.Strings(*pt, path, "features")) {
      if (f == "chat") plan.chat = true;
      else if (f == "customer_escalation") plan.customer_escalation = true;
      else if (f == "tam") plan.tam = true;
      else r.Fail(pt->get("features"), path + ".features", "Unknown feature \"" + f + "\"; use chat, customer_escalation or tam.");
    }
    known.plans.insert(k);
    policy.plans.push_back(std::move(plan));
  }
}

// [pause]: the statuses that pause clocks, and which.
void ReadPause(Reader& r, const toml::table& root, Policy& policy) {
  const auto* node = root.get("pause");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "pause", "must be a table ([pause]).");
    return;
  }
  r.KnownKeys(*t, "pause", {"statuses", "targets"});
  for (const auto& s : r.Strings(*t, "pause", "statuses")) {
    auto st = core::ParseStatus(s);
    if (!st || *st == core::Status::kNew || *st == core::Status::kOpen || *st == core::Status::kSolved ||
        *st == core::Status::kClosed)
      r.Fail(t->get("statuses"), "pause.statuses", "\"" + s + "\" cannot pause clocks; use pending_customer and/or on_hold.");
    else policy.pause_statuses.push_back(*st);
  }
  policy.pause_targets = ParseTargets(r, *t, "pause", true);
}

// [visibility]: the tags and custom fields customers do not see.
void ReadVisibility(Reader& r, const toml::table& root, Policy& policy) {
  const auto* node = root.get("visibility");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "visibility", "must be a table ([visibility]).");
    return;
  }
  r.KnownKeys(*t, "visibility", {"internal_tags", "internal_fields"});
  auto read = [&](const char* key, bool prefix_allowed, std::vector<std::string>& out) {
    for (auto s : r.Strings(*t, "visibility", key)) {
      for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
      const size_t star = s.find('*');
      if (s.empty() || s == "*" || (star != std::string::npos && (!prefix_allowed || star + 1 != s.size())))
        r.Fail(t->get(key), std::string("visibility.") + key,
               "\"" + s + "\" is not " + (prefix_allowed ? "a tag, or a prefix ending in * (\"internal-*\")." : "a custom field's key."));
      else out.push_back(std::move(s));
    }
  };
  read("internal_tags", true, policy.catalog.internal_tags);
  read("internal_fields", false, policy.catalog.internal_fields);
}

// One [[targets]] rule: which target, within how long, on which calendar, when.
TargetRule ReadTargetRule(Reader& r, const toml::table& t, const std::string& path, const Policy& policy,
                          const std::set<std::string>& broken_calendars, const Known& known) {
  r.KnownKeys(t, path, {"target", "within", "calendar", "when"});
  TargetRule rule;
  if (auto name = r.Str(t, path, "target", true)) {
    auto target = ParseTarget(*name);
    if (!target) r.Fail(t.get("target"), path + ".target", "Unknown target \"" + *name + "\"; use first_response, next_response or resolution.");
    else rule.target = *target;
  }
  if (auto cal = r.Str(t, path, "calendar", policy.calendars.size() != 1)) {
    rule.calendar = *cal;
  } else if (policy.calendars.size() == 1) {
    rule.calendar = policy.calendars.begin()->first;
  }
  const auto cal_it = policy.calendars.find(rule.calendar);
  const bool calendar_broken = broken_calendars.count(rule.calendar) > 0;
  if (!rule.calendar.empty() && cal_it == policy.calendars.end() && !calendar_broken) {
    std::string names;
    for (const auto& [n, c] : policy.calendars) names += (names.empty() ? "" : ", ") + n;
    r.Fail(t.get("calendar"), path + ".calendar", "Unknown calendar \"" + rule.calendar + "\"; the policy defines " + names + ".");
  }
  if (auto within = r.Str(t, path, "within", true)) {
    rule.within_text = *within;
    const Millis day = cal_it == policy.calendars.end() ? Millis(0) : cal_it->second->DayLength();
    auto d = ParseBusinessDuration(*within, day);
    if (cal_it == policy.calendars.end()) {
      // The calendar is unknown or broken (reported above): "1d" cannot be measured.
      if (!ParseBusinessDuration(*within, std::chrono::hours(1)))
        r.Fail(t.get("within"), path + ".within", "\"" + *within + "\" is not a duration such as 30m, 4h or 1d.");
    } else if (!d || d->count() <= 0) {
      r.Fail(t.get("within"), path + ".within", "\"" + *within + "\" is not a duration such as 30m, 4h or 1d.");
    } else {
      rule.within = *d;
    }
  }
  rule.when = ParseConditions(r, t, path, known);
  return rule;
}

// [[targets]], in file order.
void ReadTargetRules(Reader& r, const toml::table& root, const std::set<std::string>& broken_calendars, const Known& known,
                     Policy& policy) {
  ForEachTable(r, root, "targets", [&](const toml::table& t, const std::string& path) {
    TargetRule rule = ReadTargetRule(r, t, path, policy, broken_calendars, known);
    rule.line = int(t.source().begin.line);
    policy.targets.push_back(std::move(rule));
  });
}

// [[exemptions]]: tickets matching a condition have no clock for the targets named.
void ReadExemptions(Reader& r, const toml::table& root, const Known& known, Policy& policy) {
  ForEachTable(r, root, "exemptions", [&](const toml::table& t, const std::string& path) {
    r.KnownKeys(t, path, {"targets", "when"});
    Exemption e;
    e.targets = ParseTargets(r, t, path, false);
    e.when = ParseConditions(r, t, path, known);
    if (e.when.empty()) r.Fail(&t, path + ".when", "An exemption needs a condition (for example when = { tag = [\"third_party\"] }).");
    policy.exemptions.push_back(std::move(e));
  });
}

// [[warnings]]: how long before a due time to warn.
void ReadWarnings(Reader& r, const toml::table& root, Policy& policy) {
  ForEachTable(r, root, "warnings", [&](const toml::table& t, const std::string& path) {
    r.KnownKeys(t, path, {"targets", "before"});
    Warning w;
    w.targets = ParseTargets(r, t, path, true);
    if (auto before = r.Str(t, path, "before", true)) {
      auto d = ParseBusinessDuration(*before, Millis(0));
      w.before_text = *before;
      if (!d || before->find('d') != std::string::npos || d->count() <= 0)
        r.Fail(t.get("before"), path + ".before", "must be business minutes or hours before the due time, such as \"30m\" or \"2h\".");
      else w.before = *d;
    }
    policy.warnings.push_back(std::move(w));
  });
}

// A `webhook` key: an http:// or https:// URL; empty when not written (or wrong, reported).
std::string ReadWebhook(Reader& r, const toml::table& t, const std::string& path) {
  auto hook = r.Str(t, path, "webhook", false);
  if (!hook) return "";
  if (hook->rfind("https://", 0) != 0 && hook->rfind("http://", 0) != 0) {
    r.Fail(t.get("webhook"), path + ".webhook", "must be an http:// or https:// URL.");
    return "";
  }
  return *hook;
}

// An automation's `calendar` key: its name into `name`, and the calendar, or nullptr when none
// is written or the name is unknown (reported, unless the calendar itself was refused:
// `known` is false then too).
const Calendar* ReadAutomationCalendar(Reader& r, const toml::table& t, const std::string& path,
                                       const std::set<std::string>& broken_calendars, const Policy& policy,
                                       std::string& name, bool& known) {
  known = true;
  auto written = r.Str(t, path, "calendar", false);
  if (!written) return nullptr;
  name = *written;
  if (auto it = policy.calendars.find(name); it != policy.calendars.end()) return it->second.get();
  known = false;
  if (!broken_calendars.count(name)) {
    std::string names;
    for (const auto& [n, c] : policy.calendars) names += (names.empty() ? "" : ", ") + n;
    r.Fail(t.get("calendar"), path + ".calendar",
           "Unknown calendar \"" + name + "\"; the policy defines " + names + " (leave calendar out to count around the clock).");
  }
  return nullptr;
}

// [[escalations]]: what happens at a breach.
void ReadEscalations(Reader& r, const toml::table& root, const Known& known, Policy& policy) {
  ForEachTable(r, root, "escalations", [&](const toml::table& t, const std::string& path) {
    r.KnownKeys(t, path, {"targets", "when", "raise_priority", "group", "notify", "webhook", "mark_escalated"});
    Escalation e;
    e.targets = ParseTargets(r, t, path, true);
    e.when = ParseConditions(r, t, path, known);
    if (const auto* n = t.get("raise_priority")) {
      if (!n->is_integer() || *n->value<int64_t>() < 0 || *n->value<int64_t>() > 10)
        r.Fail(n, path + ".raise_priority", "must be a number of levels from 0 to 10.");
      else e.actions.raise_priority = int(*n->value<int64_t>());
    }
    e.actions.group = r.Str(t, path, "group", false).value_or("");
    for (const auto& who : r.Strings(t, path, "notify")) {
      if (who != "assignee" && who != "group" && who != "requester" && NormalizeEmail(who).empty())
        r.Fail(t.get("notify"), path + ".notify", "\"" + who + "\" is not assignee, group, requester or an email address.");
      else e.actions.notify.push_back(who);
    }
    e.actions.webhook = ReadWebhook(r, t, path);
    if (const auto* n = t.get("mark_escalated")) {
      if (!n->is_boolean()) r.Fail(n, path + ".mark_escalated", "must be true or false.");
      else e.actions.mark_escalated = *n->value<bool>();
    }
    policy.escalations.push_back(std::move(e));
  });
}

// A duration of an automation ("48h", "2d"): business time on `cal`, real time without one
// (a day is then 24 hours). Reports a problem and returns nullopt when it is not one.
std::optional<Millis> AutomationDuration(Reader& r, const toml::table& t, const std::string& path, std::string_view key,
                                         const Calendar* cal, bool required, std::string* text) {
  auto written = r.Str(t, path, key, required);
  if (!written) return std::nullopt;
  *text = *written;
  auto d = ParseBusinessDuration(*written, cal ? cal->DayLength() : Millis(std::chrono::hours(24)));
  if (!d || d->count() <= 0) {
    r.Fail(t.get(key), Reader::Join(path, key), "\"" + *written + "\" is not a duration; write minutes, hours or days, such as \"30m\", \"48h\" or \"2d\".");
    return std::nullopt;
  }
  return d;
}

// [automations.auto_close]: after how long waiting on the customer a ticket closes, the
// reminder before, and the calendar both count on.
void ReadAutoClose(Reader& r, const toml::table& t, const std::set<std::string>& broken_calendars, Policy& policy) {
  const std::string path = "automations.auto_close";
  r.KnownKeys(t, path, {"after", "reminder_before", "calendar"});
  AutoCloseRule rule;
  rule.line = int(t.source().begin.line);
  bool calendar_known = true;
  const Calendar* cal = ReadAutomationCalendar(r, t, path, broken_calendars, policy, rule.calendar, calendar_known);
  if (!calendar_known) return;
  const size_t errors_before = r.count();
  auto after = AutomationDuration(r, t, path, "after", cal, true, &rule.after_text);
  auto before = AutomationDuration(r, t, path, "reminder_before", cal, false, &rule.reminder_before_text);
  if (r.count() != errors_before || !after) return;
  rule.after = *after;
  if (before) {
    if (*before >= *after) {
      r.Fail(t.get("reminder_before"), path + ".reminder_before",
             "The reminder must come before the close: reminder_before (\"" + rule.reminder_before_text +
                 "\") must be shorter than after (\"" + rule.after_text + "\").");
      return;
    }
    rule.reminder_before = *before;
  }
  policy.automations.auto_close = std::move(rule);
}

// A boolean key of `t`, or `fallback` when it is not written.
bool Bool(Reader& r, const toml::table& t, const std::string& path, std::string_view key, bool fallback) {
  const auto* n = t.get(key);
  if (!n) return fallback;
  if (!n->is_boolean()) {
    r.Fail(n, Reader::Join(path, key), "must be true or false.");
    return fallback;
  }
  return *n->value<bool>();
}

// A rule's `when`: the shared conditions, the ticket's status, tags it must not have, its
// group and whether it is assigned.
RuleConditions ReadRuleConditions(Reader& r, const toml::table& rule, const std::string& path, const Known& known) {
  RuleConditions c;
  const toml::node* n = rule.get("when");
  if (!n) return c;
  const std::string p = Reader::Join(path, "when");
  const auto* t = n->as_table();
  if (!t) {
    r.Fail(n, p, "must be a table such as { status = [\"open\"], priority = [\"urgent\"] }.");
    return c;
  }
  r.KnownKeys(*t, p, {"plan", "priority", "channel", "organization", "category", "tag", "status", "not_tag", "group", "assigned"});
  c.facts = ParseConditionTable(r, *t, p, known);
  for (const auto& v : r.Strings(*t, p, "status")) {
    auto st = core::ParseStatus(v);
    if (!st) r.Fail(t->get("status"), p + ".status", "Unknown status \"" + v + "\"; use " + core::StatusNames() + ".");
    else c.statuses.push_back(*st);
  }
  for (const auto& v : r.Strings(*t, p, "not_tag")) c.not_tags.push_back(AsciiLower(v));
  for (const auto& v : r.Strings(*t, p, "group")) c.groups.push_back(AsciiLower(v));
  if (t->get("assigned")) c.assigned = Bool(r, *t, p, "assigned", false);
  return c;
}

// A rule's `set`: the ticket's fields it changes.
void ReadRuleSet(Reader& r, const toml::table& rule, const std::string& path, const Known& known, const Policy& policy,
                 RuleActions& a) {
  const toml::node* n = rule.get("set");
  if (!n) return;
  const std::string p = Reader::Join(path, "set");
  const auto* t = n->as_table();
  if (!t) {
    r.Fail(n, p, "must be a table such as { priority = \"high\", group = \"Tier 2\" }.");
    return;
  }
  r.KnownKeys(*t, p, {"status", "resolution", "priority", "group", "assignee"});
  if (auto v = r.Str(*t, p, "status", false)) {
    auto st = core::ParseStatus(*v);
    if (!st || *st == core::Status::kNew)
      r.Fail(t->get("status"), p + ".status", "\"" + *v + "\" cannot be set; use open, pending_customer, on_hold, solved or closed.");
    else a.status = *st;
  }
  if (auto v = r.Str(*t, p, "resolution", false)) {
    auto res = core::ParseResolution(*v);
    if (!res) r.Fail(t->get("resolution"), p + ".resolution", "Unknown resolution \"" + *v + "\"; use " + core::ResolutionNames() + ".");
    else if (!policy.catalog.outcomes.Offers(*res))
      r.Fail(t->get("resolution"), p + ".resolution", "\"" + *v + "\" is not in [outcomes] resolutions.");
    else if (a.status != core::Status::kSolved && a.status != core::Status::kClosed)
      r.Fail(t->get("resolution"), p + ".resolution", "A resolution goes with status = \"solved\" (or \"closed\") in the same set.");
    else a.resolution = *res;
  }
  if (auto v = r.Str(*t, p, "priority", false)) {
    if (!known.priorities.count(*v)) r.Fail(t->get("priority"), p + ".priority", "Unknown priority \"" + *v + "\"; list it under [[priorities]].");
    else a.priority = *v;
  }
  if (auto v = r.Str(*t, p, "group", false)) {
    if (Trim(*v).empty()) r.Fail(t->get("group"), p + ".group", "must name a group.");
    else a.group = std::string(Trim(*v));
  }
  if (auto v = r.Str(*t, p, "assignee", false)) {
    if (Trim(*v).empty()) a.unassign = true;
    else if (NormalizeEmail(*v).empty()) r.Fail(t->get("assignee"), p + ".assignee", "\"" + *v + "\" is not an email address (\"\" unassigns).");
    else a.assignee = NormalizeEmail(*v);
  }
}

// A rule's `mail` to the requester: a subject and a body per language, mustache text.
std::optional<RuleMail> ReadRuleMail(Reader& r, const toml::table& rule, const std::string& path) {
  const toml::node* n = rule.get("mail");
  if (!n) return std::nullopt;
  const std::string p = Reader::Join(path, "mail");
  const auto* t = n->as_table();
  if (!t) {
    r.Fail(n, p, "must be a table such as { subject = { en = \"...\" }, body = { en = \"...\" } }.");
    return std::nullopt;
  }
  r.KnownKeys(*t, p, {"subject", "body"});
  RuleMail m;
  m.subject = r.Texts(*t, p, "subject", true);
  m.body = r.Texts(*t, p, "body", true);
  for (const auto* texts : {&m.subject, &m.body}) {
    const char* key = texts == &m.subject ? "subject" : "body";
    for (const auto& [language, text] : *texts) {
      kainjow::mustache::mustache check(text);
      if (!check.is_valid()) r.Fail(t->get(key), p + "." + key + "." + language, "is not a valid template: " + check.error_message());
    }
  }
  return m;
}

// [[automations.rules]]: named rules, by time or on an event, with conditions and actions.
void ReadRules(Reader& r, const toml::table& automations, const std::set<std::string>& broken_calendars, const Known& known,
               Policy& policy) {
  const toml::node* node = automations.get("rules");
  if (!node) return;
  const auto* list = node->as_array();
  if (!list) {
    r.Fail(node, "automations.rules", "must be a list of tables ([[automations.rules]]).");
    return;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string path = "automations.rules[" + std::to_string(i + 1) + "]";
    const auto* t = (*list)[i].as_table();
    if (!t) {
      r.Fail(&(*list)[i], path, "must be a table ([[automations.rules]]).");
      continue;
    }
    r.KnownKeys(*t, path, {"name", "on", "since", "after", "calendar", "when", "set", "add_tags", "remove_tags", "notify", "mail", "webhook"});
    AutomationRule rule;
    rule.line = int(t->source().begin.line);
    const size_t errors_before = r.count();
    if (auto name = r.Str(*t, path, "name", true)) {
      const bool well_formed = !name->empty() && name->size() <= 64 && std::all_of(name->begin(), name->end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
      if (!well_formed) r.Fail(t->get("name"), path + ".name", "\"" + *name + "\" must be 1 to 64 lower-case letters, digits, _ or -: it is stored with each firing.");
      else if (*name == "auto_close") r.Fail(t->get("name"), path + ".name", "\"auto_close\" is [automations.auto_close]'s; choose another name.");
      else if (!names.insert(*name).second) r.Fail(t->get("name"), path + ".name", "Another rule is named \"" + *name + "\"; names are unique.");
      else rule.name = *name;
    }
    if (auto on = r.Str(*t, path, "on", true)) {
      if (auto trigger = ParseRuleTrigger(*on)) rule.on = *trigger;
      else r.Fail(t->get("on"), path + ".on", "Unknown trigger \"" + *on + "\"; use time, ticket_created, customer_replied, agent_replied or status_changed.");
    }
    if (rule.on == RuleTrigger::kTime) {
      if (auto since = r.Str(*t, path, "since", true)) {
        if (auto s = ParseRuleSince(*since)) rule.since = *s;
        else r.Fail(t->get("since"), path + ".since", "Unknown instant \"" + *since + "\"; use created, status, customer_reply or agent_reply.");
      }
      // An unknown calendar refuses the rule; `after` is still read (days as 24 hours then),
      // so that every problem of the rule is reported at once.
      bool calendar_known = true;
      const Calendar* cal = ReadAutomationCalendar(r, *t, path, broken_calendars, policy, rule.calendar, calendar_known);
      if (auto after = AutomationDuration(r, *t, path, "after", cal, true, &rule.after_text)) rule.after = *after;
    } else {
      for (const char* key : {"since", "after", "calendar"})
        if (t->get(key)) r.Fail(t->get(key), path + "." + key, std::string("Only time rules (on = \"time\") wait; a rule on ") + std::string(Name(rule.on)) + " acts at once.");
    }
    rule.when = ReadRuleConditions(r, *t, path, known);
    ReadRuleSet(r, *t, path, known, policy, rule.actions);
    for (const auto& v : r.Strings(*t, path, "add_tags")) rule.actions.add_tags.push_back(AsciiLower(v));
    for (const auto& v : r.Strings(*t, path, "remove_tags")) rule.actions.remove_tags.push_back(AsciiLower(v));
    for (const auto& who : r.Strings(*t, path, "notify")) {
      if (who == "requester") r.Fail(t->get("notify"), path + ".notify", "Rules tell the requester with mail = { subject = ..., body = ... }; notify is for the team.");
      else if (who != "assignee" && who != "group" && NormalizeEmail(who).empty())
        r.Fail(t->get("notify"), path + ".notify", "\"" + who + "\" is not assignee, group or an email address.");
      else rule.actions.notify.push_back(who);
    }
    rule.actions.mail = ReadRuleMail(r, *t, path);
    rule.actions.webhook = ReadWebhook(r, *t, path);
    const auto& a = rule.actions;
    if (r.count() == errors_before && !a.changes_ticket() && a.notify.empty() && !a.mail && a.webhook.empty())
      r.Fail(t, path, "does nothing; give it set, add_tags, remove_tags, notify, mail or webhook.");
    if (r.count() == errors_before) policy.automations.rules.push_back(std::move(rule));
  }
}

// [automations]: its sections.
void ReadAutomations(Reader& r, const toml::table& root, const std::set<std::string>& broken_calendars, const Known& known,
                     Policy& policy) {
  const auto* node = root.get("automations");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "automations", "must be a table ([automations]) of automations such as [automations.auto_close].");
    return;
  }
  r.KnownKeys(*t, "automations", {"auto_close", "rules"});
  if (const auto* ac = t->get("auto_close")) {
    if (const auto* act = ac->as_table()) ReadAutoClose(r, *act, broken_calendars, policy);
    else r.Fail(ac, "automations.auto_close", "must be a table ([automations.auto_close]) with after = \"48h\".");
  }
  ReadRules(r, *t, broken_calendars, known, policy);
}

// How one group hands out tickets: the keys of [routing] and of [routing.groups."NAME"].
GroupRouting ReadGroupRouting(Reader& r, const toml::table& t, const std::string& path, const GroupRouting& base) {
  GroupRouting g = base;
  if (auto mode = r.Str(t, path, "mode", false)) {
    if (auto m = core::ParseRoutingMode(*mode)) g.mode = *m;
    else r.Fail(t.get("mode"), path + ".mode", "Unknown mode \"" + *mode + "\"; use manual, round_robin or least_loaded.");
  }
  if (const auto* n = t.get("capacity")) {
    if (!n->is_integer() || *n->value<int64_t>() < 0 || *n->value<int64_t>() > 10000)
      r.Fail(n, path + ".capacity", "must be the most open tickets an agent carries, from 1 to 10000 (0: no limit).");
    else g.capacity = int(*n->value<int64_t>());
  }
  return g;
}

// [routing]: the default mode and capacity, per-group overrides, language, specialists.
void ReadRouting(Reader& r, const toml::table& root, Policy& policy) {
  const auto* node = root.get("routing");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "routing", "must be a table ([routing]) with mode = \"round_robin\" or \"least_loaded\".");
    return;
  }
  r.KnownKeys(*t, "routing", {"mode", "capacity", "group", "by_language", "specialists", "groups"});
  Routing& routing = policy.routing;
  routing.line = int(t->source().begin.line);
  routing.defaults = ReadGroupRouting(r, *t, "routing", GroupRouting{});
  if (auto group = r.Str(*t, "routing", "group", false)) routing.group = std::string(Trim(*group));
  if (const auto* n = t->get("by_language")) {
    if (!n->is_boolean()) r.Fail(n, "routing.by_language", "must be true or false.");
    else routing.by_language = *n->value<bool>();
  }
  for (const auto& name : r.Strings(*t, "routing", "specialists")) {
    if (Trim(name).empty()) r.Fail(t->get("specialists"), "routing.specialists", "A group name cannot be empty.");
    else routing.specialists.push_back(AsciiLower(Trim(name)));
  }
  if (const auto* gs = t->get("groups")) {
    const auto* gt = gs->as_table();
    if (!gt) {
      r.Fail(gs, "routing.groups", "must be a table of groups by name ([routing.groups.\"Tier 2\"]).");
      return;
    }
    for (const auto& [name, g] : *gt) {
      const std::string path = "routing.groups." + std::string(name.str());
      const auto* group = g.as_table();
      if (!group) {
        r.Fail(&g, path, "must be a table with mode and/or capacity.");
        continue;
      }
      r.KnownKeys(*group, path, {"mode", "capacity"});
      routing.groups[AsciiLower(Trim(name.str()))] = ReadGroupRouting(r, *group, path, routing.defaults);
    }
  }
}

// [outcomes]: whether solving needs a resolution and a summary, which resolutions agents
// choose from, and the customer's text of each (the desk's own five languages otherwise).
void ReadOutcomes(Reader& r, const toml::table& root, Policy& policy) {
  core::Outcomes o;
  if (const auto* node = root.get("outcomes")) {
    const auto* t = node->as_table();
    if (!t) {
      r.Fail(node, "outcomes", "must be a table ([outcomes]) such as required = true.");
    } else {
      r.KnownKeys(*t, "outcomes", {"required", "resolutions", "texts"});
      o.required = Bool(r, *t, "outcomes", "required", false);
      for (const auto& name : r.Strings(*t, "outcomes", "resolutions")) {
        auto res = core::ParseResolution(name);
        if (!res) r.Fail(t->get("resolutions"), "outcomes.resolutions", "Unknown resolution \"" + name + "\"; use " + core::ResolutionNames() + ".");
        else if (std::find(o.offered.begin(), o.offered.end(), *res) != o.offered.end())
          r.Fail(t->get("resolutions"), "outcomes.resolutions", "\"" + name + "\" is listed twice.");
        else o.offered.push_back(*res);
      }
      if (const auto* texts = t->get("texts")) {
        const auto* tt = texts->as_table();
        if (!tt) {
          r.Fail(texts, "outcomes.texts", "must be a table of resolution = { en = \"...\", pt-BR = \"...\" }.");
        } else {
          for (const auto& [key, value] : *tt) {
            auto res = core::ParseResolution(key.str());
            if (!res) {
              r.Fail(&value, "outcomes.texts." + std::string(key.str()),
                     "Unknown resolution \"" + std::string(key.str()) + "\"; use " + core::ResolutionNames() + ".");
              continue;
            }
            o.texts.emplace_back(*res, r.Texts(*tt, "outcomes.texts", key.str(), true));
          }
        }
      }
    }
  }
  policy.catalog.outcomes = core::WithDefaultTexts(std::move(o));
}

// [surveys]: the satisfaction survey after solving, and whether auto-closed tickets get it.
void ReadSurveys(Reader& r, const toml::table& root, Policy& policy) {
  const auto* node = root.get("surveys");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "surveys", "must be a table ([surveys]) such as enabled = true.");
    return;
  }
  r.KnownKeys(*t, "surveys", {"enabled", "after_auto_close"});
  policy.surveys.enabled = Bool(r, *t, "surveys", "enabled", true);
  policy.surveys.after_auto_close = Bool(r, *t, "surveys", "after_auto_close", false);
}

// A percentage of `t` (an integer or a float) strictly between 0 and 100; nullopt when wrong.
std::optional<double> Percent(Reader& r, const toml::node* n, const std::string& path) {
  const auto v = n->is_number() ? n->value<double>() : std::nullopt;
  if (!v || !(*v > 0 && *v < 100)) {
    r.Fail(n, path, "must be a percentage above 0 and below 100, such as 99.4.");
    return std::nullopt;
  }
  return v;
}

// [status]: the uptime target per component, how a partial outage counts and the zone months
// are cut in (status/uptime.h).
void ReadStatus(Reader& r, const toml::table& root, Policy& policy) {
  const auto* node = root.get("status");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "status", "must be a table ([status]) such as target = 99.4.");
    return;
  }
  StatusRules& s = policy.status;
  s.line = int(t->source().begin.line);
  r.KnownKeys(*t, "status", {"target", "partial_weight", "time_zone", "targets"});
  if (const auto* n = t->get("target"))
    if (auto v = Percent(r, n, "status.target")) s.target_percent = *v;
  if (const auto* n = t->get("partial_weight")) {
    const auto v = n->is_number() ? n->value<double>() : std::nullopt;
    if (!v || *v < 0 || *v > 1) r.Fail(n, "status.partial_weight", "must be a number from 0 (a partial outage counts as up) to 1 (as a major outage).");
    else s.partial_weight = *v;
  }
  if (auto zone = r.Str(*t, "status", "time_zone", false)) {
    CalendarSpec spec;
    spec.tz = *zone;
    spec.always_open = true;
    if (!Calendar::Make(spec).ok()) r.Fail(t->get("time_zone"), "status.time_zone", "\"" + *zone + "\" is not a time zone; write an IANA name such as \"America/Sao_Paulo\".");
    else s.time_zone = *zone;
  }
  if (const auto* n = t->get("targets")) {
    const auto* targets = n->as_table();
    if (!targets) {
      r.Fail(n, "status.targets", "must be a table of component key = percentage, such as { api = 99.4 }.");
      return;
    }
    for (const auto& [key, value] : *targets) {
      const std::string k(key.str());
      if (!IsSlug(k)) r.Fail(&value, "status.targets." + k, "A component key is lower-case letters, digits, _ or -.");
      else if (auto v = Percent(r, &value, "status.targets." + k)) s.component_targets[k] = *v;
    }
  }
}

// [chat]: the live-chat hours, a calendar of the policy.
void ReadChat(Reader& r, const toml::table& root, const std::set<std::string>& broken_calendars, Policy& policy) {
  const auto* node = root.get("chat");
  if (!node) return;
  const auto* t = node->as_table();
  if (!t) {
    r.Fail(node, "chat", "must be a table ([chat]) such as calendar = \"live_chat\".");
    return;
  }
  policy.chat.line = int(node->source().begin.line);
  r.KnownKeys(*t, "chat", {"calendar"});
  bool known = true;
  ReadAutomationCalendar(r, *t, "chat", broken_calendars, policy, policy.chat.calendar, known);
}

}  // namespace

Result<Policy> ParsePolicy(std::string_view text, std::string_view source, const PolicyFileReader& read) {
  auto parsed = ParseTomlText(text, source);
  if (!parsed.ok()) return std::move(parsed).error();
  const toml::table& root = *parsed;
  Reader r(source);
  Policy policy;
  policy.source = std::string(text);
  // Sections in this order: each may refer to what those before it define.
  Known known;
  std::set<std::string> broken_calendars;
  ReadHeader(r, root, policy);
  ReadCalendars(r, root, read, policy, broken_calendars);
  ReadPriorities(r, root, policy, known);
  ReadCategories(r, root, policy, known);
  ReadPlans(r, root, policy, known);
  ReadPause(r, root, policy);
  ReadTargetRules(r, root, broken_calendars, known, policy);
  ReadExemptions(r, root, known, policy);
  ReadWarnings(r, root, policy);
  ReadEscalations(r, root, known, policy);
  ReadVisibility(r, root, policy);
  ReadRouting(r, root, policy);
  ReadOutcomes(r, root, policy);
  ReadSurveys(r, root, policy);
  ReadStatus(r, root, policy);
  ReadChat(r, root, broken_calendars, policy);
  ReadAutomations(r, root, broken_calendars, known, policy);  // its rules may set a resolution
  if (!r.ok()) return r.Result();
  return policy;
}

}  // namespace chamado::sla
