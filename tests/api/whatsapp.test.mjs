// The WhatsApp channel (issue 13, docs/whatsapp.md) end to end: the server's [whatsapp] points
// graph_url at a fake Graph API this test runs on 127.0.0.1 (nothing reaches the internet).
// Meta's side is played as documented: the verification handshake, signed webhook POSTs of
// messages and delivery reports, the messages endpoint answering a wamid, media by id then by
// URL, all with the bearer token. Every answer of ours is checked against the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, tokenClient, repoRoot } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

import { CUSTOMER, IMAGE, TOKEN, VERIFY, envelope, postWebhook, sign, startFakeGraph, textChange, whatsappEnv } from '../lib/whatsapp.mjs';

let server, fake, lia, admin, now;
const seconds = () => String(Math.floor(Date.parse(now) / 1000));
const contact = { contacts: [{ profile: { name: 'Zé Silva' }, wa_id: CUSTOMER }] };
const text = (id, body) => textChange(id, body, seconds());
const status = (id, s, extra = {}) => envelope({ statuses: [{ id, status: s, timestamp: seconds(), recipient_id: CUSTOMER, ...extra }] });


async function hook(payload, { signature, raw, target = server } = {}) {
  const r = await postWebhook(target.url, payload, { signature, raw });
  assertDocumented('POST', '/api/v1/channels/whatsapp/webhook', r);
  return r;
}

async function verify(query, target = server) {
  const res = await fetch(`${target.url}/api/v1/channels/whatsapp/webhook?${new URLSearchParams(query)}`);
  const t = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const r = { status: res.status, headers: res.headers, text: t, json: type.includes('json') ? JSON.parse(t) : null };
  assertDocumented('GET', '/api/v1/channels/whatsapp/webhook', r);
  return r;
}

const T = '/api/v1/conversations/{id}';
async function conversation(id) {
  const r = await lia.request('GET', `/api/v1/conversations/${id}`);
  assertDocumented('GET', T, r);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function reply(id, body) {
  const r = await lia.request('POST', `/api/v1/conversations/${id}/messages`, body);
  assertDocumented('POST', `${T}/messages`, r);
  return r;
}
async function ours() {
  const r = await lia.request('GET', '/api/v1/conversations');
  assertDocumented('GET', '/api/v1/conversations', r);
  return r.json.items.filter((c) => c.channel === 'whatsapp');
}
// The sender works after the commit: wait for what it must have done (never a timing assertion).
async function until(what, check) {
  for (let i = 0; i < 100; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${what}`);
}
const setClock = async (set) => { now = (await admin.post('/api/v1/test/clock', { set })).json.now; };
const advance = async (by) => { now = (await admin.post('/api/v1/test/clock', { advance: by })).json.now; };

before(async () => {
  fake = await startFakeGraph();
  server = await startServer({
    extraArgs: ['--test-clock'],
    env: { ...whatsappEnv(fake), CHAMADO_LOG_LEVEL: 'info' },
  });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  lia = tokenClient(server.url, server.token('lia@desk.test'));
  await setClock('2026-11-30T12:00:00Z');
});

after(async () => {
  await server?.stop();
  await fake?.stop();
});

test('the verification handshake echoes hub.challenge only for the verify token', async () => {
  const ok = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1158201444' });
  assert.equal(ok.status, 200);
  assert.equal(ok.text, '1158201444');
  assert.match(ok.headers.get('content-type'), /^text\/plain/);
  assert.equal((await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' })).status, 403);
  assert.equal((await verify({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' })).status, 403);
});

test('a POST without the app secret signature is refused; signed garbage is a 400; other fields are acknowledged', async () => {
  const payload = text('wamid.NOPE', 'not stored');
  const unsigned = await hook(payload, { signature: null });
  assert.equal(unsigned.status, 401);
  const forged = await hook(payload, { signature: sign(JSON.stringify(payload), 'another-secret') });
  assert.equal(forged.status, 401);
  assert.match(forged.json.detail, /X-Hub-Signature-256/);
  const garbage = await hook(null, { raw: '{"object": ' });
  assert.equal(garbage.status, 400);
  assert.match(garbage.json.detail, /not a JSON object/);
  const other = await hook(envelope({ event: 'FLAGGED', current_limit: 'TIER_1K' }, 'account_update'));
  assert.equal(other.status, 200);
  assert.deepEqual(other.json, { stored: 0, duplicates: 0, refused: 0, statuses: 0, ignored: 1 });
  assert.equal((await ours()).length, 0);  // nothing was stored for the refused ones
});

test('a message starts an anonymous conversation once; the reply goes out once with the token; reports mark it', async () => {
  const first = await hook(text('wamid.IN1', 'Meu pedido 42 não chegou'));
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.stored, 1);
  const again = await hook(text('wamid.IN1', 'Meu pedido 42 não chegou'));  // Meta redelivers
  assert.deepEqual([again.status, again.json.stored, again.json.duplicates], [200, 0, 1]);

  const [c] = await ours();
  assert.equal(c.whatsapp.number, CUSTOMER);
  assert.equal(c.whatsapp.profile_name, 'Zé Silva');
  assert.equal(c.whatsapp.window_open, true);
  assert.equal(c.whatsapp.window_closes_at, '2026-12-01T12:00:00Z');
  assert.equal(c.contact_id, null);
  assert.equal(c.organization_id, null);
  assert.equal(c.language, 'pt-BR');
  assert.equal(c.status, 'waiting');
  const read = await conversation(c.id);
  assert.deepEqual(read.messages.filter((m) => m.author === 'customer').map((m) => m.text), ['Meu pedido 42 não chegou']);

  // The queue notice answered the customer on WhatsApp.
  await until('the queue notice sent', () => fake.state.posts.length === 1);
  assert.equal(fake.state.posts[0].body.type, 'text');
  assert.match(fake.state.posts[0].body.text.body, /fila/);

  const sent = await reply(c.id, { text: 'Olá, Zé! Vou verificar o pedido 42.', client_id: 'r1' });
  assert.equal(sent.status, 201, sent.text);
  const seq = sent.json.messages[0].seq;
  await until('the reply sent', () => fake.state.posts.length === 2);
  const post = fake.state.posts[1];
  assert.equal(post.auth, `Bearer ${TOKEN}`);
  assert.deepEqual(post.body, {
    messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'text',
    text: { preview_url: false, body: 'Olá, Zé! Vou verificar o pedido 42.' },
  });
  // Resent by a client that lost the answer: stored once, sent once.
  assert.equal((await reply(c.id, { text: 'Olá, Zé! Vou verificar o pedido 42.', client_id: 'r1' })).status, 200);
  await until('the wamid recorded', async () => (await conversation(c.id)).whatsapp.deliveries[seq]?.status === 'sent');
  assert.equal(fake.state.posts.length, 2);

  const delivered = await hook(status(post.wamid, 'delivered'));
  assert.equal(delivered.json.statuses, 1);
  assert.equal((await hook(status(post.wamid, 'read'))).json.statuses, 1);
  assert.equal((await hook(status(post.wamid, 'delivered'))).json.statuses, 0);  // late: read stays
  const after = await conversation(c.id);
  assert.equal(after.whatsapp.deliveries[seq].status, 'read');
  assert.equal(after.customer_read_seq, seq);
  assert.ok(!server.stderr().includes(TOKEN), 'the token is never logged');
});

test('Graph down: the reply waits in the outbox and goes out once it is back; a refusal shows Meta\'s title', async () => {
  const [c] = await ours();
  fake.state.failNext = 1;
  const before = fake.state.posts.length;
  const sent = await reply(c.id, { text: 'Encontrei: sai amanhã.' });
  assert.equal(sent.status, 201);
  await until('the refused attempt', () => fake.state.posts.length === before + 1);
  assert.equal(fake.state.posts[before].refused, true);
  await advance('2m');  // past the first backoff
  await until('the retry', () => fake.state.posts.length === before + 2);
  assert.equal(fake.state.posts[before + 1].body.text.body, 'Encontrei: sai amanhã.');
  const seq = sent.json.messages[0].seq;
  await until('sent', async () => (await conversation(c.id)).whatsapp.deliveries[seq]?.status === 'sent');
  const failed = await hook(status(fake.state.posts[before + 1].wamid, 'failed', {
    errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable' }],
  }));
  assert.equal(failed.json.statuses, 1);
  const d = (await conversation(c.id)).whatsapp.deliveries[seq];
  assert.deepEqual(d, { status: 'failed', error: 'Message undeliverable' });
});

test('files are fetched into attachments; one that cannot be fetched keeps its caption and says so', async () => {
  const [c] = await ours();
  const media = envelope({ ...contact, messages: [
    { from: CUSTOMER, id: 'wamid.IMG', timestamp: seconds(), type: 'image', image: { caption: 'A caixa amassada', mime_type: 'image/jpeg', sha256: 'x', id: 'media-1' } },
    { from: CUSTOMER, id: 'wamid.DOC', timestamp: seconds(), type: 'document', document: { caption: 'A nota fiscal', filename: 'nota.pdf', mime_type: 'application/pdf', sha256: 'y', id: 'media-gone' } },
  ] });
  const r = await hook(media);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stored, 2);
  const messages = (await conversation(c.id)).messages;
  const image = messages.find((m) => m.text === 'A caixa amassada');
  assert.equal(image.attachments.length, 1);
  assert.equal(image.attachments[0].size, IMAGE.length);
  assert.equal(image.attachments[0].content_type, 'image/jpeg');
  assert.equal(image.attachments[0].filename, 'image-media-1.jpg');
  const doc = messages.find((m) => m.text === 'A nota fiscal');
  assert.deepEqual(doc.attachments, []);
  const note = messages.find((m) => m.notice === 'whatsapp_media_failed');
  assert.ok(note && note.seq > doc.seq, 'a note says the file could not be fetched');
  // Redelivered: not fetched again, not stored again.
  const asks = fake.state.mediaAsks.length;
  assert.equal((await hook(media)).json.duplicates, 2);
  assert.equal(fake.state.mediaAsks.length, asks);
});

test('past 24 hours a free reply is a 409 naming the template route; a template goes out', async () => {
  const [c] = await ours();
  await advance('25h');
  const late = await reply(c.id, { text: 'Ainda aí?' });
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'whatsapp_window_closed');
  assert.equal(late.json.template_route, `/api/v1/conversations/${c.id}/whatsapp/template`);
  assert.match(late.json.detail, /24/);
  assert.equal((await conversation(c.id)).whatsapp.window_open, false);

  const before = fake.state.posts.length;
  const path = `/api/v1/conversations/${c.id}/whatsapp/template`;
  const bad = await lia.request('POST', path, { name: 'Order Update', language: 'pt_BR' });
  assertDocumented('POST', `${T}/whatsapp/template`, bad);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'name');
  const t = await lia.request('POST', path, { name: 'order_update', language: 'pt_BR', parameters: ['42', 'amanhã'] });
  assertDocumented('POST', `${T}/whatsapp/template`, t);
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.messages[0].text, 'Template order_update (pt_BR): 42 · amanhã');
  await until('the template sent', () => fake.state.posts.length === before + 1);
  assert.deepEqual(fake.state.posts[before].body.template, {
    name: 'order_update', language: { code: 'pt_BR' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: '42' }, { type: 'text', text: 'amanhã' }] }],
  });
  // The customer answers: the window opens again.
  assert.equal((await hook(text('wamid.IN9', 'Obrigado!'))).json.stored, 1);
  assert.equal((await reply(c.id, { text: 'Por nada!' })).status, 201);
});

test('without [whatsapp] the webhook says the channel is not configured', async () => {
  const bare = await startServer();
  try {
    const r = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' }, bare);
    assert.equal(r.status, 404);
    assert.match(r.json.detail, /not configured/);
    assert.equal((await hook(text('wamid.X', 'x'), { target: bare })).status, 404);
  } finally {
    await bare.stop();
  }
});

// Last: it applies a bot flow, which every conversation started after it meets. Over WhatsApp
// the bot's options are answered by number, and its search finds help-center articles, sent
// to the customer as links, as the widget's does.
test('the bot over WhatsApp: options by number, and its search finds articles', async () => {
  server.cli('help', 'import', join(repoRoot, 'tests', 'search', 'eval', 'articles'));
  server.cli('policy', 'apply', join(repoRoot, 'examples', 'policies', '004_agency_management.toml'));
  server.cli('bot', 'apply', join(repoRoot, 'examples', 'bots', '004_agency_management.toml'));
  const RITA = '5511900000002';
  const says = (id, body) => envelope({
    contacts: [{ profile: { name: 'Rita' }, wa_id: RITA }],
    messages: [{ from: RITA, id, timestamp: seconds(), type: 'text', text: { body } }],
  });
  const toRita = () => fake.state.posts.filter((p) => p.body.to === RITA).map((p) => p.body.text?.body ?? '');
  assert.equal((await hook(says('wamid.BOT1', 'Oi'))).json.stored, 1);
  await until('the bot greets with numbered options', () => toRita().some((t) => /1\. Tenho uma dúvida sobre a plataforma/.test(t)));
  await hook(says('wamid.BOT2', '1'));
  await until('the bot asks about invoices', () => toRita().some((t) => t.startsWith('É sobre faturas ou notas fiscais?')));
  await hook(says('wamid.BOT3', '2'));
  await until('the bot asks for words', () => toRita().some((t) => t.startsWith('Digite palavras-chave')));
  await hook(says('wamid.BOT4', 'como cancelar uma nota fiscal'));
  const shown = await until('the bot shows articles', () => toRita().find((t) => t.startsWith('Algum destes artigos')));
  assert.match(shown, /\nComo cancelar uma NFS-e: https?:\/\/[^/\s]+\/help\/pt-BR\/[a-z0-9-]+\/[a-z0-9-]+\/como-cancelar-uma-nfs-e(\n|$)/);
  const c = (await ours()).find((x) => x.whatsapp.number === RITA);
  const bot = (await conversation(c.id)).messages.filter((m) => m.author === 'bot').at(-1);
  assert.ok(bot.articles.some((a) => /^invoices-cancel-nfs?e$/.test(a.key)), JSON.stringify(bot));
});
