// `chamado user add`: an operator adds a person, or sets the password of one (user_add.h).
#include <iostream>

#include "app/cli.h"
#include "app/user_add.h"

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
}

}  // namespace chamado::app
