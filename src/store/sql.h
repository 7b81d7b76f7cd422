// The SQL seam between the repository (portable SQL, written once) and an engine
// (SQLite today, PostgreSQL next).
//
// Statements use $1, $2 ... placeholders, which both engines accept. Values cross the seam
// as Param (in) and RowView (out). A Connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

namespace chamado::store {

class Param {
 public:
  enum class Kind { kNull, kInt, kReal, kText, kBlob };
  Param(std::nullptr_t) {}  // NOLINT
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
  Param(I v) : kind_(Kind::kInt), i_(static_cast<int64_t>(v)) {}  // NOLINT
  Param(bool v) : kind_(Kind::kInt), i_(v ? 1 : 0) {}             // NOLINT
  Param(double v) : kind_(Kind::kReal), d_(v) {}                  // NOLINT
  Param(std::string_view v) : kind_(Kind::kText), s_(v) {}        // NOLINT
  Param(const std::string& v) : kind_(Kind::kText), s_(v) {}      // NOLINT
  Param(const char* v) : kind_(Kind::kText), s_(v) {}             // NOLINT
  template <class T>
  Param(const std::optional<T>& v) {  // NOLINT
    if (v) *this = Param(*v);
  }

  // Bytes, not text (a file's contents).
  static Param Blob(std::string_view bytes) {
    Param p(bytes);
    p.kind_ = Kind::kBlob;
    return p;
  }

  Kind kind() const { return kind_; }
  int64_t integer() const { return i_; }
  double real() const { return d_; }
  std::string_view text() const { return s_; }

 private:
  Kind kind_ = Kind::kNull;
  int64_t i_ = 0;
  double d_ = 0;
  std::string_view s_;
};

// One result row; valid only during the callback that receives it.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual double Real(int col) const = 0;
  virtual std::string_view Text(int col) const = 0;

  std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional<int64_t>(Int(col)); }
  std::string Str(int col) const { return std::string(Text(col)); }
};

using RowFn = std::function<void(const RowView&)>;

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement, prepared once per connection and cached by its text. Calls `row`
  // for every result row. Returns the number of rows the statement changed.
  virtual Result<int64_t> Run(std::string_view sql, std::initializer_list<Param> params, const RowFn& row = {}) = 0;
  // Same, with a parameter list built at run time (filters).
  virtual Result<int64_t> RunDynamic(std::string_view sql, const std::vector<Param>& params, const RowFn& row = {}) = 0;
  // Runs several statements without parameters (migrations).
  virtual Result<void> Script(std::string_view sql) = 0;
  virtual std::string_view Engine() const = 0;  // "sqlite", "postgresql"
  // Whether other processes may write the same database while this connection's transaction
  // runs (PostgreSQL's writer, with instances sharing a database). Then a read that decides a
  // write locks its rows first (ForUpdate). SQLite has one writer at a time: never.
  virtual bool SharedWriter() const { return false; }
};

// " FOR UPDATE" where `c` is a shared writer, to end a SELECT whose rows the transaction goes
// on to change (the ticket a command loads): a second instance's command on the same row
// waits for this transaction and then reads what it wrote. Else nothing.
inline std::string_view ForUpdate(const Connection& c) { return c.SharedWriter() ? " FOR UPDATE" : ""; }

// Whether `c` speaks PostgreSQL's dialect (else SQLite's), where a statement must differ.
inline bool IsPostgres(const Connection& c) { return c.Engine() == "postgresql"; }

// Runs a query expected to yield at most one row; returns whether it did.
inline Result<bool> QueryOne(Connection& c, std::string_view sql, std::initializer_list<Param> params, const RowFn& row) {
  bool found = false;
  auto r = c.Run(sql, params, [&](const RowView& v) {
    if (!found) row(v);
    found = true;
  });
  if (!r.ok()) return std::move(r).error();
  return found;
}

}  // namespace chamado::store
