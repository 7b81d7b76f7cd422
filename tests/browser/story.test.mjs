// The help desk story in a real browser (Debian's Chromium driven by playwright-core):
// a customer opens a request with a file, an agent answers it from the queue and adds an
// internal note, and the customer sees the answer but never the note.
//
// Needs: web/dist built (cd web && npm ci && npm run build), /usr/bin/chromium (or CHROMIUM_BIN),
// and the server binary (CHAMADO_BIN, default build/src/app/chamado).
// Run: node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, repoRoot } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'cliente@acme.test', password: 'customer-pass-1' };

let server;
const browsers = new Browsers();
const openBrowser = () => browsers.open();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Carla Cliente']);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('a customer request is answered by an agent in the browser', { timeout: 60_000 }, async (t) => {
  const stamp = Date.now().toString(36);
  const subject = `Invoice PDF will not open ${stamp}`;
  const description = `When I click the invoice link I get a blank page.\nRef ${stamp}`;
  const fileName = 'invoice-error.txt';
  const fileText = `blank page at ${stamp}\n`;
  const reply = `Hello Carla, please try the new link we just sent. (${stamp})`;
  const note = `Customer is on the old billing plan; check with finance. (${stamp})`;
  let number;

  const customer = await openBrowser();
  const agent = await openBrowser();

  await t.test('the customer signs in and is taken back to the page she asked for', async () => {
    await customer.goto(`${server.url}/portal/new`);
    await signIn(customer, CUSTOMER, '/portal/new');
    await customer.getByTestId('new-subject').waitFor();
  });

  await t.test('the customer opens a request with an attached file', async () => {
    await customer.getByTestId('new-subject').fill(subject);
    await customer.getByTestId('new-description').fill(description);
    await customer.getByTestId('new-files').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(fileText) });
    await customer.getByText(fileName).waitFor();
    await customer.getByTestId('new-submit').click();
    await customer.waitForURL(/\/portal\/tickets\/\d+/);
    number = Number(new URL(customer.url()).pathname.split('/').pop());
    assert.ok(number > 0);
    assert.equal(await customer.getByTestId('ticket-subject').textContent(), subject);
    const first = customer.getByTestId('message').first();
    assert.match(await first.getByTestId('message-body').textContent(), new RegExp(`Ref ${stamp}`));
    const link = first.getByTestId('attachment-link');
    assert.equal((await link.textContent()).includes(fileName), true);
    // The link downloads the very bytes that were sent.
    const res = await customer.request.get(new URL(await link.getAttribute('href'), server.url).href);
    assert.equal(res.status(), 200);
    assert.equal(await res.text(), fileText);
  });

  await t.test('the request is listed under "My requests"', async () => {
    await customer.getByTestId('nav-portal').click();
    await customer.waitForURL((u) => u.pathname === '/portal');
    const row = customer.locator(`[data-testid=ticket-row][data-number="${number}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(subject));
  });

  await t.test('the agent signs in and finds the request in the queue', async () => {
    await agent.goto(`${server.url}/agent`);
    await signIn(agent, AGENT, '/agent');
    const row = agent.locator(`[data-testid=ticket-row][data-number="${number}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Carla Cliente/);
    assert.match(await row.textContent(), /Acme/);
    await row.getByTestId('ticket-link').click();
    await agent.waitForURL((u) => u.pathname === `/agent/tickets/${number}`);
    assert.equal(await agent.getByTestId('ticket-subject').textContent(), subject);
    await agent.getByTestId('message').first().getByTestId('attachment-link').waitFor();
    assert.match(await agent.getByTestId('requester-card').textContent(), /cliente@acme\.test/);
  });

  await t.test('the agent sends a public reply', async () => {
    await agent.getByTestId('composer-tab-public').click();
    await agent.getByTestId('composer-body').fill(reply);
    await agent.getByTestId('composer-submit').click();
    await agent.locator('[data-testid=message][data-kind=public_reply]', { hasText: reply }).waitFor();
    await agent.getByTestId('composer-sent').waitFor();
    assert.equal(await agent.getByTestId('composer-body').inputValue(), '');
  });

  await t.test('the agent adds an internal note', async () => {
    await agent.getByTestId('composer-tab-note').click();
    await agent.getByTestId('composer-body').fill(note);
    await agent.getByTestId('composer-submit').click();
    await agent.locator('[data-testid=message][data-kind=internal_note]', { hasText: note }).waitFor();
  });

  await t.test('the customer reloads and sees the reply, but not the note', async () => {
    await customer.goto(`${server.url}/portal/tickets/${number}`);
    await customer.locator('[data-testid=message][data-kind=public_reply]', { hasText: reply }).waitFor();
    const text = await customer.locator('main').textContent();
    assert.ok(!text.includes(note), 'the internal note must not reach the customer');
    assert.equal(await customer.locator('[data-testid=message][data-kind=internal_note]').count(), 0);
    assert.equal(await customer.getByTestId('message').count(), 2);
  });
});
