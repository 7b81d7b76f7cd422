# Shared by scripts/run and scripts/test: install what is missing, build what is stale.
# Quiet when there is nothing to do; loud only on failure.

# Debian 12 packages to build and run Chamado.
CHAMADO_BUILD_PACKAGES=(
  g++ cmake make pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libcurl4-openssl-dev libjemalloc-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libhowardhinnant-date-dev libical-dev
  libre2-dev libgmime-3.0-dev libxml2-dev libkainjow-mustache-dev libstemmer-dev libutf8proc-dev libxapian-dev
  libdtl-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libgumbo-dev
  libgtest-dev libbenchmark-dev
)
# Extra peers for the tests. prometheus (about 100 MB) only for its promtool, which checks the
# real /metrics output (tests/api/metrics.test.mjs).
CHAMADO_TEST_PACKAGES=(chromium python3 python3-aiosmtpd swaks clang libclang-rt-14-dev prometheus postgresql-15 pgbouncer)
# The package test (scripts/test-package): CPack's DEB tools, lintian, a Debian root, and podman
# with runc (crun refuses this machine's hybrid cgroups) for the container image.
CHAMADO_PACKAGE_TEST_PACKAGES=(dpkg-dev debootstrap lintian curl podman runc)

chamado_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Installs the given Debian packages that are not installed yet (apt-get update once first).
chamado_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # Node.js and npm build the web UI; use Debian's when the machine has none.
  if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
  if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq </dev/null >/dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/tmp/chamado-apt.log 2>&1 || {
    cat /tmp/chamado-apt.log >&2
    echo "apt-get install failed (log above)" >&2
    return 1
  }
}

# Runs a command quietly; prints its output only when it fails.
chamado_quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "failed: $*" >&2
    return 1
  fi
  rm -f "$log"
}

# Configures and builds the C++ tree in build/ (incrementally), then the web UI.
chamado_build() {
  local root jobs
  root=$(chamado_root)
  jobs=$(nproc 2>/dev/null || echo 2)
  [ "$jobs" -gt 2 ] && jobs=2  # Beast translation units need ~800 MB each
  if [ ! -f "$root/build/CMakeCache.txt" ]; then
    chamado_quiet cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  chamado_quiet cmake --build "$root/build" -j "$jobs"
  chamado_build_web
}

# Configures build-fuzz/ on first use: clang, every library with AddressSanitizer, UBSan and
# libFuzzer's coverage (-DCHAMADO_FUZZ=ON). The fuzz targets (scripts/fuzz) and the sanitized
# run of the tests (scripts/test-sanitized) build there.
chamado_configure_fuzz() {
  local root
  root=$(chamado_root)
  [ -f "$root/build-fuzz/CMakeCache.txt" ] && return 0
  chamado_quiet cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHAMADO_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
}

chamado_build_web() {
  local web
  web=$(chamado_root)/web
  [ -f "$web/package.json" ] || return 0
  if [ ! -f "$web/node_modules/.package-lock.json" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    (cd "$web" && chamado_quiet npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [ ! -f "$web/dist/index.html" ] || [ -n "$(find "$web/src" "$web/index.html" "$web/package.json" "$web/package-lock.json" "$web/vite.config.ts" "$web/scripts" -newer "$web/dist/index.html" 2>/dev/null | head -1)" ]; then
    (cd "$web" && chamado_quiet npm run build)
  fi
}
