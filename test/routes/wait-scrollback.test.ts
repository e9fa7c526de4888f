/**
 * POST /wait with scrollback: true against real ptys over real HTTP: output that scrolled off
 * before the wait began or scrolls past while it waits is matched; without it, only the screen.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
beforeAll(async () => { srv = await startTestServer(); tp = srv.client; });
afterAll(async () => { await srv?.close(); });

describe('wait with scrollback: true', () => {
  it('finds a line that scrolled off before the wait began, numbered as GET /scrollback does', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'echo BUILD-OK; seq 100; sleep 30'], cols: 40, rows: 10 });
    await tp.wait(s.id, { regex: '^100$' });
    const screenOnly = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'BUILD-OK', timeoutMs: 300 });
    expect(screenOnly.status).toBe(408);
    const w = await tp.wait(s.id, { text: 'BUILD-OK', scrollback: true, timeoutMs: 5000 });
    expect(w).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'BUILD-OK', column: 0, line: 0 } });
    const info = await tp.getSession(s.id);
    expect(w.match!.row).toBe(0 - info.scrollbackLength);
    expect((await tp.search(s.id, 'BUILD-OK')).matches[0]).toMatchObject({ line: w.match!.line });
    // A regex over two scrolled-off lines.
    const two = await tp.wait(s.id, { regex: '^BUILD-OK\\n1$', scrollback: true, timeoutMs: 5000 });
    expect(two.match).toMatchObject({ line: 0, text: 'BUILD-OK\n1' });
    // On the screen the row is as without the option, and a line number comes with it.
    const onScreen = await tp.wait(s.id, { regex: '^100$', scrollback: true, timeoutMs: 5000 });
    expect(onScreen.match!.row).toBeGreaterThanOrEqual(0);
    expect(onScreen.lines[onScreen.match!.row]).toBe('100');
    expect(onScreen.match!.line).toBe(info.scrollbackLength + onScreen.match!.row);
    await tp.deleteSession(s.id);
  });

  it('catches output that scrolls past while waiting, and holds it once pruned', async () => {
    // Scrollback of 20: the marker is pruned by the seq that follows it, before the output goes quiet.
    const s = await tp.createSession({
      command: 'bash', args: ['-c', 'sleep 0.5; echo MARK-7; sleep 0.3; seq 500; sleep 30'], cols: 40, rows: 10, scrollback: 20,
    });
    const screenOnly = tp.wait(s.id, { text: 'MARK-7', stableMs: 400, timeoutMs: 2000 });
    const w = await tp.wait(s.id, { text: 'MARK-7', scrollback: true, stableMs: 400, timeoutMs: 10_000 });
    expect(w).toMatchObject({ satisfied: true, reason: 'matched', match: { text: 'MARK-7', column: 0 } });
    expect(w.lines).toContain('500');
    expect((await tp.search(s.id, 'MARK-7')).matches).toEqual([]); // pruned by now
    expect(await screenOnly).toMatchObject({ satisfied: false, reason: 'timeout' });
    await tp.deleteSession(s.id);
  });

  it('a burst that scrolls a marker off between two checks is caught from the new scrollback lines', async () => {
    // One write of the marker and 2,000 lines after it (cat of a file): the first read from the
    // pty already holds the marker and far more than a screen of lines, so no check sees it on the screen.
    const dir = mkdtempSync(join(tmpdir(), 'tp-wait-'));
    writeFileSync(join(dir, 'out'), `DONE-42\n${Array.from({ length: 2000 }, (_, i) => i + 1).join('\n')}\n`);
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile'], cols: 40, rows: 10, env: { PS1: '$ ' }, cwd: dir });
    await tp.wait(s.id, { text: '$' });
    const pending = tp.wait(s.id, { regex: '^DONE-\\d+$', scrollback: true, timeoutMs: 10_000 });
    await tp.sendText(s.id, 'sleep 0.3; cat out\r');
    const w = await pending;
    expect(w).toMatchObject({ satisfied: true, match: { text: 'DONE-42', column: 0 } });
    expect(w.match!.row).toBeLessThan(-10);
    await tp.deleteSession(s.id);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a non-boolean scrollback is a 400 naming the field', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'sleep 30'] });
    const r = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'x', scrollback: 'yes' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'VALIDATION' });
    expect(JSON.stringify(r.body)).toContain('scrollback');
    await tp.deleteSession(s.id);
  });
});
