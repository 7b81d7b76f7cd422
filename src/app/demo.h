// Demo data: organizations on three plans, contacts, agents, groups, a few tickets and a help
// center (two products in pt-BR, en and es), so
// a fresh install has something to look at. Loading twice does nothing the second time.
#pragma once

#include <string>

#include "core/result.h"
#include "store/store.h"

namespace chamado::app {

struct DemoLogin {
  std::string role;
  std::string email;
  std::string password;
};

// Returns the sign-ins it created (empty when the demo was already loaded).
Result<std::vector<DemoLogin>> LoadDemo(store::Store& store, Instant now);

const std::vector<DemoLogin>& DemoLogins();

}  // namespace chamado::app
