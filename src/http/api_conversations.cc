// Live conversations (issue 13): the widget starts one and writes in it, holding it by the
// secret token it got (X-Conversation-Token) or as a signed-in customer; agents list the
// queue, accept, write, transfer, close and convert. Handlers parse, call the store's
// commands (store/conversations.h) and render; the rules are core/conversation.h's and
// sla/live_chat.h's.
#include "auth/credentials.h"
#include "core/languages.h"
#include "core/text.h"
#include "http/api_impl.h"
#include "store/commands.h"

namespace chamado::http {
namespace {

using core::Conversation;
using store::Repo;

constexpr std::string_view kConversationTokenHeader = "x-conversation-token";
constexpr int kMaxListed = 200;
constexpr int kMaxMessagesRead = 500;

json::value OptId(const std::optional<core::Id>& id) { return id ? json::value(*id) : json::value(nullptr); }

// A message as clients read it: the stored fields and what `extra` holds (the bot's options
// and articles, a notice's kind and facts).
json::object MessageJson(const store::ConversationMessage& m) {
  json::object o;
  boost::system::error_code ec;
  json::value extra = json::parse(m.extra, ec);
  if (!ec && extra.is_object()) o = std::move(extra.as_object());
  o["seq"] = m.seq;
  o["author"] = core::Name(m.author);
  o["author_id"] = OptId(m.author_id);
  o["text"] = m.body;
  o["masked"] = m.masked;
  o["client_id"] = m.client_id.empty() ? json::value(nullptr) : json::value(m.client_id);
  o["at"] = FormatIsoUtc(m.at);
  json::array files;
  for (const auto& a : m.attachments)
    files.push_back(json::object{{"id", a.id}, {"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}});
  o["attachments"] = std::move(files);
  return o;
}

json::array MessagesJson(const std::vector<store::ConversationMessage>& messages) {
  json::array out;
  for (const auto& m : messages) out.push_back(MessageJson(m));
  return out;
}

json::array ClocksJson(const std::vector<sla::Clock>& clocks) {
  json::array out;
  for (const auto& k : clocks)
    out.push_back(json::object{{"target", sla::Name(k.target)},
                               {"state", sla::Name(k.state)},
                               {"within", k.within_text},
                               {"due_at", InstantJson(k.due_at)},
                               {"breached_at", InstantJson(k.breached_at)}});
  return out;
}

json::object ConversationJson(const Conversation& c, Instant now) {
  json::value wait = nullptr;
  if (c.status == core::ConversationStatus::kWaiting && c.handed_off_at)
    wait = std::chrono::duration_cast<std::chrono::seconds>(now - *c.handed_off_at).count();
  return json::object{{"id", c.id},
                      {"chat_id", c.public_id},
                      {"channel", core::Name(c.channel)},
                      {"status", core::Name(c.status)},
                      {"language", c.language},
                      {"subject", c.subject},
                      {"contact_id", OptId(c.contact_id)},
                      {"organization_id", OptId(c.organization_id)},
                      {"email", c.email},
                      {"agent_id", OptId(c.agent_id)},
                      {"group_id", OptId(c.group_id)},
                      {"ticket_number", OptId(c.ticket_number)},
                      {"last_seq", c.last_seq},
                      {"customer_read_seq", c.customer_read_seq},
                      {"agent_read_seq", c.agent_read_seq},
                      {"created_at", FormatIsoUtc(c.created_at)},
                      {"updated_at", FormatIsoUtc(c.updated_at)},
                      {"handed_off_at", InstantJson(c.handed_off_at)},
                      {"accepted_at", InstantJson(c.accepted_at)},
                      {"closed_at", InstantJson(c.closed_at)},
                      {"close_reason", c.close_reason ? json::value(core::Name(*c.close_reason)) : json::value(nullptr)},
                      {"escalated", c.escalated},
                      {"wait_seconds", wait}};
}

json::object UpdateJson(const store::ConversationUpdate& u, Instant now) {
  return json::object{{"conversation", ConversationJson(u.conversation, now)},
                      {"messages", MessagesJson(u.added)},
                      {"duplicate", u.duplicate}};
}

uint64_t RandomBits() { return std::stoull(auth::TokenHash(auth::NewToken()).substr(0, 16), nullptr, 16); }

}  // namespace

Result<Api::Impl::HeldConversation> Api::Impl::ConversationFor(const Call& c) {
  CHAMADO_ASSIGN_OR_RETURN(const Id id, PathId(c, 0, "conversation"));
  CHAMADO_ASSIGN_OR_RETURN(auto caller, OptionalCaller(c.req));
  auto found = Read<std::pair<std::optional<Conversation>, std::string>>(
      [&](Repo& repo) -> Result<std::pair<std::optional<Conversation>, std::string>> {
        CHAMADO_ASSIGN_OR_RETURN(auto conv, repo.GetConversation(id));
        if (!conv) return std::pair<std::optional<Conversation>, std::string>();
        CHAMADO_ASSIGN_OR_RETURN(auto hash, repo.ConversationTokenHash(id));
        return std::make_pair(std::move(conv), std::move(hash));
      });
  if (!found.ok()) return std::move(found).error();
  const Error unknown = Error::NotFound("No conversation " + std::to_string(id) +
                                        " that you hold; send its token in X-Conversation-Token.");
  if (!found->first) return unknown;
  HeldConversation out;
  out.conversation = std::move(*found->first);
  out.staff = caller && caller->staff();
  const std::string_view token = c.req.Header(kConversationTokenHeader);
  const bool by_token = !token.empty() && !found->second.empty() && auth::SameSecret(auth::TokenHash(token), found->second);
  const bool by_owner = caller && out.conversation.contact_id && *out.conversation.contact_id == caller->user.id;
  if (!out.staff && !by_token && !by_owner) return unknown;
  out.caller = std::move(caller);
  return out;
}

Result<std::optional<store::BotFlowAt>> Api::Impl::ConversationFlow(const Conversation& conv, std::shared_ptr<const bot::Flow>& keep) {
  if (!conv.bot_session_id || conv.status != core::ConversationStatus::kBot) return std::optional<store::BotFlowAt>();
  auto session = Read<std::optional<store::BotSession>>([&](Repo& repo) { return repo.GetBotSession(*conv.bot_session_id); });
  if (!session.ok()) return std::move(session).error();
  if (!*session) return std::optional<store::BotFlowAt>();
  CHAMADO_ASSIGN_OR_RETURN(keep, BotFlowAt((*session)->flow_version));
  return std::optional<store::BotFlowAt>(store::BotFlowAt{(*session)->flow_version, keep.get()});
}

void Api::Impl::ListConversations(Call c) {
  std::vector<core::ConversationStatus> statuses;
  for (auto s : c.req.QueryAll("status")) {
    for (const auto& part : SplitList(s)) {
      auto parsed = core::ParseConversationStatus(part);
      if (!parsed)
        return Fail(c, Error::Invalid("status", "\"" + std::string(part) +
                                                    "\" is not a status; use bot, waiting, active, waiting_on_customer or closed."));
      statuses.push_back(*parsed);
    }
  }
  std::optional<Id> agent;
  if (auto mine = c.req.Query("mine"); mine && *mine == "true") agent = c.who().user.id;
  const Instant now = clock.Now();
  auto policy = store.policy();
  struct Listed {
    store::ConversationListed row;
    std::vector<sla::Clock> clocks;
  };
  auto rows = Read<std::vector<Listed>>([&](Repo& repo) -> Result<std::vector<Listed>> {
    CHAMADO_ASSIGN_OR_RETURN(auto listed, repo.ListConversations(statuses, agent, kMaxListed));
    std::vector<Listed> out;
    for (auto& l : listed) {
      CHAMADO_ASSIGN_OR_RETURN(auto clocks, store::ConversationClocksNow(repo, *policy, l.conversation, now));
      out.push_back({std::move(l), std::move(clocks)});
    }
    return out;
  });
  if (!rows.ok()) return Fail(c, rows.error());
  json::array items;
  int held = 0;
  for (const auto& l : *rows) {
    json::object o = ConversationJson(l.row.conversation, now);
    o["contact_name"] = l.row.contact_name;
    o["contact_email"] = l.row.contact_email;
    o["organization_name"] = l.row.organization_name;
    o["agent_name"] = l.row.agent_name;
    o["clocks"] = ClocksJson(l.clocks);
    if (l.row.conversation.agent_id == c.who().user.id && core::HeldByAgent(l.row.conversation)) ++held;
    items.push_back(std::move(o));
  }
  Json(c, 200, json::object{{"items", std::move(items)}, {"held", held}, {"max_per_agent", options.chat_max_per_agent}});
}

void Api::Impl::StartConversation(Call c) {
  auto caller = OptionalCaller(c.req);
  if (!caller.ok()) return Fail(c, caller.error());
  const Instant now = clock.Now();
  const std::string address = "c:" + ClientAddress(c.req, options.trusted_proxies);
  if (!bot_sessions_by_address.Allow(address, now)) {
    const auto wait = std::max(bot_sessions_by_address.RetryAfter(address, now), std::chrono::seconds(1));
    Response r = ProblemResponse(Error::RateLimited("Too many conversations started from this address; wait " +
                                                    std::to_string((wait.count() + 59) / 60) + " minute(s)."),
                                 c.req.path);
    r.Set("Retry-After", std::to_string(wait.count()));
    return c.reply(std::move(r));
  }
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"language", "email"});
  auto language = f.Str("language", 16);
  if (language && !core::IsDeskLanguage(*language)) f.Fail("language", "language is one of " + core::DeskLanguageList() + ".");
  auto email = f.Str("email", 254);
  if (email && NormalizeEmail(*email).empty()) f.Fail("email", "\"" + *email + "\" is not an email address.");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  std::optional<core::User> customer;
  if (*caller) {
    if ((*caller)->staff()) return Fail(c, Error::PermissionDenied("Agents answer conversations; customers start them."));
    customer = (*caller)->user;
  }
  auto latest = Read<std::optional<store::StoredFlow>>([](Repo& repo) { return repo.LatestFlow(); });
  if (!latest.ok()) return Fail(c, latest.error());
  std::shared_ptr<const bot::Flow> flow;
  if (*latest) {
    auto at = BotFlowAt((*latest)->version);
    if (!at.ok()) return Fail(c, at.error());
    flow = *at;
  }
  std::string lang = language.value_or("");
  if (lang.empty() && customer && core::IsDeskLanguage(customer->language)) lang = customer->language;
  if (lang.empty()) lang = core::LanguageOfAcceptLanguage(c.req.Header("accept-language"));
  if (lang.empty()) lang = flow ? flow->default_language : "en";
  store::StartConversationRequest req;
  req.customer = customer;
  req.email = email ? NormalizeEmail(*email) : "";
  req.language = lang;
  const std::string token = auth::NewToken();
  req.token_hash = auth::TokenHash(token);
  req.random_bits = RandomBits();
  std::optional<store::BotFlowAt> at;
  if (flow) at = store::BotFlowAt{(*latest)->version, flow.get()};
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, flow, at, req, now](Repo& repo) { return store::StartConversationCommand(repo, *policy, at, req, now); },
      [token, now](store::ConversationUpdate& u) {
        json::object o = UpdateJson(u, now);
        o["token"] = token;
        return JsonResponse(201, o);
      });
}

void Api::Impl::GetConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  int64_t after = 0;
  if (auto a = c.req.Query("after")) {
    auto v = ParseId(*a);
    if (*a != "0" && !v) return Fail(c, Error::Invalid("after", "after is a message's sequence number, 0 or more."));
    after = v.value_or(0);
  }
  const Instant now = clock.Now();
  auto policy = store.policy();
  const Conversation& conv = held->conversation;
  struct Read_ {
    std::vector<store::ConversationMessage> messages;
    std::vector<sla::Clock> clocks;
  };
  auto read = Read<Read_>([&](Repo& repo) -> Result<Read_> {
    Read_ out;
    CHAMADO_ASSIGN_OR_RETURN(out.messages, repo.ConversationMessages(conv.id, after, kMaxMessagesRead));
    if (held->staff) {
      CHAMADO_ASSIGN_OR_RETURN(out.clocks, store::ConversationClocksNow(repo, *policy, conv, now));
    }
    return out;
  });
  if (!read.ok()) return Fail(c, read.error());
  json::object o = ConversationJson(conv, now);
  o["messages"] = MessagesJson(read->messages);
  if (held->staff) o["clocks"] = ClocksJson(read->clocks);
  Json(c, 200, o);
}

void Api::Impl::PostConversationMessage(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  const Instant now = clock.Now();
  const Conversation& conv = held->conversation;
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"text", "option", "client_id"});
  auto text = f.Str("text", store::kMaxConversationTextBytes);
  auto option = f.Str("option", 16);
  auto client_id = f.Str("client_id", store::kMaxClientIdBytes);
  if (!text && !option) f.Fail("text", "Send text (or option, one of the bot's options).");
  if (text && option) f.Fail("option", "Send option or text, not both.");
  if (option && held->staff) f.Fail("option", "Options are the bot's, for the customer.");
  if (text && !IsValidUtf8(*text)) f.Fail("text", "text must be UTF-8.");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto policy = store.policy();
  auto masker = options.masker;
  if (held->staff) {
    const core::User agent = held->caller->user;
    const int limit = options.chat_max_per_agent;
    WriteThen<store::ConversationUpdate>(
        std::move(c),
        [policy, masker, agent, id = conv.id, text = *text, client_id = client_id.value_or(""), limit, now](Repo& repo) {
          return store::AgentMessageCommand(repo, *policy, *masker, agent, id, text, client_id, {}, limit, now);
        },
        [now](store::ConversationUpdate& u) { return JsonResponse(u.duplicate ? 200 : 201, UpdateJson(u, now)); });
    return;
  }
  const std::string key = "c:" + std::to_string(conv.id);
  if (!bot_messages_by_session.Allow(key, now)) {
    Response r = ProblemResponse(Error::RateLimited("Too many messages in this conversation; wait a minute."), c.req.path);
    r.Set("Retry-After", std::to_string(std::max(bot_messages_by_session.RetryAfter(key, now), std::chrono::seconds(1)).count()));
    return c.reply(std::move(r));
  }
  std::shared_ptr<const bot::Flow> keep;
  auto flow = ConversationFlow(conv, keep);
  if (!flow.ok()) return Fail(c, flow.error());
  std::vector<bot::ArticleLink> found;
  if (*flow) {
    auto session = Read<std::optional<store::BotSession>>([&](Repo& repo) { return repo.GetBotSession(*conv.bot_session_id); });
    if (!session.ok()) return Fail(c, session.error());
    if (*session) {
      auto searched = BotSearch(*keep, **session, bot::Input{option, text}, now);
      if (!searched.ok()) return Fail(c, searched.error());
      found = std::move(*searched);
    }
  }
  store::CustomerInput in;
  in.text = text;
  in.option = option;
  in.client_id = client_id.value_or("");
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, masker, keep, at = *flow, id = conv.id, in, found = std::move(found), now](Repo& repo) {
        return store::CustomerMessageCommand(repo, *policy, *masker, at, id, in, found, now);
      },
      [now](store::ConversationUpdate& u) { return JsonResponse(u.duplicate ? 200 : 201, UpdateJson(u, now)); });
}

void Api::Impl::AcceptConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->staff) return Fail(c, Error::PermissionDenied("Only agents accept conversations."));
  const Instant now = clock.Now();
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, agent = held->caller->user, id = held->conversation.id, limit = options.chat_max_per_agent, now](Repo& repo) {
        return store::AcceptConversationCommand(repo, *policy, agent, id, limit, now);
      },
      [now](store::ConversationUpdate& u) { return JsonResponse(200, UpdateJson(u, now)); });
}

void Api::Impl::TransferConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->staff) return Fail(c, Error::PermissionDenied("Only agents transfer conversations."));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"agent_id", "group_id"});
  auto agent_id = f.Int("agent_id");
  auto group_id = f.Int("group_id");
  if (agent_id.has_value() == group_id.has_value()) f.Fail("agent_id", "Send agent_id or group_id, one of the two.");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, actor = held->caller->user, id = held->conversation.id, agent_id, group_id, limit = options.chat_max_per_agent,
       now](Repo& repo) { return store::TransferConversationCommand(repo, *policy, actor, id, agent_id, group_id, limit, now); },
      [now](store::ConversationUpdate& u) { return JsonResponse(200, UpdateJson(u, now)); });
}

void Api::Impl::CloseConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  const core::User actor = held->caller ? held->caller->user : store::SystemUser();
  const auto reason = held->staff ? core::CloseReason::kAgent : core::CloseReason::kCustomer;
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, actor, id = held->conversation.id, reason, now](Repo& repo) {
        return store::CloseConversationCommand(repo, *policy, actor, id, reason, now);
      },
      [now](store::ConversationUpdate& u) { return JsonResponse(200, UpdateJson(u, now)); });
}

void Api::Impl::ConvertConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  // A visitor holding the conversation by its token is a customer without an account (id 0).
  core::User actor;
  if (held->caller) actor = held->caller->user;
  WriteThen<store::Converted>(
      std::move(c),
      [policy, masker = options.masker, actor, id = held->conversation.id, now](Repo& repo) {
        return store::ConvertConversationCommand(repo, *policy, *masker, actor, id, now);
      },
      [now](store::Converted& r) {
        json::object o = UpdateJson(r.update, now);
        o["ticket_number"] = r.ticket_number;
        o["created"] = r.created;
        return JsonResponse(r.created ? 201 : 200, o);
      });
}

void Api::Impl::ReadConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"seq"});
  f.Require("seq", "the newest message's sequence number read");
  auto seq = f.Int("seq");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  WriteThen<Conversation>(
      std::move(c),
      [id = held->conversation.id, by_customer = !held->staff, seq = *seq](Repo& repo) {
        return store::MarkConversationReadCommand(repo, id, by_customer, seq);
      },
      [now](Conversation& conv) { return JsonResponse(200, ConversationJson(conv, now)); });
}

void Api::Impl::LinkConversationTicket(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->caller) return Fail(c, Error::PermissionDenied("Sign in to continue on one of your tickets."));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"ticket_number"});
  f.Require("ticket_number", "the open ticket to continue");
  auto number = f.Int("ticket_number");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, actor = held->caller->user, id = held->conversation.id, number = *number, now](Repo& repo) {
        return store::LinkConversationTicketCommand(repo, *policy, actor, id, number, now);
      },
      [now](store::ConversationUpdate& u) { return JsonResponse(200, UpdateJson(u, now)); });
}

void Api::Impl::SetConversationEmail(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"email"});
  f.Require("email", "the visitor's email address");
  auto email = f.Str("email", 254);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [id = held->conversation.id, email = *email, now](Repo& repo) { return store::SetConversationEmailCommand(repo, id, email, now); },
      [now](store::ConversationUpdate& u) { return JsonResponse(200, UpdateJson(u, now)); });
}

}  // namespace chamado::http
