/**
 * The typed client (src/client) against a real server process (`node bin/termpool.js serve`
 * with a token) driving real bash: every REST method, every screen format, API errors as
 * TermpoolApiError, the WebSocket viewer, and the package's `termpool/client` export.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TermpoolApiError, TermpoolClient, type WsServerMessage } from '../../src/client/index.js';
import { decodePng } from '../render/png-decode.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASH = { command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } };

let srv: ServerProcess;
let tp: TermpoolClient;
beforeAll(async () => {
  srv = await spawnServer({ TERMPOOL_TOKEN: 'client-test-token' });
  tp = srv.client;
});
afterAll(async () => { await srv?.stop(); });

/** The error a promise rejects with (fails the test if it resolves). */
async function apiError(p: Promise<unknown>): Promise<TermpoolApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TermpoolApiError);
  return err as TermpoolApiError;
}

describe('Client: REST', () => {
  it('health and metrics', async () => {
    const h = await tp.health();
    expect(h).toMatchObject({ status: 'ok' });
    expect(h.sessions).toEqual(expect.any(Number));
    // Healthz needs no token; a client without one still reads it.
    expect((await new TermpoolClient({ url: srv.url }).health()).status).toBe('ok');
    expect(await tp.metrics()).toMatch(/^termpool_sessions\{state="running"\} \d+$/m);
  });

  it('bash: create, type, wait, every screen format, info, list, delete', async () => {
    const s = await tp.createSession({ ...BASH, cols: 60, rows: 12 });
    expect(s).toMatchObject({ command: 'bash', state: 'running', cols: 60, rows: 12, exitCode: null });
    expect((await tp.wait(s.id, { text: '$' })).satisfied).toBe(true);
    expect((await tp.sendText(s.id, 'echo hi')).bytes).toBe(7);
    expect((await tp.sendKeys(s.id, ['Enter'])).bytes).toBe(1);
    const w = await tp.wait(s.id, { regex: '^hi$', timeoutMs: 5000 });
    expect(w).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'hi', column: 0 } });
    expect(w.lines[w.match!.row]).toBe('hi');
    expect(w.session.id).toBe(s.id);

    const text = await tp.screen(s.id);
    expect(text.split('\n')).toContain('$ echo hi');
    const lines = await tp.screenLines(s.id);
    expect(lines).toHaveLength(12);
    expect(lines.slice(0, 3)).toEqual(['$ echo hi', 'hi', '$']);
    const snap = await tp.screen(s.id, { format: 'json' });
    expect(snap).toMatchObject({ cols: 60, rows: 12, cursor: { row: 2, col: 2 } });
    expect(snap.lines.map((l) => l.text)).toContain('hi');
    const ansi = await tp.screen(s.id, { format: 'ansi' });
    expect(ansi).toContain('\x1b[');
    expect(ansi).toContain('echo hi');
    expect(await tp.screen(s.id, { format: 'html' })).toMatch(/<[a-z]+[^>]*>[\s\S]*echo hi/);
    expect(await tp.screen(s.id, { format: 'svg' })).toContain('<svg');
    const png = await tp.screen(s.id, { format: 'png' });
    expect(Buffer.isBuffer(png)).toBe(true);
    const img = decodePng(png);
    expect(img.width).toBeGreaterThan(60 * 4);
    expect(img.height).toBeGreaterThan(12 * 8);

    expect(await tp.getSession(s.id)).toMatchObject({ id: s.id, state: 'running' });
    expect((await tp.listSessions()).map((x) => x.id)).toContain(s.id);
    const resized = await tp.resize(s.id, 70, 15);
    expect(resized).toMatchObject({ cols: 70, rows: 15 });
    await tp.sendText(s.id, 'stty size\r');
    expect((await tp.wait(s.id, { regex: '^15 70$' })).satisfied).toBe(true);

    const ended = await tp.deleteSession(s.id);
    expect(ended).toMatchObject({ id: s.id, state: 'exited' });
    const gone = await apiError(tp.getSession(s.id));
    expect(gone).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND', request: `GET /v1/sessions/${s.id}` });
    expect(gone.message).toContain(s.id);
  });

  it('paste, scrollback range and search', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'for i in $(seq 1 60); do echo line$i; done; exec bash --norc --noprofile'], cols: 30, rows: 10 });
    expect((await tp.wait(s.id, { text: 'line60', stableMs: 200 })).satisfied).toBe(true);
    const range = await tp.scrollback(s.id, { start: 0, count: 3 });
    expect(range).toMatchObject({ start: 0, lines: ['line1', 'line2', 'line3'] });
    expect(range.total).toBeGreaterThan(45);
    const found = await tp.search(s.id, 'line5');
    expect(found.matches.map((m) => m.text)).toEqual(['line5', ...Array.from({ length: 10 }, (_, i) => `line${50 + i}`)]);
    const limited = await tp.search(s.id, 'line', { limit: 4 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.matches).toHaveLength(4);
    expect((await tp.screen(s.id, { scrollback: 2 })).split('\n')[0]).toBe(range.total >= 2 ? `line${range.total - 1}` : '');
    await tp.paste(s.id, 'echo pasted');
    expect((await tp.wait(s.id, { regex: '# echo pasted$' })).satisfied).toBe(true);
    await tp.deleteSession(s.id);
  });

  it('a wait that times out or outlives its program is a result, not an error', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'echo waiting; sleep 30'] });
    await tp.wait(s.id, { text: 'waiting' });
    const late = await tp.wait(s.id, { text: 'nope', timeoutMs: 200 });
    expect(late).toMatchObject({ satisfied: false, reason: 'timeout', match: null });
    expect(late.lines[0]).toBe('waiting');
    expect((await tp.wait(s.id, { stableMs: 100 })).satisfied).toBe(true);
    await tp.deleteSession(s.id);
    const e = await tp.createSession({ command: 'bash', args: ['-c', 'echo bye; exit 3'] });
    const done = await tp.wait(e.id, { exit: true });
    expect(done.session).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(await tp.wait(e.id, { text: 'never' })).toMatchObject({ satisfied: false, reason: 'exited' });
    const refused = await apiError(tp.sendText(e.id, 'x'));
    expect(refused).toMatchObject({ status: 409, code: 'SESSION_EXITED' });
  });
});

describe('Client: errors', () => {
  it('API errors carry status, code, message and details', async () => {
    const noToken = await apiError(new TermpoolClient({ url: srv.url }).listSessions());
    expect(noToken).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const wrong = await apiError(new TermpoolClient({ url: srv.url, token: 'nope' }).createSession({ command: 'bash' }));
    expect(wrong.status).toBe(401);

    const bad = await apiError(tp.createSession({ command: 'bash', cols: 1 }));
    expect(bad).toMatchObject({ status: 400, code: 'VALIDATION', request: 'POST /v1/sessions' });
    expect(bad.message).toMatch(/cols/);
    expect(bad.details).toMatchObject({ context: 'body' });
    expect(await apiError(tp.createSession({ command: 'no-such-program-xyz' }))).toMatchObject({ status: 400, code: 'SPAWN_FAILED' });

    const s = await tp.createSession({ command: 'bash', args: ['-c', 'sleep 30'] });
    expect(await apiError(tp.wait(s.id, { regex: '(' }))).toMatchObject({ status: 400, code: 'BAD_REGEX' });
    expect(await apiError(tp.sendKeys(s.id, ['NoSuchKey']))).toMatchObject({ status: 400, code: 'TP_BAD_KEY' });
    const mouse = await apiError(tp.mouse(s.id, { action: 'press', button: 'left', row: 0, col: 0 }));
    expect(mouse).toMatchObject({ status: 409, code: 'TP_MOUSE_OFF' });
    await tp.deleteSession(s.id);
  });

  it('a non-JSON error answer still becomes a TermpoolApiError', async () => {
    const fake = new TermpoolClient({ url: 'http://proxy.invalid', fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502 }) });
    const err = await apiError(fake.health());
    expect(err).toMatchObject({ status: 502, code: 'HTTP_502' });
    expect(err.message).toContain('Bad Gateway');
  });
});

describe('Client: WebSocket viewer', () => {
  it('screen on connect, input over the socket, output and exit as an async iterator', async () => {
    const s = await tp.createSession({ ...BASH, cols: 40, rows: 6 });
    const seen: string[] = [];
    const v = await tp.view(s.id, { onMessage: (m) => seen.push(m.type) });
    const first = await v.waitForScreen(() => true);
    expect(first).toMatchObject({ type: 'screen', cols: 40, rows: 6 });
    await v.waitForScreen((sc) => sc.lines[0] === '$');
    v.sendText('echo over-ws; exit 4\r');
    const screen = await v.waitForScreen((sc) => sc.lines.includes('over-ws'));
    expect(screen.lines[0]).toBe('$ echo over-ws; exit 4');
    let output = '';
    let exit: WsServerMessage | null = null;
    for await (const m of v) {
      if (m.type === 'output') output += m.data;
      if (m.type === 'exit') { exit = m; break; }
    }
    expect(exit).toEqual({ type: 'exit', exitCode: 4, signal: null });
    expect(v.exit).toEqual(exit);
    expect(seen).toContain('output');
    expect(output + screen.lines.join('\n')).toContain('over-ws');
    await tp.deleteSession(s.id);
    expect((await v.closed).code).toBe(1000);
  });

  it('resize and refused messages over the socket', async () => {
    const s = await tp.createSession({ ...BASH, cols: 40, rows: 6 });
    const v = await tp.view(s.id);
    v.resize(50, 8);
    expect((await v.waitForScreen((sc) => sc.cols === 50)).rows).toBe(8);
    v.sendKeys(['NoSuchKey']);
    expect(await v.next((m) => m.type === 'error')).toMatchObject({ type: 'error', error: 'TP_BAD_KEY' });
    await v.close();
    await tp.deleteSession(s.id);
  });

  it('a refused upgrade rejects with the API error', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'sleep 30'] });
    expect(await apiError(new TermpoolClient({ url: srv.url }).view(s.id))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await apiError(tp.view('nosuchsession'))).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
    await tp.deleteSession(s.id);
  });
});

describe('Client: the package export', () => {
  it('`termpool/client` resolves to the built client', () => {
    const script = `const { TermpoolClient, TermpoolApiError } = await import('termpool/client');
      const c = new TermpoolClient({ url: process.argv[1], token: process.argv[2] });
      const h = await c.health();
      const err = await c.getSession('none').catch((e) => e);
      console.log(JSON.stringify({ status: h.status, error: err instanceof TermpoolApiError, code: err.code }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, srv.url, srv.token], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ status: 'ok', error: true, code: 'SESSION_NOT_FOUND' });
  });
});
