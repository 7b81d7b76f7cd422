// The case's whole life in the browser: a customer writes on a closed request in the portal,
// which says beforehand that this opens a follow-up, and lands on the new request with a
// notice; an agent sees a likely duplicate of the same organization on the ticket page and
// merges into it from there, through the merge card's confirmation.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
const CUSTOMER = { email: 'carla@acme.test', password: 'customer-pass-1' };
const COLLEAGUE = 'davi@acme.test';
let server, agentApi;
const browsers = new Browsers();

async function open(subject, description, email = CUSTOMER.email) {
  const r = await agentApi.post('/api/v1/tickets', { subject, description, requester: { email } });
  assert.equal(r.status, 201, r.text);
  return r.json.number;
}

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme', '--name', 'Carla Cliente']);
  server.addUser('customer', COLLEAGUE, 'customer-pass-2', ['--organization', 'Acme', '--name', 'Davi']);
  agentApi = tokenClient(server.url, server.token(AGENT.email));
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('writing on a closed request opens a follow-up and shows it', { timeout: 120_000 }, async () => {
  const closed = await open('Scanner saves blank pages', 'Every scan comes out blank.');
  for (const change of [{ status: 'solved', resolution: 'fixed' }, { status: 'closed' }]) {
    const r = await agentApi.patch(`/api/v1/tickets/${closed}`, change);
    assert.equal(r.status, 200, r.text);
  }

  const portal = await browsers.open();
  await portal.goto(`${server.url}/portal`);
  await signIn(portal, CUSTOMER, '/portal');
  await portal.goto(`${server.url}/portal/tickets/${closed}`);
  await portal.getByTestId('follow-up-hint').waitFor();
  assert.match(await portal.getByTestId('follow-up-hint').innerText(), /follow-up request, linked to this one/);
  assert.equal(await portal.getByTestId('mark-solved').count(), 0, 'a closed request is not solved again');
  await portal.getByTestId('reply-body').fill('The blank pages are back since today.');
  await portal.getByTestId('reply-submit').click();

  await portal.waitForURL((url) => /\/portal\/tickets\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${closed}`));
  const followUp = Number(new URL(portal.url()).pathname.split('/').pop());
  await portal.getByTestId('follow-up-notice').waitFor();
  assert.match(await portal.getByTestId('follow-up-notice').innerText(), new RegExp(`follow-up of closed request #${closed}`));
  assert.equal(await portal.getByTestId('ticket-subject').innerText(), 'Scanner saves blank pages');
  await portal.getByText('The blank pages are back since today.').waitFor();
  const link = portal.getByTestId('linked-ticket').filter({ hasText: `#${closed}` });
  assert.equal(await link.count(), 1, 'the follow-up links to the closed request');
  assert.ok(!new URL(portal.url()).search.includes('follow_up_of'), 'the notice is said once, not kept in the address');

  const back = await agentApi.get(`/api/v1/tickets/${closed}`);
  assert.deepEqual(back.json.links.map((l) => [l.ticket, l.kind]), [[followUp, 'follow_up']]);
});

test("an agent sees a likely duplicate of the organization's open tickets and merges into it", { timeout: 120_000 }, async () => {
  const first = await open('VPN disconnects every ten minutes on the office wifi', 'The VPN client disconnects every ten minutes when on the office wifi network.');
  const second = await open('VPN keeps disconnecting every ten minutes on office wifi', 'On the office wifi the VPN disconnects every ten minutes.', COLLEAGUE);
  await open('Printer toner is empty', 'The printer needs a new toner cartridge.');

  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent`);
  await signIn(desk, AGENT, '/agent');
  await desk.goto(`${server.url}/agent/tickets/${second}`);
  await desk.getByTestId('likely-duplicates').waitFor();
  const items = desk.getByTestId('duplicate');
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => Number(e.dataset.number))), [first], 'only the look-alike');
  const item = items.first();
  assert.match(await item.innerText(), /VPN disconnects every ten minutes on the office wifi/);
  assert.match(await item.getByTestId('duplicate-likelihood').innerText(), /Likely the same case \(\d+% alike\)/);
  assert.equal(await item.getByRole('link').getAttribute('href'), `/agent/tickets/${first}`);

  await item.getByTestId('duplicate-merge').click();
  const confirm = desk.getByTestId('merge-confirm-box');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), new RegExp(`#${second}.*#${first}`));
  await desk.getByTestId('merge-confirm').click();
  await desk.getByTestId('merged-into').waitFor();
  assert.match(await desk.getByTestId('merged-into').innerText(), new RegExp(`#${first}`));
  assert.equal(await desk.getByTestId('likely-duplicates').count(), 0, 'a merged ticket has no duplicates to show');
});
