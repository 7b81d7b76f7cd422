// The language switcher offers the desk's languages (web/src/languages.json, held to
// src/core/languages.h by languages_test) in their order, and each one shows its own locale file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { Browsers, assertBrowserReady, dist, webDir } from '../lib/browser.mjs';

const languages = JSON.parse(readFileSync(join(webDir, 'src', 'languages.json'), 'utf8'));
const locale = (code) => JSON.parse(readFileSync(join(webDir, 'src', 'locales', `${code}.json`), 'utf8'));

let server;
const browsers = new Browsers();

before(async () => {
  assertBrowserReady();
  server = await startServer({ web: dist });
});

after(async () => {
  await browsers.closeAll();
  if (server) await server.stop();
});

test('the sign-in page offers every language and speaks each', { timeout: 60_000 }, async () => {
  const page = await browsers.open();
  await page.goto(`${server.url}/login`);
  const select = page.getByTestId('language-select');
  await select.waitFor();
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ code: o.value, name: o.textContent })));
  assert.deepEqual(options, languages);
  for (const { code } of languages) {
    await select.selectOption(code);
    await page.getByRole('heading', { name: locale(code)['login.title'], exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), code);
  }
});
