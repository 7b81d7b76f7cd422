// Nothing acknowledged is ever lost: kill the server with SIGKILL while tickets pour in,
// restart it on the same data, and find every ticket that was answered 201.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServer, tokenClient, chamadoBin } from '../lib/server.mjs';

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
    await new Promise((r) => again.on('exit', r));
    await s.stop();
  }
});
