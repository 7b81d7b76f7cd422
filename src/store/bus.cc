#include "store/bus.h"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "core/text.h"
#include "store/postgres.h"

namespace chamado::store {

struct Bus::Impl {
  std::string libpq;  // the URL as libpq reads it
  std::string redacted;
  std::vector<std::string> channels;
  Heard heard;
  std::string suffix;  // "_" and 16 hex digits of the schema's name: the channels are name + suffix

  std::mutex mu;             // the connection: the thread's reads and Say's writes
  PGconn* conn = nullptr;    // GUARDED_BY(mu); null while down
  int wake = -1;             // eventfd: Say or the destructor wakes the thread
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  std::atomic<bool> stopping{false};  // set under stop_mu, so a wait on stop_cv sees it
  std::thread thread;

  ~Impl() {
    if (conn) PQfinish(conn);
    if (wake >= 0) close(wake);
  }

  // A new connection, listening; or what went wrong.
  Result<PGconn*> Connect() {
    PGconn* c = PQconnectdb(libpq.c_str());
    if (!c || PQstatus(c) != CONNECTION_OK) {
      const std::string why = c ? std::string(Trim(PQerrorMessage(c))) : "out of memory";
      if (c) PQfinish(c);
      return Error::Unavailable("Cannot listen for other instances at " + redacted + ": " + why + ".");
    }
    PQsetNoticeProcessor(c, [](void*, const char* m) { spdlog::debug("postgresql: {}", m); }, nullptr);
    // Channels are the database's, not the schema's: desks in two schemas of one database
    // each hear only their own (the events trigger names its channel the same way).
    {
      PGresult* r = PQexec(c, "SELECT left(md5(current_schema()), 16)");
      const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
      const std::string got = ok ? PQgetvalue(r, 0, 0) : "";
      const std::string why(Trim(PQresultErrorMessage(r)));
      PQclear(r);
      if (!ok) {
        PQfinish(c);
        return Error::Unavailable("Cannot listen for other instances at " + redacted + ": " + why + ".");
      }
      suffix = "_" + got;
    }
    for (const auto& name : channels) {
      const std::string channel = name + suffix;
      char* quoted = PQescapeIdentifier(c, channel.data(), channel.size());
      const std::string sql = std::string("LISTEN ") + (quoted ? quoted : "");
      if (quoted) PQfreemem(quoted);
      PGresult* r = PQexec(c, sql.c_str());
      const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
      const std::string why(Trim(PQresultErrorMessage(r)));
      PQclear(r);
      if (!ok) {
        PQfinish(c);
        return Error::Unavailable("Cannot listen on " + channel + " at " + redacted + ": " + why + ".");
      }
    }
    return c;
  }

  // Waits `d`, or less if the bus stops; returns whether it is stopping.
  bool WaitOrStop(std::chrono::milliseconds d) {
    std::unique_lock lock(stop_mu);
    return stop_cv.wait_for(lock, d, [&] { return stopping.load(); });
  }

  void Loop() {
    auto backoff = std::chrono::milliseconds(1000);
    while (!stopping) {
      int fd = -1;
      {
        std::lock_guard lock(mu);
        if (conn) fd = PQsocket(conn);
      }
      if (fd < 0) {
        if (WaitOrStop(backoff)) return;
        auto c = Connect();
        if (!c.ok()) {
          spdlog::warn("{} (trying again in {} s)", c.error().message, backoff.count() / 1000);
          backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
          continue;
        }
        {
          std::lock_guard lock(mu);
          conn = *c;
        }
        backoff = std::chrono::milliseconds(1000);
        spdlog::info("listening for other instances again at {}", redacted);
        heard("", "");  // what was said meanwhile is lost: catch up
        continue;
      }
      pollfd fds[2] = {{fd, POLLIN, 0}, {wake, POLLIN, 0}};
      if (poll(fds, 2, 30000) < 0 && errno != EINTR) {
        spdlog::warn("listening for other instances: poll: {}", std::strerror(errno));
        WaitOrStop(std::chrono::milliseconds(100));
        continue;
      }
      if (fds[1].revents & POLLIN) {
        uint64_t n = 0;
        (void)!read(wake, &n, sizeof n);
      }
      std::vector<std::pair<std::string, std::string>> got;
      {
        std::lock_guard lock(mu);
        if (!conn) continue;
        if (!PQconsumeInput(conn) || PQstatus(conn) != CONNECTION_OK) {
          spdlog::warn("listening for other instances at {}: the connection broke ({}); reconnecting", redacted,
                       Trim(PQerrorMessage(conn)));
          PQfinish(conn);
          conn = nullptr;
          continue;
        }
        while (PGnotify* n = PQnotifies(conn)) {
          std::string channel = n->relname;
          if (channel.ends_with(suffix)) channel.resize(channel.size() - suffix.size());
          got.emplace_back(std::move(channel), n->extra ? n->extra : "");
          PQfreemem(n);
        }
      }
      for (const auto& [channel, payload] : got) heard(channel, payload);
    }
  }
};

Bus::Bus(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Bus>> Bus::Start(const std::string& url, std::vector<std::string> channels, Heard heard) {
  CHAMADO_ASSIGN_OR_RETURN(const PostgresUrl parsed, ParsePostgresUrl(url));
  auto impl = std::make_unique<Impl>();
  impl->libpq = parsed.libpq;
  impl->redacted = RedactedUrl(url);
  impl->channels = std::move(channels);
  impl->heard = std::move(heard);
  impl->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl->wake < 0) return Error::Internal(std::string("eventfd: ") + std::strerror(errno));
  CHAMADO_ASSIGN_OR_RETURN(impl->conn, impl->Connect());
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Loop(); });
  return std::unique_ptr<Bus>(new Bus(std::move(impl)));
}

Bus::~Bus() {
  {
    std::lock_guard lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  const uint64_t one = 1;
  (void)!write(impl_->wake, &one, sizeof one);
  impl_->thread.join();
}

bool Bus::Listening() const {
  std::lock_guard lock(impl_->mu);
  return impl_->conn != nullptr;
}

Result<void> Bus::Say(std::string_view channel, std::string_view payload) {
  if (payload.size() > kMaxPayload)
    return Error::InvalidArgument("A notification holds at most " + std::to_string(kMaxPayload) + " bytes.");
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->conn) return Error::Unavailable("Not connected to tell other instances; they catch up by themselves.");
    const std::string c = std::string(channel) + impl_->suffix, p(payload);
    const char* values[2] = {c.c_str(), p.c_str()};
    PGresult* r = PQexecParams(impl_->conn, "SELECT pg_notify($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    const std::string why(Trim(PQresultErrorMessage(r)));
    PQclear(r);
    if (!ok) return Error::Unavailable("Cannot tell other instances: " + why);
  }
  // The answer may have carried notifications in with it: the thread hands them on.
  const uint64_t one = 1;
  (void)!write(impl_->wake, &one, sizeof one);
  return Ok();
}

}  // namespace chamado::store
