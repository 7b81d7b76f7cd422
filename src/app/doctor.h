// `chamado doctor`: the checks an operator runs after installing or when something is off,
// one line each. Every check only looks: nothing is created, migrated or repaired (the
// data-folder check writes and deletes one probe file).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/time.h"

namespace chamado::app {

enum class CheckStatus { kOk, kSkipped, kWarning, kFailed };  // only kFailed fails the run

struct CheckResult {
  std::string name;    // "data folder", "database", ...
  CheckStatus status;
  std::string detail;  // what was found, or what is wrong and what to do
};

// The data folder exists and this process may create files in it; a warning when it belongs
// to another user (the files this process creates would be its own).
CheckResult CheckDataFolder(const std::string& dir);

// The database in `dir` (chamado.db; or PostgreSQL's at `url` when given): its integrity
// (PRAGMA quick_check; PostgreSQL: that it answers), its schema against this binary's
// migrations (behind: pending; ahead: refused), and the clock against the newest instant the
// database recorded (`now`, UTC; a clock behind it went backwards).
std::vector<CheckResult> CheckDatabase(const std::string& dir, Instant now, const std::string& url = "");

// The mail templates folder (configured, else found as serve finds it): holds "en".
CheckResult CheckTemplates(const std::string& found);
// The built web UI folder: holds index.html.
CheckResult CheckWebUi(const std::string& found);

// The SMTP smart host greets and answers EHLO within `timeout` (after the TLS handshake for
// smtps://); skipped when `smtp_url` is empty (no mail is sent). Nothing is sent.
CheckResult CheckMail(const std::string& smtp_url, std::chrono::milliseconds timeout);

// The time-zone database the business calendars need: `zoneinfo` (/usr/share/zoneinfo)
// holds tzdata, with its version.
CheckResult CheckTimeZones(const std::string& zoneinfo);

// The key of the original emails ([mail] original_key_file, store/sealed.h): its id when set, a
// warning when none is (originals are stored unsealed), failed when a key file is unreadable
// or malformed (serve would not start).
CheckResult CheckOriginalKey(const std::string& key_file, const std::string& old_key_files);

// The WhatsApp channel ([whatsapp], docs/whatsapp.md): skipped when off, else where replies
// go. The token is said to be set, never shown. Nothing is sent (Meta is not asked).
CheckResult CheckWhatsapp(const std::string& graph_url, const std::string& phone_number_id, bool enabled, bool token_from_environment);

// "ok       data folder: ..." lines; the exit status (1 when any check failed).
int PrintChecks(const std::vector<CheckResult>& checks, std::ostream& out);

}  // namespace chamado::app
