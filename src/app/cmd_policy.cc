// `chamado policy check | apply | export`: support policies as files.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"
#include "sla/policy_toml.h"
#include "store/commands.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

struct LoadedPolicy {
  sla::Policy policy;
  std::vector<std::pair<std::string, std::string>> files;  // as referred to, for storing
};

// Reads a policy file and the files it refers to (relative to it, inside its folder).
Result<LoadedPolicy> LoadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound("Cannot read the policy file " + path + ".");
  std::stringstream ss;
  ss << in.rdbuf();
  const fs::path dir = fs::path(path).parent_path();
  LoadedPolicy out;
  auto parsed = sla::ParsePolicy(ss.str(), path, [&](std::string_view rel) -> Result<std::string> {
    const fs::path p(rel);
    if (p.is_absolute() || std::string(rel).find("..") != std::string::npos)
      return Error::InvalidArgument("Refer to files beside the policy, without .. or an absolute path.");
    std::ifstream f(dir / p, std::ios::binary);
    if (!f) return Error::NotFound("Cannot read " + (dir / p).string() + ".");
    std::stringstream content;
    content << f.rdbuf();
    out.files.emplace_back(std::string(rel), content.str());
    return content.str();
  });
  if (!parsed.ok()) return std::move(parsed).error();
  out.policy = std::move(*parsed);
  return out;
}

int FailPolicy(const Error& e) { return FailWithProblems("the policy", e); }

}  // namespace

int FailWithProblems(std::string_view what, const Error& e) {
  if (e.fields.empty()) return Fail(e.message);
  std::cerr << "chamado: " << what << " has " << e.fields.size() << " problem(s):\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  return 1;
}

Result<sla::Policy> ReadPolicyFile(const std::string& file) {
  auto loaded = LoadPolicyFile(file);
  if (!loaded.ok()) return std::move(loaded).error();
  return std::move(loaded->policy);
}

int CheckPolicyFile(const std::string& file) {
  auto loaded = LoadPolicyFile(file);
  if (!loaded.ok()) return FailPolicy(loaded.error());
  std::cout << "policy \"" << loaded->policy.name << "\" is valid: " << loaded->policy.calendars.size() << " calendar(s), "
            << loaded->policy.catalog.priorities.levels.size() << " priorities, " << loaded->policy.plans.size()
            << " plan(s), " << loaded->policy.targets.size() << " target rule(s)\n";
  return 0;
}

namespace {

int Apply(const CommandLine& cl, Installation& installation, const std::string& file) {
  auto loaded = LoadPolicyFile(file);
  if (!loaded.ok()) return FailPolicy(loaded.error());
  const Instant now = cl.clock().Now();
  auto version = installation.store->WriteSync<int64_t>([&](store::Repo& repo) {
    return store::ApplyPolicyCommand(repo, loaded->policy, loaded->files, std::nullopt, now);
  });
  if (!version.ok()) return Fail(version.error().message);
  std::cout << "policy \"" << loaded->policy.name << "\" is in effect as version " << *version << "\n";
  return 0;
}

int Export(const Installation& installation) {
  const store::Store& st = *installation.store;
  if (st.policy_version() == 0) {
    std::cout << store::DefaultPolicySource();
    return 0;
  }
  std::cout << st.policy()->source;
  return 0;
}

}  // namespace

void AddPolicyCommand(CommandLine& cl) {
  auto file = std::make_shared<std::string>();
  auto* policy = cl.app().add_subcommand("policy", "Support policies: calendars, priorities, plans, SLA targets, escalations");
  policy->require_subcommand(1);
  auto* apply = policy->add_subcommand("apply", "Validate a policy file and make it the one in effect");
  cl.AddDataOption(apply);
  apply->add_option("file", *file, "The policy (TOML)")->required();
  auto* check = policy->add_subcommand("check", "Validate a policy file without applying it");
  check->add_option("file", *file, "The policy (TOML)")->required();
  auto* exp = policy->add_subcommand("export", "Print the policy in effect (as applied, comments and all)");
  cl.AddDataOption(exp);
  cl.OnRunInstalled(apply, [&cl, file](Installation& installation) { return Apply(cl, installation, *file); });
  cl.OnRun(check, [file] { return CheckPolicyFile(*file); });
  cl.OnRunInstalled(exp, [](Installation& installation) { return Export(installation); });
}

}  // namespace chamado::app
