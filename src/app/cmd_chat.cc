// `chamado chat secret --organization NAME|ID`: a new secret for an organization's signed chat
// identities (docs/chat.md), printed once on the last line for the host site's server; the
// old secret stops working at once. The same as POST /api/v1/organizations/{id}/chat-secret.
#include <iostream>

#include "app/cli.h"
#include "auth/credentials.h"
#include "core/text.h"
#include "store/conversations.h"

namespace chamado::app {

void AddChatCommand(CommandLine& cl) {
  auto* chat = cl.app().add_subcommand("chat", "Live chat: the widget's signed identities");
  chat->require_subcommand(1);
  auto* secret = chat->add_subcommand("secret", "Give an organization a new chat identity secret; prints it on the last line");
  auto organization = std::make_shared<std::string>();
  cl.AddDataOption(secret);
  secret->add_option("--organization", *organization, "The organization's name or id")->required();
  cl.OnRunInstalled(secret, [&cl, organization](Installation& installation) {
    const std::string fresh = auth::NewToken();
    const Instant now = cl.clock().Now();
    auto r = installation.store->WriteSync<core::Organization>([&](store::Repo& repo) -> Result<core::Organization> {
      std::optional<core::Organization> org;
      if (const auto id = ParseId(*organization)) {  // a number too large for an id is a name
        CHAMADO_ASSIGN_OR_RETURN(org, repo.GetOrganization(*id));
      }
      if (!org) {
        CHAMADO_ASSIGN_OR_RETURN(org, repo.FindOrganizationByName(*organization));
      }
      if (!org)
        return Error::NotFound("No organization is named or numbered \"" + *organization +
                               "\"; see GET /api/v1/organizations or create it first.");
      CHAMADO_TRY(store::RotateChatSecretCommand(repo, org->id, fresh, 0, now));
      return *org;
    });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << "New chat identity secret for " << r->name << " (organization " << r->id
              << "; the old one no longer signs; shown only once):\n"
              << fresh << "\n";
    return 0;
  });
}

}  // namespace chamado::app
