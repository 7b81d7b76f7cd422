// The automation aggregate of the repository: for each ticket, what a policy automation has
// left to do and when (see store/automations.h), kept for the scheduler's index, with the one
// thing the rows alone remember: whether the current waiting period's reminder went out. Owns
// the table ticket_automations, one row per ticket and rule; and the policy's time rules'
// state, ticket_rules, one row per ticket and rule.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

class AutomationRepo {
 public:
  explicit AutomationRepo(Connection& c) : c_(c) {}

  // An automation's due instants for one ticket (UTC instants).
  struct AutomationRow {
    core::Id ticket_number = 0;
    std::string rule;  // "auto_close"
    Instant waiting_since;
    std::optional<Instant> remind_at;
    Instant close_at;
    std::optional<Instant> reminded_at;  // the reminder of this waiting period went out
    Instant next_fire_at;
  };
  Result<std::optional<AutomationRow>> AutomationRowOf(core::Id ticket_number, std::string_view rule);
  Result<void> UpsertAutomation(const AutomationRow& row);
  Result<void> DeleteAutomation(core::Id ticket_number, std::string_view rule);
  // Tickets with an automation due at or before `now`, earliest first.
  Result<std::vector<core::Id>> DueAutomationTickets(Instant now, int limit);
  Result<std::optional<Instant>> NextAutomationFire();

  // A time rule's state for one ticket (see store/rules.h): the instant it counts from, when
  // it is due (none once fired or while its conditions do not hold), and when it fired.
  struct RuleRow {
    core::Id ticket_number = 0;
    std::string rule;
    Instant anchor;
    std::optional<Instant> due_at;
    std::optional<Instant> fired_at;
    bool operator==(const RuleRow&) const = default;
  };
  Result<std::vector<RuleRow>> RuleRowsOf(core::Id ticket_number);
  Result<void> UpsertRuleRow(const RuleRow& row);
  Result<void> DeleteRuleRow(core::Id ticket_number, std::string_view rule);
  // Tickets with a rule due at or before `now`, earliest first.
  Result<std::vector<core::Id>> DueRuleTickets(Instant now, int limit);
  Result<std::optional<Instant>> NextRuleFire();

 private:
  Connection& c_;
};

}  // namespace chamado::store
