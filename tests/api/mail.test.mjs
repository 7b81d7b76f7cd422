// Mail in, end to end: real mail through `chamado mailgate` (as an MTA's pipe transport runs
// it) and through the LMTP listener with swaks (Debian), then what the API shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chamadoBin, startServer, tokenClient } from '../lib/server.mjs';

let s, admin, agent, adminToken;

before(async () => {
  s = await startServer({ env: { CHAMADO_MAIL_LMTP_LISTEN: '127.0.0.1:0', CHAMADO_MAIL_HOSTNAME: 'desk.test' } });
  s.addUser('admin', 'admin@desk.test');
  s.addUser('agent', 'agent@desk.test', 'password-123', ['--name', 'Alice Agent']);
  adminToken = s.token('admin@desk.test');
  admin = tokenClient(s.url, adminToken);
  agent = tokenClient(s.url, s.token('agent@desk.test'));
  const org = await admin.post('/api/v1/organizations', { name: 'Cliente SA', domains: ['cliente.com.br'], language: 'pt-BR' });
  assert.equal(org.status, 201, org.text);
});
after(async () => { await s?.stop(); });

let serial = 0;
function mail({ from = 'Joana Souza <joana@cliente.com.br>', subject = 'Ajuda', body = 'Olá', id = `m${++serial}@cliente.com.br`, headers = [] } = {}) {
  const lines = [`From: ${from}`, 'To: suporte@desk.test', `Subject: ${subject}`, 'Date: Mon, 23 Nov 2026 10:00:00 -0300'];
  if (id) lines.push(`Message-ID: <${id}>`);
  lines.push(...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body, '');
  return { raw: lines.join('\r\n'), id };
}

function mailgate(raw, args = []) {
  const r = spawnSync(chamadoBin, ['mailgate', '--url', s.url, '--token', adminToken, ...args], { input: raw, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, json: r.status === 0 ? JSON.parse(r.stdout) : null };
}

async function messages(number) {
  const r = await agent.get(`/api/v1/tickets/${number}/messages`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('a new email opens a ticket for a new contact of the organization that owns the domain', async () => {
  const m = mail({ subject: '=?ISO-8859-1?Q?Impress=E3o_n=E3o_funciona?=', body: 'A impressora não imprime desde ontem.' });
  const r = mailgate(m.raw);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.json.outcome, 'opened');
  const t = (await agent.get(`/api/v1/tickets/${r.json.ticket}`)).json;
  assert.equal(t.subject, 'Impressão não funciona');
  assert.equal(t.channel, 'email');
  assert.deepEqual(t.tags, ['email']);
  assert.equal(t.requester.email, 'joana@cliente.com.br');
  assert.equal(t.requester.name, 'Joana Souza');
  assert.equal(t.organization.name, 'Cliente SA');
  const [first] = await messages(t.number);
  assert.equal(first.body, 'A impressora não imprime desde ontem.');
  assert.equal(first.kind, 'customer_message');
  // The original is kept, byte for byte, for agents.
  const original = await agent.get(`/api/v1/messages/${first.id}/original`);
  assert.equal(original.status, 200);
  assert.equal(original.headers.get('content-type'), 'message/rfc822');
  assert.equal(original.text, m.raw);
});

test('the same Message-ID delivered twice is stored once', async () => {
  const m = mail({ subject: 'Duplicada', body: 'Uma vez só.' });
  const a = mailgate(m.raw);
  const b = mailgate(m.raw);
  assert.equal(a.json.outcome, 'opened');
  assert.equal(b.code, 0);
  assert.equal(b.json.outcome, 'duplicate');
  assert.equal(b.json.ticket, a.json.ticket);
  assert.equal((await messages(a.json.ticket)).length, 1);
  // Without a Message-ID, the same bytes are the same mail.
  const noId = mail({ subject: 'Sem id', body: 'x', id: '' });
  const c = mailgate(noId.raw);
  const d = mailgate(noId.raw);
  assert.equal(c.json.outcome, 'opened');
  assert.equal(d.json.outcome, 'duplicate');
});

test('replies thread by In-Reply-To, References and the subject tag; only the requester and agents join', async () => {
  const first = mail({ subject: 'Erro 500 no painel', body: 'O painel mostra erro 500.' });
  const opened = mailgate(first.raw).json;
  const n = opened.ticket;

  const reply = mail({ subject: 'Re: Erro 500 no painel', body: 'Ainda acontece.', headers: [`In-Reply-To: <${first.id}>`] });
  const r1 = mailgate(reply.raw).json;
  assert.equal(r1.outcome, 'appended');
  assert.equal(r1.ticket, n);

  const refs = mail({ subject: 'sem assunto', body: 'Pelas referências.', headers: [`References: <unknown@x> <${first.id}>`] });
  assert.equal(mailgate(refs.raw).json.ticket, n);

  // An agent answers by email: a public reply, which meets the first response.
  const byAgent = mail({ from: 'Alice Agent <AGENT@desk.test>', subject: `RE: [#${n}] Erro 500 no painel`, body: 'Corrigido, pode testar?' });
  const r2 = mailgate(byAgent.raw).json;
  assert.equal(r2.outcome, 'appended');
  const msgs = await messages(n);
  const last = msgs[msgs.length - 1];
  assert.equal(last.kind, 'public_reply');
  assert.equal(last.author.name, 'Alice Agent');
  const t = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.equal(t.status, 'open');
  assert.equal(t.clocks.find((c) => c.target === 'first_response').state, 'met');

  // Someone else answers the thread: a new ticket at the end of the queue, linked.
  const other = mail({ from: 'Pedro <pedro@cliente.com.br>', subject: `Re: [#${n}] Erro 500 no painel`, body: 'Comigo também!' });
  const r3 = mailgate(other.raw).json;
  assert.equal(r3.outcome, 'opened');
  assert.notEqual(r3.ticket, n);
  assert.equal(r3.linked_to, n);
  const linked = (await agent.get(`/api/v1/tickets/${r3.ticket}`)).json;
  assert.equal(linked.subject, 'Erro 500 no painel');
  assert.equal(linked.requester.email, 'pedro@cliente.com.br');
  assert.deepEqual(linked.links.map((l) => [l.ticket, l.kind, l.direction]), [[n, 'answered', 'to']]);
  const original = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.deepEqual(original.links.map((l) => [l.ticket, l.direction]), [[r3.ticket, 'from']]);
});

test('auto-replies and bounces are recorded but never reopen a ticket or count as a reply', async () => {
  const first = mail({ subject: 'Pergunta', body: 'Como exporto relatórios?' });
  const n = mailgate(first.raw).json.ticket;
  const asked = await agent.post(`/api/v1/tickets/${n}/messages`, { kind: 'public_reply', body: 'Qual versão?', status: 'pending_customer' });
  assert.equal(asked.status, 201, asked.text);

  const ooo = mail({ subject: 'Resposta automática: Pergunta', body: 'Estou de férias até segunda.', headers: ['Auto-Submitted: auto-replied', `In-Reply-To: <${first.id}>`] });
  const r = mailgate(ooo.raw).json;
  assert.equal(r.outcome, 'appended');
  assert.equal(r.automatic, 'auto_reply');
  let t = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.equal(t.status, 'pending_customer');

  const dsn = [
    'From: Mail Delivery System <MAILER-DAEMON@cliente.com.br>', 'To: suporte@desk.test', 'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <dsn1@cliente.com.br>', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'Your message could not be delivered.', '',
    '--b', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.cliente.com.br', '', 'Final-Recipient: rfc822; joana@cliente.com.br', 'Action: failed', 'Status: 5.1.1', '',
    '--b', 'Content-Type: text/rfc822-headers', '', `Message-ID: <chamado.${n}.1.abc@desk.test>`, `Subject: [#${n}] Pergunta`, '', '--b--', ''].join('\r\n');
  const b = mailgate(dsn).json;
  assert.equal(b.automatic, 'bounce');
  assert.equal(b.outcome, 'appended');
  assert.equal(b.ticket, n);
  t = (await agent.get(`/api/v1/tickets/${n}`)).json;
  assert.equal(t.status, 'pending_customer');
  const msgs = await messages(n);
  assert.deepEqual(msgs.slice(-2).map((m) => [m.kind, m.automatic]), [['customer_message', true], ['customer_message', true]]);
  // The bounce is Chamado's record of a failed delivery, not a person's message: its sender (a
  // mailer-daemon) does not become a contact of the customer's organization.
  assert.deepEqual([msgs.at(-1).author.id, msgs.at(-1).author.role], [null, 'system'], JSON.stringify(msgs.at(-1).author));
  const answeringDaemons = (await agent.get('/api/v1/contacts?q=mailer-daemon')).json.items;
  assert.deepEqual(answeringDaemons, [], 'the sender of a bounce that answers a ticket is not a contact');

  // A bounce that answers no mail of ours (spam with a forged sender, an old address list) is
  // ignored: nobody to tell, and its sender (a mailer-daemon) does not become a customer.
  const stranger = dsn.replace(/dsn1@cliente\.com\.br/g, 'dsn2@outro.test').replace(/MAILER-DAEMON@cliente\.com\.br/, 'MAILER-DAEMON@outro.test')
    .replace(`Message-ID: <chamado.${n}.1.abc@desk.test>`, 'Message-ID: <newsletter-77@elsewhere.test>').replace(`Subject: [#${n}] Pergunta`, 'Subject: Newsletter');
  const ignored = mailgate(stranger).json;
  assert.deepEqual([ignored.outcome, ignored.automatic, ignored.ticket ?? null], ['ignored', 'bounce', null], JSON.stringify(ignored));
  const daemons = (await agent.get('/api/v1/contacts?q=mailer-daemon%40outro')).json.items;
  assert.deepEqual(daemons, [], 'the bounce sender is not a contact');

  // An automatic mail that answers nothing opens a ticket tagged as such (never acknowledged).
  const stray = mail({ subject: 'Out of office', body: 'Away.', headers: ['X-Autoreply: yes'] });
  const st = mailgate(stray.raw).json;
  assert.equal(st.outcome, 'opened');
  const strayTicket = (await agent.get(`/api/v1/tickets/${st.ticket}`)).json;
  assert.deepEqual(strayTicket.tags, ['auto-reply', 'email']);
  // Its first message is automatic, and no first response is owed to an out-of-office.
  assert.deepEqual((await messages(st.ticket)).map((m) => [m.kind, m.automatic]), [['customer_message', true]]);
  assert.ok(Array.isArray(strayTicket.clocks), JSON.stringify(strayTicket));
  assert.equal(strayTicket.clocks.find((c) => c.target === 'first_response'), undefined, JSON.stringify(strayTicket.clocks));
});

test('secrets in mail are masked before they are stored', async () => {
  const m = mail({ subject: 'Acesso', body: 'Segue o acesso.\npassword: hunter2hunter2\nchave AKIAIOSFODNN7EXAMPLE' });
  const n = mailgate(m.raw).json.ticket;
  const [first] = await messages(n);
  assert.equal(first.masked, true);
  assert.ok(!first.body.includes('hunter2hunter2'), first.body);
  assert.ok(!first.body.includes('AKIAIOSFODNN7EXAMPLE'), first.body);
  assert.match(first.body, /AKIA•+MPLE/);
});

test('quoted history is kept and its start is marked', async () => {
  const m = mail({ subject: 'Com histórico', body: 'Resolvido, obrigado.\n\nEm seg., 23 de nov. de 2026 às 09:00, Suporte <suporte@desk.test> escreveu:\n> Pode testar?' });
  const n = mailgate(m.raw).json.ticket;
  const [first] = await messages(n);
  assert.ok(first.body.endsWith('> Pode testar?'));
  assert.equal(first.body.slice(first.quote_start).split('\n')[0].slice(0, 7), 'Em seg.');
});

test('attachments and inline images arrive as attachments', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2218bc70000000049454e44ae426082', 'hex');
  const raw = [
    'From: joana@cliente.com.br', 'To: suporte@desk.test', 'Subject: Print', 'Message-ID: <att1@cliente.com.br>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="m"', '',
    '--m', 'Content-Type: multipart/related; boundary="r"', '',
    '--r', 'Content-Type: text/html; charset=utf-8', '', '<p>Veja a <b>tela</b>:</p><img src="cid:img1">', '',
    '--r', 'Content-Type: image/png', 'Content-ID: <img1>', 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '',
    '--r--', '',
    '--m', 'Content-Type: application/pdf', "Content-Disposition: attachment; filename*=UTF-8''rel%C3%A1t%C3%B3rio.pdf", 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 test').toString('base64'), '',
    '--m--', ''].join('\r\n');
  const n = mailgate(raw).json.ticket;
  const [first] = await messages(n);
  assert.equal(first.body, 'Veja a tela:');
  assert.deepEqual(first.attachments.map((a) => [a.filename, a.content_type, a.size]), [['attachment-1.png', 'image/png', png.length], ['relátório.pdf', 'application/pdf', 13]]);
  const file = await fetch(`${s.url}/api/v1/attachments/${first.attachments[1].id}`, { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(Buffer.from(await file.arrayBuffer()).toString(), '%PDF-1.4 test');
});

test('the mail gateway exits as sysexits says, so the MTA retries or bounces', async () => {
  // No sender anywhere: refused for good (the MTA bounces it).
  const noSender = 'To: suporte@desk.test\r\nSubject: quem?\r\nMessage-ID: <nosender@x>\r\n\r\nbody\r\n';
  const r1 = mailgate(noSender);
  assert.equal(r1.code, 65, r1.err);
  assert.match(r1.err, /names no sender/);
  // ...unless the MTA tells the envelope sender.
  const r2 = mailgate(noSender, ['--sender', 'joana@cliente.com.br']);
  assert.equal(r2.code, 0, r2.err);
  // An agent's mail that answers no ticket.
  const r3 = mailgate(mail({ from: 'agent@desk.test', subject: 'Novo', body: 'x' }).raw);
  assert.equal(r3.code, 65);
  assert.match(r3.err, /agent/);
  // A wrong token.
  const r4 = spawnSync(chamadoBin, ['mailgate', '--url', s.url, '--token', 'nope'], { input: mail().raw, encoding: 'utf8' });
  assert.equal(r4.status, 77, r4.stderr);
  // The server is down: try again later.
  const r5 = spawnSync(chamadoBin, ['mailgate', '--url', 'http://127.0.0.1:9', '--token', adminToken], { input: mail().raw, encoding: 'utf8' });
  assert.equal(r5.status, 75, r5.stderr);
  assert.match(r5.stderr, /unreachable/);
});

test('the LMTP listener takes mail from swaks, with one answer per recipient', async () => {
  assert.ok(s.lmtpPort > 0, 'the server announced its LMTP port');
  const dir = mkdtempSync(join(tmpdir(), 'chamado-lmtp-'));
  const file = join(dir, 'm.eml');
  const m = mail({ subject: 'Pela LMTP', body: 'Entregue direto pelo MTA.' });
  writeFileSync(file, m.raw);
  const r = spawnSync('swaks', ['--protocol', 'LMTP', '--server', '127.0.0.1', '--port', String(s.lmtpPort),
    '--from', 'joana@cliente.com.br', '--to', 'suporte@desk.test,help@desk.test', '--data', file, '--hide-informational'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const accepted = r.stdout.split('\n').filter((l) => /<- +250 2\.0\.0 opened #\d+/.test(l));
  assert.equal(accepted.length, 2, r.stdout);
  const number = Number(accepted[0].match(/#(\d+)/)[1]);
  const [first] = await messages(number);
  assert.equal(first.body, 'Entregue direto pelo MTA.');
  // Dot-stuffed lines come back whole; the same mail again is a duplicate.
  const again = spawnSync('swaks', ['--protocol', 'LMTP', '--server', '127.0.0.1', '--port', String(s.lmtpPort),
    '--from', 'joana@cliente.com.br', '--to', 'suporte@desk.test', '--data', file, '--hide-informational'], { encoding: 'utf8' });
  assert.match(again.stdout, /250 2\.0\.0 duplicate #\d+/);
  // An agent's mail that answers nothing is refused for good.
  writeFileSync(file, mail({ from: 'agent@desk.test', subject: 'x', body: '.começa com ponto' }).raw);
  const refused = spawnSync('swaks', ['--protocol', 'LMTP', '--server', '127.0.0.1', '--port', String(s.lmtpPort),
    '--from', 'agent@desk.test', '--to', 'suporte@desk.test', '--data', file, '--hide-informational'], { encoding: 'utf8' });
  assert.match(refused.stdout, /550 5\.6\.0/);
});

test('chamado mail parse shows what Chamado reads in an email', () => {
  const raw = ['From: =?UTF-8?Q?Jo=C3=A3o?= <JOAO@Cliente.com.br>', 'Subject: =?UTF-8?B?TWFudXRlbsM=?= =?UTF-8?B?p8Ojbw==?=', 'Message-ID: <p1@x>',
    'Auto-Submitted: auto-replied', 'Content-Type: text/html; charset=utf-8', '', '<p>Ol&aacute;<script>x()</script></p>', ''].join('\r\n');
  const r = spawnSync(chamadoBin, ['mail', 'parse'], { input: raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout);
  assert.deepEqual(m.from, { address: 'joao@cliente.com.br', name: 'João' });
  assert.equal(m.subject, 'Manutenção');
  assert.equal(m.body, 'Olá');
  assert.equal(m.body_from_html, true);
  assert.equal(m.automatic, 'auto_reply');
  assert.equal(m.message_id, 'p1@x');
});

test('a new contact without an organization writes in the language of their mail', async () => {
  const r = mailgate(mail({ from: 'Hans <hans@anderswo.test>', subject: 'Drucker', body: 'Der Drucker druckt nicht.', headers: ['Content-Language: de-DE'] }).raw).json;
  const t = (await agent.get(`/api/v1/tickets/${r.ticket}`)).json;
  const contact = (await agent.get(`/api/v1/contacts/${t.requester.id}`)).json;
  assert.equal(contact.language, 'de');
  assert.equal(contact.organization_id, null);
});

test('after closing, the requester\'s reply opens a follow-up; an agent\'s is refused with the reason', async () => {
  const first = mail({ subject: 'Fatura duplicada', body: 'Recebi duas faturas.' });
  const n = mailgate(first.raw).json.ticket;
  assert.equal((await agent.patch(`/api/v1/tickets/${n}`, { status: 'solved', resolution: 'fixed', category: 'billing', tags: ['duplicate_invoice'] })).status, 200);
  assert.equal((await agent.patch(`/api/v1/tickets/${n}`, { status: 'closed' })).status, 200);

  const again = mailgate(mail({ subject: `Re: [#${n}] Fatura duplicada`, body: 'Voltou a acontecer.' }).raw).json;
  assert.equal(again.outcome, 'opened');
  assert.equal(again.linked_to, n);
  const followUp = (await agent.get(`/api/v1/tickets/${again.ticket}`)).json;
  assert.deepEqual(followUp.links.map((l) => [l.ticket, l.kind]), [[n, 'follow_up']]);
  // The case keeps its triage: the closed ticket's category and tags.
  assert.equal(followUp.category, 'billing');
  assert.ok(followUp.tags.includes('duplicate_invoice'), JSON.stringify(followUp.tags));

  const byAgent = mailgate(mail({ from: 'agent@desk.test', subject: `Re: [#${n}] Fatura duplicada`, body: 'Resolvido.' }).raw);
  assert.equal(byAgent.code, 65);
  assert.match(byAgent.err, new RegExp(`Ticket #${n} is closed`));
  // An auto-reply to the closed ticket is recorded and ignored.
  const ooo = mailgate(mail({ subject: `Re: [#${n}] Fatura duplicada`, body: 'Em férias.', headers: ['Auto-Submitted: auto-replied'] }).raw).json;
  assert.equal(ooo.outcome, 'ignored');
  assert.equal(ooo.ticket, n);
});

test('an address gets at most ten acknowledgements an hour: a disguised autoresponder cannot loop', async () => {
  const from = 'Robot <robot@loop.test>';
  let opened = 0;
  for (let i = 0; i < 12; i++) {
    const r = mailgate(mail({ from, subject: `Auto ${i}`, body: 'I am not marked as automatic.' }).raw).json;
    if (r.outcome === 'opened') opened++;
  }
  assert.equal(opened, 12, 'every mail is still a ticket');
  const outbox = (await admin.get('/api/v1/outbox?limit=200')).json.items.filter((n) => n.recipient === 'robot@loop.test');
  assert.equal(outbox.length, 10);
  assert.ok(outbox.every((n) => n.event === 'mail.ticket_opened'));
});

test('a ticket opened by answering our mail from another address has the subject the customer wrote', async () => {
  const n = mailgate(mail({ subject: 'Erro 500 no painel', body: 'Desde hoje.' }).raw).json.ticket;
  // Our mail's subjects begin with what its template says, in the requester's language, some
  // with placeholders: none of it stays in the new ticket's subject.
  for (const [answered, expected] of [
    [`Re: [#${n}] Recebemos sua solicitação: Erro 500 no painel`, 'Erro 500 no painel'],
    [`AW: [#${n}] Ihre Anfrage ist eingegangen: Fehler 500`, 'Fehler 500'],
    [`RE: [#${n}] SLA breached (first response): Export stuck`, 'Export stuck'],
    ['Re: Request received is what you wrote', 'Request received is what you wrote'],
  ]) {
    const reply = mailgate(mail({ from: 'Pedro <pedro@cliente.com.br>', subject: answered, body: 'Eu também.' }).raw).json;
    assert.equal(reply.outcome, 'opened', answered);
    assert.equal((await agent.get(`/api/v1/tickets/${reply.ticket}`)).json.subject, expected, answered);
  }
});
