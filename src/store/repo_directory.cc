#include "store/repo_directory.h"

#include "store/repo_rows.h"

namespace chamado::store {
using namespace core;

namespace {

std::string JoinSpaces(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

constexpr std::string_view kUserColumns =
    "id, email, name, role, organization_id, language, time_zone, languages, active, created_at";

User ReadUser(const RowView& r) {
  User u;
  u.id = r.Int(0);
  u.email = r.Str(1);
  u.name = r.Str(2);
  u.role = ParseRole(r.Text(3)).value_or(Role::kCustomer);
  u.organization_id = r.OptInt(4);
  u.language = r.Str(5);
  u.time_zone = r.Str(6);
  u.languages = SplitSpaces(r.Text(7));
  u.active = r.Int(8) != 0;
  u.created_at = FromUnixMillis(r.Int(9));
  return u;
}

Organization ReadOrganization(const RowView& r) {
  Organization o;
  o.id = r.Int(0);
  o.name = r.Str(1);
  o.plan = r.Str(2);
  o.language = r.Str(3);
  o.time_zone = r.Str(4);
  o.notes = r.Str(5);
  o.created_at = FromUnixMillis(r.Int(6));
  o.active = r.Int(7) != 0;
  return o;
}
constexpr std::string_view kOrganizationColumns = "id, name, plan, language, time_zone, notes, created_at, active";

// `text` as a LIKE pattern matching it anywhere; its own % _ and \ are escaped with a backslash.
std::string ContainsPattern(std::string_view text) {
  std::string out = "%";
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

// A conflict that names the field it is about, so a form can show it there.
Error FieldConflict(std::string field, std::string_view id, core::TextArgs args) {
  Error e = Error::Said(ErrorCode::kConflict, id, args);
  e.fields.push_back({std::move(field), e.message, std::string(id), std::move(args)});
  return e;
}

// A group row: id, name, description, created_at.
Group ReadGroup(const RowView& r) { return Group{r.Int(0), r.Str(1), r.Str(2), FromUnixMillis(r.Int(3))}; }

}  // namespace

// ---- organizations ----

Result<Organization> DirectoryRepo::InsertOrganization(Organization o) {
  auto r = c_.Run(
      "INSERT INTO organizations (name, plan, language, time_zone, notes, created_at, active) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {o.name, o.plan, o.language, o.time_zone, o.notes, ToUnixMillis(o.created_at), o.active},
      [&](const RowView& row) { o.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict)
      return FieldConflict("name", "directory.organization_name_taken", {{"name", o.name}});
    return std::move(r).error();
  }
  CHAMADO_TRY(WriteDomains(o));
  return o;
}

Result<void> DirectoryRepo::UpdateOrganization(const Organization& o) {
  auto r = c_.Run(
      "UPDATE organizations SET name = $1, plan = $2, language = $3, time_zone = $4, notes = $5, active = $6 WHERE id = $7",
      {o.name, o.plan, o.language, o.time_zone, o.notes, o.active, o.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict)
      return FieldConflict("name", "directory.organization_name_taken", {{"name", o.name}});
    return std::move(r).error();
  }
  return WriteDomains(o);
}

Result<void> DirectoryRepo::WriteDomains(const Organization& o) {
  CHAMADO_TRY(c_.Run("DELETE FROM organization_domains WHERE organization_id = $1", {o.id}));
  for (const auto& d : o.domains) {
    auto r = c_.Run("INSERT INTO organization_domains (domain, organization_id) VALUES ($1, $2)", {d, o.id});
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kConflict)
        return Error::InvalidSaid("domains", "directory.domain_taken", {{"domain", d}});
      return std::move(r).error();
    }
  }
  return Ok();
}

Result<void> DirectoryRepo::LoadDomains(std::vector<Organization>& organizations) {
  for (auto& o : organizations) {
    CHAMADO_TRY(c_.Run("SELECT domain FROM organization_domains WHERE organization_id = $1 ORDER BY domain", {o.id},
                       [&](const RowView& r) { o.domains.push_back(r.Str(0)); }));
  }
  return Ok();
}

Result<std::optional<Organization>> DirectoryRepo::GetOrganization(Id id) {
  return One(c_, Sql("SELECT ", kOrganizationColumns, " FROM organizations WHERE id = $1"), {id}, ReadOrganization,
             [this](auto& found) { return LoadDomains(found); });
}

Result<bool> DirectoryRepo::OrganizationActive(Id id) {
  bool active = true;
  CHAMADO_TRY(c_.Run("SELECT active FROM organizations WHERE id = $1", {id}, [&](const RowView& r) { active = r.Int(0) != 0; }));
  return active;
}

Result<std::optional<std::string>> DirectoryRepo::OrganizationName(Id id) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT name FROM organizations WHERE id = $1", {id}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<std::optional<std::pair<std::string, std::string>>> DirectoryRepo::OrganizationPlanAndName(Id id) {
  std::optional<std::pair<std::string, std::string>> out;
  CHAMADO_TRY(c_.Run("SELECT plan, name FROM organizations WHERE id = $1", {id},
                     [&](const RowView& r) { out = std::make_pair(r.Str(0), r.Str(1)); }));
  return out;
}

Result<std::optional<Organization>> DirectoryRepo::FindOrganizationByName(std::string_view name) {
  return One(c_, Sql("SELECT ", kOrganizationColumns, " FROM organizations WHERE lower(name) = lower($1)"), {name},
             ReadOrganization, [this](auto& found) { return LoadDomains(found); });
}

Result<std::optional<Id>> DirectoryRepo::OrganizationForDomain(std::string_view domain) {
  std::optional<Id> out;
  CHAMADO_TRY(c_.Run("SELECT organization_id FROM organization_domains WHERE domain = $1", {domain},
                     [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

Result<Paged<Organization>> DirectoryRepo::ListOrganizations(const OrganizationFilter& f, const Page& page) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t after, AfterKey(page, 0));
  Paged<Organization> out;
  const int limit = Limit(page);
  auto add = [&](const RowView& r) { out.items.push_back(ReadOrganization(r)); };
  if (f.text.empty()) {
    CHAMADO_TRY(c_.Run(Sql("SELECT ", kOrganizationColumns, " FROM organizations WHERE id > $1 ORDER BY id LIMIT $2"),
                       {after, limit + 1}, add));
  } else {
    CHAMADO_TRY(c_.Run(Sql("SELECT ", kOrganizationColumns,
                           " FROM organizations WHERE id > $1 AND (lower(name) LIKE $2 ESCAPE '\\' OR id IN "
                           "(SELECT organization_id FROM organization_domains WHERE domain LIKE $2 ESCAPE '\\')) "
                           "ORDER BY id LIMIT $3"),
                       {after, ContainsPattern(f.text), limit + 1}, add));
  }
  EndPage(out, limit);
  CHAMADO_TRY(LoadDomains(out.items));
  return out;
}

// ---- users ----

Result<User> DirectoryRepo::InsertUser(User u, std::string_view password_hash) {
  const int64_t now = ToUnixMillis(u.created_at);
  auto r = c_.Run(
      "INSERT INTO users (email, name, role, organization_id, language, time_zone, languages, password_hash, active, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
      {u.email, u.name, Name(u.role), u.organization_id, u.language, u.time_zone, JoinSpaces(u.languages),
       password_hash.empty() ? Param(nullptr) : Param(password_hash), u.active, now},
      [&](const RowView& row) { u.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return FieldConflict("email", "directory.email_taken", {{"email", u.email}});
    return std::move(r).error();
  }
  CHAMADO_TRY(WriteGroups(u));
  return u;
}

Result<void> DirectoryRepo::UpdateUser(const User& u) {
  auto r = c_.Run(
      "UPDATE users SET email = $1, name = $2, role = $3, organization_id = $4, language = $5, time_zone = $6, "
      "languages = $7, active = $8 WHERE id = $9",
      {u.email, u.name, Name(u.role), u.organization_id, u.language, u.time_zone, JoinSpaces(u.languages), u.active, u.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return FieldConflict("email", "directory.email_taken", {{"email", u.email}});
    return std::move(r).error();
  }
  return WriteGroups(u);
}

Result<void> DirectoryRepo::WriteGroups(const User& u) {
  CHAMADO_TRY(c_.Run("DELETE FROM group_members WHERE user_id = $1", {u.id}));
  for (Id g : u.group_ids) {
    auto r = c_.Run("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)", {g, u.id});
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kConflict) return Error::InvalidSaid("group_ids", "directory.group_missing", {{"id", std::to_string(g)}});
      return std::move(r).error();
    }
  }
  return Ok();
}

Result<void> DirectoryRepo::SetPasswordHash(Id user_id, std::string_view hash) {
  CHAMADO_TRY(c_.Run("UPDATE users SET password_hash = $1 WHERE id = $2", {hash, user_id}));
  return Ok();
}

Result<void> DirectoryRepo::LoadUserExtras(std::vector<User>& users) {
  for (auto& u : users) {
    if (u.role == Role::kCustomer) continue;
    CHAMADO_TRY(c_.Run("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id", {u.id},
                       [&](const RowView& r) { u.group_ids.push_back(r.Int(0)); }));
  }
  return Ok();
}

Result<std::optional<User>> DirectoryRepo::GetUser(Id id) {
  return One(c_, Sql("SELECT ", kUserColumns, " FROM users WHERE id = $1"), {id}, ReadUser,
             [this](auto& found) { return LoadUserExtras(found); });
}

Result<std::optional<User>> DirectoryRepo::FindUserByEmail(std::string_view email) {
  return One(c_, Sql("SELECT ", kUserColumns, " FROM users WHERE email = $1"), {email}, ReadUser,
             [this](auto& found) { return LoadUserExtras(found); });
}

Result<std::optional<std::string>> DirectoryRepo::PasswordHash(Id user_id) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT password_hash FROM users WHERE id = $1", {user_id}, [&](const RowView& r) {
    if (!r.IsNull(0)) out = r.Str(0);
  }));
  return out;
}

Result<Paged<User>> DirectoryRepo::ListUsers(const UserFilter& f, const Page& page) {
  std::string sql = Sql("SELECT ", kUserColumns, " FROM users WHERE id > $1");
  CHAMADO_ASSIGN_OR_RETURN(const int64_t after, AfterKey(page, 0));
  std::vector<Param> params{after};
  std::vector<std::string> role_names;
  for (auto r : f.roles) role_names.emplace_back(Name(r));
  if (!role_names.empty()) {
    sql += " AND role IN (";
    for (size_t i = 0; i < role_names.size(); ++i) {
      if (i) sql += ", ";
      params.emplace_back(role_names[i]);
      sql += "$" + std::to_string(params.size());
    }
    sql += ")";
  }
  if (f.organization_id) {
    params.emplace_back(*f.organization_id);
    sql += " AND organization_id = $" + std::to_string(params.size());
  }
  if (f.group_id) {
    params.emplace_back(*f.group_id);
    sql += " AND id IN (SELECT user_id FROM group_members WHERE group_id = $" + std::to_string(params.size()) + ")";
  }
  std::string prefix_hi;
  if (!f.email_prefix.empty()) {
    // A range scan on the unique email index: prefix <= email < prefix + U+10FFFF.
    prefix_hi = f.email_prefix + "\xF4\x8F\xBF\xBF";
    params.emplace_back(f.email_prefix);
    sql += " AND email >= $" + std::to_string(params.size());
    params.emplace_back(prefix_hi);
    sql += " AND email < $" + std::to_string(params.size());
  }
  const std::string pattern = ContainsPattern(f.text);  // outlives the query: a Param only views it
  if (!f.text.empty()) {
    params.emplace_back(pattern);
    const std::string n = std::to_string(params.size());
    sql += " AND (lower(name) LIKE $" + n + " ESCAPE '\\' OR email LIKE $" + n + " ESCAPE '\\')";
  }
  if (f.active) {
    params.emplace_back(*f.active);
    sql += " AND active = $" + std::to_string(params.size());
  }
  const int limit = Limit(page);
  params.emplace_back(limit + 1);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  Paged<User> out;
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) { out.items.push_back(ReadUser(r)); }));
  EndPage(out, limit);
  CHAMADO_TRY(LoadUserExtras(out.items));
  return out;
}

// ---- groups ----

Result<Group> DirectoryRepo::InsertGroup(Group g) {
  auto r = c_.Run("INSERT INTO agent_groups (name, description, created_at) VALUES ($1, $2, $3) RETURNING id",
                  {g.name, g.description, ToUnixMillis(g.created_at)}, [&](const RowView& row) { g.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return FieldConflict("name", "directory.group_name_taken", {{"name", g.name}});
    return std::move(r).error();
  }
  return g;
}

Result<void> DirectoryRepo::UpdateGroup(const Group& g) {
  auto r = c_.Run("UPDATE agent_groups SET name = $1, description = $2 WHERE id = $3", {g.name, g.description, g.id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return FieldConflict("name", "directory.group_name_taken", {{"name", g.name}});
    return std::move(r).error();
  }
  return Ok();
}

Result<std::optional<Group>> DirectoryRepo::GetGroup(Id id) {
  return One(c_, "SELECT id, name, description, created_at FROM agent_groups WHERE id = $1", {id}, ReadGroup);
}

Result<std::vector<Group>> DirectoryRepo::ListGroups() {
  return All(c_, "SELECT id, name, description, created_at FROM agent_groups ORDER BY name", {}, ReadGroup);
}

Result<std::vector<Id>> DirectoryRepo::GroupMembers(Id group_id) {
  std::vector<Id> out;
  CHAMADO_TRY(c_.Run("SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id", {group_id},
                     [&](const RowView& r) { out.push_back(r.Int(0)); }));
  return out;
}

Result<std::optional<Group>> DirectoryRepo::FindGroupByName(std::string_view name) {
  return One(c_, "SELECT id, name, description, created_at FROM agent_groups WHERE lower(name) = lower($1)", {name},
             ReadGroup);
}

// ---- sessions and API tokens ----

Result<void> DirectoryRepo::InsertSession(std::string_view token_hash, Id user_id, std::string_view csrf, Instant now, Instant expires) {
  CHAMADO_TRY(c_.Run("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                     {token_hash, user_id, csrf, ToUnixMillis(now), ToUnixMillis(expires)}));
  return Ok();
}

Result<std::optional<SessionRow>> DirectoryRepo::FindSession(std::string_view token_hash, Instant now) {
  std::optional<SessionRow> out;
  CHAMADO_TRY(c_.Run("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                     {token_hash, ToUnixMillis(now)},
                     [&](const RowView& r) { out = SessionRow{r.Int(0), r.Str(1), FromUnixMillis(r.Int(2))}; }));
  return out;
}

Result<void> DirectoryRepo::DeleteSession(std::string_view token_hash) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE token_hash = $1", {token_hash}));
  return Ok();
}

Result<void> DirectoryRepo::DeleteUserSessions(Id user_id) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE user_id = $1", {user_id}));
  return Ok();
}

Result<void> DirectoryRepo::DeleteExpiredSessions(Instant now) {
  CHAMADO_TRY(c_.Run("DELETE FROM sessions WHERE expires_at <= $1", {ToUnixMillis(now)}));
  return Ok();
}

Result<Id> DirectoryRepo::InsertApiToken(Id user_id, std::string_view token_hash, std::string_view name, Instant now) {
  Id id = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     {user_id, token_hash, name, ToUnixMillis(now)}, [&](const RowView& r) { id = r.Int(0); }));
  return id;
}

Result<std::optional<User>> DirectoryRepo::UserByApiToken(std::string_view token_hash) {
  return One(c_,
             "SELECT u.id, u.email, u.name, u.role, u.organization_id, u.language, u.time_zone, u.languages, "
             "u.active, u.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
             {token_hash}, ReadUser, [this](auto& found) { return LoadUserExtras(found); });
}

Result<std::optional<DirectoryRepo::SessionUser>> DirectoryRepo::UserBySession(std::string_view token_hash, Instant now) {
  std::string csrf;
  CHAMADO_ASSIGN_OR_RETURN(auto user, One(c_,
                                          "SELECT u.id, u.email, u.name, u.role, u.organization_id, u.language, "
                                          "u.time_zone, u.languages, u.active, u.created_at, s.csrf_token FROM sessions s "
                                          "JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
                                          {token_hash, ToUnixMillis(now)},
                                          [&](const RowView& r) {
                                            csrf = r.Str(10);
                                            return ReadUser(r);
                                          },
                                          [this](auto& found) { return LoadUserExtras(found); }));
  if (!user) return std::optional<SessionUser>();
  return std::optional<SessionUser>(SessionUser{std::move(*user), std::move(csrf)});
}

Result<std::optional<Id>> DirectoryRepo::FindApiTokenUser(std::string_view token_hash) {
  std::optional<Id> out;
  CHAMADO_TRY(c_.Run("SELECT user_id FROM api_tokens WHERE token_hash = $1", {token_hash},
                     [&](const RowView& r) { out = r.Int(0); }));
  return out;
}

namespace {
constexpr std::string_view kTokenColumns = "t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at";
DirectoryRepo::ApiToken ReadApiToken(const RowView& r) {
  DirectoryRepo::ApiToken t;
  t.id = r.Int(0);
  t.user_id = r.Int(1);
  t.email = r.Str(2);
  t.name = r.Str(3);
  t.created_at = FromUnixMillis(r.Int(4));
  if (!r.IsNull(5)) t.last_used_at = FromUnixMillis(r.Int(5));
  return t;
}
}  // namespace

Result<std::vector<DirectoryRepo::ApiToken>> DirectoryRepo::ListApiTokens(std::optional<Id> user_id) {
  std::vector<ApiToken> out;
  const std::string sql = "SELECT " + std::string(kTokenColumns) + " FROM api_tokens t JOIN users u ON u.id = t.user_id" +
                          (user_id ? " WHERE t.user_id = $1" : "") + " ORDER BY t.id DESC";
  std::vector<Param> params;
  if (user_id) params.emplace_back(*user_id);
  CHAMADO_TRY(c_.RunDynamic(sql, params, [&](const RowView& r) { out.push_back(ReadApiToken(r)); }));
  return out;
}

Result<std::optional<DirectoryRepo::ApiToken>> DirectoryRepo::GetApiToken(Id id) {
  std::optional<ApiToken> out;
  CHAMADO_TRY(c_.Run("SELECT " + std::string(kTokenColumns) + " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1",
                     {id}, [&](const RowView& r) { out = ReadApiToken(r); }));
  return out;
}

Result<bool> DirectoryRepo::RevokeApiToken(Id id) {
  CHAMADO_ASSIGN_OR_RETURN(const int64_t n, c_.Run("DELETE FROM api_tokens WHERE id = $1", {id}));
  return n > 0;
}

Result<void> DirectoryRepo::MarkApiTokenUsed(std::string_view token_hash, Instant now) {
  CHAMADO_TRY(c_.Run("UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1", {token_hash, ToUnixMillis(now)}));
  return Ok();
}

// ---- settings ----

Result<std::optional<std::string>> DirectoryRepo::GetSetting(std::string_view key) {
  std::optional<std::string> out;
  CHAMADO_TRY(c_.Run("SELECT value FROM settings WHERE key = $1", {key}, [&](const RowView& r) { out = r.Str(0); }));
  return out;
}

Result<void> DirectoryRepo::SetSetting(std::string_view key, std::string_view value) {
  CHAMADO_TRY(c_.Run("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     {key, value}));
  return Ok();
}

}  // namespace chamado::store
