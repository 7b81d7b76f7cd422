// The canned-replies aggregate of the repository: macros (core/macros.h), each a text with
// placeholders and the fields a reply using it sets. Owns the table macros.
//
// A macro is personal (its owner's alone: every read and change of it names that owner, so
// another's is simply not found) or shared (no owner: every agent reads it). Who may change a
// shared one is the API's call (admins); this layer only keeps them apart. Names are unique,
// ignoring ASCII case, among one owner's macros and among the shared ones.
//
// Part of Repo (store/repo.h): it runs inside the transaction the Store opened around the
// unit of work and never opens one; it does not own its connection and is used by one
// thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/macros.h"
#include "core/model.h"
#include "core/result.h"
#include "store/sql.h"

namespace chamado::store {

// How many macros one owner (or the shared set) may hold: a picker still read at a glance.
inline constexpr int64_t kMaxMacros = 200;

struct Macro {
  core::Id id = 0;
  std::optional<core::Id> owner_id;  // nullopt: shared
  std::string name;
  std::string body;  // passed core::CheckMacroBody
  core::MacroFields fields;
  Instant created_at;
  Instant updated_at;

  bool shared() const { return !owner_id; }
};

class MacroRepo {
 public:
  explicit MacroRepo(Connection& c) : c_(c) {}

  // The shared macros and the user's own, by name (ASCII case ignored), shared first on a tie.
  Result<std::vector<Macro>> ListMacros(core::Id user_id);
  // The macro `id` if it is shared or the user's.
  Result<std::optional<Macro>> GetMacro(core::Id user_id, core::Id id);
  // Conflict when the owner (or the shared set) already has a macro of that name, or
  // kMaxMacros of them.
  Result<Macro> InsertMacro(Macro m);
  // Writes name, body, fields and updated_at of the macro `m.id` with the same owner.
  // Conflict when another macro of that owner has that name.
  Result<void> UpdateMacro(const Macro& m);
  // Whether the macro `id` with that owner (nullopt: shared) existed.
  Result<bool> DeleteMacro(std::optional<core::Id> owner_id, core::Id id);

 private:
  Connection& c_;
};

}  // namespace chamado::store
