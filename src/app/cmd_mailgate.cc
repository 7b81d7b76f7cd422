// `chamado mailgate`: an MTA's pipe transport posts one email to the server (mailgate.h).
#include <iostream>

#include "app/cli.h"
#include "app/mailgate.h"

namespace chamado::app {

void AddMailgateCommand(CommandLine& cl) {
  auto gate = std::make_shared<MailgateOptions>();
  auto* mailgate = cl.app().add_subcommand("mailgate",
                                           "Post one email from standard input to the server (for an MTA's pipe transport); "
                                           "exit codes follow sysexits: 75 = try again later");
  mailgate->add_option("--url", gate->url, "the server, e.g. http://127.0.0.1:8080")->required();
  mailgate->add_option("--token", gate->token, "an admin's API token (chamado token create); or CHAMADO_MAILGATE_TOKEN")
      ->envname("CHAMADO_MAILGATE_TOKEN");
  mailgate->add_option("--sender", gate->sender, "the envelope sender (Postfix: ${sender})");
  mailgate->add_option("--timeout", gate->timeout_seconds, "seconds to wait for the server")->capture_default_str();
  cl.OnRun(mailgate, [gate] { return RunMailgate(*gate, std::cin, std::cout, std::cerr); });
}

}  // namespace chamado::app
