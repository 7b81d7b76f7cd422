#include "core/macros.h"

#include <algorithm>

#include "core/text.h"

namespace chamado::core {
namespace {

bool Known(std::string_view name) {
  return std::find(std::begin(kMacroPlaceholders), std::end(kMacroPlaceholders), name) != std::end(kMacroPlaceholders);
}

// Calls `on` with each {{...}} in `body`: its name (trimmed) and where it starts and ends.
// Returns false when a "{{" is never closed.
template <class F>
bool EachPlaceholder(std::string_view body, F on) {
  size_t at = 0;
  while ((at = body.find("{{", at)) != std::string_view::npos) {
    const size_t close = body.find("}}", at + 2);
    if (close == std::string_view::npos) return false;
    on(Trim(body.substr(at + 2, close - at - 2)), at, close + 2);
    at = close + 2;
  }
  return true;
}

}  // namespace

std::string MacroPlaceholderNames() {
  std::string out;
  for (std::string_view p : kMacroPlaceholders) {
    if (!out.empty()) out += ", ";
    out += "{{" + std::string(p) + "}}";
  }
  return out;
}

Result<void> CheckMacroBody(std::string_view body) {
  std::optional<std::string> unknown;
  const bool closed = EachPlaceholder(body, [&](std::string_view name, size_t, size_t) {
    if (!unknown && !Known(name)) unknown = std::string(name);
  });
  if (unknown)
    return Error::InvalidSaid("body", "macro.placeholder_unknown", {{"placeholder", "{{" + *unknown + "}}"}, {"accepted", MacroPlaceholderNames()}});
  if (!closed) return Error::InvalidSaid("body", "macro.placeholder_open");
  return Ok();
}

Result<void> CheckMacroFields(const MacroFields& fields, const PriorityScale& priorities) {
  if (fields.priority && !priorities.Rank(*fields.priority))
    return Error::InvalidSaid("priority", "ticket.priority_unknown", {{"value", *fields.priority}, {"accepted", priorities.Names()}});
  return Ok();
}

std::string RenderMacro(std::string_view body, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  size_t copied = 0;
  EachPlaceholder(body, [&](std::string_view name, size_t begin, size_t end) {
    if (!Known(name)) return;
    out.append(body.substr(copied, begin - copied));
    if (auto it = values.find(name); it != values.end()) out += it->second;
    copied = end;
  });
  out.append(body.substr(copied));
  return out;
}

}  // namespace chamado::core
