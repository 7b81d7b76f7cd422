// `chamado check-config [--config F] [--policy P]`: whether the configuration (file, then
// environment) would be accepted, before a restart finds out; and a policy file with it.
#include <iostream>
#include <memory>

#include "app/cli.h"

namespace chamado::app {

void AddCheckConfigCommand(CommandLine& cl) {
  auto policy = std::make_shared<std::string>();
  auto* check = cl.app().add_subcommand("check-config", "Validate the configuration (and a policy file) without starting anything");
  check->add_option("--policy", *policy, "Also validate this policy file (as `policy check` does)");
  cl.OnRun(check, [&cl, policy] {
    const std::string path = cl.ConfigPath();
    auto config = cl.LoadConfiguration();
    if (!config.ok()) return Fail(config.error().message);
    if (auto listen = ParseListen(config->listen); !listen.ok()) return Fail("[server] listen: " + listen.error().message);
    if (!config->mail_lmtp_listen.empty())
      if (auto lmtp = ParseListen(config->mail_lmtp_listen); !lmtp.ok()) return Fail("[mail] lmtp_listen: " + lmtp.error().message);
    std::cout << (path.empty() ? std::string("no configuration file (defaults and CHAMADO_* environment)") : path)
              << ": OK\n";
    if (policy->empty()) return 0;
    return CheckPolicyFile(*policy);
  });
}

}  // namespace chamado::app
