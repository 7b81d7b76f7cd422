#include "core/ticket.h"

#include <algorithm>
#include <cstdio>

#include "core/outcomes.h"
#include "core/text.h"

namespace chamado::core {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::string FieldText(const FieldValue& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return std::get<std::string>(v);
}

Result<std::string> CheckSubject(std::string_view raw) {
  std::string_view s = Trim(raw);
  if (s.empty()) return Error::InvalidSaid("subject", "ticket.subject_empty");
  if (!IsValidUtf8(s)) return Error::InvalidSaid("subject", "ticket.subject_utf8");
  if (HasControlChars(s, false))
    return Error::InvalidSaid("subject", "ticket.subject_one_line");
  if (Utf8Length(s) > kMaxSubjectChars)
    return Error::InvalidSaid("subject", "ticket.subject_too_long");
  return std::string(s);
}

Result<void> CheckBody(std::string_view body, std::string_view field) {
  if (Trim(body).empty()) return Error::InvalidSaid(std::string(field), "text.empty", {{"field", std::string(field)}});
  if (body.size() > kMaxBodyBytes)
    return Error::InvalidSaid(std::string(field), "text.too_long", {{"field", std::string(field)}});
  if (!IsValidUtf8(body)) return Error::InvalidSaid(std::string(field), "text.utf8", {{"field", std::string(field)}});
  if (HasControlChars(body, true))
    return Error::InvalidSaid(std::string(field), "text.control", {{"field", std::string(field)}});
  return Ok();
}

Result<std::string> CheckPriority(const std::optional<std::string>& p, const Catalog& catalog) {
  if (!p) return catalog.priorities.default_name;
  if (!catalog.priorities.Rank(*p))
    return Error::InvalidSaid("priority", "ticket.priority_unknown", {{"value", *p}, {"accepted", catalog.priorities.Names()}});
  return *p;
}

Result<void> CheckCategory(const std::string& c, const Catalog& catalog) {
  if (c.empty() || catalog.HasCategory(c)) return Ok();
  std::string names;
  for (const auto& k : catalog.categories) {
    if (!names.empty()) names += ", ";
    names += k.key;
  }
  if (names.empty()) return Error::InvalidSaid("category", "ticket.category_none", {{"value", c}});
  return Error::InvalidSaid("category", "ticket.category_unknown", {{"value", c}, {"accepted", names}});
}

Result<void> CheckFieldValue(const std::string& key, const FieldValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (s->size() > kMaxCustomFieldTextBytes)
      return Error::InvalidSaid("custom_fields." + key, "ticket.custom_field_too_long", {{"key", key}});
    if (!IsValidUtf8(*s) || HasControlChars(*s, true))
      return Error::InvalidSaid("custom_fields." + key, "ticket.custom_field_not_text", {{"key", key}});
  }
  return Ok();
}

Result<void> CheckFieldKey(const std::string& key) {
  if (!IsSlug(key, 64))
    return Error::InvalidSaid("custom_fields", "ticket.custom_field_name", {{"key", key}});
  return Ok();
}

Result<std::vector<CustomField>> NormalizeFields(std::vector<CustomField> fields) {
  if (fields.size() > kMaxCustomFields) return Error::InvalidSaid("custom_fields", "ticket.custom_fields_max");
  for (const auto& f : fields) {
    CHAMADO_TRY(CheckFieldKey(f.key));
    CHAMADO_TRY(CheckFieldValue(f.key, f.value));
  }
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  for (size_t i = 1; i < fields.size(); ++i)
    if (fields[i].key == fields[i - 1].key)
      return Error::InvalidSaid("custom_fields", "ticket.custom_field_twice", {{"key", fields[i].key}});
  return fields;
}

Result<void> CheckAttachments(const std::vector<Attachment>& a) {
  if (a.size() > kMaxAttachmentsPerMessage) return Error::InvalidSaid("attachments", "ticket.attachments_max");
  return Ok();
}

void Record(std::vector<Change>& changes, std::string field, std::string before, std::string after) {
  if (before != after) changes.push_back({std::move(field), std::move(before), std::move(after)});
}

// Applies a status change with its side effects on the timestamps and the resolution.
void ApplyStatus(Ticket& t, Status to, Instant now) {
  if (t.status == to) return;
  if (to == Status::kSolved) t.solved_at = now;
  if (to == Status::kClosed) {
    t.closed_at = now;
    if (!t.solved_at) t.solved_at = now;
  }
  if (to != Status::kSolved && to != Status::kClosed) {
    t.solved_at.reset();
    t.resolution.reset();
    t.resolution_summary.clear();
  }
  t.status = to;
}

std::string ResolutionText(const std::optional<Resolution>& r) { return r ? std::string(Name(*r)) : std::string(); }

}  // namespace

bool IsAllowedTransition(Status from, Status to) { return !TransitionRefusal(from, to); }

std::optional<Error> TransitionRefusal(Status from, Status to) {
  if (from == to) return std::nullopt;
  if (to == Status::kNew) return Error::Said(ErrorCode::kConflict, "ticket.status_back_to_new");
  if (from == Status::kClosed) return Error::Said(ErrorCode::kConflict, "ticket.status_closed_final");
  if (to == Status::kClosed && from != Status::kSolved)
    return Error::Said(ErrorCode::kConflict, "ticket.status_close_unsolved", {{"status", std::string(Name(from))}});
  return std::nullopt;
}

Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags, std::string_view field) {
  if (tags.size() > kMaxTags) return Error::InvalidSaid(std::string(field), "ticket.tags_max");
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (const auto& raw : tags) {
    std::string t = AsciiLower(Trim(raw));
    bool ok = !t.empty() && t.size() <= kMaxTagBytes;
    for (char c : t) {
      const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
                           c == '.' || c == '/';
      ok = ok && allowed;
    }
    if (!ok)
      return Error::InvalidSaid(std::string(field), "ticket.tag_invalid", {{"tag", raw}});
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Error NoSuchTicket(Id number) {
  return Error::Said(ErrorCode::kNotFound, "ticket.not_found", {{"number", std::to_string(number)}});
}

bool CanSee(const Actor& actor, const Ticket& ticket) {
  if (IsStaff(actor.role)) return true;
  if (actor.organization_id) return ticket.organization_id == actor.organization_id;
  return ticket.requester_id == actor.user_id;
}

Result<TicketOpened> OpenTicket(const NewTicket& in, const User& requester, const Actor& actor,
                                const Catalog& catalog, Instant now) {
  if (actor.role == Role::kCustomer && requester.id != actor.user_id)
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_requester");
  if (requester.role != Role::kCustomer && actor.role == Role::kCustomer)
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.requester_not_contact");
  if (!requester.active)
    return Error::Said(ErrorCode::kConflict, "ticket.requester_deactivated", {{"email", requester.email}});
  if (actor.role == Role::kCustomer && in.priority && in.priority != catalog.priorities.default_name)
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_priority");

  Ticket t;
  CHAMADO_ASSIGN_OR_RETURN(t.subject, CheckSubject(in.subject));
  CHAMADO_TRY(CheckBody(in.description, "description"));
  CHAMADO_ASSIGN_OR_RETURN(t.priority, CheckPriority(in.priority, catalog));
  CHAMADO_TRY(CheckCategory(in.category, catalog));
  CHAMADO_ASSIGN_OR_RETURN(t.tags, NormalizeTags(in.tags, "tags"));
  CHAMADO_ASSIGN_OR_RETURN(t.custom_fields, NormalizeFields(in.custom_fields));
  CHAMADO_TRY(CheckAttachments(in.attachments));
  t.requester_id = requester.id;
  t.organization_id = requester.organization_id;
  t.channel = in.channel;
  t.status = Status::kNew;
  t.category = in.category;
  t.created_at = t.updated_at = now;

  Message m;
  m.kind = MessageKind::kCustomerMessage;
  m.author_id = requester.id;
  m.body = in.description;
  m.channel = in.channel;
  m.created_at = now;
  m.attachments = in.attachments;
  m.masked = in.masked;
  m.automatic = in.automatic;

  Event created{"ticket.created", 0, actor.user_id, now, {}, 0};
  created.changes.push_back({"status", "", "new"});
  created.changes.push_back({"priority", "", t.priority});
  created.changes.push_back({"channel", "", std::string(Name(t.channel))});
  if (!t.category.empty()) created.changes.push_back({"category", "", t.category});
  if (!t.tags.empty()) created.changes.push_back({"tags", "", Join(t.tags)});
  Event added{"message.added", 0, actor.user_id, now, {{"kind", "", "customer_message"}}, 0};
  return TicketOpened{std::move(t), std::move(m), {std::move(created), std::move(added)}};
}

Result<TicketChanged> ChangeTicket(const Ticket& before, const TicketPatch& p, const Actor& actor,
                                   const Catalog& catalog, Instant now) {
  if (!CanSee(actor, before)) return NoSuchTicket(before.number);
  const bool staff = IsStaff(actor.role);
  if (!staff) {
    const bool only_status = !p.subject && !p.priority && !p.group && !p.assignee && !p.tags && p.add_tags.empty() &&
                             p.remove_tags.empty() && !p.category && p.custom_fields.empty() && !p.resolution;
    if (!only_status || (p.status && *p.status != Status::kSolved))
      return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_solve_only");
  }

  Ticket t = before;
  std::vector<Change> changes;

  if (p.subject) {
    CHAMADO_ASSIGN_OR_RETURN(t.subject, CheckSubject(*p.subject));
    Record(changes, "subject", before.subject, t.subject);
  }
  if (p.priority) {
    CHAMADO_ASSIGN_OR_RETURN(t.priority, CheckPriority(p.priority, catalog));
    Record(changes, "priority", before.priority, t.priority);
  }
  if (p.group) {
    t.group_id = *p.group ? std::optional<Id>((*p.group)->id) : std::nullopt;
    Record(changes, "group", before.group_id ? std::to_string(*before.group_id) : "",
           t.group_id ? std::to_string(*t.group_id) : "");
  }
  if (p.assignee) {
    if (*p.assignee) {
      const User& a = **p.assignee;
      if (!IsStaff(a.role)) return Error::InvalidSaid("assignee_id", "ticket.assignee_contact", {{"email", a.email}});
      if (!a.active) return Error::InvalidSaid("assignee_id", "ticket.assignee_deactivated", {{"email", a.email}});
      t.assignee_id = a.id;
    } else {
      t.assignee_id.reset();
    }
    Record(changes, "assignee", before.assignee_id ? std::to_string(*before.assignee_id) : "",
           t.assignee_id ? std::to_string(*t.assignee_id) : "");
  }
  if (p.tags || !p.add_tags.empty() || !p.remove_tags.empty()) {
    std::vector<std::string> tags = p.tags ? *p.tags : before.tags;
    tags.insert(tags.end(), p.add_tags.begin(), p.add_tags.end());
    CHAMADO_ASSIGN_OR_RETURN(tags, NormalizeTags(tags, "tags"));
    CHAMADO_ASSIGN_OR_RETURN(auto removed, NormalizeTags(p.remove_tags, "remove_tags"));
    std::erase_if(tags, [&](const std::string& s) { return std::binary_search(removed.begin(), removed.end(), s); });
    t.tags = std::move(tags);
    Record(changes, "tags", Join(before.tags), Join(t.tags));
  }
  if (p.category) {
    CHAMADO_TRY(CheckCategory(*p.category, catalog));
    t.category = *p.category;
    Record(changes, "category", before.category, t.category);
  }
  if (!p.custom_fields.empty()) {
    std::vector<CustomField> fields = before.custom_fields;
    for (const auto& [key, value] : p.custom_fields) {
      CHAMADO_TRY(CheckFieldKey(key));
      auto it = std::find_if(fields.begin(), fields.end(), [&key = key](const CustomField& f) { return f.key == key; });
      const std::string old_text = it == fields.end() ? "" : FieldText(it->value);
      if (!value) {
        if (it != fields.end()) fields.erase(it);
      } else {
        CHAMADO_TRY(CheckFieldValue(key, *value));
        if (it == fields.end()) fields.push_back({key, *value});
        else it->value = *value;
      }
      Record(changes, "custom_fields." + key, old_text, value ? FieldText(*value) : "");
    }
    CHAMADO_ASSIGN_OR_RETURN(t.custom_fields, NormalizeFields(std::move(fields)));
  }
  if (p.status) {
    if (auto refusal = TransitionRefusal(before.status, *p.status)) return std::move(*refusal);
    ApplyStatus(t, *p.status, now);
    Record(changes, "status", std::string(Name(before.status)), std::string(Name(t.status)));
  }
  const bool finished = t.status == Status::kSolved || t.status == Status::kClosed;
  if (p.resolution) {
    if (*p.resolution && !finished)
      return Error::Said(ErrorCode::kConflict, "ticket.resolution_unsolved");
    if (*p.resolution) CHAMADO_TRY(SolveOutcome(catalog.outcomes, *p.resolution, "", false));  // on the policy's list
    t.resolution = *p.resolution;
  }
  if (p.resolution_summary) {
    if (!finished) return Error::Said(ErrorCode::kConflict, "ticket.summary_unsolved");
    CHAMADO_ASSIGN_OR_RETURN(t.resolution_summary, CheckSummary(*p.resolution_summary));
  }
  if (t.status == Status::kSolved && before.status != Status::kSolved) {
    const std::optional<Resolution> chosen = p.resolution ? *p.resolution : std::nullopt;
    CHAMADO_ASSIGN_OR_RETURN(t.resolution, SolveOutcome(catalog.outcomes, chosen, t.resolution_summary, staff && !actor.IsSystem()));
  }
  Record(changes, "resolution", ResolutionText(before.resolution), ResolutionText(t.resolution));
  Record(changes, "resolution_summary", before.resolution_summary, t.resolution_summary);

  TicketChanged out{std::move(t), {}};
  if (!changes.empty()) {
    out.ticket.updated_at = now;
    out.events.push_back({"ticket.updated", before.number, actor.user_id, now, std::move(changes), 0});
  }
  return out;
}

Result<MessageAdded> AddMessage(const Ticket& before, const NewMessage& in, const Actor& actor,
                                const Catalog& catalog, Instant now) {
  if (!CanSee(actor, before)) return NoSuchTicket(before.number);
  const bool staff = IsStaff(actor.role);
  switch (in.kind) {
    case MessageKind::kCustomerMessage:
      if (staff && !actor.IsSystem())
        return Error::InvalidSaid("kind", "ticket.agent_kind");
      break;
    case MessageKind::kPublicReply:
    case MessageKind::kInternalNote:
      if (!staff) return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_kind");
      break;
    case MessageKind::kSystemNotice:
      if (!actor.IsSystem()) return Error::Said(ErrorCode::kPermissionDenied, "ticket.system_notice");
      break;
  }
  if (in.status && !staff) return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_status");
  if (before.status == Status::kClosed)
    return Error::Said(ErrorCode::kConflict, "ticket.closed", {{"number", std::to_string(before.number)}});
  CHAMADO_TRY(CheckBody(in.body, "body"));
  CHAMADO_TRY(CheckAttachments(in.attachments));

  Ticket t = before;
  Message m;
  m.ticket_number = before.number;
  m.kind = in.kind;
  m.author_id = actor.IsSystem() && in.on_behalf_of ? *in.on_behalf_of : actor.user_id;
  m.body = in.body;
  m.automatic = in.automatic;
  m.masked = in.masked;
  m.channel = in.channel;
  m.created_at = now;
  m.attachments = in.attachments;

  std::optional<Status> next;
  if (in.kind == MessageKind::kCustomerMessage && !in.automatic &&
      (t.status == Status::kPendingCustomer || t.status == Status::kSolved))
    next = Status::kOpen;
  if (in.kind == MessageKind::kPublicReply && t.status == Status::kNew) next = Status::kOpen;
  if (in.status) next = in.status;

  std::vector<Change> changes;
  if (next && *next != t.status) {
    if (auto refusal = TransitionRefusal(t.status, *next)) return std::move(*refusal);
    ApplyStatus(t, *next, now);
    Record(changes, "status", std::string(Name(before.status)), std::string(Name(t.status)));
  }
  if (in.resolution && t.status != Status::kSolved && t.status != Status::kClosed)
    return Error::Said(ErrorCode::kConflict, "ticket.resolution_unsolved");
  if (t.status == Status::kSolved && before.status != Status::kSolved) {
    // Solving with a public reply: the reply is what the customer is told was done.
    const std::string_view summary = in.kind == MessageKind::kPublicReply ? std::string_view(in.body) : std::string_view();
    CHAMADO_ASSIGN_OR_RETURN(t.resolution, SolveOutcome(catalog.outcomes, in.resolution, summary, staff && !actor.IsSystem()));
    if (!summary.empty()) {
      CHAMADO_ASSIGN_OR_RETURN(t.resolution_summary, CheckSummary(summary));
    }
  } else if (in.resolution) {
    CHAMADO_ASSIGN_OR_RETURN(t.resolution, SolveOutcome(catalog.outcomes, in.resolution, "", false));
  }
  Record(changes, "resolution", ResolutionText(before.resolution), ResolutionText(t.resolution));
  Record(changes, "resolution_summary", before.resolution_summary, t.resolution_summary);
  if (in.kind == MessageKind::kPublicReply && !in.automatic && !t.first_response_at) {
    t.first_response_at = now;
    changes.push_back({"first_response_at", "", FormatIsoUtc(now)});
  }
  t.updated_at = now;

  MessageAdded out{std::move(t), std::move(m), {}};
  out.events.push_back({"message.added", before.number, actor.user_id, now, {{"kind", "", std::string(Name(in.kind))}}, 0});
  if (!changes.empty()) out.events.push_back({"ticket.updated", before.number, actor.user_id, now, std::move(changes), 0});
  return out;
}

Result<TicketChanged> AutoCloseTicket(const Ticket& before, std::string_view rule, Instant now) {
  if (before.status != Status::kPendingCustomer)
    return Error::Said(ErrorCode::kConflict, "ticket.auto_close_not_waiting",
                       {{"number", std::to_string(before.number)}, {"status", std::string(Name(before.status))}});
  Ticket t = before;
  const std::optional<Resolution> kept = t.resolution;
  ApplyStatus(t, Status::kClosed, now);
  t.resolution = kept ? kept : Resolution::kAnswered;
  t.updated_at = now;
  std::vector<Change> changes;
  Record(changes, "status", std::string(Name(before.status)), std::string(Name(t.status)));
  Record(changes, "resolution", ResolutionText(before.resolution), ResolutionText(t.resolution));
  TicketChanged out{std::move(t), {}};
  out.events.push_back({"ticket.updated", before.number, 0, now, std::move(changes), 0});
  out.events.push_back({"automation.closed", before.number, 0, now, {{"rule", "", std::string(rule)}}, 0});
  return out;
}

Result<TicketChanged> AssignByRouting(const Ticket& before, const User& agent, std::string_view rule, Instant now) {
  if (before.assignee_id)
    return Error::Said(ErrorCode::kConflict, "routing.ticket_assigned", {{"number", std::to_string(before.number)}});
  if (before.status != Status::kNew && before.status != Status::kOpen)
    return Error::Said(ErrorCode::kConflict, "routing.ticket_not_waiting",
                       {{"number", std::to_string(before.number)}, {"status", std::string(Name(before.status))}});
  if (!IsStaff(agent.role) || !agent.active)
    return Error::InvalidSaid("assignee_id", "routing.agent_unavailable", {{"email", agent.email}});
  Ticket t = before;
  t.assignee_id = agent.id;
  t.updated_at = now;
  TicketChanged out{std::move(t), {}};
  out.events.push_back({"ticket.updated", before.number, 0, now, {{"assignee", "", std::to_string(agent.id)}}, 0});
  out.events.push_back({"routing.assigned", before.number, 0, now, {{"rule", "", std::string(rule)}}, 0});
  return out;
}

Result<EscalationRequested> RequestEscalation(const Ticket& before, std::string_view impact,
                                              const Actor& actor, Instant now) {
  if (!CanSee(actor, before)) return NoSuchTicket(before.number);
  if (IsStaff(actor.role) && !actor.IsSystem())
    return Error::Said(ErrorCode::kPermissionDenied, "escalation.from_customers");
  if (before.status == Status::kSolved || before.status == Status::kClosed)
    return Error::Said(ErrorCode::kConflict, "escalation.finished",
                       {{"number", std::to_string(before.number)}, {"status", std::string(Name(before.status))}});
  const std::string_view text = Trim(impact);
  if (text.size() < 10)
    return Error::InvalidSaid("impact", "escalation.impact_short");
  CHAMADO_TRY(CheckBody(text, "impact"));
  Ticket t = before;
  t.escalation_level += 1;
  CHAMADO_ASSIGN_OR_RETURN(t.tags, NormalizeTags([&] {
    auto tags = t.tags;
    tags.push_back("customer_escalation");
    return tags;
  }(), "tags"));
  std::vector<Change> changes{{"escalation_level", std::to_string(before.escalation_level), std::to_string(t.escalation_level)}};
  if (t.status == Status::kPendingCustomer || t.status == Status::kOnHold) {
    ApplyStatus(t, Status::kOpen, now);
    changes.push_back({"status", std::string(Name(before.status)), "open"});
  }
  Record(changes, "tags", Join(before.tags), Join(t.tags));
  t.updated_at = now;
  Message m;
  m.ticket_number = before.number;
  m.kind = MessageKind::kCustomerMessage;
  m.author_id = actor.user_id;
  m.body = std::string(text);
  m.label = "escalation_requested";
  m.channel = Channel::kWeb;
  m.created_at = now;
  EscalationRequested out{std::move(t), std::move(m), {}};
  out.events.push_back({"ticket.escalation_requested", before.number, actor.user_id, now, {{"impact", "", std::string(text)}}, 0});
  out.events.push_back({"message.added", before.number, actor.user_id, now, {{"kind", "", "customer_message"}}, 0});
  out.events.push_back({"ticket.updated", before.number, actor.user_id, now, std::move(changes), 0});
  return out;
}

}  // namespace chamado::core
