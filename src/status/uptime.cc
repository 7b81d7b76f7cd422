#include "status/uptime.h"

#include <algorithm>
#include <cmath>

#include "sla/calendar.h"

namespace chamado::status {
namespace {

constexpr std::string_view kImpactNames[] = {"degraded", "partial", "major"};
constexpr std::string_view kStateNames[] = {"up", "down", "mixed", "unknown", "degraded", "partial", "major", "maintenance"};

// What one probe says at an instant.
enum class Says { kUnknown, kUp, kDown };

// A probe's samples as segments [from, to) of one answer each.
struct Held {
  Instant from, to;
  bool up;
};

std::vector<Held> HeldSegments(const ProbeSamples& p, Instant from, Instant to) {
  std::vector<Held> out;
  for (size_t i = 0; i < p.samples.size(); ++i) {
    const Sample& s = p.samples[i];
    Instant end = s.at + p.hold;
    if (i + 1 < p.samples.size()) end = std::min(end, p.samples[i + 1].at);
    const Instant a = std::max(s.at, from), b = std::min(end, to);
    if (a < b) out.push_back({a, b, s.up});
  }
  return out;
}

Millis Scale(Millis part, Millis of, Millis whole) {
  if (whole.count() <= 0) return Millis(0);
  if (of == whole) return part;
  return Millis(std::llround(double(part.count()) * double(of.count()) / double(whole.count())));
}

double Percent(Millis part, Millis whole) { return whole.count() > 0 ? 100.0 * double(part.count()) / double(whole.count()) : 0; }

// One elementary interval: no boundary of any input falls inside it.
Piece Elementary(Instant a, Instant b, const Observed* seen, const std::vector<IncidentSpan>& incidents,
                 const std::vector<MaintenanceSpan>& maintenance, double partial_weight) {
  Piece p;
  p.from = a;
  p.to = b;
  const Millis len = b - a;
  for (const auto& m : maintenance) {
    if (m.from <= a && b <= m.to) {
      p.state = State::kMaintenance;
      p.maintenance_id = m.maintenance_id;
      p.excluded = len;
      return p;
    }
  }
  Millis up{0}, down{0};
  if (seen) {
    const Millis seg = seen->to - seen->from;
    up = Scale(seen->up, len, seg);
    down = Scale(seen->down, len, seg);
  }
  const Millis unknown = len - up - down;
  if (down.count() == 0 && up.count() == 0) p.state = State::kUnknown;
  else if (down.count() == 0 && unknown.count() == 0) p.state = State::kUp;
  else if (up.count() == 0 && unknown.count() == 0) p.state = State::kDown;
  else p.state = State::kMixed;
  p.up = up;
  p.down = down;
  p.unknown = unknown;
  const IncidentSpan* worst = nullptr;
  for (const auto& i : incidents)
    if (i.from <= a && b <= i.to && (!worst || i.impact > worst->impact)) worst = &i;
  if (!worst) return p;
  p.incident_id = worst->incident_id;
  switch (worst->impact) {
    case Impact::kDegraded:
      p.state = State::kDegraded;
      break;
    case Impact::kPartial: {
      const Millis not_down = len - down;
      const Millis charged = Millis(std::llround(double(not_down.count()) * partial_weight));
      p.state = State::kPartial;
      p.down = down + charged;
      p.up = not_down - charged;
      p.unknown = Millis(0);
      break;
    }
    case Impact::kMajor:
      p.state = State::kMajor;
      p.down = len;
      p.up = p.unknown = Millis(0);
      break;
  }
  return p;
}

bool SameCause(const Piece& x, const Piece& y) {
  return x.to == y.from && x.state == y.state && x.incident_id == y.incident_id && x.maintenance_id == y.maintenance_id;
}

// Every elementary piece over [cuts.front(), cuts.back()), split at every cut too.
std::vector<Piece> Pieces(const std::vector<Instant>& cuts, const std::vector<Observed>& observed,
                          const std::vector<IncidentSpan>& incidents, const std::vector<MaintenanceSpan>& maintenance,
                          double partial_weight) {
  const Instant from = cuts.front(), to = cuts.back();
  std::vector<Instant> edges(cuts.begin(), cuts.end());
  auto add = [&](Instant t) {
    if (from < t && t < to) edges.push_back(t);
  };
  for (const auto& o : observed) add(o.from), add(o.to);
  for (const auto& i : incidents) add(i.from), add(i.to);
  for (const auto& m : maintenance) add(m.from), add(m.to);
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  std::vector<Piece> out;
  out.reserve(edges.size());
  size_t k = 0;  // the first segment that may still overlap
  for (size_t e = 0; e + 1 < edges.size(); ++e) {
    const Instant a = edges[e], b = edges[e + 1];
    while (k < observed.size() && observed[k].to <= a) ++k;
    const Observed* seen = (k < observed.size() && observed[k].from <= a && b <= observed[k].to) ? &observed[k] : nullptr;
    out.push_back(Elementary(a, b, seen, incidents, maintenance, partial_weight));
  }
  return out;
}

Uptime Sum(Instant from, Instant to, std::vector<Piece>::const_iterator begin, std::vector<Piece>::const_iterator end,
           const CountingRules& rules, bool explain) {
  Uptime u;
  u.from = from;
  u.to = to;
  u.total = to - from;
  u.target_percent = rules.target_percent;
  for (auto it = begin; it != end; ++it) {
    u.up += it->up;
    u.down += it->down;
    u.unknown += it->unknown;
    u.maintenance += it->excluded;
    if (!explain) continue;
    if (!u.explanation.empty() && SameCause(u.explanation.back(), *it)) {
      Piece& last = u.explanation.back();
      last.to = it->to;
      last.up += it->up;
      last.down += it->down;
      last.unknown += it->unknown;
      last.excluded += it->excluded;
    } else {
      u.explanation.push_back(*it);
    }
  }
  if ((u.up + u.down).count() > 0) u.percent = Percent(u.up, u.up + u.down);
  u.lower_bound_percent = Percent(u.up, u.up + u.down + u.unknown);
  const Millis counted = u.total - u.maintenance;
  u.budget = Millis(std::llround(double(counted.count()) * (100.0 - rules.target_percent) / 100.0));
  u.budget_left = u.budget - u.down;
  return u;
}

}  // namespace

std::string_view Name(Impact i) { return kImpactNames[int(i)]; }
std::optional<Impact> ParseImpact(std::string_view s) {
  for (int i = 0; i < 3; ++i)
    if (kImpactNames[i] == s) return Impact(i);
  return std::nullopt;
}
std::string_view Name(State s) { return kStateNames[int(s)]; }

std::vector<Observed> CombineProbes(const std::vector<ProbeSamples>& probes, Instant from, Instant to) {
  std::vector<std::vector<Held>> held;
  std::vector<Instant> edges{from, to};
  for (const auto& p : probes) {
    held.push_back(HeldSegments(p, from, to));
    for (const auto& h : held.back()) edges.push_back(h.from), edges.push_back(h.to);
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  std::vector<size_t> next(held.size(), 0);
  std::vector<Observed> out;
  for (size_t e = 0; e + 1 < edges.size(); ++e) {
    const Instant a = edges[e], b = edges[e + 1];
    bool any_down = false, any_unknown = held.empty();
    for (size_t p = 0; p < held.size(); ++p) {
      auto& k = next[p];
      while (k < held[p].size() && held[p][k].to <= a) ++k;
      const bool covers = k < held[p].size() && held[p][k].from <= a && b <= held[p][k].to;
      if (!covers) any_unknown = true;
      else if (!held[p][k].up) any_down = true;
    }
    if (!any_down && any_unknown) continue;
    const Millis len = b - a;
    Observed o{a, b, any_down ? Millis(0) : len, any_down ? len : Millis(0)};
    if (!out.empty() && out.back().to == a && (out.back().down.count() == 0) == (o.down.count() == 0)) {
      out.back().to = b;
      out.back().up += o.up;
      out.back().down += o.down;
    } else {
      out.push_back(o);
    }
  }
  return out;
}

std::vector<Observed> RollUp(const std::vector<Observed>& segments, Instant from, Instant to, Millis bucket) {
  std::vector<Observed> out;
  for (const auto& s : segments) {
    Instant a = std::max(s.from, from);
    const Instant end = std::min(s.to, to);
    while (a < end) {
      const int64_t ms = ToUnixMillis(a);
      const Instant start = FromUnixMillis(ms - ((ms % bucket.count()) + bucket.count()) % bucket.count());
      const Instant b = std::min(end, start + bucket);
      const Millis seg = s.to - s.from;
      const Millis up = Scale(s.up, b - a, seg), down = Scale(s.down, b - a, seg);
      if (out.empty() || out.back().from != start) out.push_back({start, start + bucket, Millis(0), Millis(0)});
      out.back().up += up;
      out.back().down += down;
      a = b;
    }
  }
  return out;
}

Uptime ComputeUptime(Instant from, Instant to, const std::vector<Observed>& observed,
                     const std::vector<IncidentSpan>& incidents, const std::vector<MaintenanceSpan>& maintenance,
                     const CountingRules& rules, bool explain) {
  const auto pieces = Pieces({from, to}, observed, incidents, maintenance, rules.partial_weight);
  return Sum(from, to, pieces.begin(), pieces.end(), rules, explain);
}

std::vector<Uptime> ComputeUptimes(const std::vector<Instant>& cuts, const std::vector<Observed>& observed,
                                   const std::vector<IncidentSpan>& incidents,
                                   const std::vector<MaintenanceSpan>& maintenance, const CountingRules& rules) {
  std::vector<Uptime> out;
  if (cuts.size() < 2) return out;
  const auto pieces = Pieces(cuts, observed, incidents, maintenance, rules.partial_weight);
  auto it = pieces.begin();
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    auto end = it;
    while (end != pieces.end() && end->to <= cuts[c + 1]) ++end;
    out.push_back(Sum(cuts[c], cuts[c + 1], it, end, rules, false));
    it = end;
  }
  return out;
}

namespace {

Result<std::shared_ptr<const sla::Calendar>> ZoneCalendar(std::string_view time_zone) {
  sla::CalendarSpec spec;
  spec.tz = std::string(time_zone);
  spec.always_open = true;
  auto cal = sla::Calendar::Make(spec);
  if (!cal.ok()) return Error::InvalidSaid("time_zone", "status.time_zone", {{"value", std::string(time_zone)}});
  return cal;
}

}  // namespace

Result<Window> MonthWindow(std::string_view month, std::string_view time_zone) {
  int y = 0, m = 0;
  const bool shape = month.size() == 7 && month[4] == '-' &&
                     std::all_of(month.begin(), month.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
  if (shape) {
    y = std::stoi(std::string(month.substr(0, 4)));
    m = std::stoi(std::string(month.substr(5, 2)));
  }
  if (!shape || m < 1 || m > 12 || y < 1970)
    return Error::InvalidSaid("month", "status.month", {{"value", std::string(month)}});
  auto cal = ZoneCalendar(time_zone);
  if (!cal.ok()) return std::move(cal).error();
  namespace chr = std::chrono;
  const chr::year_month ym{chr::year(y), chr::month(unsigned(m))};
  const chr::sys_days first{ym / chr::day(1)}, next{(ym + chr::months(1)) / chr::day(1)};
  const auto minute = [](chr::sys_days d) { return sla::LocalMinute(d.time_since_epoch().count()) * 1440; };
  return Window{(*cal)->FromLocal(minute(first)), (*cal)->FromLocal(minute(next))};
}

Result<std::vector<Instant>> DayCuts(Instant now, int days, std::string_view time_zone) {
  if (days < 1 || days > 366) return Error::InvalidSaid("days", "status.days_range");
  auto cal = ZoneCalendar(time_zone);
  if (!cal.ok()) return std::move(cal).error();
  const int64_t local_ms = ToUnixMillis(now) + std::chrono::duration_cast<Millis>((*cal)->OffsetAt(now)).count();
  const int64_t today = (local_ms >= 0 ? local_ms : local_ms - 86'399'999) / 86'400'000;
  std::vector<Instant> cuts;
  for (int64_t d = today - days + 1; d <= today + 1; ++d) cuts.push_back((*cal)->FromLocal(d * 1440));
  return cuts;
}

Result<std::string> LocalDate(Instant t, std::string_view time_zone) {
  auto cal = ZoneCalendar(time_zone);
  if (!cal.ok()) return std::move(cal).error();
  return sla::FormatLocal(t, (*cal)->OffsetAt(t)).substr(0, 10);
}

}  // namespace chamado::status
