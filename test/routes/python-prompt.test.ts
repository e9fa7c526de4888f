/**
 * A Python prompt, as pexpect users drive one: its prompt `>>> ` ends in a space (matched by a
 * plain text wait, no trim flag), Playwright keys edit and recall lines through its readline,
 * Control+C interrupts a running statement (KeyboardInterrupt, back at the prompt) and the
 * cursor wait follows the prompt. Real python3 under a real pty over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer | undefined;
let tp: TermpoolClient;
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
});
afterAll(async () => { await srv?.close(); });

/** Rows of the screen ending in the prompt `>>> ` with nothing typed after it. */
const promptRows = (lines: string[]): number => lines.filter((l) => l === '>>>').length;

describe('a Python prompt', { timeout: 60_000 }, () => {
  it('waits on ">>> ", edits with Playwright keys, interrupts with Control+C', async () => {
    const s = await tp.createSession({ command: 'python3', args: ['-q', '-i'], cols: 60, rows: 20, env: { PYTHONSTARTUP: '', NO_COLOR: '1', PYTHON_BASIC_REPL: '1' } });
    try {
      const first = await tp.wait(s.id, { text: '>>> ', timeoutMs: 15_000 });
      expect(first.satisfied).toBe(true);
      expect(first.match).toMatchObject({ row: 0, column: 0, text: '>>> ' });
      expect((await tp.wait(s.id, { cursor: { row: 0, col: 4 }, timeoutMs: 5_000 })).satisfied).toBe(true);

      await tp.sendKeys(s.id, ['6*7', 'Enter'], { literal: true });
      expect((await tp.wait(s.id, { text: '42', timeoutMs: 10_000 })).satisfied).toBe(true);
      expect((await tp.wait(s.id, { cursor: { row: 2, col: 4 }, timeoutMs: 5_000 })).satisfied).toBe(true);

      // ArrowUp recalls 6*7; Home and typing edit it to 10+6*7 (readline's line editing).
      await tp.sendKeys(s.id, ['ArrowUp', 'Home', '10+', 'Enter'], { literal: true });
      expect((await tp.wait(s.id, { text: '52', timeoutMs: 10_000 })).satisfied).toBe(true);

      // A statement that never ends, stopped by Control+C: KeyboardInterrupt, then a prompt again.
      await tp.sendKeys(s.id, ['while True: pass', 'Enter', 'Enter'], { literal: true });
      await tp.wait(s.id, { stableMs: 300, timeoutMs: 5_000 });
      await tp.sendKeys(s.id, ['Control+c']);
      const interrupted = await tp.wait(s.id, { text: 'KeyboardInterrupt', timeoutMs: 10_000 });
      expect(interrupted.satisfied).toBe(true);
      const back = await tp.wait(s.id, { stableMs: 300, timeoutMs: 10_000 });
      expect(back.lines.join('\n')).toMatch(/KeyboardInterrupt\n>>>$/m);
      expect(promptRows(back.lines)).toBe(1);
    } finally {
      await tp.deleteSession(s.id).catch(() => {});
    }
  });
});
