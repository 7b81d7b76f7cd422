// `chamado config keys [--toml]`: every configuration key and its environment variable, or a
// chamado.toml with every key commented out at its default.
#include <iostream>
#include <memory>

#include "app/cli.h"

namespace chamado::app {

void AddConfigCommand(CommandLine& cl) {
  auto* config = cl.app().add_subcommand("config", "Show configuration");
  config->require_subcommand(1);
  auto* keys = config->add_subcommand("keys", "List every configuration key and its environment variable");
  auto toml = std::make_shared<bool>(false);
  keys->add_flag("--toml", *toml, "Print a chamado.toml with every key commented out at its default");
  cl.OnRun(keys, [toml] {
    std::cout << (*toml ? ConfigExample() : ConfigReference());
    return 0;
  });
}

}  // namespace chamado::app
