#include "http/views.h"

#include <algorithm>

#include "core/details.h"

#include "core/mail.h"
#include "core/outcomes.h"
#include "store/service_level.h"

namespace chamado::http {
using namespace core;

Result<void> Names::AddUser(store::Repo& repo, Id id) {
  if (id == 0 || users_.count(id)) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(id));
  if (u) users_.emplace(id, std::move(*u));
  return Ok();
}

Result<void> Names::AddOrganization(store::Repo& repo, Id id) {
  if (organizations_.count(id)) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto name, repo.OrganizationName(id));
  if (name) organizations_.emplace(id, std::move(*name));
  return Ok();
}

Result<void> Names::AddGroup(store::Repo& repo, Id id) {
  if (groups_.count(id)) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(id));
  if (g) groups_.emplace(id, std::move(*g));
  return Ok();
}

Result<void> Names::AddTickets(store::Repo& repo, const std::vector<Ticket>& tickets) {
  for (const auto& t : tickets) {
    CHAMADO_TRY(AddUser(repo, t.requester_id));
    if (t.assignee_id) CHAMADO_TRY(AddUser(repo, *t.assignee_id));
    if (t.organization_id) CHAMADO_TRY(AddOrganization(repo, *t.organization_id));
    if (t.group_id) CHAMADO_TRY(AddGroup(repo, *t.group_id));
  }
  return Ok();
}

const User* Names::User(Id id) const {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}
const std::string* Names::OrganizationName(Id id) const {
  auto it = organizations_.find(id);
  return it == organizations_.end() ? nullptr : &it->second;
}
const Group* Names::Group(Id id) const {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : &it->second;
}

json::value InstantJson(const std::optional<Instant>& t) {
  if (!t) return nullptr;
  return json::string(FormatIsoUtc(*t));
}

json::value FieldValueJson(const FieldValue& v) {
  return std::visit([](const auto& x) -> json::value { return json::value(x); }, v);
}

json::object PersonRef(const core::User* u, bool staff, json::storage_ptr sp) {
  if (!u) return json::object({{"id", nullptr}, {"name", "(unknown)"}}, sp);
  json::object o({{"id", u->id}, {"name", u->name.empty() ? u->email : u->name}, {"role", Name(u->role)}}, sp);
  // Customers see agents by name only; agents see everyone's address.
  if (staff || u->role == Role::kCustomer) o["email"] = u->email;
  return o;
}

json::object TicketJson(const Ticket& t, const Names& names, const Catalog& catalog, bool staff, std::string_view language,
                        json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(32);  // the fields below and what AddClocks and the callers add: no rehash on the way
  o["number"] = t.number;
  o["subject"] = t.subject;
  o["status"] = Name(t.status);
  o["priority"] = t.priority;
  if (auto description = catalog.priorities.Description(t.priority, language)) o["priority_description"] = *description;
  o["channel"] = Name(t.channel);
  o["requester"] = PersonRef(names.User(t.requester_id), staff, sp);
  if (t.organization_id) {
    const auto* org = names.OrganizationName(*t.organization_id);
    o["organization"] = json::object({{"id", *t.organization_id}, {"name", org ? *org : ""}}, sp);
  } else {
    o["organization"] = nullptr;
  }
  // Customers see neither the group (the desk's own routing) nor what the policy marks
  // internal ([visibility]).
  if (t.group_id && staff) {
    const auto* g = names.Group(*t.group_id);
    o["group"] = json::object({{"id", *t.group_id}, {"name", g ? g->name : ""}}, sp);
  } else {
    o["group"] = nullptr;
  }
  o["assignee"] = t.assignee_id ? json::value(PersonRef(names.User(*t.assignee_id), staff, sp)) : json::value(nullptr);
  json::array tags(sp);
  for (const auto& s : t.tags)
    if (staff || !catalog.IsInternalTag(s)) tags.emplace_back(s);
  o["tags"] = std::move(tags);
  o["category"] = t.category.empty() ? json::value(nullptr) : json::value(t.category);
  json::object fields(sp);
  for (const auto& f : t.custom_fields)
    if (staff || !catalog.IsInternalField(f.key)) fields[f.key] = FieldValueJson(f.value);
  o["custom_fields"] = std::move(fields);
  o["resolution"] = t.resolution ? json::value(Name(*t.resolution)) : json::value(nullptr);
  // What the customer was told: the resolution's text in the viewer's language, and the summary.
  o["resolution_text"] = t.resolution ? json::value(catalog.outcomes.TextFor(*t.resolution, language)) : json::value(nullptr);
  o["resolution_summary"] = t.resolution_summary.empty() ? json::value(nullptr) : json::value(t.resolution_summary);
  o["created_at"] = FormatIsoUtc(t.created_at);
  o["updated_at"] = FormatIsoUtc(t.updated_at);
  o["first_response_at"] = InstantJson(t.first_response_at);
  o["solved_at"] = InstantJson(t.solved_at);
  o["closed_at"] = InstantJson(t.closed_at);
  if (staff) o["escalation_level"] = t.escalation_level;
  return o;
}

namespace {

// `shown_due`: the due as people are shown it, agents and customers alike (one rule,
// sla::Calendar::DisplayDue: a due at an opening of business hours is the close of business
// before it, the same instant in business time).
json::object ClockObject(std::string_view target, std::string_view state, std::string_view within, std::string_view calendar,
                         Instant started, std::optional<Instant> due, std::optional<Instant> shown_due, std::optional<Instant> breached,
                         std::optional<Instant> stopped, std::optional<int64_t> used_ms, std::optional<int64_t> within_ms,
                         json::storage_ptr sp) {
  json::object c({{"target", target},
                  {"state", state},
                  {"within", within},
                  {"calendar", calendar},
                  {"started_at", FormatIsoUtc(started)},
                  {"due_at", InstantJson(due)},
                  {"due_shown_at", InstantJson(shown_due)},
                  {"breached_at", InstantJson(breached)},
                  {"stopped_at", InstantJson(stopped)}},
                 sp);
  if (used_ms && within_ms) {
    c["used_minutes"] = *used_ms / 60000;
    c["remaining_minutes"] = (*within_ms - *used_ms) / 60000;
  }
  return c;
}

}  // namespace

// The calendar's name per language, as the policy gives it ([calendars.x] name); {} without.
json::object CalendarNames(const std::string& calendar, const sla::Policy& policy, json::storage_ptr sp = {}) {
  const auto it = policy.calendar_names.find(calendar);
  return it == policy.calendar_names.end() ? json::object(sp) : TextsJson(it->second, sp);
}

std::optional<Instant> ShownDue(std::optional<Instant> due, const std::string& calendar, const sla::Policy& policy) {
  if (!due) return due;
  auto it = policy.calendars.find(calendar);
  return it == policy.calendars.end() ? *due : it->second->DisplayDue(*due);
}

json::object ClockView(const sla::Clock& c, const sla::Policy& policy) {
  json::object o = ClockObject(sla::Name(c.target), sla::Name(c.state), c.within_text, c.calendar, c.started_at, c.due_at,
                               ShownDue(c.due_at, c.calendar, policy), c.breached_at, c.stopped_at, c.used.count(), c.within.count(), {});
  o["calendar_names"] = CalendarNames(c.calendar, policy);
  return o;
}

void AddClocks(json::object& ticket, const std::vector<sla::Clock>& clocks, bool staff, const sla::Policy& policy) {
  auto expected = store::ExpectedResolution(clocks, policy);
  ticket["expected_resolution_at"] = expected ? json::value(FormatIsoUtc(*expected)) : json::value(nullptr);
  if (!staff) return;
  json::array arr;
  for (const auto& c : clocks) arr.push_back(ClockView(c, policy));
  ticket["clocks"] = std::move(arr);
}

std::span<const store::Repo::ClockRow> ClocksOf(const std::vector<store::Repo::ClockRow>& rows, core::Id ticket_number) {
  // Not std::ranges::equal_range: clang 14 (the sanitizer build) cannot compile its subrange.
  const auto first = std::partition_point(rows.begin(), rows.end(), [&](const auto& r) { return r.ticket_number < ticket_number; });
  const auto last = std::partition_point(first, rows.end(), [&](const auto& r) { return r.ticket_number == ticket_number; });
  return {rows.data() + (first - rows.begin()), size_t(last - first)};
}

void AddClocks(json::object& ticket, std::span<const store::Repo::ClockRow> rows, bool staff, Instant now,
               const sla::Policy& policy) {
  json::array arr(ticket.storage());
  ticket["expected_resolution_at"] = nullptr;
  for (const auto& r : rows) {
    sla::ClockState state = r.state;
    std::optional<Instant> breached = r.breached_at;
    if (state == sla::ClockState::kRunning && r.due_at && *r.due_at < now) {
      state = sla::ClockState::kBreached;  // stored before its due passed; the scheduler will record the breach
      breached = r.due_at;
    }
    if (auto at = store::ExpectedResolution(r.target, state, r.due_at, r.calendar, policy))
      ticket["expected_resolution_at"] = FormatIsoUtc(*at);
    if (staff)
      arr.push_back(ClockObject(sla::Name(r.target), sla::Name(state), r.within_text, r.calendar, r.cycle_start, r.due_at,
                                ShownDue(r.due_at, r.calendar, policy), breached, r.stopped_at, std::nullopt, std::nullopt,
                                ticket.storage()));
    if (staff) arr.back().as_object()["calendar_names"] = CalendarNames(r.calendar, policy, ticket.storage());
  }
  if (staff) ticket["clocks"] = std::move(arr);
}

json::object SurveyAnswerJson(const core::SurveyAnswer& a) {
  return json::object{{"rating", a.rating},
                      {"comment", a.comment},
                      {"answered_at", FormatIsoUtc(a.answered_at)},
                      {"updated_at", FormatIsoUtc(a.updated_at)},
                      {"changeable_until", FormatIsoUtc(core::SurveyChangeableUntil(a.answered_at))}};
}

json::object TextsJson(const core::Texts& t, json::storage_ptr sp) {
  json::object o(sp);
  for (const auto& [lang, text] : t) o[lang] = text;
  return o;
}

json::array DetailsJson(const std::vector<core::Detail>& details, std::string_view language) {
  json::array out;
  for (const auto& d : details) {
    const std::string_view label = core::TextFor(d.names, language);
    out.push_back(json::object{{"key", d.key},
                               {"kind", core::Name(d.kind)},
                               {"required", d.required},
                               {"field", core::DetailField(d)},
                               {"name", d.name},
                               {"label", label.empty() ? d.name : std::string(label)},
                               {"names", TextsJson(d.names)}});
  }
  return out;
}

json::object AttachmentJson(const Attachment& a) {
  return json::object{{"id", a.id},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"url", "/api/v1/attachments/" + std::to_string(a.id)}};
}

json::object MessageJson(const Message& m, const Names& names, bool staff) {
  json::object o;
  o["id"] = m.id;
  o["ticket_number"] = m.ticket_number;
  o["kind"] = Name(m.kind);
  o["public"] = IsPublic(m.kind);
  o["author"] = m.author_id == 0 ? json::value(json::object{{"id", nullptr}, {"name", "Chamado"}, {"role", "system"}})
                                 : json::value(PersonRef(names.User(m.author_id), staff));
  o["body"] = m.body;
  // A code each screen says in its reader's language (web/src/locales: message.label.*).
  o["label"] = m.label.empty() ? json::value(nullptr) : json::value(m.label);
  // Where quoted history begins (in UTF-16 code units, as browsers count): the UI folds it.
  if (size_t at = core::QuotedHistoryStart(m.body); at != std::string::npos) {
    size_t units = 0;
    for (size_t i = 0; i < at; ++i) {
      const unsigned char c = static_cast<unsigned char>(m.body[i]);
      if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
    }
    o["quote_start"] = units;
  } else {
    o["quote_start"] = nullptr;
  }
  o["automatic"] = m.automatic;
  o["masked"] = m.masked;
  o["channel"] = Name(m.channel);
  o["created_at"] = FormatIsoUtc(m.created_at);
  json::array atts;
  for (const auto& a : m.attachments) atts.push_back(AttachmentJson(a));
  o["attachments"] = std::move(atts);
  return o;
}

json::object UserJson(const User& u, bool full) {
  json::object o;
  o["id"] = u.id;
  o["name"] = u.name;
  o["email"] = u.email;
  o["role"] = Name(u.role);
  o["language"] = u.language;
  o["time_zone"] = u.time_zone;
  o["active"] = u.active;
  if (u.role == Role::kCustomer) {
    o["organization_id"] = u.organization_id ? json::value(*u.organization_id) : json::value(nullptr);
  } else if (full) {
    json::array groups;
    for (auto g : u.group_ids) groups.emplace_back(g);
    o["group_ids"] = std::move(groups);
    json::array langs;
    for (const auto& l : u.languages) langs.emplace_back(l);
    o["languages"] = std::move(langs);
  }
  o["created_at"] = FormatIsoUtc(u.created_at);
  return o;
}

json::object OrganizationJson(const Organization& org) {
  json::array domains;
  for (const auto& d : org.domains) domains.emplace_back(d);
  return json::object{{"id", org.id},           {"name", org.name},         {"plan", org.plan},
                      {"language", org.language}, {"time_zone", org.time_zone}, {"domains", std::move(domains)},
                      {"notes", org.notes},     {"created_at", FormatIsoUtc(org.created_at)}, {"active", org.active}};
}

json::object GroupJson(const Group& g) {
  return json::object{{"id", g.id}, {"name", g.name}, {"description", g.description}, {"created_at", FormatIsoUtc(g.created_at)}};
}

json::object EventJson(const store::StoredEvent& e, const Names& names) {
  json::array changes;
  for (const auto& c : e.event.changes)
    changes.push_back(json::object{{"field", c.field},
                                   {"before", c.before.empty() ? json::value(nullptr) : json::value(c.before)},
                                   {"after", c.after.empty() ? json::value(nullptr) : json::value(c.after)}});
  json::object o{{"id", e.id},
                 {"kind", e.event.kind},
                 {"at", FormatIsoUtc(e.event.at)},
                 {"actor", e.event.actor_id == 0 ? json::value(json::object{{"id", nullptr}, {"name", "Chamado"}, {"role", "system"}})
                                                 : json::value(PersonRef(names.User(e.event.actor_id), true))},
                 {"changes", std::move(changes)}};
  if (e.event.message_id) o["message_id"] = e.event.message_id;
  return o;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find_first_of(", ", i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace chamado::http
