/**
 * Rows as text: the one conversion from content words to a string that every text read shares
 * (screen lines, history, ranges, compressed pages in history-text.ts). Built from UTF-16 code
 * units in a reused buffer, one String.fromCharCode per chunk: string concatenation per cell cost
 * ~600 ns a cell (issue 27).
 */
import { CP_MASK, GRAPHEME_BIT, Wide, WIDTH_MASK, WIDTH_SHIFT } from '../page/cell.js';
import type { Page } from '../page/page.js';

/** Text of one row, right-trimmed. */
export function rowText(p: Page, r: number): string {
  const base = p.rowStart(r);
  return wordsText(p.content, base, 0, trimmedEnd(p.content, base, p.cols), p.graphemes, ' ');
}

/**
 * Columns of the row of `words` at `base` up to the last that is not blank: never-written cells (0)
 * and written spaces alike are trimmed, as xterm.js does.
 */
export function trimmedEnd(words: Uint32Array, base: number, cols: number): number {
  let end = cols;
  while (end > 0) {
    const w = words[base + end - 1];
    if ((w & GRAPHEME_BIT) === 0 && ((w & CP_MASK) === 0 || (w & CP_MASK) === 0x20)) end--;
    else break;
  }
  return end;
}

/**
 * Cells [x0, x1) of row r as text: a wide character once (its spacer tail adds nothing), blanks
 * as spaces, a wide character's spacer head (the column it did not fit in) as `spacerHead` —
 * a space on a screen line, nothing where wrapped rows are joined into one logical line.
 */
export function cellsText(p: Page, r: number, x0: number, x1: number, spacerHead: string): string {
  return wordsText(p.content, p.rowStart(r), x0, x1, p.graphemes, spacerHead);
}

/**
 * UTF-16 code units of a row being converted: a row becomes a string with one fromCharCode per
 * chunk, not one string concatenation per cell (~600 ns a cell before, issue 27).
 * NOTE: module scratch, used synchronously by one conversion at a time.
 */
let units = new Uint16Array(4096);
/** Code units passed to one String.fromCharCode.apply (well under engines' argument limits). */
const APPLY_CHUNK = 8192;

/**
 * Cells [x0, x1) of the row of content `words` starting at `base` as text (see cellsText);
 * `graphemes` is the arena the words' grapheme offsets point into (Page.graphemes' layout: a
 * length word, then the code points).
 */
export function wordsText(words: Uint32Array, base: number, x0: number, x1: number, graphemes: Uint32Array, spacerHead: string): string {
  const head = spacerHead === '' ? -1 : spacerHead.charCodeAt(0);
  if (spacerHead.length > 1) throw new Error('spacerHead must be one code unit or empty');
  // Two units per cell for an astral character; graphemes grow the buffer as they come.
  if (units.length < (x1 - x0) * 2) units = new Uint16Array((x1 - x0) * 2);
  let u = units;
  let n = 0;
  for (let x = x0; x < x1; x++) {
    const w = words[base + x];
    if ((w & (WIDTH_MASK | GRAPHEME_BIT)) === 0) {
      // The common cell: narrow, one code point.
      const cp = w & CP_MASK;
      if (cp < 0x10000) u[n++] = cp === 0 ? 0x20 : cp;
      else { u[n++] = 0xd800 + ((cp - 0x10000) >> 10); u[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff); }
      continue;
    }
    const wide = (w & WIDTH_MASK) >>> WIDTH_SHIFT;
    if (wide === Wide.SpacerTail) continue;
    if (wide === Wide.SpacerHead) { if (head >= 0) u[n++] = head; continue; }
    if ((w & GRAPHEME_BIT) !== 0) {
      const off = w & CP_MASK;
      const len = graphemes[off];
      if (u.length < n + len * 2 + (x1 - x) * 2) {
        const bigger = new Uint16Array((n + len * 2 + (x1 - x) * 2) * 2);
        bigger.set(u.subarray(0, n));
        u = units = bigger;
      }
      for (let k = 1; k <= len; k++) {
        const cp = graphemes[off + k];
        if (cp < 0x10000) u[n++] = cp;
        else { u[n++] = 0xd800 + ((cp - 0x10000) >> 10); u[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff); }
      }
      continue;
    }
    const cp = w & CP_MASK;
    if (cp < 0x10000) u[n++] = cp === 0 ? 0x20 : cp;
    else { u[n++] = 0xd800 + ((cp - 0x10000) >> 10); u[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff); }
  }
  return unitsString(u, n);
}

/** The string of code units u[0, n). */
function unitsString(u: Uint16Array, n: number): string {
  if (n <= APPLY_CHUNK) return String.fromCharCode.apply(null, u.subarray(0, n) as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += APPLY_CHUNK) s += String.fromCharCode.apply(null, u.subarray(i, Math.min(n, i + APPLY_CHUNK)) as unknown as number[]);
  return s;
}
