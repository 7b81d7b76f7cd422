// The command line: each subcommand registers its flags and its action on a CommandLine
// (cmd_<name>.cc); main() builds it, registers them all and runs the one given.
//
// Exit statuses: 0 done, 1 refused or failed (a sentence on standard error, "chamado: ..."),
// CLI11's own for usage errors; `mailgate` follows sysexits.h.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/config.h"
#include "core/clock.h"
#include "store/store.h"

namespace chamado::app {

// Prints "chamado: <message>" on standard error; returns the exit status 1.
int Fail(const std::string& message);

// An installation ready to work on: its configuration (file, environment, flags), logging
// and credentials set up, its data folder open and migrated.
struct Installation {
  Config config;
  std::unique_ptr<store::Store> store;
};

class CommandLine {
 public:
  // `clock`: the wall clock, for everything but serve --test-clock.
  explicit CommandLine(const core::Clock& clock);

  CLI::App& app() { return app_; }
  const core::Clock& clock() const { return clock_; }

  // Gives `command` the --data flag (the folder for the database and attachments).
  void AddDataOption(CLI::App* command);
  // What runs when `command` is the one given; returns the exit status.
  void OnRun(CLI::App* command, std::function<int()> run);
  // The same for a command that works on the installation: it is opened first (Open,
  // below), and the command fails with the reason when it cannot be.
  void OnRunInstalled(CLI::App* command, std::function<int(Installation&)> run);

  // Parses the arguments and runs the command given.
  int Run(int argc, char** argv);

  // The configuration file read: --config, else $CHAMADO_CONFIG, else ./chamado.toml when
  // present; empty when none.
  std::string ConfigPath() const;
  // Reads that file, then the environment, then --data. Errors name the file and line.
  Result<Config> LoadConfiguration() const;

 private:
  // LoadConfiguration, then sets up logging and credentials and opens the data folder.
  // Errors carry the sentence to print.
  Result<Installation> Open() const;

  CLI::App app_;
  const core::Clock& clock_;
  std::string config_path_;
  std::string data_;
  std::string db_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> runs_;
};

// The subcommands, in the order `chamado --help` lists them.
void AddServeCommand(CommandLine& cl);
void AddMigrateCommand(CommandLine& cl);
void AddBackupCommand(CommandLine& cl);
void AddDemoCommand(CommandLine& cl);
void AddUserCommand(CommandLine& cl);
void AddTokenCommand(CommandLine& cl);
void AddChatCommand(CommandLine& cl);
void AddCalendarCommand(CommandLine& cl);
void AddPolicyCommand(CommandLine& cl);
void AddBotCommand(CommandLine& cl);
void AddConfigCommand(CommandLine& cl);
void AddMailgateCommand(CommandLine& cl);
void AddMailCommand(CommandLine& cl);
void AddSearchCommand(CommandLine& cl);
void AddReportCommand(CommandLine& cl);
void AddStatusCommand(CommandLine& cl);
void AddHelpCommand(CommandLine& cl);
void AddVersionCommand(CommandLine& cl);
void AddCheckConfigCommand(CommandLine& cl);
void AddDoctorCommand(CommandLine& cl);

// `policy check FILE`: validates a policy file, prints a summary or every problem; the exit status.
int CheckPolicyFile(const std::string& file);
// A policy file and the files it refers to, read and checked.
Result<sla::Policy> ReadPolicyFile(const std::string& file);
// Prints "chamado: <what> has N problem(s):" and each problem on its line (or the message
// when the error lists none); returns the exit status 1.
int FailWithProblems(std::string_view what, const Error& e);

}  // namespace chamado::app
