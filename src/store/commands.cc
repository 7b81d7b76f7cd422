#include "store/commands.h"

#include <algorithm>

#include "core/details.h"
#include "core/mail.h"
#include "core/text.h"
#include "store/directory.h"
#include "store/mail_out.h"
#include "store/merge.h"
#include "store/routing.h"
#include "store/rules.h"
#include "store/service_level.h"

namespace chamado::store {
using namespace core;

namespace {

// Secrets never rest in the store: masks them in `text`; true when there were any.
bool MaskSecrets(const SecretMasker& masker, std::string& text) {
  auto m = masker.Mask(text);
  text = std::move(m.text);
  return m.count > 0;
}

// Text values of custom fields are free text like any other (an integration's key pasted in a
// field), so they are masked the same way.
void MaskSecrets(const SecretMasker& masker, FieldValue& value) {
  if (auto* text = std::get_if<std::string>(&value)) MaskSecrets(masker, *text);
}

Result<void> ResolveReferences(Repo& repo, const std::optional<std::optional<Id>>& group_id,
                               const std::optional<std::optional<Id>>& assignee_id, TicketPatch& patch) {
  if (group_id) {
    if (*group_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(**group_id));
      if (!g) return Error::InvalidSaid("group_id", "directory.group_missing", {{"id", std::to_string(**group_id)}});
      patch.group = std::optional<Group>(*g);
    } else {
      patch.group = std::optional<Group>();
    }
  }
  if (assignee_id) {
    if (*assignee_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto a, repo.GetUser(**assignee_id));
      if (!a) return Error::InvalidSaid("assignee_id", "directory.agent_missing", {{"id", std::to_string(**assignee_id)}});
      patch.assignee = std::optional<User>(*a);
    } else {
      patch.assignee = std::optional<User>();
    }
  }
  return Ok();
}

}  // namespace

Result<OpenedTicket> OpenTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                       const User& actor, OpenTicketRequest req, Instant now) {
  const Catalog& catalog = policy.catalog;
  const bool subject_masked = MaskSecrets(masker, req.ticket.subject);
  const bool description_masked = MaskSecrets(masker, req.ticket.description);
  req.ticket.masked = req.ticket.masked || subject_masked || description_masked;
  for (auto& field : req.ticket.custom_fields) MaskSecrets(masker, field.value);
  User requester = actor;
  if (IsStaff(actor.role)) {
    if (Trim(req.requester_email).empty())
      return Error::InvalidSaid("requester.email", "ticket.requester_required");
    CHAMADO_ASSIGN_OR_RETURN(requester, FindOrCreateContact(repo, req.requester_email, req.requester_name, now));
  } else if (!Trim(req.requester_email).empty() && NormalizeEmail(req.requester_email) != actor.email) {
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_requester");
  }
  if (!IsStaff(actor.role) && (req.group_id || req.assignee_id))
    return Error::Said(ErrorCode::kPermissionDenied, "ticket.customer_routing");
  CHAMADO_TRY(RefuseDeactivatedOrganization(repo, requester));

  if (req.require_details)
    for (const auto& c : catalog.categories)
      if (c.key == req.ticket.category) CHAMADO_TRY(CheckDetails(c, req.ticket));

  CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicket(req.ticket, requester, ActorOf(actor), catalog, now));
  Ticket ticket = std::move(opened.ticket);
  std::vector<Event> events = std::move(opened.events);
  std::optional<Id> group_id = req.group_id;
  if (!group_id && !ticket.category.empty()) {
    // The policy routes each category to its team from the start.
    for (const auto& c : catalog.categories) {
      if (c.key != ticket.category || c.group.empty()) continue;
      CHAMADO_ASSIGN_OR_RETURN(auto g, repo.FindGroupByName(c.group));
      if (g) group_id = g->id;
    }
  }
  if (!group_id && !policy.routing.group.empty()) {
    CHAMADO_ASSIGN_OR_RETURN(auto g, repo.FindGroupByName(policy.routing.group));
    if (g) group_id = g->id;
  }
  if (group_id || req.assignee_id) {
    TicketPatch patch;
    std::optional<std::optional<Id>> g, a;
    if (group_id) g = std::optional<Id>(*group_id);
    if (req.assignee_id) a = std::optional<Id>(*req.assignee_id);
    CHAMADO_TRY(ResolveReferences(repo, g, a, patch));
    // A group the agent chose is theirs; one the policy chose (the category's, [routing]'s) is
    // Chamado's doing, also for a customer, who may not set a group.
    const bool chosen_by_agent = req.group_id || req.assignee_id;
    const Actor by = chosen_by_agent ? ActorOf(actor) : Actor{0, Role::kAdmin, std::nullopt};
    CHAMADO_ASSIGN_OR_RETURN(auto changed, ChangeTicket(ticket, patch, by, catalog, now));
    ticket = std::move(changed.ticket);
    for (auto& e : changed.events) events.push_back(std::move(e));
  }
  // Its clocks are known before it is stored (its history is this instant), so its row
  // carries its due. (Its opening status is implied: every ticket opens new.)
  CHAMADO_ASSIGN_OR_RETURN(auto clocks, StartClocks(repo, policy, ticket, req.ticket.automatic, now));
  CHAMADO_ASSIGN_OR_RETURN(ticket, repo.InsertTicket(std::move(ticket), catalog, clocks.sla_due));
  Message first = std::move(opened.first_message);
  first.ticket_number = ticket.number;
  CHAMADO_ASSIGN_OR_RETURN(first, repo.InsertMessage(std::move(first)));
  CHAMADO_TRY(repo.InsertEvents(events, ticket.number, first.id));
  CHAMADO_TRY(SaveStartedClocks(repo, clocks, ticket.number));
  if (req.acknowledge) CHAMADO_TRY(QueueMail(repo, ticket, "ticket_opened", requester, first.id, now));
  if (ticket.assignee_id && *ticket.assignee_id != actor.id)
    CHAMADO_TRY(QueueMail(repo, ticket, "agent_assigned", *ticket.assignee_id, std::nullopt, now));
  CHAMADO_TRY(repo.SetTicketLanguage(ticket.number, TicketLanguageOf(req.ticket, requester)));
  CHAMADO_ASSIGN_OR_RETURN(ticket, RouteTicket(repo, policy, std::move(ticket), now, /*tam_first=*/true));
  if (policy.automations.HasTimeRules()) CHAMADO_TRY(RefreshRules(repo, policy, ticket, clocks.facts, clocks.timeline));
  // A ticket an automatic mail opened (an auto-reply, a bounce) starts no rule: nothing of
  // Chamado's answers a machine, so no rule can start a mail loop.
  if (!policy.automations.rules.empty() && !req.ticket.automatic) {
    const auto updated_at = ticket.updated_at;
    CHAMADO_ASSIGN_OR_RETURN(ticket, RunEventRules(repo, policy, sla::RuleTrigger::kTicketCreated, std::move(ticket), now));
    // A rule that changed the ticket (its priority) may have changed its clocks too.
    if (ticket.updated_at != updated_at) {
      CHAMADO_ASSIGN_OR_RETURN(clocks.rows, repo.ClockRows(ticket.number));
    }
  }
  return OpenedTicket{std::move(ticket), std::move(clocks.rows), std::move(clocks.facts.organization), std::move(first)};
}

Result<Ticket> ChangeTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const User& actor,
                                   Id number, ChangeTicketRequest req, Instant now) {
  if (req.patch.subject) MaskSecrets(masker, *req.patch.subject);
  if (req.patch.resolution_summary) MaskSecrets(masker, *req.patch.resolution_summary);
  for (auto& [key, value] : req.patch.custom_fields)
    if (value) MaskSecrets(masker, *value);
  CHAMADO_ASSIGN_OR_RETURN(auto current, repo.GetTicket(number));
  if (!current || !CanSee(ActorOf(actor), *current))
    return NoSuchTicket(number);
  return ApplyTicketChange(repo, policy, actor, *current, std::move(req), now, /*run_rules=*/true);
}

Result<Ticket> ApplyTicketChange(Repo& repo, const sla::Policy& policy, const User& actor, const Ticket& current,
                                 ChangeTicketRequest req, Instant now, bool run_rules) {
  const Catalog& catalog = policy.catalog;
  const Id number = current.number;
  TicketPatch patch = req.patch;
  CHAMADO_TRY(ResolveReferences(repo, req.group_id, req.assignee_id, patch));
  CHAMADO_ASSIGN_OR_RETURN(auto changed, ChangeTicket(current, patch, ActorOf(actor), catalog, now));
  if (changed.events.empty()) return changed.ticket;
  CHAMADO_TRY(repo.UpdateTicket(changed.ticket, catalog));
  const bool status_changed = changed.ticket.status != current.status;
  if (status_changed) CHAMADO_TRY(repo.InsertStatusChange(number, now, changed.ticket.status));
  CHAMADO_TRY(repo.InsertEvents(changed.events, number, 0));
  CHAMADO_TRY(RefreshClocks(repo, policy, changed.ticket, now));
  CHAMADO_TRY(MailForChange(repo, current, changed.ticket, actor.id, now));
  CHAMADO_ASSIGN_OR_RETURN(auto routed, RouteAfterChange(repo, policy, current, std::move(changed.ticket), now));
  if (run_rules && status_changed) return RunEventRules(repo, policy, sla::RuleTrigger::kStatusChanged, std::move(routed), now);
  return routed;
}

Result<OpenedTicket> OpenLinkedTicketCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                             const User& actor, OpenTicketRequest request, Id linked_to,
                                             TicketLinkKind kind, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, policy, masker, actor, std::move(request), now));
  CHAMADO_TRY(repo.InsertTicketLink(opened.ticket.number, linked_to, kind, now));
  CHAMADO_TRY(repo.InsertEvents({{"ticket.linked", opened.ticket.number, actor.id, now,
                                  {{std::string(Name(kind)), "", "#" + std::to_string(linked_to)}}, 0}},
                                opened.ticket.number, 0));
  return opened;
}

void CarryOverToFollowUp(const Ticket& closed, const Catalog& catalog, NewTicket& next) {
  if (next.category.empty() && catalog.HasCategory(closed.category)) next.category = closed.category;
  for (const auto& tag : closed.tags)
    if (std::find(next.tags.begin(), next.tags.end(), tag) == next.tags.end()) next.tags.push_back(tag);
  for (const auto& field : closed.custom_fields) {
    const bool given = std::any_of(next.custom_fields.begin(), next.custom_fields.end(),
                                   [&](const CustomField& f) { return f.key == field.key; });
    if (!given) next.custom_fields.push_back(field);
  }
}

std::string NewTicketSubject(std::string_view subject) {
  std::string s = CleanSubject(subject);
  if (s.empty()) s = std::string(Trim(subject));
  if (s.empty()) return "(no subject)";
  if (Utf8Length(s) <= kMaxSubjectChars) return s;
  // Whole characters, one short of the limit, and an ellipsis.
  size_t chars = 0, at = 0;
  while (at < s.size() && chars < kMaxSubjectChars - 1) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
    ++chars;
  }
  return s.substr(0, at) + "…";
}

namespace {

// A customer's word on a closed ticket: on the ticket it was merged into while that one is
// active, else on a new ticket of theirs that follows up the closed one.
Result<MessagePosted> AnswerClosedTicket(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                         const User& actor, const Ticket& closed, NewMessage message, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto survivor, SurvivorOf(repo, closed));
  if (survivor->number != closed.number && survivor->status != Status::kClosed && CanSee(ActorOf(actor), *survivor))
    return AddMessageCommand(repo, policy, masker, actor, survivor->number, std::move(message), now);
  const Ticket& answered = CanSee(ActorOf(actor), *survivor) ? *survivor : closed;
  OpenTicketRequest req;
  req.ticket.subject = NewTicketSubject(answered.subject);
  req.ticket.description = std::move(message.body);
  req.ticket.channel = message.channel;
  req.ticket.attachments = std::move(message.attachments);
  req.ticket.masked = message.masked;
  CarryOverToFollowUp(answered, policy.catalog, req.ticket);
  // The closed ticket's category may ask for details the customer was never shown.
  req.require_details = false;
  CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenLinkedTicketCommand(repo, policy, masker, actor, std::move(req), answered.number,
                                                                TicketLinkKind::kFollowUp, now));
  return MessagePosted{std::move(opened.ticket), std::move(opened.first_message), answered.number};
}

}  // namespace

Result<MessagePosted> AddMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                        const User& actor, Id number, NewMessage message, Instant now) {
  const Catalog& catalog = policy.catalog;
  message.masked = MaskSecrets(masker, message.body) || message.masked;
  CHAMADO_ASSIGN_OR_RETURN(auto current, repo.GetTicket(number));
  if (!current || !CanSee(ActorOf(actor), *current))
    return NoSuchTicket(number);
  // (A customer setting a status is refused by AddMessage, as on any ticket.)
  if (current->status == Status::kClosed && !IsStaff(actor.role) && message.kind == MessageKind::kCustomerMessage &&
      !message.automatic && !message.status && !message.resolution)
    return AnswerClosedTicket(repo, policy, masker, actor, *current, std::move(message), now);
  CHAMADO_ASSIGN_OR_RETURN(auto added, AddMessage(*current, message, ActorOf(actor), catalog, now));
  CHAMADO_TRY(repo.UpdateTicket(added.ticket, catalog));
  if (added.ticket.status != current->status) CHAMADO_TRY(repo.InsertStatusChange(number, now, added.ticket.status));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.InsertMessage(std::move(added.message)));
  CHAMADO_TRY(repo.InsertEvents(added.events, number, stored.id));
  CHAMADO_TRY(RefreshClocks(repo, policy, added.ticket, now));
  CHAMADO_TRY(MailForMessage(repo, *current, added.ticket, stored, now));
  CHAMADO_ASSIGN_OR_RETURN(added.ticket, RouteAfterChange(repo, policy, *current, std::move(added.ticket), now));
  // Someone's word (not an auto-reply, not a note) starts the rules on replies.
  std::vector<sla::RuleTrigger> triggers;
  if (!stored.automatic && stored.kind == MessageKind::kCustomerMessage) triggers.push_back(sla::RuleTrigger::kCustomerReplied);
  if (!stored.automatic && stored.kind == MessageKind::kPublicReply) triggers.push_back(sla::RuleTrigger::kAgentReplied);
  if (added.ticket.status != current->status) triggers.push_back(sla::RuleTrigger::kStatusChanged);
  for (auto trigger : triggers) {
    CHAMADO_ASSIGN_OR_RETURN(added.ticket, RunEventRules(repo, policy, trigger, std::move(added.ticket), now));
  }
  return MessagePosted{std::move(added.ticket), std::move(stored), std::nullopt};
}

Result<MessagePosted> RequestEscalationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                               const User& actor, Id number, std::string_view impact_text, Instant now) {
  std::string impact(impact_text);
  MaskSecrets(masker, impact);
  CHAMADO_ASSIGN_OR_RETURN(auto current, repo.GetTicket(number));
  if (!current || !CanSee(ActorOf(actor), *current))
    return NoSuchTicket(number);
  if (IsStaff(actor.role))
    return Error::Said(ErrorCode::kPermissionDenied, "escalation.from_customers");
  std::string why;
  CHAMADO_ASSIGN_OR_RETURN(const bool available, EscalationAvailable(repo, policy, *current, &why));
  if (!available) {
    if (why.rfind("Your plan", 0) == 0) return Error::PermissionDenied(why);
    return Error::Conflict(why);
  }
  CHAMADO_ASSIGN_OR_RETURN(auto r, RequestEscalation(*current, impact, ActorOf(actor), now));
  CHAMADO_TRY(repo.UpdateTicket(r.ticket, policy.catalog));
  if (r.ticket.status != current->status) CHAMADO_TRY(repo.InsertStatusChange(number, now, r.ticket.status));
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.InsertMessage(std::move(r.message)));
  CHAMADO_TRY(repo.InsertEvents(r.events, number, stored.id));
  CHAMADO_TRY(RefreshClocks(repo, policy, r.ticket, now));
  const std::string payload = "{\"event\":\"ticket.escalation_requested\",\"ticket\":" + std::to_string(number) +
                              ",\"message\":" + std::to_string(stored.id) + "}";
  CHAMADO_TRY(QueueNotifications(repo, r.ticket, {"assignee", "group"}, "", "ticket.escalation_requested", payload, now));
  CHAMADO_ASSIGN_OR_RETURN(r.ticket, RouteAfterChange(repo, policy, *current, std::move(r.ticket), now));
  return MessagePosted{std::move(r.ticket), std::move(stored), std::nullopt};
}

Result<int64_t> ApplyPolicyCommand(Repo& repo, const sla::Policy& policy,
                                   const std::vector<std::pair<std::string, std::string>>& files, std::optional<Id> actor,
                                   Instant now) {
  std::vector<std::string> names;
  for (const auto& p : policy.catalog.priorities.levels) names.push_back(p.name);
  CHAMADO_ASSIGN_OR_RETURN(auto stranded, repo.PrioritiesOutside(names));
  if (!stranded.empty()) {
    std::string list;
    for (const auto& [p, n] : stranded) list += (list.empty() ? "" : ", ") + std::to_string(n) + " with " + p;
    return Error::Conflict("Tickets use priorities the new policy does not list (" + list +
                           "); keep those priorities in the policy, or change the tickets first.");
  }
  Repo::StoredPolicy stored;
  stored.name = policy.name;
  stored.source = policy.source;
  stored.files = files;
  stored.applied_at = now;
  stored.applied_by = actor;
  CHAMADO_ASSIGN_OR_RETURN(const int64_t version, repo.InsertPolicy(stored));
  CHAMADO_TRY(repo.SetPriorityRanks(policy.catalog.priorities));
  CHAMADO_TRY(repo.InsertEvents({{"policy.applied", 0, actor.value_or(0), now, {{"version", "", std::to_string(version)}, {"name", "", policy.name}}, 0}}, 0, 0));
  return version;
}

User SystemUser() {
  User u;
  u.id = 0;
  u.role = Role::kAdmin;
  u.name = "Chamado";
  return u;
}

}  // namespace chamado::store
