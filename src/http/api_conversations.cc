// Live conversations (issue 13): the widget starts one and writes in it, holding it by the
// secret token it got (X-Conversation-Token) or as a signed-in customer; agents list the
// queue, accept, write, transfer, close and convert. Handlers parse, call the store's
// commands (store/conversations.h) and render; the rules are core/conversation.h's and
// sla/live_chat.h's.
#include "auth/credentials.h"
#include "core/languages.h"
#include "core/text.h"
#include "http/api_impl.h"
#include "http/multipart.h"
#include "store/commands.h"
#include "store/whatsapp.h"

#include <spdlog/spdlog.h>

namespace chamado::http {
namespace {

using core::Conversation;
using store::Repo;

constexpr std::string_view kConversationTokenHeader = "x-conversation-token";
constexpr int kMaxListed = 200;
constexpr int kMaxMessagesRead = 500;

json::value OptId(const std::optional<core::Id>& id) { return id ? json::value(*id) : json::value(nullptr); }

// A message of conversation `id` as clients read it: the stored fields, what `extra` holds (the
// bot's options and articles, a notice's kind and facts) and where its files are fetched.
json::object MessageJson(core::Id id, const store::ConversationMessage& m) {
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
    files.push_back(json::object{{"id", a.id},
                                 {"filename", a.filename},
                                 {"content_type", a.content_type},
                                 {"size", a.size},
                                 {"url", "/api/v1/conversations/" + std::to_string(id) + "/attachments/" + std::to_string(a.id)}});
  o["attachments"] = std::move(files);
  return o;
}

json::array MessagesJson(core::Id id, const std::vector<store::ConversationMessage>& messages) {
  json::array out;
  for (const auto& m : messages) out.push_back(MessageJson(id, m));
  return out;
}

json::array ClocksJson(const std::vector<sla::Clock>& clocks, const sla::Policy& policy) {
  json::array out;
  for (const auto& k : clocks) out.push_back(ClockView(k, policy));
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
                      {"messages", MessagesJson(u.conversation.id, u.added)},
                      {"duplicate", u.duplicate}};
}

}  // namespace

uint64_t RandomBits() { return std::stoull(auth::TokenHash(auth::NewToken()).substr(0, 16), nullptr, 16); }

Result<Api::Impl::HeldConversation> Api::Impl::ConversationFor(Call& c) {
  CHAMADO_ASSIGN_OR_RETURN(const Id id, PathId(c, 0, "conversation"));
  CHAMADO_ASSIGN_OR_RETURN(auto caller, OptionalCaller(c));
  auto found = Read<std::pair<std::optional<Conversation>, std::string>>(
      [&](Repo& repo) -> Result<std::pair<std::optional<Conversation>, std::string>> {
        CHAMADO_ASSIGN_OR_RETURN(auto conv, repo.GetConversation(id));
        if (!conv) return std::pair<std::optional<Conversation>, std::string>();
        CHAMADO_ASSIGN_OR_RETURN(auto hash, repo.ConversationTokenHash(id));
        return std::make_pair(std::move(conv), std::move(hash));
      });
  if (!found.ok()) return std::move(found).error();
  const Error unknown = Error::Said(ErrorCode::kNotFound, "conversation.not_held", {{"id", std::to_string(id)}});
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
        return Fail(c, Error::InvalidSaid("status", "conversation.status_unknown", {{"value", std::string(part)}}));
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
    std::optional<json::object> whatsapp;
  };
  auto rows = Read<std::vector<Listed>>([&](Repo& repo) -> Result<std::vector<Listed>> {
    CHAMADO_ASSIGN_OR_RETURN(auto listed, repo.ListConversations(statuses, agent, kMaxListed));
    std::vector<Listed> out;
    for (auto& l : listed) {
      CHAMADO_ASSIGN_OR_RETURN(auto clocks, store::ConversationClocksNow(repo, *policy, l.conversation, now));
      CHAMADO_ASSIGN_OR_RETURN(auto whatsapp, WhatsappJson(repo, l.conversation, now));
      out.push_back({std::move(l), std::move(clocks), std::move(whatsapp)});
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
    o["clocks"] = ClocksJson(l.clocks, *policy);
    if (l.whatsapp) o["whatsapp"] = *l.whatsapp;
    if (l.row.conversation.agent_id == c.who().user.id && core::HeldByAgent(l.row.conversation)) ++held;
    items.push_back(std::move(o));
  }
  Json(c, 200, json::object{{"items", std::move(items)}, {"held", held}, {"max_per_agent", options.chat_max_per_agent}});
}

void Api::Impl::StartConversation(Call c) {
  auto caller = OptionalCaller(c);
  if (!caller.ok()) return Fail(c, caller.error());
  const Instant now = clock.Now();
  if (RefusedStartOverLimit(c, "c:", now)) return;
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"language", "email", "identity"});
  auto language = f.Str("language", 16);
  if (language && !core::IsDeskLanguage(*language)) f.Say("language", "article.language", {{"languages", core::DeskLanguageList()}});
  auto email = f.Str("email", 254);
  if (email && NormalizeEmail(*email).empty()) f.Say("email", "conversation.email_invalid", {{"value", *email}});
  auto identity = f.Str("identity", 1024);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  std::optional<core::User> customer;
  if (*caller) {
    if ((*caller)->staff()) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "conversation.customers_start"));
    customer = (*caller)->user;
  } else if (identity) {
    // The host site signed who its signed-in customer is (docs/chat.md).
    auto who = Read<core::User>([&](Repo& repo) { return store::IdentifiedCustomer(repo, *identity, now); });
    if (!who.ok()) return Fail(c, who.error());
    customer = std::move(*who);
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
    if (*a != "0" && !v) return Fail(c, Error::InvalidSaid("after", "conversation.after"));
    after = v.value_or(0);
  }
  const Instant now = clock.Now();
  auto policy = store.policy();
  const Conversation& conv = held->conversation;
  struct Read_ {
    std::vector<store::ConversationMessage> messages;
    std::vector<sla::Clock> clocks;
    std::optional<json::object> whatsapp;
  };
  auto read = Read<Read_>([&](Repo& repo) -> Result<Read_> {
    Read_ out;
    CHAMADO_ASSIGN_OR_RETURN(out.messages, repo.ConversationMessages(conv.id, after, kMaxMessagesRead));
    if (held->staff) {
      CHAMADO_ASSIGN_OR_RETURN(out.clocks, store::ConversationClocksNow(repo, *policy, conv, now));
      CHAMADO_ASSIGN_OR_RETURN(out.whatsapp, WhatsappJson(repo, conv, now));
    }
    return out;
  });
  if (!read.ok()) return Fail(c, read.error());
  json::object o = ConversationJson(conv, now);
  o["messages"] = MessagesJson(conv.id, read->messages);
  if (held->staff) o["clocks"] = ClocksJson(read->clocks, *policy);
  if (read->whatsapp) o["whatsapp"] = *read->whatsapp;
  Json(c, 200, o);
}

void Api::Impl::GetConversationAttachment(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  auto id = PathId(c, 1, "attachment");
  if (!id.ok()) return Fail(c, id.error());
  auto found = Read<std::optional<core::Attachment>>([&](Repo& repo) { return repo.ConversationAttachment(held->conversation.id, *id); });
  if (!found.ok()) return Fail(c, found.error());
  if (!*found)
    return Fail(c, Error::Said(ErrorCode::kNotFound, "conversation.no_file",
                               {{"id", held->conversation.public_id}, {"file", std::to_string(*id)}}));
  auto res = AttachmentResponse(**found);
  if (!res.ok()) return Fail(c, res.error());
  c.reply(std::move(*res));
}

namespace {

// A frame's (or a notification's) string or integer member; empty or nullopt when it is
// missing or of another type.
std::string StrOf(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
std::optional<int64_t> IntOf(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64() && v->as_uint64() < uint64_t(INT64_MAX)) return int64_t(v->as_uint64());
  return std::nullopt;
}

// What the sockets of a conversation are sent for stored changes: its messages after `after`
// (ascending), then its state.
std::vector<ChatFrame> StoredFrames(const Conversation& conv, const std::vector<store::ConversationMessage>& added, Instant now) {
  std::vector<ChatFrame> frames;
  for (const auto& m : added)
    frames.push_back({m.seq, json::serialize(json::object{{"type", "message"}, {"message", MessageJson(conv.id, m)}})});
  frames.push_back({0, json::serialize(json::object{{"type", "conversation"}, {"conversation", ConversationJson(conv, now)}})});
  return frames;
}

}  // namespace

void Api::Impl::PublishConversation(const store::ConversationUpdate& u) {
  if (u.duplicate) return;  // published when it was stored
  chat_hub.Publish(u.conversation.id, StoredFrames(u.conversation, u.added, clock.Now()));
  // The other instances read what was stored themselves: a message may not fit a notification.
  int64_t after = INT64_MAX;
  for (const auto& m : u.added) after = std::min(after, m.seq - 1);
  json::object told{{"c", u.conversation.id}};
  if (after != INT64_MAX) told["after"] = after;
  TellInstances(std::move(told));
}

void Api::Impl::PublishChatFrames(Id conversation, const std::vector<ChatFrame>& frames) {
  chat_hub.Publish(conversation, frames);
  json::array said;
  for (const auto& f : frames) said.push_back(json::string(f.json));
  TellInstances(json::object{{"c", conversation}, {"frames", std::move(said)}});
}

void Api::Impl::TellInstances(json::object chat) {
  if (!bus) return;
  chat["i"] = std::to_string(instance_id);
  const std::string payload = json::serialize(chat);
  // A frame too long to tell (a delivery report with a long error) is for this instance's
  // sockets only; the others' clients see it on their next reload.
  if (payload.size() > store::Bus::kMaxPayload) return;
  if (auto r = bus->Say("chamado_chat", payload); !r.ok()) spdlog::debug("chat frame not told to other instances: {}", r.error().message);
}

void Api::Impl::Heard(std::string_view channel, std::string_view payload) {
  if (channel.empty() || channel == "chamado_events") {
    live_feed->Ring();  // new events committed (or the bus is back: catch up)
    return;
  }
  if (channel != "chamado_chat") return;
  boost::system::error_code ec;
  const json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return;
  const json::object& o = v.as_object();
  if (StrOf(o, "i") == std::to_string(instance_id)) return;  // published here already
  const auto conversation = IntOf(o, "c");
  if (!conversation || chat_hub.Watching(*conversation) == 0) return;
  if (const auto* frames = o.if_contains("frames"); frames && frames->is_array()) {
    std::vector<ChatFrame> told;
    for (const auto& f : frames->as_array())
      if (f.is_string()) told.push_back({0, std::string(f.as_string())});
    chat_hub.Publish(*conversation, told);
    return;
  }
  const int64_t after = IntOf(o, "after").value_or(INT64_MAX);
  auto stored = Read<std::pair<std::optional<Conversation>, std::vector<store::ConversationMessage>>>(
      [&](Repo& repo) -> Result<std::pair<std::optional<Conversation>, std::vector<store::ConversationMessage>>> {
        CHAMADO_ASSIGN_OR_RETURN(auto conv, repo.GetConversation(*conversation));
        std::vector<store::ConversationMessage> added;
        if (after != INT64_MAX) {
          CHAMADO_ASSIGN_OR_RETURN(added, repo.ConversationMessages(*conversation, after, store::kMaxConversationMessages));
        }
        return std::make_pair(std::move(conv), std::move(added));
      });
  if (!stored.ok()) return spdlog::warn("chat from another instance: {}", stored.error().message);
  if (stored->first) chat_hub.Publish(*conversation, StoredFrames(*stored->first, stored->second, clock.Now()));
}

void Api::Impl::WriteConversationMessage(const Conversation& conv, bool staff, const std::optional<Caller>& caller,
                                         std::optional<std::string> text, std::optional<std::string> option, std::string client_id,
                                         StoreFiles files, std::function<void(Result<store::ConversationUpdate>)> done) {
  const Instant now = clock.Now();
  auto policy = store.policy();
  auto masker = options.masker;
  auto finish = [this, done = std::move(done)](Result<store::ConversationUpdate> r) {
    if (r.ok()) PublishConversation(*r);
    done(std::move(r));
  };
  // The files are kept once the message may be written now: a closed conversation, another
  // agent's, or one over the agent's limit refuses it with nothing stored.
  auto keep_files = [&]() -> Result<std::vector<core::Attachment>> {
    if (!files) return std::vector<core::Attachment>();
    if (conv.channel == core::Channel::kWhatsapp) return Error::InvalidSaid("attachments", "whatsapp.no_files");
    if (staff) {
      auto held = Read<int>([&](Repo& repo) { return repo.HeldBy(caller->user.id); });
      if (!held.ok()) return std::move(held).error();
      CHAMADO_TRY(core::AgentWrote(conv, caller->user.id, *held, options.chat_max_per_agent, now));
    } else {
      CHAMADO_TRY(core::CustomerWrote(conv, now));
    }
    return files();
  };
  if (staff) {
    auto kept = keep_files();
    if (!kept.ok()) return finish(std::move(kept).error());
    // On WhatsApp the reply is also queued to the customer (store/whatsapp.h).
    auto queued = [this, finish = std::move(finish)](Result<store::ConversationUpdate> r) {
      if (r.ok() && !r->duplicate && r->conversation.channel == core::Channel::kWhatsapp && options.whatsapp.queued)
        options.whatsapp.queued();
      finish(std::move(r));
    };
    store.Write<store::ConversationUpdate>(
        [policy, masker, agent = caller->user, id = conv.id, text = text.value_or(""), client_id, kept = std::move(*kept),
         limit = options.chat_max_per_agent, now](Repo& repo) {
          return store::AgentMessageOverChannelCommand(repo, *policy, *masker, agent, id, text, client_id, kept, limit, now);
        },
        std::move(queued));
    return;
  }
  const std::string key = "c:" + std::to_string(conv.id);
  if (!bot_messages_by_session.Allow(key, now))
    return finish(Error::Said(ErrorCode::kRateLimited, "conversation.rate_limited"));
  std::shared_ptr<const bot::Flow> keep;
  auto flow = ConversationFlow(conv, keep);
  if (!flow.ok()) return finish(std::move(flow).error());
  std::vector<bot::ArticleLink> found;
  if (*flow) {
    auto session = Read<std::optional<store::BotSession>>([&](Repo& repo) { return repo.GetBotSession(*conv.bot_session_id); });
    if (!session.ok()) return finish(std::move(session).error());
    if (*session) {
      auto searched = BotSearch(*keep, **session, bot::Input{option, text}, now);
      if (!searched.ok()) return finish(std::move(searched).error());
      found = std::move(*searched);
    }
  }
  auto kept = keep_files();
  if (!kept.ok()) return finish(std::move(kept).error());
  store::CustomerInput in;
  in.text = std::move(text);
  in.option = std::move(option);
  in.client_id = std::move(client_id);
  in.attachments = std::move(*kept);
  store.Write<store::ConversationUpdate>(
      [policy, masker, keep, at = *flow, id = conv.id, in, found = std::move(found), now](Repo& repo) {
        return store::CustomerMessageCommand(repo, *policy, *masker, at, id, in, found, now);
      },
      std::move(finish));
}

void Api::Impl::PostConversationMessage(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  auto call = std::make_shared<Call>(std::move(c));
  std::optional<std::string> text, option, client_id;
  StoreFiles files;
  if (IsMultipartForm(call->req.Header("content-type"))) {
    // Text and files (the widget's and the console's attach button); the parts refer into the
    // body `call` keeps.
    auto parts = ParseMultipart(call->req.Header("content-type"), call->req.body);
    if (!parts.ok()) return Fail(*call, parts.error());
    text = FormField(*parts, "text").value_or("");
    client_id = FormField(*parts, "client_id");
    if (text->size() > store::kMaxConversationTextBytes || !IsValidUtf8(*text))
      return Fail(*call, Error::InvalidSaid("text", "conversation.text_utf8", {{"bytes", std::to_string(store::kMaxConversationTextBytes)}}));
    if (client_id && client_id->size() > store::kMaxClientIdBytes)
      return Fail(*call, Error::InvalidSaid("client_id", "conversation.client_id_too_long", {{"bytes", std::to_string(store::kMaxClientIdBytes)}}));
    files = [this, call, parts = std::move(*parts)] { return StoreUploads(parts); };
  } else {
    auto body = ParseJsonObject(call->req);
    if (!body.ok()) return Fail(*call, body.error());
    Fields f(*body, {"text", "option", "client_id"});
    text = f.Str("text", store::kMaxConversationTextBytes);
    option = f.Str("option", 16);
    client_id = f.Str("client_id", store::kMaxClientIdBytes);
    if (!text && !option) f.Say("text", "conversation.text_or_option");
    if (text && option) f.Say("option", "bot.option_not_both");
    if (option && held->staff) f.Say("option", "conversation.options_customer");
    if (text && !IsValidUtf8(*text)) f.Say("text", "bot.text_utf8");
    if (auto e = f.Finish(); !e.ok()) return Fail(*call, e.error());
  }
  const std::string limiter_key = "c:" + std::to_string(held->conversation.id);
  WriteConversationMessage(held->conversation, held->staff, held->caller, text, option, client_id.value_or(""), std::move(files),
                           [this, call, limiter_key](Result<store::ConversationUpdate> r) {
                             auto reply = [this, call, limiter_key, r = std::make_shared<Result<store::ConversationUpdate>>(std::move(r))]() {
                               if (!r->ok()) {
                                 if (r->error().text_id == "whatsapp.window_closed")
                                   return call->reply(WhatsappWindowClosed(r->error(), *call));
                                 if (r->error().code != ErrorCode::kRateLimited) return Fail(*call, r->error());
                                 Response limited = ProblemResponse(r->error(), call->req.path, LanguageOf(*call));
                                 const auto wait = bot_messages_by_session.RetryAfter(limiter_key, clock.Now());
                                 limited.Set("Retry-After", std::to_string(std::max(wait, std::chrono::seconds(1)).count()));
                                 return call->reply(std::move(limited));
                               }
                               call->reply(JsonResponse((*r)->duplicate ? 200 : 201, UpdateJson(**r, clock.Now())));
                             };
                             if (call->req.post) call->req.post(std::move(reply));
                             else reply();
                           });
}

void Api::Impl::AcceptConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->staff) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "conversation.accept_agents_only"));
  const Instant now = clock.Now();
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, agent = held->caller->user, id = held->conversation.id, limit = options.chat_max_per_agent, now](Repo& repo) {
        return store::AcceptConversationCommand(repo, *policy, agent, id, limit, now);
      },
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        return JsonResponse(200, UpdateJson(u, now));
      });
}

void Api::Impl::TransferConversation(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->staff) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "conversation.transfer_agents_only"));
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"agent_id", "group_id"});
  auto agent_id = f.Int("agent_id");
  auto group_id = f.Int("group_id");
  if (agent_id.has_value() == group_id.has_value()) f.Say("agent_id", "conversation.agent_or_group");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  const Instant now = clock.Now();
  auto policy = store.policy();
  WriteThen<store::ConversationUpdate>(
      std::move(c),
      [policy, actor = held->caller->user, id = held->conversation.id, agent_id, group_id, limit = options.chat_max_per_agent,
       now](Repo& repo) { return store::TransferConversationCommand(repo, *policy, actor, id, agent_id, group_id, limit, now); },
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        return JsonResponse(200, UpdateJson(u, now));
      });
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
      [policy, masker = options.masker, actor, id = held->conversation.id, reason, now](Repo& repo) {
        return store::CloseConversationCommand(repo, *policy, *masker, actor, id, reason, now);
      },
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        return JsonResponse(200, UpdateJson(u, now));
      });
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
      [this, now](store::Converted& r) {
        PublishConversation(r.update);
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
      [this, now, by = held->staff ? "agent" : "customer", seq = *seq](Conversation& conv) {
        PublishChatFrames(conv.id, {{0, json::serialize(json::object{{"type", "read"}, {"by", by}, {"seq", seq}})}});
        return JsonResponse(200, ConversationJson(conv, now));
      });
}

void Api::Impl::LinkConversationTicket(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  if (!held->caller) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "conversation.link_sign_in"));
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
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        return JsonResponse(200, UpdateJson(u, now));
      });
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
      [this, now](store::ConversationUpdate& u) {
        PublishConversation(u);
        return JsonResponse(200, UpdateJson(u, now));
      });
}

void Api::Impl::MailConversationTranscript(Call c) {
  auto held = ConversationFor(c);
  if (!held.ok()) return Fail(c, held.error());
  WriteThen<std::string>(
      std::move(c),
      [id = held->conversation.id, now = clock.Now()](Repo& repo) { return store::MailTranscriptCommand(repo, id, now); },
      [](std::string& to) { return JsonResponse(202, json::object{{"to", to}}); });
}

void Api::Impl::RotateChatSecret(Call c) {
  auto id = PathId(c, 0, "organization");
  if (!id.ok()) return Fail(c, id.error());
  const std::string secret = auth::NewToken();
  const Id actor = c.who().user.id;
  WriteThen<bool>(
      std::move(c),
      [org = *id, secret, actor, now = clock.Now()](Repo& repo) -> Result<bool> {
        CHAMADO_TRY(store::RotateChatSecretCommand(repo, org, secret, actor, now));
        return true;
      },
      [secret, org = *id](bool&) { return JsonResponse(201, json::object{{"organization_id", org}, {"secret", secret}}); });
}

namespace {

// One WebSocket on one conversation (docs/chat.md has the frames). Until its `hello` proves
// the client holds the conversation it hears nothing; then it gets the conversation, the
// messages after the client's last one, and from there every frame the hub publishes, each
// message once and in sequence order: frames published while the stored ones are replayed wait
// and are sent after them, skipping what the replay already sent.
class ChatSocket : public std::enable_shared_from_this<ChatSocket> {
 public:
  ChatSocket(Api::Impl& api, core::Id conversation, std::optional<Caller> caller)
      : api_(api), conversation_(conversation), caller_(std::move(caller)) {}

  void Open(std::shared_ptr<StreamSink> sink) {
    std::lock_guard lock(mu_);
    sink_ = std::move(sink);
  }

  void Closed() {
    uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      id = hub_id_;
      hub_id_ = 0;
      sink_.reset();
    }
    if (id) api_.chat_hub.Leave(conversation_, id);
  }

  // Frames arrive one at a time, in order, on the connection's strand.
  void Message(const std::string& text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return Error("invalid_argument", "A frame is a JSON object with a type.");
    const json::object& o = v.as_object();
    const std::string type = StrOf(o, "type");
    if (type == "hello") return Hello(o);
    if (!held_) return Error("permission_denied", "Say hello with the conversation's token first.");
    if (type == "send") return Send(o);
    if (type == "typing") return Typing();
    if (type == "read") return Read(o);
    Error("invalid_argument", "Unknown frame type \"" + type + "\"; use hello, send, typing or read.");
  }

 private:
  void Raw(const std::string& frame) {
    std::lock_guard lock(mu_);
    if (sink_) sink_->Send(frame);
  }

  void Error(std::string_view code, std::string detail, const std::string& client_id = "") {
    json::object o{{"type", "error"}, {"code", code}, {"detail", std::move(detail)}};
    if (!client_id.empty()) o["client_id"] = client_id;
    Raw(json::serialize(o));
  }

  // Sends a published or replayed frame: a message at most once, in sequence order.
  void DeliverLocked(const ChatFrame& f) {
    if (f.seq > 0) {
      if (f.seq <= last_sent_) return;
      last_sent_ = f.seq;
    }
    if (sink_) sink_->Send(f.json);
  }

  void Hello(const json::object& o) {
    if (held_) return Error("invalid_argument", "hello was said already on this socket.");
    const std::string token = StrOf(o, "token");
    const int64_t after = IntOf(o, "after").value_or(0);
    auto found = api_.Read<std::pair<std::optional<Conversation>, std::string>>(
        [&](Repo& repo) -> Result<std::pair<std::optional<Conversation>, std::string>> {
          CHAMADO_ASSIGN_OR_RETURN(auto conv, repo.GetConversation(conversation_));
          CHAMADO_ASSIGN_OR_RETURN(auto hash, repo.ConversationTokenHash(conversation_));
          return std::make_pair(std::move(conv), std::move(hash));
        });
    if (!found.ok()) return Error("unavailable", found.error().message);
    const auto& conv = found->first;
    staff_ = caller_ && caller_->staff();
    const bool by_token = conv && !token.empty() && !found->second.empty() && auth::SameSecret(auth::TokenHash(token), found->second);
    const bool by_owner = conv && caller_ && conv->contact_id && *conv->contact_id == caller_->user.id;
    if (!conv || (!staff_ && !by_token && !by_owner))
      return Error("not_found", "No conversation " + std::to_string(conversation_) + " that you hold; send its token in hello.");
    held_ = true;
    last_sent_ = std::max<int64_t>(0, after);
    std::weak_ptr<ChatSocket> weak = weak_from_this();
    const uint64_t id = api_.chat_hub.Join(conversation_, [weak](const ChatFrame& f) {
      auto self = weak.lock();
      if (!self) return;
      std::lock_guard lock(self->mu_);
      if (self->replaying_) self->waiting_.push_back(f);
      else self->DeliverLocked(f);
    });
    {
      std::lock_guard lock(mu_);
      hub_id_ = id;
    }
    // Read after joining: what commits meanwhile is both read and published, and sent once.
    auto stored = api_.Read<std::pair<Conversation, std::vector<store::ConversationMessage>>>(
        [&](Repo& repo) -> Result<std::pair<Conversation, std::vector<store::ConversationMessage>>> {
          CHAMADO_ASSIGN_OR_RETURN(auto c, repo.GetConversation(conversation_));
          CHAMADO_ASSIGN_OR_RETURN(auto m, repo.ConversationMessages(conversation_, after, store::kMaxConversationMessages));
          return std::make_pair(c.value_or(*conv), std::move(m));
        });
    if (!stored.ok()) return Error("unavailable", stored.error().message);
    std::lock_guard lock(mu_);
    if (sink_)
      sink_->Send(json::serialize(json::object{{"type", "welcome"},
                                               {"conversation", ConversationJson(stored->first, api_.clock.Now())},
                                               {"as", staff_ ? "agent" : "customer"}}));
    for (const auto& m : stored->second)
      DeliverLocked({m.seq, json::serialize(json::object{{"type", "message"}, {"message", MessageJson(conversation_, m)}})});
    replaying_ = false;
    for (const auto& f : waiting_) DeliverLocked(f);
    waiting_.clear();
  }

  void Send(const json::object& o) {
    const std::string client_id = StrOf(o, "client_id");
    std::optional<std::string> text, option;
    if (o.contains("text")) text = StrOf(o, "text");
    if (o.contains("option")) option = StrOf(o, "option");
    if (client_id.empty() || client_id.size() > store::kMaxClientIdBytes)
      return Error("invalid_argument", "A send frame carries client_id (1 to 64 bytes): its acknowledgement names it.", client_id);
    if (text.has_value() == option.has_value() || (option && staff_))
      return Error("invalid_argument", "A send frame carries text (or, the customer, one of the bot's options).", client_id);
    if (text && (text->size() > store::kMaxConversationTextBytes || !IsValidUtf8(*text)))
      return Error("invalid_argument", "text is UTF-8 of at most " + std::to_string(store::kMaxConversationTextBytes) + " bytes.", client_id);
    auto current = api_.Read<std::optional<Conversation>>([&](Repo& repo) { return repo.GetConversation(conversation_); });
    if (!current.ok() || !*current) return Error("not_found", "The conversation is gone.", client_id);
    std::weak_ptr<ChatSocket> weak = weak_from_this();
    api_.WriteConversationMessage(**current, staff_, caller_, text, option, client_id, nullptr,
                                  [weak, client_id](Result<store::ConversationUpdate> r) {
                                    auto self = weak.lock();
                                    if (!self) return;
                                    if (!r.ok()) {
                                      // The same code the HTTP route answers with (api_whatsapp.cc).
                                      const bool window = r.error().text_id == "whatsapp.window_closed";
                                      return self->Error(window ? "whatsapp_window_closed" : ErrorCodeName(r.error().code),
                                                         r.error().MessageIn("en"), client_id);
                                    }
                                    int64_t seq = 0;
                                    for (const auto& m : r->added)
                                      if (m.client_id == client_id) seq = m.seq;
                                    self->Raw(json::serialize(json::object{
                                        {"type", "ack"}, {"client_id", client_id}, {"seq", seq}, {"duplicate", r->duplicate}}));
                                  });
  }

  void Typing() {
    uint64_t origin = 0;
    {
      std::lock_guard lock(mu_);
      origin = hub_id_;
    }
    api_.PublishChatFrames(conversation_, {{0, json::serialize(json::object{{"type", "typing"}, {"by", staff_ ? "agent" : "customer"}}), origin}});
  }

  void Read(const json::object& o) {
    const auto seq = IntOf(o, "seq");
    if (!seq) return Error("invalid_argument", "A read frame carries seq, the newest message read.");
    auto marked = api_.store.WriteSync<Conversation>(
        [&](Repo& repo) { return store::MarkConversationReadCommand(repo, conversation_, !staff_, *seq); });
    if (!marked.ok()) return Error(ErrorCodeName(marked.error().code), marked.error().message);
    api_.PublishChatFrames(conversation_, {{0, json::serialize(json::object{{"type", "read"}, {"by", staff_ ? "agent" : "customer"}, {"seq", *seq}})}});
  }

  Api::Impl& api_;
  const core::Id conversation_;
  const std::optional<Caller> caller_;
  // Touched on the connection's strand only.
  bool held_ = false;
  bool staff_ = false;
  std::mutex mu_;
  std::shared_ptr<StreamSink> sink_;  // GUARDED_BY(mu_)
  uint64_t hub_id_ = 0;               // GUARDED_BY(mu_)
  bool replaying_ = true;             // GUARDED_BY(mu_)
  std::vector<ChatFrame> waiting_;    // GUARDED_BY(mu_): published during the replay
  int64_t last_sent_ = 0;             // GUARDED_BY(mu_)
};

}  // namespace

void Api::Impl::ConversationSocket(Call c) {
  if (AsciiLower(c.req.Header("upgrade")) != "websocket")
    return Fail(c, Error::InvalidSaid("upgrade", "conversation.websocket_only"));
  auto id = PathId(c, 0, "conversation");
  if (!id.ok()) return Fail(c, id.error());
  auto caller = OptionalCaller(c);
  if (!caller.ok()) return Fail(c, caller.error());
  auto socket = std::make_shared<ChatSocket>(*this, *id, std::move(*caller));
  Response r;
  r.websocket = std::make_shared<WebSocket>();
  r.websocket->max_message_bytes = store::kMaxConversationTextBytes + 1024;
  r.websocket->open = [socket](std::shared_ptr<StreamSink> sink) { socket->Open(std::move(sink)); };
  r.websocket->message = [socket](std::string text) { socket->Message(text); };
  r.websocket->closed = [socket] { socket->Closed(); };
  c.reply(std::move(r));
}

}  // namespace chamado::http
