// The command line forms operators script: fixed by the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chamadoBin, startServer, tokenClient, repoRoot } from '../lib/server.mjs';

const run = (...args) => spawnSync(chamadoBin, args, { encoding: 'utf8' });

test('migrate creates the data folder and is idempotent', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'chamado-cli-')), 'nested', 'data');
  try {
    const a = run('migrate', '--data', dir);
    assert.equal(a.status, 0, a.stderr);
    // (On PostgreSQL, api_cli_pg, the database is the server's: no file.)
    assert.equal(existsSync(join(dir, 'chamado.db')), !process.env.CHAMADO_TEST_POSTGRES);
    const b = run('migrate', '--data', dir);
    assert.equal(b.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('user add, then token create prints the token alone on its last line', async () => {
  const s = await startServer();
  try {
    const out = s.addUser('agent', 'Lucas@Desk.test', 'agent-pass-1', ['--name', 'Lucas']);
    assert.match(out, /added agent lucas@desk\.test/);
    const raw = execFileSync(chamadoBin, ['token', 'create', '--data', s.data, '--email', 'lucas@desk.test'], { encoding: 'utf8' });
    const lines = raw.trim().split('\n');
    const token = lines[lines.length - 1];
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const me = await tokenClient(s.url, token).get('/api/v1/session');
    assert.equal(me.json.user.email, 'lucas@desk.test');
    assert.equal(me.json.user.name, 'Lucas');
    // Adding again changes the password (an operator's reset).
    const again = s.addUser('agent', 'lucas@desk.test', 'new-password-1');
    assert.match(again, /password changed/);
    const customer = s.addUser('customer', 'c@acme.test', 'customer-pass-1', ['--organization', 'Acme Corp']);
    assert.match(customer, /added customer/);
    const orgs = await tokenClient(s.url, token).get('/api/v1/organizations');
    assert.deepEqual(orgs.json.items.map((o) => o.name), ['Acme Corp']);
  } finally {
    await s.stop();
  }
});

test('clear errors for bad input, with a non-zero exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-cli-'));
  try {
    const short = run('user', 'add', '--data', dir, '--role', 'agent', '--email', 'a@b.test', '--password', 'short');
    assert.notEqual(short.status, 0);
    assert.match(short.stderr, /8 characters/);
    const email = run('user', 'add', '--data', dir, '--role', 'agent', '--email', 'not-an-email', '--password', 'long-enough');
    assert.notEqual(email.status, 0);
    assert.match(email.stderr, /not a valid email/);
    const role = run('user', 'add', '--data', dir, '--role', 'root', '--email', 'a@b.test', '--password', 'long-enough');
    assert.notEqual(role.status, 0);
    const nobody = run('token', 'create', '--data', dir, '--email', 'ghost@b.test');
    assert.notEqual(nobody.status, 0);
    assert.match(nobody.stderr, /user add/);
    const cfg = join(dir, 'bad.toml');
    writeFileSync(cfg, '[server]\nlisten = "127.0.0.1:1"\nlisen = "typo"\n');
    const bad = run('--config', cfg, 'migrate', '--data', dir);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /bad\.toml:3: unknown key "lisen"/);
    const busy = run('serve', '--data', dir, '--listen', 'not-an-address');
    assert.notEqual(busy.status, 0);
    assert.match(busy.stderr, /ADDRESS:PORT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy apply takes effect in the running server; export gives back the file as written', async () => {
  const s = await startServer({ env: { CHAMADO_LOG_LEVEL: 'info' } });
  try {
    s.addUser('agent', 'a@desk.test', 'agent-pass-1');
    const agent = tokenClient(s.url, s.token('a@desk.test'));
    const before = await agent.get('/api/v1/priorities');
    assert.deepEqual(before.json.items.map((p) => p.name), ['P1', 'P2', 'P3', 'P4']);
    const file = join(repoRoot, 'examples', 'policies', '000_whatsapp_api_provider.toml');
    const out = s.cli('policy', 'apply', file);
    assert.match(out, /is in effect as version 1/);
    assert.equal(s.cli('policy', 'export'), readFileSync(file, 'utf8'));
    // The server notices within about a second.
    let names = [];
    for (let i = 0; i < 30 && names[0] !== '1'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      names = (await agent.get('/api/v1/priorities')).json.items.map((p) => p.name);
    }
    assert.deepEqual(names, ['1', '2', '3']);
    const t = await agent.post('/api/v1/tickets', { subject: 's', description: 'd', requester: { email: 'c@acme.test' } });
    assert.equal(t.json.priority, '3', 'the new default priority');
    // A policy that drops a priority in use is refused, and nothing changes.
    const bad = join(s.data, 'bad.toml');
    writeFileSync(bad, 'name = "x"\ndefault_priority = "1"\n[calendars.a]\ntz = "UTC"\nalways_open = true\n[[priorities]]\nname = "1"\ndescription = "d"\n');
    const r = spawnSync(chamadoBin, ['policy', 'apply', '--data', s.data, bad], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /with 3/);
    assert.equal(s.cli('policy', 'export'), readFileSync(file, 'utf8'));
  } finally {
    await s.stop();
  }
});

test('policy check names the file, line and key of every problem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-cli-'));
  try {
    const f = join(dir, 'p.toml');
    writeFileSync(f, 'name = "x"\ndefault_priority = "P9"\nsla = 1\n[calendars.a]\ntz = "Mars/Base"\nalways_open = true\n[[priorities]]\nname = "P1"\ndescription = "d"\n');
    const r = run('policy', 'check', f);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /3 problem/);
    assert.match(r.stderr, /p\.toml:3: sla: Unknown key/);
    assert.match(r.stderr, /p\.toml:4: calendars\.a: Unknown time zone/);
    assert.match(r.stderr, /p\.toml:2: default_priority/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo loads once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-cli-'));
  try {
    const a = run('demo', '--data', dir);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /demo data loaded/);
    const b = run('demo', '--data', dir);
    assert.match(b.stdout, /already loaded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
