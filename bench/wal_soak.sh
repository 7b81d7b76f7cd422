#!/usr/bin/env bash
# Soak: ticket creation plus reads of the queue for several minutes against the real server,
# sampling the database and write-ahead log sizes every few seconds. The log must stay under
# its bound ([store] max_wal_bytes) and the database file must grow as tickets are added.
# Prints one line per sample, the load's figures, the store's own report (/api/v1/health) and
# a verdict; exits 1 when the bound was not kept.
# Usage: bench/wal_soak.sh   (env: DURATION=180 SAMPLE=5 SEED=5000 MAX_WAL_BYTES=67108864)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
bin=$root/build/src/app/chamado
duration=${DURATION:-180}
sample=${SAMPLE:-5}
seed=${SEED:-5000}
max_wal=${MAX_WAL_BYTES:-67108864}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

data=$work/data
mkdir -p "$data"
"$root/build/bench/seed_tickets" "$data/chamado.db" "$seed" >/dev/null 2>&1
"$bin" user add --data "$data" --role admin --email admin@bench.example --password bench-password >/dev/null
"$bin" user add --data "$data" --role customer --email bench@acme.example --password bench-password --organization Acme >/dev/null
admin_token=$("$bin" token create --data "$data" --email admin@bench.example | tail -1)
customer_token=$("$bin" token create --data "$data" --email bench@acme.example | tail -1)

start server env CHAMADO_LOG_LEVEL=warn CHAMADO_STORE_MAX_WAL_BYTES="$max_wal" "$bin" serve --data "$data" --listen 127.0.0.1:0 --threads 2

echo "soak: ${duration}s of POST /api/v1/tickets (8 connections) + GET /api/v1/queue (4), bound $max_wal bytes, $seed tickets seeded"
BENCH_TOKEN=$customer_token wrk -t1 -c8 -d"${duration}s" -s "$root/bench/post_ticket.lua" "$url/api/v1/tickets" >"$work/post.out" &
pids+=($!)
BENCH_TOKEN=$admin_token wrk -t1 -c4 -d"${duration}s" -s "$root/bench/get_queue.lua" "$url/api/v1/queue?limit=50" >"$work/get.out" &
pids+=($!)

size() { stat -c %s "$1" 2>/dev/null || echo 0; }
largest=0 first_db=$(size "$data/chamado.db") last_db=0
printf "%8s %14s %14s\n" seconds database_bytes wal_bytes
for ((t = sample; t <= duration; t += sample)); do
  sleep "$sample"
  db=$(size "$data/chamado.db") wal=$(size "$data/chamado.db-wal")
  printf "%8d %14d %14d\n" "$t" "$db" "$wal"
  [ "$wal" -gt "$largest" ] && largest=$wal
  last_db=$db
done
wait "${pids[1]}" "${pids[2]}" 2>/dev/null || true
echo "POST $(grep '^requests=' "$work/post.out")"
echo "GET  $(grep '^requests=' "$work/get.out")"
curl -s -H "Authorization: Bearer $admin_token" "$url/api/v1/health" | python3 -c 'import json,sys; print("store:", json.dumps(json.load(sys.stdin)["storage"]))'
echo "largest log sample: $largest bytes (bound $max_wal); database grew from $first_db to $last_db bytes"
status=0
if [ "$largest" -gt "$max_wal" ]; then echo "FAIL: the log passed its bound"; status=1; fi
if [ "$last_db" -le "$first_db" ]; then echo "FAIL: the database file did not grow"; status=1; fi
[ $status -eq 0 ] && echo "ok: the log stayed under its bound and the database grew"
exit $status
