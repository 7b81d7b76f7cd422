// SLA in a real browser, against a server with a policy and the test clock: the agent's
// "Service level" card (running, then amber, then breached as the server's clock moves, without
// a reload), the customer's expected resolution and escalation request, and the policy page.
//
// Needs: web/dist built (cd web && npm ci && npm run build), /usr/bin/chromium (or CHROMIUM_BIN),
// and the server binary (CHAMADO_BIN, default build/src/app/chamado).
// Run: node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startServer, tokenClient, chamadoBin, repoRoot } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const POLICY_FILE = join(repoRoot, 'examples', 'policies', '001_whatsapp_inbox_business_plus.toml');
const POLICY_NAME = 'WhatsApp inbox — Business+ premium support';

const ADMIN = { email: 'admin@desk.test', password: 'admin-pass-1' };
const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'cliente@acme.test', password: 'customer-pass-1' };
const ORGANIZATION = 'Acme Business';

let server;
let admin; // API client with an admin token
const browsers = new Browsers();
const openBrowser = () => browsers.open();

/** Moves the server's test clock; the scheduler fires what fell due before it answers. */
async function advance(by) {
  const res = await fetch(`${server.url}/api/v1/test/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: by }),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  assertBrowserReady();
  const data = mkdtempSync(join(tmpdir(), 'chamado-sla-'));
  execFileSync(chamadoBin, ['policy', 'apply', '--data', data, POLICY_FILE], { stdio: 'pipe' });
  server = await startServer({ web: dist, extraArgs: ['--test-clock'], data });
  server.addUser('admin', ADMIN.email, ADMIN.password, ['--name', 'Ada Admin']);
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', ORGANIZATION, '--name', 'Carla Cliente']);
  admin = tokenClient(server.url, server.token(ADMIN.email));
  // The Business+ plan gives 24/7 targets and lets customers ask for escalation.
  const orgs = await admin.get('/api/v1/organizations?limit=200');
  assert.equal(orgs.status, 200, orgs.text);
  const org = orgs.json.items.find((o) => o.name === ORGANIZATION);
  assert.ok(org, `organization ${ORGANIZATION} exists`);
  const patched = await admin.patch(`/api/v1/organizations/${org.id}`, { plan: 'business_plus' });
  assert.equal(patched.status, 200, patched.text);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('service levels, expected resolution, escalation and the policy in the browser', { timeout: 120_000 }, async (t) => {
  const stamp = Date.now().toString(36);
  const subject = `Campaign stuck in the sending queue ${stamp}`;
  const impact = `All 40 people in sales cannot send WhatsApp messages since 09:00 (${stamp}).`;
  let number;

  const customer = await openBrowser();
  const agent = await openBrowser();
  const clock = (target) => agent.locator(`[data-testid=sla-clock][data-target=${target}]`);

  await t.test('the customer opens a request and sees when it should be resolved', async () => {
    await customer.goto(`${server.url}/portal/new`);
    await signIn(customer, CUSTOMER, '/portal/new');
    await customer.getByTestId('new-subject').fill(subject);
    await customer.getByTestId('new-description').fill('The campaign scheduled for 9:00 has not gone out.');
    await customer.getByTestId('new-submit').click();
    await customer.waitForURL(/\/portal\/tickets\/\d+/);
    number = Number(new URL(customer.url()).pathname.split('/').pop());
    assert.ok(number > 0);
    const expected = customer.getByTestId('expected-resolution');
    await expected.waitFor();
    assert.match(await expected.textContent(), /^Expected resolution: .*\d/);
    // The default priority, with its description.
    assert.match(await customer.getByTestId('ticket-priority').textContent(), /Priority P3.*Medium/);
  });

  await t.test('the agent sees a running first-response clock on the new ticket', async () => {
    await agent.goto(`${server.url}/agent`);
    await signIn(agent, AGENT, '/agent');
    const row = agent.locator(`[data-testid=ticket-row][data-number="${number}"]`);
    await row.waitFor();
    assert.match(await row.getByTestId('next-due').textContent(), /due in 1 h 5\d min|due in 2 h 00 min/);
    // Most pressing first: the switch asks the server for order=due.
    await agent.getByTestId('queue-order-due').click();
    await agent.waitForURL((u) => u.searchParams.get('order') === 'due');
    assert.equal(await agent.getByTestId('queue-order-due').getAttribute('aria-pressed'), 'true');
    await row.getByTestId('ticket-link').click();
    await agent.waitForURL((u) => u.pathname === `/agent/tickets/${number}`);
    const card = agent.getByTestId('sla-card');
    await card.waitFor();
    assert.match(await card.textContent(), /Service level/);
    const first = clock('first_response');
    await first.waitFor();
    assert.equal(await first.getAttribute('data-state'), 'running');
    assert.equal(await first.getAttribute('data-tone'), 'ok');
    assert.match(await first.textContent(), /First response/);
    assert.match(await first.getByTestId('sla-within').textContent(), /within 2 h/);
    assert.match(await first.getByTestId('sla-countdown').textContent(), /^due in (1 h 5\d|2 h 00) min$/);
    assert.equal(await clock('resolution').getAttribute('data-state'), 'running');
    assert.equal(await agent.getByTestId('escalation-level').count(), 0);
  });

  await t.test('the customer requests escalation with the business impact', async () => {
    await customer.reload();
    await customer.getByTestId('escalate-open').click();
    await customer.getByTestId('escalation-impact').fill(impact);
    await customer.getByTestId('escalate-submit').click();
    await customer.getByTestId('request-notice').waitFor();
    assert.match(await customer.getByTestId('request-notice').textContent(), /escalation request was sent/);
    await customer.locator('[data-testid=message][data-kind=customer_message]', { hasText: impact }).waitFor();
    // The page fetched the ticket again: one request until the team answers.
    await customer.getByTestId('escalate-open').waitFor({ state: 'detached' });
  });

  await t.test('the agent sees the escalation message and escalation level 1', async () => {
    await agent.reload();
    await agent.locator('[data-testid=message][data-kind=customer_message]', { hasText: impact }).waitFor();
    const level = agent.getByTestId('escalation-level');
    await level.waitFor();
    assert.equal(await level.getAttribute('data-level'), '1');
    assert.match(await level.textContent(), /Escalation level 1/);
  });

  await t.test('the countdown follows the server clock: amber, then breached', async () => {
    await advance('1h35m'); // 25 of 120 minutes left: below a quarter
    await agent.reload();
    await agent.locator('[data-testid=sla-clock][data-target=first_response][data-tone=warn]').waitFor();
    assert.match(await clock('first_response').getByTestId('sla-countdown').textContent(), /^due in 2\d min/);
    // No reload now: the page resynchronises with the server every 20 s while a countdown
    // shows, sees that its clock jumped, and fetches the ticket and its messages again.
    const followUp = `Any news on the campaign? (${stamp})`;
    const posted = await tokenClient(server.url, server.token(CUSTOMER.email)).post(`/api/v1/tickets/${number}/messages`, { body: followUp });
    assert.equal(posted.status, 201, posted.text);
    await advance('30m');
    await agent.locator('[data-testid=message][data-kind=customer_message]', { hasText: followUp }).waitFor({ timeout: 45_000 });
    await agent.locator('[data-testid=sla-clock][data-target=first_response][data-state=breached]').waitFor();
    assert.equal(await clock('first_response').getAttribute('data-tone'), 'late');
    // The countdown catches up with the new time at its next tick.
    await clock('first_response').getByTestId('sla-countdown').filter({ hasText: /^overdue by \d+ min/ }).waitFor();
    // The breach escalated the ticket once more (the policy's first-response escalation).
    assert.equal(await agent.getByTestId('escalation-level').getAttribute('data-level'), '2');
  });

  await t.test('the policy page shows the policy in effect', async () => {
    await agent.getByTestId('nav-policy').click();
    await agent.waitForURL((u) => u.pathname === '/agent/policy');
    assert.equal(await agent.getByTestId('policy-name').textContent(), POLICY_NAME);
    assert.equal(await agent.getByTestId('policy-target-row').count(), 8);
    assert.match(await agent.getByTestId('policy-source').textContent(), /\[\[targets\]\]/);
    assert.equal(await agent.getByTestId('policy-apply-form').count(), 0, 'only administrators apply policies');
  });

  await t.test('an administrator sees every problem of a broken policy, with its line', async () => {
    await agent.getByTestId('sign-out').click();
    await agent.goto(`${server.url}/agent/policy`);
    await signIn(agent, ADMIN, '/agent/policy');
    const source = agent.getByTestId('policy-new-source');
    await source.waitFor();
    const text = (await admin.get('/api/v1/policy')).json.source;
    assert.equal(await source.inputValue(), text, 'prefilled with the source in effect');
    // Holiday calendars the policy names travel with every new version.
    const named = [...text.matchAll(/^\s*holidays_ics\s*=\s*"([^"]+)"/gm)].map((m) => join(dirname(POLICY_FILE), m[1]));
    if (named.length) await agent.getByTestId('policy-files').setInputFiles(named);
    await source.fill(text.replace('within = "30m"', 'within = "30x"').replace('[pause]', '[pause]\nbogus = 1'));
    await agent.getByTestId('policy-apply').click();
    await agent.getByTestId('policy-errors').waitFor();
    const errors = await agent.getByTestId('policy-error').allTextContents();
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors.join('\n'), /line \d+.*bogus/);
    assert.match(errors.join('\n'), /line \d+.*30x/);
    assert.match(await agent.getByTestId('policy-version').textContent(), /Version 1/);

    // Fixed, it applies, and the page shows the new version.
    await source.fill(text);
    await agent.getByTestId('policy-apply').click();
    await agent.getByTestId('policy-applied').waitFor();
    assert.match(await agent.getByTestId('policy-applied').textContent(), /version 2 is now in effect/);
    assert.match(await agent.getByTestId('policy-version').textContent(), /Version 2/);
    assert.equal(await agent.getByTestId('policy-error').count(), 0);
  });
});
