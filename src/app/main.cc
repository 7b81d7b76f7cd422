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
#include "jobs/mailer.h"
#include "jobs/outbox.h"
#include "app/mailgate.h"
#include "app/user_add.h"
#include <boost/json.hpp>
#include <iterator>
#include "mail/inbox.h"
#include "mail/lmtp.h"
#include "mail/parse.h"
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

// The mail templates: configured, else templates/mail in the working folder, installed
// beside the binary, or in the source tree the binary was built from.
std::string FindTemplates(const std::string& configured) {
  if (!configured.empty()) return configured;
  std::error_code ec;
  std::vector<fs::path> candidates = {fs::current_path(ec) / "templates" / "mail"};
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "share" / "chamado" / "templates" / "mail");
    candidates.push_back(exe.parent_path() / ".." / ".." / ".." / "templates" / "mail");
  }
  for (const auto& c : candidates)
    if (fs::is_directory(c / "en", ec)) return fs::weakly_canonical(c, ec).string();
  return {};
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

// What an email looks like to Chamado (`chamado mail parse`).
std::string MailJson(const core::ParsedMail& m) {
  namespace json = boost::json;
  auto address = [](const core::MailAddress& a) { return json::object{{"address", a.address}, {"name", a.name}}; };
  json::array to, cc, refs, parts;
  for (const auto& a : m.to) to.push_back(address(a));
  for (const auto& a : m.cc) cc.push_back(address(a));
  for (const auto& r : m.references) refs.push_back(json::value(r));
  for (const auto& p : m.attachments)
    parts.push_back(json::object{{"filename", p.filename},
                                 {"content_type", p.content_type},
                                 {"content_id", p.content_id},
                                 {"inline", p.inline_part},
                                 {"size", p.data.size()}});
  json::object o{{"message_id", m.message_id},
                 {"in_reply_to", m.in_reply_to},
                 {"references", refs},
                 {"from", address(m.from)},
                 {"to", to},
                 {"cc", cc},
                 {"subject", m.subject},
                 {"language", m.language},
                 {"date", m.date ? json::value(FormatIsoUtc(*m.date)) : json::value(nullptr)},
                 {"automatic", core::Name(m.automatic)},
                 {"body_from_html", m.body_from_html},
                 {"body", m.body},
                 {"attachments", parts}};
  return json::serialize(o);
}

// An intake's outcome as the MTA must hear it: refused for good (it bounces) or for now.
mail::LmtpReply LmtpReplyFor(const Result<store::MailIntake>& r) {
  if (r.ok()) {
    std::string text = std::string(store::Name(r->outcome));
    if (r->ticket_number) text += " #" + std::to_string(r->ticket_number);
    return {250, "2.0.0", text};
  }
  switch (r.error().code) {
    case ErrorCode::kInvalidArgument: return {550, "5.6.0", r.error().message};
    case ErrorCode::kTooLarge: return {552, "5.3.4", r.error().message};
    default: return {451, "4.3.0", "Temporarily unable to store the mail: " + r.error().message};
  }
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

  MailgateOptions gate;
  auto* mailgate = cli.add_subcommand("mailgate",
                                      "Post one email from standard input to the server (for an MTA's pipe transport); "
                                      "exit codes follow sysexits: 75 = try again later");
  mailgate->add_option("--url", gate.url, "the server, e.g. http://127.0.0.1:8080")->required();
  mailgate->add_option("--token", gate.token, "an admin's API token (chamado token create); or CHAMADO_MAILGATE_TOKEN")
      ->envname("CHAMADO_MAILGATE_TOKEN");
  mailgate->add_option("--sender", gate.sender, "the envelope sender (Postfix: ${sender})");
  mailgate->add_option("--timeout", gate.timeout_seconds, "seconds to wait for the server")->capture_default_str();
  auto* mail_cmd = cli.add_subcommand("mail", "Inspect email as Chamado reads it");
  mail_cmd->require_subcommand(1);
  auto* mail_parse = mail_cmd->add_subcommand("parse", "Parse one email from standard input and print what Chamado sees, as JSON");

  CLI11_PARSE(cli, argc, argv);

  if (mailgate->parsed()) return RunMailgate(gate, std::cin, std::cout, std::cerr);
  if (mail_parse->parsed()) {
    std::string raw((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    std::cout << MailJson(mail::ParseMail(raw)) << "\n";
    return 0;
  }

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
    auto r = AddUser(st, {role, email, password, name, organization}, clock.Now());
    if (!r.ok()) return Fail(r.error().message);
    std::cout << (r->created ? "added " : "password changed for ") << role << " " << r->user.email << " (id " << r->user.id << ")\n";
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
  // Files written without their own fsync (mail) are flushed once per group commit.
  st.SetBeforeCommit([&blobs] { return blobs.SyncDeferred(); });
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
  std::unique_ptr<jobs::Mailer> mailer;
  if (!cfg->mail_smtp_url.empty() && !cfg->mail_from.empty()) {
    auto from = mail::ParseMailbox(cfg->mail_from);
    if (!from) return Fail("[mail] from: \"" + cfg->mail_from + "\" is not an address like \"Acme Support <support@acme.example>\".");
    const std::string dir = FindTemplates(cfg->mail_templates_dir);
    if (dir.empty()) return Fail("[mail] templates_dir: no templates/mail folder found; set it to the folder of <language>/<event>.txt.");
    auto templates = mail::MailTemplates::Load(dir);
    if (!templates.ok()) return Fail(templates.error().message);
    if (auto complete = jobs::CheckTemplates(*templates); !complete.ok()) return Fail(complete.error().message);
    jobs::MailerOptions mo;
    mo.from = *from;
    mo.desk_name = cfg->mail_desk_name;
    mo.public_url = cfg->mail_public_url;
    mo.hostname = cfg->mail_hostname;
    mo.smtp_url = cfg->mail_smtp_url;
    mo.username = cfg->mail_smtp_username;
    mo.password = cfg->mail_smtp_password;
    mo.starttls = cfg->mail_smtp_starttls;
    mailer = std::make_unique<jobs::Mailer>(st, blobs, clock, mo, std::move(*templates));
  } else {
    spdlog::info("mail out is off ([mail] smtp_url and from are not both set): email notifications wait in the outbox");
  }
  jobs::Scheduler scheduler(st, clock);
  jobs::OutboxSender webhooks(st, clock, "webhook", jobs::PostWebhook);
  if (test_clock) {
    spdlog::warn("--test-clock: time stands still until POST /api/v1/test/clock moves it; never use this in production");
    api_options.move_clock = [&](std::optional<Instant> set, std::optional<std::chrono::milliseconds> advance) -> Result<Instant> {
      if (set) test_time.Set(*set);
      if (advance) test_time.Set(test_time.Now() + *advance);
      // Everything due by the new now fires before the answer: tests can check at once.
      CHAMADO_TRY(scheduler.RunDue());
      webhooks.Poke();
      if (mailer) mailer->Poke();
      return test_time.Now();
    };
  }
  mail::InboxOptions inbox_options;
  inbox_options.max_message_bytes = size_t(cfg->mail_max_message_bytes);
  inbox_options.max_attachment_bytes = size_t(cfg->max_attachment_bytes);
  inbox_options.masker = api_options.masker;
  mail::Inbox inbox(st, blobs, clock, inbox_options);
  api_options.inbox = &inbox;
  std::unique_ptr<mail::LmtpServer> lmtp;
  if (!cfg->mail_lmtp_listen.empty()) {
    auto lmtp_addr = ParseListen(cfg->mail_lmtp_listen);
    if (!lmtp_addr.ok()) return Fail("[mail] lmtp_listen: " + lmtp_addr.error().message);
    mail::LmtpOptions lo;
    lo.address = lmtp_addr->first;
    lo.port = lmtp_addr->second;
    lo.hostname = cfg->mail_hostname;
    lo.max_message_bytes = size_t(cfg->mail_max_message_bytes);
    auto started = mail::LmtpServer::Start(lo, [&inbox](std::string raw, std::string sender) {
      return LmtpReplyFor(inbox.Deliver(raw, std::move(sender)));
    });
    if (!started.ok()) return Fail(started.error().message);
    lmtp = std::move(*started);
    std::cout << "LMTP is listening on " << lo.address << ":" << lmtp->port() << std::endl;
  }
  auto api = std::make_unique<http::Api>(st, blobs, clock, api_options);
  http::ServerOptions server_options;
  server_options.address = addr->first;
  server_options.port = addr->second;
  server_options.threads = cfg->threads;
  server_options.max_header_bytes = size_t(cfg->max_header_bytes);
  server_options.max_body_bytes = size_t(cfg->max_body_bytes);
  server_options.max_upload_bytes = size_t(cfg->max_upload_bytes);
  server_options.max_mail_bytes = size_t(cfg->mail_max_message_bytes);
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
  if (mailer) mailer->Start();
  (*server)->Run();
  if (mailer) mailer->Stop();
  if (lmtp) lmtp->Stop();
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
