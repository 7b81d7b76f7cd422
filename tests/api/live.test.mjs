// Live updates (GET /api/v1/events): events arrive over server-sent events, each to whom it
// may concern, and a reconnecting client resumes from the last id it saw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';

let server, agent, agentToken, acme, globex;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  server.addUser('customer', 'gus@globex.test', 'customer-pass-1', ['--organization', 'Globex']);
  agentToken = server.token('agent@desk.test');
  agent = tokenClient(server.url, agentToken);
  acme = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  globex = await sessionClient(server.url, 'gus@globex.test', 'customer-pass-1');
});

after(async () => { await server?.stop(); });

// Opens the stream and parses its frames as they come.
async function openStream(headers, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1/events${query}`, { headers, signal: controller.signal });
  const stream = { status: res.status, headers: res.headers, frames: [], raw: '', closed: false, res };
  if (res.status !== 200) {
    stream.body = await res.json();
    return stream;
  }
  const waiters = [];
  (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        stream.raw += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = stream.raw.indexOf('\n\n')) >= 0) {
          const block = stream.raw.slice(0, end);
          stream.raw = stream.raw.slice(end + 2);
          const frame = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === '') frame.comment = value;
            else frame[field] = value;
          }
          if (frame.data) frame.json = JSON.parse(frame.data);
          stream.frames.push(frame);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch { /* aborted */ }
    stream.closed = true;
    waiters.splice(0).forEach((w) => w());
  })();
  // Resolves with the first ticket event `pred` accepts (waiting up to 10 s).
  stream.next = async (pred, what = 'an event') => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = stream.frames.find((f) => f.event === 'ticket' && pred(f.json));
      if (found) return found;
      if (stream.closed || Date.now() > deadline) throw new Error(`${what} never came; got ${JSON.stringify(stream.frames)}`);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
    }
  };
  stream.events = () => stream.frames.filter((f) => f.event === 'ticket').map((f) => f.json);
  stream.close = () => controller.abort();
  return stream;
}

const asAgent = () => ({ authorization: `Bearer ${agentToken}` });
const asCustomer = (c) => ({ cookie: c.cookie });
// Events are published after each commit; a moment covers one that is still on its way.
const settle = () => new Promise((r) => setTimeout(r, 700));

test('the stream is server-sent events, for signed-in users only', async () => {
  const anonymous = await openStream({});
  assert.equal(anonymous.status, 401);
  const s = await openStream(asAgent());
  assert.equal(s.status, 200);
  assert.match(s.headers.get('content-type'), /^text\/event-stream/);
  assert.equal(s.headers.get('cache-control'), 'no-store');
  assert.equal(s.headers.get('x-accel-buffering'), 'no');
  assert.equal(s.headers.get('content-length'), null);
  s.close();
  const bad = await openStream(asAgent(), '?last_event_id=yesterday');
  assert.equal(bad.status, 400);
  assert.match(bad.body.detail, /Last-Event-ID/);
});

test('an agent hears of new tickets, replies and changes; customers only of what they may see', async () => {
  const desk = await openStream(asAgent());
  const ana = await openStream(asCustomer(acme));
  const gus = await openStream(asCustomer(globex));
  assert.equal(gus.status, 200);

  const created = await acme.post('/api/v1/tickets', { subject: 'Printer on fire', description: 'Smoke everywhere.' });
  assert.equal(created.status, 201, created.text);
  const number = created.json.number;
  const opened = await desk.next((e) => e.kind === 'ticket.created' && e.ticket === number, 'ticket.created');
  assert.equal(opened.json.by_customer, true);
  assert.equal(opened.id, String(opened.json.id));
  await ana.next((e) => e.kind === 'ticket.created' && e.ticket === number, "the customer's own ticket.created");

  const note = await agent.post(`/api/v1/tickets/${number}/messages`, { body: 'The fire is in the toner.', kind: 'internal_note' });
  assert.equal(note.status, 201, note.text);
  await desk.next((e) => e.kind === 'message.added' && e.message_kind === 'internal_note', 'the internal note, for the agent');
  const tagged = await agent.patch(`/api/v1/tickets/${number}`, { tags: ['internal-fire'] });
  assert.equal(tagged.status, 200, tagged.text);
  await desk.next((e) => e.kind === 'ticket.updated' && e.fields.includes('tags'), 'the tag change');
  const reply = await agent.post(`/api/v1/tickets/${number}/messages`, { body: 'We are on our way.' });
  assert.equal(reply.status, 201, reply.text);
  const heard = await ana.next((e) => e.kind === 'message.added' && e.message_kind === 'public_reply', "the agent's reply, for the customer");
  assert.equal(heard.json.ticket, number);
  assert.ok(!('body' in heard.json), 'no message text in the stream');

  const answer = await acme.post(`/api/v1/tickets/${number}/messages`, { body: 'Thanks, it is out now.' });
  assert.equal(answer.status, 201, answer.text);
  const replied = await desk.next((e) => e.kind === 'message.added' && e.message_kind === 'customer_message' && e.by_customer && e.id > heard.json.id, "the customer's reply");
  assert.equal(replied.json.ticket, number);

  await settle();
  const anaEvents = ana.events().filter((e) => e.ticket === number);
  assert.ok(!anaEvents.some((e) => e.message_kind === 'internal_note'), 'no internal note for the customer');
  assert.ok(!anaEvents.some((e) => (e.fields ?? []).some((f) => f !== 'status' && f !== 'priority' && f !== 'subject')),
    `only fields a customer sees: ${JSON.stringify(anaEvents)}`);
  assert.ok(!JSON.stringify(ana.frames).includes('internal-fire'));
  assert.deepEqual(gus.events(), [], "another organization's customer hears nothing of it");
  const ids = desk.events().map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids grow');
  for (const s of [desk, ana, gus]) s.close();
});

test('a client that reconnects with Last-Event-ID gets what it missed; one too far back is told to reload', async () => {
  const first = await openStream(asAgent());
  const created = await agent.post('/api/v1/tickets', { subject: 'Resume me', description: 'One.', requester: { email: 'ana@acme.test' } });
  assert.equal(created.status, 201, created.text);
  const number = created.json.number;
  const seen = await first.next((e) => e.ticket === number && e.kind === 'ticket.created', 'the first event');
  first.close();

  // While nobody listens: a reply and a change.
  assert.equal((await agent.post(`/api/v1/tickets/${number}/messages`, { body: 'Two.' })).status, 201);
  const priorities = (await agent.get('/api/v1/priorities')).json.items.map((p) => p.name);
  const other = priorities.find((p) => p !== created.json.priority);
  const changed = await agent.patch(`/api/v1/tickets/${number}`, { priority: other });
  assert.equal(changed.status, 200, changed.text);
  await settle();

  const again = await openStream({ ...asAgent(), 'last-event-id': seen.id });
  const missed = await again.next((e) => e.ticket === number && e.kind === 'ticket.updated' && e.fields.includes('priority'), 'the missed change');
  const replay = again.events();
  assert.ok(replay.every((e) => e.id > Number(seen.id)), 'nothing from before the id');
  assert.ok(replay.some((e) => e.kind === 'message.added' && e.ticket === number), 'the missed reply');
  assert.ok(replay.findIndex((e) => e.kind === 'message.added') < replay.indexOf(missed.json), 'in order');
  assert.ok(!again.frames.some((f) => f.event === 'reload'));
  again.close();

  // An id this server never sent (another database, or from before it started: see
  // event_hub_test.cc) cannot be resumed from: the client must reload.
  const stale = await openStream(asAgent(), '?last_event_id=999999');
  const deadline = Date.now() + 5000;
  while (!stale.frames.some((f) => f.event === 'reload') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(stale.frames.some((f) => f.event === 'reload'), JSON.stringify(stale.frames));
  stale.close();
});

test('each user may keep a few streams open; the next gets a 503 that says why', async () => {
  const open = [];
  for (let i = 0; i < 8; i++) {
    const s = await openStream(asCustomer(globex));
    assert.equal(s.status, 200, `stream ${i + 1}`);
    open.push(s);
  }
  const refused = await openStream(asCustomer(globex));
  assert.equal(refused.status, 503);
  assert.match(refused.body.detail, /live update streams open/);
  assert.ok(refused.headers.get('retry-after'));
  open.pop().close();
  // Closing one frees its place once the server notices the connection is gone.
  let again;
  for (let i = 0; i < 50; i++) {
    again = await openStream(asCustomer(globex));
    if (again.status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(again.status, 200);
  again.close();
  open.forEach((s) => s.close());
});
