# Shared by the benchmark scripts that drive the real server.

# bench_serve WORK DATA [ENV=VALUE ...]: starts `chamado serve` on DATA on a free port, with
# its output in WORK; sets `url` and `server_pid` once it listens, or exits with its error.
bench_serve() {
  local work=$1 data=$2
  shift 2
  env CHAMADO_LOG_LEVEL=warn "$@" "$root/build/src/app/chamado" serve --data "$data" --listen 127.0.0.1:0 --threads 2 \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  url=
  for _ in $(seq 100); do
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.out" 2>/dev/null | head -1 || true)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  cat "$work/server.err" >&2
  echo "the server did not start" >&2
  exit 1
}
