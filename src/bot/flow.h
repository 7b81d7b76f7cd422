// A chatbot's decision tree as data: the flow file (TOML) a team keeps beside its policy,
// read and checked here. The format, with a full example, is in docs/chatbot.md.
//
//   [bot]
//   name = "Support assistant"
//   default_language = "pt-BR"      # texts missing in a language are taken from this one
//   start = "welcome"
//   calendar = "business"           # the live-chat hours: a calendar of the policy
//
//   [nodes.welcome]
//   type = "message"                # message | search | person | ticket | end
//   text = { pt-BR = "Olá!", en = "Hello!" }
//   options = [ { label = { pt-BR = "Tenho uma dúvida", en = "I have a question" }, next = "search" } ]
//
// Every problem names the file, the line and the node ("bot.toml:12: nodes.welcome.options[0].next:
// ..."), all of them at once; nodes no path reaches are warnings. Pure: no I/O, no clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "sla/policy.h"

namespace chamado::bot {

// DO NOT CHANGE THESE NAMES: they are the `type` of nodes in flow files people keep.
enum class NodeKind { kMessage, kSearch, kPerson, kTicket, kEnd };
std::string_view Name(NodeKind k);

struct Option {
  core::Texts label;
  std::string next;  // a node id
};

struct Node {
  std::string id;
  NodeKind kind = NodeKind::kMessage;
  int line = 0;       // where [nodes.<id>] was written, for messages
  core::Texts text;   // what the bot says on arriving (a search node: the prompt for words)
  // message: the choices; an answer that matches none goes to `no_match` when set, else the
  // bot says it did not understand and asks again.
  std::vector<Option> options;
  std::string no_match;
  // search: the articles' product (all when empty), how many are shown, where "yes, that
  // helped" and "no" lead, and what the bot asks after the articles.
  std::string product;
  int limit = 3;
  std::string yes;
  std::string no;
  core::Texts helped;
  // person: the calendar of its hours (the flow's when empty); where "open a ticket" leads
  // when nobody can take over; what the bot says when closed ("{when}" is the next opening)
  // and when the customer's plan has no live chat.
  std::string calendar;
  std::string ticket;
  core::Texts closed;
  core::Texts no_chat;
  // ticket: the category the ticket opens in (routed by the policy), and what the bot says
  // once it is open ("{number}" is the ticket's number).
  std::string category;
  core::Texts done;
};

struct Flow {
  std::string name;
  std::string default_language;
  std::string start;
  std::string calendar;          // the live-chat calendar, a calendar name of the policy
  core::Texts not_understood;    // said before asking again; built-in text when empty
  std::vector<Node> nodes;       // in file order
  std::string source;            // the TOML as written

  const Node* Find(std::string_view id) const;
  // `texts` in `language`, else its base language ("pt" for "pt-BR"), else the flow's
  // default language; empty when none of those has one.
  std::string Say(const core::Texts& texts, std::string_view language) const;
};

struct ParsedFlow {
  Flow flow;
  std::vector<FieldError> warnings;  // "bot.toml:40: nodes.old_menu" -> "No path reaches this node."
};

// Reads and checks a flow. With `policy`, a ticket node's category and a person node's
// calendar must exist in it (a category with required details is refused: the bot does not
// ask for them). The error's `fields` list every problem, in file order.
Result<ParsedFlow> ParseFlow(std::string_view toml_text, std::string_view source_name, const sla::Policy* policy);

// Bounds of a flow file.
inline constexpr size_t kMaxFlowBytes = 256 * 1024;
inline constexpr size_t kMaxNodes = 500;
inline constexpr size_t kMaxOptions = 12;

}  // namespace chamado::bot
