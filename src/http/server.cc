#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url.hpp>
#include <array>
#include <atomic>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/messages.h"

namespace chamado::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  // Open streamed responses: how to end each (Stop ends them before the threads stop).
  // Before the io_context: sessions it destroys last unregister here.
  std::mutex streams_mu;
  uint64_t next_stream = 0;                                      // GUARDED_BY(streams_mu)
  std::unordered_map<uint64_t, std::function<void()>> streams;  // GUARDED_BY(streams_mu)
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  asio::steady_timer accept_retry{ioc};
  std::chrono::milliseconds accept_backoff{0};  // the wait before the next accept; 0 after a success
  std::chrono::steady_clock::time_point accept_error_logged{};

  // Open connections, in all and by client address.
  std::mutex connections_mu;
  int connections = 0;                           // GUARDED_BY(connections_mu)
  std::unordered_map<std::string, int> by_client;  // GUARDED_BY(connections_mu)

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)), ioc(std::max(1, o.threads)) {}
  void Accept();
  void OnAcceptError(const beast::error_code& ec);
  // Counts a new connection from `client`; false (and nothing counted) when over a cap.
  bool Admit(const std::string& client);
  void Release(const std::string& client);
  // Stops the network threads once no stream is open, looking every 10 ms `tries` times.
  void StopWhenStreamsEnded(int tries);
};

namespace {

// Bytes per second a body must average once the idle timeout has passed since it began.
constexpr double kMinBodyRate = 1024;

// `s` inside a JSON string: the catalog's sentences hold quotes ("Transfer-Encoding: chunked")
// and are UTF-8, which JSON takes as it is.
std::string JsonEscaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

std::string_view StatusText(int code) {
  return bh::obsolete_reason(static_cast<bh::status>(code));
}

// A connection upgraded to a WebSocket (Response::websocket): text frames both ways, the
// handler's frames queued and written one at a time on the connection's strand. Holds the
// connection's place among the admitted ones until it ends.
class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(beast::tcp_stream stream, Server::Impl& impl, std::string remote, std::shared_ptr<WebSocket> handler)
      : ws_(std::move(stream)), impl_(impl), remote_(std::move(remote)), handler_(std::move(handler)) {}
  ~WsSession() {
    if (opened_ && !ended_) {
      Unregister();
      if (handler_->closed) handler_->closed();
    }
    impl_.Release(remote_);
  }

  void Start(bh::request<bh::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    // Silent for the idle timeout: pinged; no answer within it: closed.
    timeouts.idle_timeout = std::chrono::seconds(std::max(2, impl_.options.idle_timeout_seconds));
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) { res.set(bh::field::server, "Chamado"); }));
    ws_.read_message_max(handler_->max_message_bytes);
    ws_.text(true);
    auto head = std::make_shared<bh::request<bh::string_body>>(std::move(req));
    ws_.async_accept(*head, [self = shared_from_this(), head](beast::error_code ec) {
      if (!ec) self->Opened();
    });
  }

 private:
  class Sink final : public StreamSink {
   public:
    explicit Sink(std::weak_ptr<WsSession> session) : session_(std::move(session)) {}
    bool Send(std::string frame) override {
      auto s = session_.lock();
      if (!s || s->ended_) return false;
      asio::post(s->ws_.get_executor(), [s, frame = std::move(frame)]() mutable { s->Enqueue(std::move(frame)); });
      return true;
    }
    void End() override {
      if (auto s = session_.lock()) asio::post(s->ws_.get_executor(), [s] { s->CloseWhenWritten(); });
    }

   private:
    std::weak_ptr<WsSession> session_;
  };

  void Opened() {
    opened_ = true;
    {
      std::lock_guard lock(impl_.streams_mu);
      id_ = ++impl_.next_stream;
      impl_.streams[id_] = [weak = weak_from_this()] {
        if (auto self = weak.lock()) asio::post(self->ws_.get_executor(), [self] { self->End(); });
      };
    }
    if (handler_->open) handler_->open(std::make_shared<Sink>(weak_from_this()));
    Read();
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->End();
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (self->handler_->message) self->handler_->message(std::move(text));
      self->Read();
    });
  }

  void Enqueue(std::string frame) {
    if (ended_ || closing_) return;
    backlog_bytes_ += frame.size();
    if (backlog_bytes_ > impl_.options.max_stream_backlog_bytes) return End();
    backlog_.push_back(std::move(frame));
    WriteNext();
  }

  void WriteNext() {
    if (writing_ || ended_) return;
    if (backlog_.empty()) {
      if (closing_) {
        writing_ = true;
        ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) { self->End(); });
      }
      return;
    }
    writing_ = true;
    ws_.async_write(asio::buffer(backlog_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (self->ended_) return;
      self->backlog_bytes_ -= self->backlog_.front().size();
      self->backlog_.pop_front();
      if (ec) return self->End();
      self->WriteNext();
    });
  }

  void CloseWhenWritten() {
    closing_ = true;
    WriteNext();
  }

  void End() {
    if (ended_) return;
    ended_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).socket().close(ec);
    backlog_.clear();
    Unregister();
    if (opened_ && handler_->closed) handler_->closed();
  }

  void Unregister() {
    std::lock_guard lock(impl_.streams_mu);
    impl_.streams.erase(id_);
  }

  websocket::stream<beast::tcp_stream> ws_;
  Server::Impl& impl_;
  std::string remote_;
  std::shared_ptr<WebSocket> handler_;
  beast::flat_buffer buffer_;
  uint64_t id_ = 0;
  std::deque<std::string> backlog_;  // touched only on the strand, as the flags below
  size_t backlog_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool opened_ = false;
  std::atomic<bool> ended_ = false;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `remote`: the client's address, already admitted (Impl::Admit); released when the
  // session ends.
  Session(tcp::socket socket, Server::Impl& impl, std::string remote)
      : stream_(std::move(socket)), impl_(impl), remote_(std::move(remote)) {}
  ~Session() {
    // A stream still open here was never ended on its strand (the server stopped first):
    // its owner still learns that it closed.
    if (stream_state_ && !stream_ended_) {
      Unregister();
      if (stream_state_->closed) stream_state_->closed();
    }
    if (!handed_over_) impl_.Release(remote_);
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
    if (ec == bh::error::header_limit) return Fail(431, "http.headers_too_large");
    if (ec == bh::error::body_limit) return Fail(413, "http.body_too_large");
    if (ec) return Fail(400, "http.not_http");
    const auto& h = parser_->get();
    // RFC 9112 §6.1: a transfer coding we do not know leaves the body's end unknown; reading it
    // by Content-Length instead would let a proxy and us disagree on where requests end.
    if (const auto te = h[bh::field::transfer_encoding]; !te.empty() && !beast::iequals(te, "chunked"))
      return Fail(501, "http.transfer_coding");
    const size_t limit = BodyLimit(h);
    if (parser_->content_length() && *parser_->content_length() > limit) return Fail(413, "http.body_too_large");
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

  // Uploads and raw mail (message/rfc822, from the mail gateway) may be large; by route and
  // caller when the handler says (ServerOptions::body_kind), else by Content-Type alone.
  size_t BodyLimit(const bh::request_parser<bh::string_body>::value_type& h) const {
    const auto& o = impl_.options;
    BodyKind kind = BodyKind::kJson;
    if (o.body_kind) {
      Request head;
      head.method = std::string(h.method_string());
      head.target = std::string(h.target());
      if (auto url = boost::urls::parse_origin_form(head.target)) head.path = std::string(url->path());
      for (const auto& f : h) {
        std::string name(f.name_string());
        for (auto& c : name) c = char(std::tolower(static_cast<unsigned char>(c)));
        head.headers.emplace_back(std::move(name), std::string(f.value()));
      }
      head.remote_address = remote_;
      kind = o.body_kind(head);
    } else {
      const auto ct = h[bh::field::content_type];
      if (ct.size() >= 19 && beast::iequals(ct.substr(0, 19), "multipart/form-data")) kind = BodyKind::kUpload;
      if (ct.size() >= 14 && beast::iequals(ct.substr(0, 14), "message/rfc822")) kind = BodyKind::kMail;
    }
    return kind == BodyKind::kMail ? o.max_mail_bytes : kind == BodyKind::kUpload ? o.max_upload_bytes : o.max_body_bytes;
  }

  // The body is read piece by piece: a client may take as long as it needs while the body
  // keeps coming (a large upload on a slow line), but not pause for the idle timeout, nor
  // fall under kMinBodyRate on average once that long has passed. Either answers 408.
  void ReadBody() {
    body_started_ = std::chrono::steady_clock::now();
    body_bytes_ = 0;
    ReadBodySome();
  }

  void ReadBodySome() {
    if (parser_->is_done()) return OnRead({});
    // Not the stream's own timeout: when it expires it closes the socket, and the 408 could
    // not be written. This timer only cancels the read.
    stream_.expires_never();
    body_timer_.expires_after(std::chrono::seconds(impl_.options.idle_timeout_seconds));
    body_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->body_stalled_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
    bh::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->body_timer_.cancel();
      if (ec == asio::error::operation_aborted && self->body_stalled_) return self->Fail(408, "http.body_too_slow");
      if (ec) return self->OnRead(ec);
      self->body_bytes_ += n;
      const auto elapsed = std::chrono::steady_clock::now() - self->body_started_;
      const double seconds = std::chrono::duration<double>(elapsed).count();
      if (!self->parser_->is_done() && seconds > self->impl_.options.idle_timeout_seconds &&
          double(self->body_bytes_) / seconds < kMinBodyRate)
        return self->Fail(408, "http.body_too_slow");
      self->ReadBodySome();
    });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bh::error::body_limit) return Fail(413, "http.body_too_large");
    if (ec == asio::error::eof || ec == asio::error::connection_reset) return Close();
    if (ec) return Fail(400, "http.not_http");
    auto msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();

    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    auto url = boost::urls::parse_origin_form(req.target);
    if (!url) return Fail(400, "http.bad_target");
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
    if (websocket::is_upgrade(msg)) upgrade_ = std::move(msg);
    else upgrade_.reset();
    stream_.expires_never();
    impl_.handler(std::move(req), [self = shared_from_this()](Response r) {
      asio::dispatch(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    });
  }

  void Write(Response r) {
    if (r.websocket) {
      if (!upgrade_) return Fail(400, "This address speaks WebSocket only; connect with a WebSocket client.");
      // The connection is the WebSocket's from here; this session ends without releasing it.
      handed_over_ = true;
      std::make_shared<WsSession>(std::move(stream_), impl_, remote_, std::move(r.websocket))->Start(std::move(*upgrade_));
      return;
    }
    if (r.stream && !head_) return StartStream(std::move(r));
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

  // ---- streamed responses (Response::stream) ----

  // The head, then the body as it comes; the connection closes at its end. A client that
  // sends anything more is not read (it may only close), but its closing is noticed at once.
  void StartStream(Response r) {
    stream_state_ = r.stream;
    stream_started_ = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(impl_.streams_mu);
      stream_id_ = ++impl_.next_stream;
      impl_.streams[stream_id_] = [weak = weak_from_this()] {
        if (auto self = weak.lock()) asio::post(self->stream_.get_executor(), [self] { self->EndStream(); });
      };
    }
    std::string head = (version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ") + std::to_string(r.status) + " " +
                       std::string(StatusText(r.status)) + "\r\n";
    for (const auto& [k, v] : r.headers) head += k + ": " + v + "\r\n";
    head += "Server: Chamado\r\nConnection: close\r\n\r\n";
    stream_.expires_never();
    Enqueue(std::move(head));
    WatchClient();
    Heartbeat();
    if (stream_state_->open) stream_state_->open(std::make_shared<Sink>(weak_from_this()));
  }

  // Writes what the stream queued, one piece at a time; a write that does not finish within
  // the idle timeout ends the stream (the client stopped reading).
  void Enqueue(std::string chunk) {
    if (stream_ended_) return;
    backlog_bytes_ += chunk.size();
    if (backlog_bytes_ > impl_.options.max_stream_backlog_bytes) return EndStream();
    backlog_.push_back(std::move(chunk));
    WriteNext();
  }

  void WriteNext() {
    if (writing_ || stream_ended_) return;
    if (backlog_.empty()) {
      if (ending_) EndStream();
      return;
    }
    writing_ = true;
    stream_.expires_after(std::chrono::seconds(impl_.options.idle_timeout_seconds));
    asio::async_write(stream_, asio::buffer(backlog_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (self->stream_ended_) return;
      self->backlog_bytes_ -= self->backlog_.front().size();
      self->backlog_.pop_front();
      self->wrote_at_ = std::chrono::steady_clock::now();
      if (ec) return self->EndStream();
      self->WriteNext();
    });
  }

  void WatchClient() {
    if (!watch_buf_) watch_buf_ = std::make_shared<std::array<char, 512>>();
    // On the socket, not the timed stream: waiting for the client has no deadline.
    stream_.socket().async_read_some(asio::buffer(*watch_buf_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->EndStream();
      self->WatchClient();
    });
  }

  void Heartbeat() {
    const auto every = std::chrono::seconds(std::max(1, impl_.options.stream_heartbeat_seconds));
    heartbeat_timer_.expires_after(every);
    heartbeat_timer_.async_wait([self = shared_from_this(), every](beast::error_code ec) {
      if (ec || self->stream_ended_) return;
      const auto lifetime = self->stream_state_->lifetime;
      if (lifetime.count() > 0 && std::chrono::steady_clock::now() - self->stream_started_ >= lifetime) {
        self->ending_ = true;
        return self->WriteNext();
      }
      if (!self->writing_ && self->backlog_.empty() && std::chrono::steady_clock::now() - self->wrote_at_ >= every - std::chrono::milliseconds(100))
        self->Enqueue(self->stream_state_->heartbeat);
      self->Heartbeat();
    });
  }

  void EndStream() {
    if (stream_ended_) return;
    stream_ended_ = true;
    heartbeat_timer_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    backlog_.clear();
    Unregister();
    if (stream_state_->closed) stream_state_->closed();
  }

  void Unregister() {
    std::lock_guard lock(impl_.streams_mu);
    impl_.streams.erase(stream_id_);
  }

  // The handler's end of a stream: every call hops onto the connection's strand.
  class Sink final : public StreamSink {
   public:
    explicit Sink(std::weak_ptr<Session> session) : session_(std::move(session)) {}
    bool Send(std::string chunk) override {
      auto s = session_.lock();
      if (!s || s->stream_ended_) return false;
      asio::post(s->stream_.get_executor(), [s, chunk = std::move(chunk)]() mutable { s->Enqueue(std::move(chunk)); });
      return true;
    }
    void End() override {
      if (auto s = session_.lock())
        asio::post(s->stream_.get_executor(), [s] {
          s->ending_ = true;
          s->WriteNext();
        });
    }

   private:
    std::weak_ptr<Session> session_;
  };

  // Refuses the request before it reaches the API: `id` names the sentence in the message
  // catalog, said in the language the request's Accept-Language asks for when the parser got
  // that far (nobody is signed in yet at this layer), else English. A header over the body
  // limit is refused by the parser with the fields read but the header not "done".
  void Fail(int status, std::string_view id) {
    keep_alive_ = false;
    linger_ = true;
    std::string language = "en";
    if (parser_)
      if (auto l = core::LanguageOfAcceptLanguage(parser_->get()[bh::field::accept_language]); !l.empty()) language = l;
    Response r;
    r.status = status;
    r.Set("Content-Type", "application/problem+json");
    r.Set("Content-Language", language);
    const char* code = status == 413 || status == 431 ? "too_large"
                       : status == 400             ? "invalid_argument"
                       : status == 408             ? "timeout"
                       : status == 501             ? "not_implemented"
                                                   : nullptr;
    const std::string title = code ? core::Say("title." + std::string(code), {}, language) : std::string(StatusText(status));
    r.body = "{\"type\":\"about:blank\",\"title\":\"" + JsonEscaped(title) + "\",\"status\":" + std::to_string(status) +
             (code ? ",\"code\":\"" + std::string(code) + "\"" : std::string()) + ",\"detail\":\"" +
             JsonEscaped(core::Say(id, {}, language)) + "\"}";
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
  std::chrono::steady_clock::time_point body_started_;
  size_t body_bytes_ = 0;
  asio::steady_timer body_timer_{stream_.get_executor()};
  bool body_stalled_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  bool linger_ = false;
  std::shared_ptr<std::array<char, 16384>> drain_buf_;
  unsigned version_ = 11;
  // A streamed response's state; the queue and flags are touched only on the strand.
  std::shared_ptr<Stream> stream_state_;
  uint64_t stream_id_ = 0;
  std::deque<std::string> backlog_;
  size_t backlog_bytes_ = 0;
  bool writing_ = false;
  bool ending_ = false;
  std::atomic<bool> stream_ended_ = false;
  std::chrono::steady_clock::time_point wrote_at_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point stream_started_;
  asio::steady_timer heartbeat_timer_{stream_.get_executor()};
  std::shared_ptr<std::array<char, 512>> watch_buf_;
  // A request that asked to become a WebSocket, kept for the handshake.
  std::optional<bh::request<bh::string_body>> upgrade_;
  bool handed_over_ = false;
};

}  // namespace

// A connection over a cap gets this and is closed.
const std::string& Busy() {
  static const std::string body =
      "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"code\":\"unavailable\",\"detail\":\"Too many open "
      "connections; close some and try again.\"}";
  static const std::string response =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\nRetry-After: 5\r\n"
      "Connection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return response;
}

void Server::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) return OnAcceptError(ec);
    accept_backoff = std::chrono::milliseconds(0);
    beast::error_code ignored;
    const auto ep = socket.remote_endpoint(ignored);
    std::string client = ignored ? std::string() : ep.address().to_string();
    if (!Admit(client)) {
      auto s = std::make_shared<tcp::socket>(std::move(socket));
      asio::async_write(*s, asio::buffer(Busy()), [s](beast::error_code, std::size_t) {
        beast::error_code e;
        s->shutdown(tcp::socket::shutdown_both, e);
        s->close(e);
      });
    } else {
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *this, std::move(client))->Start();
    }
    Accept();
  });
}

void Server::Impl::OnAcceptError(const beast::error_code& ec) {
  using namespace std::chrono_literals;
  accept_backoff = std::clamp(accept_backoff * 2, 10ms, 1000ms);
  const auto now = std::chrono::steady_clock::now();
  if (now - accept_error_logged >= 10s) {
    accept_error_logged = now;
    spdlog::warn("accepting a connection failed: {} (trying again in up to {} ms; open files at their limit? raise LimitNOFILE "
                 "or lower [server] max_connections)",
                 ec.message(), accept_backoff.count());
  }
  accept_retry.expires_after(accept_backoff);
  accept_retry.async_wait([this](beast::error_code e) {
    if (e != asio::error::operation_aborted) Accept();
  });
}

bool Server::Impl::Admit(const std::string& client) {
  std::lock_guard lock(connections_mu);
  if (connections >= options.max_connections) return false;
  const bool unlimited =
      std::find(options.unlimited_clients.begin(), options.unlimited_clients.end(), client) != options.unlimited_clients.end();
  int& mine = by_client[client];
  if (!unlimited && mine >= options.max_connections_per_client) {
    if (mine == 0) by_client.erase(client);
    return false;
  }
  ++mine;
  ++connections;
  return true;
}

void Server::Impl::Release(const std::string& client) {
  std::lock_guard lock(connections_mu);
  --connections;
  if (auto it = by_client.find(client); it != by_client.end() && --it->second <= 0) by_client.erase(it);
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
    impl_->accept_retry.cancel();
    impl_->signals.cancel(ec);
    std::vector<std::function<void()>> enders;
    {
      std::lock_guard lock(impl_->streams_mu);
      for (auto& [id, end] : impl_->streams) enders.push_back(end);
    }
    // Each stream ends on its own strand; the threads stop once they all have (or after a
    // second: a session destroyed with the loop still reports its stream closed).
    for (auto& end : enders) end();
    impl_->StopWhenStreamsEnded(100);
  });
}

void Server::Impl::StopWhenStreamsEnded(int tries) {
  {
    std::lock_guard lock(streams_mu);
    if (streams.empty() || tries <= 0) return ioc.stop();
  }
  accept_retry.expires_after(std::chrono::milliseconds(10));
  accept_retry.async_wait([this, tries](beast::error_code) { StopWhenStreamsEnded(tries - 1); });
}

}  // namespace chamado::http
