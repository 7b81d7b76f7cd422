#include "store/repo_bot.h"

#include <boost/json.hpp>

namespace chamado::store {
namespace json = boost::json;
namespace {

StoredFlow FlowOf(const RowView& r) {
  StoredFlow f;
  f.version = r.Int(0);
  f.name = r.Str(1);
  f.source = r.Str(2);
  f.applied_at = FromUnixMillis(r.Int(3));
  f.applied_by = r.OptInt(4);
  f.restored_from = r.OptInt(5);
  return f;
}

std::string ScratchJson(const bot::State& s) {
  json::array shown;
  for (const auto& k : s.shown) shown.emplace_back(k);
  return json::serialize(json::object{{"description", s.description}, {"shown", std::move(shown)}});
}

BotSession SessionOf(const RowView& r) {
  BotSession s;
  s.id = r.Int(0);
  s.token_hash = r.Str(1);
  s.user_id = r.OptInt(2);
  s.flow_version = r.Int(3);
  s.language = r.Str(4);
  s.state.node = r.Str(5);
  s.state.awaiting = bot::ParseAwaiting(r.Text(6)).value_or(bot::Awaiting::kNothing);
  s.state.status = bot::ParseStatus(r.Text(7)).value_or(bot::Status::kEnded);
  boost::system::error_code ec;
  json::value scratch = json::parse(r.Text(8), ec);
  if (!ec && scratch.is_object()) {
    const auto& o = scratch.as_object();
    if (auto* d = o.if_contains("description"); d && d->is_string()) s.state.description = std::string(d->as_string());
    if (auto* a = o.if_contains("shown"); a && a->is_array())
      for (const auto& k : a->as_array())
        if (k.is_string()) s.state.shown.emplace_back(k.as_string());
  }
  s.ticket_number = r.OptInt(9);
  s.turns = int(r.Int(10));
  s.created_at = FromUnixMillis(r.Int(11));
  s.updated_at = FromUnixMillis(r.Int(12));
  return s;
}

std::string TurnBody(const BotTurn& t) {
  json::object body{{"text", t.text}};
  if (!t.options.empty()) {
    json::array options;
    for (const auto& o : t.options) options.push_back(json::object{{"id", o.id}, {"label", o.label}});
    body["options"] = std::move(options);
  }
  if (!t.articles.empty()) {
    json::array articles;
    for (const auto& a : t.articles) articles.push_back(json::object{{"key", a.key}, {"title", a.title}, {"url", a.url}});
    body["articles"] = std::move(articles);
  }
  if (t.ticket_number) body["ticket_number"] = *t.ticket_number;
  return json::serialize(body);
}

std::string Str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<std::optional<StoredFlow>> BotRepo::LatestFlow() {
  std::optional<StoredFlow> out;
  CHAMADO_TRY(c_.Run("SELECT version, name, source, applied_at, applied_by, restored_from FROM bot_flows ORDER BY version DESC LIMIT 1", {},
                     [&](const RowView& r) { out = FlowOf(r); }));
  return out;
}

Result<std::optional<StoredFlow>> BotRepo::FlowAt(int64_t version) {
  std::optional<StoredFlow> out;
  CHAMADO_TRY(c_.Run("SELECT version, name, source, applied_at, applied_by, restored_from FROM bot_flows WHERE version = $1", {version},
                     [&](const RowView& r) { out = FlowOf(r); }));
  return out;
}

Result<std::vector<StoredFlow>> BotRepo::FlowHistory() {
  std::vector<StoredFlow> out;
  CHAMADO_TRY(c_.Run("SELECT version, name, '', applied_at, applied_by, restored_from FROM bot_flows ORDER BY version DESC", {},
                     [&](const RowView& r) { out.push_back(FlowOf(r)); }));
  return out;
}

Result<int64_t> BotRepo::InsertFlow(const StoredFlow& f) {
  int64_t version = 0;
  CHAMADO_TRY(c_.Run("INSERT INTO bot_flows (name, source, applied_at, applied_by, restored_from) VALUES ($1, $2, $3, $4, $5) RETURNING version",
                     {f.name, f.source, ToUnixMillis(f.applied_at), f.applied_by, f.restored_from},
                     [&](const RowView& r) { version = r.Int(0); }));
  return version;
}

Result<BotSession> BotRepo::InsertBotSession(BotSession s) {
  CHAMADO_TRY(c_.Run("INSERT INTO bot_sessions (token_hash, user_id, flow_version, language, node, awaiting, status, scratch, ticket_number, "
                     "turns, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                     {s.token_hash, s.user_id, s.flow_version, s.language, s.state.node, bot::Name(s.state.awaiting),
                      bot::Name(s.state.status), ScratchJson(s.state), s.ticket_number, s.turns, ToUnixMillis(s.created_at),
                      ToUnixMillis(s.updated_at)},
                     [&](const RowView& r) { s.id = r.Int(0); }));
  return s;
}

Result<std::optional<BotSession>> BotRepo::GetBotSession(core::Id id) {
  std::optional<BotSession> out;
  CHAMADO_TRY(c_.Run("SELECT id, token_hash, user_id, flow_version, language, node, awaiting, status, scratch, ticket_number, turns, "
                     "created_at, updated_at FROM bot_sessions WHERE id = $1",
                     {id}, [&](const RowView& r) { out = SessionOf(r); }));
  return out;
}

Result<void> BotRepo::UpdateBotSession(const BotSession& s) {
  CHAMADO_TRY(c_.Run("UPDATE bot_sessions SET node = $2, awaiting = $3, status = $4, scratch = $5, ticket_number = $6, turns = $7, "
                     "updated_at = $8 WHERE id = $1",
                     {s.id, s.state.node, bot::Name(s.state.awaiting), bot::Name(s.state.status), ScratchJson(s.state), s.ticket_number,
                      s.turns, ToUnixMillis(s.updated_at)}));
  return {};
}

Result<void> BotRepo::InsertBotTurn(core::Id session, const BotTurn& t) {
  CHAMADO_TRY(c_.Run("INSERT INTO bot_turns (session_id, seq, author, body, at) VALUES ($1, $2, $3, $4, $5)",
                     {session, t.seq, t.author, TurnBody(t), ToUnixMillis(t.at)}));
  return {};
}

Result<std::vector<BotTurn>> BotRepo::BotTurns(core::Id session) {
  std::vector<BotTurn> out;
  CHAMADO_TRY(c_.Run("SELECT seq, author, body, at FROM bot_turns WHERE session_id = $1 ORDER BY seq", {session}, [&](const RowView& r) {
    BotTurn t;
    t.seq = int(r.Int(0));
    t.author = r.Str(1);
    t.at = FromUnixMillis(r.Int(3));
    boost::system::error_code ec;
    json::value body = json::parse(r.Text(2), ec);
    if (!ec && body.is_object()) {
      const auto& o = body.as_object();
      t.text = Str(o, "text");
      if (auto* a = o.if_contains("options"); a && a->is_array())
        for (const auto& v : a->as_array())
          if (v.is_object()) t.options.push_back({Str(v.as_object(), "id"), Str(v.as_object(), "label")});
      if (auto* a = o.if_contains("articles"); a && a->is_array())
        for (const auto& v : a->as_array())
          if (v.is_object()) t.articles.push_back({Str(v.as_object(), "key"), Str(v.as_object(), "title"), Str(v.as_object(), "url")});
      if (auto* n = o.if_contains("ticket_number"); n && n->is_int64()) t.ticket_number = n->as_int64();
    }
    out.push_back(std::move(t));
  }));
  return out;
}

Result<void> BotRepo::InsertDeflection(std::string_view article_key, core::Id session, Instant at) {
  CHAMADO_TRY(c_.Run("INSERT INTO bot_deflections (article_key, session_id, at) VALUES ($1, $2, $3)", {article_key, session, ToUnixMillis(at)}));
  return {};
}

Result<std::vector<BotRepo::Deflections>> BotRepo::DeflectionCounts() {
  std::vector<Deflections> out;
  CHAMADO_TRY(c_.Run("SELECT article_key, count(*) AS n FROM bot_deflections GROUP BY article_key ORDER BY n DESC, article_key", {},
                     [&](const RowView& r) { out.push_back({r.Str(0), r.Int(1)}); }));
  return out;
}

Result<int64_t> BotRepo::PruneBotTranscripts(Instant idle_before, int limit) {
  std::vector<core::Id> ids;
  // Every status named, so the (status, updated_at) index serves the range.
  CHAMADO_TRY(c_.Run("SELECT id FROM bot_sessions WHERE status IN ('active', 'ended', 'waiting_for_agent', 'ticket_opened') "
                     "AND updated_at < $1 AND EXISTS (SELECT 1 FROM bot_turns t WHERE t.session_id = bot_sessions.id) LIMIT $2",
                     {ToUnixMillis(idle_before), limit}, [&](const RowView& r) { ids.push_back(r.Int(0)); }));
  for (const core::Id id : ids) {
    CHAMADO_TRY(c_.Run("DELETE FROM bot_turns WHERE session_id = $1", {id}));
    CHAMADO_TRY(c_.Run("UPDATE bot_sessions SET scratch = '{}' WHERE id = $1", {id}));
  }
  return int64_t(ids.size());
}

}  // namespace chamado::store
