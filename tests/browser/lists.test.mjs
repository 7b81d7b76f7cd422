// The agent's lists in a real browser (issue 9): "Mine" shows the agent's own tickets that wait
// on the customer below the work that is due, and "All tickets" filters by assignee, group and
// priority besides status.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };

let server, due, waiting, others;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('agent', 'rui@desk.test', 'agent-pass-1', ['--name', 'Rui Agent']);
  const lia = tokenClient(server.url, server.token(AGENT.email));
  const me = (await lia.get('/api/v1/session')).json.user.id;
  const rui = (await lia.get('/api/v1/agents?email=rui')).json.items[0].id;
  const open = async (subject, priority, assignee) => {
    const r = await lia.post('/api/v1/tickets', { subject, description: 'x', requester: { email: 'c@acme.test' }, priority, assignee_id: assignee });
    assert.equal(r.status, 201, r.text);
    return r.json.number;
  };
  due = await open('Export fails', 'P2', me);
  waiting = await open('Need the invoice number', 'P3', me);
  const asked = await lia.post(`/api/v1/tickets/${waiting}/messages`, { body: 'Which invoice?', status: 'pending_customer' });
  assert.equal(asked.status, 201, asked.text);
  others = await open('Login loop', 'P1', rui);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const rows = async (scope) => (await scope.getByTestId('ticket-row').evaluateAll((els) => els.map((e) => Number(e.dataset.number)))).sort();

test("Mine lists the agent's waiting tickets below the queue; All tickets filters by assignee and priority", { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  await page.goto(`${server.url}/agent?view=mine`);
  await page.getByTestId('mine-waiting').waitFor();
  assert.deepEqual(await rows(page.locator('.page > [data-testid=ticket-list]')), [due]);
  assert.deepEqual(await rows(page.getByTestId('mine-waiting')), [waiting]);

  await page.goto(`${server.url}/agent/tickets`);
  await page.getByTestId('ticket-list').waitFor();
  assert.deepEqual(await rows(page), [due, waiting, others].sort());
  await page.getByTestId('tickets-assignee').selectOption('me');
  await page.waitForURL((u) => u.searchParams.get('assignee') === 'me');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=ticket-row]').length === n, 2);
  assert.deepEqual(await rows(page), [due, waiting].sort());
  await page.getByTestId('tickets-priority').selectOption('P3');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=ticket-row]').length === 1);
  assert.deepEqual(await rows(page), [waiting]);
  await page.getByTestId('tickets-assignee').selectOption('');
  await page.getByTestId('tickets-priority').selectOption('P1');
  // The list shown before (one row too) must not pass for the new one while that loads.
  await page.waitForFunction((n) => {
    const shown = [...document.querySelectorAll('[data-testid=ticket-row]')];
    return shown.length === 1 && Number(shown[0].dataset.number) === n;
  }, others);
  assert.deepEqual(await rows(page), [others]);
});

test('an escalated ticket is marked in the queue', { timeout: 90_000 }, async () => {
  const demo = await startServer({ web: dist, demo: true });
  try {
    const { sessionClient } = await import('../lib/server.mjs');
    const maria = await sessionClient(demo.url, 'maria@acme.com.br', 'chamado-customer');
    const t = (await maria.post('/api/v1/tickets', { subject: 'Fechamento parado', description: 'Nada carrega.' })).json;
    const asked = await maria.post(`/api/v1/tickets/${t.number}/escalation`, { impact: 'O fechamento do mês está parado para 40 pessoas.' });
    assert.equal(asked.status, 201, asked.text);
    const page = await browsers.open();
    await page.goto(`${demo.url}/agent`);
    await signIn(page, { email: 'lucas@chamado.example', password: 'chamado-agent' }, '/agent');
    const row = page.locator(`[data-testid=ticket-row][data-number="${t.number}"]`);
    await row.waitFor();
    assert.match(await row.getByTestId('escalated').textContent(), /\(1\)/);
    // Exactly the escalated tickets are marked. The demo runs on the real clock, so some of its
    // own tickets may have breached and escalated by now: the queue says which.
    const lucas = tokenClient(demo.url, demo.token('lucas@chamado.example'));
    const queue = (await lucas.get('/api/v1/queue?limit=50')).json.items;
    const escalated = queue.filter((x) => x.escalation_level > 0).map((x) => x.number).sort((a, b) => a - b);
    assert.ok(escalated.includes(t.number));
    assert.ok(queue.some((x) => x.escalation_level === 0), 'the demo queue has tickets that are not escalated');
    const marked = await page
      .locator('[data-testid=ticket-row]:has([data-testid=escalated])')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-number'))));
    assert.deepEqual(marked.sort((a, b) => a - b), escalated, 'only the escalated tickets are marked');
  } finally {
    await demo.stop();
  }
});

test('an agent opens a ticket for a customer who called on WhatsApp', { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  await page.getByTestId('nav-agent-new').click();
  await page.getByTestId('agent-new-form').waitFor();
  await page.getByTestId('agent-new-submit').click();
  await page.locator('.field-error').first().waitFor();  // nothing filled in: told what is missing
  await page.getByTestId('agent-new-email').fill('joana@padaria.test');
  await page.getByTestId('agent-new-name').fill('Joana Padaria');
  await page.getByTestId('agent-new-channel').selectOption('whatsapp');
  await page.getByTestId('agent-new-subject').fill('Maquininha não imprime o cupom');
  await page.getByTestId('agent-new-description').fill('Ligou pelo WhatsApp: desde ontem o cupom sai em branco.');
  await page.getByTestId('agent-new-priority').selectOption('P2');
  await page.getByTestId('agent-new-submit').click();
  await page.waitForURL((u) => /^\/agent\/tickets\/\d+$/.test(u.pathname));
  const number = Number(new URL(page.url()).pathname.split('/').pop());
  const lia = tokenClient(server.url, server.token(AGENT.email));
  const t = (await lia.get(`/api/v1/tickets/${number}`)).json;
  assert.equal(t.channel, 'whatsapp');
  assert.equal(t.priority, 'P2');
  assert.equal(t.requester.email, 'joana@padaria.test');
  assert.equal(t.requester.name, 'Joana Padaria');
  assert.equal(t.assignee.name, 'Lia Agent');
  assert.ok(t.clocks.some((c) => c.target === 'first_response'), JSON.stringify(t.clocks));
});

test('two agents on one ticket see each other, and who is replying', { timeout: 90_000 }, async () => {
  const lia = await browsers.open();
  const rui = await browsers.open();
  await lia.goto(`${server.url}/agent`);
  await signIn(lia, AGENT, '/agent');
  await rui.goto(`${server.url}/agent`);
  await signIn(rui, { email: 'rui@desk.test', password: 'agent-pass-1' }, '/agent');
  await lia.goto(`${server.url}/agent/tickets/${due}`);
  await lia.getByTestId('ticket-subject').waitFor();
  await rui.goto(`${server.url}/agent/tickets/${due}`);
  await rui.getByTestId('presence').waitFor();
  assert.match(await rui.getByTestId('presence').textContent(), /Lia Agent/);
  await rui.getByTestId('composer-body').fill('Looking into the export now.');
  // Lia's page learns it at its next mark (every 10 s).
  await lia.waitForFunction(() => /Rui Agent is replying/.test(document.querySelector('[data-testid=presence]')?.textContent ?? ''), null, { timeout: 15_000 });
  assert.match(await rui.getByTestId('presence').textContent(), /Lia Agent is viewing/);
});
