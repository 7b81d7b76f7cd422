// The mail aggregate of the repository: every Message-ID Chamado has received or sent,
// with what it became (replies thread through it; the same delivery is stored once) and
// the blob of the original inbound mail. Owns the table mail_ids.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

// DO NOT CHANGE THE NAMES: mail_ids.direction and mail_ids.outcome store them.
enum class MailDirection { kIn, kOut };
enum class MailOutcome { kOpened, kAppended, kIgnored, kSent };
inline constexpr MailDirection kMailDirections[] = {MailDirection::kIn, MailDirection::kOut};
inline constexpr MailOutcome kMailOutcomes[] = {MailOutcome::kOpened, MailOutcome::kAppended, MailOutcome::kIgnored,
                                                MailOutcome::kSent};
std::string_view Name(MailDirection d);  // "in", "out"
std::string_view Name(MailOutcome o);    // "opened", "appended", "ignored", "sent"
std::optional<MailDirection> ParseMailDirection(std::string_view s);
std::optional<MailOutcome> ParseMailOutcome(std::string_view s);

class MailRepo {
 public:
  explicit MailRepo(Connection& c) : c_(c) {}

  struct MailId {
    std::string message_id;  // or "sha256:<hex>" for mail that came without one
    MailDirection direction = MailDirection::kIn;
    std::optional<core::Id> ticket_number;
    std::optional<core::Id> message_row;
    std::string raw_sha256;  // the original's blob (inbound); empty when none
    MailOutcome outcome = MailOutcome::kOpened;
    Instant created_at;
  };
  Result<std::optional<MailId>> FindMailId(std::string_view message_id);
  // Once per Message-ID: a second insert of the same one is ignored.
  Result<void> InsertMailId(const MailId& m);
  // The Message-IDs of a ticket's mail, oldest first (for References on what we send).
  Result<std::vector<std::string>> TicketMailIds(core::Id ticket_number, int limit);
  // The original mail a message came from (its blob), if it came by mail.
  Result<std::optional<std::string>> RawMailOf(core::Id message_row);
  // Every stored original's name, each once (`chamado mail reseal`).
  Result<std::vector<std::string>> RawMailNames();
  // The original once stored as `from` is now stored as `to` (sealed under a name of its own).
  Result<void> RenameRawMail(std::string_view from, std::string_view to);

 private:
  Connection& c_;
};

}  // namespace chamado::store
