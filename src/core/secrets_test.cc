#include "core/secrets.h"

#include <gtest/gtest.h>

namespace chamado {
namespace {

const SecretMasker& Masker() {
  static auto m = *SecretMasker::Make(SecretMasker::Defaults());
  return *m;
}

struct Case {
  const char* name;
  const char* in;
  const char* out;
  int count;
};

TEST(Secrets, DefaultPatterns) {
  const Case cases[] = {
      {"stripe key", "my key is sk_live_4eC39HqLyjWDarjtT1zdp7dc, thanks",
       "my key is sk_l••••••••••••••••••••••••p7dc, thanks", 1},
      {"labelled key", "D360-API-KEY: Zq8vK2mN4pR7tX1wY3bC", "D360-API-KEY: Zq8v••••••••••••Y3bC", 1},
      {"password line", "login: ana\npassword: hunter2!\nthanks", "login: ana\npassword: h••••••!\nthanks", 1},
      {"portuguese", "Minha senha=Abacaxi2024 não funciona", "Minha senha=A•••••••••4 não funciona", 1},
      {"bearer", "curl -H 'Authorization: Bearer abcdefghijklmnop1234567890'",
       "curl -H 'Authorization: Bearer abcd••••••••••••••••••7890'", 1},
      {"aws", "AKIAIOSFODNN7EXAMPLE is the key", "AKIA••••••••••••MPLE is the key", 1},
      {"nothing", "The webhook answers 500 since 10:00; request id 8c1f.", "The webhook answers 500 since 10:00; request id 8c1f.", 0},
      {"the word password alone", "I forgot my password, please help", "I forgot my password, please help", 0},
      {"two secrets", "token=aaaaaaaaaaaaaaaa and password: bbbbbbbbbb", "token=aaaa••••••••aaaa and password: b••••••••b", 2},
      {"meta access token", "token do WhatsApp EAAGm0PX4ZCpsBAKZCZBq7ZAZCnZBvZCZBQZDZD expira amanhã",
       "token do WhatsApp EAAG•••••••••••••••••••••••••••••••ZDZD expira amanhã", 1},
      {"senha é", "minha senha é Abacaxi2024! e o login ana", "minha senha é Abac••••024! e o login ana", 1},
      {"password is", "The password is Tr0ub4dor&3 since Monday", "The password is T•••••••••3 since Monday", 1},
      {"password is not a password", "My password is not working since Monday", "My password is not working since Monday", 0},
      {"a pass is not a password", "the bus pass is valid until 2027", "the bus pass is valid until 2027", 0},
      {"quoted, several words", "password: \"correct horse battery staple\" ok", "password: \"corr••••••••••••••••••••aple\" ok", 1},
  };
  for (const auto& c : cases) {
    auto m = Masker().Mask(c.in);
    EXPECT_EQ(m.text, c.out) << c.name;
    EXPECT_EQ(m.count, c.count) << c.name;
  }
}

TEST(Secrets, PrivateKeyBlock) {
  const std::string key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\n"
      "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
      "QyNTUxOQAAACBvYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNAAAAJg=\n"
      "-----END OPENSSH PRIVATE KEY-----";
  auto m = Masker().Mask("here:\n" + key + "\nbye");
  EXPECT_EQ(m.count, 1);
  EXPECT_EQ(m.text.find("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"), std::string::npos);
  EXPECT_NE(m.text.find("-----BEGIN OPENSSH PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(m.text.find("AJg="), std::string::npos);  // the last four characters stay
}

TEST(Secrets, EncryptedAndTruncatedKeyBlocks) {
  const std::string encrypted =
      "-----BEGIN RSA PRIVATE KEY-----\n"
      "Proc-Type: 4,ENCRYPTED\n"
      "DEK-Info: AES-128-CBC,3F17F5316E2BAC89D22A4E8B1C9C0F5A\n\n"
      "qnRSNCTDCcSBZc0JhRXdCcF8dS6aU1R4cXnSVa1D9a8gYpL9Ys2Lm3Nq4Rr5Ss6Tt7Uu\n"
      "-----END RSA PRIVATE KEY-----";
  auto m = Masker().Mask(encrypted);
  EXPECT_EQ(m.count, 1);
  EXPECT_EQ(m.text.find("qnRSNCTDCcSBZc0JhRXdCcF8"), std::string::npos);
  EXPECT_EQ(m.text.find("3F17F5316E2BAC89"), std::string::npos);
  // Pasted without its end (cut off by a chat window or a mail client).
  const std::string truncated = "key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\nAAAAMwAAAAtzc2gt";
  m = Masker().Mask(truncated);
  EXPECT_EQ(m.count, 1);
  EXPECT_EQ(m.text.find("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE"), std::string::npos);
}

TEST(Secrets, BadPatternIsAnError) {
  auto m = SecretMasker::Make({{"broken", "(unclosed", 0}});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("broken"), std::string::npos);
  EXPECT_FALSE(SecretMasker::Make({{"nogroup", "abc", 2}}).ok());
}

TEST(Secrets, MaskSecretLengths) {
  EXPECT_EQ(MaskSecret("abcdefghijkl"), "abcd••••ijkl");
  EXPECT_EQ(MaskSecret("secret"), "s••••t");
  EXPECT_EQ(MaskSecret("ab"), "••");
}

}  // namespace
}  // namespace chamado
