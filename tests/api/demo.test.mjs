// `chamado demo` (issue 9): the demo's organizations are on plans its policy knows, so what a
// plan allows works out of the box: a Premium customer may ask for escalation, a Regular
// one may not. An operator's own policy is never replaced by the demo's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, sessionClient, chamadoBin, repoRoot } from '../lib/server.mjs';

test("the demo's Premium customer may ask for escalation, its Regular one may not", async () => {
  const server = await startServer({ demo: true });
  try {
    const maria = await sessionClient(server.url, 'maria@acme.com.br', 'chamado-customer');
    const hans = await sessionClient(server.url, 'hans@globex.de', 'chamado-customer');
    const t = (await maria.post('/api/v1/tickets', { subject: 'Relatórios não carregam', description: 'Desde as 9h.' })).json;
    assert.equal((await maria.get(`/api/v1/tickets/${t.number}`)).json.can_request_escalation, true);
    const asked = await maria.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'O fechamento do mês está parado para 40 pessoas.' });
    assert.equal(asked.status, 201, asked.text);
    const h = (await hans.post('/api/v1/tickets', { subject: 'Berichte laden nicht', description: 'Seit 9 Uhr.' })).json;
    assert.equal((await hans.get(`/api/v1/tickets/${h.number}`)).json.can_request_escalation, false);
  } finally {
    await server.stop();
  }
});

test("the demo leaves an operator's policy alone", () => {
  const data = mkdtempSync(join(tmpdir(), 'chamado-test-'));
  const policy = join(repoRoot, 'examples', 'policies', '001_whatsapp_inbox_business_plus.toml');
  try {
    execFileSync(chamadoBin, ['policy', 'apply', '--data', data, policy], { stdio: 'pipe' });
    execFileSync(chamadoBin, ['demo', '--data', data], { stdio: 'pipe' });
    const exported = execFileSync(chamadoBin, ['policy', 'export', '--data', data], { encoding: 'utf8' });
    assert.equal(exported.trim(), readFileSync(policy, 'utf8').trim());
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
