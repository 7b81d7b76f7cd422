// /api/v1/views: an agent's saved searches. The query is checked by the search's own parser
// before it is kept, so a view always opens on results or on the search's own 400.
#include "core/text.h"
#include "http/api_impl.h"
#include "search/query.h"

namespace chamado::http {
namespace {

using store::Repo;
using store::SavedView;

constexpr size_t kMaxNameCharacters = 100;
constexpr size_t kMaxQueryBytes = 1000;  // as GET /search/tickets
constexpr int64_t kMaxPosition = 10000;

struct ViewInput {
  std::optional<std::string> name;
  std::optional<std::string> query;
  std::optional<bool> pinned;
  std::optional<int64_t> position;
};

Result<ViewInput> ReadView(const json::object& body, bool create) {
  Fields f(body, {"name", "query", "pinned", "position"});
  ViewInput in;
  if (create) {
    f.Require("name", "what the view is called, such as \"My open P1s\"");
    f.Require("query", "the search the view runs, such as \"status:open priority:P1 assignee:me\"");
  }
  if (auto name = f.Str("name", 4 * kMaxNameCharacters)) {
    in.name = std::string(Trim(*name));
    const size_t n = Utf8Length(*in.name);
    if (n == 0 || n > kMaxNameCharacters) f.Fail("name", "A view's name is 1 to 100 characters long.");
  }
  if (auto query = f.Str("query", kMaxQueryBytes)) {
    in.query = std::string(Trim(*query));
    auto parsed = search::ParseTicketQuery(*in.query);
    if (in.query->empty()) f.Fail("query", "Write the search the view runs, such as \"status:open priority:P1\".");
    else if (!parsed.ok()) f.Fail("query", parsed.error().message);
  }
  in.pinned = f.Bool("pinned");
  in.position = f.Int("position");
  if (in.position && (*in.position < 0 || *in.position > kMaxPosition))
    f.Fail("position", "position is a number from 0 to " + std::to_string(kMaxPosition) + ".");
  CHAMADO_TRY(f.Finish());
  return in;
}

json::object ViewJson(const SavedView& v) {
  return json::object{{"id", v.id},
                      {"name", v.name},
                      {"query", v.query},
                      {"pinned", v.pinned},
                      {"position", v.position},
                      {"created_at", InstantJson(v.created_at)}};
}

Error NoSuchView(Id id) { return Error::Said(ErrorCode::kNotFound, "view.not_found", {{"id", std::to_string(id)}}); }

}  // namespace

void Api::Impl::ListViews(Call c) {
  const Id me = c.who().user.id;
  auto r = Read<std::vector<SavedView>>([me](Repo& repo) { return repo.ListViews(me); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& v : *r) items.push_back(ViewJson(v));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateView(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadView(*body, true);
  if (!in.ok()) return Fail(c, in.error());
  SavedView v{0, c.who().user.id, *in->name, *in->query, in->pinned.value_or(false), 0, clock.Now()};
  WriteThen<SavedView>(
      std::move(c), [v](Repo& repo) { return repo.InsertView(v); },
      [](SavedView& made) {
        Response r = JsonResponse(201, ViewJson(made));
        r.Set("Location", "/api/v1/views/" + std::to_string(made.id));
        return r;
      });
}

void Api::Impl::PatchView(Call c) {
  auto id = PathId(c, 0, "View");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadView(*body, false);
  if (!in.ok()) return Fail(c, in.error());
  const Id me = c.who().user.id;
  WriteThen<SavedView>(
      std::move(c),
      [in = *in, me, id = *id](Repo& repo) -> Result<SavedView> {
        CHAMADO_ASSIGN_OR_RETURN(auto v, repo.GetView(me, id));
        if (!v) return NoSuchView(id);
        if (in.name) v->name = *in.name;
        if (in.query) v->query = *in.query;
        if (in.pinned) v->pinned = *in.pinned;
        if (in.position) v->position = *in.position;
        CHAMADO_TRY(repo.UpdateView(*v));
        return *v;
      },
      [](SavedView& v) { return JsonResponse(200, ViewJson(v)); });
}

void Api::Impl::DeleteView(Call c) {
  auto id = PathId(c, 0, "View");
  if (!id.ok()) return Fail(c, id.error());
  const Id me = c.who().user.id;
  WriteThen<bool>(
      std::move(c),
      [me, id = *id](Repo& repo) -> Result<bool> {
        CHAMADO_ASSIGN_OR_RETURN(auto gone, repo.DeleteView(me, id));
        if (!gone) return NoSuchView(id);
        return true;
      },
      [](bool&) { return NoContent(); });
}

}  // namespace chamado::http
