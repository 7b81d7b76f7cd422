// `chamado token create`: an API token for a person, printed once on the last line.
#include <iostream>

#include "app/cli.h"
#include "auth/credentials.h"
#include "core/text.h"

namespace chamado::app {

void AddTokenCommand(CommandLine& cl) {
  auto* token = cl.app().add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token for a person; prints it on the last line");
  struct Options {
    std::string email, name;
  };
  auto o = std::make_shared<Options>();
  cl.AddDataOption(create);
  create->add_option("--email", o->email, "Whose token")->required();
  create->add_option("--name", o->name, "What the token is for");
  cl.OnRunInstalled(create, [&cl, o](Installation& installation) {
    const std::string normalized = NormalizeEmail(o->email);
    const std::string tok = auth::NewToken();
    const Instant now = cl.clock().Now();
    auto r = installation.store->WriteSync<core::Id>([&](store::Repo& repo) -> Result<core::Id> {
      CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(normalized));
      if (!u) return Error::NotFound("Nobody signs in as " + o->email + "; add them with `chamado user add` first.");
      return repo.InsertApiToken(u->id, auth::TokenHash(tok), o->name, now);
    });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << "API token for " << normalized << " (send as \"Authorization: Bearer <token>\"; it is shown only once):\n"
              << tok << "\n";
    return 0;
  });
}

}  // namespace chamado::app
