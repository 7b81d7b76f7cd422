// What this binary is: the release (CMake's project version) and, when it was built from a
// git checkout, `git describe` at configure time.
#pragma once

#include <string>

namespace chamado::app {

// "0.1.0"
std::string ReleaseVersion();
// "c1b9503" or "v0.1.0-3-gc1b9503"; empty when built outside git.
std::string GitDescribe();
// "0.1.0 (git c1b9503)", or "0.1.0" alone.
std::string VersionLine();

}  // namespace chamado::app
