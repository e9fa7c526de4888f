/**
 * xterm-oracle — renders raw pty bytes with @xterm/headless, the reference
 * engine for the differential test (test/engine/differential.test.ts) and
 * the live terminal of the recorder (test/fixtures/record.ts).
 *
 * Screens are returned the way our engine's `screenLines()` returns them:
 * exactly `rows` strings, right-trimmed, a wide character appearing once
 * (xterm's `translateToString` emits the char for the wide cell and nothing
 * for its spacer cell, which is the same convention).
 *
 * NOTE: @xterm/headless ships CommonJS whose named exports Node's ESM loader
 * cannot see, hence the default import.
 */
import xtermHeadless from '@xterm/headless';
import type { Terminal as XTerminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';

const { Terminal } = xtermHeadless;

/** Scrollback for oracle terminals: large enough that nothing we render is evicted mid-check. */
export const ORACLE_SCROLLBACK = 10_000;

/** A headless xterm with Unicode 11 widths active, as the recorder and the oracle both use it. */
export function createXterm(cols: number, rows: number, scrollback = ORACLE_SCROLLBACK): XTerminal {
  const term = new Terminal({ cols, rows, scrollback, allowProposedApi: true });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  return term;
}

/** The visible screen (bottom `rows` lines of the active buffer), right-trimmed. */
export function xtermScreenLines(term: XTerminal): string[] {
  const buf = term.buffer.active;
  const lines: string[] = [];
  // NOTE: baseY is the top of the bottom-most page; viewportY may differ only
  // if someone scrolled the viewport, which nothing here does.
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.baseY + y);
    lines.push(line ? line.translateToString(true).replace(/ +$/, '') : '');
  }
  return lines;
}

/** Write and resolve once xterm has parsed the bytes (xterm.write is asynchronous). */
export function writeXterm(term: XTerminal, data: Uint8Array | string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}

/** Final visible screen after feeding `bytes` into a fresh xterm of `cols`×`rows`. */
export async function renderWithXterm(bytes: Uint8Array, cols: number, rows: number): Promise<string[]> {
  const [screen] = await renderWithXtermAt(bytes, cols, rows, [bytes.length]);
  return screen!;
}

/**
 * Screens after each byte offset in `offsets` (ascending), from one xterm instance.
 * Used for recordings that carry checkpoints taken while the program was still running.
 */
export async function renderWithXtermAt(
  bytes: Uint8Array,
  cols: number,
  rows: number,
  offsets: readonly number[],
): Promise<string[][]> {
  const term = createXterm(cols, rows);
  const screens: string[][] = [];
  let done = 0;
  try {
    for (const offset of offsets) {
      if (offset < done || offset > bytes.length) throw new RangeError(`bad offset ${offset}`);
      if (offset > done) await writeXterm(term, bytes.subarray(done, offset));
      done = offset;
      screens.push(xtermScreenLines(term));
    }
  } finally {
    term.dispose();
  }
  return screens;
}
