// The help center's search and its files: `chamado help import` of the evaluation articles,
// `GET /api/v1/help/search` for readers (no account), drafts for agents, and export giving
// the same files back; `chamado search reindex` indexing tickets written before the index.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, tokenClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const articles = join(repoRoot, 'tests', 'search', 'eval', 'articles');
let server, agent, importOutput;

const ask = async (q, extra = '', headers = {}) => {
  const r = await fetch(`${server.url}/api/v1/help/search?q=${encodeURIComponent(q)}${extra}`, { headers });
  const out = { status: r.status, json: await r.json() };
  assertDocumented('GET', '/api/v1/help/search', out);
  return out;
};

before(async () => {
  server = await startServer();
  importOutput = server.cli('help', 'import', articles);
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
});

after(async () => { await server?.stop(); });

test('import reports what it did, and again changes nothing', () => {
  assert.match(importOutput, /144 created, 0 updated, 0 unchanged, 0 refused/);
  assert.match(server.cli('help', 'import', articles), /0 created, 0 updated, 144 unchanged, 0 refused/);
});

test("a reader's question finds the article in their language first, then the others", async () => {
  const r = await ask('como faço pra cancelar uma nota fiscal que já saiu?', '&language=pt-BR');
  assert.equal(r.status, 200);
  const first = r.json.items[0];
  assert.match(first.key, /^invoices-cancel-nfs?e$/);  // NF-e or NFS-e: both are "notas fiscais"
  assert.ok(r.json.items.slice(0, 3).some((i) => i.key === 'invoices-cancel-nfe'));
  assert.equal(first.language, 'pt-BR');
  assert.match(first.url, /^\/help\/pt-BR\/financeiro\/notas-fiscais\/[a-z0-9-]+$/);
  assert.match(first.title_html, /<mark>/);
  assert.match(first.snippet, /<mark>/);
  assert.ok(!/\*\*/.test(first.snippet), 'Markdown is reduced to text');
  const languages = r.json.items.map((i) => i.language);
  assert.deepEqual(languages, [...languages].sort((a, b) => (a === 'pt-BR' ? 0 : 1) - (b === 'pt-BR' ? 0 : 1)));
  const en = await ask('reset my password', '&language=en&limit=3');
  assert.equal(en.json.items.length, 3);
  assert.equal(en.json.items[0].language, 'en');
});

test('filters by product, bad input is a 400, and drafts are for agents', async () => {
  const r = await ask('nota', '&language=pt-BR&product=Estoque');
  assert.ok(r.json.items.every((i) => i.product === 'Estoque'), JSON.stringify(r.json.items.map((i) => i.product)));
  assert.equal((await ask('nota', '&language=fr')).status, 400);
  assert.equal((await ask('nota', '&limit=0')).status, 400);
  assert.equal((await ask('x'.repeat(501))).status, 400);
  assert.deepEqual((await ask('', '&language=en')).json.items, []);

  const drafts = mkdtempSync(join(tmpdir(), 'chamado-drafts-'));
  writeFileSync(join(drafts, 'd.md'), '---\nkey: draft-only\nlanguage: en\ntitle: Quarterly zebra report\nstatus: draft\n---\nNot yet.\n');
  server.cli('help', 'import', drafts);
  assert.deepEqual((await ask('zebra', '&language=en')).json.items, []);
  assert.equal((await ask('zebra', '&language=en&drafts=true')).status, 403);
  const forAgent = await ask('zebra', '&language=en&drafts=true', { authorization: `Bearer ${server.token('agent@desk.test')}` });
  assert.equal(forAgent.json.items[0].key, 'draft-only');
  assert.equal(forAgent.json.items[0].status, 'draft');
});

test('a bad file is reported with its path and line and left out; the good ones go in', () => {
  const folder = mkdtempSync(join(tmpdir(), 'chamado-bad-'));
  mkdirSync(join(folder, 'sub'));
  writeFileSync(join(folder, 'sub', 'bad.md'), '---\nkey: k\nlanguage: en\ntitle: T\ncolour: red\n---\nbody\n');
  writeFileSync(join(folder, 'good.md'), '---\nkey: good-one\nlanguage: en\ntitle: Fine\n---\nbody\n');
  let failed;
  try {
    server.cli('help', 'import', folder);
  } catch (e) {
    failed = e;
  }
  assert.equal(failed?.status, 1);
  assert.match(failed.stderr, /sub\/bad\.md: line 5: unknown field "colour"/);
  assert.match(failed.stdout, /1 created, 0 updated, 0 unchanged, 1 refused/);
});

test('export gives back the files import read', () => {
  const out = mkdtempSync(join(tmpdir(), 'chamado-export-'));
  assert.match(server.cli('help', 'export', out), /exported \d+ articles/);
  const exported = join(out, 'financeiro', 'notas-fiscais', 'invoices-issue-nfe.pt-BR.md');
  assert.equal(readFileSync(exported, 'utf8'), readFileSync(join(articles, 'invoices-issue-nfe.pt-BR.md'), 'utf8'));
  assert.ok(readdirSync(join(out, 'finance')).length > 0);
});

test('search reindex indexes what the index does not hold, with its count', () => {
  const data = mkdtempSync(join(tmpdir(), 'chamado-reindex-'));
  execFileSync(chamadoBin, ['demo', '--data', data], { stdio: 'pipe' });
  const rebuilt = execFileSync(chamadoBin, ['search', 'reindex', '--rebuild', '--data', data], { encoding: 'utf8' });
  assert.match(rebuilt, /reindex: [1-9][0-9,]* \/ [1-9][0-9,]* tickets \(100\.0%/);
  const again = execFileSync(chamadoBin, ['search', 'reindex', '--data', data], { encoding: 'utf8' });
  assert.match(again, /reindex: 0 tickets/);
});
