#include "sla/policy_toml.h"

#include <gtest/gtest.h>

#include <map>

namespace chamado::sla {
namespace {

PolicyFileReader Files(std::map<std::string, std::string> files) {
  return [files](std::string_view path) -> Result<std::string> {
    auto it = files.find(std::string(path));
    if (it == files.end()) return Error::NotFound("Cannot read " + std::string(path) + ".");
    return it->second;
  };
}

const char* kGood = R"(name = "Example"
default_priority = "P3"

[calendars.business]
tz = "America/Sao_Paulo"
hours = { mon = [["09:00", "12:00"], ["13:00", "17:00"]], tue = [["09:00", "12:00"], ["13:00", "17:00"]] }
holidays_ics = "br.ics"

[calendars.always]
tz = "UTC"
always_open = true

[[priorities]]
name = "P1"
description = { en = "Urgent", pt-BR = "Urgente" }

[[priorities]]
name = "P3"
description = "Medium"

[[categories]]
key = "billing"
name = { en = "Billing", pt-BR = "Cobrança" }
group = "Billing"

[plans.premium]
name = "Premium"
features = ["chat", "tam"]

[pause]
statuses = ["pending_customer"]

[[targets]]
target = "first_response"
within = "24h"
calendar = "always"
when = { channel = ["email", "web"] }

[[targets]]
target = "first_response"
within = "30m"
calendar = "always"
when = { plan = "premium" }

[[targets]]
target = "resolution"
within = "1d"
calendar = "business"

[[exemptions]]
targets = ["resolution"]
when = { tag = ["Third_Party"] }

[[warnings]]
before = "30m"

[[escalations]]
targets = ["resolution"]
raise_priority = 1
group = "All teams"
notify = ["group", "ops@example.com"]

[automations]
)";

// The least a policy holds (nine lines), for tests that add one section to it.
const std::string kMinimal = R"(name = "X"
default_priority = "P1"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
)";

TEST(Policy, ParsesEveryPart) {
  auto p = ParsePolicy(kGood, "example.toml",
                       Files({{"br.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\n"
                                         "END:VEVENT\r\nEND:VCALENDAR\r\n"}}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "Example");
  EXPECT_EQ(p->catalog.priorities.Names(), "P1, P3");
  EXPECT_EQ(p->catalog.priorities.default_name, "P3");
  EXPECT_EQ(core::TextFor(p->catalog.priorities.levels[0].descriptions, "pt-BR"), "Urgente");
  EXPECT_EQ(p->catalog.categories.at(0).group, "Billing");
  EXPECT_TRUE(p->FindPlan("premium")->chat);
  EXPECT_FALSE(p->FindPlan("premium")->customer_escalation);
  EXPECT_EQ(p->calendar_specs.at("business").holidays.size(), 1u);
  EXPECT_EQ(p->CalendarOf(p->targets[2]).DayLength(), std::chrono::hours(7));
  EXPECT_EQ(p->targets[2].within, std::chrono::hours(7));
  EXPECT_EQ(p->pause_statuses, std::vector<core::Status>{core::Status::kPendingCustomer});
  EXPECT_EQ(p->pause_targets.size(), 3u);
  EXPECT_EQ(p->warnings.at(0).targets.size(), 3u);
  EXPECT_EQ(p->escalations.at(0).actions.raise_priority, 1);
  EXPECT_EQ(p->source, kGood);
}

TEST(Policy, NamesPerLanguage) {
  auto p = ParsePolicy(R"(name = { en = "Support", pt-BR = "Suporte" }
description = "Around the clock."
default_priority = "P1"
[calendars.always]
name = { en = "Around the clock", pt-BR = "24 horas" }
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "Support");
  EXPECT_EQ(core::TextFor(p->names, "pt-BR"), "Suporte");
  EXPECT_EQ(p->description, "Around the clock.");
  EXPECT_EQ(core::TextFor(p->calendar_names.at("always"), "pt-BR"), "24 horas");
  auto bad = ParsePolicy("name = { en = 1 }\ndefault_priority = \"P1\"\n[calendars.a]\ntz = \"UTC\"\nalways_open = true\n[[priorities]]\nname = \"P1\"\ndescription = \"d\"\n",
                         "p.toml", Files({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "p.toml:1: name.en");
}

TEST(Policy, VisibilityMarksTagsAndFieldsInternal) {
  auto p = ParsePolicy(kMinimal + R"([visibility]
internal_tags = ["VIP", "churn-*"]
internal_fields = ["mrr"]
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto& c = p->catalog;
  EXPECT_TRUE(c.IsInternalTag("vip"));
  EXPECT_TRUE(c.IsInternalTag("churn-risk"));
  EXPECT_FALSE(c.IsInternalTag("churn"));
  EXPECT_FALSE(c.IsInternalTag("email"));
  EXPECT_TRUE(c.IsInternalField("mrr"));
  EXPECT_FALSE(c.IsInternalField("project"));
}

TEST(Policy, RoutingHasDefaultsAndPerGroupOverrides) {
  auto p = ParsePolicy(kMinimal + R"([routing]
mode = "round_robin"
capacity = 8
by_language = false
specialists = ["Database", " Usability "]
[routing.groups."Tier 2"]
mode = "least_loaded"
[routing.groups.Finance]
capacity = 3
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto& r = p->routing;
  EXPECT_TRUE(r.Automatic());
  EXPECT_FALSE(r.by_language);
  EXPECT_EQ(r.For("L1").mode, core::RoutingMode::kRoundRobin);
  EXPECT_EQ(r.For("L1").capacity, 8);
  EXPECT_EQ(r.For("tier 2").mode, core::RoutingMode::kLeastLoaded);
  EXPECT_EQ(r.For("Tier 2").capacity, 8) << "a group's table keeps the defaults it does not override";
  EXPECT_EQ(r.For("finance").mode, core::RoutingMode::kRoundRobin);
  EXPECT_EQ(r.For("finance").capacity, 3);
  EXPECT_TRUE(r.IsSpecialist("database"));
  EXPECT_TRUE(r.IsSpecialist("USABILITY"));
  EXPECT_FALSE(r.IsSpecialist("Tier 2"));

  auto none = ParsePolicy(kMinimal, "p.toml", Files({}));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->routing.Automatic()) << "without [routing] every group is manual";
  EXPECT_EQ(none->routing.For("anything").mode, core::RoutingMode::kManual);
}

TEST(Policy, OutcomesAndSurveys) {
  auto none = ParsePolicy(kMinimal, "p.toml", Files({}));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->catalog.outcomes.required);
  EXPECT_TRUE(none->catalog.outcomes.Offers(core::Resolution::kUnsupported));
  EXPECT_EQ(none->catalog.outcomes.TextFor(core::Resolution::kThirdParty, "es"),
            "Interviene un producto de terceros; póngase en contacto con su proveedor para obtener más ayuda.");
  EXPECT_FALSE(none->surveys.Offered(false));

  auto p = ParsePolicy(kMinimal + R"([outcomes]
required = true
resolutions = ["fixed", "feature_request", "cannot_reproduce", "third_party"]
[outcomes.texts]
feature_request = { en = "Your request is on our product roadmap.", pt-BR = "Sua solicitação entrou no nosso roadmap." }
[surveys]
after_auto_close = true
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto& o = p->catalog.outcomes;
  EXPECT_TRUE(o.required);
  EXPECT_EQ(o.OfferedNames(), "fixed, feature_request, cannot_reproduce, third_party");
  EXPECT_FALSE(o.Offers(core::Resolution::kAnswered));
  EXPECT_EQ(o.TextFor(core::Resolution::kFeatureRequest, "pt-BR"), "Sua solicitação entrou no nosso roadmap.");
  EXPECT_EQ(o.TextFor(core::Resolution::kFeatureRequest, "de"), "Wir haben Ihren Funktionswunsch an unser Produktteam weitergegeben.");
  EXPECT_TRUE(p->surveys.enabled);  // a [surveys] table turns them on
  EXPECT_TRUE(p->surveys.Offered(true));

  auto off = ParsePolicy(kMinimal + "[surveys]\nenabled = true\n", "p.toml", Files({}));
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->surveys.Offered(false));
  EXPECT_FALSE(off->surveys.Offered(true));
}

TEST(Policy, StatusRules) {
  auto none = ParsePolicy(kMinimal, "p.toml", Files({}));
  ASSERT_TRUE(none.ok());
  EXPECT_DOUBLE_EQ(none->status.target_percent, 99.0);
  EXPECT_DOUBLE_EQ(none->status.partial_weight, 1.0);
  EXPECT_EQ(none->status.time_zone, "UTC");
  EXPECT_EQ(none->status.line, 0);
  auto p = ParsePolicy(kMinimal + R"([status]
target = 99.4
partial_weight = 0.5
time_zone = "America/Sao_Paulo"
targets = { api = 99.9, web = 99 }
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_DOUBLE_EQ(p->status.target_percent, 99.4);
  EXPECT_DOUBLE_EQ(p->status.partial_weight, 0.5);
  EXPECT_EQ(p->status.time_zone, "America/Sao_Paulo");
  EXPECT_DOUBLE_EQ(p->status.TargetFor("api"), 99.9);
  EXPECT_DOUBLE_EQ(p->status.TargetFor("web"), 99.0);
  EXPECT_DOUBLE_EQ(p->status.TargetFor("mail"), 99.4);
  EXPECT_EQ(p->status.line, 9);
}

TEST(Policy, FirstMatchInFileOrderWins) {
  auto p = ParsePolicy(kGood, "example.toml", Files({{"br.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                                                                  "DTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}}));
  ASSERT_TRUE(p.ok());
  TicketFacts premium_by_email{"premium", "P1", core::Channel::kEmail, "Acme", "", {}};
  EXPECT_EQ(p->RuleFor(Target::kFirstResponse, premium_by_email)->within_text, "24h");  // the channel rule comes first
  TicketFacts premium_by_chat{"premium", "P1", core::Channel::kChat, "Acme", "", {}};
  EXPECT_EQ(p->RuleFor(Target::kFirstResponse, premium_by_chat)->within_text, "30m");
  TicketFacts basic_by_chat{"basic", "P1", core::Channel::kChat, "Acme", "", {}};
  EXPECT_EQ(p->RuleFor(Target::kFirstResponse, basic_by_chat), nullptr);
  EXPECT_NE(p->RuleFor(Target::kResolution, basic_by_chat), nullptr);
  TicketFacts meta{"premium", "P1", core::Channel::kChat, "Acme", "", {"third_party"}};
  EXPECT_TRUE(p->Exempt(Target::kResolution, meta));
  EXPECT_FALSE(p->Exempt(Target::kFirstResponse, meta));
}

TEST(Policy, CategoryDetails) {
  auto p = ParsePolicy(kMinimal + R"([[categories]]
key = "projects"
name = "Projects"
details = [
  { key = "project_number", name = { en = "Project number", pt-BR = "Número do projeto" }, kind = "number" },
  { key = "steps_taken", name = "Steps taken", required = false },
  { key = "screenshots", name = "Screenshots", kind = "attachment" },
]
[[categories]]
key = "billing"
name = "Billing"
)", "p.toml", Files({}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto& details = p->catalog.categories.at(0).details;
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0].key, "project_number");
  EXPECT_EQ(details[0].name, "Project number");
  EXPECT_EQ(core::TextFor(details[0].names, "pt-BR"), "Número do projeto");
  EXPECT_EQ(details[0].kind, core::DetailKind::kNumber);
  EXPECT_TRUE(details[0].required);
  EXPECT_EQ(details[1].kind, core::DetailKind::kText);
  EXPECT_FALSE(details[1].required);
  EXPECT_EQ(details[2].kind, core::DetailKind::kAttachment);
  EXPECT_TRUE(p->catalog.categories.at(1).details.empty());
}

// Each mistake is reported with its line and key.
TEST(Policy, ErrorsNameLineAndKey) {
  const std::string& base = kMinimal;
  struct Case {
    const char* name;
    std::string extra;
    const char* where;  // expected "file:line: key"
  };
  const Case cases[] = {
      {"unknown key in a priority", "sla = 1\n", "p.toml:9: priorities[1].sla"},
      {"unknown calendar", "[[targets]]\ntarget = \"resolution\"\nwithin = \"4h\"\ncalendar = \"business\"\n", "p.toml:12: targets[1].calendar"},
      {"bad duration", "[[targets]]\ntarget = \"resolution\"\nwithin = \"4 hours\"\n", "p.toml:11: targets[1].within"},
      {"bad target", "[[targets]]\ntarget = \"reply\"\nwithin = \"4h\"\n", "p.toml:10: targets[1].target"},
      {"unknown plan", "[[targets]]\ntarget = \"resolution\"\nwithin = \"4h\"\nwhen = { plan = [\"gold\"] }\n", "p.toml:12: targets[1].when.plan"},
      {"unknown priority", "[[targets]]\ntarget = \"resolution\"\nwithin = \"4h\"\nwhen = { priority = \"P9\" }\n", "p.toml:12: targets[1].when.priority"},
      {"bad channel", "[[targets]]\ntarget = \"resolution\"\nwithin = \"4h\"\nwhen = { channel = \"fax\" }\n", "p.toml:12: targets[1].when.channel"},
      {"bad pause", "[pause]\nstatuses = [\"open\"]\n", "p.toml:10: pause.statuses"},
      {"bad feature", "[plans.gold]\nfeatures = [\"champagne\"]\n", "p.toml:10: plans.gold.features"},
      {"exemption without condition", "[[exemptions]]\ntargets = [\"resolution\"]\n", "p.toml:9: exemptions[1].when"},
      {"bad webhook", "[[escalations]]\nwebhook = \"ftp://x\"\n", "p.toml:10: escalations[1].webhook"},
      {"bad hours", "[calendars.biz]\ntz = \"UTC\"\nhours = { mon = [[\"9am\", \"5pm\"]] }\n", "p.toml:11: calendars.biz.hours.mon"},
      {"unknown zone", "[calendars.biz]\ntz = \"Mars/Base\"\nhours = { mon = [[\"09:00\", \"17:00\"]] }\n", "p.toml:9: calendars.biz"},
      {"missing ics", "[calendars.biz]\ntz = \"UTC\"\nalways_open = true\nholidays_ics = \"nope.ics\"\n", "p.toml:12: calendars.biz.holidays_ics"},
      {"star inside a tag", "[visibility]\ninternal_tags = [\"in*ternal\"]\n", "p.toml:10: visibility.internal_tags"},
      {"star in a field", "[visibility]\ninternal_fields = [\"mrr*\"]\n", "p.toml:10: visibility.internal_fields"},
      {"unknown visibility key", "[visibility]\nhidden = [\"x\"]\n", "p.toml:10: visibility.hidden"},
      {"unknown routing mode", "[routing]\nmode = \"random\"\n", "p.toml:10: routing.mode"},
      {"negative capacity", "[routing]\ncapacity = -1\n", "p.toml:10: routing.capacity"},
      {"routing by_language not a boolean", "[routing]\nby_language = \"yes\"\n", "p.toml:10: routing.by_language"},
      {"unknown key in a group's routing", "[routing.groups.L1]\nmode = \"round_robin\"\nweight = 2\n", "p.toml:11: routing.groups.L1.weight"},
      {"required not a boolean", "[outcomes]\nrequired = \"yes\"\n", "p.toml:10: outcomes.required"},
      {"unknown resolution", "[outcomes]\nresolutions = [\"fixed\", \"roadmap\"]\n", "p.toml:10: outcomes.resolutions"},
      {"resolution twice", "[outcomes]\nresolutions = [\"fixed\", \"fixed\"]\n", "p.toml:10: outcomes.resolutions"},
      {"text of an unknown resolution", "[outcomes.texts]\nroadmap = \"On the roadmap.\"\n", "p.toml:10: outcomes.texts.roadmap"},
      {"unknown outcomes key", "[outcomes]\noptional = true\n", "p.toml:10: outcomes.optional"},
      {"unknown surveys key", "[surveys]\nafter_close = true\n", "p.toml:10: surveys.after_close"},
      {"surveys enabled not a boolean", "[surveys]\nenabled = 1\n", "p.toml:10: surveys.enabled"},
      {"status target above 100", "[status]\ntarget = 100.5\n", "p.toml:10: status.target"},
      {"status target as text", "[status]\ntarget = \"99.4%\"\n", "p.toml:10: status.target"},
      {"partial weight above 1", "[status]\npartial_weight = 2\n", "p.toml:10: status.partial_weight"},
      {"unknown status zone", "[status]\ntime_zone = \"Mars/Base\"\n", "p.toml:10: status.time_zone"},
      {"component target not a slug", "[status.targets]\n\"Web UI\" = 99.4\n", "p.toml:10: status.targets.Web UI"},
      {"unknown status key", "[status]\nweight = 1\n", "p.toml:10: status.weight"},
      {"details not a list", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = \"os\"\n", "p.toml:12: categories[1].details"},
      {"unknown detail kind", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = [{ key = \"os\", name = \"OS\", kind = \"photo\" }]\n",
       "p.toml:12: categories[1].details[1].kind"},
      {"detail without a name", "[[categories]]\nkey = \"p\"\nname = \"P\"\n\n[[categories.details]]\nkey = \"os\"\n", "p.toml:13: categories[1].details[1].name"},
      {"detail key not a slug", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = [{ key = \"O S\", name = \"OS\" }]\n",
       "p.toml:12: categories[1].details[1].key"},
      {"detail twice", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = [{ key = \"os\", name = \"OS\" },\n  { key = \"os\", name = \"OS\" }]\n",
       "p.toml:13: categories[1].details[2].key"},
      {"detail required not a boolean", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = [{ key = \"os\", name = \"OS\", required = \"no\" }]\n",
       "p.toml:12: categories[1].details[1].required"},
      {"unknown detail key", "[[categories]]\nkey = \"p\"\nname = \"P\"\ndetails = [{ key = \"os\", name = \"OS\", size = 3 }]\n",
       "p.toml:12: categories[1].details[1].size"},
  };
  for (const auto& c : cases) {
    auto p = ParsePolicy(base + c.extra, "p.toml", Files({}));
    ASSERT_FALSE(p.ok()) << c.name;
    ASSERT_FALSE(p.error().fields.empty()) << c.name;
    EXPECT_EQ(p.error().fields[0].field, c.where) << c.name << ": " << p.error().message;
    EXPECT_FALSE(p.error().fields[0].message.empty()) << c.name;
  }
  auto top = ParsePolicy("sla = 1\n" + base, "p.toml", Files({}));
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().fields.at(0).field, "p.toml:1: sla");
  auto syntax = ParsePolicy("name = \n", "p.toml", Files({}));
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().message.rfind("p.toml:1:", 0), 0u) << syntax.error().message;
  auto no_default = ParsePolicy("name = \"X\"\n[calendars.a]\ntz = \"UTC\"\nalways_open = true\n[[priorities]]\nname = \"1\"\ndescription = \"d\"\n",
                                "p.toml", Files({}));
  ASSERT_FALSE(no_default.ok());
  EXPECT_NE(no_default.error().message.find("default_priority"), std::string::npos);
}

}  // namespace
}  // namespace chamado::sla
