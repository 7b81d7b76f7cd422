// Deactivating an organization (issue 9): its people can no longer sign in (their sessions
// and API tokens stop working) or open tickets by any channel; mail from them that would open
// a ticket is refused for good, with the reason, so the sender's mail system returns it;
// agents still read and work its tickets, whose clocks keep running; reactivating restores all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chamadoBin, startServer, sessionClient, tokenClient, readAnswer } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let s, admin, agent, adminToken;

before(async () => {
  s = await startServer({ extraArgs: ['--test-clock'] });
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test');
  s.addUser('customer', 'joana@cliente.test', 'customer-pass-1', ['--organization', 'Cliente SA']);
  adminToken = s.token('admin@desk.test');
  admin = tokenClient(s.url, adminToken);
  agent = tokenClient(s.url, s.token('agent@desk.test'));
});
after(async () => { await s?.stop(); });

let serial = 0;
function mailgate(from, subject, extra = []) {
  const raw = [`From: ${from}`, 'To: suporte@desk.test', `Subject: ${subject}`, `Message-ID: <deact${++serial}@cliente.test>`, ...extra,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Preciso de ajuda.', ''].join('\r\n');
  const r = spawnSync(chamadoBin, ['mailgate', '--url', s.url, '--token', adminToken], { input: raw, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, json: r.status === 0 ? JSON.parse(r.stdout) : null };
}

async function signIn(email, password) {
  return readAnswer(await fetch(`${s.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  }));
}

test('a deactivated organization locks its people out of every channel; its tickets stay; reactivating restores it', async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-03-02T12:00:00Z' });
  const org = (await admin.get('/api/v1/organizations?q=Cliente')).json.items[0];
  assert.equal(org.active, true);
  await admin.patch(`/api/v1/organizations/${org.id}`, { domains: ['cliente.test'] });
  const joana = await sessionClient(s.url, 'joana@cliente.test', 'customer-pass-1');
  const joanaToken = tokenClient(s.url, s.token('joana@cliente.test'));
  const open = await joana.post('/api/v1/tickets', { subject: 'Relatório não exporta', description: 'Erro 500 ao exportar.' });
  assert.equal(open.status, 201, open.text);
  const n = open.json.number;
  const before = (await agent.get(`/api/v1/tickets/${n}`)).json;

  const off = await admin.request('PATCH', `/api/v1/organizations/${org.id}`, { active: false });
  assertDocumented('PATCH', '/api/v1/organizations/{id}', off);
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.active, false);
  const listed = (await admin.get('/api/v1/organizations?q=Cliente')).json.items[0];
  assert.equal(listed.active, false);

  // No way in: the open session, the API token, a new sign-in.
  for (const [what, r] of [['session', await joana.get(`/api/v1/tickets/${n}`)], ['token', await joanaToken.get('/api/v1/tickets')],
    ['sign-in', await signIn('joana@cliente.test', 'customer-pass-1')]]) {
    assert.equal(r.status, 401, `${what}: ${r.text}`);
    assert.equal(r.json.code, 'unauthenticated', what);
    assert.match(r.json.detail, /organization's access to support is deactivated/, what);
  }
  // A wrong password still hears only that: deactivation is not told to guessers.
  assert.match((await signIn('joana@cliente.test', 'wrong-password-9')).json.detail, /email or password is not right/);

  // No ticket for its people by any channel: an agent on the phone, a mail from a known contact
  // or from a new address of its domain (which does not become a contact either).
  const byAgent = await agent.post('/api/v1/tickets', { subject: 'Ligação', description: 'Ela ligou.', requester: { email: 'joana@cliente.test' } });
  assert.equal(byAgent.status, 409, byAgent.text);
  assert.equal(byAgent.json.code, 'conflict');
  assert.match(byAgent.json.detail, /Cliente SA is deactivated/);
  for (const from of ['Joana <joana@cliente.test>', 'Novo <novo@cliente.test>']) {
    const m = mailgate(from, 'Outro problema');
    assert.equal(m.code, 65, `${from}: refused for good, so the MTA returns it to the sender: ${m.err}`);
    assert.match(m.err, /Support for Cliente SA is deactivated, so this email opened no ticket/);
  }
  assert.deepEqual((await admin.get('/api/v1/contacts?q=novo%40cliente')).json.items, [], 'a refused mail makes no contact');

  // Its tickets stay readable and workable by agents; the clocks keep running.
  const seen = await agent.get(`/api/v1/tickets/${n}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.status, before.status);
  const clocks = (t) => t.clocks.map((c) => [c.target, c.state, c.due_at]);
  assert.ok(before.clocks.length > 0, 'the default policy runs clocks');
  assert.deepEqual(clocks(seen.json), clocks(before), 'the clocks run on as before');
  const reply = await agent.post(`/api/v1/tickets/${n}/messages`, { body: 'Estamos verificando.' });
  assert.equal(reply.status, 201, reply.text);
  // A mail answering that open ticket is still added to it (the conversation goes on).
  const answer = mailgate('Joana <joana@cliente.test>', `Re: [#${n}] Relatório não exporta`);
  assert.equal(answer.code, 0, answer.err);
  assert.deepEqual([answer.json.outcome, answer.json.ticket], ['appended', n]);

  // Reactivated: the same session and token work again, and so do new tickets by mail.
  const on = await admin.patch(`/api/v1/organizations/${org.id}`, { active: true });
  assert.equal(on.json.active, true);
  assert.equal((await joana.get(`/api/v1/tickets/${n}`)).status, 200);
  assert.equal((await joanaToken.get('/api/v1/tickets')).status, 200);
  assert.equal((await signIn('joana@cliente.test', 'customer-pass-1')).status, 200);
  const again = mailgate('Joana <joana@cliente.test>', 'Agora funciona?');
  assert.equal(again.code, 0, again.err);
  assert.equal(again.json.outcome, 'opened');
});

test('active must be true or false', async () => {
  const org = (await admin.post('/api/v1/organizations', { name: 'Outra' })).json;
  const r = await admin.patch(`/api/v1/organizations/${org.id}`, { active: 'no' });
  assert.equal(r.status, 400);
  assert.equal(r.json.errors[0].field, 'active');
});
