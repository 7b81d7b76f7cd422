#include "http/json_in.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace chamado::http {

namespace {

// Where in `v` a number lies beyond a double ("n", "a.b", "tags[2]"), if anywhere: Boost.JSON
// reads 1e400 as infinity, which it would write back as `Infinity`, not JSON.
std::optional<std::string> NumberBeyondDouble(const json::value& v, const std::string& path) {
  if (v.is_double()) return std::isfinite(v.as_double()) ? std::nullopt : std::optional<std::string>(path);
  if (v.is_array()) {
    const auto& a = v.as_array();
    for (size_t i = 0; i < a.size(); ++i)
      if (auto at = NumberBeyondDouble(a[i], path + "[" + std::to_string(i) + "]")) return at;
  }
  if (v.is_object())
    for (const auto& kv : v.as_object())
      if (auto at = NumberBeyondDouble(kv.value(), path.empty() ? std::string(kv.key()) : path + "." + std::string(kv.key())))
        return at;
  return std::nullopt;
}

}  // namespace

Result<json::object> ParseJsonObject(const Request& req) {
  std::string_view ct = req.Header("content-type");
  const std::string lower = AsciiLower(ct.substr(0, ct.find(';')));
  if (Trim(lower) != "application/json")
    return Error::Said(ErrorCode::kUnsupportedMediaType, "body.json_content_type");
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 32;
  json::value v = json::parse(req.body, ec, {}, opt);
  if (ec) return Error::Said(ErrorCode::kInvalidArgument, "body.invalid_json", {{"detail", ec.message()}});
  if (!v.is_object()) return Error::Said(ErrorCode::kInvalidArgument, "body.not_object");
  if (auto at = NumberBeyondDouble(v, "")) return Error::InvalidSaid(*at, "body.number_too_large", {{"field", *at}});
  return std::move(v.as_object());
}

Fields::Fields(const json::object& o, std::initializer_list<std::string_view> known, std::string prefix)
    : o_(o), prefix_(std::move(prefix)) {
  for (const auto& kv : o) {
    bool ok = false;
    for (auto k : known) ok = ok || kv.key() == k;
    if (!ok) {
      std::string list;
      for (auto k : known) {
        if (!list.empty()) list += ", ";
        list += k;
      }
      core::TextArgs args{{"field", Path(kv.key())}, {"accepted", list}};
      Record({Path(kv.key()), core::Say("field.unknown", args), "field.unknown", std::move(args)}, 0);
    }
  }
}

std::string Fields::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

bool Fields::IsNull(std::string_view key) const {
  const auto* v = o_.if_contains(key);
  return v && v->is_null();
}

const json::value* Fields::Get(std::string_view key) {
  if (std::find(read_.begin(), read_.end(), key) == read_.end()) read_.emplace_back(key);
  return o_.if_contains(key);
}

void Fields::Record(FieldError e, size_t rank) {
  errors_.push_back(std::move(e));
  ranks_.push_back(rank);
}

// Errors found while reading rank by the number of fields read so far, so they keep the
// order in which they were found.
void Fields::Fail(std::string_view key, std::string message) { Record({Path(key), std::move(message)}, read_.size()); }

void Fields::Say(std::string_view key, std::string_view id, core::TextArgs args) {
  args.emplace_back("field", Path(key));
  Record({Path(key), core::Say(id, args), std::string(id), std::move(args)}, read_.size());
}

void Fields::Merge(std::vector<FieldError> problems) {
  const size_t refused_here = errors_.size();
  auto refused = [&](const std::string& path) {
    for (size_t i = 0; i < refused_here; ++i)
      if (errors_[i].field == path) return true;
    return false;
  };
  for (auto& p : problems) {
    const std::string path = Path(p.field);
    if (refused(path)) continue;
    const auto at = std::find(read_.begin(), read_.end(), p.field);
    p.field = path;
    Record(std::move(p), size_t(at - read_.begin()) + 1);
  }
}

void Fields::Require(std::string_view key, std::string_view what) {
  const auto* v = Get(key);
  if (!v || v->is_null()) Say(key, "field.required", {{"what", std::string(what)}});
}

std::optional<std::string> Fields::Str(std::string_view key, size_t max_bytes) {
  const auto* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    Say(key, "field.not_string");
    return std::nullopt;
  }
  const auto& s = v->as_string();
  if (s.size() > max_bytes) {
    Say(key, "field.too_long", {{"max", std::to_string(max_bytes)}});
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<int64_t> Fields::Int(std::string_view key) {
  const auto* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= uint64_t(INT64_MAX)) return int64_t(v->as_uint64());
  if (v->is_string()) {
    // Identifiers are often sent as strings by form-driven clients.
    if (auto id = ParseId(v->as_string())) return *id;
  }
  Say(key, "field.not_integer");
  return std::nullopt;
}

std::optional<bool> Fields::Bool(std::string_view key) {
  const auto* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    Say(key, "field.not_boolean");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> Fields::StrList(std::string_view key, size_t max_items) {
  const auto* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_array()) {
    Say(key, "field.not_string_list");
    return std::nullopt;
  }
  if (v->as_array().size() > max_items) {
    Say(key, "field.too_many_items", {{"max", std::to_string(max_items)}});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string() || e.as_string().size() > 1000) {
      Say(key, "field.not_short_strings");
      return std::nullopt;
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::optional<std::vector<int64_t>> Fields::IntList(std::string_view key, size_t max_items) {
  const auto* v = Get(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items) {
    Say(key, "field.not_integer_list", {{"max", std::to_string(max_items)}});
    return std::nullopt;
  }
  std::vector<int64_t> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_int64()) {
      Say(key, "field.not_integer_list", {{"max", std::to_string(max_items)}});
      return std::nullopt;
    }
    out.push_back(e.as_int64());
  }
  return out;
}

std::optional<std::optional<int64_t>> Fields::NullableInt(std::string_view key) {
  const auto* v = Get(key);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<int64_t>();
  auto i = Int(key);
  if (!i) return std::nullopt;
  return std::optional<int64_t>(*i);
}

std::optional<std::optional<std::string>> Fields::NullableStr(std::string_view key, size_t max_bytes) {
  const auto* v = Get(key);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>();
  auto s = Str(key, max_bytes);
  if (!s) return std::nullopt;
  return std::optional<std::string>(*s);
}

Result<void> Fields::Finish() const {
  if (errors_.empty()) return Ok();
  std::vector<size_t> order(errors_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ranks_[a] < ranks_[b]; });
  std::vector<FieldError> errors;
  for (size_t i : order) errors.push_back(errors_[i]);
  return Error::Invalid(std::move(errors));
}

Result<std::vector<core::CustomField>> ParseCustomFields(const json::value& v) {
  if (!v.is_object()) return Error::InvalidSaid("custom_fields", "field.custom_fields_object");
  std::vector<core::CustomField> out;
  for (const auto& kv : v.as_object()) {
    const std::string key(kv.key());
    const auto& val = kv.value();
    if (val.is_bool()) out.push_back({key, val.as_bool()});
    else if (val.is_int64()) out.push_back({key, val.as_int64()});
    else if (val.is_uint64() || (val.is_double() && !std::isfinite(val.as_double())))
      // Beyond what a number holds here (2^63 - 1, or 1e999 read as infinity): refused, never
      // stored wrapped or as a value JSON cannot carry back.
      return Error::InvalidSaid("custom_fields." + key, "field.custom_field_number", {{"key", key}});
    else if (val.is_double()) out.push_back({key, val.as_double()});
    else if (val.is_string()) out.push_back({key, std::string(val.as_string())});
    else return Error::InvalidSaid("custom_fields." + key, "field.custom_field_type", {{"key", key}});
  }
  return out;
}

}  // namespace chamado::http
