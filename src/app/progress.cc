#include "app/progress.h"

#include <unistd.h>

#include <cstdio>

namespace chamado::app {

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

Progress::Progress(std::string what, std::string unit, int64_t total)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      total_(total),
      terminal_(::isatty(STDOUT_FILENO) == 1),
      started_(std::chrono::steady_clock::now()),
      printed_(started_) {}

void Progress::Update(int64_t done) {
  const auto now = std::chrono::steady_clock::now();
  if (now - printed_ < (terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(10000))) return;
  printed_ = now;
  Print(done, false);
}

void Progress::Finish(int64_t done) { Print(done, true); }

void Progress::Print(int64_t done, bool final) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string line = what_ + ": " + Thousands(done);
  if (total_ > 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * double(done) / double(total_));
    line += " / " + Thousands(total_) + " " + unit_ + " (" + pct + ", ";
  } else {
    line += " " + unit_ + " (";
  }
  line += Thousands(seconds > 0 ? int64_t(double(done) / seconds) : 0) + "/s)";
  if (final) {
    char took[32];
    std::snprintf(took, sizeof took, " in %.1f s", seconds);
    line += took;
  }
  if (terminal_) std::printf("\r%s\033[K%s", line.c_str(), final ? "\n" : "");
  else std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace chamado::app
