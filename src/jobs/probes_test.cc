// Status probes against a small HTTP server the test starts and stops: what the probes see
// ends in the month's figure, to the minute.
#include "jobs/probes.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "core/clock.h"
#include "jobs/scheduler.h"
#include "store/status.h"
#include "store/testing.h"

namespace chamado::jobs {
namespace {
namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::seconds;

Instant At(const char* iso) { return *ParseIsoInstant(iso); }

// Answers every request on 127.0.0.1:`port` with `status` and `body`, until stopped. The port
// is the first one it got (0: any), so a restarted server listens where it did.
class TinyHttp {
 public:
  TinyHttp(int port, int status, std::string body) : status_(status), body_(std::move(body)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(port));
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on port " << port;
      return;
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyHttp() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, size_t(n));
      }
      const std::string answer = "HTTP/1.1 " + std::to_string(status_) + " X\r\nContent-Length: " + std::to_string(body_.size()) +
                                 "\r\nConnection: close\r\n\r\n" + body_;
      (void)::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  int status_;
  std::string body_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class ProbesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = fs::temp_directory_path() / ("chamado_probes_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::Store::Open(store::TestStoreOptions(dir_));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  store::StatusProbe AddProbe(const store::ProbeInput& in, Instant now) {
    auto r = store_->WriteSync<store::StatusProbe>([&](store::Repo& repo) -> Result<store::StatusProbe> {
      CHAMADO_ASSIGN_OR_RETURN(auto c, store::CreateComponent(repo, {"web", {{"en", "Web interface"}}, {}, 0}, now));
      return store::CreateProbe(repo, c.id, in, now);
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

// The scheduler on the test clock, a pass a minute from 10:00 to 11:00: the server is stopped
// at 10:20 and started again at 10:25, so the checks of 10:20 to 10:24 fail (one retry each).
// March's figure at 11:00:30 (the component exists from 10:00): 5 minutes down, 55 min 30 s up.
TEST_F(ProbesTest, DowntimeShowsToTheMinuteInTheMonth) {
  auto server = std::make_unique<TinyHttp>(0, 200, "status: ok");
  const int port = server->port();
  core::ManualClock clock(At("2026-03-10T10:00:00Z"));
  const auto probe = AddProbe({"http", "http://127.0.0.1:" + std::to_string(port) + "/health", 200, "ok", 60, 2, 1, true}, clock.Now());
  Scheduler scheduler(*store_, clock, nullptr);
  for (Instant t = At("2026-03-10T10:00:00Z"); t <= At("2026-03-10T11:00:00Z"); t += minutes(1)) {
    if (t == At("2026-03-10T10:20:00Z")) server.reset();
    if (t == At("2026-03-10T10:25:00Z")) server = std::make_unique<TinyHttp>(port, 200, "status: ok");
    clock.Set(t);
    auto ran = scheduler.RunDue();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
  }
  auto samples = store_->Read<std::vector<store::StatusSample>>([&](store::Repo& r) {
    return store::StatusRepo(r.conn()).Samples(probe.id, At("2026-03-10T10:00:00Z"), At("2026-03-10T12:00:00Z"));
  });
  ASSERT_TRUE(samples.ok());
  ASSERT_EQ(samples->size(), 61u);
  EXPECT_FALSE((*samples)[20].up);
  EXPECT_EQ((*samples)[20].attempts, 2);
  EXPECT_FALSE((*samples)[20].error.empty());
  EXPECT_TRUE((*samples)[25].up);
  EXPECT_EQ((*samples)[25].attempts, 1);

  auto month = store_->Read<status::Uptime>([&](store::Repo& r) -> Result<status::Uptime> {
    CHAMADO_ASSIGN_OR_RETURN(auto window, status::MonthWindow("2026-03", "America/Sao_Paulo"));
    CHAMADO_ASSIGN_OR_RETURN(auto c, store::StatusRepo(r.conn()).Component(probe.component_id));
    return store::ComponentUptime(r, sla::StatusRules{}, *c, window, At("2026-03-10T11:00:30Z"), true);
  });
  ASSERT_TRUE(month.ok()) << month.error().message;
  EXPECT_EQ(month->down, minutes(5));
  EXPECT_EQ(month->up, minutes(55) + seconds(30));
  EXPECT_EQ(month->unknown, minutes(0));
  ASSERT_EQ(month->explanation.size(), 3u);
  EXPECT_EQ(month->explanation[1].from, At("2026-03-10T10:20:00Z"));
  EXPECT_EQ(month->explanation[1].to, At("2026-03-10T10:25:00Z"));
  EXPECT_EQ(month->explanation[1].state, status::State::kDown);
}

TEST_F(ProbesTest, StatusBodyAndTcp) {
  TinyHttp busy(0, 503, "maintenance");
  auto transport = MakeCurlTransport();
  store::StatusProbe p;
  p.kind = store::ProbeKind::kHttp;
  p.target = "http://127.0.0.1:" + std::to_string(busy.port()) + "/";
  p.timeout = seconds(2);
  auto a = transport->Try(p);
  EXPECT_FALSE(a.up);
  EXPECT_EQ(a.error, "expected status 2xx, got 503");
  p.expect_status = 503;
  EXPECT_TRUE(transport->Try(p).up);
  p.expect_body = "all good";
  a = transport->Try(p);
  EXPECT_FALSE(a.up);
  EXPECT_EQ(a.error, "the answer does not contain \"all good\"");

  store::StatusProbe tcp;
  tcp.kind = store::ProbeKind::kTcp;
  tcp.target = "127.0.0.1:" + std::to_string(busy.port());
  tcp.timeout = seconds(2);
  tcp.retries = 2;
  const auto s = Check(*transport, tcp, At("2026-03-10T10:00:00Z"));
  EXPECT_TRUE(s.up);
  EXPECT_EQ(s.attempts, 1);
}

TEST_F(ProbesTest, ClosedPortIsDownAfterTheRetries) {
  int port = 0;
  { port = TinyHttp(0, 200, "").port(); }  // a port nobody listens on any more
  store::StatusProbe tcp;
  tcp.kind = store::ProbeKind::kTcp;
  tcp.target = "127.0.0.1:" + std::to_string(port);
  tcp.timeout = seconds(2);
  tcp.retries = 2;
  auto transport = MakeCurlTransport();
  const auto s = Check(*transport, tcp, At("2026-03-10T10:00:00Z"));
  EXPECT_FALSE(s.up);
  EXPECT_EQ(s.attempts, 3);
  EXPECT_FALSE(s.error.empty());
}

}  // namespace
}  // namespace chamado::jobs
