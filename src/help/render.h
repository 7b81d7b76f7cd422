// Help-center article bodies as HTML a browser may show to anybody.
//
// Markdown goes through Debian's cmark-gfm (GitHub's dialect: tables, strikethrough, autolinks,
// task lists; raw HTML is passed on), and the HTML it gives through SanitizeHtml: an HTML5
// parser (gumbo, which builds the tree the way browsers do, so what is checked is what a
// browser would see) and an allow-list of elements, attributes and URLs over that tree. The
// output is serialized from the tree, never copied from the input: every text and attribute
// value is escaped again. Nothing executable survives: no script, style, event attribute,
// SVG or MathML, form, object or frame but the allowed video players.
//
// Rules (docs/help-center.md):
// - links: http, https, mailto or relative; absolute ones get rel="nofollow noopener noreferrer";
// - images: https, or the help center's own uploads (/api/v1/help/images/...); another image
//   becomes its alt text;
// - video: YouTube and Vimeo only, as an <iframe> of www.youtube-nocookie.com/embed/ID or
//   player.vimeo.com/video/ID, written either as a bare video link alone in its paragraph or
//   as a raw <iframe> whose src is on youtube.com/embed, youtube-nocookie.com/embed or
//   player.vimeo.com/video; any other iframe is dropped with its content;
// - elements outside the allow-list that can hold code (script, style, svg, math, template,
//   iframe, object, embed, form controls...) are dropped with their content; others (font,
//   center, span...) are dropped and their content kept.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chamado::help {

// The body's HTML, sanitized.
std::string RenderMarkdown(std::string_view markdown);

// Any HTML fragment (as the content of a <div>) made safe by the rules above.
std::string SanitizeHtml(std::string_view html);

// The player address of a YouTube or Vimeo video link ("https://youtu.be/ID",
// "https://www.youtube.com/watch?v=ID", ".../embed/ID", "https://vimeo.com/123"), or nothing.
std::optional<std::string> VideoEmbed(std::string_view url);

// What a page's <meta name="description"> says of an article: the body's first words as plain
// text, spaces collapsed, cut at a word before `max` bytes (with "…" when cut).
std::string Description(std::string_view markdown, size_t max = 160);

}  // namespace chamado::help
