// Live ticket events for clients that keep a stream open (GET /api/v1/events).
//
// The hub is an in-process publish/subscribe point: one publisher (the live feed, which reads
// the events table after each commit; later also events arriving from another instance) and
// many subscribers, each with a bounded queue. Publishing never blocks on a subscriber and
// never grows memory without bound: a subscriber whose queue overflows is dropped (told once,
// then it gets nothing more) and its client reconnects and resumes. The hub keeps the last
// events it published so a client that reconnects with the last id it saw gets what it
// missed; one that is further behind is told to reload. Event ids are the events table's:
// they grow in commit order.
//
// The transport (server-sent events today, a WebSocket later) only takes from a
// subscription when woken. EventHub and Subscription are thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chamado::http {

// One ticket event as the hub carries it. Enough to decide who may hear of it and to say in
// a sentence what happened; never a message's text (clients fetch it through the API, which
// applies visibility).
struct LiveEvent {
  core::Id id = 0;               // the events table's id
  std::string kind;              // "ticket.created", "message.added", "ticket.updated"
  core::Id ticket = 0;           // its number
  core::Id requester_id = 0;     // the ticket's requester and organization (0: none), for visibility
  core::Id organization_id = 0;
  std::string message_kind;      // message.added: customer_message, public_reply, internal_note, system_notice
  std::vector<std::string> fields;  // ticket.updated: the fields that changed, in order
  bool by_customer = false;      // a customer acted (their reply, their new ticket)
};

// What `viewer` may be told of `e`, or nothing. Agents and administrators hear of every
// ticket event. A customer hears only of tickets they may see (core::CanSee: their own, or
// their organization's), never of an internal note, and of a ticket's changes only those
// they can see on the ticket (status, priority, subject); an event left with nothing for
// them is not sent.
std::optional<LiveEvent> LiveEventFor(const core::Actor& viewer, const LiveEvent& e);

// The event as a server-sent event: "id: …", "event: ticket", one "data:" line of JSON
// ({"id","kind","ticket","by_customer", and "message_kind" or "fields" when they apply}).
std::string SseFrame(const LiveEvent& e);

struct HubLimits {
  size_t replay = 1024;  // published events kept for clients that resume
  size_t queue = 256;    // events waiting for one subscriber before it is dropped
  int per_client = 8;    // open subscriptions of one client (a user)
  int total = 2000;      // open subscriptions in all
};

class EventHub;

// One client's place in the hub, until it leaves (EventHub::Leave) or is dropped.
class Subscription {
 public:
  // What a subscriber hears of an event, and how much (LiveEventFor); nullopt: nothing.
  using Filter = std::function<std::optional<LiveEvent>(const LiveEvent&)>;

  // The events waiting, oldest first; the queue is empty afterwards.
  std::vector<LiveEvent> Take();
  // The queue overflowed: the client gets no more and should resume from the last id it saw.
  bool dropped() const;

 private:
  friend class EventHub;
  // Queues `e` when the filter lets it through; false when that overflows the queue.
  bool Offer(const LiveEvent& e, size_t limit, bool& woke);

  std::string client_;
  Filter filter_;
  std::function<void()> wake_;
  mutable std::mutex mu_;
  std::deque<LiveEvent> queue_;  // GUARDED_BY(mu_)
  bool dropped_ = false;         // GUARDED_BY(mu_)
};

class EventHub {
 public:
  // `last_id`: the newest event that already exists; a client may resume only from there on.
  explicit EventHub(core::Id last_id, HubLimits limits = {});

  struct Joined {
    std::shared_ptr<Subscription> subscription;
    // The client asked to resume from an id the hub no longer (or never) had: it must reload
    // what it shows, as events in between are lost to it.
    bool reload = false;
  };
  // Subscribes `client` (a key for the per-client cap, e.g. the user id). `filter` decides
  // what it hears and how much (LiveEventFor); `wake` is called, on the publisher's thread,
  // when its queue goes from empty to not empty or it is dropped: it must not block nor call
  // the hub. With `after`, the events published after that id which the filter lets through
  // are queued at once. Unavailable when a cap is reached.
  Result<Joined> Subscribe(std::string client, std::optional<core::Id> after, Subscription::Filter filter,
                           std::function<void()> wake);
  // Ends a subscription (its stream closed); a second call does nothing.
  void Leave(const std::shared_ptr<Subscription>& s);
  // Publishes events in id order; ids not above the last one published are ignored.
  void Publish(const std::vector<LiveEvent>& events);

  core::Id last_id() const;
  size_t subscribers() const;

 private:
  void RemoveLocked(const Subscription& s);

  HubLimits limits_;
  mutable std::mutex mu_;
  core::Id last_id_;                    // GUARDED_BY(mu_)
  core::Id horizon_;                    // GUARDED_BY(mu_): every event above it is in recent_
  std::deque<LiveEvent> recent_;        // GUARDED_BY(mu_)
  std::vector<std::shared_ptr<Subscription>> subscribers_;  // GUARDED_BY(mu_)
  std::unordered_map<std::string, int> per_client_;          // GUARDED_BY(mu_)
};

}  // namespace chamado::http
