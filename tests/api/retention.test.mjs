// Retention through the scheduler (test clock): a file uploaded with a ticket that was refused
// names nothing and goes once its grace has passed; a file a ticket names stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tokenClient } from '../lib/server.mjs';

let server, admin, agent;

before(async () => {
  server = await startServer({ extraArgs: ['--test-clock'], env: { CHAMADO_RETENTION_ORPHAN_FILE_HOURS: '24' } });
  server.addUser('admin', 'admin@desk.test', 'admin-pass-1');
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  agent = tokenClient(server.url, server.token('agent@desk.test'));
});

after(async () => { await server?.stop(); });

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p)); else out.push(p);
  }
  return out;
}

function form(subject, content, name) {
  const f = new FormData();
  f.append('subject', subject);
  f.append('description', 'See the file.');
  f.append('requester_email', 'ana@acme.test');
  f.append('attachments', new Blob([content], { type: 'text/plain' }), name);
  return f;
}

test('a file no ticket names is deleted after its grace; a named one stays', async () => {
  const kept = await agent.post('/api/v1/tickets', form('Logs', 'kept bytes', 'kept.txt'));
  assert.equal(kept.status, 201, kept.text);
  // Stored before the ticket was refused (an empty subject): nothing will ever name it.
  const refused = await agent.post('/api/v1/tickets', form('', 'orphan bytes', 'orphan.txt'));
  assert.equal(refused.status, 400);
  const attachments = join(server.data, 'attachments');
  assert.equal(filesUnder(attachments).length, 2);

  // Within the grace nothing goes.
  assert.equal((await admin.post('/api/v1/test/clock', { advance: '2h' })).status, 200);
  assert.equal(filesUnder(attachments).length, 2);

  // Past it (and past the hourly pass), the unnamed file goes.
  assert.equal((await admin.post('/api/v1/test/clock', { advance: '48h' })).status, 200);
  const left = filesUnder(attachments);
  assert.equal(left.length, 1);
  const [att] = (await agent.get(`/api/v1/tickets/${kept.json.number}/messages`)).json.items[0].attachments;
  const dl = await fetch(server.url + att.url, { headers: { authorization: `Bearer ${server.token('agent@desk.test')}` } });
  assert.equal(await dl.text(), 'kept bytes');
});
