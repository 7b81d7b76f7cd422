#include "app/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <sstream>
#include <variant>

#include "core/languages.h"
#include "core/text.h"
#include "core/time.h"
#include "store/postgres.h"

namespace chamado::app {
namespace {

enum class Kind { kString, kInt, kBool, kDuration, kBytes };

struct Key {
  const char* section;
  const char* name;
  Kind kind;
  const char* help;
  std::variant<std::string Config::*, int Config::*, int64_t Config::*, bool Config::*> field;
};

const Key kKeys[] = {
    {"server", "listen", Kind::kString, "address:port to serve HTTP on", &Config::listen},
    {"server", "data", Kind::kString, "folder for the SQLite database and attachments (created if missing)", &Config::data},
    {"server", "threads", Kind::kInt, "network threads; 0 = one per core", &Config::threads},
    {"server", "web_root", Kind::kString, "folder of the built web UI (web/dist)", &Config::web_root},
    {"server", "trusted_proxies", Kind::kString, "comma-separated addresses of reverse proxies whose X-Forwarded-For names the client (sign-in limits); empty: none", &Config::trusted_proxies},
    {"server", "cookie_secure", Kind::kBool, "mark the session cookie Secure (set when served over HTTPS)", &Config::cookie_secure},
    {"server", "idle_timeout", Kind::kDuration, "a connection silent this long is closed; a request body that pauses this long, or averages under 1 KiB/s after it, gets 408", &Config::idle_timeout_seconds},
    {"server", "max_connections", Kind::kInt, "open HTTP connections at most; more get 503 (keep it under the open-files limit)", &Config::max_connections},
    {"server", "max_connections_per_client", Kind::kInt, "open HTTP connections from one client address at most (trusted proxies: no cap of their own)", &Config::max_connections_per_client},
    {"server", "session_ttl", Kind::kDuration, "how long a sign-in lasts, e.g. \"14d\"", &Config::session_ttl_seconds},
    {"store", "url", Kind::kString, "postgresql://user:password@host/db (multi-host, target_session_attrs=read-write, and prepare=false behind PgBouncer in transaction mode); empty: SQLite in the data folder (prefer the environment variable: it holds a password)", &Config::store_url},
    {"store", "listen_url", Kind::kString, "PostgreSQL: a direct URL (not through PgBouncer in transaction mode, which does not carry LISTEN) on which instances sharing the database tell each other of new events and live chat frames; empty: the url above", &Config::store_listen_url},
    {"store", "max_connections", Kind::kInt, "PostgreSQL: connections one instance reads with at once (a bounded pool; the writer has one more)", &Config::store_max_connections},
    {"store", "max_wal_bytes", Kind::kBytes, "bound of the SQLite write-ahead log; past it the log is emptied between two writes", &Config::store_max_wal_bytes},
    {"retention", "outbox_days", Kind::kInt, "days delivered notifications are kept (0: forever); tickets and messages are never pruned", &Config::retention_outbox_days},
    {"retention", "orphan_file_hours", Kind::kInt, "hours before a stored file that nothing names any more is deleted (at least 1)", &Config::retention_orphan_file_hours},
    {"retention", "bot_transcript_days", Kind::kInt, "days a chatbot conversation's transcript is kept after its last turn (0: forever); its counts stay", &Config::retention_bot_transcript_days},
    {"retention", "unused_image_days", Kind::kInt, "days before a help-center image that no article revision shows is deleted (0: never)", &Config::retention_unused_image_days},
    {"retention", "status_raw_days", Kind::kInt, "days status probe samples are kept raw before they become per-minute rollups (at least 1)", &Config::retention_status_raw_days},
    {"retention", "status_minute_days", Kind::kInt, "days per-minute status rollups are kept before they become per-hour ones (at least status_raw_days)", &Config::retention_status_minute_days},
    {"limits", "max_header_bytes", Kind::kBytes, "largest request header block", &Config::max_header_bytes},
    {"limits", "max_body_bytes", Kind::kBytes, "largest JSON request body", &Config::max_body_bytes},
    {"limits", "max_upload_bytes", Kind::kBytes, "largest multipart upload (all files of one request)", &Config::max_upload_bytes},
    {"limits", "max_attachment_bytes", Kind::kBytes, "largest single attachment", &Config::max_attachment_bytes},
    {"security", "signin_attempts_per_email", Kind::kInt, "sign-in attempts per address per 5 minutes", &Config::signin_attempts_per_email},
    {"security", "signin_attempts_per_address", Kind::kInt, "sign-in attempts per client IP per 5 minutes", &Config::signin_attempts_per_address},
    {"security", "mask_default_patterns", Kind::kBool, "mask API keys, tokens, private keys and passwords with the built-in patterns", &Config::mask_default_patterns},
    {"mail", "lmtp_listen", Kind::kString, "address:port of the LMTP listener for an MTA; empty: none", &Config::mail_lmtp_listen},
    {"mail", "hostname", Kind::kString, "this desk's mail host name: Message-IDs, the LMTP greeting", &Config::mail_hostname},
    {"mail", "max_message_bytes", Kind::kBytes, "largest email accepted (LMTP, mail gateway)", &Config::mail_max_message_bytes},
    {"mail", "from", Kind::kString, "sender of outgoing mail, e.g. \"Acme Support <support@acme.example>\"; empty: send none", &Config::mail_from},
    {"mail", "desk_name", Kind::kString, "the desk's name in mail signatures", &Config::mail_desk_name},
    {"mail", "public_url", Kind::kString, "the desk's address for links in mail", &Config::mail_public_url},
    {"mail", "smtp_url", Kind::kString, "smart host, e.g. smtp://mail.example:587 or smtps://mail.example:465; empty: send none", &Config::mail_smtp_url},
    {"mail", "smtp_username", Kind::kString, "SMTP AUTH user name", &Config::mail_smtp_username},
    {"mail", "smtp_password", Kind::kString, "SMTP AUTH password (prefer the environment variable)", &Config::mail_smtp_password},
    {"mail", "smtp_starttls", Kind::kBool, "require STARTTLS on smtp:// URLs", &Config::mail_smtp_starttls},
    {"mail", "templates_dir", Kind::kString, "folder of mail templates (<language>/<event>.txt)", &Config::mail_templates_dir},
    {"mail", "original_key_file", Kind::kString, "file of 64 hex digits (openssl rand -hex 32) whose key seals the original emails at rest; empty: stored as received", &Config::mail_original_key_file},
    {"mail", "original_old_key_files", Kind::kString, "comma-separated key files that only open originals sealed before a key rotation", &Config::mail_original_old_key_files},
    {"help", "page_cache", Kind::kInt, "help-center articles and pages kept rendered in memory (0: render each request)", &Config::help_page_cache},
    {"chat", "max_per_agent", Kind::kInt, "live conversations one agent holds at once (accepting another is refused); 0: no limit", &Config::chat_max_per_agent},
    {"whatsapp", "verify_token", Kind::kString, "the verify token typed at Meta when the webhook is registered (GET hub.verify_token); setting it turns the WhatsApp channel on", &Config::whatsapp_verify_token},
    {"whatsapp", "app_secret", Kind::kString, "the Meta app's secret: every webhook POST's X-Hub-Signature-256 is checked with it (prefer the environment variable)", &Config::whatsapp_app_secret},
    {"whatsapp", "access_token", Kind::kString, "the Graph API token replies are sent with (prefer CHAMADO_WHATSAPP_TOKEN, which wins; never shown)", &Config::whatsapp_access_token},
    {"whatsapp", "phone_number_id", Kind::kString, "the business number's id at Meta (digits): replies go to {graph_url}/{phone_number_id}/messages", &Config::whatsapp_phone_number_id},
    {"whatsapp", "graph_url", Kind::kString, "the Graph API's base URL, with its version", &Config::whatsapp_graph_url},
    {"whatsapp", "language", Kind::kString, "the desk language of conversations WhatsApp starts (the bot's and the notices' language)", &Config::whatsapp_language},
    {"reports", "publish_response_time", Kind::kString, "publish the mean time to first response without sign-in at GET /api/v1/public/response-time (seed 002's figure, for the status page): off, calendar or business", &Config::reports_publish_response_time},
    {"reports", "publish_window_days", Kind::kInt, "the published figure covers the tickets first answered in this many last days (1-366)", &Config::reports_publish_window_days},
    {"metrics", "access", Kind::kString, "who may scrape GET /metrics (Prometheus): local (clients on this machine), token (Authorization: Bearer [metrics] token) or off", &Config::metrics_access},
    {"metrics", "token", Kind::kString, "the bearer token scrapers send when access = \"token\", at least 16 characters (openssl rand -hex 32; prefer the environment variable)", &Config::metrics_token},
    {"log", "level", Kind::kString, "trace, debug, info, warn or error", &Config::log_level},
};

std::string EnvName(const Key& k) {
  std::string s = std::string("CHAMADO_") + k.section + "_" + k.name;
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Parses "25MiB", "512k", "1048576".
std::optional<int64_t> ParseBytes(std::string_view s) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || n < 0) return std::nullopt;
  std::string unit(p, s.data() + s.size());
  for (auto& c : unit) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (unit.empty() || unit == "b") return n;
  if (unit == "k" || unit == "kb" || unit == "kib") return n * 1024;
  if (unit == "m" || unit == "mb" || unit == "mib") return n * 1024 * 1024;
  if (unit == "g" || unit == "gb" || unit == "gib") return n * 1024 * 1024 * 1024;
  return std::nullopt;
}

Result<void> Assign(Config& c, const Key& k, const std::string& where, const std::optional<std::string>& text,
                    const toml::node* node) {
  const std::string what = std::string(k.section) + "." + k.name + " (" + where + ")";
  switch (k.kind) {
    case Kind::kString: {
      std::string v;
      if (node) {
        if (!node->is_string()) return Error::InvalidArgument(what + " must be a string.");
        v = *node->value<std::string>();
      } else {
        v = *text;
      }
      c.*std::get<std::string Config::*>(k.field) = v;
      return Ok();
    }
    case Kind::kBool: {
      bool v;
      if (node) {
        if (!node->is_boolean()) return Error::InvalidArgument(what + " must be true or false.");
        v = *node->value<bool>();
      } else if (*text == "true" || *text == "1") {
        v = true;
      } else if (*text == "false" || *text == "0") {
        v = false;
      } else {
        return Error::InvalidArgument(what + " must be true or false.");
      }
      c.*std::get<bool Config::*>(k.field) = v;
      return Ok();
    }
    case Kind::kInt:
    case Kind::kBytes:
    case Kind::kDuration: {
      int64_t v = 0;
      if (node && node->is_integer()) {
        v = *node->value<int64_t>();
        if (k.kind == Kind::kDuration) return Error::InvalidArgument(what + " must be a duration string such as \"14d\" or \"12h\".");
      } else {
        std::string s;
        if (node) {
          if (!node->is_string()) return Error::InvalidArgument(what + " must be a number.");
          s = *node->value<std::string>();
        } else {
          s = *text;
        }
        if (k.kind == Kind::kDuration) {
          auto d = ParseDuration(s);
          if (!d) return Error::InvalidArgument(what + " must be a duration such as \"14d\", \"12h\" or \"30m\".");
          v = std::chrono::duration_cast<std::chrono::seconds>(*d).count();
        } else if (k.kind == Kind::kBytes) {
          auto b = ParseBytes(s);
          if (!b) return Error::InvalidArgument(what + " must be a size such as 1048576, \"512KiB\" or \"25MiB\".");
          v = *b;
        } else {
          auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
          if (ec != std::errc() || p != s.data() + s.size()) return Error::InvalidArgument(what + " must be a whole number.");
        }
      }
      if (v < 0) return Error::InvalidArgument(what + " must not be negative.");
      if (auto* pi = std::get_if<int Config::*>(&k.field)) c.*(*pi) = int(v);
      else c.*std::get<int64_t Config::*>(k.field) = v;
      return Ok();
    }
  }
  return Ok();
}

// [whatsapp]: all of its secrets or none, a base URL libcurl may fetch, a desk language.
Result<void> CheckWhatsapp(Config& c) {
  const std::pair<const char*, const std::string*> needed[] = {{"verify_token", &c.whatsapp_verify_token},
                                                                {"app_secret", &c.whatsapp_app_secret},
                                                                {"access_token", &c.whatsapp_access_token},
                                                                {"phone_number_id", &c.whatsapp_phone_number_id}};
  std::string missing;
  int set = 0;
  for (const auto& [name, value] : needed) {
    if (!value->empty()) ++set;
    else missing += std::string(missing.empty() ? "" : ", ") + name;
  }
  if (set == 0) return Ok();
  if (!missing.empty())
    return Error::InvalidArgument("[whatsapp] is half configured: " + missing +
                                  " missing (the channel needs verify_token, app_secret, access_token or CHAMADO_WHATSAPP_TOKEN, "
                                  "and phone_number_id; docs/whatsapp.md).");
  if (c.whatsapp_phone_number_id.find_first_not_of("0123456789") != std::string::npos)
    return Error::InvalidArgument("[whatsapp] phone_number_id is the number's id at Meta, digits only (not the phone number "
                                  "with + or spaces); got \"" + c.whatsapp_phone_number_id + "\".");
  while (!c.whatsapp_graph_url.empty() && c.whatsapp_graph_url.back() == '/') c.whatsapp_graph_url.pop_back();
  if (c.whatsapp_graph_url.rfind("https://", 0) != 0 && c.whatsapp_graph_url.rfind("http://", 0) != 0)
    return Error::InvalidArgument("[whatsapp] graph_url must be an http:// or https:// URL such as "
                                  "\"https://graph.facebook.com/v19.0\"; got \"" + c.whatsapp_graph_url + "\".");
  if (!core::IsDeskLanguage(c.whatsapp_language))
    return Error::InvalidArgument("[whatsapp] language is one of the desk languages (" + core::DeskLanguageList() + "), not \"" +
                                  c.whatsapp_language + "\".");
  return Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path, const EnvLookup& env) {
  Config c;
  if (!path.empty()) {
    toml::table tbl;
    try {
      tbl = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << path << ":" << e.source().begin.line << ": " << e.description();
      return Error::InvalidArgument(msg.str());
    }
    for (const auto& [section, node] : tbl) {
      const std::string sname(section.str());
      const auto* t = node.as_table();
      bool known_section = false;
      for (const auto& k : kKeys) known_section = known_section || sname == k.section;
      if (!t || !known_section)
        return Error::InvalidArgument(path + ":" + std::to_string(node.source().begin.line) + ": unknown section [" + sname +
                                      "]; sections are [server], [limits], [security], [mail] and [log].");
      for (const auto& [key, value] : *t) {
        if (sname == "security" && key.str() == "secret_patterns") {
          // [[security.secret_patterns]] name = "...", regex = "...", group = 1
          const auto* arr = value.as_array();
          const std::string where = path + ":" + std::to_string(value.source().begin.line);
          if (!arr) return Error::InvalidArgument(where + ": security.secret_patterns must be a list of tables.");
          for (const auto& item : *arr) {
            const auto* pt = item.as_table();
            const std::string at = path + ":" + std::to_string(item.source().begin.line);
            if (!pt) return Error::InvalidArgument(at + ": each secret pattern is a table with name, regex and group.");
            SecretPattern sp;
            sp.name = pt->get("name") && pt->get("name")->is_string() ? *pt->get("name")->value<std::string>() : "";
            sp.regex = pt->get("regex") && pt->get("regex")->is_string() ? *pt->get("regex")->value<std::string>() : "";
            sp.group = pt->get("group") && pt->get("group")->is_integer() ? int(*pt->get("group")->value<int64_t>()) : 0;
            if (sp.name.empty() || sp.regex.empty())
              return Error::InvalidArgument(at + ": a secret pattern needs a name and a regex (RE2 syntax).");
            for (const auto& [k, v] : *pt)
              if (k.str() != "name" && k.str() != "regex" && k.str() != "group")
                return Error::InvalidArgument(at + ": unknown key \"" + std::string(k.str()) + "\" in a secret pattern.");
            if (auto m = SecretMasker::Make({sp}); !m.ok()) return Error::InvalidArgument(at + ": " + m.error().message);
            c.secret_patterns.push_back(std::move(sp));
          }
          continue;
        }
        const Key* found = nullptr;
        for (const auto& k : kKeys)
          if (sname == k.section && key.str() == k.name) found = &k;
        const std::string where = path + ":" + std::to_string(value.source().begin.line);
        if (!found)
          return Error::InvalidArgument(where + ": unknown key \"" + std::string(key.str()) + "\" in [" + sname +
                                        "]; run `chamado config keys` for the list.");
        CHAMADO_TRY(Assign(c, *found, where, std::nullopt, &value));
      }
    }
  }
  for (const auto& k : kKeys) {
    const std::string name = EnvName(k);
    if (auto v = env(name)) CHAMADO_TRY(Assign(c, k, "environment " + name, v, nullptr));
  }
  // The token's own name (the generic one, CHAMADO_WHATSAPP_ACCESS_TOKEN, works too).
  if (auto token = env("CHAMADO_WHATSAPP_TOKEN")) c.whatsapp_access_token = *token;
  CHAMADO_TRY(CheckWhatsapp(c));
  for (auto [key, days] : {std::pair{"outbox_days", c.retention_outbox_days}, std::pair{"bot_transcript_days", c.retention_bot_transcript_days},
                           std::pair{"unused_image_days", c.retention_unused_image_days}})
    if (days < 0 || days > 36500)
      return Error::InvalidArgument("[retention] " + std::string(key) + " is " + std::to_string(days) +
                                    "; give a number of days from 0 (keep forever) to 36500.");
  if (c.retention_orphan_file_hours < 1)
    return Error::InvalidArgument("[retention] orphan_file_hours must be at least 1: a file is written before the change "
                                  "that names it is saved.");
  if (c.retention_status_raw_days < 1 || c.retention_status_minute_days < c.retention_status_raw_days)
    return Error::InvalidArgument("[retention] status_raw_days must be at least 1 and status_minute_days at least status_raw_days (" +
                                  std::to_string(c.retention_status_raw_days) + " and " + std::to_string(c.retention_status_minute_days) +
                                  " given).");
  if (!c.store_url.empty()) {
    if (auto u = store::ParsePostgresUrl(c.store_url); !u.ok())
      return Error::InvalidArgument("[store] url: " + u.error().message + " Leave it empty for SQLite in the data folder.");
  }
  if (!c.store_listen_url.empty()) {
    if (c.store_url.empty())
      return Error::InvalidArgument("[store] listen_url is set but [store] url is not: it is for PostgreSQL; set both, or neither for SQLite.");
    if (auto u = store::ParsePostgresUrl(c.store_listen_url); !u.ok())
      return Error::InvalidArgument("[store] listen_url: " + u.error().message);
  }
  if (c.store_max_connections < 1 || c.store_max_connections > 1000)
    return Error::InvalidArgument("[store] max_connections is " + std::to_string(c.store_max_connections) +
                                  "; give 1 to 1000 (the default is 16).");
  // A log emptied after nearly every write would make every write wait for the readers.
  if (c.store_max_wal_bytes < 1024 * 1024)
    return Error::InvalidArgument("[store] max_wal_bytes is " + std::to_string(c.store_max_wal_bytes) +
                                  " bytes; give at least 1MiB (the default is 64MiB).");
  return c;
}

Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Error::InvalidArgument("listen must be ADDRESS:PORT, such as 127.0.0.1:8080 (got \"" + listen + "\").");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const std::string p = listen.substr(colon + 1);
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port > 65535)
    return Error::InvalidArgument("The port in \"" + listen + "\" is not a number from 0 to 65535.");
  return std::make_pair(host, static_cast<unsigned short>(port));
}

namespace {

std::string TomlString(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The largest whole unit: 1209600 -> "14d", 90 -> "90s".
std::string DurationText(int64_t seconds) {
  for (const auto& [unit, size] : {std::pair{'d', 86400}, {'h', 3600}, {'m', 60}})
    if (seconds != 0 && seconds % size == 0) return std::to_string(seconds / size) + unit;
  return std::to_string(seconds) + "s";
}

std::string BytesText(int64_t bytes) {
  for (const auto& [unit, size] : {std::pair{"GiB", int64_t(1) << 30}, {"MiB", int64_t(1) << 20}, {"KiB", int64_t(1) << 10}})
    if (bytes != 0 && bytes % size == 0) return std::to_string(bytes / size) + unit;
  return std::to_string(bytes);
}

// The value of `k` in `c`, written as chamado.toml takes it.
std::string TomlValue(const Config& c, const Key& k) {
  switch (k.kind) {
    case Kind::kString: return TomlString(c.*std::get<std::string Config::*>(k.field));
    case Kind::kBool: return c.*std::get<bool Config::*>(k.field) ? "true" : "false";
    case Kind::kInt:
      if (auto* pi = std::get_if<int Config::*>(&k.field)) return std::to_string(c.*(*pi));
      return std::to_string(c.*std::get<int64_t Config::*>(k.field));
    case Kind::kDuration: return TomlString(DurationText(c.*std::get<int64_t Config::*>(k.field)));
    case Kind::kBytes: return TomlString(BytesText(c.*std::get<int64_t Config::*>(k.field)));
  }
  return "";
}

}  // namespace

std::string ConfigExample() {
  const Config defaults;
  std::string out =
      "# Chamado's configuration. Every key is listed with its default, commented out: uncomment\n"
      "# a line to change it. Each key can also be set by the environment variable named beside it,\n"
      "# which wins over this file. `chamado check-config` validates the file.\n";
  std::string section;
  for (const auto& k : kKeys) {
    if (section != k.section) {
      section = k.section;
      out += "\n[" + section + "]\n";
    }
    out += "# " + std::string(k.help) + " (" + EnvName(k) + ")\n";
    out += "#" + std::string(k.name) + " = " + TomlValue(defaults, k) + "\n";
  }
  out +=
      "\n# More secrets to mask in tickets (RE2; the group holds the secret), as many as needed:\n"
      "#[[security.secret_patterns]]\n"
      "#name = \"acme_license\"\n"
      "#regex = \"ACME-LIC-([0-9A-Z]{20})\"\n"
      "#group = 1\n";
  return out;
}

std::string ConfigReference() {
  std::string out;
  for (const auto& k : kKeys) {
    out += std::string("[") + k.section + "] " + k.name + "  (" + EnvName(k) + ")  " + k.help + "\n";
  }
  out += "[[security.secret_patterns]] name, regex, group  (file only)  more secrets to mask: RE2, the group holding the secret\n";
  return out;
}

Result<std::shared_ptr<const store::Sealer>> OriginalSealer(const Config& c) {
  std::vector<std::string> older;
  for (size_t at = 0; at < c.mail_original_old_key_files.size();) {
    size_t comma = c.mail_original_old_key_files.find(',', at);
    if (comma == std::string::npos) comma = c.mail_original_old_key_files.size();
    const std::string_view file = Trim(std::string_view(c.mail_original_old_key_files).substr(at, comma - at));
    if (!file.empty()) older.emplace_back(file);
    at = comma + 1;
  }
  auto sealer = store::Sealer::FromKeyFiles(c.mail_original_key_file, older);
  if (!sealer.ok())
    return Error::InvalidArgument("[mail] original_key_file / original_old_key_files: " + sealer.error().message);
  return sealer;
}

}  // namespace chamado::app
