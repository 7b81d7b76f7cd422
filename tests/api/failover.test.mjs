// Failover without loss (issue 15): a primary and a synchronous standby (streaming replication,
// PostgreSQL 15 on 127.0.0.1, scripts/pg-cluster), two Chamado instances creating tickets
// through a multi-host URL with target_session_attrs=read-write, the primary killed with
// SIGKILL mid-stream and the standby promoted. Every ticket a client was told was created
// (201) exists afterwards; what failed during the switch failed as 503 (never a success it
// did not have); and both instances write again by themselves, without a restart. On
// PostgreSQL only (api_failover_pg); it builds its own two clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer, tokenClient } from '../lib/server.mjs';

const skip = process.env.CHAMADO_TEST_POSTGRES && process.env.CHAMADO_REAL_BIN ? false : 'needs PostgreSQL 15 (api_failover_pg)';
const bin = process.env.CHAMADO_REAL_BIN;  // not the wrapper: the URL is this test's own
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('killing the primary loses no acknowledged ticket; the instances move to the promoted standby', { skip, timeout: 170_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'chamado-failover-'));
  chmodSync(root, 0o755);  // the clusters belong to the postgres user
  const cluster = (args, env = {}) =>
    execFileSync(join(repoRoot, 'scripts', 'pg-cluster'), args, { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  const primary = join(root, 'primary');
  const standby = join(root, 'standby');
  const servers = [];
  try {
    // Every commit waits for the standby to have it on disk (synchronous_commit = on).
    const primaryUrl = cluster(['start', primary], {
      PG_CLUSTER_OPTIONS: '-c wal_level=replica -c max_wal_senders=5 -c synchronous_standby_names=standby1 -c synchronous_commit=on',
    });
    cluster(['standby', standby, primary, 'standby1']);
    const psql = (url, sql) => execFileSync('/usr/bin/psql', ['-X', '-q', '-At', '-d', url, '-c', sql], { encoding: 'utf8' }).trim();
    for (let i = 0; psql(primaryUrl, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'") !== '1'; i++) {
      assert.ok(i < 200, 'the standby never became synchronous');
      await sleep(50);
    }
    const port = (dir) => readFileSync(join(dir, 'port'), 'utf8').trim();
    const url = `postgresql://postgres@127.0.0.1:${port(primary)},127.0.0.1:${port(standby)}/postgres?target_session_attrs=read-write&connect_timeout=2`;

    const dataA = mkdtempSync(join(tmpdir(), 'chamado-test-'));
    const cli = (...args) => execFileSync(bin, [...args, '--data', dataA, '--db', url], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    cli('user', 'add', '--role', 'agent', '--email', 'agent@desk.test', '--password', 'agent-pass-1');
    const token = cli('token', 'create', '--email', 'agent@desk.test').trim().split('\n').pop();
    servers.push(await startServer({ bin, data: dataA, extraArgs: ['--db', url] }));
    servers.push(await startServer({ bin, extraArgs: ['--db', url] }));
    const clients = servers.map((s) => tokenClient(s.url, token));

    const acknowledged = [];
    const refused = new Map();  // status -> count
    let phase = 'before';
    const afterPromotion = [0, 0];  // tickets each instance created once the standby was promoted
    let stop = false;
    const worker = async (w) => {
      const which = w % 2;
      for (let i = 0; !stop; i++) {
        let r;
        try {
          r = await clients[which].post('/api/v1/tickets', { subject: `w${w} #${i}`, description: 'x', requester: { email: `c${w}@acme.test` } });
        } catch (e) {
          refused.set('network', (refused.get('network') ?? 0) + 1);
          await sleep(50);
          continue;
        }
        if (r.status === 201) {
          acknowledged.push([which, r.json.number, r.json.subject]);
          if (phase === 'promoted') afterPromotion[which]++;
        } else {
          refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
          await sleep(50);
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    await sleep(1500);
    const beforeKill = acknowledged.length;
    cluster(['kill', primary]);
    phase = 'killed';
    await sleep(1000);
    cluster(['promote', standby]);
    phase = 'promoted';
    for (let i = 0; (afterPromotion[0] < 5 || afterPromotion[1] < 5) && i < 600; i++) await sleep(50);
    stop = true;
    await Promise.all(workers);

    assert.ok(beforeKill > 20, `only ${beforeKill} tickets before the kill`);
    assert.ok(afterPromotion[0] >= 5 && afterPromotion[1] >= 5,
      `both instances write again by themselves after the promotion: ${afterPromotion}; refused ${JSON.stringify([...refused])}`);
    for (const status of refused.keys())
      assert.ok(status === 503 || status === 'network', `a refusal during the switch is 503, not ${status}: ${JSON.stringify([...refused])}`);
    // Every acknowledged ticket is on the promoted standby, read through either instance.
    const seen = new Set();
    for (const [which, number, subject] of acknowledged) {
      const r = await clients[1 - which].get(`/api/v1/tickets/${number}`);
      assert.equal(r.status, 200, `acknowledged ticket #${number} (through instance ${which}) is missing after the failover`);
      assert.equal(r.json.subject, subject);
      assert.ok(!seen.has(number), `ticket #${number} acknowledged twice`);
      seen.add(number);
    }
    console.log(`failover: ${acknowledged.length} acknowledged (${beforeKill} before the kill), refused during the switch: ${JSON.stringify([...refused])}`);
  } finally {
    for (const s of servers) await s.stop();
    try { cluster(['stop', standby]); } catch { /* already down */ }
    try { cluster(['kill', primary]); } catch { /* already down */ }
    rmSync(root, { recursive: true, force: true });
  }
});
