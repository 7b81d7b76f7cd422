#include "store/repo_macros.h"

#include <boost/json.hpp>

#include "store/repo_rows.h"

namespace chamado::store {
namespace {

namespace json = boost::json;

constexpr std::string_view kColumns = "id, owner_id, name, body, status, priority, add_tags, group_id, created_at, updated_at";

std::vector<std::string> TagsOf(std::string_view text) {
  std::vector<std::string> tags;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return tags;
  for (const auto& t : v.as_array())
    if (t.is_string()) tags.emplace_back(t.as_string());
  return tags;
}

std::string TagsText(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return json::serialize(a);
}

Macro MacroOf(const RowView& r) {
  Macro m;
  m.id = r.Int(0);
  m.owner_id = r.OptInt(1);
  m.name = r.Str(2);
  m.body = r.Str(3);
  if (!r.IsNull(4)) m.fields.status = core::ParseStatus(r.Text(4));
  if (!r.IsNull(5)) m.fields.priority = r.Str(5);
  m.fields.add_tags = TagsOf(r.Text(6));
  m.fields.group_id = r.OptInt(7);
  m.created_at = FromUnixMillis(r.Int(8));
  m.updated_at = FromUnixMillis(r.Int(9));
  return m;
}

std::optional<std::string> StatusText(const core::MacroFields& f) {
  if (!f.status) return std::nullopt;
  return std::string(core::Name(*f.status));
}

Error NameTaken(const Macro& m) {
  return Error::Conflict(std::string(m.shared() ? "A shared macro" : "You already have a macro") + " named \"" + m.name +
                         "\"; choose another name.");
}

}  // namespace

Result<std::vector<Macro>> MacroRepo::ListMacros(core::Id user_id) {
  return All(c_,
             Sql("SELECT ", kColumns,
                 " FROM macros WHERE owner_id IS NULL OR owner_id = $1 ORDER BY lower(name), owner_id IS NOT NULL, id"),
             {user_id}, MacroOf);
}

Result<std::optional<Macro>> MacroRepo::GetMacro(core::Id user_id, core::Id id) {
  return One(c_, Sql("SELECT ", kColumns, " FROM macros WHERE id = $2 AND (owner_id IS NULL OR owner_id = $1)"), {user_id, id},
             MacroOf);
}

Result<Macro> MacroRepo::InsertMacro(Macro m) {
  int64_t count = 0;
  CHAMADO_TRY(c_.Run("SELECT count(*) FROM macros WHERE coalesce(owner_id, 0) = $1", {m.owner_id.value_or(0)},
                     [&](const RowView& r) { count = r.Int(0); }));
  if (count >= kMaxMacros)
    return Error::Conflict(std::string(m.shared() ? "There are " : "You have ") + std::to_string(kMaxMacros) +
                           " macros, the most one may keep; delete one first.");
  const auto status = StatusText(m.fields);
  const std::string tags = TagsText(m.fields.add_tags);
  auto r = c_.Run(
      "INSERT INTO macros (owner_id, name, body, status, priority, add_tags, group_id, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      {m.owner_id, m.name, m.body, status, m.fields.priority, tags, m.fields.group_id, ToUnixMillis(m.created_at),
       ToUnixMillis(m.updated_at)},
      [&](const RowView& row) { m.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return NameTaken(m);
    return std::move(r).error();
  }
  return m;
}

Result<void> MacroRepo::UpdateMacro(const Macro& m) {
  const auto status = StatusText(m.fields);
  const std::string tags = TagsText(m.fields.add_tags);
  auto r = c_.Run(
      "UPDATE macros SET name = $1, body = $2, status = $3, priority = $4, add_tags = $5, group_id = $6, updated_at = $7 "
      "WHERE id = $8 AND coalesce(owner_id, 0) = $9",
      {m.name, m.body, status, m.fields.priority, tags, m.fields.group_id, ToUnixMillis(m.updated_at), m.id,
       m.owner_id.value_or(0)});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return NameTaken(m);
    return std::move(r).error();
  }
  return Ok();
}

Result<bool> MacroRepo::DeleteMacro(std::optional<core::Id> owner_id, core::Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto n, c_.Run("DELETE FROM macros WHERE id = $1 AND coalesce(owner_id, 0) = $2", {id, owner_id.value_or(0)}));
  return n > 0;
}

}  // namespace chamado::store
