// chamado: the one binary. Composition root: builds each component once and hands it its
// dependencies.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/calendar_eval.h"
#include "app/config.h"
#include "app/demo.h"
#include "auth/credentials.h"
#include "core/clock.h"
#include "core/text.h"
#include "http/api.h"
#include "http/server.h"
#include "jobs/scheduler.h"
#include "jobs/webhooks.h"
#include "sla/policy_toml.h"
#include "store/commands.h"
#include "store/blobs.h"
#include "store/store.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

class SystemClock final : public core::Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  }
};

int Fail(const std::string& message) {
  std::cerr << "chamado: " << message << "\n";
  return 1;
}

Result<std::unique_ptr<store::Store>> OpenData(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Unavailable("Cannot create the data folder " + dir + ": " + ec.message());
  return store::Store::Open({(fs::path(dir) / "chamado.db").string()});
}

std::string FindWebRoot(const std::string& configured, const char* argv0) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  std::vector<fs::path> candidates = {fs::current_path(ec) / "web" / "dist"};
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "share" / "chamado" / "web");
    candidates.push_back(exe.parent_path() / ".." / ".." / ".." / "web" / "dist");
  }
  (void)argv0;
  for (const auto& c : candidates)
    if (fs::is_regular_file(c / "index.html", ec)) return fs::weakly_canonical(c, ec).string();
  return {};
}

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

int FailPolicy(const Error& e) {
  if (e.fields.empty()) return Fail(e.message);
  std::cerr << "chamado: the policy has " << e.fields.size() << " problem(s):\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.message << "\n";
  return 1;
}

std::optional<std::string> Env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"Chamado: a help desk whose heart is an SLA engine."};
  cli.require_subcommand(1);
  std::string config_path = Env("CHAMADO_CONFIG").value_or("");
  cli.add_option("--config", config_path, "chamado.toml to read (default: $CHAMADO_CONFIG, else ./chamado.toml if present)");

  std::string data, listen, web;
  int threads = -1;
  auto* serve = cli.add_subcommand("serve", "Run the server (migrates the database first)");
  serve->add_option("--data", data, "Folder for the database and attachments");
  serve->add_option("--listen", listen, "ADDRESS:PORT (port 0 picks a free one)");
  serve->add_option("--web", web, "Folder of the built web UI");
  serve->add_option("--threads", threads, "Network threads (0: one per core)");
  bool test_clock = false;
  serve->add_flag("--test-clock", test_clock,
                  "Tests only: time stands still until POST /api/v1/test/clock sets or advances it");

  auto* migrate = cli.add_subcommand("migrate", "Create or upgrade the database");
  migrate->add_option("--data", data, "Folder for the database and attachments");

  auto* demo = cli.add_subcommand("demo", "Load demo organizations, people and tickets (once)");
  demo->add_option("--data", data, "Folder for the database and attachments");

  std::string role, email, password, name, organization, token_name;
  auto* user = cli.add_subcommand("user", "Manage people");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add an admin, agent or customer (or set the password of an existing one)");
  user_add->add_option("--data", data, "Folder for the database and attachments");
  user_add->add_option("--role", role, "admin, agent or customer")->required()->check(CLI::IsMember({"admin", "agent", "customer"}));
  user_add->add_option("--email", email, "Sign-in address")->required();
  user_add->add_option("--password", password, "Password (at least 8 characters; \"-\" reads it from standard input)")->required();
  user_add->add_option("--name", name, "Display name");
  user_add->add_option("--organization", organization, "Customers: organization name or id (created if missing)");

  auto* token = cli.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create an API token for a person; prints it on the last line");
  token_create->add_option("--data", data, "Folder for the database and attachments");
  token_create->add_option("--email", email, "Whose token")->required();
  token_create->add_option("--name", token_name, "What the token is for");

  auto* calendar = cli.add_subcommand("calendar", "Business calendars");
  calendar->require_subcommand(1);
  auto* calendar_eval = calendar->add_subcommand(
      "eval", "Evaluate add / elapsed / is_open cases: JSON lines on standard input, one JSON line out per line in");

  std::string policy_file;
  auto* policy = cli.add_subcommand("policy", "Support policies: calendars, priorities, plans, SLA targets, escalations");
  policy->require_subcommand(1);
  auto* policy_apply = policy->add_subcommand("apply", "Validate a policy file and make it the one in effect");
  policy_apply->add_option("--data", data, "Folder for the database and attachments");
  policy_apply->add_option("file", policy_file, "The policy (TOML)")->required();
  auto* policy_check = policy->add_subcommand("check", "Validate a policy file without applying it");
  policy_check->add_option("file", policy_file, "The policy (TOML)")->required();
  auto* policy_export = policy->add_subcommand("export", "Print the policy in effect (as applied, comments and all)");
  policy_export->add_option("--data", data, "Folder for the database and attachments");

  auto* config_cmd = cli.add_subcommand("config", "Show configuration");
  config_cmd->require_subcommand(1);
  auto* config_keys = config_cmd->add_subcommand("keys", "List every configuration key and its environment variable");

  CLI11_PARSE(cli, argc, argv);

  if (calendar_eval->parsed()) {
    std::ios::sync_with_stdio(false);
    RunCalendarEval(std::cin, std::cout);
    return 0;
  }
  if (policy_check->parsed()) {
    auto loaded = LoadPolicyFile(policy_file);
    if (!loaded.ok()) return FailPolicy(loaded.error());
    std::cout << "policy \"" << loaded->policy.name << "\" is valid: " << loaded->policy.calendars.size() << " calendar(s), "
              << loaded->policy.catalog.priorities.levels.size() << " priorities, " << loaded->policy.plans.size()
              << " plan(s), " << loaded->policy.targets.size() << " target rule(s)\n";
    return 0;
  }
  if (config_keys->parsed()) {
    std::cout << ConfigReference();
    return 0;
  }
  if (config_path.empty() && fs::exists("chamado.toml")) config_path = "chamado.toml";
  auto cfg = LoadConfig(config_path, Env);
  if (!cfg.ok()) return Fail(cfg.error().message);
  if (!data.empty()) cfg->data = data;
  if (!listen.empty()) cfg->listen = listen;
  if (!web.empty()) cfg->web_root = web;
  if (threads >= 0) cfg->threads = threads;

  auto level = spdlog::level::from_str(cfg->log_level);
  spdlog::set_default_logger(spdlog::stderr_color_mt("chamado"));
  spdlog::set_level(level);
  if (auto r = auth::Init(); !r.ok()) return Fail(r.error().message);
  SystemClock system_clock;
  // With --test-clock, time starts at the real now and then moves only when told to.
  core::ManualClock test_time(system_clock.Now());
  const core::Clock& clock = test_clock ? static_cast<const core::Clock&>(test_time) : system_clock;

  auto store = OpenData(cfg->data);
  if (!store.ok()) return Fail(store.error().message);
  store::Store& st = **store;

  if (policy_apply->parsed()) {
    auto loaded = LoadPolicyFile(policy_file);
    if (!loaded.ok()) return FailPolicy(loaded.error());
    const Instant now = clock.Now();
    auto version = st.WriteSync<int64_t>([&](store::Repo& repo) {
      return store::ApplyPolicyCommand(repo, loaded->policy, loaded->files, std::nullopt, now);
    });
    if (!version.ok()) return Fail(version.error().message);
    std::cout << "policy \"" << loaded->policy.name << "\" is in effect as version " << *version << "\n";
    return 0;
  }
  if (policy_export->parsed()) {
    if (st.policy_version() == 0) {
      std::cout << store::DefaultPolicySource();
      return 0;
    }
    std::cout << st.policy()->source;
    return 0;
  }

  if (migrate->parsed()) {
    std::cout << "database " << st.path() << " is up to date\n";
    return 0;
  }

  if (demo->parsed()) {
    auto r = LoadDemo(st, clock.Now());
    if (!r.ok()) return Fail(r.error().message);
    if (r->empty()) std::cout << "demo data is already loaded\n";
    else std::cout << "demo data loaded: 3 organizations, " << r->size() << " sign-ins, 5 tickets\n";
    return 0;
  }

  if (user_add->parsed()) {
    if (password == "-") std::getline(std::cin, password);
    if (auto p = auth::PasswordProblem(password); !p.empty()) return Fail(p);
    const std::string normalized = NormalizeEmail(email);
    if (normalized.empty()) return Fail("\"" + email + "\" is not a valid email address.");
    auto hash = auth::HashPassword(password);
    if (!hash.ok()) return Fail(hash.error().message);
    const auto parsed_role = *core::ParseRole(role);
    const Instant now = clock.Now();
    auto r = st.WriteSync<std::pair<core::User, bool>>([&](store::Repo& repo) -> Result<std::pair<core::User, bool>> {
      CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.FindUserByEmail(normalized));
      if (existing) {
        if (existing->role != parsed_role)
          return Error::Conflict(normalized + " already exists as " + std::string(core::Name(existing->role)) + ".");
        CHAMADO_TRY(repo.SetPasswordHash(existing->id, *hash));
        return std::make_pair(*existing, false);
      }
      core::User u;
      u.email = normalized;
      u.name = name.empty() ? normalized.substr(0, normalized.find('@')) : name;
      u.role = parsed_role;
      u.language = "en";
      u.time_zone = "UTC";
      u.created_at = now;
      if (!organization.empty()) {
        if (parsed_role != core::Role::kCustomer) return Error::InvalidArgument("--organization is for customers only.");
        std::optional<core::Organization> org;
        if (std::all_of(organization.begin(), organization.end(), ::isdigit)) {
          CHAMADO_ASSIGN_OR_RETURN(org, repo.GetOrganization(std::stoll(organization)));
        }
        if (!org) {
          CHAMADO_ASSIGN_OR_RETURN(org, repo.FindOrganizationByName(organization));
        }
        if (!org) {
          core::Organization o;
          o.name = organization;
          o.language = "en";
          o.time_zone = "UTC";
          o.created_at = now;
          CHAMADO_ASSIGN_OR_RETURN(org, repo.InsertOrganization(o));
        }
        u.organization_id = org->id;
        u.language = org->language;
        u.time_zone = org->time_zone;
      } else if (parsed_role == core::Role::kCustomer) {
        CHAMADO_ASSIGN_OR_RETURN(u.organization_id, repo.OrganizationForDomain(EmailDomain(normalized)));
      }
      CHAMADO_ASSIGN_OR_RETURN(u, repo.InsertUser(u, *hash));
      return std::make_pair(u, true);
    });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << (r->second ? "added " : "password changed for ") << role << " " << r->first.email << " (id " << r->first.id << ")\n";
    return 0;
  }

  if (token_create->parsed()) {
    const std::string normalized = NormalizeEmail(email);
    const std::string tok = auth::NewToken();
    const Instant now = clock.Now();
    auto r = st.WriteSync<core::Id>([&](store::Repo& repo) -> Result<core::Id> {
      CHAMADO_ASSIGN_OR_RETURN(auto u, repo.FindUserByEmail(normalized));
      if (!u) return Error::NotFound("Nobody signs in as " + email + "; add them with `chamado user add` first.");
      return repo.InsertApiToken(u->id, auth::TokenHash(tok), token_name, now);
    });
    if (!r.ok()) return Fail(r.error().message);
    std::cout << "API token for " << normalized << " (send as \"Authorization: Bearer <token>\"; it is shown only once):\n"
              << tok << "\n";
    return 0;
  }

  // serve
  auto addr = ParseListen(cfg->listen);
  if (!addr.ok()) return Fail(addr.error().message);
  store::BlobStore blobs((fs::path(cfg->data) / "attachments").string());
  http::ApiOptions api_options;
  api_options.cookie_secure = cfg->cookie_secure;
  api_options.session_ttl = std::chrono::seconds(cfg->session_ttl_seconds);
  api_options.max_attachment_bytes = size_t(cfg->max_attachment_bytes);
  api_options.web_root = FindWebRoot(cfg->web_root, argv[0]);
  api_options.signin_attempts_per_email = int(cfg->signin_attempts_per_email);
  api_options.signin_attempts_per_address = int(cfg->signin_attempts_per_address);
  {
    std::vector<SecretPattern> patterns;
    if (cfg->mask_default_patterns) patterns = SecretMasker::Defaults();
    patterns.insert(patterns.end(), cfg->secret_patterns.begin(), cfg->secret_patterns.end());
    auto masker = SecretMasker::Make(patterns);
    if (!masker.ok()) return Fail(masker.error().message);
    api_options.masker = *masker;
  }
  jobs::Scheduler scheduler(st, clock);
  jobs::WebhookSender webhooks(st, clock);
  if (test_clock) {
    spdlog::warn("--test-clock: time stands still until POST /api/v1/test/clock moves it; never use this in production");
    api_options.move_clock = [&](std::optional<Instant> set, std::optional<std::chrono::milliseconds> advance) -> Result<Instant> {
      if (set) test_time.Set(*set);
      if (advance) test_time.Set(test_time.Now() + *advance);
      // Everything due by the new now fires before the answer: tests can check at once.
      CHAMADO_TRY(scheduler.RunDue());
      webhooks.Poke();
      return test_time.Now();
    };
  }
  auto api = std::make_unique<http::Api>(st, blobs, clock, api_options);
  http::ServerOptions server_options;
  server_options.address = addr->first;
  server_options.port = addr->second;
  server_options.threads = cfg->threads;
  server_options.max_header_bytes = size_t(cfg->max_header_bytes);
  server_options.max_body_bytes = size_t(cfg->max_body_bytes);
  server_options.max_upload_bytes = size_t(cfg->max_upload_bytes);
  auto server = http::Server::Bind(server_options, [api = api.get()](http::Request req, http::Reply reply) {
    api->Handle(std::move(req), std::move(reply));
  });
  if (!server.ok()) return Fail(server.error().message);
  if (api_options.web_root.empty()) spdlog::warn("no web UI found (build it with ./scripts/run, or pass --web); serving the API only");
  std::cout << "Chamado is listening on http://" << addr->first << ":" << (*server)->port() << std::endl;
  // Under --test-clock time moves only through the test clock endpoint, which runs the
  // scheduler itself: no background pass may fire anything in between.
  if (!test_clock) scheduler.Start();
  webhooks.Start();
  (*server)->Run();
  webhooks.Stop();
  scheduler.Stop();
  // Tear down in dependency order: the API (joining its hash pool), then the store (finishing
  // every write already accepted; their replies go to the stopped network loop, which still
  // exists), then the server.
  api.reset();
  store->reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace chamado::app

int main(int argc, char** argv) { return chamado::app::Main(argc, argv); }
