#include "help/render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <gumbo.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "help/article.h"
#include "help/images.h"

namespace chamado::help {
namespace {

// ---- URLs ----

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// The URL as a browser reads it (the WHATWG URL parser): leading and trailing C0 controls and
// spaces stripped, tabs and newlines removed anywhere. Any other control character refuses
// it, as a URL a careful author never writes.
std::optional<std::string> CleanUrl(std::string_view raw) {
  while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) raw.remove_prefix(1);
  while (!raw.empty() && static_cast<unsigned char>(raw.back()) <= 0x20) raw.remove_suffix(1);
  std::string out;
  for (char c : raw) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    out += c;
  }
  return out;
}

// The lower-case scheme of a URL ("https"), or empty when it has none (a relative URL).
std::string SchemeOf(std::string_view url) {
  if (url.empty() || !IsAsciiAlpha(url[0])) return {};
  for (size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') {
      std::string s(url.substr(0, i));
      std::transform(s.begin(), s.end(), s.begin(), Lower);
      return s;
    }
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') return {};
  }
  return {};
}

std::optional<std::string> SafeLink(std::string_view raw) {
  auto url = CleanUrl(raw);
  if (!url) return std::nullopt;
  const std::string scheme = SchemeOf(*url);
  if (scheme.empty() || scheme == "http" || scheme == "https" || scheme == "mailto") return url;
  return std::nullopt;
}

std::optional<std::string> SafeImage(std::string_view raw) {
  auto url = CleanUrl(raw);
  if (!url) return std::nullopt;
  const std::string scheme = SchemeOf(*url);
  if (scheme == "https" && url->size() > 8) return url;
  if (scheme.empty() && url->starts_with(kImageUrlPrefix) && url->find("..") == std::string::npos &&
      url->find('\\') == std::string::npos)
    return url;
  return std::nullopt;
}

bool IsAbsolute(std::string_view url) {
  const std::string scheme = SchemeOf(url);
  return scheme == "http" || scheme == "https" || url.starts_with("//");
}

// ---- escaping ----

void EscapeText(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
}

void EscapeAttribute(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
}

void Attribute(std::string_view name, std::string_view value, std::string& out) {
  out += ' ';
  out += name;
  out += "=\"";
  EscapeAttribute(value, out);
  out += '"';
}

// ---- the allow-list ----

enum class Fate { kKeep, kUnwrap, kDrop };

// What happens to an HTML element: kept (with its allowed attributes), unwrapped (the tag goes,
// its content stays) or dropped with its content. Elements that hold code, forms, frames,
// foreign content (SVG, MathML) and the document's head are dropped; harmless presentational
// ones are unwrapped.
Fate FateOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_BR: case GUMBO_TAG_HR:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_CODE: case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP:
    case GUMBO_TAG_EM: case GUMBO_TAG_STRONG: case GUMBO_TAG_I: case GUMBO_TAG_B: case GUMBO_TAG_U:
    case GUMBO_TAG_DEL: case GUMBO_TAG_S: case GUMBO_TAG_INS: case GUMBO_TAG_SUB: case GUMBO_TAG_SUP: case GUMBO_TAG_MARK:
    case GUMBO_TAG_SMALL: case GUMBO_TAG_ABBR: case GUMBO_TAG_Q: case GUMBO_TAG_CITE:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_A: case GUMBO_TAG_IMG:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR:
    case GUMBO_TAG_TH: case GUMBO_TAG_TD: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_INPUT:  // a task list's checkbox; anything else is dropped in Open
      return Fate::kKeep;
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM: case GUMBO_TAG_FRAME: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_FORM: case GUMBO_TAG_KEYGEN: case GUMBO_TAG_DATALIST: case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_HEAD: case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_BASE:
    case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_LISTING:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_SOURCE: case GUMBO_TAG_TRACK: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MAP: case GUMBO_TAG_AREA: case GUMBO_TAG_MENUITEM:
      return Fate::kDrop;
    default:
      return Fate::kUnwrap;
  }
}

const char* AttributeValue(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

bool IsDimension(std::string_view v) {
  return !v.empty() && v.size() <= 4 && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

// The text of an element and its descendants (for a link's text, an image's replacement).
void TextOf(const GumboNode* n, std::string& out) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
    out += n->v.text.text;
  } else if (n->type == GUMBO_NODE_ELEMENT) {
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) TextOf(static_cast<const GumboNode*>(kids.data[i]), out);
  }
}

void Embed(const std::string& player, std::string_view title, std::string& out) {
  out += "<div class=\"video\"><iframe";
  Attribute("src", player, out);
  Attribute("title", title.empty() ? "Video" : title, out);
  out +=
      " loading=\"lazy\" allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\" "
      "sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\"></iframe></div>";
}

// A paragraph holding only a link to a video, written as the address itself (an autolink):
// the video's player address.
std::optional<std::string> VideoParagraph(const GumboNode* p) {
  const GumboVector& kids = p->v.element.children;
  const GumboNode* link = nullptr;
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids.data[i]);
    if (k->type == GUMBO_NODE_WHITESPACE) continue;
    if (k->type != GUMBO_NODE_ELEMENT || k->v.element.tag != GUMBO_TAG_A || link) return std::nullopt;
    link = k;
  }
  if (!link) return std::nullopt;
  const char* href = AttributeValue(link->v.element, "href");
  if (!href) return std::nullopt;
  std::string text;
  TextOf(link, text);
  const auto cleaned = CleanUrl(text);
  if (!cleaned || *cleaned != href) return std::nullopt;
  return VideoEmbed(href);
}

// Walks the parsed tree without recursion (an input can nest elements as deep as it likes).
class Writer {
 public:
  std::string Write(const GumboNode* root) {
    struct Frame {
      const GumboNode* node;
      unsigned next = 0;
      std::string close;  // the end tag written after the children
      bool link = false;  // an <a> with an address
    };
    std::vector<Frame> stack;
    stack.push_back({root, 0, "", false});
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboVector& kids = f.node->v.element.children;
      if (f.next >= kids.length) {
        out_ += f.close;
        if (f.link) --links_;
        stack.pop_back();
        continue;
      }
      const auto* n = static_cast<const GumboNode*>(kids.data[f.next++]);
      switch (n->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
          EscapeText(n->v.text.text, out_);
          break;
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE: {
          std::string close;
          if (Open(n, close)) {
            const bool link = n->v.element.tag == GUMBO_TAG_A && !close.empty();
            if (link) ++links_;
            stack.push_back({n, 0, std::move(close), link});
          }
          break;
        }
        default:  // comments, CDATA (only in foreign content), the document
          break;
      }
    }
    return std::move(out_);
  }

 private:
  // Writes the start tag of `n` (or what replaces it) and sets the end tag; false when its
  // content is not to be written.
  bool Open(const GumboNode* n, std::string& close) {
    const GumboElement& e = n->v.element;
    if (e.tag_namespace != GUMBO_NAMESPACE_HTML) return false;
    if (e.tag == GUMBO_TAG_IFRAME) {
      const char* src = AttributeValue(e, "src");
      if (auto player = src ? VideoEmbed(src) : std::nullopt; player && Framed(*player)) {
        const char* title = AttributeValue(e, "title");
        Embed(*player, title ? title : "", out_);
      }
      return false;
    }
    if (e.tag == GUMBO_TAG_P)
      if (auto player = VideoParagraph(n)) {
        Embed(*player, "", out_);
        return false;
      }
    const Fate fate = FateOf(e.tag);
    if (fate == Fate::kDrop) return false;
    if (fate == Fate::kUnwrap) return true;
    const std::string name = gumbo_normalized_tagname(e.tag);
    std::string attributes;
    switch (e.tag) {
      case GUMBO_TAG_A: {
        // A link inside a link is not one (browsers would close the first): its text stays.
        if (links_ > 0) return true;
        const char* href = AttributeValue(e, "href");
        auto url = href ? SafeLink(href) : std::nullopt;
        if (url) {
          Attribute("href", *url, attributes);
          if (IsAbsolute(*url)) Attribute("rel", "nofollow noopener noreferrer", attributes);
        }
        if (const char* title = AttributeValue(e, "title")) Attribute("title", title, attributes);
        if (!url) return true;  // no place to go: only its text
        break;
      }
      case GUMBO_TAG_IMG: {
        const char* src = AttributeValue(e, "src");
        const char* alt = AttributeValue(e, "alt");
        auto url = src ? SafeImage(src) : std::nullopt;
        if (!url) {
          if (alt) EscapeText(alt, out_);
          return false;
        }
        Attribute("src", *url, attributes);
        Attribute("alt", alt ? alt : "", attributes);
        if (const char* title = AttributeValue(e, "title")) Attribute("title", title, attributes);
        for (const char* d : {"width", "height"})
          if (const char* v = AttributeValue(e, d); v && IsDimension(v)) Attribute(d, v, attributes);
        attributes += " loading=\"lazy\"";
        break;
      }
      case GUMBO_TAG_INPUT: {
        const char* type = AttributeValue(e, "type");
        if (!type || std::string_view(type) != "checkbox") return false;
        attributes = " type=\"checkbox\" disabled";
        if (AttributeValue(e, "checked")) attributes += " checked";
        break;
      }
      case GUMBO_TAG_TH:
      case GUMBO_TAG_TD: {
        if (const char* align = AttributeValue(e, "align")) {
          const std::string_view a(align);
          if (a == "left" || a == "center" || a == "right") Attribute("align", a, attributes);
        }
        for (const char* span : {"colspan", "rowspan"})
          if (const char* v = AttributeValue(e, span); v && IsDimension(v) && std::string_view(v).size() <= 3)
            Attribute(span, v, attributes);
        break;
      }
      case GUMBO_TAG_OL: {
        if (const char* start = AttributeValue(e, "start"); start && IsDimension(start)) Attribute("start", start, attributes);
        break;
      }
      case GUMBO_TAG_CODE:
      case GUMBO_TAG_PRE: {
        // A fenced block's language, for styling: "language-sql" or cmark's lang="sql".
        const char* cls = AttributeValue(e, "class");
        const char* lang = AttributeValue(e, "lang");
        std::string_view language = cls && std::string_view(cls).starts_with("language-") ? std::string_view(cls).substr(9)
                                    : lang                                                    ? std::string_view(lang)
                                                                                              : std::string_view();
        if (!language.empty() && language.size() <= 30 &&
            std::all_of(language.begin(), language.end(),
                        [](char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '_' || c == '+'; }))
          Attribute("class", "language-" + std::string(language), attributes);
        break;
      }
      case GUMBO_TAG_ABBR:
        if (const char* title = AttributeValue(e, "title")) Attribute("title", title, attributes);
        break;
      case GUMBO_TAG_DETAILS:
        if (AttributeValue(e, "open")) attributes += " open";
        break;
      default:
        break;
    }
    out_ += '<' + name + attributes + '>';
    const bool is_void = e.tag == GUMBO_TAG_BR || e.tag == GUMBO_TAG_HR || e.tag == GUMBO_TAG_IMG || e.tag == GUMBO_TAG_INPUT;
    if (is_void) return false;
    close = "</" + name + ">";
    // The HTML serialization drops a newline that starts a <pre>: one more keeps the author's.
    if (e.tag == GUMBO_TAG_PRE && e.children.length > 0) {
      const auto* first = static_cast<const GumboNode*>(e.children.data[0]);
      if ((first->type == GUMBO_NODE_TEXT || first->type == GUMBO_NODE_WHITESPACE) && first->v.text.text[0] == '\n')
        out_ += '\n';
    }
    return true;
  }

  // Only the players VideoEmbed gives are framed.
  static bool Framed(std::string_view player) {
    return player.starts_with("https://www.youtube-nocookie.com/embed/") || player.starts_with("https://player.vimeo.com/video/");
  }

  std::string out_;
  int links_ = 0;  // open <a> elements with an address
};

bool IsVideoId(std::string_view id) {
  return id.size() >= 6 && id.size() <= 20 &&
         std::all_of(id.begin(), id.end(), [](char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '-' || c == '_'; });
}

bool IsNumber(std::string_view id) { return !id.empty() && id.size() <= 12 && std::all_of(id.begin(), id.end(), IsAsciiDigit); }

// The value of `name` in a query string ("v=abc&t=1"), or empty.
std::string_view QueryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return pair.substr(name.size() + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// Gumbo looks through the open elements for each tag, so parsing takes time in the square of
// the nesting depth (100,000 nested <div> take 20 s). Deeper than this, an input is not an
// article but an attack: only its text is kept.
constexpr int kMaxDepth = 512;

// The deepest nesting `html` can reach, counting start and end tags (elements a browser
// closes by itself, like <p> and <li>, and void ones do not nest).
int NestingDepth(std::string_view html) {
  int depth = 0, deepest = 0;
  for (size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    const bool closing = at + 1 < html.size() && html[at + 1] == '/';
    size_t name_at = at + (closing ? 2 : 1), end = name_at;
    while (end < html.size() && (IsAsciiAlpha(html[end]) || IsAsciiDigit(html[end]))) ++end;
    if (end == name_at) continue;
    std::string name(html.substr(name_at, end - name_at));
    std::transform(name.begin(), name.end(), name.begin(), Lower);
    static constexpr std::string_view kFlat[] = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "br", "hr", "img",
                                                 "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"};
    if (std::find(std::begin(kFlat), std::end(kFlat), name) != std::end(kFlat)) continue;
    depth = closing ? std::max(0, depth - 1) : depth + 1;
    deepest = std::max(deepest, depth);
  }
  return deepest;
}

// The text of `html` outside its tags, escaped, in one paragraph.
std::string TextOnly(std::string_view html) {
  std::string text;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    else if (c == '>' && in_tag) in_tag = false;
    else if (!in_tag) text += c;
  }
  std::string out = "<p>";
  EscapeText(text, out);
  return out + "</p>\n";
}

void EnsureExtensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

std::optional<std::string> VideoEmbed(std::string_view url) {
  std::string lowered_start;
  for (size_t i = 0; i < url.size() && i < 8; ++i) lowered_start += Lower(url[i]);
  if (lowered_start.starts_with("https://")) url.remove_prefix(8);
  else if (lowered_start.starts_with("http://")) url.remove_prefix(7);
  else return std::nullopt;
  const size_t slash = url.find_first_of("/?#");
  std::string host(url.substr(0, slash));
  std::transform(host.begin(), host.end(), host.begin(), Lower);
  std::string_view rest = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  std::string_view query;
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto youtube = [](std::string_view id) -> std::optional<std::string> {
    if (!IsVideoId(id)) return std::nullopt;
    return "https://www.youtube-nocookie.com/embed/" + std::string(id);
  };
  if (host == "youtube.com" || host == "www.youtube.com" || host == "m.youtube.com") {
    if (rest == "/watch") return youtube(QueryValue(query, "v"));
    if (rest.starts_with("/embed/")) return youtube(rest.substr(7));
    return std::nullopt;
  }
  if (host == "youtube-nocookie.com" || host == "www.youtube-nocookie.com")
    return rest.starts_with("/embed/") ? youtube(rest.substr(7)) : std::nullopt;
  if (host == "youtu.be") return rest.size() > 1 ? youtube(rest.substr(1)) : std::nullopt;
  std::string_view vimeo;
  if (host == "vimeo.com" || host == "www.vimeo.com") vimeo = rest.size() > 1 ? rest.substr(1) : std::string_view();
  else if (host == "player.vimeo.com" && rest.starts_with("/video/")) vimeo = rest.substr(7);
  else return std::nullopt;
  if (!IsNumber(vimeo)) return std::nullopt;
  return "https://player.vimeo.com/video/" + std::string(vimeo);
}

std::string SanitizeHtml(std::string_view html) {
  if (NestingDepth(html) > kMaxDepth) return TextOnly(html);
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_DIV;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;  // the errors are not read
  GumboOutput* parsed = gumbo_parse_with_options(&options, html.data(), html.size());
  std::unique_ptr<GumboOutput, std::function<void(GumboOutput*)>> owner(
      parsed, [&options](GumboOutput* o) { gumbo_destroy_output(&options, o); });
  return Writer().Write(parsed->root);
}

std::string RenderMarkdown(std::string_view markdown) {
  EnsureExtensions();
  // Raw HTML is passed on (CMARK_OPT_UNSAFE) because SanitizeHtml decides what of it stays:
  // help centers moved from elsewhere carry <iframe> players, <kbd>, <details>.
  const int options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
  std::unique_ptr<cmark_parser, void (*)(cmark_parser*)> parser(cmark_parser_new(options), cmark_parser_free);
  for (const char* name : {"table", "strikethrough", "autolink", "tasklist"})
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(cmark_parser_finish(parser.get()), cmark_node_free);
  char* html = cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  const std::string raw(html ? html : "");
  std::free(html);
  return SanitizeHtml(raw);
}

std::string Description(std::string_view markdown, size_t max) {
  const std::string text = PlainText(markdown);
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() > max) break;
  }
  if (out.size() <= max) return out;
  // Cut at the last space that leaves room for the ellipsis, never inside a UTF-8 character.
  size_t cut = out.rfind(' ', max - 3);
  if (cut == std::string::npos || cut < max / 2) {
    cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  }
  out.resize(cut);
  return out + "…";
}

}  // namespace chamado::help
