#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace chamado::app {
namespace {

EnvLookup MapEnv(std::map<std::string, std::string> m) {
  return [m](const std::string& k) -> std::optional<std::string> {
    auto it = m.find(k);
    return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

// One file per test process and call: CTest runs these tests in parallel processes.
std::string WriteTemp(const std::string& text) {
  static int serial = 0;
  const std::string path = ::testing::TempDir() + "/chamado_config_test." + std::to_string(::getpid()) + "." +
                           std::to_string(++serial) + ".toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, FileThenEnvironment) {
  const auto path = WriteTemp("[server]\nlisten = \"0.0.0.0:9000\"\nsession_ttl = \"12h\"\n[limits]\nmax_attachment_bytes = \"5MiB\"\n");
  auto c = LoadConfig(path, MapEnv({{"CHAMADO_SERVER_LISTEN", "127.0.0.1:9100"}, {"CHAMADO_SERVER_COOKIE_SECURE", "true"}}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->listen, "127.0.0.1:9100");
  EXPECT_TRUE(c->cookie_secure);
  EXPECT_EQ(c->session_ttl_seconds, 12 * 3600);
  EXPECT_EQ(c->max_attachment_bytes, 5 * 1024 * 1024);
}

TEST(Config, ErrorsNameTheLineAndKey) {
  auto c = LoadConfig(WriteTemp("[server]\nlisten = \"x\"\nlisen = \"typo\"\n"), MapEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find(":3:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("lisen"), std::string::npos);

  c = LoadConfig(WriteTemp("[sever]\n"), MapEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("sever"), std::string::npos);

  c = LoadConfig(WriteTemp("[server]\nthreads = \"many\"\n"), MapEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("server.threads"), std::string::npos);

  c = LoadConfig(WriteTemp("[server\n"), MapEnv({}));
  ASSERT_FALSE(c.ok());

  c = LoadConfig("", MapEnv({{"CHAMADO_SERVER_SESSION_TTL", "forever"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("CHAMADO_SERVER_SESSION_TTL"), std::string::npos);
}

TEST(Config, SecretPatterns) {
  auto c = LoadConfig(WriteTemp("[security]\nmask_default_patterns = false\n[[security.secret_patterns]]\nname = \"acme\"\nregex = \"ACME-([0-9]{8})\"\ngroup = 1\n"),
                      MapEnv({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->mask_default_patterns);
  ASSERT_EQ(c->secret_patterns.size(), 1u);
  EXPECT_EQ(c->secret_patterns[0].group, 1);
  auto bad = LoadConfig(WriteTemp("[[security.secret_patterns]]\nname = \"x\"\nregex = \"(\"\n"), MapEnv({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":1:"), std::string::npos) << bad.error().message;
}

TEST(Config, StoreLogBound) {
  auto c = LoadConfig("", MapEnv({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->store_max_wal_bytes, 64 * 1024 * 1024);
  c = LoadConfig(WriteTemp("[store]\nmax_wal_bytes = \"16MiB\"\n"), MapEnv({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->store_max_wal_bytes, 16 * 1024 * 1024);
  c = LoadConfig("", MapEnv({{"CHAMADO_STORE_MAX_WAL_BYTES", "4k"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("at least 1MiB"), std::string::npos) << c.error().message;
}

TEST(Config, MissingFileIsAnError) {
  EXPECT_FALSE(LoadConfig("/nonexistent/chamado.toml", MapEnv({})).ok());
}

TEST(Config, Listen) {
  auto l = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->first, "127.0.0.1");
  EXPECT_EQ(l->second, 8080);
  EXPECT_TRUE(ParseListen("[::1]:0").ok());
  EXPECT_FALSE(ParseListen("8080").ok());
  EXPECT_FALSE(ParseListen("localhost:http").ok());
  EXPECT_FALSE(ParseListen("1.2.3.4:70000").ok());
}

}  // namespace
}  // namespace chamado::app
