// The directory aggregate of the repository: who works with the desk and how they sign in.
// Organizations with their mail domains, users with their agent groups, groups, sign-in
// sessions, API tokens, and the desk's settings. Owns the tables organizations,
// organization_domains, users, agent_groups, group_members, sessions, api_tokens and
// settings. Sessions and tokens are known by the SHA-256 of their secret only.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

struct UserFilter {
  std::vector<core::Role> roles;
  std::optional<core::Id> organization_id;
  std::optional<core::Id> group_id;
  std::string email_prefix;
  // Lower case: a part of the name or the email (ASCII letters match either case).
  std::string text;
  std::optional<bool> active;
};

struct OrganizationFilter {
  // Lower case: a part of the name, or a part of one of its domains.
  std::string text;
};

struct SessionRow {
  core::Id user_id = 0;
  std::string csrf_token;
  Instant expires_at;
};

class DirectoryRepo {
 public:
  explicit DirectoryRepo(Connection& c) : c_(c) {}

  Result<core::Organization> InsertOrganization(core::Organization o);
  Result<void> UpdateOrganization(const core::Organization& o);
  Result<std::optional<core::Organization>> GetOrganization(core::Id id);
  Result<std::optional<core::Organization>> FindOrganizationByName(std::string_view name);
  // Whether organization `id` is active (true for one that does not exist): a primary-key read
  // for every request of a customer, so a deactivated organization locks its people out at once.
  Result<bool> OrganizationActive(core::Id id);
  Result<std::optional<std::string>> OrganizationName(core::Id id);
  // Its plan and name (what SLA conditions look at), in one query.
  Result<std::optional<std::pair<std::string, std::string>>> OrganizationPlanAndName(core::Id id);
  Result<std::optional<core::Id>> OrganizationForDomain(std::string_view domain);
  Result<Paged<core::Organization>> ListOrganizations(const OrganizationFilter& f, const Page& page);

  Result<core::User> InsertUser(core::User u, std::string_view password_hash);
  Result<void> UpdateUser(const core::User& u);
  Result<void> SetPasswordHash(core::Id user_id, std::string_view hash);
  Result<std::optional<core::User>> GetUser(core::Id id);
  Result<std::optional<core::User>> FindUserByEmail(std::string_view normalized_email);
  Result<std::optional<std::string>> PasswordHash(core::Id user_id);
  Result<Paged<core::User>> ListUsers(const UserFilter& f, const Page& page);

  Result<core::Group> InsertGroup(core::Group g);
  Result<void> UpdateGroup(const core::Group& g);
  Result<std::optional<core::Group>> GetGroup(core::Id id);
  Result<std::vector<core::Group>> ListGroups();
  Result<std::vector<core::Id>> GroupMembers(core::Id group_id);
  Result<std::optional<core::Group>> FindGroupByName(std::string_view name);

  Result<void> InsertSession(std::string_view token_hash, core::Id user_id, std::string_view csrf, Instant now,
                             Instant expires);
  Result<std::optional<SessionRow>> FindSession(std::string_view token_hash, Instant now);
  Result<void> DeleteSession(std::string_view token_hash);
  Result<void> DeleteUserSessions(core::Id user_id);
  Result<void> DeleteExpiredSessions(Instant now);

  Result<core::Id> InsertApiToken(core::Id user_id, std::string_view token_hash, std::string_view name, Instant now);
  Result<std::optional<core::Id>> FindApiTokenUser(std::string_view token_hash);
  // API tokens with their owner, newest first; only `user_id`'s when given.
  struct ApiToken {
    core::Id id = 0;
    core::Id user_id = 0;
    std::string email;  // the owner's
    std::string name;
    Instant created_at;
    std::optional<Instant> last_used_at;
  };
  Result<std::vector<ApiToken>> ListApiTokens(std::optional<core::Id> user_id);
  Result<std::optional<ApiToken>> GetApiToken(core::Id id);
  // Deletes the token: requests carrying it are refused from then on. False: no such token.
  Result<bool> RevokeApiToken(core::Id id);
  Result<void> MarkApiTokenUsed(std::string_view token_hash, Instant now);
  // The person behind a token or a live session, in one query (the hot path of every request).
  Result<std::optional<core::User>> UserByApiToken(std::string_view token_hash);
  struct SessionUser {
    core::User user;
    std::string csrf_token;
  };
  Result<std::optional<SessionUser>> UserBySession(std::string_view token_hash, Instant now);

  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Result<void> SetSetting(std::string_view key, std::string_view value);

 private:
  Result<void> WriteDomains(const core::Organization& o);
  Result<void> LoadDomains(std::vector<core::Organization>& organizations);
  Result<void> WriteGroups(const core::User& u);
  Result<void> LoadUserExtras(std::vector<core::User>& users);

  Connection& c_;
};

}  // namespace chamado::store
