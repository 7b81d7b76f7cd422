// The operator's commands a package relies on: version, check-config, doctor, and the refusal
// of a database written by a newer release. Runs the real binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chamadoBin, repoRoot } from '../lib/server.mjs';

// Runs chamado with a clean CHAMADO_* environment plus `env`.
const run = (args, env = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHAMADO_')));
  return spawnSync(chamadoBin, args, { encoding: 'utf8', cwd: tmpdir(), env: { ...clean, CHAMADO_LOG_LEVEL: 'warn', ...env } });
};

function withFolder(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-operator-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('version names the release and the schema it leads to', () => {
  const r = run(['version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^chamado \d+\.\d+\.\d+( \(git [^)]+\))?\ndatabase schema \d+\n$/);
});

test('check-config accepts the generated example and names the line of a mistake', () =>
  withFolder((dir) => {
    const example = run(['config', 'keys', '--toml']);
    assert.equal(example.status, 0, example.stderr);
    const good = join(dir, 'good.toml');
    writeFileSync(good, example.stdout.replace('#listen = "127.0.0.1:8080"', 'listen = "127.0.0.1:9999"'));
    const ok = run(['check-config', '--config', good]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, `${good}: OK\n`);

    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[server]\nlisten = "127.0.0.1:8080"\nlisen = "typo"\n');
    const typo = run(['check-config', '--config', bad]);
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /bad\.toml:3: unknown key "lisen" in \[server\]/);

    const port = run(['check-config', '--config', good], { CHAMADO_SERVER_LISTEN: '127.0.0.1:http' });
    assert.equal(port.status, 1);
    assert.match(port.stderr, /\[server\] listen: The port in "127\.0\.0\.1:http" is not a number/);

    const half = run(['check-config', '--config', good], { CHAMADO_WHATSAPP_VERIFY_TOKEN: 'v' });
    assert.equal(half.status, 1);
    assert.match(half.stderr, /\[whatsapp\] is half configured: app_secret, access_token, phone_number_id missing/);

    const env = run(['check-config'], { CHAMADO_SERVER_THREADS: 'many' });
    assert.equal(env.status, 1);
    assert.match(env.stderr, /environment CHAMADO_SERVER_THREADS.*whole number/);

    const policy = run(['check-config', '--config', good, '--policy', join(repoRoot, 'examples', 'policies', '003_survey_saas.toml')]);
    assert.equal(policy.status, 0, policy.stderr);
    assert.match(policy.stdout, /OK\npolicy ".+" is valid/);
    const badPolicy = join(dir, 'policy.toml');
    writeFileSync(badPolicy, '[policy]\nname = 3\n');
    const refused = run(['check-config', '--config', good, '--policy', badPolicy]);
    assert.equal(refused.status, 1);
  }));

// The data folder's SQLite file is what these two look at and tamper with (api_operator_pg:
// the database is the PostgreSQL server's).
const sqliteOnly = Boolean(process.env.CHAMADO_TEST_POSTGRES) && 'reads and edits the SQLite file';

test('doctor: one line per check, failing on what is wrong', { skip: sqliteOnly }, () =>
  withFolder((dir) => {
    const data = join(dir, 'data');
    const none = run(['doctor', '--data', data]);
    assert.equal(none.status, 1);
    assert.match(none.stdout, /^FAILED {3}data folder: .* does not exist/m);
    assert.match(none.stdout, /^FAILED {3}database: no database at/m);

    assert.equal(run(['migrate', '--data', data]).status, 0);
    const healthy = run(['doctor', '--data', data]);
    assert.equal(healthy.status, 0, healthy.stdout + healthy.stderr);
    const lines = healthy.stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/:.*/, '')), [
      'ok       configuration', 'ok       data folder', 'ok       database', 'ok       migrations', 'ok       clock',
      'ok       mail templates', 'ok       web UI', 'skipped  mail', 'warning  original emails', 'skipped  whatsapp', 'ok       time zones',
    ]);
    assert.match(healthy.stdout, /^warning  original emails: stored unsealed: set \[mail\] original_key_file/m);
    const key = join(dir, 'original.hex');
    writeFileSync(key, 'ab'.repeat(32));
    assert.match(run(['doctor', '--data', data], { CHAMADO_MAIL_ORIGINAL_KEY_FILE: key }).stdout, /^ok {7}original emails: sealed with key [0-9a-f]{16}$/m);
    writeFileSync(key, 'too short');
    const badKey = run(['doctor', '--data', data], { CHAMADO_MAIL_ORIGINAL_KEY_FILE: key });
    assert.equal(badKey.status, 1);
    assert.match(badKey.stdout, /^FAILED {3}original emails: .*original\.hex must hold 64 hexadecimal digits/m);

    // The WhatsApp channel on: where replies go, never the token.
    const whatsapp = run(['doctor', '--data', data], {
      CHAMADO_WHATSAPP_VERIFY_TOKEN: 'verify-me', CHAMADO_WHATSAPP_APP_SECRET: 'app-secret-value',
      CHAMADO_WHATSAPP_TOKEN: 'EAAG-secret-token', CHAMADO_WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    });
    assert.equal(whatsapp.status, 0, whatsapp.stdout);
    assert.match(whatsapp.stdout, /^ok {7}whatsapp: replies go to https:\/\/graph\.facebook\.com\/v19\.0\/106540352242922\/messages; the token comes from CHAMADO_WHATSAPP_TOKEN \(not shown\)$/m);
    assert.doesNotMatch(whatsapp.stdout + whatsapp.stderr, /EAAG-secret-token|app-secret-value/);

    // A smart host nobody answers at: the mail check fails, and so does the run.
    const mail = run(['doctor', '--data', data], { CHAMADO_MAIL_SMTP_URL: 'smtp://127.0.0.1:1' });
    assert.equal(mail.status, 1);
    assert.match(mail.stdout, /^FAILED {3}mail: smtp:\/\/127\.0\.0\.1:1 is not reachable/m);
  }));

test('a database written by a newer release is refused, not used', { skip: sqliteOnly }, () =>
  withFolder((dir) => {
    assert.equal(run(['migrate', '--data', dir]).status, 0);
    const py = spawnSync('python3', ['-c', `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'V9999__future.sql', 0)")
db.commit()`, join(dir, 'chamado.db')], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    for (const args of [['migrate', '--data', dir], ['serve', '--data', dir, '--listen', '127.0.0.1:0']]) {
      const r = run(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, /schema version 9999, newer than this chamado \(\d+\).*downgrades are not supported/);
    }
    const doctor = run(['doctor', '--data', dir]);
    assert.equal(doctor.status, 1);
    assert.match(doctor.stdout, /^FAILED {3}migrations: schema version 9999 is newer/m);
  }));
