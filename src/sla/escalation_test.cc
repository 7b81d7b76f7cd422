#include "sla/escalation.h"

#include <gtest/gtest.h>

namespace chamado::sla {
namespace {

Policy FourLevels() {
  Policy p;
  for (const char* name : {"P1", "P2", "P3", "P4"}) p.catalog.priorities.levels.push_back({name, "", {}});
  p.catalog.priorities.default_name = "P3";
  return p;
}

Escalation On(std::vector<Target> targets, EscalationActions actions, Conditions when = {}) {
  return {std::move(targets), std::move(when), std::move(actions)};
}

TicketFacts Facts(std::string priority, std::string plan = "business_plus") {
  TicketFacts f;
  f.priority = std::move(priority);
  f.plan = std::move(plan);
  return f;
}

// Seed 001: "an unresolved ticket past its SLA is escalated automatically to a higher priority".
TEST(EscalationsForBreach, RaisesPriorityOnlyForItsTargetAndCountsFromThePreviousStep) {
  Policy p = FourLevels();
  p.escalations.push_back(On({Target::kResolution}, {.raise_priority = 1, .notify = {"assignee", "group"}}));
  p.escalations.push_back(On({Target::kFirstResponse}, {.notify = {"group"}}));
  p.escalations.push_back(On({Target::kResolution}, {.raise_priority = 2, .group = "Engineering", .webhook = "https://hooks.example/sla"}));

  auto steps = EscalationsForBreach(p, Target::kResolution, Facts("P4"), true);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].priority, "P3");
  EXPECT_EQ(steps[0].notify, (std::vector<std::string>{"assignee", "group"}));
  EXPECT_TRUE(steps[0].mark_escalated);
  EXPECT_EQ(steps[1].priority, "P1");  // two more from P3
  EXPECT_EQ(steps[1].group, "Engineering");
  EXPECT_EQ(steps[1].webhook, "https://hooks.example/sla");

  steps = EscalationsForBreach(p, Target::kFirstResponse, Facts("P4"), true);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_FALSE(steps[0].changes_ticket());
  EXPECT_EQ(steps[0].notify, std::vector<std::string>{"group"});

  EXPECT_TRUE(EscalationsForBreach(p, Target::kNextResponse, Facts("P4"), true).empty());
}

TEST(EscalationsForBreach, TheMostUrgentStaysAndUnknownPrioritiesGoToTheTop) {
  Policy p = FourLevels();
  p.escalations.push_back(On({Target::kResolution}, {.raise_priority = 1}));
  EXPECT_EQ(EscalationsForBreach(p, Target::kResolution, Facts("P1"), true).at(0).priority, "P1");
  EXPECT_EQ(EscalationsForBreach(p, Target::kResolution, Facts("urgent"), true).at(0).priority, "P1");
}

TEST(EscalationsForBreach, ConditionsSelectAndInactiveTicketsOnlyNotify) {
  Policy p = FourLevels();
  Conditions premium;
  premium.plans = {"premium"};
  p.escalations.push_back(On({Target::kResolution}, {.raise_priority = 1, .group = "TAM", .mark_escalated = false}, premium));
  EXPECT_TRUE(EscalationsForBreach(p, Target::kResolution, Facts("P2", "basic"), true).empty());
  auto active = EscalationsForBreach(p, Target::kResolution, Facts("P2", "premium"), true);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].priority, "P1");
  EXPECT_EQ(active[0].group, "TAM");
  EXPECT_FALSE(active[0].mark_escalated);
  auto solved = EscalationsForBreach(p, Target::kResolution, Facts("P2", "premium"), false);
  ASSERT_EQ(solved.size(), 1u);
  EXPECT_FALSE(solved[0].changes_ticket());
}

}  // namespace
}  // namespace chamado::sla
