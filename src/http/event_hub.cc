#include "http/event_hub.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/ticket.h"

namespace chamado::http {

namespace json = boost::json;

namespace {
// A ticket's changes a customer also sees on the ticket itself (views: TicketJson for a
// customer). Tags, fields, group and assignee may be internal ([visibility], "with our
// specialists"): a customer is not told they changed.
constexpr std::string_view kCustomerFields[] = {"status", "priority", "subject"};
}  // namespace

std::optional<LiveEvent> LiveEventFor(const core::Actor& viewer, const LiveEvent& e) {
  if (core::IsStaff(viewer.role)) return e;
  core::Ticket t;
  t.requester_id = e.requester_id;
  t.organization_id = e.organization_id ? std::optional<core::Id>(e.organization_id) : std::nullopt;
  if (!core::CanSee(viewer, t)) return std::nullopt;
  if (e.kind == "message.added" && e.message_kind == core::Name(core::MessageKind::kInternalNote)) return std::nullopt;
  LiveEvent out = e;
  if (e.kind == "ticket.updated") {
    std::erase_if(out.fields, [](const std::string& f) {
      return std::find(std::begin(kCustomerFields), std::end(kCustomerFields), f) == std::end(kCustomerFields);
    });
    if (out.fields.empty()) return std::nullopt;
  }
  return out;
}

std::string SseFrame(const LiveEvent& e) {
  json::object o{{"id", e.id}, {"kind", e.kind}, {"ticket", e.ticket}, {"by_customer", e.by_customer}};
  if (!e.message_kind.empty()) o["message_kind"] = e.message_kind;
  if (e.kind == "ticket.updated") {
    json::array fields;
    for (const auto& f : e.fields) fields.emplace_back(f);
    o["fields"] = std::move(fields);
  }
  return "id: " + std::to_string(e.id) + "\nevent: ticket\ndata: " + json::serialize(o) + "\n\n";
}

// ---- Subscription ----

std::vector<LiveEvent> Subscription::Take() {
  std::lock_guard lock(mu_);
  std::vector<LiveEvent> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

bool Subscription::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

bool Subscription::Offer(const LiveEvent& e, size_t limit, bool& woke) {
  auto seen = filter_(e);
  if (!seen) return true;
  std::lock_guard lock(mu_);
  if (dropped_) return false;
  if (queue_.size() >= limit) {
    dropped_ = true;
    queue_.clear();
    woke = true;
    return false;
  }
  woke = queue_.empty();
  queue_.push_back(std::move(*seen));
  return true;
}

// ---- EventHub ----

EventHub::EventHub(core::Id last_id, HubLimits limits) : limits_(limits), last_id_(last_id), horizon_(last_id) {}

Result<EventHub::Joined> EventHub::Subscribe(std::string client, std::optional<core::Id> after, Subscription::Filter filter,
                                             std::function<void()> wake) {
  std::lock_guard lock(mu_);
  if (int(subscribers_.size()) >= limits_.total)
    return Error::Unavailable("Too many live update streams are open on this server; the page falls back to refreshing.");
  int& mine = per_client_[client];
  if (mine >= limits_.per_client) {
    if (mine == 0) per_client_.erase(client);
    return Error::Unavailable("You have " + std::to_string(limits_.per_client) +
                              " live update streams open already; close a tab or window and try again.");
  }
  ++mine;
  auto s = std::make_shared<Subscription>();
  s->client_ = std::move(client);
  s->filter_ = std::move(filter);
  s->wake_ = std::move(wake);
  Joined out{s, false};
  if (after) {
    if (*after < horizon_ || *after > last_id_) {
      out.reload = true;
    } else {
      bool woke = false;
      for (const auto& e : recent_) {
        if (e.id <= *after) continue;
        if (!s->Offer(e, limits_.queue, woke)) {
          // More was missed than a queue holds: start afresh instead.
          std::lock_guard sl(s->mu_);
          s->dropped_ = false;
          s->queue_.clear();
          out.reload = true;
          break;
        }
      }
    }
  }
  subscribers_.push_back(s);
  return out;
}

void EventHub::RemoveLocked(const Subscription& s) {
  auto it = std::find_if(subscribers_.begin(), subscribers_.end(), [&](const auto& p) { return p.get() == &s; });
  if (it == subscribers_.end()) return;
  if (auto c = per_client_.find(s.client_); c != per_client_.end() && --c->second <= 0) per_client_.erase(c);
  subscribers_.erase(it);
}

void EventHub::Leave(const std::shared_ptr<Subscription>& s) {
  if (!s) return;
  std::lock_guard lock(mu_);
  RemoveLocked(*s);
}

void EventHub::Publish(const std::vector<LiveEvent>& events) {
  std::vector<std::shared_ptr<Subscription>> to_wake;
  {
    std::lock_guard lock(mu_);
    for (const auto& e : events) {
      if (e.id <= last_id_) continue;
      last_id_ = e.id;
      recent_.push_back(e);
      while (recent_.size() > limits_.replay) {
        horizon_ = recent_.front().id;
        recent_.pop_front();
      }
      for (size_t i = 0; i < subscribers_.size();) {
        auto& s = subscribers_[i];
        bool woke = false;
        const bool kept = s->Offer(e, limits_.queue, woke);
        if (woke && std::find(to_wake.begin(), to_wake.end(), s) == to_wake.end()) to_wake.push_back(s);
        if (kept) {
          ++i;
          continue;
        }
        RemoveLocked(*s);  // subscribers_[i] is now the next one
      }
    }
  }
  // Outside the hub's lock: a wake posts to the stream's connection, and that may take a moment.
  for (const auto& s : to_wake)
    if (s->wake_) s->wake_();
}

core::Id EventHub::last_id() const {
  std::lock_guard lock(mu_);
  return last_id_;
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subscribers_.size();
}

}  // namespace chamado::http
