/**
 * Screen ETags and deltas (src/sessions/screen-delta.ts) on a real server and a real pty: the tag
 * is stable while nothing changes and changes with output; If-None-Match gives 304 with no body
 * (text and PNG); ?since= gives exactly the rows that changed; an unknown tag gives full: true;
 * since with another format is a 400 naming since; the remembered versions stay within budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { ScreenDelta } from '../../src/schemas/screen.js';
import { ScreenVersions, screenVersions, DELTA_SESSION_BYTES, DELTA_TOTAL_BYTES, DELTA_VERSIONS } from '../../src/sessions/screen-delta.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

const get = (id: string, query: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${srv.url}/v1/sessions/${id}/screen?${query}`, { headers });

/** cat echoing what it is sent; a line per write, each at a known row. */
async function cat(): Promise<string> {
  const { id } = await srv.client.createSession({ command: 'cat', cols: 30, rows: 6 });
  return id;
}

async function type(id: string, line: string): Promise<void> {
  await srv.client.sendText(id, `${line}\r`);
  expect((await srv.client.wait(id, { regex: `^${line}$`, timeoutMs: 5000 })).satisfied).toBe(true);
  // Both echo and cat's copy are on screen before reading: output is quiet.
  await srv.client.wait(id, { stableMs: 100, timeoutMs: 5000 });
}

describe('GET /screen: ETag, If-None-Match, since', () => {
  it('the ETag is stable while nothing changes, changes with output, and If-None-Match gives 304 (text, json, png)', async () => {
    const id = await cat();
    await srv.client.wait(id, { stableMs: 100, timeoutMs: 5000 });
    const a = await get(id, 'format=text');
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/); // strong, quoted
    expect((await get(id, 'format=text')).headers.get('etag')).toBe(etag);
    const notModified = await get(id, 'format=text', { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    // Each format has its own tag: a text tag is not a PNG's.
    const png = await get(id, 'format=png');
    const pngTag = png.headers.get('etag')!;
    expect(pngTag).not.toBe(etag);
    expect((await get(id, 'format=png', { 'if-none-match': pngTag })).status).toBe(304);
    expect((await get(id, 'format=png', { 'if-none-match': etag })).status).toBe(200);
    expect((await get(id, 'format=text&scrollback=5')).headers.get('etag')).not.toBe(etag);
    // A list with the tag among others matches, and so does the weak form (weak comparison for GET).
    expect((await get(id, 'format=text', { 'if-none-match': `"x", W/${etag}` })).status).toBe(304);

    await type(id, 'hello');
    const b = await get(id, 'format=text', { 'if-none-match': etag });
    expect(b.status).toBe(200);
    expect(await b.text()).toContain('hello');
    expect(b.headers.get('etag')).not.toBe(etag);
    expect((await get(id, 'format=png', { 'if-none-match': pngTag })).status).toBe(200);
    // A resize changes it too.
    const before = (await get(id, 'format=json')).headers.get('etag')!;
    await srv.client.resize(id, 31, 6);
    expect((await get(id, 'format=json', { 'if-none-match': before })).status).toBe(200);
    // The client's form.
    const c = await srv.client.screenIfChanged(id, { format: 'png' });
    expect(c.notModified).toBe(false);
    expect(await srv.client.screenIfChanged(id, { format: 'png', ifNoneMatch: c.etag })).toEqual({ notModified: true, etag: c.etag });
  });

  it('since: exactly the rows that changed (text and json); unchanged: none; unknown: full', async () => {
    const id = await cat();
    await type(id, 'one');
    const first = await get(id, 'format=text');
    const since = first.headers.get('etag')!;
    expect((await first.text()).split('\n').slice(0, 2)).toEqual(['one', 'one']);

    const same = ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(since)}`)).json());
    expect(same).toMatchObject({ since, full: false, lines: [], cols: 30, rows: 6 });
    expect(same.etag).toBe(since);

    const jsonTag = (await get(id, 'format=json')).headers.get('etag')!;
    // "two" echoed by the tty and copied by cat: rows 2 and 3 change, rows 0-1 and 4-5 do not.
    await type(id, 'two');
    const d = ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(since)}`)).json());
    expect(d.full).toBe(false);
    expect(d.lines).toEqual([{ row: 2, text: 'two' }, { row: 3, text: 'two' }]);
    expect(d.etag).not.toBe(since);
    expect(d.cursor).toMatchObject({ row: 4, col: 0 });

    // json: the same rows, with cells and only the styles they use.
    const j = ScreenDelta.parse(await (await get(id, `format=json&since=${encodeURIComponent(jsonTag)}`)).json());
    expect(j.full).toBe(false);
    expect(j.lines.map((l) => l.row)).toEqual([2, 3]);
    expect(j.lines[0]!.cells!.slice(0, 3).map((c) => c.text).join('')).toBe('two');
    expect(j.styles).toHaveLength(1);

    // Since the delta's own tag: nothing changed.
    expect(ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(d.etag)}`)).json()).lines).toEqual([]);

    // A tag of another format, another session, or made up: every row, full.
    for (const tag of [jsonTag, '"nope"', 'garbage', since.replace(id, 'x' + id)]) {
      const f = ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(tag)}`)).json());
      expect(f.full, tag).toBe(true);
      expect(f.lines.map((l) => l.row)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(f.lines[0]).toEqual({ row: 0, text: 'one' });
    }
    // The client's form.
    expect((await srv.client.screenDelta(id, d.etag)).lines).toEqual([]);
    // Another size: every row (the old rows no longer line up), for more rows and for fewer.
    await srv.client.resize(id, 30, 7);
    const grown = await srv.client.screenDelta(id, d.etag);
    expect(grown).toMatchObject({ full: true, rows: 7 });
    expect(grown.lines.map((l) => l.row)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await srv.client.resize(id, 40, 7);
    const wider = await srv.client.screenDelta(id, grown.etag);
    expect(wider).toMatchObject({ full: true, cols: 40 });
  });

  it('since: a style-only change is a changed row in json, not in text', async () => {
    const { id } = await srv.client.createSession({ command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 80, rows: 8 });
    await srv.client.wait(id, { text: '$ ', timeoutMs: 5000 });
    // Row 1 is repainted in red, same text, once Enter is pressed.
    await srv.client.sendText(id, "clear; printf 'AAA\\nBBB\\n'; read x; printf '\\e[2;1H\\e[31mBBB\\e[0m\\e[6;1H'; read y; printf '\\e[1;1HZZZ\\e[7;1H'; read z\r");
    await srv.client.wait(id, { regex: '^BBB$', stableMs: 100, timeoutMs: 5000 });
    const text = (await get(id, 'format=text')).headers.get('etag')!;
    const json = (await get(id, 'format=json')).headers.get('etag')!;
    await srv.client.sendText(id, '\r');
    await srv.client.wait(id, { cell: { row: 1, col: 0, fg: 'red' }, stableMs: 100, timeoutMs: 5000 });
    const t = ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(text)}`)).json());
    const j = ScreenDelta.parse(await (await get(id, `format=json&since=${encodeURIComponent(json)}`)).json());
    expect(t.full).toBe(false);
    expect(j.full).toBe(false);
    expect(t.lines).toEqual([]);
    expect(j.lines.map((l) => l.row)).toEqual([1]);
    const red = j.lines.find((l) => l.row === 1)!;
    expect(j.styles![red.cells![0]!.style]).toMatchObject({ fg: 1 });
    // A printf that rewrites row 0's text: that row alone, in both formats.
    const t2 = (await get(id, 'format=text')).headers.get('etag')!;
    const j2 = (await get(id, 'format=json')).headers.get('etag')!;
    await srv.client.sendText(id, '\r');
    await srv.client.wait(id, { regex: '^ZZZ$', stableMs: 100, timeoutMs: 5000 });
    expect(ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(t2)}`)).json()).lines).toEqual([{ row: 0, text: 'ZZZ' }]);
    expect(ScreenDelta.parse(await (await get(id, `format=json&since=${encodeURIComponent(j2)}`)).json()).lines.map((l) => l.row)).toEqual([0]);
    await srv.client.deleteSession(id);
  });

  it('since with a format other than text or json, or with scrollback: 400 naming since', async () => {
    const id = await cat();
    for (const q of ['format=png&since=x', 'format=ansi&since=x', 'format=html&since=x', 'format=svg&since=x', 'format=text&scrollback=3&since=x', 'since=']) {
      const r = await get(id, q);
      expect(r.status, q).toBe(400);
      expect(await r.text(), q).toContain('since');
    }
  });

  it('the remembered versions stay within their budget, per session and in total', async () => {
    const id = await cat();
    const versions = screenVersions(srv.app.sessions);
    for (let i = 0; i < 20; i++) {
      await type(id, `line${i}`);
      await get(id, 'format=text');
      await get(id, 'format=json');
    }
    expect(versions.count(id)).toBeLessThanOrEqual(DELTA_VERSIONS);
    expect(versions.count(id)).toBeGreaterThan(1);
    expect(versions.sessionBytesOf(id)).toBeLessThanOrEqual(DELTA_SESSION_BYTES);
    expect(versions.bytes).toBeLessThanOrEqual(DELTA_TOTAL_BYTES);

    // The budgets alone, with many sessions' worth of versions.
    const small = new ScreenVersions(8, 4096, 16_384);
    const rows = Array.from({ length: 24 }, (_, r) => `row ${r} ${'x'.repeat(40)}`);
    for (let s = 0; s < 50; s++) {
      for (let v = 0; v < 30; v++) small.remember(`s${s}`, `${v}-text`, 80, rows.map((r) => `${r}${v}`));
      expect(small.count(`s${s}`)).toBeLessThanOrEqual(8);
      expect(small.sessionBytesOf(`s${s}`)).toBeLessThanOrEqual(4096);
      expect(small.bytes).toBeLessThanOrEqual(16_384);
    }
    expect(small.count()).toBeGreaterThan(0);
    expect(small.find('s0', '29-text')).toBeUndefined(); // evicted by newer sessions'
    expect(small.find('s49', '29-text')).toBeDefined();
    // Over a session's budget alone: not kept at all.
    small.remember('big', '1-text', 80, Array.from({ length: 200 }, () => 'y'.repeat(80)));
    expect(small.count('big')).toBe(0);
  });

  it('an evicted since is answered in full', async () => {
    const id = await cat();
    await type(id, 'start');
    const old = (await get(id, 'format=text')).headers.get('etag')!;
    for (let i = 0; i < DELTA_VERSIONS + 1; i++) {
      await type(id, `n${i}`);
      await get(id, 'format=text');
    }
    const d = ScreenDelta.parse(await (await get(id, `format=text&since=${encodeURIComponent(old)}`)).json());
    expect(d.full).toBe(true);
  });
});
