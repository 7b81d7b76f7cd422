// After `vite build`: writes a gzip (.gz) and a Brotli (.br) copy beside each text file of
// dist/, so the server sends compressed bytes without compressing per request (it picks the
// copy the browser accepts: src/http/api.cc, StaticFiles). A copy that would not be smaller
// is not written. Uses Node's own zlib: no dependency.
import { readdirSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { join, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const compressible = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.webmanifest', '.map']);

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

let written = 0, before = 0, after = 0;
for (const file of [...files(dist)]) {
  if (file.endsWith('.gz') || file.endsWith('.br')) { rmSync(file); continue; }  // from an earlier build
  if (!compressible.has(extname(file))) continue;
  const raw = readFileSync(file);
  const copies = {
    '.gz': gzipSync(raw, { level: 9 }),
    '.br': brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  };
  for (const [ext, bytes] of Object.entries(copies)) {
    if (bytes.length >= raw.length) continue;
    writeFileSync(file + ext, bytes);
    written++;
  }
  before += raw.length;
  after += statSync(file + '.br', { throwIfNoEntry: false })?.size ?? raw.length;
}
console.log(`compress: ${written} compressed copies; text ${(before / 1024).toFixed(0)} KiB, ${(after / 1024).toFixed(0)} KiB as Brotli`);
