// Presence on a ticket (issue 9): agents with the same ticket open see each other, and who is
// writing a reply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, ana, bia, customer, number;

const mark = async (who, n, state) => {
  const r = await who.post(`/api/v1/tickets/${n}/presence`, { state });
  assertDocumented('POST', '/api/v1/tickets/{number}/presence', r);
  return r;
};

before(async () => {
  server = await startServer();
  server.addUser('agent', 'ana@desk.test', 'agent-pass-1', ['--name', 'Ana']);
  server.addUser('agent', 'bia@desk.test', 'agent-pass-1', ['--name', 'Bia']);
  server.addUser('customer', 'c@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  ana = tokenClient(server.url, server.token('ana@desk.test'));
  bia = await sessionClient(server.url, 'bia@desk.test', 'agent-pass-1');
  customer = await sessionClient(server.url, 'c@acme.test', 'customer-pass-1');
  number = (await customer.post('/api/v1/tickets', { subject: 'Help', description: 'x' })).json.number;
});

after(async () => { await server?.stop(); });

test('agents on the same ticket see each other, and who is replying', async () => {
  assert.deepEqual((await mark(ana, number, 'viewing')).json.others, []);
  assert.deepEqual((await mark(bia, number, 'replying')).json.others, [{ id: (await ana.get('/api/v1/session')).json.user.id, name: 'Ana', state: 'viewing' }]);
  const seen = (await mark(ana, number, 'viewing')).json.others;
  assert.deepEqual(seen.map((o) => [o.name, o.state]), [['Bia', 'replying']]);
  await mark(bia, number, 'left');
  assert.deepEqual((await mark(ana, number, 'viewing')).json.others, []);
});

test('presence is for agents, on tickets that exist, with a known state', async () => {
  assert.equal((await mark(customer, number, 'viewing')).status, 403);
  assert.equal((await mark(ana, 999999, 'viewing')).status, 404);
  const bad = await mark(ana, number, 'sleeping');
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, /viewing, replying or left/);
});
