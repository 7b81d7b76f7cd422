// The chatbot (issue 12): its flow for administrators (read, replace with TOML text, history,
// rollback) and its conversations for any front end. A conversation is public: an anonymous
// visitor holds it by the secret token returned when it started (X-Bot-Token); a signed-in
// customer's is theirs as well.
#include <spdlog/spdlog.h>

#include "auth/credentials.h"
#include "core/languages.h"
#include "core/text.h"
#include "help/article.h"
#include "http/api_impl.h"
#include "search/query.h"
#include "store/bot.h"

namespace chamado::http {
namespace {

using store::Repo;

constexpr std::string_view kBotTokenHeader = "x-bot-token";

json::array ProblemsJson(const std::vector<FieldError>& problems) {
  json::array out;
  for (const auto& p : problems) out.push_back(json::object{{"field", p.field}, {"message", p.message}});
  return out;
}

json::object FlowJson(const store::StoredFlow& f, const std::vector<FieldError>& warnings, bool with_source) {
  json::object o{{"version", f.version},
                 {"name", f.name},
                 {"applied_at", FormatIsoUtc(f.applied_at)},
                 {"applied_by", f.applied_by ? json::value(*f.applied_by) : json::value(nullptr)},
                 {"restored_from", f.restored_from ? json::value(*f.restored_from) : json::value(nullptr)}};
  if (with_source) {
    o["source"] = f.source;
    o["warnings"] = ProblemsJson(warnings);
  }
  return o;
}

json::object TurnJson(const store::BotTurn& t) {
  json::array options, articles;
  for (const auto& c : t.options) options.push_back(json::object{{"id", c.id}, {"label", c.label}});
  for (const auto& a : t.articles) articles.push_back(json::object{{"key", a.key}, {"title", a.title}, {"url", a.url}});
  json::object o{{"seq", t.seq}, {"author", t.author}, {"text", t.text}, {"options", std::move(options)}, {"articles", std::move(articles)},
                 {"at", FormatIsoUtc(t.at)}};
  o["ticket"] = t.ticket_number ? json::value(json::object{{"number", *t.ticket_number}, {"url", "/portal/tickets/" + std::to_string(*t.ticket_number)}})
                                : json::value(nullptr);
  return o;
}

json::object SessionJson(const store::BotSession& s, const std::vector<store::BotTurn>& turns, Instant now) {
  json::array items;
  for (const auto& t : turns) items.push_back(TurnJson(t));
  const bool expired = store::BotSessionExpired(s, now);
  return json::object{{"id", s.id},
                      {"language", s.language},
                      {"flow_version", s.flow_version},
                      {"status", expired ? "expired" : std::string(bot::Name(s.state.status))},
                      {"awaiting", expired ? "nothing" : std::string(bot::Name(s.state.awaiting))},
                      {"signed_in", s.user_id.has_value()},
                      {"ticket_number", s.ticket_number ? json::value(*s.ticket_number) : json::value(nullptr)},
                      {"turn_count", s.turns},
                      {"created_at", FormatIsoUtc(s.created_at)},
                      {"updated_at", FormatIsoUtc(s.updated_at)},
                      {"turns", std::move(items)}};
}

}  // namespace

Result<std::optional<Caller>> Api::Impl::OptionalCaller(const Request& req) {
  if (req.Header("authorization").empty() && req.Cookie(kSessionCookie).empty()) return std::optional<Caller>();
  CHAMADO_ASSIGN_OR_RETURN(auto caller, Authenticate(req));
  if (caller.via_session && req.method != "GET" && !auth::SameSecret(req.Header("x-csrf-token"), caller.csrf_token))
    return Error::Said(ErrorCode::kPermissionDenied, "auth.csrf");
  return std::optional<Caller>(std::move(caller));
}

Result<std::optional<Caller>> Api::Impl::OptionalCaller(Call& c) {
  auto caller = OptionalCaller(c.req);
  if (caller.ok() && *caller) c.caller = **caller;
  return caller;
}

Result<std::shared_ptr<const bot::Flow>> Api::Impl::BotFlowAt(int64_t version) {
  {
    std::lock_guard lock(bot_flows_mu);
    if (auto it = bot_flows.find(version); it != bot_flows.end()) return it->second;
  }
  auto stored = Read<std::optional<store::StoredFlow>>([&](Repo& repo) { return repo.FlowAt(version); });
  if (!stored.ok()) return std::move(stored).error();
  if (!*stored) return Error::Said(ErrorCode::kNotFound, "bot.no_flow_version", {{"version", std::to_string(version)}});
  // Checked against the policy when applied; read again as it was.
  auto parsed = bot::ParseFlow((*stored)->source, "bot flow v" + std::to_string(version), nullptr);
  if (!parsed.ok()) return std::move(parsed).error();
  auto flow = std::make_shared<const bot::Flow>(std::move(parsed->flow));
  std::lock_guard lock(bot_flows_mu);
  return bot_flows.emplace(version, flow).first->second;
}

void Api::Impl::GetBotFlow(Call c) {
  auto stored = Read<std::optional<store::StoredFlow>>([](Repo& repo) { return repo.LatestFlow(); });
  if (!stored.ok()) return Fail(c, stored.error());
  if (!*stored) return Fail(c, Error::Said(ErrorCode::kNotFound, "bot.no_flow_yet"));
  auto parsed = bot::ParseFlow((*stored)->source, "bot.toml", store.policy().get());
  // A policy applied since may have dropped a category or calendar the flow names: shown, not hidden.
  std::vector<FieldError> warnings = parsed.ok() ? parsed->warnings : parsed.error().fields;
  Json(c, 200, FlowJson(**stored, warnings, true));
}

void Api::Impl::ApplyBotFlow(Call c, const std::string& source, std::optional<int64_t> restored_from) {
  auto parsed = bot::ParseFlow(source, "bot.toml", store.policy().get());
  if (!parsed.ok()) return Fail(c, parsed.error());
  auto flow = std::make_shared<bot::ParsedFlow>(std::move(*parsed));
  const Instant now = clock.Now();
  const core::Id actor = c.who().user.id;
  WriteThen<store::StoredFlow>(
      std::move(c),
      [flow, actor, restored_from, now](Repo& repo) -> Result<store::StoredFlow> {
        CHAMADO_ASSIGN_OR_RETURN(const int64_t version, store::ApplyBotFlowCommand(repo, flow->flow, actor, restored_from, now));
        return store::StoredFlow{version, flow->flow.name, flow->flow.source, now, actor, restored_from};
      },
      [flow](store::StoredFlow& f) { return JsonResponse(200, FlowJson(f, flow->warnings, true)); });
}

void Api::Impl::PutBotFlow(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"source"});
  f.Require("source", "the flow file's TOML text");
  auto source = f.Str("source", bot::kMaxFlowBytes);
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  ApplyBotFlow(std::move(c), *source, std::nullopt);
}

void Api::Impl::BotFlowHistory(Call c) {
  auto history = Read<std::vector<store::StoredFlow>>([](Repo& repo) { return repo.FlowHistory(); });
  if (!history.ok()) return Fail(c, history.error());
  json::array items;
  for (const auto& f : *history) items.push_back(FlowJson(f, {}, false));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::RollbackBotFlow(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"version"});
  f.Require("version", "the version to go back to");
  auto version = f.Int("version");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto stored = Read<std::optional<store::StoredFlow>>([&](Repo& repo) { return repo.FlowAt(*version); });
  if (!stored.ok()) return Fail(c, stored.error());
  if (!*stored) return Fail(c, Error::InvalidSaid("version", "bot.no_flow_version_restore", {{"version", std::to_string(*version)}}));
  ApplyBotFlow(std::move(c), (*stored)->source, *version);
}

void Api::Impl::BotDeflections(Call c) {
  auto counts = Read<std::vector<Repo::Deflections>>([](Repo& repo) { return repo.DeflectionCounts(); });
  if (!counts.ok()) return Fail(c, counts.error());
  json::array items;
  for (const auto& d : *counts) items.push_back(json::object{{"key", d.article_key}, {"count", d.count}});
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateBotSession(Call c) {
  auto caller = OptionalCaller(c);
  if (!caller.ok()) return Fail(c, caller.error());
  const Instant now = clock.Now();
  if (RefusedStartOverLimit(c, "a:", now)) return;
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"language"});
  auto language = f.Str("language", 16);
  if (language && !core::IsDeskLanguage(*language)) f.Say("language", "article.language", {{"languages", core::DeskLanguageList()}});
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto latest = Read<std::optional<store::StoredFlow>>([](Repo& repo) { return repo.LatestFlow(); });
  if (!latest.ok()) return Fail(c, latest.error());
  if (!*latest) return Fail(c, Error::Said(ErrorCode::kNotFound, "bot.no_flow"));
  const int64_t version = (*latest)->version;
  auto flow = BotFlowAt(version);
  if (!flow.ok()) return Fail(c, flow.error());
  std::optional<core::User> customer;
  if (*caller) customer = (*caller)->user;
  std::string lang = language.value_or("");
  if (lang.empty() && customer && core::IsDeskLanguage(customer->language)) lang = customer->language;
  if (lang.empty()) lang = (*flow)->default_language;
  const std::string token = auth::NewToken();
  auto policy = store.policy();
  WriteThen<store::BotReply>(
      std::move(c),
      [policy, version, flow = *flow, customer, lang, hash = auth::TokenHash(token), now](Repo& repo) {
        return store::StartBotSessionCommand(repo, *policy, version, *flow, customer, lang, hash, now);
      },
      [token, now](store::BotReply& r) {
        json::object o = SessionJson(r.session, r.turns, now);
        o["token"] = token;
        return JsonResponse(201, o);
      });
}

bool Api::Impl::RefusedStartOverLimit(Call& c, std::string_view kind, Instant now) {
  const std::string address = std::string(kind) + ClientAddress(c.req, options.trusted_proxies);
  if (bot_sessions_by_address.Allow(address, now)) return false;
  const auto wait = std::max(bot_sessions_by_address.RetryAfter(address, now), std::chrono::seconds(1));
  Response r = ProblemResponse(
      Error::Said(ErrorCode::kRateLimited, "bot.too_many_sessions", {{"minutes", std::to_string((wait.count() + 59) / 60)}}), c.req.path,
      LanguageOf(c));
  r.Set("Retry-After", std::to_string(wait.count()));
  c.reply(std::move(r));
  return true;
}

// The session `c` names, when the caller holds it: its token, or its signed-in customer.
Result<store::BotSession> Api::Impl::HeldBotSession(const Call& c, const std::optional<Caller>& caller) {
  auto id = PathId(c, 0, "session");
  if (!id.ok()) return std::move(id).error();
  auto s = Read<std::optional<store::BotSession>>([&](Repo& repo) { return repo.GetBotSession(*id); });
  if (!s.ok()) return std::move(s).error();
  const Error unknown = Error::Said(ErrorCode::kNotFound, "bot.session_not_held", {{"id", std::to_string(*id)}});
  if (!*s) return unknown;
  const std::string_view token = c.req.Header(kBotTokenHeader);
  const bool by_token = !token.empty() && auth::SameSecret(auth::TokenHash(token), (*s)->token_hash);
  const bool by_owner = caller && (*s)->user_id && *(*s)->user_id == caller->user.id;
  if (!by_token && !by_owner) return unknown;
  return std::move(**s);
}

void Api::Impl::GetBotSession(Call c) {
  auto caller = OptionalCaller(c);
  if (!caller.ok()) return Fail(c, caller.error());
  auto s = HeldBotSession(c, *caller);
  if (!s.ok()) return Fail(c, s.error());
  auto turns = Read<std::vector<store::BotTurn>>([&](Repo& repo) { return repo.BotTurns(s->id); });
  if (!turns.ok()) return Fail(c, turns.error());
  Json(c, 200, SessionJson(*s, *turns, clock.Now()));
}

Result<std::vector<bot::ArticleLink>> Api::Impl::BotSearch(const bot::Flow& flow, const store::BotSession& s, const bot::Input& input,
                                                           Instant now) {
  // A search runs before the transaction (the index is outside it); the step checks that the
  // session is still where it was.
  std::vector<bot::ArticleLink> found;
  const bot::Node* node = flow.Find(s.state.node);
  if (node && node->kind == bot::NodeKind::kSearch && s.state.awaiting == bot::Awaiting::kWords && input.text &&
      !Trim(*input.text).empty() && !store::BotSessionExpired(s, now)) {
    store::ArticleSearch q;
    q.words = search::ParseQuestion(*input.text);
    q.language = s.language;
    q.product = node->product;
    q.limit = node->limit;
    CHAMADO_ASSIGN_OR_RETURN(auto hits, store.SearchArticles(q));
    for (const auto& h : hits) found.push_back({h.article.key, h.article.title, help::ArticlePath(h.article)});
  }
  return found;
}

void Api::Impl::PostBotMessage(Call c) {
  auto caller = OptionalCaller(c);
  if (!caller.ok()) return Fail(c, caller.error());
  auto s = HeldBotSession(c, *caller);
  if (!s.ok()) return Fail(c, s.error());
  const Instant now = clock.Now();
  const std::string key = "s:" + std::to_string(s->id);
  if (!bot_messages_by_session.Allow(key, now)) {
    Response r = ProblemResponse(Error::Said(ErrorCode::kRateLimited, "conversation.rate_limited"), c.req.path, LanguageOf(c));
    r.Set("Retry-After", std::to_string(std::max(bot_messages_by_session.RetryAfter(key, now), std::chrono::seconds(1)).count()));
    return c.reply(std::move(r));
  }
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"option", "text"});
  bot::Input input;
  input.option = f.Str("option", 16);
  input.text = f.Str("text", store::kMaxBotTextBytes);
  if (!input.option && !input.text) f.Say("text", "bot.option_id_or_text");
  if (input.option && input.text) f.Say("option", "bot.option_not_both");
  if (input.text && !IsValidUtf8(*input.text)) f.Say("text", "bot.text_utf8");
  if (auto e = f.Finish(); !e.ok()) return Fail(c, e.error());
  auto flow = BotFlowAt(s->flow_version);
  if (!flow.ok()) return Fail(c, flow.error());
  auto searched = BotSearch(**flow, *s, input, now);
  if (!searched.ok()) return Fail(c, searched.error());
  std::vector<bot::ArticleLink> found = std::move(*searched);
  auto policy = store.policy();
  // Handed to a person: the customer goes on in a live conversation (its token, to the caller).
  struct Stepped {
    store::BotReply reply;
    std::optional<store::ConversationUpdate> live;
  };
  const std::string live_token = auth::NewToken();
  WriteThen<Stepped>(
      std::move(c),
      [policy, masker = options.masker, flow = *flow, id = s->id, seen = s->turns, input, found = std::move(found),
       hash = auth::TokenHash(live_token), bits = RandomBits(), now](Repo& repo) -> Result<Stepped> {
        Stepped out;
        CHAMADO_ASSIGN_OR_RETURN(out.reply, store::BotMessageCommand(repo, *policy, *masker, *flow, id, seen, input, found, now));
        CHAMADO_ASSIGN_OR_RETURN(out.live, store::ContinueBotSessionLiveCommand(repo, *policy, id, hash, bits, now));
        return out;
      },
      [this, live_token, now](Stepped& r) {
        json::object o = SessionJson(r.reply.session, r.reply.turns, now);
        if (r.live) {
          PublishConversation(*r.live);
          o["conversation"] = json::object{{"id", r.live->conversation.id},
                                           {"chat_id", r.live->conversation.public_id},
                                           {"status", core::Name(r.live->conversation.status)},
                                           {"token", live_token}};
        }
        return JsonResponse(200, o);
      });
}

}  // namespace chamado::http
