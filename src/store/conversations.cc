#include "store/conversations.h"

#include <boost/json.hpp>

#include "auth/credentials.h"
#include "core/messages.h"
#include "core/text.h"
#include "search/similar.h"
#include "sla/escalation.h"
#include "store/bot.h"
#include "store/commands.h"
#include "store/service_level.h"

namespace chamado::store {
namespace json = boost::json;

namespace {

using core::Conversation;
using core::ConversationAuthor;
using core::ConversationStatus;
using core::User;

Result<Conversation> Load(Repo& repo, core::Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto c, repo.GetConversation(id));
  if (!c) return Error::Said(ErrorCode::kNotFound, "conversation.not_found", {{"id", std::to_string(id)}});
  return std::move(*c);
}

// A message of `author`, with the next sequence number of `c`.
ConversationMessage& Append(Conversation& c, ConversationUpdate& u, ConversationAuthor author, std::optional<core::Id> author_id,
                            std::string body, Instant now, json::object extra = {}) {
  ConversationMessage m;
  m.seq = ++c.last_seq;
  m.author = author;
  m.author_id = author_id;
  m.body = std::move(body);
  m.extra = json::serialize(extra);
  m.at = now;
  u.added.push_back(std::move(m));
  return u.added.back();
}

// A notice of the desk in the conversation's language; `notice` names it for front ends.
ConversationMessage& Notice(Conversation& c, ConversationUpdate& u, std::string_view notice, const core::TextArgs& args,
                            Instant now, json::object extra = {}) {
  extra["notice"] = notice;
  return Append(c, u, ConversationAuthor::kSystem, std::nullopt, core::Say("chat." + std::string(notice), args, c.language), now,
                std::move(extra));
}

Result<sla::TicketFacts> FactsOf(Repo& repo, const sla::Policy& policy, const Conversation& c) {
  sla::TicketFacts f;
  f.channel = c.channel;
  f.priority = policy.catalog.priorities.default_name;
  if (c.organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.OrganizationPlanAndName(*c.organization_id));
    if (org) {
      f.plan = org->first;
      f.organization = org->second;
    }
  }
  return f;
}

Result<bool> PlanHasChat(Repo& repo, const sla::Policy& policy, const Conversation& c) {
  if (sla::LiveWhateverThePlan(c.channel)) return true;
  if (!c.organization_id) return false;
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, c));
  const sla::Plan* plan = policy.FindPlan(facts.plan);
  return plan && plan->chat;
}

Result<sla::ConversationTimeline> TimelineOf(Repo& repo, const Conversation& c) {
  sla::ConversationTimeline tl;
  tl.handed_off_at = c.handed_off_at.value_or(c.created_at);
  CHAMADO_ASSIGN_OR_RETURN(auto statuses, repo.ConversationStatuses(c.id));
  for (const auto& s : statuses) tl.statuses.push_back({s.at, s.status});
  CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.ConversationMessages(c.id, 0, kMaxConversationMessages));
  for (const auto& m : messages)
    if (m.author == ConversationAuthor::kCustomer || m.author == ConversationAuthor::kAgent)
      tl.messages.push_back({m.at, m.author == ConversationAuthor::kAgent});
  return tl;
}

// The scheduler's next look at `c`: its running clocks' breaches and its auto-close.
Result<void> RefreshFire(Repo& repo, const sla::Policy& policy, const Conversation& c, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto fired, repo.ConversationBreachFiredAt(c.id));
  if (!core::IsOpen(c) || !c.handed_off_at) return repo.SetConversationFire(c.id, std::nullopt, fired);
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, c));
  CHAMADO_ASSIGN_OR_RETURN(auto tl, TimelineOf(repo, c));
  CHAMADO_ASSIGN_OR_RETURN(auto auto_close, sla::ConversationAutoClose(policy, tl));
  return repo.SetConversationFire(c.id, sla::NextConversationFire(sla::ConversationClocks(policy, facts, tl, now), auto_close), fired);
}

// Stores what a command did: its messages, the conversation, the status history, the audit
// event and the next due instant.
Result<void> Save(Repo& repo, const sla::Policy& policy, const ConversationStatus before, ConversationUpdate& u, std::string_view event,
                  core::Id actor, Instant now, std::vector<core::Change> changes = {}) {
  Conversation& c = u.conversation;
  for (auto& m : u.added) CHAMADO_TRY(repo.InsertConversationMessage(c.id, m));
  CHAMADO_TRY(repo.UpdateConversation(c));
  if (c.status != before) {
    CHAMADO_TRY(repo.InsertConversationStatus(c.id, now, c.status));
    changes.push_back({"status", std::string(core::Name(before)), std::string(core::Name(c.status))});
  }
  if (!event.empty()) {
    changes.insert(changes.begin(), {"conversation", "", c.public_id});
    CHAMADO_TRY(repo.InsertEvents({{std::string(event), 0, actor, now, std::move(changes), 0}}, 0, 0));
  }
  return RefreshFire(repo, policy, c, now);
}

// The bot's turns as messages: its options and articles (and a ticket it opened) in `extra`.
void BotTurnsAsMessages(Conversation& c, ConversationUpdate& u, const std::vector<BotTurn>& turns) {
  for (const auto& t : turns) {
    json::object extra;
    if (!t.options.empty()) {
      json::array options;
      for (const auto& o : t.options) options.push_back(json::object{{"id", o.id}, {"label", o.label}});
      extra["options"] = std::move(options);
    }
    if (!t.articles.empty()) {
      json::array articles;
      for (const auto& a : t.articles) articles.push_back(json::object{{"key", a.key}, {"title", a.title}, {"url", a.url}});
      extra["articles"] = std::move(articles);
    }
    if (t.ticket_number) extra["ticket_number"] = *t.ticket_number;
    const bool by_customer = t.author == "customer";
    Append(c, u, by_customer ? ConversationAuthor::kCustomer : ConversationAuthor::kBot, by_customer ? c.contact_id : std::nullopt,
           t.text, t.at, std::move(extra));
  }
}

// Where people stand when nobody can take the conversation: a notice saying when they are
// back, or that chat is not in the plan, and that a ticket can be opened instead.
void NobodyNotice(Conversation& c, ConversationUpdate& u, const sla::HandOff& h, std::string_view time_zone, Instant now) {
  if (h.verdict == sla::HandOff::Verdict::kClosed && h.back_at) {
    const std::string when = sla::FormatLocal(*h.back_at, c.language, time_zone);
    Notice(c, u, "closed_hours", {{"when", when}}, now, json::object{{"back_at", FormatIsoUtc(*h.back_at)}, {"offer_ticket", true}});
  } else {
    Notice(c, u, "no_chat", {}, now, json::object{{"offer_ticket", true}});
  }
}

// Hands `c` to people when the hours and the plan allow, else says why not.
Result<void> TryHandOff(Repo& repo, const sla::Policy& policy, Conversation& c, ConversationUpdate& u, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(const bool chat, PlanHasChat(repo, policy, c));
  const sla::HandOff h = sla::HandOffAt(policy, chat, now);
  if (h.verdict == sla::HandOff::Verdict::kOpen) {
    CHAMADO_ASSIGN_OR_RETURN(c, core::HandedOff(std::move(c), now));
    Notice(c, u, "waiting", {}, now);
    return Ok();
  }
  std::string zone;
  if (c.contact_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(*c.contact_id));
    if (user) zone = user->time_zone;
  }
  if (zone.empty() && !policy.chat.calendar.empty()) zone = policy.calendars.at(policy.chat.calendar)->spec().tz;
  NobodyNotice(c, u, h, zone, now);
  return Ok();
}

// The customer's open ticket that reads like their first words, offered to continue there.
Result<void> OfferSimilarTicket(Repo& repo, Conversation& c, ConversationUpdate& u, std::string_view text, Instant now) {
  if (!c.contact_id || c.ticket_number) return Ok();
  SimilarQuery q;
  q.subject = c.subject;
  q.body = std::string(text);
  q.language = c.language;
  q.requester_id = *c.contact_id;
  q.limit = 1;
  q.min_score = search::kLikelySameCase;
  CHAMADO_ASSIGN_OR_RETURN(auto hits, repo.SimilarTickets(q));
  if (hits.empty()) return Ok();
  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(hits.front().number));
  if (!ticket) return Ok();
  Notice(c, u, "offer_ticket", {{"number", std::to_string(ticket->number)}, {"subject", ticket->subject}}, now,
         json::object{{"offered_ticket", json::object{{"number", ticket->number}, {"subject", ticket->subject}}}});
  return Ok();
}

// The customer's first line, as a ticket's subject would be.
std::string SubjectOf(std::string_view text) {
  return NewTicketSubject(text.substr(0, text.find('\n')));
}

Result<std::string> AgentName(Repo& repo, core::Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(id));
  return user ? user->name : std::string();
}

Result<void> RequireAgent(const User& u) {
  if (!core::IsStaff(u.role)) return Error::Said(ErrorCode::kPermissionDenied, "conversation.agents_only");
  return Ok();
}

// A message sent again with its client id (a reconnect resends what was not acknowledged).
Result<std::optional<ConversationUpdate>> Resent(Repo& repo, const Conversation& c, std::string_view client_id) {
  if (client_id.empty()) return std::optional<ConversationUpdate>();
  CHAMADO_ASSIGN_OR_RETURN(auto stored, repo.MessageByClientId(c.id, client_id));
  if (!stored) return std::optional<ConversationUpdate>();
  ConversationUpdate u;
  u.conversation = c;
  u.added.push_back(std::move(*stored));
  u.duplicate = true;
  return std::optional<ConversationUpdate>(std::move(u));
}

Result<void> CheckText(std::string_view text, std::string_view client_id, bool attachments) {
  if (text.size() > kMaxConversationTextBytes)
    return Error::InvalidSaid("text", "conversation.text_too_long", {{"bytes", std::to_string(kMaxConversationTextBytes)}});
  if (Trim(text).empty() && !attachments) return Error::InvalidSaid("text", "conversation.text_empty");
  if (client_id.size() > kMaxClientIdBytes)
    return Error::InvalidSaid("client_id", "conversation.client_id_too_long", {{"bytes", std::to_string(kMaxClientIdBytes)}});
  return Ok();
}

Result<void> CheckRoom(const Conversation& c, size_t adding) {
  if (c.last_seq + int64_t(adding) > kMaxConversationMessages)
    return Error::Said(ErrorCode::kConflict, "conversation.full",
                       {{"id", c.public_id}, {"count", std::to_string(kMaxConversationMessages)}});
  return Ok();
}

// A conversation not yet stored: its public chat id, its language, its customer (none: an
// anonymous visitor) with their organization and address.
Conversation NewConversation(uint64_t random_bits, std::string language, const std::optional<User>& customer, Instant now) {
  Conversation c;
  c.public_id = core::PublicConversationId(random_bits);
  c.language = std::move(language);
  c.created_at = now;
  c.updated_at = now;
  if (customer) {
    c.contact_id = customer->id;
    c.organization_id = customer->organization_id;
    c.email = customer->email;
  }
  return c;
}

// Whether a customer leaving `c` leaves their case unanswered: people took it on (it was
// handed off) and owe the next word (nobody accepted it yet, or the customer wrote last), and
// the desk has an address to answer at. Then closing it makes it the one ticket instead.
bool EndsUnanswered(const Conversation& c) {
  return c.handed_off_at && (c.status == ConversationStatus::kWaiting || c.status == ConversationStatus::kActive) &&
         (c.contact_id || !c.email.empty());
}

Result<Converted> ConvertCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const User& actor,
                                 Conversation current, std::string_view notice, Instant now);

// An escalation step's notices of a conversation's breach: mail (template
// conversation_breached) to the agent holding it ("assignee"), the members of its group (after
// the step moved it) and the addresses the step names, and its webhook. "requester" is nobody
// here: the breach notice is the desk's, not the customer's.
Result<void> NotifyBreach(Repo& repo, const Conversation& c, const sla::EscalationStep& step, const sla::Clock& clock, Instant now) {
  if (step.notify.empty() && step.webhook.empty()) return Ok();
  std::string customer = c.email.empty() ? c.external_id : c.email;
  if (c.contact_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto contact, repo.GetUser(*c.contact_id));
    if (contact) customer = contact->name.empty() ? contact->email : contact->name;
  }
  const json::object payload{{"template", "conversation_breached"},
                             {"event", "conversation.breached"},
                             {"conversation", c.id},
                             {"chat_id", c.public_id},
                             {"channel", core::Name(c.channel)},
                             {"subject", c.subject},
                             {"customer", customer},
                             {"target", sla::Name(clock.target)},
                             {"within", clock.within_text},
                             {"due_at", clock.due_at ? json::value(FormatIsoUtc(*clock.due_at)) : json::value(nullptr)}};
  return QueueNotifications(repo, Addressees{c.agent_id, c.group_id, std::nullopt}, 0, step.notify,
                            step.webhook, "conversation.breached", json::serialize(payload), now);
}

}  // namespace

std::string ConversationTranscript(const Conversation& c, const std::vector<ConversationMessage>& messages,
                                   const std::vector<std::pair<core::Id, std::string>>& agent_names) {
  // The speakers are named in the conversation's language; an agent by their name.
  const std::string customer = bot::PhraseIn(bot::Phrase::kTranscriptCustomer, c.language);
  const std::string assistant = bot::PhraseIn(bot::Phrase::kTranscriptAssistant, c.language);
  std::string out = "Chat " + c.public_id + "\n\n";
  for (const auto& m : messages) {
    if (m.author == ConversationAuthor::kSystem) continue;
    switch (m.author) {
      case ConversationAuthor::kCustomer: out += customer + ": "; break;
      case ConversationAuthor::kBot: out += assistant + ": "; break;
      default: {
        std::string name = "Agent";
        for (const auto& [id, n] : agent_names)
          if (m.author_id == id && !n.empty()) name = n;
        out += name + ": ";
      }
    }
    out += m.body;
    out += "\n";
    for (const auto& a : m.attachments) out += "  [" + a.filename + "]\n";
  }
  return out;
}

Result<std::string> MailTranscriptCommand(Repo& repo, core::Id id, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, Load(repo, id));
  std::string to = c.email;
  if (c.contact_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto contact, repo.GetUser(*c.contact_id));
    if (contact) to = contact->email;
  }
  if (to.empty()) return Error::InvalidSaid("email", "conversation.anonymous");
  CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.ConversationMessages(c.id, 0, kMaxConversationMessages));
  std::vector<std::pair<core::Id, std::string>> names;
  for (const auto& m : messages)
    if (m.author == ConversationAuthor::kAgent && m.author_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto name, AgentName(repo, *m.author_id));
      names.emplace_back(*m.author_id, std::move(name));
    }
  // The transcript as it stands now, in the payload: what the customer asked for.
  const json::object payload{{"template", "conversation_transcript"},
                             {"language", c.language},
                             {"chat_id", c.public_id},
                             {"transcript", ConversationTranscript(c, messages, names)}};
  CHAMADO_TRY(repo.InsertOutbox({OutboxKind::kEmail, to, 0, "mail.conversation_transcript", json::serialize(payload), now}));
  CHAMADO_TRY(repo.InsertEvents({{"conversation.transcript_mailed", 0, 0, now, {{"conversation", "", c.public_id}}, 0}}, 0, 0));
  return to;
}

Result<ConversationUpdate> StartConversationCommand(Repo& repo, const sla::Policy& policy, const std::optional<BotFlowAt>& flow,
                                                    const StartConversationRequest& r, Instant now) {
  ConversationUpdate u;
  Conversation& c = u.conversation;
  c = NewConversation(r.random_bits, r.language, r.customer, now);
  c.channel = r.channel;
  c.external_id = r.external_id;
  if (!r.customer) c.email = r.email;
  if (flow && flow->flow) {
    CHAMADO_ASSIGN_OR_RETURN(auto started, StartBotSessionCommand(repo, policy, flow->version, *flow->flow, r.customer, r.language,
                                                                   r.token_hash, now));
    c.bot_session_id = started.session.id;
    CHAMADO_ASSIGN_OR_RETURN(c, repo.InsertConversation(std::move(c)));
    BotTurnsAsMessages(c, u, started.turns);
  } else {
    CHAMADO_ASSIGN_OR_RETURN(c, repo.InsertConversation(std::move(c)));
    CHAMADO_TRY(TryHandOff(repo, policy, c, u, now));
  }
  CHAMADO_TRY(repo.SetConversationToken(c.id, r.token_hash));
  CHAMADO_TRY(repo.InsertConversationStatus(c.id, now, ConversationStatus::kBot));
  CHAMADO_TRY(Save(repo, policy, ConversationStatus::kBot, u, "conversation.started", r.customer ? r.customer->id : 0, now,
                   {{"channel", "", std::string(core::Name(c.channel))}}));
  return u;
}

Result<std::optional<ConversationUpdate>> ContinueBotSessionLiveCommand(Repo& repo, const sla::Policy& policy, core::Id session_id,
                                                                        std::string_view token_hash, uint64_t random_bits, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto session, repo.GetBotSession(session_id));
  if (!session || session->state.status != bot::Status::kWaitingForAgent) return std::optional<ConversationUpdate>();
  CHAMADO_ASSIGN_OR_RETURN(auto existing, repo.ConversationOfBotSession(session_id));
  if (existing) {
    CHAMADO_TRY(repo.SetConversationToken(existing->id, token_hash));
    return std::optional<ConversationUpdate>(ConversationUpdate{std::move(*existing), {}, false});
  }
  std::optional<User> customer;
  if (session->user_id) {
    CHAMADO_ASSIGN_OR_RETURN(customer, repo.GetUser(*session->user_id));
  }
  ConversationUpdate u;
  Conversation& c = u.conversation;
  c = NewConversation(random_bits, session->language, customer, now);
  c.bot_session_id = session_id;
  CHAMADO_ASSIGN_OR_RETURN(auto turns, repo.BotTurns(session_id));
  // The customer's first words, as the widget's conversation takes them.
  for (const auto& t : turns)
    if (t.author == "customer") {
      c.subject = SubjectOf(t.text);
      break;
    }
  CHAMADO_ASSIGN_OR_RETURN(c, repo.InsertConversation(std::move(c)));
  BotTurnsAsMessages(c, u, turns);
  CHAMADO_TRY(repo.SetConversationToken(c.id, token_hash));
  CHAMADO_TRY(repo.InsertConversationStatus(c.id, c.created_at, ConversationStatus::kBot));
  CHAMADO_TRY(TryHandOff(repo, policy, c, u, now));
  CHAMADO_TRY(Save(repo, policy, ConversationStatus::kBot, u, "conversation.started", c.contact_id.value_or(0), now,
                   {{"channel", "", std::string(core::Name(c.channel))}, {"bot_session", "", std::to_string(session_id)}}));
  return std::optional<ConversationUpdate>(std::move(u));
}

Result<ConversationUpdate> CustomerMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                  const std::optional<BotFlowAt>& flow, core::Id id, const CustomerInput& in,
                                                  std::vector<bot::ArticleLink> found, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  CHAMADO_ASSIGN_OR_RETURN(auto resent, Resent(repo, current, in.client_id));
  if (resent) return std::move(*resent);
  if (!in.option) CHAMADO_TRY(CheckText(in.text.value_or(""), in.client_id, !in.attachments.empty()));
  CHAMADO_TRY(CheckRoom(current, 2));
  const ConversationStatus before = current.status;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  CHAMADO_ASSIGN_OR_RETURN(c, core::CustomerWrote(std::move(current), now));
  const bool first_words = c.subject.empty() && in.text && !Trim(*in.text).empty();

  std::optional<BotSession> session;
  if (c.status == ConversationStatus::kBot && c.bot_session_id && flow && flow->flow && in.attachments.empty()) {
    CHAMADO_ASSIGN_OR_RETURN(session, repo.GetBotSession(*c.bot_session_id));
    if (!session) return Error::Said(ErrorCode::kNotFound, "conversation.bot_session_gone");
  }
  if (session && BotSessionExpired(*session, now)) {
    // Left with the bot past its idle expiry: the bot starts over in the same conversation,
    // the customer's words kept, instead of refusing them (the bot's own API answers 409).
    std::optional<User> customer;
    if (c.contact_id) {
      CHAMADO_ASSIGN_OR_RETURN(customer, repo.GetUser(*c.contact_id));
    }
    CHAMADO_ASSIGN_OR_RETURN(auto restarted, StartBotSessionCommand(repo, policy, flow->version, *flow->flow, customer, c.language,
                                                                    session->token_hash, now));
    c.bot_session_id = restarted.session.id;
    const auto masked = masker.Mask(Trim(in.text ? *in.text : in.option.value_or("")));
    ConversationMessage& m = Append(c, u, ConversationAuthor::kCustomer, c.contact_id, masked.text, now);
    m.masked = masked.count > 0;
    m.client_id = in.client_id;
    if (first_words) c.subject = SubjectOf(masked.text);
    BotTurnsAsMessages(c, u, restarted.turns);
  } else if (session) {
    CHAMADO_ASSIGN_OR_RETURN(auto reply, BotMessageCommand(repo, policy, masker, *flow->flow, session->id, session->turns,
                                                           bot::Input{in.option, in.text}, std::move(found), now));
    BotTurnsAsMessages(c, u, reply.turns);
    // The first turn is the customer's, masked by the bot's command.
    if (!u.added.empty()) {
      u.added.front().client_id = in.client_id;
      u.added.front().masked = in.text && masker.Mask(*in.text).count > 0;
    }
    if (first_words) c.subject = SubjectOf(u.added.front().body);
    switch (reply.session.state.status) {
      case bot::Status::kWaitingForAgent: {
        CHAMADO_ASSIGN_OR_RETURN(c, core::HandedOff(std::move(c), now));
        break;
      }
      case bot::Status::kTicketOpened: {
        c.ticket_number = reply.session.ticket_number;
        CHAMADO_ASSIGN_OR_RETURN(c, core::Close(std::move(c), core::CloseReason::kBot, now));
        break;
      }
      case bot::Status::kEnded: {
        CHAMADO_ASSIGN_OR_RETURN(c, core::Close(std::move(c), core::CloseReason::kBot, now));
        break;
      }
      case bot::Status::kActive: break;
    }
  } else {
    if (in.option && !in.text) return Error::InvalidSaid("option", "conversation.no_options");
    const auto masked = masker.Mask(Trim(in.text.value_or("")));
    ConversationMessage& m = Append(c, u, ConversationAuthor::kCustomer, c.contact_id, masked.text, now);
    m.masked = masked.count > 0;
    m.client_id = in.client_id;
    m.attachments = in.attachments;
    if (first_words) c.subject = SubjectOf(masked.text);
    // A conversation nobody could take (out of hours, or no flow to hand it off) tries again.
    if (c.status == ConversationStatus::kBot && !c.bot_session_id) CHAMADO_TRY(TryHandOff(repo, policy, c, u, now));
  }
  if (first_words && core::IsOpen(c)) CHAMADO_TRY(OfferSimilarTicket(repo, c, u, *in.text, now));
  const bool changed = c.status != before;
  CHAMADO_TRY(Save(repo, policy, before, u, changed ? "conversation.updated" : "", c.contact_id.value_or(0), now));
  return u;
}

Result<ConversationUpdate> AgentMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const User& agent,
                                               core::Id id, std::string_view text, std::string_view client_id,
                                               std::vector<core::Attachment> attachments, int per_agent_limit, Instant now) {
  CHAMADO_TRY(RequireAgent(agent));
  CHAMADO_TRY(CheckText(text, client_id, !attachments.empty()));
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  CHAMADO_ASSIGN_OR_RETURN(auto resent, Resent(repo, current, client_id));
  if (resent) return std::move(*resent);
  CHAMADO_TRY(CheckRoom(current, 1));
  CHAMADO_ASSIGN_OR_RETURN(const int held, repo.HeldBy(agent.id));
  const ConversationStatus before = current.status;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  CHAMADO_ASSIGN_OR_RETURN(c, core::AgentWrote(std::move(current), agent.id, held, per_agent_limit, now));
  const auto masked = masker.Mask(Trim(text));
  ConversationMessage& m = Append(c, u, ConversationAuthor::kAgent, agent.id, masked.text, now);
  m.masked = masked.count > 0;
  m.client_id = std::string(client_id);
  m.attachments = std::move(attachments);
  c.agent_read_seq = c.last_seq;
  const bool took = before == ConversationStatus::kBot || before == ConversationStatus::kWaiting;
  CHAMADO_TRY(Save(repo, policy, before, u, took ? "conversation.accepted" : "", agent.id, now));
  return u;
}

Result<ConversationUpdate> AcceptConversationCommand(Repo& repo, const sla::Policy& policy, const User& agent, core::Id id,
                                                     int per_agent_limit, Instant now) {
  CHAMADO_TRY(RequireAgent(agent));
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  CHAMADO_ASSIGN_OR_RETURN(const int held, repo.HeldBy(agent.id));
  const ConversationStatus before = current.status;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  CHAMADO_ASSIGN_OR_RETURN(c, core::Accept(std::move(current), agent.id, held, per_agent_limit, now));
  if (c.status == before) return u;  // accepted before, by this agent
  Notice(c, u, "accepted", {{"agent", agent.name}}, now, json::object{{"agent", agent.name}});
  CHAMADO_TRY(Save(repo, policy, before, u, "conversation.accepted", agent.id, now));
  return u;
}

Result<ConversationUpdate> TransferConversationCommand(Repo& repo, const sla::Policy& policy, const User& actor, core::Id id,
                                                       std::optional<core::Id> to_agent, std::optional<core::Id> to_group,
                                                       int per_agent_limit, Instant now) {
  CHAMADO_TRY(RequireAgent(actor));
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  int held = 0;
  std::string to_name;
  if (to_agent) {
    CHAMADO_ASSIGN_OR_RETURN(auto target, repo.GetUser(*to_agent));
    if (!target || !core::IsStaff(target->role) || !target->active)
      return Error::InvalidSaid("agent_id", "conversation.no_active_agent", {{"id", std::to_string(*to_agent)}});
    to_name = target->name;
    CHAMADO_ASSIGN_OR_RETURN(held, repo.HeldBy(*to_agent));
  }
  if (to_group) {
    CHAMADO_ASSIGN_OR_RETURN(auto group, repo.GetGroup(*to_group));
    if (!group) return Error::InvalidSaid("group_id", "conversation.no_group", {{"id", std::to_string(*to_group)}});
  }
  const ConversationStatus before = current.status;
  const auto agent_before = current.agent_id;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  CHAMADO_ASSIGN_OR_RETURN(c, core::Transfer(std::move(current), to_agent, to_group, held, per_agent_limit, now));
  if (to_agent) Notice(c, u, "transferred_agent", {{"agent", to_name}}, now, json::object{{"agent", to_name}});
  else Notice(c, u, "transferred_group", {}, now);
  std::vector<core::Change> changes;
  changes.push_back({"agent", agent_before ? std::to_string(*agent_before) : "", c.agent_id ? std::to_string(*c.agent_id) : ""});
  if (to_group) changes.push_back({"group", "", std::to_string(*to_group)});
  CHAMADO_TRY(Save(repo, policy, before, u, "conversation.transferred", actor.id, now, std::move(changes)));
  return u;
}

Result<ConversationUpdate> CloseConversationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker,
                                                    const User& actor, core::Id id, core::CloseReason reason, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  if (reason == core::CloseReason::kCustomer && EndsUnanswered(current)) {
    // The customer leaves before anybody answered them: the case goes on as the one ticket,
    // answered by mail, opened in their name.
    User customer;
    customer.id = current.contact_id.value_or(0);
    CHAMADO_ASSIGN_OR_RETURN(auto converted, ConvertCommand(repo, policy, masker, customer, std::move(current), "auto_converted", now));
    return std::move(converted.update);
  }
  const ConversationStatus before = current.status;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  CHAMADO_ASSIGN_OR_RETURN(c, core::Close(std::move(current), reason, now));
  Notice(c, u, "closed", {}, now, json::object{{"reason", core::Name(reason)}});
  CHAMADO_TRY(Save(repo, policy, before, u, "conversation.closed", actor.id, now,
                   {{"close_reason", "", std::string(core::Name(reason))}}));
  return u;
}

Result<Conversation> MarkConversationReadCommand(Repo& repo, core::Id id, bool by_customer, int64_t seq) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, Load(repo, id));
  CHAMADO_ASSIGN_OR_RETURN(c, core::MarkRead(std::move(c), by_customer, seq));
  CHAMADO_TRY(repo.UpdateConversation(c));
  return c;
}

Result<ConversationUpdate> SetConversationEmailCommand(Repo& repo, core::Id id, std::string_view email, Instant now) {
  const std::string normalized = NormalizeEmail(email);
  if (normalized.empty()) return Error::InvalidSaid("email", "conversation.email_invalid", {{"value", std::string(email)}});
  CHAMADO_ASSIGN_OR_RETURN(Conversation c, Load(repo, id));
  if (c.contact_id) return Error::Said(ErrorCode::kConflict, "conversation.customer_known");
  if (!core::IsOpen(c)) return Error::Said(ErrorCode::kConflict, "conversation.closed", {{"id", c.public_id}});
  ConversationUpdate u;
  c.email = normalized;
  c.updated_at = now;
  u.conversation = c;
  CHAMADO_TRY(repo.UpdateConversation(c));
  return u;
}

Result<ConversationUpdate> LinkConversationTicketCommand(Repo& repo, const sla::Policy& policy, const User& actor, core::Id id,
                                                         core::Id ticket_number, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  if (!core::IsOpen(current)) return Error::Said(ErrorCode::kConflict, "conversation.closed", {{"id", current.public_id}});
  if (current.ticket_number) {
    if (*current.ticket_number == ticket_number) return ConversationUpdate{current, {}, false};
    return Error::Said(ErrorCode::kConflict, "conversation.already_linked",
                       {{"id", current.public_id}, {"number", std::to_string(*current.ticket_number)}});
  }
  CHAMADO_ASSIGN_OR_RETURN(auto ticket, repo.GetTicket(ticket_number));
  if (!ticket || !current.contact_id || ticket->requester_id != *current.contact_id)
    return Error::InvalidSaid("ticket_number", "conversation.not_customers_ticket", {{"number", std::to_string(ticket_number)}});
  if (ticket->status == core::Status::kSolved || ticket->status == core::Status::kClosed)
    return Error::InvalidSaid("ticket_number", "conversation.ticket_not_open",
                              {{"number", std::to_string(ticket_number)}, {"status", std::string(core::Name(ticket->status))}});
  CHAMADO_ASSIGN_OR_RETURN(auto other, repo.ConversationOfTicket(ticket_number));
  if (other)
    return Error::Said(ErrorCode::kConflict, "conversation.ticket_linked", {{"number", std::to_string(ticket_number)}, {"id", other->public_id}});
  ConversationUpdate u;
  Conversation& c = u.conversation;
  c = std::move(current);
  c.ticket_number = ticket_number;
  c.updated_at = now;
  Notice(c, u, "linked", {{"number", std::to_string(ticket_number)}}, now, json::object{{"ticket_number", ticket_number}});
  CHAMADO_TRY(Save(repo, policy, c.status, u, "conversation.linked", actor.id, now,
                   {{"ticket_number", "", std::to_string(ticket_number)}}));
  return u;
}

Result<Converted> ConvertConversationCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const User& actor,
                                             core::Id id, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  return ConvertCommand(repo, policy, masker, actor, std::move(current), "converted", now);
}

namespace {

// The conversion of `current` (ConvertConversationCommand); `notice` tells the customer how
// it came about: "converted" (asked for) or "auto_converted" (they left unanswered).
Result<Converted> ConvertCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const User& actor,
                                 Conversation current, std::string_view notice, Instant now) {
  Converted out;
  if (current.ticket_number) {
    CHAMADO_ASSIGN_OR_RETURN(auto linked, repo.GetTicket(*current.ticket_number));
    const bool open = linked && linked->status != core::Status::kSolved && linked->status != core::Status::kClosed;
    // Converted before (or opened by the bot): the same ticket, never a second one.
    if (!core::IsOpen(current) || !open) {
      out.update.conversation = current;
      out.ticket_number = *current.ticket_number;
      return out;
    }
  } else if (!core::IsOpen(current)) {
    return Error::Said(ErrorCode::kConflict, "conversation.closed_without_ticket", {{"id", current.public_id}});
  }
  if (!current.contact_id && current.email.empty()) return Error::InvalidSaid("email", "conversation.anonymous");
  CHAMADO_ASSIGN_OR_RETURN(auto messages, repo.ConversationMessages(current.id, 0, kMaxConversationMessages));
  std::vector<std::pair<core::Id, std::string>> names;
  std::vector<core::Attachment> files;
  for (const auto& m : messages) {
    if (m.author == ConversationAuthor::kAgent && m.author_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto name, AgentName(repo, *m.author_id));
      names.emplace_back(*m.author_id, std::move(name));
    }
    for (const auto& a : m.attachments) files.push_back({0, a.sha256, a.filename, a.content_type, a.size});
  }
  const std::string transcript = ConversationTranscript(current, messages, names);

  const ConversationStatus before = current.status;
  ConversationUpdate& u = out.update;
  Conversation& c = u.conversation;
  c = std::move(current);
  User requester_actor = actor;
  if (!core::IsStaff(actor.role) && actor.id != c.contact_id.value_or(0))
    return Error::Said(ErrorCode::kPermissionDenied, "conversation.convert_who");
  if (c.ticket_number) {
    // Linked to an open ticket of the same case: the transcript goes there.
    core::NewMessage message;
    message.kind = core::IsStaff(actor.role) ? core::MessageKind::kInternalNote : core::MessageKind::kCustomerMessage;
    message.body = transcript;
    message.channel = c.channel;
    message.attachments = std::move(files);
    CHAMADO_TRY(AddMessageCommand(repo, policy, masker, actor, *c.ticket_number, std::move(message), now));
    out.ticket_number = *c.ticket_number;
  } else {
    OpenTicketRequest req;
    req.ticket.subject = NewTicketSubject(c.subject.empty() ? "Chat " + c.public_id : c.subject);
    req.ticket.description = transcript;
    req.ticket.channel = c.channel;
    req.ticket.tags = {"chat"};
    req.ticket.attachments = std::move(files);
    req.require_details = false;
    if (c.agent_id) req.assignee_id = c.agent_id;
    if (c.group_id) req.group_id = c.group_id;
    if (c.contact_id) {
      CHAMADO_ASSIGN_OR_RETURN(auto contact, repo.GetUser(*c.contact_id));
      if (!contact) return Error::Said(ErrorCode::kNotFound, "conversation.customer_gone");
      req.requester_email = contact->email;
      // The customer opens it; the desk does, on their behalf, when it goes to the agent or
      // group that had the conversation (customers choose neither).
      if (!core::IsStaff(actor.role)) requester_actor = c.agent_id || c.group_id ? SystemUser() : *contact;
    } else {
      req.requester_email = c.email;
      if (!core::IsStaff(actor.role)) requester_actor = SystemUser();
    }
    CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, policy, masker, requester_actor, std::move(req), now));
    out.ticket_number = opened.ticket.number;
    out.created = true;
    c.ticket_number = opened.ticket.number;
  }
  Notice(c, u, notice, {{"number", std::to_string(out.ticket_number)}}, now, json::object{{"ticket_number", out.ticket_number}});
  CHAMADO_ASSIGN_OR_RETURN(c, core::Close(std::move(c), core::CloseReason::kConverted, now));
  CHAMADO_TRY(Save(repo, policy, before, u, "conversation.converted", actor.id, now,
                   {{"ticket_number", "", std::to_string(out.ticket_number)}}));
  return out;
}

}  // namespace

Result<core::User> IdentifiedCustomer(Repo& repo, std::string_view identity, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto id, core::ParseChatIdentity(identity));
  const Error refused = Error::InvalidSaid("identity", "conversation.identity_refused");
  CHAMADO_ASSIGN_OR_RETURN(auto secret, repo.OrganizationChatSecret(id.organization));
  if (secret.empty() || !auth::SameSecret(auth::Sign(secret, id.signed_part), id.signature)) return refused;
  if (id.expires <= std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()) return refused;
  CHAMADO_ASSIGN_OR_RETURN(auto user, repo.FindUserByEmail(NormalizeEmail(id.email)));
  if (!user || user->role != core::Role::kCustomer || !user->active || user->organization_id != id.organization) return refused;
  return std::move(*user);
}

Result<void> RotateChatSecretCommand(Repo& repo, core::Id organization, std::string_view secret, core::Id actor, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(organization));
  if (!org) return Error::Said(ErrorCode::kNotFound, "directory.organization_missing", {{"id", std::to_string(organization)}});
  CHAMADO_TRY(repo.SetOrganizationChatSecret(organization, secret));
  return repo.InsertEvents({{"organization.chat_secret_rotated", 0, actor, now, {{"organization", "", std::to_string(organization)}}, 0}},
                           0, 0);
}

Result<std::vector<sla::Clock>> ConversationClocksNow(Repo& repo, const sla::Policy& policy, const Conversation& c, Instant now) {
  if (!c.handed_off_at) return std::vector<sla::Clock>();
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, c));
  CHAMADO_ASSIGN_OR_RETURN(auto tl, TimelineOf(repo, c));
  return sla::ConversationClocks(policy, facts, tl, now);
}

Result<void> FireConversation(Repo& repo, const sla::Policy& policy, core::Id id, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(Conversation current, Load(repo, id));
  if (!core::IsOpen(current) || !current.handed_off_at) return RefreshFire(repo, policy, current, now);
  CHAMADO_ASSIGN_OR_RETURN(auto tl, TimelineOf(repo, current));
  CHAMADO_ASSIGN_OR_RETURN(auto auto_close, sla::ConversationAutoClose(policy, tl));
  const ConversationStatus before = current.status;
  ConversationUpdate u;
  Conversation& c = u.conversation;
  c = std::move(current);
  if (auto_close && sla::AutoCloseDue(*auto_close, true, now) == sla::AutoCloseAction::kClose) {
    CHAMADO_ASSIGN_OR_RETURN(c, core::Close(std::move(c), core::CloseReason::kAutoClose, now));
    Notice(c, u, "auto_closed", {{"after", policy.automations.auto_close->after_text}}, now);
    return Save(repo, policy, before, u, "conversation.closed", 0, now, {{"close_reason", "", "auto_close"}});
  }
  // Breaches escalate as a ticket's do (seed 000: "any ticket or chat that violated an SLA"):
  // marked, moved to the escalation's group; each breach once.
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, c));
  CHAMADO_ASSIGN_OR_RETURN(auto fired, repo.ConversationBreachFiredAt(c.id));
  std::optional<Instant> latest = fired;
  std::vector<core::Event> events;
  for (const auto& clock : sla::ConversationClocks(policy, facts, tl, now)) {
    if (!clock.breached_at || (fired && *clock.breached_at <= *fired)) continue;
    c.escalated = true;
    for (const auto& step : sla::EscalationsForBreach(policy, clock.target, facts, true)) {
      if (!step.group.empty()) {
        CHAMADO_ASSIGN_OR_RETURN(auto group, repo.FindGroupByName(step.group));
        if (group) c.group_id = group->id;
      }
      CHAMADO_TRY(NotifyBreach(repo, c, step, clock, now));
    }
    events.push_back({"conversation.breached", 0, 0, now,
                      {{"conversation", "", c.public_id}, {"target", "", std::string(sla::Name(clock.target))}}, 0});
    if (!latest || *clock.breached_at > *latest) latest = *clock.breached_at;
  }
  if (latest != fired) {
    c.updated_at = now;
    CHAMADO_TRY(repo.UpdateConversation(c));
    CHAMADO_TRY(repo.InsertEvents(events, 0, 0));
    CHAMADO_TRY(repo.SetConversationFire(c.id, std::nullopt, latest));
  }
  return RefreshFire(repo, policy, c, now);
}

}  // namespace chamado::store
