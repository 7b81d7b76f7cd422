// `chamado bot check | apply | history | rollback | export`: the chatbot's flow as a file,
// versioned like policies (docs/chatbot.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "bot/flow.h"
#include "store/bot.h"

namespace chamado::app {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("Cannot read the flow file " + path + ".");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void PrintWarnings(const std::vector<FieldError>& warnings) {
  for (const auto& w : warnings) std::cerr << "chamado: warning: " << w.field << ": " << w.message << "\n";
}

int Check(const std::string& file, const std::string& policy_file) {
  auto text = ReadText(file);
  if (!text.ok()) return Fail(text.error().message);
  std::optional<sla::Policy> policy;
  if (!policy_file.empty()) {
    auto p = ReadPolicyFile(policy_file);
    if (!p.ok()) return FailWithProblems("the policy", p.error());
    policy = std::move(*p);
  }
  auto parsed = bot::ParseFlow(*text, file, policy ? &*policy : nullptr);
  if (!parsed.ok()) return FailWithProblems("the flow", parsed.error());
  PrintWarnings(parsed->warnings);
  std::cout << "bot flow \"" << parsed->flow.name << "\" is valid: " << parsed->flow.nodes.size() << " node(s), starting at \""
            << parsed->flow.start << "\"" << (policy ? "" : " (categories and calendars unchecked: give --policy)") << "\n";
  return 0;
}

// Checks `source` against the policy in effect and makes it the flow in effect.
int Apply(const CommandLine& cl, Installation& installation, const std::string& source, const std::string& name,
          std::optional<int64_t> restored_from) {
  auto parsed = bot::ParseFlow(source, name, installation.store->policy().get());
  if (!parsed.ok()) return FailWithProblems("the flow", parsed.error());
  PrintWarnings(parsed->warnings);
  const Instant now = cl.clock().Now();
  auto version = installation.store->WriteSync<int64_t>([&](store::Repo& repo) {
    return store::ApplyBotFlowCommand(repo, parsed->flow, std::nullopt, restored_from, now);
  });
  if (!version.ok()) return Fail(version.error().message);
  std::cout << "bot flow \"" << parsed->flow.name << "\" is in effect as version " << *version;
  if (restored_from) std::cout << " (the text of version " << *restored_from << ")";
  std::cout << "\n";
  return 0;
}

int History(Installation& installation) {
  auto history = installation.store->Read<std::vector<store::StoredFlow>>([](store::Repo& repo) { return repo.FlowHistory(); });
  if (!history.ok()) return Fail(history.error().message);
  if (history->empty()) {
    std::cout << "no bot flow applied yet\n";
    return 0;
  }
  for (const auto& f : *history) {
    std::cout << "v" << f.version << "  " << FormatIsoUtc(f.applied_at) << "  " << f.name;
    if (f.restored_from) std::cout << "  (rollback to v" << *f.restored_from << ")";
    if (&f == &history->front()) std::cout << "  [in effect]";
    std::cout << "\n";
  }
  return 0;
}

int Rollback(const CommandLine& cl, Installation& installation, int64_t version) {
  auto stored = installation.store->Read<std::optional<store::StoredFlow>>([&](store::Repo& repo) { return repo.FlowAt(version); });
  if (!stored.ok()) return Fail(stored.error().message);
  if (!*stored) return Fail("There is no bot flow version " + std::to_string(version) + "; `chamado bot history` lists them.");
  return Apply(cl, installation, (*stored)->source, "bot flow v" + std::to_string(version), version);
}

int Export(Installation& installation) {
  auto stored = installation.store->Read<std::optional<store::StoredFlow>>([](store::Repo& repo) { return repo.LatestFlow(); });
  if (!stored.ok()) return Fail(stored.error().message);
  if (!*stored) return Fail("No bot flow has been applied yet.");
  std::cout << (*stored)->source;
  return 0;
}

}  // namespace

void AddBotCommand(CommandLine& cl) {
  auto file = std::make_shared<std::string>();
  auto policy_file = std::make_shared<std::string>();
  auto version = std::make_shared<int64_t>(0);
  auto* bot = cl.app().add_subcommand("bot", "The chatbot's flow: a decision tree in TOML, versioned like policies");
  bot->require_subcommand(1);
  auto* check = bot->add_subcommand("check", "Validate a flow file without applying it");
  check->add_option("file", *file, "The flow (TOML)")->required();
  check->add_option("--policy", *policy_file, "Also check the categories and calendars it names against this policy file");
  auto* apply = bot->add_subcommand("apply", "Validate a flow file against the policy in effect and make it the flow in effect");
  cl.AddDataOption(apply);
  apply->add_option("file", *file, "The flow (TOML)")->required();
  auto* history = bot->add_subcommand("history", "List the flow's versions, newest first");
  cl.AddDataOption(history);
  auto* rollback = bot->add_subcommand("rollback", "Make an earlier version's text the flow in effect again (as a new version)");
  cl.AddDataOption(rollback);
  rollback->add_option("version", *version, "The version to go back to (chamado bot history)")->required()->check(CLI::PositiveNumber);
  auto* exp = bot->add_subcommand("export", "Print the flow in effect (as applied, comments and all)");
  cl.AddDataOption(exp);
  cl.OnRun(check, [file, policy_file] { return Check(*file, *policy_file); });
  cl.OnRunInstalled(apply, [&cl, file](Installation& installation) {
    auto text = ReadText(*file);
    if (!text.ok()) return Fail(text.error().message);
    return Apply(cl, installation, *text, *file, std::nullopt);
  });
  cl.OnRunInstalled(history, [](Installation& installation) { return History(installation); });
  cl.OnRunInstalled(rollback, [&cl, version](Installation& installation) { return Rollback(cl, installation, *version); });
  cl.OnRunInstalled(exp, [](Installation& installation) { return Export(installation); });
}

}  // namespace chamado::app
