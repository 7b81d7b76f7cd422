#include "jobs/scheduler.h"

#include <spdlog/spdlog.h>

#include "store/service_level.h"

namespace chamado::jobs {

Scheduler::Scheduler(store::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

Result<int> Scheduler::RunDue() {
  std::lock_guard pass(run_mu_);
  int seen = 0;
  constexpr int kBatch = 200;
  while (true) {
    const Instant now = clock_.Now();
    auto policy = store_.policy();
    auto batch = store_.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
      CHAMADO_ASSIGN_OR_RETURN(auto due, repo.DueClockTickets(now, kBatch));
      for (auto number : due) CHAMADO_TRY(store::FireDue(repo, *policy, number, now));
      return int(due.size());
    });
    if (!batch.ok()) return std::move(batch).error();
    seen += *batch;
    if (*batch < kBatch) return seen;
  }
}

void Scheduler::Loop() {
  while (true) {
    if (auto r = RunDue(); !r.ok()) spdlog::error("scheduler: {}", r.error().message);
    auto next = store_.ReadOne<std::optional<Instant>>([](store::Repo& repo) { return repo.NextClockFire(); });
    // Wake at the next due instant, and at least every few seconds: clocks change with
    // every ticket write, and a new one may be due sooner.
    auto wait = std::chrono::milliseconds(2000);
    if (next.ok() && *next) {
      const auto until = **next - clock_.Now();
      wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until), std::chrono::milliseconds(0), wait);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [&] { return stopping_ || poked_; });
    if (stopping_) return;
    poked_ = false;
  }
}

}  // namespace chamado::jobs
