#include "help/article.h"

#include <algorithm>
#include <cctype>

#include "core/languages.h"
#include "core/text.h"
#include "search/analyzer.h"

namespace chamado::help {
namespace {

// A value without its trailing comment and its quotes: `"a # b"  # note` -> a # b.
Result<std::string> Value(std::string_view raw, int line) {
  raw = Trim(raw);
  if (!raw.empty() && (raw.front() == '"' || raw.front() == '\'')) {
    const char q = raw.front();
    const size_t close = raw.find(q, 1);
    if (close == std::string_view::npos)
      return Error::InvalidArgument("line " + std::to_string(line) + ": the quote opened here is not closed.");
    const auto rest = Trim(raw.substr(close + 1));
    if (!rest.empty() && rest.front() != '#')
      return Error::InvalidArgument("line " + std::to_string(line) + ": text after the closing quote; put it inside the quotes.");
    return std::string(raw.substr(1, close - 1));
  }
  for (size_t i = 0; i < raw.size(); ++i)
    if (raw[i] == '#' && (i == 0 || raw[i - 1] == ' ' || raw[i - 1] == '\t')) return std::string(Trim(raw.substr(0, i)));
  return std::string(raw);
}

Result<std::vector<std::string>> List(std::string_view raw, int line) {
  CHAMADO_ASSIGN_OR_RETURN(auto v, Value(raw, line));
  std::string_view s = Trim(v);
  if (s.empty()) return std::vector<std::string>{};
  if (s.front() != '[' || s.back() != ']')
    return Error::InvalidArgument("line " + std::to_string(line) + ": tags are a list in brackets: tags: [nfe, faturamento].");
  std::vector<std::string> out;
  s = s.substr(1, s.size() - 2);
  while (!s.empty()) {
    const size_t comma = s.find(',');
    std::string_view item = Trim(s.substr(0, comma));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') && item.back() == item.front())
      item = item.substr(1, item.size() - 2);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

bool IsArticleKey(std::string_view key) {
  return !key.empty() && key.size() <= 100 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::string Slug(std::string_view text) {
  const std::string folded = search::Fold(text);
  std::string out;
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out += char(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 80) {
    out.resize(80);
    while (!out.empty() && out.back() == '-') out.pop_back();
  }
  return out.empty() ? "article" : out;
}

Result<Article> ParseArticleFile(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a byte-order mark
  auto next_line = [&](size_t& at) {
    const size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  size_t at = 0;
  if (Trim(next_line(at)) != "---")
    return Error::InvalidArgument("line 1: an article starts with front matter: a line \"---\", then key: value lines, then \"---\".");
  Article a;
  std::string status;
  bool closed = false;
  int line_no = 1;
  std::vector<std::string> seen;
  while (at < text.size()) {
    const std::string_view line = next_line(at);
    ++line_no;
    if (Trim(line) == "---") {
      closed = true;
      break;
    }
    const std::string_view content = Trim(line);
    if (content.empty() || content.front() == '#') continue;
    const size_t colon = content.find(':');
    const std::string where = "line " + std::to_string(line_no) + ": ";
    if (colon == std::string_view::npos) return Error::InvalidArgument(where + "expected \"name: value\".");
    const std::string name(Trim(content.substr(0, colon)));
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return Error::InvalidArgument(where + name + " is given twice.");
    seen.push_back(name);
    const auto raw = content.substr(colon + 1);
    if (name == "tags") {
      CHAMADO_ASSIGN_OR_RETURN(a.tags, List(raw, line_no));
      continue;
    }
    CHAMADO_ASSIGN_OR_RETURN(auto v, Value(raw, line_no));
    if (name == "key") a.key = v;
    else if (name == "language") a.language = v;
    else if (name == "title") a.title = v;
    else if (name == "product") a.product = v;
    else if (name == "module") a.module = v;
    else if (name == "status") status = v;
    else
      return Error::InvalidArgument(where + "unknown field \"" + name +
                                    "\"; the fields are key, language, title, product, module, status and tags.");
  }
  if (!closed) return Error::InvalidArgument("line " + std::to_string(line_no) + ": the front matter is not closed by a line \"---\".");
  auto missing = [&](const char* field, const std::string& v, const char* example) -> Result<void> {
    if (!v.empty()) return Ok();
    return Error::InvalidArgument(std::string("the front matter lacks ") + field + " (" + example + ").");
  };
  CHAMADO_TRY(missing("key", a.key, "key: invoices-issue-nfe, shared by every translation"));
  CHAMADO_TRY(missing("language", a.language, "language: pt-BR"));
  CHAMADO_TRY(missing("title", a.title, "title: How to issue an invoice"));
  if (!IsArticleKey(a.key))
    return Error::InvalidArgument("key \"" + a.key + "\": use 1 to 100 characters of a-z, 0-9, '-', '_' and '.'.");
  if (!core::IsDeskLanguage(a.language))
    return Error::InvalidArgument("language \"" + a.language + "\": use one of " + core::DeskLanguageList() + ".");
  if (status.empty() || status == "published") a.published = true;
  else if (status != "draft") return Error::InvalidArgument("status \"" + status + "\": use published or draft.");
  if (a.title.size() > 300) return Error::InvalidArgument("title: at most 300 characters.");
  for (auto& t : a.tags) {
    t = search::Fold(t);
    if (t.size() > 64) return Error::InvalidArgument("tag \"" + t + "\": at most 64 characters.");
  }
  a.body = std::string(text.substr(at));
  while (!a.body.empty() && (a.body.front() == '\n' || a.body.front() == '\r')) a.body.erase(a.body.begin());
  a.slug = Slug(a.title);
  return a;
}

std::string PlainText(std::string_view md) {
  std::string out;
  bool line_start = true;
  for (size_t i = 0; i < md.size();) {
    const char c = md[i];
    if (line_start) {
      // Block marks at the start of a line: headings, quotes, bullets, numbers, fences, tables.
      size_t j = i;
      while (j < md.size() && (md[j] == ' ' || md[j] == '\t')) ++j;
      size_t k = j;
      while (k < md.size() && (md[k] == '#' || md[k] == '>' || md[k] == '`' || md[k] == '|' || md[k] == '-' ||
                               md[k] == '*' || md[k] == '+' || md[k] == '=' || md[k] == ':'))
        ++k;
      if (k == j) {
        while (k < md.size() && md[k] >= '0' && md[k] <= '9') ++k;
        if (k > j && k < md.size() && (md[k] == '.' || md[k] == ')')) ++k;
        else k = j;
      }
      i = k;
      line_start = false;
      continue;
    }
    if (c == '\n') {
      out += '\n';
      line_start = true;
      ++i;
    } else if (c == '!' && i + 1 < md.size() && md[i + 1] == '[') {
      ++i;  // an image: its alt text, like a link's
    } else if (c == '[') {
      ++i;
    } else if (c == ']' && i + 1 < md.size() && md[i + 1] == '(') {
      const size_t close = md.find(')', i);
      i = close == std::string_view::npos ? md.size() : close + 1;
    } else if (c == '<') {
      const size_t close = md.find('>', i);
      i = close == std::string_view::npos ? i + 1 : close + 1;
    } else if (c == '*' || c == '`' || c == '|' || (c == '_' && (i + 1 < md.size() && md[i + 1] == '_'))) {
      out += c == '|' ? " " : "";
      i += (c == '_') ? 2 : 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string ArticlePath(const Article& a) {
  return "/help/" + a.language + "/" + Slug(a.product.empty() ? "general" : a.product) + "/" +
         Slug(a.module.empty() ? "general" : a.module) + "/" + a.slug;
}

std::string FormatArticleFile(const Article& a) {
  // Plain when the parser reads it back as it is; otherwise in the quote it does not contain.
  auto quoted = [](const std::string& v) {
    const bool plain = v.find(" #") == std::string::npos && (v.empty() || (v.front() != '"' && v.front() != '\'' && v.front() != '#'));
    if (plain) return v;
    const char q = v.find('"') == std::string::npos ? '"' : '\'';
    return q + v + q;
  };
  std::string out = "---\nkey: " + a.key + "\nlanguage: " + a.language + "\ntitle: " + quoted(a.title) +
                    "\nproduct: " + quoted(a.product) + "\nmodule: " + quoted(a.module) +
                    "\nstatus: " + (a.published ? "published" : "draft") + "\n";
  if (!a.tags.empty()) {
    out += "tags: [";
    for (size_t i = 0; i < a.tags.size(); ++i) out += (i ? ", " : "") + a.tags[i];
    out += "]\n";
  }
  return out + "---\n\n" + a.body;
}

}  // namespace chamado::help
