#include "bot/conversation.h"

#include "core/messages.h"
#include "core/text.h"

namespace chamado::bot {
namespace {

constexpr std::string_view kStatusNames[] = {"active", "ended", "waiting_for_agent", "ticket_opened"};
constexpr std::string_view kAwaitingNames[] = {"choice", "words", "helped", "description", "email", "nothing"};
// In Phrase order: the ids of the server's message catalog (templates/messages/<language>.txt).
constexpr std::string_view kPhraseIds[] = {
    "bot.yes",       "bot.no",        "bot.helped",      "bot.nothing_found", "bot.not_understood", "bot.ask_words",
    "bot.ask_email", "bot.bad_email", "bot.open_ticket", "bot.waiting",       "bot.closed",         "bot.no_chat",
    "bot.ticket_opened", "bot.ended", "bot.no_ticket",   "bot.transcript_assistant", "bot.transcript_customer",
};
static_assert(std::size(kPhraseIds) == size_t(Phrase::kTranscriptCustomer) + 1, "one catalog id per Phrase");

// The flow's text, else the built-in phrase.
std::string SayOr(const Flow& flow, const core::Texts& texts, Phrase fallback, std::string_view language) {
  std::string s = flow.Say(texts, language);
  return s.empty() ? PhraseIn(fallback, language) : s;
}

std::string Normalize(std::string_view s) { return AsciiLower(Trim(s)); }

void Enter(const Flow& flow, const std::string& node_id, const Facts& facts, Outcome& out);

// Where choice `index` (0-based) leads from `state`; empty when nowhere.
std::string NextOf(const Flow& flow, const State& state, size_t index, Outcome& out) {
  const Node* n = flow.Find(state.node);
  if (!n) return {};
  switch (n->kind) {
    case NodeKind::kMessage: return index < n->options.size() ? n->options[index].next : std::string();
    case NodeKind::kSearch:
      if (index == 0) {
        out.deflected = state.shown;
        return n->yes;
      }
      return index == 1 ? n->no : std::string();
    case NodeKind::kPerson: return index == 0 ? n->ticket : std::string();
    default: return {};
  }
}

// The index of the choice the input names: its id, or its label typed out.
std::optional<size_t> ChosenIndex(const std::vector<Choice>& choices, const Input& in) {
  for (size_t i = 0; i < choices.size(); ++i) {
    if (in.option && *in.option == choices[i].id) return i;
    if (in.text && (Trim(*in.text) == choices[i].id || Normalize(*in.text) == Normalize(choices[i].label))) return i;
  }
  return std::nullopt;
}

void OfferTicketOrEnd(const Node& n, std::string text, const Facts& facts, Outcome& out) {
  out.state.node = n.id;
  if (n.ticket.empty()) {
    out.said.push_back({text + " " + PhraseIn(Phrase::kNoTicket, facts.language), {}, {}});
    out.state.status = Status::kEnded;
    out.state.awaiting = Awaiting::kNothing;
    return;
  }
  out.said.push_back({std::move(text), {{"1", PhraseIn(Phrase::kOpenTicket, facts.language)}}, {}});
  out.state.awaiting = Awaiting::kChoice;
}

void EnterPerson(const Flow& flow, const Node& n, const Facts& facts, Outcome& out) {
  if (!facts.plan_has_chat) return OfferTicketOrEnd(n, SayOr(flow, n.no_chat, Phrase::kNoChat, facts.language), facts, out);
  const sla::Calendar* calendar = nullptr;
  if (facts.calendars)
    if (auto it = facts.calendars->find(n.calendar.empty() ? flow.calendar : n.calendar); it != facts.calendars->end())
      calendar = it->second.get();
  if (calendar && calendar->IsOpen(facts.now)) {
    out.said.push_back({SayOr(flow, n.text, Phrase::kWaiting, facts.language), {}, {}});
    out.state.node = n.id;
    out.state.status = Status::kWaitingForAgent;
    out.state.awaiting = Awaiting::kNothing;
    out.hand_off = true;
    return;
  }
  std::optional<Instant> back;
  if (calendar)
    if (auto opening = calendar->Add(facts.now, sla::Millis(0)); opening.ok()) back = *opening;
  if (!back) return OfferTicketOrEnd(n, SayOr(flow, n.no_chat, Phrase::kNoChat, facts.language), facts, out);
  const std::string zone = facts.time_zone.empty() ? calendar->spec().tz : facts.time_zone;
  const std::string when = sla::FormatLocal(*back, facts.language, zone);
  OfferTicketOrEnd(n, core::FillParameters(SayOr(flow, n.closed, Phrase::kClosed, facts.language), {{"when", when}}), facts, out);
}

void Enter(const Flow& flow, const std::string& node_id, const Facts& facts, Outcome& out) {
  const Node* n = flow.Find(node_id);
  if (!n) {
    // A checked flow has no such edge; a conversation on it ends rather than loops.
    out.said.push_back({PhraseIn(Phrase::kEnded, facts.language), {}, {}});
    out.state.status = Status::kEnded;
    out.state.awaiting = Awaiting::kNothing;
    return;
  }
  out.state.node = n->id;
  out.state.shown.clear();
  out.state.description.clear();
  const std::string text = flow.Say(n->text, facts.language);
  switch (n->kind) {
    case NodeKind::kMessage:
      out.state.awaiting = Awaiting::kChoice;
      out.said.push_back({text, ChoicesOf(flow, out.state, facts.language), {}});
      return;
    case NodeKind::kSearch:
      out.state.awaiting = Awaiting::kWords;
      out.said.push_back({text, {}, {}});
      return;
    case NodeKind::kPerson: return EnterPerson(flow, *n, facts, out);
    case NodeKind::kTicket:
      out.state.awaiting = Awaiting::kDescription;
      out.said.push_back({text, {}, {}});
      return;
    case NodeKind::kEnd:
      out.state.awaiting = Awaiting::kNothing;
      out.state.status = Status::kEnded;
      out.said.push_back({text, {}, {}});
      return;
  }
}

void NotUnderstood(const Flow& flow, const State& state, const Facts& facts, Outcome& out) {
  const Node* n = flow.Find(state.node);
  if (n && n->kind == NodeKind::kMessage && !n->no_match.empty()) return Enter(flow, n->no_match, facts, out);
  std::string text = state.awaiting == Awaiting::kWords ? PhraseIn(Phrase::kAskWords, facts.language)
                                                        : SayOr(flow, flow.not_understood, Phrase::kNotUnderstood, facts.language);
  out.said.push_back({std::move(text), ChoicesOf(flow, state, facts.language), {}});
}

}  // namespace

std::string_view Name(Status s) { return kStatusNames[size_t(s)]; }
std::string_view Name(Awaiting a) { return kAwaitingNames[size_t(a)]; }

std::optional<Status> ParseStatus(std::string_view s) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i)
    if (kStatusNames[i] == s) return Status(i);
  return std::nullopt;
}

std::optional<Awaiting> ParseAwaiting(std::string_view s) {
  for (size_t i = 0; i < std::size(kAwaitingNames); ++i)
    if (kAwaitingNames[i] == s) return Awaiting(i);
  return std::nullopt;
}

std::string PhraseIn(Phrase p, std::string_view language) {
  return core::Say(kPhraseIds[size_t(p)], {}, language);
}

bool LooksLikeEmail(std::string_view s) {
  if (s.empty() || s.size() > 254) return false;
  const size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const size_t dot = s.rfind('.');
  if (dot == std::string_view::npos || dot < at + 2 || dot + 1 >= s.size()) return false;
  for (unsigned char c : s)
    if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';') return false;
  return true;
}

std::vector<Choice> ChoicesOf(const Flow& flow, const State& state, std::string_view language) {
  std::vector<Choice> out;
  const Node* n = flow.Find(state.node);
  if (!n || state.status != Status::kActive) return out;
  if (n->kind == NodeKind::kMessage && state.awaiting == Awaiting::kChoice) {
    for (size_t i = 0; i < n->options.size(); ++i) out.push_back({std::to_string(i + 1), flow.Say(n->options[i].label, language)});
  } else if (n->kind == NodeKind::kSearch && state.awaiting == Awaiting::kHelped) {
    out.push_back({"1", PhraseIn(Phrase::kYes, language)});
    out.push_back({"2", PhraseIn(Phrase::kNo, language)});
  } else if (n->kind == NodeKind::kPerson && state.awaiting == Awaiting::kChoice) {
    out.push_back({"1", PhraseIn(Phrase::kOpenTicket, language)});
  }
  return out;
}

Outcome Start(const Flow& flow, const Facts& facts) {
  Outcome out;
  Enter(flow, flow.start, facts, out);
  return out;
}

Outcome Step(const Flow& flow, const State& state, const Input& input, const Facts& facts) {
  Outcome out;
  out.state = state;
  if (state.status == Status::kWaitingForAgent) return out;  // the agent answers, not the bot
  if (state.status != Status::kActive) {
    out.said.push_back({PhraseIn(Phrase::kEnded, facts.language), {}, {}});
    return out;
  }
  const Node* n = flow.Find(state.node);
  const std::string text = input.text ? std::string(Trim(*input.text)) : std::string();
  switch (state.awaiting) {
    case Awaiting::kChoice:
    case Awaiting::kHelped: {
      auto chosen = ChosenIndex(ChoicesOf(flow, state, facts.language), input);
      if (!chosen) {
        NotUnderstood(flow, state, facts, out);
        return out;
      }
      const std::string next = NextOf(flow, state, *chosen, out);
      Enter(flow, next, facts, out);
      return out;
    }
    case Awaiting::kWords:
      if (text.empty() || !n) {
        NotUnderstood(flow, state, facts, out);
        return out;
      }
      if (facts.found.empty()) {
        out.said.push_back({PhraseIn(Phrase::kNothingFound, facts.language), {}, {}});
        Enter(flow, n->no, facts, out);
        return out;
      }
      out.state.awaiting = Awaiting::kHelped;
      out.state.shown.clear();
      for (const auto& a : facts.found) out.state.shown.push_back(a.key);
      out.said.push_back({SayOr(flow, n->helped, Phrase::kHelped, facts.language), ChoicesOf(flow, out.state, facts.language), facts.found});
      return out;
    case Awaiting::kDescription:
      if (text.empty() || !n) {
        out.said.push_back({flow.Say(n ? n->text : core::Texts{}, facts.language), {}, {}});
        return out;
      }
      if (facts.signed_in) {
        out.ticket = TicketToOpen{n->category, text, {}};
        out.state.awaiting = Awaiting::kNothing;
        return out;
      }
      out.state.description = text;
      out.state.awaiting = Awaiting::kEmail;
      out.said.push_back({PhraseIn(Phrase::kAskEmail, facts.language), {}, {}});
      return out;
    case Awaiting::kEmail:
      if (!LooksLikeEmail(text) || !n) {
        out.said.push_back({PhraseIn(Phrase::kBadEmail, facts.language), {}, {}});
        return out;
      }
      out.ticket = TicketToOpen{n->category, state.description, text};
      out.state.awaiting = Awaiting::kNothing;
      return out;
    case Awaiting::kNothing: break;
  }
  out.said.push_back({PhraseIn(Phrase::kEnded, facts.language), {}, {}});
  return out;
}

Outcome TicketOpened(const Flow& flow, const State& state, int64_t number, const Facts& facts) {
  Outcome out;
  out.state = state;
  out.state.status = Status::kTicketOpened;
  out.state.awaiting = Awaiting::kNothing;
  out.state.description.clear();
  const Node* n = flow.Find(state.node);
  const std::string text = SayOr(flow, n ? n->done : core::Texts{}, Phrase::kTicketOpened, facts.language);
  out.said.push_back({core::FillParameters(text, {{"number", std::to_string(number)}}), {}, {}});
  return out;
}

}  // namespace chamado::bot
