#include "store/postgres.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/text.h"
#include <spdlog/spdlog.h>

namespace chamado::store {
namespace {

// The server's type ids (pg_type.oid) the engine reads or sends.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;

constexpr std::string_view kRaceLost = "Another change to the same data was saved at the same moment; retry in a moment.";

// A result that frees itself.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// bytea's text form: \x followed by two hex digits per byte.
std::string DecodeBytea(std::string_view text) {
  std::string out;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text);
  out.reserve((text.size() - 2) / 2);
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 2; i + 1 < text.size(); i += 2) out.push_back(char(nibble(text[i]) << 4 | nibble(text[i + 1])));
  return out;
}

class PostgresRow final : public RowView {
 public:
  PostgresRow(const PGresult* r, int row) : r_(r), row_(row) {}
  bool IsNull(int c) const override { return PQgetisnull(r_, row_, c) != 0; }
  // Integers as SQLite gives them: a boolean is 0 or 1, a fraction (avg, numeric) is cut
  // toward zero.
  int64_t Int(int c) const override {
    const std::string_view s = Raw(c);
    if (PQftype(r_, c) == kBoolOid) return s == "t" ? 1 : 0;
    int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
    const double d = Real(c);
    return std::isfinite(d) ? int64_t(d) : 0;
  }
  double Real(int c) const override {
    const std::string_view s = Raw(c);
    if (PQftype(r_, c) == kBoolOid) return s == "t" ? 1 : 0;
    return std::strtod(std::string(s).c_str(), nullptr);
  }
  std::string_view Text(int c) const override {
    if (PQftype(r_, c) != kByteaOid) return Raw(c);
    decoded_ = DecodeBytea(Raw(c));
    return decoded_;
  }

 private:
  std::string_view Raw(int c) const {
    if (PQgetisnull(r_, row_, c)) return {};
    return {PQgetvalue(r_, row_, c), size_t(PQgetlength(r_, row_, c))};
  }
  const PGresult* r_;
  int row_;
  mutable std::string decoded_;  // the last bytea asked for (valid until the next one)
};

Error StatementError(const PGresult* r, PGconn* conn, std::string_view sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  const std::string what(Trim(r ? PQresultErrorMessage(r) : PQerrorMessage(conn)));
  const std::string detail = what + " (in: " + std::string(sql.substr(0, 120)) + ")";
  if (code == "40001" || code == "40P01") return Error::Unavailable(std::string(kRaceLost));
  if (code.starts_with("23")) return Error::Conflict(detail);
  if (code == "53100") return Error::StorageFull("The disk of the database is full; free space and retry.");
  // The connection went (08), the server is shutting down or starting (57P), a standby that
  // refuses writes after a failover (25006), too many connections (53300), out of memory (53200).
  if (code.empty() || code.starts_with("08") || code.starts_with("57P") || code == "25006" || code == "53300" ||
      code == "53200" || PQstatus(conn) != CONNECTION_OK)
    return Error::Unavailable("The database is unavailable (" + what + "); retry in a moment.");
  return Error::Internal(detail);
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, std::string url, PostgresOptions options)
      : conn_(conn), url_(std::move(url)), options_(options) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Result<int64_t> Run(std::string_view sql, std::initializer_list<Param> params, const RowFn& row) override {
    return Execute(sql, params.begin(), params.size(), row);
  }
  Result<int64_t> RunDynamic(std::string_view sql, const std::vector<Param>& params, const RowFn& row) override {
    return Execute(sql, params.data(), params.size(), row);
  }

  Result<void> Script(std::string_view sql) override {
    CHAMADO_TRY(Reconnect(sql));
    PgResult r(PQexec(conn_, std::string(sql).c_str()));
    Track();
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return StatementError(r.get(), conn_, sql);
    return Ok();
  }

  std::string_view Engine() const override { return "postgresql"; }
  bool SharedWriter() const override { return !options_.read_only; }

 private:
  // A broken connection is opened again, only between transactions: inside one, what it did
  // is gone with the old session and the transaction must fail as a whole.
  // `sql` is the statement about to run: a transaction's ROLLBACK or COMMIT ends it, failed.
  Result<void> Reconnect(std::string_view sql) {
    if (PQstatus(conn_) == CONNECTION_OK) return Ok();
    if (in_transaction_) {
      if (sql == "ROLLBACK" || sql == "COMMIT") in_transaction_ = false;
      return Error::Unavailable("The connection to the database was lost; retry in a moment.");
    }
    PQreset(conn_);
    prepared_.clear();
    if (PQstatus(conn_) != CONNECTION_OK)
      return Error::Unavailable("Cannot connect to the database at " + RedactedUrl(url_) + ": " +
                                std::string(Trim(PQerrorMessage(conn_))) + "; retry in a moment.");
    return Setup();
  }

 public:
  Result<void> Setup() {
    // Text crosses as UTF-8 whatever the server's locale; readers cannot write by mistake.
    // Behind PgBouncer in transaction mode (no prepared statements) a session setting would
    // stay on whichever server connection ran it, to be found by another client's writer:
    // there a read transaction's own BEGIN ... READ ONLY is the guard.
    std::string setup = "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;";
    if (options_.read_only && options_.prepare) setup += " SET default_transaction_read_only = on;";
    PgResult r(PQexec(conn_, setup.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return StatementError(r.get(), conn_, setup);
    return Ok();
  }

 private:
  Result<int64_t> Execute(std::string_view sql, const Param* params, size_t n, const RowFn& row) {
    CHAMADO_TRY(Reconnect(sql));
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, 0);
    types_.assign(n, 0);
    texts_.resize(std::max(texts_.size(), n));
    for (size_t i = 0; i < n; ++i) {
      const Param& p = params[i];
      switch (p.kind()) {
        case Param::Kind::kNull: break;
        case Param::Kind::kInt: texts_[i] = std::to_string(p.integer()); break;
        case Param::Kind::kReal: texts_[i] = fmt::format("{:.17g}", p.real()); break;
        case Param::Kind::kText:
          if (p.text().find('\0') != std::string_view::npos)
            return Error::InvalidArgument("The text holds a NUL character, which the database cannot store; remove it.");
          texts_[i].assign(p.text());
          break;
        case Param::Kind::kBlob:
          values_[i] = p.text().data();
          lengths_[i] = int(p.text().size());
          formats_[i] = 1;
          types_[i] = kByteaOid;
          continue;
      }
      if (p.kind() != Param::Kind::kNull) {
        values_[i] = texts_[i].c_str();
        lengths_[i] = int(texts_[i].size());
      }
    }
    PgResult r;
    const std::string text(sql);
    if (options_.prepare) {
      auto it = prepared_.find(text);
      if (it == prepared_.end()) {
        const std::string name = "s" + std::to_string(++statements_);
        PgResult prep(PQprepare(conn_, name.c_str(), text.c_str(), int(n), types_.data()));
        if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) return Fail(prep.get(), sql);
        it = prepared_.emplace(text, name).first;
      }
      r.reset(PQexecPrepared(conn_, it->second.c_str(), int(n), values_.data(), lengths_.data(), formats_.data(), 0));
    } else {
      r.reset(PQexecParams(conn_, text.c_str(), int(n), types_.data(), values_.data(), lengths_.data(), formats_.data(), 0));
    }
    const auto status = PQresultStatus(r.get());
    if (status == PGRES_TUPLES_OK) {
      const int rows = PQntuples(r.get());
      if (row)
        for (int i = 0; i < rows; ++i) row(PostgresRow(r.get(), i));
    } else if (status != PGRES_COMMAND_OK) {
      return Fail(r.get(), sql);
    }
    Track();
    const char* changed = PQcmdTuples(r.get());
    return int64_t(changed && *changed ? std::atoll(changed) : 0);
  }

  Error Fail(const PGresult* r, std::string_view sql) {
    Track();
    return StatementError(r, conn_, sql);
  }

  // Whether a transaction is open, from what the server says after each statement (a broken
  // connection says nothing: whatever was open stays so until ROLLBACK or COMMIT).
  void Track() {
    const auto t = PQtransactionStatus(conn_);
    if (t != PQTRANS_UNKNOWN) in_transaction_ = t != PQTRANS_IDLE;
  }

  PGconn* conn_;
  std::string url_;
  PostgresOptions options_;
  bool in_transaction_ = false;
  uint64_t statements_ = 0;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<Oid> types_;
  std::vector<std::string> texts_;
};

}  // namespace

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string RedactedUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto at = url.find('@', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<PostgresUrl> ParsePostgresUrl(std::string_view url) {
  if (!IsPostgresUrl(url))
    return Error::InvalidArgument("The database URL must start with postgresql:// (got " + RedactedUrl(url) + ").");
  PostgresUrl out;
  const auto query = url.find('?');
  if (query == std::string_view::npos) {
    out.libpq = std::string(url);
    return out;
  }
  std::string kept;
  std::string_view rest = url.substr(query + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.starts_with("prepare=")) {
      const auto v = pair.substr(8);
      if (v != "true" && v != "false")
        return Error::InvalidArgument("The database URL's prepare= must be true or false (got " + std::string(v) + ").");
      out.options.prepare = v == "true";
      continue;
    }
    kept += (kept.empty() ? "" : "&") + std::string(pair);
  }
  out.libpq = std::string(url.substr(0, query)) + (kept.empty() ? "" : "?" + kept);
  return out;
}

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, const PostgresOptions& options) {
  CHAMADO_ASSIGN_OR_RETURN(const PostgresUrl parsed, ParsePostgresUrl(url));
  PostgresOptions o = options;
  o.prepare = options.prepare && parsed.options.prepare;
  PGconn* conn = PQconnectdb(parsed.libpq.c_str());
  if (!conn) return Error::Unavailable("Cannot connect to the database at " + RedactedUrl(url) + ": out of memory.");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why(Trim(PQerrorMessage(conn)));
    PQfinish(conn);
    return Error::Unavailable("Cannot connect to the database at " + RedactedUrl(url) + ": " + why +
                              ". Check that PostgreSQL runs there and the URL's user, password and database.");
  }
  // The server's notices ("relation already exists, skipping") are for a debugging eye only.
  PQsetNoticeProcessor(conn, [](void*, const char* m) { spdlog::debug("postgresql: {}", m); }, nullptr);
  auto c = std::make_unique<PostgresConnection>(conn, parsed.libpq, o);
  CHAMADO_TRY(c->Setup());
  return std::unique_ptr<Connection>(std::move(c));
}

bool IsRetryable(const Error& e) { return e.code == ErrorCode::kUnavailable && e.message == kRaceLost; }

}  // namespace chamado::store
