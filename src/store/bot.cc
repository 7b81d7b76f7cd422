#include "store/bot.h"

#include "core/text.h"
#include "sla/live_chat.h"
#include "store/commands.h"

namespace chamado::store {
namespace {

using core::User;

// What a step needs to know about the customer and the desk.
Result<bot::Facts> FactsOf(Repo& repo, const sla::Policy& policy, const BotSession& s, Instant now) {
  bot::Facts f;
  f.language = s.language;
  f.now = now;
  f.calendars = &policy.calendars;
  CHAMADO_ASSIGN_OR_RETURN(auto conversation, repo.ConversationOfBotSession(s.id));
  if (conversation && sla::LiveWhateverThePlan(conversation->channel)) f.plan_has_chat = true;
  if (!s.user_id) return f;
  CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(*s.user_id));
  if (!user) return f;
  f.signed_in = true;
  f.time_zone = user->time_zone;
  if (user->organization_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto org, repo.GetOrganization(*user->organization_id));
    if (org) {
      if (const sla::Plan* plan = policy.FindPlan(org->plan)) f.plan_has_chat = plan->chat;
      if (f.time_zone.empty()) f.time_zone = org->time_zone;
    }
  }
  return f;
}

// Appends the bot's turns for what it said.
void Said(BotSession& s, const std::vector<bot::Said>& said, Instant now, std::vector<BotTurn>& turns) {
  for (const auto& m : said) {
    BotTurn t;
    t.seq = ++s.turns;
    t.author = "bot";
    t.text = m.text;
    t.options = m.options;
    t.articles = m.articles;
    t.at = now;
    turns.push_back(std::move(t));
  }
}

Result<void> SaveTurns(Repo& repo, const BotSession& s, const std::vector<BotTurn>& turns) {
  for (const auto& t : turns) CHAMADO_TRY(repo.InsertBotTurn(s.id, t));
  return {};
}

// Opens the ticket of an outcome: the customer's (or, anonymous, the address they gave),
// the conversation so far as its first message.
Result<core::Id> OpenBotTicket(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const BotSession& s,
                               const bot::TicketToOpen& t, const std::vector<BotTurn>& added, Instant now) {
  CHAMADO_ASSIGN_OR_RETURN(auto turns, repo.BotTurns(s.id));
  turns.insert(turns.end(), added.begin(), added.end());
  OpenTicketRequest req;
  const std::string_view first_line = std::string_view(t.description).substr(0, t.description.find('\n'));
  req.ticket.subject = NewTicketSubject(first_line);
  req.ticket.description = TranscriptText(turns, s.language);
  req.ticket.channel = core::Channel::kChat;
  req.ticket.category = t.category;
  req.ticket.tags = {"chatbot"};
  User actor = SystemUser();
  if (s.user_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(*s.user_id));
    if (!user) return Error::Said(ErrorCode::kNotFound, "bot.customer_gone");
    actor = *user;
    if (core::IsStaff(actor.role)) req.requester_email = actor.email;
  } else {
    req.requester_email = t.email;
  }
  CHAMADO_ASSIGN_OR_RETURN(auto opened, OpenTicketCommand(repo, policy, masker, actor, std::move(req), now));
  return opened.ticket.number;
}

}  // namespace

Result<int64_t> ApplyBotFlowCommand(Repo& repo, const bot::Flow& flow, std::optional<core::Id> actor,
                                    std::optional<int64_t> restored_from, Instant now) {
  StoredFlow stored;
  stored.name = flow.name;
  stored.source = flow.source;
  stored.applied_at = now;
  stored.applied_by = actor;
  stored.restored_from = restored_from;
  CHAMADO_ASSIGN_OR_RETURN(const int64_t version, repo.InsertFlow(stored));
  std::vector<core::Change> changes = {{"version", "", std::to_string(version)}, {"name", "", flow.name}};
  if (restored_from) changes.push_back({"restored_from", "", std::to_string(*restored_from)});
  CHAMADO_TRY(repo.InsertEvents({{"bot.flow_applied", 0, actor.value_or(0), now, changes, 0}}, 0, 0));
  return version;
}

bool BotSessionExpired(const BotSession& s, Instant now) {
  return s.state.status == bot::Status::kActive && now - s.updated_at >= kBotIdleExpiry;
}

Result<BotReply> StartBotSessionCommand(Repo& repo, const sla::Policy& policy, int64_t version, const bot::Flow& flow,
                                        const std::optional<User>& customer, std::string_view language,
                                        std::string_view token_hash, Instant now) {
  BotReply out;
  BotSession& s = out.session;
  s.token_hash = std::string(token_hash);
  if (customer) s.user_id = customer->id;
  s.flow_version = version;
  s.language = std::string(language);
  s.created_at = now;
  s.updated_at = now;
  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, s, now));
  bot::Outcome o = bot::Start(flow, facts);
  s.state = o.state;
  Said(s, o.said, now, out.turns);
  CHAMADO_ASSIGN_OR_RETURN(s, repo.InsertBotSession(std::move(s)));
  CHAMADO_TRY(SaveTurns(repo, s, out.turns));
  return out;
}

Result<BotReply> BotMessageCommand(Repo& repo, const sla::Policy& policy, const SecretMasker& masker, const bot::Flow& flow,
                                   core::Id session_id, int seen_turns, const bot::Input& input,
                                   std::vector<bot::ArticleLink> found, Instant now) {
  if (input.text && input.text->size() > kMaxBotTextBytes)
    return Error::InvalidSaid("text", "bot.text_too_long", {{"bytes", std::to_string(kMaxBotTextBytes)}});
  if (!input.text && !input.option) return Error::InvalidSaid("text", "bot.option_or_text");
  CHAMADO_ASSIGN_OR_RETURN(auto session, repo.GetBotSession(session_id));
  if (!session) return Error::Said(ErrorCode::kNotFound, "bot.session_not_found", {{"id", std::to_string(session_id)}});
  BotReply out;
  BotSession& s = out.session;
  s = std::move(*session);
  if (s.turns != seen_turns) return Error::Said(ErrorCode::kConflict, "bot.moved_on");
  if (BotSessionExpired(s, now))
    return Error::Said(ErrorCode::kConflict, "bot.session_expired", {{"minutes", std::to_string(kBotIdleExpiry.count())}});
  if (s.turns + 2 > kMaxBotTurns) return Error::Said(ErrorCode::kConflict, "bot.too_many_turns", {{"count", std::to_string(kMaxBotTurns)}});

  BotTurn said_by_customer;
  said_by_customer.seq = ++s.turns;
  said_by_customer.author = "customer";
  said_by_customer.at = now;
  if (input.text) {
    said_by_customer.text = std::string(Trim(*input.text));
    said_by_customer.text = masker.Mask(said_by_customer.text).text;
  } else {
    // An option is shown as its label, as the customer read it.
    for (const auto& c : bot::ChoicesOf(flow, s.state, s.language))
      if (c.id == *input.option) said_by_customer.text = c.label;
    if (said_by_customer.text.empty()) said_by_customer.text = *input.option;
  }
  out.turns.push_back(said_by_customer);

  CHAMADO_ASSIGN_OR_RETURN(auto facts, FactsOf(repo, policy, s, now));
  facts.found = std::move(found);
  bot::Input masked = input;
  if (masked.text) masked.text = said_by_customer.text;
  bot::Outcome o = bot::Step(flow, s.state, masked, facts);
  s.state = o.state;
  Said(s, o.said, now, out.turns);
  // Counted twice over on purpose: in the bot's own report (which articles the bot answered
  // with) and in the help center's count per article, where the portal's deflections are, with
  // the conversation as the reader (once per conversation and article, as once per reader).
  for (const auto& key : o.deflected) {
    CHAMADO_TRY(repo.InsertDeflection(key, s.id, now));
    CHAMADO_TRY(repo.PutDeflection(key, "bot-session:" + std::to_string(s.id), s.language, now));
  }
  if (o.ticket) {
    CHAMADO_ASSIGN_OR_RETURN(const core::Id number, OpenBotTicket(repo, policy, masker, s, *o.ticket, out.turns, now));
    bot::Outcome done = bot::TicketOpened(flow, s.state, number, facts);
    s.state = done.state;
    s.ticket_number = number;
    const size_t first = out.turns.size();
    Said(s, done.said, now, out.turns);
    for (size_t i = first; i < out.turns.size(); ++i) out.turns[i].ticket_number = number;
  }
  s.updated_at = now;
  CHAMADO_TRY(repo.UpdateBotSession(s));
  CHAMADO_TRY(SaveTurns(repo, s, out.turns));
  return out;
}

std::string TranscriptText(const std::vector<BotTurn>& turns, std::string_view language) {
  const std::string assistant = bot::PhraseIn(bot::Phrase::kTranscriptAssistant, language) + ": ";
  const std::string customer = bot::PhraseIn(bot::Phrase::kTranscriptCustomer, language) + ": ";
  std::string out;
  for (const auto& t : turns) {
    if (t.text.empty() && t.articles.empty()) continue;
    out += t.author == "bot" ? assistant : customer;
    out += t.text;
    out += "\n";
    for (const auto& a : t.articles) out += "  - " + a.title + " (" + a.url + ")\n";
  }
  return out;
}

}  // namespace chamado::store
