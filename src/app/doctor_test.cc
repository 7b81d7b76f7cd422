#include "app/doctor.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/sqlite.h"
#include "store/store.h"

namespace chamado::app {
namespace {
namespace fs = std::filesystem;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("chamado_doctor_test_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A database migrated now (the wall clock: Store::Open records when it migrated).
  void MakeDatabase() {
    auto s = store::Store::Open({(dir_ / "chamado.db").string()});
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  void RunSql(const std::string& sql) {
    auto c = store::OpenSqlite((dir_ / "chamado.db").string(), {.writer = true});
    ASSERT_TRUE(c.ok()) << c.error().message;
    ASSERT_TRUE((*c)->Script(sql).ok()) << sql;
  }
  const CheckResult& Named(const std::vector<CheckResult>& checks, const std::string& name) {
    for (const auto& c : checks)
      if (c.name == name) return c;
    ADD_FAILURE() << "no check named " << name;
    return checks.front();
  }

  fs::path dir_;
  const Instant later_ = At("2100-01-01T00:00:00Z");
};

TEST_F(DoctorTest, DataFolder) {
  EXPECT_EQ(CheckDataFolder(dir_.string()).status, CheckStatus::kOk);
  EXPECT_NE(CheckDataFolder(dir_.string()).detail.find("is writable"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(dir_)) << "the probe file is removed";
  EXPECT_EQ(CheckDataFolder(dir_.string()).detail.find("belongs to"), std::string::npos);
  const auto missing = CheckDataFolder((dir_ / "nope").string());
  EXPECT_EQ(missing.status, CheckStatus::kFailed);
  EXPECT_NE(missing.detail.find("does not exist"), std::string::npos);
  if (::geteuid() == 0) {  // root may give the folder away
    fs::create_directories(dir_ / "service");
    ASSERT_EQ(::chown((dir_ / "service").c_str(), 65534, 65534), 0);
    const auto theirs = CheckDataFolder((dir_ / "service").string());
    EXPECT_EQ(theirs.status, CheckStatus::kWarning);
    EXPECT_NE(theirs.detail.find(": run chamado commands on it as "), std::string::npos) << theirs.detail;
    fs::remove_all(dir_ / "service");
  }
  if (::getuid() != 0) {  // root writes anywhere
    fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
    const auto readonly = CheckDataFolder(dir_.string());
    fs::permissions(dir_, fs::perms::owner_all);
    EXPECT_EQ(readonly.status, CheckStatus::kFailed);
    EXPECT_NE(readonly.detail.find("not writable"), std::string::npos);
  }
}

TEST_F(DoctorTest, AHealthyDatabase) {
  MakeDatabase();
  const auto checks = CheckDatabase(dir_.string(), later_);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(Named(checks, "database").status, CheckStatus::kOk) << Named(checks, "database").detail;
  EXPECT_EQ(Named(checks, "migrations").status, CheckStatus::kOk);
  EXPECT_EQ(Named(checks, "migrations").detail, "schema version " + std::to_string(store::LatestSchemaVersion()) + ", current");
  EXPECT_EQ(Named(checks, "clock").status, CheckStatus::kOk);
}

TEST_F(DoctorTest, NoDatabaseYet) {
  const auto checks = CheckDatabase(dir_.string(), later_);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kFailed);
  EXPECT_NE(checks[0].detail.find("chamado migrate"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "chamado.db")) << "the doctor creates nothing";
}

TEST_F(DoctorTest, PendingMigrationsWarnAndANewerSchemaFails) {
  MakeDatabase();
  RunSql("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
  auto migrations = Named(CheckDatabase(dir_.string(), later_), "migrations");
  EXPECT_EQ(migrations.status, CheckStatus::kWarning);
  EXPECT_NE(migrations.detail.find("1 migration(s) pending"), std::string::npos) << migrations.detail;

  RunSql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'V9999__future.sql', 0)");
  migrations = Named(CheckDatabase(dir_.string(), later_), "migrations");
  EXPECT_EQ(migrations.status, CheckStatus::kFailed);
  EXPECT_NE(migrations.detail.find("schema version 9999 is newer"), std::string::npos) << migrations.detail;
}

TEST_F(DoctorTest, AClockBehindTheDatabaseFails) {
  MakeDatabase();
  RunSql("UPDATE schema_migrations SET applied_at = 4102444800000");  // 2100-01-01
  const auto clock = Named(CheckDatabase(dir_.string(), At("2099-12-31T23:00:00Z")), "clock");
  EXPECT_EQ(clock.status, CheckStatus::kFailed);
  EXPECT_NE(clock.detail.find("before 2100-01-01T00:00:00Z"), std::string::npos) << clock.detail;
}

TEST_F(DoctorTest, ADamagedDatabaseFails) {
  MakeDatabase();
  const auto size = fs::file_size(dir_ / "chamado.db");
  ASSERT_GT(size, 8 * 4096u);
  {
    std::fstream f(dir_ / "chamado.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4 * 4096);
    const std::string garbage(3 * 4096, '\x5a');
    f.write(garbage.data(), std::streamsize(garbage.size()));
  }
  const auto checks = CheckDatabase(dir_.string(), later_);
  EXPECT_EQ(Named(checks, "database").status, CheckStatus::kFailed);
}

TEST_F(DoctorTest, TemplatesAndWebUi) {
  EXPECT_EQ(CheckTemplates("").status, CheckStatus::kFailed);
  EXPECT_EQ(CheckWebUi("").status, CheckStatus::kFailed);
  fs::create_directories(dir_ / "mail" / "pt-BR");
  EXPECT_EQ(CheckTemplates((dir_ / "mail").string()).status, CheckStatus::kFailed) << "en is the fallback every desk needs";
  fs::create_directories(dir_ / "mail" / "en");
  const auto templates = CheckTemplates((dir_ / "mail").string());
  EXPECT_EQ(templates.status, CheckStatus::kOk);
  EXPECT_NE(templates.detail.find("(2 language(s))"), std::string::npos);
  EXPECT_EQ(CheckWebUi(dir_.string()).status, CheckStatus::kFailed);
  std::ofstream(dir_ / "index.html") << "<!doctype html>";
  EXPECT_EQ(CheckWebUi(dir_.string()).status, CheckStatus::kOk);
}

TEST_F(DoctorTest, MailIsSkippedWithoutASmartHostAndReachedWithOne) {
  EXPECT_EQ(CheckMail("", std::chrono::seconds(1)).status, CheckStatus::kSkipped);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::string url = "smtp://127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  // A smart host that greets and answers EHLO (what connecting to SMTP takes).
  std::thread host([fd] {
    const int c = ::accept(fd, nullptr, nullptr);
    if (c < 0) return;
    const std::string greeting = "220 relay.test ESMTP\r\n";
    (void)!::write(c, greeting.data(), greeting.size());
    char buf[512];
    (void)!::read(c, buf, sizeof buf);  // EHLO
    const std::string hello = "250 relay.test\r\n";
    (void)!::write(c, hello.data(), hello.size());
    (void)!::read(c, buf, sizeof buf);  // until the doctor hangs up
    ::close(c);
  });
  const auto reached = CheckMail(url, std::chrono::seconds(2));
  host.join();
  EXPECT_EQ(reached.status, CheckStatus::kOk) << reached.detail;
  ::close(fd);  // nobody listens there any more
  const auto refused = CheckMail(url, std::chrono::seconds(2));
  EXPECT_EQ(refused.status, CheckStatus::kFailed);
  EXPECT_NE(refused.detail.find("is not reachable"), std::string::npos) << refused.detail;
}

TEST_F(DoctorTest, TimeZones) {
  const auto system = CheckTimeZones("/usr/share/zoneinfo");
  EXPECT_EQ(system.status, CheckStatus::kOk) << system.detail;
  EXPECT_NE(system.detail.find("tzdata 20"), std::string::npos) << system.detail;
  const auto none = CheckTimeZones(dir_.string());
  EXPECT_EQ(none.status, CheckStatus::kFailed);
  EXPECT_NE(none.detail.find("install tzdata"), std::string::npos);
}

TEST_F(DoctorTest, OneLinePerCheckAndTheExitStatus) {
  std::ostringstream out;
  EXPECT_EQ(PrintChecks({{"web UI", CheckStatus::kOk, "/usr/share/chamado/web"}, {"mail", CheckStatus::kSkipped, "no smtp_url"}}, out), 0);
  EXPECT_EQ(out.str(), "ok       web UI: /usr/share/chamado/web\nskipped  mail: no smtp_url\n");
  std::ostringstream bad;
  EXPECT_EQ(PrintChecks({{"migrations", CheckStatus::kWarning, "1 pending"}, {"database", CheckStatus::kFailed, "damaged"}}, bad), 1);
  EXPECT_EQ(bad.str(), "warning  migrations: 1 pending\nFAILED   database: damaged\n");
}

}  // namespace
}  // namespace chamado::app
