#include "bot/flow.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sla/policy_toml.h"

namespace chamado::bot {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

sla::Policy Policy004() {
  const std::string dir = std::string(CHAMADO_EXAMPLES) + "/policies/";
  auto p = sla::ParsePolicy(ReadFile(dir + "004_agency_management.toml"), "004.toml",
                            [&](std::string_view rel) -> Result<std::string> { return ReadFile(dir + std::string(rel)); });
  EXPECT_TRUE(p.ok()) << p.error().message;
  return std::move(*p);
}

// A small valid flow; each bad case below changes one thing in it.
const std::string kHeader = R"([bot]
name = "Test"
default_language = "en"
start = "welcome"
calendar = "live_chat"
)";

const std::string kNodes = R"(
[nodes.welcome]
type = "message"
text = { en = "Hi", pt-BR = "Oi" }
options = [ { label = "Search", next = "search" }, { label = "Person", next = "person" } ]

[nodes.search]
type = "search"
text = "Words?"
yes = "bye"
no = "ticket"

[nodes.person]
type = "person"
text = "Calling someone"
ticket = "ticket"

[nodes.ticket]
type = "ticket"
text = "Describe it"
category = "platform_question"

[nodes.bye]
type = "end"
text = "Bye"
)";

TEST(Flow, TheExampleOfSeed004IsValidAgainstItsPolicy) {
  const sla::Policy policy = Policy004();
  auto f = ParseFlow(ReadFile(std::string(CHAMADO_EXAMPLES) + "/bots/004_agency_management.toml"), "004.toml", &policy);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_TRUE(f->warnings.empty());
  EXPECT_EQ(f->flow.default_language, "pt-BR");
  EXPECT_EQ(f->flow.start, "welcome");
  ASSERT_EQ(f->flow.nodes.size(), 8u);
  EXPECT_EQ(f->flow.nodes[0].id, "welcome");  // in the order written, not sorted
  EXPECT_EQ(f->flow.nodes[1].id, "invoices");
  const Node* person = f->flow.Find("person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->kind, NodeKind::kPerson);
  EXPECT_EQ(person->ticket, "ticket");
  // Every text in the three languages of the seed; de falls back to the default language.
  const Node* welcome = f->flow.Find("welcome");
  EXPECT_EQ(f->flow.Say(welcome->options[0].label, "pt-BR"), "Tenho uma dúvida sobre a plataforma");
  EXPECT_EQ(f->flow.Say(welcome->options[0].label, "es"), "Tengo una duda sobre la plataforma");
  EXPECT_EQ(f->flow.Say(welcome->options[0].label, "de"), "Tenho uma dúvida sobre a plataforma");
  EXPECT_EQ(f->flow.Say(welcome->options[0].label, "pt"), "Tenho uma dúvida sobre a plataforma");
}

TEST(Flow, ASmallFlowIsValid) {
  const sla::Policy policy = Policy004();
  auto f = ParseFlow(kHeader + kNodes, "bot.toml", &policy);
  ASSERT_TRUE(f.ok()) << f.error().message;
  // A bare string is in the default language.
  EXPECT_EQ(f->flow.Say(f->flow.Find("search")->text, "ru"), "Words?");
}

struct BadCase {
  const char* name;
  std::string text;
  const char* field;    // the first problem's field: "file:line: key"
  const char* message;  // part of its message
};

TEST(Flow, EveryProblemNamesTheFileTheLineAndTheNode) {
  const sla::Policy policy = Policy004();
  auto replace = [](std::string s, const std::string& from, const std::string& to) {
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const BadCase cases[] = {
      {"unknown next node", replace(kHeader + kNodes, "next = \"person\"", "next = \"persn\""), "bot.toml:10: nodes.welcome.options[1].next",
       "Unknown node \"persn\""},
      {"missing start", replace(kHeader + kNodes, "start = \"welcome\"\n", ""), "bot.toml:1: bot.start", "is missing"},
      {"start is no node", replace(kHeader + kNodes, "start = \"welcome\"", "start = \"hello\""), "bot.toml:4: bot.start",
       "Unknown node \"hello\""},
      {"unknown type", replace(kHeader + kNodes, "type = \"end\"", "type = \"stop\""), "bot.toml:29: nodes.bye.type", "Unknown type \"stop\""},
      {"unknown key", replace(kHeader + kNodes, "type = \"end\"", "type = \"end\"\nnext = \"welcome\""), "bot.toml:30: nodes.bye.next",
       "Unknown key \"next\""},
      {"no text in the default language", replace(kHeader + kNodes, "text = { en = \"Hi\", pt-BR = \"Oi\" }", "text = { pt-BR = \"Oi\" }"),
       "bot.toml:9: nodes.welcome.text", "has no text in en"},
      {"unknown language", replace(kHeader + kNodes, "pt-BR = \"Oi\"", "fr = \"Salut\""), "bot.toml:9: nodes.welcome.text",
       "Unknown language \"fr\""},
      {"missing yes", replace(kHeader + kNodes, "yes = \"bye\"\n", ""), "bot.toml:12: nodes.search.yes", "is missing"},
      {"a loop without exit",
       replace(kHeader + kNodes, "next = \"search\" }, { label = \"Person\", next = \"person\" }", "next = \"welcome\" }"),
       "bot.toml:7: nodes.welcome", "loop without exit"},
      {"person's ticket is no ticket node", replace(kHeader + kNodes, "ticket = \"ticket\"", "ticket = \"bye\""),
       "bot.toml:21: nodes.person.ticket", "a person node's ticket leads to a ticket node"},
      {"unknown category", replace(kHeader + kNodes, "category = \"platform_question\"", "category = \"sales\""),
       "bot.toml:26: nodes.ticket.category", "Unknown category \"sales\""},
      {"a category with required details", replace(kHeader + kNodes, "category = \"platform_question\"", "category = \"projects\""),
       "bot.toml:26: nodes.ticket.category", "requires details"},
      {"unknown calendar", replace(kHeader + kNodes, "calendar = \"live_chat\"", "calendar = \"night\""), "bot.toml:18: nodes.person.calendar",
       "Unknown calendar \"night\""},
      {"no options", replace(kHeader + kNodes, "options = [ { label = \"Search\", next = \"search\" }, { label = \"Person\", next = \"person\" } ]", "options = []"),
       "bot.toml:10: nodes.welcome.options", "1 to 12 options"},
      {"TOML syntax", replace(kHeader + kNodes, "type = \"search\"", "type = search"), "bot.toml:13", "TOML syntax"},
  };
  for (const auto& c : cases) {
    auto f = ParseFlow(c.text, "bot.toml", &policy);
    ASSERT_FALSE(f.ok()) << c.name;
    ASSERT_FALSE(f.error().fields.empty()) << c.name;
    EXPECT_EQ(f.error().fields.front().field, c.field) << c.name << ": " << f.error().message;
    EXPECT_NE(f.error().fields.front().message.find(c.message), std::string::npos) << c.name << ": " << f.error().fields.front().message;
  }
}

TEST(Flow, UnreachableNodesAreWarnings) {
  auto f = ParseFlow(kHeader + kNodes + "\n[nodes.old]\ntype = \"end\"\ntext = \"Old\"\n", "bot.toml", nullptr);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->warnings.size(), 1u);
  EXPECT_EQ(f->warnings[0].field, "bot.toml:32: nodes.old");
  EXPECT_NE(f->warnings[0].message.find("No path"), std::string::npos);
}

TEST(Flow, AllProblemsAtOnceInFileOrder) {
  std::string text = kHeader + kNodes;
  text.replace(text.find("type = \"end\""), 12, "type = \"stop\"");
  text.replace(text.find("yes = \"bye\"\n"), 12, "");
  auto f = ParseFlow(text, "bot.toml", nullptr);
  ASSERT_FALSE(f.ok());
  ASSERT_EQ(f.error().fields.size(), 2u);
  EXPECT_EQ(f.error().fields[0].field, "bot.toml:12: nodes.search.yes");
  EXPECT_EQ(f.error().fields[1].field, "bot.toml:28: nodes.bye.type");
}

}  // namespace
}  // namespace chamado::bot
