// The administrators' area in a real browser (issue 9): an admin creates an organization
// (after the server refuses a bad domain, shown beside the field), a customer in it, a group
// and an agent in that group, deactivates and finds the agent, makes an API token (the
// secret shown once, and working) and revokes it; an agent sees no Admin menu.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const ADMIN = { email: 'boss@desk.test', password: 'admin-pass-1' };
const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };

let server, api;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', ADMIN.email, ADMIN.password, ['--name', 'Boss']);
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  api = tokenClient(server.url, server.token(ADMIN.email));
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const texts = (locator) => locator.evaluateAll((els) => els.map((e) => e.textContent.trim()));

test('an admin runs the directory from the browser', { timeout: 180_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, ADMIN, '/agent');
  await page.getByTestId('nav-admin').click();
  await page.waitForURL((u) => u.pathname === '/agent/admin/people');

  // An organization: the server's word on a bad domain sits under that field.
  await page.getByTestId('admin-nav-organizations').click();
  await page.getByTestId('organization-new').click();
  await page.getByTestId('organization-name').fill('Padaria Central');
  await page.getByTestId('organization-domains').fill('padaria.test, not a domain');
  await page.getByTestId('organization-language').selectOption('pt-BR');
  await page.getByTestId('organization-tz').fill('America/Sao_Paulo');
  await page.getByTestId('organization-notes').fill('Pays by boleto.');
  await page.getByTestId('organization-save').click();
  const domainError = page.getByTestId('organization-domains-error');
  await domainError.waitFor();
  assert.match(await domainError.innerText(), /"not" is not an email domain/);
  assert.equal(await page.getByTestId('organization-domains').getAttribute('aria-invalid'), 'true');
  await page.getByTestId('organization-domains').fill('padaria.test');
  await page.getByTestId('organization-save').click();
  await page.waitForURL((u) => /^\/agent\/admin\/organizations\/\d+$/.test(u.pathname));
  const orgId = Number(new URL(page.url()).pathname.split('/').pop());
  const org = (await api.get(`/api/v1/organizations/${orgId}`)).json;
  assert.deepEqual([org.name, org.domains, org.language, org.time_zone, org.notes],
    ['Padaria Central', ['padaria.test'], 'pt-BR', 'America/Sao_Paulo', 'Pays by boleto.']);

  // A customer in it, from the organization's page; then listed there.
  await page.getByTestId('organization-add-contact').click();
  await page.waitForURL((u) => u.pathname === '/agent/admin/people/new');
  // The organizations load after the form appears: wait for the chosen one, not for the first render.
  await page.waitForFunction((id) => document.querySelector('[data-testid=person-organization]')?.value === String(id), orgId);
  await page.waitForFunction(() => document.querySelector('[data-testid=person-tz]')?.value === 'America/Sao_Paulo');
  await page.getByTestId('person-email').fill('ana@padaria.test');
  await page.getByTestId('person-name').fill('Ana Padeira');
  await page.getByTestId('person-save').click();
  await page.getByTestId('person-created').waitFor();
  const contact = (await api.get('/api/v1/contacts?q=ana%40padaria')).json.items[0];
  assert.equal(contact.organization_id, orgId);
  assert.deepEqual([contact.language, contact.time_zone], ['pt-BR', 'America/Sao_Paulo'], "the organization's, by default");
  await page.goto(`${server.url}/agent/admin/organizations/${orgId}`);
  await page.getByTestId('organization-contact').first().waitFor();
  assert.match((await texts(page.getByTestId('organization-contact'))).join('\n'), /Ana Padeira/);

  // A group, then an agent in it; the group lists the member.
  await page.getByTestId('admin-nav-groups').click();
  await page.getByTestId('group-new').click();
  await page.getByTestId('group-name').fill('Billing');
  await page.getByTestId('group-description').fill('Invoices and boletos');
  await page.getByTestId('group-save').click();
  await page.waitForURL((u) => /^\/agent\/admin\/groups\/\d+$/.test(u.pathname));
  const groupId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByTestId('admin-nav-people').click();
  await page.getByTestId('people-tab-agent').click();
  await page.getByTestId('person-new').click();
  await page.waitForURL((u) => u.pathname === '/agent/admin/people/new');
  await page.getByTestId('person-email').fill('rui@desk.test');
  await page.getByTestId('person-name').fill('Rui Cobrança');
  await page.getByTestId('person-password').fill('short');
  await page.getByRole('checkbox', { name: 'Billing' }).check();
  await page.getByTestId('person-save').click();
  await page.getByTestId('person-password-error').waitFor();  // the server's rule, beside the field
  await page.getByTestId('person-password').fill('rui-pass-123');
  await page.getByTestId('person-email').fill('LIA@desk.test');
  await page.getByTestId('person-save').click();
  const taken = page.getByTestId('person-email-error');  // a conflict, named by its field
  await taken.waitFor();
  assert.equal(await taken.innerText(), 'A user with the email lia@desk.test already exists.');
  await page.getByTestId('person-email').fill('rui@desk.test');
  await page.getByTestId('person-save').click();
  await page.getByTestId('person-created').waitFor();
  const rui = (await api.get('/api/v1/agents?q=rui%40')).json.items[0];
  assert.deepEqual(rui.group_ids, [groupId]);
  await page.goto(`${server.url}/agent/admin/groups/${groupId}`);
  await page.getByTestId('group-member').first().waitFor();
  assert.match((await texts(page.getByTestId('group-member'))).join('\n'), /Rui Cobrança/);

  // Lia joins the group from the group's page.
  await page.getByTestId('group-add-member').selectOption({ label: 'Lia Agent <lia@desk.test>' });
  await page.getByTestId('group-add-member-submit').click();
  await page.getByTestId('group-member').nth(1).waitFor();
  const lia = (await api.get('/api/v1/agents?q=lia%40')).json.items[0];
  assert.deepEqual(lia.group_ids, [groupId]);

  // Deactivated, Rui leaves the active list and shows among the deactivated.
  await page.goto(`${server.url}/agent/admin/agents/${rui.id}`);
  await page.getByTestId('person-deactivate').click();
  await page.getByTestId('person-reactivate').waitFor();
  assert.equal((await api.get(`/api/v1/agents/${rui.id}`)).json.active, false);
  await page.goto(`${server.url}/agent/admin/people?kind=agent`);
  await page.getByTestId('people-search').fill('cobrança');
  await page.getByTestId('people-search').press('Enter');
  await page.getByText('Nothing matches “cobrança”.').waitFor();
  await page.getByTestId('people-active').selectOption('false');
  await page.getByTestId('person-row').first().waitFor();
  assert.deepEqual(await texts(page.getByTestId('person-link')), ['Rui Cobrança']);

  // An API token: the secret once, working, then revoked.
  await page.getByTestId('admin-nav-tokens').click();
  await page.getByTestId('token-name').fill('CRM integration');
  await page.getByTestId('token-create').click();
  const secret = await page.getByTestId('token-secret').inputValue();
  assert.match(secret, /.{20,}/);
  const crm = tokenClient(server.url, secret);
  assert.equal((await crm.get('/api/v1/queue')).status, 200);
  const row = page.getByTestId('token-row').filter({ hasText: 'CRM integration' });
  await row.waitFor();
  assert.match(await row.innerText(), /boss@desk\.test/);
  await row.getByTestId('token-revoke').click();
  await row.getByTestId('token-revoke-confirm').waitFor();
  await page.keyboard.press('Enter');  // the confirmation has the focus
  await row.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('token-secret').count(), 0, 'the secret is gone with the token');
  assert.equal((await crm.get('/api/v1/queue')).status, 401);
});

test('an agent has no Admin menu, and the area says it is for administrators', { timeout: 60_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  await page.getByTestId('nav-queue').waitFor();
  assert.equal(await page.getByTestId('nav-admin').count(), 0);
  await page.goto(`${server.url}/agent/admin/people`);
  await page.getByTestId('admin-only').waitFor();
  assert.equal(await page.getByTestId('people-table').count(), 0);
});

test("the policy page shows each calendar's opening hours, weekdays in the reader's language", { timeout: 60_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/policy`);
  await signIn(page, AGENT, '/agent/policy');
  const hours = page.getByTestId('policy-calendar-hours');
  await hours.waitFor();
  assert.equal((await hours.innerText()).trim(), 'Mon – Fri 09:00–18:00');
  // Targets name the calendar as people know it, not by its id.
  const business = page.getByTestId('policy-target-row').filter({ hasText: 'Business hours' });
  assert.ok((await business.count()) > 0);
  assert.equal(await page.getByTestId('policy-target-row').filter({ hasText: /\bbusiness\b/ }).count(), 0);
  await page.getByTestId('language-select').selectOption('pt-BR');
  await page.waitForFunction(() => document.querySelector('[data-testid=policy-calendar-hours]')?.textContent.startsWith('seg.'));
  assert.equal((await hours.innerText()).trim(), 'seg. – sex. 09:00–18:00');
});
