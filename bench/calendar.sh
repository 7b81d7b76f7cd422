#!/usr/bin/env bash
# Business time, side by side in one run: Chamado's calendar engine on N random cases, and
# Perl's Business::Hours (Debian's libbusiness-hours-perl, Request Tracker's SLA engine) on
# the first PERL_N of the same cases, same calendar and holidays. Prints ns per operation
# for each, how many answers disagree, and the speed ratio.
# usage: bench/calendar.sh   (env: N=100000 PERL_N=300)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${N:-100000}
perl_n=${PERL_N:-300}
perl -MBusiness::Hours -e1 2>/dev/null || { echo "install libbusiness-hours-perl" >&2; exit 1; }
cases=$(mktemp)
trap 'rm -f "$cases"' EXIT
chamado=$("$root/build/bench/calendar_bench" "$n" "$cases")
echo "$chamado"
perl_line=$(TZ=America/Sao_Paulo perl "$root/bench/business_hours.pl" "$cases" "$perl_n")
echo "$perl_line"
awk -v c="$chamado" -v p="$perl_line" 'BEGIN {
  match(c, /add_ns=[0-9.]+/); ca = substr(c, RSTART + 7, RLENGTH - 7)
  match(c, /elapsed_ns=[0-9.]+/); ce = substr(c, RSTART + 11, RLENGTH - 11)
  match(p, /add_ns=[0-9.]+/); pa = substr(p, RSTART + 7, RLENGTH - 7)
  match(p, /elapsed_ns=[0-9.]+/); pe = substr(p, RSTART + 11, RLENGTH - 11)
  printf "speed-up: add %.0fx, elapsed %.0fx\n", pa / ca, pe / ce
}'
