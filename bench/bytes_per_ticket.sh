#!/usr/bin/env bash
# Storage per ticket at scale: opens at least TICKETS tickets through the API (POST /api/v1/tickets, as
# a customer: the ticket, its first message, its audit events, its SLA clocks and its
# acknowledgement in the outbox), stops the server, then reports the database and log sizes
# per ticket and, from SQLite's dbstat, each table's and index's pages and the bare payload
# (the bytes of the rows themselves) beside them.
# Usage: bench/bytes_per_ticket.sh   (env: TICKETS=1000000 CONNECTIONS=8 KEEP=0)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
bin=$root/build/src/app/chamado
tickets=${TICKETS:-1000000}
conns=${CONNECTIONS:-8}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
data=$work/data
"$bin" user add --data "$data" --role customer --email bench@acme.example --password bench-password --organization Acme >/dev/null
token=$("$bin" token create --data "$data" --email bench@acme.example | tail -1)
start server env CHAMADO_LOG_LEVEL=warn "$bin" serve --data "$data" --listen 127.0.0.1:0 --threads 2
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True).execute("select count(*) from tickets").fetchone()[0])' "$data/chamado.db"; }
began=$(date +%s)
# wrk has no request count: load in 20-second rounds until there are enough tickets.
while [ "$(count)" -lt "$tickets" ]; do
  BENCH_TOKEN=$token wrk -t1 -c"$conns" -d20s -s "$root/bench/post_ticket.lua" "$url/api/v1/tickets" | grep '^requests='
done
echo "took $(( $(date +%s) - began )) s; log while running: $(stat -c %s "$data/chamado.db-wal") bytes"
kill "$pid"; wait "$pid" 2>/dev/null || true
python3 - "$data/chamado.db" <<'PY'
import os, sqlite3, sys
db = sys.argv[1]
c = sqlite3.connect(db)
n = c.execute("SELECT count(*) FROM tickets").fetchone()[0]
size = os.path.getsize(db)
wal = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0
print(f"{n} tickets: database {size} bytes = {size / n:.0f} bytes/ticket; log after stop {wal} bytes")
rows = c.execute("SELECT name, sum(pgsize), sum(payload), count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
kinds = dict(c.execute("SELECT name, type FROM sqlite_schema").fetchall())
pages = payload = 0
print(f"{'b-tree':32} {'kind':6} {'bytes/ticket':>12} {'payload/ticket':>14}")
for name, pg, pl, _ in rows:
    pages += pg; payload += pl
    print(f"{name:32} {kinds.get(name, '?'):6} {pg / n:12.0f} {pl / n:14.0f}")
tables = sum(pl for name, pg, pl, _ in rows if kinds.get(name) == 'table')
print(f"bare rows (payload of the tables): {tables / n:.0f} bytes/ticket; all pages: {pages / n:.0f}; "
      f"the file is {size / max(tables, 1):.2f}x the bare rows")
PY
