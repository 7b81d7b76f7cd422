// The help center's authoring API: an article translation saved by agents as revisions (a
// no-change save makes none), validation naming the field, base_revision turning a lost update
// into a 409, revisions with their diff and restore, the editor's list, imports counting as
// revisions by "import", and images (agents upload, everybody reads, cached and typed by their
// bytes). Every answer is checked against docs/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall, assertDocumented } from '../lib/openapi.mjs';

let server, ana, bruno, customer;
const A = '/api/v1/help/articles/{key}/{language}';
const article = (key, language = 'pt-BR') => `/api/v1/help/articles/${key}/${language}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really pixels')]);

before(async () => {
  server = await startServer();
  server.addUser('agent', 'ana@desk.test', 'agent-pass-1', ['--name', 'Ana Lima']);
  server.addUser('agent', 'bruno@desk.test', 'agent-pass-2', ['--name', 'Bruno Reis']);
  server.addUser('customer', 'cliente@acme.test', 'customer-pass-1');
  ana = tokenClient(server.url, server.token('ana@desk.test'));
  bruno = tokenClient(server.url, server.token('bruno@desk.test'));
  customer = tokenClient(server.url, server.token('cliente@acme.test'));
});

after(async () => { await server?.stop(); });

const nfe = {
  title: 'Como emitir uma nota fiscal',
  body: '# Emitir\n\n1. Abra Financeiro.\n2. Clique em Emitir.\n',
  product: 'Financeiro',
  module: 'Notas fiscais',
  status: 'draft',
  tags: ['NF-e', 'Faturamento'],
};

test('a new article is revision 1 by its agent; the same content again makes no revision', async () => {
  const created = await documentedCall(ana, 'PUT', article('invoices-issue-nfe'), A, { ...nfe, base_revision: 0 });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.saved, 'created');
  assert.equal(created.json.revision, 1);
  assert.equal(created.json.status, 'draft');
  assert.deepEqual(created.json.tags, ['nf-e', 'faturamento']);
  assert.equal(created.json.updated_by.name, 'Ana Lima');
  assert.equal(created.json.path, '/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal');

  const same = await documentedCall(bruno, 'PUT', article('invoices-issue-nfe'), A, { ...nfe, base_revision: 1 });
  assert.equal(same.status, 200);
  assert.equal(same.json.saved, 'unchanged');
  assert.equal(same.json.revision, 1);
  assert.equal(same.json.updated_by.name, 'Ana Lima');

  const got = await documentedCall(bruno, 'GET', article('invoices-issue-nfe'), A);
  assert.equal(got.status, 200);
  assert.equal(got.json.body, nfe.body);
  assert.equal(got.json.revision, 1);
});

test('validation names each field; the key and language of the path are checked', async () => {
  const bad = await documentedCall(ana, 'PUT', article('invoices-issue-nfe'), A, { title: ' ', body: 'x', status: 'live', tags: ['x'.repeat(70)], colour: 'red' });
  assert.equal(bad.status, 400);
  const fields = bad.json.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['colour', 'status', 'tags', 'title']);
  const missing = await documentedCall(ana, 'PUT', article('invoices-issue-nfe'), A, {});
  assert.deepEqual(missing.json.errors.map((e) => e.field).sort(), ['body', 'title']);
  const badKey = await documentedCall(ana, 'PUT', article('Bad Key!', 'pt-BR'), A, nfe);
  assert.equal(badKey.status, 400);
  assert.equal(badKey.json.errors[0].field, 'key');
  const badLanguage = await documentedCall(ana, 'GET', article('invoices-issue-nfe', 'fr'), A);
  assert.equal(badLanguage.status, 400);
  assert.equal(badLanguage.json.errors[0].field, 'language');
  assert.equal((await documentedCall(ana, 'GET', article('never-written'), A)).status, 404);
  // A request is at most [limits] max_body_bytes (1 MiB by default) of JSON, the body in it too.
  const big = await documentedCall(ana, 'PUT', article('too-big'), A, { title: 'Big', body: 'x'.repeat((1 << 20) + 1) });
  assert.equal(big.status, 413);
  assert.equal(big.json.code, 'too_large');
});

test('customers and readers without an account cannot author', async () => {
  assert.equal((await documentedCall(customer, 'GET', article('invoices-issue-nfe'), A)).status, 403);
  assert.equal((await documentedCall(customer, 'PUT', article('invoices-issue-nfe'), A, nfe)).status, 403);
  const anonymous = await fetch(`${server.url}${article('invoices-issue-nfe')}`);
  assert.equal(anonymous.status, 401);
});

test('two agents editing at once: the second save from the same base is a 409 naming who saved', async () => {
  const anaSave = await documentedCall(ana, 'PUT', article('invoices-issue-nfe'), A, { ...nfe, body: `${nfe.body}3. Confira o XML.\n`, base_revision: 1 });
  assert.equal(anaSave.status, 200);
  assert.equal(anaSave.json.saved, 'updated');
  assert.equal(anaSave.json.revision, 2);
  const brunoSave = await documentedCall(bruno, 'PUT', article('invoices-issue-nfe'), A, { ...nfe, title: 'Emitir NF-e', base_revision: 1 });
  assert.equal(brunoSave.status, 409);
  assert.match(brunoSave.json.detail, /Revision 2 .* saved by Ana Lima/);
  const stillAna = await documentedCall(bruno, 'GET', article('invoices-issue-nfe'), A);
  assert.equal(stillAna.json.title, nfe.title);
  // Without base_revision the save wins (scripts that own the text).
  const forced = await documentedCall(bruno, 'PUT', article('invoices-issue-nfe'), A, { ...nfe, title: 'Emitir NF-e', status: 'published' });
  assert.equal(forced.json.revision, 3);
  assert.equal(forced.json.updated_by.name, 'Bruno Reis');
});

test('revisions: the list, one with its diff, and restore as a new revision', async () => {
  const R = `${A}/revisions`;
  const list = await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions`, R);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((r) => [r.number, r.author.name, r.status, r.title]), [
    [3, 'Bruno Reis', 'published', 'Emitir NF-e'],
    [2, 'Ana Lima', 'draft', nfe.title],
    [1, 'Ana Lima', 'draft', nfe.title],
  ]);

  const two = await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions/2`, `${R}/{number}`);
  assert.equal(two.status, 200);
  assert.equal(two.json.previous, 1);
  assert.equal(two.json.body, `${nfe.body}3. Confira o XML.\n`);
  assert.deepEqual(two.json.diff.filter((l) => l.op !== 'same'), [{ op: 'added', text: '3. Confira o XML.', before: null, after: 5 }]);
  const first = await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions/1`, `${R}/{number}`);
  assert.equal(first.json.previous, null);
  assert.ok(first.json.diff.every((l) => l.op === 'added'));
  assert.equal((await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions/9`, `${R}/{number}`)).status, 404);
  assert.equal((await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions/zero`, `${R}/{number}`)).status, 404);

  const restored = await documentedCall(ana, 'POST', `${article('invoices-issue-nfe')}/revisions/1/restore`, `${R}/{number}/restore`);
  assert.equal(restored.status, 200, restored.text);
  assert.equal(restored.json.saved, 'updated');
  assert.equal(restored.json.revision, 4);
  assert.equal(restored.json.body, nfe.body);
  assert.equal(restored.json.status, 'draft');
  const after = await documentedCall(ana, 'GET', `${article('invoices-issue-nfe')}/revisions`, R);
  assert.equal(after.json.items[0].restored_from, 1);
  assert.equal(after.json.items.length, 4);
  // Restoring what is already there changes nothing.
  const again = await documentedCall(ana, 'POST', `${article('invoices-issue-nfe')}/revisions/4/restore`, `${R}/{number}/restore`);
  assert.equal(again.json.saved, 'unchanged');
  assert.equal(again.json.revision, 4);
});

test('imports are revisions by "import"; a changed file adds one, the same file none', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'chamado-authoring-import-'));
  const file = join(folder, 'a.md');
  const text = (body) => `---\nkey: reports-export\nlanguage: en\ntitle: Export a report\nproduct: Reports\nmodule: Export\n---\n\n${body}`;
  writeFileSync(file, text('Click Export.\n'));
  server.cli('help', 'import', folder);
  server.cli('help', 'import', folder);
  writeFileSync(file, text('Click Export, then CSV.\n'));
  server.cli('help', 'import', folder);
  const list = await documentedCall(ana, 'GET', `${article('reports-export', 'en')}/revisions`, `${A}/revisions`);
  assert.deepEqual(list.json.items.map((r) => [r.number, r.author]), [[2, null], [1, null]]);
  const got = await documentedCall(ana, 'GET', article('reports-export', 'en'), A);
  assert.equal(got.json.updated_by, null);
  assert.equal(got.json.status, 'published');

  // An image beside the file becomes a help image, and the Markdown points at its URL.
  mkdirSync(join(folder, 'img'));
  writeFileSync(join(folder, 'img', 'Export Button.png'), PNG);
  writeFileSync(file, text('Click Export, then CSV.\n\n![The button](img/Export%20Button.png)\n'));
  server.cli('help', 'import', folder);
  const shown = await documentedCall(ana, 'GET', article('reports-export', 'en'), A);
  assert.equal(shown.json.revision, 3);
  const url = shown.json.body.match(/!\[The button\]\((\/api\/v1\/help\/images\/\d+\/export-button\.png)\)/)?.[1];
  assert.ok(url, shown.json.body);
  const res = await fetch(server.url + url);
  assert.equal(res.status, 200);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG));
});

test("the editor's list: drafts included, filters, pages and places", async () => {
  await documentedCall(ana, 'PUT', article('invoices-issue-nfe', 'en'), A, { ...nfe, title: 'How to issue an invoice', status: 'published' });
  const L = '/api/v1/help/editor/articles';
  const all = await documentedCall(ana, 'GET', L, L);
  assert.equal(all.status, 200);
  assert.deepEqual(all.json.items.map((i) => `${i.key} ${i.language}`), ['invoices-issue-nfe en', 'invoices-issue-nfe pt-BR', 'reports-export en']);
  assert.ok(all.json.places.some((p) => p.product === 'Financeiro' && p.module === 'Notas fiscais' && p.articles === 2));
  const drafts = await documentedCall(ana, 'GET', `${L}?status=draft`, L);
  assert.deepEqual(drafts.json.items.map((i) => `${i.key} ${i.language}`), ['invoices-issue-nfe pt-BR']);
  const byKey = await documentedCall(ana, 'GET', `${L}?key=invoices-issue-nfe&language=en`, L);
  assert.equal(byKey.json.items.length, 1);
  const paged = await documentedCall(ana, 'GET', `${L}?limit=2`, L);
  assert.equal(paged.json.items.length, 2);
  const rest = await documentedCall(ana, 'GET', `${L}?limit=2&after=${encodeURIComponent(paged.json.next)}`, L);
  assert.deepEqual(rest.json.items.map((i) => i.key), ['reports-export']);
  assert.equal(rest.json.next, null);
  assert.equal((await documentedCall(ana, 'GET', `${L}?status=gone`, L)).status, 400);
  assert.equal((await documentedCall(customer, 'GET', L, L)).status, 403);
  // The search the composer uses finds the published translation.
  const found = await fetch(`${server.url}/api/v1/help/search?q=invoice&language=en`).then((r) => r.json());
  assert.equal(found.items[0].key, 'invoices-issue-nfe');
});

test('images: agents upload PNG/JPEG/GIF/WebP by their bytes; everybody reads them, cached for ever', async () => {
  const I = '/api/v1/help/images';
  const upload = async (who, bytes, name, type = 'image/png') => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    const r = await who.post(I, form);
    assertDocumented('POST', I, r);
    return r;
  };
  const up = await upload(ana, PNG, 'Tela de Emissão.PNG');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.filename, 'tela-de-emissao.png');
  assert.equal(up.json.content_type, 'image/png');
  assert.equal(up.json.url, `/api/v1/help/images/${up.json.id}/tela-de-emissao.png`);
  // The same bytes under the same name are the same image.
  assert.equal((await upload(bruno, PNG, 'tela de emissão.png')).json.id, up.json.id);

  const svg = await upload(ana, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.png', 'image/png');
  assert.equal(svg.status, 415);
  assert.match(svg.json.detail, /not a PNG, JPEG, GIF or WebP image/);
  const gif = await upload(ana, Buffer.from('GIF89a....'), 'anim.gif', 'application/octet-stream');
  assert.equal(gif.status, 201);
  assert.equal(gif.json.content_type, 'image/gif');
  assert.equal((await upload(customer, PNG, 'a.png')).status, 403);
  const json = await ana.post(I, { file: 'x' });
  assert.equal(json.status, 415);

  const res = await fetch(server.url + up.json.url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('cache-control'), /public, max-age=31536000, immutable/);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG));
  assertDocumented('GET', `${I}/{id}/{filename}`, { status: 200, headers: res.headers, text: '' });
  const wrongName = await fetch(`${server.url}/api/v1/help/images/${up.json.id}/other.png`);
  assert.equal(wrongName.status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/help/images/999999/x.png`)).status, 404);
});

test('the browser session needs its CSRF token to save', async () => {
  const s = await sessionClient(server.url, 'ana@desk.test', 'agent-pass-1');
  const ok = await s.put(article('csrf-check', 'es'), { title: 'Prueba', body: 'Hola' });
  assert.equal(ok.status, 201);
  const res = await fetch(`${server.url}${article('csrf-check', 'es')}`, {
    method: 'PUT',
    headers: { cookie: s.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Prueba', body: 'Adiós' }),
  });
  assert.equal(res.status, 403);
});
