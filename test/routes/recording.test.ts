/**
 * Recording and rendering over real HTTP with real ptys: a recorded bash session (typed input,
 * a resize) downloads as an asciicast that replays (our reader + engine) to the live screen;
 * UTF-8 split across pty reads stays whole; the size cap stops and marks the recording; a v3
 * recording with markers and the exit event, downloaded as v3 and v2; markers refused (409) when
 * nothing records; POST /v1/render renders good casts and names the line of bad ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertCast, parseCast, playCastText } from '../../src/cast/index.js';
import { PNG_SIGNATURE } from '../render/png-decode.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer({ TERMPOOL_BODY_LIMIT: '65536' }); });
afterAll(async () => { await srv?.close(); });

const BASH = { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } };

async function waitOk(id: string, body: Record<string, unknown>): Promise<any> {
  const r = await srv.api('POST', `/v1/sessions/${id}/wait`, { timeoutMs: 10_000, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function download(id: string): Promise<Response> {
  return fetch(`${srv.url}/v1/sessions/${id}/recording`);
}

async function render(body: string | Uint8Array, query = '', type = 'application/x-asciicast'): Promise<Response> {
  return fetch(`${srv.url}/v1/render${query}`, { method: 'POST', headers: { 'content-type': type }, body });
}

describe('Recording: a bash session', () => {
  it('records typed input, output and a resize; the cast replays to the live screen', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { ...BASH, cols: 40, rows: 6, record: true })).body;
    expect(s.recording).toBe(true);
    await waitOk(s.id, { text: '$' });
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'echo one; printf "two\\nthree\\n"\r' });
    await waitOk(s.id, { regex: '^three\\n\\$$', stableMs: 100 });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/resize`, { cols: 30, rows: 5 })).status).toBe(200);
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'seq 1 8\r' });
    await waitOk(s.id, { regex: '^8\\n\\$$', stableMs: 200 });
    const live = (await srv.api('GET', `/v1/sessions/${s.id}/screen`)).body as string;

    const res = await download(s.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-asciicast');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${s.id}.cast"`);
    expect(res.headers.get('x-termpool-recording-truncated')).toBe('false');
    const text = await res.text();
    const { header, events } = parseCast(text);
    expect(header).toMatchObject({ version: 2, width: 40, height: 6, command: 'bash --norc --noprofile', env: { TERM: 'xterm-256color' } });
    expect(Math.abs(header.timestamp! - Date.parse(s.createdAt) / 1000)).toBeLessThan(2);
    expect(events.filter((e) => e.code === 'i').map((e) => e.data)).toEqual(['echo one; printf "two\\nthree\\n"\r', 'seq 1 8\r']);
    expect(events.filter((e) => e.code === 'r').map((e) => e.data)).toEqual(['30x5']);
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const p = playCastText(text, { maxCols: 500, maxRows: 200 });
    try {
      expect(`${p.terminal.cols}x${p.terminal.rows}`).toBe('30x5');
      expect(p.terminal.screenLines().join('\n') + '\n').toBe(live);
    } finally { p.dispose(); }

    // The same file through POST /v1/render, at the end and before the resize.
    const end = await render(text);
    expect(end.status).toBe(200);
    expect(await end.text()).toBe(live);
    const before = events.find((e) => e.code === 'r')!.time - 0.000001;
    const mid = await render(text, `?at=${before}&format=json`);
    const snap = await mid.json() as any;
    expect([snap.cols, snap.rows]).toEqual([40, 6]);
    expect(snap.lines.map((l: any) => l.text)).toContain('three');
    expect(snap.lines.map((l: any) => l.text)).not.toContain('8');

    // Still downloadable after the program exited (until reaped).
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'exit 0\r' });
    await waitOk(s.id, { exit: true });
    const after = await download(s.id);
    expect(after.status).toBe(200);
    const afterEvents = parseCast(await after.text()).events;
    expect(afterEvents.length).toBeGreaterThan(events.length);
    expect(afterEvents.filter((e) => e.code === 'i').at(-1)!.data).toBe('exit 0\r');
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
    expect((await download(s.id)).status).toBe(404);
  });

  it('keeps multi-byte characters whole when they are split across pty reads', async () => {
    // 3-byte characters in a 30 KB burst: pty reads are a few KiB each, so chunk ends fall inside them.
    const s = (await srv.api('POST', '/v1/sessions', {
      command: 'bash', args: ['-c', "printf '\\xe4\\xb8\\xad%.0s' $(seq 10000); printf '\\xc3\\xa9%.0s' $(seq 10001); printf '\\nEND\\n'; sleep 30"],
      cols: 80, rows: 5, record: true,
    })).body;
    await waitOk(s.id, { text: 'END' });
    const { events } = parseCast(await (await download(s.id)).text());
    const out = events.filter((e) => e.code === 'o');
    expect(out.length).toBeGreaterThan(1);
    const all = out.map((e) => e.data).join('');
    expect(all).not.toContain('\uFFFD');
    expect(all.match(/中/g)).toHaveLength(10000);
    expect(all.match(/é/g)).toHaveLength(10001);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('a session without record: true answers 404 NOT_RECORDED', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
    expect(s.recording).toBe(false);
    const r = await srv.api('GET', `/v1/sessions/${s.id}/recording`);
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('NOT_RECORDED');
    expect((await srv.api('GET', '/v1/sessions/nosuch/recording')).body.error).toBe('SESSION_NOT_FOUND');
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

describe('Recording: asciicast v3, markers, the exit event', () => {
  it('records v3 with markers and x; downloads as v3 (default) and v2, both replaying to the final screen', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { ...BASH, cols: 40, rows: 6, record: { format: 'v3' } })).body;
    expect(s.recording).toBe(true);
    await waitOk(s.id, { text: '$' });
    const m1 = await srv.api('POST', `/v1/sessions/${s.id}/marker`, { label: 'before ls' });
    expect(m1.status, JSON.stringify(m1.body)).toBe(200);
    expect(m1.body.events).toBeGreaterThanOrEqual(2);
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'printf "a\\nb\\n"\r' });
    await waitOk(s.id, { regex: '^b\\n\\$$', stableMs: 100 });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/resize`, { cols: 30, rows: 5 })).status).toBe(200);
    expect((await srv.api('POST', `/v1/sessions/${s.id}/marker`, {})).status).toBe(200);
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'exit 7\r' });
    await waitOk(s.id, { exit: true });
    const live = (await srv.api('GET', `/v1/sessions/${s.id}/screen`)).body as string;
    // Exited: no more markers.
    const late = await srv.api('POST', `/v1/sessions/${s.id}/marker`, { label: 'late' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'NOT_RECORDING' });
    expect(late.body.message).toMatch(/program has exited/);

    const v3 = await (await fetch(`${srv.url}/v1/sessions/${s.id}/recording`)).text();
    const lines = v3.split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ version: 3, term: { cols: 40, rows: 6, type: 'xterm-256color' }, command: 'bash --norc --noprofile' });
    // Interval times: every line's first number is small, none is an absolute time past the last.
    const { events } = parseCast(v3);
    expect(events.filter((e) => e.code === 'm').map((e) => e.data)).toEqual(['before ls', '']);
    expect(events.filter((e) => e.code === 'r').map((e) => e.data)).toEqual(['30x5']);
    expect(events.at(-1)).toMatchObject({ code: 'x', data: '7' });
    expect(events.filter((e) => e.code === 'x')).toHaveLength(1);
    const sum = lines.slice(1).filter((l) => l.startsWith('[')).reduce((n, l) => n + Math.round(JSON.parse(l)[0] * 1e6), 0);
    expect(sum / 1e6).toBeCloseTo(events.at(-1)!.time, 6);

    const v2 = await (await fetch(`${srv.url}/v1/sessions/${s.id}/recording?format=v2`)).text();
    expect(JSON.parse(v2.split('\n')[0]!)).toMatchObject({ version: 2, width: 40, height: 6, env: { TERM: 'xterm-256color' } });
    // The same events and times in both; v2 → v3 by the converter gives the v3 download back.
    expect(parseCast(v2).events).toEqual(events);
    expect([...convertCast(v2, 'v3')].join('')).toBe(v3);
    for (const text of [v2, v3]) {
      const p = playCastText(text, { maxCols: 500, maxRows: 200 });
      try { expect(p.terminal.screenLines().join('\n') + '\n').toBe(live); } finally { p.dispose(); }
      const r = await render(text);
      expect(r.status).toBe(200);
      expect(await r.text()).toBe(live);
    }
    const bad = await srv.api('GET', `/v1/sessions/${s.id}/recording?format=v4`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/format/);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('v2 by default (record: true) and as v3 on request; the exit event carries 128 + the signal', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'echo hi; kill -TERM $$'], record: true })).body;
    await waitOk(s.id, { exit: true });
    const v2 = parseCast(await (await fetch(`${srv.url}/v1/sessions/${s.id}/recording`)).text());
    expect(v2.header.version).toBe(2);
    expect(v2.events.at(-1)).toMatchObject({ code: 'x', data: '143' });
    const v3 = parseCast(await (await fetch(`${srv.url}/v1/sessions/${s.id}/recording?format=v3`)).text());
    expect(v3.header.version).toBe(3);
    expect(v3.events).toEqual(v2.events);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('a marker on a session that records nothing is 409 NOT_RECORDING; bad bodies 400; unknown sessions 404', async () => {
    const s = (await srv.api('POST', '/v1/sessions', { command: 'sleep', args: ['30'] })).body;
    const r = await srv.api('POST', `/v1/sessions/${s.id}/marker`, { label: 'x' });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('NOT_RECORDING');
    expect(r.body.message).toMatch(/not created with "record"/);
    expect((await srv.api('POST', `/v1/sessions/${s.id}/marker`, { label: 7 })).status).toBe(400);
    expect((await srv.api('POST', `/v1/sessions/${s.id}/marker`, { label: 'x', extra: 1 })).status).toBe(400);
    expect((await srv.api('POST', '/v1/sessions/nosuch/marker', { label: 'x' })).status).toBe(404);
    const badFormat = await srv.api('POST', '/v1/sessions', { command: 'true', record: { format: 'v1' } });
    expect(badFormat.status).toBe(400);
    expect(JSON.stringify(badFormat.body)).toMatch(/record/);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

describe('Recording: the size cap', () => {
  it('stops at TERMPOOL_RECORDING_MAX_BYTES with a marker, and says so', async () => {
    const small = await startTestServer({ TERMPOOL_RECORDING_MAX_BYTES: '4096' });
    try {
      const s = (await small.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', 'seq 1 5000; echo DONE; sleep 30'], record: true })).body;
      expect((await small.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'DONE', timeoutMs: 10_000 })).status).toBe(200);
      const res = await fetch(`${small.url}/v1/sessions/${s.id}/recording`);
      expect(res.headers.get('x-termpool-recording-truncated')).toBe('true');
      const text = await res.text();
      const { events } = parseCast(text);
      expect(events.at(-1)!.code).toBe('m');
      expect(events.at(-1)!.data).toMatch(/size limit reached \(4096 bytes\)/);
      expect(text.length).toBeLessThan(4096 + 400);
      expect(events.filter((e) => e.code === 'o').map((e) => e.data).join('')).not.toContain('DONE');
      expect((await small.api('GET', `/v1/sessions/${s.id}`)).body.recordingTruncated).toBe(true);
      // The live screen is unaffected by the cap.
      expect((await small.api('GET', `/v1/sessions/${s.id}/screen`)).body).toContain('DONE');
    } finally {
      await small.close();
    }
  });
});

describe('Recording: the total cap over all sessions', () => {
  it('stops the recording that would pass TERMPOOL_RECORDING_TOTAL_MAX_BYTES; deleting a session frees its share', async () => {
    const small = await startTestServer({ TERMPOOL_RECORDING_TOTAL_MAX_BYTES: '6000' });
    try {
      const create = async (script: string) => (await small.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', script], record: true })).body;
      const done = async (id: string) => expect((await small.api('POST', `/v1/sessions/${id}/wait`, { text: 'DONE', timeoutMs: 10_000 })).status).toBe(200);
      const a = await create('seq 1 300; echo DONE; sleep 30');
      await done(a.id);
      expect((await small.api('GET', `/v1/sessions/${a.id}`)).body.recordingTruncated).toBe(false);
      const b = await create('seq 1 3000; echo DONE; sleep 30');
      await done(b.id);
      const res = await fetch(`${small.url}/v1/sessions/${b.id}/recording`);
      expect(res.headers.get('x-termpool-recording-truncated')).toBe('true');
      const bText = await res.text();
      expect(parseCast(bText).events.at(-1)!.data).toMatch(/total size limit of all recordings reached \(6000 bytes\)/);
      const aText = await (await fetch(`${small.url}/v1/sessions/${a.id}/recording`)).text();
      // Event lines of both (headers are not counted) stay within the total plus one marker.
      const events = (t: string) => Buffer.byteLength(t) - Buffer.byteLength(t.slice(0, t.indexOf('\n') + 1));
      expect(events(aText) + events(bText)).toBeLessThanOrEqual(6000 + 200);
      // Deleting both gives their bytes back: a new recording is whole.
      await small.api('DELETE', `/v1/sessions/${a.id}`);
      await small.api('DELETE', `/v1/sessions/${b.id}`);
      const c = await create('seq 1 300; echo DONE; sleep 30');
      await done(c.id);
      expect((await small.api('GET', `/v1/sessions/${c.id}`)).body.recordingTruncated).toBe(false);
    } finally {
      await small.close();
    }
  });
});

describe('POST /v1/render', () => {
  const cast = ['{"version": 2, "width": 12, "height": 3}', '[0.1, "o", "first\\r\\n"]', '[1.2, "o", "second\\r\\n"]', '[2.0, "r", "8x2"]', ''].join('\n');

  it('renders text at two moments, and accepts the other media types', async () => {
    expect(await (await render(cast, '?at=0.5')).text()).toBe('first\n\n\n');
    expect(await (await render(cast, '?at=1.5')).text()).toBe('first\nsecond\n\n');
    expect(await (await render(cast, '', 'application/x-ndjson')).text()).toBe('second\n\n');
    expect(await (await render(cast, '?cols=20&rows=2', 'application/json')).text()).toBe('second\n\n');
  });

  it('renders PNG and SVG', async () => {
    const png = Buffer.from(await (await render(cast, '?format=png&at=1.5')).arrayBuffer());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([12 * 8, 3 * 16]);
    const svg = await render(cast, '?format=svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toContain('second');
  });

  it('replays raw pty bytes at cols×rows', async () => {
    const r = await render(Buffer.from('hello\r\n\x1b[31mworld\x1b[0m'), '?cols=10&rows=3', 'application/octet-stream');
    expect(await r.text()).toBe('hello\nworld\n\n');
    const at = await render(Buffer.from('hello'), '?at=1', 'application/octet-stream');
    expect(at.status).toBe(400);
  });

  it.each([
    ['{"version": 2, "width": 12, "height": 3}\n[0.1, "o", "a"]\n[0.2, "o" "b"]\n', 3, 'not valid JSON'],
    ['{"version": 1, "width": 12, "height": 3}\n', 1, 'unsupported asciicast version 1'],
    ['{"width": 12, "height": 3}\n', 1, 'no "version"'],
    ['{"version": 2, "width": 12, "height": 3}\n[0.1, "r", "9999x9999"]\n', 2, 'outside the limits'],
  ])('a malformed cast is a 400 naming line %#', async (body, line, msg) => {
    const r = await render(body);
    expect(r.status).toBe(400);
    const e = await r.json() as any;
    expect(e.error).toBe('BAD_CAST');
    expect(e.message).toContain(`line ${line}: `);
    expect(e.message).toContain(msg);
    expect(e.details).toEqual({ line });
  });

  it('refuses an empty body, an unknown media type and a body over the limit', async () => {
    const empty = await render('');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error).toBe('BAD_CAST');
    const plain = await render(cast, '', 'text/plain');
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as any).message).toContain('application/x-asciicast');
    const big = await render(cast + `[3.0, "o", "${'x'.repeat(70_000)}"]\n`);
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error).toBe('BODY_TOO_LARGE');
  });
});
