#include "auth/credentials.h"

#include <gtest/gtest.h>

namespace chamado::auth {
namespace {

TEST(Credentials, PasswordHashVerifies) {
  ASSERT_TRUE(Init().ok());
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*h, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*h, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("garbage", "x"));
}

TEST(Credentials, Tokens) {
  ASSERT_TRUE(Init().ok());
  const auto a = NewToken(), b = NewToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(SameSecret("abc", "abc"));
  EXPECT_FALSE(SameSecret("abc", "abd"));
  EXPECT_FALSE(SameSecret("abc", "ab"));
}

TEST(Credentials, Sha256HexKnownVectors) {
  // FIPS 180-2 appendix B.1, and the empty message.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(std::string_view("a\0b", 3)), "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138")
      << "bytes after a NUL count";
}

// RFC 4231 test case 2 (key "Jefe"): 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843.
TEST(Credentials, SignIsHmacSha256) {
  ASSERT_TRUE(Init().ok());
  EXPECT_EQ(Sign("Jefe", "what do ya want for nothing?"), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
  EXPECT_NE(Sign("Jefe", "survey:12"), Sign("Jefe", "survey:13"));
  EXPECT_NE(Sign("Jefe", "survey:12"), Sign("Jeff", "survey:12"));
}

// Meta's X-Hub-Signature-256: "sha256=" and the hex HMAC of the raw body (RFC 4231 case 2).
TEST(Credentials, HubSignatureIsHexHmacOfTheRawBody) {
  ASSERT_TRUE(Init().ok());
  const std::string body = "what do ya want for nothing?";
  const std::string good = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(HubSignature("Jefe", body), good);
  const struct {
    std::string_view header;
    bool valid;
  } rows[] = {
      {good, true},
      {"sha256=5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843", true},
      {"sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3844", false},  // last digit
      {"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", false},         // no prefix
      {"sha1=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", false},
      {"", false},
  };
  for (const auto& r : rows) EXPECT_EQ(HubSignatureValid("Jefe", body, r.header), r.valid) << r.header;
  EXPECT_FALSE(HubSignatureValid("Jefe", body + " ", good));  // the body changed
  EXPECT_FALSE(HubSignatureValid("Jeff", body, good));        // another secret
  EXPECT_FALSE(HubSignatureValid("", body, HubSignature("", body)));  // no secret configured: nothing is valid
}

TEST(Credentials, PasswordRules) {
  EXPECT_FALSE(PasswordProblem("short").empty());
  EXPECT_TRUE(PasswordProblem("long enough").empty());
}

}  // namespace
}  // namespace chamado::auth
