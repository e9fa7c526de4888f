/**
 * Session routes against real ptys over real HTTP: bash, vim, exit codes, process-group kill,
 * terminal replies, resize, scrollback and search, synchronized-output frames.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, findProgram, gone, startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
beforeAll(async () => { srv = await startTestServer(); });
afterAll(async () => { await srv?.close(); });

async function create(body: Record<string, unknown>): Promise<{ id: string; pid: number }> {
  const r = await srv.api('POST', '/v1/sessions', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

const waitFor = (id: string, body: Record<string, unknown>) => srv.api('POST', `/v1/sessions/${id}/wait`, body);

describe('Sessions: bash', () => {
  it('echo hi + Enter, wait for hi, text snapshot', async () => {
    const s = await create({ command: 'bash', args: ['--norc', '--noprofile'], cols: 60, rows: 12, env: { PS1: '$ ' } });
    expect(s.pid).toBeGreaterThan(0);
    await waitFor(s.id, { text: '$', timeoutMs: 5000 });
    expect((await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'echo hi' })).status).toBe(200);
    expect((await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['Enter'] })).status).toBe(200);
    const w = await waitFor(s.id, { regex: '^hi$', timeoutMs: 5000 });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'hi', column: 0 } });
    expect(w.body.lines[w.body.match.row]).toBe('hi');

    const screen = await srv.api('GET', `/v1/sessions/${s.id}/screen`);
    expect(screen.contentType).toMatch(/^text\/plain/);
    const lines = (screen.body as string).split('\n');
    expect(lines).toHaveLength(13); // 12 rows + trailing newline
    expect(lines).toContain('$ echo hi');
    expect(lines).toContain('hi');

    const json = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=json`);
    expect(json.body).toMatchObject({ cols: 60, rows: 12 });
    expect(json.body.lines.map((l: { text: string }) => l.text)).toContain('hi');

    const info = await srv.api('GET', `/v1/sessions/${s.id}`);
    expect(info.body).toMatchObject({ id: s.id, state: 'running', cols: 60, rows: 12, exitCode: null });
    expect(info.body.pageCount).toBeGreaterThan(0);
    const list = await srv.api('GET', '/v1/sessions');
    expect(list.body.sessions.map((x: { id: string }) => x.id)).toContain(s.id);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('renders ansi, html, svg and png', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'printf "\\e[1;31mred\\e[0m ok\\n"; sleep 30'], cols: 20, rows: 4 });
    await waitFor(s.id, { text: 'red ok' });
    const ansi = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=ansi`);
    expect(ansi.status).toBe(200);
    expect(ansi.body).toContain('red');
    expect(ansi.body).toContain('\x1b[');
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
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('random bytes from a program disturb nothing', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'head -c 300000 /dev/urandom; printf "\\ec\\e[0mDONE"; sleep 30'], cols: 80, rows: 24 });
    expect((await waitFor(s.id, { text: 'DONE', timeoutMs: 10_000 })).status).toBe(200);
    for (const f of ['text', 'json', 'ansi', 'html', 'svg']) {
      expect((await srv.api('GET', `/v1/sessions/${s.id}/screen?format=${f}&scrollback=50`)).status, f).toBe(200);
    }
    expect(srv.app.sessions.get(s.id).internalErrors).toBe(0);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('terminal replies reach the program (CPR)', async () => {
    const s = await create({
      command: 'bash',
      args: ['-c', 'printf "\\e[3;5H\\e[6n"; read -rsdR x; echo "got${x#*[}"; sleep 30'],
      cols: 40, rows: 8,
    });
    const w = await waitFor(s.id, { regex: 'got\\d+;\\d+', timeoutMs: 5000 });
    expect(w.status).toBe(200);
    expect(w.body.match.text).toBe('got3;5');
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('exit code and final screen are kept; input and resize then answer 409', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'echo bye; exit 3'] });
    const w = await waitFor(s.id, { exit: true, timeoutMs: 5000 });
    expect(w.status).toBe(200);
    expect(w.body.session).toMatchObject({ state: 'exited', exitCode: 3, signal: null });
    const info = await srv.api('GET', `/v1/sessions/${s.id}`);
    expect(info.body).toMatchObject({ state: 'exited', exitCode: 3 });
    expect(info.body.exitedAt).toEqual(expect.any(String));
    const screen = await srv.api('GET', `/v1/sessions/${s.id}/screen`);
    expect(screen.body.split('\n')[0]).toBe('bye');
    const input = await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'x' });
    expect(input.status).toBe(409);
    expect(input.body.error).toBe('SESSION_EXITED');
    expect((await srv.api('POST', `/v1/sessions/${s.id}/resize`, { cols: 30, rows: 5 })).status).toBe(409);
    // A condition that can no longer come true ends at once with 408, not at the timeout.
    const never = await waitFor(s.id, { text: 'never', timeoutMs: 20_000 });
    expect(never.status).toBe(408);
    expect(never.body).toMatchObject({ satisfied: false, reason: 'exited' });
    expect(never.body.elapsedMs).toBeLessThan(1000);
  });

  it('wait times out with 408 and the last screen', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'echo waiting; sleep 30'] });
    await waitFor(s.id, { text: 'waiting' });
    const w = await waitFor(s.id, { text: 'nope', timeoutMs: 300 });
    expect(w.status).toBe(408);
    expect(w.body).toMatchObject({ satisfied: false, reason: 'timeout', match: null });
    expect(w.body.lines[0]).toBe('waiting');
    expect(w.body.elapsedMs).toBeGreaterThanOrEqual(290);
    const stable = await waitFor(s.id, { text: 'waiting', stableMs: 200, timeoutMs: 3000 });
    expect(stable.status).toBe(200);
    // A client that hangs up mid-wait leaves no listener behind.
    const session = srv.app.sessions.get(s.id);
    const before = session.listenerCount('update');
    const ac = new AbortController();
    const req = fetch(`${srv.url}/v1/sessions/${s.id}/wait`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'never', timeoutMs: 60_000 }), signal: ac.signal,
    }).catch(() => null);
    await expect.poll(() => session.listenerCount('update')).toBe(before + 1);
    ac.abort();
    await req;
    await expect.poll(() => session.listenerCount('update')).toBe(before);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('DELETE kills the whole process group, including children that ignore SIGHUP', async () => {
    const s = await create({ command: 'bash', args: ['-c', "trap '' HUP; sleep 300 & echo child=$!; wait"] });
    const w = await waitFor(s.id, { regex: 'child=\\d+', timeoutMs: 5000 });
    const child = Number(/child=(\d+)/.exec(w.body.match.text)![1]);
    expect(alive(s.pid)).toBe(true);
    expect(alive(child)).toBe(true);
    const del = await srv.api('DELETE', `/v1/sessions/${s.id}`);
    expect(del.status).toBe(200);
    expect(del.body.state).toBe('exited');
    expect(alive(s.pid)).toBe(false);
    // The orphaned child is reaped by init, not by us: allow it a moment.
    expect(await gone(child)).toBe(true);
    expect((await srv.api('GET', `/v1/sessions/${s.id}`)).status).toBe(404);
  });

  it('resize reaches the program (stty size)', async () => {
    const s = await create({ command: 'bash', args: ['--norc', '--noprofile'], cols: 50, rows: 10, env: { PS1: '$ ' } });
    await waitFor(s.id, { text: '$' });
    const r = await srv.api('POST', `/v1/sessions/${s.id}/resize`, { cols: 70, rows: 15 });
    expect(r.body).toMatchObject({ cols: 70, rows: 15 });
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'stty size\r' });
    expect((await waitFor(s.id, { regex: '^15 70$' })).status).toBe(200);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('scrollback range and search with line numbers', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'for i in $(seq 1 100); do echo line$i; done; sleep 30'], cols: 30, rows: 10 });
    await waitFor(s.id, { text: 'line100' });
    const range = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?start=0&count=3`);
    expect(range.body).toMatchObject({ start: 0, lines: ['line1', 'line2', 'line3'] });
    expect(range.body.total).toBe(91); // 100 lines + the cursor's empty row on a 10-row screen
    const found = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?q=line5`);
    expect(found.body.matches).toEqual([
      { line: 4, column: 0, text: 'line5' },
      ...Array.from({ length: 10 }, (_, i) => ({ line: 49 + i, column: 0, text: `line${50 + i}` })),
    ]);
    const onScreen = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?q=line99`);
    expect(onScreen.body.matches).toEqual([{ line: 98, column: 0, text: 'line99' }]);
    expect(onScreen.body.scrollbackLength).toBe(91);
    const limited = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?q=line&limit=5`);
    expect(limited.body).toMatchObject({ truncated: true });
    expect(limited.body.matches).toHaveLength(5);
    const withSb = await srv.api('GET', `/v1/sessions/${s.id}/screen?scrollback=2`);
    expect((withSb.body as string).split('\n').slice(0, 3)).toEqual(['line90', 'line91', 'line92']);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });

  it('during a synchronized update (mode 2026) the last complete frame is served', async () => {
    const s = await create({
      command: 'bash',
      args: ['-c', 'printf "A\\n\\e[?2026hB"; sleep 0.5; printf "C\\e[?2026l"; sleep 30'],
      cols: 20, rows: 4,
    });
    const before = await waitFor(s.id, { text: 'A', timeoutMs: 5000 });
    expect(before.body.lines.join('\n')).not.toContain('B');
    const mid = await srv.api('GET', `/v1/sessions/${s.id}/screen`);
    expect(mid.body.split('\n')[0]).toBe('A');
    expect(mid.body).not.toContain('B');
    const json = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=json`);
    expect(json.body.lines[1].text).toBe('');
    const after = await waitFor(s.id, { text: 'BC', timeoutMs: 5000 });
    expect(after.status).toBe(200);
    expect(after.body.lines.slice(0, 2)).toEqual(['A', 'BC']);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

describe('Sessions: synchronized output timeout and title', () => {
  it('a frame never closed stops hiding the live screen after SYNC_FRAME_TIMEOUT_MS', async () => {
    const s = await create({ command: 'bash', args: ['-c', 'printf "\\e]0;my title\\a\\e[?2026hX"; sleep 30'], cols: 20, rows: 4 });
    const first = await waitFor(s.id, { stableMs: 100, timeoutMs: 5000 });
    expect(first.body.lines[0]).toBe('');
    expect(first.body.session.title).toBe('my title');
    // No more output comes: the frame timer alone must wake the waiter.
    const later = await waitFor(s.id, { text: 'X', timeoutMs: 5000 });
    expect(later.status).toBe(200);
    expect(later.body.elapsedMs).toBeGreaterThan(300);
    await srv.api('DELETE', `/v1/sessions/${s.id}`);
  });
});

const vim = findProgram('vim', 'vim.tiny', 'vi');

describe('Sessions: vim', () => {
  it('vim opens on the alternate screen, edits and quits', async () => {
    expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; .ci/run does)').not.toBeNull();
    const s = await create({ command: vim!, args: ['-u', 'NONE', '-i', 'NONE', '-N', '-n'], cols: 80, rows: 24 });
    const open = await waitFor(s.id, { regex: '^~', timeoutMs: 10_000 });
    expect(open.status).toBe(200);
    const snap = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=json`);
    expect(snap.body.modes.alternateScreen).toBe(true);
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['i'] });
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'hello from termpool' });
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['Escape'] });
    const typed = await waitFor(s.id, { regex: '^hello from termpool$', timeoutMs: 5000 });
    expect(typed.status).toBe(200);
    expect(typed.body.match.row).toBe(0);
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: ':q!' });
    await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['Enter'] });
    const done = await waitFor(s.id, { exit: true, timeoutMs: 5000 });
    expect(done.body.session).toMatchObject({ state: 'exited', exitCode: 0 });
    const after = await srv.api('GET', `/v1/sessions/${s.id}/screen?format=json`);
    expect(after.body.modes.alternateScreen).toBe(false);
  });
});
