// `chamado mailgate`: the mail gateway for an MTA's pipe transport (Postfix, Exim), as
// Request Tracker's rt-mailgate. Reads one RFC 5322 message on standard input and posts it to
// the server; the exit code tells the MTA what to do (sysexits.h):
//   0  delivered (also a duplicate, or mail deliberately ignored)
//   64 EX_USAGE     bad arguments
//   65 EX_DATAERR   the server refused the mail for good (no sender, too large, ...): bounce
//   74 EX_IOERR     standard input could not be read
//   75 EX_TEMPFAIL  server unreachable, busy or failing: the MTA keeps the mail and retries
//   77 EX_NOPERM    the token is wrong or lacks the admin role
#pragma once

#include <iosfwd>
#include <string>

namespace chamado::app {

struct MailgateOptions {
  std::string url;     // http://127.0.0.1:8080
  std::string token;   // an admin's API token
  std::string sender;  // the envelope sender, if the MTA passes it
  long timeout_seconds = 120;
};

// Returns the exit code; explains failures on `err` (the MTA puts it in the bounce).
int RunMailgate(const MailgateOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace chamado::app
