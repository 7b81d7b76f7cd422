// SLA clocks in the store: computed from each ticket's history and the policy (sla/clocks.h)
// whenever the ticket changes, kept in ticket_clocks for the queue and the scheduler, and
// fired (warnings, breaches with their escalations) exactly once per cycle.
#pragma once

#include <vector>

#include "core/secrets.h"
#include "sla/clocks.h"
#include "sla/policy.h"
#include "store/repo.h"

namespace chamado::store {

// What the policy's conditions look at for this ticket: its organization's plan and name.
Result<sla::TicketFacts> FactsFor(Repo& repo, const core::Ticket& t);
// Its status changes and public messages.
Result<sla::Timeline> TimelineFor(Repo& repo, const core::Ticket& t);

// The clocks of a ticket at `now`, freshly computed.
// When the customer may expect a resolution: the due of the running (or overdue) resolution
// clock, shown as the close of business before it when it falls on an opening.
std::optional<Instant> ExpectedResolution(const std::vector<sla::Clock>& clocks, const sla::Policy& policy);
// The same rule for one clock, as stored rows carry it.
std::optional<Instant> ExpectedResolution(sla::Target target, sla::ClockState state, std::optional<Instant> due,
                                          const std::string& calendar, const sla::Policy& policy);

Result<std::vector<sla::Clock>> ComputeTicketClocks(Repo& repo, const sla::Policy& policy, const core::Ticket& t,
                                                    Instant now);

// Recomputes and stores the ticket's clocks; keeps what has fired in each current cycle. The
// policy's automations are refreshed with them (store/automations.h).
Result<std::vector<Repo::ClockRow>> RefreshClocks(Repo& repo, const sla::Policy& policy, const core::Ticket& t,
                                                  Instant now);

// The clocks of a ticket opened this instant, whose history is known without asking the
// store (opened, new, one message from the customer): the hot path of ticket intake. Computed
// before the ticket is stored, so its row carries its due; saved once it has a number.
struct StartedClocks {
  sla::TicketFacts facts;
  sla::Timeline timeline;  // opened this instant, new, with the customer's one message
  std::vector<Repo::ClockRow> rows;
  std::optional<Instant> sla_due;
};
// `automatic`: the first message is an auto-reply or a bounce (no first response is owed yet).
Result<StartedClocks> StartClocks(Repo& repo, const sla::Policy& policy, const core::Ticket& t, bool automatic, Instant now);
Result<void> SaveStartedClocks(Repo& repo, StartedClocks& clocks, Id ticket_number);

// The next instant a clock row needs the scheduler: its first unfired warning while
// running, or just after its due instant while the breach has not fired.
std::optional<Instant> NextFire(const Repo::ClockRow& row);

// Who "assignee", "group" and "requester" are for a notification (none: nobody).
struct Addressees {
  std::optional<core::Id> assignee;
  std::optional<core::Id> group;  // its active members
  std::optional<core::Id> requester;
};

// Queues an email to each of `who` ("assignee", "group", "requester" or an address) and,
// when given, a webhook call, about `event` (on ticket `ticket_number`, 0: none).
Result<void> QueueNotifications(Repo& repo, const Addressees& to, core::Id ticket_number, const std::vector<std::string>& who,
                                const std::string& webhook, const std::string& event, const std::string& payload,
                                Instant now);
// The same about ticket `t`: its assignee, group and requester.
Result<void> QueueNotifications(Repo& repo, const core::Ticket& t, const std::vector<std::string>& who,
                                const std::string& webhook, const std::string& event, const std::string& payload,
                                Instant now);

// Can the ticket's customer ask for escalation now? Their plan must allow it, the ticket be
// active, and no earlier request be waiting for an agent's answer. `why` says why not.
Result<bool> EscalationAvailable(Repo& repo, const sla::Policy& policy, const core::Ticket& t, std::string* why = nullptr);

struct Fired {
  int warnings = 0;
  int breaches = 0;
};

// Fires what is due on this ticket at `now`: each warning and breach once, with the
// escalations the policy gives for breaches (raise priority, move to a group, notify,
// webhook, escalation level), all in the caller's transaction. Which escalations apply and
// what they do is decided in sla/escalation.h; this carries them out.
Result<Fired> FireDue(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, Id ticket_number, Instant now);

}  // namespace chamado::store
