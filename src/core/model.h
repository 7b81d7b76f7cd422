// The help desk's nouns. Plain values: no I/O, no clocks, no globals.
//
// Enum values are persisted by name (see the *Name / Parse* functions), never by number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"

namespace chamado::core {

using Id = int64_t;

enum class Role { kCustomer, kAgent, kAdmin };
enum class Channel { kEmail, kWeb, kChat, kPhone, kWhatsapp, kApi };
enum class Status { kNew, kOpen, kPendingCustomer, kOnHold, kSolved, kClosed };
enum class MessageKind { kCustomerMessage, kPublicReply, kInternalNote, kSystemNotice };
enum class Resolution {
  kFixed, kAnswered, kWorksAsExpected, kFeatureRequest, kCannotReproduce, kThirdParty, kUnsupported
};

std::string_view Name(Role);
std::string_view Name(Channel);
std::string_view Name(Status);
std::string_view Name(MessageKind);
std::string_view Name(Resolution);
std::optional<Role> ParseRole(std::string_view);
std::optional<Channel> ParseChannel(std::string_view);
std::optional<Status> ParseStatus(std::string_view);
std::optional<MessageKind> ParseMessageKind(std::string_view);
std::optional<Resolution> ParseResolution(std::string_view);

// Human lists for error messages: "new, open, pending_customer, ...".
std::string StatusNames();
std::string ChannelNames();
std::string ResolutionNames();

inline bool IsStaff(Role r) { return r == Role::kAgent || r == Role::kAdmin; }

// A customer company.
struct Organization {
  Id id = 0;
  std::string name;
  std::string plan;       // a plan key of the policy in effect ("premium")
  std::string language;   // BCP 47 tag of its customer emails ("pt-BR")
  std::string time_zone;  // IANA name
  std::vector<std::string> domains;  // lower case; mail from these joins the organization
  std::string notes;
  Instant created_at;
  // Deactivated (false): its people cannot sign in or open tickets; its tickets stay as they are.
  bool active = true;
};

// A person who signs in or writes in: a contact (role customer) or an agent/admin.
struct User {
  Id id = 0;
  std::string email;  // normalized, unique
  std::string name;
  Role role = Role::kCustomer;
  std::optional<Id> organization_id;  // contacts only
  std::string language;               // preferred UI and email language
  std::string time_zone;
  std::vector<Id> group_ids;           // agents only
  std::vector<std::string> languages;  // agents: languages they answer in
  bool active = true;
  Instant created_at;
};

// A team of agents: L1, engineering, a specialist group.
struct Group {
  Id id = 0;
  std::string name;
  std::string description;
  Instant created_at;
};

// Customer-facing text per language ("en", "pt-BR", ...).
using Texts = std::vector<std::pair<std::string, std::string>>;
// The text for `language`, else its base language ("pt" for "pt-BR"), else English, else
// the first one; empty when there is none.
std::string_view TextFor(const Texts& texts, std::string_view language);

struct Priority {
  std::string name;         // "P1"
  std::string description;  // customer-facing, English: "Urgent: service down, no workaround"
  Texts descriptions;       // per language, when the policy gives them
};

// The ordered priority list of the policy in effect; index 0 is the most urgent.
struct PriorityScale {
  std::vector<Priority> levels;
  std::string default_name;

  // 0 for the most urgent; nullopt when the name is not on the scale.
  std::optional<int> Rank(std::string_view name) const;
  std::string Names() const;  // "P1, P2, P3, P4"
  // The customer-facing description of `name` in `language` (TextFor's fallbacks, then the
  // English one); nullopt when the name is not on the scale.
  std::optional<std::string> Description(std::string_view name, std::string_view language) const;
};

// A detail a category asks for when a ticket is opened (seed 004: the project number, the
// item's name, the steps taken, screenshots). Text and number details arrive as the ticket's
// custom field of the same key; an attachment detail as a file sent under "detail.KEY".
enum class DetailKind { kText, kNumber, kAttachment };
std::string_view Name(DetailKind);
std::optional<DetailKind> ParseDetailKind(std::string_view);

struct Detail {
  std::string key;   // slug; the custom field's key
  std::string name;  // English
  Texts names;       // per language, when the policy gives them
  DetailKind kind = DetailKind::kText;
  bool required = true;
};

struct Category {
  std::string key;   // slug
  std::string name;  // shown to customers, English
  Texts names;       // per language, when the policy gives them
  std::string group; // route new tickets of this category to this group (by name); empty: none
  std::vector<Detail> details;  // asked for when a ticket of this category is opened
};

// The policy's [outcomes]: the resolutions agents choose from when solving, what each tells
// the customer, and whether solving needs one together with a summary for the customer.
struct Outcomes {
  bool required = false;            // solving (by an agent) needs a resolution and a summary
  std::vector<Resolution> offered;  // in the policy's order; empty means all seven
  std::vector<std::pair<Resolution, Texts>> texts;  // customer-facing, per language; see core/outcomes.h

  bool Offers(Resolution r) const;
  std::vector<Resolution> Choices() const;  // the offered ones in the policy's order, or all seven
  std::string OfferedNames() const;         // "fixed, answered, ..."
  // The customer's text for `r` in `language` (TextFor's fallbacks); empty when none.
  std::string_view TextFor(Resolution r, std::string_view language) const;
};

// What the policy in effect says that ticket commands need to know.
struct Catalog {
  PriorityScale priorities;
  std::vector<Category> categories;
  // What customers do not see of their tickets (the policy's [visibility]): tags, each whole
  // ("vip") or a prefix ending in * ("internal-*"), and custom fields by key. Lower case.
  std::vector<std::string> internal_tags;
  std::vector<std::string> internal_fields;
  Outcomes outcomes;
  bool HasCategory(std::string_view key) const;
  bool IsInternalTag(std::string_view tag) const;
  bool IsInternalField(std::string_view key) const;
};

using FieldValue = std::variant<bool, int64_t, double, std::string>;
struct CustomField {
  std::string key;  // slug
  FieldValue value;
  bool operator==(const CustomField&) const = default;
};

struct Ticket {
  Id number = 0;  // sequential, public, unique; 0 until stored
  std::string subject;
  Id requester_id = 0;
  std::optional<Id> organization_id;
  Channel channel = Channel::kWeb;
  Status status = Status::kNew;
  std::string priority;
  std::optional<Id> group_id;
  std::optional<Id> assignee_id;
  std::vector<std::string> tags;            // lower case, unique, sorted
  std::string category;                     // empty: none
  std::vector<CustomField> custom_fields;   // unique keys, sorted by key
  std::optional<Resolution> resolution;     // set while solved or closed
  std::string resolution_summary;           // what was done, for the customer; empty: none (cleared on reopening)
  Instant created_at;
  Instant updated_at;
  std::optional<Instant> first_response_at;  // first public reply of an agent, not automatic
  std::optional<Instant> solved_at;
  std::optional<Instant> closed_at;
  int escalation_level = 0;  // raised by each SLA breach escalation and customer escalation
};

struct Attachment {
  Id id = 0;
  std::string sha256;  // hex; names the content-addressed file
  std::string filename;
  std::string content_type;
  int64_t size = 0;
};

struct Message {
  Id id = 0;
  Id ticket_number = 0;
  MessageKind kind = MessageKind::kCustomerMessage;
  Id author_id = 0;
  std::string body;  // plain text
  bool automatic = false;  // an auto-reply or auto-acknowledgement: never a first response
  bool masked = false;     // secrets in it were masked before it was stored
  Channel channel = Channel::kWeb;
  Instant created_at;
  std::vector<Attachment> attachments;
  // What the message is, said by each reader's screen in their own language before the body
  // ("escalation_requested": the body is the customer's business impact); empty for most.
  std::string label;
};

inline bool IsPublic(MessageKind k) { return k != MessageKind::kInternalNote; }

// Who is acting. System actions (scheduler, automations) use Role::kAdmin with id 0.
struct Actor {
  Id user_id = 0;
  Role role = Role::kCustomer;
  std::optional<Id> organization_id;
  bool IsSystem() const { return user_id == 0; }
};

// One field's change, rendered as text for the audit trail.
struct Change {
  std::string field;
  std::string before;  // empty: unset
  std::string after;
};

// A fact recorded in the audit trail, in the same transaction as the change it records.
struct Event {
  std::string kind;  // "ticket.created", "message.added", "ticket.updated"
  Id ticket_number = 0;
  Id actor_id = 0;
  Instant at;
  std::vector<Change> changes;
  Id message_id = 0;  // for message.added; filled by the store once the message has its id
};

}  // namespace chamado::core
