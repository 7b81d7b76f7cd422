// The scheduler with a million open tickets: how long does a pass take that finds the
// 1,000 clocks that are due (and then fires them)? Baseline, side by side: the same search
// without the next_fire_at index (a scan of every clock), which the design forbids.
//
// usage: scheduler_bench [TICKETS=1000000] [DUE=1000] [DATA_DIR]
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "store/repo.h"
#include "store/service_level.h"
#include "store/store.h"

using namespace chamado;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int due = argc > 2 ? std::atoi(argv[2]) : 1000;
  const std::string dir = argc > 3 ? argv[3] : (std::filesystem::temp_directory_path() / "chamado_scheduler_bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = store::Store::Open({dir + "/chamado.db", /*durable=*/false});
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  store::Store& st = **opened;
  auto policy = st.policy();
  const auto masker = *SecretMasker::Make(SecretMasker::Defaults());
  const Instant now = *ParseIsoInstant("2026-01-07T15:00:00Z");  // a Wednesday afternoon

  auto t0 = Clock::now();
  auto requester = st.WriteSync<core::User>([&](store::Repo& repo) {
    core::User u;
    u.email = "bench@acme.example";
    u.created_at = now;
    return repo.InsertUser(u, "");
  });
  if (!requester.ok()) return 1;
  // Bulk load (INSERT ... SELECT over a counter) in the same shapes the commands write: the
  // first `due` tickets opened two days ago (first response overdue), the rest this
  // morning (due tomorrow).
  const int64_t now_ms = ToUnixMillis(now), req = requester->id;
  const std::string sql =
      "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < " + std::to_string(n - 1) + ") "
      "INSERT INTO tickets (subject, requester_id, channel, status, priority, priority_rank, created_at, updated_at) "
      "SELECT 'Ticket ' || i, " + std::to_string(req) + ", 'web', 'new', 'P3', 2, "
      "  " + std::to_string(now_ms) + " - (CASE WHEN i < " + std::to_string(due) + " THEN 172800000 ELSE 21600000 END) + (i % 3600) * 1000, "
      "  " + std::to_string(now_ms) + " - (CASE WHEN i < " + std::to_string(due) + " THEN 172800000 ELSE 21600000 END) + (i % 3600) * 1000 "
      "FROM seq;"
      "INSERT INTO status_changes (ticket_number, at, status) SELECT number, created_at, 'new' FROM tickets;"
      "INSERT INTO messages (ticket_number, kind, author_id, body, channel, created_at) "
      "  SELECT number, 'customer_message', requester_id, 'x', 'web', created_at FROM tickets;"
      "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, "
      "  due_at, next_fire_at, computed_at) "
      "  SELECT number, 'first_response', created_at, 'running', 'business', '1d', 32400000, 0, "
      "  created_at + (CASE WHEN number <= " + std::to_string(due) + " THEN 86400000 ELSE 93600000 END), "
      "  created_at + (CASE WHEN number <= " + std::to_string(due) + " THEN 86400000 ELSE 93600000 END) + 1, created_at "
      "  FROM tickets;";
  auto seeded = st.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Script(sql));
    return true;
  });
  if (!seeded.ok()) return std::fprintf(stderr, "%s\n", seeded.error().message.c_str()), 1;
  const double seed_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("seeded %d open tickets with their clocks in %.1f s\n", n, seed_s);

  // Warm the page cache the same way for both searches.
  for (int round = 0; round < 2; ++round) {
    auto a = Clock::now();
    auto found = st.ReadOne<std::vector<core::Id>>([&](store::Repo& repo) { return repo.DueClockTickets(now, due); });
    auto b = Clock::now();
    int64_t scanned = 0;
    auto scan = st.ReadOne<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM ticket_clocks WHERE +next_fire_at <= $1", {ToUnixMillis(now)},
                                  [&](const store::RowView& r) { scanned = r.Int(0); }));
      return true;
    });
    auto c = Clock::now();
    if (!found.ok() || !scan.ok()) return 1;
    if (round == 1)
      std::printf("find due: index %.2f ms (%zu tickets) | baseline full scan %.2f ms (%lld) | ratio %.0fx\n",
                  std::chrono::duration<double, std::milli>(b - a).count(), found->size(),
                  std::chrono::duration<double, std::milli>(c - b).count(), (long long)scanned,
                  std::chrono::duration<double>(c - b).count() / std::chrono::duration<double>(b - a).count());
  }

  // The whole pass: find, recompute each clock from the ticket's history, record the breach,
  // escalate (the default policy notifies and raises the escalation level), in one transaction.
  auto a = Clock::now();
  auto fired = st.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
    CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.DueClockTickets(now, due));
    int breaches = 0;
    for (auto number : numbers) {
      CHAMADO_ASSIGN_OR_RETURN(auto f, store::FireDue(repo, *policy, *masker, number, now));
      breaches += f.breaches;
    }
    return breaches;
  });
  auto b = Clock::now();
  if (!fired.ok()) return std::fprintf(stderr, "%s\n", fired.error().message.c_str()), 1;
  std::printf("full pass: %d breaches fired in %.1f ms (%.1f us per ticket)\n", *fired,
              std::chrono::duration<double, std::milli>(b - a).count(),
              std::chrono::duration<double, std::micro>(b - a).count() / std::max(1, *fired));
  if (argc <= 3) std::filesystem::remove_all(dir);
}
