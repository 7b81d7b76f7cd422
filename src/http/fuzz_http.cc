// libFuzzer target: raw bytes on a connection to the real HTTP stack. One desk is set up once
// per process: a store in a temporary folder with the demo loaded (app::LoadDemo: people,
// organizations, tickets, a help center, seed 004's bot), API tokens for three of its people,
// the API and the Beast server on a loopback port, with the clock standing still. Each input
// is written to a new connection, which is then half-closed, and everything the server
// answers is read until it closes. So an input goes through the server's parser and its
// limits (header size, body size by route and caller, chunked bodies, 100-continue, the
// transfer-coding and target checks), the router (method and path matching, 405 and 404,
// authentication by token or cookie, CSRF, roles), the handlers with their JSON and multipart
// readers, the store, and back; pipelined requests run in turn, WebSocket upgrades and event
// streams end when the client's side closes.
//
// Tokens the corpus uses (Authorization: Bearer ...): fuzz-admin-token (admin@chamado.example),
// fuzz-agent-token (lucas@chamado.example), fuzz-customer-token (maria@acme.com.br).
//
// Checks, beyond not crashing: the server answers or closes within ten seconds; what it
// writes is a sequence of HTTP/1.x responses with a status from 100 to 599, never 500 (an
// internal error is a bug: bad input must get a 4xx naming what is wrong); each JSON or
// problem+json body whose length is known is valid JSON (and so valid UTF-8).
// Build and run: ./scripts/fuzz http [seconds].
#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "app/demo.h"
#include "auth/credentials.h"
#include "core/clock.h"
#include "core/text.h"
#include "core/time.h"
#include "http/api.h"
#include "http/server.h"
#include "store/blobs.h"
#include "store/store.h"

namespace {

using namespace chamado;
namespace fs = std::filesystem;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

template <class T>
T Must(Result<T> r) {
  if (!r.ok()) {
    fprintf(stderr, "fuzz_http: setting up the desk failed: %s\n", r.error().message.c_str());
    std::abort();
  }
  return std::move(*r);
}

struct Desk {
  fs::path dir;
  core::ManualClock clock{*ParseIsoInstant("2026-01-06T13:00:00Z")};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::BlobStore> blobs;
  std::unique_ptr<http::Api> api;
  std::unique_ptr<http::Server> server;
  std::thread runner;
  unsigned short port = 0;
};

fs::path TemporaryFolder() {
  std::string pattern = (fs::temp_directory_path() / "chamado-fuzz-http-XXXXXX").string();
  Check(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

// Never destroyed: the server's threads run until the process ends.
Desk& TheDesk() {
  static Desk* desk = [] {
    spdlog::set_level(spdlog::level::err);
    auto* d = new Desk;
    d->dir = TemporaryFolder();
    static const fs::path dir = d->dir;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(dir, ec);
    });
    // Not durable: nothing here must survive a power cut, and a sync per batch would slow
    // every input down.
    d->store = Must(store::Store::Open({.path = (d->dir / "chamado.db").string(), .durable = false}));
    d->blobs = std::make_unique<store::BlobStore>((d->dir / "attachments").string());
    Must(app::LoadDemo(*d->store, d->clock.Now()));
    for (const auto& [email, token] : {std::pair{"admin@chamado.example", "fuzz-admin-token"},
                                       {"lucas@chamado.example", "fuzz-agent-token"},
                                       {"maria@acme.com.br", "fuzz-customer-token"}}) {
      Must(d->store->WriteSync<core::Id>([&, email = email, token = token](store::Repo& repo) -> Result<core::Id> {
        CHAMADO_ASSIGN_OR_RETURN(auto user, repo.FindUserByEmail(email));
        if (!user) return Error::NotFound(std::string("The demo has no ") + email + ".");
        return repo.InsertApiToken(user->id, auth::TokenHash(token), "fuzz", d->clock.Now());
      }));
    }
    d->api = std::make_unique<http::Api>(*d->store, *d->blobs, d->clock, http::ApiOptions{});
    http::ServerOptions so;
    so.port = 0;
    so.threads = 1;
    so.idle_timeout_seconds = 5;
    so.body_kind = [api = d->api.get()](const http::Request& head) { return api->BodyKindOf(head); };
    d->server = Must(http::Server::Bind(so, [api = d->api.get()](http::Request req, http::Reply reply) {
      api->Handle(std::move(req), std::move(reply));
    }));
    d->port = d->server->port();
    d->runner = std::thread([d] { d->server->Run(); });
    return d;
  }();
  return *desk;
}

// Sends `bytes` on a new connection, half-closes it, and reads until the server closes;
// nothing when the server neither answers nor closes in time.
std::optional<std::string> Exchange(unsigned short port, std::string_view bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  Check(fd >= 0);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Check(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  // The server may refuse and close before reading everything (a 413 or 431): not an error.
  for (size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += size_t(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string got;
  char buf[16384];
  std::optional<std::string> out;
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      got.append(buf, size_t(n));
      continue;
    }
    if (n == 0 || errno == ECONNRESET) out = std::move(got);
    break;
  }
  ::close(fd);
  return out;
}

std::string_view HeaderValue(std::string_view head, std::string_view lower_name) {
  size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    const size_t end = head.find("\r\n", at + 2);
    const std::string_view line = head.substr(at + 2, (end == std::string_view::npos ? head.size() : end) - at - 2);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && AsciiLower(line.substr(0, colon)) == lower_name) return Trim(line.substr(colon + 1));
    at = end;
  }
  return {};
}

// Walks the responses on the wire. A response to HEAD announces a length it does not send, so
// when the input holds HEAD only the first response is walked.
void CheckResponses(std::string_view wire, bool head) {
  while (!wire.empty()) {
    Check(wire.starts_with("HTTP/1.1 ") || wire.starts_with("HTTP/1.0 "));
    Check(wire.size() >= 12 && IsDigit(wire[9]) && IsDigit(wire[10]) && IsDigit(wire[11]));
    const int status = (wire[9] - '0') * 100 + (wire[10] - '0') * 10 + (wire[11] - '0');
    Check(status >= 100 && status <= 599 && status != 500);
    const size_t head_end = wire.find("\r\n\r\n");
    Check(head_end != std::string_view::npos);
    const std::string_view headers = wire.substr(0, head_end);
    wire.remove_prefix(head_end + 4);
    if (status == 101) return;  // a WebSocket's frames follow
    if (status < 200 || status == 204 || status == 304) continue;
    const std::string_view length = HeaderValue(headers, "content-length");
    if (length.empty() || head) return;  // a stream: the rest is its body
    size_t n = 0;
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
    Check(ec == std::errc() && end == length.data() + length.size());
    if (n > wire.size()) return;
    const std::string_view body = wire.substr(0, n);
    wire.remove_prefix(n);
    const std::string type = AsciiLower(HeaderValue(headers, "content-type"));
    if (type.starts_with("application/json") || type.starts_with("application/problem+json")) {
      boost::system::error_code ec;
      (void)boost::json::parse(body, ec);
      Check(!ec);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Desk& desk = TheDesk();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto wire = Exchange(desk.port, input);
  Check(wire.has_value());
  CheckResponses(*wire, input.find("HEAD") != std::string_view::npos);
  return 0;
}
