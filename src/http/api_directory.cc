// Organizations, contacts, agents and groups.
#include "auth/credentials.h"
#include "core/text.h"
#include "http/api_impl.h"
#include "store/service_level.h"

namespace chamado::http {
using core::Role;
using store::Repo;

namespace {

std::optional<Id> QueryId(const Request& req, std::string_view name, Error& err) {
  auto v = req.Query(name);
  if (!v) return std::nullopt;
  auto id = ParseId(*v);
  if (!id) err = Error::Invalid(std::string(name), std::string(name) + " must be a number.");
  return id;
}

json::value NextJson(const std::string& next) { return next.empty() ? json::value(nullptr) : json::value(next); }

// One line of text, 1..max bytes.
void CheckLine(Fields& f, std::string_view key, const std::optional<std::string>& v, size_t max, bool required) {
  if (!v) return;
  const std::string_view t = Trim(*v);
  if ((required && t.empty()) || t.size() > max || !IsValidUtf8(t) || HasControlChars(t, false))
    f.Fail(key, "The field \"" + std::string(key) + "\" must be one line of text of at most " + std::to_string(max) + " bytes" +
                    (required ? " and not empty." : "."));
}

void CheckLanguage(Fields& f, std::string_view key, const std::optional<std::string>& v) {
  if (v && !IsSupportedLanguage(*v))
    f.Fail(key, "Unsupported language \"" + *v + "\"; use one of " + SupportedLanguages() + ".");
}

void CheckTimeZone(Fields& f, std::string_view key, const std::optional<std::string>& v) {
  if (v && !IsKnownTimeZone(*v))
    f.Fail(key, "Unknown time zone \"" + *v + "\"; use an IANA name such as America/Sao_Paulo or Europe/Berlin.");
}

// Reads the organization fields shared by create and update into `o`.
void ReadOrganization(Fields& f, core::Organization& o, bool create) {
  if (create) f.Require("name", "the company's name");
  auto name = f.Str("name", 400);
  CheckLine(f, "name", name, 200, true);
  if (name) o.name = std::string(Trim(*name));
  if (auto plan = f.Str("plan", 64)) {
    if (!plan->empty() && !IsSlug(*plan)) f.Fail("plan", "plan must be a plan key such as \"premium\" (lower-case letters, digits, _ or -).");
    o.plan = *plan;
  }
  auto lang = f.Str("language", 16);
  CheckLanguage(f, "language", lang);
  if (lang) o.language = *lang;
  auto tz = f.Str("time_zone", 64);
  CheckTimeZone(f, "time_zone", tz);
  if (tz) o.time_zone = *tz;
  if (auto notes = f.Str("notes", 10000)) o.notes = *notes;
  if (auto domains = f.StrList("domains", 50)) {
    o.domains.clear();
    for (const auto& d : *domains) {
      const std::string lower = AsciiLower(Trim(d));
      if (NormalizeEmail("x@" + lower).empty()) {
        f.Fail("domains", "\"" + d + "\" is not an email domain such as example.com.");
        continue;
      }
      o.domains.push_back(lower);
    }
    std::sort(o.domains.begin(), o.domains.end());
    o.domains.erase(std::unique(o.domains.begin(), o.domains.end()), o.domains.end());
  }
}

}  // namespace

// ---- organizations ----

void Api::Impl::ListOrganizations(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  auto r = Read<store::Paged<core::Organization>>([&](Repo& repo) { return repo.ListOrganizations(*page); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& o : r->items) items.push_back(OrganizationJson(o));
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", NextJson(r->next)}});
}

void Api::Impl::CreateOrganization(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"name", "plan", "language", "time_zone", "domains", "notes"});
  core::Organization o;
  o.language = "en";
  o.time_zone = "UTC";
  ReadOrganization(f, o, true);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  o.created_at = clock.Now();
  const Id actor = c.who().user.id;
  WriteThen<core::Organization>(
      std::move(c),
      [o, actor](Repo& repo) -> Result<core::Organization> {
        CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertOrganization(o));
        CHAMADO_TRY(repo.InsertEvents({{"organization.created", 0, actor, o.created_at, {{"name", "", made.name}}, 0}}, 0, 0));
        return made;
      },
      [](core::Organization& made) {
        Response r = JsonResponse(201, OrganizationJson(made));
        r.Set("Location", "/api/v1/organizations/" + std::to_string(made.id));
        return r;
      });
}

void Api::Impl::GetOrganization(Call c) {
  auto id = PathId(c, 0, "Organization");
  if (!id.ok()) return Fail(c, id.error());
  const Caller& who = c.who();
  auto missing = Error::NotFound("Organization " + std::to_string(*id) + " does not exist.");
  if (!who.staff() && who.user.organization_id != *id) return Fail(c, missing);
  auto r = Read<std::optional<core::Organization>>([&](Repo& repo) { return repo.GetOrganization(*id); });
  if (!r.ok()) return Fail(c, r.error());
  if (!*r) return Fail(c, missing);
  json::object o = OrganizationJson(**r);
  if (!who.staff()) o.erase("notes");
  Json(c, 200, o);
}

void Api::Impl::PatchOrganization(Call c) {
  auto id = PathId(c, 0, "Organization");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto fields = std::make_shared<json::object>(std::move(*body));
  {
    Fields f(*fields, {"name", "plan", "language", "time_zone", "domains", "notes"});
    core::Organization scratch;
    ReadOrganization(f, scratch, false);
    if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  }
  const Id n = *id;
  auto policy = store.policy();
  const Instant now = clock.Now();
  WriteThen<core::Organization>(
      std::move(c),
      [fields, n, policy, now](Repo& repo) -> Result<core::Organization> {
        CHAMADO_ASSIGN_OR_RETURN(auto o, repo.GetOrganization(n));
        if (!o) return Error::NotFound("Organization " + std::to_string(n) + " does not exist.");
        const std::string old_plan = o->plan, old_name = o->name;
        Fields f(*fields, {"name", "plan", "language", "time_zone", "domains", "notes"});
        ReadOrganization(f, *o, false);
        CHAMADO_TRY(f.Finish());
        CHAMADO_TRY(repo.UpdateOrganization(*o));
        if (o->plan != old_plan || o->name != old_name) {
          // The policy may choose other targets now: re-target the running clocks.
          CHAMADO_ASSIGN_OR_RETURN(auto active, repo.ActiveTicketsOf(n));
          for (Id number : active) {
            CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(number));
            if (t) CHAMADO_TRY(store::RefreshClocks(repo, *policy, *t, now));
          }
        }
        return *o;
      },
      [](core::Organization& o) { return JsonResponse(200, OrganizationJson(o)); });
}

// ---- people (contacts and agents) ----

namespace {

struct PersonInput {
  core::User user;
  std::optional<std::string> password;
};

// Reads person fields into `u`. `contact`: a customer record; `self`: the person edits
// themselves (only name, language, time zone, and for agents their languages).
void ReadPerson(Fields& f, core::User& u, bool create, bool contact, bool self) {
  if (create) f.Require("email", "the person's email address");
  if (auto email = f.Str("email", 320)) {
    const std::string n = NormalizeEmail(*email);
    if (self && n != u.email) f.Fail("email", "Ask an agent to change your email address.");
    else if (n.empty()) f.Fail("email", "\"" + *email + "\" is not a valid email address.");
    else u.email = n;
  }
  auto name = f.Str("name", 400);
  CheckLine(f, "name", name, 200, false);
  if (name) u.name = std::string(Trim(*name));
  auto lang = f.Str("language", 16);
  CheckLanguage(f, "language", lang);
  if (lang) u.language = *lang;
  auto tz = f.Str("time_zone", 64);
  CheckTimeZone(f, "time_zone", tz);
  if (tz) u.time_zone = *tz;
  if (auto active = f.Bool("active")) {
    if (self) f.Fail("active", "You cannot deactivate yourself.");
    else u.active = *active;
  }
  if (contact) {
    if (auto org = f.NullableInt("organization_id")) {
      if (self) f.Fail("organization_id", "Ask an agent to move you to another organization.");
      else u.organization_id = *org;
    }
  } else {
    if (auto langs = f.StrList("languages", 10)) {
      for (const auto& l : *langs)
        if (!IsSupportedLanguage(l)) f.Fail("languages", "Unsupported language \"" + l + "\"; use " + SupportedLanguages() + ".");
      u.languages = *langs;
    }
    if (auto groups = f.IntList("group_ids", 50)) {
      if (self) f.Fail("group_ids", "Ask an administrator to change your groups.");
      else u.group_ids = *groups;
    }
    if (auto role = f.Str("role", 16)) {
      auto r = core::ParseRole(*role);
      if (self) f.Fail("role", "You cannot change your own role.");
      else if (!r || *r == Role::kCustomer) f.Fail("role", "An agent's role is agent or admin.");
      else u.role = *r;
    }
  }
}

}  // namespace

static void PersonCreate(Api::Impl& I, Call c, bool contact) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return I.Fail(c, body.error());
  const std::initializer_list<std::string_view> contact_keys = {"email", "name", "language", "time_zone", "active",
                                                                 "organization_id", "password"};
  const std::initializer_list<std::string_view> agent_keys = {"email", "name", "language", "time_zone", "active",
                                                               "languages", "group_ids", "role", "password"};
  Fields f(*body, contact ? contact_keys : agent_keys);
  core::User u;
  u.role = contact ? Role::kCustomer : Role::kAgent;
  u.language = "en";
  u.time_zone = "UTC";
  ReadPerson(f, u, true, contact, false);
  auto password = f.Str("password", 1024);
  if (password) {
    if (auto p = auth::PasswordProblem(*password); !p.empty()) f.Fail("password", p);
  }
  if (auto e = f.Finish(); !e.ok()) return I.Fail(c, e.error());
  u.created_at = I.clock.Now();
  const Id actor = c.who().user.id;

  auto call = std::make_shared<Call>(std::move(c));
  auto insert = [&I, call, u, actor, contact](std::string hash) {
    I.WriteThen<core::User>(
        std::move(*call),
        [u, hash, actor](Repo& repo) -> Result<core::User> {
          if (u.organization_id) {
            CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*u.organization_id));
            if (!org) return Error::Invalid("organization_id", "Organization " + std::to_string(*u.organization_id) + " does not exist.");
          }
          CHAMADO_ASSIGN_OR_RETURN(auto made, repo.InsertUser(u, hash));
          const std::string kind = made.role == Role::kCustomer ? "contact.created" : "agent.created";
          CHAMADO_TRY(repo.InsertEvents({{kind, 0, actor, u.created_at, {{"email", "", made.email}}, 0}}, 0, 0));
          return made;
        },
        [contact](core::User& made) {
          Response r = Api::Impl::JsonResponse(201, UserJson(made, true));
          r.Set("Location", std::string(contact ? "/api/v1/contacts/" : "/api/v1/agents/") + std::to_string(made.id));
          return r;
        });
  };
  if (!password) return insert("");
  const bool queued = I.hash_pool.Post([&I, call, insert, pw = *password] {
    auto hash = auth::HashPassword(pw);
    auto next = [&I, call, insert, hash] {
      if (!hash.ok()) return I.Fail(*call, hash.error());
      insert(*hash);
    };
    if (call->req.post) call->req.post(next);
    else next();
  });
  if (!queued) I.Fail(*call, Error::Unavailable("The server is busy; retry in a moment."));
}

static void PersonGet(Api::Impl& I, Call c, bool contact) {
  auto id = Api::Impl::PathId(c, 0, contact ? "Contact" : "Agent");
  if (!id.ok()) return I.Fail(c, id.error());
  const Caller& who = c.who();
  auto missing = Error::NotFound(std::string(contact ? "Contact " : "Agent ") + std::to_string(*id) + " does not exist.");
  if (!who.staff() && who.user.id != *id) return I.Fail(c, missing);
  auto r = I.Read<std::optional<core::User>>([&](Repo& repo) { return repo.GetUser(*id); });
  if (!r.ok()) return I.Fail(c, r.error());
  if (!*r || ((*r)->role == Role::kCustomer) != contact) return I.Fail(c, missing);
  I.Json(c, 200, UserJson(**r, true));
}

static void PersonPatch(Api::Impl& I, Call c, bool contact) {
  auto id = Api::Impl::PathId(c, 0, contact ? "Contact" : "Agent");
  if (!id.ok()) return I.Fail(c, id.error());
  const Caller& who = c.who();
  const bool self = who.user.id == *id;
  auto missing = Error::NotFound(std::string(contact ? "Contact " : "Agent ") + std::to_string(*id) + " does not exist.");
  if (!self && !who.staff()) return I.Fail(c, missing);
  if (!contact && !self && !who.admin()) return I.Fail(c, Error::PermissionDenied("Only administrators can change other agents."));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return I.Fail(c, body.error());
  auto fields = std::make_shared<json::object>(std::move(*body));
  const bool self_only = self && !(who.admin() || (contact && who.staff()));
  auto keys = contact ? std::vector<std::string_view>{"email", "name", "language", "time_zone", "active", "organization_id"}
                      : std::vector<std::string_view>{"email", "name", "language", "time_zone", "active", "languages", "group_ids", "role"};
  // Values are checked in the transaction, against the stored person; unknown keys here.
  for (const auto& kv : *fields) {
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      return I.Fail(c, Error::Invalid(std::string(kv.key()), "Unknown field \"" + std::string(kv.key()) + "\"."));
  }
  const Id n = *id;
  const Id actor = who.user.id;
  const Instant now = I.clock.Now();
  I.WriteThen<core::User>(
      std::move(c),
      [fields, n, contact, self_only, actor, now, missing](Repo& repo) -> Result<core::User> {
        CHAMADO_ASSIGN_OR_RETURN(auto u, repo.GetUser(n));
        if (!u || (u->role == Role::kCustomer) != contact) return missing;
        const core::User before = *u;
        Fields f(*fields, {"email", "name", "language", "time_zone", "active", "organization_id", "languages", "group_ids", "role"});
        ReadPerson(f, *u, false, contact, self_only);
        CHAMADO_TRY(f.Finish());
        if (u->organization_id && u->organization_id != before.organization_id) {
          CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*u->organization_id));
          if (!org) return Error::Invalid("organization_id", "Organization " + std::to_string(*u->organization_id) + " does not exist.");
        }
        CHAMADO_TRY(repo.UpdateUser(*u));
        if (before.active && !u->active) CHAMADO_TRY(repo.DeleteUserSessions(u->id));
        std::vector<core::Change> changes;
        if (before.email != u->email) changes.push_back({"email", before.email, u->email});
        if (before.active != u->active) changes.push_back({"active", before.active ? "true" : "false", u->active ? "true" : "false"});
        if (before.role != u->role) changes.push_back({"role", std::string(Name(before.role)), std::string(Name(u->role))});
        if (!changes.empty())
          CHAMADO_TRY(repo.InsertEvents({{contact ? "contact.updated" : "agent.updated", 0, actor, now, changes, 0}}, 0, 0));
        return *u;
      },
      [](core::User& u) { return Api::Impl::JsonResponse(200, UserJson(u, true)); });
}

static void PersonList(Api::Impl& I, Call c, bool contact) {
  auto page = I.PageOf(c.req);
  if (!page.ok()) return I.Fail(c, page.error());
  store::UserFilter f;
  if (contact) f.roles = {Role::kCustomer};
  else f.roles = {Role::kAgent, Role::kAdmin};
  Error err = Error::Internal("");
  f.organization_id = QueryId(c.req, "organization_id", err);
  f.group_id = QueryId(c.req, "group_id", err);
  if (!err.message.empty()) return I.Fail(c, err);
  if (auto q = c.req.Query("email")) f.email_prefix = AsciiLower(Trim(*q));
  auto r = I.Read<store::Paged<core::User>>([&](Repo& repo) { return repo.ListUsers(f, *page); });
  if (!r.ok()) return I.Fail(c, r.error());
  json::array items;
  for (const auto& u : r->items) items.push_back(UserJson(u, true));
  I.Json(c, 200, json::object{{"items", std::move(items)}, {"next", NextJson(r->next)}});
}

void Api::Impl::ListContacts(Call c) { PersonList(*this, std::move(c), true); }
void Api::Impl::CreateContact(Call c) { PersonCreate(*this, std::move(c), true); }
void Api::Impl::GetContact(Call c) { PersonGet(*this, std::move(c), true); }
void Api::Impl::PatchContact(Call c) { PersonPatch(*this, std::move(c), true); }
void Api::Impl::ListAgents(Call c) { PersonList(*this, std::move(c), false); }
void Api::Impl::CreateAgent(Call c) { PersonCreate(*this, std::move(c), false); }
void Api::Impl::GetAgent(Call c) { PersonGet(*this, std::move(c), false); }
void Api::Impl::PatchAgent(Call c) { PersonPatch(*this, std::move(c), false); }

// ---- groups ----

void Api::Impl::ListGroups(Call c) {
  struct Listed {
    std::vector<core::Group> groups;
    std::vector<std::vector<Id>> members;
  };
  auto r = Read<Listed>([](Repo& repo) -> Result<Listed> {
    Listed out;
    CHAMADO_ASSIGN_OR_RETURN(out.groups, repo.ListGroups());
    for (const auto& g : out.groups) {
      CHAMADO_ASSIGN_OR_RETURN(auto m, repo.GroupMembers(g.id));
      out.members.push_back(std::move(m));
    }
    return out;
  });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (size_t i = 0; i < r->groups.size(); ++i) {
    json::object o = GroupJson(r->groups[i]);
    json::array m;
    for (auto id : r->members[i]) m.emplace_back(id);
    o["member_ids"] = std::move(m);
    items.push_back(std::move(o));
  }
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", nullptr}});
}

void Api::Impl::CreateGroup(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"name", "description"});
  f.Require("name", "the team's name, such as L1 or Engineering");
  auto name = f.Str("name", 400);
  CheckLine(f, "name", name, 100, true);
  auto desc = f.Str("description", 2000);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  core::Group g{0, std::string(Trim(*name)), desc.value_or(""), clock.Now()};
  WriteThen<core::Group>(
      std::move(c), [g](Repo& repo) { return repo.InsertGroup(g); },
      [](core::Group& made) {
        Response r = JsonResponse(201, GroupJson(made));
        r.Set("Location", "/api/v1/groups/" + std::to_string(made.id));
        return r;
      });
}

void Api::Impl::GetGroup(Call c) {
  auto id = PathId(c, 0, "Group");
  if (!id.ok()) return Fail(c, id.error());
  struct Found {
    core::Group group;
    std::vector<Id> members;
  };
  auto r = Read<Found>([&](Repo& repo) -> Result<Found> {
    CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(*id));
    if (!g) return Error::NotFound("Group " + std::to_string(*id) + " does not exist.");
    CHAMADO_ASSIGN_OR_RETURN(auto m, repo.GroupMembers(*id));
    return Found{*g, m};
  });
  if (!r.ok()) return Fail(c, r.error());
  json::object o = GroupJson(r->group);
  json::array m;
  for (auto id2 : r->members) m.emplace_back(id2);
  o["member_ids"] = std::move(m);
  Json(c, 200, o);
}

void Api::Impl::PatchGroup(Call c) {
  auto id = PathId(c, 0, "Group");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"name", "description"});
  auto name = f.Str("name", 400);
  CheckLine(f, "name", name, 100, true);
  auto desc = f.Str("description", 2000);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Id n = *id;
  WriteThen<core::Group>(
      std::move(c),
      [n, name, desc](Repo& repo) -> Result<core::Group> {
        CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(n));
        if (!g) return Error::NotFound("Group " + std::to_string(n) + " does not exist.");
        if (name) g->name = std::string(Trim(*name));
        if (desc) g->description = *desc;
        CHAMADO_TRY(repo.UpdateGroup(*g));
        return *g;
      },
      [](core::Group& g) { return JsonResponse(200, GroupJson(g)); });
}

}  // namespace chamado::http
