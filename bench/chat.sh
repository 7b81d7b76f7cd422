#!/usr/bin/env bash
# Live chat under load (issue 13), in one run, with the same generator (build/bench/chat_load)
# and the same sockets and message rate for both:
#   bare     the baseline (bench/bare_server.cc ws): a Beast WebSocket echo that passes each
#            frame to the other socket of its conversation, nothing stored
#   chamado  the real server on seed 000 (24/7, plan "regular" has chat, no bot flow): every
#            message stored (synchronous=FULL) before it is acknowledged and delivered
# CONVERSATIONS conversations, each a customer socket and an agent socket; each customer
# writes every INTERVAL seconds and the agent answers at once. Prints delivery latency p50/p99
# and the server's CPU (% of one core) and memory for each, and the ratio.
# Builds nothing: run it after building bench/ in build/. Run it alone on the machine
# (flock /tmp/chamado-build.lock bench/chat.sh on a shared one).
# Usage: bench/chat.sh   (env: CONVERSATIONS=1000 AGENTS=10 INTERVAL=4 WARMUP=5 DURATION=30 THREADS=2)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
build=$root/build
conversations=${CONVERSATIONS:-1000}
agents=${AGENTS:-10}
interval=${INTERVAL:-4}
warmup=${WARMUP:-5}
duration=${DURATION:-30}
threads=${THREADS:-2}
for bin in "$build/bench/chat_load" "$build/bench/bare_server" "$build/src/app/chamado"; do
  [ -x "$bin" ] || { echo "$bin is missing: build it first (cmake --build build --target chat_load bare_server chamado)" >&2; exit 1; }
done
# Two sockets per conversation on each side, plus the server's files.
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
load=("--conversations" "$conversations" "--interval" "$interval" "--warmup" "$warmup" "--duration" "$duration")

echo "$conversations conversations, a customer message every ${interval}s each and the agent's answer at once," \
  "${warmup}s warm-up, ${duration}s measured, server threads=$threads, $(nproc) cores shared with the generator"

start bare "$build/bench/bare_server" ws - 0 "$threads"
"$build/bench/chat_load" "$url" --bare --pid "$pid" "${load[@]}" | tee "$work/bare"
kill "$pid"; wait "$pid" 2>/dev/null || true

chamado=$build/src/app/chamado
"$chamado" policy apply "$root/examples/policies/000_whatsapp_api_provider.toml" --data "$work/data" >/dev/null
"$chamado" user add --data "$work/data" --role admin --email admin@bench.example --password bench-password >/dev/null
admin=$("$chamado" token create --data "$work/data" --email admin@bench.example | tail -1)
: >"$work/agents"
for i in $(seq "$agents"); do
  "$chamado" user add --data "$work/data" --role agent --email "agent$i@bench.example" --password bench-password >/dev/null
  "$chamado" token create --data "$work/data" --email "agent$i@bench.example" | tail -1 >>"$work/agents"
done
# 127.0.0.1 is trusted as a proxy so each visitor starts from its own X-Forwarded-For address;
# no per-agent limit, so $agents agents hold all the conversations.
start chamado env CHAMADO_LOG_LEVEL=warn CHAMADO_SERVER_TRUSTED_PROXIES=127.0.0.1 CHAMADO_CHAT_MAX_PER_AGENT=0 \
  "$chamado" serve --data "$work/data" --listen 127.0.0.1:0 --threads "$threads"
"$build/bench/chat_load" "$url" "$admin" "$work/agents" --pid "$pid" "${load[@]}" | tee "$work/chamado"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo
awk '/^result/ {
       for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
       m = v["mode"]; p50[m] = v["p50_ms"]; p99[m] = v["p99_ms"]
       printf "%-8s msgs/s=%-6s p50=%-7s p99=%-7s max=%-8s lost=%-3s cpu=%s%% rss=%sMiB hwm=%sMiB\n",
              m, v["msgs_per_s"], v["p50_ms"] "ms", v["p99_ms"] "ms", v["max_ms"] "ms", v["lost"], v["cpu_pct"], v["rss_mib"], v["hwm_mib"]
     }
     END { if (p50["bare"] > 0 && p99["bare"] > 0)
             printf "ratio chamado/bare: p50 %.1f, p99 %.1f (target: chamado p99 under 50 ms)\n", p50["chamado"] / p50["bare"], p99["chamado"] / p99["bare"] }' \
  "$work/bare" "$work/chamado"
