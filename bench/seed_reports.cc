// Fills a Chamado data folder with N tickets for the reports benchmark (bench/reports.sh): a
// year of a busy desk on seed 000's policy (priorities 1-3, plans basic/regular/premium),
// ending at 2026-03-01. 200 organizations (a plan each), 5 groups, 20 agents, every channel;
// 90 % first answered within 8 hours, 70 % solved (each resolution), a quarter of those rated;
// each ticket's first-response and resolution clocks met, breached or running as their times
// say. Rows are written in bulk SQL through the server's own connection (its full-text
// tokenizer keeps the search index in step), 50,000 tickets per transaction. The policy must
// be applied first (chamado policy apply).
#include <iostream>
#include <string>

#include "store/store.h"

using namespace chamado;

namespace {

constexpr int64_t kEnd = 1772323200000;   // 2026-03-01T00:00:00Z
constexpr int64_t kYear = 365LL * 86400000;
constexpr int64_t kFirstWithin = 4 * 3600000LL;    // the clocks' first-response target
constexpr int64_t kSolveWithin = 48 * 3600000LL;   // and resolution target

std::string Chunk(int64_t lo, int64_t hi, int64_t n) {
  const std::string start = std::to_string(kEnd - kYear);
  const std::string span = std::to_string(kYear);
  const std::string fr = std::to_string(kFirstWithin), sr = std::to_string(kSolveWithin);
  const std::string range = "number BETWEEN " + std::to_string(lo) + " AND " + std::to_string(hi);
  return "WITH RECURSIVE s(i) AS (SELECT " + std::to_string(lo) + " UNION ALL SELECT i + 1 FROM s WHERE i < " + std::to_string(hi) +
         ") INSERT INTO tickets (number, subject, requester_id, organization_id, channel, status, priority, priority_rank, group_id, "
         "assignee_id, resolution, created_at, updated_at, first_response_at, solved_at, closed_at) "
         "SELECT i, 'Report ticket ' || i, 100000 + (i * 37) % 200, 1000 + (i * 37) % 200, "
         "CASE i % 6 WHEN 0 THEN 'email' WHEN 1 THEN 'web' WHEN 2 THEN 'chat' WHEN 3 THEN 'phone' WHEN 4 THEN 'whatsapp' ELSE 'api' END, "
         "CASE WHEN i % 10 < 7 THEN (CASE WHEN i % 2 = 0 THEN 'solved' ELSE 'closed' END) WHEN i % 10 = 7 THEN 'open' "
         "WHEN i % 10 = 8 THEN 'pending_customer' ELSE 'new' END, "
         "CAST(1 + i % 3 AS TEXT), i % 3, 1 + i % 5, 200000 + (i * 11) % 20, "
         "CASE WHEN i % 10 < 7 THEN (CASE (i / 10) % 7 WHEN 0 THEN 'fixed' WHEN 1 THEN 'answered' WHEN 2 THEN 'works_as_expected' "
         "WHEN 3 THEN 'feature_request' WHEN 4 THEN 'cannot_reproduce' WHEN 5 THEN 'third_party' ELSE 'unsupported' END) END, "
         "c, c, CASE WHEN i % 10 != 9 THEN c + (i * 104729) % 28800000 END, "
         "CASE WHEN i % 10 < 7 THEN c + 28800000 + (i * 15485863) % 432000000 END, "
         "CASE WHEN i % 10 < 7 AND i % 2 = 1 THEN c + 32400000 + (i * 15485863) % 432000000 END "
         "FROM (SELECT i, " + start + " + i * " + span + " / " + std::to_string(n) + " AS c FROM s);\n"
         // Each ticket's clocks as the SLA engine would have left them (24/7: business = calendar).
         "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, due_at, "
         "breached_at, stopped_at, computed_at) SELECT number, 'first_response', created_at, "
         "CASE WHEN first_response_at IS NULL THEN 'running' WHEN first_response_at - created_at > " + fr + " THEN 'breached' ELSE 'met' END, "
         "'always', '4h', " + fr + ", coalesce(first_response_at - created_at, 0), "
         "CASE WHEN first_response_at IS NULL THEN created_at + " + fr + " END, "
         "CASE WHEN first_response_at - created_at > " + fr + " THEN created_at + " + fr + " END, first_response_at, created_at "
         "FROM tickets WHERE " + range + ";\n"
         "INSERT INTO ticket_clocks (ticket_number, target, cycle_start, state, calendar, within_text, within_ms, used_ms, due_at, "
         "breached_at, stopped_at, computed_at) SELECT number, 'resolution', created_at, "
         "CASE WHEN solved_at IS NULL THEN 'running' WHEN solved_at - created_at > " + sr + " THEN 'breached' ELSE 'met' END, "
         "'always', '48h', " + sr + ", coalesce(solved_at - created_at, 0), "
         "CASE WHEN solved_at IS NULL THEN created_at + " + sr + " END, "
         "CASE WHEN solved_at - created_at > " + sr + " THEN created_at + " + sr + " END, solved_at, created_at "
         "FROM tickets WHERE " + range + ";\n"
         "INSERT INTO survey_answers (ticket_number, rating, comment, answered_at, updated_at) "
         "SELECT number, 1 + (number / 4) % 5, '', solved_at + 3600000, solved_at + 3600000 FROM tickets "
         "WHERE " + range + " AND solved_at IS NOT NULL AND number % 4 = 0;\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: seed_reports DB N\n";
    return 2;
  }
  const int64_t n = std::atoll(argv[2]);
  auto st = store::Store::Open({argv[1]});
  if (!st.ok()) {
    std::cerr << st.error().message << "\n";
    return 1;
  }
  auto& s = **st;
  auto people = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.conn().Script(
        "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 199) "
        "INSERT INTO organizations (id, name, plan, created_at) SELECT 1000 + i, 'Org ' || i, "
        "CASE i % 3 WHEN 0 THEN 'basic' WHEN 1 THEN 'regular' ELSE 'premium' END, 0 FROM s;\n"
        "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 199) "
        "INSERT INTO users (id, email, name, role, organization_id, created_at, updated_at) "
        "SELECT 100000 + i, 'customer' || i || '@org' || i || '.example', 'Customer ' || i, 'customer', 1000 + i, 0, 0 FROM s;\n"
        "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19) "
        "INSERT INTO users (id, email, name, role, created_at, updated_at) "
        "SELECT 200000 + i, 'agent' || i || '@desk.example', 'Agent ' || i, 'agent', 0, 0 FROM s;\n"
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5) "
        "INSERT INTO agent_groups (id, name, created_at) SELECT i, 'Group ' || i, 0 FROM s;\n"));
    return true;
  });
  if (!people.ok()) {
    std::cerr << people.error().message << "\n";
    return 1;
  }
  constexpr int64_t kChunk = 50000;
  for (int64_t lo = 1; lo <= n; lo += kChunk) {
    const int64_t hi = std::min(n, lo + kChunk - 1);
    auto r = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
      CHAMADO_TRY(repo.conn().Script(Chunk(lo, hi, n)));
      return true;
    });
    if (!r.ok()) {
      std::cerr << r.error().message << "\n";
      return 1;
    }
    std::cerr << "\rseeded " << hi << " of " << n << std::flush;
  }
  // The stored clocks stand for the policy in effect: nothing to re-target when a server starts.
  auto marked = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.SetSetting("clocks_policy_version", std::to_string(s.policy_version())));
    return true;
  });
  if (!marked.ok()) return 1;
  std::cerr << "\n";
  std::cout << "seeded " << n << " tickets\n";
}
