#include "sla/clocks.h"

#include <algorithm>

namespace chamado::sla {
namespace {

using core::Status;

bool Stops(Status s) { return s == Status::kSolved || s == Status::kClosed; }

bool Paused(const Policy& p, Target t, Status s) {
  return std::find(p.pause_statuses.begin(), p.pause_statuses.end(), s) != p.pause_statuses.end() &&
         std::find(p.pause_targets.begin(), p.pause_targets.end(), t) != p.pause_targets.end();
}

// The spans of [start, end) during which `target` runs (not paused, not solved), with the
// business time used before each.
struct Walk {
  struct Span {
    Instant a, b;
    Millis used_before;
  };
  std::vector<Span> spans;
  Millis used{0};
  bool running_at_end = false;  // the last span reaches `end`

  // The instant at which the time used reached `x`: the latest instant with exactly x used
  // (so a reply then is on time). Beyond what was used, projected from the running span;
  // nullopt when not reached and not running.
  std::optional<Instant> At(const Calendar& cal, Millis x) const {
    for (const auto& s : spans) {
      // Reached strictly inside this span. Exactly at its end counts as the next span's
      // start: the due of time that runs out at a closing is the next opening.
      if (x < s.used_before + cal.Elapsed(s.a, s.b)) return Project(cal, s, x);
    }
    if (running_at_end && !spans.empty()) return Project(cal, spans.back(), x);
    return std::nullopt;
  }

  static std::optional<Instant> Project(const Calendar& cal, const Span& s, Millis x) {
    auto t = cal.Add(s.a, x - s.used_before);
    return t.ok() ? std::optional<Instant>(*t) : std::nullopt;
  }
};

Walk WalkSpans(const Policy& p, Target target, const Calendar& cal, const Timeline& tl, Instant start, Instant end) {
  Walk w;
  const auto& st = tl.statuses;
  for (size_t i = 0; i < st.size(); ++i) {
    const Instant a = std::max(st[i].at, start);
    const Instant b = i + 1 < st.size() ? std::min(st[i + 1].at, end) : end;
    if (b <= a) continue;
    if (Stops(st[i].status) || Paused(p, target, st[i].status)) continue;
    w.spans.push_back({a, b, w.used});
    w.used += cal.Elapsed(a, b);
    w.running_at_end = b == end;
  }
  return w;
}

// The status in effect at t.
Status StatusAt(const Timeline& tl, Instant t) {
  Status s = tl.statuses.empty() ? Status::kNew : tl.statuses.front().status;
  for (const auto& c : tl.statuses) {
    if (c.at > t) break;
    s = c.status;
  }
  return s;
}

// The first instant in [from, ...) at which the ticket is solved or closed, if any before `until`.
std::optional<Instant> FirstStop(const Timeline& tl, Instant from, Instant until) {
  for (const auto& c : tl.statuses)
    if (c.at >= from && c.at < until && Stops(c.status)) return c.at;
  return std::nullopt;
}

Clock Make(const Policy& p, const TargetRule& rule, const TicketFacts& facts, const Timeline& tl, Instant start,
           std::optional<Instant> stop, Instant now) {
  const Calendar& cal = p.CalendarOf(rule);
  Clock c;
  c.target = rule.target;
  c.calendar = rule.calendar;
  c.within_text = rule.within_text;
  c.within = rule.within;
  c.started_at = start;
  if (p.Exempt(rule.target, facts)) {
    c.state = ClockState::kExempt;
    return c;
  }
  const bool stopped = stop && *stop <= now;
  const Instant end = stopped ? *stop : now;
  Walk w = WalkSpans(p, rule.target, cal, tl, start, end);
  const bool paused_now = !stopped && Paused(p, rule.target, StatusAt(tl, now));
  if (!stopped && !paused_now && !w.running_at_end) {
    // Running, but no span yet (opened this very instant): start one here.
    w.spans.push_back({now, now, w.used});
    w.running_at_end = true;
  }
  c.used = w.used;
  if (w.used > rule.within) c.breached_at = w.At(cal, rule.within);
  if (stopped) {
    c.stopped_at = *stop;
    c.state = c.breached_at ? ClockState::kBreached : ClockState::kMet;
    return c;
  }
  if (paused_now) {
    c.state = c.breached_at ? ClockState::kBreached : ClockState::kPaused;
    return c;
  }
  c.due_at = c.breached_at ? c.breached_at : w.At(cal, rule.within);
  c.state = c.breached_at ? ClockState::kBreached : ClockState::kRunning;
  // Warnings: when the remaining business time falls to `before`.
  for (const auto& warning : p.warnings) {
    if (std::find(warning.targets.begin(), warning.targets.end(), rule.target) == warning.targets.end()) continue;
    if (auto at = w.At(cal, std::max(Millis(0), rule.within - warning.before))) c.warn_at.push_back(*at);
  }
  return c;
}

}  // namespace

std::string_view Name(ClockState s) {
  switch (s) {
    case ClockState::kRunning: return "running";
    case ClockState::kPaused: return "paused";
    case ClockState::kMet: return "met";
    case ClockState::kBreached: return "breached";
    case ClockState::kExempt: return "exempt";
  }
  return "?";
}

std::optional<ClockState> ParseClockState(std::string_view s) {
  for (auto c : kClockStates)
    if (Name(c) == s) return c;
  return std::nullopt;
}

std::vector<Clock> ComputeClocks(const Policy& p, const TicketFacts& facts, const Timeline& tl, Instant now) {
  std::vector<Clock> out;
  const Instant never = Instant::max();

  // First response: from opening to the first agent's public reply that is not automatic.
  std::optional<Instant> first_reply;
  for (const auto& m : tl.messages)
    if (m.by_staff && !m.automatic && m.at >= tl.opened_at) {
      first_reply = m.at;
      break;
    }
  // A ticket an auto-reply or a bounce opened (its first message automatic) owes a first
  // response only once the customer writes themselves, and from then.
  std::optional<Instant> asked = tl.opened_at;
  std::optional<Instant> answer = first_reply;
  if (!tl.messages.empty() && !tl.messages.front().by_staff && tl.messages.front().automatic &&
      tl.messages.front().at <= tl.opened_at) {
    asked.reset();
    answer.reset();
    for (const auto& m : tl.messages) {
      if (!asked && !m.by_staff && !m.automatic) asked = m.at;
      else if (asked && m.by_staff && !m.automatic) {
        answer = m.at;
        break;
      }
    }
  }
  if (const auto* rule = p.RuleFor(Target::kFirstResponse, facts); rule && asked) {
    std::optional<Instant> stop = answer;
    if (!stop) stop = FirstStop(tl, *asked, never);
    out.push_back(Make(p, *rule, facts, tl, *asked, stop, now));
  }

  // Next response: from the latest customer message that follows an agent's reply, to the
  // agent's next reply.
  if (const auto* rule = p.RuleFor(Target::kNextResponse, facts); rule && first_reply) {
    std::optional<Instant> cycle_start;
    std::optional<Instant> cycle_stop;
    bool awaiting = false;  // a customer message is waiting for an answer
    for (const auto& m : tl.messages) {
      if (m.at < *first_reply || m.automatic) continue;
      if (!m.by_staff && !awaiting && m.at > *first_reply) {
        cycle_start = m.at;
        cycle_stop.reset();
        awaiting = true;
      } else if (m.by_staff && awaiting) {
        cycle_stop = m.at;
        awaiting = false;
      }
    }
    if (cycle_start) {
      std::optional<Instant> stop = cycle_stop;
      if (!stop) stop = FirstStop(tl, *cycle_start, never);
      out.push_back(Make(p, *rule, facts, tl, *cycle_start, stop, now));
    }
  }

  // Resolution: the whole life of the ticket; stops while solved, resumes if reopened.
  if (const auto* rule = p.RuleFor(Target::kResolution, facts)) {
    std::optional<Instant> stop;
    if (Stops(StatusAt(tl, now))) {
      for (auto it = tl.statuses.rbegin(); it != tl.statuses.rend(); ++it) {
        if (!Stops(it->status)) break;
        stop = it->at;  // the start of the current solved-or-closed stretch
      }
    }
    out.push_back(Make(p, *rule, facts, tl, tl.opened_at, stop, now));
  }
  return out;
}

}  // namespace chamado::sla
