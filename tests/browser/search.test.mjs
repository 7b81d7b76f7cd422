// Search in a real browser: an agent presses "/", searches, sees the match marked, removes a
// filter chip, saves the search as a pinned view and finds it beside the queue; a customer
// searches her requests and, typing a new one, is told she may have asked it already.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sessionClient, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'carla@acme.test', password: 'customer-pass-1' };

let server, invoice, exportTicket;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Carla Cliente']);
  server.addUser('customer', 'gus@globex.test', 'customer-pass-1', ['--organization', 'Globex']);
  const carla = await sessionClient(server.url, CUSTOMER.email, CUSTOMER.password);
  const gus = await sessionClient(server.url, 'gus@globex.test', 'customer-pass-1');
  const agent = tokenClient(server.url, server.token(AGENT.email));
  const open = async (who, subject, description) => {
    const r = await who.post('/api/v1/tickets', { subject, description });
    assert.equal(r.status, 201, r.text);
    return r.json.number;
  };
  invoice = await open(carla, 'Invoice PDF will not open', 'When I click the invoice link I get a blank page instead of the PDF.');
  exportTicket = await open(gus, 'Export <b>CSV</b> breaks the invoice totals', 'The export rounds every total.');
  const note = await agent.post(`/api/v1/tickets/${invoice}/messages`, { body: 'Finance says the template changed last week.', kind: 'internal_note' });
  assert.equal(note.status, 201, note.text);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const result = (page, number) => page.locator(`[data-testid=search-result][data-number="${number}"]`);

test('an agent searches from anywhere, narrows with chips and pins the search beside the queue', { timeout: 90_000 }, async (t) => {
  const page = await browsers.open();

  await t.test('"/" focuses the search box and Enter shows the results, the match marked', async () => {
    await page.goto(`${server.url}/agent`);
    await signIn(page, AGENT, '/agent');
    await page.getByTestId('ticket-list').waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search-box');
    await page.keyboard.type('invoice');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/agent/search' && u.searchParams.get('q') === 'invoice');
    await result(page, invoice).waitFor();
    assert.equal(await result(page, invoice).locator('mark').first().textContent(), 'Invoice');
    // Another organization's subject is the ticket's own text: shown, never made markup.
    const other = result(page, exportTicket);
    assert.match(await other.getByTestId('search-result-link').textContent(), /Export <b>CSV<\/b> breaks the invoice totals/);
    assert.equal(await other.locator('b').count(), 0);
    assert.equal(await page.getByTestId('search-query').inputValue(), 'invoice');
  });

  await t.test('an internal note that matched says so', async () => {
    await page.getByTestId('search-query').fill('template');
    await page.getByTestId('search-query').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'template');
    await page.locator('[data-testid=search-snippet][data-kind=internal_note]').waitFor();
    const snippet = result(page, invoice).getByTestId('search-snippet');
    await snippet.waitFor();
    assert.equal(await snippet.getAttribute('data-kind'), 'internal_note');
    assert.match(await snippet.textContent(), /Internal note/);
    assert.equal(await snippet.locator('mark').textContent(), 'template');
  });

  await t.test('filters show as chips; removing one rewrites the query', async () => {
    await page.goto(`${server.url}/agent/search?q=${encodeURIComponent('invoice org:acme')}`);
    await result(page, invoice).waitFor();
    assert.equal(await result(page, exportTicket).count(), 0);
    // A quick chip adds its filter: nothing is open yet, so nothing matches.
    await page.getByTestId('quick-chip-open').click();
    await page.getByTestId('search-empty').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('q'), 'invoice org:acme status:open');
    const chip = page.locator('[data-testid=search-chip][data-filter="status:open"]');
    await chip.getByTestId('search-chip-remove').click();
    await result(page, invoice).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('q'), 'invoice org:acme');
    await page.locator('[data-testid=search-chip][data-filter="org:acme"]').getByTestId('search-chip-remove').click();
    await result(page, exportTicket).waitFor();
    assert.equal(await page.getByTestId('search-query').inputValue(), 'invoice');
  });

  await t.test('a search the server refuses shows what to write', async () => {
    await page.getByTestId('search-query').fill('invoice created>=2026-13-01');
    await page.getByTestId('search-query').press('Enter');
    assert.match(await page.getByTestId('search-error').textContent(), /YYYY-MM-DD|not a day/);
  });

  await t.test('the search is saved as a pinned view and shows beside the queue with its count', async () => {
    await page.goto(`${server.url}/agent/search?q=${encodeURIComponent('invoice org:acme')}`);
    await result(page, invoice).waitFor();
    await page.getByTestId('save-view-open').click();
    await page.getByTestId('save-view-name').fill('Acme invoices');
    assert.equal(await page.getByTestId('save-view-pinned').isChecked(), true);
    await page.getByTestId('save-view-submit').click();
    await page.getByTestId('saved-view').waitFor();
    assert.match(await page.getByTestId('saved-view').textContent(), /Acme invoices/);
    assert.equal(await page.getByTestId('saved-view-pin').getAttribute('aria-pressed'), 'true');

    await page.getByTestId('nav-queue').click();
    await page.waitForURL((u) => u.pathname === '/agent');
    const view = page.getByTestId('pinned-view');
    await view.waitFor();
    assert.match(await view.textContent(), /Acme invoices/);
    await view.getByTestId('pinned-view-count').waitFor();
    assert.equal(await view.getByTestId('pinned-view-count').textContent(), '1');
    await view.click();
    await page.waitForURL((u) => u.pathname === '/agent/search' && u.searchParams.get('q') === 'invoice org:acme');
    await result(page, invoice).waitFor();
  });
});

test('a customer searches her requests and is told of a likely duplicate while typing', { timeout: 60_000 }, async (t) => {
  const page = await browsers.open();

  await t.test('the portal search box finds her organization\'s requests only', async () => {
    await page.goto(`${server.url}/portal`);
    await signIn(page, CUSTOMER, '/portal');
    await page.getByTestId('ticket-list').waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'search-box');
    await page.keyboard.type('invoice');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/portal/search');
    await result(page, invoice).waitFor();
    assert.equal(await result(page, exportTicket).count(), 0);
    assert.equal(await page.getByTestId('search-result').count(), 1);
    assert.equal(await page.getByTestId('save-view-open').count(), 0);
  });

  await t.test('a new request like an open one shows the hint, linking to it', async () => {
    await page.goto(`${server.url}/portal/new`);
    await page.getByTestId('new-subject').fill('Invoice PDF does not open');
    await page.getByTestId('new-description').fill('Clicking the invoice link shows a blank page, no PDF.');
    const hint = page.getByTestId('similar-hint');
    await hint.waitFor();
    assert.match(await hint.textContent(), /You may already have asked this/);
    const link = hint.getByTestId('similar-link');
    assert.equal(await link.getAttribute('data-number'), String(invoice));
    assert.equal(await link.getAttribute('href'), `/portal/tickets/${invoice}`);
  });

  await t.test('an unrelated subject shows none', async () => {
    await page.getByTestId('new-subject').fill('Password reset mail never arrives');
    await page.getByTestId('new-description').fill('I asked for a new password twice.');
    await page.getByTestId('similar-hint').waitFor({ state: 'detached' });
  });
});
