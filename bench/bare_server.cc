// The baseline for bench/tickets.sh: the same Beast server, answering POST /tickets with
// one SQLite INSERT per request (WAL, synchronous=NORMAL: not durable against power loss)
// and nothing else: no auth, no validation, no audit trail. For bench/help_pages.sh, a GET
// gets a fixed page of about the size of a help-center page, from memory.
#include <sqlite3.h>

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "http/server.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bare_server DB PORT [THREADS]\n";
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
               "CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, subject TEXT, description TEXT, created_at INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO tickets (subject, description, created_at) VALUES (?, ?, strftime('%s','now'))", -1,
                     &insert, nullptr);
  std::mutex mu;
  chamado::http::ServerOptions o;
  o.port = static_cast<unsigned short>(std::atoi(argv[2]));
  o.threads = argc > 3 ? std::atoi(argv[3]) : 0;
  const std::string page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Help center</title>" +
                           std::string(1000, ' ') + "</head><body><div id=\"app\"></div></body></html>\n";
  auto server = chamado::http::Server::Bind(o, [&](chamado::http::Request req, chamado::http::Reply reply) {
    chamado::http::Response r;
    if (req.method == "GET") {
      r.Set("Content-Type", "text/html; charset=utf-8");
      r.body = page;
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
    r.Set("Content-Type", "application/json");
    r.body = "{\"number\":" + std::to_string(id) + "}";
    reply(std::move(r));
  });
  if (!server.ok()) {
    std::cerr << server.error().message << "\n";
    return 1;
  }
  std::cout << "listening on http://127.0.0.1:" << (*server)->port() << std::endl;
  (*server)->Run();
  sqlite3_finalize(insert);
  sqlite3_close(db);
}
