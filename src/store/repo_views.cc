#include "store/repo_views.h"

#include "store/repo_rows.h"

namespace chamado::store {
namespace {

constexpr std::string_view kColumns = "id, user_id, name, query, pinned, position, created_at";

SavedView ViewOf(const RowView& r) {
  SavedView v;
  v.id = r.Int(0);
  v.user_id = r.Int(1);
  v.name = r.Str(2);
  v.query = r.Str(3);
  v.pinned = r.Int(4) != 0;
  v.position = r.Int(5);
  v.created_at = FromUnixMillis(r.Int(6));
  return v;
}

Error NameTaken(const std::string& name) {
  return Error::Said(ErrorCode::kConflict, "view.name_taken", {{"name", name}});
}

}  // namespace

Result<std::vector<SavedView>> ViewRepo::ListViews(core::Id user_id) {
  return All(c_, Sql("SELECT ", kColumns, " FROM saved_views WHERE user_id = $1 ORDER BY position, id"), {user_id}, ViewOf);
}

Result<std::optional<SavedView>> ViewRepo::GetView(core::Id user_id, core::Id id) {
  return One(c_, Sql("SELECT ", kColumns, " FROM saved_views WHERE user_id = $1 AND id = $2"), {user_id, id}, ViewOf);
}

Result<SavedView> ViewRepo::InsertView(SavedView v) {
  int64_t count = 0, last = -1;
  CHAMADO_TRY(c_.Run("SELECT count(*), coalesce(max(position), -1) FROM saved_views WHERE user_id = $1", {v.user_id},
                     [&](const RowView& r) {
                       count = r.Int(0);
                       last = r.Int(1);
                     }));
  if (count >= kMaxSavedViews)
    return Error::Said(ErrorCode::kConflict, "view.max", {{"max", std::to_string(kMaxSavedViews)}});
  v.position = last + 1;
  auto r = c_.Run("INSERT INTO saved_views (user_id, name, query, pinned, position, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                  "RETURNING id",
                  {v.user_id, v.name, v.query, v.pinned, v.position, ToUnixMillis(v.created_at)},
                  [&](const RowView& row) { v.id = row.Int(0); });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return NameTaken(v.name);
    return std::move(r).error();
  }
  return v;
}

Result<void> ViewRepo::UpdateView(const SavedView& v) {
  auto r = c_.Run("UPDATE saved_views SET name = $1, query = $2, pinned = $3, position = $4 WHERE id = $5 AND user_id = $6",
                  {v.name, v.query, v.pinned, v.position, v.id, v.user_id});
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kConflict) return NameTaken(v.name);
    return std::move(r).error();
  }
  return Ok();
}

Result<bool> ViewRepo::DeleteView(core::Id user_id, core::Id id) {
  CHAMADO_ASSIGN_OR_RETURN(auto n, c_.Run("DELETE FROM saved_views WHERE id = $1 AND user_id = $2", {id, user_id}));
  return n > 0;
}

}  // namespace chamado::store
