// Attachments: multipart upload, content-addressed storage, safe download, limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';

let server, agent, customer;

before(async () => {
  server = await startServer({ env: { CHAMADO_LIMITS_MAX_ATTACHMENT_BYTES: '64KiB', CHAMADO_LIMITS_MAX_UPLOAD_BYTES: '256KiB' } });
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  server.addUser('customer', 'c@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  customer = await sessionClient(server.url, 'c@acme.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p)); else out.push(p);
  }
  return out;
}

test('files uploaded with a new ticket are stored once by content and listed on the message', async () => {
  const form = new FormData();
  form.append('subject', 'Screenshot of the error');
  form.append('description', 'See attached.');
  form.append('category', 'problem');
  form.append('attachments', new Blob(['same bytes'], { type: 'text/plain' }), 'a.txt');
  form.append('attachments', new Blob(['same bytes'], { type: 'text/plain' }), 'relatório de erro.txt');
  const r = await customer.post('/api/v1/tickets', form);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.category, 'problem');
  const msgs = await customer.get(`/api/v1/tickets/${r.json.number}/messages`);
  const atts = msgs.json.items[0].attachments;
  assert.deepEqual(atts.map((a) => a.filename), ['a.txt', 'relatório de erro.txt']);
  assert.equal(atts[0].size, 10);
  const stored = filesUnder(join(server.data, 'attachments'));
  assert.equal(stored.length, 1, 'identical content is stored once');
  assert.match(stored[0], /[0-9a-f]{64}$/);

  const dl = await fetch(server.url + atts[1].url, { headers: { cookie: customer.cookie } });
  assert.equal(dl.status, 200);
  assert.equal(await dl.text(), 'same bytes');
  assert.match(dl.headers.get('content-disposition'), /^attachment; filename="relat_rio de erro.txt"; filename\*=UTF-8''relat%C3%B3rio%20de%20erro.txt$/);
  assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
});

test('an uploaded HTML page can never run as a page', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'html', description: 'x' })).json;
  const form = new FormData();
  form.append('body', 'see file');
  form.append('attachments', new Blob(['<script>alert(document.cookie)</script>'], { type: 'text/html' }), 'evil.html');
  form.append('attachments', new Blob(['<svg onload="alert(1)"/>'], { type: 'image/svg+xml' }), 'evil.svg');
  const r = await customer.post(`/api/v1/tickets/${t.number}/messages`, form);
  assert.equal(r.status, 201, r.text);
  for (const a of r.json.message.attachments) {
    const dl = await fetch(server.url + a.url, { headers: { cookie: customer.cookie } });
    assert.equal(dl.status, 200);
    assert.equal(dl.headers.get('content-type'), 'application/octet-stream', a.filename);
    assert.match(dl.headers.get('content-disposition'), /^attachment;/);
    assert.equal(dl.headers.get('x-content-type-options'), 'nosniff');
    assert.match(dl.headers.get('content-security-policy'), /sandbox/);
  }
});

test('a file over the attachment limit is refused with 413 and no ticket is created', async () => {
  const before = (await agent.get('/api/v1/tickets?limit=1')).json.items[0].number;
  const form = new FormData();
  form.append('subject', 'big');
  form.append('description', 'x');
  form.append('attachments', new Blob([new Uint8Array(65 * 1024)]), 'big.bin');
  const r = await customer.post('/api/v1/tickets', form);
  assert.equal(r.status, 413, r.text);
  assert.match(r.json.detail, /big\.bin/);
  const after = (await agent.get('/api/v1/tickets?limit=1')).json.items[0].number;
  assert.equal(after, before);
});

test('an upload over the request limit is cut off with 413', async () => {
  const form = new FormData();
  form.append('subject', 'huge');
  form.append('description', 'x');
  for (let i = 0; i < 5; i++) form.append('attachments', new Blob([new Uint8Array(60 * 1024)]), `part${i}.bin`);
  const r = await customer.post('/api/v1/tickets', form);
  assert.equal(r.status, 413);
});

test('agents attach files to replies; the customer downloads them', async () => {
  const t = (await customer.post('/api/v1/tickets', { subject: 'need file', description: 'x' })).json;
  const form = new FormData();
  form.append('body', 'Here is the fixed config.');
  form.append('status', 'pending_customer');
  form.append('attachments', new Blob(['{"retries": 10}'], { type: 'application/json' }), 'config.json');
  const r = await agent.post(`/api/v1/tickets/${t.number}/messages`, form);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.ticket.status, 'pending_customer');
  const a = r.json.message.attachments[0];
  assert.equal(a.content_type, 'application/json');
  const dl = await fetch(server.url + a.url, { headers: { cookie: customer.cookie } });
  assert.equal(await dl.text(), '{"retries": 10}');
});

test('a malformed multipart body is a 400', async () => {
  const r = await customer.post('/api/v1/tickets', '--x\r\nnonsense', { 'content-type': 'multipart/form-data; boundary=x' });
  assert.equal(r.status, 400);
});
