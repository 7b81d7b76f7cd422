// libFuzzer target: the policy file (TOML -> Policy with all its checks). A holidays_ics the
// policy names is read from examples/policies/ (holidays-br.ics), as `chamado policy check`
// reads files beside the policy; any other name is a missing file.
// Checks, beyond not crashing:
// - a refusal has at least one problem, each naming the file (and line) and saying a sentence,
//   all valid UTF-8;
// - a policy it accepts keeps its text as written, has a made calendar for every calendar it
//   declares, and every name the policy refers to is there: each target's calendar, the chat's
//   calendar, the default priority; each calendar opens (a due exists a week of business time
//   after 2026-01-05, and it is an open instant);
// - reading the same text again gives the same answer.
// Build and run: ./scripts/fuzz policy [seconds].
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/text.h"
#include "core/time.h"
#include "sla/policy_toml.h"

namespace {

using namespace chamado;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

Result<std::string> ReadExample(std::string_view path) {
  static const std::string holidays = [] {
    std::ifstream in(CHAMADO_EXAMPLES "/policies/holidays-br.ics", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  if (path == "holidays-br.ics") return holidays;
  return Error::NotFound("The file \"" + std::string(path) + "\" does not exist.");
}

void CheckRefusal(const Error& e) {
  Check(!e.fields.empty());
  Check(IsValidUtf8(e.message));
  for (const auto& f : e.fields)
    Check(f.field.starts_with("policy.toml") && !f.message.empty() && IsValidUtf8(f.message) && IsValidUtf8(f.field));
}

void CheckPolicy(const sla::Policy& p, std::string_view text) {
  Check(p.source == text);
  Check(p.calendars.size() == p.calendar_specs.size());
  for (const auto& [name, spec] : p.calendar_specs) {
    auto it = p.calendars.find(name);
    Check(it != p.calendars.end() && it->second != nullptr);
    const auto& cal = *it->second;
    auto due = cal.Add(*ParseIsoInstant("2026-01-05T00:00:00Z"), std::chrono::hours(7 * 24));
    if (due.ok()) Check(cal.IsOpen(*due));
  }
  for (const auto& t : p.targets) Check(p.calendars.contains(t.calendar) && t.within.count() >= 0);
  if (!p.chat.calendar.empty()) Check(p.calendars.contains(p.chat.calendar));
  const auto& scale = p.catalog.priorities;
  if (!scale.default_name.empty()) Check(scale.Rank(scale.default_name).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = sla::ParsePolicy(text, "policy.toml", ReadExample);
  auto again = sla::ParsePolicy(text, "policy.toml", ReadExample);
  Check(policy.ok() == again.ok());
  if (!policy.ok()) {
    CheckRefusal(policy.error());
    Check(policy.error().message == again.error().message && policy.error().fields.size() == again.error().fields.size());
    return 0;
  }
  CheckPolicy(*policy, text);
  Check(policy->targets.size() == again->targets.size() && policy->calendars.size() == again->calendars.size());
  return 0;
}
