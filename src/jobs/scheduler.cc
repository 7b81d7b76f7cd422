#include "jobs/scheduler.h"

#include <charconv>

#include <spdlog/spdlog.h>

#include "store/automations.h"
#include "store/claims.h"
#include "store/conversations.h"
#include "store/routing.h"
#include "store/rules.h"
#include "store/service_level.h"

namespace chamado::jobs {

namespace {

// The number a setting starts with ("12", "12:3456"), or 0.
int64_t ParseVersion(std::string_view text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

}  // namespace

Scheduler::Scheduler(store::Store& store, const core::Clock& clock, std::shared_ptr<const SecretMasker> masker,
                     const store::BlobStore* blobs, store::RetentionOptions retention,
                     std::shared_ptr<ProbeTransport> probes)
    : store_(store), clock_(clock), masker_(std::move(masker)), blobs_(blobs), retention_(retention), probes_(std::move(probes)) {
  if (!masker_) masker_ = *SecretMasker::Make(SecretMasker::Defaults());
  if (!probes_) probes_ = MakeCurlTransport();
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  worker_.Start([this] { return Pass(); });
  probe_worker_.Start([this] { return ProbePass(); });
}

void Scheduler::Stop() {
  probe_worker_.Stop();
  worker_.Stop();
}

void Scheduler::Poke() { worker_.Poke(); }

Result<int> Scheduler::RetargetIfPolicyChanged() {
  const int64_t version = store_.policy_version();
  if (version == retargeted_version_) return 0;
  // The work is shared through two settings: the version whose re-targeting is done, and
  // where the running one is ("version:last ticket"). Each batch takes a turn, so instances
  // on one database take the batches between them, each batch once, and a restart resumes
  // where the last batch ended. An instance still on an older policy leaves a newer one's
  // work alone: versions only grow.
  constexpr std::string_view kDone = "clocks_policy_version";
  constexpr std::string_view kCursor = "clocks_retarget_cursor";
  auto policy = store_.policy();
  const Instant now = clock_.Now();
  const std::string prefix = std::to_string(version) + ":";
  int count = 0;
  enum Step { kBusy, kDoneHere, kMore };
  while (true) {
    auto step = store_.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
      CHAMADO_ASSIGN_OR_RETURN(const bool turn, store::TakeTurn(repo.conn(), store::Turn::kRetarget));
      if (!turn) return kBusy;
      CHAMADO_ASSIGN_OR_RETURN(auto done, repo.GetSetting(kDone));
      if (done && ParseVersion(*done) >= version) return kDoneHere;
      CHAMADO_ASSIGN_OR_RETURN(auto cursor, repo.GetSetting(kCursor));
      core::Id after = 0;
      if (cursor && cursor->starts_with(prefix)) after = ParseVersion(cursor->substr(prefix.size()));
      else if (cursor && ParseVersion(*cursor) > version) return kDoneHere;  // a newer policy's work is under way
      CHAMADO_ASSIGN_OR_RETURN(auto numbers, repo.ActiveTicketsAfter(after, 500));
      if (numbers.empty()) {
        CHAMADO_TRY(repo.SetSetting(kDone, std::to_string(version)));
        return kDoneHere;
      }
      for (auto n : numbers) {
        CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(n));
        if (t) CHAMADO_TRY(store::RefreshClocks(repo, *policy, *t, now));
      }
      CHAMADO_TRY(repo.SetSetting(kCursor, prefix + std::to_string(numbers.back())));
      count += int(numbers.size());
      return kMore;
    });
    if (!step.ok()) return std::move(step).error();
    if (*step == kBusy) return count;  // another instance's batch: the next pass goes on
    if (*step == kDoneHere) break;
  }
  retargeted_version_ = version;
  if (count > 0) spdlog::info("policy version {}: re-targeted the clocks of {} active ticket(s)", version, count);
  return count;
}

Result<int> Scheduler::InBatches(const DueFn& due, ClaimFn claim, const FireFn& fire) {
  int seen = 0;
  constexpr int kBatch = 200;
  struct Batch {
    int due = 0;
    int fired = 0;
  };
  while (true) {
    const Instant now = clock_.Now();
    auto policy = store_.policy();
    // The due rows are read, claimed and fired in one write transaction: a pass racing this
    // one (here, or on another instance) waits for it or skips what it holds, and then finds
    // them done. Firing reads the rows again after the claim, so it acts on what is current.
    auto batch = store_.WriteSync<Batch>([&](store::Repo& repo) -> Result<Batch> {
      CHAMADO_ASSIGN_OR_RETURN(auto numbers, due(repo, now, kBatch));
      CHAMADO_ASSIGN_OR_RETURN(auto claimed, claim(repo.conn(), numbers));
      for (auto number : claimed) CHAMADO_TRY(fire(repo, *policy, number, now));
      return Batch{int(numbers.size()), int(claimed.size())};
    });
    if (!batch.ok()) return std::move(batch).error();
    seen += batch->fired;
    // A full batch of which another instance held some: those are its to fire; stop here
    // rather than read them again at once (the next pass finds what is still due).
    if (batch->due < kBatch || batch->fired < batch->due) return seen;
  }
}

Result<int> Scheduler::RunDue() {
  CHAMADO_ASSIGN_OR_RETURN(const int seen, RunDueTickets());
  CHAMADO_TRY(RunProbes());
  return seen;
}

Result<int> Scheduler::RunProbes() {
  std::lock_guard pass(probe_mu_);
  int ran = 0;
  while (true) {
    CHAMADO_ASSIGN_OR_RETURN(const int n, RunDueProbes(store_, *probes_, clock_.Now()));
    ran += n;
    if (n == 0) return ran;
  }
}

std::chrono::milliseconds Scheduler::ProbePass() {
  if (auto r = RunProbes(); !r.ok()) spdlog::error("status probes: {}", r.error().message);
  auto next = store_.ReadOne<std::optional<Instant>>([](store::Repo& repo) { return store::StatusRepo(repo.conn()).NextProbeDue(); });
  // Probes added through the API are due at once: look again every few seconds.
  auto wait = std::chrono::milliseconds(5000);
  if (next.ok() && *next) {
    const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_.Now());
    wait = std::clamp(until, std::chrono::milliseconds(0), wait);
  }
  return wait;
}

Result<int> Scheduler::RunDueTickets() {
  std::lock_guard pass(run_mu_);
  CHAMADO_TRY(RetargetIfPolicyChanged());
  CHAMADO_ASSIGN_OR_RETURN(int seen, InBatches([](store::Repo& repo, Instant now, int n) { return repo.DueClockTickets(now, n); }, store::ClaimTickets,
                                               [this](store::Repo& repo, const sla::Policy& policy, core::Id number, Instant now) -> Result<void> {
                                                 CHAMADO_TRY(store::FireDue(repo, policy, *masker_, number, now));
                                                 return Ok();
                                               }));
  CHAMADO_ASSIGN_OR_RETURN(const int automated, RunDueAutomations());
  seen += automated;
  CHAMADO_ASSIGN_OR_RETURN(const int ruled, RunDueRules());
  seen += ruled;
  CHAMADO_ASSIGN_OR_RETURN(const int conversed, RunDueConversations());
  seen += conversed;
  CHAMADO_TRY(IndexSome());
  const Instant now = clock_.Now();
  if (!swept_at_ || now - *swept_at_ >= std::chrono::minutes(1)) {
    swept_at_ = now;
    auto policy = store_.policy();
    if (policy->routing.Automatic()) {
      // One instance at a time: two would each count the same agents' loads and assign past
      // them. The turn is held for moments (a ticket being routed), so the pass waits for it.
      CHAMADO_TRY(store_.WriteSync<int>([&](store::Repo& repo) -> Result<int> {
        CHAMADO_TRY(store::WaitTurn(repo.conn(), store::Turn::kRouting));
        return store::RouteWaiting(repo, *policy, now);
      }));
    }
  }
  if (blobs_ && (!retained_at_ || now - *retained_at_ >= std::chrono::hours(1))) {
    retained_at_ = now;
    // Hourly for the desk, not for each instance: the first pass to find the last run an
    // hour old runs it.
    CHAMADO_ASSIGN_OR_RETURN(const bool mine, store_.WriteSync<bool>([&](store::Repo& repo) {
      return store::ClaimPeriodic(repo.conn(), "retention", now, std::chrono::hours(1));
    }));
    if (mine) CHAMADO_TRY(store::RunRetention(store_, *blobs_, retention_, now));
  }
  return seen;
}

Result<int> Scheduler::RunDueAutomations() {
  return InBatches([](store::Repo& repo, Instant now, int n) { return repo.DueAutomationTickets(now, n); }, store::ClaimTickets,
                   [](store::Repo& repo, const sla::Policy& policy, core::Id number, Instant now) -> Result<void> {
                     CHAMADO_TRY(store::FireAutomations(repo, policy, number, now));
                     return Ok();
                   });
}

Result<int> Scheduler::RunDueRules() {
  return InBatches([](store::Repo& repo, Instant now, int n) { return repo.DueRuleTickets(now, n); }, store::ClaimTickets,
                   [](store::Repo& repo, const sla::Policy& policy, core::Id number, Instant now) -> Result<void> {
                     CHAMADO_TRY(store::FireDueRules(repo, policy, number, now));
                     return Ok();
                   });
}

Result<int> Scheduler::RunDueConversations() {
  return InBatches([](store::Repo& repo, Instant now, int n) { return repo.DueConversations(now, n); }, store::ClaimConversations,
                   [](store::Repo& repo, const sla::Policy& policy, core::Id id, Instant now) {
                     return store::FireConversation(repo, policy, id, now);
                   });
}

Result<void> Scheduler::IndexSome() {
  // The help center's index takes in articles written by other processes (an import), so
  // the first reader after it does not wait for it.
  CHAMADO_TRY(store_.CatchUpArticles());
  if (indexed_all_) return Ok();
  // Small batches keep the writer free for people's work between them.
  constexpr int kIndexBatch = 200;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < until) {
    // One instance indexes at a time (both would write the same rows); the other finds the
    // tickets it indexed no longer missing.
    auto batch = store_.WriteSync<std::optional<search::TicketIndex::Indexed>>(
        [&](store::Repo& repo) -> Result<std::optional<search::TicketIndex::Indexed>> {
          CHAMADO_ASSIGN_OR_RETURN(const bool turn, store::TakeTurn(repo.conn(), store::Turn::kIndexing));
          if (!turn) return std::optional<search::TicketIndex::Indexed>();
          CHAMADO_ASSIGN_OR_RETURN(auto indexed, repo.IndexMissing(index_after_, kIndexBatch));
          return std::optional(indexed);
        });
    if (!batch.ok()) return std::move(batch).error();
    if (!*batch) return Ok();  // another instance's turn: the next pass goes on
    auto& indexed = **batch;
    if (indexed.last == 0) {
      if (index_after_ > 0) spdlog::info("search: every ticket is indexed");
      indexed_all_ = true;
      return Ok();
    }
    index_after_ = indexed.last;
  }
  return Ok();
}

std::chrono::milliseconds Scheduler::Pass() {
  if (auto r = RunDueTickets(); !r.ok()) spdlog::error("scheduler: {}", r.error().message);
  auto next = store_.ReadOne<std::optional<Instant>>([](store::Repo& repo) -> Result<std::optional<Instant>> {
    CHAMADO_ASSIGN_OR_RETURN(auto clock, repo.NextClockFire());
    CHAMADO_ASSIGN_OR_RETURN(auto automation, repo.NextAutomationFire());
    CHAMADO_ASSIGN_OR_RETURN(auto rule, repo.NextRuleFire());
    CHAMADO_ASSIGN_OR_RETURN(auto conversation, repo.NextConversationFire());
    std::optional<Instant> next;
    for (const auto& at : {clock, automation, rule, conversation})
      if (at && (!next || *at < *next)) next = at;
    return next;
  });
  // Wake at the next due instant, and at least every few seconds: clocks change with
  // every ticket write, and a new one may be due sooner.
  auto wait = std::chrono::milliseconds(2000);
  if (next.ok() && *next) {
    const auto until = **next - clock_.Now();
    wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(until), std::chrono::milliseconds(0), wait);
  }
  return wait;
}

}  // namespace chamado::jobs
