// What the bot says next: the pure step of a conversation with a flow (bot/flow.h). The store
// gathers the facts a step needs (the articles a search found, the customer's plan, the
// live-chat calendar, the instant) and carries the outcome out: it saves the turns, opens
// the ticket, counts the deflection. No I/O, no clock: `now` is a parameter.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/flow.h"
#include "core/time.h"
#include "sla/calendar.h"

namespace chamado::bot {

// DO NOT CHANGE THESE NAMES: they are stored with each session (bot_sessions) and are the API's.
enum class Status { kActive, kEnded, kWaitingForAgent, kTicketOpened };
// What the bot waits for at its node: a choice, the words of a search, whether the articles
// helped, the question for a ticket, an email address (anonymous visitors), or nothing more.
enum class Awaiting { kChoice, kWords, kHelped, kDescription, kEmail, kNothing };
std::string_view Name(Status s);
std::string_view Name(Awaiting a);
std::optional<Status> ParseStatus(std::string_view s);
std::optional<Awaiting> ParseAwaiting(std::string_view s);

struct State {
  std::string node;
  Awaiting awaiting = Awaiting::kChoice;
  Status status = Status::kActive;
  std::string description;             // a ticket's question, kept while the email is asked for
  std::vector<std::string> shown;      // the article keys of the last search
};

struct ArticleLink {
  std::string key;
  std::string title;
  std::string url;  // help::ArticlePath
};

struct Choice {
  std::string id;     // what the customer sends back as `option`: "1", "2", ... in order
  std::string label;  // in the session's language
};

// One thing the bot says.
struct Said {
  std::string text;
  std::vector<Choice> options;
  std::vector<ArticleLink> articles;
};

// The facts of one step, gathered by the caller.
struct Facts {
  std::string language;         // the session's
  Instant now{};                // UTC
  bool signed_in = false;       // a customer's session: their email is known
  bool plan_has_chat = false;   // the customer's plan has the `chat` feature
  // The policy's calendars by name: a person node's hours (an unknown one is never open).
  const std::map<std::string, std::shared_ptr<const sla::Calendar>>* calendars = nullptr;
  std::string time_zone;        // the customer's IANA zone, for "back at" (the calendar's when empty)
  std::vector<ArticleLink> found;  // what a search node found for the words sent
};

// What the customer sent: one of the choices offered, or text.
struct Input {
  std::optional<std::string> option;
  std::optional<std::string> text;
};

struct TicketToOpen {
  std::string category;
  std::string description;  // the customer's question
  std::string email;        // anonymous visitors: the address they gave
};

struct Outcome {
  State state;
  std::vector<Said> said;
  std::optional<TicketToOpen> ticket;     // open it, then call TicketOpened
  std::vector<std::string> deflected;     // article keys that answered the question
  bool hand_off = false;                  // a person takes over (live chat, issue 13)
};

// The session's first turn: the flow's start node.
Outcome Start(const Flow& flow, const Facts& facts);
// The next turn. `facts.found` holds the articles for `input.text` when the state awaits
// the words of a search (the caller searched before). A finished conversation answers only
// that it has ended.
Outcome Step(const Flow& flow, const State& state, const Input& input, const Facts& facts);
// After the caller opened the ticket of an Outcome: what the bot says with its number.
Outcome TicketOpened(const Flow& flow, const State& state, int64_t number, const Facts& facts);
// The choices the bot offers in `state` (an empty list when it waits for text).
std::vector<Choice> ChoicesOf(const Flow& flow, const State& state, std::string_view language);

// Whether `s` reads as an email address (one '@', a dot after it, no spaces, at most 254 bytes).
bool LooksLikeEmail(std::string_view s);

// The built-in texts (yes, no, ...) in the desk's languages, English when the language is not
// one: the server's message catalog (core/messages.h), ids "bot.*".
enum class Phrase {
  kYes, kNo, kHelped, kNothingFound, kNotUnderstood, kAskWords, kAskEmail, kBadEmail, kOpenTicket,
  kWaiting, kClosed, kNoChat, kTicketOpened, kEnded, kNoTicket, kTranscriptAssistant, kTranscriptCustomer,
};
std::string PhraseIn(Phrase p, std::string_view language);

}  // namespace chamado::bot
