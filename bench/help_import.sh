#!/usr/bin/env bash
# Help-center import throughput: N articles (a third each in pt-BR, en and es; one in seven
# showing an image; tests/lib/help_corpus.mjs) through `chamado help import` into a fresh data
# folder, then the same folder again (every translation unchanged), then `chamado help
# export`. Baselines in the same run: the same articles with their image references taken
# out (what the images cost), and copying the folder (what reading and writing the files
# costs the file system). Prints articles/s for each and the ratios.
# usage: bench/help_import.sh   (env: N=10000, the translations; CHAMADO=build/src/app/chamado)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${N:-10000}
chamado=${CHAMADO:-$root/build/src/app/chamado}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One key in three languages is three translations: n/3 keys.
node "$root/tests/lib/help_corpus.mjs" "$work/source" $((n / 3)) pt-BR en es >/dev/null
cp -r "$work/source" "$work/plain"
find "$work/plain" -name '*.md' -exec sed -i 's/^!\[.*\](img\/.*)$//' {} +
total=$(find "$work/source" -name '*.md' | wc -l)
images=$(find "$work/source" -path '*/img/*' -type f | wc -l)

seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
rate() { echo "$total / $1" | bc -l | xargs printf '%.0f'; }

t_import=$(seconds "$chamado" help import --data "$work/data" "$work/source")
t_again=$(seconds "$chamado" help import --data "$work/data" "$work/source")
t_export=$(seconds "$chamado" help export --data "$work/data" "$work/export")
t_plain=$(seconds "$chamado" help import --data "$work/data-plain" "$work/plain")
t_copy=$(seconds cp -r "$work/source" "$work/copy")

printf '%s translations, %s images\n' "$total" "$images"
printf 'import (fresh store)        %8s articles/s  (%.1f s)\n' "$(rate "$t_import")" "$t_import"
printf 'import again (unchanged)    %8s articles/s  (%.1f s)\n' "$(rate "$t_again")" "$t_again"
printf 'export                      %8s articles/s  (%.1f s)\n' "$(rate "$t_export")" "$t_export"
printf 'baseline: import, no images %8s articles/s  (%.1f s)\n' "$(rate "$t_plain")" "$t_plain"
printf 'baseline: cp -r             %8s articles/s  (%.2f s)\n' "$(rate "$t_copy")" "$t_copy"
printf 'images cost: %.2fx the import without them; the import takes %.1fx the time of a copy of the files\n' \
  "$(echo "$t_import / $t_plain" | bc -l)" "$(echo "$t_import / $t_copy" | bc -l)"
