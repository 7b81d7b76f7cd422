// The agents' live-chat console (issue 13) in a real browser, on seed 004 in its live-chat
// hours: two customers' conversations (started through the widget's API calls) wait in the
// queue with their wait time; the agent accepts both and holds them side by side, answers one
// on its WebSocket, sees the customer's next message and typing arrive live, picks a canned
// reply, sees the customer's other tickets beside the chat, converts it into one ticket, and
// transfers the other to a group. Each chat's SLA clocks count down in the queue and its panel;
// the console speaks the agent's language.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, sessionClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const WebSocket = createRequire(join(repoRoot, 'web', 'package.json'))('ws');
const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };

let server, admin, rosa, tito, groupId;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  const data = mkdtempSync(join(tmpdir(), 'chamado-chats-browser-'));
  execFileSync(chamadoBin, ['policy', 'apply', join(repoRoot, 'examples', 'policies', '004_agency_management.toml'), '--data', data]);
  server = await startServer({ web: dist, data, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa', '--name', 'Rosa']);
  server.addUser('customer', 'tito@agencia.test', 'customer-pass-2', ['--organization', 'Agência Rosa', '--name', 'Tito']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  const org = (await admin.get('/api/v1/organizations?q=Rosa')).json.items[0];
  assert.equal((await admin.patch(`/api/v1/organizations/${org.id}`, { plan: 'standard' })).status, 200);
  groupId = (await admin.post('/api/v1/groups', { name: 'Especialistas' })).json.id;
  await admin.post('/api/v1/test/clock', { set: '2026-11-30T10:00:00-03:00' });
  rosa = await sessionClient(server.url, 'rosa@agencia.test', 'customer-pass-1');
  tito = await sessionClient(server.url, 'tito@agencia.test', 'customer-pass-2');
  const lia = tokenClient(server.url, server.token(AGENT.email));
  assert.equal((await lia.post('/api/v1/macros', { name: 'Saudação', body: 'Olá {{customer.name}}, aqui é {{agent.name}}.' })).status, 201);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('an agent takes two chats at once, answers live, converts one and transfers the other', { timeout: 180_000 }, async () => {
  // Rosa has an older ticket, shown beside her chat.
  assert.equal((await rosa.post('/api/v1/tickets', { subject: 'Nota fiscal duplicada', description: 'Saiu duas vezes.' })).status, 201);
  const first = (await rosa.post('/api/v1/conversations', {})).json;
  await rosa.post(`/api/v1/conversations/${first.conversation.id}/messages`, { text: 'O relatório de horas não abre' });
  const second = (await tito.post('/api/v1/conversations', {})).json;
  await tito.post(`/api/v1/conversations/${second.conversation.id}/messages`, { text: 'Como exporto projetos?' });
  await admin.post('/api/v1/test/clock', { advance: '3m' });

  const page = await browsers.open();
  await page.goto(`${server.url}/agent/chats`);
  await signIn(page, AGENT, '/agent/chats');
  const row1 = page.getByTestId(`chat-row-${first.conversation.chat_id}`);
  await row1.waitFor();
  assert.match(await row1.getByTestId('chat-wait').innerText(), /waiting 3 min/);
  // Its first-response clock (seed 004: 24 business hours, from the hand-off) counts down.
  assert.equal(await row1.getByTestId('next-due').getAttribute('data-target'), 'first_response');
  assert.match(await row1.getByTestId('next-due').innerText(), /due in 3 d 03 h/);
  await row1.getByTestId('chat-accept').click();
  const panel1 = page.getByTestId(`chat-panel-${first.conversation.chat_id}`);
  await panel1.getByText('O relatório de horas não abre').waitFor();
  const firstResponse = panel1.getByTestId('chat-clock-first_response');
  assert.equal(await firstResponse.getByTestId('sla-state').getAttribute('data-state'), 'running');
  assert.match(await firstResponse.innerText(), /First response/);
  await page.getByTestId(`chat-row-${second.conversation.chat_id}`).getByTestId('chat-accept').click();
  const panel2 = page.getByTestId(`chat-panel-${second.conversation.chat_id}`);
  await panel2.getByText('Como exporto projetos?').waitFor();
  await page.getByTestId('chats-held').getByText('You hold 2 of at most 3 conversations.').waitFor();

  // A canned reply filled for this customer, sent on the socket; the customer's side has it.
  await panel1.getByTestId('chat-canned').selectOption({ label: 'Saudação' });
  assert.equal(await panel1.getByTestId('chat-reply').inputValue(), 'Olá Rosa, aqui é Lia Agent.');
  await panel1.getByTestId('chat-send').click();
  await panel1.getByText('Olá Rosa, aqui é Lia Agent.').waitFor();
  const seen = (await rosa.get(`/api/v1/conversations/${first.conversation.id}`)).json;
  assert.equal(seen.messages.at(-1).text, 'Olá Rosa, aqui é Lia Agent.');
  assert.equal(seen.status, 'waiting_on_customer');
  // Answered: the first response is met (the queue reloads every 5 s).
  await firstResponse.getByTestId('sla-state').and(page.locator('[data-state="met"]')).waitFor({ timeout: 15_000 });

  // The customer types and writes on their own socket: both show up live.
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/conversations/${first.conversation.id}/socket`);
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(JSON.stringify({ type: 'hello', token: first.token, after: seen.last_seq }));
  ws.send(JSON.stringify({ type: 'typing' }));
  await panel1.getByTestId('chat-typing').waitFor();
  ws.send(JSON.stringify({ type: 'send', client_id: 'rosa-1', text: 'Uso o Firefox' }));
  await panel1.getByText('Uso o Firefox').waitFor();
  ws.close();

  // Her other ticket sits beside the chat; converting makes the one ticket and links it.
  await panel1.getByTestId('chat-other-tickets').getByText('Nota fiscal duplicada').waitFor();
  await panel1.getByTestId('chat-convert').click();
  await panel1.getByTestId('chat-ticket').waitFor();
  assert.equal(await panel1.getByTestId('chat-status').innerText(), 'Closed');
  const converted = (await rosa.get(`/api/v1/conversations/${first.conversation.id}`)).json;
  assert.ok(converted.ticket_number);
  const transcript = (await rosa.get(`/api/v1/tickets/${converted.ticket_number}/messages`)).json.items[0].body;
  assert.match(transcript, new RegExp(`^Chat ${first.conversation.chat_id}`));
  assert.match(transcript, /\nLia Agent: Olá Rosa/);

  // The other one goes to a group: waiting again, for the specialists.
  await panel2.getByTestId('chat-transfer-to').selectOption({ label: 'Especialistas' });
  await panel2.getByTestId('chat-transfer').click();
  await panel2.getByTestId('chat-status').getByText('Waiting').waitFor();
  const moved = (await tito.get(`/api/v1/conversations/${second.conversation.id}`)).json;
  assert.equal(moved.group_id, groupId);
  assert.equal(moved.status, 'waiting');
});
