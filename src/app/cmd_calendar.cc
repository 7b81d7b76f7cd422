// `chamado calendar eval`: business-time cases as JSON lines (calendar_eval.h).
#include <iostream>

#include "app/calendar_eval.h"
#include "app/cli.h"

namespace chamado::app {

void AddCalendarCommand(CommandLine& cl) {
  auto* calendar = cl.app().add_subcommand("calendar", "Business calendars");
  calendar->require_subcommand(1);
  auto* eval = calendar->add_subcommand(
      "eval", "Evaluate add / elapsed / is_open cases: JSON lines on standard input, one JSON line out per line in");
  cl.OnRun(eval, [] {
    std::ios::sync_with_stdio(false);
    RunCalendarEval(std::cin, std::cout);
    return 0;
  });
}

}  // namespace chamado::app
