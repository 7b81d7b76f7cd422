#include "app/doctor.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>

#include "app/config.h"
#include "store/postgres.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace chamado::app {
namespace fs = std::filesystem;

namespace {

CheckResult Passed(std::string name, std::string detail) { return {std::move(name), CheckStatus::kOk, std::move(detail)}; }
CheckResult Failed(std::string name, std::string detail) { return {std::move(name), CheckStatus::kFailed, std::move(detail)}; }

std::string UserName(uid_t uid) {
  const passwd* pw = ::getpwuid(uid);
  return pw ? std::string(pw->pw_name) : "uid " + std::to_string(uid);
}

}  // namespace

CheckResult CheckDataFolder(const std::string& dir) {
  const std::string name = "data folder";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Failed(name, dir + " does not exist: `chamado migrate --data " + dir + "` creates it (serve does too).");
  const std::string probe = (fs::path(dir) / (".chamado-doctor-" + std::to_string(::getpid()))).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Failed(name, dir + " is not writable by this user (uid " + std::to_string(::getuid()) + "): " +
                            std::error_code(errno, std::generic_category()).message() + ".");
  const bool written = ::write(fd, "x", 1) == 1;
  ::close(fd);
  ::unlink(probe.c_str());
  if (!written) return Failed(name, "cannot write in " + dir + " (is the disk full?).");
  const auto space = fs::space(dir, ec);
  const std::string free = ec ? "" : ", " + std::to_string(space.available / (1024 * 1024)) + " MiB free";
  // Files a command creates (the database's -wal and -shm among them) belong to whoever runs
  // it; root's would lock the service out.
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && st.st_uid != ::geteuid())
    return {name, CheckStatus::kWarning,
            dir + " is writable" + free + ", but belongs to " + UserName(st.st_uid) + ", not " + UserName(::geteuid()) +
                ": run chamado commands on it as " + UserName(st.st_uid) + " (sudo -u " + UserName(st.st_uid) +
                ") so the files they create stay usable by the service."};
  return Passed(name, dir + " is writable" + free);
}

std::vector<CheckResult> CheckDatabase(const std::string& dir, Instant now, const std::string& url) {
  std::vector<CheckResult> out;
  Result<std::unique_ptr<store::Connection>> conn = Error::Internal("unset");
  if (!url.empty()) {
    // PostgreSQL checks its own pages (data checksums, amcheck): here, that it answers.
    const std::string where = store::RedactedUrl(url);
    conn = store::OpenPostgres(url, {.read_only = true});
    if (!conn.ok()) return {Failed("database", conn.error().message)};
    std::string version;
    auto asked = (*conn)->Run("SHOW server_version", {}, [&](const store::RowView& r) { version = r.Str(0); });
    if (!asked.ok()) return {Failed("database", where + " cannot be read: " + asked.error().message)};
    out.push_back(Passed("database", "PostgreSQL " + version + " at " + where + " answers"));
  } else {
    const std::string path = (fs::path(dir) / "chamado.db").string();
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
      return {Failed("database", "no database at " + path + ": `chamado migrate --data " + dir + "` creates it (serve does too).")};
    conn = store::OpenSqlite(path, {.writer = false});
    if (!conn.ok()) return {Failed("database", conn.error().message)};
    std::vector<std::string> problems;
    auto checked = (*conn)->Run("PRAGMA quick_check", {}, [&](const store::RowView& r) { problems.push_back(r.Str(0)); });
    if (!checked.ok()) return {Failed("database", path + " cannot be read: " + checked.error().message)};
    if (problems.size() == 1 && problems[0] == "ok") {
      out.push_back(Passed("database", path + " passes its integrity check"));
    } else {
      std::string first = problems.empty() ? "no answer" : problems[0];
      out.push_back(Failed("database", path + " is damaged (" + std::to_string(problems.size()) + " problem(s); first: " + first +
                                           "): restore the latest backup with `chamado restore`."));
    }
  }

  auto version = store::SchemaVersion(**conn);
  if (!version.ok()) {
    out.push_back(Failed("migrations", version.error().message));
  } else if (*version > store::LatestSchemaVersion()) {
    out.push_back(Failed("migrations", "schema version " + std::to_string(*version) + " is newer than this chamado's (" +
                                           std::to_string(store::LatestSchemaVersion()) +
                                           "): a newer release used this database; install it again (no downgrades)."));
  } else if (*version < store::LatestSchemaVersion()) {
    out.push_back({"migrations", CheckStatus::kWarning,
                   std::to_string(store::PendingMigrations(*version, (*conn)->Engine())) + " migration(s) pending (schema " +
                       std::to_string(*version) + " of " + std::to_string(store::LatestSchemaVersion()) +
                       "): starting serve, or `chamado migrate`, applies them."});
  } else {
    out.push_back(Passed("migrations", "schema version " + std::to_string(*version) + ", current"));
  }

  // The newest instant the database recorded; the clock must not read earlier.
  int64_t newest_ms = 0;
  if (version.ok() && *version > 0)
    (void)(*conn)->Run("SELECT coalesce(max(applied_at), 0) FROM schema_migrations", {},
                       [&](const store::RowView& r) { newest_ms = r.Int(0); });
  const Instant newest{std::chrono::milliseconds(newest_ms)};
  if (now < newest)
    out.push_back(Failed("clock", "the clock reads " + FormatIsoUtc(now) + ", before " + FormatIsoUtc(newest) +
                                      " when this database was migrated: set the clock (NTP) before serving, or SLA "
                                      "deadlines come out wrong."));
  else
    out.push_back(Passed("clock", FormatIsoUtc(now) + " (UTC), not before anything the database recorded"));
  return out;
}

CheckResult CheckTemplates(const std::string& found) {
  std::error_code ec;
  if (found.empty() || !fs::is_directory(fs::path(found) / "en", ec))
    return Failed("mail templates", (found.empty() ? std::string("none found") : found + " has no en/ folder") +
                                        ": set [mail] templates_dir to the folder of <language>/<event>.txt.");
  int languages = 0;
  for (const auto& entry : fs::directory_iterator(found, ec))
    if (entry.is_directory(ec)) ++languages;
  return Passed("mail templates", found + " (" + std::to_string(languages) + " language(s))");
}

CheckResult CheckWebUi(const std::string& found) {
  std::error_code ec;
  if (found.empty() || !fs::is_regular_file(fs::path(found) / "index.html", ec))
    return Failed("web UI", (found.empty() ? std::string("none found") : found + " has no index.html") +
                                ": set [server] web_root to the built web UI (web/dist).");
  return Passed("web UI", found);
}

CheckResult CheckMail(const std::string& smtp_url, std::chrono::milliseconds timeout) {
  if (smtp_url.empty()) return {"mail", CheckStatus::kSkipped, "no [mail] smtp_url: no mail is sent"};
  CURL* curl = curl_easy_init();
  if (!curl) return Failed("mail", "libcurl could not start.");
  char message[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  // Connecting to SMTP includes the greeting and EHLO (and STARTTLS or TLS when the URL asks).
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, message);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK)
    return Failed("mail", smtp_url + " is not reachable: " + (message[0] ? std::string(message) : curl_easy_strerror(rc)) +
                              " (check [mail] smtp_url and the firewall).");
  return Passed("mail", smtp_url + " answers");
}

CheckResult CheckWhatsapp(const std::string& graph_url, const std::string& phone_number_id, bool enabled, bool token_from_environment) {
  if (!enabled) return {"whatsapp", CheckStatus::kSkipped, "no [whatsapp] verify_token: the channel is off"};
  return Passed("whatsapp", "replies go to " + graph_url + "/" + phone_number_id + "/messages; the token comes from " +
                                (token_from_environment ? "CHAMADO_WHATSAPP_TOKEN" : "[whatsapp] access_token") + " (not shown)");
}

CheckResult CheckTimeZones(const std::string& zoneinfo) {
  std::error_code ec;
  const fs::path dir(zoneinfo);
  if (!fs::is_regular_file(dir / "America" / "Sao_Paulo", ec) || !fs::is_regular_file(dir / "UTC", ec))
    return Failed("time zones", "no time-zone database in " + zoneinfo +
                                    ": install tzdata (business calendars name their zones, such as America/Sao_Paulo).");
  std::string version;
  std::ifstream zi(dir / "tzdata.zi");
  std::string first;
  if (std::getline(zi, first) && first.rfind("# version ", 0) == 0) version = " " + first.substr(10);
  return Passed("time zones", "tzdata" + version + " in " + zoneinfo);
}

CheckResult CheckOriginalKey(const std::string& key_file, const std::string& old_key_files) {
  Config c;
  c.mail_original_key_file = key_file;
  c.mail_original_old_key_files = old_key_files;
  auto sealer = OriginalSealer(c);
  if (!sealer.ok()) return Failed("original emails", sealer.error().message);
  if (!(*sealer)->sealing())
    return {"original emails", CheckStatus::kWarning,
            "stored unsealed: set [mail] original_key_file to seal them at rest (docs/operations.md)"};
  return Passed("original emails", "sealed with key " + (*sealer)->KeyId());
}

int PrintChecks(const std::vector<CheckResult>& checks, std::ostream& out) {
  int status = 0;
  for (const auto& c : checks) {
    const char* word = "ok";
    if (c.status == CheckStatus::kSkipped) word = "skipped";
    if (c.status == CheckStatus::kWarning) word = "warning";
    if (c.status == CheckStatus::kFailed) {
      word = "FAILED";
      status = 1;
    }
    out << word << std::string(9 - std::string(word).size(), ' ') << c.name << ": " << c.detail << "\n";
  }
  return status;
}

}  // namespace chamado::app
