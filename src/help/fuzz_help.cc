// libFuzzer target: help-center articles as teams keep them (Markdown with front matter), their
// body rendered to the HTML anybody may see, and the crawlable page and sitemap made of them.
// Input: an article file; when it is not one, the whole input is taken as a Markdown body.
// Checks, beyond not crashing:
// - an accepted file, written back (FormatArticleFile) and read again, gives the same article,
//   and writing that again gives the same text (the export/import round trip);
// - the rendered body is valid UTF-8 when the body is, sanitizing it again changes nothing
//   (what a browser re-parses is what was checked), and no tag in it can run code: no
//   element outside the allow-list, no on* attribute, no javascript:/vbscript:/data: link
//   or image, no iframe but the two video players;
// - the description is valid UTF-8 and within its bound; slugs are a-z, 0-9 and '-', and a slug
//   of a slug is itself; the article's address reads back to its language and slug;
// - the page filled with the article's title and description has exactly the tags of a page
//   filled with plain words (text cannot open a tag), and so has the sitemap.
// Build and run: ./scripts/fuzz help [seconds].
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"
#include "help/article.h"
#include "help/page.h"
#include "help/render.h"

namespace {

using namespace chamado;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

constexpr std::string_view kShell =
    "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n"
    "    <meta name=\"description\" content=\"Chamado help desk\" />\n    <title>Chamado</title>\n  </head>\n"
    "  <body>\n    <div id=\"app\"></div>\n    <script type=\"module\" src=\"/assets/index.js\"></script>\n  </body>\n</html>\n";

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == prefix;
}

// Every '<' of sanitized HTML opens a tag (text and attribute values escape theirs).
void CheckTags(std::string_view html) {
  static constexpr std::string_view kForbidden[] = {"script", "style", "svg", "math", "template", "object", "embed",
                                                    "form", "textarea", "select", "button", "base", "meta", "link",
                                                    "frame", "frameset", "noscript", "title", "head", "body", "html"};
  for (size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    const size_t end = html.find('>', at);
    Check(end != std::string_view::npos);
    std::string_view tag = html.substr(at + 1, end - at - 1);
    if (!tag.empty() && tag.front() == '/') continue;
    const size_t name_end = tag.find_first_of(" /");
    const std::string name = AsciiLower(tag.substr(0, name_end));
    for (auto f : kForbidden) Check(name != f);
    // Attributes: name="value" (the serializer always quotes), or a bare name.
    std::string_view rest = name_end == std::string_view::npos ? std::string_view() : tag.substr(name_end);
    while (!rest.empty()) {
      const size_t start = rest.find_first_not_of(" /");
      if (start == std::string_view::npos) break;
      rest.remove_prefix(start);
      const size_t stop = rest.find_first_of("= ");
      const std::string attr = AsciiLower(rest.substr(0, stop));
      Check(!attr.starts_with("on"));
      std::string_view value;
      if (stop != std::string_view::npos && rest[stop] == '=') {
        Check(stop + 1 < rest.size() && rest[stop + 1] == '"');
        const size_t close = rest.find('"', stop + 2);
        Check(close != std::string_view::npos);
        value = rest.substr(stop + 2, close - stop - 2);
        rest.remove_prefix(close + 1);
      } else {
        rest.remove_prefix(stop == std::string_view::npos ? rest.size() : stop);
      }
      if (attr == "href" || attr == "src") {
        const std::string_view v = Trim(value);
        Check(!StartsWithNoCase(v, "javascript:") && !StartsWithNoCase(v, "vbscript:") && !StartsWithNoCase(v, "data:"));
        if (name == "iframe")
          Check(v.starts_with("https://www.youtube-nocookie.com/embed/") || v.starts_with("https://player.vimeo.com/video/"));
      }
    }
  }
}

void CheckSlug(std::string_view text) {
  const std::string slug = help::Slug(text);
  for (char c : slug) Check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  Check(help::Slug(slug) == slug);
}

void CheckBody(std::string_view body) {
  const std::string html = help::RenderMarkdown(body);
  if (IsValidUtf8(body)) Check(IsValidUtf8(html));
  Check(help::SanitizeHtml(html) == html);
  CheckTags(html);
  const std::string description = help::Description(body);
  Check(description.size() <= 160 + std::string_view("…").size());
  if (IsValidUtf8(body)) Check(IsValidUtf8(description) && IsValidUtf8(help::PlainText(body)));
}

size_t Tags(std::string_view html) {
  size_t n = 0;
  for (char c : html) n += c == '<';
  return n;
}

void CheckArticle(const help::Article& a) {
  const std::string file = help::FormatArticleFile(a);
  auto back = help::ParseArticleFile(file);
  Check(back.ok());
  Check(back->key == a.key && back->language == a.language && back->title == a.title && back->body == a.body &&
        back->product == a.product && back->module == a.module && back->slug == a.slug && back->published == a.published &&
        back->tags == a.tags);
  Check(help::FormatArticleFile(*back) == file);
  CheckSlug(a.title);
  CheckSlug(a.product);

  const std::string path = help::ArticlePath(a);
  auto page = help::ParsePagePath(path);
  Check(page.has_value() && page->language == a.language && page->slug == a.slug);

  help::PageMeta meta{a.language, a.title, help::Description(a.body), "https://desk.example.com" + path};
  const help::PageMeta plain{"en", "Title", "Description", "https://desk.example.com/help/en/general/general/title"};
  Check(Tags(help::FillPage(kShell, meta)) == Tags(help::FillPage(kShell, plain)));
  const std::vector<help::SitemapEntry> entries{{meta.canonical, a.updated_at}, {plain.canonical, std::nullopt}};
  const std::vector<help::SitemapEntry> plain_entries{{plain.canonical, a.updated_at}, {plain.canonical, std::nullopt}};
  Check(Tags(help::Sitemap(entries)) == Tags(help::Sitemap(plain_entries)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto article = help::ParseArticleFile(text);
  if (!article.ok()) {
    Check(!article.error().message.empty());
    CheckBody(text);
    CheckSlug(text);
    return 0;
  }
  CheckArticle(*article);
  CheckBody(article->body);
  return 0;
}
