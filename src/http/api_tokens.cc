// /api/v1/tokens: API tokens. A person lists, creates and revokes their own; administrators
// everyone's (and create one for anybody, as `chamado token create` does). A token is shown
// once, when created; afterwards only its name, owner and last use.
#include "auth/credentials.h"
#include "core/text.h"
#include "http/api_impl.h"

namespace chamado::http {
namespace {

using store::Repo;
using Token = store::DirectoryRepo::ApiToken;

constexpr size_t kMaxNameCharacters = 100;

json::object TokenJson(const Token& t) {
  return json::object{{"id", t.id},
                      {"name", t.name},
                      {"user", json::object{{"id", t.user_id}, {"email", t.email}}},
                      {"created_at", InstantJson(t.created_at)},
                      {"last_used_at", t.last_used_at ? json::value(InstantJson(*t.last_used_at)) : json::value(nullptr)}};
}

Error NoSuchToken(Id id) { return Error::Said(ErrorCode::kNotFound, "token.not_found", {{"id", std::to_string(id)}}); }

}  // namespace

void Api::Impl::ListTokens(Call c) {
  std::optional<Id> whose;
  if (!c.who().admin()) whose = c.who().user.id;
  if (auto v = c.req.Query("user_id")) {
    auto id = ParseId(*v);
    if (!id) return Fail(c, Error::InvalidSaid("user_id", "token.user_id"));
    if (!c.who().admin() && *id != c.who().user.id)
      return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "token.others_admins_see"));
    whose = *id;
  }
  auto r = Read<std::vector<Token>>([whose](Repo& repo) { return repo.ListApiTokens(whose); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& t : *r) items.push_back(TokenJson(t));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateToken(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  Fields f(*body, {"name", "user_id"});
  f.Require("name", "what the token is for, such as \"CRM integration\"");
  std::string name;
  if (auto n = f.Str("name", 4 * kMaxNameCharacters)) {
    name = std::string(Trim(*n));
    const size_t chars = Utf8Length(name);
    if (chars == 0 || chars > kMaxNameCharacters) f.Say("name", "token.name_length");
  }
  Id owner = c.who().user.id;
  if (auto id = f.Int("user_id")) {
    if (*id != owner && !c.who().admin()) f.Say("user_id", "token.others_admins_create");
    owner = *id;
  }
  if (auto done = f.Finish(); !done.ok()) return Fail(c, done.error());
  const std::string secret = auth::NewToken();
  const Instant now = clock.Now();
  WriteThen<Token>(
      std::move(c),
      [owner, name, hash = auth::TokenHash(secret), now](Repo& repo) -> Result<Token> {
        CHAMADO_ASSIGN_OR_RETURN(auto user, repo.GetUser(owner));
        if (!user) return Error::InvalidSaid("user_id", "token.nobody", {{"id", std::to_string(owner)}});
        if (!user->active) return Error::InvalidSaid("user_id", "token.owner_deactivated", {{"email", user->email}});
        CHAMADO_ASSIGN_OR_RETURN(const Id id, repo.InsertApiToken(owner, hash, name, now));
        CHAMADO_ASSIGN_OR_RETURN(auto made, repo.GetApiToken(id));
        if (!made) return Error::Internal("The token just created is gone.");
        return *made;
      },
      [secret](Token& made) {
        json::object o = TokenJson(made);
        o["token"] = secret;
        Response r = JsonResponse(201, o);
        r.Set("Location", "/api/v1/tokens/" + std::to_string(made.id));
        r.Set("Cache-Control", "no-store");
        return r;
      });
}

void Api::Impl::RevokeToken(Call c) {
  auto id = PathId(c, 0, "API token");
  if (!id.ok()) return Fail(c, id.error());
  const Id me = c.who().user.id;
  const bool admin = c.who().admin();
  WriteThen<bool>(
      std::move(c),
      [me, admin, id = *id](Repo& repo) -> Result<bool> {
        CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetApiToken(id));
        if (!t || (!admin && t->user_id != me)) return NoSuchToken(id);  // another's is not even there
        CHAMADO_TRY(repo.RevokeApiToken(id));
        return true;
      },
      [](bool&) { return NoContent(); });
}

}  // namespace chamado::http
