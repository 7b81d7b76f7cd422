// A help center moved the way teams move one: 2,000 articles × 3 languages (pt-BR, en, es)
// with images, generated in a folder laid out as `chamado help export` writes, imported,
// imported again (nothing changes), exported (the same files, byte for byte, images
// included), and the export imported into a fresh data folder and exported again (the same
// help center). Then files with a missing image, a fake image or one outside the folder are
// reported with their path and line and nothing of them is imported; and two different images
// of one name exported into one folder keep apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chamadoBin } from '../lib/server.mjs';
import { generateHelpCenter, image } from '../lib/help_corpus.mjs';

const ARTICLES = 2000;
const LANGUAGES = ['pt-BR', 'en', 'es'];

// Every file under `root`, by relative path, with its bytes.
function tree(root) {
  const out = new Map();
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

function assertSameTree(actual, expected, what) {
  const a = tree(actual), e = tree(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort(), `${what}: the same files`);
  for (const [name, bytes] of e) assert.ok(bytes.equals(a.get(name)), `${what}: ${name} differs`);
}

const cli = (...args) => execFileSync(chamadoBin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('2,000 articles × 3 languages with images: import, export, import into a fresh store, the same help center', () => {
  const work = mkdtempSync(join(tmpdir(), 'chamado-roundtrip-'));
  const source = join(work, 'source');
  const images = generateHelpCenter(source, ARTICLES, LANGUAGES);
  assert.ok(images >= 40, `generated ${images} images`);
  const total = ARTICLES * LANGUAGES.length;

  const first = join(work, 'data-a');
  assert.match(cli('help', 'import', '--data', first, source), new RegExp(`imported .*: ${total} created, 0 updated, 0 unchanged, 0 refused`));
  // Idempotent: the same folder again stores no new image and makes no revision.
  assert.match(cli('help', 'import', '--data', first, source), new RegExp(`0 created, 0 updated, ${total} unchanged, 0 refused`));

  const exported = join(work, 'export-a');
  assert.match(cli('help', 'export', '--data', first, exported), new RegExp(`exported ${total} articles and ${images} images`));
  assertSameTree(exported, source, 'the export of the import');

  const fresh = join(work, 'data-b');
  assert.match(cli('help', 'import', '--data', fresh, exported), new RegExp(`${total} created, 0 updated, 0 unchanged, 0 refused`));
  const again = join(work, 'export-b');
  cli('help', 'export', '--data', fresh, again);
  assertSameTree(again, exported, 'the export of the fresh store');

  // The export points the Markdown back at the image files beside it.
  const one = readFileSync(join(exported, 'crm', 'clientes', 'crm-clientes-3.en.md'), 'utf8');
  assert.match(one, /!\[Clientes\]\(img\/tela-3\.webp\)/);

  // A changed file is an update, the rest unchanged.
  const changed = join(source, 'financeiro', 'notas-fiscais', 'financeiro-notas-fiscais-0.es.md');
  writeFileSync(changed, readFileSync(changed, 'utf8') + '\nUna línea más.\n');
  assert.match(cli('help', 'import', '--data', first, source), new RegExp(`0 created, 1 updated, ${total - 1} unchanged, 0 refused`));
});

test('a missing, fake or outside image refuses its file whole, naming the path and line', () => {
  const work = mkdtempSync(join(tmpdir(), 'chamado-badimages-'));
  const folder = join(work, 'articles');
  mkdirSync(join(folder, 'img'), { recursive: true });
  writeFileSync(join(work, 'outside.png'), image('png', 1));
  writeFileSync(join(folder, 'img', 'fake.png'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  writeFileSync(join(folder, 'img', 'ok.png'), image('png', 2));
  const head = (key) => `---\nkey: ${key}\nlanguage: en\ntitle: ${key}\n---\n\n`;
  writeFileSync(join(folder, 'missing.md'), `${head('missing')}Intro\n\n![ok](img/ok.png)\n\n![gone](img/nope.png)\n`);
  writeFileSync(join(folder, 'fake.md'), `${head('fake')}![x](img/fake.png)\n`);
  writeFileSync(join(folder, 'outside.md'), `${head('outside')}![x](../outside.png)\n`);
  writeFileSync(join(folder, 'good.md'), `${head('good')}![ok](img/ok.png)\n`);

  const data = join(work, 'data');
  const r = spawnSync(chamadoBin, ['help', 'import', '--data', data, folder], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /1 created, 0 updated, 0 unchanged, 3 refused/);
  assert.match(r.stderr, /missing\.md: line 11: the image "img\/nope\.png" is not there/);
  assert.match(r.stderr, /fake\.md: line 7: the image "img\/fake\.png" is not a PNG, JPEG, GIF or WebP image/);
  assert.match(r.stderr, /outside\.md: line 7: the image "\.\.\/outside\.png" is outside the folder imported/);

  const out = join(work, 'export');
  assert.match(cli('help', 'export', '--data', data, out), /exported 1 articles and 1 images/);
  assert.deepEqual(readdirSync(join(out, 'general', 'general')).sort(), ['good.en.md', 'img']);
});

test('two different images of one name shown in one folder are both exported, the second named by its hash', () => {
  const work = mkdtempSync(join(tmpdir(), 'chamado-samename-'));
  const source = join(work, 'source');
  for (const [dir, n] of [['team-a', 1], ['team-b', 2]]) {
    mkdirSync(join(source, dir, 'img'), { recursive: true });
    writeFileSync(join(source, dir, 'img', 'logo.png'), image('png', n));
    writeFileSync(join(source, dir, `${dir}.en.md`), `---\nkey: ${dir}\nlanguage: en\ntitle: ${dir}\nproduct: P\nmodule: M\n---\n\n![logo](img/logo.png)\n`);
  }
  const data = join(work, 'data');
  assert.match(cli('help', 'import', '--data', data, source), /2 created/);
  const out = join(work, 'export');
  assert.match(cli('help', 'export', '--data', data, out), /exported 2 articles and 2 images/);
  const files = readdirSync(join(out, 'p', 'm', 'img'));
  assert.equal(files.length, 2);
  const second = files.find((f) => f !== 'logo.png');
  assert.ok(files.includes('logo.png'), files.join());
  assert.match(second, /^logo-[0-9a-f]{8}\.png$/);
  assert.ok(readFileSync(join(out, 'p', 'm', 'img', 'logo.png')).equals(image('png', 1)));
  assert.ok(readFileSync(join(out, 'p', 'm', 'img', second)).equals(image('png', 2)));
  assert.match(readFileSync(join(out, 'p', 'm', 'team-b.en.md'), 'utf8'), new RegExp(`!\\[logo\\]\\(img/${second}\\)`));
  // Imported again, the export gives the same files.
  const fresh = join(work, 'fresh');
  cli('help', 'import', '--data', fresh, out);
  const again = join(work, 'again');
  cli('help', 'export', '--data', fresh, again);
  assertSameTree(again, out, 'the export of the re-imported export');
});
