#include "help/images.h"

#include "core/text.h"
#include "search/analyzer.h"

namespace chamado::help {
namespace {

std::string_view ExtensionOf(std::string_view media_type) {
  if (media_type == "image/png") return ".png";
  if (media_type == "image/jpeg") return ".jpg";
  if (media_type == "image/gif") return ".gif";
  if (media_type == "image/webp") return ".webp";
  return "";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Where the code span that starts at `at` (a run of backticks) ends: after its closing run,
// or npos when it is not closed on this line.
size_t CodeSpanEnd(std::string_view line, size_t at) {
  size_t run = 0;
  while (at + run < line.size() && line[at + run] == '`') ++run;
  const std::string fence(run, '`');
  size_t from = at + run;
  while (true) {
    const size_t close = line.find(fence, from);
    if (close == std::string_view::npos) return std::string_view::npos;
    size_t after = close + run;
    if (after < line.size() && line[after] == '`') {
      while (after < line.size() && line[after] == '`') ++after;
      from = after;
      continue;
    }
    return after;
  }
}

}  // namespace

std::string_view SniffImageType(std::string_view d) {
  if (d.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (d.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (d.starts_with("GIF87a") || d.starts_with("GIF89a")) return "image/gif";
  if (d.size() >= 12 && d.starts_with("RIFF") && d.substr(8, 4) == "WEBP") return "image/webp";
  return "";
}

std::string ImageFileName(std::string_view name, std::string_view media_type) {
  if (const size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const std::string folded = search::Fold(name);
  std::string out;
  for (char c : folded) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (ok) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(out.begin());
  std::string_view ext = ExtensionOf(media_type);
  const size_t dot = out.rfind('.');
  std::string stem = dot == std::string::npos ? out : out.substr(0, dot);
  const std::string given = dot == std::string::npos ? "" : out.substr(dot);
  if (given == ext || (ext == ".jpg" && given == ".jpeg")) ext = given;
  while (!stem.empty() && (stem.back() == '-' || stem.back() == '.')) stem.pop_back();
  if (stem.empty()) stem = "image";
  if (stem.size() + ext.size() > 100) stem.resize(100 - ext.size());
  return stem + std::string(ext);
}

std::string ImageUrl(int64_t id, std::string_view filename) {
  return std::string(kImageUrlPrefix) + std::to_string(id) + "/" + std::string(filename);
}

std::optional<int64_t> ImageIdOfUrl(std::string_view url) {
  if (!url.starts_with(kImageUrlPrefix)) return std::nullopt;
  url.remove_prefix(kImageUrlPrefix.size());
  const size_t slash = url.find('/');
  if (slash == std::string_view::npos || slash + 1 == url.size()) return std::nullopt;
  return ParseId(url.substr(0, slash));
}

std::vector<int64_t> ImageIdsMentioned(std::string_view text) {
  std::vector<int64_t> out;
  for (size_t at = text.find(kImageUrlPrefix); at != std::string_view::npos; at = text.find(kImageUrlPrefix, at + 1)) {
    size_t digits = at + kImageUrlPrefix.size();
    const size_t first = digits;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == first || digits == text.size() || text[digits] != '/') continue;
    if (auto id = ParseId(text.substr(first, digits - first))) out.push_back(*id);
  }
  return out;
}

std::vector<ImageRef> ImageRefs(std::string_view md) {
  std::vector<ImageRef> out;
  std::string fence;  // the fence of the code block we are in, if any
  int line_no = 0;
  size_t at = 0;
  while (at < md.size()) {
    size_t end = md.find('\n', at);
    if (end == std::string_view::npos) end = md.size();
    const std::string_view line = md.substr(at, end - at);
    const size_t line_at = at;
    at = end + 1;
    ++line_no;
    const std::string_view trimmed = Trim(line);
    if (!fence.empty()) {
      if (trimmed.starts_with(fence)) fence.clear();
      continue;
    }
    if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
      fence = std::string(trimmed.substr(0, 3));
      continue;
    }
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '`') {
        const size_t after = CodeSpanEnd(line, i);
        if (after == std::string_view::npos) break;
        i = after - 1;
        continue;
      }
      if (line[i] != '!' || i + 1 >= line.size() || line[i + 1] != '[') continue;
      const size_t close = line.find("](", i + 2);
      if (close == std::string_view::npos) break;
      size_t t = close + 2;
      while (t < line.size() && line[t] == ' ') ++t;
      size_t t_end;
      size_t begin = t;
      if (t < line.size() && line[t] == '<') {
        begin = t + 1;
        t_end = line.find('>', begin);
        if (t_end == std::string_view::npos) continue;
      } else {
        int depth = 0;
        t_end = t;
        while (t_end < line.size() && line[t_end] != ' ' && !(line[t_end] == ')' && depth == 0)) {
          if (line[t_end] == '(') ++depth;
          if (line[t_end] == ')') --depth;
          ++t_end;
        }
        if (t_end >= line.size()) continue;
      }
      if (t_end == begin) continue;
      out.push_back({line_no, line_at + begin, line_at + t_end, std::string(line.substr(begin, t_end - begin))});
      i = t_end;
    }
  }
  return out;
}

bool IsRelativeTarget(std::string_view t) {
  if (t.empty() || t.front() == '/' || t.front() == '#' || t.front() == '\\') return false;
  // A scheme: letters, digits, '+', '-', '.' before the first ':' (and before any '/').
  const size_t colon = t.find(':');
  if (colon != std::string_view::npos && colon < t.find('/')) return false;
  return true;
}

std::string TargetPath(std::string_view t) {
  t = t.substr(0, t.find_first_of("?#"));
  std::string out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '%' && i + 2 < t.size() && HexValue(t[i + 1]) >= 0 && HexValue(t[i + 2]) >= 0) {
      out += char(HexValue(t[i + 1]) * 16 + HexValue(t[i + 2]));
      i += 2;
    } else {
      out += t[i];
    }
  }
  return out;
}

std::string ReplaceTargets(std::string_view md, const std::vector<ImageRef>& refs, const std::vector<std::string>& targets) {
  std::string out;
  size_t at = 0;
  for (size_t i = 0; i < refs.size() && i < targets.size(); ++i) {
    out.append(md.substr(at, refs[i].begin - at));
    out += targets[i];
    at = refs[i].end;
  }
  out.append(md.substr(at));
  return out;
}

}  // namespace chamado::help
