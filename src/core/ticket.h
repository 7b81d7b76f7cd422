// Ticket commands: pure functions (ticket, command, actor, now) -> new state + events.
//
// The caller (a store transaction) loads the current ticket and whatever the command
// refers to (the requester, the assignee, the group), calls one of these, and persists the
// result together with its events. Nothing here reads a clock or touches storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

// Limits on what a person may type; the HTTP layer has byte limits too.
inline constexpr size_t kMaxSubjectChars = 250;
inline constexpr size_t kMaxBodyBytes = 256 * 1024;
inline constexpr size_t kMaxTags = 50;
inline constexpr size_t kMaxTagBytes = 80;
inline constexpr size_t kMaxCustomFields = 100;
inline constexpr size_t kMaxCustomFieldTextBytes = 4096;
inline constexpr size_t kMaxAttachmentsPerMessage = 20;

// May `from` move to `to`? Moving to the same status is always allowed (a no-op).
bool IsAllowedTransition(Status from, Status to);
// Why not (a conflict said in the catalogs' words), or nothing when allowed.
std::optional<Error> TransitionRefusal(Status from, Status to);

struct NewTicket {
  std::string subject;
  std::string description;  // becomes the first message
  Channel channel = Channel::kWeb;
  std::optional<std::string> priority;  // default: the scale's default
  std::string category;
  std::vector<std::string> tags;
  std::vector<CustomField> custom_fields;
  std::vector<Attachment> attachments;  // already stored, ids unset
  std::vector<std::string> detail_files;  // keys of the category's attachment details sent with a file
  bool masked = false;                  // the description had secrets masked
  bool automatic = false;  // opened by an auto-reply or a bounce: its first message is automatic
};

struct TicketOpened {
  Ticket ticket;
  Message first_message;
  std::vector<Event> events;
};

// `requester` must already exist (the caller creates unknown contacts first). A customer
// actor may open tickets only for themselves; agents open them for anyone (phone, email).
Result<TicketOpened> OpenTicket(const NewTicket& input, const User& requester, const Actor& actor,
                                const Catalog& catalog, Instant now);

// A partial update; unset members are left alone. For nullable references the outer
// optional says "change it", the inner one is the new value (nullopt clears).
struct TicketPatch {
  std::optional<std::string> subject;
  std::optional<Status> status;
  std::optional<std::string> priority;
  std::optional<std::optional<Group>> group;
  std::optional<std::optional<User>> assignee;
  std::optional<std::vector<std::string>> tags;  // replaces the set
  std::vector<std::string> add_tags;
  std::vector<std::string> remove_tags;
  std::optional<std::string> category;
  // Merged by key; a value of nullopt removes the field.
  std::vector<std::pair<std::string, std::optional<FieldValue>>> custom_fields;
  std::optional<std::optional<Resolution>> resolution;
  // What the customer is told was done; with status solved (see core/outcomes.h).
  std::optional<std::string> resolution_summary;
};

struct TicketChanged {
  Ticket ticket;
  std::vector<Event> events;  // empty when nothing changed
};

Result<TicketChanged> ChangeTicket(const Ticket& ticket, const TicketPatch& patch, const Actor& actor,
                                   const Catalog& catalog, Instant now);

struct NewMessage {
  MessageKind kind = MessageKind::kCustomerMessage;
  std::string body;
  Channel channel = Channel::kWeb;
  bool automatic = false;
  std::vector<Attachment> attachments;
  std::optional<Status> status;  // agents: set the status in the same step ("reply and set pending")
  std::optional<Resolution> resolution;  // with status solved; the public reply's body is the summary
  bool masked = false;  // the body had secrets masked
  // The system records a message on someone's behalf (mail intake: an auto-reply or a bounce
  // from a third party); ignored for any other actor.
  std::optional<Id> on_behalf_of;
};

struct MessageAdded {
  Ticket ticket;
  Message message;
  std::vector<Event> events;
};

Result<MessageAdded> AddMessage(const Ticket& ticket, const NewMessage& input, const Actor& actor,
                                const Catalog& catalog, Instant now);

// The system closes a ticket that waited on its customer too long (the policy's automation
// `rule`, "auto_close"): pending_customer -> closed in one step, its resolution kept or
// "answered" when it has none. The events record the change by the system (actor 0) and the
// rule that did it ("automation.closed"). Refused when the ticket no longer waits.
Result<TicketChanged> AutoCloseTicket(const Ticket& ticket, std::string_view rule, Instant now);

// Routing gives an unassigned ticket to `agent` (store/routing.h chose them by the policy's
// `rule`: "tam", "tam_backup", "round_robin" or "least_loaded"). The events record the change
// by the system (actor 0) and the rule ("routing.assigned"). Refused when the ticket already
// has an agent, is not open work (new or open), or `agent` cannot take tickets.
Result<TicketChanged> AssignByRouting(const Ticket& ticket, const User& agent, std::string_view rule, Instant now);

// A customer asks for escalation because the priority does not reflect the business
// impact. The request is recorded as the customer's message (so everyone reads the
// impact), raises the escalation level, tags the ticket and sends it back to triage (open).
// Whether the customer's plan allows it is the policy's business (checked by the caller).
struct EscalationRequested {
  Ticket ticket;
  Message message;
  std::vector<Event> events;
};
// The message is the impact alone, labelled "escalation_requested": each reader's screen says
// "Escalation requested" in their own language.
Result<EscalationRequested> RequestEscalation(const Ticket& ticket, std::string_view impact,
                                              const Actor& actor, Instant now);

// May this actor see this ticket at all? Customers see their organization's tickets, or
// only their own when they have no organization.
bool CanSee(const Actor& actor, const Ticket& ticket);
// "Ticket #n does not exist." (ticket.not_found), for a ticket missing or not the caller's to see.
Error NoSuchTicket(Id number);

// Normalizes and checks a tag list: lower case, unique, sorted.
Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags, std::string_view field);

}  // namespace chamado::core
