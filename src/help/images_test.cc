#include "help/images.h"

#include <gtest/gtest.h>

namespace chamado::help {
namespace {

TEST(SniffImageTypeTest, Table) {
  const std::pair<std::string, std::string_view> cases[] = {
      {std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png"},
      {"\xFF\xD8\xFF\xE0\0\x10JFIF", "image/jpeg"},
      {"GIF89a\x01\0\x01\0", "image/gif"},
      {"GIF87a\x01\0\x01\0", "image/gif"},
      {std::string("RIFF\x24\0\0\0WEBPVP8 ", 16), "image/webp"},
      {std::string("RIFF\x24\0\0\0WAVEfmt ", 16), ""},
      {"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", ""},
      {"<html><body>not an image</body></html>", ""},
      {"\x89PN", ""},
      {"", ""},
  };
  for (const auto& [data, type] : cases) EXPECT_EQ(SniffImageType(data), type) << data;
}

TEST(ImageFileNameTest, Table) {
  const struct {
    const char* name;
    const char* type;
    const char* expected;
  } cases[] = {
      {"screen.png", "image/png", "screen.png"},
      {"Captura de Tela 2026-01.PNG", "image/png", "captura-de-tela-2026-01.png"},
      {"emissão.jpeg", "image/jpeg", "emissao.jpeg"},
      {"emissao.JPG", "image/jpeg", "emissao.jpg"},
      {"photo.png", "image/jpeg", "photo.jpg"},
      {"anim", "image/gif", "anim.gif"},
      {"../../etc/passwd", "image/webp", "passwd.webp"},
      {"C:\\Users\\ana\\shot.gif", "image/gif", "shot.gif"},
      {"...", "image/png", "image.png"},
      {"", "image/png", "image.png"},
      {"a b<script>.png", "image/png", "a-b-script.png"},
  };
  for (const auto& c : cases) EXPECT_EQ(ImageFileName(c.name, c.type), c.expected) << c.name;
  EXPECT_EQ(ImageFileName(std::string(300, 'x') + ".png", "image/png").size(), 100u);
}

TEST(ImageUrlTest, RoundTrip) {
  EXPECT_EQ(ImageUrl(42, "shot.png"), "/api/v1/help/images/42/shot.png");
  EXPECT_EQ(ImageIdOfUrl("/api/v1/help/images/42/shot.png"), 42);
  EXPECT_EQ(ImageIdOfUrl("/api/v1/help/images/42/"), std::nullopt);
  EXPECT_EQ(ImageIdOfUrl("/api/v1/help/images/x/shot.png"), std::nullopt);
  EXPECT_EQ(ImageIdOfUrl("https://example.com/a.png"), std::nullopt);
}

TEST(ImageIdsMentionedTest, EveryWellFormedUrlAnywhere) {
  using Ids = std::vector<int64_t>;
  EXPECT_EQ(ImageIdsMentioned(""), Ids{});
  EXPECT_EQ(ImageIdsMentioned("![a](/api/v1/help/images/7/a.png) and ![b](/api/v1/help/images/12/b.gif)"), (Ids{7, 12}));
  // In code and in links too, and repeated.
  EXPECT_EQ(ImageIdsMentioned("`/api/v1/help/images/3/x.png` [see](/api/v1/help/images/3/x.png)"), (Ids{3, 3}));
  // Not an image URL: no digits, no slash after them, cut at the end, another prefix.
  EXPECT_EQ(ImageIdsMentioned("/api/v1/help/images/x/a.png /api/v1/help/images/9 /api/v1/help/images/"), Ids{});
  EXPECT_EQ(ImageIdsMentioned("/api/v1/help/images/99999999999999999999999/a.png"), Ids{});
  EXPECT_EQ(ImageIdsMentioned("/api/v1/help/images//api/v1/help/images/5/a.png"), Ids{5});
}

TEST(ImageRefsTest, FindsInlineImagesOutsideCode) {
  const std::string md =
      "# Title\n"
      "See ![the form](img/form.png) and ![x](<img/with space.png> \"t\").\n"
      "Remote ![r](https://cdn.example/r.png) and `![code](img/no.png)` span.\n"
      "```\n"
      "![fenced](img/no2.png)\n"
      "```\n"
      "![last](../shared/a%20b.gif)";
  const auto refs = ImageRefs(md);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0].target, "img/form.png");
  EXPECT_EQ(refs[0].line, 2);
  EXPECT_EQ(md.substr(refs[0].begin, refs[0].end - refs[0].begin), "img/form.png");
  EXPECT_EQ(refs[1].target, "img/with space.png");
  EXPECT_EQ(refs[2].target, "https://cdn.example/r.png");
  EXPECT_EQ(refs[2].line, 3);
  EXPECT_EQ(refs[3].target, "../shared/a%20b.gif");
  EXPECT_EQ(refs[3].line, 7);
  EXPECT_EQ(TargetPath(refs[3].target), "../shared/a b.gif");

  EXPECT_TRUE(IsRelativeTarget("img/a.png"));
  EXPECT_TRUE(IsRelativeTarget("../a.png"));
  EXPECT_FALSE(IsRelativeTarget("https://cdn.example/r.png"));
  EXPECT_FALSE(IsRelativeTarget("data:image/png;base64,AAAA"));
  EXPECT_FALSE(IsRelativeTarget("//cdn.example/r.png"));
  EXPECT_FALSE(IsRelativeTarget("/api/v1/help/images/1/a.png"));
  EXPECT_FALSE(IsRelativeTarget("#top"));

  const std::string rewritten = ReplaceTargets(md, {refs[0], refs[3]}, {"/api/v1/help/images/1/form.png", "/x.gif"});
  EXPECT_NE(rewritten.find("![the form](/api/v1/help/images/1/form.png) and"), std::string::npos);
  EXPECT_NE(rewritten.find("![last](/x.gif)"), std::string::npos);
  EXPECT_NE(rewritten.find("![x](<img/with space.png> \"t\")"), std::string::npos);
}

}  // namespace
}  // namespace chamado::help
