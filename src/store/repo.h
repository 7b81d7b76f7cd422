// The repository: every query Chamado runs, written once in portable SQL over a
// Connection. Engines differ only in their connection and their migration files.
//
// A Repo does not own its connection and is used by one thread at a time; transactions
// are opened by the Store around a unit of work, never by the Repo.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/sql.h"

namespace chamado::store {

using core::Id;

// Keyset pagination: `after` is an opaque cursor from the previous page.
struct Page {
  int limit = 50;
  std::string after;
};

template <class T>
struct Paged {
  std::vector<T> items;
  std::string next;  // empty on the last page
};

struct TicketFilter {
  std::vector<core::Status> statuses;
  std::optional<Id> organization_id;
  std::optional<Id> requester_id;
  std::optional<Id> assignee_id;
  bool unassigned = false;
  std::optional<Id> group_id;
  std::optional<std::string> priority;
  std::optional<std::string> tag;
  // Tenancy: set for customers. Restricts to their organization, or to their own tickets.
  std::optional<Id> visible_organization_id;
  std::optional<Id> visible_requester_id;
};

struct UserFilter {
  std::vector<core::Role> roles;
  std::optional<Id> organization_id;
  std::optional<Id> group_id;
  std::string email_prefix;
};

struct AttachmentRef {
  core::Attachment attachment;
  Id ticket_number = 0;
  core::MessageKind message_kind = core::MessageKind::kCustomerMessage;
};

struct StoredEvent {
  Id id = 0;
  core::Event event;
};

// Kinds kept in the store as their names. DO NOT CHANGE THE NAMES: they are stored (mail_ids,
// ticket_links, outbox); Name and Parse convert at the SQL boundary.
enum class MailDirection { kIn, kOut };
enum class MailOutcome { kOpened, kAppended, kIgnored, kSent };
enum class TicketLinkKind { kFollowUp, kAnswered };
enum class OutboxKind { kEmail, kWebhook };
inline constexpr MailDirection kMailDirections[] = {MailDirection::kIn, MailDirection::kOut};
inline constexpr MailOutcome kMailOutcomes[] = {MailOutcome::kOpened, MailOutcome::kAppended, MailOutcome::kIgnored,
                                                MailOutcome::kSent};
inline constexpr TicketLinkKind kTicketLinkKinds[] = {TicketLinkKind::kFollowUp, TicketLinkKind::kAnswered};
inline constexpr OutboxKind kOutboxKinds[] = {OutboxKind::kEmail, OutboxKind::kWebhook};
std::string_view Name(MailDirection d);   // "in", "out"
std::string_view Name(MailOutcome o);     // "opened", "appended", "ignored", "sent"
std::string_view Name(TicketLinkKind k);  // "follow_up", "answered"
std::string_view Name(OutboxKind k);      // "email", "webhook"
std::optional<MailDirection> ParseMailDirection(std::string_view s);
std::optional<MailOutcome> ParseMailOutcome(std::string_view s);
std::optional<TicketLinkKind> ParseTicketLinkKind(std::string_view s);
std::optional<OutboxKind> ParseOutboxKind(std::string_view s);

struct SessionRow {
  Id user_id = 0;
  std::string csrf_token;
  Instant expires_at;
};

class Repo {
 public:
  explicit Repo(Connection& c) : c_(c) {}
  Connection& conn() { return c_; }

  struct StoredPolicy {
    int64_t version = 0;
    std::string name;
    std::string source;
    std::vector<std::pair<std::string, std::string>> files;  // path -> contents
    Instant applied_at;
    std::optional<Id> applied_by;
  };
  Result<std::optional<StoredPolicy>> LatestPolicy();
  Result<int64_t> PolicyVersion();  // 0: none applied yet
  Result<int64_t> InsertPolicy(const StoredPolicy& p);
  // Priorities used by tickets that are not in `names`, with how many tickets use each.
  Result<std::vector<std::pair<std::string, int64_t>>> PrioritiesOutside(const std::vector<std::string>& names);
  Result<void> SetPriorityRanks(const core::PriorityScale& scale);

  Result<void> InsertStatusChange(Id ticket_number, Instant at, core::Status status);
  struct StatusAt {
    Instant at;
    core::Status status;
  };
  Result<std::vector<StatusAt>> StatusHistory(Id ticket_number);
  struct PublicMessageAt {
    Instant at;
    bool by_staff;
    bool automatic;
  };
  // Customer messages and public replies, oldest first; by_staff means a public reply.
  Result<std::vector<PublicMessageAt>> PublicMessages(Id ticket_number);

  Result<core::Organization> InsertOrganization(core::Organization o);
  Result<void> UpdateOrganization(const core::Organization& o);
  Result<std::optional<core::Organization>> GetOrganization(Id id);
  Result<std::optional<core::Organization>> FindOrganizationByName(std::string_view name);
  Result<std::optional<std::string>> OrganizationName(Id id);
  // Its plan and name (what SLA conditions look at), in one query.
  Result<std::optional<std::pair<std::string, std::string>>> OrganizationPlanAndName(Id id);
  Result<std::optional<Id>> OrganizationForDomain(std::string_view domain);
  Result<Paged<core::Organization>> ListOrganizations(const Page& page);

  Result<core::User> InsertUser(core::User u, std::string_view password_hash);
  Result<void> UpdateUser(const core::User& u);
  Result<void> SetPasswordHash(Id user_id, std::string_view hash);
  Result<std::optional<core::User>> GetUser(Id id);
  Result<std::optional<core::User>> FindUserByEmail(std::string_view normalized_email);
  Result<std::optional<std::string>> PasswordHash(Id user_id);
  Result<Paged<core::User>> ListUsers(const UserFilter& f, const Page& page);

  Result<core::Group> InsertGroup(core::Group g);
  Result<void> UpdateGroup(const core::Group& g);
  Result<std::optional<core::Group>> GetGroup(Id id);
  Result<std::vector<core::Group>> ListGroups();
  Result<std::vector<Id>> GroupMembers(Id group_id);
  Result<std::optional<core::Group>> FindGroupByName(std::string_view name);

  // Inserts with the next sequential number and returns the ticket carrying it; `sla_due`
  // is the earliest due of its running clocks, when known already.
  Result<core::Ticket> InsertTicket(core::Ticket t, const core::Catalog& catalog,
                                    std::optional<Instant> sla_due = std::nullopt);
  Result<void> UpdateTicket(const core::Ticket& t, const core::Catalog& catalog);
  Result<std::optional<core::Ticket>> GetTicket(Id number);
  // Newest first.
  Result<Paged<core::Ticket>> ListTickets(const TicketFilter& f, const Page& page);
  // Open work (new, open) by priority rank, then by opening time, oldest first.
  Result<Paged<core::Ticket>> Queue(const TicketFilter& f, const Page& page);
  // The same work, the most pressing SLA due first.
  Result<Paged<core::Ticket>> QueueByDue(const TicketFilter& f, const Page& page);
  Result<void> SetSlaDue(Id ticket_number, std::optional<Instant> due);

  Result<core::Message> InsertMessage(core::Message m);
  // Oldest first; internal notes only when `include_internal`.
  Result<std::optional<core::Message>> GetMessage(Id id);
  Result<Paged<core::Message>> ListMessages(Id ticket_number, bool include_internal, const Page& page);
  Result<std::optional<AttachmentRef>> GetAttachment(Id id);

  Result<void> InsertEvents(const std::vector<core::Event>& events, Id ticket_number, Id message_id);
  Result<Paged<StoredEvent>> ListEvents(Id ticket_number, const Page& page);
  Result<std::optional<Instant>> LastEventAt(Id ticket_number, std::string_view kind);

  Result<void> InsertSession(std::string_view token_hash, Id user_id, std::string_view csrf, Instant now, Instant expires);
  Result<std::optional<SessionRow>> FindSession(std::string_view token_hash, Instant now);
  Result<void> DeleteSession(std::string_view token_hash);
  Result<void> DeleteUserSessions(Id user_id);
  Result<void> DeleteExpiredSessions(Instant now);

  Result<Id> InsertApiToken(Id user_id, std::string_view token_hash, std::string_view name, Instant now);
  Result<std::optional<Id>> FindApiTokenUser(std::string_view token_hash);
  // The person behind a token or a live session, in one query (the hot path of every request).
  Result<std::optional<core::User>> UserByApiToken(std::string_view token_hash);
  struct SessionUser {
    core::User user;
    std::string csrf_token;
  };
  Result<std::optional<SessionUser>> UserBySession(std::string_view token_hash, Instant now);

  Result<int64_t> CountTickets();
  Result<std::optional<std::string>> GetSetting(std::string_view key);
  Result<void> SetSetting(std::string_view key, std::string_view value);
  // Tickets not solved or closed with a number above `after`, in order.
  Result<std::vector<Id>> ActiveTicketsAfter(Id after, int limit);
  // Tickets of an organization not solved or closed (their clocks may still run).
  Result<std::vector<Id>> ActiveTicketsOf(Id organization_id);

  // SLA clocks as last computed, with what has fired in their current cycle.
  struct ClockRow {
    Id ticket_number = 0;
    sla::Target target = sla::Target::kResolution;
    Instant cycle_start;
    sla::ClockState state = sla::ClockState::kRunning;
    std::string calendar;
    std::string within_text;
    std::chrono::milliseconds within{0};  // the target, in business time
    std::chrono::milliseconds used{0};    // business time used when computed
    std::optional<Instant> due_at, breached_at, stopped_at;
    std::vector<Instant> warn_at;  // ascending
    int warnings_fired = 0;
    bool breach_fired = false;
    std::optional<Instant> next_fire_at;
    Instant computed_at;
  };
  Result<std::vector<ClockRow>> ClockRows(Id ticket_number);
  // For a page of tickets, in one query.
  Result<std::vector<ClockRow>> ClockRowsFor(const std::vector<Id>& ticket_numbers);
  Result<void> UpsertClock(const ClockRow& row);
  // The clocks of a ticket that has none yet, in one statement.
  Result<void> InsertClocks(const std::vector<ClockRow>& rows);
  Result<void> DeleteClock(Id ticket_number, sla::Target target);
  // Tickets with a clock due to act at or before `now`, earliest first.
  Result<std::vector<Id>> DueClockTickets(Instant now, int limit);
  Result<std::optional<Instant>> NextClockFire();

  // ---- mail ----
  struct MailId {
    std::string message_id;
    MailDirection direction = MailDirection::kIn;
    std::optional<Id> ticket_number;
    std::optional<Id> message_row;
    std::string raw_sha256;
    MailOutcome outcome = MailOutcome::kOpened;
    Instant created_at;
  };
  Result<std::optional<MailId>> FindMailId(std::string_view message_id);
  Result<void> InsertMailId(const MailId& m);
  // The Message-IDs of a ticket's mail, oldest first (for References on what we send).
  Result<std::vector<std::string>> TicketMailIds(Id ticket_number, int limit);
  // The original mail a message came from (its blob), if it came by mail.
  Result<std::optional<std::string>> RawMailOf(Id message_row);

  struct TicketLink {
    Id ticket_number = 0;  // the other ticket
    TicketLinkKind kind = TicketLinkKind::kFollowUp;
    bool outgoing = true;  // this ticket points at the other (false: the other points here)
  };
  Result<void> InsertTicketLink(Id from, Id to, TicketLinkKind kind, Instant now);
  Result<std::vector<TicketLink>> TicketLinks(Id number);

  struct OutboxRow {
    OutboxKind kind = OutboxKind::kEmail;
    std::string recipient;  // address or URL
    Id ticket_number = 0;
    std::string event;
    std::string payload;    // JSON
    Instant created_at;
  };
  Result<void> InsertOutbox(const OutboxRow& row);
  // How many notifications of `event` went to `recipient` since `since`.
  Result<int64_t> CountOutbox(std::string_view recipient, std::string_view event, Instant since);
  struct QueuedNotification {
    Id id = 0;
    OutboxRow row;
    int attempts = 0;
    std::optional<Instant> sent_at;
    std::string last_error;
  };
  // Undelivered notifications of `kind` whose next attempt is due, oldest first.
  Result<std::vector<QueuedNotification>> DueOutbox(OutboxKind kind, Instant now, int limit);
  Result<void> MarkOutboxSent(Id id, Instant at);
  Result<void> MarkOutboxFailed(Id id, int attempts, Instant next_attempt_at, std::string_view error);
  // Newest first; all tickets when `ticket_number` is 0.
  Result<Paged<QueuedNotification>> ListOutbox(Id ticket_number, const Page& page);

  // Fills each message's attachments.
  Result<void> LoadAttachments(std::vector<core::Message>& messages);

 private:
  Result<void> LoadTags(std::vector<core::Ticket>& tickets);
  Result<void> WriteTags(const core::Ticket& t);
  Result<void> WriteDomains(const core::Organization& o);
  Result<void> WriteGroups(const core::User& u);
  Result<void> LoadUserExtras(std::vector<core::User>& users);
  enum class Order { kNewest, kQueue, kDue };
  Result<Paged<core::Ticket>> TicketQuery(const TicketFilter& f, const Page& page, Order order);

  Connection& c_;
};

// Opaque cursors: a list of integers, base64url-encoded.
std::string EncodeCursor(const std::vector<int64_t>& keys);
std::optional<std::vector<int64_t>> DecodeCursor(std::string_view cursor, size_t expected_keys);

}  // namespace chamado::store
