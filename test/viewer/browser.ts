/**
 * Debian's chromium driven by playwright-core for the web viewer's tests (no browser download:
 * `.ci/run` installs the chromium package). One headless browser per test file; each test
 * gets a fresh context (its own sessionStorage, so the token prompt is seen again).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env['TERMPOOL_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (apt-get install chromium; .ci/run does)`).toBe(true);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in a fresh context that reports script errors to `errors`. */
export async function newPage(browser: Browser, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 }, acceptDownloads: true });
  // Fail a wait well within vitest's test timeout, with Playwright's message.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** Opens the list page and answers its token prompt. */
export async function login(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url + '/');
  await page.locator('#auth input[name=token]').fill(token);
  await page.locator('#auth button[type=submit]').click();
  await page.locator('#auth').waitFor({ state: 'hidden' });
}
