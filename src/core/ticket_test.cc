#include "core/ticket.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

Catalog TestCatalog() {
  Catalog c;
  c.priorities = {{{"P1", "Urgent"}, {"P2", "High"}, {"P3", "Medium"}, {"P4", "Low"}}, "P3"};
  c.categories = {{"billing", "Billing"}, {"problem", "Problem"}};
  return c;
}

User Contact(Id id, std::optional<Id> org) {
  User u;
  u.id = id;
  u.email = "c" + std::to_string(id) + "@acme.example";
  u.role = Role::kCustomer;
  u.organization_id = org;
  return u;
}

User AgentUser(Id id) {
  User u;
  u.id = id;
  u.email = "agent" + std::to_string(id) + "@desk.example";
  u.role = Role::kAgent;
  return u;
}

Actor As(const User& u) { return {u.id, u.role, u.organization_id}; }

Ticket Opened(const User& requester) {
  NewTicket in;
  in.subject = "Webhook deliveries fail";
  in.description = "Since 10:00 every webhook answers 500.";
  auto r = OpenTicket(in, requester, As(requester), TestCatalog(), At("2026-01-05T13:00:00Z"));
  EXPECT_TRUE(r.ok());
  Ticket t = r->ticket;
  t.number = 7;
  return t;
}

// Every pair of statuses, as a table: row = from, column = to.
TEST(Transitions, Table) {
  const Status all[] = {Status::kNew, Status::kOpen, Status::kPendingCustomer, Status::kOnHold, Status::kSolved, Status::kClosed};
  //                     new    open   pend   hold   solved closed
  const bool allowed[6][6] = {{true, true, true, true, true, false},     // new
                              {false, true, true, true, true, false},    // open
                              {false, true, true, true, true, false},    // pending_customer
                              {false, true, true, true, true, false},    // on_hold
                              {false, true, true, true, true, true},     // solved
                              {false, false, false, false, false, true}};  // closed
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j)
      EXPECT_EQ(IsAllowedTransition(all[i], all[j]), allowed[i][j]) << Name(all[i]) << " -> " << Name(all[j]);
}

// Each refusal is a conflict said in the reader's language; the status stays the API's name.
TEST(Transitions, RefusalsAreSaidInTheReadersLanguage) {
  struct Case {
    Status from, to;
    std::string en, pt_br, de;
  };
  const std::vector<Case> cases = {
      {Status::kOpen, Status::kNew, "A ticket cannot go back to new; set it to open instead.",
       "Um chamado não pode voltar para o status new; mude-o para open.",
       "Ein Ticket kann nicht zum Status new zurückkehren; setzen Sie es stattdessen auf open."},
      {Status::kClosed, Status::kOpen, "The ticket is closed and cannot change any more; open a follow-up ticket instead.",
       "O chamado está fechado e não pode mais mudar; abra um novo chamado de continuação.",
       "Das Ticket ist geschlossen und kann nicht mehr geändert werden; eröffnen Sie stattdessen ein Folgeticket."},
      {Status::kPendingCustomer, Status::kClosed, "A pending_customer ticket cannot be closed directly; solve it first.",
       "Um chamado com status pending_customer não pode ser fechado diretamente; resolva-o primeiro.",
       "Ein Ticket im Status pending_customer kann nicht direkt geschlossen werden; lösen Sie es zuerst."},
  };
  for (const auto& c : cases) {
    const std::optional<Error> refusal = TransitionRefusal(c.from, c.to);
    ASSERT_TRUE(refusal) << Name(c.from) << " -> " << Name(c.to);
    EXPECT_EQ(refusal->code, ErrorCode::kConflict);
    EXPECT_EQ(refusal->message, c.en);
    EXPECT_EQ(refusal->MessageIn("pt-BR"), c.pt_br);
    EXPECT_EQ(refusal->MessageIn("de"), c.de);
  }
  EXPECT_FALSE(TransitionRefusal(Status::kSolved, Status::kClosed));
}

TEST(OpenTicket, DefaultsAndEvents) {
  const User ana = Contact(3, 9);
  NewTicket in;
  in.subject = "  Não consigo enviar mensagens  ";
  in.description = "Erro 131047 desde ontem.";
  in.tags = {"WhatsApp", "api", "api"};
  in.category = "problem";
  auto r = OpenTicket(in, ana, As(ana), TestCatalog(), At("2026-01-05T13:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.subject, "Não consigo enviar mensagens");
  EXPECT_EQ(r->ticket.priority, "P3");
  EXPECT_EQ(r->ticket.status, Status::kNew);
  EXPECT_EQ(r->ticket.organization_id, 9);
  EXPECT_EQ(r->ticket.tags, (std::vector<std::string>{"api", "whatsapp"}));
  EXPECT_EQ(r->first_message.kind, MessageKind::kCustomerMessage);
  EXPECT_EQ(r->first_message.author_id, 3);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].kind, "ticket.created");
  EXPECT_EQ(r->events[1].kind, "message.added");
}

TEST(OpenTicket, Rejections) {
  const User ana = Contact(3, 9);
  const User bob = Contact(4, 9);
  const User agent = AgentUser(20);
  struct Case {
    const char* name;
    NewTicket in;
    const User* requester;
    const User* actor;
    ErrorCode code;
    const char* field;
  };
  NewTicket good;
  good.subject = "s";
  good.description = "d";
  auto with = [&](auto f) { NewTicket n = good; f(n); return n; };
  const Case cases[] = {
      {"empty subject", with([](NewTicket& n) { n.subject = "   "; }), &ana, &ana, ErrorCode::kInvalidArgument, "subject"},
      {"newline in subject", with([](NewTicket& n) { n.subject = "a\nb"; }), &ana, &ana, ErrorCode::kInvalidArgument, "subject"},
      {"long subject", with([](NewTicket& n) { n.subject = std::string(251, 'x'); }), &ana, &ana, ErrorCode::kInvalidArgument, "subject"},
      {"empty description", with([](NewTicket& n) { n.description = "\n"; }), &ana, &ana, ErrorCode::kInvalidArgument, "description"},
      {"bad utf8", with([](NewTicket& n) { n.description = "\xff"; }), &ana, &ana, ErrorCode::kInvalidArgument, "description"},
      {"unknown priority", with([](NewTicket& n) { n.priority = "P9"; }), &ana, &agent, ErrorCode::kInvalidArgument, "priority"},
      {"customer sets priority", with([](NewTicket& n) { n.priority = "P1"; }), &ana, &ana, ErrorCode::kPermissionDenied, ""},
      {"unknown category", with([](NewTicket& n) { n.category = "sales"; }), &ana, &ana, ErrorCode::kInvalidArgument, "category"},
      {"bad tag", with([](NewTicket& n) { n.tags = {"two words"}; }), &ana, &ana, ErrorCode::kInvalidArgument, "tags"},
      {"bad field key", with([](NewTicket& n) { n.custom_fields = {{"Order Id", int64_t{1}}}; }), &ana, &ana, ErrorCode::kInvalidArgument, "custom_fields"},
      {"duplicate field", with([](NewTicket& n) { n.custom_fields = {{"a", true}, {"a", false}}; }), &ana, &ana, ErrorCode::kInvalidArgument, "custom_fields"},
      {"for someone else", good, &bob, &ana, ErrorCode::kPermissionDenied, ""},
  };
  for (const auto& c : cases) {
    auto r = OpenTicket(c.in, *c.requester, As(*c.actor), TestCatalog(), At("2026-01-05T13:00:00Z"));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name;
    EXPECT_FALSE(r.error().message.empty()) << c.name;
    if (*c.field) {
      ASSERT_FALSE(r.error().fields.empty()) << c.name;
      EXPECT_EQ(r.error().fields[0].field, c.field) << c.name;
    }
  }
}

TEST(OpenTicket, AgentOpensForContact) {
  const User ana = Contact(3, 9);
  NewTicket in;
  in.subject = "Phone call: cannot log in";
  in.description = "Customer called; password reset mail never arrives.";
  in.channel = Channel::kPhone;
  in.priority = "P2";
  auto r = OpenTicket(in, ana, As(AgentUser(20)), TestCatalog(), At("2026-01-05T13:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket.requester_id, 3);
  EXPECT_EQ(r->ticket.priority, "P2");
  EXPECT_EQ(r->first_message.author_id, 3);
  EXPECT_EQ(r->events[0].actor_id, 20);
}

TEST(ChangeTicket, InvalidTransitionChangesNothing) {
  const User ana = Contact(3, 9);
  Ticket t = Opened(ana);
  TicketPatch p;
  p.status = Status::kClosed;
  p.priority = "P1";
  auto r = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_NE(r.error().message.find("solve it first"), std::string::npos);
}

TEST(ChangeTicket, SolveSetsResolutionAndReopenClearsIt) {
  const User ana = Contact(3, 9);
  Ticket t = Opened(ana);
  TicketPatch solve;
  solve.status = Status::kSolved;
  solve.resolution = Resolution::kFixed;
  auto r = ChangeTicket(t, solve, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.status, Status::kSolved);
  EXPECT_EQ(r->ticket.resolution, Resolution::kFixed);
  EXPECT_EQ(r->ticket.solved_at, At("2026-01-05T14:00:00Z"));
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].changes.size(), 2u);  // status, resolution

  TicketPatch reopen;
  reopen.status = Status::kOpen;
  auto r2 = ChangeTicket(r->ticket, reopen, As(AgentUser(20)), TestCatalog(), At("2026-01-05T15:00:00Z"));
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->ticket.resolution);
  EXPECT_FALSE(r2->ticket.solved_at);
}

TEST(ChangeTicket, SolvingWithoutResolutionMeansAnswered) {
  Ticket t = Opened(Contact(3, 9));
  TicketPatch p;
  p.status = Status::kSolved;
  auto r = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket.resolution, Resolution::kAnswered);
}

TEST(ChangeTicket, CustomerMayOnlySolve) {
  const User ana = Contact(3, 9);
  Ticket t = Opened(ana);
  TicketPatch prio;
  prio.priority = "P1";
  auto r = ChangeTicket(t, prio, As(ana), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  TicketPatch solve;
  solve.status = Status::kSolved;
  EXPECT_TRUE(ChangeTicket(t, solve, As(ana), TestCatalog(), At("2026-01-05T14:00:00Z")).ok());
}

TEST(ChangeTicket, OtherOrganizationSeesNotFound) {
  Ticket t = Opened(Contact(3, 9));
  TicketPatch solve;
  solve.status = Status::kSolved;
  auto r = ChangeTicket(t, solve, As(Contact(5, 10)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(ChangeTicket, AssigneeMustBeActiveAgent) {
  Ticket t = Opened(Contact(3, 9));
  TicketPatch p;
  p.assignee = std::optional<User>(Contact(4, 9));
  auto r = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).field, "assignee_id");
  User off = AgentUser(21);
  off.active = false;
  p.assignee = std::optional<User>(off);
  EXPECT_FALSE(ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z")).ok());
  p.assignee = std::optional<User>(AgentUser(21));
  auto ok = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ticket.assignee_id, 21);
}

TEST(ChangeTicket, TagsAndFields) {
  Ticket t = Opened(Contact(3, 9));
  t.tags = {"a", "b"};
  t.custom_fields = {{"order_id", int64_t{42}}};
  TicketPatch p;
  p.add_tags = {"C"};
  p.remove_tags = {"a"};
  p.custom_fields = {{"order_id", std::nullopt}, {"plan_note", FieldValue(std::string("vip"))}};
  auto r = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.tags, (std::vector<std::string>{"b", "c"}));
  ASSERT_EQ(r->ticket.custom_fields.size(), 1u);
  EXPECT_EQ(r->ticket.custom_fields[0].key, "plan_note");
}

TEST(ChangeTicket, NoChangeNoEvent) {
  Ticket t = Opened(Contact(3, 9));
  TicketPatch p;
  p.priority = t.priority;
  auto r = ChangeTicket(t, p, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->events.empty());
  EXPECT_EQ(r->ticket.updated_at, t.updated_at);
}

struct MessageCase {
  const char* name;
  Status before;
  MessageKind kind;
  bool by_agent;
  bool automatic;
  Status after;
  bool sets_first_response;
};

TEST(AddMessage, StatusEffects) {
  const MessageCase cases[] = {
      {"customer reply reopens pending", Status::kPendingCustomer, MessageKind::kCustomerMessage, false, false, Status::kOpen, false},
      {"customer reply reopens solved", Status::kSolved, MessageKind::kCustomerMessage, false, false, Status::kOpen, false},
      {"customer reply keeps new", Status::kNew, MessageKind::kCustomerMessage, false, false, Status::kNew, false},
      {"customer reply keeps on hold", Status::kOnHold, MessageKind::kCustomerMessage, false, false, Status::kOnHold, false},
      {"agent reply opens new", Status::kNew, MessageKind::kPublicReply, true, false, Status::kOpen, true},
      {"agent reply keeps pending", Status::kPendingCustomer, MessageKind::kPublicReply, true, false, Status::kPendingCustomer, true},
      {"internal note is not a response", Status::kNew, MessageKind::kInternalNote, true, false, Status::kNew, false},
      {"auto reply is not a response", Status::kNew, MessageKind::kPublicReply, true, true, Status::kOpen, false},
  };
  const User ana = Contact(3, 9);
  for (const auto& c : cases) {
    Ticket t = Opened(ana);
    t.status = c.before;
    NewMessage m;
    m.kind = c.kind;
    m.body = "text";
    m.automatic = c.automatic;
    auto r = AddMessage(t, m, c.by_agent ? As(AgentUser(20)) : As(ana), TestCatalog(), At("2026-01-05T14:00:00Z"));
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
    EXPECT_EQ(r->ticket.status, c.after) << c.name;
    EXPECT_EQ(r->ticket.first_response_at.has_value(), c.sets_first_response) << c.name;
  }
}

TEST(AddMessage, FirstResponseIsKeptOnLaterReplies) {
  Ticket t = Opened(Contact(3, 9));
  t.first_response_at = At("2026-01-05T13:30:00Z");
  NewMessage m{MessageKind::kPublicReply, "again", Channel::kWeb, false, {}, std::nullopt, std::nullopt, false};
  auto r = AddMessage(t, m, As(AgentUser(20)), TestCatalog(), At("2026-01-05T15:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket.first_response_at, At("2026-01-05T13:30:00Z"));
}

TEST(AddMessage, Refusals) {
  const User ana = Contact(3, 9);
  Ticket t = Opened(ana);
  NewMessage note{MessageKind::kInternalNote, "secret", Channel::kWeb, false, {}, std::nullopt, std::nullopt};
  auto r = AddMessage(t, note, As(ana), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);

  Ticket closed = t;
  closed.status = Status::kClosed;
  NewMessage reply{MessageKind::kCustomerMessage, "hello?", Channel::kWeb, false, {}, std::nullopt, std::nullopt};
  r = AddMessage(closed, reply, As(ana), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);

  r = AddMessage(t, reply, As(Contact(5, 10)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);

  NewMessage agent_as_customer{MessageKind::kCustomerMessage, "x", Channel::kWeb, false, {}, std::nullopt, std::nullopt};
  r = AddMessage(t, agent_as_customer, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(AddMessage, ReplyAndSetPending) {
  Ticket t = Opened(Contact(3, 9));
  NewMessage m{MessageKind::kPublicReply, "Could you send the logs?", Channel::kWeb, false, {}, Status::kPendingCustomer, std::nullopt};
  auto r = AddMessage(t, m, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ticket.status, Status::kPendingCustomer);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[1].kind, "ticket.updated");
}

TEST(AutoCloseTicket, ClosesAWaitingTicketAsAnswered) {
  Ticket t = Opened(Contact(3, 9));
  NewMessage ask{MessageKind::kPublicReply, "Could you send the logs?", Channel::kWeb, false, {}, Status::kPendingCustomer, std::nullopt};
  auto waiting = AddMessage(t, ask, As(AgentUser(20)), TestCatalog(), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(waiting.ok());
  auto r = AutoCloseTicket(waiting->ticket, "auto_close", At("2026-01-07T14:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.status, Status::kClosed);
  EXPECT_EQ(r->ticket.resolution, Resolution::kAnswered);
  EXPECT_EQ(r->ticket.closed_at, At("2026-01-07T14:00:00Z"));
  EXPECT_EQ(r->ticket.solved_at, At("2026-01-07T14:00:00Z"));
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].kind, "ticket.updated");
  EXPECT_EQ(r->events[0].actor_id, 0);
  EXPECT_EQ(r->events[0].changes.at(0).field, "status");
  EXPECT_EQ(r->events[0].changes.at(0).before, "pending_customer");
  EXPECT_EQ(r->events[0].changes.at(0).after, "closed");
  EXPECT_EQ(r->events[0].changes.at(1).after, "answered");
  EXPECT_EQ(r->events[1].kind, "automation.closed");
  EXPECT_EQ(r->events[1].changes.at(0).after, "auto_close");

  // A resolution it has is kept.
  Ticket with = waiting->ticket;
  with.resolution = Resolution::kThirdParty;
  EXPECT_EQ(AutoCloseTicket(with, "auto_close", At("2026-01-07T14:00:00Z"))->ticket.resolution, Resolution::kThirdParty);
  // The customer answered (open again), or it is already closed: nothing closes.
  for (Status s : {Status::kOpen, Status::kOnHold, Status::kSolved, Status::kClosed}) {
    Ticket other = waiting->ticket;
    other.status = s;
    EXPECT_EQ(AutoCloseTicket(other, "auto_close", At("2026-01-07T14:00:00Z")).error().code, ErrorCode::kConflict) << Name(s);
  }
}

TEST(RequestEscalation, RecordsTheImpactAndSendsBackToTriage) {
  const User ana = Contact(3, 9);
  Ticket t = Opened(ana);
  t.status = Status::kPendingCustomer;
  auto r = RequestEscalation(t, "All 40 agents are blocked since 09:00; we lose sales.", As(ana), At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.escalation_level, 1);
  EXPECT_EQ(r->ticket.status, Status::kOpen);
  EXPECT_EQ(r->ticket.tags, std::vector<std::string>{"customer_escalation"});
  EXPECT_EQ(r->message.kind, MessageKind::kCustomerMessage);
  // The impact alone: each reader's screen says "Escalation requested" in their own language.
  EXPECT_EQ(r->message.body, "All 40 agents are blocked since 09:00; we lose sales.");
  EXPECT_EQ(r->message.label, "escalation_requested");
  EXPECT_EQ(r->events.at(0).kind, "ticket.escalation_requested");

  EXPECT_EQ(RequestEscalation(t, "short", As(ana), At("2026-01-05T14:00:00Z")).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequestEscalation(t, "A long enough impact text", As(AgentUser(20)), At("2026-01-05T14:00:00Z")).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(RequestEscalation(t, "A long enough impact text", As(Contact(5, 10)), At("2026-01-05T14:00:00Z")).error().code,
            ErrorCode::kNotFound);
  Ticket solved = t;
  solved.status = Status::kSolved;
  EXPECT_EQ(RequestEscalation(solved, "A long enough impact text", As(ana), At("2026-01-05T14:00:00Z")).error().code,
            ErrorCode::kConflict);
}

TEST(CanSee, Tenancy) {
  Ticket t = Opened(Contact(3, 9));
  EXPECT_TRUE(CanSee(As(Contact(4, 9)), t));    // colleague at the same organization
  EXPECT_FALSE(CanSee(As(Contact(5, 10)), t));  // another organization
  EXPECT_TRUE(CanSee(As(AgentUser(20)), t));
  Ticket lone = t;
  lone.organization_id.reset();
  EXPECT_FALSE(CanSee(As(Contact(6, std::nullopt)), lone));
  EXPECT_TRUE(CanSee(As(Contact(3, std::nullopt)), lone));
}

TEST(AssignByRoutingTest, AssignsAWaitingTicketAndNamesTheRule) {
  Ticket t;
  t.number = 9;
  t.status = Status::kOpen;
  const Instant now = At("2026-03-02T10:00:00Z");
  auto r = AssignByRouting(t, AgentUser(4), "round_robin", now);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.assignee_id, 4);
  EXPECT_EQ(r->ticket.updated_at, now);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].kind, "ticket.updated");
  EXPECT_EQ(r->events[0].actor_id, 0) << "the system did it";
  EXPECT_EQ(r->events[0].changes[0].field, "assignee");
  EXPECT_EQ(r->events[0].changes[0].after, "4");
  EXPECT_EQ(r->events[1].kind, "routing.assigned");
  EXPECT_EQ(r->events[1].changes[0].after, "round_robin");
}

TEST(AssignByRoutingTest, RefusesWhatIsNotWaitingForAnAgent) {
  Ticket assigned;
  assigned.status = Status::kOpen;
  assigned.assignee_id = 2;
  EXPECT_EQ(AssignByRouting(assigned, AgentUser(4), "tam", At("2026-03-02T10:00:00Z")).error().code, ErrorCode::kConflict);
  Ticket pending;
  pending.status = Status::kPendingCustomer;
  EXPECT_EQ(AssignByRouting(pending, AgentUser(4), "tam", At("2026-03-02T10:00:00Z")).error().code, ErrorCode::kConflict);
  Ticket open;
  open.status = Status::kNew;
  User off = AgentUser(4);
  off.active = false;
  EXPECT_FALSE(AssignByRouting(open, off, "tam", At("2026-03-02T10:00:00Z")).ok());
  EXPECT_FALSE(AssignByRouting(open, Contact(5, 1), "tam", At("2026-03-02T10:00:00Z")).ok());
}

}  // namespace
}  // namespace chamado::core
