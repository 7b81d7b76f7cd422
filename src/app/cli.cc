#include "app/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "auth/credentials.h"
#include "store/postgres.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

std::optional<std::string> Env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

Result<std::unique_ptr<store::Store>> OpenData(const Config& config) {
  std::error_code ec;
  fs::create_directories(config.data, ec);
  if (ec) return Error::Unavailable("Cannot create the data folder " + config.data + ": " + ec.message());
  return store::Store::Open({.path = (fs::path(config.data) / "chamado.db").string(),
                             .max_wal_bytes = config.store_max_wal_bytes,
                             .url = config.store_url,
                             .max_readers = config.store_max_connections});
}

}  // namespace

int Fail(const std::string& message) {
  std::cerr << "chamado: " << message << "\n";
  return 1;
}

CommandLine::CommandLine(const core::Clock& clock)
    : app_("Chamado: a help desk whose heart is an SLA engine."), clock_(clock), config_path_(Env("CHAMADO_CONFIG").value_or("")) {
  app_.require_subcommand(1);
  // Subcommands created after this take --config too (`chamado serve --config F`).
  app_.fallthrough();
  app_.add_option("--config", config_path_, "chamado.toml to read (default: $CHAMADO_CONFIG, else ./chamado.toml if present)");
}

void CommandLine::AddDataOption(CLI::App* command) {
  command->add_option("--data", data_, "Folder for the database and attachments");
  command->add_option("--db", db_, "PostgreSQL URL (postgresql://...) of the database; default: [store] url, else SQLite in the data folder");
}

void CommandLine::OnRun(CLI::App* command, std::function<int()> run) { runs_.emplace_back(command, std::move(run)); }

void CommandLine::OnRunInstalled(CLI::App* command, std::function<int(Installation&)> run) {
  OnRun(command, [this, run = std::move(run)] {
    auto installation = Open();
    if (!installation.ok()) return Fail(installation.error().message);
    return run(*installation);
  });
}

std::string CommandLine::ConfigPath() const {
  if (config_path_.empty() && fs::exists("chamado.toml")) return "chamado.toml";
  return config_path_;
}

Result<Config> CommandLine::LoadConfiguration() const {
  CHAMADO_ASSIGN_OR_RETURN(Config config, LoadConfig(ConfigPath(), Env));
  if (!data_.empty()) config.data = data_;
  if (!db_.empty()) {
    CHAMADO_TRY(store::ParsePostgresUrl(db_));
    config.store_url = db_;
  }
  return config;
}

Result<Installation> CommandLine::Open() const {
  Installation out;
  CHAMADO_ASSIGN_OR_RETURN(out.config, LoadConfiguration());
  spdlog::set_default_logger(spdlog::stderr_color_mt("chamado"));
  spdlog::set_level(spdlog::level::from_str(out.config.log_level));
  CHAMADO_TRY(auth::Init());
  CHAMADO_ASSIGN_OR_RETURN(out.store, OpenData(out.config));
  return out;
}

int CommandLine::Run(int argc, char** argv) {
  CLI11_PARSE(app_, argc, argv);
  for (const auto& [command, run] : runs_)
    if (command->parsed()) return run();
  return Fail("no command given");  // unreachable: CLI11 requires one
}

}  // namespace chamado::app
