// The live conversation's WebSocket (issue 13): the widget and the agent on the same
// conversation, each socket dropped mid-conversation (one with a message sent but not yet
// acknowledged), reconnected with "resume after the newest seq I have", and the proof that
// neither side lost or got twice any message, and that the store holds each sent message
// once. Typing indicators and read marks pass between them. The `ws` client is web/'s
// devDependency.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const WebSocket = createRequire(join(repoRoot, 'web', 'package.json'))('ws');
const policyFile = join(repoRoot, 'examples', 'policies', '004_agency_management.toml');

let server, admin, lia, liaToken, rosa, data;

// One side of the conversation: its socket, every frame it got, and the messages by seq.
class Side {
  constructor(name, conversation, { token, headers } = {}) {
    Object.assign(this, { name, conversation, token, headers, frames: [], seqs: [], acks: new Map(), waiters: [] });
  }
  newest() { return this.seqs.length ? Math.max(...this.seqs) : 0; }
  async connect() {
    const url = `${server.url.replace('http', 'ws')}/api/v1/conversations/${this.conversation.id}/socket`;
    this.ws = new WebSocket(url, { headers: this.headers || {} });
    this.ws.on('message', (data) => {
      const f = JSON.parse(String(data));
      this.frames.push(f);
      if (f.type === 'message') this.seqs.push(f.message.seq);
      if (f.type === 'ack') this.acks.set(f.client_id, f);
      this.waiters = this.waiters.filter((w) => !w());
    });
    await new Promise((resolve, reject) => { this.ws.once('open', resolve); this.ws.once('error', reject); });
    this.ws.send(JSON.stringify({ type: 'hello', token: this.token, after: this.newest() }));
    await this.until(() => this.frames.some((f) => f.type === 'welcome' && f !== this.lastWelcome));
    this.lastWelcome = this.frames.filter((f) => f.type === 'welcome').at(-1);
  }
  until(predicate, ms = 5000) {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: timed out; frames ${JSON.stringify(this.frames.slice(-5))}`)), ms);
      this.waiters.push(() => {
        if (!predicate()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }
  send(client_id, text) { this.ws.send(JSON.stringify({ type: 'send', client_id, text })); }
  async say(client_id, text) {
    this.send(client_id, text);
    await this.until(() => this.acks.has(client_id));
    const ack = this.acks.get(client_id);
    await this.until(() => this.seqs.includes(ack.seq));  // our own message comes back as a message too
    return ack;
  }
  drop() { this.ws.terminate(); }
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'chamado-chat-socket-'));
  execFileSync(chamadoBin, ['policy', 'apply', policyFile, '--data', data]);
  server = await startServer({ data, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  liaToken = server.token('lia@desk.test');
  lia = tokenClient(server.url, liaToken);
  const org = (await admin.get('/api/v1/organizations?q=Rosa')).json.items[0];
  assert.equal((await admin.patch(`/api/v1/organizations/${org.id}`, { plan: 'standard' })).status, 200);
  rosa = await sessionClient(server.url, 'rosa@agencia.test', 'customer-pass-1');
  await admin.post('/api/v1/test/clock', { set: '2026-11-30T10:00:00-03:00' });
});

after(async () => { await server?.stop(); });

test('a plain GET on the socket address is told to upgrade', async () => {
  const r = await lia.get('/api/v1/conversations/1/socket');
  assertDocumented('GET', '/api/v1/conversations/{id}/socket', r);
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /WebSocket/);
});

test('dropping either socket mid-conversation loses nothing and duplicates nothing', async () => {
  const started = await rosa.post('/api/v1/conversations', {});
  assert.equal(started.status, 201, started.text);
  const conversation = started.json.conversation;
  const token = started.json.token;
  assert.equal((await lia.post(`/api/v1/conversations/${conversation.id}/accept`)).status, 200);

  const customer = new Side('customer', conversation, { token });
  const agent = new Side('agent', conversation, { headers: { authorization: `Bearer ${liaToken}` } });
  await customer.connect();
  await agent.connect();
  assert.equal(customer.lastWelcome.as, 'customer');
  assert.equal(agent.lastWelcome.as, 'agent');
  // A stranger's hello hears nothing.
  const stranger = new Side('stranger', conversation, { token: 'not-the-token' });
  await assert.rejects(stranger.connect(), /timed out/);
  assert.equal(stranger.frames.at(-1).type, 'error');
  assert.equal(stranger.frames.at(-1).code, 'not_found');
  stranger.drop();

  const sent = [];
  for (let i = 1; i <= 3; i++) {
    sent.push(`c${i}`);
    await customer.say(`c${i}`, `cliente ${i}`);
    sent.push(`a${i}`);
    await agent.say(`a${i}`, `agente ${i}`);
  }

  // Typing and read marks reach the other side only.
  customer.ws.send(JSON.stringify({ type: 'typing' }));
  await agent.until(() => agent.frames.some((f) => f.type === 'typing' && f.by === 'customer'));
  assert.equal(customer.frames.some((f) => f.type === 'typing'), false);
  agent.ws.send(JSON.stringify({ type: 'read', seq: agent.newest() }));
  await customer.until(() => customer.frames.some((f) => f.type === 'read' && f.by === 'agent' && f.seq === agent.newest()));

  // The customer's socket dies right after a send it never saw acknowledged; the agent goes
  // on writing meanwhile.
  customer.send('c4', 'cliente 4 (perdida?)');
  sent.push('c4');
  customer.drop();
  for (let i = 4; i <= 6; i++) {
    sent.push(`a${i}`);
    await agent.say(`a${i}`, `agente ${i}`);
  }
  // Back: resume after the newest seq it has, and send again what was not acknowledged.
  await customer.connect();
  customer.send('c4', 'cliente 4 (perdida?)');
  await customer.until(() => customer.acks.has('c4'));
  await customer.until(() => customer.seqs.includes(customer.acks.get('c4').seq));

  // Now the agent's socket dies with a send in flight, and the customer writes meanwhile.
  agent.send('a7', 'agente 7 (perdida?)');
  sent.push('a7');
  agent.drop();
  for (let i = 5; i <= 6; i++) {
    sent.push(`c${i}`);
    await customer.say(`c${i}`, `cliente ${i}`);
  }
  await agent.connect();
  agent.send('a7', 'agente 7 (perdida?)');
  await agent.until(() => agent.acks.has('a7'));

  // Everything stored, each message once, and both sides hold all of it, each seq once.
  const stored = await lia.get(`/api/v1/conversations/${conversation.id}`);
  assertDocumented('GET', '/api/v1/conversations/{id}', stored);
  const messages = stored.json.messages;
  const last = messages.at(-1).seq;
  assert.deepEqual(messages.map((m) => m.seq), Array.from({ length: last }, (_, i) => i + 1));
  const byClient = messages.filter((m) => m.client_id).map((m) => m.client_id).sort();
  assert.deepEqual(byClient, [...sent].sort(), 'every sent message stored exactly once');
  await customer.until(() => customer.newest() === last);
  await agent.until(() => agent.newest() === last);
  for (const side of [customer, agent]) {
    const seqs = [...side.seqs].sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: last }, (_, i) => i + 1), `${side.name}: every message once`);
    assert.deepEqual(side.seqs, seqs, `${side.name}: in order`);
  }
  customer.drop();
  agent.drop();
});
