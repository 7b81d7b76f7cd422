#include "sla/rules.h"

#include <gtest/gtest.h>

#include "sla/policy_toml.h"

namespace chamado::sla {
namespace {

using core::Status;

const std::string kBase = R"(name = "Test"
default_priority = "P3"
[calendars.always]
tz = "UTC"
always_open = true
[calendars.business]
tz = "America/Sao_Paulo"
hours = { mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }
[[priorities]]
name = "P1"
description = "Urgent"
[[priorities]]
name = "P3"
description = "Medium"
[plans.premium]
name = "Premium"
)";

Result<Policy> Parse(const std::string& rules) {
  return ParsePolicy(kBase + rules, "p.toml", [](std::string_view) -> Result<std::string> { return Error::NotFound("none"); });
}

// The messages of a refused policy, one per problem.
std::vector<std::string> Problems(const std::string& rules) {
  auto p = Parse(rules);
  std::vector<std::string> out;
  if (p.ok()) return out;
  for (const auto& f : p.error().fields) out.push_back(f.field + ": " + f.message);
  return out;
}

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

TEST(RulesPolicy, ReadsATimeRuleAndAnEventRule) {
  auto p = Parse(R"(
[[automations.rules]]
name = "nudge-unanswered"
on = "time"
since = "customer_reply"
after = "1d"
calendar = "business"
when = { status = ["new", "open"], priority = "P1", not_tag = "VIP", group = "Tier 1", assigned = false, plan = "premium" }
set = { priority = "P3", group = "Tier 2", assignee = "Lead@Desk.Test" }
add_tags = ["Stale"]
remove_tags = "fresh"
notify = ["group", "lead@desk.test"]
webhook = "https://hooks.example.com/chamado"
mail = { subject = { en = "Still there?", pt-BR = "Ainda aí?" }, body = "Hello {{{recipient.name}}}" }

[[automations.rules]]
name = "solve-thanks"
on = "customer_replied"
when = { tag = "thanks" }
set = { status = "solved", resolution = "answered" }
)");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->automations.rules.size(), 2u);
  EXPECT_TRUE(p->automations.HasTimeRules());
  const auto& r = p->automations.rules[0];
  EXPECT_EQ(r.name, "nudge-unanswered");
  EXPECT_EQ(r.on, RuleTrigger::kTime);
  EXPECT_EQ(r.since, RuleSince::kCustomerReply);
  EXPECT_EQ(r.after, std::chrono::hours(8));  // a day of the business calendar
  EXPECT_EQ(r.calendar, "business");
  EXPECT_EQ(r.when.statuses, (std::vector<Status>{Status::kNew, Status::kOpen}));
  EXPECT_EQ(r.when.facts.priorities, std::vector<std::string>{"P1"});
  EXPECT_EQ(r.when.not_tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(r.when.groups, std::vector<std::string>{"tier 1"});
  EXPECT_EQ(r.when.assigned, false);
  EXPECT_EQ(r.actions.priority, "P3");
  EXPECT_EQ(r.actions.group, "Tier 2");
  EXPECT_EQ(r.actions.assignee, "lead@desk.test");
  EXPECT_EQ(r.actions.add_tags, std::vector<std::string>{"stale"});
  EXPECT_EQ(r.actions.remove_tags, std::vector<std::string>{"fresh"});
  EXPECT_EQ(r.actions.notify, (std::vector<std::string>{"group", "lead@desk.test"}));
  ASSERT_TRUE(r.actions.mail);
  EXPECT_EQ(core::TextFor(r.actions.mail->subject, "pt-BR"), "Ainda aí?");
  EXPECT_EQ(core::TextFor(r.actions.mail->body, "de"), "Hello {{{recipient.name}}}");
  const auto* thanks = p->automations.FindRule("solve-thanks");
  ASSERT_NE(thanks, nullptr);
  EXPECT_EQ(thanks->on, RuleTrigger::kCustomerReplied);
  EXPECT_EQ(thanks->actions.status, Status::kSolved);
  EXPECT_EQ(thanks->actions.resolution, core::Resolution::kAnswered);
  EXPECT_EQ(p->automations.FindRule("nope"), nullptr);
}

TEST(RulesPolicy, RefusesRulesThatCannotWorkNamingEachProblem) {
  auto problems = Problems(R"(
[[automations.rules]]
name = "Bad Name"
on = "whenever"
add_tags = "x"

[[automations.rules]]
name = "twice"
on = "time"
since = "lunch"
after = "soon"
calendar = "nowhere"
add_tags = "x"

[[automations.rules]]
name = "twice"
on = "ticket_created"
after = "1h"
when = { status = "lost", mood = "happy" }
set = { status = "new", priority = "P9", assignee = "not an address" }
notify = ["requester", "someone"]
webhook = "ftp://x"

[[automations.rules]]
name = "idle"
on = "agent_replied"

[[automations.rules]]
name = "template"
on = "ticket_created"
mail = { subject = "Hi {{#open}}", body = "x" }

[[automations.rules]]
name = "res"
on = "ticket_created"
set = { resolution = "answered" }
)");
  auto has = [&](const std::string& part) {
    return std::any_of(problems.begin(), problems.end(), [&](const auto& p) { return p.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(has("automations.rules[1].name: \"Bad Name\" must be 1 to 64")) << problems.front();
  EXPECT_TRUE(has("automations.rules[1].on: Unknown trigger \"whenever\""));
  EXPECT_TRUE(has("automations.rules[2].since: Unknown instant \"lunch\""));
  EXPECT_TRUE(has("automations.rules[2].calendar: Unknown calendar \"nowhere\""));
  EXPECT_TRUE(has("automations.rules[2].after: \"soon\" is not a duration"));
  EXPECT_TRUE(has("automations.rules[3].name: Another rule is named \"twice\""));
  EXPECT_TRUE(has("automations.rules[3].after: Only time rules"));
  EXPECT_TRUE(has("automations.rules[3].when.status: Unknown status \"lost\""));
  EXPECT_TRUE(has("automations.rules[3].when.mood: Unknown key"));
  EXPECT_TRUE(has("automations.rules[3].set.status: \"new\" cannot be set"));
  EXPECT_TRUE(has("automations.rules[3].set.priority: Unknown priority \"P9\""));
  EXPECT_TRUE(has("automations.rules[3].set.assignee: \"not an address\" is not an email address"));
  EXPECT_TRUE(has("automations.rules[3].notify: Rules tell the requester with mail"));
  EXPECT_TRUE(has("automations.rules[3].notify: \"someone\" is not assignee, group or an email address"));
  EXPECT_TRUE(has("automations.rules[3].webhook: must be an http:// or https:// URL"));
  EXPECT_TRUE(has("automations.rules[4]: does nothing"));
  EXPECT_TRUE(has("automations.rules[5].mail.subject.en: is not a valid template"));
  EXPECT_TRUE(has("automations.rules[6].set.resolution: A resolution goes with status"));
  // Each problem names the line it is on.
  EXPECT_TRUE(has("p.toml:19: automations.rules[1].name"));
}

TEST(Rules, ConditionsMustAllHold) {
  RuleConditions when;
  RuleFacts f;
  f.facts.priority = "P1";
  f.facts.tags = {"billing", "vip"};
  f.status = Status::kOpen;
  f.group = "tier 1";
  f.assigned = true;
  EXPECT_TRUE(Matches(when, f));  // no conditions: every ticket
  when.statuses = {Status::kNew, Status::kOpen};
  when.facts.priorities = {"P1"};
  when.groups = {"tier 1"};
  when.assigned = true;
  EXPECT_TRUE(Matches(when, f));
  when.not_tags = {"vip"};
  EXPECT_FALSE(Matches(when, f));
  when.not_tags = {"spam"};
  EXPECT_TRUE(Matches(when, f));
  f.status = Status::kPendingCustomer;
  EXPECT_FALSE(Matches(when, f));
  f.status = Status::kOpen;
  f.assigned = false;
  EXPECT_FALSE(Matches(when, f));
  f.assigned = true;
  f.group = "";
  EXPECT_FALSE(Matches(when, f));
  f.group = "tier 1";
  f.facts.priority = "P3";
  EXPECT_FALSE(Matches(when, f));
}

TEST(Rules, AnchorsComeFromTheHistory) {
  Timeline tl;
  tl.opened_at = At("2026-03-02T09:00:00Z");
  tl.statuses = {{At("2026-03-02T09:00:00Z"), Status::kNew},
                 {At("2026-03-02T10:00:00Z"), Status::kPendingCustomer},
                 {At("2026-03-02T11:00:00Z"), Status::kPendingCustomer},  // set again: same run
                 };
  tl.messages = {{At("2026-03-02T09:00:00Z"), false, false}, {At("2026-03-02T10:00:00Z"), true, false}};
  EXPECT_EQ(RuleAnchor(RuleSince::kCreated, tl), At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(RuleAnchor(RuleSince::kStatus, tl), At("2026-03-02T10:00:00Z"));
  // The agent spoke last: nothing of the customer's is unanswered.
  EXPECT_EQ(RuleAnchor(RuleSince::kAgentReply, tl), At("2026-03-02T10:00:00Z"));
  EXPECT_EQ(RuleAnchor(RuleSince::kCustomerReply, tl), std::nullopt);
  // An out-of-office reply is nobody's word.
  tl.messages.push_back({At("2026-03-02T10:05:00Z"), false, true});
  EXPECT_EQ(RuleAnchor(RuleSince::kAgentReply, tl), At("2026-03-02T10:00:00Z"));
  EXPECT_EQ(RuleAnchor(RuleSince::kCustomerReply, tl), std::nullopt);
  // The customer answers: their message is now the one waiting.
  tl.messages.push_back({At("2026-03-02T12:00:00Z"), false, false});
  EXPECT_EQ(RuleAnchor(RuleSince::kCustomerReply, tl), At("2026-03-02T12:00:00Z"));
  EXPECT_EQ(RuleAnchor(RuleSince::kAgentReply, tl), std::nullopt);
  Timeline empty;
  empty.opened_at = At("2026-03-02T09:00:00Z");
  EXPECT_EQ(RuleAnchor(RuleSince::kStatus, empty), At("2026-03-02T09:00:00Z"));
  EXPECT_EQ(RuleAnchor(RuleSince::kCustomerReply, empty), std::nullopt);
}

TEST(Rules, DueCountsOnTheRulesCalendar) {
  auto p = Parse(R"(
[[automations.rules]]
name = "business"
on = "time"
since = "created"
after = "4h"
calendar = "business"
add_tags = "late"
[[automations.rules]]
name = "around-the-clock"
on = "time"
since = "created"
after = "4h"
add_tags = "late"
)");
  ASSERT_TRUE(p.ok()) << p.error().message;
  // Friday 16:00 in São Paulo (19:00 UTC): one business hour on Friday, three on Monday.
  const Instant friday = At("2026-03-06T19:00:00Z");
  EXPECT_EQ(*RuleDueAt(*p, p->automations.rules[0], friday), At("2026-03-09T15:00:00Z"));
  EXPECT_EQ(*RuleDueAt(*p, p->automations.rules[1], friday), At("2026-03-06T23:00:00Z"));
}

}  // namespace
}  // namespace chamado::sla
