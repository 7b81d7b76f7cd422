// `chamado demo`: load the demo organizations, people and tickets, once.
#include <iostream>

#include "app/cli.h"
#include "app/demo.h"

namespace chamado::app {

void AddDemoCommand(CommandLine& cl) {
  auto* demo = cl.app().add_subcommand("demo", "Load demo organizations, people and tickets (once)");
  cl.AddDataOption(demo);
  cl.OnRunInstalled(demo, [&cl](Installation& installation) {
    auto r = LoadDemo(*installation.store, cl.clock().Now());
    if (!r.ok()) return Fail(r.error().message);
    if (r->empty()) std::cout << "demo data is already loaded\n";
    else std::cout << "demo data loaded: 3 organizations, " << r->size() << " sign-ins, 5 tickets\n";
    return 0;
  });
}

}  // namespace chamado::app
