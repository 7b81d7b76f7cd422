// The status page in a real browser (issue 14): an administrator adds a component at
// /agent/status, an agent declares an incident and plans maintenance there; a visitor who is
// not signed in sees /status with 90 daily bars, the incident and its updates, in English and
// then in Portuguese; the agent resolves the incident and it moves to the history.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const ADMIN = { email: 'boss@desk.test', password: 'admin-pass-1' };
const AGENT = { email: 'lucas@desk.test', password: 'agent-pass-1' };

let server, api;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  // The desk publishes its average first response on the status page (seed 002).
  server = await startServer({ web: dist, extraArgs: ['--test-clock'], env: { CHAMADO_REPORTS_PUBLISH_RESPONSE_TIME: 'calendar' } });
  server.addUser('admin', ADMIN.email, ADMIN.password, ['--name', 'Boss']);
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lucas']);
  api = tokenClient(server.url, server.token(ADMIN.email));
  // A ticket answered a minute before the tests' 10:00, for the published figure (it covers
  // what was answered before now).
  await api.post('/api/v1/test/clock', { set: '2026-03-02T09:59:00Z' });
  const ticket = await api.post('/api/v1/tickets', { subject: 'Cannot sign in', description: 'Since this morning.', requester: { email: 'ana@acme.example' } });
  assert.equal(ticket.status, 201, ticket.text);
  const answer = await api.post(`/api/v1/tickets/${ticket.json.number}/messages`, { body: 'Looking into it.', kind: 'public_reply' });
  assert.equal(answer.status, 201, answer.text);
  await api.post('/api/v1/test/clock', { set: '2026-03-02T10:00:00Z' });
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('components, incidents and maintenance are run from /agent/status and shown on the public /status', { timeout: 180_000 }, async (t) => {
  await t.test('an administrator adds a component; a wrong key is named beside the field', async () => {
    const page = await browsers.open();
    await page.goto(`${server.url}/agent/status`);
    await signIn(page, ADMIN, '/agent/status');
    await page.getByTestId('status-component-key').fill('Web UI');
    await page.getByTestId('status-component-name').fill('Web interface');
    await page.getByTestId('status-component-add').click();
    await page.locator('#sc-key-error').waitFor();
    await page.getByTestId('status-component-key').fill('web');
    await page.getByTestId('status-component-add').click();
    await page.locator('[data-testid="status-admin-component"][data-key="web"]').waitFor();
    assert.equal(await page.locator('#sc-key-error').count(), 0);
  });

  await t.test('an agent declares a major outage and plans maintenance; components are for administrators', async () => {
    const page = await browsers.open();
    await page.goto(`${server.url}/agent`);
    await signIn(page, AGENT, '/agent');
    await page.getByTestId('nav-status').click();
    await page.getByTestId('status-admins-only').waitFor();
    await page.getByTestId('status-incident-title').fill('Sign-in fails');
    await page.getByTestId('status-impact-web').selectOption('major');
    await page.getByTestId('status-incident-update').fill('We are looking into it.');
    await page.getByTestId('status-incident-declare').click();
    await page.getByTestId('status-admin-incident').filter({ hasText: 'Sign-in fails' }).waitFor();

    await page.getByTestId('status-maintenance-title').fill('Database upgrade');
    await page.getByTestId('status-maintenance-starts').fill('2026-03-09T01:00');
    await page.getByTestId('status-maintenance-ends').fill('2026-03-09T00:00');
    await page.getByTestId('status-maintenance-web').check();
    await page.getByTestId('status-maintenance-plan').click();
    await page.locator('#sm-ends-error').waitFor();
    await page.getByTestId('status-maintenance-ends').fill('2026-03-09T03:00');
    await page.getByTestId('status-maintenance-plan').click();
    await page.getByTestId('status-admin-maintenance-item').filter({ hasText: 'Database upgrade' }).waitFor();
  });

  await t.test('a visitor sees the outage, 90 daily bars and the maintenance to come, in their language', async () => {
    const page = await browsers.open();
    await page.goto(`${server.url}/status`);
    const web = page.locator('[data-testid="status-component"][data-key="web"]');
    await web.waitFor();
    assert.equal(await web.getByTestId('status-condition').getAttribute('data-condition'), 'major');
    assert.equal(await web.getByTestId('status-condition').innerText(), 'Major outage');
    assert.equal(await web.getByTestId('status-day').count(), 90);
    assert.equal(await web.getByTestId('status-day').last().getAttribute('data-date'), '2026-03-02');
    assert.equal(await page.getByTestId('status-summary').innerText(), 'Some systems have problems');
    const incident = page.getByTestId('status-incident').filter({ hasText: 'Sign-in fails' });
    await incident.getByText('We are looking into it.').waitFor();
    await page.getByTestId('status-maintenance-item').filter({ hasText: 'Database upgrade' }).waitFor();
    assert.equal(await page.getByTestId('status-sign-in').count(), 1, 'no sign-in needed, but offered');
    assert.equal(await page.getByTestId('status-response-time').innerText(), 'Average first response: 0 min (last 30 days).');

    await page.getByTestId('language-select').selectOption('pt-BR');
    await page.getByRole('heading', { level: 1, name: 'Status dos sistemas' }).waitFor();
    assert.equal(await web.getByTestId('status-condition').innerText(), 'Indisponibilidade total');
    assert.equal(await page.getByTestId('status-no-history').innerText(), 'Nenhum incidente neste período.');
  });

  await t.test('the agent resolves the incident and mails it: it is history, the component without a probe shows no data, the subscriber unsubscribes', async () => {
    await api.post('/api/v1/test/clock', { set: '2026-03-02T10:30:00Z' });
    const page = await browsers.open();
    await page.goto(`${server.url}/agent/status`);
    await signIn(page, AGENT, '/agent/status');
    await page.getByTestId('status-subscriber-email').fill('ops@client.test');
    await page.getByTestId('status-subscriber-add').click();
    await page.getByTestId('status-subscriber').filter({ hasText: 'ops@client.test' }).waitFor();
    const form = page.getByTestId('status-admin-incident').filter({ hasText: 'Sign-in fails' }).getByTestId('status-update-form');
    await form.getByTestId('status-update-notify').check();
    await form.getByTestId('status-update-state').selectOption('resolved');
    await form.getByTestId('status-update-post').click();
    await form.locator('[data-testid="status-update-error"]').waitFor();  // an update needs its text
    await form.getByTestId('status-update-text').fill('A certificate was renewed.');
    await form.getByTestId('status-update-post').click();
    await page.getByTestId('status-admin-incident').filter({ hasText: 'Resolved' }).waitFor();

    const visitor = await browsers.open();
    await visitor.goto(`${server.url}/status`);
    const history = visitor.getByTestId('status-incident').filter({ hasText: 'Sign-in fails' });
    await history.getByText('A certificate was renewed.').waitFor();
    // No probe watches the component: its condition is "No data", never "Operational".
    assert.equal(await visitor.locator('[data-key="web"] [data-testid="status-condition"]').getAttribute('data-condition'), 'unknown');
    const today = visitor.locator('[data-key="web"] [data-testid="status-day"]').last();
    assert.match(await today.locator('title').textContent(), /^2026-03-02: 0 % uptime; down 30 min/);

    // The subscriber's mail carries a link that unsubscribes, without signing in.
    const mail = (await api.get('/api/v1/outbox?limit=50')).json.items.find((n) => n.event === 'mail.incident_subscriber');
    assert.equal(mail.recipient, 'ops@client.test');
    await visitor.goto(`${server.url}/status?unsubscribe=${mail.payload.token}`);
    await visitor.getByTestId('status-unsubscribed').waitFor();
    assert.deepEqual((await api.get('/api/v1/status/subscribers')).json.items, []);

    // A visitor subscribes on the page; the link of the mail confirms it.
    await visitor.getByTestId('status-subscribe-email').fill('reader@example.test');
    await visitor.getByTestId('status-subscribe-submit').click();
    await visitor.getByTestId('status-subscribe-sent').waitFor();
    const confirm = (await api.get('/api/v1/outbox?limit=50')).json.items.find((n) => n.event === 'mail.status_subscription');
    assert.equal(confirm.recipient, 'reader@example.test');
    await visitor.goto(`${server.url}/status?confirm=${confirm.payload.token}`);
    await visitor.getByTestId('status-confirmed').waitFor();
    assert.notEqual((await api.get('/api/v1/status/subscribers')).json.items[0].confirmed_at, null);
  });
});
