#!/usr/bin/env bash
# Every report over TICKETS tickets (default 1,000,000: a year of a busy desk, bench/seed_reports.cc),
# 20 runs each with different filters (periods of 7 to 366 days, and none, a priority, a plan,
# a group, an agent or an organization), through the real server (GET /api/v1/reports/...,
# curl's total time), side by side with the equivalent single SQL query run bare in the sqlite3
# CLI on the same file (.timer on, the same filter and period), after one untimed run per
# report. Prints p50 and p99 per report (p99 of 20 runs is the slowest run, named) and fails
# when a report's p99 is 1 s or more.
# Usage: bench/reports.sh   (env: TICKETS=1000000 RUNS=20)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
build=$root/build
tickets=${TICKETS:-1000000}
runs=${RUNS:-20}
for tool in curl sqlite3; do command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }; done
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

chamado=$build/src/app/chamado
export CHAMADO_LOG_LEVEL=warn
"$chamado" policy apply --data "$work/data" "$root/examples/policies/000_whatsapp_api_provider.toml" >/dev/null
seed_start=$(date +%s)
"$build/bench/seed_reports" "$work/data/chamado.db" "$tickets" >/dev/null 2>&1
echo "seeded $tickets tickets in $(( $(date +%s) - seed_start )) s ($(du -sh "$work/data" | cut -f1) on disk)"
"$chamado" user add --data "$work/data" --role agent --email bench@desk.example --password bench-password >/dev/null
token=$("$chamado" token create --data "$work/data" --email bench@desk.example | tail -1)
start chamado "$chamado" serve --data "$work/data" --listen 127.0.0.1:0 --threads 2

# The 20 filters: a period (from, to), then a filter parameter and its SQL.
periods=(2026-02-22,2026-02-28 2026-02-01,2026-02-28 2025-12-01,2026-02-28 2025-03-02,2026-02-28 2025-06-01,2025-06-30)
# The SQL is the server's, unary + and all (it keeps SQLite on the period's covering index).
filters=("|" "priority=1|AND t.priority = '1'" "plan=premium|AND +t.organization_id IN (SELECT id FROM organizations WHERE plan = 'premium')"
         "group=3|AND +t.group_id = 3" "agent=200005|AND +t.assignee_id = 200005" "organization=1010|AND +t.organization_id = 1010")
ms() { date -u -d "$1" +%s000; }

# The bare query of each report, over tickets t with the period [F, T) and the filter W.
bare_sql() {
  local report=$1 F=$2 T=$3 W=$4 D0=$(( $2 - $2 % 86400000 ))
  case $report in
    response-times) echo "SELECT count(*), avg(t.first_response_at - t.created_at), avg(t.first_response_business_ms) FROM tickets t WHERE t.first_response_at >= $F AND t.first_response_at < $T $W UNION ALL SELECT count(*), avg(t.solved_at - t.created_at), avg(t.resolution_business_ms) FROM tickets t WHERE t.solved_at >= $F AND t.solved_at < $T $W;" ;;
    sla) echo "SELECT * FROM (SELECT 'first_response', t.priority, sum(t.first_response_outcome = 'met'), sum(t.first_response_outcome = 'breached') FROM tickets t WHERE t.first_response_decided_at >= $F AND t.first_response_decided_at < $T $W GROUP BY t.priority_rank) UNION ALL SELECT * FROM (SELECT 'resolution', t.priority, sum(t.resolution_outcome = 'met'), sum(t.resolution_outcome = 'breached') FROM tickets t WHERE t.resolution_decided_at >= $F AND t.resolution_decided_at < $T $W GROUP BY t.priority_rank) UNION ALL SELECT * FROM (SELECT c.target, t.priority, sum(c.state = 'met'), sum(c.state = 'breached') FROM ticket_clocks c JOIN tickets t ON t.number = c.ticket_number WHERE c.state IN ('met', 'breached') AND (CASE WHEN c.state = 'breached' THEN c.breached_at ELSE c.stopped_at END) >= $F AND (CASE WHEN c.state = 'breached' THEN c.breached_at ELSE c.stopped_at END) < $T AND c.target = 'next_response' $W GROUP BY t.priority_rank);" ;;
    backlog) echo "SELECT 'before', count(*) FROM tickets t WHERE t.created_at < $F $W UNION ALL SELECT 'solved before', count(*) FROM tickets t WHERE t.solved_at < $F $W UNION ALL SELECT * FROM (SELECT 'c' || ((t.created_at - $D0) / 86400000), count(*) FROM tickets t WHERE t.created_at >= $F AND t.created_at < $T $W GROUP BY 1) UNION ALL SELECT * FROM (SELECT 's' || ((t.solved_at - $D0) / 86400000), count(*) FROM tickets t WHERE t.solved_at >= $F AND t.solved_at < $T $W GROUP BY 1);" ;;
    channels) echo "SELECT * FROM (SELECT 'created', t.channel, count(*) FROM tickets t WHERE t.created_at >= $F AND t.created_at < $T $W GROUP BY t.channel) UNION ALL SELECT * FROM (SELECT 'solved', t.channel, count(*) FROM tickets t WHERE t.solved_at >= $F AND t.solved_at < $T $W GROUP BY t.channel);" ;;
    outcomes) echo "SELECT t.resolution, count(*) FROM tickets t WHERE t.solved_at >= $F AND t.solved_at < $T $W GROUP BY t.resolution;" ;;
    satisfaction) echo "SELECT a.rating, count(*) FROM tickets t JOIN survey_answers a ON a.ticket_number = t.number WHERE t.solved_at >= $F AND t.solved_at < $T $W GROUP BY a.rating UNION ALL SELECT 'solved', count(*) FROM tickets t WHERE t.solved_at >= $F AND t.solved_at < $T $W;" ;;
  esac
}

# p50 and p99 (nearest rank) of the seconds in a file, one per line, as milliseconds.
stats() { sort -g "$1" | awk '{ v[NR] = $1 } END { p50 = v[int((NR + 1) / 2)]; r = int(NR * 0.99); if (r < NR * 0.99) r++; printf "%.1f %.1f", p50 * 1000, v[r] * 1000 }'; }

echo "$runs runs per report, each with its own period and filter; server threads=2, $(nproc) cores"
printf '%-15s %12s %12s %12s %12s\n' report chamado_p50 chamado_p99 bare_p50 bare_p99
failed=0
for report in response-times sla backlog channels outcomes satisfaction; do
  : >"$work/chamado.txt"; : >"$work/bare.txt"; : >"$work/runs.txt"
  # One untimed run first, as a server that has been up a while has its caches warm.
  curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/reports/$report?from=2025-03-02&to=2026-02-28"
  for run in $(seq 0 $((runs - 1))); do
    period=${periods[$((run % ${#periods[@]}))]}
    filter=${filters[$((run % ${#filters[@]}))]}
    from=${period%,*}; to=${period#*,}
    param=${filter%%|*}; where=${filter#*|}
    curl -s -o "$work/answer" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" \
      "$url/api/v1/reports/$report?from=$from&to=$to${param:+&$param}" >"$work/timing"
    read -r code seconds <"$work/timing"
    [ "$code" = 200 ] || { echo "$report $from $to $param: HTTP $code: $(cat "$work/answer")" >&2; exit 1; }
    echo "$seconds $from..$to${param:+ $param}" >>"$work/runs.txt"
    echo "$seconds" >>"$work/chamado.txt"
    F=$(ms "$from"); T=$(( $(ms "$to") + 86400000 ))
    printf '.timer on\n%s\n' "$(bare_sql "$report" "$F" "$T" "$where")" | sqlite3 "$work/data/chamado.db" 2>&1 \
      | awk '/^Run Time:/ { s += $4 } END { print s }' >>"$work/bare.txt"
  done
  read -r c50 c99 <<<"$(stats "$work/chamado.txt")"
  read -r b50 b99 <<<"$(stats "$work/bare.txt")"
  printf '%-15s %10s ms %10s ms %10s ms %10s ms   slowest: %s\n' "$report" "$c50" "$c99" "$b50" "$b99" "$(sort -g "$work/runs.txt" | tail -1 | cut -d' ' -f2-)"
  awk -v p="$c99" 'BEGIN { exit !(p >= 1000) }' && failed=1
done
[ "$failed" = 0 ] || { echo "a report's p99 is 1 s or more" >&2; exit 1; }
