// The baselines for bench/tickets.sh: the same Beast server doing the least that answers
// the same request.
//
//   bare_server insert DB PORT [THREADS]
//     POST /api/v1/tickets: one SQLite INSERT per request (WAL, synchronous=NORMAL: not
//     durable against power loss) and nothing else: no auth, no validation, no audit trail.
//   bare_server queue DB PORT [THREADS]
//     On a Chamado database, GET /api/v1/queue: the first 50 rows of the queue read through
//     the same index (tickets_queue) with the same columns, written as a JSON array; any
//     other GET: the newest 50 open tickets through the (status, number) index, as
//     /api/v1/tickets?status=open does. No auth, no names, no clocks, no tags, no cursor.
//   bare_server page DB PORT [THREADS]
//     For bench/help_pages.sh: any GET gets a fixed page of about the size of a help-center
//     page, from memory (DB is not opened).
//   bare_server ws DB PORT [THREADS]
//     For bench/chat.sh: a WebSocket echo between the two sockets of a path. Each text frame
//     is passed, as it is, to the other sockets on the same path (a conversation's customer
//     and agent): no parsing, no storage, no sequence numbers (DB is not opened).
#include <sqlite3.h>

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <string_view>

#include "http/server.h"

namespace {

constexpr std::string_view kColumns =
    "SELECT number, subject, requester_id, organization_id, channel, status, priority, group_id, assignee_id, category, "
    "custom_fields, resolution, created_at, updated_at, first_response_at, solved_at, closed_at, priority_rank, "
    "escalation_level, sla_due_at, resolution_summary FROM tickets ";

// One read connection and its statements per server thread, as Chamado's reader pool has.
struct Reader {
  sqlite3* db = nullptr;
  sqlite3_stmt* queue = nullptr;
  sqlite3_stmt* list = nullptr;
};

Reader& ThreadReader(const char* path) {
  thread_local Reader r;
  if (!r.db) {
    sqlite3_open_v2(path, &r.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    const std::string queue = std::string(kColumns) + "WHERE in_queue = 1 ORDER BY priority_rank, created_at, number LIMIT 51";
    const std::string list = std::string(kColumns) + "WHERE status = 'open' ORDER BY number DESC LIMIT 51";
    sqlite3_prepare_v2(r.db, queue.c_str(), -1, &r.queue, nullptr);
    sqlite3_prepare_v2(r.db, list.c_str(), -1, &r.list, nullptr);
  }
  return r;
}

std::string TicketPage(const char* path, bool queue) {
  sqlite3_stmt* stmt = queue ? ThreadReader(path).queue : ThreadReader(path).list;
  boost::json::array items;
  int rows = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW && rows++ < 50) {
    boost::json::object o;
    const int n = sqlite3_column_count(stmt);
    for (int i = 0; i < n; ++i) {
      const char* name = sqlite3_column_name(stmt, i);
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER: o[name] = sqlite3_column_int64(stmt, i); break;
        case SQLITE_NULL: o[name] = nullptr; break;
        default:
          o[name] = std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                                     size_t(sqlite3_column_bytes(stmt, i)));
      }
    }
    items.push_back(std::move(o));
  }
  sqlite3_reset(stmt);
  return boost::json::serialize(boost::json::object{{"items", std::move(items)}});
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view mode = argc > 1 ? argv[1] : "";
  if (argc < 4 || (mode != "insert" && mode != "queue" && mode != "page" && mode != "ws")) {
    std::cerr << "usage: bare_server insert|queue|page|ws DB PORT [THREADS]\n";
    return 2;
  }
  const bool queue = mode == "queue";
  const std::string page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Help center</title>" +
                           std::string(1000, ' ') + "</head><body><div id=\"app\"></div></body></html>\n";
  const char* path = argv[2];
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  if (mode == "insert") {
    if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                 "CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, subject TEXT, description TEXT, created_at INTEGER)",
                 nullptr, nullptr, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO tickets (subject, description, created_at) VALUES (?, ?, strftime('%s','now'))", -1,
                       &insert, nullptr);
  }
  std::mutex mu;
  std::map<std::string, std::vector<std::shared_ptr<chamado::http::StreamSink>>> paths;  // GUARDED_BY(mu), ws mode
  chamado::http::ServerOptions o;
  o.port = static_cast<unsigned short>(std::atoi(argv[3]));
  o.threads = argc > 4 ? std::atoi(argv[4]) : 0;
  // The chat load generator holds thousands of sockets from 127.0.0.1, as the real server
  // allows its trusted proxy to.
  if (mode == "ws") o.unlimited_clients = {"127.0.0.1"};
  auto server = chamado::http::Server::Bind(o, [&](chamado::http::Request req, chamado::http::Reply reply) {
    chamado::http::Response r;
    if (mode == "ws") {
      auto ws = std::make_shared<chamado::http::WebSocket>();
      auto self = std::make_shared<std::shared_ptr<chamado::http::StreamSink>>();
      ws->open = [&, self, path = req.path](std::shared_ptr<chamado::http::StreamSink> sink) {
        *self = sink;
        std::lock_guard lock(mu);
        paths[path].push_back(std::move(sink));
      };
      ws->message = [&, self, path = req.path](std::string text) {
        std::vector<std::shared_ptr<chamado::http::StreamSink>> others;
        {
          std::lock_guard lock(mu);
          for (const auto& s : paths[path])
            if (s != *self) others.push_back(s);
        }
        for (const auto& s : others) s->Send(text);
      };
      ws->closed = [&, self, path = req.path] {
        std::lock_guard lock(mu);
        std::erase(paths[path], *self);
      };
      r.websocket = std::move(ws);
      return reply(std::move(r));
    }
    if (mode == "page") {
      r.Set("Content-Type", "text/html; charset=utf-8");
      r.body = page;
      return reply(std::move(r));
    }
    r.Set("Content-Type", "application/json");
    if (queue) {
      r.status = 200;
      r.body = TicketPage(path, req.path == "/api/v1/queue");
      return reply(std::move(r));
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) {
      r.status = 400;
      return reply(std::move(r));
    }
    const auto* s = v.as_object().if_contains("subject");
    const auto* d = v.as_object().if_contains("description");
    const std::string subject = s && s->is_string() ? std::string(s->as_string()) : "";
    const std::string description = d && d->is_string() ? std::string(d->as_string()) : "";
    int64_t id;
    {
      std::lock_guard lock(mu);
      sqlite3_bind_text(insert, 1, subject.data(), int(subject.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, description.data(), int(description.size()), SQLITE_STATIC);
      sqlite3_step(insert);
      sqlite3_reset(insert);
      id = sqlite3_last_insert_rowid(db);
    }
    r.status = 201;
    r.body = "{\"number\":" + std::to_string(id) + "}";
    reply(std::move(r));
  });
  if (!server.ok()) {
    std::cerr << server.error().message << "\n";
    return 1;
  }
  std::cout << "listening on http://127.0.0.1:" << (*server)->port() << std::endl;
  (*server)->Run();
  if (insert) sqlite3_finalize(insert);
  if (db) sqlite3_close(db);
}
