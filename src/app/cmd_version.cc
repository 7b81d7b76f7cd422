// `chamado version`: the release, its git revision, and the database schema it leads to.
#include <iostream>

#include "app/cli.h"
#include "app/version.h"

namespace chamado::app {

void AddVersionCommand(CommandLine& cl) {
  auto* version = cl.app().add_subcommand("version", "Print the version and the database schema version");
  cl.OnRun(version, [] {
    std::cout << "chamado " << VersionLine() << "\n"
              << "database schema " << store::LatestSchemaVersion() << "\n";
    return 0;
  });
}

}  // namespace chamado::app
