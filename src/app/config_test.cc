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

TEST(Config, WhatsappIsAllOrNothingAndTheEnvironmentTokenWins) {
  const std::string full =
      "[whatsapp]\nverify_token = \"v-tok\"\napp_secret = \"s3cret\"\naccess_token = \"file-token\"\n"
      "phone_number_id = \"106540352242922\"\ngraph_url = \"http://127.0.0.1:9/v19.0/\"\n";
  auto c = LoadConfig(WriteTemp(full), MapEnv({{"CHAMADO_WHATSAPP_TOKEN", "env-token"}}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->whatsapp_enabled());
  EXPECT_EQ(c->whatsapp_access_token, "env-token");
  EXPECT_EQ(c->whatsapp_graph_url, "http://127.0.0.1:9/v19.0");  // the trailing slash dropped
  EXPECT_EQ(c->whatsapp_language, "en");
  auto off = LoadConfig("", MapEnv({}));
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->whatsapp_enabled());

  const struct {
    std::string text;
    std::string says;
  } rows[] = {
      {"[whatsapp]\nverify_token = \"v\"\n", "app_secret, access_token, phone_number_id missing"},
      {full + "tokne = \"x\"\n", "unknown key \"tokne\""},
      {"[whatsapp]\nverify_token = \"v\"\napp_secret = \"s\"\naccess_token = \"t\"\nphone_number_id = \"+55 11 9\"\n",
       "digits only"},
      {full + "[server]\n", ""},  // a valid file for the next rows' base
  };
  for (const auto& r : rows) {
    auto bad = LoadConfig(WriteTemp(r.text), MapEnv({}));
    if (r.says.empty()) {
      EXPECT_TRUE(bad.ok());
      continue;
    }
    ASSERT_FALSE(bad.ok()) << r.text;
    EXPECT_NE(bad.error().message.find(r.says), std::string::npos) << bad.error().message;
  }
  auto url = LoadConfig(WriteTemp(full), MapEnv({{"CHAMADO_WHATSAPP_GRAPH_URL", "file:///etc/passwd"}}));
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.error().message.find("graph_url"), std::string::npos);
  auto language = LoadConfig(WriteTemp(full), MapEnv({{"CHAMADO_WHATSAPP_LANGUAGE", "fr"}}));
  ASSERT_FALSE(language.ok());
  EXPECT_NE(language.error().message.find("desk languages"), std::string::npos);
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

TEST(Config, RetentionDays) {
  auto c = LoadConfig("", MapEnv({}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->retention_bot_transcript_days, 90);
  EXPECT_EQ(c->retention_unused_image_days, 7);
  c = LoadConfig(WriteTemp("[retention]\nbot_transcript_days = 0\nunused_image_days = 30\n"), MapEnv({}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->retention_bot_transcript_days, 0);
  EXPECT_EQ(c->retention_unused_image_days, 30);
  c = LoadConfig("", MapEnv({{"CHAMADO_RETENTION_UNUSED_IMAGE_DAYS", "-1"}}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("unused_image_days"), std::string::npos) << c.error().message;
  // Beyond an int's days: refused, not wrapped into a negative number.
  c = LoadConfig(WriteTemp("[retention]\noutbox_days = 9999999999\n"), MapEnv({}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("outbox_days"), std::string::npos) << c.error().message;
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

namespace chamado::app {
namespace {

// Every "#key = value" line of the example, uncommented.
std::string Uncommented(const std::string& example) {
  std::string out;
  size_t start = 0;
  while (start < example.size()) {
    size_t end = example.find('\n', start);
    if (end == std::string::npos) end = example.size();
    std::string line = example.substr(start, end - start);
    if (line.size() > 1 && line[0] == '#' && std::islower(static_cast<unsigned char>(line[1])) && line.find(" = ") != std::string::npos)
      line.erase(0, 1);
    else if (line.rfind("#[[", 0) == 0)
      line.erase(0, 1);
    out += line + "\n";
    start = end + 1;
  }
  return out;
}

TEST(ConfigExample, ListsEveryKeyCommentedOutAtItsDefault) {
  const std::string example = ConfigExample();
  const std::string reference = ConfigReference();
  // One "#name = " line per key of the reference (its last line is the secret patterns').
  size_t keys = 0;
  for (size_t at = reference.find("\n["); at != std::string::npos; at = reference.find("\n[", at + 1)) ++keys;
  size_t settings = 0;
  for (size_t at = example.find("\n#"); at != std::string::npos; at = example.find("\n#", at + 1))
    if (std::islower(static_cast<unsigned char>(example[at + 2])) && example.find(" = ", at) < example.find('\n', at + 1)) ++settings;
  EXPECT_EQ(settings, keys + 3) << "every key, plus the pattern's name, regex and group";
  EXPECT_NE(example.find("(CHAMADO_SERVER_LISTEN)\n#listen = \"127.0.0.1:8080\"\n"), std::string::npos) << example;

  const Config defaults;
  auto commented = LoadConfig(WriteTemp(example), MapEnv({}));
  ASSERT_TRUE(commented.ok()) << commented.error().message;
  EXPECT_EQ(commented->listen, defaults.listen);

  // Uncommented, every default reads back as itself.
  auto c = LoadConfig(WriteTemp(Uncommented(example)), MapEnv({}));
  ASSERT_TRUE(c.ok()) << c.error().message << "\n" << Uncommented(example);
  EXPECT_EQ(c->listen, defaults.listen);
  EXPECT_EQ(c->data, defaults.data);
  EXPECT_EQ(c->session_ttl_seconds, defaults.session_ttl_seconds);
  EXPECT_EQ(c->idle_timeout_seconds, defaults.idle_timeout_seconds);
  EXPECT_EQ(c->store_max_wal_bytes, defaults.store_max_wal_bytes);
  EXPECT_EQ(c->max_header_bytes, defaults.max_header_bytes);
  EXPECT_EQ(c->max_upload_bytes, defaults.max_upload_bytes);
  EXPECT_EQ(c->mail_max_message_bytes, defaults.mail_max_message_bytes);
  EXPECT_EQ(c->mask_default_patterns, defaults.mask_default_patterns);
  EXPECT_EQ(c->mail_hostname, defaults.mail_hostname);
  EXPECT_EQ(c->log_level, defaults.log_level);
  ASSERT_EQ(c->secret_patterns.size(), 1u);
  EXPECT_EQ(c->secret_patterns[0].group, 1);
}

}  // namespace
}  // namespace chamado::app
