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

LiveFeed::LiveFeed(store::Store& store, std::shared_ptr<EventHub> hub, std::chrono::milliseconds poll)
    : store_(store), hub_(std::move(hub)), poll_(poll), bell_(std::make_shared<Bell>()) {
  store_.SetAfterCommit([bell = bell_] {
    {
      std::lock_guard lock(bell->mu);
      bell->rung = true;
    }
    bell->cv.notify_one();
  });
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

Result<void> LiveFeed::CatchUp() {
  std::lock_guard lock(read_mu_);
  for (;;) {
    const core::Id after = hub_->last_id();
    auto rows = store_.ReadOne<std::vector<store::TicketActivity>>(
        [&](store::Repo& repo) { return repo.TicketActivityAfter(after, kBatch); });
    if (!rows.ok()) return std::move(rows).error();
    std::vector<LiveEvent> events;
    for (const auto& a : *rows)
      if (auto e = LiveEventOf(a)) events.push_back(std::move(*e));
    hub_->Publish(events);
    if (rows->size() < size_t(kBatch)) return Ok();
  }
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
