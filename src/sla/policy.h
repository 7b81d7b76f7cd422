// A support policy as data: calendars, the ordered priority list, plans and their
// features, SLA targets chosen by match conditions, pauses, exemptions, warnings and
// escalations. Parsed from TOML (policy_toml.h), stored as its TOML text, and evaluated by
// clocks.h. Pure values.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/routing.h"
#include "sla/calendar.h"

namespace chamado::sla {

// DO NOT CHANGE THE NAMES: policies are written with them and ticket_clocks.target stores them.
enum class Target { kFirstResponse, kNextResponse, kResolution };
inline constexpr Target kTargets[] = {Target::kFirstResponse, Target::kNextResponse, Target::kResolution};
std::string_view Name(Target t);
std::optional<Target> ParseTarget(std::string_view s);

// What a policy's conditions look at.
struct TicketFacts {
  std::string plan;          // the organization's plan key; empty without one
  std::string priority;
  core::Channel channel = core::Channel::kWeb;
  std::string organization;  // the organization's name
  std::string category;
  std::vector<std::string> tags;
};

// Every listed dimension must match; within one, any listed value does. Empty matches all.
struct Conditions {
  std::vector<std::string> plans, priorities, organizations, categories, tags;
  std::vector<core::Channel> channels;
  bool Matches(const TicketFacts& f) const;
  bool empty() const;
};

struct TargetRule {
  Target target = Target::kResolution;
  std::string within_text;  // as written: "30m", "1d"
  Millis within{0};         // business time on `calendar` ("d" counts its day_length)
  std::string calendar;     // a calendar name of the policy
  Conditions when;
  int line = 0;             // where it was written, for messages
};

struct Plan {
  std::string key;  // "business_plus"
  std::string name;
  bool chat = false;
  bool customer_escalation = false;
  bool tam = false;
};

// A clock that stops: "Meta issues: no SLA".
struct Exemption {
  std::vector<Target> targets;
  Conditions when;
};

// Notice before a breach, when the remaining business time falls to `before`.
struct Warning {
  std::vector<Target> targets;
  std::string before_text;
  Millis before{0};
};

struct EscalationActions {
  int raise_priority = 0;        // levels towards the most urgent
  std::string group;             // move to this group (by name)
  std::vector<std::string> notify;  // "assignee", "group", "requester", or an email address
  std::string webhook;           // POST the event to this URL
  bool mark_escalated = true;    // raise the ticket's escalation level
};

struct Escalation {
  std::vector<Target> targets;
  Conditions when;
  EscalationActions actions;
};

// [automations.auto_close]: a ticket waiting on the customer (pending_customer) for `after`
// closes by itself, with a reminder to the requester `reminder_before` that when given.
struct AutoCloseRule {
  std::string after_text;            // as written: "48h"
  Millis after{0};                   // business time on `calendar` (real time when none)
  std::string reminder_before_text;  // as written; empty: no reminder
  std::optional<Millis> reminder_before;
  std::string calendar;              // a calendar name of the policy; empty: around the clock
  int line = 0;                      // where it was written, for messages
};

// What starts a rule ([[automations.rules]] `on`). DO NOT CHANGE THE NAMES: policies are
// written with them.
enum class RuleTrigger {
  kTime,            // the scheduler: `after` the rule's `since` instant
  kTicketCreated,   // a ticket was opened (any channel)
  kCustomerReplied, // the customer wrote (an automatic reply is not them writing)
  kAgentReplied,    // an agent's public reply
  kStatusChanged,   // the status changed (by a person, a command or the desk itself)
};
std::string_view Name(RuleTrigger t);
std::optional<RuleTrigger> ParseRuleTrigger(std::string_view s);

// The instant a time rule counts from (`since`). DO NOT CHANGE THE NAMES (as above).
enum class RuleSince {
  kCreated,        // the ticket was opened
  kStatus,         // the ticket entered its current status
  kCustomerReply,  // the customer's last message, while no agent has replied after it
  kAgentReply,     // the agent's last public reply, while the customer has not written after it
};
std::string_view Name(RuleSince s);
std::optional<RuleSince> ParseRuleSince(std::string_view s);

// What a rule looks at: the conditions targets use, and the ticket's state.
struct RuleConditions {
  Conditions facts;                      // plan, priority, channel, organization, category, tag
  std::vector<core::Status> statuses;    // any of them; empty: any
  std::vector<std::string> not_tags;     // none of them (lower case)
  std::vector<std::string> groups;       // the ticket's group by name (lower case); empty: any
  std::optional<bool> assigned;          // has an assignee, or has none; unset: either
};

// A mail the rule sends to the ticket's requester, in their language: mustache text with the
// variables of the desk's mail templates ({{{ticket.number}}}, {{{recipient.name}}}, ...).
struct RuleMail {
  core::Texts subject;
  core::Texts body;
};

// What a rule does, in this order: the ticket's fields, then notices, mail and webhook.
struct RuleActions {
  std::optional<core::Status> status;
  std::optional<core::Resolution> resolution;  // with status solved
  std::string priority;                        // empty: unchanged
  std::string group;                           // by name; empty: unchanged
  std::string assignee;                        // by email; empty: unchanged
  bool unassign = false;                       // assignee = ""
  std::vector<std::string> add_tags, remove_tags;  // lower case
  std::vector<std::string> notify;             // "assignee", "group" or an email address (staff notice)
  std::optional<RuleMail> mail;                // to the requester
  std::string webhook;                         // POST the firing to this URL
  bool changes_ticket() const {
    return status || !priority.empty() || !group.empty() || !assignee.empty() || unassign || !add_tags.empty() ||
           !remove_tags.empty();
  }
};

// [[automations.rules]]: a named rule, fired by time or by an event, when its conditions hold.
// A time rule fires once per occurrence of its `since` instant (a ticket opened, a status
// entered, a customer's unanswered message): never twice for the same one, so rules that undo
// each other cannot loop. An event rule fires once per event; the changes rules make do not
// start event rules (one level, so no chain can loop either).
struct AutomationRule {
  std::string name;  // unique in the policy; stored and shown in the ticket's history
  RuleTrigger on = RuleTrigger::kTime;
  RuleSince since = RuleSince::kCreated;  // time rules
  std::string after_text;                 // as written: "4h"
  Millis after{0};                        // business time on `calendar` (real time without one)
  std::string calendar;                   // a calendar of the policy; empty: around the clock
  RuleConditions when;
  RuleActions actions;
  int line = 0;
};

// [automations]: what the desk does by itself on the scheduler.
struct Automations {
  std::optional<AutoCloseRule> auto_close;
  std::vector<AutomationRule> rules;  // in file order: rules of one instant run in it
  bool HasTimeRules() const;
  const AutomationRule* FindRule(std::string_view name) const;
};

// How one group hands out its tickets ([routing] and [routing.groups."NAME"]).
struct GroupRouting {
  core::RoutingMode mode = core::RoutingMode::kManual;
  int capacity = 0;  // open tickets (new or open) per agent; 0: no limit. An agent's own capacity wins.
};

// [routing]: who takes new and waiting tickets (core/routing.h has the rules), which groups
// are specialists (customers see "with our specialists", never the group), and whether an
// organization's technical account manager comes first (plans with the tam feature).
struct Routing {
  GroupRouting defaults;                            // for groups not listed
  std::string group;                                // new tickets no category routes join it; empty: none
  std::map<std::string, GroupRouting> groups;       // by group name, lower case
  bool by_language = true;
  std::vector<std::string> specialists;             // group names, lower case
  int line = 0;                                     // where [routing] was written; 0: absent

  GroupRouting For(std::string_view group_name) const;
  bool IsSpecialist(std::string_view group_name) const;
  // Does any group route by itself? (Otherwise routing has nothing to do but the TAM.)
  bool Automatic() const;
};

// [surveys]: whether the customer is asked for a rating (1-5 and a comment) when their ticket
// is solved, through a signed link in the mail (core/outcomes.h holds the answer's rules).
struct SurveyRule {
  bool enabled = false;
  bool after_auto_close = false;  // also when the desk closed it by itself (auto-close)
  // Does the mail for a ticket that was solved (or auto-closed, `auto_closed`) carry the link?
  bool Offered(bool auto_closed) const { return enabled && (!auto_closed || after_auto_close); }
};

// [status]: how the status page counts uptime (status/uptime.h applies it; docs/status-page.md
// states the rules). Percentages are of time, not of checks.
struct StatusRules {
  double target_percent = 99.0;      // the availability promised per component, 0 < t < 100
  double partial_weight = 1.0;       // the share of a partial outage counted as down, 0..1 (1: as major)
  std::string time_zone = "UTC";     // IANA zone the calendar months and days are cut in
  std::map<std::string, double> component_targets;  // by component key: its own target
  int line = 0;                      // where [status] was written; 0: absent (the defaults)
  double TargetFor(std::string_view component_key) const;
};

// [chat]: live conversations (core/conversation.h, sla/live_chat.h). People take them while
// `calendar` is open (lunch breaks and holidays included); without one, around the clock.
// Plans with the chat feature may talk to a person at all.
struct LiveChatRule {
  std::string calendar;  // a calendar name of the policy; empty: always open
  int line = 0;          // where [chat] was written; 0: absent
};

struct Policy {
  std::string name;         // in English (or as written)
  std::string description;
  core::Texts names;        // per language, when the policy gives them: name = { en = ..., pt-BR = ... }
  core::Texts descriptions;
  std::map<std::string, core::Texts> calendar_names;  // [calendars.x] name, per language
  std::map<std::string, CalendarSpec> calendar_specs;
  std::map<std::string, std::shared_ptr<const Calendar>> calendars;
  core::Catalog catalog;  // the ordered priorities (with the default), the categories, [outcomes]
  std::vector<Plan> plans;
  std::vector<TargetRule> targets;  // in file order: the first match wins, per target
  std::vector<core::Status> pause_statuses;
  std::vector<Target> pause_targets;
  std::vector<Exemption> exemptions;
  std::vector<Warning> warnings;
  std::vector<Escalation> escalations;
  Automations automations;
  Routing routing;
  SurveyRule surveys;
  StatusRules status;
  LiveChatRule chat;
  std::string source;  // the TOML text it was read from (exported as is, comments and all)

  // The rule that sets `t` for a ticket with these facts: the first match in file order.
  const TargetRule* RuleFor(Target t, const TicketFacts& f) const;
  bool Exempt(Target t, const TicketFacts& f) const;
  const Plan* FindPlan(std::string_view key) const;
  const Calendar& CalendarOf(const TargetRule& r) const { return *calendars.at(r.calendar); }
};

}  // namespace chamado::sla
