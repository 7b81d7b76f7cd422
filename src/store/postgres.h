// The PostgreSQL engine (libpq): the same Connection as SQLite's, over a server that several
// Chamado instances share.
//
// Statements are prepared once per connection and cached by their text (parameter types
// inferred by the server from where each $N stands), unless `prepare` is off: PgBouncer in
// transaction mode hands each transaction to any server connection, where a statement
// prepared by another transaction does not exist. Values travel as text, files as bytea in
// binary. A connection that broke (the server restarted, a failover) is reset on its next use
// outside a transaction; with a multi-host URL and target_session_attrs=read-write that
// finds the new primary.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/sql.h"

namespace chamado::store {

struct PostgresOptions {
  bool prepare = true;      // false behind PgBouncer in transaction mode
  bool read_only = false;   // refuses writes (pooled readers)
};

// Whether `location` names a PostgreSQL database (postgresql:// or postgres://) rather than a
// SQLite file.
bool IsPostgresUrl(std::string_view location);

// `url` without its password, for logs and errors.
std::string RedactedUrl(std::string_view url);

// Chamado's own query parameter, taken out of the URL before libpq reads it:
// `prepare=false` (for PgBouncer in transaction mode). The rest goes to libpq as it is.
struct PostgresUrl {
  std::string libpq;        // what PQconnectdb reads
  PostgresOptions options;
};
Result<PostgresUrl> ParsePostgresUrl(std::string_view url);

Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& url, const PostgresOptions& options);

// Whether an error from a PostgreSQL statement means the whole transaction lost a race with
// another one (serialization failure, deadlock) and running it again may succeed.
bool IsRetryable(const Error& e);

}  // namespace chamado::store
