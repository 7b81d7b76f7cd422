// multipart/form-data (RFC 7578) for uploads. Parts refer into the request body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chamado::http {

struct FormPart {
  std::string name;
  std::string filename;  // sanitized: no path, no control characters; empty for plain fields
  bool is_file = false;
  std::string content_type;  // as sent, lower-cased media type; "text/plain" by default
  std::string_view data;
};

// Whether a request's Content-Type header announces multipart/form-data.
bool IsMultipartForm(std::string_view content_type);

// `content_type` is the request's Content-Type header (it carries the boundary).
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

// The first plain field named `name`; none when the form has no such field.
std::optional<std::string> FormField(const std::vector<FormPart>& parts, std::string_view name);

// Keeps the last path component, drops control characters, limits to 200 bytes
// (on a UTF-8 boundary); "attachment" when nothing is left.
std::string SanitizeFilename(std::string_view raw);

}  // namespace chamado::http
