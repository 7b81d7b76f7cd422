#include "http/multipart.h"

#include <optional>

#include "core/text.h"

namespace chamado::http {
namespace {

// The value of `param` in a header value such as `form-data; name="x"; filename="a b"`.
std::optional<std::string> HeaderParam(std::string_view value, std::string_view param) {
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = AsciiLower(Trim(value.substr(i, eq - i)));
    size_t j = eq + 1;
    std::string v;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size()) ++j;
        v += value[j++];
      }
      ++j;  // closing quote
      size_t semi = value.find(';', j);
      i = semi;
    } else {
      size_t semi = value.find(';', j);
      v = std::string(Trim(value.substr(j, semi == std::string_view::npos ? std::string_view::npos : semi - j)));
      i = semi;
    }
    if (key == param) return v;
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: UTF-8''percent-encoded.
std::optional<std::string> DecodeExtValue(std::string_view v) {
  const size_t q = v.find("''");
  if (q == std::string_view::npos || AsciiLower(v.substr(0, q)) != "utf-8") return std::nullopt;
  std::string out;
  for (size_t i = q + 2; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && HexValue(v[i + 1]) >= 0 && HexValue(v[i + 2]) >= 0) {
      out += char(HexValue(v[i + 1]) * 16 + HexValue(v[i + 2]));
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

// The HTML standard's multipart/form-data encoding escapes '"', CR and LF in names.
std::string DecodeFormEscapes(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size()) {
      const std::string_view code = v.substr(i + 1, 2);
      if (code == "22") { out += '"'; i += 2; continue; }
      if (code == "0D" || code == "0d") { out += '\r'; i += 2; continue; }
      if (code == "0A" || code == "0a") { out += '\n'; i += 2; continue; }
    }
    out += v[i];
  }
  return out;
}

}  // namespace

bool IsMultipartForm(std::string_view content_type) { return AsciiLower(content_type.substr(0, 19)) == "multipart/form-data"; }

std::string SanitizeFilename(std::string_view raw) {
  std::string_view s = raw;
  const size_t slash = s.find_last_of("/\\");
  if (slash != std::string_view::npos) s = s.substr(slash + 1);
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) continue;  // the download header escapes everything else
    out += char(c);
  }
  if (!IsValidUtf8(out)) {
    std::string ascii;
    for (unsigned char c : out) ascii += c < 0x80 ? char(c) : '_';
    out = ascii;
  }
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  std::string_view t = Trim(out);
  // No hidden files, no "..": leading dots go, and the spaces they leave in front.
  while (!t.empty() && t.front() == '.') t = Trim(t.substr(1));
  if (t.empty()) return "attachment";
  return std::string(t);
}

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  auto boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200)
    return Error::Said(ErrorCode::kInvalidArgument, "upload.no_boundary");
  const std::string delim = "--" + *boundary;
  std::vector<FormPart> parts;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return Error::Said(ErrorCode::kInvalidArgument, "upload.boundary_missing");
  pos += delim.size();
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return Error::Said(ErrorCode::kInvalidArgument, "upload.after_boundary");
    pos += 2;
    const size_t header_end = body.find("\r\n\r\n", pos);
    if (header_end == std::string_view::npos) return Error::Said(ErrorCode::kInvalidArgument, "upload.part_headers");
    std::string_view headers = body.substr(pos, header_end - pos);
    const size_t data_start = header_end + 4;
    const size_t next = body.find("\r\n" + delim, data_start);
    if (next == std::string_view::npos) return Error::Said(ErrorCode::kInvalidArgument, "upload.truncated");
    FormPart part;
    part.content_type = "text/plain";
    bool has_disposition = false;
    size_t line_start = 0;
    while (line_start <= headers.size()) {
      size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      std::string_view line = headers.substr(line_start, line_end - line_start);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        const std::string name = AsciiLower(Trim(line.substr(0, colon)));
        const std::string_view value = Trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          has_disposition = true;
          if (auto n = HeaderParam(value, "name")) part.name = *n;
          std::optional<std::string> fname;
          if (auto ext = HeaderParam(value, "filename*")) fname = DecodeExtValue(*ext);
          if (!fname) {
            fname = HeaderParam(value, "filename");
            if (fname) *fname = DecodeFormEscapes(*fname);
          }
          if (fname) {
            part.is_file = true;
            part.filename = SanitizeFilename(*fname);
          }
        } else if (name == "content-type") {
          part.content_type = AsciiLower(Trim(value.substr(0, value.find(';'))));
        }
      }
      line_start = line_end + 2;
    }
    if (!has_disposition || part.name.empty())
      return Error::Said(ErrorCode::kInvalidArgument, "upload.part_name");
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    if (parts.size() > 64) return Error::Said(ErrorCode::kInvalidArgument, "upload.too_many_parts", {{"count", "64"}});
    pos = next + 2 + delim.size();
  }
}

std::optional<std::string> FormField(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& p : parts)
    if (!p.is_file && p.name == name) return std::string(p.data);
  return std::nullopt;
}

}  // namespace chamado::http
