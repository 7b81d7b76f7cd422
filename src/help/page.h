// The help center's pages as crawlers read them: the web app's index.html with the page's
// <title>, <meta name="description">, <link rel="canonical"> and <html lang> filled in on the
// server, and the sitemap of every public help-center address.
//
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace chamado::help {

// What a help-center page is, as its address says: /help/{language}[/{product}[/{module}[/{slug}]]]
// or /help/{language}/search. Empty fields are absent parts.
struct PagePath {
  std::string language;
  std::string product;
  std::string module;
  std::string slug;
  bool search = false;
};
// The parts of a path under /help, or none when it is not such an address (too many parts,
// no language).
std::optional<PagePath> ParsePagePath(std::string_view path);

struct PageMeta {
  std::string language;     // <html lang>
  std::string title;        // <title>, without the site's name
  std::string description;  // <meta name="description">
  std::string canonical;    // absolute address; empty: none
};

// "Central de ajuda" in the desk's languages (English otherwise).
std::string_view HelpCenterName(std::string_view language);

// index.html with the page's metadata: the <title> and description replaced, the canonical
// link added before </head>, the lang attribute set. Text is escaped for HTML.
std::string FillPage(std::string_view shell, const PageMeta& meta);

struct SitemapEntry {
  std::string location;  // absolute URL
  std::optional<Instant> modified;
};
// The sitemap protocol's XML (https://www.sitemaps.org/protocol.html).
std::string Sitemap(const std::vector<SitemapEntry>& entries);

}  // namespace chamado::help
