#include "core/routing.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace chamado::core {
namespace {

constexpr std::array<std::pair<RoutingMode, std::string_view>, 3> kModes{{{RoutingMode::kManual, "manual"},
                                                                          {RoutingMode::kRoundRobin, "round_robin"},
                                                                          {RoutingMode::kLeastLoaded, "least_loaded"}}};

std::string_view PrimarySubtag(std::string_view tag) { return tag.substr(0, tag.find('-')); }

bool HasRoom(const RoutingCandidate& a) { return a.capacity <= 0 || a.open < a.capacity; }

// Rule 2: does any available agent read `language`?
bool SomeoneSpeaks(std::span<const RoutingCandidate> agents, std::string_view language) {
  if (language.empty()) return false;
  return std::any_of(agents.begin(), agents.end(), [&](const auto& a) { return !a.away && Speaks(a.languages, language); });
}

// Round robin's order: never given one first, then given one longest ago, then the smaller id.
bool LongerAgo(const RoutingCandidate& a, const RoutingCandidate& b) {
  if (a.last_assigned_at != b.last_assigned_at) {
    if (!a.last_assigned_at) return true;
    if (!b.last_assigned_at) return false;
    return *a.last_assigned_at < *b.last_assigned_at;
  }
  return a.id < b.id;
}

}  // namespace

std::string_view Name(RoutingMode m) {
  for (const auto& [mode, name] : kModes)
    if (mode == m) return name;
  return "manual";
}

std::optional<RoutingMode> ParseRoutingMode(std::string_view s) {
  for (const auto& [mode, name] : kModes)
    if (name == s) return mode;
  return std::nullopt;
}

bool Speaks(const std::vector<std::string>& languages, std::string_view language) {
  const std::string want = AsciiLower(PrimarySubtag(language));
  if (want.empty()) return false;
  return std::any_of(languages.begin(), languages.end(),
                     [&](const std::string& l) { return AsciiLower(PrimarySubtag(l)) == want; });
}

bool MayTake(const RoutingCandidate& agent, std::span<const RoutingCandidate> group, std::string_view language,
             bool by_language) {
  if (agent.away || !HasRoom(agent)) return false;
  if (by_language && SomeoneSpeaks(group, language) && !Speaks(agent.languages, language)) return false;
  return true;
}

std::optional<Id> ChooseAgent(RoutingMode mode, std::span<const RoutingCandidate> agents, std::string_view language,
                              bool by_language) {
  if (mode == RoutingMode::kManual) return std::nullopt;
  const RoutingCandidate* best = nullptr;
  for (const auto& a : agents) {
    if (!MayTake(a, agents, language, by_language)) continue;
    if (!best) {
      best = &a;
      continue;
    }
    const bool better = mode == RoutingMode::kLeastLoaded && a.open != best->open ? a.open < best->open : LongerAgo(a, *best);
    if (better) best = &a;
  }
  if (!best) return std::nullopt;
  return best->id;
}

}  // namespace chamado::core
