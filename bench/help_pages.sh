#!/usr/bin/env bash
# Help-center pages served per second, beside the bare server, under the same wrk load:
#   bare            bench/bare_server.cc answering every GET with a fixed page from memory
#   page cached     GET /help/{language}/{product}/{module}/{slug}: index.html with the
#                   article's title, description and canonical link filled in by the server
#   page uncached   the same with [help] page_cache = 0 (every request reads and renders)
#   api cached      GET /api/v1/help/articles/{key}?language=: the rendered, sanitized body,
#                   translations and related articles (a search)
#   api uncached    the same with [help] page_cache = 0
# Each draws its address at random among KEYS articles in 3 languages (pt-BR, en, es), after
# asking for every address once.
# Prints requests/s, p50/p99 latency and the server's CPU time per request.
# Usage: bench/help_pages.sh   (env: DURATION=10s CONNECTIONS=16 KEYS=1000)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/bench/lib.sh"
build=$root/build
duration=${DURATION:-10s}
conns=${CONNECTIONS:-16}
keys=${KEYS:-1000}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure NAME PATHS_FILE : runs wrk over the addresses, prints one line with rps and CPU per request
measure() {
  local name=$1 before after line reqs first
  export BENCH_PATHS=$2
  first=$(head -1 "$2")
  [ -n "$first" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$url$first")" = 200 ] ||
    { echo "$name: no addresses, or $first does not answer 200" >&2; exit 1; }
  # Every address once (what a cache can hold is then held), then wrk's warm-up.
  sed "s|^|$url|" "$2" | xargs -n 500 curl -s --globoff >/dev/null
  wrk -t1 -c"$conns" -d2s -s "$root/bench/help_page.lua" "$url" >/dev/null  # warm-up
  before=$(cpu_ticks "$pid")
  line=$(wrk -t1 -c"$conns" -d"$duration" --latency -s "$root/bench/help_page.lua" "$url" | grep '^requests=')
  after=$(cpu_ticks "$pid")
  reqs=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
  awk -v n="$name" -v l="$line" -v t=$((after - before)) -v hz="$ticks" -v r="$reqs" \
    'BEGIN { printf "%-14s %s server_cpu_us_per_req=%.1f\n", n, l, (t / hz) * 1e6 / r }'
}

# A help center of KEYS articles, each in three languages: a few paragraphs, a list, a table.
mkdir -p "$work/articles" "$work/web"
python3 - "$work/articles" "$keys" <<'PY'
import os, sys
folder, keys = sys.argv[1], int(sys.argv[2])
words = {"pt-BR": "nota fiscal emissão cliente projeto prazo horas relatório boleto pagamento cadastro".split(),
         "en": "invoice issue client project deadline hours report boleto payment setup".split(),
         "es": "factura emisión cliente proyecto plazo horas informe boleto pago configuración".split()}
products = {"pt-BR": ["Financeiro", "Projetos", "Estoque"], "en": ["Billing", "Projects", "Stock"], "es": ["Facturación", "Proyectos", "Inventario"]}
for k in range(keys):
    for lang, w in words.items():
        title = f"{w[k % len(w)].capitalize()} {w[(k // 7) % len(w)]} {k}"
        body = "\n\n".join(" ".join(w[(k + i * j) % len(w)] for j in range(40)) + "." for i in range(4))
        body += "\n\n- **" + w[k % len(w)] + "**\n- " + w[(k + 1) % len(w)] + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        with open(os.path.join(folder, f"{k}.{lang}.md"), "w") as f:
            f.write(f"---\nkey: article-{k}\nlanguage: {lang}\ntitle: {title}\nproduct: {products[lang][k % 3]}\n"
                    f"module: Module {k % 20}\ntags: [{w[k % len(w)]}]\n---\n{body}\n")
PY
if [ -f "$root/web/dist/index.html" ]; then cp "$root/web/dist/index.html" "$work/web/"; else
  printf '<!doctype html>\n<html lang="en">\n<head><meta name="description" content="x" /><title>Chamado</title></head><body><div id="app"></div></body></html>\n' >"$work/web/index.html"
fi
"$build/src/app/chamado" help import --data "$work/data" "$work/articles" >/dev/null

echo "help-center pages: $keys articles x 3 languages, wrk -c$conns -d$duration, server threads=2, $(nproc) cores shared with wrk"
start bare "$build/bench/bare_server" page "$work/bare.db" 0 2
seq "$keys" | awk '{ print "/help/pt-BR/x/y/" $1 }' >"$work/bare.paths"
measure bare "$work/bare.paths"
kill "$pid"; wait "$pid" 2>/dev/null || true

for cache in 4096 0; do
  label=$([ "$cache" = 0 ] && echo uncached || echo cached)
  start "chamado-$label" env CHAMADO_LOG_LEVEL=warn CHAMADO_HELP_PAGE_CACHE="$cache" CHAMADO_MAIL_PUBLIC_URL=https://desk.example \
    "$build/src/app/chamado" serve --data "$work/data" --listen 127.0.0.1:0 --threads 2 --web "$work/web"
  # The pages of the sitemap's articles (5 parts under /help), and the same articles by key.
  curl -s "$url/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed 's|<loc>https://desk.example||; s|</loc>||' |
    awk -F/ 'NF == 6' | head -n $((keys * 3)) >"$work/pages.paths"
  for k in $(seq 0 $((keys - 1))); do for l in pt-BR en es; do echo "/api/v1/help/articles/article-$k?language=$l"; done; done >"$work/api.paths"
  measure "page $label" "$work/pages.paths"
  measure "api $label" "$work/api.paths"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
