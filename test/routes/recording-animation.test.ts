/**
 * GET /v1/sessions/{id}/recording?format=gif|apng|svg over real HTTP, with a real bash session
 * recorded: the GIF and APNG decode to the frames the downloaded cast gives (count, delays, and
 * the last frame equal to renderPng of the engine's last screen), the SVG is animated; bad
 * options are 400s naming them; hostile requests are refused within the render budget: a frame
 * too large (422 before any raster), and a heavy recording on a 300 ms budget (422 RENDER_BUDGET,
 * the server answering another client meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import UPNG from 'upng-js';
import { castFrames } from '../../src/render/animation/index.js';
import { renderPng } from '../../src/render/png.js';
import { decodeGif } from '../render/gif-decode.js';
import { decodePng } from '../render/png-decode.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

const BASH = { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } };

async function get(srv: TestServer, path: string): Promise<{ status: number; type: string | null; bytes: Uint8Array; json: any }> {
  const r = await fetch(`${srv.url}${path}`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  let json: any = null;
  try { json = JSON.parse(Buffer.from(bytes).toString('utf8')); } catch { /* binary */ }
  return { status: r.status, type: r.headers.get('content-type'), bytes, json };
}

async function recordedBash(srv: TestServer, size: { cols: number; rows: number }): Promise<string> {
  const c = await srv.api('POST', '/v1/sessions', { ...BASH, ...size, record: true });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  expect((await srv.api('POST', `/v1/sessions/${c.body.id}/wait`, { text: '$', timeoutMs: 10_000 })).status).toBe(200);
  return c.body.id as string;
}

describe('GET /recording?format=gif|apng|svg', () => {
  let srv: TestServer | undefined;
  let id: string;
  beforeAll(async () => {
    srv = await startTestServer({});
    id = await recordedBash(srv, { cols: 30, rows: 4 });
    await srv.api('POST', `/v1/sessions/${id}/input`, { text: 'printf "\\033[31mred\\033[0m done\\n"\r' });
    expect((await srv.api('POST', `/v1/sessions/${id}/wait`, { regex: 'red done\\n\\$$', stableMs: 300, timeoutMs: 10_000 })).status).toBe(200);
  });
  afterAll(async () => { await srv?.close(); });

  it('GIF and APNG: the frames of the downloaded cast, the last one renderPng of its last screen', async () => {
    const cast = Buffer.from((await get(srv!, `/v1/sessions/${id}/recording`)).bytes).toString('utf8');
    const frames = castFrames(cast, { maxCols: 500, maxRows: 200, maxFrames: 1000 });
    const last = decodePng(renderPng(frames.at(-1)!.snap));
    const rgb = (rgba: Uint8Array, ch: number): number[] => { const o: number[] = []; for (let i = 0; i < rgba.length; i += ch) o.push(rgba[i], rgba[i + 1], rgba[i + 2]); return o; };

    const g = await get(srv!, `/v1/sessions/${id}/recording?format=gif`);
    expect(g.status, JSON.stringify(g.json)).toBe(200);
    expect(g.type).toBe('image/gif');
    const gif = decodeGif(g.bytes);
    expect([gif.width, gif.height]).toEqual([240, 64]);
    expect(gif.frames.length).toBe(frames.length);
    expect(rgb(gif.frames.at(-1)!.rgba, 4)).toEqual(rgb(last.data, last.channels));

    const a = await get(srv!, `/v1/sessions/${id}/recording?format=apng&fps=30&theme=monokai`);
    expect(a.status).toBe(200);
    expect(a.type).toBe('image/apng');
    const png = UPNG.decode(a.bytes);
    expect(png.frames.length).toBe(castFrames(cast, { maxCols: 500, maxRows: 200, maxFrames: 1000, fps: 30 }).length);
    const bg = new Uint8Array(UPNG.toRGBA8(png).at(-1)!).subarray(-4, -1);
    expect([...bg]).toEqual([0x27, 0x28, 0x22]);

    const s = await get(srv!, `/v1/sessions/${id}/recording?format=svg&speed=2`);
    expect(s.status).toBe(200);
    expect(s.type).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.from(s.bytes).toString('utf8');
    expect(svg).toContain('@keyframes play');
    expect(svg).toContain('>red</text>');
  });

  it('bad options are 400s naming them; a session not recorded is 404 NOT_RECORDED', async () => {
    for (const [q, word] of [['format=gif&speed=0', 'speed'], ['format=gif&theme=nope', 'theme'], ['format=apng&fps=0', 'fps'],
      ['format=gif&start=5&end=2', 'end'], ['format=v2&fps=5', 'fps'], ['idleTimeLimit=1', 'idleTimeLimit'], ['format=jpeg', 'format']] as const) {
      const r = await get(srv!, `/v1/sessions/${id}/recording?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.message, q).toContain(word);
    }
    const plain = await srv!.api('POST', '/v1/sessions', BASH);
    const r = await get(srv!, `/v1/sessions/${plain.body.id}/recording?format=gif`);
    expect(r.status).toBe(404);
    expect(r.json.error).toBe('NOT_RECORDED');
  });

  it('a frame past the pixel limit (500×200 cells at 48 px) is refused before any raster: 422 RENDER_BUDGET', async () => {
    const big = await recordedBash(srv!, { cols: 500, rows: 200 });
    const r = await get(srv!, `/v1/sessions/${big}/recording?format=apng&fontSize=48`);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: 'RENDER_BUDGET', details: { budget: 'pixels', width: 13500, height: 11000 } });
  });
});

describe('GET /recording?format=gif: a heavy recording on a small render budget', () => {
  let srv: TestServer | undefined;
  beforeAll(async () => { srv = await startTestServer({ TERMPOOL_RENDER_TIMEOUT_MS: '300' }); });
  afterAll(async () => { await srv?.close(); });

  it('is stopped at the budget (422 RENDER_BUDGET, time) while another client is answered', async () => {
    const s = srv!;
    const id = await recordedBash(s, { cols: 80, rows: 24 });
    // ~200 frames at 30 fps, each a scroll: every row of every frame new.
    await s.api('POST', `/v1/sessions/${id}/input`, { text: 'for i in $(seq 1 200); do echo "line $i $RANDOM$RANDOM"; sleep 0.01; done; echo fin\r' });
    expect((await s.api('POST', `/v1/sessions/${id}/wait`, { regex: '^fin$', timeoutMs: 30_000 })).status).toBe(200);
    const heavy = get(s, `/v1/sessions/${id}/recording?format=gif&fps=30`);
    const screen = await s.api('GET', `/v1/sessions/${id}/screen`);
    expect(screen.status).toBe(200);
    const r = await heavy;
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: 'RENDER_BUDGET', details: { budget: 'time', limitMs: 300 } });
  });
});
