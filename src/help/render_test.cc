#include "help/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace chamado::help {
namespace {

std::string Lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

// What must never be in an article's HTML, whatever the author wrote. Text is escaped ('<' is
// "&lt;"), so every '<' of the output opens a tag: only tags can carry anything executable.
void ExpectHarmless(const std::string& html, const std::string& input) {
  const std::string l = Lowered(html);
  for (size_t at = l.find('<'); at != std::string::npos; at = l.find('<', at + 1)) {
    const size_t end = l.find('>', at);
    ASSERT_NE(end, std::string::npos) << "a tag is not closed in " << html;
    const std::string tag = l.substr(at, end - at + 1);
    for (const char* bad : {"<script", "javascript:", "vbscript:", "data:", "<svg", "<math", "<style", " style=", "<object",
                            "<embed", "<form", "<input type=\"text", "<base", "<meta", "<link", "<template", "srcdoc", "<textarea",
                            "<video", "<audio", "<noscript", "<xmp", "<button"})
      EXPECT_EQ(tag.find(bad), std::string::npos) << "\"" << bad << "\" in " << tag << "\nfrom " << input;
    // No event handler attribute: " on" followed by letters and "=", outside the (always
    // double-quoted) attribute values.
    std::string names;
    bool quoted = false;
    for (char c : tag) {
      if (c == '"') quoted = !quoted;
      else if (!quoted) names += c;
    }
    for (size_t on = names.find(" on"); on != std::string::npos; on = names.find(" on", on + 1)) {
      size_t k = on + 3;
      while (k < names.size() && std::isalpha(static_cast<unsigned char>(names[k]))) ++k;
      EXPECT_FALSE(k < names.size() && names[k] == '=') << "event attribute in " << tag << "\nfrom " << input;
    }
    // The only frames are the allowed players.
    if (tag.starts_with("<iframe")) {
      EXPECT_TRUE(tag.find(" src=\"https://www.youtube-nocookie.com/embed/") != std::string::npos ||
                  tag.find(" src=\"https://player.vimeo.com/video/") != std::string::npos)
          << tag << "\nfrom " << input;
    }
  }
}

// Hostile Markdown and HTML: each rendered, checked harmless, and (when given) containing what
// the reader should still see.
struct Hostile {
  const char* input;
  const char* kept;  // a piece of the output that must be there ("" for none)
};

const Hostile kHostile[] = {
    {"<script>alert(1)</script>Hello", "Hello"},
    {"<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ""},
    {"<scr<script>ipt>alert(1)</script>", ""},
    {"[click](javascript:alert(1))", "click"},
    {"[click](JaVaScRiPt:alert(1))", "click"},
    {"[click](  javascript:alert(1))", "click"},
    {"<a href=\"jav&#x09;ascript:alert(1)\">tab</a>", "tab"},
    {"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">entities</a>", "entities"},
    {"<a href=\"javascript&colon;alert(1)\">colon</a>", "colon"},
    {"<a href=\"java\nscript:alert(1)\">newline</a>", "newline"},
    {"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>", "data"},
    {"<a href=\"vbscript:msgbox(1)\">vb</a>", "vb"},
    {"[x](data:text/html,<script>alert(1)</script>)", ""},
    {"![pic](javascript:alert(1))", "pic"},
    {"![pic](data:image/svg+xml;base64,PHN2Zz4=)", "pic"},
    {"![tracker](http://plain.example/x.gif)", "tracker"},
    {"<img src=x onerror=alert(1)>", ""},
    {"<img src=\"https://ok.example/a.png\" onerror=\"alert(1)\" onload=alert(2)>", "src=\"https://ok.example/a.png\""},
    {"<p onclick=\"alert(1)\" style=\"color:red\">styled</p>", "<p>styled</p>"},
    {"<div onmouseover=alert(1)>hover</div>", "hover"},
    {"<style>body{display:none}</style>after", "after"},
    {"<svg><script>alert(1)</script></svg>svg", "svg"},
    {"<svg onload=alert(1)>", ""},
    {"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""},
    {"<iframe src=\"https://evil.example/\"></iframe>framed", "framed"},
    {"<iframe src=\"javascript:alert(1)\"></iframe>", ""},
    {"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>", ""},
    {"<iframe src=\"https://www.youtube.com.evil.example/embed/abcdefghijk\"></iframe>", ""},
    {"<object data=\"x.swf\"></object><embed src=\"x.swf\">", ""},
    {"<form action=\"https://evil.example\"><input type=text name=p><button>go</button></form>", ""},
    {"<base href=\"https://evil.example/\">", ""},
    {"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", ""},
    {"<template><script>alert(1)</script></template>", ""},
    {"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", ""},
    {"<a href=\"https://ok.example\" onclick=\"alert(1)\">unclosed", "href=\"https://ok.example\""},
    {"<b><i>unclosed <u>tags", "unclosed"},
    {"<img src=\"https://ok.example/a.png\"", ""},
    {"<!-- <script>alert(1)</script> -->comment", "comment"},
    {"<![CDATA[<script>alert(1)</script>]]>", ""},
    {"<a href=\"https://ok.example\" style=\"position:fixed;top:0\">fixed</a>", "fixed"},
    {"<details open ontoggle=alert(1)><summary>more</summary>hidden</details>", "<summary>more</summary>"},
    {"<video src=x onerror=alert(1)></video><audio src=x onerror=alert(1)></audio>", ""},
    {"<table><tr><td background=\"javascript:alert(1)\">cell</td></tr></table>", "cell"},
    {"<input type=\"image\" src=\"x\" onerror=\"alert(1)\">", ""},
    {"<textarea><script>alert(1)</script></textarea>", ""},
    {"<xmp><script>alert(1)</script></xmp>", ""},
    {"<a href=\"https://ok.example\"><a href=\"javascript:alert(1)\">nested</a></a>", "nested"},
    {"<div><a href=\"&#x6A;avascript:alert(1)\">hex</a></div>", "hex"},
    {"[a](<javascript:alert(1)>)", ""},
    {"<https://ok.example/path?q=\"><script>alert(1)</script>>", ""},
    {"<a href=\"/help/pt-BR/x\" title='\" onmouseover=\"alert(1)'>quoted</a>", "title=\"&quot; onmouseover=&quot;alert(1)\""},
};

TEST(SanitizeHtml, NothingExecutableSurvivesHostileInput) {
  for (const auto& h : kHostile) {
    const std::string html = RenderMarkdown(h.input);
    ExpectHarmless(html, h.input);
    ExpectHarmless(SanitizeHtml(h.input), h.input);
    if (*h.kept) {
      EXPECT_NE(html.find(h.kept), std::string::npos) << html << "\nfrom " << h.input;
    }
  }
}

TEST(SanitizeHtml, DeepNestingAndHugeInputsDoNotCrash) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "x";
  const std::string out = SanitizeHtml(deep);
  EXPECT_NE(out.find('x'), std::string::npos);
  std::string quotes(50000, '>');
  ExpectHarmless(RenderMarkdown(quotes + "<script>alert(1)</script>"), "quotes");
  // Deep, yet not pathological: the markup stays.
  std::string nested;
  for (int i = 0; i < 100; ++i) nested += "<blockquote>";
  EXPECT_NE(SanitizeHtml(nested + "y").find("<blockquote><blockquote>"), std::string::npos);
}

struct Rendered {
  const char* markdown;
  const char* html;  // exactly
};

const Rendered kRendered[] = {
    {"**bold** and _em_ and ~~gone~~", "<p><strong>bold</strong> and <em>em</em> and <del>gone</del></p>\n"},
    {"| a | b |\n|:--|--:|\n| 1 | 2 |",
     "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
     "<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>\n"},
    {"Go to https://example.com/x now", "<p>Go to <a href=\"https://example.com/x\" rel=\"nofollow noopener noreferrer\">https://example.com/x</a> now</p>\n"},
    {"[doc](/help/en/x/y/z) and [mail](mailto:help@example.com)",
     "<p><a href=\"/help/en/x/y/z\">doc</a> and <a href=\"mailto:help@example.com\">mail</a></p>\n"},
    {"![Issuing an invoice](/api/v1/help/images/41/step.gif)",
     "<p><img src=\"/api/v1/help/images/41/step.gif\" alt=\"Issuing an invoice\" loading=\"lazy\"></p>\n"},
    {"![Screen](https://cdn.example.com/a.png \"The screen\")",
     "<p><img src=\"https://cdn.example.com/a.png\" alt=\"Screen\" title=\"The screen\" loading=\"lazy\"></p>\n"},
    {"![Elsewhere](/uploads/a.png)", "<p>Elsewhere</p>\n"},
    {"![Climbing out](/api/v1/help/images/../../tickets/1)", "<p>Climbing out</p>\n"},
    {"```sql\nSELECT 1 < 2;\n```", "<pre><code class=\"language-sql\">SELECT 1 &lt; 2;\n</code></pre>\n"},
    {"- [x] done\n- [ ] todo",
     "<ul>\n<li><input type=\"checkbox\" disabled checked> done</li>\n<li><input type=\"checkbox\" disabled> todo</li>\n</ul>\n"},
    {"Press <kbd>Ctrl</kbd>+<kbd>S</kbd>", "<p>Press <kbd>Ctrl</kbd>+<kbd>S</kbd></p>\n"},
    {"<font color=red>plain</font> <span class=x>text</span>", "<p>plain text</p>\n"},
    {"AT&T &amp; \"quotes\"", "<p>AT&amp;T &amp; \"quotes\"</p>\n"},
    {"Olá, São Paulo — 100%", "<p>Olá, São Paulo — 100%</p>\n"},
};

TEST(RenderMarkdown, RendersGitHubMarkdownAndKeepsWhatIsSafe) {
  for (const auto& r : kRendered) EXPECT_EQ(RenderMarkdown(r.markdown), r.html) << r.markdown;
}

constexpr const char* kYouTube =
    "<div class=\"video\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"Video\" loading=\"lazy\" "
    "allowfullscreen referrerpolicy=\"strict-origin-when-cross-origin\" "
    "sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\"></iframe></div>";

TEST(RenderMarkdown, AVideoLinkAloneOnItsLineBecomesAPlayer) {
  EXPECT_EQ(RenderMarkdown("https://www.youtube.com/watch?v=dQw4w9WgXcQ"), std::string(kYouTube) + "\n");
  EXPECT_EQ(RenderMarkdown("Intro\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nOutro"), "<p>Intro</p>\n" + std::string(kYouTube) + "\n<p>Outro</p>\n");
  const std::string vimeo = RenderMarkdown("<https://vimeo.com/76979871>");
  EXPECT_NE(vimeo.find("<iframe src=\"https://player.vimeo.com/video/76979871\""), std::string::npos) << vimeo;
  // In a sentence, or with other words as its text, it stays a link.
  const std::string inline_link = RenderMarkdown("See https://youtu.be/dQw4w9WgXcQ here");
  EXPECT_EQ(inline_link.find("<iframe"), std::string::npos) << inline_link;
  const std::string named = RenderMarkdown("[the video](https://youtu.be/dQw4w9WgXcQ)");
  EXPECT_EQ(named.find("<iframe"), std::string::npos) << named;
}

TEST(RenderMarkdown, ARawIframeStaysOnlyFromTheAllowedPlayers) {
  const std::string yt = RenderMarkdown(
      "<iframe width=\"560\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?si=x\" title=\"How to\" onload=\"alert(1)\" "
      "allow=\"camera\"></iframe>");
  EXPECT_NE(yt.find("src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"How to\""), std::string::npos) << yt;
  EXPECT_EQ(yt.find("camera"), std::string::npos) << yt;
  EXPECT_NE(RenderMarkdown("<iframe src=\"https://player.vimeo.com/video/123456\"></iframe>").find("player.vimeo.com/video/123456"),
            std::string::npos);
  for (const char* other : {"<iframe src=\"https://evil.example/embed/dQw4w9WgXcQ\"></iframe>",
                            "<iframe src=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=<script>\"></iframe>x",
                            "<iframe src=\"http://player.vimeo.com.evil.example/video/1\"></iframe>",
                            "<iframe src=\"//www.youtube.com/embed/dQw4w9WgXcQ\"></iframe>"})
    EXPECT_EQ(RenderMarkdown(other).find("evil"), std::string::npos) << other;
  EXPECT_EQ(RenderMarkdown("<iframe src=\"//www.youtube.com/embed/dQw4w9WgXcQ\"></iframe>").find("<iframe"), std::string::npos);
}

TEST(VideoEmbed, KnowsTheAllowedHostsOnly) {
  struct Case {
    const char* url;
    const char* player;  // "" when not a video
  } cases[] = {
      {"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
      {"HTTPS://YOUTU.BE/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
      {"https://youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
      {"https://player.vimeo.com/video/76979871?h=1", "https://player.vimeo.com/video/76979871"},
      {"https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"},
      {"https://www.youtube.com/watch?v=\"><script>", ""},
      {"https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", ""},
      {"https://evil.example/?https://youtu.be/dQw4w9WgXcQ", ""},
      {"https://vimeo.com/channels/staffpicks", ""},
      {"javascript:alert(1)//youtu.be/dQw4w9WgXcQ", ""},
      {"ftp://youtu.be/dQw4w9WgXcQ", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(VideoEmbed(c.url).value_or(""), c.player) << c.url;
}

TEST(Description, IsTheFirstWordsAsPlainText) {
  EXPECT_EQ(Description("# Title\n\nVá em **Financeiro > Notas**.\n\n- passo"), "Title Vá em Financeiro > Notas. passo");
  const std::string long_text(300, 'a');
  const std::string cut = Description("word " + long_text, 40);
  EXPECT_LE(cut.size(), 40u + 3);
  EXPECT_TRUE(cut.ends_with("…")) << cut;
  const std::string accents = Description(std::string(150, 'x') + " ção ção ção ção ção", 160);
  EXPECT_TRUE(accents.ends_with("…") || accents.size() <= 160) << accents;
  EXPECT_EQ(Description(""), "");
}

}  // namespace
}  // namespace chamado::help
