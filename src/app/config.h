// Operator configuration: chamado.toml, then CHAMADO_* environment variables, then
// command-line flags, each overriding the one before. Unknown keys are errors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/secrets.h"
#include "store/sealed.h"

namespace chamado::app {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  std::string data = "./data";
  int threads = 0;
  std::string web_root;  // empty: look for web/dist next to the working directory or binary
  bool cookie_secure = false;
  std::string trusted_proxies;  // comma-separated addresses whose X-Forwarded-For is believed
  int64_t session_ttl_seconds = 14 * 24 * 3600;
  int64_t idle_timeout_seconds = 60;     // a silent connection is closed; a stalled body gets 408
  int max_connections = 10000;            // open HTTP connections at most
  int max_connections_per_client = 256;   // from one address (trusted proxies: no cap of their own)
  // [store]
  int64_t store_max_wal_bytes = 64 * 1024 * 1024;
  std::string store_url;          // postgresql://...; empty: SQLite in the data folder
  int store_max_connections = 16;  // PostgreSQL: reading connections per instance (the pool's bound)
  std::string store_listen_url;   // PostgreSQL: where instances notify each other; empty: store_url
  // [retention]
  int64_t retention_outbox_days = 30;        // delivered notifications kept; 0: forever
  int64_t retention_orphan_file_hours = 24;  // a stored file no row names is deleted after this
  int64_t retention_bot_transcript_days = 90;  // chatbot transcripts idle this long are deleted; 0: never
  int64_t retention_unused_image_days = 7;     // help images no revision shows, uploaded this long ago; 0: never
  int64_t retention_status_raw_days = 7;     // status probe samples kept raw (then per-minute rollups)
  int64_t retention_status_minute_days = 90; // per-minute status rollups kept (then per-hour)
  // [limits]
  int64_t max_header_bytes = 16 * 1024;
  int64_t max_body_bytes = 1024 * 1024;
  int64_t max_upload_bytes = 26 * 1024 * 1024;
  int64_t max_attachment_bytes = 20 * 1024 * 1024;
  // [security]
  int64_t signin_attempts_per_email = 10;
  int64_t signin_attempts_per_address = 100;
  bool mask_default_patterns = true;            // the built-in secret patterns
  std::vector<SecretPattern> secret_patterns;   // [[security.secret_patterns]]: more of them
  // [mail]
  std::string mail_lmtp_listen;                  // "127.0.0.1:2424"; empty: no LMTP listener
  std::string mail_hostname = "chamado.localhost";  // the right side of our Message-IDs, the LMTP greeting
  int64_t mail_max_message_bytes = 30 * 1024 * 1024;
  std::string mail_from;                         // "Acme Support <support@acme.example>"; empty: no mail is sent
  std::string mail_desk_name = "Support";
  std::string mail_public_url = "http://127.0.0.1:8080";  // links in mail
  std::string mail_smtp_url;                     // "smtp://127.0.0.1:25", "smtps://host:465"; empty: no mail is sent
  std::string mail_smtp_username;
  std::string mail_smtp_password;
  bool mail_smtp_starttls = false;               // require STARTTLS on smtp://
  std::string mail_templates_dir;                // empty: templates/mail next to the working directory or binary
  // The original emails at rest (store/sealed.h): a file of 64 hex digits (32-byte key) that
  // seals them; empty: they are stored as they came. Older keys, comma-separated files, only
  // open what they sealed (rotation; `chamado mail reseal`).
  std::string mail_original_key_file;
  std::string mail_original_old_key_files;
  // [help]
  int help_page_cache = 2048;                    // help-center articles and pages kept rendered; 0: none
  // [chat]
  int chat_max_per_agent = 3;                    // live conversations one agent holds at once; 0: no limit
  // [whatsapp] (docs/whatsapp.md): the channel is on when verify_token, app_secret,
  // access_token and phone_number_id are all set; none set: off (the webhook answers 404).
  std::string whatsapp_verify_token;
  std::string whatsapp_app_secret;
  std::string whatsapp_access_token;  // CHAMADO_WHATSAPP_TOKEN wins over the file
  std::string whatsapp_phone_number_id;
  std::string whatsapp_graph_url = "https://graph.facebook.com/v19.0";
  std::string whatsapp_language = "en";  // the desk language of conversations WhatsApp starts
  bool whatsapp_enabled() const { return !whatsapp_verify_token.empty(); }
  // [reports]
  std::string reports_publish_response_time = "off";  // off | calendar | business
  int reports_publish_window_days = 30;
  // [metrics]
  std::string metrics_access = "local";  // local | token | off
  std::string metrics_token;
  // [log]
  std::string log_level = "info";
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Reads `path` if non-empty (an error if it does not exist), then applies the environment.
Result<Config> LoadConfig(const std::string& path, const EnvLookup& env);

// The sealer of the original emails from [mail] original_key_file and original_old_key_files
// (no key: one that seals nothing). Errors name the file and the key that set it.
Result<std::shared_ptr<const store::Sealer>> OriginalSealer(const Config& c);

// Splits "127.0.0.1:8080" into address and port.
Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen);

// A documented list of every key, for `chamado config keys` and the README.
std::string ConfigReference();

// A chamado.toml with every key commented out at its default, its help and its environment
// variable (`chamado config keys --toml`; the packages install it as /etc/chamado/chamado.toml).
std::string ConfigExample();

}  // namespace chamado::app
