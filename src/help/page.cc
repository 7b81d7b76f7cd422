#include "help/page.h"

#include <array>
#include <utility>

#include "core/languages.h"

namespace chamado::help {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// Replaces the first `open`...`close` span of `html` (both included) by `with`; false when
// there is none.
bool ReplaceSpan(std::string& html, std::string_view open, std::string_view close, const std::string& with) {
  const size_t from = html.find(open);
  if (from == std::string::npos) return false;
  const size_t to = html.find(close, from + open.size());
  if (to == std::string::npos) return false;
  html.replace(from, to + close.size() - from, with);
  return true;
}

std::vector<std::string_view> Parts(std::string_view path) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < path.size()) {
    size_t end = path.find('/', at);
    if (end == std::string_view::npos) end = path.size();
    if (end > at) out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// Puts `what` before the first `marker` of `html` (nothing when there is none).
void InsertBefore(std::string& html, std::string_view marker, const std::string& what) {
  const size_t at = html.find(marker);
  if (at != std::string::npos) html.insert(at, what);
}

}  // namespace

std::optional<PagePath> ParsePagePath(std::string_view path) {
  const auto parts = Parts(path);
  if (parts.size() < 2 || parts.size() > 5 || parts[0] != "help") return std::nullopt;
  PagePath p;
  p.language = std::string(parts[1]);
  if (parts.size() == 3 && parts[2] == "search") {
    p.search = true;
    return p;
  }
  if (parts.size() > 2) p.product = std::string(parts[2]);
  if (parts.size() > 3) p.module = std::string(parts[3]);
  if (parts.size() > 4) p.slug = std::string(parts[4]);
  return p;
}

std::string_view HelpCenterName(std::string_view language) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kNames = {{
      {"pt-BR", "Central de ajuda"},
      {"en", "Help center"},
      {"es", "Centro de ayuda"},
      {"de", "Hilfe-Center"},
      {"ru", "Справочный центр"},
  }};
  for (const auto& [code, name] : kNames)
    if (code == language) return name;
  return "Help center";
}

std::string FillPage(std::string_view shell, const PageMeta& meta) {
  std::string html(shell);
  const std::string title = "<title>" + Escape(meta.title) + "</title>";
  if (!ReplaceSpan(html, "<title>", "</title>", title)) InsertBefore(html, "</head>", title);
  const std::string description = "<meta name=\"description\" content=\"" + Escape(meta.description) + "\" />";
  if (!ReplaceSpan(html, "<meta name=\"description\"", ">", description))
    InsertBefore(html, "</head>", description);
  if (!meta.canonical.empty())
    InsertBefore(html, "</head>", "  <link rel=\"canonical\" href=\"" + Escape(meta.canonical) + "\" />\n  ");
  if (!meta.language.empty()) ReplaceSpan(html, "<html", ">", "<html lang=\"" + Escape(meta.language) + "\">");
  return html;
}

std::string Sitemap(const std::vector<SitemapEntry>& entries) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const auto& e : entries) {
    out += "  <url><loc>" + Escape(e.location) + "</loc>";
    if (e.modified) out += "<lastmod>" + FormatIsoUtc(*e.modified).substr(0, 10) + "</lastmod>";
    out += "</url>\n";
  }
  out += "</urlset>\n";
  return out;
}

}  // namespace chamado::help
