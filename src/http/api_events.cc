// GET /api/v1/events: ticket events as server-sent events (docs/live-updates.md).
#include "core/text.h"
#include "http/api_impl.h"
#include "http/event_hub.h"

namespace chamado::http {

namespace {

// One open stream: its place in the hub and, once the head is written, where its events go.
// Owned by the response's Stream; when that goes (the stream ended, or the response was
// never sent) the subscription leaves the hub.
struct LiveStream {
  std::weak_ptr<EventHub> hub;
  std::shared_ptr<Subscription> subscription;
  std::mutex mu;  // one drain at a time: events leave in order
  std::shared_ptr<StreamSink> sink;  // GUARDED_BY(mu)

  ~LiveStream() {
    if (auto h = hub.lock()) h->Leave(subscription);
  }
  void Attach(std::shared_ptr<StreamSink> s) {
    std::lock_guard lock(mu);
    sink = std::move(s);
    DrainLocked();
  }
  void Drain() {
    std::lock_guard lock(mu);
    DrainLocked();
  }
  void DrainLocked() {
    if (!sink || !subscription) return;
    for (const auto& e : subscription->Take()) sink->Send(SseFrame(e));
    // Dropped for reading too slowly: ending the stream makes the client reconnect with the
    // last id it got, and resume from there or reload.
    if (subscription->dropped()) sink->End();
  }
};

// "event: reload": what the client shows may have missed events; it fetches it again.
constexpr std::string_view kReloadFrame = "event: reload\ndata: {}\n\n";
constexpr std::chrono::seconds kStreamLifetime = std::chrono::minutes(10);

}  // namespace

void Api::Impl::LiveEvents(Call c) {
  std::string_view last = c.req.Header("last-event-id");
  if (last.empty()) last = c.req.Query("last_event_id").value_or("");
  std::optional<Id> after;
  if (!last.empty()) {
    after = last == "0" ? std::optional<int64_t>(0) : ParseId(last);
    if (!after)
      return Fail(c, Error::Invalid("last_event_id", "Last-Event-ID (or last_event_id) must be the id of an event this "
                                                     "stream sent, a whole number; \"" + std::string(last.substr(0, 40)) +
                                                     "\" is not."));
  }
  auto state = std::make_shared<LiveStream>();
  state->hub = live_hub;
  const core::Actor viewer = c.who().actor();
  auto joined = live_hub->Subscribe(
      std::to_string(viewer.user_id), after, [viewer](const LiveEvent& e) { return LiveEventFor(viewer, e); },
      [weak = std::weak_ptr<LiveStream>(state)] {
        if (auto s = weak.lock()) s->Drain();
      });
  if (!joined.ok()) return Fail(c, joined.error());
  state->subscription = joined->subscription;

  Response r;
  r.Set("Content-Type", "text/event-stream; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  // nginx passes the stream on as it comes, whatever its proxy_buffering says.
  r.Set("X-Accel-Buffering", "no");
  r.stream = std::make_shared<Stream>();
  r.stream->heartbeat = ": keep-alive\n\n";
  // Who the caller is was checked when the stream opened; ending it now and then makes a
  // revoked token, a signed-out session or a deactivated account stop hearing within that
  // time (the browser reconnects by itself and resumes from the last id).
  r.stream->lifetime = kStreamLifetime;
  r.stream->open = [state, reload = joined->reload](std::shared_ptr<StreamSink> sink) {
    // "retry": how long a browser waits before reconnecting after the stream ends.
    sink->Send(std::string("retry: 3000\n\n") + (reload ? std::string(kReloadFrame) : std::string()));
    state->Attach(std::move(sink));
  };
  r.stream->closed = [state] {
    if (auto h = state->hub.lock()) h->Leave(state->subscription);
  };
  c.reply(std::move(r));
}

}  // namespace chamado::http
