// `chamado serve`: the server. Builds each component once, hands it its dependencies, runs
// until stopped, and tears down in dependency order.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "app/resources.h"
#include "core/text.h"
#include "http/api.h"
#include "http/server.h"
#include "jobs/mailer.h"
#include "jobs/outbox.h"
#include "jobs/scheduler.h"
#include "jobs/whatsapp.h"
#include "mail/inbox.h"
#include "mail/lmtp.h"
#include "mail/parse.h"
#include "store/blobs.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

struct ServeOptions {
  std::string listen;
  std::string web;
  int threads = -1;
  bool test_clock = false;
};

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

// The built-in secret patterns (unless turned off), then the configured ones.
Result<std::shared_ptr<const SecretMasker>> MaskerFor(const Config& cfg) {
  std::vector<SecretPattern> patterns;
  if (cfg.mask_default_patterns) patterns = SecretMasker::Defaults();
  patterns.insert(patterns.end(), cfg.secret_patterns.begin(), cfg.secret_patterns.end());
  return SecretMasker::Make(patterns);
}

// The mail sender, when [mail] smtp_url and from are both set; nullptr otherwise.
Result<std::unique_ptr<jobs::Mailer>> MakeMailer(const Config& cfg, store::Store& st, store::BlobStore& blobs,
                                                 const core::Clock& clock) {
  if (cfg.mail_smtp_url.empty() || cfg.mail_from.empty()) {
    spdlog::info("mail out is off ([mail] smtp_url and from are not both set): email notifications wait in the outbox");
    return std::unique_ptr<jobs::Mailer>();
  }
  auto from = mail::ParseMailbox(cfg.mail_from);
  if (!from)
    return Error::InvalidArgument("[mail] from: \"" + cfg.mail_from + "\" is not an address like \"Acme Support <support@acme.example>\".");
  const std::string dir = FindMailTemplates(cfg.mail_templates_dir);
  if (dir.empty())
    return Error::NotFound("[mail] templates_dir: no templates/mail folder found; set it to the folder of <language>/<event>.txt.");
  CHAMADO_ASSIGN_OR_RETURN(auto templates, mail::MailTemplates::Load(dir));
  CHAMADO_TRY(jobs::CheckTemplates(templates));
  jobs::MailerOptions mo;
  mo.from = *from;
  mo.desk_name = cfg.mail_desk_name;
  mo.public_url = cfg.mail_public_url;
  mo.hostname = cfg.mail_hostname;
  mo.smtp_url = cfg.mail_smtp_url;
  mo.username = cfg.mail_smtp_username;
  mo.password = cfg.mail_smtp_password;
  mo.starttls = cfg.mail_smtp_starttls;
  return std::make_unique<jobs::Mailer>(st, blobs, clock, mo, std::move(templates));
}

// The LMTP listener, when [mail] lmtp_listen is set; nullptr otherwise.
Result<std::unique_ptr<mail::LmtpServer>> StartLmtp(const Config& cfg, mail::Inbox& inbox) {
  if (cfg.mail_lmtp_listen.empty()) return std::unique_ptr<mail::LmtpServer>();
  auto address = ParseListen(cfg.mail_lmtp_listen);
  if (!address.ok()) return Error::InvalidArgument("[mail] lmtp_listen: " + address.error().message);
  mail::LmtpOptions lo;
  lo.address = address->first;
  lo.port = address->second;
  lo.hostname = cfg.mail_hostname;
  lo.max_message_bytes = size_t(cfg.mail_max_message_bytes);
  CHAMADO_ASSIGN_OR_RETURN(auto lmtp, mail::LmtpServer::Start(lo, [&inbox](std::string raw, std::string sender) {
                             return LmtpReplyFor(inbox.Deliver(raw, std::move(sender)));
                           }));
  std::cout << "LMTP is listening on " << lo.address << ":" << lmtp->port() << std::endl;
  return lmtp;
}

http::ServerOptions ServerOptionsFor(const Config& cfg, const std::pair<std::string, unsigned short>& address) {
  http::ServerOptions so;
  so.address = address.first;
  so.port = address.second;
  so.threads = cfg.threads;
  so.max_header_bytes = size_t(cfg.max_header_bytes);
  so.max_body_bytes = size_t(cfg.max_body_bytes);
  so.max_upload_bytes = size_t(cfg.max_upload_bytes);
  so.max_mail_bytes = size_t(cfg.mail_max_message_bytes);
  so.max_connections = cfg.max_connections;
  so.idle_timeout_seconds = int(std::clamp<int64_t>(cfg.idle_timeout_seconds, 1, 24 * 3600));
  so.max_connections_per_client = cfg.max_connections_per_client;
  return so;
}

int Serve(const CommandLine& cl, Installation& installation, const ServeOptions& o) {
  Config& cfg = installation.config;
  if (!o.listen.empty()) cfg.listen = o.listen;
  if (!o.web.empty()) cfg.web_root = o.web;
  if (o.threads >= 0) cfg.threads = o.threads;
  store::Store& st = *installation.store;
  // With --test-clock, time starts at the real now and then moves only when told to.
  core::ManualClock test_time(cl.clock().Now());
  const core::Clock& clock = o.test_clock ? static_cast<const core::Clock&>(test_time) : cl.clock();

  auto addr = ParseListen(cfg.listen);
  if (!addr.ok()) return Fail(addr.error().message);
  store::BlobStore blobs((fs::path(cfg.data) / "attachments").string());
  auto sealer = OriginalSealer(cfg);
  if (!sealer.ok()) return Fail(sealer.error().message);
  if ((*sealer)->sealing())
    spdlog::info("original emails are sealed at rest with key {}", (*sealer)->KeyId());
  else
    spdlog::warn("original emails are stored unsealed: set [mail] original_key_file to seal them at rest (docs/operations.md)");
  blobs.SetSealer(*sealer);
  // Files written without their own fsync (mail) are flushed once per group commit.
  st.SetBeforeCommit([&blobs] { return blobs.SyncDeferred(); });
  http::ApiOptions api_options;
  api_options.cookie_secure = cfg.cookie_secure;
  for (size_t at = 0; at <= cfg.trusted_proxies.size();) {
    size_t comma = cfg.trusted_proxies.find(',', at);
    if (comma == std::string::npos) comma = cfg.trusted_proxies.size();
    const std::string_view proxy = Trim(std::string_view(cfg.trusted_proxies).substr(at, comma - at));
    if (!proxy.empty()) api_options.trusted_proxies.emplace_back(proxy);
    at = comma + 1;
  }
  api_options.session_ttl = std::chrono::seconds(cfg.session_ttl_seconds);
  api_options.max_attachment_bytes = size_t(cfg.max_attachment_bytes);
  api_options.web_root = FindWebRoot(cfg.web_root);
  api_options.public_url = cfg.mail_public_url;
  if (cfg.help_page_cache < 0) return Fail("[help] page_cache is a number of pages, 0 or more.");
  api_options.help_cache_entries = size_t(cfg.help_page_cache);
  if (cfg.chat_max_per_agent < 0) return Fail("[chat] max_per_agent is a number of conversations, 0 (no limit) or more.");
  api_options.chat_max_per_agent = cfg.chat_max_per_agent;
  if (cfg.reports_publish_response_time != "off" && cfg.reports_publish_response_time != "calendar" &&
      cfg.reports_publish_response_time != "business")
    return Fail("[reports] publish_response_time is off, calendar or business, not \"" + cfg.reports_publish_response_time + "\".");
  if (cfg.reports_publish_window_days < 1 || cfg.reports_publish_window_days > 366)
    return Fail("[reports] publish_window_days is a number of days from 1 to 366.");
  api_options.publish_response_time = cfg.reports_publish_response_time;
  api_options.publish_window_days = cfg.reports_publish_window_days;
  if (cfg.metrics_access != "local" && cfg.metrics_access != "token" && cfg.metrics_access != "off")
    return Fail("[metrics] access is local, token or off, not \"" + cfg.metrics_access + "\".");
  if (cfg.metrics_access == "token" && cfg.metrics_token.size() < 16)
    return Fail("[metrics] access = \"token\" needs [metrics] token, at least 16 characters (openssl rand -hex 32).");
  api_options.metrics_access = cfg.metrics_access;
  api_options.metrics_token = cfg.metrics_token;
  api_options.signin_attempts_per_email = int(cfg.signin_attempts_per_email);
  api_options.signin_attempts_per_address = int(cfg.signin_attempts_per_address);
  auto masker = MaskerFor(cfg);
  if (!masker.ok()) return Fail(masker.error().message);
  api_options.masker = *masker;
  auto mailer = MakeMailer(cfg, st, blobs, clock);
  if (!mailer.ok()) return Fail(mailer.error().message);
  store::RetentionOptions retention;
  retention.outbox_days = int(cfg.retention_outbox_days);
  retention.orphan_grace = std::chrono::hours(cfg.retention_orphan_file_hours);
  retention.bot_transcript_days = int(cfg.retention_bot_transcript_days);
  retention.unused_image_days = int(cfg.retention_unused_image_days);
  retention.status_raw_days = int(cfg.retention_status_raw_days);
  retention.status_minute_days = int(cfg.retention_status_minute_days);
  jobs::Scheduler scheduler(st, clock, api_options.masker, &blobs, retention);
  jobs::OutboxSender webhooks(st, clock, store::OutboxKind::kWebhook, jobs::PostWebhook);
  // The WhatsApp channel (docs/whatsapp.md): its replies go through the outbox like webhooks.
  std::unique_ptr<jobs::OutboxSender> whatsapp;
  if (cfg.whatsapp_enabled()) {
    const jobs::WhatsappGraph graph{cfg.whatsapp_graph_url, cfg.whatsapp_phone_number_id, cfg.whatsapp_access_token};
    whatsapp = std::make_unique<jobs::OutboxSender>(
        st, clock, store::OutboxKind::kWhatsapp,
        [graph](const store::Repo::QueuedNotification& n) { return jobs::SendWhatsappMessage(graph, n); }, jobs::RecordWhatsappOutcome);
    auto& wa = api_options.whatsapp;
    wa.verify_token = cfg.whatsapp_verify_token;
    wa.app_secret = cfg.whatsapp_app_secret;
    wa.phone_number_id = cfg.whatsapp_phone_number_id;
    wa.language = cfg.whatsapp_language;
    wa.fetch_media = [graph](const std::string& media_id, size_t max_bytes) -> Result<std::pair<std::string, std::string>> {
      CHAMADO_ASSIGN_OR_RETURN(auto file, jobs::FetchWhatsappMedia(graph, media_id, max_bytes));
      return std::make_pair(std::move(file.bytes), std::move(file.content_type));
    };
    wa.queued = [sender = whatsapp.get()] { sender->Poke(); };
    spdlog::info("WhatsApp channel on: replies through {}", cfg.whatsapp_graph_url);
  }
  api_options.bus_url = cfg.store_listen_url;
  if (o.test_clock) {
    spdlog::warn("--test-clock: time stands still until POST /api/v1/test/clock moves it; never use this in production");
    api_options.move_clock = [&](std::optional<Instant> set, std::optional<std::chrono::milliseconds> advance) -> Result<Instant> {
      if (set) test_time.Set(*set);
      if (advance) test_time.Set(test_time.Now() + *advance);
      // Everything due by the new now fires before the answer: tests can check at once.
      CHAMADO_TRY(scheduler.RunDue());
      webhooks.Poke();
      if (whatsapp) whatsapp->Poke();
      if (*mailer) (*mailer)->Poke();
      return test_time.Now();
    };
  }
  mail::InboxOptions inbox_options;
  inbox_options.max_message_bytes = size_t(cfg.mail_max_message_bytes);
  inbox_options.max_attachment_bytes = size_t(cfg.max_attachment_bytes);
  inbox_options.masker = api_options.masker;
  // Our templates' subject prefixes, even while mail out is off (mail sent earlier may be
  // answered).
  if (const std::string dir = FindMailTemplates(cfg.mail_templates_dir); !dir.empty()) {
    auto templates = mail::MailTemplates::Load(dir);
    if (templates.ok()) inbox_options.own_subject_prefixes = templates->SubjectPrefixes();
    else spdlog::warn("mail templates: {}", templates.error().message);
  }
  mail::Inbox inbox(st, blobs, clock, inbox_options);
  api_options.inbox = &inbox;
  auto lmtp = StartLmtp(cfg, inbox);
  if (!lmtp.ok()) return Fail(lmtp.error().message);
  auto api = std::make_unique<http::Api>(st, blobs, clock, api_options);
  if (cfg.max_connections < 1 || cfg.max_connections_per_client < 1)
    return Fail("[server] max_connections and max_connections_per_client must be at least 1.");
  auto server_options = ServerOptionsFor(cfg, *addr);
  server_options.unlimited_clients = api_options.trusted_proxies;
  server_options.body_kind = [api = api.get()](const http::Request& head) { return api->BodyKindOf(head); };
  auto server = http::Server::Bind(server_options, [api = api.get()](http::Request req, http::Reply reply) {
    api->Handle(std::move(req), std::move(reply));
  });
  if (!server.ok()) return Fail(server.error().message);
  if (api_options.web_root.empty()) spdlog::warn("no web UI found (build it with ./scripts/run, or pass --web); serving the API only");
  std::cout << "Chamado is listening on http://" << addr->first << ":" << (*server)->port() << std::endl;
  // Under --test-clock time moves only through the test clock endpoint, which runs the
  // scheduler itself: no background pass may fire anything in between.
  if (!o.test_clock) scheduler.Start();
  webhooks.Start();
  if (whatsapp) whatsapp->Start();
  if (*mailer) (*mailer)->Start();
  (*server)->Run();
  if (*mailer) (*mailer)->Stop();
  if (*lmtp) (*lmtp)->Stop();
  webhooks.Stop();
  if (whatsapp) whatsapp->Stop();
  scheduler.Stop();
  // Tear down in dependency order: the API (joining its hash pool), then the store (finishing
  // every write already accepted; their replies go to the stopped network loop, which still
  // exists), then the server.
  api.reset();
  installation.store.reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void AddServeCommand(CommandLine& cl) {
  auto o = std::make_shared<ServeOptions>();
  auto* serve = cl.app().add_subcommand("serve", "Run the server (migrates the database first)");
  cl.AddDataOption(serve);
  serve->add_option("--listen", o->listen, "ADDRESS:PORT (port 0 picks a free one)");
  serve->add_option("--web", o->web, "Folder of the built web UI");
  serve->add_option("--threads", o->threads, "Network threads (0: one per core)");
  serve->add_flag("--test-clock", o->test_clock,
                  "Tests only: time stands still until POST /api/v1/test/clock sets or advances it");
  cl.OnRunInstalled(serve, [&cl, o](Installation& installation) { return Serve(cl, installation, *o); });
}

}  // namespace chamado::app
