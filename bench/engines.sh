#!/usr/bin/env bash
# The same desk on SQLite, on PostgreSQL, and on PostgreSQL with two instances, in one run:
#   1. POST /api/v1/tickets under wrk (-c64; two instances: -c32 each at once)
#   2. with TICKETS tickets seeded (bench/seed_tickets.cc, the same rows on both engines):
#      GET /api/v1/queue?limit=50 under wrk (-c4; two instances: -c2 each), and two reports
#      (GET /api/v1/reports/backlog and /reports/sla, curl, RUNS runs each)
#   3. outbox claims by 4 senders (bench/claims_bench.cc: Chamado's OutboxSender against a bare
#      FOR UPDATE SKIP LOCKED loop), durable commits and with synchronous_commit=off
#   4. each server's resident memory after its load (VmRSS)
# PostgreSQL 15 is a throwaway cluster on 127.0.0.1 (scripts/pg-cluster, fsync on); every
# configuration gets a database of its own. All of it shares this machine's cores with wrk.
# Usage: bench/engines.sh   (env: DURATION=10s TICKETS=100000 RUNS=10 CLAIM_ROWS=2000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
build=$root/build
duration=${DURATION:-10s}
tickets=${TICKETS:-100000}
runs=${RUNS:-10}
claim_rows=${CLAIM_ROWS:-2000}
for tool in wrk curl psql; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$root/scripts/pg-cluster" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
chamado=$build/src/app/chamado
export CHAMADO_LOG_LEVEL=warn
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

server=$("$root/scripts/pg-cluster" start "$work/pg")
# A database of its own for configuration NAME; prints its URL.
database() {
  psql -X -q -d "$server" -c "CREATE DATABASE $1" >/dev/null
  echo "${server%/*}/$1"
}

# serve NAME DATA [URL]: starts chamado; sets url, pid.
serve() {
  local name=$1 data=$2 db=${3:-}
  if [ -n "$db" ]; then
    start "$name" "$chamado" serve --data "$data" --db "$db" --listen 127.0.0.1:0 --threads 2
  else
    start "$name" "$chamado" serve --data "$data" --listen 127.0.0.1:0 --threads 2
  fi
}

# users DATA [URL]: a customer and an agent with tokens (customer_token, agent_token).
users() {
  local data=$1 db=${2:-}
  local on=(--data "$data")
  [ -n "$db" ] && on+=(--db "$db")
  "$chamado" user add "${on[@]}" --role customer --email bench@acme.example --password bench-password --organization Acme >/dev/null
  "$chamado" user add "${on[@]}" --role agent --email agent@bench.example --password bench-password >/dev/null
  customer_token=$("$chamado" token create "${on[@]}" --email bench@acme.example | tail -1)
  agent_token=$("$chamado" token create "${on[@]}" --email agent@bench.example | tail -1)
}

# load LABEL SCRIPT PATH CONNS URL:PID... : wrk at every URL at once (CONNS each, one thread
# each) after a 2 s warm-up; prints requests/s summed, the worst p99, and server CPU per
# request over all servers.
load() {
  local label=$1 script=$2 path=$3 conns=$4; shift 4
  local targets=("$@") t before=0 after=0 i=0 running=()
  # (waits for its own wrk processes only: the servers are this shell's children too)
  for t in "${targets[@]}"; do wrk -t1 -c"$conns" -d2s -s "$script" "${t%%|*}$path" >/dev/null & running+=($!); done
  wait "${running[@]}"
  running=()
  for t in "${targets[@]}"; do before=$((before + $(cpu_ticks "${t##*|}"))); done
  for t in "${targets[@]}"; do
    wrk -t1 -c"$conns" -d"$duration" --latency -s "$script" "${t%%|*}$path" >"$work/wrk.$i" &
    running+=($!)
    i=$((i + 1))
  done
  wait "${running[@]}"
  for t in "${targets[@]}"; do after=$((after + $(cpu_ticks "${t##*|}"))); done
  grep -h '^requests=' "$work"/wrk.* | awk -v l="$label" -v t=$((after - before)) -v hz="$ticks" '
    { match($0, /requests=[0-9]+/); r += substr($0, RSTART + 9, RLENGTH - 9)
      match($0, /rps=[0-9]+/); rps += substr($0, RSTART + 4, RLENGTH - 4)
      match($0, /p99_ms=[0-9.]+/); p = substr($0, RSTART + 7, RLENGTH - 7); if (p > p99) p99 = p
      match($0, /errors=[0-9]+/); e += substr($0, RSTART + 7, RLENGTH - 7) }
    END { printf "%-26s rps=%d p99_ms=%.2f server_cpu_us_per_req=%.1f errors=%d\n", l, rps, p99, (t / hz) * 1e6 / r, e }'
  rm -f "$work"/wrk.*
}

# report LABEL URL TOKEN PATH: RUNS timed GETs after one untimed; prints p50 and max.
report() {
  local label=$1 base=$2 token=$3 path=$4
  curl -s -o /dev/null -H "Authorization: Bearer $token" "$base$path"
  for _ in $(seq "$runs"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "$base$path"
  done | sort -k2 -n | awk -v l="$label" '$1 != 200 { bad++ } { t[NR] = $2 * 1000 }
    END { printf "%-34s p50_ms=%.1f max_ms=%.1f%s\n", l, t[int((NR + 1) / 2)], t[NR], bad ? " NOT 200: " bad : "" }'
}

echo "POST /api/v1/tickets, wrk -d$duration, server threads=2 each, $(nproc) cores shared with wrk and PostgreSQL"
export BENCH_TOKEN
# intake LABEL DATA [URL]: one instance on a fresh desk under the POST load.
intake() {
  local label=$1 data=$2 db=${3:-}
  users "$data" "$db"
  BENCH_TOKEN=$customer_token
  serve "${label// /_}" "$data" "$db"
  load "$label" "$root/bench/post_ticket.lua" /api/v1/tickets 64 "$url|$pid"
  echo "  $label: $(rss_mib "$pid") MiB resident after it"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
intake sqlite "$work/w-sqlite"
intake postgresql "$work/w-pg" "$(database w_pg)"

db=$(database w_pg2)
users "$work/w-pg2a" "$db"
BENCH_TOKEN=$customer_token
serve pg2a "$work/w-pg2a" "$db"; a="$url|$pid"; apid=$pid
serve pg2b "$work/w-pg2b" "$db"; b="$url|$pid"; bpid=$pid
load "postgresql x2" "$root/bench/post_ticket.lua" /api/v1/tickets 32 "$a" "$b"
echo "  postgresql x2: $(rss_mib "$apid") + $(rss_mib "$bpid") MiB resident after it"
kill "$apid" "$bpid"; wait "$apid" "$bpid" 2>/dev/null || true

echo
echo "With $tickets tickets: GET /api/v1/queue?limit=50 (wrk -c4 in all) and two reports ($runs runs)"
seed_start=$(date +%s.%N)
"$build/bench/seed_tickets" "$work/r-sqlite/chamado.db" "$tickets" >/dev/null 2>&1 || { mkdir -p "$work/r-sqlite"; "$build/bench/seed_tickets" "$work/r-sqlite/chamado.db" "$tickets" >/dev/null; }
echo "  seeded sqlite in $(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
db=$(database r_pg)
seed_start=$(date +%s.%N)
"$build/bench/seed_tickets" "$db" "$tickets" >/dev/null
echo "  seeded postgresql in $(awk -v s="$seed_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"

users "$work/r-sqlite"
BENCH_TOKEN=$agent_token
serve rsqlite "$work/r-sqlite"
load "queue sqlite" "$root/bench/get_queue.lua" "/api/v1/queue?limit=50" 4 "$url|$pid"
for r in backlog sla; do report "report $r sqlite" "$url" "$agent_token" "/api/v1/reports/$r"; done
echo "  sqlite: $(rss_mib "$pid") MiB resident after it"
kill "$pid"; wait "$pid" 2>/dev/null || true

users "$work/r-pg" "$db"
BENCH_TOKEN=$agent_token
serve rpg "$work/r-pg" "$db"; a="$url|$pid"; apid=$pid; aurl=$url
load "queue postgresql" "$root/bench/get_queue.lua" "/api/v1/queue?limit=50" 4 "$a"
for r in backlog sla; do report "report $r postgresql" "$aurl" "$agent_token" "/api/v1/reports/$r"; done
serve rpg2 "$work/r-pg2" "$db"; b="$url|$pid"; bpid=$pid
load "queue postgresql x2" "$root/bench/get_queue.lua" "/api/v1/queue?limit=50" 2 "$a" "$b"
echo "  postgresql: $(rss_mib "$apid") + $(rss_mib "$bpid") MiB resident after it"
kill "$apid" "$bpid"; wait "$apid" "$bpid" 2>/dev/null || true

echo
db=$(database claims)
echo "Outbox claims, 4 senders (each a store of its own), durable commits:"
"$build/bench/claims_bench" "$db" "$claim_rows" 4 2 2>/dev/null | sed 's/^/  /'
echo "The same with synchronous_commit=off (what the claiming itself costs):"
"$build/bench/claims_bench" "$db?options=-csynchronous_commit%3Doff" "$((claim_rows * 5))" 4 2 2>/dev/null | sed 's/^/  /'
