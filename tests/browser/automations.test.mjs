// The auto-close as an agent reads it: seed 000's policy, a ticket left waiting on the
// customer past 48 hours on the test clock, then the ticket's history (the reminder and the
// close by "Chamado", the rule named in words) and the policy page's automation card; then a
// named rule of the policy, read the same ways in Portuguese.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, chamadoBin, repoRoot } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, agentApi;
const browsers = new Browsers();

async function advance(by) {
  const res = await fetch(`${server.url}/api/v1/test/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: by }),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  assertBrowserReady();
  const data = mkdtempSync(join(tmpdir(), 'chamado-automations-'));
  execFileSync(chamadoBin, ['policy', 'apply', '--data', data, join(repoRoot, 'examples', 'policies', '000_whatsapp_api_provider.toml')], { stdio: 'pipe' });
  server = await startServer({ web: dist, extraArgs: ['--test-clock'], data });
  await fetch(`${server.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set: '2026-03-02T08:00:00Z' }) });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  agentApi = tokenClient(server.url, server.token(AGENT.email));
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('an agent reads the auto-close in the ticket history and on the policy page', { timeout: 120_000 }, async () => {
  const opened = await agentApi.post('/api/v1/tickets', { subject: 'Media upload fails', description: 'Uploads answer 413.', requester: { email: 'ze@regular.test' }, channel: 'email' });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  const asked = await agentApi.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Which file size?', status: 'pending_customer' });
  assert.equal(asked.status, 201, asked.text);
  await advance('24h');
  await advance('24h');

  const page = await browsers.open();
  await page.goto(`${server.url}/agent/tickets/${n}`);
  await signIn(page, AGENT, `/agent/tickets/${n}`);
  const history = page.getByTestId('history');
  await history.locator('summary').click();
  const items = history.getByTestId('history-item');
  const reminded = items.filter({ hasText: 'reminded the customer that the ticket closes without an answer' });
  await reminded.waitFor();
  assert.match(await reminded.innerText(), /Chamado/);
  assert.match(await reminded.innerText(), /Automation\s+Auto-close \(waiting on the customer\)/);
  const closed = items.filter({ hasText: 'closed the ticket: no answer from the customer in time' });
  await closed.waitFor();
  assert.match(await closed.innerText(), /Auto-close \(waiting on the customer\)/);
  // The change itself, by the system: waiting -> closed, answered.
  const change = items.filter({ hasText: /Pending customer\s*→\s*Closed/ });
  await change.waitFor();
  assert.match(await change.innerText(), /Chamado/);
  assert.match(await change.innerText(), /Answered/);

  await page.getByTestId('nav-policy').click();
  await page.waitForURL((u) => u.pathname === '/agent/policy');
  const card = page.getByTestId('policy-auto-close');
  await card.waitFor();
  assert.match(await card.innerText(), /closes by itself after 48 h/);
  assert.match(await card.innerText(), /reminded 24 h before/);
});

test('an agent reads a named rule on the policy page and its firing in the history, in Portuguese', { timeout: 120_000 }, async () => {
  server.addUser('admin', 'rules-admin@desk.test');
  const admin = tokenClient(server.url, server.token('rules-admin@desk.test'));
  const current = (await admin.get('/api/v1/policy')).json;
  const rule = [
    '[[automations.rules]]',
    'name = "unanswered-4h"',
    'on = "time"',
    'since = "customer_reply"',
    'after = "4h"',
    'when = { status = ["new", "open"], not_tag = "vip" }',
    'set = { priority = "1" }',
    'add_tags = "waiting-long"',
    'notify = "group"',
  ].join('\n');
  const applied = await admin.request('PUT', '/api/v1/policy', { source: `${current.source}\n${rule}\n` });
  assert.equal(applied.status, 200, applied.text);
  const opened = await agentApi.post('/api/v1/tickets', { subject: 'Webhook retries stop', description: 'No retries after the first.', requester: { email: 'ze@regular.test' }, channel: 'email' });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  await advance('4h');
  const t = (await agentApi.get(`/api/v1/tickets/${n}`)).json;
  assert.ok(t.tags.includes('waiting-long'), JSON.stringify(t.tags));

  const page = await browsers.open();
  await page.goto(`${server.url}/agent/policy`);
  await signIn(page, AGENT, '/agent/policy');
  await page.evaluate(() => localStorage.setItem('chamado.language', 'pt-BR'));
  await page.reload();
  const item = page.getByTestId('policy-rule').filter({ hasText: 'unanswered-4h' });
  await item.waitFor();
  const text = await item.innerText();
  assert.match(text, /4 h depois que o cliente escreveu, enquanto sem resposta/);
  assert.match(text, /sem as tags vip/);
  assert.match(text, /adicionar as tags waiting-long/);

  await page.goto(`${server.url}/agent/tickets/${n}`);
  const history = page.getByTestId('history');
  await history.locator('summary').click();
  const fired = history.getByTestId('history-item').filter({ hasText: 'aplicou uma regra da política' });
  await fired.waitFor();
  assert.match(await fired.innerText(), /Chamado/);
  assert.match(await fired.innerText(), /unanswered-4h/);
  assert.match(await fired.innerText(), /tempo/);
});
