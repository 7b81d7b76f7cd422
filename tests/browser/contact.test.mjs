// A contact's page in a real browser (issue 11): from a ticket, the agent opens the requester's
// page and sees their organization and plan, their tickets and their satisfaction history.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };

let server, first, second;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist, demo: true });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('customer', 'rosa@acme.test', 'customer-pass-1', ['--organization', 'Acme Contact Co', '--name', 'Rosa Contact']);
  const boss = tokenClient(server.url, server.token(AGENT.email));
  const org = (await boss.get('/api/v1/organizations?q=Acme%20Contact')).json.items[0];
  const planned = await boss.patch(`/api/v1/organizations/${org.id}`, { plan: 'premium' });
  assert.equal(planned.status, 200, planned.text);
  const rosa = tokenClient(server.url, server.token('rosa@acme.test'));
  for (const subject of ['Export is slow', 'Webhook retries']) {
    const r = await rosa.post('/api/v1/tickets', { subject, description: `${subject}, since this morning.` });
    assert.equal(r.status, 201, r.text);
    if (!first) first = r.json.number;
    else second = r.json.number;
  }
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test("the requester's name on a ticket opens their page: organization, plan, tickets, satisfaction", { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/tickets/${first}`);
  await signIn(page, AGENT, `/agent/tickets/${first}`);
  await page.getByTestId('requester-link').click();
  await page.getByTestId('contact-page').waitFor();
  assert.equal(await page.getByTestId('contact-name').innerText(), 'Rosa Contact');
  assert.match(await page.getByTestId('contact-organization').innerText(), /Acme Contact Co/);
  assert.match(await page.getByTestId('contact-plan').innerText(), /Premium/i);
  await page.getByTestId('ticket-row').first().waitFor();
  const numbers = (await page.getByTestId('ticket-row').evaluateAll((els) => els.map((e) => Number(e.dataset.number)))).sort();
  assert.deepEqual(numbers, [first, second].sort());
  assert.match(await page.getByTestId('contact-surveys').innerText(), /No survey answers yet/);
});
