// Outcomes and the customer's word in the browser, on seed 002's policy (outcomes required,
// surveys on): an agent solves with a resolution and a summary (the composer refuses without a
// resolution and shows what the customer will read), the customer gets the solved mail (a real
// SMTP server) and answers the survey on the public page of its signed link, in Portuguese,
// without signing in; the agent then sees the rating on the ticket and the request on the
// feature-request list.
//
// Needs: web/dist built, /usr/bin/chromium (or CHROMIUM_BIN), the server binary (CHAMADO_BIN),
// python3-aiosmtpd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient, chamadoBin, repoRoot } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';
import { MailSink } from '../lib/smtp.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, admin, agentApi;
const browsers = new Browsers();
const sink = new MailSink();

before(async () => {
  assertBrowserReady();
  await sink.start();
  const data = mkdtempSync(join(tmpdir(), 'chamado-outcomes-'));
  execFileSync(chamadoBin, ['policy', 'apply', '--data', data, join(repoRoot, 'examples', 'policies', '002_marketing_automation.toml')], { stdio: 'pipe' });
  server = await startServer({
    web: dist, extraArgs: ['--test-clock'], data,
    env: { CHAMADO_MAIL_SMTP_URL: sink.url, CHAMADO_MAIL_FROM: 'Suporte <suporte@desk.test>', CHAMADO_MAIL_PUBLIC_URL: 'https://desk.test' },
  });
  await fetch(`${server.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set: '2026-03-02T12:00:00Z' }) });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  admin = tokenClient(server.url, server.token('admin@desk.test'));
  agentApi = tokenClient(server.url, server.token(AGENT.email));
  const org = await admin.post('/api/v1/organizations', { name: 'Loja Azul', language: 'pt-BR' });
  assert.equal(org.status, 201, org.text);
  const contact = await admin.post('/api/v1/contacts', { email: 'ana@lojaazul.com.br', name: 'Ana Lima', language: 'pt-BR', organization_id: org.json.id });
  assert.equal(contact.status, 201, contact.text);
});
after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
  await sink.remove();
});

test('an agent solves with a resolution and a summary; the customer answers the survey on its public page', { timeout: 180_000 }, async () => {
  const opened = await agentApi.post('/api/v1/tickets', { subject: 'Exportar contatos para o Salesforce', description: 'Queremos exportar direto.', requester: { email: 'ana@lojaazul.com.br' } });
  assert.equal(opened.status, 201, opened.text);
  const n = opened.json.number;
  await sink.next('ana@lojaazul.com.br', n);  // the acknowledgement

  // The agent solves from the composer.
  const desk = await browsers.open();
  await desk.goto(`${server.url}/agent/tickets/${n}`);
  await signIn(desk, AGENT, `/agent/tickets/${n}`);
  await desk.getByTestId('composer-body').fill('Registramos o pedido PRD-41 com o time de produto; avisaremos quando entrar no roadmap.');
  await desk.getByTestId('composer-status').selectOption('solved');
  const resolution = desk.getByTestId('composer-resolution');
  assert.equal(await resolution.inputValue(), '', 'the policy requires a choice: nothing is chosen for the agent');
  assert.match(await desk.locator('#composer-hint').innerText(), /summary the customer receives/);
  await desk.getByTestId('composer-submit').click();
  assert.equal(await desk.getByTestId('composer-error').innerText(), 'Choose the resolution the customer is told about before solving.');
  await resolution.selectOption('feature_request');
  assert.equal(await desk.getByTestId('composer-resolution-text').innerText(), 'The customer reads: “We sent your feature request to our product team.”');
  await desk.getByTestId('composer-submit').click();
  await desk.getByTestId('composer-sent').waitFor();
  assert.match(await desk.getByTestId('ticket-status').innerText(), /Solved/);
  const outcome = desk.getByTestId('ticket-outcome');
  await outcome.waitFor();
  assert.match(await outcome.getByTestId('outcome-resolution').innerText(), /Feature request/);
  assert.match(await outcome.getByTestId('outcome-summary').innerText(), /Registramos o pedido PRD-41/);

  // The customer's mail: the resolution in Portuguese, the summary, the signed link.
  const mail = await sink.next('ana@lojaazul.com.br', n);
  assert.match(mail.body, /Enviamos o seu pedido de recurso para a nossa equipe de produto\./);
  assert.match(mail.body, /Registramos o pedido PRD-41/);
  const link = mail.body.match(/https:\/\/desk\.test(\/survey\/\d+\?sig=[A-Za-z0-9_-]+)/);
  assert.ok(link, mail.body);

  // The survey page: no sign-in, in the customer's language.
  const customer = await browsers.open();
  await customer.goto(server.url + link[1]);
  const survey = customer.getByTestId('survey-page');
  await survey.waitFor();
  // The page switches to the customer's language once the survey (which names it) has loaded.
  await customer.waitForFunction(() => document.querySelector('h1')?.textContent === 'Como foi o nosso atendimento?');
  assert.match(await survey.innerText(), /Enviamos o seu pedido de recurso para a nossa equipe de produto\./);
  assert.match(await customer.getByTestId('survey-ticket').innerText(), new RegExp(`#${n}: Exportar contatos para o Salesforce`));
  await customer.getByTestId('survey-submit').click();
  assert.equal(await customer.getByTestId('survey-error').innerText(), 'Escolha uma nota de 1 a 5.');
  await customer.getByTestId('survey-rating-4').click();
  await customer.getByTestId('survey-comment').fill('Rápido e claro.');
  await customer.getByTestId('survey-submit').click();
  await customer.getByTestId('survey-thanks').waitFor();
  assert.equal(await customer.getByTestId('survey-thanks').innerText(), 'Obrigado! Sua resposta foi registrada.');
  assert.match(await customer.getByTestId('survey-answered').innerText(), /Você pode alterar sua resposta até 9 de mar\. de 2026/);
  assert.equal(await customer.getByTestId('survey-submit').innerText(), 'Alterar minha resposta');
  assert.equal(customer.url().includes('/login'), false);

  // A wrong signature shows the refusal, not a form.
  await customer.goto(`${server.url}/survey/${n}?sig=forged`);
  await customer.getByTestId('survey-error').waitFor();
  assert.equal(await customer.getByTestId('survey-form').count(), 0);

  // The agent sees the rating on the ticket, and the request on the product team's list.
  await desk.reload();
  const rated = desk.getByTestId('ticket-survey');
  await rated.waitFor();
  assert.match(await rated.innerText(), /Customer’s rating:/);
  assert.match(await rated.innerText(), /Rápido e claro\./);
  assert.equal(await rated.getByRole('img').getAttribute('aria-label'), '4 of 5');
  await desk.getByTestId('nav-feature-requests').click();
  await desk.waitForURL((u) => u.pathname === '/agent/reports/feature-requests');
  const row = desk.getByTestId('features-row').filter({ hasText: 'Exportar contatos para o Salesforce' });
  await row.waitFor();
  assert.match(await row.innerText(), /Ana Lima/);
  assert.match(await desk.getByTestId('features-group').first().innerText(), /Loja Azul/i);
  assert.match(await desk.getByTestId('features-csv').getAttribute('href'), /format=csv/);
});
