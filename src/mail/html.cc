// HTML to plain text with libxml2's forgiving HTML parser: it builds a tree from whatever
// mail clients send, and we walk it, emitting text only. Nothing of the markup survives,
// so there is nothing to sanitise afterwards.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <climits>
#include <cstring>
#include <string>

#include "mail/parse.h"

namespace chamado::mail {
namespace {

bool Is(const xmlNode* n, const char* name) { return xmlStrcasecmp(n->name, BAD_CAST name) == 0; }

bool IsBlock(const xmlNode* n) {
  static const char* const kBlocks[] = {"p",     "div",   "h1",      "h2",    "h3",     "h4",   "h5",
                                        "h6",    "ul",    "ol",      "table", "tr",     "pre",  "blockquote",
                                        "hr",    "dl",    "dt",      "dd",    "section", "article", "header",
                                        "footer", "address", "center", "form", "fieldset", "figure", "main", "nav"};
  for (const char* b : kBlocks)
    if (Is(n, b)) return true;
  return false;
}

bool IsSkipped(const xmlNode* n) {
  return Is(n, "script") || Is(n, "style") || Is(n, "head") || Is(n, "title") || Is(n, "noscript") ||
         Is(n, "template") || Is(n, "object") || Is(n, "iframe") || Is(n, "svg");
}

class TextWriter {
 public:
  std::string Take() {
    // Trailing blank lines and spaces.
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return std::move(out_);
  }

  void Walk(const xmlNode* node, bool pre) {
    for (const xmlNode* n = node; n; n = n->next) {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        Text(reinterpret_cast<const char*>(n->content), pre);
        continue;
      }
      if (n->type != XML_ELEMENT_NODE) continue;  // comments, processing instructions
      if (IsSkipped(n)) continue;
      if (Is(n, "br")) {
        Newline();
        continue;
      }
      if (Is(n, "img")) {
        Alt(n);
        continue;
      }
      bool block = IsBlock(n);
      bool item = Is(n, "li");
      if (block || item) BlankLineOr(Is(n, "p") || Is(n, "blockquote") || Is(n, "table") || Is(n, "ul") || Is(n, "ol"));
      if (item) out_ += "- ";
      if (Is(n, "td") || Is(n, "th")) Space();
      Walk(n->children, pre || Is(n, "pre"));
      if (Is(n, "a")) Link(n);
      if (block || item) BlankLineOr(Is(n, "p") || Is(n, "blockquote") || Is(n, "table"));
      if (Is(n, "hr")) {
        out_ += "----";
        Newline();
      }
    }
  }

 private:
  void Text(const char* text, bool pre) {
    if (!text) return;
    if (pre) {
      out_ += text;
      pending_space_ = false;
      return;
    }
    for (const char* p = text; *p; ++p) {
      char c = *p;
      if (c == '\xC2' && p[1] == '\xA0') {  // no-break space
        ++p;
        pending_space_ = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') out_ += ' ';
      pending_space_ = false;
      out_ += c;
    }
  }
  void Space() { pending_space_ = true; }
  void Newline() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += '\n';
    pending_space_ = false;
  }
  // Ends the current line; with `blank`, leaves one empty line (never more).
  void BlankLineOr(bool blank) {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    pending_space_ = false;
    if (out_.empty()) return;
    if (out_.back() != '\n') out_ += '\n';
    if (blank && (out_.size() < 2 || out_[out_.size() - 2] != '\n')) out_ += '\n';
  }
  void Alt(const xmlNode* n) {
    xmlChar* alt = xmlGetProp(n, BAD_CAST "alt");
    if (alt && *alt) {
      Text("[", false);
      Text(reinterpret_cast<const char*>(alt), false);
      out_ += ']';
    }
    xmlFree(alt);
  }
  // "text <https://...>", unless the text already is the address.
  void Link(const xmlNode* n) {
    xmlChar* href = xmlGetProp(n, BAD_CAST "href");
    if (href) {
      std::string url(reinterpret_cast<const char*>(href));
      bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
      if (web && out_.find(url, out_.size() > url.size() + 8 ? out_.size() - url.size() - 8 : 0) == std::string::npos) {
        out_ += " <";
        out_ += url;
        out_ += '>';
      }
    }
    xmlFree(href);
  }

  std::string out_;
  bool pending_space_ = false;
};

}  // namespace

std::string HtmlToText(std::string_view html) {
  if (html.empty() || html.size() > INT_MAX) return {};
  htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
  if (!doc) return {};
  TextWriter writer;
  writer.Walk(xmlDocGetRootElement(doc), false);
  xmlFreeDoc(doc);
  return writer.Take();
}

}  // namespace chamado::mail
