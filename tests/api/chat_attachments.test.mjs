// Files in live conversations (issue 13): the widget's visitor and the agent attach files to
// their messages with the limits and checks of tickets' uploads, only someone who may write in
// the conversation gets a file stored, only its customer and staff download it, and converting
// the conversation carries the files into the ticket. Every answer is checked against the
// OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient, readAnswer, repoRoot, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const policyFile = join(repoRoot, 'examples', 'policies', '004_agency_management.toml');
const MONDAY_10 = '2026-11-30T10:00:00-03:00';  // live chat open

let server, admin, lia, max, rosa, tito, data;

const T = '/api/v1/conversations/{id}';
const FILE = `${T}/attachments/{attachment}`;

// Calls as the widget (anonymous, with the conversation's token) or as someone's client.
async function call(method, path, template, body, { token, who } = {}) {
  const extra = token ? { 'x-conversation-token': token } : {};
  let r;
  if (who) r = await who.request(method, path, body, extra);
  else {
    const json = body !== undefined && !(body instanceof FormData);
    r = await readAnswer(await fetch(server.url + path, {
      method, headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...extra }, body: json ? JSON.stringify(body) : body,
    }));
  }
  assertDocumented(method, template, r);
  return r;
}
const start = (body, opts) => call('POST', '/api/v1/conversations', '/api/v1/conversations', body, opts);
const say = (c, body, opts) => call('POST', `/api/v1/conversations/${c.id}/messages`, `${T}/messages`, body, opts);
const act = (c, what, opts) => call('POST', `/api/v1/conversations/${c.id}/${what}`, `${T}/${what}`, undefined, opts);
const download = (url, opts) => call('GET', url, FILE, undefined, opts);

function form(text, files) {
  const f = new FormData();
  if (text !== undefined) f.append('text', text);
  for (const [name, bytes, type] of files) f.append('attachments', new Blob([bytes], { type }), name);
  return f;
}

function storedFiles() {
  const dir = join(data, 'attachments');
  if (!existsSync(dir)) return [];
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) (e.isDirectory() ? walk : (p) => out.push(p))(join(d, e.name));
  };
  walk(dir);
  return out.sort();
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'chamado-chatfiles-'));
  execFileSync(chamadoBin, ['policy', 'apply', policyFile, '--data', data], { stdio: 'pipe' });
  // A JSON body is held to 16 KiB, a file to 64 KiB: a file between the two proves the
  // conversation's upload route reads bodies under the upload limit for whoever holds it.
  server = await startServer({
    data,
    extraArgs: ['--test-clock'],
    env: { CHAMADO_LIMITS_MAX_BODY_BYTES: '16KiB', CHAMADO_LIMITS_MAX_ATTACHMENT_BYTES: '64KiB', CHAMADO_LIMITS_MAX_UPLOAD_BYTES: '1MiB' },
  });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  server.addUser('agent', 'max@desk.test', 'agent-pass-2');
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa']);
  server.addUser('customer', 'tito@outra.test', 'customer-pass-2', ['--organization', 'Outra Agência']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  lia = tokenClient(server.url, server.token('lia@desk.test'));
  max = tokenClient(server.url, server.token('max@desk.test'));
  const orgs = (await admin.get('/api/v1/organizations?q=Rosa')).json.items;
  assert.equal((await admin.patch(`/api/v1/organizations/${orgs[0].id}`, { plan: 'standard' })).status, 200);
  rosa = await sessionClient(server.url, 'rosa@agencia.test', 'customer-pass-1');
  tito = await sessionClient(server.url, 'tito@outra.test', 'customer-pass-2');
  assert.equal((await admin.post('/api/v1/test/clock', { set: MONDAY_10 })).status, 200);
});

after(async () => { await server?.stop(); });

test('customer and agent send files; only the conversation\'s customer and staff download them; the ticket carries them', async () => {
  const c = (await start({}, { who: rosa })).json.conversation;
  const sent = await say(c, form('O erro está no print', [
    ['erro.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'image/png'],
    ['página.html', '<script>alert(document.cookie)</script>', 'text/html'],
  ]), { who: rosa });
  assert.equal(sent.status, 201, sent.text);
  const mine = sent.json.messages[0];
  assert.equal(mine.text, 'O erro está no print');
  assert.deepEqual(mine.attachments.map((a) => [a.filename, a.content_type, a.size]),
    [['erro.png', 'image/png', 7], ['página.html', 'text/html', 39]]);
  assert.equal(mine.attachments[0].url, `/api/v1/conversations/${c.id}/attachments/${mine.attachments[0].id}`);
  assert.equal(storedFiles().length, 2);

  assert.equal((await act(c, 'accept', { who: lia })).status, 200);
  // Another agent may not write in Lia's conversation: refused before a byte is kept.
  const intruder = await say(c, form('', [['outro.txt', 'not kept', 'text/plain']]), { who: max });
  assert.equal(intruder.status, 409, intruder.text);
  assert.equal(storedFiles().length, 2);
  // A file alone is a message.
  const reply = await say(c, form(undefined, [['config.json', '{"retries": 10}', 'application/json']]), { who: lia });
  assert.equal(reply.status, 201, reply.text);
  const theirs = reply.json.messages[0].attachments[0];
  assert.equal(reply.json.messages[0].author, 'agent');
  assert.equal(reply.json.conversation.status, 'waiting_on_customer');

  const got = await download(theirs.url, { who: rosa });
  assert.equal(got.status, 200);
  assert.equal(got.text, '{"retries": 10}');
  assert.equal(got.headers.get('content-type'), 'application/json');
  assert.match(got.headers.get('content-disposition'), /^attachment; filename="config.json"/);
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  const page = await download(mine.attachments[1].url, { who: max });  // any agent
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'application/octet-stream', 'an HTML file never renders');
  assert.match(page.headers.get('content-disposition'), /filename\*=UTF-8''p%C3%A1gina.html$/);
  assert.match(page.headers.get('content-security-policy'), /sandbox/);
  // Nobody else: another customer, no credentials, a wrong token, a file of another conversation.
  assert.equal((await download(theirs.url, { who: tito })).status, 404);
  assert.equal((await download(theirs.url, {})).status, 404);
  assert.equal((await download(theirs.url, { token: 'not-the-token' })).status, 404);
  const other = await start({});
  const otherFile = `/api/v1/conversations/${other.json.conversation.id}/attachments/${theirs.id}`;
  assert.equal((await download(otherFile, { token: other.json.token })).status, 404);

  const converted = await act(c, 'convert', { who: lia });
  assert.equal(converted.status, 201, converted.text);
  const messages = (await lia.get(`/api/v1/tickets/${converted.json.ticket_number}/messages`)).json.items;
  const carried = messages[0].attachments;
  assert.deepEqual(carried.map((a) => a.filename), ['erro.png', 'página.html', 'config.json']);
  const fromTicket = await fetch(server.url + carried[2].url, { headers: { cookie: rosa.cookie } });
  assert.equal(fromTicket.status, 200);
  assert.equal(await fromTicket.text(), '{"retries": 10}');
  assert.equal(storedFiles().length, 3, 'the ticket names the same stored files');
});

test('the widget\'s visitor uploads with its token; limits are the tickets\'; another token stores nothing', async () => {
  const started = await start({ language: 'es' });
  const { conversation: v, token } = started.json;
  // 40 KiB: over the JSON limit, under the file limit.
  const fine = await say(v, form('captura', [['captura.bin', new Uint8Array(40 * 1024), 'application/octet-stream']]), { token });
  assert.equal(fine.status, 201, fine.text);
  assert.equal(fine.json.messages[0].attachments[0].size, 40 * 1024);
  const got = await download(fine.json.messages[0].attachments[0].url, { token });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-length'), String(40 * 1024));
  const before = storedFiles();

  const big = await say(v, form('grande', [['grande.bin', new Uint8Array(65 * 1024).fill(7), 'application/octet-stream']]), { token });
  assert.equal(big.status, 413, big.text);
  assert.equal(big.json.code, 'too_large');
  assert.match(big.json.detail, /grande\.bin/);
  const many = await say(v, form('muchos', Array.from({ length: 21 }, (_, i) => [`f${i}.txt`, `file ${i}`, 'text/plain'])), { token });
  assert.equal(many.status, 400, many.text);
  assert.equal(many.json.errors[0].field, 'attachments');
  assert.match(many.json.errors[0].message, /at most 20 files/);

  // Another conversation's token holds nothing here: small or large, nothing is kept.
  const other = (await start({})).json;
  const small = await say(v, form('ajeno', [['ajeno.txt', 'someone else', 'text/plain']]), { token: other.token });
  assert.equal(small.status, 404, small.text);
  const large = await say(v, form('ajeno', [['ajeno.bin', new Uint8Array(40 * 1024).fill(9), 'application/octet-stream']]), { token: other.token });
  assert.equal(large.status, 413, 'a body nobody may send is read under the JSON limit only');
  const empty = await say(v, form('', []), { token });
  assert.equal(empty.status, 400, empty.text);
  assert.equal(empty.json.errors[0].field, 'text');
  assert.deepEqual(storedFiles(), before);
});
