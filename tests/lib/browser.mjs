// Browser tests' common ground: Debian's Chromium driven by playwright-core (from web/'s
// node_modules), one throw-away profile per person, and signing in through the UI.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './server.mjs';

export const webDir = join(repoRoot, 'web');
export const dist = join(webDir, 'dist');
const chromiumPath = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

// Headless, offline, no first-run or update traffic (this machine's network is closed).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails early, with what to do, when the UI is not built or Chromium is missing. */
export function assertBrowserReady() {
  assert.ok(existsSync(join(dist, 'index.html')), `build the web UI first: cd ${webDir} && npm ci && npm run build`);
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_BIN)`);
}

/** Browsers opened by a test file; close them all in its `after` hook. */
export class Browsers {
  #open = []; // { context, dir }

  /** A browser of one's own with a fresh profile; returns its first page. */
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'chamado-chromium-'));
    const entry = { context: null, dir };
    this.#open.push(entry);
    entry.context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
    });
    entry.context.setDefaultTimeout(15_000);
    entry.context.setDefaultNavigationTimeout(15_000);
    const page = entry.context.pages()[0] ?? (await entry.context.newPage());
    page.on('pageerror', (e) => console.error(`[browser] page error: ${e.message}`));
    return page;
  }

  async closeAll() {
    for (const b of this.#open) {
      try {
        await b.context?.close();
      } catch {
        /* already gone */
      }
      rmSync(b.dir, { recursive: true, force: true });
    }
    this.#open = [];
  }
}

/** Signs in on the sign-in page the app sent us to, and waits to land on `expectPath`. */
export async function signIn(page, who, expectPath) {
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === expectPath);
}
