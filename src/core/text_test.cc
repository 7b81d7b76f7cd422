#include "core/text.h"

#include <gtest/gtest.h>

namespace chamado {
namespace {

TEST(Text, Utf8) {
  EXPECT_TRUE(IsValidUtf8("Não consigo acessar a conta — ошибка 🙂"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_EQ(Utf8Length("ação"), 4u);
}

TEST(Text, Email) {
  struct Case { const char* in; const char* out; };
  const Case cases[] = {
      {"Ana@Example.COM", "ana@example.com"},
      {"  joao.silva+suporte@empresa.com.br ", "joao.silva+suporte@empresa.com.br"},
      {"no-at-sign.example.com", ""},
      {"two@@example.com", ""},
      {"a@b", ""},
      {"a b@example.com", ""},
      {"<a@example.com>", ""},
      {"a@example..com", ""},
      {".a@example.com", ""},
      {"a@.example.com", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(NormalizeEmail(c.in), c.out) << c.in;
  EXPECT_EQ(EmailDomain("ana@example.com"), "example.com");
}

TEST(Text, SlugAndTrim) {
  EXPECT_TRUE(IsSlug("premium"));
  EXPECT_TRUE(IsSlug("order_id-2"));
  EXPECT_FALSE(IsSlug("_x"));
  EXPECT_FALSE(IsSlug("Premium"));
  EXPECT_FALSE(IsSlug(""));
  EXPECT_EQ(Trim("  x y \n"), "x y");
  EXPECT_TRUE(HasControlChars("a\nb", false));
  EXPECT_FALSE(HasControlChars("a\nb\tc", true));
  EXPECT_TRUE(HasControlChars(std::string("a\0b", 3), true));
}

TEST(Text, ParseId) {
  EXPECT_EQ(ParseId("42"), 42);
  EXPECT_EQ(ParseId("999999999999999999"), 999999999999999999);
  for (const char* bad : {"", "0", "-1", "1e3", "12a", " 1", "9999999999999999999"}) EXPECT_FALSE(ParseId(bad)) << bad;
}

}  // namespace
}  // namespace chamado
