// Canned replies ("macros"): a text an agent inserts into a reply, with placeholders filled
// from the ticket, and field changes the reply then applies. Pure: the caller gathers the
// values (names, the due time already formatted in the requester's zone and language).
//
// Placeholders are written {{name}}; the known names are kMacroPlaceholders. A body naming
// any other is refused when the macro is saved (CheckMacroBody), so rendering never meets one
// it cannot fill; a value that is missing (a ticket without a due time) renders as "".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::core {

// Every placeholder a macro body may use, as written between the braces.
inline constexpr std::string_view kMacroPlaceholders[] = {
    "customer.name",  "ticket.number", "ticket.priority", "ticket.priority_description", "ticket.due",
    "ticket.subject", "agent.name",
};
std::string MacroPlaceholderNames();  // "{{customer.name}}, {{ticket.number}}, ..."

// The fields a macro sets when the reply using it is sent. Unset members leave the field.
struct MacroFields {
  std::optional<Status> status;
  std::optional<std::string> priority;  // a name on the policy's scale
  std::vector<std::string> add_tags;    // lower case
  std::optional<Id> group_id;
};

// Invalid (field "body") naming the first placeholder that is not in kMacroPlaceholders, or
// a "{{" left unclosed.
Result<void> CheckMacroBody(std::string_view body);
// Invalid (field "priority") when the priority is not on the policy's scale.
Result<void> CheckMacroFields(const MacroFields& fields, const PriorityScale& priorities);
// The body with each {{name}} replaced by values[name] ("" when absent). Expects a body that
// passed CheckMacroBody; anything else between braces is copied as written.
std::string RenderMacro(std::string_view body, const std::map<std::string, std::string, std::less<>>& values);

}  // namespace chamado::core
