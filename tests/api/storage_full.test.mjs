// A full disk, end to end: the data folder on a small tmpfs the test mounts (as root, as CI
// runs), filled up by the test. Writes fail with a 503 "storage_full" problem, nothing that
// was acknowledged is lost, reads keep working, the mail gateway is told to try later (exit
// 75, never a bounce), and the server takes writes again by itself once space is freed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, chamadoBin } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const isRoot = process.getuid && process.getuid() === 0;
let mountPoint, server, agent, adminToken;

before(async () => {
  if (!isRoot) return;
  mountPoint = mkdtempSync(join(tmpdir(), 'chamado-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
  server = await startServer({ data: join(mountPoint, 'data') });
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  server.addUser('admin', 'admin@desk.test', 'admin-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  adminToken = server.token('admin@desk.test');
});

after(async () => {
  if (!isRoot) return;
  await server?.stop();
  spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

// Fills the file system to the last block; returns the filler's path.
function fillDisk() {
  const path = join(mountPoint, 'filler');
  const fd = openSync(path, 'w');
  for (const size of [1 << 20, 1 << 12, 1 << 9, 1]) {
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (e) {
      if (e.code !== 'ENOSPC') throw e;
    }
  }
  closeSync(fd);
  return path;
}

const ticket = (i) => ({ subject: `Full disk ${i}`, description: 'x'.repeat(2000), requester: { email: 'ana@acme.test' } });

function mailgate(subject) {
  const raw = `From: Ana <ana@acme.test>\r\nTo: support@desk.test\r\nSubject: ${subject}\r\nMessage-ID: <${Date.now()}.${Math.random()}@acme.test>\r\n\r\nHello.\r\n`;
  return spawnSync(chamadoBin, ['mailgate', '--url', server.url, '--token', adminToken], { input: raw, encoding: 'utf8' });
}

test('a full disk refuses writes clearly, keeps what was acknowledged, and recovers', { skip: (!isRoot && 'needs root to mount a tmpfs') || (process.env.CHAMADO_TEST_POSTGRES && 'the database is on the PostgreSQL server\'s disk (its full disk, SQLSTATE 53100, is storage_full too: store/postgres.cc)') }, async () => {
  const before = await agent.post('/api/v1/tickets', ticket(0));
  assert.equal(before.status, 201);

  const filler = fillDisk();
  const acknowledged = [before.json.number];
  let refused = null;
  for (let i = 1; i <= 400 && !refused; ++i) {
    const r = await agent.post('/api/v1/tickets', ticket(i));
    if (r.status === 201) acknowledged.push(r.json.number);
    else refused = r;
  }
  assert.ok(refused, 'a write was refused once the disk was full');
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.json.code, 'storage_full', refused.text);
  assertDocumented('POST', '/api/v1/tickets', refused);
  assert.match(refused.json.detail, /[Ss]torage is full/);
  assert.ok(refused.headers.get('retry-after'));

  // Reads keep working, and every acknowledged ticket is there.
  for (const n of acknowledged) {
    const r = await agent.get(`/api/v1/tickets/${n}`);
    assert.equal(r.status, 200, `ticket #${n} was acknowledged`);
  }
  assert.equal((await agent.get('/api/v1/queue?limit=5')).status, 200);

  // The mail gateway is told to try later (EX_TEMPFAIL), so the MTA keeps the mail.
  const m = mailgate('While the disk is full');
  assert.equal(m.status, 75, m.stderr);

  // Space comes back: writes are taken again without a restart.
  unlinkSync(filler);
  let after = null;
  for (let i = 0; i < 50; ++i) {
    after = await agent.post('/api/v1/tickets', ticket('after'));
    if (after.status === 201) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(after.status, 201, after.text);
  assert.equal(mailgate('After space came back').status, 0);
  for (const n of acknowledged) assert.equal((await agent.get(`/api/v1/tickets/${n}`)).status, 200);
});
