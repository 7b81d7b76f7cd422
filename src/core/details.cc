#include "core/details.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"

namespace chamado::core {
namespace {

const CustomField* FieldOf(const NewTicket& t, std::string_view key) {
  for (const auto& f : t.custom_fields)
    if (f.key == key) return &f;
  return nullptr;
}

bool Blank(const FieldValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s && Trim(*s).empty();
}

// A number given as a JSON number, or as text (a form sends text) that is one whole.
bool IsNumber(const FieldValue& v) {
  if (std::holds_alternative<int64_t>(v) || std::holds_alternative<double>(v)) return true;
  const auto* s = std::get_if<std::string>(&v);
  if (!s) return false;
  const std::string_view t = Trim(*s);
  double d = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  return ec == std::errc() && end == t.data() + t.size();
}

}  // namespace

std::string DetailField(const Detail& d) {
  return (d.kind == DetailKind::kAttachment ? "detail." : "custom_fields.") + d.key;
}

Result<void> CheckDetails(const Category& category, const NewTicket& ticket) {
  std::vector<FieldError> missing;
  const std::string of = " (category \"" + category.name + "\")";
  for (const auto& d : category.details) {
    if (d.kind == DetailKind::kAttachment) {
      const bool sent = std::find(ticket.detail_files.begin(), ticket.detail_files.end(), d.key) != ticket.detail_files.end();
      if (d.required && !sent) missing.push_back({DetailField(d), d.name + " is required" + of + ": attach a file."});
      continue;
    }
    const CustomField* f = FieldOf(ticket, d.key);
    if (!f || Blank(f->value)) {
      if (d.required) missing.push_back({DetailField(d), d.name + " is required" + of + "."});
    } else if (d.kind == DetailKind::kNumber && !IsNumber(f->value)) {
      missing.push_back({DetailField(d), d.name + " must be a number" + of + "."});
    }
  }
  if (missing.empty()) return Ok();
  return Error::Invalid(std::move(missing));
}

}  // namespace chamado::core
