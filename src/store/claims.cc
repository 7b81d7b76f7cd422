#include "store/claims.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace chamado::store {

namespace {

// Of `keys`, those whose row of `table` (keyed by `key`) this transaction could lock.
Result<std::vector<core::Id>> Claimed(Connection& c, std::string_view table, std::string_view key,
                                      const std::vector<core::Id>& keys) {
  if (!IsPostgres(c) || keys.empty()) return keys;
  std::string sql = "SELECT " + std::string(key) + " FROM " + std::string(table) + " WHERE " + std::string(key) + " IN (";
  std::vector<Param> params;
  params.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 1);
    params.emplace_back(keys[i]);
  }
  // Locked in key order by every instance; SKIP LOCKED never waits, so no deadlock either way.
  sql += ") ORDER BY " + std::string(key) + " FOR UPDATE SKIP LOCKED";
  std::vector<core::Id> held;
  CHAMADO_TRY(c.RunDynamic(sql, params, [&](const RowView& r) { held.push_back(r.Int(0)); }));
  std::sort(held.begin(), held.end());
  std::vector<core::Id> out;
  for (core::Id k : keys)
    if (std::binary_search(held.begin(), held.end(), k)) out.push_back(k);
  return out;
}

}  // namespace

Result<std::vector<core::Id>> ClaimTickets(Connection& c, const std::vector<core::Id>& numbers) {
  return Claimed(c, "tickets", "number", numbers);
}

Result<std::vector<core::Id>> ClaimConversations(Connection& c, const std::vector<core::Id>& ids) {
  return Claimed(c, "conversations", "id", ids);
}

Result<std::vector<core::Id>> ClaimProbes(Connection& c, const std::vector<core::Id>& ids) {
  return Claimed(c, "status_probes", "id", ids);
}

Result<bool> TakeTurn(Connection& c, Turn turn) {
  if (!IsPostgres(c)) return true;
  bool held = false;
  CHAMADO_TRY(c.Run("SELECT pg_try_advisory_xact_lock($1)", {static_cast<int64_t>(turn)},
                    [&](const RowView& r) { held = r.Int(0) != 0; }));
  return held;
}

Result<void> WaitTurn(Connection& c, Turn turn) {
  if (!IsPostgres(c)) return Ok();
  CHAMADO_TRY(c.Run("SELECT pg_advisory_xact_lock($1)", {static_cast<int64_t>(turn)}));
  return Ok();
}

Result<bool> ClaimPeriodic(Connection& c, std::string_view job, Instant now, std::chrono::seconds every) {
  CHAMADO_ASSIGN_OR_RETURN(const bool turn, TakeTurn(c, Turn::kPeriodic));
  if (!turn) return false;
  // Under the turn, the last run read here is the one the last holder committed.
  const std::string key = "ran_at." + std::string(job);
  std::optional<int64_t> last;
  CHAMADO_TRY(c.Run("SELECT value FROM settings WHERE key = $1", {key}, [&](const RowView& r) {
    const std::string v = r.Str(0);
    int64_t ms = 0;
    if (std::from_chars(v.data(), v.data() + v.size(), ms).ec == std::errc()) last = ms;
  }));
  const int64_t at = now.time_since_epoch().count();
  if (last && at >= *last && at - *last < std::chrono::duration_cast<std::chrono::milliseconds>(every).count()) return false;
  CHAMADO_TRY(c.Run("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    {key, std::to_string(at)}));
  return true;
}

}  // namespace chamado::store
