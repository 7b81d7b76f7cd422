// `chamado user add`: an operator adds a person at the console, or resets the password of
// one who exists. Customers join the organization named (created when missing) or the one
// that owns their address's domain.
#pragma once

#include <string>

#include "core/model.h"
#include "core/result.h"
#include "store/store.h"

namespace chamado::app {

struct UserAddOptions {
  std::string role;          // "admin", "agent" or "customer"
  std::string email;         // as typed
  std::string password;      // in the clear; hashed here
  std::string name;          // empty: the address's local part
  std::string organization;  // customers: an organization's id or name; empty: by domain
};

struct UserAdded {
  core::User user;
  bool created = false;  // false: the person existed and has a new password
};

// Checks, hashes the password (slow: outside the transaction), then writes. Errors carry
// the sentence the command line prints.
Result<UserAdded> AddUser(store::Store& store, const UserAddOptions& options, Instant now);

}  // namespace chamado::app
