// The help desk story in a real browser (Debian's Chromium driven by playwright-core):
// a customer opens a request with a file, an agent answers it from the queue and adds an
// internal note, and the customer sees the answer but never the note.
//
// Needs: web/dist built (cd web && npm ci && npm run build), /usr/bin/chromium (or CHROMIUM_BIN),
// and the server binary (CHAMADO_BIN, default build/src/app/chamado).
// Run: node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, repoRoot } from '../lib/server.mjs';

const webDir = join(repoRoot, 'web');
const dist = join(webDir, 'dist');
const chromiumPath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'cliente@acme.test', password: 'customer-pass-1' };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
const browsers = []; // { context, dir }

// Each person gets a browser of their own with a fresh, throw-away profile.
async function openBrowser() {
  const dir = mkdtempSync(join(tmpdir(), 'chamado-chromium-'));
  const entry = { context: null, dir };
  browsers.push(entry);
  entry.context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  entry.context.setDefaultTimeout(15_000);
  entry.context.setDefaultNavigationTimeout(15_000);
  const page = entry.context.pages()[0] ?? (await entry.context.newPage());
  page.on('pageerror', (e) => console.error(`[browser] page error: ${e.message}`));
  return page;
}

async function signIn(page, who, expectPath) {
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === expectPath);
}

before(async () => {
  assert.ok(existsSync(join(dist, 'index.html')), `build the web UI first: cd ${webDir} && npm ci && npm run build`);
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_BIN)`);
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Carla Cliente']);
});

after(async () => {
  for (const b of browsers) {
    try {
      await b.context?.close();
    } catch {
      /* already gone */
    }
    rmSync(b.dir, { recursive: true, force: true });
  }
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
