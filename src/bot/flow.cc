#include "bot/flow.h"

#include <map>
#include <set>

#include "core/languages.h"
#include "sla/toml_reader.h"

namespace chamado::bot {
namespace {

using sla::TomlReader;

constexpr std::string_view kKindNames[] = {"message", "search", "person", "ticket", "end"};

std::optional<NodeKind> ParseKind(std::string_view s) {
  for (size_t i = 0; i < std::size(kKindNames); ++i)
    if (kKindNames[i] == s) return NodeKind(i);
  return std::nullopt;
}

bool IsNodeId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

// Texts of a flow: languages are desk languages; the default language must have one.
core::Texts ReadTexts(TomlReader& r, const toml::table& t, const std::string& path, std::string_view key, bool required,
                      const std::string& default_language) {
  core::Texts texts = r.Texts(t, path, key, required, default_language);
  if (texts.empty()) return texts;
  const toml::node* n = t.get(key);
  bool has_default = false;
  for (const auto& [language, text] : texts) {
    if (!core::IsDeskLanguage(language))
      r.Fail(n, TomlReader::Join(path, key), "Unknown language \"" + language + "\"; use " + core::DeskLanguageList() + ".");
    if (language == default_language) has_default = true;
  }
  if (!has_default && !default_language.empty())
    r.Fail(n, TomlReader::Join(path, key), "has no text in " + default_language + ", the flow's default language.");
  return texts;
}

void ReadHeader(TomlReader& r, const toml::table& root, Flow& flow) {
  const auto* bot = root["bot"].as_table();
  if (!bot) {
    r.Fail(&root, "bot", "is missing: start the file with [bot] (name, default_language, start).");
    return;
  }
  r.KnownKeys(*bot, "bot", {"name", "default_language", "start", "calendar", "not_understood"});
  flow.name = r.Str(*bot, "bot", "name", true).value_or("");
  if (auto l = r.Str(*bot, "bot", "default_language", true)) {
    if (core::IsDeskLanguage(*l)) flow.default_language = *l;
    else r.Fail(bot->get("default_language"), "bot.default_language", "Unknown language \"" + *l + "\"; use " + core::DeskLanguageList() + ".");
  }
  flow.start = r.Str(*bot, "bot", "start", true).value_or("");
  flow.calendar = r.Str(*bot, "bot", "calendar", false).value_or("");
  flow.not_understood = ReadTexts(r, *bot, "bot", "not_understood", false, flow.default_language);
}

// The keys each kind of node takes.
void KnownNodeKeys(TomlReader& r, const toml::table& t, const std::string& path, NodeKind k) {
  switch (k) {
    case NodeKind::kMessage: return r.KnownKeys(t, path, {"type", "text", "options", "no_match"});
    case NodeKind::kSearch: return r.KnownKeys(t, path, {"type", "text", "product", "limit", "yes", "no", "helped"});
    case NodeKind::kPerson: return r.KnownKeys(t, path, {"type", "text", "calendar", "ticket", "closed", "no_chat"});
    case NodeKind::kTicket: return r.KnownKeys(t, path, {"type", "text", "category", "done"});
    case NodeKind::kEnd: return r.KnownKeys(t, path, {"type", "text"});
  }
}

void ReadOptions(TomlReader& r, const toml::table& t, const std::string& path, const std::string& lang, Node& node) {
  const toml::node* n = t.get("options");
  const auto* list = n ? n->as_array() : nullptr;
  if (!list) {
    r.Fail(n ? n : &t, path + ".options", n ? "must be a list of { label = ..., next = \"node\" }." : "is missing: a message node offers options.");
    return;
  }
  if (list->empty() || list->size() > kMaxOptions)
    r.Fail(n, path + ".options", "A message node offers 1 to " + std::to_string(kMaxOptions) + " options.");
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = path + ".options[" + std::to_string(i) + "]";
    const auto* o = (*list)[i].as_table();
    if (!o) {
      r.Fail(&(*list)[i], p, "must be a table such as { label = { en = \"Yes\" }, next = \"node\" }.");
      continue;
    }
    r.KnownKeys(*o, p, {"label", "next"});
    Option opt;
    opt.label = ReadTexts(r, *o, p, "label", true, lang);
    opt.next = r.Str(*o, p, "next", true).value_or("");
    node.options.push_back(std::move(opt));
  }
}

void ReadNode(TomlReader& r, const std::string& id, const toml::table& t, const std::string& lang, Flow& flow) {
  const std::string path = "nodes." + id;
  Node node;
  node.id = id;
  node.line = int(t.source().begin.line);
  if (!IsNodeId(id)) r.Fail(&t, path, "A node id is 1 to 64 characters of a-z, 0-9, '_' and '-'.");
  auto type = r.Str(t, path, "type", true);
  if (!type) return;
  auto kind = ParseKind(*type);
  if (!kind) {
    r.Fail(t.get("type"), path + ".type", "Unknown type \"" + *type + "\"; use message, search, person, ticket or end.");
    return;
  }
  node.kind = *kind;
  KnownNodeKeys(r, t, path, *kind);
  node.text = ReadTexts(r, t, path, "text", true, lang);
  switch (*kind) {
    case NodeKind::kMessage:
      ReadOptions(r, t, path, lang, node);
      node.no_match = r.Str(t, path, "no_match", false).value_or("");
      break;
    case NodeKind::kSearch:
      node.product = r.Str(t, path, "product", false).value_or("");
      if (const toml::node* l = t.get("limit")) {
        auto v = l->value<int64_t>();
        if (!v || *v < 1 || *v > 10) r.Fail(l, path + ".limit", "must be a whole number from 1 to 10.");
        else node.limit = int(*v);
      }
      node.yes = r.Str(t, path, "yes", true).value_or("");
      node.no = r.Str(t, path, "no", true).value_or("");
      node.helped = ReadTexts(r, t, path, "helped", false, lang);
      break;
    case NodeKind::kPerson:
      node.calendar = r.Str(t, path, "calendar", false).value_or("");
      node.ticket = r.Str(t, path, "ticket", false).value_or("");
      node.closed = ReadTexts(r, t, path, "closed", false, lang);
      node.no_chat = ReadTexts(r, t, path, "no_chat", false, lang);
      break;
    case NodeKind::kTicket:
      node.category = r.Str(t, path, "category", true).value_or("");
      node.done = ReadTexts(r, t, path, "done", false, lang);
      break;
    case NodeKind::kEnd: break;
  }
  flow.nodes.push_back(std::move(node));
}

// Each edge of a node: where it leads and the key that names it, for messages.
std::vector<std::pair<std::string, std::string>> Edges(const Node& n) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < n.options.size(); ++i) out.emplace_back(n.options[i].next, "options[" + std::to_string(i) + "].next");
  if (!n.no_match.empty()) out.emplace_back(n.no_match, "no_match");
  if (n.kind == NodeKind::kSearch) {
    out.emplace_back(n.yes, "yes");
    out.emplace_back(n.no, "no");
  }
  if (!n.ticket.empty()) out.emplace_back(n.ticket, "ticket");
  return out;
}

// The value of `key` ("options[1].next") in a node's table, for its line; the table when absent.
const toml::node* KeyAt(const toml::table& t, const std::string& key) {
  if (const toml::node* n = t.at_path(key).node()) return n;
  return &t;
}

bool Terminal(NodeKind k) { return k == NodeKind::kEnd || k == NodeKind::kPerson || k == NodeKind::kTicket; }

// Node references, reachability and exits. `at`: each node's table, for lines.
void CheckGraph(TomlReader& r, const Flow& flow, const toml::node* start_at, const std::map<std::string, const toml::table*>& at) {
  std::map<std::string, const Node*> by_id;
  for (const auto& n : flow.nodes) by_id[n.id] = &n;
  if (!flow.start.empty() && !by_id.count(flow.start))
    r.Fail(start_at, "bot.start", "Unknown node \"" + flow.start + "\"; define it under [nodes." + flow.start + "].");
  for (const auto& n : flow.nodes) {
    for (const auto& [next, key] : Edges(n)) {
      if (next.empty()) continue;
      auto target = by_id.find(next);
      if (target == by_id.end()) {
        r.Fail(KeyAt(*at.at(n.id), key), "nodes." + n.id + "." + key, "Unknown node \"" + next + "\"; define it under [nodes." + next + "].");
        continue;
      }
      if (key == "ticket" && target->second->kind != NodeKind::kTicket)
        r.Fail(KeyAt(*at.at(n.id), key), "nodes." + n.id + ".ticket", "\"" + next + "\" is a " + std::string(Name(target->second->kind)) +
                                                               " node; a person node's ticket leads to a ticket node.");
    }
  }
  if (!by_id.count(flow.start)) return;
  // Forward from the start: what a conversation can reach.
  std::set<std::string> reached{flow.start};
  std::vector<std::string> todo{flow.start};
  while (!todo.empty()) {
    const Node* n = by_id.at(todo.back());
    todo.pop_back();
    for (const auto& [next, key] : Edges(*n))
      if (by_id.count(next) && reached.insert(next).second) todo.push_back(next);
  }
  // Backward from the exits: what can still end, reach a person or open a ticket.
  std::set<std::string> exits;
  for (const auto& n : flow.nodes)
    if (Terminal(n.kind)) exits.insert(n.id);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& n : flow.nodes) {
      if (exits.count(n.id)) continue;
      for (const auto& [next, key] : Edges(n))
        if (exits.count(next)) {
          exits.insert(n.id);
          grew = true;
          break;
        }
    }
  }
  for (const auto& n : flow.nodes) {
    if (!reached.count(n.id)) {
      r.Warn(at.at(n.id), "nodes." + n.id, "No path from the start (\"" + flow.start + "\") reaches this node.");
      continue;
    }
    if (!exits.count(n.id))
      r.Fail(at.at(n.id), "nodes." + n.id,
             "A loop without exit: from here no path leads to an end, person or ticket node, so the conversation could never finish.");
  }
}

void CheckAgainstPolicy(TomlReader& r, const Flow& flow, const sla::Policy& policy,
                        const std::map<std::string, const toml::table*>& at) {
  for (const auto& n : flow.nodes) {
    const toml::table* t = at.at(n.id);
    const std::string path = "nodes." + n.id;
    if (n.kind == NodeKind::kPerson) {
      const std::string& calendar = n.calendar.empty() ? flow.calendar : n.calendar;
      if (calendar.empty())
        r.Fail(t, path + ".calendar", "A person node needs the live-chat hours: set calendar here or under [bot].");
      else if (!policy.calendars.count(calendar))
        r.Fail(t, path + ".calendar", "Unknown calendar \"" + calendar + "\"; the policy in effect has no [calendars." + calendar + "].");
    }
    if (n.kind == NodeKind::kTicket && !n.category.empty()) {
      const core::Category* found = nullptr;
      for (const auto& c : policy.catalog.categories)
        if (c.key == n.category) found = &c;
      if (!found) r.Fail(t->get("category"), path + ".category", "Unknown category \"" + n.category + "\"; list it under [[categories]] in the policy.");
      else if (!found->details.empty())
        r.Fail(t->get("category"), path + ".category",
               "The category \"" + n.category + "\" requires details the bot does not ask for; choose a category without details.");
    }
  }
}

}  // namespace

std::string_view Name(NodeKind k) { return kKindNames[size_t(k)]; }

const Node* Flow::Find(std::string_view id) const {
  for (const auto& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

std::string Flow::Say(const core::Texts& texts, std::string_view language) const {
  for (const auto& [l, t] : texts)
    if (l == language) return t;
  const std::string_view base = language.substr(0, language.find('-'));
  for (const auto& [l, t] : texts)
    if (std::string_view(l).substr(0, l.find('-')) == base) return t;
  for (const auto& [l, t] : texts)
    if (l == default_language) return t;
  return {};
}

Result<ParsedFlow> ParseFlow(std::string_view text, std::string_view source, const sla::Policy* policy) {
  if (text.size() > kMaxFlowBytes)
    return Error::TooLarge(std::string(source) + ": a flow file is at most " + std::to_string(kMaxFlowBytes / 1024) + " KiB.");
  auto parsed = sla::ParseTomlText(text, source);
  if (!parsed.ok()) return std::move(parsed).error();
  const toml::table& root = *parsed;
  TomlReader r(source);
  ParsedFlow out;
  Flow& flow = out.flow;
  flow.source = std::string(text);
  r.KnownKeys(root, "", {"bot", "nodes"});
  ReadHeader(r, root, flow);
  std::map<std::string, const toml::table*> at;
  const auto* nodes = root["nodes"].as_table();
  if (!nodes || nodes->empty()) {
    r.Fail(&root, "nodes", "is missing: declare the nodes as [nodes.<id>] tables.");
  } else if (nodes->size() > kMaxNodes) {
    r.Fail(nodes, "nodes", "A flow has at most " + std::to_string(kMaxNodes) + " nodes.");
  } else {
    for (const auto& [id, v] : *nodes) {
      const auto* t = v.as_table();
      if (!t) {
        r.Fail(&v, "nodes." + std::string(id.str()), "must be a table: [nodes." + std::string(id.str()) + "].");
        continue;
      }
      at[std::string(id.str())] = t;
      ReadNode(r, std::string(id.str()), *t, flow.default_language, flow);
    }
    // toml++ keeps a table's keys sorted; people read the nodes in the order they wrote them.
    std::stable_sort(flow.nodes.begin(), flow.nodes.end(), [](const Node& a, const Node& b) { return a.line < b.line; });
  }
  // Once every node reads, the graph and the policy's names are checked, both at once.
  const bool read = r.ok();
  if (read) CheckGraph(r, flow, root.at_path("bot.start").node(), at);
  if (read && policy) CheckAgainstPolicy(r, flow, *policy, at);
  if (!r.ok()) return r.Result();
  out.warnings = r.warnings();
  return out;
}

}  // namespace chamado::bot
