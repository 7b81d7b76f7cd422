// Sign-in, sessions, CSRF, API tokens, rate limiting, deactivation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';

let server;

before(async () => {
  server = await startServer({ env: { CHAMADO_SECURITY_SIGNIN_ATTEMPTS_PER_EMAIL: '5' } });
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1');
  server.addUser('customer', 'c@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
});

after(async () => { await server?.stop(); });

const signIn = (email, password) => fetch(server.url + '/api/v1/session', {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
});

test('the session cookie is HttpOnly and SameSite=Strict; the body carries a CSRF token', async () => {
  const c = await sessionClient(server.url, 'C@Acme.test', 'customer-pass-1');
  assert.match(c.setCookie, /^chamado_session=[A-Za-z0-9_-]{43};/);
  assert.match(c.setCookie, /HttpOnly/);
  assert.match(c.setCookie, /SameSite=Strict/);
  assert.match(c.setCookie, /Path=\//);
  assert.equal(c.csrf.length, 43);
  assert.equal(c.user.role, 'customer');
  const me = await c.get('/api/v1/session');
  assert.equal(me.json.user.email, 'c@acme.test');
  assert.equal(me.json.csrf_token, c.csrf);
});

test('state changes with a cookie need the CSRF token', async () => {
  const c = await sessionClient(server.url, 'c@acme.test', 'customer-pass-1');
  const body = JSON.stringify({ subject: 's', description: 'd' });
  const noToken = await fetch(server.url + '/api/v1/tickets', { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'application/json' }, body });
  assert.equal(noToken.status, 403);
  assert.match((await noToken.json()).detail, /X-CSRF-Token/);
  const wrong = await fetch(server.url + '/api/v1/tickets', { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'application/json', 'x-csrf-token': 'x'.repeat(43) }, body });
  assert.equal(wrong.status, 403);
  const ok = await c.post('/api/v1/tickets', { subject: 's', description: 'd' });
  assert.equal(ok.status, 201);
  const read = await fetch(server.url + '/api/v1/tickets', { headers: { cookie: c.cookie } });
  assert.equal(read.status, 200, 'reads need no CSRF token');
});

test('wrong password and unknown address answer the same 401', async () => {
  const a = await signIn('c@acme.test', 'wrong-password');
  const b = await signIn('nobody@acme.test', 'wrong-password');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal((await a.json()).detail, (await b.json()).detail);
  assert.equal(a.headers.get('set-cookie'), null);
});

test('sign-out ends the session', async () => {
  const c = await sessionClient(server.url, 'c@acme.test', 'customer-pass-1');
  const out = await c.del('/api/v1/session');
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  const after = await c.get('/api/v1/tickets');
  assert.equal(after.status, 401);
});

test('no credentials, a bad token, a malformed header: 401 with a way forward', async () => {
  const none = await fetch(server.url + '/api/v1/tickets');
  assert.equal(none.status, 401);
  assert.match((await none.json()).detail, /Sign in/);
  const bad = await tokenClient(server.url, 'not-a-real-token').get('/api/v1/tickets');
  assert.equal(bad.status, 401);
  assert.match(bad.json.detail, /token create/);
  const basic = await fetch(server.url + '/api/v1/tickets', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
  assert.equal(basic.status, 401);
  const cookie = await fetch(server.url + '/api/v1/tickets', { headers: { cookie: 'chamado_session=forged' } });
  assert.equal(cookie.status, 401);
});

test('sign-in attempts are rate limited per address', async () => {
  server.addUser('customer', 'brute@acme.test', 'customer-pass-1');
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await signIn('brute@acme.test', 'guess-' + i)).status);
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.equal(statuses[5], 429);
  const right = await signIn('brute@acme.test', 'customer-pass-1');
  assert.equal(right.status, 429, 'even the right password waits out the window');
  // Retry-After says how long the lock lasts (five minutes here), not a token five seconds.
  const wait = Number(right.headers.get('retry-after'));
  assert.ok(wait > 240 && wait <= 300, `Retry-After ${wait}`);
});

test('a deactivated person loses sessions and tokens', async () => {
  const admin = tokenClient(server.url, server.token('boss@desk.test'));
  server.addUser('customer', 'leaver@acme.test', 'customer-pass-1');
  const session = await sessionClient(server.url, 'leaver@acme.test', 'customer-pass-1');
  const token = tokenClient(server.url, server.token('leaver@acme.test'));
  const id = session.user.id;
  const r = await admin.patch(`/api/v1/contacts/${id}`, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.equal((await session.get('/api/v1/tickets')).status, 401);
  assert.equal((await token.get('/api/v1/tickets')).status, 401);
  assert.equal((await signIn('leaver@acme.test', 'customer-pass-1')).status, 401);
});

test('sign-in input is validated', async () => {
  const r = await fetch(server.url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 400);
  const j = await r.json();
  assert.deepEqual(j.errors.map((e) => e.field).sort(), ['email', 'password']);
});
