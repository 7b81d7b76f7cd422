// chamado: the one binary. Composition root: the wall clock, the command line and its
// subcommands (cmd_<name>.cc), each of which builds what it needs once.
#include <chrono>

#include "app/cli.h"
#include "core/clock.h"

namespace chamado::app {
namespace {

class SystemClock final : public core::Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

}  // namespace

int Main(int argc, char** argv) {
  SystemClock clock;
  CommandLine cl(clock);
  AddServeCommand(cl);
  AddMigrateCommand(cl);
  AddBackupCommand(cl);
  AddDemoCommand(cl);
  AddUserCommand(cl);
  AddTokenCommand(cl);
  AddChatCommand(cl);
  AddCalendarCommand(cl);
  AddPolicyCommand(cl);
  AddBotCommand(cl);
  AddConfigCommand(cl);
  AddMailgateCommand(cl);
  AddMailCommand(cl);
  AddSearchCommand(cl);
  AddReportCommand(cl);
  AddStatusCommand(cl);
  AddHelpCommand(cl);
  AddVersionCommand(cl);
  AddCheckConfigCommand(cl);
  AddDoctorCommand(cl);
  return cl.Run(argc, argv);
}

}  // namespace chamado::app

int main(int argc, char** argv) { return chamado::app::Main(argc, argv); }
