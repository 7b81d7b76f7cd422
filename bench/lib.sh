# Shared by the benchmark scripts that drive real servers. The caller sets `work` (a scratch
# folder) and `pids=()` (what its exit trap kills).

# start NAME CMD... : starts a server printing "listening on http://HOST:PORT"; sets url, pid
start() {
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/$name.out" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$work/$name.err" >&2
  echo "$name did not start" >&2
  exit 1
}
