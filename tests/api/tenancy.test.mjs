// Tenant isolation: another organization's customer tries every ticket endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient } from '../lib/server.mjs';

let server, agent, acme, acmeColleague, globex, loner;
let ticket, attachmentId, noteAttachmentId;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  server.addUser('customer', 'ana@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  server.addUser('customer', 'bruno@acme.test', 'customer-pass-1', ['--organization', 'Acme']);
  server.addUser('customer', 'gus@globex.test', 'customer-pass-1', ['--organization', 'Globex']);
  server.addUser('customer', 'solo@gmail.test', 'customer-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  acme = await sessionClient(server.url, 'ana@acme.test', 'customer-pass-1');
  acmeColleague = await sessionClient(server.url, 'bruno@acme.test', 'customer-pass-1');
  globex = await sessionClient(server.url, 'gus@globex.test', 'customer-pass-1');
  loner = await sessionClient(server.url, 'solo@gmail.test', 'customer-pass-1');

  const form = new FormData();
  form.append('subject', 'Acme secret');
  form.append('description', 'Our API key ends in 9f3a.');
  form.append('attachments', new Blob(['acme internal report'], { type: 'text/plain' }), 'report.txt');
  const r = await acme.post('/api/v1/tickets', form);
  assert.equal(r.status, 201, r.text);
  ticket = r.json;
  const msgs = await acme.get(`/api/v1/tickets/${ticket.number}/messages`);
  attachmentId = msgs.json.items[0].attachments[0].id;
  const noteForm = new FormData();
  noteForm.append('body', 'internal analysis attached');
  noteForm.append('kind', 'internal_note');
  noteForm.append('attachments', new Blob(['internal only'], { type: 'text/plain' }), 'analysis.txt');
  const note = await agent.post(`/api/v1/tickets/${ticket.number}/messages`, noteForm);
  assert.equal(note.status, 201, note.text);
  noteAttachmentId = note.json.message.attachments[0].id;
});

after(async () => { await server?.stop(); });

const n = () => ticket.number;
const endpoints = () => [
  ['GET', `/api/v1/tickets/${n()}`],
  ['PATCH', `/api/v1/tickets/${n()}`, { status: 'solved' }],
  ['GET', `/api/v1/tickets/${n()}/messages`],
  ['POST', `/api/v1/tickets/${n()}/messages`, { body: 'hello from outside' }],
  ['GET', `/api/v1/tickets/${n()}/events`],
  ['GET', `/api/v1/attachments/${attachmentId}`],
];

test("another organization's customer gets 404 from every ticket endpoint, and nothing changes", async () => {
  for (const who of [globex, loner]) {
    for (const [method, path, body] of endpoints()) {
      const r = await who.request(method, path, body);
      assert.equal(r.status, 404, `${who.user.email} ${method} ${path}: ${r.text}`);
      assert.ok(!r.text.includes('Acme secret') && !r.text.includes('9f3a'), 'nothing leaks in the error');
    }
    const list = await who.get('/api/v1/tickets');
    assert.equal(list.status, 200);
    assert.ok(!list.json.items.some((t) => t.number === n()), 'not listed');
    const filtered = await who.get(`/api/v1/tickets?organization_id=${ticket.organization.id}`);
    assert.equal(filtered.json.items.length, 0, 'a filter cannot widen what a customer sees');
    const org = await who.get(`/api/v1/organizations/${ticket.organization.id}`);
    assert.equal(org.status, 404);
    const contact = await who.get(`/api/v1/contacts/${ticket.requester.id}`);
    assert.equal(contact.status, 404);
    const patchContact = await who.patch(`/api/v1/contacts/${ticket.requester.id}`, { name: 'Hacked' });
    assert.equal(patchContact.status, 404);
  }
  const unchanged = await agent.get(`/api/v1/tickets/${n()}`);
  assert.equal(unchanged.json.status, 'new');
  const msgs = await agent.get(`/api/v1/tickets/${n()}/messages`);
  assert.ok(!msgs.json.items.some((m) => m.body === 'hello from outside'));
});

test('a nonexistent ticket answers the same 404 as a hidden one', async () => {
  const hidden = await globex.get(`/api/v1/tickets/${n()}`);
  const missing = await globex.get('/api/v1/tickets/999999');
  assert.equal(hidden.status, missing.status);
  assert.equal(hidden.json.title, missing.json.title);
});

test('a colleague at the same organization sees the ticket; internal attachments stay hidden', async () => {
  const r = await acmeColleague.get(`/api/v1/tickets/${n()}`);
  assert.equal(r.status, 200);
  const a = await acmeColleague.get(`/api/v1/attachments/${attachmentId}`);
  assert.equal(a.status, 200);
  assert.equal(a.text, 'acme internal report');
  const note = await acme.get(`/api/v1/attachments/${noteAttachmentId}`);
  assert.equal(note.status, 404, "a customer cannot fetch an internal note's attachment");
  const staff = await agent.get(`/api/v1/attachments/${noteAttachmentId}`);
  assert.equal(staff.status, 200);
});

test('agent-only and admin-only endpoints refuse customers and agents', async () => {
  for (const [method, path, body] of [
    ['GET', '/api/v1/queue'],
    ['GET', '/api/v1/organizations'],
    ['POST', '/api/v1/organizations', { name: 'Evil' }],
    ['GET', '/api/v1/contacts'],
    ['POST', '/api/v1/contacts', { email: 'x@y.test' }],
    ['GET', '/api/v1/agents'],
    ['GET', '/api/v1/groups'],
  ]) {
    const r = await globex.request(method, path, body);
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
  }
  for (const [method, path, body] of [
    ['POST', '/api/v1/agents', { email: 'new@desk.test', password: 'password-123' }],
    ['POST', '/api/v1/groups', { name: 'Shadow' }],
    ['PATCH', '/api/v1/groups/1', { name: 'Renamed' }],
  ]) {
    const r = await agent.request(method, path, body);
    assert.equal(r.status, 403, `agent ${method} ${path}: ${r.text}`);
  }
  const customerSetsGroup = await acme.post('/api/v1/tickets', { subject: 's', description: 'd', group_id: 1 });
  assert.equal(customerSetsGroup.status, 403);
  const customerOpensForOther = await acme.post('/api/v1/tickets', { subject: 's', description: 'd', requester: { email: 'gus@globex.test' } });
  assert.equal(customerOpensForOther.status, 403);
  const note = await acme.post(`/api/v1/tickets/${n()}/messages`, { body: 'x', kind: 'internal_note' });
  assert.equal(note.status, 403);
});
