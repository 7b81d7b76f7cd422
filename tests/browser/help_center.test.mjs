// The public help center in a real browser, in Portuguese: a visitor (no account) browses
// products, modules and an article (table, translations, breadcrumbs), votes, searches with and
// without accents and narrows by product, at desktop and phone widths; an article missing in
// the reader's language says so; a customer writing a new request is offered an article, reads
// it in place and says it solved the problem (a deflection, counted for agents); signing in
// from the help center comes back to it.
//
// Needs what story.test.mjs needs (web/dist, Chromium, the server binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const CUSTOMER = { email: 'carla@acme.test', password: 'customer-pass-1' };
let server, agent;
const browsers = new Browsers();

const ARTICLES = [
  ['emitir', 'invoices-issue', 'pt-BR', 'Como emitir uma nota fiscal', 'Financeiro', 'Notas fiscais', '[nfe, emissão]',
    'Para a emissão, vá em **Financeiro > Notas fiscais**.\n\n| Campo | Obrigatório |\n|---|---|\n| CNPJ do cliente com um nome bem comprido para testar a largura | sim |\n'],
  ['issue', 'invoices-issue', 'en', 'How to issue an invoice', 'Billing', 'Invoices', '[invoice]', 'Go to **Billing > Invoices**.'],
  ['cancelar', 'invoices-cancel', 'pt-BR', 'Como cancelar uma nota fiscal', 'Financeiro', 'Notas fiscais', '[nfe, cancelamento]',
    'Uma nota fiscal pode ser cancelada em até 24 horas. Abra a nota e clique em **Cancelar**.'],
  ['rel-fin', 'reports-billing', 'pt-BR', 'Como exportar relatórios', 'Financeiro', 'Relatórios', '[]', 'Exporte as notas e os boletos do período.'],
  ['rel-proj', 'reports-projects', 'pt-BR', 'Como exportar relatórios', 'Projetos', 'Relatórios', '[]', 'Exporte as horas e os prazos do período.'],
  ['boleto', 'boleto-payment', 'en', 'Paying by boleto', 'Billing', 'Payments', '[boleto]', 'A boleto is due in three business days.'],
];

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  const folder = mkdtempSync(join(tmpdir(), 'chamado-hc-browser-'));
  for (const [file, key, language, title, product, module, tags, body] of ARTICLES)
    writeFileSync(join(folder, `${file}.md`), `---\nkey: ${key}\nlanguage: ${language}\ntitle: ${title}\nproduct: ${product}\nmodule: ${module}\ntags: ${tags}\n---\n${body}\n`);
  server.cli('help', 'import', folder);
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  agent = tokenClient(server.url, server.token('agent@desk.test'));
  server.addUser('customer', CUSTOMER.email, CUSTOMER.password, ['--organization', 'Acme']);
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const feedback = async (key) => {
  const r = await agent.get(`/api/v1/help/articles/${key}?language=pt-BR&drafts=true`);
  assert.equal(r.status, 200, r.text);
  return r.json.feedback;
};

/** Nothing wider than the window (a phone scrolls down, never sideways). */
async function assertFits(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px window`);
}

for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 740 }]]) {
  test(`a visitor browses and searches the help center in Portuguese (${label})`, { timeout: 120_000 }, async (t) => {
    const page = await browsers.open();
    await page.setViewportSize(viewport);

    await t.test('the home lists products with their modules, without signing in', async () => {
      await page.goto(`${server.url}/help/pt-BR`);
      await page.getByTestId('help-products').waitFor();
      // The texts follow the address's language, also once the (empty) session has arrived.
      await page.waitForFunction(() => document.title === 'Central de ajuda · Chamado' && document.documentElement.lang === 'pt-BR');
      await page.getByRole('heading', { name: 'Como podemos ajudar?' }).waitFor();
      const products = await page.getByTestId('help-product').locator('h2').allTextContents();
      assert.deepEqual(products, ['Billing', 'Financeiro', 'Projetos']);
      assert.equal(await page.getByTestId('help-sign-in').textContent(), 'Entrar');
      await assertFits(page);
    });

    await t.test('a module lists its articles and an article shows its body, crumbs and translations', async () => {
      await page.getByTestId('help-product').filter({ hasText: 'Financeiro' }).getByRole('link', { name: 'Notas fiscais' }).click();
      await page.waitForURL((u) => u.pathname === '/help/pt-BR/financeiro/notas-fiscais');
      await page.getByTestId('help-article-list').waitFor();
      const titles = await page.getByTestId('help-article-link').allTextContents();
      assert.deepEqual(titles, ['Como cancelar uma nota fiscal', 'Como emitir uma nota fiscal']);
      await page.getByTestId('help-article-link').filter({ hasText: 'Como emitir' }).click();
      await page.waitForURL((u) => u.pathname === '/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal');
      await page.getByTestId('help-article-body').locator('table').waitFor();
      assert.equal(await page.getByTestId('help-article-title').textContent(), 'Como emitir uma nota fiscal');
      await page.waitForFunction(() => document.title === 'Como emitir uma nota fiscal · Chamado');
      assert.deepEqual(await page.getByTestId('help-crumbs').locator('a').allTextContents(), ['Central de ajuda', 'Financeiro']);
      assert.equal(await page.getByTestId('help-translation').getAttribute('href'), '/help/en/billing/invoices/how-to-issue-an-invoice');
      assert.equal(await page.getByTestId('help-related').getByTestId('help-article-link').first().textContent(), 'Como cancelar uma nota fiscal');
      await assertFits(page);
    });

    await t.test('"was this helpful?" records a vote', async () => {
      const before = (await feedback('invoices-issue')).helpful;
      await page.getByTestId('help-vote-yes').click();
      await page.getByTestId('help-vote-thanks').waitFor();
      assert.equal((await feedback('invoices-issue')).helpful, before + 1);
    });

    await t.test('search finds the same words with and without accents, and tells same titles apart', async () => {
      for (const q of ['relatórios', 'relatorios']) {
        await page.getByTestId('help-search').fill(q);
        await page.getByTestId('help-search').press('Enter');
        await page.waitForURL((u) => u.pathname === '/help/pt-BR/search' && u.searchParams.get('q') === q);
        await page.waitForFunction(
          () => [...document.querySelectorAll('[data-testid=help-result]')].filter((e) => e.textContent.includes('Como exportar relatórios')).length === 2,
        );
        const same = page.getByTestId('help-result').filter({ hasText: 'Como exportar relatórios' });
        assert.equal(await same.count(), 2, q);
        const places = (await same.getByTestId('help-result-place').allTextContents()).sort();
        assert.match(places[0], /^Financeiro › Relatórios/);
        assert.match(places[1], /^Projetos › Relatórios/);
        assert.ok((await page.getByTestId('help-result').first().locator('mark').count()) > 0);
      }
      await page.getByTestId('help-facet-product').filter({ hasText: 'Projetos' }).click();
      await page.waitForURL((u) => u.searchParams.get('product') === 'Projetos');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=help-result]').length === 1);
      assert.equal(await page.getByTestId('help-result').getAttribute('data-key'), 'reports-projects');
      await page.getByTestId('help-search').fill('emissao');
      await page.getByTestId('help-search').press('Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === 'emissao');
      await page.locator('[data-testid=help-result][data-key=invoices-issue]').waitFor();
      await assertFits(page);
    });

    await t.test('an article missing in Portuguese is shown in English, and says so', async () => {
      await page.goto(`${server.url}/help/pt-BR/billing/payments/paying-by-boleto`);
      await page.getByTestId('help-fallback').waitFor();
      assert.match(await page.getByTestId('help-fallback').textContent(), /ainda não está no seu idioma; aqui está em English/);
      assert.equal(await page.getByTestId('help-article').getAttribute('lang'), 'en');
    });
  });
}

test('a customer typing a new request is offered an article, and it solves the problem', { timeout: 90_000 }, async () => {
  const page = await browsers.open();
  // Signing in from the help center comes back to it, with the way to the portal.
  await page.goto(`${server.url}/help/pt-BR`);
  await page.getByTestId('help-sign-in').click();
  await signIn(page, CUSTOMER, '/help/pt-BR');
  await page.getByTestId('help-desk-link').click();
  await page.waitForURL((u) => u.pathname === '/portal');
  await page.getByTestId('nav-new-request').click();
  await page.waitForURL((u) => u.pathname === '/portal/new');
  await page.getByTestId('language-select').selectOption('pt-BR');
  await page.getByTestId('nav-help').filter({ hasText: 'Central de ajuda' }).waitFor();
  await page.getByTestId('new-subject').fill('como cancelar a nota');
  await page.getByTestId('help-suggestions').waitFor();
  await page.locator('[data-testid=help-suggestion][data-key=invoices-cancel]').click();
  await page.getByTestId('help-suggestion-article').getByText('24 horas').waitFor();
  const before = (await feedback('invoices-cancel')).deflections;
  await page.getByTestId('help-solved').click();
  await page.waitForURL((u) => u.pathname === '/portal' && u.searchParams.get('solved') === '1');
  await page.getByTestId('help-solved-notice').waitFor();
  assert.equal((await feedback('invoices-cancel')).deflections, before + 1);
  const tickets = await agent.get('/api/v1/tickets');
  assert.equal(tickets.json.items.length, 0, 'no ticket was opened');
  // From the portal, the help center keeps the way back.
  await page.getByTestId('portal-help').click();
  await page.waitForURL((u) => u.pathname === '/help/pt-BR');
  assert.equal(await page.getByTestId('help-desk-link').getAttribute('href'), '/portal');
});
