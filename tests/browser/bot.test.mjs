// The chatbot in a real browser (issue 12), on the demo (which applies seed 004's flow): a
// customer whose plan has live chat walks from the first question to a help-center article,
// then to a person in live-chat hours (a live chat in the panel, which an agent answers), and out of them (test clock) to the hour people are
// back and a ticket, which the bot links to. An administrator edits the flow: a refused flow's
// problems by line and node, then applies, and rolls back from the history.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, tokenClient, repoRoot } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const MARIA = { email: 'maria@acme.com.br', password: 'chamado-customer' };  // Acme, Premium (chat), pt-BR
const ADMIN = { email: 'admin@chamado.example', password: 'chamado-admin' };

let server, api;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist, demo: true, extraArgs: ['--test-clock'] });
  server.cli('help', 'import', join(repoRoot, 'tests', 'search', 'eval', 'articles'));
  api = tokenClient(server.url, server.token(ADMIN.email));
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const lastBotText = (page) => page.getByTestId('bot-turn-bot').last().locator('.bot-text').innerText();
const choose = (page, label) => page.getByTestId('bot-option').filter({ hasText: new RegExp(`^${label}$`) }).click();

// Opens the assistant and goes to "not helped": the platform, not invoices, words that find nothing.
async function toNotHelped(page) {
  await page.getByTestId('bot-open').click();
  await page.getByTestId('bot-turn-bot').first().waitFor();
  assert.equal(await lastBotText(page), 'Olá! Sou o assistente do suporte. Como posso ajudar?');
  await choose(page, 'Tenho uma dúvida sobre a plataforma');
  await page.getByText('É sobre faturas ou notas fiscais?').waitFor();
  await choose(page, 'Não');
  await page.getByText('Digite palavras-chave da sua dúvida (por exemplo: abrir projeto).').last().waitFor();
  await page.getByTestId('bot-text').fill('xyzzyqwv');
  await page.getByTestId('bot-send').click();
  await page.getByText('Como prefere seguir?').waitFor();
}

async function expectMessage(id, text) {
  for (let i = 0; i < 50; i += 1) {
    const { messages } = (await api.get(`/api/v1/conversations/${id}`)).json;
    if (messages.some((m) => m.author === 'customer' && m.text === text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`"${text}" never reached conversation ${id}`);
}

test('a customer walks the bot to an article, to a person in hours, and out of hours to a ticket', { timeout: 180_000 }, async (t) => {
  await api.post('/api/v1/test/clock', { set: '2026-11-30T10:00:00-03:00' });  // Monday, live chat open
  const page = await browsers.open();
  await page.goto(`${server.url}/portal`);
  await signIn(page, MARIA, '/portal');

  await t.test('from the first question to a help-center article that helped', async () => {
    await page.getByTestId('bot-open').click();
    await page.getByTestId('bot-panel').waitFor();
    await choose(page, 'Tenho uma dúvida sobre a plataforma');
    await choose(page, 'Não');
    await page.getByText('Digite palavras-chave da sua dúvida (por exemplo: abrir projeto).').waitFor();
    assert.equal(await page.getByTestId('bot-text').getAttribute('placeholder'), 'Algumas palavras sobre sua dúvida');
    await page.getByTestId('bot-text').fill('como cancelar uma nota fiscal');
    await page.getByTestId('bot-send').click();
    const article = page.getByTestId('bot-article').first();
    await article.waitFor();
    assert.match(await article.getAttribute('href'), /^\/help\/pt-BR\/[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/);
    assert.equal(await lastBotText(page), 'Algum destes artigos da Central de Ajuda respondeu à sua dúvida?');
    await choose(page, 'Sim');
    await page.getByTestId('bot-finished').waitFor();
    assert.equal(await lastBotText(page), 'Que bom que ajudou! A Central de Ajuda está disponível 24 horas por dia.');
    assert.equal(await page.getByTestId('bot-text').count(), 0, 'a finished conversation takes no more answers');
    await page.getByTestId('bot-close').click();
  });

  await t.test('in live-chat hours, a person takes over in a live chat that carries the bot\'s turns', async () => {
    await toNotHelped(page);
    await choose(page, 'Falar com uma pessoa');
    await page.getByTestId('bot-live-chat').waitFor();
    assert.equal(await lastBotText(page), 'Vou chamar uma pessoa do nosso time; ela continua esta conversa em instantes.');
    const frame = page.frameLocator('[data-testid=bot-live-chat]');
    await frame.getByTestId('widget-chat-id').getByText(/^CH-/).waitFor();
    const chatId = await frame.getByTestId('widget-chat-id').innerText();
    // The agents' queue has it, waiting, with what Maria told the bot.
    const queued = (await api.get('/api/v1/conversations?status=waiting')).json.items.find((c) => c.chat_id === chatId);
    assert.ok(queued, `${chatId} waits in the agents' queue`);
    assert.equal(queued.contact_email, MARIA.email);
    const seen = (await api.get(`/api/v1/conversations/${queued.id}`)).json;
    assert.ok(seen.messages.some((m) => m.author === 'customer' && m.text === 'xyzzyqwv'), JSON.stringify(seen.messages));
    // An agent answers; Maria reads it in the panel and answers back.
    assert.equal((await api.post(`/api/v1/conversations/${queued.id}/messages`, { text: 'Olá Maria, aqui é o suporte.' })).status, 201);
    await frame.getByTestId('widget-log').getByText('Olá Maria, aqui é o suporte.').waitFor();
    await frame.getByTestId('widget-text').fill('Obrigada!');
    await frame.getByTestId('widget-send').click();
    await expectMessage(queued.id, 'Obrigada!');
    await page.getByTestId('bot-close').click();
  });

  await t.test('out of hours, the bot says when people are back and opens a ticket', async () => {
    await api.post('/api/v1/test/clock', { set: '2026-11-30T12:30:00-03:00' });  // lunch
    await toNotHelped(page);
    await choose(page, 'Falar com uma pessoa');
    await page.getByText(/Voltamos em 30\/11\/2026 13:00 \(America\/Sao_Paulo\)\.$/).waitFor();
    assert.equal(await page.getByTestId('bot-waiting').count(), 0);
    await choose(page, 'Abrir um ticket');
    await page.getByText(/^Descreva sua dúvida em uma mensagem/).waitFor();
    await page.getByTestId('bot-text').fill('O cronograma do projeto 12 não carrega');
    await page.getByTestId('bot-send').click();
    const link = page.getByTestId('bot-ticket-link');
    await link.waitFor();
    const number = Number((await link.innerText()).match(/#(\d+)/)[1]);
    assert.match(await lastBotText(page), new RegExp(`^Abrimos o ticket #${number}\\.`));
    await link.click();
    await page.waitForURL((u) => u.pathname === `/portal/tickets/${number}`);
    await page.getByText('O cronograma do projeto 12 não carrega').first().waitFor();
    const ticket = (await api.get(`/api/v1/tickets/${number}`)).json;
    assert.equal(ticket.category, 'platform_question');
    assert.equal(ticket.requester.email, MARIA.email);
  });
});

test('an administrator edits the flow: problems by line and node, apply, roll back', { timeout: 120_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/admin/bot`);
  await signIn(page, ADMIN, '/agent/admin/bot');
  await page.getByTestId('bot-flow-current').waitFor();
  assert.match(await page.getByTestId('bot-flow-current').innerText(), /1.*Agency management assistant/);
  const source = page.getByTestId('bot-flow-source');
  const original = await source.inputValue();
  await source.fill(original.replace('next = "invoices" }', 'next = "invoice" }'));
  await page.getByTestId('bot-flow-apply').click();
  const error = page.getByTestId('bot-flow-error').first();
  await error.waitFor();
  assert.equal(await error.getAttribute('data-line'), '24');
  assert.match(await error.innerText(), /nodes\.welcome\.options\[0\]\.next.*Unknown node "invoice"/);

  await source.fill(original.replace('Olá! Sou o assistente do suporte.', 'Oi! Sou o assistente.'));
  await page.getByTestId('bot-flow-apply').click();
  await page.getByTestId('bot-flow-applied').waitFor();
  await page.getByTestId('bot-flow-version').nth(1).waitFor();
  assert.equal(await page.getByTestId('bot-flow-version').count(), 2);

  await page.locator('[data-testid="bot-flow-version"][data-version="1"]').getByTestId('bot-flow-rollback').click();
  await page.locator('[data-testid="bot-flow-version"][data-version="3"]').waitFor();
  assert.equal((await api.get('/api/v1/bot/flow')).json.restored_from, 1);
  assert.equal(await source.inputValue(), original);
});
