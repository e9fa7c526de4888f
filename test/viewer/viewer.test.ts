/**
 * The web viewer in a real browser (Debian's chromium via playwright-core) against a real
 * server process with a token: the list updates live; a vim session's screen in the page is
 * the engine's; typing in the page reaches vim only when input is on; colours are the
 * renderer's; scrollback, fit-to-window resize and the snapshot/recording downloads work.
 * A screenshot of the page is kept in test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../helpers/service.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { teardown } from '../helpers/suite.js';
import { launch, login, newPage } from './browser.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const vim = findProgram('vim', 'vim.tiny', 'vi');
/** Page updates arrive within ~50 ms; the bound only matters on a loaded machine. */
const POLL = { timeout: 10_000, interval: 50 };

let server: ServerProcess;
let browser: Browser;
const errors: string[] = [];
/**
 * The server is pod "a" of a cluster whose peer "b" (TERMPOOL_PEERS) listens at `peerPort` only
 * while the cluster test runs a stand-in there (one server for every test: a second costs ~4 s
 * here). Elsewhere b is refused at once, which the list shows as a notice and nothing else.
 */
let peerPort: number;
let peer: Server | undefined;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  peerPort = await freePort();
  // Both started at once, each kept as soon as it is up: when one fails (no chromium), the
  // other is still stopped in afterAll.
  const [s, b] = await Promise.allSettled([
    spawnServer({
      TERMPOOL_TOKEN: `tp-${randomBytes(16).toString('hex')}`, TERMPOOL_ID_PREFIX: 'a', TERMPOOL_PEERS: `b=http://127.0.0.1:${peerPort}`,
    }).then((v) => (server = v)),
    launch().then((v) => (browser = v)),
  ]);
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});
afterAll(async () => {
  await teardown(() => browser?.close(), () => server?.stop(), () => stopPeer());
  // No script error in any page.
  expect(errors).toEqual([]);
});

/** Stops the stand-in peer, its keep-alive connections too (close() alone would wait them out). */
async function stopPeer(): Promise<void> {
  if (!peer?.listening) return;
  const closed = new Promise((r) => peer!.close(r));
  peer.closeAllConnections();
  await closed;
}

async function create(body: Record<string, unknown>): Promise<string> {
  const r = await server.api('POST', '/v1/sessions', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** The page's screen rows as text, right-trimmed like GET /screen?format=text. */
const pageLines = (page: Page): Promise<string[]> =>
  page.locator('#screen .row').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\s+$/, '')));

const apiLines = async (id: string): Promise<string[]> => {
  const r = await server.api('GET', `/v1/sessions/${id}/screen?format=text`);
  return (r.body as string).replace(/\n$/, '').split('\n');
};

/** Opens a session's view from the list page (the way a person does). */
async function openFromList(page: Page, id: string): Promise<void> {
  await login(page, server.url, server.token);
  await page.locator(`#sessions tr[data-id="${id}"] a`).click();
  await page.waitForURL(/\/ui\/term\.html\?id=/);
  await page.locator('#screen .row').first().waitFor();
}

describe('Viewer: session list', () => {
  it('asks for the token, lists sessions, shows a new one without a reload, names a peer that did not answer', async () => {
    const a = await create({ command: 'sleep', args: ['60'], cols: 90, rows: 20 });
    const page = await newPage(browser, errors);
    await page.goto(server.url + '/');
    // Without the token the page shows nothing but the prompt; a wrong token is refused.
    await page.locator('#auth input[name=token]').fill('wrong');
    await page.locator('#auth button[type=submit]').click();
    await expect.poll(() => page.locator('#auth .note').textContent(), POLL).toMatch(/refused/);
    expect(await page.locator('#sessions tbody tr').count()).toBe(0);
    await page.locator('#auth input[name=token]').fill(server.token);
    await page.locator('#auth button[type=submit]').click();
    const row = page.locator(`#sessions tr[data-id="${a}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 5)).toEqual([a, 'sleep 60', '90×20', 'running', '1']);
    const b = await create({ command: 'sleep', args: ['61'] });
    await page.locator(`#sessions tr[data-id="${b}"]`).waitFor();
    expect(await page.locator(`#sessions tr[data-id="${b}"] td.command`).textContent()).toBe('sleep 61');

    // A cluster list missing a peer: nothing listens at b's port, so the list is a's alone, and
    // the page says whose sessions are missing.
    expect(a).toMatch(/^a-/);
    const notice = page.locator('#partial');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.textContent()).toMatch(new RegExp(`^Incomplete list: peer b \\(http://127\\.0\\.0\\.1:${peerPort}: ECONNREFUSED\\) did not answer`));
    expect(await page.locator('#status').textContent()).toMatch(/^\d+ sessions? \(incomplete\)$/);
    // b comes up and answers the fan-out as a pod does (its own sessions, asked with the caller's
    // token; a stand-in process, not a second server): the next polls list its session and drop the notice.
    const theirs = { ...(await server.api('GET', `/v1/sessions/${a}`)).body, id: 'b-0000000001' };
    const asked: string[] = [];
    peer = createServer((req, res) => {
      asked.push(`${req.method} ${req.url} ${req.headers.authorization === `Bearer ${server.token}`} ${req.headers['termpool-fan-out']}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sessions: [theirs] }));
    });
    await new Promise<void>((r) => peer!.listen(peerPort, '127.0.0.1', r));
    await page.locator(`#sessions tr[data-id="${theirs.id}"]`).waitFor();
    await notice.waitFor({ state: 'hidden' });
    expect(await notice.textContent()).toBe('');
    expect(await page.locator('#status').textContent()).toMatch(/^\d+ sessions$/);
    expect(asked[0]).toBe('GET /v1/sessions true a');
    // Gone again: the notice is back and b's session is no longer listed.
    await stopPeer();
    await notice.waitFor({ state: 'visible' });
    expect(await page.locator(`#sessions tr[data-id="${theirs.id}"]`).count()).toBe(0);
    await page.context().close();
  });
});

describe('Viewer: a vim session', () => {
  it('shows vim\'s screen; read-only sends nothing; with input on, ihello<Esc> reaches vim', async () => {
    expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; .ci/run does)').not.toBeNull();
    const id = await create({ command: vim!, args: ['-u', 'NONE', '-i', 'NONE', '-N', '-n'], cols: 80, rows: 24 });
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { regex: '^~', stableMs: 200, timeoutMs: 10_000 })).status).toBe(200);
    const page = await newPage(browser, errors);
    const sent: unknown[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)))));
    await openFromList(page, id);
    // The page shows exactly the engine's screen.
    const expected = await apiLines(id);
    expect(expected.filter((l) => l === '~').length).toBeGreaterThan(10);
    await expect.poll(() => pageLines(page), POLL).toEqual(expected);
    expect(await page.locator('#status').textContent()).toMatch(/read-only/);

    // Read-only (the default): keys typed into the terminal are not sent.
    await page.locator('#term').click();
    await page.keyboard.type('ixyz');
    await page.keyboard.press('Escape');
    // Input on: the same keys now go to vim.
    await page.locator('#input-toggle').check();
    await page.keyboard.type('ihello');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await pageLines(page))[0], POLL).toBe('hello');
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { regex: '^hello$', timeoutMs: 5000 })).status).toBe(200);
    expect((await apiLines(id))[0]).toBe('hello');
    // Frames are sent in order, so anything typed while read-only would come first.
    const inputs = sent.filter((m) => (m as { type: string }).type === 'input');
    expect(inputs).toEqual([
      ...'ihello'.split('').map((text) => ({ type: 'input', text })),
      { type: 'input', keys: ['Escape'] },
    ]);
    expect(await apiLines(id)).not.toContain('xyz');
    // vim clears "-- INSERT --" only after its Esc timeout: let the screen settle before taking
    // the API's copy to compare with, or the page can rightly show a newer screen than it.
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { stableMs: 300, timeoutMs: 5000 })).status).toBe(200);
    await expect.poll(() => pageLines(page), POLL).toEqual(await apiLines(id));
    await page.screenshot({ path: new URL('viewer.png', ARTIFACTS).pathname });
    await page.context().close();
  });
});

describe('Viewer: colours, scrollback, resize, downloads', () => {
  let id: string;
  let page: Page;
  beforeAll(async () => {
    id = await create({
      command: 'bash',
      args: ['--norc', '--noprofile', '-c', "seq 1 60; printf '\\e[31mRED\\e[0m \\e[1;32;44mGB\\e[0m 日本\\nSIZE\\n\\e#6SIZE\\n\\e#3SIZE\\n\\e#4SIZE\\n'; exec sleep 60"],
      cols: 80, rows: 24,
    });
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { regex: '(SIZE[^]*){4}', timeoutMs: 5000 })).status).toBe(200);
    page = await newPage(browser, errors);
    await openFromList(page, id);
    await page.locator('#screen span', { hasText: 'RED' }).waitFor();
    await page.locator('#screen .row .dl').nth(2).waitFor();
  });
  afterAll(async () => { await page?.context().close(); });

  it('a styled cell has the colour the engine gave it; wide characters take two columns', async () => {
    const css = (text: string) => page.locator('#screen span', { hasText: new RegExp(`^${text}$`) }).evaluate((el) => {
      const s = el.ownerDocument.defaultView!.getComputedStyle(el);
      return { color: s.color, background: s.backgroundColor, weight: s.fontWeight, width: el.getBoundingClientRect().width };
    });
    expect(await css('RED')).toMatchObject({ color: 'rgb(205, 0, 0)' }); // xterm palette 1
    expect(await css('GB')).toMatchObject({ color: 'rgb(0, 205, 0)', background: 'rgb(0, 0, 238)', weight: '700' });
    const wide = await css('日');
    const narrow = (await css('RED')).width / 3;
    expect(wide.width).toBeCloseTo(2 * narrow, 0);
    await page.screenshot({ path: new URL('viewer-colours.png', ARTIFACTS).pathname });
  });

  it('DECDWL/DECDHL rows: the double-width text twice as wide; double-height halves twice as wide and tall, each clipped to its row', async () => {
    // Where each row's text is drawn (a Range's box follows CSS transforms), relative to its row.
    const boxes = await page.locator('#screen .row').evaluateAll((rows) => rows.filter((row) => (row.textContent ?? '').includes('SIZE')).map((row) => {
      const walk = row.ownerDocument.createTreeWalker(row, 4 /* NodeFilter.SHOW_TEXT */);
      let text: typeof walk.currentNode | null = null;
      while (walk.nextNode()) if ((walk.currentNode.textContent ?? '').includes('SIZE')) { text = walk.currentNode; break; }
      const range = row.ownerDocument.createRange();
      const at = (text!.textContent ?? '').indexOf('SIZE');
      range.setStart(text!, at);
      range.setEnd(text!, at + 4);
      const r = range.getBoundingClientRect(), box = row.getBoundingClientRect();
      const clip = row.querySelector('.dl');
      return {
        width: r.width, height: r.height, top: r.top - box.top, left: r.left - box.left, rowHeight: box.height,
        clipped: clip === null ? null : row.ownerDocument.defaultView!.getComputedStyle(clip).overflow,
        clipHeight: clip === null ? null : clip.getBoundingClientRect().height,
      };
    }));
    const [normal, wide, top, bottom] = boxes as [typeof boxes[0], typeof boxes[0], typeof boxes[0], typeof boxes[0]];
    expect(normal.width).toBeGreaterThan(20);
    expect(normal.clipped).toBeNull();
    expect(wide.width).toBeCloseTo(2 * normal.width, 0);
    expect(wide.height).toBeCloseTo(normal.height, 0);
    for (const half of [top, bottom]) {
      expect(half.width).toBeCloseTo(2 * normal.width, 0);
      expect(half.height).toBeCloseTo(2 * normal.height, 0);
    }
    // The top half starts at its row, the bottom half one row above it (its lower half shows).
    expect(top.top).toBeCloseTo(normal.top, 0);
    expect(bottom.top).toBeCloseTo(normal.top - normal.rowHeight, 0);
    for (const b of [wide, top, bottom]) {
      expect(b.left).toBeCloseTo(normal.left, 0);
      expect(b.clipped).toBe('hidden');
      expect(b.clipHeight).toBe(normal.rowHeight);
      expect(b.rowHeight).toBe(normal.rowHeight);
    }
    expect(boxes).toHaveLength(4);
    await page.locator('#screen .row .dl').first().screenshot({ path: new URL('viewer-line-size.png', ARTIFACTS).pathname });
  });

  it('scrolling up fetches scrollback above the screen', async () => {
    const info = await server.api('GET', `/v1/sessions/${id}`);
    expect(info.body.scrollbackLength).toBeGreaterThan(30);
    expect(await page.locator('#history .row').count()).toBe(0);
    await page.locator('#wrap').hover();
    await page.mouse.wheel(0, -400);
    await page.locator('#history .row').first().waitFor();
    const history = await page.locator('#history .row').allTextContents();
    expect(history).toHaveLength(info.body.scrollbackLength);
    expect(history.slice(0, 3)).toEqual(['1', '2', '3']);
    // The screen continues where the scrollback ends.
    expect(Number((await pageLines(page))[0])).toBe(Number(history.at(-1)) + 1);
  });

  it('PNG, SVG and text buttons download the screen', async () => {
    const get = async (button: string): Promise<{ name: string; data: Buffer }> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
      return { name: download.suggestedFilename(), data: readFileSync((await download.path())!) };
    };
    const png = await get('#btn-png');
    expect(png.name).toBe(`${id}.png`);
    expect(png.data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.data.readUInt32BE(16)).toBeGreaterThan(80 * 5); // IHDR width
    const svg = await get('#btn-svg');
    expect(svg.data.toString()).toMatch(/^<svg|<\?xml/);
    expect(svg.data.toString()).toContain('RED');
    const text = await get('#btn-text');
    expect(text.data.toString()).toBe((await apiLines(id)).join('\n') + '\n');
  });

  it('the recording button follows session info (recording: true) and downloads the cast', async () => {
    const info = await server.api('GET', `/v1/sessions/${id}`);
    expect(info.body.recording).toBe(false);
    expect(await page.locator('#btn-recording').isHidden()).toBe(true);
    const rec = await create({ command: 'bash', args: ['--norc', '--noprofile', '-c', 'echo recorded; exec sleep 60'], record: true });
    expect((await server.api('POST', `/v1/sessions/${rec}/wait`, { text: 'recorded', timeoutMs: 5000 })).status).toBe(200);
    const p = await newPage(browser, errors);
    await openFromList(p, rec);
    await p.locator('#btn-recording').waitFor({ state: 'visible' });
    const [download] = await Promise.all([p.waitForEvent('download'), p.locator('#btn-recording').click()]);
    expect(download.suggestedFilename()).toBe(`${rec}.cast`);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 2 });
    expect(lines.slice(1).map((l) => JSON.parse(l)[2]).join('')).toContain('recorded');
    await p.context().close();
  });

  it('"resize session to fit" resizes the session to the window', async () => {
    await page.locator('#fit-toggle').check();
    // What the page should ask for: the room in the wrap over the cell size of its measuring
    // span (10 characters). Compared until they agree (a scrollbar may come or go meanwhile).
    const fits = async () => {
      const m = await page.locator('#measure').evaluate((el) => el.getBoundingClientRect().toJSON() as { width: number; height: number });
      const w = await page.locator('#wrap').evaluate((el) => ({ width: el.clientWidth, height: el.clientHeight }));
      return { cols: Math.floor(w.width / (m.width / 10)), rows: Math.floor(w.height / m.height) };
    };
    const session = async () => {
      const s = (await server.api('GET', `/v1/sessions/${id}`)).body;
      return { cols: s.cols, rows: s.rows };
    };
    await expect.poll(async () => JSON.stringify(await session()) === JSON.stringify(await fits()), POLL).toBe(true);
    const want = await session();
    expect(want.cols).toBeGreaterThan(80);
    await expect.poll(() => page.locator('#screen .row').count(), POLL).toBe(want.rows);
  });
});

describe('Viewer: copy embed snippet', () => {
  it('gives asciinema-player HTML on this session\'s ALiS stream with its read-only key, never the token', async () => {
    const id = await create({ command: 'sleep', args: ['60'] });
    const page = await newPage(browser, errors);
    await openFromList(page, id);
    await page.locator('#btn-embed').click();
    const box = page.locator('#embed-snippet');
    await box.waitFor();
    const snippet = await box.inputValue();
    const key = (await server.api('GET', `/v1/sessions/${id}/alis-key`)).body.key as string;
    expect(snippet).toContain(`AsciinemaPlayer.create("${server.url.replace('http', 'ws')}/v1/sessions/${id}/alis?key=${key}"`);
    expect(snippet).toContain('<script src="asciinema-player.min.js"></script>');
    expect(snippet).not.toContain(server.token);
    await page.context().close();
  });
});
