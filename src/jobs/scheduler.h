// The scheduler: sleeps until the earliest instant a clock, an automation or a live
// conversation needs attention (indexes on ticket_clocks.next_fire_at,
// ticket_automations.next_fire_at and conversations.next_fire_at, never a scan of tickets), then fires what is due in batches, each in a store transaction, so every warning,
// breach, reminder and auto-close fires exactly once, also across restarts. Between those it indexes for search, a batch a pass, the tickets written before
// the index (or before a new analyzer) until none is left.
#pragma once

#include <functional>
#include <mutex>

#include "core/clock.h"
#include "core/secrets.h"
#include "jobs/probes.h"
#include "store/retention.h"
#include "jobs/worker.h"
#include "store/store.h"

namespace chamado::jobs {

class Scheduler {
 public:
  // `masker`: the secret masker every ticket change goes through (the defaults when null).
  // `blobs`: the stored files, for retention (none: retention does not run).
  // `probes`: how status probes reach the network (none: libcurl).
  Scheduler(store::Store& store, const core::Clock& clock, std::shared_ptr<const SecretMasker> masker,
            const store::BlobStore* blobs = nullptr, store::RetentionOptions retention = {},
            std::shared_ptr<ProbeTransport> probes = nullptr);
  ~Scheduler();

  void Start();
  void Stop();

  // Fires everything due at the clock's now, on the caller's thread, routes waiting tickets
  // (store::RouteWaiting) when a minute has passed since it last did, and runs retention when
  // an hour has passed since it last ran, then runs the status probes due; returns how many
  // tickets it looked at. Used by the test clock after moving time.
  Result<int> RunDue();

  // Runs every status probe due at the clock's now, in batches; returns how many ran.
  Result<int> RunProbes();

  // After a new policy, recomputes the clocks of every active ticket (in batches, each its own
  // transaction), once per policy version for the desk: instances on one database take the
  // batches in turns, and a restart resumes after the last one done. Returns how many tickets
  // this call re-targeted (it may stop early while another instance has the turn).
  Result<int> RetargetIfPolicyChanged();

  // Something may be due earlier than the scheduler thought (time moved, a clock changed).
  void Poke();

 private:
  // Fires the policy automations due at the clock's now (store/automations.h), in batches;
  // returns how many tickets it looked at.
  Result<int> RunDueAutomations();
  // Fires the policy's time rules due at the clock's now (store/rules.h), likewise.
  Result<int> RunDueRules();
  // Fires the live conversations' auto-closes and breaches due at the clock's now
  // (store/conversations.h), likewise; returns how many conversations it looked at.
  Result<int> RunDueConversations();
  // Fires what `due` lists, 200 per write transaction, until a batch comes back short. Of
  // each batch it fires what `claim` grants (store/claims.h): with instances sharing a
  // PostgreSQL database, what another instance is firing is left to it.
  using DueFn = std::function<Result<std::vector<core::Id>>(store::Repo&, Instant, int)>;
  using ClaimFn = Result<std::vector<core::Id>> (*)(store::Connection&, const std::vector<core::Id>&);
  using FireFn = std::function<Result<void>(store::Repo&, const sla::Policy&, core::Id, Instant)>;
  Result<int> InBatches(const DueFn& due, ClaimFn claim, const FireFn& fire);
  // RunDue without the probes: the loop's work.
  Result<int> RunDueTickets();
  // One pass of the thread; returns how long to sleep.
  std::chrono::milliseconds Pass();
  // One pass of the probe thread; returns how long to sleep.
  std::chrono::milliseconds ProbePass();
  // Indexes not-yet-indexed tickets for about a second, in batches (a write each), and
  // brings the help center's index up to date.
  Result<void> IndexSome();

  store::Store& store_;
  const core::Clock& clock_;
  std::shared_ptr<const SecretMasker> masker_;
  const store::BlobStore* blobs_;
  store::RetentionOptions retention_;
  std::optional<Instant> retained_at_;  // GUARDED_BY(run_mu_)
  std::optional<Instant> swept_at_;     // GUARDED_BY(run_mu_): routing's sweep of waiting tickets, once a minute
  int64_t index_after_ = 0;             // GUARDED_BY(run_mu_)
  bool indexed_all_ = false;            // GUARDED_BY(run_mu_)
  std::mutex run_mu_;  // one pass at a time
  int64_t retargeted_version_ = -1;  // GUARDED_BY(run_mu_)
  std::shared_ptr<ProbeTransport> probes_;
  std::mutex probe_mu_;  // one probe pass at a time
  Worker probe_worker_;  // stopped before worker_, both before the members they use
  Worker worker_;  // last: stopped (joined) before the members its passes use go away
};

}  // namespace chamado::jobs
