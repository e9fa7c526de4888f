/**
 * Request bodies for POST /v1/render that cost the server far more than their size: the attacks
 * of issue 23, shared by the tests (test/routes/render-budget.test.ts) and bench/hostile.ts.
 * Deterministic: the same arguments give the same bytes.
 */

export interface ResizeCastOptions {
  /** Resize events (they alternate between the two widths, so each one reflows). */
  resizes?: number;
  cols?: number;
  rows?: number;
  /** Lines printed before the resizes (what each reflow has to rewrap: screen and scrollback). */
  lines?: number;
  /** Characters per printed line. */
  lineLength?: number;
}

/**
 * An asciicast whose output fills the screen and scrollback once, then resizes the terminal
 * `resizes` times between `cols` and `cols / 2` columns: every resize rewraps everything kept.
 * With the defaults, 4,000 resizes at 500×200 in about 225 KB.
 */
export function resizeCast(opts: ResizeCastOptions = {}): string {
  const { resizes = 4000, cols = 500, rows = 200, lines = 1200, lineLength = 100 } = opts;
  const out: string[] = [JSON.stringify({ version: 2, width: cols, height: rows })];
  const text = Array.from({ length: lines }, (_, i) => `${String(i).padStart(6, '0')} ${'abcdefghij'.repeat(Math.ceil(lineLength / 10)).slice(0, lineLength - 7)}`).join('\r\n');
  out.push(JSON.stringify([0.001, 'o', text]));
  for (let i = 0; i < resizes; i++) {
    const w = i % 2 === 0 ? Math.max(1, cols >> 1) : cols;
    out.push(JSON.stringify([Number((0.01 + i * 0.001).toFixed(3)), 'r', `${w}x${rows}`]));
  }
  return out.join('\n') + '\n';
}

/** Raw pty bytes: one printed character, then REP (CSI Ps b) asking for `count` more, `times` times. */
export function repFlood(times = 4000, count = 100_000): Buffer {
  return Buffer.from(`x\x1b[${count}b`.repeat(times), 'latin1');
}
