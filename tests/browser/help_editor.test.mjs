// The help center's editor in a real browser: an agent writes a new article from the "Help
// center" list, uploads an image into its Markdown, saves twice, reads a revision's diff and
// restores the first, is told when another agent saved meanwhile; then, on a ticket, inserts an
// article's link into a reply and makes a draft article of the sent reply.
//
// The preview pane calls POST /api/v1/help/preview, which the reading side of the help center
// provides; this test does not depend on it either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, signIn } from '../lib/browser.mjs';

const AGENT = { email: 'lia@desk.test', password: 'agent-pass-1' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pixels')]);

let server, lia, rui;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
  server.addUser('agent', AGENT.email, AGENT.password, ['--name', 'Lia Agent']);
  server.addUser('agent', 'rui@desk.test', 'agent-pass-2', ['--name', 'Rui Agent']);
  lia = tokenClient(server.url, server.token(AGENT.email));
  rui = tokenClient(server.url, server.token('rui@desk.test'));
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

const first = 'To reset your password:\n\n1. Open the sign-in page.\n2. Click "Forgot password".\n';

test('an agent writes, illustrates, revises and restores an article', { timeout: 180_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/agent`);
  await signIn(page, AGENT, '/agent');
  await page.getByTestId('nav-help-articles').click();
  await page.waitForURL((u) => u.pathname === '/agent/help');

  await page.getByTestId('help-new-key').fill('Bad Key');
  await page.getByTestId('help-new-open').click();
  assert.equal(await page.getByTestId('help-new-key').getAttribute('aria-invalid'), 'true');
  await page.getByTestId('help-new-key').fill('portal-password-reset');
  await page.getByTestId('help-new-language').selectOption('en');
  await page.getByTestId('help-new-open').click();
  await page.waitForURL((u) => u.pathname === '/agent/help/portal-password-reset/en');

  await page.getByTestId('help-title').fill('Reset your password');
  await page.getByTestId('help-product').fill('Portal');
  await page.getByTestId('help-module').fill('Account');
  await page.getByTestId('help-tags').fill('password, sign-in');
  await page.getByTestId('help-status-select').selectOption('published');
  await page.getByTestId('help-body').fill(first);
  // The image goes where the cursor is: at the end.
  await page.getByTestId('help-body').evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.getByTestId('help-image').setInputFiles({ name: 'Forgot Link.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForFunction(() => /!\[Forgot Link\]\(\/api\/v1\/help\/images\/\d+\/forgot-link\.png\)/.test(document.querySelector('[data-testid="help-body"]').value));
  await page.getByTestId('help-save').click();
  await page.getByTestId('help-saved').filter({ hasText: 'revision 1' }).waitFor();
  const saved = (await lia.get('/api/v1/help/articles/portal-password-reset/en')).json;
  assert.equal(saved.revision, 1);
  assert.equal(saved.status, 'published');
  assert.deepEqual(saved.tags, ['password', 'sign-in']);
  assert.equal(saved.updated_by.name, 'Lia Agent');
  const imageUrl = saved.body.match(/\((\/api\/v1\/help\/images\/\d+\/forgot-link\.png)\)/)[1];
  const image = await fetch(server.url + imageUrl);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');

  // A second revision adds a line.
  assert.ok(saved.body.startsWith(first) && saved.body.endsWith('.png)\n'), saved.body);  // the image on a line of its own
  await page.getByTestId('help-body').fill(`${saved.body}3. Check your inbox.\n`);
  await page.getByTestId('help-save').click();
  await page.getByTestId('help-saved').filter({ hasText: 'revision 2' }).waitFor();
  await page.locator('[data-testid="help-revision"][data-number="2"]').waitFor();
  assert.equal(await page.getByTestId('help-revision').count(), 2);

  // Its diff shows the added line; revision 1 comes back as revision 3.
  await page.locator('[data-testid="help-revision"][data-number="2"] button').click();
  const added = page.getByTestId('help-diff').locator('[data-op="added"]');
  await added.first().waitFor();
  assert.deepEqual(await added.allInnerTexts().then((l) => l.map((x) => x.replace(/^\+\s*(added:)?\s*/, ''))), ['3. Check your inbox.']);
  await page.locator('[data-testid="help-revision"][data-number="1"] button').click();
  await page.getByTestId('help-restore').click();
  await page.getByTestId('help-saved').filter({ hasText: 'revision 3' }).waitFor();
  assert.equal(await page.getByTestId('help-body').inputValue(), saved.body);
  await page.locator('[data-testid="help-revision"][data-number="3"]').waitFor();
  assert.equal(await page.getByTestId('help-revision').count(), 3);

  // Rui saves meanwhile: Lia's next save is refused, and she is told by whom.
  const r = await rui.put('/api/v1/help/articles/portal-password-reset/en', { title: 'Reset a password', body: saved.body, product: 'Portal', module: 'Account', status: 'published' });
  assert.equal(r.status, 200);
  await page.getByTestId('help-title').fill('Reset your password (portal)');
  await page.getByTestId('help-save').click();
  const conflict = page.getByTestId('help-conflict');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Rui Agent/);

  // The list shows it, and filters by status.
  await page.goto(`${server.url}/agent/help?status=published`);
  await page.locator('[data-testid="help-row"][data-key="portal-password-reset"]').waitFor();
  await page.getByTestId('help-filter-status').selectOption('draft');
  await page.getByText('No article matches these filters.').waitFor();
});

test('a reply links an article, and a sent reply becomes a draft article', { timeout: 180_000 }, async () => {
  const opened = await lia.post('/api/v1/tickets', { subject: 'Cannot sign in after the update', description: 'It says my password is wrong.', requester: { email: 'ze@customer.test' }, channel: 'email' });
  assert.equal(opened.status, 201, opened.text);
  const number = opened.json.number;
  const page = await browsers.open();
  await page.goto(`${server.url}/agent/tickets/${number}`);
  await signIn(page, AGENT, `/agent/tickets/${number}`);

  await page.getByTestId('composer-body').fill('Hello! This shows how:');
  await page.getByTestId('article-link-open').click();
  await page.getByTestId('article-link-q').fill('password');
  await page.locator('[data-testid="article-link-hit"][data-key="portal-password-reset"]').waitFor();
  await page.locator('[data-testid="article-link-hit"][data-key="portal-password-reset"] [data-testid="article-link-insert"]').click();
  const body = await page.getByTestId('composer-body').inputValue();
  assert.ok(body.startsWith('Hello! This shows how:'), body);
  const linked = (await lia.get('/api/v1/help/articles/portal-password-reset/en')).json;
  assert.ok(body.endsWith(` [${linked.title}](${server.url}${linked.path})`), body);
  assert.match(linked.path, /^\/help\/en\/portal\/account\/reset-/);
  await page.getByTestId('composer-submit').click();
  await page.getByTestId('composer-sent').waitFor();

  await page.getByTestId('message-make-article').first().click();
  await page.waitForURL((u) => u.pathname === '/agent/help/cannot-sign-in-after-the-update/en');
  assert.equal(await page.getByTestId('help-title').inputValue(), 'Cannot sign in after the update');
  assert.equal(await page.getByTestId('help-body').inputValue(), body);
  assert.equal(await page.getByTestId('help-status-select').inputValue(), 'draft');
  await page.getByTestId('help-save').click();
  await page.getByTestId('help-saved').filter({ hasText: 'revision 1' }).waitFor();
  const draft = (await lia.get('/api/v1/help/articles/cannot-sign-in-after-the-update/en')).json;
  assert.equal(draft.status, 'draft');
});
