// Two `chamado serve` instances on one PostgreSQL database: every breach fires once and every
// webhook is delivered once, however the two schedulers and senders race (store/claims.h,
// OutboxRepo::ClaimOutbox); live updates and live chat reach clients connected to the other
// instance (store/bus.h: LISTEN/NOTIFY). On PostgreSQL only (api_instances_pg): SQLite is one
// server's file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chamadoBin, repoRoot, sessionClient, startServer, tokenClient } from '../lib/server.mjs';
import { hookedPolicyFile, routedPolicyFile } from '../lib/policies.mjs';

const WebSocket = createRequire(join(repoRoot, 'web', 'package.json'))('ws');

const onPostgres = Boolean(process.env.CHAMADO_TEST_POSTGRES);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const skip = onPostgres ? false : 'needs PostgreSQL (api_instances_pg): SQLite serves one instance per file';

// Two servers on one database, set up first through the command line (`setup(cli)`, so both
// start with its policy): the first one's data folder names the database (test-store-url,
// and test-listen-url through PgBouncer, written by tests/lib/chamado-pg), the second's is a
// copy of that name.
async function twoInstances(extraArgs, setup) {
  const first = mkdtempSync(join(tmpdir(), 'chamado-test-'));
  setup((...args) => execFileSync(chamadoBin, [...args, '--data', first], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
  const a = await startServer({ data: first, extraArgs });
  const data = mkdtempSync(join(tmpdir(), 'chamado-test-'));
  for (const file of ['test-store-url', 'test-listen-url'])
    if (existsSync(join(first, file))) copyFileSync(join(first, file), join(data, file));
  try {
    return [a, await startServer({ data, extraArgs })];
  } catch (e) {
    await a.stop();
    throw e;
  }
}
const tokenOf = (cli, email) => cli('token', 'create', '--email', email).trim().split('\n').pop();

// Waits until `pred()` holds, up to `ms`.
async function until(pred, what, ms = 10000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

test('two instances on one database fire each breach once and deliver each webhook once', { skip }, async () => {
  const received = new Map();  // ticket number -> deliveries of sla.breached
  let other = 0;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const hook = JSON.parse(body);
      if (req.headers['x-chamado-event'] === 'sla.breached') received.set(hook.ticket, (received.get(hook.ticket) ?? 0) + 1);
      else other++;
      res.writeHead(204).end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const policy = hookedPolicyFile(`http://127.0.0.1:${receiver.address().port}/hooks/sla`);
  let token;
  const [a, b] = await twoInstances(['--test-clock'], (cli) => {
    cli('policy', 'apply', policy);
    cli('user', 'add', '--role', 'admin', '--email', 'admin@desk.test', '--password', 'admin-pass-1');
    token = tokenOf(cli, 'admin@desk.test');
  });
  try {
    const viaA = tokenClient(a.url, token);
    const viaB = tokenClient(b.url, token);
    const both = (path, body) => Promise.all([viaA.post(path, body), viaB.post(path, body)]);

    await both('/api/v1/test/clock', { set: '2026-01-05T12:00:00Z' });
    const tickets = [];
    for (let i = 0; i < 300; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => (k % 2 ? viaB : viaA).post('/api/v1/tickets', {
        subject: `Outage ${i + k}`, description: 'Nothing loads.', requester: { email: `c${i + k}@acme.test` },
      })));
      for (const r of batch) {
        assert.equal(r.status, 201, r.text);
        tickets.push(r.json.number);
      }
    }
    // Both schedulers fire what is due at 12:16 at the same moment, over the same 300 tickets.
    const moved = await both('/api/v1/test/clock', { advance: '16m' });
    for (const r of moved) assert.equal(r.status, 200, r.text);

    // Every webhook row delivered (both senders run), then a little longer for a second copy.
    let pending = -1;
    for (let i = 0; i < 300 && pending !== 0; i++) {
      const items = [];
      let after = '';
      do {
        const page = (await viaA.get(`/api/v1/outbox?limit=200${after ? `&after=${after}` : ''}`)).json;
        items.push(...page.items);
        after = page.next ?? '';
      } while (after);
      const hooks = items.filter((n) => n.kind === 'webhook');
      assert.equal(hooks.length, tickets.length, 'one webhook queued per breach');
      for (const n of hooks) if (n.sent_at) assert.equal(n.attempts, 1, `outbox row ${n.id} sent after ${n.attempts} attempts`);
      pending = hooks.filter((n) => !n.sent_at).length;
      if (pending) await sleep(200);
    }
    assert.equal(pending, 0, 'every webhook delivered');
    await sleep(1500);

    const twice = [...received].filter(([, n]) => n !== 1);
    assert.deepEqual(twice, [], 'no ticket breached (or delivered) twice');
    assert.equal(received.size, tickets.length, 'every ticket breached once');
    assert.equal(other, 0);
    for (const number of [tickets[0], tickets[149], tickets[299]]) {
      const t = (await viaB.get(`/api/v1/tickets/${number}`)).json;
      const fr = t.clocks.find((c) => c.target === 'first_response');
      assert.equal(fr.state, 'breached', JSON.stringify(fr));
      const events = (await viaA.get(`/api/v1/tickets/${number}/events?limit=200`)).json.items.filter((e) => e.kind === 'sla.breached');
      assert.equal(events.length, 1, `ticket ${number}: ${JSON.stringify(events)}`);
    }
  } finally {
    await b.stop();
    await a.stop();
    receiver.close();
  }
});

// A server-sent event stream (GET /api/v1/events): its ticket events as they come.
async function openStream(url, token) {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  assert.equal(res.status, 200);
  const stream = { events: [], close: () => controller.abort() };
  (async () => {
    const decoder = new TextDecoder();
    let raw = '';
    try {
      for await (const chunk of res.body) {
        raw += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = raw.indexOf('\n\n')) >= 0) {
          const data = raw.slice(0, end).split('\n').find((l) => l.startsWith('data:'));
          raw = raw.slice(end + 2);
          if (data) stream.events.push(JSON.parse(data.slice(5)));
        }
      }
    } catch { /* closed */ }
  })();
  return stream;
}

// One side of a live conversation: a socket on one instance and the frames it got.
async function chatSocket(url, conversation, hello, headers = {}) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/conversations/${conversation}/socket`, { headers });
  const side = { ws, frames: [] };
  ws.on('message', (d) => side.frames.push(JSON.parse(String(d))));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'hello', after: 0, ...hello }));
  await until(() => side.frames.some((f) => f.type === 'welcome'), 'welcome');
  return side;
}

test('live updates and live chat reach clients connected to the other instance', { skip }, async () => {
  let agentToken, adminToken;
  const [a, b] = await twoInstances(['--test-clock'], (cli) => {
    cli('policy', 'apply', join(repoRoot, 'examples', 'policies', '004_agency_management.toml'));
    const add = (role, email, password, ...more) => cli('user', 'add', '--role', role, '--email', email, '--password', password, ...more);
    add('admin', 'ana@desk.test', 'admin-pass-1');
    add('agent', 'lia@desk.test', 'agent-pass-1');
    add('customer', 'rosa@agencia.test', 'customer-pass-1', '--organization', 'Agência Rosa');
    agentToken = tokenOf(cli, 'lia@desk.test');
    adminToken = tokenOf(cli, 'ana@desk.test');
  });
  const sockets = [];
  let stream;
  try {
    const admin = tokenClient(a.url, adminToken);
    // Within the agency's chat hours (outside them the bot answers alone), on both clocks.
    for (const url of [a.url, b.url])
      assert.equal((await tokenClient(url, adminToken).post('/api/v1/test/clock', { set: '2026-11-30T10:00:00-03:00' })).status, 200);
    const org = (await admin.get('/api/v1/organizations?q=Rosa')).json.items[0];
    assert.equal((await admin.patch(`/api/v1/organizations/${org.id}`, { plan: 'standard' })).status, 200);

    // A ticket opened through A is announced on B's stream.
    stream = await openStream(b.url, agentToken);
    const ticket = await tokenClient(a.url, agentToken).post('/api/v1/tickets', {
      subject: 'Printer on fire', description: 'Third floor.', requester: { email: 'rosa@agencia.test' },
    });
    assert.equal(ticket.status, 201, ticket.text);
    await until(() => stream.events.some((e) => e.kind === 'ticket.created' && e.ticket === ticket.json.number), 'ticket.created on B');

    // The customer talks to A, the agent to B.
    const rosa = await sessionClient(a.url, 'rosa@agencia.test', 'customer-pass-1');
    const started = await rosa.post('/api/v1/conversations', {});
    assert.equal(started.status, 201, started.text);
    const id = started.json.conversation.id;
    const accepted = await tokenClient(b.url, agentToken).post(`/api/v1/conversations/${id}/accept`);
    assert.equal(accepted.status, 200, accepted.text);
    const customer = await chatSocket(a.url, id, { token: started.json.token });
    const agent = await chatSocket(b.url, id, {}, { authorization: `Bearer ${agentToken}` });
    sockets.push(customer, agent);

    customer.ws.send(JSON.stringify({ type: 'send', client_id: 'c1', text: 'Olá, preciso de ajuda' }));
    await until(() => agent.frames.some((f) => f.type === 'message' && f.message.text === 'Olá, preciso de ajuda'), "the customer's message on B");
    agent.ws.send(JSON.stringify({ type: 'send', client_id: 'a1', text: 'Claro, diga' }));
    await until(() => customer.frames.some((f) => f.type === 'message' && f.message.text === 'Claro, diga'), "the agent's message on A");
    customer.ws.send(JSON.stringify({ type: 'typing' }));
    await until(() => agent.frames.some((f) => f.type === 'typing' && f.by === 'customer'), 'typing on B');
    // Each message reached each side once.
    for (const side of [customer, agent]) {
      const seqs = side.frames.filter((f) => f.type === 'message').map((f) => f.message.seq);
      assert.deepEqual(seqs, [...new Set(seqs)], `no message twice: ${seqs}`);
    }
  } finally {
    for (const s of sockets) s.ws.terminate();
    stream?.close();
    await b.stop();
    await a.stop();
  }
});

test('two instances routing new tickets at once never give an agent more than their capacity', { skip }, async () => {
  const policy = routedPolicyFile(3);
  let token;
  const [a, b] = await twoInstances([], (cli) => {
    cli('policy', 'apply', policy);
    cli('user', 'add', '--role', 'admin', '--email', 'admin@desk.test', '--password', 'admin-pass-1');
    for (const name of ['lia', 'rui']) cli('user', 'add', '--role', 'agent', '--email', `${name}@desk.test`, '--password', 'agent-pass-1');
    token = tokenOf(cli, 'admin@desk.test');
  });
  try {
    const viaA = tokenClient(a.url, token);
    const viaB = tokenClient(b.url, token);
    const group = await viaA.post('/api/v1/groups', { name: 'Support' });
    assert.equal(group.status, 201, group.text);
    const agents = (await viaA.get('/api/v1/agents?limit=100')).json.items.filter((u) => /^(lia|rui)@/.test(u.email));
    assert.equal(agents.length, 2);
    for (const agent of agents) {
      const joined = await viaB.patch(`/api/v1/agents/${agent.id}`, { group_ids: [group.json.id] });
      assert.equal(joined.status, 200, joined.text);
    }
    // 40 tickets, 10 at a time, half through each instance: 6 places (2 agents × 3).
    const load = new Map();
    let assigned = 0;
    for (let i = 0; i < 40; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => (k % 2 ? viaB : viaA).post('/api/v1/tickets', {
        subject: `Login fails ${i + k}`, description: 'Since this morning.', requester: { email: `c${i + k}@acme.test` },
      })));
      for (const r of batch) {
        assert.equal(r.status, 201, r.text);
        if (!r.json.assignee) continue;
        assigned++;
        load.set(r.json.assignee.id, (load.get(r.json.assignee.id) ?? 0) + 1);
      }
    }
    for (const [agent, open] of load) assert.ok(open <= 3, `agent ${agent} was given ${open} tickets with a capacity of 3`);
    assert.equal(assigned, 6, 'both agents filled to their capacity');
  } finally {
    await b.stop();
    await a.stop();
  }
});
