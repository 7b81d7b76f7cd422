// The HTTP edge: limits, unknown routes, methods, OpenAPI, headers, keep-alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, tokenClient, parseRawAnswer } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, agent;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
});

after(async () => { await server?.stop(); });

function rawRequest(text) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => s.write(text));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => { s.destroy(); resolve(out); }, 3000);
  });
}

test('health and the OpenAPI document are public', async () => {
  const h = await fetch(server.url + '/api/v1/health');
  assert.equal(h.status, 200);
  assert.equal((await h.json()).status, 'ok');
  const o = await fetch(server.url + '/api/v1/openapi.json');
  assert.equal(o.status, 200);
  const doc = await o.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/api/v1/tickets'].post);
});

test('administrators see the store in the health check; others do not', async () => {
  server.addUser('admin', 'admin@desk.test', 'admin-pass-1');
  const admin = tokenClient(server.url, server.token('admin@desk.test'));
  const h = await admin.get('/api/v1/health');
  assert.equal(h.status, 200);
  assertDocumented('GET', '/api/v1/health', h);
  const s = h.json.storage;
  assert.ok(s, 'an administrator gets storage');
  if (process.env.CHAMADO_TEST_POSTGRES) {
    // What the server says (api_http_pg): the desk's own tables, inside the whole database.
    assert.equal(s.engine, 'postgresql');
    assert.ok(s.database_bytes > 0, JSON.stringify(s));
    const pg = s.postgresql;
    assert.ok(pg, JSON.stringify(s));
    assert.match(pg.server_version, /^\d+/);
    assert.equal(pg.in_recovery, false);
    assert.ok(pg.database_bytes >= s.database_bytes, JSON.stringify(pg));
    assert.ok(pg.readers_in_use >= 0 && pg.readers_in_use <= pg.max_readers, JSON.stringify(pg));
    assert.equal(typeof pg.listening, 'boolean');
    assert.equal(s.wal_bytes, undefined, "the server's log is its own");
  } else {
    assert.equal(s.engine, 'sqlite');
    assert.ok(s.database_bytes > 0);
    assert.ok(s.wal_bytes >= 0 && s.wal_bytes <= s.max_wal_bytes);
    assert.equal(s.max_wal_bytes, 64 * 1024 * 1024);
    assert.equal(s.wal_bound_kept, true);
    assert.equal(typeof s.wal_truncations, 'number');
    assert.equal(s.postgresql, undefined);
  }
  assert.equal((await agent.get('/api/v1/health')).json.storage, undefined);
  assert.equal((await (await fetch(server.url + '/api/v1/health')).json()).storage, undefined);
});

test('unknown endpoints and wrong methods are problems, not crashes', async () => {
  const r = await agent.get('/api/v1/nope');
  assert.equal(r.status, 404);
  assert.match(r.json.detail, /openapi/);
  const m = await agent.request('PUT', '/api/v1/tickets');
  assert.equal(m.status, 405);
  assert.equal(m.headers.get('allow'), 'GET, POST');
  assert.equal(m.json.status, 405, 'the body says the status the response has');
  assert.equal(m.json.title, 'Method not allowed');
  assert.equal(m.json.code, 'invalid_argument', 'as the document\'s description says');
  const bad = await agent.get('/api/v1/tickets/abc');
  assert.equal(bad.status, 404);
  const zero = await agent.get('/api/v1/tickets/0');
  assert.equal(zero.status, 404);
  const huge = await agent.get('/api/v1/tickets/99999999999999999999999');
  assert.equal(huge.status, 404);
});

test('a JSON body over the limit is a 413', async () => {
  const big = JSON.stringify({ subject: 's', description: 'x'.repeat(1100 * 1024) });
  const r = await agent.post('/api/v1/tickets', big, { 'content-type': 'application/json' });
  assert.equal(r.status, 413);
  assertDocumented('POST', '/api/v1/tickets', r);
  const patch = await agent.request('PATCH', '/api/v1/tickets/1', big, { 'content-type': 'application/json' });
  assert.equal(patch.status, 413, 'every route that reads a body has the limit');
  assertDocumented('PATCH', '/api/v1/tickets/{number}', patch);
  const body = JSON.stringify({ subject: 's', description: 'x'.repeat(300 * 1024), requester: { email: 'a@b.test' } });
  const r2 = await agent.post('/api/v1/tickets', body, { 'content-type': 'application/json' });
  assert.equal(r2.status, 400, 'under the HTTP limit but over the 256 KiB message limit');
  assert.match(r2.json.detail, /256 KiB/);
});

test('oversized headers answer 431', async () => {
  const out = await rawRequest(`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
  assert.match(out, /^HTTP\/1\.1 431/);
  const answer = parseRawAnswer(out);
  assert.equal(answer.json.code, 'too_large');
  assertDocumented('GET', '/api/v1/health', answer);
});

test('an unknown transfer coding is refused and the connection closed (RFC 9112 6.1)', async () => {
  const out = await rawRequest('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n' +
    'Content-Length: 2\r\nContent-Type: application/json\r\n\r\n{}GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 501/);
  assert.equal((out.match(/HTTP\/1\.1 /g) || []).length, 1, 'nothing more is read from that connection');
  assertDocumented('POST', '/api/v1/session', parseRawAnswer(out));
});

test('a body over the limit is a 413 problem with its code', async () => {
  const out = await rawRequest(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{}`);
  assert.match(out, /^HTTP\/1\.1 413/);
  assert.match(out, /"code":"too_large"/);
  assertDocumented('POST', '/api/v1/session', parseRawAnswer(out));
  // Refused before routing, nobody signed in: said in the language Accept-Language asks for.
  const pt = parseRawAnswer(await rawRequest(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nAccept-Language: pt-BR,pt;q=0.9\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{}`));
  assert.equal(pt.status, 413);
  assert.equal(pt.headers.get('content-language'), 'pt-BR');
  assert.equal(pt.json.code, 'too_large');
  assert.equal(pt.json.detail, 'O corpo da requisição é maior do que este servidor aceita; envie arquivos menores ou menos de uma vez.');
});

test('the body limit goes by route and caller, not by what the Content-Type claims', async () => {
  const big = 5 * 1024 * 1024;  // over the JSON limit (1 MiB), under the upload's and the mail's
  // Anonymous: a raw email to the sign-in route, an upload to a route that needs a caller.
  let out = await rawRequest(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: message/rfc822\r\nContent-Length: ${big}\r\n\r\nFrom: a`);
  assert.match(out, /^HTTP\/1\.1 413/);
  out = await rawRequest(`POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${big}\r\n\r\n--x`);
  assert.match(out, /^HTTP\/1\.1 413/);
  // An agent may upload there, but is no administrator for the mail gateway.
  const token = server.token('agent@desk.test');
  out = await rawRequest(`POST /api/v1/mail/inbound HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: message/rfc822\r\nContent-Length: ${big}\r\n\r\nFrom: a`);
  assert.match(out, /^HTTP\/1\.1 413/);
  const t = await agent.post('/api/v1/tickets', { subject: 'A large screenshot', description: 'Coming.', requester: { email: 'someone@customer.test' } });
  assert.equal(t.status, 201, t.text);
  const form = new FormData();
  form.append('kind', 'internal_note');
  form.append('body', 'Attached.');
  form.append('attachments', new Blob([Buffer.alloc(2 * 1024 * 1024, 7)], { type: 'image/png' }), 'shot.png');
  const r = await agent.post(`/api/v1/tickets/${t.json.number}/messages`, form);
  assert.equal(r.status, 201, r.text);
});

test('garbage is a 400 and the server keeps serving', async () => {
  const out = await rawRequest('HELLO WORLD\r\n\r\n');
  assert.match(out, /^HTTP\/1\.1 400/);
  const h = await fetch(server.url + '/api/v1/health');
  assert.equal(h.status, 200);
});

test('keep-alive: several requests on one connection', async () => {
  const req = 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n';
  const out = await rawRequest(req + req + req.replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
  assert.equal(out.match(/HTTP\/1\.1 200/g).length, 3);
});

test('every response carries nosniff; problems are application/problem+json', async () => {
  const r = await agent.get('/api/v1/tickets/424242');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.deepEqual(Object.keys(r.json).sort(), ['code', 'detail', 'instance', 'status', 'title', 'type']);
  assert.equal(r.json.code, 'not_found');
});

test('the web UI is sent Brotli- or gzip-compressed when the client takes it', async () => {
  const { default: http } = await import('node:http');
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
  const { join } = await import('node:path');
  const { repoRoot } = await import('../lib/server.mjs');
  const web = await startServer({ web: join(repoRoot, 'web', 'dist') });
  // node:http hands over the bytes as sent (fetch would decode them).
  const get = (path, encoding) => new Promise((resolve, reject) => {
    const headers = encoding === undefined ? {} : { 'accept-encoding': encoding };
    http.get(web.url + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
  try {
    const plain = await get('/');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const script = plain.body.toString().match(/src="(\/assets\/[^"]+\.js)"/)[1];
    const js = await get(script, 'identity');
    const br = await get(script, 'gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.body.length < js.body.length / 2, `${br.body.length} compressed bytes of ${js.body.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), js.body);
    const gz = await get(script, 'gzip;q=1, br;q=0');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), js.body);
    assert.equal(gz.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await get(script, 'br;q=0, gzip;q=0')).headers['content-encoding'], undefined);
    const page = await get('/agent/queue', '*');
    assert.equal(page.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(page.body), plain.body);
  } finally {
    await web.stop();
  }
});
