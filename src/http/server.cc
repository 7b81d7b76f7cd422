#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url.hpp>
#include <array>
#include <thread>

namespace chamado::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)), ioc(std::max(1, o.threads)) {}
  void Accept();
};

namespace {

constexpr std::string_view kTooLarge =
    "The request body is larger than this server accepts; send smaller files or fewer at once.";

std::string_view StatusText(int code) {
  return bh::obsolete_reason(static_cast<bh::status>(code));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& impl) : stream_(std::move(socket)), impl_(impl) {
    boost::system::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(impl_.options.max_header_bytes));
    // The real limit depends on the content type, known only after the header; Beast checks
    // Content-Length against body_limit while parsing the header, so start with the larger.
    parser_->body_limit(std::max({impl_.options.max_body_bytes, impl_.options.max_upload_bytes, impl_.options.max_mail_bytes}));
    stream_.expires_after(std::chrono::seconds(impl_.options.idle_timeout_seconds));
    bh::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == bh::error::end_of_stream || ec == asio::error::eof || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return Close();
    if (ec == bh::error::header_limit) return Fail(431, "The request headers are too large.");
    if (ec == bh::error::body_limit) return Fail(413, kTooLarge);
    if (ec) return Fail(400, "The request is not valid HTTP/1.1.");
    const auto& h = parser_->get();
    // RFC 9112 §6.1: a transfer coding we do not know leaves the body's end unknown; reading it
    // by Content-Length instead would let a proxy and us disagree on where requests end.
    if (const auto te = h[bh::field::transfer_encoding]; !te.empty() && !beast::iequals(te, "chunked"))
      return Fail(501, "Only Transfer-Encoding: chunked is supported; send the body with Content-Length or chunked.");
    const auto ct = h[bh::field::content_type];
    // Uploads and raw mail (message/rfc822, from the mail gateway) may be large.
    const bool upload = ct.size() >= 19 && beast::iequals(ct.substr(0, 19), "multipart/form-data");
    const bool mail = ct.size() >= 14 && beast::iequals(ct.substr(0, 14), "message/rfc822");
    const size_t limit = mail ? impl_.options.max_mail_bytes : upload ? impl_.options.max_upload_bytes : impl_.options.max_body_bytes;
    if (parser_->content_length() && *parser_->content_length() > limit) return Fail(413, kTooLarge);
    parser_->body_limit(limit);  // enforced on chunked bodies
    if (beast::iequals(h[bh::field::expect], "100-continue")) {
      auto cont = std::make_shared<bh::response<bh::empty_body>>(bh::status::continue_, h.version());
      bh::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(std::chrono::seconds(impl_.options.idle_timeout_seconds));
    bh::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bh::error::body_limit) return Fail(413, kTooLarge);
    if (ec == beast::error::timeout || ec == asio::error::eof || ec == asio::error::connection_reset) return Close();
    if (ec) return Fail(400, "The request is not valid HTTP/1.1.");
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();

    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) return Fail(400, "The request target is not a valid URL path.");
    req.path = std::string(url->path());
    for (auto p : url->params()) req.query.emplace_back(std::string(p.key), p.has_value ? std::string(p.value) : std::string());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = std::move(msg.body());
    req.remote_address = remote_;
    // Work that finishes a request runs on this connection's strand, so its reply is written
    // without another hop.
    req.post = [ex = stream_.get_executor()](std::function<void()> f) { asio::post(ex, std::move(f)); };
    head_ = msg.method() == bh::verb::head;
    stream_.expires_never();
    impl_.handler(std::move(req), [self = shared_from_this()](Response r) {
      asio::dispatch(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    });
  }

  void Write(Response r) {
    auto res = std::make_shared<bh::response<bh::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(r.status));
    for (auto& [k, v] : r.headers) res->insert(k, v);
    res->set(bh::field::server, "Chamado");
    res->keep_alive(keep_alive_);
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (head_) res->body().clear();
    stream_.expires_after(std::chrono::seconds(impl_.options.idle_timeout_seconds));
    const bool close = res->need_eof();
    bh::async_write(stream_, *res, [self = shared_from_this(), res, close](beast::error_code ec, std::size_t) {
      if (ec || close) return self->Close();
      self->ReadHeader();
    });
  }

  void Fail(int status, std::string_view detail) {
    keep_alive_ = false;
    linger_ = true;
    Response r;
    r.status = status;
    r.Set("Content-Type", "application/problem+json");
    const char* code = status == 413 || status == 431 ? "too_large" : status == 400 ? "invalid_argument" : nullptr;
    r.body = "{\"type\":\"about:blank\",\"title\":\"" + std::string(StatusText(status)) + "\",\"status\":" +
             std::to_string(status) + (code ? ",\"code\":\"" + std::string(code) + "\"" : std::string()) +
             ",\"detail\":\"" + std::string(detail) + "\"}";
    Write(std::move(r));
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_) Drain();
  }

  // After refusing a request mid-upload, read and discard what the client is still sending
  // (for a few seconds at most), so it reads our answer instead of a connection reset.
  void Drain() {
    if (!drain_buf_) {
      drain_buf_ = std::make_shared<std::array<char, 16384>>();
      stream_.expires_after(std::chrono::seconds(5));
    }
    stream_.async_read_some(asio::buffer(*drain_buf_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->Drain();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bh::request_parser<bh::string_body>> parser_;
  Server::Impl& impl_;
  std::string remote_;
  bool keep_alive_ = true;
  bool head_ = false;
  bool linger_ = false;
  std::shared_ptr<std::array<char, 16384>> drain_buf_;
  unsigned version_ = 11;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), *this)->Start();
    }
    Accept();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Bind(const ServerOptions& options, Handler handler) {
  ServerOptions o = options;
  if (o.threads <= 0) o.threads = int(std::max(1u, std::thread::hardware_concurrency()));
  auto impl = std::make_unique<Impl>(o, std::move(handler));
  beast::error_code ec;
  auto address = asio::ip::make_address(o.address, ec);
  if (ec) return Error::InvalidArgument("The listen address \"" + o.address + "\" is not an IP address.");
  tcp::endpoint ep(address, o.port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::Unavailable("Cannot listen on " + o.address + ":" + std::to_string(o.port) + ": " + ec.message() +
                              " (is another server running there?)");
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    Stop();
  });
  impl_->Accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  asio::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->signals.cancel(ec);
    impl_->ioc.stop();
  });
}

}  // namespace chamado::http
