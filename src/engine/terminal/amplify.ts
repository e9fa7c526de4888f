/**
 * Amplifying sequences and their budget. A few bytes of REP (`x ESC[100000b`) or DECALN
 * (`ESC # 8`) ask for a whole screen of cells: at 500×200, 40 KB of REP kept one core busy
 * for 3.4 s and 40 KB of DECALN for 0.6 s (85 and 15 µs per input byte, against ~10 ns for
 * plain text). Whoever feeds the terminal (a session's program, an uploaded cast) could then
 * hold the process hostage with a small input.
 *
 * Owns: the cell credit those sequences draw from (AmplifyBudget) and REP itself.
 *
 * The budget is a token bucket counted in cells, refilled by input bytes, not by time (the
 * engine has no clock, and replaying a recording must give the same screen however fast it
 * runs): every AMPLIFY_BLOCK bytes of the stream earn AMPLIFY_CELLS_PER_BYTE cells a byte, paid
 * as the block begins, on top of what is left, which is first capped at AMPLIFY_BURST_SCREENS
 * screens. Whatever the input, the cells these sequences produce stay at most
 * `burst + 16 × bytes written so far (rounded up to a block)` — a bounded cost per byte — while
 * a program that draws with REP (ncurses does, for runs of one character) is never short:
 * `─ESC[79b` is 7 bytes that earn 112 cells for the 80 it prints, and a full-screen fill has
 * two screens of credit to start from.
 *
 * NOTE: the credit changes only at fixed offsets of the byte stream (block starts) and where a
 * sequence ends, never where a caller's write happens to begin: the same bytes give the same
 * screen however they are split into writes (the chunking invariance test/fuzz checks).
 *
 * NOTE: an intentional difference from xterm, xterm.js and Ghostty, which repeat the whole
 * count (Ghostty caps parameters at 65535, xterm.js at 2^31-1). Here a REP past the credit
 * prints as many characters as the credit allows and the rest of it is dropped; a DECALN past
 * it does nothing. One REP is also capped at a screen's worth of characters (cols × rows), as
 * before: more could only scroll its own output away.
 */
import type { Parser } from '../parser/parser.js';
import { lastPrintedGrapheme, printRun } from './print.js';
import type { Terminal } from './terminal.js';

/** Cells of REP/DECALN output each input byte pays for. */
export const AMPLIFY_CELLS_PER_BYTE = 16;
/** Credit kept from one block to the next (and given at the start), in screens of cols × rows cells. */
export const AMPLIFY_BURST_SCREENS = 2;
/** Bytes of the stream that earn their credit at once, as the block begins. */
export const AMPLIFY_BLOCK = 4096;

export class AmplifyBudget {
  /** Cells REP and DECALN may still produce. */
  credit: number;
  /** Cells refused since the terminal was built (REP characters not printed, DECALNs skipped). */
  refused = 0;

  constructor(cols: number, rows: number) {
    this.credit = AMPLIFY_BURST_SCREENS * cols * rows;
  }

  /** A block of `bytes` bytes begins: what was left is capped at the burst, then the block's earnings are added. */
  earn(bytes: number, cols: number, rows: number): void {
    this.credit = Math.min(this.credit, AMPLIFY_BURST_SCREENS * cols * rows) + AMPLIFY_CELLS_PER_BYTE * bytes;
  }

  /** Takes `cells` if the credit holds them all; false (nothing taken) if not. */
  spend(cells: number): boolean {
    if (cells > this.credit) {
      this.refused += cells;
      return false;
    }
    this.credit -= cells;
    return true;
  }
}

/**
 * Terminal.write: parse `bytes`, cut at the stream's block boundaries so that each block's
 * credit is earned as it begins (see the NOTE above), and count them in `bytesParsed`.
 */
export function parseMetered(t: Terminal, parser: Parser, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) {
    const into = t.bytesParsed % AMPLIFY_BLOCK;
    if (into === 0) t.amplify.earn(AMPLIFY_BLOCK, t.cols, t.rows);
    const n = Math.min(bytes.length - at, AMPLIFY_BLOCK - into);
    t.bytesParsed += n;
    parser.parse(bytes, at, at + n);
    at += n;
  }
}

/**
 * 1,024 copies of the repeated code point: REP prints from this, a slice at a time, instead of
 * allocating count × 4 bytes. Module-level scratch (the engine is single-threaded); refilled
 * whenever the code point changes.
 */
const repeatScratch = new Uint32Array(1024);
let scratchCp = -1;

/**
 * REP — CSI Ps b: print the last printed graphic character Ps more times (ctlseqs: "Repeat the
 * preceding graphic character Ps times"), with its combining marks, within the screen cap and
 * the credit above. Only a character printed immediately before counts: the Stream cancels it
 * on any other action (`x CR LF CSI 3 b` repeats nothing, as in xterm and xterm.js).
 * @vt REP
 */
export function repeatPreceding(t: Terminal, count: number): void {
  const cp = t.lastCp;
  if (cp === 0 || count <= 0) return;
  const width = Math.max(1, t.lastWidth);
  let n = Math.min(count, t.cols * t.rows);
  const affordable = Math.floor(t.amplify.credit / width);
  if (n > affordable) {
    t.amplify.refused += (n - affordable) * width;
    n = affordable;
  }
  if (n === 0) return;
  t.amplify.credit -= n * width;
  const grapheme = lastPrintedGrapheme(t);
  if (grapheme !== null) { repeatGrapheme(t, grapheme, n); return; }
  if (scratchCp !== cp) {
    repeatScratch.fill(cp);
    scratchCp = cp;
  }
  for (let done = 0; done < n; done += repeatScratch.length) {
    printRun(t, repeatScratch, 0, Math.min(repeatScratch.length, n - done));
  }
}

/** REP of a cluster (`e U+0301 CSI b` → éé): the base and its marks, n times, a slice at a time. */
function repeatGrapheme(t: Terminal, g: number[], n: number): void {
  const per = Math.max(1, Math.floor(repeatScratch.length / g.length));
  const buf = new Uint32Array(per * g.length);
  for (let k = 0; k < per; k++) buf.set(g, k * g.length);
  for (let done = 0; done < n; done += per) {
    printRun(t, buf, 0, Math.min(per, n - done) * g.length);
  }
}
