// Organizations, contacts, agents and groups.
#include "auth/credentials.h"
#include "core/text.h"
#include "http/api_impl.h"
#include "store/directory.h"

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

constexpr size_t kMaxSearchBytes = 200;

// `?q=`: what a directory list is searched for, in lower case; empty when not asked.
Result<std::string> SearchText(const Request& req) {
  auto q = req.Query("q");
  if (!q) return std::string();
  std::string text = AsciiLower(Trim(*q));
  if (text.size() > kMaxSearchBytes) return Error::InvalidSaid("q", "directory.search_too_long");
  return text;
}

// `?active=true|false`; absent: everyone.
Result<std::optional<bool>> ActiveFilter(const Request& req) {
  auto v = req.Query("active");
  if (!v) return std::optional<bool>();
  if (*v == "true") return std::optional<bool>(true);
  if (*v == "false") return std::optional<bool>(false);
  return Error::InvalidSaid("active", "directory.active_filter");
}

// A body's organization fields, checked as the store will check them (`create`: for a new
// one), so a refused request costs no write and hears of every problem at once.
Result<store::OrganizationInput> ReadOrganization(const json::object& body, bool create) {
  Fields f(body, {"name", "plan", "language", "time_zone", "domains", "notes", "active"});
  store::OrganizationInput in;
  in.active = f.Bool("active");
  in.name = f.Str("name", 400);
  in.plan = f.Str("plan", 64);
  in.language = f.Str("language", 16);
  in.time_zone = f.Str("time_zone", 64);
  in.notes = f.Str("notes", 10000);
  in.domains = f.StrList("domains", 50);
  f.Merge(store::OrganizationProblems(in, create));
  CHAMADO_TRY(f.Finish());
  return in;
}

// A body's group fields, checked likewise.
Result<store::GroupInput> ReadGroup(const json::object& body, bool create) {
  Fields f(body, {"name", "description"});
  store::GroupInput in;
  in.name = f.Str("name", 400);
  in.description = f.Str("description", 2000);
  f.Merge(store::GroupProblems(in, create));
  CHAMADO_TRY(f.Finish());
  return in;
}

}  // namespace

// ---- organizations ----

void Api::Impl::ListOrganizations(Call c) {
  auto page = PageOf(c.req);
  if (!page.ok()) return Fail(c, page.error());
  auto text = SearchText(c.req);
  if (!text.ok()) return Fail(c, text.error());
  const store::OrganizationFilter f{*text};
  auto r = Read<store::Paged<core::Organization>>([&](Repo& repo) { return repo.ListOrganizations(f, *page); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& o : r->items) items.push_back(OrganizationJson(o));
  Json(c, 200, json::object{{"items", std::move(items)}, {"next", NextJson(r->next)}});
}

void Api::Impl::CreateOrganization(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadOrganization(*body, true);
  if (!in.ok()) return Fail(c, in.error());
  const Id actor = c.who().user.id;
  const Instant now = clock.Now();
  WriteThen<core::Organization>(
      std::move(c), [in = *in, actor, now](Repo& repo) { return store::CreateOrganizationCommand(repo, in, actor, now); },
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
  auto missing = Error::Said(ErrorCode::kNotFound, "directory.organization_missing", {{"id", std::to_string(*id)}});
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
  auto in = ReadOrganization(*body, false);
  if (!in.ok()) return Fail(c, in.error());
  const Id n = *id;
  const Id actor = c.who().user.id;
  auto policy = store.policy();
  const Instant now = clock.Now();
  WriteThen<core::Organization>(
      std::move(c),
      [in = *in, n, policy, actor, now](Repo& repo) { return store::UpdateOrganizationCommand(repo, *policy, n, in, actor, now); },
      [](core::Organization& o) { return JsonResponse(200, OrganizationJson(o)); });
}

// ---- people (contacts and agents) ----

namespace {

// The person fields of a body for `kind` (wrong types are recorded in `f`), in the order
// they are checked.
store::UserInput ReadUser(Fields& f, store::UserKind kind) {
  store::UserInput in;
  in.email = f.Str("email", 320);
  in.name = f.Str("name", 400);
  in.language = f.Str("language", 16);
  in.time_zone = f.Str("time_zone", 64);
  in.active = f.Bool("active");
  if (kind == store::UserKind::kContact) {
    in.organization_id = f.NullableInt("organization_id");
  } else {
    in.languages = f.StrList("languages", 10);
    in.group_ids = f.IntList("group_ids", 50);
    in.role = f.Str("role", 16);
  }
  return in;
}

store::UserKind KindOf(bool contact) { return contact ? store::UserKind::kContact : store::UserKind::kAgent; }

}  // namespace

static void PersonCreate(Api::Impl& I, Call c, bool contact) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return I.Fail(c, body.error());
  const std::initializer_list<std::string_view> contact_keys = {"email", "name", "language", "time_zone", "active",
                                                                 "organization_id", "password"};
  const std::initializer_list<std::string_view> agent_keys = {"email", "name", "language", "time_zone", "active",
                                                               "languages", "group_ids", "role", "password"};
  Fields f(*body, contact ? contact_keys : agent_keys);
  const store::UserKind kind = KindOf(contact);
  const store::UserInput in = ReadUser(f, kind);
  auto password = f.Str("password", 1024);
  if (password) {
    if (auto p = auth::PasswordProblem(*password); !p.empty()) f.Fail("password", p);
  }
  // Checked before the password is hashed: a refused request costs no argon2id.
  f.Merge(store::NewUserProblems(kind, in));
  if (auto e = f.Finish(); !e.ok()) return I.Fail(c, e.error());
  const Instant now = I.clock.Now();
  const Id actor = c.who().user.id;

  auto call = std::make_shared<Call>(std::move(c));
  auto insert = [&I, call, in, kind, actor, now, contact](std::string hash) {
    I.WriteThen<core::User>(
        std::move(*call),
        [in, kind, hash, actor, now](Repo& repo) { return store::CreateUserCommand(repo, kind, in, hash, actor, now); },
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
  if (!queued) I.Fail(*call, Error::Said(ErrorCode::kUnavailable, "server.busy"));
}

static void PersonGet(Api::Impl& I, Call c, bool contact) {
  auto id = Api::Impl::PathId(c, 0, contact ? "Contact" : "Agent");
  if (!id.ok()) return I.Fail(c, id.error());
  const Caller& who = c.who();
  auto missing = Error::Said(ErrorCode::kNotFound, contact ? "directory.contact_missing" : "directory.agent_missing", {{"id", std::to_string(*id)}});
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
  auto missing = Error::Said(ErrorCode::kNotFound, contact ? "directory.contact_missing" : "directory.agent_missing", {{"id", std::to_string(*id)}});
  if (!self && !who.staff()) return I.Fail(c, missing);
  if (!contact && !self && !who.admin()) return I.Fail(c, Error::Said(ErrorCode::kPermissionDenied, "directory.admin_changes_agents"));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return I.Fail(c, body.error());
  const bool self_only = self && !(who.admin() || (contact && who.staff()));
  auto keys = contact ? std::vector<std::string_view>{"email", "name", "language", "time_zone", "active", "organization_id"}
                      : std::vector<std::string_view>{"email", "name", "language", "time_zone", "active", "languages", "group_ids", "role"};
  for (const auto& kv : *body) {
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      return I.Fail(c, Error::Invalid(std::string(kv.key()), "Unknown field \"" + std::string(kv.key()) + "\"."));
  }
  const store::UserKind kind = KindOf(contact);
  Fields f(*body, {"email", "name", "language", "time_zone", "active", "organization_id", "languages", "group_ids", "role"});
  const store::UserInput in = ReadUser(f, kind);
  // The checks look at the stored record only for a self-service change, where it is the caller's.
  f.Merge(store::UserChangeProblems(kind, in, who.user, self_only));
  // An administrator who locked themselves out might leave the desk with none.
  if (self && !self_only) {
    if (in.active && !*in.active) f.Fail("active", "You cannot deactivate yourself; ask another administrator.");
    if (in.role && *in.role != core::Name(who.user.role))
      f.Fail("role", "You cannot change your own role; ask another administrator.");
  }
  if (auto e = f.Finish(); !e.ok()) {
    // Someone who does not exist is not found, whatever the body says.
    auto stored = I.Read<std::optional<core::User>>([&](Repo& repo) { return repo.GetUser(*id); });
    if (stored.ok() && (!*stored || ((*stored)->role == Role::kCustomer) != contact)) return I.Fail(c, missing);
    return I.Fail(c, e.error());
  }
  const Id n = *id;
  const Id actor = who.user.id;
  const Instant now = I.clock.Now();
  I.WriteThen<core::User>(
      std::move(c),
      [in, n, kind, self_only, actor, now](Repo& repo) {
        return store::UpdateUserCommand(repo, n, kind, in, self_only, actor, now);
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
  auto text = SearchText(c.req);
  if (!text.ok()) return I.Fail(c, text.error());
  f.text = std::move(*text);
  auto active = ActiveFilter(c.req);
  if (!active.ok()) return I.Fail(c, active.error());
  f.active = *active;
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
  auto in = ReadGroup(*body, true);
  if (!in.ok()) return Fail(c, in.error());
  const Id actor = c.who().user.id;
  const Instant now = clock.Now();
  WriteThen<core::Group>(
      std::move(c), [in = *in, actor, now](Repo& repo) { return store::CreateGroupCommand(repo, in, actor, now); },
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
    if (!g) return Error::Said(ErrorCode::kNotFound, "directory.group_missing", {{"id", std::to_string(*id)}});
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
  auto in = ReadGroup(*body, false);
  if (!in.ok()) return Fail(c, in.error());
  const Id n = *id;
  const Id actor = c.who().user.id;
  const Instant now = clock.Now();
  WriteThen<core::Group>(
      std::move(c), [in = *in, n, actor, now](Repo& repo) { return store::UpdateGroupCommand(repo, n, in, actor, now); },
      [](core::Group& g) { return JsonResponse(200, GroupJson(g)); });
}

}  // namespace chamado::http
