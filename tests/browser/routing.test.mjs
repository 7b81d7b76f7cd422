// Routing in a real browser (issue 11): an agent marks themself away in the top bar and back,
// which hands them the ticket that waited for them; the policy page says what [routing] does;
// a customer whose ticket went to a specialist group sees "With our specialists", never the
// group.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'rosa@acme.test', password: 'customer-pass-1' };

let server, boss, lia, liaId, supportId, dbId;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Rosa']);
  boss = tokenClient(server.url, server.token('boss@desk.test'));
  lia = tokenClient(server.url, server.token(AGENT.email));
  liaId = (await lia.get('/api/v1/session')).json.user.id;
  // A policy that routes Support round robin and names Database a specialist group.
  const base = readFileSync(join(repoRoot, 'examples', 'policies', '002_marketing_automation.toml'), 'utf8');
  const source = base.replace('[routing]\n', '[routing]\nmode = "round_robin"\ngroup = "Support"\n');
  const applied = await boss.request('PUT', '/api/v1/policy', { source });
  assert.equal(applied.status, 200, applied.text);
  supportId = (await boss.post('/api/v1/groups', { name: 'Support' })).json.id;
  dbId = (await boss.post('/api/v1/groups', { name: 'Database' })).json.id;
  const joined = await boss.patch(`/api/v1/agents/${liaId}`, { group_ids: [supportId] });
  assert.equal(joined.status, 200, joined.text);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('away in the top bar: nothing is routed to the agent; back, they take the ticket that waited', { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  const toggle = page.getByTestId('availability');
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=availability]')?.getAttribute('aria-pressed') === 'true');
  assert.equal((await lia.get(`/api/v1/agents/${liaId}/availability`)).json.away, true);

  const customer = tokenClient(server.url, server.token(CUSTOMER.email));
  const opened = await customer.post('/api/v1/tickets', { subject: 'Import stuck', description: 'The contact import has been stuck at 40% since this morning.' });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  assert.equal((await lia.get(`/api/v1/tickets/${n}`)).json.assignee, null, 'nobody is available: it waits');

  await toggle.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=availability]')?.getAttribute('aria-pressed') === 'false');
  assert.equal((await lia.get(`/api/v1/tickets/${n}`)).json.assignee?.id, liaId, 'back, Lia takes the waiting ticket');

  await page.goto(`${server.url}/agent/policy`);
  const routing = page.getByTestId('policy-routing');
  await routing.waitFor();
  assert.match(await routing.innerText(), /round robin/i);
  assert.match(await routing.innerText(), /database/i);
});

test('a ticket with a specialist group is "With our specialists" in the portal', { timeout: 90_000 }, async () => {
  const customer = tokenClient(server.url, server.token(CUSTOMER.email));
  const opened = await customer.post('/api/v1/tickets', { subject: 'Slow report', description: 'The campaign report takes minutes to open.' });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  const page = await browsers.open();
  await page.goto(`${server.url}/portal/tickets/${n}`);
  await signIn(page, CUSTOMER, `/portal/tickets/${n}`);
  await page.getByTestId('ticket-status').waitFor();
  assert.equal(await page.getByTestId('with-specialists').count(), 0);
  const moved = await lia.patch(`/api/v1/tickets/${n}`, { group_id: dbId });
  assert.equal(moved.status, 200, moved.text);
  await page.reload();
  const badge = page.getByTestId('with-specialists');
  await badge.waitFor();
  assert.equal(await badge.innerText(), 'With our specialists');
  assert.ok(!(await page.content()).includes('Database'), 'the group is never shown to the customer');
});

test("an administrator names an organization's TAM and sets an agent's capacity in the admin area", { timeout: 90_000 }, async () => {
  server.addUser('admin', 'ada@desk.test', 'admin-pass-1', ['--name', 'Ada Admin']);
  const org = (await boss.get('/api/v1/organizations?q=Acme')).json.items[0];
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/admin/organizations/${org.id}`);
  await signIn(page, { email: 'ada@desk.test', password: 'admin-pass-1' }, `/agent/admin/organizations/${org.id}`);
  const tam = page.getByTestId('organization-tam');
  await tam.waitFor();
  await page.getByTestId('organization-tam-id').selectOption(String(liaId));
  await page.getByTestId('organization-tam-save').click();
  await page.getByTestId('organization-tam-saved').waitFor();
  assert.deepEqual((await boss.get(`/api/v1/organizations/${org.id}/tam`)).json, { tam_id: liaId, tam_backup_id: null });

  await page.goto(`${server.url}/agent/admin/agents/${liaId}`);
  await page.getByTestId('agent-routing').waitFor();
  await page.getByTestId('agent-capacity').fill('4');
  await page.getByTestId('agent-capacity-save').click();
  await page.getByTestId('agent-routing-saved').waitFor();
  assert.equal((await boss.get(`/api/v1/agents/${liaId}/availability`)).json.capacity, 4);
  await page.getByTestId('agent-capacity').fill('-3');
  await page.getByTestId('agent-capacity-save').click();
  await page.locator('#agent-capacity[aria-invalid=true]').waitFor();
  assert.equal((await boss.get(`/api/v1/agents/${liaId}/availability`)).json.capacity, 4, 'a refused capacity changes nothing');
});
