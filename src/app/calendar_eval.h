// `chamado calendar eval`: the JSON-lines interface of ../shared/spec/business-time.md.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sla/calendar.h"

namespace chamado::app {

// A calendar written as a line's "calendar" object ({"tz": ..., "hours": {...}, ...}, the
// spec's format), or the sentence `calendar eval` answers for it.
Result<sla::CalendarSpec> ParseCalendarJson(std::string_view json_text);

// Evaluates one input line; returns the output line (without newline). Never throws.
class CalendarEvaluator {
 public:
  CalendarEvaluator();
  ~CalendarEvaluator();
  std::string EvalLine(std::string_view line);

 private:
  struct Cache;
  Cache* cache_;
};

// Reads every line of `in`, writes one line per input line to `out`, in order.
void RunCalendarEval(std::istream& in, std::ostream& out);

}  // namespace chamado::app
