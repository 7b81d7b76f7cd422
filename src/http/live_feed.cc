#include "http/live_feed.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace chamado::http {

namespace {
constexpr int kBatch = 500;  // events read per query while catching up
}

std::optional<LiveEvent> LiveEventOf(const store::TicketActivity& a) {
  const core::Event& ev = a.stored.event;
  static constexpr std::string_view kStreamed[] = {"ticket.created", "message.added",   "ticket.updated",
                                                   "ticket.merged",  "ticket.unmerged", "ticket.split"};
  if (std::find(std::begin(kStreamed), std::end(kStreamed), ev.kind) == std::end(kStreamed)) return std::nullopt;
  LiveEvent e;
  e.id = a.stored.id;
  e.kind = ev.kind;
  e.ticket = ev.ticket_number;
  e.requester_id = a.requester_id;
  e.organization_id = a.organization_id;
  e.by_customer = a.actor_role == "customer";
  for (const auto& c : ev.changes) {
    if (ev.kind == "message.added" && c.field == "kind") e.message_kind = c.after;
    if (ev.kind == "ticket.updated") e.fields.push_back(c.field);
  }
  return e;
}

LiveFeed::LiveFeed(store::Store& store, std::shared_ptr<EventHub> hub, std::chrono::milliseconds poll,
                   std::chrono::milliseconds gap_wait)
    : store_(store), hub_(std::move(hub)), poll_(poll), gap_wait_(gap_wait), bell_(std::make_shared<Bell>()), read_upto_(hub_->last_id()) {
  store_.SetAfterCommit([bell = bell_] { bell->Ring(); });
  thread_ = std::thread([this] { Loop(); });
}

LiveFeed::~LiveFeed() {
  {
    std::lock_guard lock(bell_->mu);
    bell_->stopping = true;
  }
  bell_->cv.notify_one();
  thread_.join();
}

void LiveFeed::Ring() { bell_->Ring(); }

Result<void> LiveFeed::CatchUp() {
  std::lock_guard lock(read_mu_);
  const bool out_of_order = store_.postgres();
  for (;;) {
    struct Batch {
      std::vector<store::TicketActivity> rows;
      core::Id upto = 0;
      bool more = false;  // read again at once: a full batch was cut short
    };
    // Up to the newest event of the same snapshot, so what lies between the last streamed
    // event and it (the scheduler's, the directory's) is read once, not on every commit.
    auto batch = store_.ReadOne<Batch>([&](store::Repo& repo) -> Result<Batch> {
      Batch b;
      CHAMADO_ASSIGN_OR_RETURN(b.upto, repo.LastEventId());
      if (out_of_order && b.upto > read_upto_) {
        CHAMADO_ASSIGN_OR_RETURN(const auto ids, repo.EventIdsAfter(read_upto_, b.upto, kBatch));
        core::Id safe = read_upto_;
        for (core::Id id : ids) {
          if (id != safe + 1) {
            // safe + 1 .. id - 1 are not (yet) visible: wait for them, but not forever.
            const auto now = std::chrono::steady_clock::now();
            if (gap_at_ != safe + 1) {
              gap_at_ = safe + 1;
              gap_since_ = now;
            }
            if (now - gap_since_ < gap_wait_) break;
          }
          safe = id;
        }
        b.more = ids.size() == size_t(kBatch) && safe == ids.back();
        b.upto = safe;
      }
      CHAMADO_ASSIGN_OR_RETURN(b.rows, repo.TicketActivityAfter(read_upto_, b.upto, kBatch));
      if (b.rows.size() == size_t(kBatch)) {
        b.upto = b.rows.back().stored.id;
        b.more = true;
      }
      return b;
    });
    if (!batch.ok()) return std::move(batch).error();
    std::vector<LiveEvent> events;
    for (const auto& a : batch->rows)
      if (auto e = LiveEventOf(a)) events.push_back(std::move(*e));
    hub_->Publish(events);
    read_upto_ = std::max(read_upto_, batch->upto);
    if (!batch->more) return Ok();
  }
}

core::Id LiveFeed::read_upto() const {
  std::lock_guard lock(read_mu_);
  return read_upto_;
}

void LiveFeed::Loop() {
  for (;;) {
    {
      std::unique_lock lock(bell_->mu);
      bell_->cv.wait_for(lock, poll_, [&] { return bell_->rung || bell_->stopping; });
      if (bell_->stopping) return;
      bell_->rung = false;
    }
    if (auto r = CatchUp(); !r.ok()) spdlog::warn("live updates: reading new events: {}", r.error().message);
  }
}

}  // namespace chamado::http
