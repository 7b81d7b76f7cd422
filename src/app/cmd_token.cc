// `chamado token create|list|revoke`: API tokens. A token is printed once, on the last line,
// when created; afterwards only its id, name, owner and last use are shown.
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

  auto* list = token->add_subcommand("list", "List API tokens (id, name, owner, created, last used), newest first");
  auto email = std::make_shared<std::string>();
  cl.AddDataOption(list);
  list->add_option("--email", *email, "Only this person's");
  cl.OnRunInstalled(list, [email](Installation& installation) {
    auto r = installation.store->ReadOne<std::vector<store::DirectoryRepo::ApiToken>>(
        [&](store::Repo& repo) -> Result<std::vector<store::DirectoryRepo::ApiToken>> {
          std::optional<core::Id> whose;
          if (!email->empty()) {
            CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(NormalizeEmail(*email)));
            if (!u) return Error::NotFound("Nobody signs in as " + *email + ".");
            whose = u->id;
          }
          return repo.ListApiTokens(whose);
        });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << "id\tname\towner\tcreated\tlast used\n";
    for (const auto& t : *r)
      std::cout << t.id << "\t" << (t.name.empty() ? "-" : t.name) << "\t" << t.email << "\t" << FormatIsoUtc(t.created_at)
                << "\t" << (t.last_used_at ? FormatIsoUtc(*t.last_used_at) : "never") << "\n";
    return 0;
  });

  auto* revoke = token->add_subcommand("revoke", "Revoke an API token (by its id from `chamado token list`)");
  auto id = std::make_shared<int64_t>(0);
  cl.AddDataOption(revoke);
  revoke->add_option("id", *id, "The token's id")->required()->check(CLI::PositiveNumber);
  cl.OnRunInstalled(revoke, [id](Installation& installation) {
    auto r = installation.store->WriteSync<std::string>([&](store::Repo& repo) -> Result<std::string> {
      CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetApiToken(*id));
      if (!t) return Error::NotFound("No API token has the id " + std::to_string(*id) + "; see `chamado token list`.");
      CHAMADO_TRY(repo.RevokeApiToken(*id));
      return "revoked API token " + std::to_string(t->id) + (t->name.empty() ? "" : " (" + t->name + ")") + " of " + t->email;
    });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << *r << "\n";
    return 0;
  });
}

}  // namespace chamado::app
