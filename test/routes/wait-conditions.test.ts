/**
 * /wait on more than text, against real programs over real HTTP: absent (a bash spinner that goes
 * away; never there = at once), title (OSC 2 from printf), cursor (tput cup), cell (SGR 7 and
 * colours from printf; the selected item of a real dialog --menu), trailing spaces (bash --norc
 * with PS1='$ ': a wait for "$ " matches by default), trim: false, `failing` on a 408, and the
 * 400s that name the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, TermpoolClient } from '../../src/client/index.js';
import { startTestServer, findProgram, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
const started: string[] = [];
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
});
afterAll(async () => {
  for (const id of started) await tp.deleteSession(id).catch(() => {});
  await srv?.close();
});

/** A bash -c script in a fresh 80x24 session. */
async function sh(script: string, env: Record<string, string> = {}): Promise<Session> {
  const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-c', script], cols: 80, rows: 24, env });
  started.push(s.id);
  return s;
}

describe('wait: absent', () => {
  it('a spinner: 408 listing absent while it spins, 200 once it is erased', async () => {
    // Spins ~1.5 s (a frame every 50 ms), then erases its line and says done.
    const s = await sh(`printf 'start\\n'; spin='|/-\\'; for i in $(seq 30); do printf '\\rLoading %s' "\${spin:i%4:1}"; sleep 0.05; done; printf '\\r\\033[2Kdone\\n'; sleep 30`);
    expect((await tp.wait(s.id, { text: 'Loading', timeoutMs: 10_000 })).satisfied).toBe(true);
    const early = await tp.wait(s.id, { absent: 'Loading', timeoutMs: 200 });
    expect(early).toMatchObject({ satisfied: false, reason: 'timeout', failing: ['absent'] });
    const gone = await tp.wait(s.id, { absent: 'Loading', timeoutMs: 10_000 });
    expect(gone).toMatchObject({ satisfied: true, reason: 'matched', failing: [], match: null });
    expect(gone.lines.join('\n')).not.toContain('Loading');
    expect(gone.lines).toContain('done');
  });

  it('never there: satisfied at once; a regex form; ANDed with text', async () => {
    const s = await sh(`printf 'ready\\n'; sleep 30`);
    expect((await tp.wait(s.id, { text: 'ready', timeoutMs: 10_000 })).satisfied).toBe(true);
    const r = await tp.wait(s.id, { absent: 'No such dialog', timeoutMs: 5000 });
    expect(r).toMatchObject({ satisfied: true, reason: 'matched' });
    expect(r.elapsedMs).toBeLessThan(1000);
    expect(await tp.wait(s.id, { absent: { regex: '^rea' }, timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['absent'] });
    expect(await tp.wait(s.id, { text: 'ready', absent: { regex: 'err(or)?' }, timeoutMs: 2000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { text: 'nope', absent: 'ready', timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['text', 'absent'] });
  });
});

describe('wait: title', () => {
  it('OSC 2 from printf: exact text, regex; a different title times out naming title', async () => {
    const s = await sh(`sleep 0.3; printf '\\033]2;build: 3 of 7\\007'; sleep 30`);
    expect(await tp.wait(s.id, { title: 'build: 3 of 7', timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { title: { regex: '^build: \\d+ of 7$' }, timeoutMs: 2000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { title: { text: 'build: 3 of 7' }, timeoutMs: 2000 })).toMatchObject({ satisfied: true });
    // Exact: a part of the title is not the title.
    expect(await tp.wait(s.id, { title: 'build', timeoutMs: 100 })).toMatchObject({ satisfied: false, reason: 'timeout', failing: ['title'] });
  });
});

describe('wait: cursor', () => {
  it('after tput cup 5 10: row and column, either alone; elsewhere a 408 naming cursor', async () => {
    const s = await sh(`sleep 0.2; tput cup 5 10; sleep 30`, { TERM: 'xterm-256color' });
    expect(await tp.wait(s.id, { cursor: { row: 5, col: 10 }, timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cursor: { row: 5 }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cursor: { col: 10 }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cursor: { row: 5, col: 11 }, timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['cursor'] });
  });
});

describe('wait: cell', () => {
  it('reverse video, bold, underline and colours from printf SGR', async () => {
    const s = await sh(`sleep 0.2; printf '\\033[3;5H\\033[7mX\\033[0m \\033[1;4;31;44mR\\033[0m \\033[38;2;255;0;0mT\\033[0m \\033[38;5;208;3mP\\033[0m'; sleep 30`);
    // Row 2, column 4: X in reverse video.
    expect(await tp.wait(s.id, { cell: { row: 2, col: 4, text: 'X', inverse: true }, timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 4, inverse: true, bold: false, fg: null, bg: 'default' }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 6, text: 'R', bold: true, underline: true, fg: 'red', bg: 'blue', inverse: false }, timeoutMs: 1000 }))
      .toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 6, underline: 'single', fg: 1, bg: 4 }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 8, text: 'T', fg: '#FF0000' }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 10, text: 'P', fg: 208, italic: true }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    // A blank cell's text is " ".
    expect(await tp.wait(s.id, { cell: { row: 0, col: 79, text: ' ' }, timeoutMs: 1000 })).toMatchObject({ satisfied: true });
    // Palette 1 is not "#ff0000", the colour is exact; inverse is not swapped into fg/bg.
    expect(await tp.wait(s.id, { cell: { row: 2, col: 8, fg: 'red' }, timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['cell'] });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 4, inverse: false }, timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['cell'] });
    expect(await tp.wait(s.id, { cell: { row: 2, col: 6, bold: false }, timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['cell'] });
  });

  it('a real TUI: dialog --menu, the selected item moves with ArrowDown', async () => {
    expect(findProgram('dialog'), 'dialog is not installed (apt-get install -y dialog)').not.toBeNull();
    const s = await tp.createSession({ command: 'dialog', args: ['--menu', 'Pick a fruit', '15', '40', '4', 'a', 'Apple', 'b', 'Banana', 'c', 'Cherry'], cols: 80, rows: 24 });
    started.push(s.id);
    expect((await tp.wait(s.id, { text: 'Cherry', stableMs: 300, timeoutMs: 10_000 })).satisfied).toBe(true);
    const snap = await tp.screen(s.id, { format: 'json' });
    const at = (word: string): { row: number; col: number } => {
      const row = snap.lines.findIndex((l) => l.text.includes(word));
      return { row, col: snap.lines[row]!.text.indexOf(word) };
    };
    const styleAt = (p: { row: number; col: number }) => snap.styles[snap.lines[p.row]!.cells[p.col]!.style]!;
    const apple = at('Apple');
    const banana = at('Banana');
    // The selected item looks different from the others: that difference is what we wait for.
    const selected = styleAt(apple);
    const plain = styleAt(banana);
    expect(selected).not.toEqual(plain);
    const looksSelected = { fg: selected.fg, bg: selected.bg, inverse: selected.inverse === true, bold: selected.bold === true };
    expect(await tp.wait(s.id, { cell: { ...banana, text: 'B', ...looksSelected }, timeoutMs: 300 })).toMatchObject({ satisfied: false, failing: ['cell'] });
    await tp.sendKeys(s.id, ['ArrowDown']);
    expect(await tp.wait(s.id, { cell: { ...banana, text: 'B', ...looksSelected }, timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { cell: { ...apple, text: 'A', fg: plain.fg, bg: plain.bg }, timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
  });
});

describe('wait: a synchronized update (mode 2026)', () => {
  it('title, cursor, cell, absent and full-width rows read the frame being served, not the half-drawn screen', async () => {
    // Draws "AB" (B reversed), then on Enter (echoed: the cursor goes to row 1) opens a synchronized update that clears the screen,
    // sets a title and writes X, and never closes it: the frame is served for 1 s (SYNC_FRAME_TIMEOUT_MS).
    const s = await sh(`printf 'A\\033[7mB\\033[0m '; read -r; printf '\\033[?2026h\\033[2J\\033[HX\\033]2;half\\007'; sleep 30`);
    expect((await tp.wait(s.id, { text: 'AB', timeoutMs: 10_000 })).satisfied).toBe(true);
    const before = (await tp.getSession(s.id)).bytesParsed;
    const sent = Date.now();
    await tp.sendKeys(s.id, ['Enter']);
    while ((await tp.getSession(s.id)).bytesParsed <= before + 2) await new Promise((r) => setTimeout(r, 10));
    const inFrame = await tp.wait(s.id, {
      cell: { row: 0, col: 1, text: 'B', inverse: true }, cursor: { row: 1, col: 0 }, title: '', absent: 'X', text: 'AB ', trim: false, timeoutMs: 100,
    });
    // The frame lasts 1 s from its start: a machine too slow to ask within it proves nothing.
    if (Date.now() - sent < 700) expect(inFrame, JSON.stringify(inFrame)).toMatchObject({ satisfied: true, failing: [] });
    // Then the live screen: X, the title, B gone.
    expect(await tp.wait(s.id, { cell: { row: 0, col: 0, text: 'X' }, title: 'half', absent: 'AB', timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
  });
});

describe('wait: trailing spaces', () => {
  it('bash --norc with PS1="$ ": a wait for "$ " matches by default; trim: false for regexes', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' }, cols: 80, rows: 24 });
    started.push(s.id);
    const w = await tp.wait(s.id, { text: '$ ', timeoutMs: 10_000 });
    expect(w).toMatchObject({ satisfied: true, match: { row: 0, column: 0, text: '$ ' } });
    // The lines answered stay trimmed, as GET /screen gives them.
    expect(w.lines[0]).toBe('$');
    // A regex sees trimmed lines unless trim: false.
    expect(await tp.wait(s.id, { regex: '^\\$ $', timeoutMs: 100 })).toMatchObject({ satisfied: false, failing: ['regex'] });
    expect(await tp.wait(s.id, { regex: '^\\$ {79}$', trim: false, timeoutMs: 2000 })).toMatchObject({ satisfied: true });
    // trim: true keeps the old meaning: no row ends in a space.
    expect(await tp.wait(s.id, { text: '$ ', trim: true, timeoutMs: 100 })).toMatchObject({ satisfied: false });
    // After a command, the prompt with its space is on the new last line.
    await tp.sendKeys(s.id, ['echo hi', 'Enter'], { literal: true });
    const again = await tp.wait(s.id, { text: 'hi\n$ ', trim: false, timeoutMs: 100 });
    expect(again.satisfied).toBe(false); // full-width rows: "hi" is followed by 78 spaces
    expect(await tp.wait(s.id, { regex: '^hi\\n\\$$', timeoutMs: 10_000 })).toMatchObject({ satisfied: true });
    expect(await tp.wait(s.id, { text: '$ ', absent: 'nothing like this', timeoutMs: 1000 })).toMatchObject({ satisfied: true, match: { row: 0 } });
  });
});

describe('wait: validation', () => {
  let s: Session;
  beforeAll(async () => { s = await sh('sleep 60'); });

  const wait = (body: unknown) => srv.api('POST', `/v1/sessions/${s.id}/wait`, body);

  it.each([
    ['cell.row', { cell: { row: 24, col: 0 } }],
    ['cell.col', { cell: { row: 0, col: 80 } }],
    ['cursor.row', { cursor: { row: 99 } }],
    ['cursor.col', { cursor: { row: 0, col: 1000 } }],
    ['cell.fg', { cell: { row: 0, col: 0, fg: 'chartreuse-ish' } }],
    ['cell.bg', { cell: { row: 0, col: 0, bg: '#12345' } }],
    ['trim', { text: 'x', trim: false, scrollback: true }],
  ])('400 VALIDATION naming %s', async (field, body) => {
    const r = await wait({ ...body, timeoutMs: 100 });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('VALIDATION');
    expect(r.body.message).toContain(field);
  });

  it.each([
    ['cursor', { cursor: {} }],
    ['cursor', { cursor: { row: -1 } }],
    ['cell', { cell: { row: 0 } }],
    ['cell', { cell: { row: 0, col: 0, inverse: 'yes' } }],
    ['cell', { cell: { row: 0, col: 0, fg: 300 } }],
    ['cell', { cell: { row: 0, col: 0, blink: true } }],
    ['absent', { absent: '' }],
    ['absent', { absent: { text: 'a', regex: 'b' } }],
    ['title', { title: {} }],
    ['title', { title: 42 }],
  ])('400 VALIDATION naming %s (schema)', async (field, body) => {
    const r = await wait({ ...body, timeoutMs: 100 });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(field);
  });

  it('a bad regex in absent or title is 400 BAD_REGEX naming it', async () => {
    for (const body of [{ absent: { regex: '(' } }, { title: { regex: '[z-a]' } }]) {
      const r = await wait({ ...body, timeoutMs: 100 });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('BAD_REGEX');
    }
  });

  it('a wait with only the new conditions is valid (no text needed); the empty title can be waited for', async () => {
    expect((await wait({ title: '', timeoutMs: 1000 })).body).toMatchObject({ satisfied: true });
    expect((await wait({ cursor: { row: 0 }, timeoutMs: 1000 })).status).toBe(200);
  });
});
