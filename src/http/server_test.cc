// The server's streamed responses, over a real socket.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

namespace chamado::http {
namespace {

// A plain client: connects, sends a request, reads what comes.
class Client {
 public:
  explicit Client(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{10, 0};  // a test that waits longer has failed
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  void Send(const std::string& s) { (void)::send(fd_, s.data(), s.size(), MSG_NOSIGNAL); }
  // Reads until `needle` has come (true) or the connection ends or times out (false).
  bool ReadUntil(const std::string& needle) {
    while (got_.find(needle) == std::string::npos)
      if (!ReadSome()) return false;
    return true;
  }
  // Reads until the server closes; true when it did (rather than timing out).
  bool ReadToEnd() {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return false;
      got_.append(buf, size_t(n));
    }
  }
  const std::string& got() const { return got_; }

 private:
  bool ReadSome() {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    got_.append(buf, size_t(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string got_;
};

constexpr const char* kGet = "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n";

// A server whose every answer is a stream; what its handler was given is kept here.
struct StreamingServer {
  std::shared_ptr<StreamSink> sink;
  std::promise<void> opened;
  std::atomic<int> closed = 0;
  std::unique_ptr<Server> server;
  std::thread runner;

  explicit StreamingServer(ServerOptions o = {}, std::chrono::seconds lifetime = {}) {
    o.port = 0;
    o.threads = 2;
    auto s = Server::Bind(o, [this, lifetime](Request, Reply reply) {
      Response r;
      r.Set("Content-Type", "text/event-stream");
      r.stream = std::make_shared<Stream>();
      r.stream->heartbeat = ": beat\n\n";
      r.stream->open = [this](std::shared_ptr<StreamSink> s) {
        sink = std::move(s);
        opened.set_value();
      };
      r.stream->closed = [this] { ++closed; };
      r.stream->lifetime = lifetime;
      reply(std::move(r));
    });
    EXPECT_TRUE(s.ok());
    server = std::move(*s);
    runner = std::thread([this] { server->Run(); });
  }
  ~StreamingServer() {
    server->Stop();
    runner.join();
  }
  void WaitOpen() { opened.get_future().wait(); }
  // `closed` is counted on a network thread.
  bool WaitClosed(int n) {
    for (int i = 0; i < 500 && closed < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return closed == n;
  }
};

TEST(ServerStream, HeadThenChunksThenEndClosesTheConnection) {
  StreamingServer s;
  Client c(s.server->port());
  ASSERT_TRUE(c.connected());
  c.Send(kGet);
  s.WaitOpen();
  EXPECT_TRUE(s.sink->Send("data: one\n\n"));
  EXPECT_TRUE(s.sink->Send("data: two\n\n"));
  ASSERT_TRUE(c.ReadUntil("data: two\n\n"));
  const std::string& got = c.got();
  EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("Content-Type: text/event-stream\r\n"), std::string::npos);
  EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Content-Length"), std::string::npos);
  EXPECT_LT(got.find("data: one"), got.find("data: two"));
  s.sink->End();
  EXPECT_TRUE(c.ReadToEnd());
  EXPECT_TRUE(s.WaitClosed(1));
  EXPECT_FALSE(s.sink->Send("data: late\n\n"));
}

TEST(ServerStream, HeartbeatKeepsAQuietStreamPastTheIdleTimeout) {
  ServerOptions o;
  o.idle_timeout_seconds = 1;
  o.stream_heartbeat_seconds = 1;
  StreamingServer s(o);
  Client c(s.server->port());
  c.Send(kGet);
  s.WaitOpen();
  ASSERT_TRUE(c.ReadUntil(": beat\n\n"));
  // Well past the idle timeout, the stream still carries what is sent.
  ASSERT_TRUE(c.ReadUntil(": beat\n\n: beat\n\n: beat\n\n"));
  EXPECT_TRUE(s.sink->Send("data: still here\n\n"));
  EXPECT_TRUE(c.ReadUntil("data: still here\n\n"));
  EXPECT_EQ(s.closed, 0);
}

TEST(ServerStream, AStreamEndsOnceItsLifetimeIsOver) {
  ServerOptions o;
  o.stream_heartbeat_seconds = 1;
  StreamingServer s(o, std::chrono::seconds(2));
  Client c(s.server->port());
  c.Send(kGet);
  s.WaitOpen();
  EXPECT_TRUE(s.sink->Send("data: before\n\n"));
  EXPECT_TRUE(c.ReadToEnd());
  EXPECT_NE(c.got().find("data: before\n\n"), std::string::npos);
  EXPECT_TRUE(s.WaitClosed(1));
}

TEST(ServerStream, AClientLeavingClosesTheStream) {
  StreamingServer s;
  Client c(s.server->port());
  c.Send(kGet);
  s.WaitOpen();
  c.Close();
  EXPECT_TRUE(s.WaitClosed(1));
}

TEST(ServerStream, MoreBacklogThanAllowedCutsTheClientOff) {
  ServerOptions o;
  o.max_stream_backlog_bytes = 4096;
  StreamingServer s(o);
  Client c(s.server->port());
  c.Send(kGet);
  s.WaitOpen();
  s.sink->Send(std::string(10000, 'x'));
  EXPECT_TRUE(c.ReadToEnd());
  EXPECT_EQ(c.got().find("xxxx"), std::string::npos);
  EXPECT_TRUE(s.WaitClosed(1));
}

TEST(ServerStream, StopEndsOpenStreams) {
  auto s = std::make_unique<StreamingServer>();
  Client c(s->server->port());
  c.Send(kGet);
  s->WaitOpen();
  s->server->Stop();
  s->runner.join();
  EXPECT_EQ(s->closed, 1);
  EXPECT_TRUE(c.ReadToEnd());
  s->runner = std::thread([] {});  // the destructor stops and joins again
}

}  // namespace
}  // namespace chamado::http
