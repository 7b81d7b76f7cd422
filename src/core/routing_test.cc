#include "core/routing.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

RoutingCandidate Agent(Id id, int open, int capacity, std::vector<std::string> languages = {"en"},
                       std::optional<int64_t> last_assigned_ms = std::nullopt, bool away = false) {
  RoutingCandidate a;
  a.id = id;
  a.open = open;
  a.capacity = capacity;
  a.languages = std::move(languages);
  if (last_assigned_ms) a.last_assigned_at = FromUnixMillis(*last_assigned_ms);
  a.away = away;
  return a;
}

TEST(RoutingTest, ModesHaveStableNames) {
  for (auto m : {RoutingMode::kManual, RoutingMode::kRoundRobin, RoutingMode::kLeastLoaded})
    EXPECT_EQ(ParseRoutingMode(Name(m)), m);
  EXPECT_EQ(Name(RoutingMode::kRoundRobin), "round_robin");
  EXPECT_FALSE(ParseRoutingMode("random"));
}

TEST(RoutingTest, SpeaksComparesThePrimarySubtag) {
  EXPECT_TRUE(Speaks({"pt"}, "pt-BR"));
  EXPECT_TRUE(Speaks({"en", "PT-br"}, "pt"));
  EXPECT_FALSE(Speaks({"es"}, "pt-BR"));
  EXPECT_FALSE(Speaks({"en"}, ""));
  EXPECT_FALSE(Speaks({}, "en"));
}

struct Case {
  const char* name;
  RoutingMode mode;
  std::vector<RoutingCandidate> agents;
  std::string language;
  std::optional<Id> chosen;
};

TEST(RoutingTest, ChooseAgentFollowsTheRulesInOrder) {
  const std::vector<Case> cases = {
      {"manual never chooses", RoutingMode::kManual, {Agent(1, 0, 0)}, "en", std::nullopt},
      {"nobody in the group: the ticket waits", RoutingMode::kRoundRobin, {}, "en", std::nullopt},
      {"round robin: never given one goes first", RoutingMode::kRoundRobin,
       {Agent(1, 0, 0, {"en"}, 100), Agent(2, 5, 0, {"en"})}, "en", 2},
      {"round robin: given one longest ago", RoutingMode::kRoundRobin,
       {Agent(1, 0, 0, {"en"}, 300), Agent(2, 9, 0, {"en"}, 100), Agent(3, 0, 0, {"en"}, 200)}, "en", 2},
      {"round robin: a tie goes to the smaller id", RoutingMode::kRoundRobin,
       {Agent(7, 0, 0), Agent(3, 0, 0)}, "en", 3},
      {"least loaded: fewest open tickets", RoutingMode::kLeastLoaded,
       {Agent(1, 3, 0, {"en"}, 1), Agent(2, 1, 0, {"en"}, 500), Agent(3, 2, 0)}, "en", 2},
      {"least loaded: equal load, given one longest ago", RoutingMode::kLeastLoaded,
       {Agent(1, 1, 0, {"en"}, 500), Agent(2, 1, 0, {"en"}, 100)}, "en", 2},
      {"away agents get nothing", RoutingMode::kLeastLoaded,
       {Agent(1, 0, 0, {"en"}, std::nullopt, true), Agent(2, 4, 0)}, "en", 2},
      {"everybody away: the ticket waits", RoutingMode::kRoundRobin,
       {Agent(1, 0, 0, {"en"}, std::nullopt, true)}, "en", std::nullopt},
      {"an agent at capacity gets nothing", RoutingMode::kLeastLoaded,
       {Agent(1, 2, 2), Agent(2, 5, 6)}, "en", 2},
      {"everybody at capacity: the ticket waits", RoutingMode::kRoundRobin,
       {Agent(1, 2, 2), Agent(2, 3, 3)}, "en", std::nullopt},
      {"capacity 0 is no limit", RoutingMode::kRoundRobin, {Agent(1, 500, 0)}, "en", 1},
      {"only speakers of the ticket's language", RoutingMode::kLeastLoaded,
       {Agent(1, 0, 0, {"en"}), Agent(2, 4, 0, {"en", "pt-BR"})}, "pt-BR", 2},
      {"the speaker is full: the ticket waits for them", RoutingMode::kLeastLoaded,
       {Agent(1, 0, 0, {"en"}), Agent(2, 4, 4, {"pt"})}, "pt-BR", std::nullopt},
      {"the only speaker is away: anyone may take it", RoutingMode::kLeastLoaded,
       {Agent(1, 1, 0, {"en"}), Agent(2, 0, 0, {"pt"}, std::nullopt, true)}, "pt-BR", 1},
      {"nobody speaks it: language does not narrow", RoutingMode::kRoundRobin,
       {Agent(1, 0, 0, {"en"}, 5), Agent(2, 0, 0, {"de"}, 1)}, "ru", 2},
      {"unknown language: language does not narrow", RoutingMode::kRoundRobin,
       {Agent(1, 0, 0, {"en"}, 5), Agent(2, 0, 0, {"de"}, 1)}, "", 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ChooseAgent(c.mode, c.agents, c.language), c.chosen) << c.name;
  }
}

TEST(RoutingTest, LanguageCanBeLeftOutByThePolicy) {
  const std::vector<RoutingCandidate> agents = {Agent(1, 0, 0, {"en"}), Agent(2, 4, 0, {"pt"})};
  EXPECT_EQ(ChooseAgent(RoutingMode::kLeastLoaded, agents, "pt-BR", true), 2);
  EXPECT_EQ(ChooseAgent(RoutingMode::kLeastLoaded, agents, "pt-BR", false), 1);
}

TEST(RoutingTest, MayTakeAsksTheSameRulesFromOneAgentsSide) {
  const std::vector<RoutingCandidate> group = {Agent(1, 0, 2, {"en"}), Agent(2, 2, 2, {"pt"}),
                                               Agent(3, 0, 0, {"pt"}, std::nullopt, true)};
  EXPECT_TRUE(MayTake(group[0], group, "en"));
  EXPECT_FALSE(MayTake(group[0], group, "pt-BR")) << "agent 2 reads it, so it waits for them";
  EXPECT_FALSE(MayTake(group[1], group, "pt-BR")) << "agent 2 is full";
  EXPECT_FALSE(MayTake(group[2], group, "pt-BR")) << "agent 3 is away";
  EXPECT_TRUE(MayTake(group[0], group, "ru"));
}

}  // namespace
}  // namespace chamado::core
