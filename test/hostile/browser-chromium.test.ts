/**
 * The browser attacks of test/hostile/browser.test.ts, made by a real browser (Debian's chromium
 * via playwright-core) against a server without a token, as an attacker's page would make them:
 *
 * - DNS rebinding, with chromium's own resolver told that `rebind.test` is 127.0.0.1
 *   (--host-resolver-rules): the page at http://rebind.test:<port>/ is, for the browser, the
 *   same origin as the API, so before the host guard it could create sessions and read them.
 * - WebSocket hijacking from a page of another origin (another port on 127.0.0.1): the browser
 *   lets any page open a WebSocket anywhere; only the server can look at Origin.
 *
 * And the viewer, served to the browser as its own origin, still works (CSP, Origin).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { teardown } from '../helpers/suite.js';
import { CHROMIUM } from '../viewer/browser.js';

const POLL = { timeout: 10_000, interval: 50 };

let srv: TestServer;
let attacker: http.Server;
let attackerUrl: string;
let browser: Browser;
let port: string;
let dir: string;
const errors: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-chromium-'));
  srv = await startTestServer();
  port = new URL(srv.url).port;
  // The attacker's own site: an empty page on another port (another origin, same machine).
  attacker = http.createServer((_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<!DOCTYPE html><title>evil</title>'); });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  const a = attacker.address();
  attackerUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (apt-get install chromium; .ci/run does)`).toBe(true);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // The rebinding: the attacker's name now resolves to this machine.
      '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
});
afterAll(() => teardown(
  () => browser?.close(),
  () => new Promise((resolve) => attacker ? attacker.close(resolve) : resolve(undefined)),
  () => srv?.close(),
  () => dir && rmSync(dir, { recursive: true, force: true }),
));

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** What a script in the page gets from fetch: the status and body, or the error's name. */
function pageFetch(page: Page, url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string } | { error: string }> {
  return page.evaluate(async ([u, i]) => {
    try {
      const r = await fetch(u, i);
      return { status: r.status, text: await r.text() };
    } catch (e) {
      return { error: (e as Error).name };
    }
  }, [url, init] as const);
}

/** Opens a WebSocket from the page; 'open' (with what it received) or 'refused'. */
function pageSocket(page: Page, url: string, send: string): Promise<string> {
  return page.evaluate(([u, msg]) => new Promise<string>((resolve) => {
    const ws = new WebSocket(u);
    ws.onopen = () => { ws.send(msg); setTimeout(() => { ws.close(); resolve('open'); }, 200); };
    ws.onerror = () => resolve('refused');
  }), [url, send] as const);
}

describe('A real browser: DNS rebinding', () => {
  it('a page on a rebound name gets 421 for the page itself, for creating a session and for the WebSocket', async () => {
    const victim = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] })).body.id as string;
    const before = (await srv.api('GET', '/v1/sessions')).body.sessions.length;
    const marker = join(dir, 'rebound');
    const page = await newPage();
    const nav = await page.goto(`http://rebind.test:${port}/`);
    expect(nav?.status()).toBe(421);
    // Same origin as far as the browser knows: no preflight, every answer readable.
    const create = await pageFetch(page, '/v1/sessions', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'touch', args: [marker] }),
    });
    expect(create).toMatchObject({ status: 421 });
    expect(JSON.parse((create as { text: string }).text)).toMatchObject({ error: 'HOST_NOT_ALLOWED' });
    const list = await pageFetch(page, '/v1/sessions', { method: 'GET' });
    expect(list).toMatchObject({ status: 421 });
    expect((list as { text: string }).text).not.toContain(victim);
    expect(await pageSocket(page, `ws://rebind.test:${port}/v1/sessions/${victim}/ws`, JSON.stringify({ type: 'input', text: `touch ${marker}\r` }))).toBe('refused');
    await page.context().close();
    expect((await srv.api('GET', '/v1/sessions')).body.sessions.length).toBe(before);
    expect((await srv.api('POST', `/v1/sessions/${victim}/wait`, { stableMs: 300, timeoutMs: 5000 })).status).toBe(200);
    expect(existsSync(marker)).toBe(false);
    await srv.api('DELETE', `/v1/sessions/${victim}`);
  });
});

describe('A real browser: another origin', () => {
  it('cannot hijack a session\'s WebSocket, nor create, delete or call /mcp', async () => {
    const victim = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['--norc', '--noprofile'] })).body.id as string;
    const marker = join(dir, 'hijacked');
    const page = await newPage();
    await page.goto(attackerUrl + '/');
    expect(await pageSocket(page, `ws://127.0.0.1:${port}/v1/sessions/${victim}/ws`, JSON.stringify({ type: 'input', text: `touch ${marker}\r` }))).toBe('refused');
    // Simple requests (no preflight): the server refuses them by Origin, whatever the body.
    for (const [method, path] of [['POST', '/v1/sessions'], ['POST', '/mcp'], ['DELETE', `/v1/sessions/${victim}`]] as const) {
      const r = await pageFetch(page, `http://127.0.0.1:${port}${path}`, { method, body: method === 'DELETE' ? undefined : '{"command":"true"}', headers: { 'content-type': 'text/plain' } } as never);
      // The answer is opaque to the page (no CORS), so it sees a network error: the server's own
      // figures below say what happened.
      expect(r, `${method} ${path}`).toEqual({ error: 'TypeError' });
    }
    await page.context().close();
    expect((await srv.api('GET', `/v1/sessions/${victim}`)).body.state).toBe('running');
    expect(srv.app.websocketServer.clients.size).toBe(0);
    expect((await srv.api('POST', `/v1/sessions/${victim}/wait`, { stableMs: 300, timeoutMs: 5000 })).status).toBe(200);
    expect((await srv.api('GET', `/v1/sessions/${victim}/screen?format=text`)).body).not.toContain('touch');
    expect(existsSync(marker)).toBe(false);
    await srv.api('DELETE', `/v1/sessions/${victim}`);
  });
});

describe('A real browser: the viewer on its own origin still works', () => {
  it('shows a session over the WebSocket and resizes it (POST with the page\'s Origin)', async () => {
    const id = (await srv.api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo viewer-ok; sleep 60'] })).body.id as string;
    for (const base of [srv.url, `http://localhost:${port}`]) {
      await srv.api('POST', `/v1/sessions/${id}/resize`, { cols: 80, rows: 24 });
      const page = await newPage();
      await page.goto(`${base}/ui/term.html?id=${id}`);
      await expect.poll(() => page.locator('#screen .row').first().textContent(), POLL).toBe('viewer-ok');
      await page.locator('#fit-toggle').check();
      await expect.poll(async () => (await srv.api('GET', `/v1/sessions/${id}`)).body.cols, POLL).not.toBe(80);
      await page.context().close();
    }
    await srv.api('DELETE', `/v1/sessions/${id}`);
    expect(errors).toEqual([]);
  });
});
