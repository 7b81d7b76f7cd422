// The live feed: after each commit, reads the ticket events that are new in the events table
// and publishes them to the hub (event_hub.h). Reading after the commit, rather than
// publishing from the code that records an event, means nothing is announced that could
// still roll back, and every writer (API, mail, scheduler, command line) is heard the same
// way. Without a commit it still looks every `poll` (writes of other processes on the same
// database), and at once when rung (Ring: another instance said it committed events).
//
// On PostgreSQL, instances sharing the database take event ids as they insert and commit in
// any order, so an id missing below the newest may belong to a write still running: the feed
// reads on only up to the first such gap, and passes it once it has been missing for
// gap_wait (kGapWait; a rolled-back insert leaves one for good). One thread; construct and
// destroy from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "http/event_hub.h"
#include "store/store.h"

namespace chamado::http {

// What the hub carries of a stored ticket event; nullopt for kinds clients are not sent.
std::optional<LiveEvent> LiveEventOf(const store::TicketActivity& a);

class LiveFeed {
 public:
  // Starts reading after the hub's last id; rings on every commit of `store` from now on
  // (Store::SetAfterCommit: the feed takes that hook).
  LiveFeed(store::Store& store, std::shared_ptr<EventHub> hub, std::chrono::milliseconds poll = std::chrono::seconds(2),
           std::chrono::milliseconds gap_wait = kGapWait);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  static constexpr std::chrono::seconds kGapWait{5};

  // Reads and publishes what is new now, on the calling thread (tests, benchmarks).
  Result<void> CatchUp();
  // Wakes the feed's thread to catch up (thread-safe).
  void Ring();

  // The newest event read: every event up to it was published or is of a kind clients are
  // not sent. The hub's last id is only the newest published one.
  core::Id read_upto() const;

 private:
  // Outlives the feed: the store's hook may ring it after the feed is gone.
  struct Bell {
    std::mutex mu;
    std::condition_variable cv;
    bool rung = false;      // GUARDED_BY(mu)
    bool stopping = false;  // GUARDED_BY(mu)
    void Ring() {
      {
        std::lock_guard lock(mu);
        rung = true;
      }
      cv.notify_one();
    }
  };
  void Loop();

  store::Store& store_;
  std::shared_ptr<EventHub> hub_;
  std::chrono::milliseconds poll_;
  std::chrono::milliseconds gap_wait_;
  std::shared_ptr<Bell> bell_;
  mutable std::mutex read_mu_;  // one catch-up at a time (the loop, or a caller of CatchUp)
  core::Id read_upto_;          // GUARDED_BY(read_mu_)
  // PostgreSQL: where the ids read next have a gap, and since when (steady clock).
  core::Id gap_at_ = 0;                              // GUARDED_BY(read_mu_)
  std::chrono::steady_clock::time_point gap_since_;  // GUARDED_BY(read_mu_)
  std::thread thread_;
};

}  // namespace chamado::http
