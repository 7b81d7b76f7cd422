#include "mail/lmtp.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <spdlog/spdlog.h>

#include "core/text.h"

namespace chamado::mail {
namespace {

// A connection's buffered reader and writer over a blocking socket with a receive timeout.
class Conn {
 public:
  explicit Conn(int fd) : fd_(fd) {}

  // One line without its CRLF (or LF). False on timeout, close or a line over `max` bytes
  // (then `too_long` is set and the rest of the line is consumed).
  bool ReadLine(std::string& line, size_t max, bool& too_long) {
    line.clear();
    too_long = false;
    for (;;) {
      size_t nl = buf_.find('\n', pos_);
      if (nl != std::string::npos) {
        size_t end = nl;
        if (end > pos_ && buf_[end - 1] == '\r') --end;
        if (!too_long) line.assign(buf_, pos_, end - pos_);
        pos_ = nl + 1;
        if (line.size() > max) too_long = true;
        return true;
      }
      if (buf_.size() - pos_ > max) {  // keep reading, but drop what we have
        too_long = true;
        pos_ = buf_.size();
      }
      if (pos_ > 0 && pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
      }
      char chunk[16384];
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      if (pos_ > 65536) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }

  bool Write(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  bool Reply(int code, std::string_view enhanced, std::string_view text) {
    std::string line = std::to_string(code);
    line += ' ';
    if (!enhanced.empty()) {
      line += enhanced;
      line += ' ';
    }
    for (char c : text) line += (c == '\r' || c == '\n') ? ' ' : c;
    line += "\r\n";
    return Write(line);
  }

 private:
  int fd_;
  std::string buf_;
  size_t pos_ = 0;
};

// "MAIL FROM:<a@b> SIZE=123" -> "a@b" (empty for the null sender "<>").
std::string PathArgument(std::string_view arg) {
  arg = Trim(arg);
  auto open = arg.find('<');
  auto close = arg.find('>', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos) return std::string(arg.substr(open + 1, close - open - 1));
  auto space = arg.find(' ');
  return std::string(arg.substr(0, space));
}

std::optional<size_t> SizeParameter(std::string_view arg) {
  std::string upper = AsciiLower(arg);
  auto at = upper.find(" size=");
  if (at == std::string::npos) return std::nullopt;
  size_t value = 0;
  for (size_t i = at + 6; i < upper.size() && upper[i] >= '0' && upper[i] <= '9'; ++i) {
    if (value > (SIZE_MAX - 9) / 10) return SIZE_MAX;
    value = value * 10 + static_cast<size_t>(upper[i] - '0');
  }
  return value;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == prefix;
}

}  // namespace

struct LmtpServer::Impl {
  LmtpOptions options;
  Deliver deliver;
  int listen_fd = -1;
  unsigned short port = 0;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable idle;
  std::set<int> connections;  // GUARDED_BY(mu)

  void AcceptLoop() {
    for (;;) {
      pollfd p{listen_fd, POLLIN, 0};
      int r = ::poll(&p, 1, 200);
      if (stopping) return;
      if (r <= 0) continue;
      int fd = ::accept(listen_fd, nullptr, nullptr);
      if (fd < 0) continue;
      timeval tv{static_cast<time_t>(options.timeout.count()), 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      {
        std::lock_guard lock(mu);
        if (connections.size() >= static_cast<size_t>(options.max_connections)) {
          Conn(fd).Reply(421, "4.3.2", "Too many connections; try again later");
          ::close(fd);
          continue;
        }
        connections.insert(fd);
      }
      std::thread([this, fd] {
        Session(fd);
        ::close(fd);
        std::lock_guard lock(mu);
        connections.erase(fd);
        idle.notify_all();
      }).detach();
    }
  }

  void Session(int fd) {
    Conn c(fd);
    if (!c.Reply(220, "", options.hostname + " LMTP Chamado ready")) return;
    std::string sender;
    bool have_sender = false;
    int recipients = 0;
    std::string line;
    bool too_long = false;
    while (!stopping && c.ReadLine(line, 4096, too_long)) {
      if (too_long) {
        if (!c.Reply(500, "5.5.2", "Line too long")) return;
        continue;
      }
      std::string_view cmd = line;
      if (StartsWithNoCase(cmd, "lhlo")) {
        sender.clear();
        have_sender = false;
        recipients = 0;
        std::string hello = "250-" + options.hostname + "\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SIZE " +
                            std::to_string(options.max_message_bytes) + "\r\n";
        if (!c.Write(hello)) return;
      } else if (StartsWithNoCase(cmd, "helo") || StartsWithNoCase(cmd, "ehlo")) {
        if (!c.Reply(500, "5.5.1", "This is LMTP (RFC 2033); greet with LHLO")) return;
      } else if (StartsWithNoCase(cmd, "mail from:")) {
        if (have_sender) {
          if (!c.Reply(503, "5.5.1", "Sender already given; RSET first")) return;
          continue;
        }
        auto size = SizeParameter(cmd);
        if (size && *size > options.max_message_bytes) {
          if (!c.Reply(552, "5.3.4", "Message too big for this desk")) return;
          continue;
        }
        sender = PathArgument(cmd.substr(10));
        have_sender = true;
        if (!c.Reply(250, "2.1.0", "Sender OK")) return;
      } else if (StartsWithNoCase(cmd, "rcpt to:")) {
        if (!have_sender) {
          if (!c.Reply(503, "5.5.1", "MAIL FROM first")) return;
        } else if (recipients >= 100) {
          if (!c.Reply(452, "4.5.3", "Too many recipients")) return;
        } else {
          ++recipients;
          if (!c.Reply(250, "2.1.5", "Recipient OK")) return;
        }
      } else if (AsciiLower(Trim(cmd)) == "data") {
        if (!have_sender || recipients == 0) {
          if (!c.Reply(503, "5.5.1", "MAIL FROM and RCPT TO first")) return;
          continue;
        }
        if (!c.Reply(354, "", "Start mail input; end with <CRLF>.<CRLF>")) return;
        std::string raw;
        bool oversize = false;
        bool ended = false;
        while (c.ReadLine(line, options.max_message_bytes, too_long)) {
          if (too_long) {
            oversize = true;
            continue;
          }
          if (line == ".") {
            ended = true;
            break;
          }
          std::string_view l = line;
          if (l.starts_with('.')) l.remove_prefix(1);  // dot-stuffing
          if (raw.size() + l.size() + 2 > options.max_message_bytes) oversize = true;
          if (!oversize) {
            raw += l;
            raw += "\r\n";
          }
        }
        if (!ended) return;
        LmtpReply reply = oversize ? LmtpReply{552, "5.3.4", "Message too big for this desk"}
                                   : deliver(std::move(raw), sender);
        for (int i = 0; i < recipients; ++i)
          if (!c.Reply(reply.code, reply.enhanced, reply.text)) return;
        sender.clear();
        have_sender = false;
        recipients = 0;
      } else if (AsciiLower(Trim(cmd)) == "rset") {
        sender.clear();
        have_sender = false;
        recipients = 0;
        if (!c.Reply(250, "2.0.0", "OK")) return;
      } else if (AsciiLower(Trim(cmd)) == "noop") {
        if (!c.Reply(250, "2.0.0", "OK")) return;
      } else if (AsciiLower(Trim(cmd)) == "quit") {
        c.Reply(221, "2.0.0", "Bye");
        return;
      } else if (StartsWithNoCase(cmd, "vrfy")) {
        if (!c.Reply(252, "2.5.0", "Cannot verify; send the mail")) return;
      } else {
        if (!c.Reply(500, "5.5.2", "Unknown command")) return;
      }
    }
  }
};

LmtpServer::LmtpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LmtpServer::~LmtpServer() { Stop(); }
unsigned short LmtpServer::port() const { return impl_->port; }

Result<std::unique_ptr<LmtpServer>> LmtpServer::Start(const LmtpOptions& options, Deliver deliver) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->deliver = std::move(deliver);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options.port);
  if (int rc = ::getaddrinfo(options.address.c_str(), port.c_str(), &hints, &found); rc != 0)
    return Error::InvalidArgument("[mail] lmtp_listen: \"" + options.address + "\" is not an IP address (" + gai_strerror(rc) + ").");
  int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (fd < 0 || ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
    std::string why = std::strerror(errno);
    ::freeaddrinfo(found);
    if (fd >= 0) ::close(fd);
    return Error::InvalidArgument("[mail] lmtp_listen: cannot listen on " + options.address + ":" + port + " (" + why + ").");
  }
  ::freeaddrinfo(found);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl->port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl->listen_fd = fd;
  Impl* raw = impl.get();
  impl->acceptor = std::thread([raw] { raw->AcceptLoop(); });
  return std::unique_ptr<LmtpServer>(new LmtpServer(std::move(impl)));
}

void LmtpServer::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  if (impl_->acceptor.joinable()) impl_->acceptor.join();
  ::close(impl_->listen_fd);
  std::unique_lock lock(impl_->mu);
  for (int fd : impl_->connections) ::shutdown(fd, SHUT_RDWR);
  impl_->idle.wait(lock, [&] { return impl_->connections.empty(); });
}

}  // namespace chamado::mail
