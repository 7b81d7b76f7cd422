// `chamado migrate-store`: a SQLite desk (the demo, plus tickets with files and messages) is
// copied into an empty PostgreSQL database; the copy is verified table by table, a server on
// PostgreSQL answers the same tickets, and numbering goes on after the copied ones. Runs where
// the tests have a PostgreSQL server (api_migrate_store_pg; tests/lib/on-postgres).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, tokenClient } from '../lib/server.mjs';

const admin = process.env.CHAMADO_TEST_POSTGRES;
// The real chamado: the SQLite side must not be redirected to PostgreSQL.
const bin = process.env.CHAMADO_REAL_BIN;
const skip = !admin || !bin ? 'needs the PostgreSQL test server (ctest -L postgresql)' : false;

let data;

function freshDatabase() {
  const schema = `m${randomBytes(6).toString('hex')}`;
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', admin, '-c', `CREATE SCHEMA ${schema}`]);
  return { schema, url: `${admin}${admin.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}` };
}

function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], { encoding: 'utf8' }).trim();
}

// The real chamado on `data`, its database SQLite's (the default) or the URL's in `env`.
const serve = (env) => startServer({ data, bin, env: { CHAMADO_STORE_URL: '', ...env } });

const cli = (env, ...args) => spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, CHAMADO_STORE_URL: '', ...env } });

before(() => {
  if (skip) return;
  data = mkdtempSync(join(tmpdir(), 'chamado-migrate-store-'));
});

after(() => {
  if (data) rmSync(data, { recursive: true, force: true });
});

test('a SQLite desk is copied into PostgreSQL, verified, and served from there', { skip }, async () => {
  // The SQLite desk: the demo, an agent with a token, a ticket with a file and a reply.
  assert.equal(cli({}, 'demo', '--data', data).status, 0);
  assert.equal(cli({}, 'user', 'add', '--role', 'agent', '--email', 'mover@desk.test', '--password', 'mover-pass-1', '--data', data).status, 0);
  const token = cli({}, 'token', 'create', '--email', 'mover@desk.test', '--data', data).stdout.trim().split('\n').pop();
  let server = await serve({});
  let agent = tokenClient(server.url, token);
  const form = new FormData();
  form.append('subject', 'Relatório não exporta');
  form.append('description', 'O botão de exportação não faz nada desde a versão 2.4.1.');
  form.append('requester_email', 'ana@acme.test');
  form.append('attachments', new Blob(['line\n'.repeat(40)], { type: 'text/plain' }), 'export.log');
  const opened = await agent.post('/api/v1/tickets', form);
  assert.equal(opened.status, 201, opened.text);
  const number = opened.json.number;
  const replied = await agent.post(`/api/v1/tickets/${number}/messages`, { kind: 'public_reply', body: 'Corrigido na 2.4.2.' });
  assert.equal(replied.status, 201, replied.text);
  const listed = await agent.get('/api/v1/tickets?limit=100');
  assert.equal(listed.status, 200);
  const ticket = await agent.get(`/api/v1/tickets/${number}`);
  await server.stop({ keepData: true });

  // The copy, with its proof.
  const target = freshDatabase();
  const copied = cli({}, 'migrate-store', '--from', data, '--to', target.url);
  assert.equal(copied.status, 0, copied.stderr);
  assert.match(copied.stdout, /verified: every table has the same rows and checksum/);
  assert.equal(cli({}, 'migrate-store', '--from', data, '--to', target.url, '--check').status, 0);

  // Served from PostgreSQL: the same tickets, the same ticket with its file; numbering goes on.
  server = await serve({ CHAMADO_STORE_URL: target.url });
  agent = tokenClient(server.url, token);
  const again = await agent.get('/api/v1/tickets?limit=100');
  assert.equal(again.status, 200);
  assert.deepEqual(again.json.items.map((t) => [t.number, t.subject, t.status]), listed.json.items.map((t) => [t.number, t.subject, t.status]));
  const same = await agent.get(`/api/v1/tickets/${number}`);
  assert.equal(same.status, 200);
  assert.deepEqual(same.json.messages?.map((m) => m.body) ?? same.json, ticket.json.messages?.map((m) => m.body) ?? ticket.json);
  const next = await agent.post('/api/v1/tickets', { subject: 'After the move', description: 'x', requester: { email: 'ana@acme.test' } });
  assert.equal(next.status, 201, next.text);
  const highest = Math.max(...listed.json.items.map((t) => t.number));
  assert.equal(next.json.number, highest + 1);
  await server.stop({ keepData: true });

  // The check can fail: a row changed behind the copy's back is named.
  psql(target.url, `UPDATE tickets SET subject = 'Changed' WHERE number = ${number}`);
  const checked = cli({}, 'migrate-store', '--from', data, '--to', target.url, '--check');
  assert.equal(checked.status, 1);
  assert.match(checked.stderr, /tickets differs/);

  // A database that holds a desk already is refused, and left as it was.
  const twice = cli({}, 'migrate-store', '--from', data, '--to', target.url);
  assert.equal(twice.status, 1);
  assert.match(twice.stderr, /already holds/);
  assert.equal(psql(target.url, `SELECT subject FROM tickets WHERE number = ${number}`), 'Changed');
});
