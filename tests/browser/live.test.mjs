// Live updates in a real browser (issue 11): the agent's queue shows a customer's new ticket
// and says so without a reload; a customer's reply is announced on the queue and appears on
// the agent's open ticket without losing the reply being typed; the customer's portal page
// shows the agent's answer by itself.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sessionClient, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'ana@acme.test', password: 'customer-pass-1' };

let server, agent, customer, existing;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Ana Acme']);
  agent = tokenClient(server.url, server.token(AGENT.email));
  customer = await sessionClient(server.url, CUSTOMER.email, CUSTOMER.password);
  const r = await customer.post('/api/v1/tickets', { subject: 'Invoice missing', description: 'Where is it?' });
  assert.equal(r.status, 201, r.text);
  existing = r.json.number;
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const rowNumbers = (page) => page.getByTestId('ticket-row').evaluateAll((els) => els.map((e) => Number(e.dataset.number)));

test("the queue shows a customer's new ticket and reply as they happen, with a notice", { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  await page.getByTestId('ticket-list').waitFor();
  assert.deepEqual(await rowNumbers(page), [existing]);
  // Nothing to announce yet; the region is there for screen readers.
  assert.equal(await page.getByTestId('live-notice').getAttribute('aria-live'), 'polite');
  assert.equal(await page.getByTestId('live-new').count(), 0);
  const before = await page.evaluate(() => performance.getEntriesByType('navigation').length + ':' + location.href);
  // Wait for the stream to be open, so the event is not missed.
  await page.waitForFunction(() => document.documentElement.dataset.live === 'on');

  const made = await customer.post('/api/v1/tickets', { subject: 'Cannot sign in', description: 'Locked out since 9:00.' });
  assert.equal(made.status, 201, made.text);
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=ticket-row]')].some((e) => Number(e.dataset.number) === n), made.json.number);
  await page.getByTestId('live-new').waitFor();
  assert.equal(await page.getByTestId('live-new').textContent(), 'New tickets: 1');
  assert.equal(await page.getByTestId('live-replied').count(), 0, "a new ticket's description is not a reply");

  const replied = await customer.post(`/api/v1/tickets/${existing}/messages`, { body: 'Any news?' });
  assert.equal(replied.status, 201, replied.text);
  await page.getByTestId('live-replied').waitFor();
  assert.equal(await page.getByTestId('live-replied').textContent(), `Customer replied on #${existing}`);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length + ':' + location.href), before, 'no reload');

  await page.getByTestId('live-dismiss').click();
  assert.equal(await page.getByTestId('live-new').count(), 0);
  await page.close();
});

test("the agent's ticket view shows a customer's reply without losing the reply being typed", { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/tickets/${existing}`);
  await signIn(page, AGENT, `/agent/tickets/${existing}`);
  await page.getByTestId('composer-body').waitFor();
  const count = await page.getByTestId('message').count();
  await page.getByTestId('composer-body').fill('Half-written answer');
  await page.waitForFunction(() => document.documentElement.dataset.live === 'on');

  const r = await customer.post(`/api/v1/tickets/${existing}/messages`, { body: 'It is urgent now.' });
  assert.equal(r.status, 201, r.text);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=message]').length === n, count + 1);
  assert.equal(await page.getByTestId('message-body').last().textContent(), 'It is urgent now.');
  assert.equal(await page.getByTestId('composer-body').inputValue(), 'Half-written answer');
  await page.close();
});

test("the customer's ticket page shows the agent's answer by itself", { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/portal/tickets/${existing}`);
  await signIn(page, CUSTOMER, `/portal/tickets/${existing}`);
  await page.getByTestId('message').first().waitFor();
  const count = await page.getByTestId('message').count();
  await page.waitForFunction(() => document.documentElement.dataset.live === 'on');

  const note = await agent.post(`/api/v1/tickets/${existing}/messages`, { body: 'Checking the logs.', kind: 'internal_note' });
  assert.equal(note.status, 201, note.text);
  const answer = await agent.post(`/api/v1/tickets/${existing}/messages`, { body: 'Found it: a new invoice is on its way.' });
  assert.equal(answer.status, 201, answer.text);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=message]').length === n, count + 1);
  assert.equal(await page.getByTestId('message-body').last().textContent(), 'Found it: a new invoice is on its way.');
  assert.ok(!(await page.content()).includes('Checking the logs.'));
  await page.close();
});
