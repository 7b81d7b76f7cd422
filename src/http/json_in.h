// Reading untrusted JSON bodies: every wrong or unknown field becomes a FieldError that
// names it, and all of them are reported at once.
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "http/message.h"

namespace chamado::http {

namespace json = boost::json;

// Parses the request body as a JSON object (Content-Type must be application/json).
Result<json::object> ParseJsonObject(const Request& req);

class Fields {
 public:
  // `known`: every key the endpoint accepts; others are reported as unknown.
  Fields(const json::object& o, std::initializer_list<std::string_view> known, std::string prefix = "");

  bool Has(std::string_view key) const { return o_.contains(key); }
  bool IsNull(std::string_view key) const;
  const json::value* Raw(std::string_view key) const { return o_.if_contains(key); }

  // Absent: nullopt. Present with the wrong type: an error is recorded.
  std::optional<std::string> Str(std::string_view key, size_t max_bytes = 10000);
  std::optional<int64_t> Int(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  std::optional<std::vector<std::string>> StrList(std::string_view key, size_t max_items = 100);
  std::optional<std::vector<int64_t>> IntList(std::string_view key, size_t max_items = 100);
  // Present and null: optional(nullopt); present with a value: optional(value).
  std::optional<std::optional<int64_t>> NullableInt(std::string_view key);
  std::optional<std::optional<std::string>> NullableStr(std::string_view key, size_t max_bytes = 10000);

  void Require(std::string_view key, std::string_view what);
  void Fail(std::string_view key, std::string message);
  // The same, said with the catalog sentence `id` (core/messages.h); {field} is the key's path.
  void Say(std::string_view key, std::string_view id, core::TextArgs args = {});
  // Adds the problems the domain found in the values read here (a store command's checks),
  // each in the place of its field among the fields read, so the answer lists every
  // problem in field order; a field already refused here (a wrong type) is not refused again.
  void Merge(std::vector<FieldError> problems);
  // The recorded errors, or Ok.
  Result<void> Finish() const;

  std::string Path(std::string_view key) const;

 private:
  // The value of `key`, if any; remembers the order in which fields are read.
  const json::value* Get(std::string_view key);
  void Record(FieldError e, size_t rank);

  const json::object& o_;
  std::string prefix_;
  std::vector<std::string> read_;  // keys, in the order first read
  std::vector<FieldError> errors_;
  std::vector<size_t> ranks_;  // per error: its field's place among those read (0: unknown keys)
};

// JSON custom field values: string, integer, number or boolean.
Result<std::vector<core::CustomField>> ParseCustomFields(const json::value& v);

}  // namespace chamado::http
