// API tokens (issue 9): a person creates, lists (with last use) and revokes their own;
// administrators everyone's; `chamado token list|revoke` from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, lucas, boss;

const call = documentedCall;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  lucas = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  boss = await sessionClient(server.url, 'boss@desk.test', 'admin-pass-1');
});

after(async () => { await server?.stop(); });

test('a token is shown once, records its last use, and stops working when revoked', async () => {
  const made = await call(lucas, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'CRM integration' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.name, 'CRM integration');
  assert.equal(made.json.user.email, 'lucas@desk.test');
  assert.equal(made.json.last_used_at, null);
  assert.match(made.json.token, /.{20,}/);
  const crm = tokenClient(server.url, made.json.token);
  assert.equal((await crm.get('/api/v1/queue')).status, 200);
  let mine;
  for (let i = 0; i < 20; i++) {  // the use is written after the answer
    mine = await call(lucas, 'GET', '/api/v1/tokens', '/api/v1/tokens');
    if (mine.json.items[0].last_used_at) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(mine.json.items.length, 1);
  assert.equal(mine.json.items[0].token, undefined, 'the secret is never listed');
  assert.ok(mine.json.items[0].last_used_at, 'the use is recorded');
  const gone = await call(lucas, 'DELETE', `/api/v1/tokens/${made.json.id}`, '/api/v1/tokens/{id}');
  assert.equal(gone.status, 204);
  assert.equal((await crm.get('/api/v1/queue')).status, 401);
});

test("another person's token is not theirs to see or revoke; an administrator's is", async () => {
  const made = await call(boss, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'backup job', user_id: undefined });
  assert.equal(made.status, 201, made.text);
  assert.equal((await call(lucas, 'DELETE', `/api/v1/tokens/${made.json.id}`, '/api/v1/tokens/{id}')).status, 404);
  assert.equal((await call(lucas, 'GET', `/api/v1/tokens?user_id=${made.json.user.id}`, '/api/v1/tokens')).status, 403);
  const forLucas = await call(lucas, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'x', user_id: made.json.user.id });
  assert.equal(forLucas.status, 400);
  const lucasId = (await lucas.get('/api/v1/session')).json.user.id;
  const given = await call(boss, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'for Lucas', user_id: lucasId });
  assert.equal(given.status, 201, given.text);
  assert.equal(given.json.user.email, 'lucas@desk.test');
  const all = await call(boss, 'GET', '/api/v1/tokens', '/api/v1/tokens');
  assert.deepEqual(all.json.items.map((t) => t.name), ['for Lucas', 'backup job']);
  assert.equal((await call(boss, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: '' })).status, 400);
});

test('chamado token list and revoke', async () => {
  const secret = server.token('lucas@desk.test');
  const listed = server.cli('token', 'list', '--email', 'lucas@desk.test');
  const row = listed.trim().split('\n').find((l) => l.includes('lucas@desk.test') && l.split('\t')[1] === '-');
  assert.ok(row, listed);
  const id = row.split('\t')[0];
  assert.match(server.cli('token', 'revoke', id), /^revoked API token \d+ of lucas@desk\.test/);
  assert.equal((await tokenClient(server.url, secret).get('/api/v1/queue')).status, 401);
  assert.throws(() => server.cli('token', 'revoke', '999999'), /No API token has the id 999999/);
});
