// Nothing acknowledged is ever lost: kill the server with SIGKILL while tickets pour in,
// restart it on the same data, and find every ticket that was answered 201; then check the
// database itself (SQLite's integrity_check, or PostgreSQL's amcheck on api_durability_pg).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tokenClient, chamadoBin } from '../lib/server.mjs';

// The database of `data` is sound: on SQLite every page and index (PRAGMA integrity_check); on
// PostgreSQL (the schema tests/lib/chamado-pg gave the folder) every table's heap
// (verify_heapam) and every B-tree index against its table (bt_index_check with heapallindexed).
function assertSound(data) {
  const urlFile = join(data, 'test-store-url');
  if (!existsSync(urlFile)) {
    const out = execFileSync('/usr/bin/python3', ['-c',
      'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])',
      join(data, 'chamado.db')], { encoding: 'utf8' });
    assert.equal(out.trim(), 'ok');
    return;
  }
  // Through PgBouncer (api_durability_pgbouncer) the database's direct URL is beside it.
  const direct = join(data, 'test-listen-url');
  const url = readFileSync(existsSync(direct) ? direct : urlFile, 'utf8').trim();
  const psql = (sql) => execFileSync('/usr/bin/psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  try {
    psql('CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public');
  } catch {
    psql('CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public');  // another test created it at the same moment
  }
  const corrupt = psql(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL public.verify_heapam(c.oid) WHERE c.relkind = 'r' AND n.nspname = current_schema()`);
  assert.equal(corrupt, '0', 'verify_heapam found corruption');
  const checked = psql(`SELECT count(*) FROM (SELECT public.bt_index_check(c.oid, true) FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.amname = 'btree' AND n.nspname = current_schema()) AS checked`);
  assert.ok(Number(checked) > 50, `bt_index_check ran on ${checked} indexes`);
}

test('every acknowledged ticket survives a crash', async () => {
  const s = await startServer();
  s.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  const token = s.token('agent@desk.test');
  const client = tokenClient(s.url, token);
  const acknowledged = [];
  let stop = false;
  const worker = async (w) => {
    for (let i = 0; !stop; i++) {
      try {
        const r = await client.post('/api/v1/tickets', { subject: `w${w} #${i}`, description: 'x', requester: { email: `c${w}@acme.test` } });
        if (r.status === 201) acknowledged.push([r.json.number, r.json.subject]);
      } catch {
        return;  // the server is gone
      }
    }
  };
  const workers = Array.from({ length: 16 }, (_, w) => worker(w));
  await new Promise((r) => setTimeout(r, 700));
  s.proc.kill('SIGKILL');
  stop = true;
  await Promise.all(workers);
  await new Promise((r) => { if (s.proc.exitCode !== null || s.proc.signalCode) r(); else s.proc.on('exit', r); });
  assert.ok(acknowledged.length > 20, `only ${acknowledged.length} tickets were acknowledged before the kill`);

  const again = spawn(chamadoBin, ['serve', '--data', s.data, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      again.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.:]+)/); if (m) resolve(m[1]); });
      again.on('exit', (c) => reject(new Error(`restart failed: ${c}`)));
    });
    const c2 = tokenClient(url, token);
    for (const [number, subject] of acknowledged) {
      const r = await c2.get(`/api/v1/tickets/${number}`);
      assert.equal(r.status, 200, `acknowledged ticket #${number} is missing after the crash`);
      assert.equal(r.json.subject, subject);
    }
  } finally {
    again.kill('SIGTERM');
    await new Promise((r) => { if (again.exitCode !== null || again.signalCode) r(); else again.on('exit', r); });
  }
  try {
    assertSound(s.data);
  } finally {
    await s.stop();
  }
});
