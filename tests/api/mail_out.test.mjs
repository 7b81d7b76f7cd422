// Mail out, end to end: the server sends through a real SMTP server on 127.0.0.1 (Debian's
// python3-aiosmtpd, writing a Maildir), and we read what arrived. Replies to what arrived come
// back through `chamado mailgate` and thread into the same ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chamadoBin, repoRoot, startServer, tokenClient } from '../lib/server.mjs';
import { MailSink } from '../lib/smtp.mjs';

let s, admin, agent, adminToken;
const sink = new MailSink(async () => `outbox: ${JSON.stringify((await admin.get('/api/v1/outbox')).json.items.slice(0, 3))}`);
const nextMail = (to, ticket, timeoutMs) => sink.next(to, ticket, timeoutMs);

before(async () => {
  await sink.start();
  s = await startServer({
    extraArgs: ['--test-clock'],
    env: {
      CHAMADO_MAIL_SMTP_URL: sink.url,
      CHAMADO_MAIL_FROM: 'Acme Suporte <suporte@desk.test>',
      CHAMADO_MAIL_DESK_NAME: 'Acme Suporte',
      CHAMADO_MAIL_HOSTNAME: 'desk.test',
      CHAMADO_MAIL_PUBLIC_URL: 'https://desk.test',
    },
  });
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test', 'password-123', ['--name', 'Alice Agent']);
  // Seed 003: first response within 12 h around the clock (a warning an hour before), resolution
  // in business days by priority, breaches notify the assignee and the group.
  s.cli('policy', 'apply', join(repoRoot, 'examples', 'policies', '003_survey_saas.toml'));
  adminToken = s.token('admin@desk.test');
  admin = tokenClient(s.url, adminToken);
  agent = tokenClient(s.url, s.token('agent@desk.test'));
  const org = await admin.post('/api/v1/organizations', { name: 'Cliente SA', domains: ['cliente.com.br'], language: 'pt-BR', time_zone: 'America/Sao_Paulo' });
  assert.equal(org.status, 201, org.text);
});
after(async () => {
  await s?.stop();
  await sink.remove();
});

function mailgate(raw) {
  const r = spawnSync(chamadoBin, ['mailgate', '--url', s.url, '--token', adminToken], { input: raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a customer is acknowledged, answered and threaded, in their language', async () => {
  const raw = ['From: Joana Souza <joana@cliente.com.br>', 'To: suporte@desk.test', 'Subject: Erro ao emitir nota fiscal',
    'Message-ID: <first@cliente.com.br>', 'Content-Type: text/plain; charset=utf-8', '', 'Não consigo emitir a nota.', ''].join('\r\n');
  const opened = mailgate(raw);
  const n = opened.ticket;

  // The acknowledgement: in Portuguese, numbered, threaded under the customer's mail, automatic.
  const ack = await nextMail('joana@cliente.com.br');
  assert.match(ack.subject, new RegExp(`^\\[#${n}\\] `));
  assert.match(ack.body, new RegExp(`${n}`));
  assert.equal(ack.headers['in-reply-to'], '<first@cliente.com.br>');
  assert.match(ack.headers['message-id'], new RegExp(`^<chamado\\.${n}\\.\\d+\\.[0-9a-z]+@desk\\.test>$`));
  assert.equal(ack.headers['auto-submitted'], 'auto-generated');
  assert.match(ack.headers.from, /suporte@desk\.test/);

  // The first response carries the reply, the priority and the expected resolution.
  const reply = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Olá Joana, já estamos verificando.' });
  assert.equal(reply.status, 201, reply.text);
  const first = await nextMail('joana@cliente.com.br');
  assert.match(first.subject, new RegExp(`^\\[#${n}\\] `));
  assert.match(first.body, /já estamos verificando/);
  const t = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.match(first.body, new RegExp(t.priority));
  assert.match(first.body, /uma funcionalidade se comporta/, 'the priority described in Portuguese');
  assert.match(first.body, /\(America\/Sao_Paulo\)/, 'the expected resolution in the customer\'s time zone');
  assert.equal(first.headers['auto-submitted'], undefined, 'an agent\'s reply is not automatic');
  assert.match(first.headers.references, /<first@cliente\.com\.br>/);

  // The customer answers that mail from their client: it joins the ticket.
  const answer = ['From: joana@cliente.com.br', 'To: suporte@desk.test', `Subject: Re: ${first.headers.subject}`,
    'Message-ID: <second@cliente.com.br>', `In-Reply-To: ${first.headers['message-id']}`, `References: <first@cliente.com.br> ${first.headers['message-id']}`,
    'Content-Type: text/plain; charset=utf-8', '', 'Obrigada! Fico no aguardo.', ''].join('\r\n');
  const back = mailgate(answer);
  assert.equal(back.outcome, 'appended');
  assert.equal(back.ticket, n);

  // Solving it sends the resolution summary.
  const solved = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Corrigimos o cadastro fiscal.', status: 'solved', resolution: 'fixed' });
  assert.equal(solved.status, 201, solved.text);
  const summary = await nextMail('joana@cliente.com.br');
  assert.match(summary.body, /Corrigimos o cadastro fiscal/);
  assert.match(summary.body, /Corrigido/);
});

test('agents are told when a ticket is assigned to them', async () => {
  const raw = ['From: pedro@cliente.com.br', 'To: suporte@desk.test', 'Subject: Acesso bloqueado', 'Message-ID: <p1@cliente.com.br>', '', 'Não entro.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  await nextMail('pedro@cliente.com.br');
  const agents = (await admin.get('/api/v1/agents')).json.items;
  const alice = agents.find((a) => a.email === 'agent@desk.test');
  const r = await admin.patch(`/api/v1/tickets/${n}`, { assignee_id: alice.id });
  assert.equal(r.status, 200, r.text);
  const note = await nextMail('agent@desk.test');
  assert.match(note.subject, new RegExp(`^\\[#${n}\\] `));
  assert.match(note.body, /pedro@cliente\.com\.br/);
  assert.match(note.body, new RegExp(`https://desk\\.test/agent/tickets/${n}`));
});

test('auto-replies get no answer: no mail loops', async () => {
  const raw = ['From: ferias@cliente.com.br', 'To: suporte@desk.test', 'Subject: Ausente', 'Message-ID: <ooo@cliente.com.br>', 'Auto-Submitted: auto-replied', '', 'Estou de férias.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  const outbox = (await admin.get(`/api/v1/outbox?ticket_number=${n}`)).json.items;
  assert.deepEqual(outbox, []);
});

test('nothing is lost while the smart host is down', async () => {
  await sink.stop();
  const raw = ['From: maria@cliente.com.br', 'To: suporte@desk.test', 'Subject: Sem conexão', 'Message-ID: <down@cliente.com.br>', '', 'Caiu.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  let row;
  for (let i = 0; i < 100; i++) {
    row = (await admin.get(`/api/v1/outbox?ticket_number=${n}`)).json.items[0];
    if (row?.attempts > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(row.sent_at, null);
  assert.ok(row.attempts >= 1);
  assert.match(row.last_error, /connect/i);
  await sink.start();
  // The next attempt is a minute later (exponential backoff): move the test clock past it.
  const moved = await fetch(`${s.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advance":"2m"}' });
  assert.equal(moved.status, 200);
  const ack = await nextMail('maria@cliente.com.br');
  assert.match(ack.subject, new RegExp(`^\\[#${n}\\] `));
  row = (await admin.get(`/api/v1/outbox?ticket_number=${n}`)).json.items[0];
  assert.ok(row.sent_at);
});

test('a reply\'s files travel with its mail', async () => {
  const raw = ['From: lia@cliente.com.br', 'To: suporte@desk.test', 'Subject: Preciso do log', 'Message-ID: <files@cliente.com.br>', '', 'Podem mandar?', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  await nextMail('lia@cliente.com.br');
  const form = new FormData();
  form.set('kind', 'public_reply');
  form.set('body', 'Segue o relatório.');
  form.set('file', new Blob(['linha 1\nlinha 2\n'], { type: 'text/plain' }), 'relatório.txt');
  const r = await agent.post(`/api/v1/tickets/${n}/messages`, form);
  assert.equal(r.status, 201, r.text);
  const m = await nextMail('lia@cliente.com.br');
  assert.match(m.headers['content-type'], /^multipart\/mixed/);
  assert.match(m.raw, /filename\*=[\w-]+''relat(%C3%B3|%F3)rio\.txt/);
  assert.ok(m.raw.includes(Buffer.from('linha 1\nlinha 2\n').toString('base64')), m.raw);
  assert.match(m.raw, /Segue o relat=C3=B3rio/, 'the text is quoted-printable: 7-bit clean');
});

test('waiting, on hold, SLA warnings and breaches reach the right people, each in their words', async () => {
  const raw = ['From: rui@cliente.com.br', 'To: suporte@desk.test', 'Subject: Campanha parada', 'Message-ID: <sla@cliente.com.br>', '', 'A campanha parou.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  await nextMail('rui@cliente.com.br');
  const alice = (await admin.get('/api/v1/agents')).json.items.find((a) => a.email === 'agent@desk.test');
  assert.equal((await admin.patch(`/api/v1/tickets/${n}`, { assignee_id: alice.id })).status, 200);
  await nextMail('agent@desk.test', n);

  // The warning an hour before the first response is due (12 h), then the breach, to the assignee.
  const clock = (advance) => fetch(`${s.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });
  assert.equal((await clock('11h30m')).status, 200);
  const warning = await nextMail('agent@desk.test', n);
  assert.match(warning.subject, new RegExp(`^\\[#${n}\\] `));
  assert.match(warning.body, /first response/);
  assert.equal(warning.headers['auto-submitted'], 'auto-generated');
  assert.equal((await clock('1h')).status, 200);
  const breach = await nextMail('agent@desk.test', n);
  assert.match(breach.body, /first response/);
  assert.match(breach.body, new RegExp(`/agent/tickets/${n}`));

  // Asking the customer for more: the request waits for them, and they are told so.
  const ask = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Qual o ID da campanha?', status: 'pending_customer' });
  assert.equal(ask.status, 201, ask.text);
  const info = await nextMail('rui@cliente.com.br');
  assert.match(info.body, /Qual o ID da campanha\?/);
  // On hold without a reply: a short status mail, in Portuguese.
  assert.equal((await agent.patch(`/api/v1/tickets/${n}`, { status: 'on_hold' })).status, 200);
  const held = await nextMail('rui@cliente.com.br');
  assert.match(held.body, /Em espera/);
});

test('the auto-close reminds, then closes, in the customer\'s language, as automatic mail', async () => {
  // Seed 003's policy with an auto-close: 48 h waiting, a reminder a day before.
  const current = (await admin.get('/api/v1/policy')).json;
  const source = `${current.source}\n[automations.auto_close]\nafter = "48h"\nreminder_before = "24h"\n`;
  const applied = await admin.request('PUT', '/api/v1/policy', { source });
  assert.equal(applied.status, 200, applied.text);
  assert.equal(applied.json.automations.auto_close.after, '48h');
  assert.equal(applied.json.automations.auto_close.reminder_before_minutes, 1440);

  const raw = ['From: lia@cliente.com.br', 'To: suporte@desk.test', 'Subject: Relatório vazio', 'Message-ID: <auto@cliente.com.br>', '', 'O relatório veio vazio.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  await nextMail('lia@cliente.com.br', n);
  const ask = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'De qual período?', status: 'pending_customer' });
  assert.equal(ask.status, 201, ask.text);
  await nextMail('lia@cliente.com.br', n);

  const clock = (advance) => fetch(`${s.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });
  assert.equal((await clock('24h')).status, 200);
  const reminder = await nextMail('lia@cliente.com.br', n);
  assert.match(reminder.subject, new RegExp(`^\\[#${n}\\] Aguardando sua resposta: Relatório vazio`));
  assert.match(reminder.body, /será encerrada automaticamente em \d\d\/\d\d\/\d{4} \d\d:\d\d \(America\/Sao_Paulo\)/);
  assert.equal(reminder.headers['auto-submitted'], 'auto-generated');

  assert.equal((await clock('24h')).status, 200);
  const closed = await nextMail('lia@cliente.com.br', n);
  assert.match(closed.subject, new RegExp(`^\\[#${n}\\] Encerrada sem resposta: Relatório vazio`));
  assert.match(closed.body, /aguardou sua resposta por 48h sem retorno/);
  assert.equal(closed.headers['auto-submitted'], 'auto-generated');
  const t = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.equal(t.status, 'closed');
  assert.equal(t.resolution, 'answered');
});

test('a policy rule mails the customer its own words in their language, and notifies the team', async () => {
  // A rule of the policy: a customer message unanswered for 2 hours; the agent hears of it and
  // the customer gets the rule's own text, in Portuguese (their organization's language).
  const current = (await admin.get('/api/v1/policy')).json;
  const rule = [
    '[[automations.rules]]',
    'name = "unanswered-2h"',
    'on = "time"',
    'since = "customer_reply"',
    'after = "2h"',
    'when = { status = ["new", "open"] }',
    'notify = "agent@desk.test"',
    'mail.subject = { en = "We have your message", pt-BR = "Recebemos sua mensagem" }',
    'mail.body = { en = "Hello {{{recipient.name}}}, #{{{ticket.number}}} is with us.", pt-BR = "Olá, {{{recipient.name}}}: o chamado #{{{ticket.number}}} está conosco. {{{ticket.url}}}" }',
  ].join('\n');
  const applied = await admin.request('PUT', '/api/v1/policy', { source: `${current.source}\n${rule}\n` });
  assert.equal(applied.status, 200, applied.text);
  assert.equal(applied.json.automations.rules.length, 1);
  assert.equal(applied.json.automations.rules[0].after_minutes, 120);

  const raw = ['From: Rui <rui@cliente.com.br>', 'To: suporte@desk.test', 'Subject: Exportação falha', 'Message-ID: <rule@cliente.com.br>', '', 'A exportação falha.', ''].join('\r\n');
  const n = mailgate(raw).ticket;
  await nextMail('rui@cliente.com.br', n);  // the acknowledgement

  const clock = (advance) => fetch(`${s.url}/api/v1/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });
  assert.equal((await clock('2h')).status, 200);
  const customer = await nextMail('rui@cliente.com.br', n);
  assert.match(customer.subject, new RegExp(`^\\[#${n}\\] Recebemos sua mensagem$`));
  assert.match(customer.body, new RegExp(`o chamado #${n} está conosco\\. https://desk\\.test/portal/tickets/${n}`));
  assert.equal(customer.headers['auto-submitted'], 'auto-generated');
  const notice = await nextMail('agent@desk.test', n);
  assert.match(notice.subject, new RegExp(`^\\[#${n}\\] Rule "unanswered-2h": Exportação falha`));
  assert.match(notice.body, new RegExp(`https://desk\\.test/agent/tickets/${n}`));

  const history = (await agent.get(`/api/v1/tickets/${n}/events`)).json.items;
  const fired = history.filter((e) => e.kind === 'automation.fired');
  assert.equal(fired.length, 1);
  assert.deepEqual(fired[0].changes.find((c) => c.field === 'rule'), { field: 'rule', before: null, after: 'unanswered-2h' });
  // Once per unanswered message: more time adds nothing.
  assert.equal((await clock('6h')).status, 200);
  const again = (await agent.get(`/api/v1/tickets/${n}/events`)).json.items.filter((e) => e.kind === 'automation.fired');
  assert.equal(again.length, 1);
});
