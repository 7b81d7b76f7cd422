// Routing (issue 11): agents mark themselves away, administrators set capacity and an
// organization's technical account manager; the team's board; a ticket's language; a
// specialist group told to the customer as "with our specialists". The routing decisions
// themselves are played on the test clock in tests/scenarios (000f, 001d, 004e).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServer, sessionClient } from '../lib/server.mjs';
import { documentedCall } from '../lib/openapi.mjs';

let server, lucas, boss, carla, lucasId, bossId;

const call = documentedCall;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas']);
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('customer', 'carla@acme.test', 'customer-pass-1', ['--organization', 'Acme', '--name', 'Carla']);
  lucas = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  boss = await sessionClient(server.url, 'boss@desk.test', 'admin-pass-1');
  carla = await sessionClient(server.url, 'carla@acme.test', 'customer-pass-1');
  lucasId = (await lucas.get('/api/v1/session')).json.user.id;
  bossId = (await boss.get('/api/v1/session')).json.user.id;
});

after(async () => { await server?.stop(); });

test('an agent marks only themself away; capacity is for administrators', async () => {
  const away = await call(lucas, 'PATCH', `/api/v1/agents/${lucasId}/availability`, '/api/v1/agents/{id}/availability', { away: true });
  assert.equal(away.status, 200, away.text);
  assert.equal(away.json.away, true);
  assert.ok(away.json.away_since);
  const other = await call(lucas, 'PATCH', `/api/v1/agents/${bossId}/availability`, '/api/v1/agents/{id}/availability', { away: true });
  assert.equal(other.status, 403);
  const cap = await call(lucas, 'PATCH', `/api/v1/agents/${lucasId}/availability`, '/api/v1/agents/{id}/availability', { capacity: 50 });
  assert.equal(cap.status, 400);
  assert.match(cap.text, /capacity/);
  const bad = await call(boss, 'PATCH', `/api/v1/agents/${lucasId}/availability`, '/api/v1/agents/{id}/availability', { capacity: -2 });
  assert.equal(bad.status, 400);
  const set = await call(boss, 'PATCH', `/api/v1/agents/${lucasId}/availability`, '/api/v1/agents/{id}/availability', { capacity: 3, away: false });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual([set.json.capacity, set.json.away, set.json.away_since], [3, false, null]);
  const back = await call(boss, 'PATCH', `/api/v1/agents/${lucasId}/availability`, '/api/v1/agents/{id}/availability', { capacity: null });
  assert.equal(back.json.capacity, null, 'null gives the group\'s capacity back');
  const customer = await carla.request('GET', `/api/v1/agents/${lucasId}/availability`);
  assert.equal(customer.status, 403);
  const board = await call(lucas, 'GET', '/api/v1/routing', '/api/v1/routing');
  assert.equal(board.status, 200);
  assert.ok(board.json.agents.some((a) => a.email === 'lucas@desk.test' && a.away === false));
});

test("an organization's TAM must be an active agent, named before a backup", async () => {
  const org = (await boss.get('/api/v1/organizations')).json.items.find((o) => o.name === 'Acme');
  const carlaId = (await carla.get('/api/v1/session')).json.user.id;
  const path = `/api/v1/organizations/${org.id}/tam`;
  const contact = await call(boss, 'PUT', path, '/api/v1/organizations/{id}/tam', { tam_id: carlaId, tam_backup_id: null });
  assert.equal(contact.status, 400);
  assert.match(contact.text, /tam_id/);
  const onlyBackup = await call(boss, 'PUT', path, '/api/v1/organizations/{id}/tam', { tam_id: null, tam_backup_id: lucasId });
  assert.equal(onlyBackup.status, 400);
  const same = await call(boss, 'PUT', path, '/api/v1/organizations/{id}/tam', { tam_id: lucasId, tam_backup_id: lucasId });
  assert.equal(same.status, 400);
  assert.equal((await call(lucas, 'PUT', path, '/api/v1/organizations/{id}/tam', { tam_id: lucasId })).status, 403);
  const set = await call(boss, 'PUT', path, '/api/v1/organizations/{id}/tam', { tam_id: lucasId, tam_backup_id: bossId });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual(set.json, { tam_id: lucasId, tam_backup_id: bossId });
  assert.deepEqual((await call(lucas, 'GET', path, '/api/v1/organizations/{id}/tam')).json, set.json);
  assert.equal((await call(boss, 'GET', '/api/v1/organizations/999999/tam', '/api/v1/organizations/{id}/tam')).status, 404);
});

test('a ticket handed to a specialist group is "with our specialists" for its customer, who never sees the group', async () => {
  // New tickets join Support: the policy routes them, not the customer (who may not choose a group).
  const base = readFileSync(join(repoRoot, 'examples', 'policies', '002_marketing_automation.toml'), 'utf8');
  const source = base.replace('[routing]\n', '[routing]\ngroup = "Support"\n');
  const applied = await boss.request('PUT', '/api/v1/policy', { source });
  assert.equal(applied.status, 200, applied.text);
  const support = await boss.post('/api/v1/groups', { name: 'Support' });
  assert.equal(support.status, 201, support.text);
  const db = await boss.post('/api/v1/groups', { name: 'Database' });
  assert.equal(db.status, 201, db.text);
  const opened = await call(carla, 'POST', '/api/v1/tickets', '/api/v1/tickets', {
    subject: 'Relatório lento', description: 'O relatório de campanhas não abre desde ontem e a página fica carregando sem mostrar nenhum erro.',
  });
  assert.equal(opened.status, 201, opened.text);
  assert.equal(opened.json.language, 'pt-BR', 'the text is Portuguese');
  assert.equal(opened.json.with_specialists, false);
  const n = opened.json.number;
  assert.equal(opened.json.group, null, 'customers never see the group');
  const asAgent = await call(lucas, 'GET', `/api/v1/tickets/${n}`, '/api/v1/tickets/{number}');
  assert.equal(asAgent.json.group?.name, 'Support');
  const history = (await lucas.get(`/api/v1/tickets/${n}/events`)).json.items;
  const grouped = history.find((e) => e.changes.some((c) => c.field === 'group'));
  assert.equal(grouped?.actor.role, 'system', 'Chamado set the group, by the policy');
  const moved = await call(lucas, 'PATCH', `/api/v1/tickets/${n}`, '/api/v1/tickets/{number}', { group_id: db.json.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.group.name, 'Database');
  assert.equal(moved.json.with_specialists, true);
  const seen = await call(carla, 'GET', `/api/v1/tickets/${n}`, '/api/v1/tickets/{number}');
  assert.equal(seen.json.group, null);
  assert.equal(seen.json.with_specialists, true);
  const board = (await lucas.get('/api/v1/routing')).json;
  assert.deepEqual(board.groups.find((g) => g.name === 'Database'), { id: db.json.id, name: 'Database', mode: 'manual', capacity: 0, specialist: true, waiting: 1 });
});
