// The scheduler with a million open tickets: how long does a pass take that finds the
// 1,000 clocks that are due (and then fires them)? Baseline, side by side: the same search
// without the next_fire_at index (a scan of every clock), which the design forbids.
//
// Then the automation pass beside it: a tenth of the tickets wait on the customer under a
// policy with [automations.auto_close] after = "48h", reminder_before = "24h"; AUTO_DUE of
// them are due (half for the reminder, half for the close). It times finding them through
// ticket_automations' index against a scan, the pass that reminds and closes them, and a
// second pass, which must find nothing left.
//
// Last, the policy's time rules ([[automations.rules]]): a rule on every new ticket 24 hours
// after it opened (tag it, call a webhook), RULE_DUE of the new tickets opened 30 hours ago,
// the rest this morning (but the DUE overdue ones, two days ago: due as well). The same three figures: finding the due ones through ticket_rules'
// index against a scan of the tickets, the pass that fires them, and a second pass.
//
// usage: scheduler_bench [TICKETS=1000000] [DUE=1000] [DATA_DIR] [AUTO_DUE=DUE] [RULE_DUE=AUTO_DUE]
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "store/automations.h"
#include "store/rules.h"
#include "store/commands.h"
#include "store/repo.h"
#include "store/service_level.h"
#include "store/store.h"

using namespace chamado;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// A bulk load leaves a write-ahead log of its size, which the writer empties (a truncating
// checkpoint) before it takes the next job. Waits for that with an empty job, so the passes
// are not timed waiting for it: a desk's log never grows so (the store keeps it bounded).
Result<void> Settle(store::Store& st) {
  CHAMADO_TRY(st.WriteSync<bool>([](store::Repo&) -> Result<bool> { return true; }));
  return st.Checkpoint();
}

// The last tenth of the tickets wait on the customer (no SLA clock, to keep the two passes
// apart): the first auto_due / 2 for 30 h (reminder due), the next ones for 49 h (close due),
// the rest for an hour. Then the automation pass beside the clock pass (`clock_fired` tickets
// in `clock_pass`).
int AutomationPass(store::Store& st, int n, int auto_due, Instant now, int clock_fired, Clock::duration clock_pass) {
  const std::string source = std::string(store::DefaultPolicySource()) +
                             "\n[automations.auto_close]\nafter = \"48h\"\nreminder_before = \"24h\"\n";
  auto policy = store::ParseStoredPolicy(source, "bench.toml", {});
  if (!policy.ok()) return std::fprintf(stderr, "%s\n", policy.error().message.c_str()), 1;
  auto applied = st.WriteSync<int64_t>([&](store::Repo& repo) { return store::ApplyPolicyCommand(repo, *policy, {}, std::nullopt, now); });
  if (!applied.ok() || !st.ReloadPolicy().ok()) return std::fprintf(stderr, "cannot apply the policy\n"), 1;
  const int waiting = n / 10, first = n - waiting + 1;
  const int64_t now_ms = ToUnixMillis(now), hour = 3600000;
  const std::string since = "(" + std::to_string(now_ms) + " - (CASE WHEN number < " + std::to_string(first + auto_due / 2) +
                            " THEN 30 WHEN number < " + std::to_string(first + auto_due) + " THEN 49 ELSE 1 END) * " +
                            std::to_string(hour) + ")";
  const std::string range = " WHERE number >= " + std::to_string(first);
  const std::string sql =
      "UPDATE tickets SET status = 'pending_customer', created_at = " + since + " - " + std::to_string(hour) +
      ", updated_at = " + since + range + ";"
      "UPDATE status_changes SET at = (SELECT created_at FROM tickets WHERE number = ticket_number) WHERE ticket_number >= " +
      std::to_string(first) + ";"
      "UPDATE messages SET created_at = (SELECT created_at FROM tickets WHERE number = ticket_number) WHERE ticket_number >= " +
      std::to_string(first) + ";"
      "INSERT INTO status_changes (ticket_number, at, status) SELECT number, updated_at, 'pending_customer' FROM tickets" + range + ";"
      "DELETE FROM ticket_clocks WHERE ticket_number >= " + std::to_string(first) + ";"
      "INSERT INTO ticket_automations (ticket_number, rule, waiting_since, remind_at, close_at, next_fire_at) "
      "  SELECT number, 'auto_close', updated_at, updated_at + " + std::to_string(24 * hour) + ", updated_at + " +
      std::to_string(48 * hour) + ", updated_at + " + std::to_string(24 * hour) + " FROM tickets" + range + ";";
  auto seeded = st.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Script(sql));
    return true;
  });
  if (!seeded.ok()) return std::fprintf(stderr, "%s\n", seeded.error().message.c_str()), 1;
  if (auto c = Settle(st); !c.ok()) return std::fprintf(stderr, "%s\n", c.error().message.c_str()), 1;
  std::printf("%d tickets wait on the customer, %d of them due for a reminder or the close\n", waiting, auto_due);

  for (int round = 0; round < 2; ++round) {
    auto a = Clock::now();
    auto found = st.ReadOne<std::vector<core::Id>>([&](store::Repo& repo) { return repo.DueAutomationTickets(now, auto_due); });
    auto b = Clock::now();
    int64_t scanned = 0, waited = 0;
    auto scan = st.ReadOne<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM ticket_automations WHERE +next_fire_at <= $1", {now_ms},
                                  [&](const store::RowView& r) { scanned = r.Int(0); }));
      return true;
    });
    auto c = Clock::now();
    // What the design forbids: every ticket read for whether it waits, and since when.
    auto tickets = st.ReadOne<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM tickets t WHERE +t.status = 'pending_customer' AND "
                                  "(SELECT max(at) FROM status_changes s WHERE s.ticket_number = t.number) <= $1",
                                  {now_ms - 24 * hour}, [&](const store::RowView& r) { waited = r.Int(0); }));
      return true;
    });
    auto d = Clock::now();
    if (!found.ok() || !scan.ok() || !tickets.ok()) return 1;
    if (round == 1)
      std::printf("find due automations: index %.2f ms (%zu tickets) | scan of ticket_automations %.2f ms (%lld) %.0fx | "
                  "scan of the tickets %.2f ms (%lld) %.0fx\n",
                  Ms(b - a), found->size(), Ms(c - b), (long long)scanned, Ms(c - b) / Ms(b - a), Ms(d - c), (long long)waited,
                  Ms(d - c) / Ms(b - a));
  }

  auto live = st.policy();
  auto pass = [&](store::AutomationsFired& total) {
    return st.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
      CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.DueAutomationTickets(now, std::max(auto_due, 1)));
      for (auto number : numbers) {
        CHAMADO_ASSIGN_OR_RETURN(auto f, store::FireAutomations(repo, *live, number, now));
        total.reminders += f.reminders;
        total.closes += f.closes;
      }
      return int(numbers.size());
    });
  };
  store::AutomationsFired first_pass, second_pass;
  auto a = Clock::now();
  auto looked = pass(first_pass);
  auto b = Clock::now();
  auto again = pass(second_pass);
  auto c = Clock::now();
  if (!looked.ok() || !again.ok()) return std::fprintf(stderr, "automation pass failed\n"), 1;
  const int acted = first_pass.reminders + first_pass.closes;
  std::printf("automation pass: %d reminders + %d closes in %.1f ms (%.1f us per ticket)\n", first_pass.reminders,
              first_pass.closes, Ms(b - a), Ms(b - a) * 1000 / std::max(1, acted));
  std::printf("clock pass alone (above): %d breaches in %.1f ms (%.1f us per ticket) | automation/clock per ticket %.2fx\n",
              clock_fired, Ms(clock_pass), Ms(clock_pass) * 1000 / std::max(1, clock_fired),
              (Ms(b - a) / std::max(1, acted)) / (Ms(clock_pass) / std::max(1, clock_fired)));
  std::printf("second automation pass: %d tickets due, %d fired, %.2f ms\n", *again, second_pass.reminders + second_pass.closes,
              Ms(c - b));
  return second_pass.reminders + second_pass.closes == 0 ? 0 : 2;
}

// The rule pass: tickets `due + 1` to `due + rule_due` opened 30 hours ago (their rule is
// due), every other new ticket six hours ago (not yet); one ticket_rules row per new ticket,
// as the refresh leaves them.
int RulePass(store::Store& st, int due, int rule_due, Instant now, int clock_fired, Clock::duration clock_pass) {
  const std::string source = std::string(store::DefaultPolicySource()) +
                             "\n[[automations.rules]]\nname = \"stale-new\"\non = \"time\"\nsince = \"created\"\nafter = \"24h\"\n"
                             "when = { status = \"new\" }\nadd_tags = \"stale\"\nwebhook = \"https://hooks.example/chamado\"\n";
  auto policy = store::ParseStoredPolicy(source, "bench.toml", {});
  if (!policy.ok()) return std::fprintf(stderr, "%s\n", policy.error().message.c_str()), 1;
  auto applied = st.WriteSync<int64_t>([&](store::Repo& repo) { return store::ApplyPolicyCommand(repo, *policy, {}, std::nullopt, now); });
  if (!applied.ok() || !st.ReloadPolicy().ok()) return std::fprintf(stderr, "cannot apply the policy\n"), 1;
  const int64_t now_ms = ToUnixMillis(now), hour = 3600000;
  auto range_of = [&](const char* column) {
    return std::string(column) + " > " + std::to_string(due) + " AND " + column + " <= " + std::to_string(due + rule_due);
  };
  const std::string range = range_of("number"), of_tickets = range_of("ticket_number");
  const std::string opened = std::to_string(now_ms - 30 * hour) + " + (number % 3600) * 1000";
  const std::string sql =
      "UPDATE tickets SET created_at = " + opened + ", updated_at = " + opened + " WHERE " + range + ";"
      "UPDATE status_changes SET at = (SELECT created_at FROM tickets WHERE number = ticket_number) WHERE " + of_tickets + ";"
      "UPDATE messages SET created_at = (SELECT created_at FROM tickets WHERE number = ticket_number) WHERE " + of_tickets + ";"
      "INSERT INTO ticket_rules (ticket_number, rule, anchor, due_at) "
      "  SELECT number, 'stale-new', created_at, created_at + " + std::to_string(24 * hour) + " FROM tickets WHERE status = 'new';";
  auto seeded = st.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Script(sql));
    return true;
  });
  if (!seeded.ok()) return std::fprintf(stderr, "%s\n", seeded.error().message.c_str()), 1;
  if (auto c = Settle(st); !c.ok()) return std::fprintf(stderr, "%s\n", c.error().message.c_str()), 1;
  int64_t rows = 0;
  (void)st.ReadOne<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM ticket_rules", {}, [&](const store::RowView& r) { rows = r.Int(0); }));
    return true;
  });
  int64_t old = 0;  // new tickets opened over 24 hours ago: the rule's due ones

  for (int round = 0; round < 2; ++round) {
    auto a = Clock::now();
    auto found = st.ReadOne<std::vector<core::Id>>(
        [&](store::Repo& repo) { return repo.DueRuleTickets(now, int(std::max<int64_t>(old, rule_due))); });
    auto b = Clock::now();
    // What the design forbids: every ticket read for its status and age.
    auto scan = st.ReadOne<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Run("SELECT count(*) FROM tickets WHERE +status = 'new' AND +created_at <= $1", {now_ms - 24 * hour},
                                  [&](const store::RowView& r) { old = r.Int(0); }));
      return true;
    });
    auto c = Clock::now();
    if (!found.ok() || !scan.ok()) return 1;
    if (round == 0) std::printf("%lld new tickets under a 24-hour rule, %lld of them due\n", (long long)rows, (long long)old);
    if (round == 1)
      std::printf("find due rules: index %.2f ms (%zu tickets) | scan of the tickets %.2f ms (%lld) %.0fx\n", Ms(b - a),
                  found->size(), Ms(c - b), (long long)old, Ms(c - b) / Ms(b - a));
  }

  auto live = st.policy();
  auto pass = [&](store::RulesFired& total) {
    return st.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
      CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.DueRuleTickets(now, int(std::max<int64_t>(old, 1))));
      for (auto number : numbers) {
        CHAMADO_ASSIGN_OR_RETURN(auto f, store::FireDueRules(repo, *live, number, now));
        total.fired += f.fired;
        total.failed += f.failed;
      }
      return int(numbers.size());
    });
  };
  store::RulesFired first_pass, second_pass;
  auto a = Clock::now();
  auto looked = pass(first_pass);
  auto b = Clock::now();
  auto again = pass(second_pass);
  auto c = Clock::now();
  if (!looked.ok() || !again.ok()) return std::fprintf(stderr, "rule pass failed: %s\n", (!looked.ok() ? looked : again).error().message.c_str()), 1;
  std::printf("rule pass: %d fired (%d failed) in %.1f ms (%.1f us per ticket)\n", first_pass.fired, first_pass.failed, Ms(b - a),
              Ms(b - a) * 1000 / std::max(1, first_pass.fired));
  std::printf("clock pass alone (above): %d breaches in %.1f ms (%.1f us per ticket) | rule/clock per ticket %.2fx\n", clock_fired,
              Ms(clock_pass), Ms(clock_pass) * 1000 / std::max(1, clock_fired),
              (Ms(b - a) / std::max(1, first_pass.fired)) / (Ms(clock_pass) / std::max(1, clock_fired)));
  std::printf("second rule pass: %d tickets due, %d fired, %.2f ms\n", *again, second_pass.fired, Ms(c - b));
  return first_pass.fired == old && second_pass.fired == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int due = argc > 2 ? std::atoi(argv[2]) : 1000;
  const std::string dir = argc > 3 && *argv[3] ? argv[3] : (std::filesystem::temp_directory_path() / "chamado_scheduler_bench").string();
  const int auto_due = argc > 4 ? std::atoi(argv[4]) : due;
  const int rule_due = argc > 5 ? std::atoi(argv[5]) : auto_due;
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
  if (auto c = Settle(st); !c.ok()) return std::fprintf(stderr, "%s\n", c.error().message.c_str()), 1;

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
  if (auto r = AutomationPass(st, n, auto_due, now, *fired, b - a); r != 0) return r;
  if (auto r = RulePass(st, due, rule_due, now, *fired, b - a); r != 0) return r;
  if (argc <= 3 || !*argv[3]) std::filesystem::remove_all(dir);
}
