// `chamado migrate`: create or upgrade the database (opening it migrates).
#include <iostream>

#include "app/cli.h"

namespace chamado::app {

void AddMigrateCommand(CommandLine& cl) {
  auto* migrate = cl.app().add_subcommand("migrate", "Create or upgrade the database");
  cl.AddDataOption(migrate);
  cl.OnRunInstalled(migrate, [](Installation& installation) {
    std::cout << "database " << installation.store->path() << " is up to date\n";
    return 0;
  });
}

}  // namespace chamado::app
