/**
 * The web viewer in a real browser (Debian's chromium via playwright-core) against a real
 * server process with a token: the list updates live; a vim session's screen in the page is
 * the engine's; typing in the page reaches vim only when input is on; colours are the
 * renderer's; scrollback, fit-to-window resize and the snapshot/recording downloads work.
 * A screenshot of the page is kept in test-artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../helpers/service.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { teardown } from '../helpers/suite.js';
import { launch, login, newPage } from './browser.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const vim = findProgram('vim', 'vim.tiny', 'vi');
/** Page updates arrive within ~50 ms; the bound only matters on a loaded machine. */
const POLL = { timeout: 10_000, interval: 50 };

let server: ServerProcess;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Both started at once, each kept as soon as it is up: when one fails (no chromium), the
  // other is still stopped in afterAll.
  const [s, b] = await Promise.allSettled([
    spawnServer({ TERMPOOL_TOKEN: `tp-${randomBytes(16).toString('hex')}` }).then((v) => (server = v)),
    launch().then((v) => (browser = v)),
  ]);
  for (const r of [s, b]) if (r.status === 'rejected') throw r.reason;
});
afterAll(async () => {
  await teardown(() => browser?.close(), () => server?.stop());
  // No script error in any page.
  expect(errors).toEqual([]);
});

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
  it('asks for the token, lists sessions, and shows a new one without a reload', async () => {
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
      args: ['--norc', '--noprofile', '-c', "seq 1 60; printf '\\e[31mRED\\e[0m \\e[1;32;44mGB\\e[0m 日本\\n'; exec sleep 60"],
      cols: 80, rows: 24,
    });
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { text: 'GB', timeoutMs: 5000 })).status).toBe(200);
    page = await newPage(browser, errors);
    await openFromList(page, id);
    await page.locator('#screen span', { hasText: 'RED' }).waitFor();
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

describe('Viewer: DECDWL/DECDHL lines', () => {
  it('a double-width row\'s text is twice as wide; double-height halves twice as wide and tall, each clipped to its row', async () => {
    const id = await create({
      command: 'bash',
      args: ['--norc', '--noprofile', '-c', "printf 'SIZE\\n\\e#6SIZE\\n\\e#3SIZE\\n\\e#4SIZE\\ndone'; exec sleep 60"],
      cols: 40, rows: 6,
    });
    expect((await server.api('POST', `/v1/sessions/${id}/wait`, { text: 'done', timeoutMs: 5000 })).status).toBe(200);
    const page = await newPage(browser, errors);
    await openFromList(page, id);
    await expect.poll(() => page.locator('#screen .row .dl').count(), POLL).toBe(3);
    // Where each row's text is drawn (a Range's box follows CSS transforms), relative to its row.
    const boxes = await page.locator('#screen .row').evaluateAll((rows) => rows.slice(0, 4).map((row) => {
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
    await page.screenshot({ path: new URL('viewer-line-size.png', ARTIFACTS).pathname });
    await page.context().close();
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
