#include "core/macros.h"

#include <gtest/gtest.h>

namespace chamado::core {
namespace {

struct BodyCase {
  const char* name;
  const char* body;
  const char* error;  // a part of the message; nullptr: accepted
};

TEST(CheckMacroBody, Table) {
  const BodyCase cases[] = {
      {"plain text", "Thanks, we are on it.", nullptr},
      {"every placeholder",
       "{{customer.name}} {{ticket.number}} {{ticket.priority}} {{ticket.priority_description}} {{ticket.due}} "
       "{{ticket.subject}} {{agent.name}}",
       nullptr},
      {"spaces inside the braces", "Hi {{ customer.name }}", nullptr},
      {"single braces are text", "{customer} and {x}", nullptr},
      {"an unknown placeholder is named", "Hi {{customer.nmae}}", "{{customer.nmae}}"},
      {"the first unknown one is named", "{{a}} {{b}}", "{{a}}"},
      {"an empty placeholder", "Hi {{}}", "{{}}"},
      {"unclosed", "Hi {{customer.name", "not closed"},
  };
  for (const auto& c : cases) {
    auto r = CheckMacroBody(c.body);
    if (!c.error) {
      EXPECT_TRUE(r.ok()) << c.name << ": " << r.error().message;
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
    ASSERT_EQ(r.error().fields.size(), 1u) << c.name;
    EXPECT_EQ(r.error().fields[0].field, "body") << c.name;
  }
}

struct RenderCase {
  const char* name;
  const char* body;
  const char* want;
};

TEST(RenderMacro, Table) {
  const std::map<std::string, std::string, std::less<>> values = {
      {"customer.name", "Ana Souza"},
      {"ticket.number", "1042"},
      {"ticket.priority", "P1"},
      {"ticket.priority_description", "Urgent: service down"},
      {"ticket.due", "24/11/2026 17:00 (America/Sao_Paulo)"},
      {"agent.name", "Bruno"},
  };
  const RenderCase cases[] = {
      {"no placeholders", "Thanks.", "Thanks."},
      {"one", "Hi {{customer.name}},", "Hi Ana Souza,"},
      {"several and repeated", "#{{ticket.number}} ({{ticket.priority}}: {{ticket.priority_description}}) #{{ticket.number}}",
       "#1042 (P1: Urgent: service down) #1042"},
      {"spaces inside", "{{ agent.name }}", "Bruno"},
      {"due in the requester's zone", "By {{ticket.due}}.", "By 24/11/2026 17:00 (America/Sao_Paulo)."},
      {"a known one without a value is empty", "[{{ticket.subject}}]", "[]"},
      {"an unknown one is copied as written", "{{other}} {{agent.name}}", "{{other}} Bruno"},
      {"values are not read again as placeholders", "{{customer.name}}{{", "Ana Souza{{"},
      {"multibyte text around", "Olá {{customer.name}}, até já", "Olá Ana Souza, até já"},
  };
  for (const auto& c : cases) EXPECT_EQ(RenderMacro(c.body, values), c.want) << c.name;
}

TEST(CheckMacroFields, PriorityMustBeOnTheScale) {
  PriorityScale scale;
  scale.levels = {{"P1", "Urgent", {}}, {"P2", "High", {}}};
  EXPECT_TRUE(CheckMacroFields({}, scale).ok());
  EXPECT_TRUE(CheckMacroFields({std::nullopt, "P2", {}, std::nullopt}, scale).ok());
  auto r = CheckMacroFields({std::nullopt, "P9", {}, std::nullopt}, scale);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).field, "priority");
  EXPECT_NE(r.error().message.find("\"P9\""), std::string::npos);
  EXPECT_NE(r.error().message.find("P1, P2"), std::string::npos);
}

TEST(PriorityScale, DescriptionInTheLanguage) {
  PriorityScale scale;
  scale.levels = {{"P1", "Urgent", {{"pt-BR", "Urgente"}}}};
  EXPECT_EQ(scale.Description("P1", "pt-BR"), "Urgente");
  scale.levels.push_back({"P2", "High", {}});
  EXPECT_EQ(scale.Description("P2", "pt-BR"), "High");  // no translation: the English one
  EXPECT_EQ(scale.Description("P9", "en"), std::nullopt);
}

}  // namespace
}  // namespace chamado::core
