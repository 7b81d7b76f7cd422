// libFuzzer target: request bodies as the API's handlers read them, without the server.
// Input: a JSON body, read the way a ticket is created (ParseJsonObject, then Fields over
// POST /api/v1/tickets' keys, a nested requester, custom fields, and the other readers); or, when its first line is a
// multipart/form-data Content-Type, the rest as an upload (ParseMultipart).
// Checks, beyond not crashing:
// - JSON: a body read as an object serializes to JSON that reads back equal (doubles within
//   an ulp or so); every refusal names fields and says sentences in valid UTF-8, and its
//   problem response is valid JSON;
//   custom fields keep each value's type;
// - multipart: every part's data lies inside the body; a file's name is already sanitized
//   (no path, no control characters, at most 200 bytes, sanitizing it again changes nothing);
//   the first plain field of a name is what FormField returns.
// Build and run: ./scripts/fuzz body [seconds].
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.h"
#include "http/json_in.h"
#include "http/multipart.h"
#include "http/problem.h"

namespace {

using namespace chamado;
using namespace chamado::http;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Equal JSON, but for the last bits of a double: Boost.JSON (1.81) reads long numbers with
// fast, not always correctly rounded, arithmetic, so a double may come back an ulp away.
bool Same(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.as_double(), y = b.as_double();
    return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.is_object() && b.is_object()) {
    if (a.as_object().size() != b.as_object().size()) return false;
    for (const auto& kv : a.as_object()) {
      const auto* other = b.as_object().if_contains(kv.key());
      if (!other || !Same(kv.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.as_array().size() != b.as_array().size()) return false;
    for (size_t i = 0; i < a.as_array().size(); ++i)
      if (!Same(a.as_array()[i], b.as_array()[i])) return false;
    return true;
  }
  return a == b;
}

void CheckProblem(const Error& e) {
  Check(IsValidUtf8(e.message));
  for (const auto& f : e.fields) Check(IsValidUtf8(f.field) && !f.message.empty() && IsValidUtf8(f.message));
  for (const char* language : {"en", "pt-BR", "ru"}) {
    const Response r = ProblemResponse(e, "/api/v1/tickets", language);
    boost::system::error_code ec;
    const json::value v = json::parse(r.body, ec);
    Check(!ec && v.is_object() && v.as_object().contains("status"));
  }
}

void ReadTicket(const json::object& o) {
  // The keys and bounds of POST /api/v1/tickets (api_tickets.cc, TicketFromJson).
  Fields f(o, {"subject", "description", "requester", "priority", "channel", "category", "tags", "custom_fields", "group_id",
               "assignee_id"});
  f.Require("subject", "a short summary of the request");
  f.Require("description", "what happened and what you need");
  (void)f.Str("subject", 4000);
  (void)f.Str("description", SIZE_MAX);
  (void)f.Str("priority", 64);
  (void)f.Str("category", 64);
  (void)f.StrList("tags", 50);
  (void)f.Str("channel", 32);
  (void)f.Int("group_id");
  (void)f.Int("assignee_id");
  // And the readers other routes use.
  (void)f.NullableInt("assignee_id");
  (void)f.NullableStr("category", 64);
  (void)f.IntList("group_id", 10);
  (void)f.Bool("channel");
  if (const auto* r = f.Raw("requester"); r && !r->is_null()) {
    if (r->is_object()) {
      Fields rf(r->as_object(), {"email", "name"}, "requester");
      (void)rf.Str("email", 320);
      (void)rf.Str("name", 200);
      if (auto e = rf.Finish(); !e.ok()) {
        CheckProblem(e.error());
        f.Merge(e.error().fields);
      }
    } else {
      f.Fail("requester", "requester must be an object.");
    }
  }
  if (const auto* c = f.Raw("custom_fields"); c && !c->is_null()) {
    auto fields = ParseCustomFields(*c);
    if (!fields.ok()) {
      CheckProblem(fields.error());
    } else {
      Check(fields->size() == c->as_object().size());
      for (const auto& cf : *fields) {
        const json::value& v = c->as_object().at(cf.key);
        Check(v.is_bool() || v.is_int64() || v.is_double() || v.is_string());
      }
    }
  }
  if (auto e = f.Finish(); !e.ok()) {
    Check(!e.error().fields.empty());
    CheckProblem(e.error());
  }
}

void ReadJson(std::string_view body) {
  Request req;
  req.method = "POST";
  req.headers = {{"content-type", "application/json; charset=utf-8"}};
  req.body = std::string(body);
  auto o = ParseJsonObject(req);
  if (!o.ok()) {
    CheckProblem(o.error());
    return;
  }
  const std::string text = json::serialize(*o);
  boost::system::error_code ec;
  const json::value back = json::parse(text, ec);
  Check(!ec && Same(back, json::value(*o)));
  ReadTicket(*o);
}

void ReadMultipart(std::string_view content_type, std::string_view body) {
  auto parts = ParseMultipart(content_type, body);
  if (!parts.ok()) {
    CheckProblem(parts.error());
    return;
  }
  for (const auto& p : *parts) {
    Check(p.data.data() >= body.data() && p.data.data() + p.data.size() <= body.data() + body.size());
    if (p.is_file) {
      Check(!p.filename.empty() && p.filename.size() <= 200 && IsValidUtf8(p.filename) && SanitizeFilename(p.filename) == p.filename);
      for (unsigned char c : p.filename) Check(c >= 0x20 && c != 0x7f && c != '/' && c != '\\');
    }
    if (!p.is_file) {
      auto first = FormField(*parts, p.name);
      Check(first.has_value());
      for (const auto& q : *parts)
        if (!q.is_file && q.name == p.name) {
          Check(*first == q.data);
          break;
        }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view first_line = input.substr(0, newline);
  if (newline != std::string_view::npos && IsMultipartForm(first_line)) ReadMultipart(first_line, input.substr(newline + 1));
  else ReadJson(input);
  return 0;
}
