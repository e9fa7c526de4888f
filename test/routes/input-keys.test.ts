/**
 * Playwright key names and literal items over real HTTP into a real program: python3 in raw mode
 * prints the hex of every read, so the test sees the exact bytes the pty delivered, in normal and
 * in application cursor mode (the program sends DECCKM itself, the engine tracks it, the keys
 * follow). 400s name the bad item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

// Raw mode (no echo, no line discipline), then one "got:<hex>" line per read.
const ECHO_BYTES = [
  'import os, sys, tty',
  'tty.setraw(0)',
  "if sys.argv[1:] == ['app']: os.write(1, b'\\x1b[?1h')",
  "os.write(1, b'READY\\r\\n')",
  'while True:',
  '    b = os.read(0, 4096)',
  "    os.write(1, b'got:' + b.hex().encode() + b'\\r\\n')",
].join('\n');

let srv: TestServer;
let tp: TermpoolClient;
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
});
afterAll(async () => { await srv?.close(); });

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

async function echoSession(mode: 'normal' | 'app'): Promise<Session> {
  const s = await tp.createSession({ command: 'python3', args: ['-c', ECHO_BYTES, ...(mode === 'app' ? ['app'] : [])], cols: 200, rows: 40 });
  const w = await tp.wait(s.id, { text: 'READY', timeoutMs: 10_000 });
  expect(w.satisfied).toBe(true);
  return s;
}

/** Sends one input request and returns the hex the program read (one write arrives as one read; lines fit the 200 columns). */
async function sent(id: string, body: Parameters<TermpoolClient['input']>[1]): Promise<string> {
  const before = (await tp.screenLines(id)).filter((l) => l.startsWith('got:')).length;
  await tp.input(id, body);
  const w = await tp.wait(id, { regex: `^(?:got:.*\\n){${before}}got:[0-9a-f]+$`, timeoutMs: 10_000 });
  expect(w.satisfied).toBe(true);
  const got = w.lines.filter((l) => l.startsWith('got:'));
  return got[before]!.slice(4);
}

describe('Input: Playwright keys into a real program', () => {
  let s: Session;
  let app: Session;
  beforeAll(async () => { [s, app] = await Promise.all([echoSession('normal'), echoSession('app')]); });
  afterAll(async () => { for (const x of [s, app]) await tp.deleteSession(x.id).catch(() => {}); });

  it('arrows, Enter, Escape, Tab, Backspace, Delete, Home, End, PageUp/Down, Insert, F1, F12, Space: exact bytes', async () => {
    const keys = ['ArrowUp', 'ArrowDown', 'ArrowRight', 'ArrowLeft', 'Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Home', 'End',
      'PageUp', 'PageDown', 'Insert', 'F1', 'F12', 'Space', 'x'];
    expect(await sent(s.id, { keys })).toBe(hex('\x1b[A\x1b[B\x1b[C\x1b[D\r\x1b\t\x7f\x1b[3~\x1b[H\x1b[F\x1b[5~\x1b[6~\x1b[2~\x1bOP\x1b[24~ x'));
  });

  it('modifiers: Control+c, Shift+Tab (CSI Z), Alt+x and Meta+x (ESC x), Control+Shift+ArrowUp (CSI 1;6A)', async () => {
    expect(await sent(s.id, { keys: ['Control+c'] })).toBe('03');
    expect(await sent(s.id, { keys: ['Shift+Tab', 'Alt+x', 'Meta+x', 'Control+Shift+ArrowUp'] })).toBe(hex('\x1b[Z\x1bx\x1bx\x1b[1;6A'));
  });

  it('application cursor mode (DECCKM set by the program): arrows and Home/End are SS3, modified ones stay CSI 1;m', async () => {
    const snap = await tp.screen(app.id, { format: 'json' });
    expect(snap.modes.applicationCursorKeys).toBe(true);
    expect(await sent(app.id, { keys: ['ArrowUp', 'ArrowLeft', 'Home', 'End', 'Up'] })).toBe(hex('\x1bOA\x1bOD\x1bOH\x1bOF\x1bOA'));
    expect(await sent(app.id, { keys: ['Control+ArrowUp'] })).toBe(hex('\x1b[1;5A'));
  });

  it('literal: true types items that are not key names as text, key names stay keys', async () => {
    expect(await sent(s.id, { keys: ['exit 123', 'Enter', 'Control+c', 'héllo wörld'], literal: true })).toBe(hex('exit 123\r\x03héllo wörld'));
  });

  it('without literal, the same request is a 400 TP_BAD_KEY naming the item and its index, and nothing is sent', async () => {
    const r = await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['Enter', 'exit 123'] });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'TP_BAD_KEY', details: { key: 'exit 123', index: 1 } });
    expect(r.body.message).toContain('"exit 123"');
    // The next input arrives alone: the refused Enter was never written.
    expect(await sent(s.id, { keys: ['y'] })).toBe(hex('y'));
  });

  it('400 VALIDATION naming the field: a long item without literal, literal without keys, literal not a boolean', async () => {
    const long = await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['x'.repeat(65)] });
    expect(long.status).toBe(400);
    expect(long.body.error).toBe('VALIDATION');
    expect(long.body.message).toContain('keys');
    const longLiteral = await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['x'.repeat(65)], literal: true });
    expect(longLiteral.status).toBe(200);
    expect(await sent(s.id, { keys: ['z'] })).toBe(hex('z'));
    const alone = await srv.api('POST', `/v1/sessions/${s.id}/input`, { text: 'a', literal: true });
    expect(alone.status).toBe(400);
    expect(alone.body.message).toContain('literal');
    const notBool = await srv.api('POST', `/v1/sessions/${s.id}/input`, { keys: ['a'], literal: 'yes' });
    expect(notBool.status).toBe(400);
    expect(notBool.body.message).toContain('literal');
  });
});
