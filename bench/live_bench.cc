// What live updates cost a ticket's creation: tickets opened one commit each (as the API
// opens them), with 0 and then 100 open streams listening (half agents, half customers of
// other organizations, each drained at once as a stream's connection would), through the
// real feed (read after each commit) and hub. Then the hub alone: publishing an event to 0,
// 100 and 1,000 subscribers. Figures are ratios against the 0-subscriber run.
//
// usage: live_bench [TICKETS=2000] [DATA_DIR]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "http/event_hub.h"
#include "http/live_feed.h"
#include "store/commands.h"
#include "store/repo.h"
#include "store/store.h"

using namespace chamado;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Listeners {
  std::vector<std::shared_ptr<http::Subscription>> subs;
  std::atomic<int64_t> delivered = 0;
};

// `n` subscribers: even ones agents (hear everything), odd ones customers of organizations
// that are not the requester's (hear nothing, but are asked).
void Subscribe(http::EventHub& hub, int n, Listeners& out) {
  for (int i = 0; i < n; ++i) {
    const core::Actor viewer = i % 2 == 0 ? core::Actor{core::Id(1000 + i), core::Role::kAgent, std::nullopt}
                                          : core::Actor{core::Id(1000 + i), core::Role::kCustomer, core::Id(5000 + i)};
    auto slot = std::make_shared<std::shared_ptr<http::Subscription>>();
    auto joined = hub.Subscribe(std::to_string(i), std::nullopt, [viewer](const http::LiveEvent& e) { return http::LiveEventFor(viewer, e); },
                                [slot, &out] {
                                  if (*slot) out.delivered += int64_t((*slot)->Take().size());
                                });
    if (!joined.ok()) std::abort();
    *slot = joined->subscription;
    out.subs.push_back(joined->subscription);
  }
}

// Opens `n` tickets, one commit each; returns the seconds from the first until the feed has
// published the last one's events.
double OpenTickets(store::Store& st, http::EventHub& hub, const core::User& requester, int n, Instant now) {
  const auto masker = *SecretMasker::Make(SecretMasker::Defaults());
  auto policy = st.policy();
  const auto a = Clock::now();
  for (int i = 0; i < n; ++i) {
    auto r = st.WriteSync<core::Id>([&](store::Repo& repo) -> Result<core::Id> {
      store::OpenTicketRequest in;
      in.ticket.subject = "Printer " + std::to_string(i);
      in.ticket.description = "It does not print.";
      in.acknowledge = false;
      CHAMADO_ASSIGN_OR_RETURN(auto opened, store::OpenTicketCommand(repo, *policy, *masker, requester, in, now));
      return opened.ticket.number;
    });
    if (!r.ok()) std::fprintf(stderr, "%s\n", r.error().message.c_str()), std::abort();
  }
  auto last = st.ReadOne<core::Id>([](store::Repo& repo) { return repo.LastEventId(); });
  while (hub.last_id() < *last) std::this_thread::sleep_for(std::chrono::microseconds(200));
  return Seconds(Clock::now() - a);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::string dir = argc > 2 && *argv[2] ? argv[2] : (std::filesystem::temp_directory_path() / "chamado_live_bench").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = store::Store::Open({dir + "/chamado.db", /*durable=*/false});
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.error().message.c_str()), 1;
  store::Store& st = **opened;
  const Instant now = *ParseIsoInstant("2026-01-07T15:00:00Z");
  auto requester = st.WriteSync<core::User>([&](store::Repo& repo) {
    core::User u;
    u.email = "bench@acme.example";
    u.created_at = now;
    return repo.InsertUser(u, "");
  });
  if (!requester.ok()) return 1;

  auto hub = std::make_shared<http::EventHub>(0);
  http::LiveFeed feed(st, hub);
  // Warm up (the page cache, the statements), then the two runs on the same database.
  OpenTickets(st, *hub, *requester, n / 4, now);
  const double none = OpenTickets(st, *hub, *requester, n, now);
  Listeners listeners;
  Subscribe(*hub, 100, listeners);
  const double hundred = OpenTickets(st, *hub, *requester, n, now);
  std::printf("open %d tickets, one commit each, until published: 0 subscribers %.3f s (%.0f/s) | 100 subscribers %.3f s "
              "(%.0f/s; %lld events delivered) | ratio %.2fx\n",
              n, none, n / none, hundred, n / hundred, (long long)listeners.delivered.load(), hundred / none);

  // The hub alone: one event (a customer's ticket) to each subscriber's filter and queue.
  const int events = 200000;
  double base = 0;
  for (int subscribers : {0, 100, 1000}) {
    http::EventHub h(0, http::HubLimits{.replay = 1024, .queue = 1u << 20, .per_client = 1 << 20, .total = 1 << 20});
    Listeners ls;
    Subscribe(h, subscribers, ls);
    const auto a = Clock::now();
    for (int i = 1; i <= events; ++i) h.Publish({http::LiveEvent{i, "ticket.created", i, 7, 0, "", {}, true}});
    const double ns = Seconds(Clock::now() - a) * 1e9 / events;
    if (subscribers == 0) base = ns;
    std::printf("hub publish, %4d subscribers: %8.0f ns/event (%.0fx the 0-subscriber cost)\n", subscribers, ns, ns / base);
  }
  return 0;
}
