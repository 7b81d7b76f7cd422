// The directory: organizations, people (contacts and agents) and groups, changed as units
// of work. Each command checks its input, writes, and records its audit event inside the
// caller's transaction (Store::Write), so a change and its event commit together or not at
// all. The API, the command line and mail intake all go through these.
//
// An input holds what a caller asks to set, unchecked: an absent field keeps its value
// (updates) or takes its default (creates). The *Problems functions report every problem
// of an input at once, field by field in the order the input lists them, so a caller can
// refuse a request before slow work or a write; the commands check again and refuse with
// Error::Invalid naming the fields. Passwords arrive hashed: argon2id is deliberately slow
// and stays out of transactions.
//
// Audit events (no ticket; actor 0 when no person acts: the console, mail intake):
//   organization.created  name      organization.updated         name, plan, domains
//   contact.created, agent.created  email
//                                   contact.updated, agent.updated  email, active, role
//   group.created  name             group.updated                name
// An update records the changes to what decides access, routing and service levels, and
// nothing when none of those changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// ---- organizations ----

struct OrganizationInput {
  std::optional<std::string> name;       // one line of at most 200 bytes; required to create
  std::optional<std::string> plan;       // a plan key such as "premium", or empty for none
  std::optional<std::string> language;   // one of core::kLanguages (core/languages.h); creates: "en"
  std::optional<std::string> time_zone;  // an IANA name; creates: "UTC"
  std::optional<std::string> notes;
  std::optional<std::vector<std::string>> domains;  // email domains; replaces the list
  // false deactivates: its people can no longer sign in (their sessions and API tokens stop
  // working) or open tickets by any channel, mail from them that would open a ticket is
  // refused so the sender's mail system returns it with the reason, and its tickets stay as
  // they are (readable, their clocks running). true restores all of it. Creates: true.
  std::optional<bool> active;
};

std::vector<FieldError> OrganizationProblems(const OrganizationInput& in, bool create);

// Refuses (409, organization.deactivated) when `requester` belongs to a deactivated
// organization: nobody opens a ticket for its people, by any channel.
Result<void> RefuseDeactivatedOrganization(Repo& repo, const core::User& requester);

Result<core::Organization> CreateOrganizationCommand(Repo& repo, const OrganizationInput& in, Id actor, Instant now);

// A new name or plan may choose other SLA targets: the running clocks of the
// organization's tickets are re-targeted under `policy`.
Result<core::Organization> UpdateOrganizationCommand(Repo& repo, const sla::Policy& policy, Id id,
                                                     const OrganizationInput& in, Id actor, Instant now);

// ---- people ----

enum class UserKind { kContact, kAgent };  // agents include administrators

struct UserInput {
  std::optional<std::string> email;      // an address as typed (normalized here); required to create
  std::optional<std::string> name;       // one line of at most 200 bytes
  std::optional<std::string> language;   // one of core::kLanguages (core/languages.h); creates: "en"
  std::optional<std::string> time_zone;  // an IANA name; creates: "UTC"
  std::optional<bool> active;
  // Contacts only.
  std::optional<std::optional<Id>> organization_id;  // null: none
  // Agents only.
  std::optional<std::vector<std::string>> languages;  // what they answer in
  std::optional<std::vector<Id>> group_ids;
  std::optional<std::string> role;  // "agent" (creates' default) or "admin"
};

std::vector<FieldError> NewUserProblems(UserKind kind, const UserInput& in);
// `self_service`: the person edits their own record (`current`), and may change only their
// name, language, time zone and (agents) languages.
std::vector<FieldError> UserChangeProblems(UserKind kind, const UserInput& in, const core::User& current, bool self_service);

// `password_hash` empty: no password sign-in (yet). A contact's organization must exist.
Result<core::User> CreateUserCommand(Repo& repo, UserKind kind, const UserInput& in, std::string_view password_hash,
                                     Id actor, Instant now);

// A person of the other kind is not found. Deactivating someone ends their sessions.
Result<core::User> UpdateUserCommand(Repo& repo, Id id, UserKind kind, const UserInput& in, bool self_service, Id actor,
                                     Instant now);

// Finds the contact with this address or creates one, attached to the organization that
// owns the address's domain (whose language and time zone it takes; without one,
// `language` when given, else English). An agent's address is refused as a requester.
Result<core::User> FindOrCreateContact(Repo& repo, std::string_view email, std::string_view name, Instant now,
                                       std::string_view language = {});

// ---- groups ----

struct GroupInput {
  std::optional<std::string> name;  // one line of at most 100 bytes; required to create
  std::optional<std::string> description;
};

std::vector<FieldError> GroupProblems(const GroupInput& in, bool create);

Result<core::Group> CreateGroupCommand(Repo& repo, const GroupInput& in, Id actor, Instant now);
Result<core::Group> UpdateGroupCommand(Repo& repo, Id id, const GroupInput& in, Id actor, Instant now);

}  // namespace chamado::store
