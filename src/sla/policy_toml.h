// Reads a policy from TOML text. Every problem is reported with the file, the line and the
// key ("policy.toml:23: targets[2].calendar: ..."), all of them at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sla/policy.h"

namespace chamado::sla {

// Reads a file the policy refers to (holidays_ics), relative to the policy file. The edge
// provides it; tests give a map.
using PolicyFileReader = std::function<Result<std::string>(std::string_view relative_path)>;

Result<Policy> ParsePolicy(std::string_view toml_text, std::string_view source_name, const PolicyFileReader& read);

}  // namespace chamado::sla
