// Time rules of live conversations (core/conversation.h), from the policy: whether a person
// can take a conversation now (the plan's chat feature and the policy's live-chat calendar,
// `[chat] calendar`), the conversation's SLA clocks (first response and next response, the
// policy's target rules for channel chat, computed by clocks.h exactly as a ticket's), the
// auto-close of a conversation waiting on its customer (automation.h's rule), and the next
// instant the scheduler must look at it. Pure: instants are UTC parameters, nothing here reads
// a clock or storage.
#pragma once

#include <optional>
#include <vector>

#include "core/conversation.h"
#include "core/result.h"
#include "sla/automation.h"
#include "sla/clocks.h"
#include "sla/policy.h"

namespace chamado::sla {

// Whether a conversation may go to a person at `now`.
struct HandOff {
  enum class Verdict {
    kOpen,        // hand it off
    kNoChat,      // the customer's plan has no chat (or the visitor is anonymous): offer a ticket
    kClosed,      // outside the live-chat hours: say when people are back, offer a ticket
  };
  Verdict verdict = Verdict::kNoChat;
  std::optional<Instant> back_at;  // kClosed: the calendar's next opening (UTC); none if it never opens again
};

// The policy's live-chat hours: its `[chat] calendar`, or around the clock without one.
// Lunch breaks, holidays and breaks of that calendar are closed hours like any other.
HandOff HandOffAt(const Policy& policy, bool plan_has_chat, Instant now);

// Whether people take conversations of `channel` whatever the customer's plan: WhatsApp, whose
// numbers name no organization (store/whatsapp.h); the desk that runs the channel serves them
// in the live-chat hours. The web chat goes by the plan's chat feature.
inline bool LiveWhateverThePlan(core::Channel channel) { return channel == core::Channel::kWhatsapp; }

// What a conversation's clocks are computed from: its status since the hand-off and the
// messages people wrote after it (the bot's and the system's are not responses).
struct ConversationTimeline {
  Instant handed_off_at{};  // the clocks start here
  struct Change {
    Instant at;
    core::ConversationStatus status;
  };
  std::vector<Change> statuses;  // in time order, the first at or after the hand-off
  struct Said {
    Instant at;
    bool by_agent = false;
  };
  std::vector<Said> messages;  // customer and agent messages after the hand-off, in time order
};

// The ticket status a conversation's status counts as for the policy's clocks and pauses:
// waiting is new, active is open, waiting_on_customer is pending_customer, closed is closed.
core::Status ClockStatusOf(core::ConversationStatus s);

// First response and next response, from the policy's target rules matching `facts` (channel
// chat, the organization's plan, ...): the same clocks a ticket with that history would have.
// A policy pause on pending_customer pauses them while the conversation waits on the customer.
std::vector<Clock> ConversationClocks(const Policy& policy, const TicketFacts& facts, const ConversationTimeline& timeline,
                                      Instant now);

// The policy's auto-close for the period the conversation waits on its customer now (from the
// last time it entered waiting_on_customer); nullopt when the policy has none or it does not wait.
Result<std::optional<AutoCloseSchedule>> ConversationAutoClose(const Policy& policy, const ConversationTimeline& timeline);

// The next instant something about the conversation falls due: a running clock's breach (the
// millisecond after its due instant) or the auto-close. Nullopt: nothing will.
std::optional<Instant> NextConversationFire(const std::vector<Clock>& clocks,
                                            const std::optional<AutoCloseSchedule>& auto_close);

}  // namespace chamado::sla
