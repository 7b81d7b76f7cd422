// `chamado user add`: an operator adds a person, or sets the password of one (user_add.h).
// `chamado user deactivate|reactivate`: offboarding from a script, and the way back in for
// an administrator whom another one deactivated.
#include <iostream>

#include "app/cli.h"
#include "app/user_add.h"
#include "core/text.h"
#include "store/directory.h"

namespace chamado::app {

void AddUserCommand(CommandLine& cl) {
  auto* user = cl.app().add_subcommand("user", "Manage people");
  user->require_subcommand(1);
  auto* add = user->add_subcommand("add", "Add an admin, agent or customer (or set the password of an existing one)");
  auto o = std::make_shared<UserAddOptions>();
  cl.AddDataOption(add);
  add->add_option("--role", o->role, "admin, agent or customer")->required()->check(CLI::IsMember({"admin", "agent", "customer"}));
  add->add_option("--email", o->email, "Sign-in address")->required();
  add->add_option("--password", o->password, "Password (at least 8 characters; \"-\" reads it from standard input)")->required();
  add->add_option("--name", o->name, "Display name");
  add->add_option("--organization", o->organization, "Customers: organization name or id (created if missing)");
  cl.OnRunInstalled(add, [&cl, o](Installation& installation) {
    if (o->password == "-") std::getline(std::cin, o->password);
    auto r = AddUser(*installation.store, *o, cl.clock().Now());
    if (!r.ok()) return Fail(r.error().message);
    std::cout << (r->created ? "added " : "password changed for ") << o->role << " " << r->user.email << " (id "
              << r->user.id << ")\n";
    return 0;
  });

  for (const bool active : {false, true}) {
    auto* sub = user->add_subcommand(active ? "reactivate" : "deactivate",
                                     active ? "Let a deactivated person sign in again (their password and API tokens work again)"
                                            : "Sign a person out everywhere and refuse their sign-ins and API tokens");
    auto email = std::make_shared<std::string>();
    cl.AddDataOption(sub);
    sub->add_option("--email", *email, "Who")->required();
    cl.OnRunInstalled(sub, [&cl, email, active](Installation& installation) {
      const Instant now = cl.clock().Now();
      auto r = installation.store->WriteSync<core::User>([&](store::Repo& repo) -> Result<core::User> {
        CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(NormalizeEmail(*email)));
        if (!u) return Error::NotFound("Nobody signs in as " + *email + ".");
        store::UserInput in;
        in.active = active;
        const auto kind = u->role == core::Role::kCustomer ? store::UserKind::kContact : store::UserKind::kAgent;
        return store::UpdateUserCommand(repo, u->id, kind, in, false, 0, now);
      });
      if (!r.ok()) return Fail(r.error().message);
      std::cout << (active ? "reactivated " : "deactivated ") << core::Name(r->role) << " " << r->email << " (id " << r->id
                << ")\n";
      return 0;
    });
  }
}

}  // namespace chamado::app
