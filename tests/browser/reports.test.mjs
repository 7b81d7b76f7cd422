// The Reports page in the agent console (issue 14), on the default policy and the test clock:
// a P1 answered in 90 minutes (its 1-hour target breached) and a P3 in 120, so the page shows
// mean 1 h 45 min, median 1 h 45 min, p90 2 h; the breached figure drills down to its
// ticket; the CSV links carry the same filter; the charts are SVG images with names; the page
// speaks Portuguese when switched, and prints without its filters.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, admin, agentApi;
const n = {};
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  agentApi = tokenClient(server.url, server.token(AGENT.email));
  const clock = async (set) => assert.equal((await admin.post('/api/v1/test/clock', { set })).status, 200);
  await clock('2026-03-02T10:00:00Z');
  for (const [key, priority] of [['urgent', 'P1'], ['medium', 'P3']]) {
    const r = await agentApi.post('/api/v1/tickets', { subject: `A ${priority} case`, description: 'Details.', priority, requester: { email: 'zoe@zeta.example' } });
    assert.equal(r.status, 201, r.text);
    n[key] = r.json.number;
  }
  const reply = async (number) => assert.equal((await agentApi.post(`/api/v1/tickets/${number}/messages`, { kind: 'public_reply', body: 'On it.' })).status, 201);
  await clock('2026-03-02T11:30:00Z');
  await reply(n.urgent);
  await clock('2026-03-02T12:00:00Z');
  await reply(n.medium);
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('the reports of a day: figures, charts, drill-down, CSV, another language, print', { timeout: 120_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/reports`);
  await signIn(page, AGENT, '/agent/reports');
  await page.getByTestId('nav-reports').waitFor();
  assert.equal(await page.getByTestId('nav-reports').getAttribute('aria-current'), 'page');
  await page.getByTestId('report-from').fill('2026-03-02');
  await page.getByTestId('report-to').fill('2026-03-02');
  await page.getByTestId('report-apply').click();
  await page.waitForFunction(() => document.querySelector('.page-header p')?.textContent === 'From 2026-03-02 to 2026-03-03 (UTC)');

  // First response, calendar time: 90 and 120 minutes.
  const first = page.getByTestId('times-first_response').getByTestId('times-row').first();
  assert.deepEqual((await first.locator('td').allInnerTexts()).map((s) => s.trim()), ['Calendar time', '2', '1 h 45 min', '1 h 45 min', '2 h 00 min']);
  const chart = page.getByTestId('chart-first-response');
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.equal(await chart.getAttribute('aria-label'), 'Mean time to first response per priority (calendar time)');
  assert.equal(await chart.locator('rect').count(), 2, 'a bar per priority');

  // SLA: the P1's first response breached; drill down to it.
  const p1 = page.getByTestId('sla-row').filter({ hasText: 'P1' }).filter({ hasText: 'First response' });
  assert.deepEqual((await p1.locator('td').allInnerTexts()).map((s) => s.trim()), ['First response', 'P1', '0', '1', '0 %']);
  await p1.getByTestId('report-figure').nth(1).click();
  const drill = page.getByTestId('report-drill');
  await drill.getByTestId('ticket-row').first().waitFor();
  assert.deepEqual(await drill.getByTestId('ticket-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.number))), [n.urgent]);
  assert.equal(await drill.locator('h2').textContent(), 'Tickets: First response · P1 · Breached');

  // CSV links carry the filter.
  const href = await page.getByTestId('csv-sla').getAttribute('href');
  assert.equal(href, '/api/v1/reports/sla?from=2026-03-02&to=2026-03-02&format=csv');
  const csv = await (await page.request.get(server.url + href)).text();
  assert.match(csv, /^target,priority,met,breached,achievement\r\nfirst_response,P1,0,1,0\.0000\r\n/);

  // The backlog: both open at the day's end.
  assert.equal(await page.getByTestId('chart-backlog').locator('circle').count(), 1);

  // Another language: the same page in Portuguese.
  await page.getByTestId('language-select').selectOption('pt-BR');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Relatórios');
  assert.equal(await page.getByTestId('chart-sla').getAttribute('aria-label'), 'Parcela dos relógios cumpridos, por meta');

  // Printed: the figures and charts, not the filters or the navigation.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('report-filters').isVisible(), false);
  assert.equal(await page.getByTestId('topbar').isVisible(), false);
  assert.equal(await page.getByTestId('chart-first-response').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
});
