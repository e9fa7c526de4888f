/**
 * Test terminals: `term({ cols: 10, rows: 3 }).write('hi\r\n')` builds a Terminal whose
 * `write` chains and whose replies (DA, CPR, DECRPM, ...) collect in `replies`. `sameAsXterm`
 * feeds the same bytes to @xterm/headless (the reference, test/helpers/xterm-oracle.ts) and
 * returns both screens and cursors for comparison.
 */
import { Terminal } from '../../src/engine/index.js';
import type { TerminalOptions } from '../../src/engine/index.js';
import { createXterm, writeXterm, xtermScreenLines } from './xterm-oracle.js';

export class TestTerminal extends Terminal {
  /** Every reply the terminal sent, in order. */
  readonly replies: string[] = [];

  constructor(opts: Omit<TerminalOptions, 'onReply'>) {
    super({ ...opts, onReply: (s) => this.replies.push(s) });
  }

  /** Write and return this, so state can be built in one expression. */
  override write(data: Uint8Array | string): this {
    super.write(data);
    return this;
  }

  /** Replies so far, joined; clears the list. */
  takeReplies(): string {
    const s = this.replies.join('');
    this.replies.length = 0;
    return s;
  }

  /** The visible screen as one string, rows joined by '\n', trailing blank rows kept. */
  screenText(): string { return this.screenLines().join('\n'); }

  /** Cursor as [row, col] for terse assertions. */
  get pos(): [number, number] { return [this.cursor.y, this.cursor.x]; }
}

export function term(opts: { cols?: number; rows?: number; scrollback?: number } = {}): TestTerminal {
  return new TestTerminal({ cols: opts.cols ?? 10, rows: opts.rows ?? 3, scrollback: opts.scrollback });
}

export interface Rendered {
  lines: string[];
  /** [row, col]; col is clamped to cols-1 (xterm parks a pending wrap at col = cols). */
  cursor: [number, number];
  scrollback: number;
}

/** Screen, cursor and scrollback size after `bytes` in a fresh xterm of cols×rows. */
export async function xterm(bytes: string, cols: number, rows: number): Promise<Rendered> {
  const x = createXterm(cols, rows);
  try {
    await writeXterm(x, bytes);
    const b = x.buffer.active;
    return { lines: xtermScreenLines(x), cursor: [b.cursorY, Math.min(b.cursorX, cols - 1)], scrollback: b.baseY };
  } finally {
    x.dispose();
  }
}

/**
 * Both renderings after `bytes` at cols×rows, then each resize in `sizes` (followed by the
 * bytes `after`, e.g. a marker showing where the cursor went).
 */
export async function bothResized(
  bytes: string, cols: number, rows: number, sizes: [number, number][], after = '',
): Promise<{ ours: Rendered; xterm: Rendered }> {
  const t = term({ cols, rows }).write(bytes);
  for (const [c, r] of sizes) { t.resize(c, r); t.assertIntegrity(); }
  t.write(after);
  t.assertIntegrity();
  const last = sizes[sizes.length - 1] ?? [cols, rows];
  const o: Rendered = { lines: t.screenLines(), cursor: t.pos, scrollback: t.scrollbackLength };
  t.dispose();
  const x = createXterm(cols, rows);
  // NOTE: xterm.js leaves the cursor's own line unreflowed by default (reflowCursorLine:
  // false, for shells that redraw their prompt), truncating it; we reflow every line as
  // Ghostty does, so the oracle is asked to as well.
  x.options.reflowCursorLine = true;
  try {
    await writeXterm(x, bytes);
    for (const [c, r] of sizes) x.resize(c, r);
    await writeXterm(x, after);
    const b = x.buffer.active;
    return { ours: o, xterm: { lines: xtermScreenLines(x), cursor: [b.cursorY, Math.min(b.cursorX, last[0] - 1)], scrollback: b.baseY } };
  } finally {
    x.dispose();
  }
}

/** What xterm answers (onData) to `bytes` in a fresh cols×rows terminal, joined. */
export async function xtermReplies(bytes: string, cols = 10, rows = 5): Promise<string> {
  const x = createXterm(cols, rows);
  const out: string[] = [];
  const sub = x.onData((d) => out.push(d));
  try {
    await writeXterm(x, bytes);
    return out.join('');
  } finally {
    sub.dispose();
    x.dispose();
  }
}

/** Our side of the same comparison. */
export function ours(bytes: string, cols: number, rows: number): Rendered {
  const t = term({ cols, rows }).write(bytes);
  t.assertIntegrity();
  const r: Rendered = { lines: t.screenLines(), cursor: t.pos, scrollback: t.scrollbackLength };
  t.dispose();
  return r;
}

/** Both renderings, for `expect(o).toEqual(x)`. */
export async function both(bytes: string, cols: number, rows: number): Promise<{ ours: Rendered; xterm: Rendered }> {
  return { ours: ours(bytes, cols, rows), xterm: await xterm(bytes, cols, rows) };
}
