// Backup and restore, round trip under load: `chamado backup` runs while tickets keep being
// opened; the backup restores into a new data folder with every ticket acknowledged before it
// began, their files byte for byte and the original emails, and a server runs on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, chamadoBin } from '../lib/server.mjs';

let server, agent, adminToken, work;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  server.addUser('admin', 'admin@desk.test', 'admin-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  adminToken = server.token('admin@desk.test');
  work = mkdtempSync(join(tmpdir(), 'chamado-backup-'));
});

after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const run = (...args) => spawnSync(chamadoBin, args, { encoding: 'utf8' });
// On PostgreSQL (api_backup_pg) the database is backed up with PostgreSQL's own tools.
const onPostgres = Boolean(process.env.CHAMADO_TEST_POSTGRES);

test('on PostgreSQL, chamado backup says to use PostgreSQL\'s tools and writes nothing', { skip: !onPostgres }, () => {
  const file = join(work, 'pg.backup');
  const b = run('backup', '--data', server.data, file);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /PostgreSQL's own tools \(pg_basebackup/);
  assert.equal(existsSync(file), false);
});

async function openWithFile(i) {
  const form = new FormData();
  form.append('subject', `With a file ${i}`);
  form.append('description', 'See the attached log.');
  form.append('requester_email', 'ana@acme.test');
  form.append('attachments', new Blob([`log line ${i}\n`.repeat(50)], { type: 'text/plain' }), `log-${i}.txt`);
  const r = await agent.post('/api/v1/tickets', form);
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

test('a backup taken under load restores completely into a new data folder', { skip: onPostgres }, async () => {
  const before = [];
  for (let i = 0; i < 20; ++i) before.push(await openWithFile(i));
  const raw = 'From: Ana <ana@acme.test>\r\nTo: support@desk.test\r\nSubject: By mail\r\nMessage-ID: <backup-1@acme.test>\r\n\r\nThe original.\r\n';
  const mailed = spawnSync(chamadoBin, ['mailgate', '--url', server.url, '--token', adminToken], { input: raw, encoding: 'utf8' });
  assert.equal(mailed.status, 0, mailed.stderr);
  const mailTicket = JSON.parse(mailed.stdout).ticket;

  // Keep writing while the backup runs.
  let writing = true;
  const during = [];
  const load = (async () => {
    for (let i = 0; writing; ++i) {
      const r = await agent.post('/api/v1/tickets', { subject: `During ${i}`, description: 'x', requester: { email: 'ana@acme.test' } });
      assert.equal(r.status, 201, r.text);
      during.push(r.json.number);
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  const file = join(work, 'chamado.backup');
  const b = await new Promise((resolve) => {
    // Asynchronously, so the load above keeps running.
    import('node:child_process').then(({ execFile }) =>
      execFile(chamadoBin, ['backup', '--data', server.data, file], (err, stdout, stderr) => resolve({ err, stdout, stderr })));
  });
  writing = false;
  await load;
  assert.equal(b.err, null, b.stderr);
  assert.match(b.stdout, /^backup .*: \d+ tickets, 21 files/);  // 20 logs and the email's original
  assert.ok(during.length > 0, 'tickets were opened while the backup ran');

  // Never over an existing file or into a folder with a database.
  assert.equal(run('backup', '--data', server.data, file).status, 1);
  assert.equal(run('restore', file, '--data', server.data).status, 1);
  writeFileSync(join(work, 'not-a-backup'), 'hello');
  const bad = run('restore', join(work, 'not-a-backup'), '--data', join(work, 'bad'));
  assert.equal(bad.status, 1);
  assert.equal(existsSync(join(work, 'bad', 'chamado.db')), false);

  const restoredDir = join(work, 'restored');
  const r = run('restore', file, '--data', restoredDir);
  assert.equal(r.status, 0, r.stderr);
  const tickets = Number(b.stdout.match(/(\d+) tickets/)[1]);
  assert.match(r.stdout, new RegExp(`${tickets} tickets, 21 files`));

  const restored = await startServer({ data: restoredDir });
  try {
    const a2 = tokenClient(restored.url, restored.token('agent@desk.test'));
    for (const n of before) {
      const msgs = await a2.get(`/api/v1/tickets/${n}/messages`);
      assert.equal(msgs.status, 200, `ticket #${n}`);
      const [att] = msgs.json.items[0].attachments;
      const dl = await fetch(restored.url + att.url, { headers: { authorization: `Bearer ${restored.token('agent@desk.test')}` } });
      assert.equal(await dl.text(), `log line ${n - before[0]}\n`.repeat(50));
    }
    const [first] = (await a2.get(`/api/v1/tickets/${mailTicket}/messages`)).json.items;
    assert.equal((await a2.get(`/api/v1/messages/${first.id}/original`)).text, raw);
    // A consistent snapshot: the tickets it holds are exactly the first `tickets` numbers.
    const last = await a2.get(`/api/v1/tickets/${tickets}`);
    assert.equal(last.status, 200);
    assert.equal((await a2.get(`/api/v1/tickets/${tickets + 1}`)).status, 404);
  } finally {
    await restored.stop();
  }
});
