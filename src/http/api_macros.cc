// /api/v1/macros: canned replies (core/macros.h). Personal ones are their agent's alone; shared
// ones are read by every agent and changed by admins only. The preview fills a macro for one
// ticket and returns its text and field changes: the composer inserts the text, and the
// fields are set when the reply is sent, through PATCH /tickets/{number}, so a macro never
// writes to a ticket itself.
#include "core/macros.h"
#include "core/text.h"
#include "core/ticket.h"
#include "http/api_impl.h"
#include "sla/calendar.h"
#include "store/service_level.h"

namespace chamado::http {
namespace {

using store::Macro;
using store::Repo;

constexpr size_t kMaxNameCharacters = 100;
constexpr size_t kMaxBodyBytes = 20000;

struct MacroInput {
  std::optional<std::string> name;
  std::optional<std::string> body;
  std::optional<bool> shared;
  // Each present key replaces that field; null clears it.
  std::optional<std::optional<core::Status>> status;
  std::optional<std::optional<std::string>> priority;
  std::optional<std::vector<std::string>> add_tags;
  std::optional<std::optional<Id>> group_id;
};

Result<MacroInput> ReadMacro(const json::object& body, bool create, const core::PriorityScale& priorities) {
  Fields f(body, {"name", "body", "shared", "status", "priority", "add_tags", "group_id"});
  MacroInput in;
  if (create) {
    f.Require("name", "what the macro is called in the picker, such as \"Refund issued\"");
    f.Require("body", "the reply's text, such as \"Hi {{customer.name}}, ...\"");
  }
  if (auto name = f.Str("name", 4 * kMaxNameCharacters)) {
    in.name = std::string(Trim(*name));
    const size_t n = Utf8Length(*in.name);
    if (n == 0 || n > kMaxNameCharacters) f.Say("name", "macro.name_length");
  }
  if (auto text = f.Str("body", kMaxBodyBytes)) {
    in.body = *text;
    if (Trim(*in.body).empty()) f.Say("body", "macro.body_empty");
    else if (auto checked = core::CheckMacroBody(*in.body); !checked.ok()) f.Merge(checked.error().fields);
  }
  in.shared = f.Bool("shared");
  if (auto s = f.NullableStr("status", 32)) {
    in.status = std::optional<core::Status>();
    if (*s) {
      in.status = core::ParseStatus(**s);
      if (!*in.status) f.Say("status", "ticket.status_unknown", {{"value", **s}, {"accepted", core::StatusNames()}});
    }
  }
  if (auto p = f.NullableStr("priority", 64)) {
    in.priority = *p;
    core::MacroFields probe;
    probe.priority = *p;
    if (auto checked = core::CheckMacroFields(probe, priorities); !checked.ok()) f.Merge(checked.error().fields);
  }
  if (auto tags = f.StrList("add_tags", 50)) {
    auto normal = core::NormalizeTags(*tags, "add_tags");
    if (normal.ok()) in.add_tags = std::move(*normal);
    else f.Merge(normal.error().fields);
  }
  in.group_id = f.NullableInt("group_id");
  CHAMADO_TRY(f.Finish());
  return in;
}

// Fills `m` from `in` and checks what needs the database: the group exists.
Result<void> Apply(const MacroInput& in, Macro& m, Repo& repo) {
  if (in.name) m.name = *in.name;
  if (in.body) m.body = *in.body;
  if (in.status) m.fields.status = *in.status;
  if (in.priority) m.fields.priority = *in.priority;
  if (in.add_tags) m.fields.add_tags = *in.add_tags;
  if (in.group_id) m.fields.group_id = *in.group_id;
  if (m.fields.group_id) {
    CHAMADO_ASSIGN_OR_RETURN(auto g, repo.GetGroup(*m.fields.group_id));
    if (!g) return Error::InvalidSaid("group_id", "directory.group_missing", {{"id", std::to_string(*m.fields.group_id)}});
  }
  return Ok();
}

json::object FieldsJson(const core::MacroFields& f) {
  json::array tags;
  for (const auto& t : f.add_tags) tags.emplace_back(t);
  return json::object{{"status", f.status ? json::value(core::Name(*f.status)) : json::value(nullptr)},
                      {"priority", f.priority ? json::value(*f.priority) : json::value(nullptr)},
                      {"add_tags", std::move(tags)},
                      {"group_id", f.group_id ? json::value(*f.group_id) : json::value(nullptr)}};
}

json::object MacroJson(const Macro& m, Id me, bool admin) {
  json::object o = FieldsJson(m.fields);
  o["id"] = m.id;
  o["name"] = m.name;
  o["body"] = m.body;
  o["shared"] = m.shared();
  o["editable"] = m.shared() ? admin : m.owner_id == me;
  o["created_at"] = InstantJson(m.created_at);
  o["updated_at"] = InstantJson(m.updated_at);
  return o;
}

Error NoSuchMacro(Id id) { return Error::Said(ErrorCode::kNotFound, "macro.not_found", {{"id", std::to_string(id)}}); }
Error SharedForAdmins() { return Error::Said(ErrorCode::kPermissionDenied, "macro.shared_admins_change"); }

// The macro `id` as the caller may change it: their own personal one, or a shared one when
// they are an admin.
Result<Macro> Changeable(Repo& repo, const Caller& who, Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto m, repo.GetMacro(who.user.id, id));
  if (!m) return NoSuchMacro(id);
  if (m->shared() && !who.admin()) return SharedForAdmins();
  return *m;
}

}  // namespace

void Api::Impl::ListMacros(Call c) {
  const Id me = c.who().user.id;
  auto r = Read<std::vector<Macro>>([me](Repo& repo) { return repo.ListMacros(me); });
  if (!r.ok()) return Fail(c, r.error());
  json::array items;
  for (const auto& m : *r) items.push_back(MacroJson(m, me, c.who().admin()));
  Json(c, 200, json::object{{"items", std::move(items)}});
}

void Api::Impl::CreateMacro(Call c) {
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadMacro(*body, true, store.policy()->catalog.priorities);
  if (!in.ok()) return Fail(c, in.error());
  if (in->shared.value_or(false) && !c.who().admin()) return Fail(c, Error::Said(ErrorCode::kPermissionDenied, "macro.shared_admins_create"));
  Macro m;
  if (!in->shared.value_or(false)) m.owner_id = c.who().user.id;
  m.created_at = m.updated_at = clock.Now();
  const Id me = c.who().user.id;
  const bool admin = c.who().admin();
  WriteThen<Macro>(
      std::move(c),
      [in = *in, m](Repo& repo) mutable -> Result<Macro> {
        CHAMADO_TRY(Apply(in, m, repo));
        return repo.InsertMacro(m);
      },
      [me, admin](Macro& made) {
        Response r = JsonResponse(201, MacroJson(made, me, admin));
        r.Set("Location", "/api/v1/macros/" + std::to_string(made.id));
        return r;
      });
}

void Api::Impl::PatchMacro(Call c) {
  auto id = PathId(c, 0, "Macro");
  if (!id.ok()) return Fail(c, id.error());
  auto body = ParseJsonObject(c.req);
  if (!body.ok()) return Fail(c, body.error());
  auto in = ReadMacro(*body, false, store.policy()->catalog.priorities);
  if (!in.ok()) return Fail(c, in.error());
  if (in->shared) return Fail(c, Error::InvalidSaid("shared", "macro.shared_fixed"));
  const Caller who = c.who();
  const Instant now = clock.Now();
  WriteThen<Macro>(
      std::move(c),
      [in = *in, who, id = *id, now](Repo& repo) -> Result<Macro> {
        CHAMADO_ASSIGN_OR_RETURN(auto m, Changeable(repo, who, id));
        CHAMADO_TRY(Apply(in, m, repo));
        m.updated_at = now;
        CHAMADO_TRY(repo.UpdateMacro(m));
        return m;
      },
      [me = who.user.id, admin = who.admin()](Macro& m) { return JsonResponse(200, MacroJson(m, me, admin)); });
}

void Api::Impl::DeleteMacro(Call c) {
  auto id = PathId(c, 0, "Macro");
  if (!id.ok()) return Fail(c, id.error());
  const Caller who = c.who();
  WriteThen<bool>(
      std::move(c),
      [who, id = *id](Repo& repo) -> Result<bool> {
        CHAMADO_ASSIGN_OR_RETURN(auto m, Changeable(repo, who, id));
        return repo.DeleteMacro(m.owner_id, m.id);
      },
      [](bool&) { return NoContent(); });
}

void Api::Impl::PreviewMacro(Call c) {
  auto number = PathId(c, 0, "Ticket");
  if (!number.ok()) return Fail(c, number.error());
  auto id = PathId(c, 1, "Macro");
  if (!id.ok()) return Fail(c, id.error());
  const auto actor = c.who().actor();
  const core::User agent = c.who().user;
  const auto policy = store.policy();
  const Instant now = clock.Now();
  struct Preview {
    Macro macro;
    std::string text;
  };
  auto r = Read<Preview>([&](Repo& repo) -> Result<Preview> {
    CHAMADO_ASSIGN_OR_RETURN(auto t, repo.GetTicket(*number));
    if (!t || !core::CanSee(actor, *t)) return core::NoSuchTicket(*number);
    CHAMADO_ASSIGN_OR_RETURN(auto m, repo.GetMacro(agent.id, *id));
    if (!m) return NoSuchMacro(*id);
    CHAMADO_ASSIGN_OR_RETURN(auto requester, repo.GetUser(t->requester_id));
    // The customer reads the reply: their language and zone, as the desk's mail writes them.
    const std::string language = requester && !requester->language.empty() ? requester->language : "en";
    const std::string zone = requester && !requester->time_zone.empty() ? requester->time_zone : "UTC";
    std::map<std::string, std::string, std::less<>> values{
        {"customer.name", requester ? (requester->name.empty() ? requester->email : requester->name) : ""},
        {"ticket.number", std::to_string(t->number)},
        {"ticket.subject", t->subject},
        {"ticket.priority", t->priority},
        {"ticket.priority_description", policy->catalog.priorities.Description(t->priority, language).value_or("")},
        {"agent.name", agent.name.empty() ? agent.email : agent.name},
    };
    CHAMADO_ASSIGN_OR_RETURN(auto clocks, store::ComputeTicketClocks(repo, *policy, *t, now));
    if (auto due = store::ExpectedResolution(clocks, *policy)) values["ticket.due"] = sla::FormatLocal(*due, language, zone);
    std::string text = core::RenderMacro(m->body, values);
    return Preview{std::move(*m), std::move(text)};
  });
  if (!r.ok()) return Fail(c, r.error());
  Json(c, 200, json::object{{"macro_id", r->macro.id}, {"text", r->text}, {"fields", FieldsJson(r->macro.fields)}});
}

}  // namespace chamado::http
