// The load generator of bench/chat.sh: live conversations with agents answering, on one
// machine, against the real server or against bare_server's WebSocket relay, the same
// connections and the same message rate for both.
//
// Against Chamado (`chat_load URL ADMIN_TOKEN AGENT_TOKENS_FILE [options]`) it sets up through
// the real API what a desk with live chat has: an organization on a plan with chat, its chat
// secret, one contact per conversation, each conversation started as the widget starts it
// (the host site's signed identity, from its own client address behind a trusted proxy),
// accepted by an agent (round robin over the agents' tokens), then one customer socket and one
// agent socket per conversation (the hello of docs/chat.md). Against the relay
// (`chat_load URL --bare`) the two sockets of a conversation join the same path.
//
// Then, for --warmup and --duration seconds, each customer writes every --interval seconds
// (first at a random offset, so writes are spread evenly), and the agent answers each message
// as soon as its socket receives it. Delivery latency is measured on 127.0.0.1 with one
// steady clock: customer -> agent from the customer's send until the agent's socket has the
// message, and agent -> customer the same way back. Messages sent during the measured window
// count; one not delivered by the window's end plus 5 s counts as lost.
//
// With --pid, the server's CPU time (utime + stime over the window, /proc/PID/stat) and memory
// (VmRSS and VmHWM, /proc/PID/status, at the end) are reported beside the latencies. One line
// of key=value results is printed last for the script to tabulate.
//
// The generator runs on one thread, so it takes at most one of the machine's cores.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include "auth/credentials.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "chat_load: " << why << "\n";
  std::exit(1);
}

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  bool bare = false;
  std::string admin_token;
  std::vector<std::string> agent_tokens;
  int conversations = 1000;
  double interval = 4;   // seconds between one customer's messages (the server allows 30 a minute)
  double warmup = 5;     // seconds of load before the measured window
  double duration = 30;  // seconds measured
  int pid = 0;           // the server's, for CPU and memory
};

// One keep-alive HTTP/1.1 connection for the setup's calls, reconnected when the server closes it.
class HttpClient {
 public:
  explicit HttpClient(const Options& o) : o_(o), stream_(io_) {}

  struct Answer {
    int status = 0;
    json::value body;
  };

  Answer Call(bhttp::verb method, const std::string& target, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!open_) {
          tcp::resolver resolver(io_);
          stream_.connect(resolver.resolve(o_.host, o_.port));
          open_ = true;
        }
        bhttp::request<bhttp::string_body> req(method, target, 11);
        req.set(bhttp::field::host, o_.host);
        if (!o_.admin_token.empty()) req.set(bhttp::field::authorization, "Bearer " + o_.admin_token);
        for (const auto& [k, v] : headers) req.set(k, v);
        if (req[bhttp::field::authorization].empty()) req.erase(bhttp::field::authorization);  // a visitor's call
        if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
        req.body() = body;
        req.prepare_payload();
        bhttp::write(stream_, req);
        beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> res;
        bhttp::read(stream_, buffer, res);
        if (!res.keep_alive()) Close();
        Answer a;
        a.status = int(res.result_int());
        boost::system::error_code ec;
        a.body = json::parse(res.body(), ec);
        return a;
      } catch (const std::exception&) {
        Close();
        if (attempt == 1) throw;
      }
    }
    return {};
  }

 private:
  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    open_ = false;
  }

  const Options& o_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  bool open_ = false;
};

// Runs fn(i) for i in [0, n) on `threads` threads, each with its own HTTP connection.
template <class Fn>
void ParallelSetup(const Options& o, int n, int threads, Fn fn) {
  std::atomic<int> next = 0;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      HttpClient client(o);
      for (int i = next++; i < n; i = next++) fn(client, i);
    });
  for (auto& t : pool) t.join();
}

std::string Str(const json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  const auto* f = o ? o->if_contains(key) : nullptr;
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

struct Conversation;

// One WebSocket of a conversation: the customer's or the agent's. Everything runs on the one
// io_context thread.
class Socket : public std::enable_shared_from_this<Socket> {
 public:
  Socket(asio::io_context& io, Conversation& conv, bool agent) : ws_(asio::make_strand(io)), conv_(conv), agent_(agent) {}

  void Open(const tcp::endpoint& at, const Options& o, std::string target, std::string bearer, std::string hello,
            std::function<void(bool)> ready) {
    target_ = std::move(target);
    bearer_ = std::move(bearer);
    hello_ = std::move(hello);
    host_ = o.host + ":" + o.port;
    ready_ = std::move(ready);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(at, [self = shared_from_this()](beast::error_code ec) { self->Connected(ec); });
  }

  void Send(std::string frame) {
    out_.push_back(std::move(frame));
    if (out_.size() == 1) WriteNext();
  }

  bool agent() const { return agent_; }

 private:
  void Connected(beast::error_code ec) {
    if (ec) return Ready(false);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([bearer = bearer_](websocket::request_type& req) {
      if (!bearer.empty()) req.set(bhttp::field::authorization, "Bearer " + bearer);
    }));
    ws_.async_handshake(host_, target_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Ready(false);
      if (!self->hello_.empty()) self->Send(self->hello_);
      else self->Ready(true);  // the relay says no welcome
      self->Read();
    });
  }

  void Ready(bool ok) {
    if (ready_) {
      auto r = std::move(ready_);
      ready_ = nullptr;
      r(ok);
    }
  }

  void WriteNext() {
    ws_.text(true);
    ws_.async_write(asio::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;
      self->out_.pop_front();
      if (!self->out_.empty()) self->WriteNext();
    });
  }

  void Read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Ready(false);
      self->Frame(beast::buffers_to_string(self->in_.data()));
      self->in_.consume(self->in_.size());
      self->Read();
    });
  }

  void Frame(const std::string& text);

  websocket::stream<beast::tcp_stream> ws_;
  Conversation& conv_;
  const bool agent_;
  std::string target_, bearer_, hello_, host_;
  std::function<void(bool)> ready_;
  beast::flat_buffer in_;
  std::deque<std::string> out_;
};

struct Stats {
  std::vector<double> to_agent_ms, to_customer_ms;
  int64_t sent_in_window = 0;
  int64_t errors = 0;
  std::string first_error;
};

struct Run {
  Options o;
  Clock::time_point window_start, window_end;
  std::unordered_map<std::string, Clock::time_point> in_flight;  // client_id -> sent at
  Stats stats;
  bool sending = true;

  bool InWindow(Clock::time_point t) const { return t >= window_start && t < window_end; }
};

Run* run = nullptr;

struct Conversation {
  int index = 0;
  int64_t id = 0;
  std::string token;
  int agent = 0;
  std::shared_ptr<Socket> customer, agent_socket;
  int64_t written = 0;
  std::unique_ptr<asio::steady_timer> timer;

  std::string Frame(const std::string& client_id, const std::string& text) const {
    return json::serialize(json::object{{"type", "send"}, {"client_id", client_id}, {"text", text}});
  }

  void SendAs(bool agent, int64_t n) {
    const std::string client_id = (agent ? "a" : "c") + std::to_string(index) + "-" + std::to_string(n);
    const auto now = Clock::now();
    if (run->InWindow(now)) ++run->stats.sent_in_window;
    run->in_flight[client_id] = now;
    const std::string text = agent ? "Thanks, message " + std::to_string(n) + " is noted; let me check the report settings for you."
                                   : "Message " + std::to_string(n) + ": the hours report still does not open in my browser.";
    (agent ? agent_socket : customer)->Send(Frame(client_id, text));
  }

  void Tick() {
    if (!run->sending) return;
    SendAs(false, ++written);
    timer->expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(run->o.interval)));
    timer->async_wait([this](beast::error_code ec) {
      if (!ec) Tick();
    });
  }
};

void Socket::Frame(const std::string& text) {
  const auto now = Clock::now();
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return;
  const std::string type = Str(v, "type");
  std::string client_id;
  std::string author;
  if (type == "welcome") return Ready(true);
  if (type == "error") {
    if (run->stats.errors++ == 0) run->stats.first_error = text;
    return;
  }
  if (type == "message") {
    const auto& m = v.as_object().at("message");
    client_id = Str(m, "client_id");
    author = Str(m, "author");
  } else if (type == "send") {  // the relay passes the other side's frame on as it is
    client_id = Str(v, "client_id");
    author = client_id.starts_with("a") ? "agent" : "customer";
  } else {
    return;
  }
  // Each side hears its own messages too; only the other side's are deliveries.
  if ((agent_ && author != "customer") || (!agent_ && author != "agent") || client_id.empty()) return;
  auto it = run->in_flight.find(client_id);
  if (it == run->in_flight.end()) return;
  const auto sent = it->second;
  run->in_flight.erase(it);
  if (run->InWindow(sent)) {
    const double ms = std::chrono::duration<double, std::milli>(now - sent).count();
    (agent_ ? run->stats.to_agent_ms : run->stats.to_customer_ms).push_back(ms);
  }
  // The agent answers each customer message at once.
  if (agent_ && run->sending) conv_.SendAs(true, std::stoll(client_id.substr(client_id.find('-') + 1)));
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  return v[i];
}

struct ProcSample {
  double cpu_seconds = 0;
  int64_t rss_kib = 0, hwm_kib = 0;
};

ProcSample SampleProc(int pid) {
  ProcSample s;
  if (!pid) return s;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
  std::istringstream rest(all.substr(all.rfind(')') + 2));
  std::vector<std::string> f;
  for (std::string x; rest >> x;) f.push_back(x);
  if (f.size() > 12) s.cpu_seconds = double(std::stoll(f[11]) + std::stoll(f[12])) / double(sysconf(_SC_CLK_TCK));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) s.rss_kib = std::stoll(line.substr(6));
    if (line.starts_with("VmHWM:")) s.hwm_kib = std::stoll(line.substr(6));
  }
  return s;
}

// Through the real API: the organization, its secret, the contacts, the conversations started
// as the widget starts them and accepted by the agents.
void SetUp(const Options& o, std::vector<Conversation>& convs) {
  HttpClient admin(o);
  const std::string org_name = "Chat bench " + std::to_string(::getpid());
  auto org = admin.Call(bhttp::verb::post, "/api/v1/organizations", json::serialize(json::object{{"name", org_name}, {"plan", "regular"}}));
  if (org.status != 201) Die("creating the organization: " + json::serialize(org.body));
  const int64_t org_id = org.body.at("id").as_int64();
  auto secret = admin.Call(bhttp::verb::post, "/api/v1/organizations/" + std::to_string(org_id) + "/chat-secret", "");
  if (secret.status != 201) Die("rotating the chat secret: " + json::serialize(secret.body));
  const std::string key = Str(secret.body, "secret");
  const int64_t expires = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() + 86400;
  const std::string tag = std::to_string(::getpid());
  ParallelSetup(o, o.conversations, 4, [&](HttpClient& http, int i) {
    const std::string email = "customer" + std::to_string(i) + "-" + tag + "@bench.example";
    auto contact = http.Call(bhttp::verb::post, "/api/v1/contacts",
                             json::serialize(json::object{{"email", email}, {"name", "Customer " + std::to_string(i)}, {"organization_id", org_id}}));
    if (contact.status != 201) Die("creating contact " + email + ": " + json::serialize(contact.body));
    const std::string data = std::to_string(org_id) + ":" + std::to_string(expires) + ":" + email;
    const std::string identity = data + ":" + chamado::auth::Sign(key, data);
    // Each visitor from its own address (the server trusts 127.0.0.1 as a proxy): the limit on
    // starts per address is for one visitor, not for a thousand.
    const std::string address = "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".1";
    auto started = http.Call(bhttp::verb::post, "/api/v1/conversations", json::serialize(json::object{{"identity", identity}}),
                             {{"X-Forwarded-For", address}, {"Authorization", ""}});
    if (started.status != 201) Die("starting conversation " + std::to_string(i) + ": " + json::serialize(started.body));
    const auto& c = started.body.at("conversation");
    if (Str(c, "status") != "waiting") Die("conversation " + std::to_string(i) + " is not waiting for people: " + json::serialize(c));
    convs[i].id = c.at("id").as_int64();
    convs[i].token = Str(started.body, "token");
    const std::string& agent = o.agent_tokens[size_t(convs[i].agent)];
    auto accepted = http.Call(bhttp::verb::post, "/api/v1/conversations/" + std::to_string(convs[i].id) + "/accept", "",
                              {{"Authorization", "Bearer " + agent}});
    if (accepted.status != 200) Die("accepting conversation " + std::to_string(i) + ": " + json::serialize(accepted.body));
  });
}

Options Parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--bare") o.bare = true;
    else if (a == "--conversations") o.conversations = std::stoi(value());
    else if (a == "--interval") o.interval = std::stod(value());
    else if (a == "--warmup") o.warmup = std::stod(value());
    else if (a == "--duration") o.duration = std::stod(value());
    else if (a == "--pid") o.pid = std::stoi(value());
    else if (a.starts_with("--")) Die("unknown option " + a);
    else positional.push_back(a);
  }
  const size_t need = o.bare ? 1 : 3;
  if (positional.size() != need)
    Die("usage: chat_load URL ADMIN_TOKEN AGENT_TOKENS_FILE [--conversations N] [--interval S] [--warmup S] [--duration S] [--pid PID]\n"
        "       chat_load URL --bare [same options]");
  const std::string& url = positional[0];
  const size_t colon = url.rfind(':');
  if (!url.starts_with("http://") || colon < 7) Die("URL is http://HOST:PORT");
  o.host = url.substr(7, colon - 7);
  o.port = url.substr(colon + 1);
  if (!o.bare) {
    o.admin_token = positional[1];
    std::ifstream f(positional[2]);
    for (std::string line; std::getline(f, line);)
      if (!line.empty()) o.agent_tokens.push_back(line);
    if (o.agent_tokens.empty()) Die("no agent tokens in " + positional[2]);
  }
  if (o.interval < 2) Die("--interval is at least 2 seconds: the server takes 30 customer messages a minute per conversation");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Run r;
  r.o = Parse(argc, argv);
  run = &r;
  const Options& o = r.o;
  // Before the conversations: their timers and sockets go while the io_context is still there.
  asio::io_context io;
  std::vector<Conversation> convs(size_t(o.conversations));
  for (int i = 0; i < o.conversations; ++i) {
    convs[size_t(i)].index = i;
    if (!o.bare) convs[size_t(i)].agent = i % int(o.agent_tokens.size());
  }
  const auto setup_started = Clock::now();
  if (!o.bare) SetUp(o, convs);
  const double setup_s = std::chrono::duration<double>(Clock::now() - setup_started).count();

  tcp::resolver resolver(io);
  const tcp::endpoint at = *resolver.resolve(o.host, o.port).begin();
  // Sockets open a hundred at a time, as a crowd arriving, not all in the same instant.
  int opened = 0, failed = 0, next = 0;
  const int total = 2 * o.conversations;
  std::function<void()> open_next = [&] {
    if (next >= total) return;
    const int k = next++;
    Conversation& c = convs[size_t(k / 2)];
    const bool agent = k % 2 == 1;
    auto s = std::make_shared<Socket>(io, c, agent);
    (agent ? c.agent_socket : c.customer) = s;
    std::string target, bearer, hello;
    if (o.bare) {
      target = "/c/" + std::to_string(c.index);
    } else {
      target = "/api/v1/conversations/" + std::to_string(c.id) + "/socket";
      json::object h{{"type", "hello"}, {"after", 0}};
      if (agent) bearer = o.agent_tokens[size_t(c.agent)];
      else h["token"] = c.token;
      hello = json::serialize(h);
    }
    s->Open(at, o, target, bearer, hello, [&](bool ok) {
      ok ? ++opened : ++failed;
      open_next();
    });
  };
  for (int i = 0; i < 100; ++i) open_next();
  while (opened + failed < total) io.run_one();
  if (failed) Die(std::to_string(failed) + " of " + std::to_string(total) + " sockets did not open");

  std::mt19937 rng(42);
  std::uniform_real_distribution<double> offset(0, o.interval);
  for (auto& c : convs) {
    c.timer = std::make_unique<asio::steady_timer>(io);
    c.timer->expires_after(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(offset(rng))));
    c.timer->async_wait([&c](beast::error_code ec) {
      if (!ec) c.Tick();
    });
  }
  const auto start = Clock::now();
  r.window_start = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  r.window_end = r.window_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
  ProcSample before, after;
  asio::steady_timer window(io);
  window.expires_at(r.window_start);
  window.async_wait([&](beast::error_code) {
    before = SampleProc(o.pid);
    window.expires_at(r.window_end);
    window.async_wait([&](beast::error_code) {
      after = SampleProc(o.pid);
      r.sending = false;
      for (auto& c : convs) c.timer->cancel();
    });
  });
  io.run_until(r.window_end + std::chrono::seconds(5));

  int64_t lost = 0;
  for (const auto& [id, sent] : r.in_flight)
    if (r.InWindow(sent)) ++lost;
  std::vector<double> all = r.stats.to_agent_ms;
  all.insert(all.end(), r.stats.to_customer_ms.begin(), r.stats.to_customer_ms.end());
  const double cpu = o.pid ? (after.cpu_seconds - before.cpu_seconds) / o.duration * 100 : 0;
  std::printf("%s: %d conversations (%d sockets), a customer message every %.1f s each, the agent answering at once; setup %.1f s\n",
              o.bare ? "bare relay" : "chamado", o.conversations, total, o.interval, setup_s);
  std::printf("  customer->agent  n=%zu p50=%.2f ms p99=%.2f ms max=%.2f ms\n", r.stats.to_agent_ms.size(), Percentile(r.stats.to_agent_ms, .5),
              Percentile(r.stats.to_agent_ms, .99), Percentile(r.stats.to_agent_ms, 1));
  std::printf("  agent->customer  n=%zu p50=%.2f ms p99=%.2f ms max=%.2f ms\n", r.stats.to_customer_ms.size(),
              Percentile(r.stats.to_customer_ms, .5), Percentile(r.stats.to_customer_ms, .99), Percentile(r.stats.to_customer_ms, 1));
  if (r.stats.errors) std::printf("  %lld error frames, the first: %s\n", (long long)r.stats.errors, r.stats.first_error.c_str());
  std::printf("result mode=%s conversations=%d sent=%lld delivered=%zu lost=%lld errors=%lld msgs_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f "
              "cpu_pct=%.0f rss_mib=%.1f hwm_mib=%.1f\n",
              o.bare ? "bare" : "chamado", o.conversations, (long long)r.stats.sent_in_window, all.size(), (long long)lost,
              (long long)r.stats.errors, double(all.size()) / o.duration, Percentile(all, .5), Percentile(all, .99), Percentile(all, 1), cpu,
              double(after.rss_kib) / 1024, double(after.hwm_kib) / 1024);
  return lost || r.stats.errors ? 3 : 0;
}
