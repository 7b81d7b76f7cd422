#include "app/user_add.h"

#include <algorithm>

#include "auth/credentials.h"
#include "core/text.h"
#include "store/directory.h"

namespace chamado::app {

Result<UserAdded> AddUser(store::Store& store, const UserAddOptions& options, Instant now) {
  if (auto p = auth::PasswordProblem(options.password); !p.empty()) return Error::InvalidArgument(p);
  const core::Role role = *core::ParseRole(options.role);
  const store::UserKind kind = role == core::Role::kCustomer ? store::UserKind::kContact : store::UserKind::kAgent;
  const std::string normalized = NormalizeEmail(options.email);
  store::UserInput in;
  in.email = options.email;
  in.name = options.name.empty() ? normalized.substr(0, normalized.find('@')) : options.name;
  if (kind == store::UserKind::kAgent) in.role = options.role;
  // Checked before the password is hashed (slow); the command checks again.
  if (auto problems = store::NewUserProblems(kind, in); !problems.empty()) return Error::Invalid(std::move(problems));
  CHAMADO_ASSIGN_OR_RETURN(const auto hash, auth::HashPassword(options.password));
  const std::string& organization = options.organization;
  return store.WriteSync<UserAdded>([&](store::Repo& repo) -> Result<UserAdded> {
    CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.FindUserByEmail(normalized));
    if (existing) {
      if (existing->role != role)
        return Error::Conflict(normalized + " already exists as " + std::string(core::Name(existing->role)) + ".");
      CHAMADO_TRY(repo.SetPasswordHash(existing->id, hash));
      CHAMADO_TRY(repo.DeleteUserSessions(existing->id));  // whoever knew the old one is signed out
      return UserAdded{*existing, false};
    }
    store::UserInput person = in;
    if (!organization.empty()) {
      if (role != core::Role::kCustomer) return Error::InvalidArgument("--organization is for customers only.");
      std::optional<core::Organization> org;
      if (const auto id = ParseId(organization)) {  // a number too large for an id is a name
        CHAMADO_ASSIGN_OR_RETURN(org, repo.GetOrganization(*id));
      }
      if (!org) {
        CHAMADO_ASSIGN_OR_RETURN(org, repo.FindOrganizationByName(organization));
      }
      if (!org) {
        store::OrganizationInput o;
        o.name = organization;
        CHAMADO_ASSIGN_OR_RETURN(org, store::CreateOrganizationCommand(repo, o, 0, now));
      }
      person.organization_id = org->id;
      person.language = org->language;
      person.time_zone = org->time_zone;
    } else if (role == core::Role::kCustomer) {
      CHAMADO_ASSIGN_OR_RETURN(person.organization_id, repo.OrganizationForDomain(EmailDomain(normalized)));
    }
    CHAMADO_ASSIGN_OR_RETURN(auto made, store::CreateUserCommand(repo, kind, person, hash, 0, now));
    return UserAdded{made, true};
  });
}

}  // namespace chamado::app
