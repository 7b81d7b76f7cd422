// Outcomes and the customer's word (issue 11), end to end on seed 002's policy: solving takes a
// resolution and a summary when the policy requires it, the customer's mail carries the
// resolution's text in their language and a signed survey link, the survey answers through
// that link without signing in (changeable for 7 days, on the test clock), and feature
// requests become the product team's list (JSON by organization, CSV).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sessionClient, startServer, tokenClient } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';
import { MailSink } from '../lib/smtp.mjs';

let s, admin, agent;
const sink = new MailSink(async () => `outbox: ${JSON.stringify((await admin.get('/api/v1/outbox')).json.items.slice(0, 3))}`);
const policy002 = readFileSync(join(repoRoot, 'examples', 'policies', '002_marketing_automation.toml'), 'utf8');
const orgs = {};

before(async () => {
  await sink.start();
  s = await startServer({
    extraArgs: ['--test-clock'],
    env: { CHAMADO_MAIL_SMTP_URL: sink.url, CHAMADO_MAIL_FROM: 'Suporte <suporte@desk.test>', CHAMADO_MAIL_PUBLIC_URL: 'https://desk.test' },
  });
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test', 'password-123', ['--name', 'Alice Agent']);
  admin = tokenClient(s.url, s.token('admin@desk.test'));
  agent = tokenClient(s.url, s.token('agent@desk.test'));
  await admin.post('/api/v1/test/clock', { set: '2026-03-02T12:00:00Z' });
  const applied = await admin.request('PUT', '/api/v1/policy', { source: policy002 });
  assert.equal(applied.status, 200, applied.text);
  for (const [name, language] of [['Loja Azul', 'pt-BR'], ['Acme GmbH', 'de']]) {
    const org = await admin.post('/api/v1/organizations', { name, language });
    assert.equal(org.status, 201, org.text);
    orgs[name] = org.json.id;
  }
  for (const [email, name, org, language] of [
    ['ana@lojaazul.com.br', 'Ana Lima', 'Loja Azul', 'pt-BR'],
    ['bruno@lojaazul.com.br', 'Bruno Reis', 'Loja Azul', 'pt-BR'],
    ['jonas@acme.de', 'Jonas Weber', 'Acme GmbH', 'de'],
  ]) {
    const c = await admin.post('/api/v1/contacts', { email, name, language, organization_id: orgs[org], password: 'password-123' });
    assert.equal(c.status, 201, c.text);
  }
});
after(async () => {
  await s?.stop();
  await sink.remove();
});

async function openTicket(email, subject) {
  const r = await agent.post('/api/v1/tickets', { subject, description: `${subject}: details.`, requester: { email } });
  assert.equal(r.status, 201, r.text);
  await sink.next(email, r.json.number);  // the acknowledgement
  return r.json.number;
}

async function solve(n, resolution, body) {
  const r = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body, status: 'solved', resolution });
  assert.equal(r.status, 201, r.text);
  return r.json.ticket;
}

function surveyLink(mail) {
  const m = mail.body.match(/https:\/\/desk\.test(\/survey\/(\d+)\?sig=([A-Za-z0-9_-]+))/);
  assert.ok(m, `no survey link in:\n${mail.body}`);
  return { path: m[1], number: Number(m[2]), sig: m[3] };
}

test('solving without a resolution or a summary is refused, naming the field, when the policy requires them', async () => {
  const n = await openTicket('ana@lojaazul.com.br', 'Relatório não exporta');
  const noResolution = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Resolvido.', status: 'solved' });
  assert.equal(noResolution.status, 400, noResolution.text);
  assert.deepEqual(noResolution.json.errors.map((e) => e.field), ['resolution']);
  assert.match(noResolution.json.detail, /Solving needs a resolution.*fixed, answered, works_as_expected, feature_request, cannot_reproduce, third_party, unsupported/);
  const noSummary = await agent.patch(`/api/v1/tickets/${n}`, { status: 'solved', resolution: 'fixed' });
  assert.equal(noSummary.status, 400, noSummary.text);
  assert.deepEqual(noSummary.json.errors.map((e) => e.field), ['resolution_summary']);
  const note = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'internal_note', body: 'Fixed it.', status: 'solved', resolution: 'fixed' });
  assert.equal(note.status, 400, 'an internal note is no summary for the customer');
  assert.deepEqual(note.json.errors.map((e) => e.field), ['resolution_summary']);
  // Nothing was solved by the refusals.
  assert.equal((await agent.get(`/api/v1/tickets/${n}`)).json.status, 'new');

  const solved = await agent.patch(`/api/v1/tickets/${n}`, { status: 'solved', resolution: 'fixed', resolution_summary: 'Corrigimos a exportação em CSV.' });
  assert.equal(solved.status, 200, solved.text);
  assertDocumented('PATCH', '/api/v1/tickets/{number}', solved);
  assert.equal(solved.json.resolution, 'fixed');
  assert.equal(solved.json.resolution_summary, 'Corrigimos a exportação em CSV.');
  assert.equal(solved.json.resolution_text, 'We fixed the problem; everything should work normally again.');
  const mail = await sink.next('ana@lojaazul.com.br', n);
  assert.match(mail.body, /Corrigimos o problema; tudo deve voltar a funcionar normalmente\./);
  assert.match(mail.body, /Resumo:\n\nCorrigimos a exportação em CSV\./);
});

test('the customer mail carries the resolution text in their language, the summary and a survey link', async () => {
  const n = await openTicket('jonas@acme.de', 'Export nach Salesforce');
  const t = await solve(n, 'feature_request', 'Wir haben den Export als Wunsch PRD-41 an das Produktteam gegeben.');
  assert.equal(t.resolution_summary, 'Wir haben den Export als Wunsch PRD-41 an das Produktteam gegeben.');
  const mail = await sink.next('jonas@acme.de', n);
  assert.match(mail.body, /Lösung: Verbesserungsvorschlag\n/);
  assert.match(mail.body, /Wir haben Ihren Funktionswunsch an unser Produktteam weitergegeben\./);
  assert.match(mail.body, /Wir haben den Export als Wunsch PRD-41/);
  assert.match(mail.body, /Wie zufrieden waren Sie\?/);
  const link = surveyLink(mail);
  assert.equal(link.number, n);

  // The portal shows the customer the same words.
  const jonas = await sessionClient(s.url, 'jonas@acme.de', 'password-123');
  const seen = await jonas.get(`/api/v1/tickets/${n}`);
  assert.equal(seen.json.resolution_text, 'Wir haben Ihren Funktionswunsch an unser Produktteam weitergegeben.');
  assert.equal(seen.json.survey, null);
});

test('the survey link answers without signing in, can change for 7 days, and refuses bad signatures', async () => {
  await admin.post('/api/v1/test/clock', { set: '2026-03-10T09:00:00Z' });
  const n = await openTicket('bruno@lojaazul.com.br', 'Dúvida sobre limites');
  await solve(n, 'answered', 'O limite é de 10 mil contatos por lista.');
  const link = surveyLink(await sink.next('bruno@lojaazul.com.br', n));
  // No credentials at all: the link is the credential.
  const plain = (method, path, body) => fetch(s.url + path, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  }).then(async (r) => ({ status: r.status, text: await r.clone().text(), json: await r.json().catch(() => null) }));

  const forged = link.sig.slice(0, -2) + (link.sig.endsWith('AA') ? 'BB' : 'AA');
  for (const bad of [`/api/v1/surveys/${n}?sig=${forged}`, `/api/v1/surveys/${n}`, `/api/v1/surveys/${n + 1}?sig=${link.sig}`]) {
    const r = await plain('GET', bad);
    assert.equal(r.status, 404, `${bad}: ${r.text}`);
    assertDocumented('GET', '/api/v1/surveys/{number}', r);
    assert.equal((await plain('PUT', bad, { rating: 5 })).status, 404, bad);
  }

  const opened = await plain('GET', `/api/v1${link.path.replace('/survey/', '/surveys/')}`);
  assert.equal(opened.status, 200, opened.text);
  assertDocumented('GET', '/api/v1/surveys/{number}', opened);
  assert.equal(opened.json.language, 'pt-BR');
  assert.equal(opened.json.ticket.resolution_text, 'Respondemos à sua pergunta.');
  assert.equal(opened.json.answer, null);
  assert.equal(opened.json.open, true);

  const path = `/api/v1/surveys/${n}?sig=${link.sig}`;
  const zero = await plain('PUT', path, { rating: 0 });
  assert.equal(zero.status, 400);
  assert.deepEqual(zero.json.errors.map((e) => e.field), ['rating']);

  const first = await plain('PUT', path, { rating: 3, comment: 'Demorou, mas resolveu.' });
  assert.equal(first.status, 200, first.text);
  assertDocumented('PUT', '/api/v1/surveys/{number}', first);
  assert.equal(first.json.answer.rating, 3);
  assert.equal(first.json.answer.answered_at, '2026-03-10T09:00:00Z');
  assert.equal(first.json.answer.changeable_until, '2026-03-17T09:00:00Z');

  await admin.post('/api/v1/test/clock', { advance: '2d' });
  const changed = await plain('PUT', path, { rating: 5, comment: 'Na verdade, ótimo atendimento.' });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.answer.rating, 5);
  assert.equal(changed.json.answer.answered_at, '2026-03-10T09:00:00Z', 'a change keeps when it was first given');

  // The contact's page lists it in their satisfaction history (agents only).
  const bruno = (await agent.get('/api/v1/contacts?q=bruno')).json.items[0];
  const history = await agent.get(`/api/v1/contacts/${bruno.id}/surveys`);
  assertDocumented('GET', '/api/v1/contacts/{id}/surveys', history);
  const mine = history.json.items.find((i) => i.ticket === n);
  assert.deepEqual([mine?.rating, mine?.comment, mine?.subject], [5, 'Na verdade, ótimo atendimento.', 'Dúvida sobre limites']);
  const ratings = history.json.items.map((i) => i.rating);
  assert.equal(history.json.mean_rating, ratings.reduce((a, b) => a + b, 0) / ratings.length);
  const agentId = (await agent.get('/api/v1/session')).json.user.id;
  assert.equal((await agent.get(`/api/v1/contacts/${agentId}/surveys`)).status, 404, 'an agent is no contact');
  const asCustomer = tokenClient(s.url, s.token('bruno@lojaazul.com.br'));
  assert.equal((await asCustomer.get(`/api/v1/contacts/${bruno.id}/surveys`)).status, 403);

  // The agent sees it on the ticket, and the history records it.
  const t = await agent.get(`/api/v1/tickets/${n}`);
  assert.equal(t.json.survey.rating, 5);
  assert.equal(t.json.survey.comment, 'Na verdade, ótimo atendimento.');
  const events = (await agent.get(`/api/v1/tickets/${n}/events`)).json.items;
  assert.ok(events.some((e) => e.kind === 'survey.answered'), JSON.stringify(events.map((e) => e.kind)));

  await admin.post('/api/v1/test/clock', { advance: '5d1m' });
  const late = await plain('PUT', path, { rating: 1 });
  assert.equal(late.status, 409, late.text);
  assertDocumented('PUT', '/api/v1/surveys/{number}', late);
  assert.match(late.json.detail, /7 days/);
  assert.equal((await agent.get(`/api/v1/tickets/${n}`)).json.survey.rating, 5);
});

test('feature requests: a list by organization with the tickets that asked, as JSON and CSV', async () => {
  const a = await openTicket('ana@lojaazul.com.br', 'Exportar para o Salesforce');
  await solve(a, 'feature_request', 'Pedido PRD-41 enviado ao time de produto.');
  const b = await openTicket('bruno@lojaazul.com.br', '=Campos personalizados, no relatório');
  await solve(b, 'feature_request', 'Pedido PRD-52 enviado ao time de produto, "campos" incluídos.');
  const other = await openTicket('ana@lojaazul.com.br', 'Senha esquecida');
  await solve(other, 'answered', 'Enviamos o link de redefinição.');

  const r = await agent.get('/api/v1/reports/feature-requests');
  assert.equal(r.status, 200, r.text);
  assertDocumented('GET', '/api/v1/reports/feature-requests', r);
  const byOrg = Object.fromEntries(r.json.groups.map((g) => [g.organization?.name, g.tickets.map((t) => t.number)]));
  assert.deepEqual(byOrg['Loja Azul'], [a, b]);
  assert.equal(byOrg['Acme GmbH'].length, 1, 'the German export request from before');
  assert.deepEqual(r.json.groups.map((g) => g.organization.name), ['Acme GmbH', 'Loja Azul']);
  assert.equal(r.json.total, 3);

  for (const ask of [() => agent.get('/api/v1/reports/feature-requests?format=csv'), () => agent.get('/api/v1/reports/feature-requests', { accept: 'text/csv' })]) {
    const csv = await ask();
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const lines = csv.text.split('\r\n');
    assert.equal(lines[0], 'organization,plan,ticket,subject,summary,requester,requester_email,status,created_at,solved_at');
    assert.equal(lines.length, 5, csv.text);  // header, three rows, the last CRLF
    assert.match(lines[2], new RegExp(`^Loja Azul,,${a},Exportar para o Salesforce,Pedido PRD-41 enviado ao time de produto\\.,Ana Lima,ana@lojaazul\\.com\\.br,solved,2026-`));
    // A formula-looking subject is defused; commas and quotes are quoted.
    assert.ok(lines[3].startsWith(`Loja Azul,,${b},"'=Campos personalizados, no relatório","Pedido PRD-52 enviado ao time de produto, ""campos"" incluídos.",Bruno Reis,`), lines[3]);
  }
  const bad = await agent.get('/api/v1/reports/feature-requests?since=yesterday');
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors.map((e) => e.field), ['since']);
  assert.equal((await agent.get('/api/v1/reports/feature-requests?since=2099-01-01')).json.total, 0);

  const customer = await sessionClient(s.url, 'ana@lojaazul.com.br', 'password-123');
  assert.equal((await customer.get('/api/v1/reports/feature-requests')).status, 403);

  // The same file from the command line.
  const cli = s.cli('report', 'feature-requests');
  assert.equal(cli, (await agent.get('/api/v1/reports/feature-requests?format=csv')).text);
});

test('a team that makes outcomes optional solves without them, and the policy shows its outcomes', async () => {
  const optional = policy002.replace('[outcomes]\nrequired = true', '[outcomes]\nrequired = false\nresolutions = ["fixed", "answered"]');
  assert.notEqual(optional, policy002);
  const applied = await admin.request('PUT', '/api/v1/policy', { source: optional });
  assert.equal(applied.status, 200, applied.text);
  assert.equal(applied.json.outcomes.required, false);
  assert.deepEqual(applied.json.outcomes.resolutions.map((r) => r.key), ['fixed', 'answered']);
  assert.equal(applied.json.outcomes.resolutions[0].texts['pt-BR'], 'Corrigimos o problema; tudo deve voltar a funcionar normalmente.');
  assert.equal(applied.json.surveys.enabled, true);
  try {
    const n = await openTicket('ana@lojaazul.com.br', 'Logo não aparece');
    const solved = await agent.patch(`/api/v1/tickets/${n}`, { status: 'solved' });
    assert.equal(solved.status, 200, solved.text);
    assert.equal(solved.json.resolution, 'answered');
    assert.equal(solved.json.resolution_summary, null);
    const offList = await agent.patch(`/api/v1/tickets/${n}`, { resolution: 'third_party' });
    assert.equal(offList.status, 400);
    assert.deepEqual(offList.json.errors.map((e) => e.field), ['resolution']);
    assert.match(offList.json.detail, /choose one of fixed, answered/);
  } finally {
    assert.equal((await admin.request('PUT', '/api/v1/policy', { source: policy002 })).status, 200);
  }
});

test('after_auto_close: the survey follows the 48-hour auto-close (seed 000\'s rule); without it, it does not (test clock)', async () => {
  // Seed 002 (whose priorities the tickets here use) with seed 000's auto-close and survey rules.
  const withAutoClose = policy002.replace('[surveys]\nenabled = true', '[surveys]\nenabled = true\nafter_auto_close = true') +
    '\n[automations.auto_close]\nafter = "48h"\nreminder_before = "24h"\n';
  assert.notEqual(withAutoClose, policy002 + '\n[automations.auto_close]\nafter = "48h"\nreminder_before = "24h"\n');
  const advance = (by) => admin.post('/api/v1/test/clock', { advance: by });
  // The ticket waits on the customer for 48 hours (a reminder after 24) and closes by itself.
  const closeByItself = async (subject) => {
    const n = await openTicket('bruno@lojaazul.com.br', subject);
    const asked = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Qual navegador?', status: 'pending_customer' });
    assert.equal(asked.status, 201, asked.text);
    await sink.next('bruno@lojaazul.com.br', n);  // the question
    await advance('24h');
    await sink.next('bruno@lojaazul.com.br', n);  // the reminder
    await advance('24h');
    assert.equal((await agent.get(`/api/v1/tickets/${n}`)).json.status, 'closed');
    return { n, mail: await sink.next('bruno@lojaazul.com.br', n) };
  };
  try {
    const applied = await admin.request('PUT', '/api/v1/policy', { source: withAutoClose });
    assert.equal(applied.status, 200, applied.text);
    const first = await closeByItself('Painel em branco');
    assert.match(first.mail.subject, /Encerrada sem resposta: Painel em branco$/);
    const link = surveyLink(first.mail);
    assert.equal(link.number, first.n);
    const answered = await fetch(`${s.url}/api/v1/surveys/${first.n}?sig=${link.sig}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 2, comment: 'Esqueci de responder.' }),
    });
    assert.equal(answered.status, 200, await answered.text());

    const without = withAutoClose.replace('after_auto_close = true', 'after_auto_close = false');
    assert.notEqual(without, withAutoClose);
    assert.equal((await admin.request('PUT', '/api/v1/policy', { source: without })).status, 200);
    const second = await closeByItself('Painel em branco de novo');
    assert.doesNotMatch(second.mail.body, /\/survey\//);
  } finally {
    assert.equal((await admin.request('PUT', '/api/v1/policy', { source: policy002 })).status, 200);
  }
});
