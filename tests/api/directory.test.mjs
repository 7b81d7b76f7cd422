// The directory as the admin screens use it (issue 9): people searched by a part of their
// name or email and filtered by active; organizations by name or domain; deactivating and
// reactivating; group members; pages; what agents and customers may not do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sessionClient, tokenClient } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, boss, lucas, maria;

const call = async (who, method, path, template, body) => {
  const r = await who.request(method, path, body);
  assertDocumented(method, template, r);
  return r;
};

before(async () => {
  server = await startServer();
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1', ['--name', 'Boss']);
  server.addUser('agent', 'lucas@desk.test', 'agent-pass-1', ['--name', 'Lucas Lima']);
  server.addUser('customer', 'maria@acme.test', 'customer-pass-1', ['--name', 'Maria Souza', '--organization', 'Acme']);
  boss = await sessionClient(server.url, 'boss@desk.test', 'admin-pass-1');
  lucas = await sessionClient(server.url, 'lucas@desk.test', 'agent-pass-1');
  maria = await sessionClient(server.url, 'maria@acme.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

test('organizations are found by a part of their name or of a domain, wildcards taken literally', async () => {
  const made = [];
  for (const [name, domains] of [['Padaria Pão Quente', ['paoquente.test']], ['Oficina 100% Motor', ['motor.test']], ['Loja_Azul', ['azul-shop.test']]]) {
    const r = await call(boss, 'POST', '/api/v1/organizations', '/api/v1/organizations', { name, domains, plan: '' });
    assert.equal(r.status, 201, r.text);
    made.push(r.json);
  }
  const names = async (query) => {
    const r = await call(lucas, 'GET', `/api/v1/organizations?q=${encodeURIComponent(query)}`, '/api/v1/organizations');
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((o) => o.name);
  };
  assert.deepEqual(await names('PADARIA'), ['Padaria Pão Quente']);
  assert.deepEqual(await names('azul-shop'), ['Loja_Azul'], 'by domain');
  assert.deepEqual(await names('100%'), ['Oficina 100% Motor']);
  assert.deepEqual(await names('a_a'), ['Loja_Azul'], '_ is a character, not any character');
  assert.deepEqual(await names('%'), ['Oficina 100% Motor'], '% is a character, not anything');
  assert.deepEqual(await names('nobody-has-this'), []);
  assert.ok((await names('')).length >= 4, 'an empty q is no filter');
  const long = await call(lucas, 'GET', `/api/v1/organizations?q=${'x'.repeat(201)}`, '/api/v1/organizations');
  assert.equal(long.status, 400);
  assert.deepEqual(long.json.errors.map((e) => e.field), ['q']);
});

test('people are found by a part of the name or email, and filtered by active', async () => {
  const acme = (await call(lucas, 'GET', '/api/v1/organizations?q=acme', '/api/v1/organizations')).json.items[0];
  const joao = await call(lucas, 'POST', '/api/v1/contacts', '/api/v1/contacts', { email: 'joao@acme.test', name: 'João Pereira', organization_id: acme.id });
  assert.equal(joao.status, 201, joao.text);
  const emails = async (path) => {
    const r = await call(boss, 'GET', path, path.split('?')[0]);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((u) => u.email);
  };
  assert.deepEqual(await emails('/api/v1/contacts?q=souza'), ['maria@acme.test'], 'by name, either case');
  assert.deepEqual(await emails('/api/v1/contacts?q=JOAO%40'), ['joao@acme.test'], 'by email');
  assert.deepEqual(await emails('/api/v1/contacts?q=lucas'), [], 'agents are not contacts');
  assert.deepEqual(await emails('/api/v1/agents?q=lima'), ['lucas@desk.test']);
  assert.deepEqual(await emails(`/api/v1/contacts?organization_id=${acme.id}&q=acme.test`), ['maria@acme.test', 'joao@acme.test'], "an organization's contacts");

  // Deactivated: left out of active=true, listed by active=false, and their sessions end.
  const off = await call(lucas, 'PATCH', `/api/v1/contacts/${joao.json.id}`, '/api/v1/contacts/{id}', { active: false });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
  assert.deepEqual(await emails('/api/v1/contacts?q=acme.test&active=true'), ['maria@acme.test']);
  assert.deepEqual(await emails('/api/v1/contacts?q=acme.test&active=false'), ['joao@acme.test']);
  const on = await call(lucas, 'PATCH', `/api/v1/contacts/${joao.json.id}`, '/api/v1/contacts/{id}', { active: true });
  assert.equal(on.json.active, true);
  assert.deepEqual(await emails('/api/v1/contacts?q=acme.test&active=false'), []);

  const bad = await call(boss, 'GET', '/api/v1/agents?active=yes', '/api/v1/agents');
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, /active is true or false/);
});

test('a deactivated agent cannot sign in until reactivated', async () => {
  server.addUser('agent', 'temp@desk.test', 'temp-pass-12', ['--name', 'Temp']);
  const temp = await sessionClient(server.url, 'temp@desk.test', 'temp-pass-12');
  const id = (await temp.get('/api/v1/session')).json.user.id;
  const script = tokenClient(server.url, server.token('temp@desk.test'));
  const off = await call(boss, 'PATCH', `/api/v1/agents/${id}`, '/api/v1/agents/{id}', { active: false });
  assert.equal(off.status, 200, off.text);
  assert.equal((await temp.get('/api/v1/queue')).status, 401, 'the session ended');
  assert.equal((await script.get('/api/v1/queue')).status, 401, 'the token stopped working');
  await assert.rejects(sessionClient(server.url, 'temp@desk.test', 'temp-pass-12'));
  assert.equal((await call(boss, 'PATCH', `/api/v1/agents/${id}`, '/api/v1/agents/{id}', { active: true })).status, 200);
  const again = await sessionClient(server.url, 'temp@desk.test', 'temp-pass-12');
  assert.equal((await again.get('/api/v1/queue')).status, 200);
  assert.equal((await script.get('/api/v1/queue')).status, 200, 'the same token works again');
});

test("a group's members are the agents listed by group_id; membership changes with the agent's group_ids", async () => {
  const g = await call(boss, 'POST', '/api/v1/groups', '/api/v1/groups', { name: 'Billing', description: 'Invoices and payments' });
  assert.equal(g.status, 201, g.text);
  const agent = await call(boss, 'POST', '/api/v1/agents', '/api/v1/agents', { email: 'bia@desk.test', name: 'Bia', group_ids: [g.json.id], password: 'bia-pass-123' });
  assert.equal(agent.status, 201, agent.text);
  const members = async () => (await call(boss, 'GET', `/api/v1/agents?group_id=${g.json.id}`, '/api/v1/agents')).json.items.map((u) => u.email);
  assert.deepEqual(await members(), ['bia@desk.test']);
  assert.deepEqual((await call(boss, 'GET', `/api/v1/groups/${g.json.id}`, '/api/v1/groups/{id}')).json.member_ids, [agent.json.id]);
  assert.equal((await call(boss, 'PATCH', `/api/v1/agents/${agent.json.id}`, '/api/v1/agents/{id}', { group_ids: [] })).status, 200);
  assert.deepEqual(await members(), []);
  const unknown = await call(boss, 'PATCH', `/api/v1/agents/${agent.json.id}`, '/api/v1/agents/{id}', { group_ids: [999999] });
  assert.equal(unknown.status, 400, unknown.text);
});

test('a taken email, organization name or group name is a conflict (409) that names its field', async () => {
  const taken = await call(lucas, 'POST', '/api/v1/contacts', '/api/v1/contacts', { email: 'MARIA@acme.test', name: 'Another Maria' });
  assert.equal(taken.status, 409, taken.text);
  assert.deepEqual(taken.json.errors, [{ field: 'email', message: 'A user with the email maria@acme.test already exists.' }]);
  const org = await call(lucas, 'POST', '/api/v1/organizations', '/api/v1/organizations', { name: 'Acme' });
  assert.equal(org.status, 409, org.text);
  assert.deepEqual(org.json.errors.map((e) => e.field), ['name']);
  assert.equal((await call(boss, 'POST', '/api/v1/groups', '/api/v1/groups', { name: 'Twice' })).status, 201);
  const group = await call(boss, 'POST', '/api/v1/groups', '/api/v1/groups', { name: 'Twice' });
  assert.equal(group.status, 409, group.text);
  assert.deepEqual(group.json.errors.map((e) => e.field), ['name']);
});

test('lists come in pages; the search holds across them', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await call(lucas, 'POST', '/api/v1/contacts', '/api/v1/contacts', { email: `paged${i}@paged.test`, name: `Paged ${i}` });
    assert.equal(r.status, 201, r.text);
  }
  const seen = [];
  let after = '';
  for (let i = 0; i < 10; i++) {
    const r = await call(lucas, 'GET', `/api/v1/contacts?q=paged&limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`, '/api/v1/contacts');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((u) => u.email));
    if (!r.json.next) break;
    after = r.json.next;
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => `paged${i}@paged.test`));
});

test('what only administrators may do is refused to agents (403) and customers', async () => {
  const lucasId = (await lucas.get('/api/v1/session')).json.user.id;
  const bossId = (await boss.get('/api/v1/session')).json.user.id;
  for (const [method, path, template, body] of [
    ['POST', '/api/v1/agents', '/api/v1/agents', { email: 'sneaky@desk.test', name: 'Sneaky' }],
    ['PATCH', `/api/v1/agents/${bossId}`, '/api/v1/agents/{id}', { active: false }],
    ['PATCH', `/api/v1/agents/${bossId}`, '/api/v1/agents/{id}', { group_ids: [] }],
    ['POST', '/api/v1/groups', '/api/v1/groups', { name: 'Shadow' }],
    ['GET', `/api/v1/tokens?user_id=${bossId}`, '/api/v1/tokens', undefined],
  ]) {
    const r = await call(lucas, method, path, template, body);
    assert.equal(r.status, 403, `agent ${method} ${path}: ${r.text}`);
  }
  // Their own role is not theirs to change either (a field error: the request names it).
  const promoted = await call(lucas, 'PATCH', `/api/v1/agents/${lucasId}`, '/api/v1/agents/{id}', { role: 'admin' });
  assert.equal(promoted.status, 400, promoted.text);
  assert.deepEqual(promoted.json.errors.map((e) => e.field), ['role']);
  for (const [method, path, template, body] of [
    ['GET', '/api/v1/contacts?q=a', '/api/v1/contacts', undefined],
    ['GET', '/api/v1/agents?q=a', '/api/v1/agents', undefined],
    ['GET', '/api/v1/organizations?q=a', '/api/v1/organizations', undefined],
    ['POST', '/api/v1/organizations', '/api/v1/organizations', { name: 'Mine' }],
    ['POST', '/api/v1/agents', '/api/v1/agents', { email: 'sneaky2@desk.test' }],
  ]) {
    const r = await call(maria, method, path, template, body);
    assert.equal(r.status, 403, `customer ${method} ${path}: ${r.text}`);
  }
  // Nor may an administrator lock themselves out: the desk could be left without one.
  const selfOff = await call(boss, 'PATCH', `/api/v1/agents/${bossId}`, '/api/v1/agents/{id}', { active: false });
  assert.equal(selfOff.status, 400, selfOff.text);
  assert.deepEqual(selfOff.json.errors.map((e) => e.field), ['active']);
  const selfDemoted = await call(boss, 'PATCH', `/api/v1/agents/${bossId}`, '/api/v1/agents/{id}', { role: 'agent', name: 'Boss' });
  assert.equal(selfDemoted.status, 400, selfDemoted.text);
  assert.deepEqual(selfDemoted.json.errors.map((e) => e.field), ['role']);
  const selfKept = await call(boss, 'PATCH', `/api/v1/agents/${bossId}`, '/api/v1/agents/{id}', { role: 'admin', name: 'The Boss' });
  assert.equal(selfKept.status, 200, selfKept.text);
  const still = (await boss.get(`/api/v1/agents/${bossId}`)).json;
  assert.deepEqual([still.active, still.role, still.name], [true, 'admin', 'The Boss']);
});

test('chamado user deactivate and reactivate', async () => {
  server.addUser('customer', 'cli@acme.test', 'cli-pass-123');
  const who = await sessionClient(server.url, 'cli@acme.test', 'cli-pass-123');
  assert.match(server.cli('user', 'deactivate', '--email', 'CLI@acme.test'), /^deactivated customer cli@acme\.test \(id \d+\)/);
  assert.equal((await who.get('/api/v1/session')).status, 401, 'signed out');
  await assert.rejects(sessionClient(server.url, 'cli@acme.test', 'cli-pass-123'));
  const listed = await call(lucas, 'GET', '/api/v1/contacts?q=cli%40&active=false', '/api/v1/contacts');
  assert.deepEqual(listed.json.items.map((u) => u.email), ['cli@acme.test']);
  assert.match(server.cli('user', 'reactivate', '--email', 'cli@acme.test'), /^reactivated customer cli@acme\.test/);
  await sessionClient(server.url, 'cli@acme.test', 'cli-pass-123');
  assert.throws(() => server.cli('user', 'deactivate', '--email', 'nobody@acme.test'), /Nobody signs in as nobody@acme\.test\./);
});
