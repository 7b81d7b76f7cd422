#include "core/merge.h"

#include <gtest/gtest.h>

#include "core/languages.h"

namespace chamado::core {
namespace {

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

const Actor kAgent{7, Role::kAgent, std::nullopt};
const Actor kCustomer{3, Role::kCustomer, 1};

Ticket T(Id number, Status status, std::optional<Id> org = 1, Id requester = 3) {
  Ticket t;
  t.number = number;
  t.subject = "Ticket " + std::to_string(number);
  t.status = status;
  t.organization_id = org;
  t.requester_id = requester;
  t.priority = "P3";
  return t;
}

struct MergeCase {
  const char* name;
  Ticket merged;
  std::optional<Id> merged_into;
  Ticket survivor;
  Actor actor;
  std::optional<ErrorCode> error;  // nullopt: merged
  const char* field;  // the problem's field, when it names one
};

TEST(MergeTickets, Table) {
  const MergeCase cases[] = {
      {"open into open", T(2, Status::kOpen), std::nullopt, T(1, Status::kOpen), kAgent, std::nullopt, ""},
      {"pending into new", T(2, Status::kPendingCustomer), std::nullopt, T(1, Status::kNew), kAgent, std::nullopt, ""},
      {"solved into on hold", T(2, Status::kSolved), std::nullopt, T(1, Status::kOnHold), kAgent, std::nullopt, ""},
      {"another contact of the organization", T(2, Status::kOpen, 1, 4), std::nullopt, T(1, Status::kOpen, 1, 3), kAgent, std::nullopt, ""},
      {"no organization, same requester", T(2, Status::kOpen, std::nullopt), std::nullopt, T(1, Status::kOpen, std::nullopt), kAgent, std::nullopt, ""},
      {"into itself", T(1, Status::kOpen), std::nullopt, T(1, Status::kOpen), kAgent, ErrorCode::kInvalidArgument, "into"},
      {"merged already", T(2, Status::kClosed), Id{5}, T(1, Status::kOpen), kAgent, ErrorCode::kConflict, ""},
      {"a closed ticket", T(2, Status::kClosed), std::nullopt, T(1, Status::kOpen), kAgent, ErrorCode::kConflict, ""},
      {"into a closed ticket", T(2, Status::kOpen), std::nullopt, T(1, Status::kClosed), kAgent, ErrorCode::kInvalidArgument, "into"},
      {"other organization", T(2, Status::kOpen, 2), std::nullopt, T(1, Status::kOpen, 1), kAgent, ErrorCode::kInvalidArgument, "into"},
      {"organization and none", T(2, Status::kOpen, std::nullopt), std::nullopt, T(1, Status::kOpen, 1), kAgent, ErrorCode::kInvalidArgument, "into"},
      {"no organization, other requesters", T(2, Status::kOpen, std::nullopt, 4), std::nullopt, T(1, Status::kOpen, std::nullopt, 3), kAgent, ErrorCode::kInvalidArgument, "into"},
      {"a customer", T(2, Status::kOpen), std::nullopt, T(1, Status::kOpen), kCustomer, ErrorCode::kPermissionDenied, ""},
  };
  const Instant now = At("2026-11-30T10:00:00Z");
  for (const auto& c : cases) {
    auto r = MergeTickets(c.merged, c.merged_into, c.survivor, c.actor, now);
    if (c.error) {
      ASSERT_FALSE(r.ok()) << c.name;
      EXPECT_EQ(r.error().code, *c.error) << c.name;
      if (*c.field) {
        ASSERT_EQ(r.error().fields.size(), 1u) << c.name;
        EXPECT_EQ(r.error().fields[0].field, c.field) << c.name;
      }
      continue;
    }
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
    EXPECT_EQ(r->merged.status, Status::kClosed) << c.name;
    EXPECT_EQ(r->merged.closed_at, now) << c.name;
    EXPECT_EQ(r->survivor.status, c.survivor.status) << c.name << ": the survivor keeps its status";
    ASSERT_EQ(r->events.size(), 2u) << c.name;
    EXPECT_EQ(r->events[0].ticket_number, c.merged.number);
    EXPECT_EQ(r->events[1].ticket_number, c.survivor.number);
    EXPECT_EQ(r->events[0].changes.back().after, "#" + std::to_string(c.survivor.number));
  }
}

TEST(UnmergeTicket, RestoresThePreviousStatus) {
  const Instant merged_at = At("2026-11-30T10:00:00Z"), undone_at = At("2026-11-30T11:00:00Z");
  for (Status before : {Status::kNew, Status::kOpen, Status::kPendingCustomer, Status::kOnHold, Status::kSolved}) {
    Ticket b = T(2, before);
    if (before == Status::kSolved) {
      b.solved_at = At("2026-11-30T09:00:00Z");
      b.resolution = Resolution::kFixed;
    }
    auto m = MergeTickets(b, std::nullopt, T(1, Status::kOpen), kAgent, merged_at);
    ASSERT_TRUE(m.ok());
    auto u = UnmergeTicket(m->merged, Id{1}, before, m->survivor, kAgent, undone_at);
    ASSERT_TRUE(u.ok()) << Name(before);
    EXPECT_EQ(u->merged.status, before);
    EXPECT_FALSE(u->merged.closed_at);
    EXPECT_EQ(u->merged.solved_at.has_value(), before == Status::kSolved) << Name(before);
    EXPECT_EQ(u->merged.resolution, b.resolution);
    ASSERT_EQ(u->events.size(), 2u);
    EXPECT_EQ(u->events[0].kind, "ticket.unmerged");
  }
}

TEST(UnmergeTicket, Refusals) {
  const Instant now = At("2026-11-30T10:00:00Z");
  auto not_merged = UnmergeTicket(T(2, Status::kOpen), std::nullopt, Status::kOpen, T(1, Status::kOpen), kAgent, now);
  ASSERT_FALSE(not_merged.ok());
  EXPECT_EQ(not_merged.error().code, ErrorCode::kConflict);
  auto elsewhere = UnmergeTicket(T(2, Status::kClosed), Id{9}, Status::kOpen, T(1, Status::kOpen), kAgent, now);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kConflict);
  auto customer = UnmergeTicket(T(2, Status::kClosed), Id{1}, Status::kOpen, T(1, Status::kOpen), kCustomer, now);
  ASSERT_FALSE(customer.ok());
  EXPECT_EQ(customer.error().code, ErrorCode::kPermissionDenied);
  // Said in English for logs and in the reader's language for the API.
  EXPECT_EQ(not_merged.error().message, "Ticket #2 is not merged; there is nothing to undo.");
  EXPECT_EQ(not_merged.error().MessageIn("pt-BR"), "O chamado #2 não está unificado; não há nada a desfazer.");
  EXPECT_EQ(elsewhere.error().message, "Ticket #2 is not merged into #1; there is nothing to undo.");
  EXPECT_EQ(elsewhere.error().MessageIn("de"), "Ticket #2 ist nicht mit #1 zusammengeführt; es gibt nichts rückgängig zu machen.");
  EXPECT_EQ(customer.error().MessageIn("es"), "Solo los agentes deshacen fusiones de tickets.");
}

TEST(SplitTicket, Table) {
  struct Case {
    const char* name;
    Status status;
    std::vector<Id> chosen;
    const char* subject;
    Actor actor;
    std::optional<ErrorCode> error;
    const char* field;
  };
  static const std::string kLong(251, 'x');
  const Case cases[] = {
      {"one of three", Status::kOpen, {11}, "", kAgent, std::nullopt, ""},
      {"two of three, a subject", Status::kPendingCustomer, {12, 13}, "  Invoice question  ", kAgent, std::nullopt, ""},
      {"none", Status::kOpen, {}, "", kAgent, ErrorCode::kInvalidArgument, "message_ids"},
      {"all", Status::kOpen, {10, 11, 12, 13}, "", kAgent, ErrorCode::kInvalidArgument, "message_ids"},
      {"another ticket's message", Status::kOpen, {99}, "", kAgent, ErrorCode::kInvalidArgument, "message_ids"},
      {"twice", Status::kOpen, {11, 11}, "", kAgent, ErrorCode::kInvalidArgument, "message_ids"},
      {"a long subject", Status::kOpen, {11}, kLong.c_str(), kAgent, ErrorCode::kInvalidArgument, "subject"},
      {"closed", Status::kClosed, {11}, "", kAgent, ErrorCode::kConflict, ""},
      {"a customer", Status::kOpen, {11}, "", kCustomer, ErrorCode::kPermissionDenied, ""},
  };
  const Instant now = At("2026-11-30T10:00:00Z");
  for (const auto& c : cases) {
    Ticket original = T(1, c.status);
    original.group_id = 4;
    original.assignee_id = 7;
    original.first_response_at = At("2026-11-29T10:00:00Z");
    auto r = SplitTicket(original, {10, 11, 12, 13}, c.chosen, c.subject, c.actor, now);
    if (c.error) {
      ASSERT_FALSE(r.ok()) << c.name;
      EXPECT_EQ(r.error().code, *c.error) << c.name;
      if (*c.field) {
        ASSERT_EQ(r.error().fields.size(), 1u) << c.name;
        EXPECT_EQ(r.error().fields[0].field, c.field) << c.name;
      }
      continue;
    }
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
    EXPECT_EQ(r->ticket.number, 0);
    EXPECT_EQ(r->ticket.subject, *c.subject ? "Invoice question" : "Ticket 1") << c.name;
    EXPECT_EQ(r->ticket.status, Status::kNew);
    EXPECT_EQ(r->ticket.requester_id, original.requester_id);
    EXPECT_EQ(r->ticket.organization_id, original.organization_id);
    EXPECT_EQ(r->ticket.group_id, original.group_id);
    EXPECT_EQ(r->ticket.assignee_id, original.assignee_id);
    EXPECT_FALSE(r->ticket.first_response_at) << "the new ticket owes its own first response";
    EXPECT_EQ(r->ticket.created_at, now);
    EXPECT_EQ(r->original.status, c.status);
    ASSERT_EQ(r->events.size(), 1u);
    EXPECT_EQ(r->events[0].changes[0].after, std::to_string(c.chosen.size()));
  }
}

TEST(CaseNoticeText, EveryLanguageNamesTheOtherTicket) {
  for (auto notice : {CaseNotice::kMergedInto, CaseNotice::kMergedFrom, CaseNotice::kUnmerged, CaseNotice::kSplitInto,
                      CaseNotice::kSplitFrom}) {
    const std::string english = CaseNoticeText(notice, "en", 12, 34);
    for (auto language : kLanguages) {
      const std::string text = CaseNoticeText(notice, language, 12, 34);
      EXPECT_NE(text.find("#34"), std::string::npos) << language << ": " << text;
      EXPECT_EQ(text.find('{'), std::string::npos) << language << ": " << text;
      if (language != "en") EXPECT_NE(text, english) << language;
    }
    EXPECT_EQ(CaseNoticeText(notice, "fr", 12, 34), english) << "other languages read English";
  }
}

}  // namespace
}  // namespace chamado::core
