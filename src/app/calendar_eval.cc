#include "app/calendar_eval.h"

#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "sla/calendar.h"

namespace chamado::app {
namespace json = boost::json;
using sla::Calendar;

struct CalendarEvaluator::Cache {
  std::unordered_map<std::string, std::shared_ptr<const Calendar>> calendars;
};

CalendarEvaluator::CalendarEvaluator() : cache_(new Cache) {}
CalendarEvaluator::~CalendarEvaluator() { delete cache_; }

namespace {

struct LineError {
  std::string message;
};

const char* kDayKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string Str(const json::value& v, const std::string& what) {
  if (!v.is_string()) throw LineError{what + " must be a string."};
  return std::string(v.as_string());
}

sla::CalendarSpec ParseSpec(const json::object& o) {
  sla::CalendarSpec s;
  for (const auto& kv : o) {
    const std::string_view k = kv.key();
    if (k != "tz" && k != "hours" && k != "holidays" && k != "breaks" && k != "always_open" && k != "day_length")
      throw LineError{"Unknown calendar key \"" + std::string(k) + "\"; use tz, hours, holidays, breaks, always_open, day_length."};
  }
  const auto* tz = o.if_contains("tz");
  if (!tz) throw LineError{"The calendar has no tz; give an IANA time zone such as \"America/Sao_Paulo\"."};
  s.tz = Str(*tz, "calendar.tz");
  if (const auto* ao = o.if_contains("always_open")) {
    if (!ao->is_bool()) throw LineError{"calendar.always_open must be true or false."};
    s.always_open = ao->as_bool();
  }
  if (const auto* hours = o.if_contains("hours")) {
    if (!hours->is_object()) throw LineError{"calendar.hours must be an object such as {\"mon\": [[\"09:00\", \"17:00\"]]}."};
    for (const auto& kv : hours->as_object()) {
      int day = -1;
      for (int d = 0; d < 7; ++d)
        if (kv.key() == kDayKeys[d]) day = d;
      if (day < 0) throw LineError{"Unknown day \"" + std::string(kv.key()) + "\" in calendar.hours; use mon, tue, wed, thu, fri, sat, sun."};
      if (!kv.value().is_array()) throw LineError{"calendar.hours." + std::string(kv.key()) + " must be a list of [\"HH:MM\", \"HH:MM\"] pairs."};
      for (const auto& iv : kv.value().as_array()) {
        if (!iv.is_array() || iv.as_array().size() != 2)
          throw LineError{"calendar.hours." + std::string(kv.key()) + " must be a list of [\"HH:MM\", \"HH:MM\"] pairs."};
        const std::string a = Str(iv.as_array()[0], "An interval start"), b = Str(iv.as_array()[1], "An interval end");
        auto sa = sla::ParseClock(a), sb = sla::ParseClock(b);
        if (!sa || !sb || *sa == 1440)
          throw LineError{"The interval [\"" + a + "\", \"" + b + "\"] on " + std::string(kv.key()) + " is not two times between 00:00 and 24:00."};
        s.hours[size_t(day)].push_back({*sa, *sb});
      }
    }
  } else if (!s.always_open) {
    throw LineError{"The calendar has neither hours nor always_open: true."};
  }
  if (const auto* h = o.if_contains("holidays")) {
    if (!h->is_array()) throw LineError{"calendar.holidays must be a list of dates such as \"2026-12-25\"."};
    for (const auto& d : h->as_array()) {
      const std::string text = Str(d, "A holiday");
      auto day = sla::ParseLocalDate(text);
      if (!day) throw LineError{"The holiday \"" + text + "\" is not a date such as 2026-12-25."};
      s.holidays.push_back(*day);
    }
  }
  if (const auto* b = o.if_contains("breaks")) {
    if (!b->is_array()) throw LineError{"calendar.breaks must be a list of [start, end] local date-times."};
    for (const auto& br : b->as_array()) {
      if (!br.is_array() || br.as_array().size() != 2)
        throw LineError{"Each break must be a pair such as [\"2026-12-24T12:00\", \"2026-12-24T24:00\"]."};
      const std::string a = Str(br.as_array()[0], "A break start"), e = Str(br.as_array()[1], "A break end");
      auto ma = sla::ParseLocalDateTimeMillis(a), me = sla::ParseLocalDateTimeMillis(e);
      if (!ma || !me) throw LineError{"The break [\"" + a + "\", \"" + e + "\"] is not two local date-times such as 2026-12-24T12:00."};
      s.breaks.emplace_back(*ma / 60000, *me / 60000);
    }
  }
  if (const auto* dl = o.if_contains("day_length")) {
    const std::string text = Str(*dl, "calendar.day_length");
    auto d = sla::ParseBusinessDuration(text, sla::Millis(0));
    if (!d || text.find('d') != std::string::npos || d->count() <= 0)
      throw LineError{"calendar.day_length \"" + text + "\" must be a duration in hours or minutes, such as \"7h\"."};
    s.day_length = *d;
  }
  return s;
}

Instant ParseTime(const json::object& o, const char* key, const Calendar& cal) {
  const auto* v = o.if_contains(key);
  if (!v) throw LineError{std::string("The field \"") + key + "\" is missing."};
  const std::string text = Str(*v, key);
  // With an offset or Z: absolute. Without: local to the calendar's zone.
  if (auto abs = ParseIsoInstant(text)) return *abs;
  if (auto local = sla::ParseLocalDateTimeMillis(text)) return cal.FromLocalMillis(*local);
  throw LineError{std::string("\"") + key + "\" is not a time such as 2026-01-05T11:30:00 (local) or 2026-01-05T11:30:00-03:00."};
}

json::value Minutes(sla::Millis ms) {
  if (ms.count() % 60000 == 0) return json::value(ms.count() / 60000);
  return json::value(std::round(double(ms.count()) / 60.0) / 1000.0);
}

}  // namespace

Result<sla::CalendarSpec> ParseCalendarJson(std::string_view json_text) {
  boost::system::error_code ec;
  json::value v = json::parse(json_text, ec);
  if (ec) return Error::InvalidArgument("The calendar is not valid JSON (" + ec.message() + ").");
  if (!v.is_object()) return Error::InvalidArgument("The calendar must be a JSON object.");
  try {
    return ParseSpec(v.as_object());
  } catch (const LineError& e) {
    return Error::InvalidArgument(e.message);
  }
}

std::string CalendarEvaluator::EvalLine(std::string_view line) {
  json::object out;
  out["id"] = nullptr;
  try {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) throw LineError{"The line is not valid JSON (" + ec.message() + ")."};
    if (!v.is_object()) throw LineError{"The line must be a JSON object."};
    const auto& o = v.as_object();
    if (const auto* id = o.if_contains("id")) out["id"] = *id;
    const auto* c = o.if_contains("calendar");
    if (!c) throw LineError{"The field \"calendar\" is missing."};
    if (!c->is_object()) throw LineError{"The field \"calendar\" must be an object."};
    const std::string key = json::serialize(*c);
    std::shared_ptr<const Calendar> cal;
    if (auto it = cache_->calendars.find(key); it != cache_->calendars.end()) {
      cal = it->second;
    } else {
      auto made = Calendar::Make(ParseSpec(c->as_object()));
      if (!made.ok()) throw LineError{made.error().message};
      cal = *made;
      if (cache_->calendars.size() > 1000) cache_->calendars.clear();
      cache_->calendars.emplace(key, cal);
    }
    const auto* opv = o.if_contains("op");
    if (!opv || !opv->is_string()) throw LineError{"The field \"op\" is missing; use add, elapsed or is_open."};
    const std::string_view op = opv->as_string();
    if (op == "add") {
      const Instant start = ParseTime(o, "start", *cal);
      sla::Millis d{0};
      if (const auto* dur = o.if_contains("duration")) {
        const std::string text = Str(*dur, "duration");
        auto parsed = sla::ParseBusinessDuration(text, cal->DayLength());
        if (!parsed) throw LineError{"The duration \"" + text + "\" is not like 30m, 4h, 1d or 1h30m."};
        d = *parsed;
      } else if (const auto* dm = o.if_contains("duration_minutes")) {
        if (!dm->is_number()) throw LineError{"duration_minutes must be a number."};
        const double m = dm->to_number<double>();
        if (!(m >= 0) || m > 1e9) throw LineError{"duration_minutes must be zero or more."};
        d = sla::Millis(int64_t(std::llround(m * 60000.0)));
      } else {
        throw LineError{"The field \"duration\" (or \"duration_minutes\") is missing."};
      }
      auto due = cal->Add(start, d);
      if (!due.ok()) throw LineError{due.error().message};
      out["due"] = sla::FormatLocal(*due, cal->OffsetAt(*due));
    } else if (op == "elapsed") {
      const Instant a = ParseTime(o, "start", *cal), b = ParseTime(o, "end", *cal);
      out["minutes"] = Minutes(cal->Elapsed(a, b));
    } else if (op == "is_open") {
      out["open"] = cal->IsOpen(ParseTime(o, "at", *cal));
    } else {
      throw LineError{"Unknown op \"" + std::string(op) + "\"; use add, elapsed or is_open."};
    }
  } catch (const LineError& e) {
    json::object err;
    err["id"] = out["id"];
    err["error"] = e.message;
    return json::serialize(err);
  } catch (const std::exception& e) {
    json::object err;
    err["id"] = out["id"];
    err["error"] = std::string("The line could not be evaluated: ") + e.what();
    return json::serialize(err);
  }
  return json::serialize(out);
}

void RunCalendarEval(std::istream& in, std::ostream& out) {
  CalendarEvaluator eval;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out << eval.EvalLine(line) << '\n';
  }
  out.flush();
}

}  // namespace chamado::app
