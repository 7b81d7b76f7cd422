// Email in a real browser: a customer's mail (through `chamado mailgate`) as the agent sees it
// — quoted history folded but there, the original email a click away, an auto-reply marked,
// and the ticket opened by someone else's reply linked both ways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, chamadoBin } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'agent@desk.test', password: 'agent-pass-1' };
let server, token;
const browsers = new Browsers();

function mailgate(lines) {
  const r = spawnSync(chamadoBin, ['mailgate', '--url', server.url, '--token', token], { input: lines.join('\r\n'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('admin', 'admin@desk.test');
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Ana Agent']);
  token = server.token('admin@desk.test');
});
after(async () => {
  await browsers.closeAll();
  await server?.stop();
});

test('an agent reads a mail thread: folded history, automatic replies, the original, linked tickets', async () => {
  const first = mailgate(['From: Bruno <bruno@cliente.test>', 'Subject: Relatório não abre', 'Message-ID: <b1@cliente.test>', '',
    'O relatório mensal não abre desde ontem.', '', 'On Mon, 23 Nov 2026 at 09:00, Support <support@desk.test> wrote:', '> Which report?', '']);
  const n = first.ticket;
  mailgate(['From: bruno@cliente.test', 'Subject: Fora do escritório', 'Message-ID: <b2@cliente.test>', `In-Reply-To: <b1@cliente.test>`,
    'Auto-Submitted: auto-replied', '', 'Estou fora até segunda.', '']);
  const other = mailgate(['From: Carla <carla@cliente.test>', `Subject: Re: [#${n}] Relatório não abre`, 'Message-ID: <c1@cliente.test>', '', 'Aqui também!', '']);
  assert.equal(other.linked_to, n);

  const page = await browsers.open();
  await page.goto(`${server.url}/agent/tickets/${n}`);
  await signIn(page, AGENT, `/agent/tickets/${n}`);
  const messages = page.getByTestId('message');
  await assert.doesNotReject(messages.nth(1).waitFor());

  // The history is folded: the reply is visible, the quote is behind a summary.
  const firstBody = messages.nth(0).getByTestId('message-body');
  assert.match(await firstBody.innerText(), /não abre desde ontem/);
  const quote = messages.nth(0).getByTestId('message-quote');
  assert.equal(await quote.evaluate((d) => d.open), false);
  assert.equal(await quote.locator('.msg-quote-text').isVisible(), false);
  await quote.locator('summary').click();
  assert.equal(await quote.locator('.msg-quote-text').isVisible(), true);
  assert.match(await quote.locator('.msg-quote-text').innerText(), /Which report\?/);

  // The original email is one click away.
  const href = await messages.nth(0).getByTestId('message-original').getAttribute('href');
  const cookies = await page.context().cookies();
  const res = await fetch(server.url + href, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Message-ID: <b1@cliente\.test>/);

  // The auto-reply is marked as such.
  await assert.doesNotReject(messages.nth(1).getByTestId('message-automatic').waitFor());

  // The ticket Carla's reply opened is linked, and leads there.
  const linked = page.getByTestId('linked-ticket');
  assert.match(await linked.innerText(), new RegExp(`#${other.ticket} Relatório não abre`));
  await linked.getByRole('link').click();
  await page.waitForURL((u) => u.pathname === `/agent/tickets/${other.ticket}`);
  assert.match(await page.getByTestId('linked-ticket').innerText(), new RegExp(`#${n}`));
});
