/**
 * Output that scrolled off, against real ptys over real HTTP: POST /wait with scrollback: true
 * (lines that scrolled off before the wait began or scroll past while it waits; without it, only
 * the screen), and GET /scrollback?regex=.
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
    // stableMs well above the 0.3 s between the marker and the seq, so that a slow machine
    // cannot give the screen-only wait a quiet moment with the marker still on the screen.
    const screenOnly = tp.wait(s.id, { text: 'MARK-7', stableMs: 1500, timeoutMs: 3500 });
    const w = await tp.wait(s.id, { text: 'MARK-7', scrollback: true, stableMs: 1500, timeoutMs: 10_000 });
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

  it('a non-boolean scrollback, or text and regex together, is a 400 naming it', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', 'echo hello; sleep 30'] });
    const r = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'x', scrollback: 'yes' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'VALIDATION' });
    expect(JSON.stringify(r.body)).toContain('scrollback');
    // Both were taken, and the regex silently ignored: "hello" satisfied a wait for /^never$/.
    const both = await srv.api('POST', `/v1/sessions/${s.id}/wait`, { text: 'hello', regex: '^never$', timeoutMs: 300 });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ error: 'VALIDATION' });
    expect(JSON.stringify(both.body)).toContain('give text or regex, not both');
    await tp.deleteSession(s.id);
  });
});

describe('scrollback search by regex', () => {
  it('finds lines in scrollback and screen by a regex, once per line, numbered as ?q= numbers them', async () => {
    const s = await tp.createSession({
      command: 'bash', args: ['-c', 'for i in $(seq 1 3000); do echo "item-$i status=$((i % 7))"; done; echo "done: ok ok"; sleep 30'], cols: 40, rows: 10,
    });
    await tp.wait(s.id, { text: 'done: ok' });
    const r = await tp.search(s.id, '^item-1\\d{3} status=0$', { regex: true, limit: 1000 });
    // item-N with N in 1000..1999 and N % 7 == 0: 1001, 1008, ... 1995.
    const want = Array.from({ length: 143 }, (_, k) => 1001 + 7 * k);
    expect(r).toMatchObject({ kind: 'regex', query: '^item-1\\d{3} status=0$', truncated: false });
    expect(r.matches.map((m) => m.text)).toEqual(want.map((n) => `item-${n} status=0`));
    expect(r.matches.map((m) => m.line)).toEqual(want.map((n) => n - 1));
    // Text search numbers the same lines alike.
    expect((await tp.search(s.id, 'item-1995 status')).matches[0]!.line).toBe(1994);
    // A line with two matches is one hit, at the first; the screen's rows come after the scrollback.
    const ok = await tp.search(s.id, 'ok', { regex: true });
    expect(ok.matches).toEqual([{ line: 3000, column: 6, text: 'done: ok ok' }]);
    expect(3000 - ok.scrollbackLength).toBeGreaterThanOrEqual(0);
    const limited = await tp.search(s.id, 'status=[0-6]', { regex: true, limit: 5 });
    expect(limited.truncated).toBe(true);
    expect(limited.matches.map((m) => m.line)).toEqual([0, 1, 2, 3, 4]);
    await tp.deleteSession(s.id);
  });

  it('a bad or runaway regex, or q and regex together, is a 400 naming it; the session carries on', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['-c', `printf '${'a'.repeat(34)}b\\n'; seq 50; sleep 30`], cols: 40, rows: 10 });
    await tp.wait(s.id, { regex: '^50$' });
    const bad = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?regex=${encodeURIComponent('(')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'BAD_REGEX' });
    const runaway = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?regex=${encodeURIComponent('^(a+)+$')}`);
    expect(runaway.status).toBe(400);
    expect(runaway.body).toMatchObject({ error: 'BAD_REGEX' });
    expect(runaway.body.message).toContain('took over');
    const both = await srv.api('GET', `/v1/sessions/${s.id}/scrollback?regex=a&q=a`);
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ error: 'VALIDATION' });
    expect(JSON.stringify(both.body)).toContain('give q or regex, not both');
    expect((await tp.search(s.id, '^4\\d$', { regex: true })).matches).toHaveLength(10);
    await tp.deleteSession(s.id);
  });
});
