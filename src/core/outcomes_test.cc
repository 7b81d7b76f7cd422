#include "core/outcomes.h"

#include <gtest/gtest.h>

#include "core/languages.h"
#include "core/ticket.h"

namespace chamado::core {
namespace {

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

Outcomes Required(std::vector<Resolution> offered = {}) {
  Outcomes o;
  o.required = true;
  o.offered = std::move(offered);
  return WithDefaultTexts(o);
}

struct SolveCase {
  const char* name;
  Outcomes outcomes;
  std::optional<Resolution> chosen;
  const char* summary;
  bool by_agent;
  const char* error_field;  // nullptr: accepted
  Resolution recorded;
};

TEST(SolveOutcome, Table) {
  const Outcomes optional = WithDefaultTexts({});
  const std::vector<Resolution> seed003 = {Resolution::kFixed, Resolution::kFeatureRequest, Resolution::kCannotReproduce,
                                           Resolution::kThirdParty};
  const SolveCase cases[] = {
      {"optional: nothing given means answered", optional, std::nullopt, "", true, nullptr, Resolution::kAnswered},
      {"optional: the chosen one", optional, Resolution::kThirdParty, "", true, nullptr, Resolution::kThirdParty},
      {"required: resolution and summary", Required(), Resolution::kFixed, "Restarted the queue.", true, nullptr, Resolution::kFixed},
      {"required: no resolution", Required(), std::nullopt, "Restarted the queue.", true, "resolution", Resolution::kAnswered},
      {"required: no summary", Required(), Resolution::kFixed, "", true, "resolution_summary", Resolution::kAnswered},
      {"required: a blank summary", Required(), Resolution::kFixed, " \n ", true, "resolution_summary", Resolution::kAnswered},
      {"required: a customer solving gives nothing", Required(), std::nullopt, "", false, nullptr, Resolution::kAnswered},
      {"not on the policy's list", Required(seed003), Resolution::kAnswered, "Told them.", true, "resolution", Resolution::kAnswered},
      {"on the policy's list", Required(seed003), Resolution::kFeatureRequest, "Sent on.", true, nullptr, Resolution::kFeatureRequest},
  };
  for (const auto& c : cases) {
    auto r = SolveOutcome(c.outcomes, c.chosen, c.summary, c.by_agent);
    if (c.error_field) {
      ASSERT_FALSE(r.ok()) << c.name;
      ASSERT_EQ(r.error().fields.size(), 1u) << c.name;
      EXPECT_EQ(r.error().fields[0].field, c.error_field) << c.name;
    } else {
      ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
      EXPECT_EQ(*r, c.recorded) << c.name;
    }
  }
}

TEST(SolveOutcome, RefusalNamesWhatToChoose) {
  auto r = SolveOutcome(Required({Resolution::kFixed, Resolution::kThirdParty}), std::nullopt, "x", true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("choose one of fixed, third_party"), std::string::npos) << r.error().message;
}

TEST(DefaultResolutionTexts, EveryResolutionInEveryLanguage) {
  for (int i = 0; i <= static_cast<int>(Resolution::kUnsupported); ++i) {
    const auto r = static_cast<Resolution>(i);
    const Texts& texts = DefaultResolutionTexts(r);
    for (std::string_view language : kLanguages) {
      const auto it = std::find_if(texts.begin(), texts.end(), [&](const auto& p) { return p.first == language; });
      ASSERT_NE(it, texts.end()) << Name(r) << " in " << language;
      EXPECT_FALSE(it->second.empty()) << Name(r) << " in " << language;
    }
  }
}

TEST(WithDefaultTexts, PolicyTextReplacesOneLanguageOnly) {
  Outcomes o;
  o.texts.push_back({Resolution::kFeatureRequest, {{"en", "Added to our roadmap."}}});
  const Outcomes merged = WithDefaultTexts(o);
  EXPECT_EQ(merged.TextFor(Resolution::kFeatureRequest, "en"), "Added to our roadmap.");
  EXPECT_EQ(merged.TextFor(Resolution::kFeatureRequest, "pt-BR"), "Enviamos o seu pedido de recurso para a nossa equipe de produto.");
  EXPECT_EQ(merged.TextFor(Resolution::kFixed, "de"), "Wir haben das Problem behoben; alles sollte wieder normal funktionieren.");
  EXPECT_EQ(merged.TextFor(Resolution::kFixed, "fr"), "We fixed the problem; everything should work normally again.");
}

Ticket Solved(Status status = Status::kSolved) {
  Ticket t;
  t.number = 12;
  t.status = status;
  return t;
}

struct SurveyCase {
  const char* name;
  Status status;
  std::optional<SurveyAnswer> stored;
  int rating;
  const char* comment;
  const char* now;
  const char* error_field;  // "" : refused without a field (a conflict); nullptr: accepted
};

TEST(AnswerSurvey, Table) {
  const SurveyAnswer first{12, 2, "slow", At("2026-03-02T10:00:00Z"), At("2026-03-02T10:00:00Z")};
  const SurveyCase cases[] = {
      {"first answer", Status::kSolved, std::nullopt, 5, "Quick and clear.", "2026-03-02T10:00:00Z", nullptr},
      {"closed tickets take answers", Status::kClosed, std::nullopt, 1, "", "2026-03-02T10:00:00Z", nullptr},
      {"rating 0", Status::kSolved, std::nullopt, 0, "", "2026-03-02T10:00:00Z", "rating"},
      {"rating 6", Status::kSolved, std::nullopt, 6, "", "2026-03-02T10:00:00Z", "rating"},
      {"control characters", Status::kSolved, std::nullopt, 3, "a\x01", "2026-03-02T10:00:00Z", "comment"},
      {"reopened", Status::kOpen, std::nullopt, 3, "", "2026-03-02T10:00:00Z", ""},
      {"change the next day", Status::kSolved, first, 4, "better now", "2026-03-03T10:00:00Z", nullptr},
      {"change at the end of the 7 days", Status::kSolved, first, 4, "", "2026-03-09T10:00:00Z", nullptr},
      {"change after the 7 days", Status::kSolved, first, 4, "", "2026-03-09T10:00:01Z", ""},
  };
  for (const auto& c : cases) {
    auto r = AnswerSurvey(Solved(c.status), c.stored, c.rating, c.comment, At(c.now));
    if (!c.error_field) {
      ASSERT_TRUE(r.ok()) << c.name << ": " << r.error().message;
      EXPECT_EQ(r->rating, c.rating) << c.name;
      EXPECT_EQ(r->updated_at, At(c.now)) << c.name;
      EXPECT_EQ(r->answered_at, c.stored ? c.stored->answered_at : At(c.now)) << c.name;
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.name;
    if (*c.error_field) {
      ASSERT_EQ(r.error().fields.size(), 1u) << c.name;
      EXPECT_EQ(r.error().fields[0].field, c.error_field) << c.name;
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::kConflict) << c.name;
    }
  }
}

// Solving through the ticket commands follows the policy's [outcomes].
TEST(Outcomes, TicketCommandsRequireThemWhenThePolicyDoes) {
  Catalog catalog;
  catalog.priorities = {{{"P1", "Urgent"}, {"P2", "High"}}, "P2"};
  catalog.outcomes = Required();
  Ticket t;
  t.number = 7;
  t.status = Status::kOpen;
  t.requester_id = 3;
  const Actor agent{20, Role::kAgent, std::nullopt};

  TicketPatch bare;
  bare.status = Status::kSolved;
  auto r = ChangeTicket(t, bare, agent, catalog, At("2026-01-05T14:00:00Z"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).field, "resolution");

  TicketPatch full = bare;
  full.resolution = std::optional<Resolution>(Resolution::kFeatureRequest);
  full.resolution_summary = "  Sent to the product team as PRD-12.  ";
  r = ChangeTicket(t, full, agent, catalog, At("2026-01-05T14:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->ticket.resolution, Resolution::kFeatureRequest);
  EXPECT_EQ(r->ticket.resolution_summary, "Sent to the product team as PRD-12.");

  // The customer reopens: the outcome goes with the solved state.
  NewMessage again;
  again.body = "Still broken.";
  auto reopened = AddMessage(r->ticket, again, {3, Role::kCustomer, std::nullopt}, catalog, At("2026-01-05T15:00:00Z"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE(reopened->ticket.resolution);
  EXPECT_TRUE(reopened->ticket.resolution_summary.empty());

  // Solving by public reply: the reply is the summary; an internal note carries none.
  NewMessage reply;
  reply.kind = MessageKind::kPublicReply;
  reply.body = "Fixed in 4.2.";
  reply.status = Status::kSolved;
  reply.resolution = Resolution::kFixed;
  auto solved = AddMessage(reopened->ticket, reply, agent, catalog, At("2026-01-05T16:00:00Z"));
  ASSERT_TRUE(solved.ok()) << solved.error().message;
  EXPECT_EQ(solved->ticket.resolution_summary, "Fixed in 4.2.");
  reply.kind = MessageKind::kInternalNote;
  auto note = AddMessage(reopened->ticket, reply, agent, catalog, At("2026-01-05T16:00:00Z"));
  ASSERT_FALSE(note.ok());
  EXPECT_EQ(note.error().fields.at(0).field, "resolution_summary");

  // A customer marks their own ticket solved: nothing is asked of them.
  TicketPatch customer;
  customer.status = Status::kSolved;
  auto own = ChangeTicket(reopened->ticket, customer, {3, Role::kCustomer, std::nullopt}, catalog, At("2026-01-05T16:00:00Z"));
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->ticket.resolution, Resolution::kAnswered);
}

}  // namespace
}  // namespace chamado::core
