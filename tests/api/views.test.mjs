// Saved views through the API: an agent saves searches by name, pins and orders them; each
// view is its agent's alone, and its query is checked as the search checks it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, lucas, rita, ana;

const call = documentedCall;
const list = (who) => call(who, 'GET', '/api/v1/views', '/api/v1/views');
const create = (who, body) => call(who, 'POST', '/api/v1/views', '/api/v1/views', body);
const change = (who, id, body) => call(who, 'PATCH', `/api/v1/views/${id}`, '/api/v1/views/{id}', body);
const remove = (who, id) => call(who, 'DELETE', `/api/v1/views/${id}`, '/api/v1/views/{id}');

before(async () => {
  server = await startServer();
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('agent', 'rita@desk.test', 'agent-pass-1', ['--name', 'Rita']);
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  lucas = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  rita = tokenClient(server.url, server.token('rita@desk.test'));
  ana = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

test('an agent saves, pins, renames, orders and deletes views', async () => {
  const empty = await list(lucas);
  assert.equal(empty.status, 200, empty.text);
  assert.deepEqual(empty.json.items, []);

  const p1 = await create(lucas, { name: '  My open P1s ', query: 'status:open priority:P1 assignee:me', pinned: true });
  assert.equal(p1.status, 201, p1.text);
  assert.equal(p1.headers.get('location'), `/api/v1/views/${p1.json.id}`);
  assert.equal(p1.json.name, 'My open P1s');
  assert.equal(p1.json.pinned, true);
  const acme = await create(lucas, { name: 'Acme', query: 'org:acme "nota fiscal"' });
  assert.equal(acme.status, 201, acme.text);
  assert.equal(acme.json.pinned, false);
  assert.ok(acme.json.position > p1.json.position, 'a new view goes last');

  const renamed = await change(lucas, acme.json.id, { pinned: true, name: 'Acme invoices' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.query, 'org:acme "nota fiscal"', 'what was not sent stays');
  // position is the order key: the first view moves after the second.
  const moved = await change(lucas, p1.json.id, { position: acme.json.position + 1 });
  assert.equal(moved.status, 200, moved.text);
  const mine = await list(lucas);
  assert.deepEqual(mine.json.items.map((v) => [v.name, v.pinned]), [['Acme invoices', true], ['My open P1s', true]]);

  const gone = await remove(lucas, p1.json.id);
  assert.equal(gone.status, 204, gone.text);
  assert.deepEqual((await list(lucas)).json.items.map((v) => v.name), ['Acme invoices']);
  assert.equal((await remove(lucas, p1.json.id)).status, 404);
});

test("another agent's view is not found", async () => {
  const mine = await create(lucas, { name: 'Unassigned VIPs', query: 'assignee:none tag:vip' });
  assert.equal(mine.status, 201, mine.text);
  assert.ok(!(await list(rita)).json.items.some((v) => v.id === mine.json.id));
  const patched = await change(rita, mine.json.id, { name: 'Taken' });
  assert.equal(patched.status, 404, patched.text);
  const deleted = await remove(rita, mine.json.id);
  assert.equal(deleted.status, 404, deleted.text);
  // Rita may use the same name for a view of her own.
  assert.equal((await create(rita, { name: 'Unassigned VIPs', query: 'assignee:none' })).status, 201);
  assert.equal((await list(lucas)).json.items.find((v) => v.id === mine.json.id).name, 'Unassigned VIPs');
});

test('a query the search would refuse is a 400 with its sentence', async () => {
  const bad = await create(lucas, { name: 'Broken', query: 'created>=2026-13-01' });
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.json.detail, /created>=2026-13-01/);
  assert.deepEqual(bad.json.errors.map((e) => e.field), ['query']);
  const negated = await create(lucas, { name: 'Broken', query: '-status:open' });
  assert.equal(negated.status, 400);
  assert.match(negated.json.detail, /cannot be excluded/);
  const blank = await create(lucas, { name: 'Blank', query: '   ' });
  assert.equal(blank.status, 400);
  const view = (await list(lucas)).json.items[0];
  const patched = await change(lucas, view.id, { query: 'status:' + 'x'.repeat(2000) });
  assert.equal(patched.status, 400);
  assert.deepEqual(patched.json.errors.map((e) => e.field), ['query']);
});

test('names are 1 to 100 characters and unique per agent, case aside', async () => {
  for (const name of ['', '   ', 'x'.repeat(101)]) {
    const r = await create(lucas, { name, query: 'status:open' });
    assert.equal(r.status, 400, `${JSON.stringify(name)}: ${r.text}`);
    assert.deepEqual(r.json.errors.map((e) => e.field), ['name']);
  }
  assert.equal((await create(lucas, { name: 'ç'.repeat(100), query: 'status:open' })).status, 201);
  const missing = await create(lucas, { query: 'status:open' });
  assert.equal(missing.status, 400);
  const unknown = await create(lucas, { name: 'Extra', query: 'status:open', colour: 'red' });
  assert.equal(unknown.status, 400);

  assert.equal((await create(lucas, { name: 'Waiting', query: 'status:pending' })).status, 201);
  const dup = await create(lucas, { name: 'WAITING', query: 'status:hold' });
  assert.equal(dup.status, 409, dup.text);
  assert.match(dup.json.detail, /already have a view named/);
  const other = (await list(lucas)).json.items.find((v) => v.name !== 'Waiting');
  const renamed = await change(lucas, other.id, { name: 'waiting' });
  assert.equal(renamed.status, 409, renamed.text);
});

test('an agent keeps at most 50 views', async () => {
  const have = (await list(rita)).json.items.length;
  for (let i = have; i < 50; i++) assert.equal((await create(rita, { name: `View ${i}`, query: `tag:t${i}` })).status, 201);
  const over = await create(rita, { name: 'One too many', query: 'status:open' });
  assert.equal(over.status, 409, over.text);
  assert.match(over.json.detail, /50 saved views/);
});

test('views are for agents only', async () => {
  assert.equal((await list(ana)).status, 403);
  const r = await create(ana, { name: 'Mine', query: 'status:open' });
  assert.equal(r.status, 403, r.text);
});
