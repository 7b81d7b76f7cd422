// The saved-views aggregate of the repository: each agent's named searches ("My open P1s"),
// the query kept as the agent typed it (search::ParseTicketQuery's language, checked by the
// API before it is stored). Owns the table saved_views.
//
// A view belongs to one user: every read and change names that user, so another's view is
// simply not found. Names are unique per user, ignoring ASCII case.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

// How many views one agent may keep: enough for every list they look at, few enough that
// the pinned ones each cost a count beside the queue.
inline constexpr int64_t kMaxSavedViews = 50;

struct SavedView {
  core::Id id = 0;
  core::Id user_id = 0;
  std::string name;
  std::string query;
  bool pinned = false;
  int64_t position = 0;  // order among the user's views, ascending; new views go last
  Instant created_at;
};

class ViewRepo {
 public:
  explicit ViewRepo(Connection& c) : c_(c) {}

  // The user's views by position, then age.
  Result<std::vector<SavedView>> ListViews(core::Id user_id);
  // The view `id` if it is the user's.
  Result<std::optional<SavedView>> GetView(core::Id user_id, core::Id id);
  // Adds the view after the user's others. Conflict when the user already has a view of that
  // name or kMaxSavedViews views.
  Result<SavedView> InsertView(SavedView v);
  // Writes name, query, pinned and position. Conflict when another of the user's views has
  // that name.
  Result<void> UpdateView(const SavedView& v);
  // Whether the user had the view.
  Result<bool> DeleteView(core::Id user_id, core::Id id);

 private:
  Connection& c_;
};

}  // namespace chamado::store
