#!/usr/bin/env bash
# POST /api/v1/tickets under the same wrk load, in one run:
#   bare     the baseline (bench/bare_server.cc): one INSERT, synchronous=NORMAL, no auth
#   chamado  the real server: auth, validation, ticket + first message + audit events,
#            acknowledged only when durable (synchronous=FULL) thanks to group commit
# Then GET /api/v1/queue and /api/v1/tickets?status=open with QUEUE_TICKETS in the store, against
# the bare server's queue mode (the same rows through the same index, written as JSON).
# Prints requests/s, latency and server CPU time per request for each.
# Usage: bench/tickets.sh   (env: DURATION=10s CONNECTIONS=64 ROUNDS=2 QUEUE_TICKETS=100000;
#                            ONLY=reads skips the POST part)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
build=$root/build
duration=${DURATION:-10s}
conns=${CONNECTIONS:-64}
rounds=${ROUNDS:-2}
queue_tickets=${QUEUE_TICKETS:-100000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure NAME SCRIPT PATH : runs wrk, prints one line with rps and CPU per request
measure() {
  local name=$1 script=$2 path=$3 before after line reqs
  wrk -t1 -c"$conns" -d2s -s "$script" "$url$path" >/dev/null  # warm-up
  before=$(cpu_ticks "$pid")
  line=$(wrk -t1 -c"$conns" -d"$duration" --latency -s "$script" "$url$path" | grep '^requests=')
  after=$(cpu_ticks "$pid")
  reqs=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  awk -v n="$name" -v l="$line" -v t=$((after - before)) -v hz="$ticks" -v r="$reqs" \
    'BEGIN { printf "%-8s %s server_cpu_us_per_req=%.1f\n", n, l, (t / hz) * 1e6 / r }'
}

if [ "${ONLY:-}" != reads ]; then
  echo "POST /api/v1/tickets, wrk -c$conns -d$duration, $rounds round(s), server threads=2, $(nproc) cores shared with wrk"
  for round in $(seq "$rounds"); do
    rm -rf "$work/bare.db"* "$work/data"
    start bare "$build/bench/bare_server" insert "$work/bare.db" 0 2
    measure bare "$root/bench/post_ticket.lua" /api/v1/tickets | tee -a "$work/results"
    kill "$pid"; wait "$pid" 2>/dev/null || true

    "$build/src/app/chamado" user add --data "$work/data" --role customer --email bench@acme.example \
      --password bench-password --organization Acme >/dev/null
    export BENCH_TOKEN
    BENCH_TOKEN=$("$build/src/app/chamado" token create --data "$work/data" --email bench@acme.example | tail -1)
    start chamado env CHAMADO_LOG_LEVEL=warn "$build/src/app/chamado" serve --data "$work/data" --listen 127.0.0.1:0 --threads 2
    measure chamado "$root/bench/post_ticket.lua" /api/v1/tickets | tee -a "$work/results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    unset BENCH_TOKEN
  done
  awk '/^bare/ { match($0, /rps=[0-9]+/); b += substr($0, RSTART + 4, RLENGTH - 4); nb++ }
       /^chamado/ { match($0, /rps=[0-9]+/); c += substr($0, RSTART + 4, RLENGTH - 4); nc++ }
       END { printf "ratio chamado/bare = %.2f (mean rps %.0f / %.0f)\n", (c / nc) / (b / nb), c / nc, b / nb }' "$work/results"

fi
echo
echo "GET /api/v1/queue?limit=50 and /api/v1/tickets?status=open&limit=50 with $queue_tickets tickets in the store,"
echo "wrk -c4 -d$duration, $rounds round(s): bare (bench/bare_server.cc queue: the same rows through the same index, as JSON) and chamado"
rm -rf "$work/qdata"
mkdir -p "$work/qdata"
"$build/bench/seed_tickets" "$work/qdata/chamado.db" "$queue_tickets" 2>/dev/null
"$build/src/app/chamado" user add --data "$work/qdata" --role agent --email agent@bench.example --password bench-password >/dev/null
export BENCH_TOKEN
BENCH_TOKEN=$("$build/src/app/chamado" token create --data "$work/qdata" --email agent@bench.example | tail -1)
conns=4
: >"$work/reads"
for round in $(seq "$rounds"); do
  start bare "$build/bench/bare_server" queue "$work/qdata/chamado.db" 0 2
  for path in "/api/v1/queue?limit=50" "/api/v1/tickets?status=open&limit=50"; do
    BENCH_PATH=$path measure "bare" "$root/bench/get_queue.lua" "$path" | sed "s|^|${path%%\?*} |" | tee -a "$work/reads"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  start chamado env CHAMADO_LOG_LEVEL=warn "$build/src/app/chamado" serve --data "$work/qdata" --listen 127.0.0.1:0 --threads 2
  for path in "/api/v1/queue?limit=50" "/api/v1/tickets?status=open&limit=50"; do
    BENCH_PATH=$path measure "chamado" "$root/bench/get_queue.lua" "$path" | sed "s|^|${path%%\?*} |" | tee -a "$work/reads"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
for route in /api/v1/queue /api/v1/tickets; do
  awk -v route="$route" '$1 == route {
         match($0, /p99_ms=[0-9.]+/); p99 = substr($0, RSTART + 7, RLENGTH - 7)
         match($0, /server_cpu_us_per_req=[0-9.]+/); cpu = substr($0, RSTART + 22, RLENGTH - 22)
         if ($2 == "bare") { bp += p99; bc += cpu; nb++ } else { cp += p99; cc += cpu; nc++ } }
       END { printf "%-16s chamado/bare: server CPU per request %.2f (%.0f / %.0f us), p99 %.2f (%.2f / %.2f ms)\n",
                    route, (cc / nc) / (bc / nb), cc / nc, bc / nb, (cp / nc) / (bp / nb), cp / nc, bp / nb }' "$work/reads"
done
