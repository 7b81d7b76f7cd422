// Fills a Chamado data folder (or a PostgreSQL database) with N tickets (mixed priorities and statuses, as a busy desk
// has), through the same repository the server uses, 1000 per transaction. The tickets are
// created one millisecond apart, ending now, so their clocks are running and not yet due: a
// server started on the folder has no backlog of breaches to fire while it is measured.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <random>

#include "core/ticket.h"
#include "store/commands.h"
#include "store/postgres.h"
#include "store/service_level.h"
#include "store/store.h"

using namespace chamado;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: seed_tickets DB N   (DB: a SQLite file, or a postgresql:// URL)\n";
    return 2;
  }
  const int n = std::atoi(argv[2]);
  store::StoreOptions options;
  options.path = argv[1];
  if (store::IsPostgresUrl(argv[1])) {
    options.url = argv[1];
    options.path = (std::filesystem::temp_directory_path() / ("seed-tickets-" + std::to_string(::getpid())) / "chamado.db").string();
  }
  auto st = store::Store::Open(options);
  if (!st.ok()) {
    std::cerr << st.error().message << "\n";
    return 1;
  }
  auto& s = **st;
  auto catalog = s.catalog();
  const Instant start = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) -
                        std::chrono::milliseconds(n);
  auto requester = s.WriteSync<core::User>([&](store::Repo& repo) -> Result<core::User> {
    core::Organization o;
    o.name = "Seed Org";
    o.created_at = start;
    CHAMADO_ASSIGN_OR_RETURN(o, repo.InsertOrganization(o));
    core::User u;
    u.email = "seed@seed.example";
    u.role = core::Role::kCustomer;
    u.organization_id = o.id;
    u.created_at = start;
    return repo.InsertUser(u, "");
  });
  if (!requester.ok()) {
    std::cerr << requester.error().message << "\n";
    return 1;
  }
  std::mt19937 rng(42);
  const core::Status statuses[] = {core::Status::kNew, core::Status::kOpen, core::Status::kPendingCustomer,
                                   core::Status::kSolved, core::Status::kClosed};
  for (int done = 0; done < n;) {
    const int batch = std::min(1000, n - done);
    auto r = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
      for (int i = 0; i < batch; ++i) {
        core::Ticket t;
        t.subject = "Seeded ticket " + std::to_string(done + i);
        t.requester_id = requester->id;
        t.organization_id = requester->organization_id;
        t.priority = catalog->priorities.levels[rng() % catalog->priorities.levels.size()].name;
        t.status = statuses[rng() % 5];
        t.created_at = t.updated_at = start + std::chrono::milliseconds(done + i);
        CHAMADO_ASSIGN_OR_RETURN(t, repo.InsertTicket(t, *catalog));
        core::Message m;
        m.ticket_number = t.number;
        m.author_id = requester->id;
        m.body = "Seeded description";
        m.created_at = t.created_at;
        CHAMADO_TRY(repo.InsertMessage(m));
        if (t.status != core::Status::kNew) CHAMADO_TRY(repo.InsertStatusChange(t.number, t.created_at, t.status));
        // The clocks the commands would have started (the queue shows them).
        CHAMADO_ASSIGN_OR_RETURN(auto clocks, store::StartClocks(repo, *s.policy(), t, false, t.created_at));
        CHAMADO_TRY(store::SaveStartedClocks(repo, clocks, t.number));
        CHAMADO_TRY(repo.SetSlaDue(t.number, clocks.sla_due));
      }
      return true;
    });
    if (!r.ok()) {
      std::cerr << r.error().message << "\n";
      return 1;
    }
    done += batch;
  }
  // The stored clocks are current for the policy in effect: nothing to re-target at start.
  auto marked = s.WriteSync<bool>([&](store::Repo& repo) -> Result<bool> {
    CHAMADO_TRY(repo.SetSetting("clocks_policy_version", std::to_string(s.policy_version())));
    return true;
  });
  if (!marked.ok()) return 1;
  std::cout << "seeded " << n << " tickets\n";
}
