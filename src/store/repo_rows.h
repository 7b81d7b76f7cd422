// Internal to the repository (store/repo_*.cc and store_test): what the aggregates share to
// turn rows into values and values into parameters. Nothing here holds state; everything
// runs on the caller's connection, inside the caller's transaction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/page.h"
#include "store/sql.h"

namespace chamado::store {

// Instants are stored as UTC Unix milliseconds; NULL is "none".
inline std::optional<Instant> OptInstant(const RowView& r, int col) {
  if (r.IsNull(col)) return std::nullopt;
  return FromUnixMillis(r.Int(col));
}
inline std::optional<int64_t> OptMillis(const std::optional<Instant>& t) {
  return t ? std::optional<int64_t>(ToUnixMillis(*t)) : std::nullopt;
}

// Space-separated lists (a user's languages, a clock's warning instants).
std::vector<std::string> SplitSpaces(std::string_view s);

inline std::string Sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string s;
  s.reserve(a.size() + b.size() + c.size());
  s += a;
  s += b;
  s += c;
  return s;
}

// ---- pages ----

inline int Limit(const Page& p) { return std::clamp(p.limit, 1, 200); }

inline Error BadCursor() {
  return Error::Invalid("after", "The page cursor is not valid; start again from the first page.");
}

// Opaque cursors: a list of integers, base64url-encoded.
std::string EncodeCursor(const std::vector<int64_t>& keys);
std::optional<std::vector<int64_t>> DecodeCursor(std::string_view cursor, size_t expected_keys);

// Lists ordered by one key (an id): the key the page starts after, or `first` on the first
// page.
inline Result<int64_t> AfterKey(const Page& page, int64_t first) {
  if (page.after.empty()) return first;
  auto k = DecodeCursor(page.after, 1);
  if (!k) return BadCursor();
  return (*k)[0];
}

// Ends a page read as `limit + 1` rows: the extra row only tells that there is a next page,
// whose cursor is the last kept item's id.
template <class T>
void EndPage(Paged<T>& page, int limit) {
  if (int(page.items.size()) <= limit) return;
  page.items.pop_back();
  page.next = EncodeCursor({page.items.back().id});
}

// ---- stored enums ----

// The enum whose Name is `s`, among `values` (the kXxx array beside the enum).
template <class E, size_t N>
std::optional<E> ParseIn(const E (&values)[N], std::string_view s) {
  for (E e : values)
    if (Name(e) == s) return e;
  return std::nullopt;
}

// The enum stored as its name in column `col`. A name this version never writes (a newer
// version's data, a hand edit) fails the read rather than being guessed.
template <class Parse>
auto StoredName(const RowView& r, int col, std::string_view column, Parse parse)
    -> Result<typename decltype(parse(std::string_view()))::value_type> {
  if (auto v = parse(r.Text(col))) return *v;
  return Error::Internal("The database holds \"" + r.Str(col) + "\" in " + std::string(column) +
                         ", which this version of Chamado does not know.");
}

// ---- queries ----

// Queries whose rows map through `map`, which returns a T, or a Result<T> when it can refuse
// a row: the first refusal fails the query once the statement has run (a RowFn cannot
// return it).
template <class T>
struct Unwrapped {
  using type = T;
};
template <class T>
struct Unwrapped<Result<T>> {
  using type = T;
};
template <class Map>
using Mapped = typename Unwrapped<std::invoke_result_t<Map&, const RowView&>>::type;

// Every row `run` yields, mapped; `run` runs the statement with the RowFn it is given.
template <class Map, class Run>
Result<std::vector<Mapped<Map>>> Collect(Map& map, Run run) {
  std::vector<Mapped<Map>> out;
  std::optional<Error> refused;
  CHAMADO_TRY(run([&](const RowView& r) {
    if (refused) return;
    Result<Mapped<Map>> row = map(r);
    if (row.ok()) out.push_back(std::move(row).value());
    else refused = std::move(row).error();
  }));
  if (refused) return std::move(*refused);
  return out;
}

template <class Map>
Result<std::vector<Mapped<Map>>> All(Connection& c, std::string_view sql, std::initializer_list<Param> params, Map map) {
  return Collect(map, [&](const RowFn& row) { return c.Run(sql, params, row); });
}

// The same with parameters built at run time (filters, IN lists).
template <class Map>
Result<std::vector<Mapped<Map>>> All(Connection& c, std::string_view sql, const std::vector<Param>& params, Map map) {
  return Collect(map, [&](const RowFn& row) { return c.RunDynamic(sql, params, row); });
}

// What a row needs from other tables (tags, domains, group memberships): nothing.
struct NoExtras {
  template <class T>
  Result<void> operator()(std::vector<T>&) const {
    return Ok();
  }
};

// The read of one thing: the row a query expected to yield at most one row of, mapped, then
// completed by `load` with what lives in other tables. `load` takes a vector, so one loader
// serves an aggregate's lists and its single reads.
template <class Map, class Load = NoExtras>
Result<std::optional<Mapped<Map>>> One(Connection& c, std::string_view sql, std::initializer_list<Param> params, Map map,
                                       Load load = {}) {
  CHAMADO_ASSIGN_OR_RETURN(auto rows, All(c, sql, params, std::move(map)));
  if (rows.empty()) return std::optional<Mapped<Map>>();
  rows.resize(1);
  CHAMADO_TRY(load(rows));
  return std::optional<Mapped<Map>>(std::move(rows[0]));
}

}  // namespace chamado::store
