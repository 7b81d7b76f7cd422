// Outbox delivery claimed by several instances at once on PostgreSQL: Chamado's own sender
// (jobs::OutboxSender::SendDue: a write claiming ten due rows with FOR UPDATE SKIP LOCKED and
// a 30-minute lease, then a write recording each row sent) against a bare loop of the same
// statements on raw libpq connections (claim ten in one transaction, then one UPDATE per row,
// nothing else). WORKERS senders, each with a store of its own (as instances have), drain
// ROWS due rows; the delivery itself does nothing, so what is measured is the claiming.
// Afterwards every row must be sent exactly once (attempts = 1).
//
// Usage: claims_bench URL ROWS WORKERS ROUNDS   (URL: postgresql://..., an empty database or
// one of Chamado's; the outbox is emptied before each run)
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "jobs/outbox.h"
#include "store/postgres.h"
#include "store/store.h"

using namespace chamado;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "claims_bench: " << what << "\n";
  std::exit(1);
}

void Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Die(PQresultErrorMessage(r));
  PQclear(r);
}

std::string Scalar(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQresultErrorMessage(r));
  std::string v = PQgetvalue(r, 0, 0);
  PQclear(r);
  return v;
}

// ROWS webhook rows, all due at `now` (Unix ms).
void Fill(PGconn* c, int rows, int64_t now) {
  Exec(c, "DELETE FROM outbox");
  Exec(c, "INSERT INTO outbox (kind, recipient, event, payload, created_at, next_attempt_at) SELECT 'webhook', "
          "'https://hooks.example/' || g, 'sla.breached', '{}', " + std::to_string(now) + ", " + std::to_string(now) +
          " FROM generate_series(1, " + std::to_string(rows) + ") AS g");
}

// Every row sent, each after one attempt.
void Check(PGconn* c, int rows) {
  const std::string sent = Scalar(c, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1");
  if (std::stoi(sent) != rows) Die("only " + sent + " of " + std::to_string(rows) + " rows were sent exactly once");
}

double Bare(const std::string& libpq, int rows, int workers, int64_t now) {
  std::atomic<int> claimed{0};
  std::vector<PGconn*> conns;
  for (int w = 0; w < workers; ++w) {
    PGconn* c = PQconnectdb(libpq.c_str());
    if (PQstatus(c) != CONNECTION_OK) Die(PQerrorMessage(c));
    conns.push_back(c);
  }
  const std::string lease = std::to_string(now + 30 * 60 * 1000);
  const std::string claim =
      "UPDATE outbox SET next_attempt_at = " + lease + " WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND "
      "next_attempt_at <= " + std::to_string(now) + " AND kind = 'webhook' ORDER BY next_attempt_at LIMIT 10 FOR UPDATE SKIP "
      "LOCKED) RETURNING id";
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, c = conns[w]] {
      for (;;) {
        PGresult* r = PQexec(c, claim.c_str());
        if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(PQresultErrorMessage(r));
        const int n = PQntuples(r);
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) ids.emplace_back(PQgetvalue(r, i, 0));
        PQclear(r);
        if (n == 0) return;
        claimed += n;
        for (const auto& id : ids)
          Exec(c, "UPDATE outbox SET sent_at = " + std::to_string(now) + ", attempts = attempts + 1, last_error = NULL WHERE id = " + id);
      }
    });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto* c : conns) PQfinish(c);
  if (claimed != rows) Die("the bare loop claimed " + std::to_string(claimed.load()) + " rows of " + std::to_string(rows));
  return rows / seconds;
}

double Chamado(std::vector<std::unique_ptr<store::Store>>& stores, const core::Clock& clock, int rows) {
  std::atomic<int> attempted{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (auto& s : stores)
    threads.emplace_back([&, st = s.get()] {
      jobs::OutboxSender sender(*st, clock, store::OutboxKind::kWebhook, [](const store::Repo::QueuedNotification&) {
        return jobs::Delivery::Ok();
      });
      for (;;) {
        auto n = sender.SendDue();
        if (!n.ok()) Die(n.error().message);
        if (*n == 0) return;
        attempted += *n;
      }
    });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (attempted != rows) Die("Chamado's senders attempted " + std::to_string(attempted.load()) + " rows of " + std::to_string(rows));
  return rows / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || !store::IsPostgresUrl(argv[1])) {
    std::cerr << "usage: claims_bench postgresql://... ROWS WORKERS ROUNDS\n";
    return 2;
  }
  const std::string url = argv[1];
  const int rows = std::atoi(argv[2]), workers = std::atoi(argv[3]), rounds = std::atoi(argv[4]);
  const auto dir = std::filesystem::temp_directory_path() / ("claims-bench-" + std::to_string(::getpid()));
  std::vector<std::unique_ptr<store::Store>> stores;  // one per sender, as instances have
  for (int w = 0; w < workers; ++w) {
    auto s = store::Store::Open({.path = (dir / ("i" + std::to_string(w)) / "chamado.db").string(), .url = url});
    if (!s.ok()) Die(s.error().message);
    stores.push_back(std::move(*s));
  }
  auto parsed = store::ParsePostgresUrl(url);
  if (!parsed.ok()) Die(parsed.error().message);
  PGconn* admin = PQconnectdb(parsed->libpq.c_str());
  if (PQstatus(admin) != CONNECTION_OK) Die(PQerrorMessage(admin));
  core::ManualClock clock(FromUnixMillis(1800000000000));
  const int64_t now = ToUnixMillis(clock.Now());
  std::cout << "claiming " << rows << " due outbox rows with " << workers << " senders, " << rounds << " round(s)\n";
  double bare = 0, ours = 0;
  for (int round = 0; round < rounds; ++round) {
    Fill(admin, rows, now);
    const double b = Bare(parsed->libpq, rows, workers, now);
    Check(admin, rows);
    Fill(admin, rows, now);
    const double c = Chamado(stores, clock, rows);
    Check(admin, rows);
    std::cout << "round " << round + 1 << ": bare " << int(b) << " rows/s, chamado " << int(c) << " rows/s\n";
    bare += b;
    ours += c;
  }
  std::cout << "ratio chamado/bare = " << (ours / rounds) / (bare / rounds) << " (mean rows/s " << int(ours / rounds) << " / "
            << int(bare / rounds) << "); every row sent exactly once\n";
  Exec(admin, "DELETE FROM outbox");
  PQfinish(admin);
  stores.clear();
  std::filesystem::remove_all(dir);
}
