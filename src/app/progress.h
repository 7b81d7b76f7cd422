// A progress line for long commands: "\rreindex: 12,345 / 1,000,000 tickets (1.2%, 8,100/s)"
// redrawn at most every 200 ms on a terminal; on anything else (a pipe, a log) one line every
// 10 seconds and at the end, so scripts and CI logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chamado::app {

class Progress {
 public:
  // `what`: "reindex"; `unit`: "tickets". `total` may be 0 when unknown.
  Progress(std::string what, std::string unit, int64_t total);
  void Update(int64_t done);
  // Prints the final line (always), ending the terminal line.
  void Finish(int64_t done);

 private:
  void Print(int64_t done, bool final);

  std::string what_, unit_;
  int64_t total_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_, printed_;
};

// 1234567 -> "1,234,567".
std::string Thousands(int64_t n);

}  // namespace chamado::app
