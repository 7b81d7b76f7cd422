// The chat widget on a customer's own site (issue 13), and the agents' console, in two browser
// contexts on seed 004 (its bot flow and its live-chat hours, 09-12 and 13-17 in São Paulo) on
// the test clock. The host page, served from another origin, carries one <script> tag with
// the customer's identity signed by the host with the organization's chat secret. In hours: the
// chat id shown, the bot first, the hand-off, the conversation both ways, the conversion to a
// ticket, files both ways (the widget's paperclip, the console's picker) carried into the ticket.
// At lunch time: the bot says when people are back and offers a ticket. A customer who ends the
// chat before anybody answered finds it became a ticket, and can start a new one.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, repoRoot, chamadoBin } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };
let server, admin, host, hostUrl, orgId, secret;
const browsers = new Browsers();

// The host site: a product page with the widget's tag, the identity signed as docs/chat.md says.
function identity(email, expires = Math.floor(Date.parse('2026-12-31T00:00:00Z') / 1000)) {
  const data = `${orgId}:${expires}:${email}`;
  return `${data}:${createHmac('sha256', secret).update(data).digest('base64url')}`;
}

before(async () => {
  assertBrowserReady();
  const data = mkdtempSync(join(tmpdir(), 'chamado-widget-'));
  execFileSync(chamadoBin, ['policy', 'apply', join(repoRoot, 'examples', 'policies', '004_agency_management.toml'), '--data', data]);
  execFileSync(chamadoBin, ['bot', 'apply', join(repoRoot, 'examples', 'bots', '004_agency_management.toml'), '--data', data]);
  server = await startServer({ web: dist, data, extraArgs: ['--test-clock'] });
  server.addUser('admin', 'ana@desk.test', 'admin-pass-1');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('customer', 'rosa@agencia.test', 'customer-pass-1', ['--organization', 'Agência Rosa', '--name', 'Rosa']);
  server.addUser('customer', 'tito@agencia.test', 'customer-pass-2', ['--organization', 'Agência Rosa', '--name', 'Tito']);
  admin = tokenClient(server.url, server.token('ana@desk.test'));
  orgId = (await admin.get('/api/v1/organizations?q=Rosa')).json.items[0].id;
  assert.equal((await admin.patch(`/api/v1/organizations/${orgId}`, { plan: 'standard', time_zone: 'America/Sao_Paulo' })).status, 200);
  for (const email of ['rosa@agencia.test', 'tito@agencia.test']) {
    const contact = (await admin.get(`/api/v1/contacts?q=${encodeURIComponent(email)}`)).json.items[0];
    assert.equal((await admin.patch(`/api/v1/contacts/${contact.id}`, { time_zone: 'America/Sao_Paulo' })).status, 200);
  }
  const rotated = await admin.post(`/api/v1/organizations/${orgId}/chat-secret`);
  assert.equal(rotated.status, 201, rotated.text);
  secret = rotated.json.secret;
  host = createServer((req, res) => {
    const who = new URL(req.url, 'http://host').searchParams.get('who');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Agency app</title><h1>Projects</h1>
<script src="${server.url}/widget.js" data-language="pt-BR" data-identity="${identity(who)}" async></script>`);
  });
  await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://localhost:${host.address().port}`;  // another origin than the desk's 127.0.0.1
});

after(async () => {
  await browsers.closeAll();
  host?.close();
  if (server) await server.stop();
});

async function openWidget(who) {
  const page = await browsers.open();
  await page.goto(`${hostUrl}/?who=${encodeURIComponent(who)}`);
  await page.locator('[data-chamado=chat-button]').click();
  const frame = page.frameLocator('[data-chamado=chat-frame]');
  await frame.getByTestId('widget-chat-id').getByText(/^CH-[2-9A-HJKMNP-Z]{8}$/).waitFor();
  return { page, frame };
}

const option = (frame, label) => frame.getByTestId('widget-options').getByRole('button', { name: label }).click();
async function say(frame, text) {
  await frame.getByTestId('widget-text').fill(text);
  await frame.getByTestId('widget-send').click();
}

test('in hours: the bot, the hand-off, a conversation with an agent, and its ticket', { timeout: 180_000 }, async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-11-30T10:00:00-03:00' });
  const { page: customer, frame } = await openWidget('rosa@agencia.test');
  const chatId = await frame.getByTestId('widget-chat-id').innerText();
  const log = frame.getByTestId('widget-log');
  await log.getByText('Sou o assistente do suporte', { exact: false }).first().waitFor();
  await option(frame, 'Tenho uma dúvida sobre a plataforma');
  await say(frame, 'Não');
  await say(frame, 'xyzzyqwv');
  await option(frame, 'Falar com uma pessoa');
  await log.getByText('Vou chamar uma pessoa do nosso time', { exact: false }).waitFor();

  const agent = await browsers.open();
  await agent.goto(`${server.url}/agent/chats`);
  await signIn(agent, AGENT, '/agent/chats');
  await agent.getByTestId(`chat-row-${chatId}`).getByTestId('chat-accept').click();
  const panel = agent.getByTestId(`chat-panel-${chatId}`);
  await panel.getByText('Falar com uma pessoa').waitFor();
  await panel.getByTestId('chat-reply').fill('Olá Rosa! Em que posso ajudar?');
  await panel.getByTestId('chat-send').click();
  await log.getByText('Olá Rosa! Em que posso ajudar?').waitFor();
  await log.getByText('Lia Agent entrou na conversa.').waitFor();

  await frame.getByTestId('widget-text').pressSequentially('O relatório');
  await panel.getByTestId('chat-typing').waitFor();
  await frame.getByTestId('widget-text').fill('O relatório de horas não abre');
  await frame.getByTestId('widget-send').click();
  await panel.getByText('O relatório de horas não abre').waitFor();

  // Files both ways: the widget's paperclip, the console's picker; each side sees the other's.
  await frame.getByTestId('widget-file').setInputFiles({ name: 'erro.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
  await panel.getByTestId('attachment-link').filter({ hasText: 'erro.png' }).waitFor();
  await panel.getByTestId('chat-files').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from('{"retries": 10}') });
  await panel.getByTestId('chat-reply').fill('Use esta configuração.');
  await panel.getByTestId('chat-send').click();
  const link = log.getByTestId('widget-file-link').filter({ hasText: 'config.json' });
  await link.waitFor();
  const [download] = await Promise.all([customer.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'config.json');
  // Too many files: refused, said in the widget's language, nothing sent.
  await frame.getByTestId('widget-file').setInputFiles(Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`${i}`) })));
  assert.equal(await frame.getByTestId('widget-file-error').innerText(), 'No máximo 20 arquivos por mensagem.');

  await panel.getByTestId('chat-convert').click();
  await panel.getByTestId('chat-ticket').waitFor();
  await log.getByText(/Esta conversa continua como o ticket #\d+\./).waitFor();
  const number = Number((await panel.getByTestId('chat-ticket').innerText()).match(/\d+/)[0]);
  const ticket = (await admin.get(`/api/v1/tickets/${number}`)).json;
  assert.equal(ticket.requester.email, 'rosa@agencia.test');
  const transcript = (await admin.get(`/api/v1/tickets/${number}/messages`)).json.items[0].body;
  assert.match(transcript, new RegExp(`^Chat ${chatId}\n`));
  assert.match(transcript, /Assistente: Olá! Sou o assistente do suporte/);
  assert.match(transcript, /Cliente: O relatório de horas não abre/);
  const files = (await admin.get(`/api/v1/tickets/${number}/messages`)).json.items[0].attachments;
  assert.deepEqual(files.map((a) => a.filename), ['erro.png', 'config.json']);

  // The signed-in customer asks for the transcript by mail, from the widget.
  await frame.getByTestId('widget-transcript').click();
  assert.equal(await frame.getByTestId('widget-transcript-sent').innerText(), 'A transcrição está a caminho de rosa@agencia.test.');
  const queued = (await admin.get('/api/v1/outbox?limit=200')).json.items.filter((n) => n.event === 'mail.conversation_transcript');
  assert.deepEqual(queued.map((n) => n.recipient), ['rosa@agencia.test']);
});

test('at lunch time the bot says when people are back and offers a ticket', { timeout: 180_000 }, async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-11-30T12:30:00-03:00' });
  const { frame } = await openWidget('tito@agencia.test');
  const log = frame.getByTestId('widget-log');
  await option(frame, 'Tenho uma dúvida sobre a plataforma');
  await say(frame, 'Não');
  await say(frame, 'xyzzyqwv');
  await option(frame, 'Falar com uma pessoa');
  await log.getByText('30/11/2026 13:00', { exact: false }).waitFor();
  await frame.getByTestId('widget-options').getByRole('button', { name: 'Abrir um ticket' }).waitFor();
  const waiting = (await admin.get('/api/v1/conversations?status=waiting')).json.items;
  assert.equal(waiting.length, 0, 'nobody is asked out of hours');
});

test('a customer who ends the chat before anybody answered finds it became a ticket, and can start anew', { timeout: 180_000 }, async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-11-30T15:00:00-03:00' });
  const { frame } = await openWidget('tito@agencia.test');
  const chatId = await frame.getByTestId('widget-chat-id').innerText();
  const log = frame.getByTestId('widget-log');
  await option(frame, 'Tenho uma dúvida sobre a plataforma');
  await say(frame, 'Não');
  await say(frame, 'A exportação de projetos trava');
  await option(frame, 'Falar com uma pessoa');
  await log.getByText('Vou chamar uma pessoa do nosso time', { exact: false }).waitFor();
  await frame.getByRole('button', { name: 'Encerrar' }).click();
  const notice = log.getByText(/Ninguém conseguiu responder antes de você sair; sua pergunta virou o ticket #\d+/);
  await notice.waitFor();
  const number = Number((await notice.innerText()).match(/#(\d+)/)[1]);
  const ticket = (await admin.get(`/api/v1/tickets/${number}`)).json;
  assert.equal(ticket.requester.email, 'tito@agencia.test');
  const transcript = (await admin.get(`/api/v1/tickets/${number}/messages`)).json.items[0].body;
  assert.match(transcript, new RegExp(`^Chat ${chatId}\n`));
  assert.match(transcript, /Cliente: A exportação de projetos trava/);
  // Over: no text box; the same button starts a new conversation, with a new chat id.
  await frame.getByTestId('widget-text').waitFor({ state: 'hidden' });
  await frame.getByRole('button', { name: 'Nova conversa' }).click();
  await frame.getByTestId('widget-chat-id').getByText(/^CH-/).waitFor();
  await frame.getByTestId('widget-text').waitFor();
  assert.notEqual(await frame.getByTestId('widget-chat-id').innerText(), chatId);
});

test('a forged identity is refused', async () => {
  const forged = `${orgId}:1893456000:rosa@agencia.test:${createHmac('sha256', 'not-the-secret').update(`${orgId}:1893456000:rosa@agencia.test`).digest('base64url')}`;
  const r = await fetch(`${server.url}/api/v1/conversations`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: forged }),
  });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).errors[0].field, 'identity');
});
