// The original emails at rest (issue 9): with [mail] original_key_file set, the raw message
// each mail came as is sealed before it reaches the disk and opened for "Original email";
// originals stored before the key keep working; without the key a sealed one says which key
// it needs; keys rotate with `chamado mail reseal`; a backup carries them sealed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chamadoBin, startServer, tokenClient } from '../lib/server.mjs';

const work = mkdtempSync(join(tmpdir(), 'chamado-sealed-'));
const data = join(work, 'data');
const key1 = join(work, 'k1.hex');
const key2 = join(work, 'k2.hex');
writeFileSync(key1, `${randomBytes(32).toString('hex')}\n`);
writeFileSync(key2, randomBytes(32).toString('hex'));
after(() => rmSync(work, { recursive: true, force: true }));

const keys = (current, older = []) => ({ CHAMADO_MAIL_ORIGINAL_KEY_FILE: current, CHAMADO_MAIL_ORIGINAL_OLD_KEY_FILES: older.join(',') });

let adminToken = '';
async function serve(env) {
  const s = await startServer({ data, env });
  if (!adminToken) {
    s.addUser('admin', 'admin@desk.test');
    adminToken = s.token('admin@desk.test');
  }
  return { s, admin: tokenClient(s.url, adminToken) };
}

function mailIn(s, id, phrase) {
  const raw = [`From: Ana <ana@acme.test>`, 'To: support@desk.test', `Subject: Senha do roteador ${id}`, `Message-ID: <${id}@acme.test>`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `A frase é ${phrase}.`, ''].join('\r\n');
  const r = spawnSync(chamadoBin, ['mailgate', '--url', s.url, '--token', adminToken], { input: raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { raw, ticket: JSON.parse(r.stdout).ticket };
}

async function original(admin, ticket) {
  const msgs = (await admin.get(`/api/v1/tickets/${ticket}/messages`)).json.items;
  return admin.get(`/api/v1/messages/${msgs[0].id}/original`);
}

// Every stored file's bytes, to look for a phrase in plain text.
function filesHolding(phrase, dir = join(data, 'attachments')) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesHolding(phrase, path));
    else if (readFileSync(path).includes(Buffer.from(phrase))) found.push(path);
  }
  return found;
}

test('originals are sealed at rest, opened for agents, rotated, and restored from a backup', async () => {
  // Before any key: stored as received (as every earlier release did).
  let { s, admin } = await serve({});
  const old = mailIn(s, 'plain-1', 'girafa-amarela-17');
  assert.equal(filesHolding('girafa-amarela-17').length, 1);
  await s.stop({ keepData: true });

  ({ s, admin } = await serve(keys(key1)));
  const fresh = mailIn(s, 'sealed-1', 'segredo-azul-42');
  assert.deepEqual(filesHolding('segredo-azul-42'), [], 'no stored file holds the new original in plain text');
  assert.equal((await original(admin, fresh.ticket)).text, fresh.raw, 'opened for the agent, byte for byte');
  assert.equal((await original(admin, old.ticket)).text, old.raw, 'an original from before the key reads as it is');
  await s.stop({ keepData: true });

  // Without its key, a sealed original names the key it needs; the rest of the desk works.
  ({ s, admin } = await serve({}));
  const locked = await original(admin, fresh.ticket);
  assert.equal(locked.status, 503, locked.text);
  assert.match(locked.json.detail, /sealed with key [0-9a-f]{16}, which this server does not have/);
  assert.equal((await admin.get(`/api/v1/tickets/${fresh.ticket}`)).status, 200);
  await s.stop({ keepData: true });

  // Rotation: the new key seals, the old one still opens; reseal moves everything to the new key.
  const resealed = spawnSync(chamadoBin, ['mail', 'reseal', '--data', data], { encoding: 'utf8', env: { ...process.env, ...keys(key2, [key1]) } });
  assert.equal(resealed.status, 0, resealed.stderr);
  assert.match(resealed.stdout, /^resealed 2 original emails with key [0-9a-f]{16} \(1 were stored unsealed, 1 were sealed\)/);
  ({ s, admin } = await serve(keys(key2)));
  assert.equal((await original(admin, fresh.ticket)).text, fresh.raw, 'the old key is no longer needed');
  assert.equal((await original(admin, old.ticket)).text, old.raw);
  await s.stop({ keepData: true });
  ({ s, admin } = await serve({}));
  assert.equal((await original(admin, old.ticket)).status, 503, 'the original from before the key is sealed now too');
  await s.stop({ keepData: true });

  // A backup carries the originals as stored (sealed); restored, they open with the key.
  // (A PostgreSQL desk is backed up with PostgreSQL's tools: api_backup_pg.)
  if (process.env.CHAMADO_TEST_POSTGRES) return;
  const file = join(work, 'desk.backup');
  const backup = spawnSync(chamadoBin, ['backup', '--data', data, file], { encoding: 'utf8' });
  assert.equal(backup.status, 0, backup.stderr);
  const restored = join(work, 'restored');
  const r = spawnSync(chamadoBin, ['restore', file, '--data', restored], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const s2 = await startServer({ data: restored, env: keys(key2) });
  try {
    assert.equal((await original(tokenClient(s2.url, adminToken), fresh.ticket)).text, fresh.raw);
  } finally {
    await s2.stop();
  }
});

test('a key file that is not 64 hex digits stops the server with a message naming it', async () => {
  const bad = join(work, 'bad.hex');
  writeFileSync(bad, 'not a key');
  const r = spawnSync(chamadoBin, ['serve', '--data', join(work, 'other'), '--listen', '127.0.0.1:0'], { encoding: 'utf8', env: { ...process.env, ...keys(bad) }, timeout: 10000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /bad\.hex must hold 64 hexadecimal digits/);
});
