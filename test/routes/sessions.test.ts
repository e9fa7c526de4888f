/**
 * Session routes against real ptys over real HTTP, driven through the typed client (src/client;
 * any non-2xx answer but a wait's 408 throws TermpoolApiError): bash, vim, exit codes,
 * process-group kill, terminal replies, resize, scrollback and search, synchronized-output frames.
 * `srv.api` remains where a test checks the HTTP exchange itself (content types, status codes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TermpoolApiError, type CreateSessionRequest, type Session, type TermpoolClient, type WaitRequest } from '../../src/client/index.js';
import { alive, findProgram, gone, startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
beforeAll(async () => { srv = await startTestServer(); tp = srv.client; });
afterAll(async () => { await srv?.close(); });

const create = (body: CreateSessionRequest): Promise<Session> => tp.createSession(body);

const waitFor = (id: string, body: WaitRequest) => tp.wait(id, body);

/** The TermpoolApiError a call rejects with. */
async function refused(p: Promise<unknown>): Promise<TermpoolApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TermpoolApiError);
  return err as TermpoolApiError;
}

describe('Sessions: bash', () => {
  it('echo hi + Enter, wait for hi, text snapshot', async () => {
    const s = await create({ command: 'bash', args: ['--norc', '--noprofile'], cols: 60, rows: 12, env: { PS1: '$ ' } });
    expect(s.pid).toBeGreaterThan(0);
    await waitFor(s.id, { text: '$', timeoutMs: 5000 });
    expect(await tp.sendText(s.id, 'echo hi')).toEqual({ bytes: 7 });
    expect(await tp.sendKeys(s.id, ['Enter'])).toEqual({ bytes: 1 });
    const w = await waitFor(s.id, { regex: '^hi$', timeoutMs: 5000 });
    expect(w).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'hi', column: 0 } });
    expect(w.lines[w.match!.row]).toBe('hi');

    const screen = await srv.api('GET', `/v1/sessions/${s.id}/screen`);
    expect(screen.contentType).toMatch(/^text\/plain/);
    const lines = (screen.body as string).split('\n');
    expect(lines).toHaveLength(13); // 12 rows + trailing newline
    expect(lines).toContain('$ echo hi');
    expect(lines).toContain('hi');

    expect(await tp.screen(s.id)).toBe(screen.body);

    const json = await tp.screen(s.id, { format: 'json' });
    expect(json).toMatchObject({ cols: 60, rows: 12 });
    expect(json.lines.map((l) => l.text)).toContain('hi');

    const info = await tp.getSession(s.id);
    expect(info).toMatchObject({ id: s.id, state: 'running', cols: 60, rows: 12, exitCode: null });
    expect(info.pageCount).toBeGreaterThan(0);
    const list = await tp.listSessions();
    expect(list.map((x) => x.id)).toContain(s.id);
    await tp.deleteSession(s.id);
  });

  it('renders ansi, html, svg and png', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'printf "\\e[1;31mred\\e[0m ok\\n"; sleep 30'], cols: 20, rows: 4 });
    await waitFor(s.id, { text: 'red ok' });
    const ansi = await tp.screen(s.id, { format: 'ansi' });
    expect(ansi).toContain('red');
    expect(ansi).toContain('\x1b[');
    const html = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=html`);
    expect(html.contentType).toMatch(/^text\/html/);
    expect(html.body).toContain('red');
    const svg = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=svg`);
    expect(svg.contentType).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toContain('<svg');
    const png = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=png`);
    expect(png.status).toBe(200);
    expect(png.contentType).toBe('image/png');
    expect(png.raw.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await tp.screen(s.id, { format: 'png' })).equals(png.raw)).toBe(true);
    await tp.deleteSession(s.id);
  });

  it('JSON cells refer to OSC 8 links by index; a long link over scrolled-off lines is sent once', async () => {
    // 4,000-byte URI over 300 full lines: one URI per cell would be ~96 MB of JSON.
    const long = `https://example.com/${'p'.repeat(4000)}`;
    const s = await create({
      command: 'bash',
      args: ['-c', `printf '\\e]8;;${long}\\e\\\\'; for i in $(seq 300); do printf '%080d' $i; done; printf '\\e]8;;\\e\\\\\\n\\e]8;;u2\\e\\\\two\\e]8;;\\e\\\\\\nEND\\n'; sleep 30`],
      cols: 80, rows: 10,
    });
    await waitFor(s.id, { regex: '^END$', timeoutMs: 10_000 });
    const res = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=json&scrollback=400`);
    expect(res.status).toBe(200);
    expect(res.raw.length).toBeLessThan(4 * 1024 * 1024);
    const snap = await tp.screen(s.id, { format: 'json', scrollback: 400 });
    expect(snap.links).toEqual([long, 'u2']);
    const linked = snap.lines.filter((l) => l.cells.every((c) => c.link === 0));
    expect(linked).toHaveLength(300);
    const two = snap.lines.find((l) => l.text === 'two')!;
    expect(two.cells.slice(0, 3).map((c) => snap.links[c.link!])).toEqual(['u2', 'u2', 'u2']);
    expect(two.cells[3]!.link).toBeUndefined();
    await tp.deleteSession(s.id);
  });

  it('a 1 MiB OSC 8 link over 1,000 lines renders in every format without repeating the URI', async () => {
    // OSC allows up to 1 MiB; HTML/SVG writing the href once a line would be 1 GB of markup.
    const uri = `https://example.com/${'q'.repeat(1_000_000)}`;
    const dir = mkdtempSync(join(tmpdir(), 'tp-link-'));
    const file = join(dir, 'out');
    let body = `\x1b]8;;${uri}\x1b\\`;
    for (let i = 0; i < 1000; i++) body += `line ${i} \x1b[1mbold\x1b[0m tail\n`;
    writeFileSync(file, `${body}\x1b]8;;\x1b\\END\n`);
    const s = await create({ command: 'bash', args: ['-c', `cat '${file}'; sleep 30`], cols: 80, rows: 24 });
    await waitFor(s.id, { regex: '^END$', timeoutMs: 20_000 });
    const sizes: Record<string, number> = {};
    for (const format of ['json', 'ansi', 'html', 'svg'] as const) {
      const res = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=${format}&scrollback=1000`);
      expect(res.status, format).toBe(200);
      sizes[format] = res.raw.length;
    }
    const ansi = await tp.screen(s.id, { format: 'ansi', scrollback: 1000 });
    expect(ansi.split(uri).length - 1).toBe(1);
    expect(sizes.ansi).toBeLessThan(uri.length + 100_000);
    // Too long for a live link: the text is there, the <a> is not.
    const html = await tp.screen(s.id, { format: 'html', scrollback: 1000 });
    expect(html).toContain('line 999');
    expect(html).not.toContain('<a ');
    expect(sizes.html).toBeLessThan(1_000_000);
    expect(sizes.svg).toBeLessThan(1_000_000);
    const snap = await tp.screen(s.id, { format: 'json', scrollback: 1000 });
    expect(snap.links).toEqual([uri]);
    expect(srv.app.sessions.get(s.id).internalErrors).toBe(0);
    await tp.deleteSession(s.id);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a PNG over the pixel limit is a 422 naming the size, not a server error', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'seq 6000; echo END; sleep 30'], cols: 80, rows: 24 });
    await waitFor(s.id, { regex: '^END$', timeoutMs: 10_000 });
    // 80×(5000 + 24) cells of 8×16 px = 640×80384 px: over 50,000,000.
    const res = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=png&scrollback=5000`);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'SNAPSHOT_TOO_LARGE', message: expect.stringMatching(/640×80384 px is over the 50000000 px limit/) });
    const ok = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=png&scrollback=100`);
    expect(ok.status).toBe(200);
    await tp.deleteSession(s.id);
  });

  it('random bytes from a program disturb nothing', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'head -c 300000 /dev/urandom; printf "\\ec\\e[0mDONE"; sleep 30'], cols: 80, rows: 24 });
    expect((await waitFor(s.id, { text: 'DONE', timeoutMs: 10_000 })).satisfied).toBe(true);
    for (const format of ['text', 'ansi', 'html', 'svg'] as const) {
      expect(await tp.screen(s.id, { format, scrollback: 50 }), format).toEqual(expect.any(String));
    }
    expect((await tp.screen(s.id, { format: 'json', scrollback: 50 })).rows).toBe(24);
    expect(srv.app.sessions.get(s.id).internalErrors).toBe(0);
    await tp.deleteSession(s.id);
  });

  it('terminal replies reach the program (CPR)', async () => {
    const s = await create({
      command: 'bash',
      args: ['-c', 'printf "\\e[3;5H\\e[6n"; read -rsdR x; echo "got${x#*[}"; sleep 30'],
      cols: 40, rows: 8,
    });
    const w = await waitFor(s.id, { regex: 'got\\d+;\\d+', timeoutMs: 5000 });
    expect(w.satisfied).toBe(true);
    expect(w.match!.text).toBe('got3;5');
    await tp.deleteSession(s.id);
  });

  it('exit code and final screen are kept; input and resize then answer 409', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'echo bye; exit 3'] });
    const w = await waitFor(s.id, { exit: true, timeoutMs: 5000 });
    expect(w.satisfied).toBe(true);
    expect(w.session).toMatchObject({ state: 'exited', exitCode: 3, signal: null });
    const info = await tp.getSession(s.id);
    expect(info).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(info.exitedAt).toEqual(expect.any(String));
    expect((await tp.screenLines(s.id))[0]).toBe('bye');
    const input = await refused(tp.sendText(s.id, 'x'));
    expect(input).toMatchObject({ status: 409, code: 'SESSION_EXITED' });
    expect((await refused(tp.resize(s.id, 30, 5))).status).toBe(409);
    // A condition that can no longer come true ends at once with 408, not at the timeout.
    const never = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'never', timeoutMs: 20_000 });
    expect(never.status).toBe(408);
    expect(never.body).toMatchObject({ satisfied: false, reason: 'exited' });
    // "At once": far from the 20 s timeout (a loaded machine may take a second or more).
    expect(never.body.elapsedMs).toBeLessThan(10_000);
  });

  it('wait times out with 408 and the last screen', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'echo waiting; sleep 30'] });
    await waitFor(s.id, { text: 'waiting' });
    const w = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'nope', timeoutMs: 300 });
    expect(w.status).toBe(408);
    expect(w.body).toMatchObject({ satisfied: false, reason: 'timeout', match: null });
    expect(w.body.lines[0]).toBe('waiting');
    expect(w.body.elapsedMs).toBeGreaterThanOrEqual(290);
    const stable = await waitFor(s.id, { text: 'waiting', stableMs: 200, timeoutMs: 3000 });
    expect(stable.satisfied).toBe(true);
    // A client that hangs up mid-wait leaves no listener behind.
    const session = srv.app.sessions.get(s.id);
    const before = session.listenerCount('update');
    const ac = new AbortController();
    const req = tp.wait(s.id, { text: 'never', timeoutMs: 60_000 }, { signal: ac.signal }).catch((e: unknown) => e);
    await expect.poll(() => session.listenerCount('update')).toBe(before + 1);
    ac.abort();
    expect(await req).toMatchObject({ name: 'AbortError' });
    await expect.poll(() => session.listenerCount('update')).toBe(before);
    await tp.deleteSession(s.id);
  });

  it('DELETE kills the whole process group, including children that ignore SIGHUP', async () => {
    const s = await create({ command: 'bash', args: ['-c', "trap '' HUP; sleep 300 & echo child=$!; wait"] });
    const w = await waitFor(s.id, { regex: 'child=\\d+', timeoutMs: 5000 });
    const child = Number(/child=(\d+)/.exec(w.match!.text)![1]);
    expect(alive(s.pid)).toBe(true);
    expect(alive(child)).toBe(true);
    const del = await tp.deleteSession(s.id);
    expect(del.state).toBe('exited');
    expect(alive(s.pid)).toBe(false);
    // The orphaned child is reaped by init, not by us: allow it a moment.
    expect(await gone(child)).toBe(true);
    expect(await refused(tp.getSession(s.id))).toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
  });

  it('resize reaches the program (stty size)', async () => {
    const s = await create({ command: 'bash', args: ['--norc', '--noprofile'], cols: 50, rows: 10, env: { PS1: '$ ' } });
    await waitFor(s.id, { text: '$' });
    const r = await tp.resize(s.id, 70, 15);
    expect(r).toMatchObject({ cols: 70, rows: 15 });
    await tp.sendText(s.id, 'stty size\r');
    expect((await waitFor(s.id, { regex: '^15 70$' })).satisfied).toBe(true);
    await tp.deleteSession(s.id);
  });

  it('scrollback range and search with line numbers', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'for i in $(seq 1 100); do echo line$i; done; sleep 30'], cols: 30, rows: 10 });
    await waitFor(s.id, { text: 'line100' });
    const range = await tp.scrollback(s.id, { start: 0, count: 3 });
    expect(range).toMatchObject({ start: 0, lines: ['line1', 'line2', 'line3'] });
    expect(range.total).toBe(91); // 100 lines + the cursor's empty row on a 10-row screen
    const found = await tp.search(s.id, 'line5');
    expect(found.matches).toEqual([
      { line: 4, column: 0, text: 'line5' },
      ...Array.from({ length: 10 }, (_, i) => ({ line: 49 + i, column: 0, text: `line${50 + i}` })),
    ]);
    const onScreen = await tp.search(s.id, 'line99');
    expect(onScreen.matches).toEqual([{ line: 98, column: 0, text: 'line99' }]);
    expect(onScreen.scrollbackLength).toBe(91);
    const limited = await tp.search(s.id, 'line', { limit: 5 });
    expect(limited).toMatchObject({ truncated: true });
    expect(limited.matches).toHaveLength(5);
    const withSb = await tp.screen(s.id, { scrollback: 2 });
    expect(withSb.split('\n').slice(0, 3)).toEqual(['line90', 'line91', 'line92']);
    await tp.deleteSession(s.id);
  });

  it('during a synchronized update (mode 2026) the last complete frame is served', async () => {
    const s = await create({
      command: 'bash',
      args: ['-c', 'printf "A\\n\\e[?2026hB"; sleep 0.5; printf "C\\e[?2026l"; sleep 30'],
      cols: 20, rows: 4,
    });
    const before = await waitFor(s.id, { text: 'A', timeoutMs: 5000 });
    expect(before.lines.join('\n')).not.toContain('B');
    const mid = await tp.screen(s.id);
    expect(mid.split('\n')[0]).toBe('A');
    expect(mid).not.toContain('B');
    const json = await tp.screen(s.id, { format: 'json' });
    expect(json.lines[1]!.text).toBe('');
    const after = await waitFor(s.id, { text: 'BC', timeoutMs: 5000 });
    expect(after.satisfied).toBe(true);
    expect(after.lines.slice(0, 2)).toEqual(['A', 'BC']);
    await tp.deleteSession(s.id);
  });
});

describe('Sessions: synchronized output timeout and title', () => {
  it('a frame never closed stops hiding the live screen after SYNC_FRAME_TIMEOUT_MS', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'printf "\\e]0;my title\\a\\e[?2026hX"; sleep 30'], cols: 20, rows: 4 });
    const first = await waitFor(s.id, { stableMs: 100, timeoutMs: 5000 });
    expect(first.lines[0]).toBe('');
    expect(first.session.title).toBe('my title');
    // No more output comes: the frame timer alone must wake the waiter.
    const later = await waitFor(s.id, { text: 'X', timeoutMs: 5000 });
    expect(later.satisfied).toBe(true);
    expect(later.elapsedMs).toBeGreaterThan(300);
    await tp.deleteSession(s.id);
  });
});

const vim = findProgram('vim', 'vim.tiny', 'vi');

describe('Sessions: vim', () => {
  it('vim opens on the alternate screen, edits and quits', async () => {
    expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; .ci/run does)').not.toBeNull();
    const s = await create({ command: vim!, args: ['-u', 'NONE', '-i', 'NONE', '-N', '-n'], cols: 80, rows: 24 });
    const open = await waitFor(s.id, { regex: '^~', timeoutMs: 10_000 });
    expect(open.satisfied).toBe(true);
    const snap = await tp.screen(s.id, { format: 'json' });
    expect(snap.modes.alternateScreen).toBe(true);
    await tp.sendKeys(s.id, ['i']);
    await tp.sendText(s.id, 'hello from termpool');
    await tp.sendKeys(s.id, ['Escape']);
    const typed = await waitFor(s.id, { regex: '^hello from termpool$', timeoutMs: 5000 });
    expect(typed.satisfied).toBe(true);
    expect(typed.match!.row).toBe(0);
    await tp.sendText(s.id, ':q!');
    await tp.sendKeys(s.id, ['Enter']);
    const done = await waitFor(s.id, { exit: true, timeoutMs: 5000 });
    expect(done.session).toMatchObject({ state: 'exited', exitCode: 0 });
    const after = await tp.screen(s.id, { format: 'json' });
    expect(after.modes.alternateScreen).toBe(false);
  });
});
