#include "store/directory.h"

#include <algorithm>
#include <filesystem>

#include "core/languages.h"
#include "core/text.h"
#include "store/service_level.h"

namespace chamado::store {
using namespace core;

namespace {

using Problems = std::vector<FieldError>;

// A problem of `field` said with the catalog sentence `id` (core/messages.h); {field} is given.
void Say(Problems& p, std::string_view field, std::string_view id, core::TextArgs args = {}) {
  args.emplace_back("field", std::string(field));
  p.push_back({std::string(field), core::Say(id, args), std::string(id), std::move(args)});
}

void Required(Problems& p, std::string_view field, std::string_view what) {
  Say(p, field, "field.required", {{"what", std::string(what)}});
}

// One line of text, 1..max bytes.
void CheckLine(Problems& p, std::string_view field, const std::optional<std::string>& v, size_t max, bool required) {
  if (!v) return;
  const std::string_view t = Trim(*v);
  if ((required && t.empty()) || t.size() > max || !IsValidUtf8(t) || HasControlChars(t, false))
    Say(p, field, required ? "field.one_line_required" : "field.one_line", {{"max", std::to_string(max)}});
}

void CheckLanguage(Problems& p, std::string_view field, const std::optional<std::string>& v) {
  if (v && !core::IsDeskLanguage(*v))
    Say(p, field, "field.language", {{"value", *v}, {"languages", core::DeskLanguageList()}});
}

// A name in the system's time zone database.
bool IsKnownTimeZone(std::string_view name) {
  if (name == "UTC") return true;
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / std::string(name), ec);
}

void CheckTimeZone(Problems& p, std::string_view field, const std::optional<std::string>& v) {
  if (v && !IsKnownTimeZone(*v))
    Say(p, field, "field.time_zone", {{"value", *v}});
}

void OnlyFor(Problems& p, std::string_view field, std::string_view who) {
  p.push_back({std::string(field), "The field \"" + std::string(field) + "\" is for " + std::string(who) + " only."});
}

Result<void> Refuse(Problems p) {
  if (p.empty()) return Ok();
  return Error::Invalid(std::move(p));
}

Result<void> InsertEvent(Repo& repo, std::string kind, Id actor, Instant now, std::vector<Change> changes) {
  return repo.InsertEvents({{std::move(kind), 0, actor, now, std::move(changes), 0}}, 0, 0);
}

void Changed(std::vector<Change>& changes, std::string field, std::string before, std::string after) {
  if (before != after) changes.push_back({std::move(field), std::move(before), std::move(after)});
}

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Sets the fields given in `in` on `o`; returns the problems of the values.
Problems ApplyOrganization(const OrganizationInput& in, bool create, Organization& o) {
  Problems p;
  if (create && !in.name) Required(p, "name", "the company's name");
  CheckLine(p, "name", in.name, 200, true);
  if (in.name) o.name = std::string(Trim(*in.name));
  if (in.plan) {
    if (!in.plan->empty() && !IsSlug(*in.plan))
      p.push_back({"plan", "plan must be a plan key such as \"premium\" (lower-case letters, digits, _ or -)."});
    o.plan = *in.plan;
  }
  CheckLanguage(p, "language", in.language);
  if (in.language) o.language = *in.language;
  CheckTimeZone(p, "time_zone", in.time_zone);
  if (in.time_zone) o.time_zone = *in.time_zone;
  if (in.notes) o.notes = *in.notes;
  if (in.active) o.active = *in.active;
  if (in.domains) {
    o.domains.clear();
    for (const auto& d : *in.domains) {
      const std::string lower = AsciiLower(Trim(d));
      if (NormalizeEmail("x@" + lower).empty()) {
        p.push_back({"domains", "\"" + d + "\" is not an email domain such as example.com."});
        continue;
      }
      o.domains.push_back(lower);
    }
    std::sort(o.domains.begin(), o.domains.end());
    o.domains.erase(std::unique(o.domains.begin(), o.domains.end()), o.domains.end());
  }
  return p;
}

Organization NewOrganization(Instant now) {
  Organization o;
  o.language = "en";
  o.time_zone = "UTC";
  o.created_at = now;
  return o;
}

// Sets the fields given in `in` on `u`; returns the problems of the values. `self`: only
// what a person may change about themselves.
Problems ApplyUser(UserKind kind, const UserInput& in, bool create, bool self, User& u) {
  Problems p;
  const bool contact = kind == UserKind::kContact;
  if (create && !in.email) Required(p, "email", "the person's email address");
  if (in.email) {
    const std::string n = NormalizeEmail(*in.email);
    if (self && n != u.email) Say(p, "email", "person.self_email");
    else if (n.empty()) Say(p, "email", "person.email_invalid", {{"value", *in.email}});
    else u.email = n;
  }
  CheckLine(p, "name", in.name, 200, false);
  if (in.name) u.name = std::string(Trim(*in.name));
  CheckLanguage(p, "language", in.language);
  if (in.language) u.language = *in.language;
  CheckTimeZone(p, "time_zone", in.time_zone);
  if (in.time_zone) u.time_zone = *in.time_zone;
  if (in.active) {
    if (self) Say(p, "active", "person.self_deactivate");
    else u.active = *in.active;
  }
  if (in.organization_id) {
    if (!contact) OnlyFor(p, "organization_id", "contacts");
    else if (self) Say(p, "organization_id", "person.self_organization");
    else u.organization_id = *in.organization_id;
  }
  if (in.languages) {
    if (contact) {
      OnlyFor(p, "languages", "agents");
    } else {
      for (const auto& l : *in.languages)
        if (!core::IsDeskLanguage(l))
          Say(p, "languages", "field.language", {{"value", l}, {"languages", core::DeskLanguageList()}});
      u.languages = *in.languages;
    }
  }
  if (in.group_ids) {
    if (contact) OnlyFor(p, "group_ids", "agents");
    else if (self) Say(p, "group_ids", "person.self_groups");
    else u.group_ids = *in.group_ids;
  }
  if (in.role) {
    const auto r = ParseRole(*in.role);
    if (contact) OnlyFor(p, "role", "agents");
    else if (self) Say(p, "role", "person.self_role");
    else if (!r || *r == Role::kCustomer) p.push_back({"role", "An agent's role is agent or admin."});
    else u.role = *r;
  }
  return p;
}

User NewUser(UserKind kind, Instant now) {
  User u;
  u.role = kind == UserKind::kContact ? Role::kCustomer : Role::kAgent;
  u.language = "en";
  u.time_zone = "UTC";
  u.created_at = now;
  return u;
}

Result<void> OrganizationExists(Repo& repo, Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(id));
  if (!org) return Error::InvalidSaid("organization_id", "directory.organization_missing", {{"id", std::to_string(id)}});
  return Ok();
}

// Every way a person is created ends here, so each is audited.
Result<User> InsertUserAudited(Repo& repo, const User& u, std::string_view password_hash, Id actor, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertUser(u, password_hash));
  CHAMADO_TRY(InsertEvent(repo, made.role == Role::kCustomer ? "contact.created" : "agent.created", actor, now,
                          {{"email", "", made.email}}));
  return made;
}

Problems ApplyGroup(const GroupInput& in, bool create, Group& g) {
  Problems p;
  if (create && !in.name) Required(p, "name", "the team's name, such as L1 or Engineering");
  CheckLine(p, "name", in.name, 100, true);
  if (in.name) g.name = std::string(Trim(*in.name));
  if (in.description) g.description = *in.description;
  return p;
}

}  // namespace

// ---- organizations ----

std::vector<FieldError> OrganizationProblems(const OrganizationInput& in, bool create) {
  Organization scratch;
  return ApplyOrganization(in, create, scratch);
}

Result<void> RefuseDeactivatedOrganization(Repo& repo, const User& requester) {
  if (!requester.organization_id) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(const bool active, repo.OrganizationActive(*requester.organization_id));
  if (active) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto name, repo.OrganizationName(*requester.organization_id));
  return Error::Said(ErrorCode::kConflict, "organization.deactivated", {{"organization", name.value_or("")}});
}

Result<Organization> CreateOrganizationCommand(Repo& repo, const OrganizationInput& in, Id actor, Instant now) {
  Organization o = NewOrganization(now);
  CHAMADO_TRY(Refuse(ApplyOrganization(in, true, o)));
  CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertOrganization(o));
  CHAMADO_TRY(InsertEvent(repo, "organization.created", actor, now, {{"name", "", made.name}}));
  return made;
}

Result<Organization> UpdateOrganizationCommand(Repo& repo, const sla::Policy& policy, Id id, const OrganizationInput& in,
                                               Id actor, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto o, repo.GetOrganization(id));
  if (!o) return Error::Said(ErrorCode::kNotFound, "directory.organization_missing", {{"id", std::to_string(id)}});
  const Organization before = *o;
  CHAMADO_TRY(Refuse(ApplyOrganization(in, false, *o)));
  CHAMADO_TRY(repo.UpdateOrganization(*o));
  std::vector<Change> changes;
  Changed(changes, "name", before.name, o->name);
  Changed(changes, "plan", before.plan, o->plan);
  Changed(changes, "domains", JoinComma(before.domains), JoinComma(o->domains));
  if (!changes.empty()) CHAMADO_TRY(InsertEvent(repo, "organization.updated", actor, now, changes));
  if (o->active != before.active)
    CHAMADO_TRY(InsertEvent(repo, o->active ? "organization.reactivated" : "organization.deactivated", actor, now,
                            {{"name", "", o->name}}));
  if (o->plan != before.plan || o->name != before.name) {
    // The policy may choose other targets now: re-target the running clocks.
    CHAMADO_ASSIGN_OR_RETURN(auto active, repo.ActiveTicketsOf(id));
    for (Id number : active) {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(number));
      if (t) CHAMADO_TRY(RefreshClocks(repo, policy, *t, now));
    }
  }
  return *o;
}

// ---- people ----

std::vector<FieldError> NewUserProblems(UserKind kind, const UserInput& in) {
  User scratch = NewUser(kind, Instant{});
  return ApplyUser(kind, in, true, false, scratch);
}

std::vector<FieldError> UserChangeProblems(UserKind kind, const UserInput& in, const User& current, bool self_service) {
  User scratch = current;
  return ApplyUser(kind, in, false, self_service, scratch);
}

Result<User> CreateUserCommand(Repo& repo, UserKind kind, const UserInput& in, std::string_view password_hash, Id actor,
                               Instant now) {
  User u = NewUser(kind, now);
  CHAMADO_TRY(Refuse(ApplyUser(kind, in, true, false, u)));
  if (u.organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*u.organization_id));
    if (!org) return Error::InvalidSaid("organization_id", "directory.organization_missing", {{"id", std::to_string(*u.organization_id)}});
    // A contact speaks their organization's language unless told otherwise, as contacts made
    // from mail and at the command line do.
    if (!in.language) u.language = org->language;
    if (!in.time_zone) u.time_zone = org->time_zone;
  }
  return InsertUserAudited(repo, u, password_hash, actor, now);
}

Result<User> UpdateUserCommand(Repo& repo, Id id, UserKind kind, const UserInput& in, bool self_service, Id actor,
                               Instant now) {
  const bool contact = kind == UserKind::kContact;
  CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(id));
  if (!u || (u->role == Role::kCustomer) != contact)
    return Error::NotFound(std::string(contact ? "Contact " : "Agent ") + std::to_string(id) + " does not exist.");
  const User before = *u;
  CHAMADO_TRY(Refuse(ApplyUser(kind, in, false, self_service, *u)));
  if (u->organization_id && u->organization_id != before.organization_id)
    CHAMADO_TRY(OrganizationExists(repo, *u->organization_id));
  CHAMADO_TRY(repo.UpdateUser(*u));
  if (before.active && !u->active) CHAMADO_TRY(repo.DeleteUserSessions(u->id));
  std::vector<Change> changes;
  Changed(changes, "email", before.email, u->email);
  Changed(changes, "active", before.active ? "true" : "false", u->active ? "true" : "false");
  Changed(changes, "role", std::string(Name(before.role)), std::string(Name(u->role)));
  if (!changes.empty()) CHAMADO_TRY(InsertEvent(repo, contact ? "contact.updated" : "agent.updated", actor, now, changes));
  return *u;
}

Result<User> FindOrCreateContact(Repo& repo, std::string_view raw_email, std::string_view name, Instant now,
                                 std::string_view language) {
  const std::string email = NormalizeEmail(raw_email);
  if (email.empty())
    return Error::InvalidSaid("requester.email", "directory.requester_email", {{"email", std::string(raw_email)}});
  CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.FindUserByEmail(email));
  if (existing) {
    if (existing->role != Role::kCustomer)
      return Error::InvalidSaid("requester.email", "directory.requester_is_agent", {{"email", email}});
    return *existing;
  }
  std::string clean_name(Trim(name));
  if (!IsValidUtf8(clean_name) || HasControlChars(clean_name, false) || clean_name.size() > 200)
    return Error::InvalidSaid("requester.name", "directory.requester_name");
  User u;
  u.email = email;
  u.name = clean_name.empty() ? email.substr(0, email.find('@')) : clean_name;
  u.role = Role::kCustomer;
  u.created_at = now;
  u.language = language.empty() ? "en" : std::string(language);
  u.time_zone = "UTC";
  CHAMADO_ASSIGN_OR_RETURN(u.organization_id, repo.OrganizationForDomain(EmailDomain(email)));
  if (u.organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*u.organization_id));
    if (org) {
      u.language = org->language;
      u.time_zone = org->time_zone;
    }
  }
  return InsertUserAudited(repo, u, "", 0, now);
}

// ---- groups ----

std::vector<FieldError> GroupProblems(const GroupInput& in, bool create) {
  Group scratch;
  return ApplyGroup(in, create, scratch);
}

Result<Group> CreateGroupCommand(Repo& repo, const GroupInput& in, Id actor, Instant now) {
  Group g{0, "", "", now};
  CHAMADO_TRY(Refuse(ApplyGroup(in, true, g)));
  CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertGroup(g));
  CHAMADO_TRY(InsertEvent(repo, "group.created", actor, now, {{"name", "", made.name}}));
  return made;
}

Result<Group> UpdateGroupCommand(Repo& repo, Id id, const GroupInput& in, Id actor, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(id));
  if (!g) return Error::Said(ErrorCode::kNotFound, "directory.group_missing", {{"id", std::to_string(id)}});
  const Group before = *g;
  CHAMADO_TRY(Refuse(ApplyGroup(in, false, *g)));
  CHAMADO_TRY(repo.UpdateGroup(*g));
  std::vector<Change> changes;
  Changed(changes, "name", before.name, g->name);
  if (!changes.empty()) CHAMADO_TRY(InsertEvent(repo, "group.updated", actor, now, changes));
  return *g;
}

}  // namespace chamado::store
