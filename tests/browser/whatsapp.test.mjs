// A WhatsApp conversation in the agents' console (issue 13, docs/whatsapp.md), in a real
// browser: a signed webhook from the fake Graph API's customer puts it in the queue with the
// WhatsApp badge and the number; the agent opens it, sees the window open, answers (the fake
// Graph receives the reply), sees Meta's read report on the reply; a day later the window is
// closed, the free reply gives way to the template form, and a template goes out.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';
import { CUSTOMER, envelope, postWebhook, startFakeGraph, textChange, whatsappEnv } from '../lib/whatsapp.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };
let server, fake, admin, now;
const browsers = new Browsers();
const seconds = () => String(Math.floor(Date.parse(now) / 1000));

async function until(what, check) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${what}`);
}

before(async () => {
  assertBrowserReady();
  fake = await startFakeGraph();
  server = await startServer({ web: dist, extraArgs: ['--test-clock'], env: whatsappEnv(fake) });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  now = (await admin.post('/api/v1/test/clock', { set: '2026-11-30T13:00:00Z' })).json.now;
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
  if (fake) await fake.stop();
});

test('the console shows a WhatsApp conversation, its window, its deliveries and the template form', { timeout: 180_000 }, async () => {
  const hook = await postWebhook(server.url, textChange('wamid.B1', 'Meu boleto venceu', seconds()));
  assert.equal(hook.status, 200, hook.text);

  const page = await browsers.open();
  await page.goto(`${server.url}/agent/chats`);
  await signIn(page, AGENT, '/agent/chats');
  const row = page.locator('[data-testid^="chat-row-"]', { hasText: 'Meu boleto venceu' });
  await row.waitFor();
  assert.equal(await row.getByTestId('chat-whatsapp').innerText(), `WhatsApp +${CUSTOMER}`);
  assert.match(await row.innerText(), /Zé Silva/);
  await row.getByTestId('chat-accept').click();
  const panel = page.locator('[data-testid^="chat-panel-"]');
  await panel.getByText('Meu boleto venceu').waitFor();
  await panel.getByTestId('chat-whatsapp').waitFor();
  const window = panel.getByTestId('chat-whatsapp-window');
  assert.equal(await window.getAttribute('data-open'), 'true');
  assert.match(await window.innerText(), /WhatsApp window open until/);

  const before = fake.state.posts.length;
  await panel.getByTestId('chat-reply').fill('Vou gerar um novo boleto.');
  await panel.getByTestId('chat-send').click();
  await panel.getByText('Vou gerar um novo boleto.').waitFor();
  await until('the reply at the Graph API', () => fake.state.posts.some((p) => p.body.text?.body === 'Vou gerar um novo boleto.'));
  assert.equal(fake.state.posts.length, before + 1);
  const wamid = fake.state.posts.at(-1).wamid;
  const read = await postWebhook(server.url, envelope({ statuses: [{ id: wamid, status: 'read', timestamp: seconds(), recipient_id: CUSTOMER }] }));
  assert.equal(read.json.statuses, 1);
  await panel.locator('[data-testid="chat-delivery"][data-status="read"]').waitFor();

  // A day later the window is closed: no free reply, the template form instead.
  now = (await admin.post('/api/v1/test/clock', { advance: '25h' })).json.now;
  await page.reload();
  await page.locator('[data-testid^="chat-row-"]', { hasText: 'Meu boleto venceu' }).getByTestId('chat-open').click();
  const closed = page.locator('[data-testid^="chat-panel-"]').getByTestId('chat-whatsapp-window');
  await closed.waitFor();
  assert.equal(await closed.getAttribute('data-open'), 'false');
  const reopened = page.locator('[data-testid^="chat-panel-"]');
  assert.equal(await reopened.getByTestId('chat-reply').count(), 0);
  await reopened.getByTestId('chat-template-name').fill('boleto_novo');
  await reopened.getByTestId('chat-template-language').fill('pt_BR');
  await reopened.getByTestId('chat-template-parameters').fill('42');
  await reopened.getByTestId('chat-template-send').click();
  await reopened.getByText('Template boleto_novo (pt_BR): 42').waitFor();
  await until('the template at the Graph API', () => fake.state.posts.some((p) => p.body.template?.name === 'boleto_novo'));
});
