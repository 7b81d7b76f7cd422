// The help center's reading side, as a reader (no account), an agent and a crawler meet it:
// products and modules, article lists, one article rendered and sanitized with its
// translations, fallback and related articles, votes and deflections (bounded, counted for
// agents), the rendered cache following changes made by another process, /help pages with
// their title and description filled in by the server, the sitemap and robots.txt, and the
// search's places and facets. Every answer is checked against docs/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, readAnswer } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, agentToken, folder;

const article = (file, front, body) => writeFileSync(join(folder, file), `---\n${front}\n---\n${body}\n`);

// A GET of a documented route, checked against the document (`route` names its path template).
async function read(route, path, headers = {}) {
  const answer = await readAnswer(await fetch(server.url + path, { headers }));
  assertDocumented('GET', route, answer);
  return answer;
}

async function send(route, path, body, headers = {}) {
  const answer = await readAnswer(
    await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
  );
  assertDocumented('POST', route, answer);
  return answer;
}

const ARTICLE = '/api/v1/help/articles/{key}';

before(async () => {
  const web = mkdtempSync(join(tmpdir(), 'chamado-web-'));
  writeFileSync(
    join(web, 'index.html'),
    '<!doctype html>\n<html lang="en">\n  <head>\n    <meta name="description" content="Chamado help desk" />\n    <title>Chamado</title>\n  </head>\n  <body><div id="app"></div></body>\n</html>\n',
  );
  server = await startServer({ web, env: { CHAMADO_MAIL_PUBLIC_URL: 'https://desk.example/' } });
  server.addUser('agent', 'agent@desk.test', 'agent-pass-1');
  agentToken = server.token('agent@desk.test');
  folder = mkdtempSync(join(tmpdir(), 'chamado-hc-'));
  mkdirSync(join(folder, 'pt'));
  article('pt/emitir.md', 'key: invoices-issue\nlanguage: pt-BR\ntitle: Como emitir uma nota fiscal\nproduct: Financeiro\nmodule: Notas fiscais\ntags: [nfe, faturamento]',
    'Vá em **Financeiro > Notas fiscais** e clique em *Emitir*.\n\n| Campo | Obrigatório |\n|---|---|\n| CNPJ | sim |\n\n' +
    '<script>alert(1)</script>\n\n[clique](javascript:alert(1)) <img src=x onerror=alert(1)>\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n' +
    '<iframe src="https://evil.example/embed"></iframe>');
  article('issue-en.md', 'key: invoices-issue\nlanguage: en\ntitle: How to issue an invoice\nproduct: Billing\nmodule: Invoices\ntags: [invoice]',
    'Go to **Billing > Invoices** and click *Issue*.');
  article('pt/cancelar.md', 'key: invoices-cancel\nlanguage: pt-BR\ntitle: Como cancelar uma nota fiscal\nproduct: Financeiro\nmodule: Notas fiscais\ntags: [nfe, cancelamento]',
    'Uma nota fiscal pode ser cancelada em até 24 horas depois de emitida.');
  article('boleto-en.md', 'key: boleto-payment\nlanguage: en\ntitle: Paying by boleto\nproduct: Billing\nmodule: Payments\ntags: [boleto]',
    'A boleto is due in three business days.');
  article('pt/rel-fin.md', 'key: reports-billing\nlanguage: pt-BR\ntitle: Como exportar relatórios\nproduct: Financeiro\nmodule: Relatórios',
    'Em Financeiro, exporte as notas e os boletos do período.');
  article('pt/rel-proj.md', 'key: reports-projects\nlanguage: pt-BR\ntitle: Como exportar relatórios\nproduct: Projetos\nmodule: Relatórios',
    'Em Projetos, exporte as horas e os prazos do período.');
  article('draft.md', 'key: coming-soon\nlanguage: pt-BR\ntitle: Novidade em breve\nproduct: Financeiro\nmodule: Notas fiscais\nstatus: draft',
    'Ainda não publicado.');
  server.cli('help', 'import', folder);
});

after(async () => { await server?.stop(); });

test('products list their modules with the articles a reader sees, fallbacks included', async () => {
  const r = await read('/api/v1/help/products', '/api/v1/help/products?language=pt-BR');
  assert.equal(r.status, 200);
  assert.equal(r.json.language, 'pt-BR');
  const names = r.json.items.map((p) => p.name);
  assert.deepEqual(names, ['Billing', 'Financeiro', 'Projetos']);  // Billing: the English-only boleto article
  const fin = r.json.items.find((p) => p.slug === 'financeiro');
  assert.deepEqual(fin.modules.map((m) => [m.name, m.slug, m.articles]), [['Notas fiscais', 'notas-fiscais', 2], ['Relatórios', 'relatorios', 1]]);
  assert.equal(fin.articles, 3, 'the draft is not counted');
  const en = await read('/api/v1/help/products', '/api/v1/help/products?language=en');
  assert.ok(en.json.items.find((p) => p.name === 'Billing').modules.some((m) => m.slug === 'invoices'));
  assert.equal((await read('/api/v1/help/products', '/api/v1/help/products?language=fr')).status, 400);
});

test('a module lists its articles; product and module by slug or name; unknown ones are 404', async () => {
  const r = await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=financeiro&module=notas-fiscais');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((a) => a.key), ['invoices-cancel', 'invoices-issue']);
  const issue = r.json.items[1];
  assert.equal(issue.path, '/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal');
  assert.equal(issue.fallback, false);
  assert.deepEqual(issue.tags, ['nfe', 'faturamento']);
  assert.match(issue.description, /^Vá em Financeiro > Notas fiscais/);
  assert.ok(!('status' in issue) && !('feedback' in issue), 'readers see neither status nor feedback');
  const byName = await read('/api/v1/help/articles', `/api/v1/help/articles?language=pt-BR&product=Financeiro&module=${encodeURIComponent('Notas fiscais')}`);
  assert.equal(byName.json.items.length, 2);
  const fallback = await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=billing&module=payments');
  assert.equal(fallback.json.items[0].language, 'en');
  assert.equal(fallback.json.items[0].fallback, true);
  assert.equal(fallback.json.items[0].path, '/help/pt-BR/billing/payments/paying-by-boleto');
  const none = await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=estoque');
  assert.equal(none.status, 404);
  assert.match(none.json.detail, /no product "estoque"/);
  assert.equal((await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=financeiro&module=nada')).status, 404);
  assert.equal((await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&module=notas-fiscais')).status, 400);
  const slug = await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=financeiro&module=notas-fiscais&slug=como-emitir-uma-nota-fiscal');
  assert.deepEqual(slug.json.items.map((a) => a.key), ['invoices-issue']);
});

test('an article is rendered, and nothing executable survives', async () => {
  const r = await read(ARTICLE, '/api/v1/help/articles/invoices-issue?language=pt-BR');
  assert.equal(r.status, 200);
  const a = r.json;
  assert.equal(a.language, 'pt-BR');
  assert.equal(a.fallback, false);
  assert.match(a.html, /<strong>Financeiro &gt; Notas fiscais<\/strong>/);
  assert.match(a.html, /<table>/);
  assert.match(a.html, /<iframe src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/);
  for (const bad of [/<script/i, /javascript:/i, /onerror/i, /evil\.example/]) assert.doesNotMatch(a.html, bad);
  assert.deepEqual(a.translations, [{ language: 'en', title: 'How to issue an invoice', path: '/help/en/billing/invoices/how-to-issue-an-invoice' }]);
  assert.deepEqual(a.breadcrumbs.map((b) => b.path), ['/help/pt-BR', '/help/pt-BR/financeiro', '/help/pt-BR/financeiro/notas-fiscais']);
  assert.equal(a.breadcrumbs[0].name, 'Central de ajuda');
  assert.equal(a.canonical_path, '/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal');
  // Related: the same module and shared tags first; never itself nor its translations; never a draft.
  assert.equal(a.related[0].key, 'invoices-cancel');
  assert.ok(a.related.length <= 5);
  assert.ok(a.related.every((x) => x.key !== 'invoices-issue' && x.key !== 'coming-soon' && x.language === 'pt-BR'));
});

test('a language without a translation falls back to en, then pt-BR; an unknown key is a clear 404', async () => {
  const de = await read(ARTICLE, '/api/v1/help/articles/invoices-issue?language=de');
  assert.equal(de.json.language, 'en');
  assert.equal(de.json.requested_language, 'de');
  assert.equal(de.json.fallback, true);
  assert.equal(de.json.path, '/help/de/billing/invoices/how-to-issue-an-invoice');
  const es = await read(ARTICLE, '/api/v1/help/articles/invoices-cancel?language=es');
  assert.equal(es.json.language, 'pt-BR');
  assert.equal(es.json.fallback, true);
  const missing = await read(ARTICLE, '/api/v1/help/articles/no-such-article?language=en');
  assert.equal(missing.status, 404);
  assert.match(missing.json.detail, /no published article with the key "no-such-article"/);
  assert.equal((await read(ARTICLE, '/api/v1/help/articles/coming-soon?language=pt-BR')).status, 404, 'a draft is not public');
  assert.equal((await read(ARTICLE, '/api/v1/help/articles/Bad%20Key?language=pt-BR')).status, 404);
});

test('drafts and feedback counts are for agents', async () => {
  assert.equal((await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&drafts=true')).status, 403);
  const agent = { authorization: `Bearer ${agentToken}` };
  const r = await read('/api/v1/help/articles', '/api/v1/help/articles?language=pt-BR&product=financeiro&module=notas-fiscais&drafts=true', agent);
  // By title: "Como cancelar...", "Como emitir...", "Novidade em breve".
  assert.deepEqual(r.json.items.map((a) => [a.key, a.status]), [['invoices-cancel', 'published'], ['invoices-issue', 'published'], ['coming-soon', 'draft']]);
  assert.deepEqual(r.json.items[0].feedback, { helpful: 0, unhelpful: 0, deflections: 0 });
  const preview = await read(ARTICLE, '/api/v1/help/articles/coming-soon?language=pt-BR&drafts=true', agent);
  assert.equal(preview.status, 200);
  assert.equal(preview.json.status, 'draft');
});

test('votes: one per reader and article, changed by voting again; deflections once; bad input named', async () => {
  const vote = (body, headers) => send('/api/v1/help/articles/{key}/votes', '/api/v1/help/articles/invoices-issue/votes', body, headers);
  const first = await vote({ language: 'pt-BR', helpful: true });
  assert.equal(first.status, 200);
  assert.deepEqual(first.json, { key: 'invoices-issue', language: 'pt-BR', helpful: true });
  const cookie = first.headers.get('set-cookie');
  assert.match(cookie, /^chamado_reader=[A-Za-z0-9_-]{20,}; Path=\/api\/v1\/help; HttpOnly; SameSite=Lax/);
  const reader = { cookie: cookie.split(';')[0] };
  const again = await vote({ language: 'pt-BR', helpful: false }, reader);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get('set-cookie'), null, 'a known reader keeps their cookie');
  await vote({ language: 'en', helpful: true });  // another reader (no cookie)

  const deflect = (body, headers) => send('/api/v1/help/articles/{key}/deflections', '/api/v1/help/articles/invoices-issue/deflections', body, headers);
  assert.deepEqual((await deflect({ language: 'pt-BR' }, reader)).json, { key: 'invoices-issue', language: 'pt-BR', counted: true });
  assert.equal((await deflect({ language: 'pt-BR' }, reader)).json.counted, false);

  const agent = { authorization: `Bearer ${agentToken}` };
  const counts = await read(ARTICLE, '/api/v1/help/articles/invoices-issue?language=pt-BR&drafts=true', agent);
  assert.deepEqual(counts.json.feedback, { helpful: 1, unhelpful: 1, deflections: 1 });

  const missing = await vote({ language: 'pt-BR' });
  assert.equal(missing.status, 400);
  assert.ok(missing.json.errors.some((e) => e.field === 'helpful'));
  const wrong = await vote({ language: 'fr', helpful: 'yes', extra: 1 });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.json.errors.map((e) => e.field).sort(), ['extra', 'helpful', 'language']);
  const unknown = await send('/api/v1/help/articles/{key}/votes', '/api/v1/help/articles/nope/votes', { language: 'en', helpful: true });
  assert.equal(unknown.status, 404);
  const draft = await send('/api/v1/help/articles/{key}/deflections', '/api/v1/help/articles/coming-soon/deflections', { language: 'pt-BR' });
  assert.equal(draft.status, 404);
});

test('votes are bounded per client address', async () => {
  let limited = null;
  for (let i = 0; i < 70 && !limited; i++) {
    const r = await send('/api/v1/help/articles/{key}/votes', '/api/v1/help/articles/invoices-cancel/votes', { language: 'pt-BR', helpful: true });
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, 'no 429 after 70 votes from one address');
  assert.match(limited.json.detail, /Too many votes/);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test('a changed article is served changed at once, though the server keeps rendered answers', async () => {
  const before = await read(ARTICLE, '/api/v1/help/articles/boleto-payment?language=en');
  assert.match(before.json.html, /three business days/);
  assert.equal((await read(ARTICLE, '/api/v1/help/articles/boleto-payment?language=en')).text, before.text, 'the same answer again');
  // Another process (the command line) changes it.
  const again = mkdtempSync(join(tmpdir(), 'chamado-hc-change-'));
  writeFileSync(join(again, 'b.md'), '---\nkey: boleto-payment\nlanguage: en\ntitle: Paying by boleto\nproduct: Billing\nmodule: Payments\ntags: [boleto]\n---\nA boleto is due in **five** business days.\n');
  server.cli('help', 'import', again);
  const after = await read(ARTICLE, '/api/v1/help/articles/boleto-payment?language=en');
  assert.match(after.json.html, /<strong>five<\/strong> business days/);
  const page = await fetch(`${server.url}/help/en/billing/payments/paying-by-boleto`);
  assert.match(await page.text(), /content="A boleto is due in five business days."/);
});

test('help pages carry their title, description, canonical link and language for crawlers', async () => {
  const page = async (path) => {
    const r = await fetch(server.url + path);
    return { status: r.status, type: r.headers.get('content-type'), csp: r.headers.get('content-security-policy'), html: await r.text() };
  };
  const a = await page('/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal');
  assert.equal(a.status, 200);
  assert.match(a.type, /^text\/html/);
  assert.match(a.html, /<html lang="pt-BR">/);
  assert.match(a.html, /<title>Como emitir uma nota fiscal · Notas fiscais · Central de ajuda<\/title>/);
  assert.match(a.html, /<meta name="description" content="Vá em Financeiro &gt; Notas fiscais e clique em Emitir\./);
  assert.match(a.html, /<link rel="canonical" href="https:\/\/desk\.example\/help\/pt-BR\/financeiro\/notas-fiscais\/como-emitir-uma-nota-fiscal" \/>/);
  assert.match(a.csp, /frame-src 'self' https:\/\/www\.youtube-nocookie\.com https:\/\/player\.vimeo\.com/);
  const fallback = await page('/help/de/billing/payments/paying-by-boleto');
  assert.match(fallback.html, /<link rel="canonical" href="https:\/\/desk\.example\/help\/en\/billing\/payments\/paying-by-boleto"/);
  const module = await page('/help/pt-BR/financeiro/notas-fiscais');
  assert.match(module.html, /<title>Notas fiscais · Financeiro · Central de ajuda<\/title>/);
  assert.match(module.html, /content="Como cancelar uma nota fiscal · Como emitir uma nota fiscal"/);
  const product = await page('/help/pt-BR/projetos');
  assert.match(product.html, /<title>Projetos · Central de ajuda<\/title>/);
  const home = await page('/help/es');
  assert.match(home.html, /<html lang="es">/);
  assert.match(home.html, /<title>Centro de ayuda<\/title>/);
  const bare = await page('/help');
  assert.equal(bare.status, 200);
  assert.match(bare.html, /<title>Help center<\/title>/);
  const gone = await page('/help/pt-BR/financeiro/notas-fiscais/nao-existe');
  assert.equal(gone.status, 404);
  assert.match(gone.html, /<div id="app">/, 'the app still loads and says so');
  assert.doesNotMatch(gone.html, /rel="canonical"/);
  // Nothing a reader writes in the address reaches the page unescaped.
  const odd = await page('/help/pt-BR/%3Cscript%3E');
  assert.equal(odd.status, 404);
  assert.doesNotMatch(odd.html, /<script>/);
});

test('the sitemap lists every published page; robots.txt points to it', async () => {
  const r = await fetch(`${server.url}/sitemap.xml`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/xml/);
  const xml = await r.text();
  for (const loc of ['https://desk.example/help/pt-BR', 'https://desk.example/help/pt-BR/financeiro', 'https://desk.example/help/pt-BR/financeiro/notas-fiscais',
    'https://desk.example/help/pt-BR/financeiro/notas-fiscais/como-emitir-uma-nota-fiscal', 'https://desk.example/help/en/billing/invoices/how-to-issue-an-invoice'])
    assert.ok(xml.includes(`<loc>${loc}</loc>`), `${loc} is not in the sitemap`);
  assert.match(xml, /<lastmod>\d{4}-\d\d-\d\d<\/lastmod>/);
  assert.ok(!xml.includes('novidade-em-breve'), 'drafts are left out');
  const robots = await (await fetch(`${server.url}/robots.txt`)).text();
  assert.match(robots, /^Sitemap: https:\/\/desk\.example\/sitemap\.xml$/m);
  assert.match(robots, /^Disallow: \/agent$/m);
});

test('search tells same-titled articles apart and counts them per product and module', async () => {
  const r = await read('/api/v1/help/search', '/api/v1/help/search?q=exportar%20relatorios&language=pt-BR');
  assert.equal(r.status, 200);
  const same = r.json.items.filter((i) => i.title === 'Como exportar relatórios');
  assert.equal(same.length, 2);
  assert.deepEqual(same.map((i) => `${i.product_slug}/${i.module_slug}`).sort(), ['financeiro/relatorios', 'projetos/relatorios']);
  const products = r.json.facets.products;
  assert.deepEqual(products.map((p) => [p.name, p.count]).filter(([n]) => n !== 'Billing'), [['Financeiro', 1], ['Projetos', 1]]);
  assert.deepEqual(products.find((p) => p.slug === 'projetos').modules, [{ name: 'Relatórios', slug: 'relatorios', count: 1 }]);
  const narrowed = await read('/api/v1/help/search', '/api/v1/help/search?q=exportar%20relatorios&language=pt-BR&product=Projetos');
  assert.deepEqual(narrowed.json.items.map((i) => i.key), ['reports-projects']);
  assert.equal(narrowed.json.facets.products.length, products.length, 'facets ignore the filter, so it can be changed');
});
