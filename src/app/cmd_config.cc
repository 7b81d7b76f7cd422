// `chamado config keys`: every configuration key and its environment variable.
#include <iostream>

#include "app/cli.h"

namespace chamado::app {

void AddConfigCommand(CommandLine& cl) {
  auto* config = cl.app().add_subcommand("config", "Show configuration");
  config->require_subcommand(1);
  auto* keys = config->add_subcommand("keys", "List every configuration key and its environment variable");
  cl.OnRun(keys, [] {
    std::cout << ConfigReference();
    return 0;
  });
}

}  // namespace chamado::app
