/**
 * The three renderings the differential tests compare: termpool, @xterm/headless (xterm.js) and
 * ghostty-web (Ghostty). Each gives, at each requested byte offset, the screen's text, the cursor,
 * a per-cell attribute signature and the replies sent so far, in one shape (`Render`), so the
 * tests compare like with like.
 *
 * Attributes are compared in the form each oracle can express: xterm.js keeps colours as palette
 * index / RGB / default and knows overline; Ghostty gives resolved RGB and eight flags. termpool's
 * cell is turned into each form (`ourSignature`). A blank cell's signature is its background only
 * (what erase-with-background leaves); the spacer half of a wide character has none.
 */
import type { Terminal as XTerminal, IBufferCell } from '@xterm/headless';
import { Terminal, paletteRgb, type ScreenSnapshot, type StyleJson } from '../../src/engine/index.js';
import { createXterm, writeXterm, xtermScreenLines } from '../helpers/xterm-oracle.js';
import {
  GHOSTTY_DEFAULT_BG, GHOSTTY_DEFAULT_FG, GhosttyFlag, createGhostty, ghosttyCells, ghosttyCursor, ghosttyReplies,
} from '../helpers/ghostty-oracle.js';

export type Oracle = 'xterm.js' | 'ghostty';
export const ORACLES: readonly Oracle[] = ['xterm.js', 'ghostty'];
export type Aspect = 'text' | 'cursor' | 'attrs' | 'replies';
export const ASPECTS: readonly Aspect[] = ['text', 'cursor', 'attrs', 'replies'];

export interface Render {
  lines: string[];
  /** [row, col], col clamped to cols-1 (xterm.js parks a pending wrap at col = cols). */
  cursor: [number, number];
  /** rows × cols signatures, in the form of the oracle compared with. */
  attrs: string[][];
  replies: string;
}

/** termpool's renderings at each offset: one signature grid per oracle form. */
export interface OurRender {
  lines: string[];
  cursor: [number, number];
  attrs: Record<Oracle, string[][]>;
  replies: string;
}

// ------------------------------------------------------------------ signatures

const FLAG_ORDER = ['bold', 'faint', 'italic', 'underline', 'blink', 'inverse', 'invisible', 'strikethrough'] as const;

function hex(rgb: number): string { return '#' + rgb.toString(16).padStart(6, '0'); }

function xtermColor(cell: IBufferCell, fg: boolean): string {
  if (fg ? cell.isFgDefault() : cell.isBgDefault()) return 'd';
  const v = fg ? cell.getFgColor() : cell.getBgColor();
  return (fg ? cell.isFgRGB() : cell.isBgRGB()) ? hex(v) : String(v);
}

function ourColorXterm(c: StyleJson['fg']): string {
  return c === null ? 'd' : String(c);
}

/**
 * Palette index 0 as Ghostty shows it. NOTE: ghostty-web's config takes 0 as "not set", so xterm's
 * black (0x000000) cannot be configured and Ghostty's own black stands in for index 0.
 */
const GHOSTTY_BLACK = 0x1d1f21;

function ourColorGhostty(c: StyleJson['fg'], fallback: number): string {
  if (c === null) return hex(fallback);
  if (c === 0) return hex(GHOSTTY_BLACK);
  return typeof c === 'number' ? hex(paletteRgb(c)) : c;
}

function sig(blank: boolean, flags: string, fg: string, bg: string): string {
  return blank ? `bg=${bg}` : `${flags}fg=${fg} bg=${bg}`;
}

function ourSignatures(snap: ScreenSnapshot): Record<Oracle, string[][]> {
  const x: string[][] = [];
  const g: string[][] = [];
  for (const line of snap.lines) {
    const xr: string[] = [];
    const gr: string[] = [];
    for (const cell of line.cells) {
      if (cell.width === 0) { xr.push(''); gr.push(''); continue; }
      const s = snap.styles[cell.style]!;
      const blank = cell.text === '' || cell.text === ' ';
      let flags = '';
      for (const f of FLAG_ORDER) {
        const on = f === 'underline' ? s.underline !== undefined : s[f] === true;
        if (on) flags += f + ' ';
      }
      xr.push(sig(blank, flags + (s.overline ? 'overline ' : ''), ourColorXterm(s.fg), ourColorXterm(s.bg)));
      // Ghostty resolves DECSCNM (reverse video) into the default colours; we keep it as a mode.
      const [dfg, dbg] = snap.modes.reverseVideo ? [GHOSTTY_DEFAULT_BG, GHOSTTY_DEFAULT_FG] : [GHOSTTY_DEFAULT_FG, GHOSTTY_DEFAULT_BG];
      gr.push(sig(blank, flags, ourColorGhostty(s.fg, dfg), ourColorGhostty(s.bg, dbg)));
    }
    x.push(xr);
    g.push(gr);
  }
  return { 'xterm.js': x, ghostty: g };
}

function xtermSignatures(term: XTerminal): string[][] {
  const buf = term.buffer.active;
  const out: string[][] = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buf.getLine(buf.baseY + y);
    const row: string[] = [];
    for (let x = 0; x < term.cols; x++) {
      const cell = line?.getCell(x);
      if (!cell) { row.push('bg=d'); continue; }
      if (cell.getWidth() === 0) { row.push(''); continue; }
      const chars = cell.getChars();
      const blank = chars === '' || chars === ' ';
      let flags = '';
      if (cell.isBold()) flags += 'bold ';
      if (cell.isDim()) flags += 'faint ';
      if (cell.isItalic()) flags += 'italic ';
      if (cell.isUnderline()) flags += 'underline ';
      if (cell.isBlink()) flags += 'blink ';
      if (cell.isInverse()) flags += 'inverse ';
      if (cell.isInvisible()) flags += 'invisible ';
      if (cell.isStrikethrough()) flags += 'strikethrough ';
      if (cell.isOverline()) flags += 'overline ';
      row.push(sig(blank, flags, xtermColor(cell, true), xtermColor(cell, false)));
    }
    out.push(row);
  }
  return out;
}

// ------------------------------------------------------------------ renderers

function checkOffsets(offsets: readonly number[], length: number): void {
  let last = 0;
  for (const o of offsets) {
    if (o < last || o > length) throw new RangeError(`bad offset ${o}`);
    last = o;
  }
}

/** termpool at each offset of `bytes`. */
export function renderOurs(bytes: Uint8Array, cols: number, rows: number, offsets: readonly number[]): OurRender[] {
  checkOffsets(offsets, bytes.length);
  const replies: string[] = [];
  const t = new Terminal({ cols, rows, scrollback: 10_000, onReply: (s) => replies.push(s) });
  const out: OurRender[] = [];
  let done = 0;
  try {
    for (const offset of offsets) {
      if (offset > done) t.write(bytes.subarray(done, offset));
      done = offset;
      const snap = t.snapshot();
      out.push({
        lines: t.screenLines(),
        cursor: [snap.cursor.row, snap.cursor.col],
        attrs: ourSignatures(snap),
        replies: replies.join(''),
      });
    }
  } finally {
    t.dispose();
  }
  return out;
}

/** @xterm/headless at each offset of `bytes`. */
export async function renderXterm(bytes: Uint8Array, cols: number, rows: number, offsets: readonly number[]): Promise<Render[]> {
  checkOffsets(offsets, bytes.length);
  const term = createXterm(cols, rows);
  const replies: string[] = [];
  const sub = term.onData((d) => replies.push(d));
  const out: Render[] = [];
  let done = 0;
  try {
    for (const offset of offsets) {
      if (offset > done) await writeXterm(term, bytes.subarray(done, offset));
      done = offset;
      const b = term.buffer.active;
      out.push({
        lines: xtermScreenLines(term),
        cursor: [b.cursorY, Math.min(b.cursorX, cols - 1)],
        attrs: xtermSignatures(term),
        replies: replies.join(''),
      });
    }
  } finally {
    sub.dispose();
    term.dispose();
  }
  return out;
}

/** ghostty-web at each offset of `bytes` (a WebAssembly instance of its own). */
export async function renderGhostty(bytes: Uint8Array, cols: number, rows: number, offsets: readonly number[]): Promise<Render[]> {
  checkOffsets(offsets, bytes.length);
  const term = await createGhostty(cols, rows);
  const out: Render[] = [];
  let replies = '';
  let done = 0;
  try {
    for (const offset of offsets) {
      if (offset > done) term.write(bytes.subarray(done, offset));
      done = offset;
      replies += ghosttyReplies(term);
      const cells = ghosttyCells(term);
      out.push({
        lines: cells.map((row) => row.map((c) => c.text).join('').replace(/ +$/, '')),
        cursor: ghosttyCursor(term),
        attrs: cells.map((row) => row.map((c) => {
          if (c.text === '') return '';
          let flags = '';
          for (const f of FLAG_ORDER) if (c.flags & GhosttyFlag[f]) flags += f + ' ';
          return sig(c.text === ' ', flags, hex(c.fg), hex(c.bg));
        })),
        replies,
      });
    }
  } finally {
    term.free();
  }
  return out;
}

export function renderOracle(oracle: Oracle, bytes: Uint8Array, cols: number, rows: number, offsets: readonly number[]): Promise<Render[]> {
  return oracle === 'xterm.js' ? renderXterm(bytes, cols, rows, offsets) : renderGhostty(bytes, cols, rows, offsets);
}

// ------------------------------------------------------------------ comparison

/** What differs in one aspect, as a short human-readable report; null when equal. */
export function differs(aspect: Aspect, ours: OurRender, theirs: Render, oracle: Oracle): string | null {
  switch (aspect) {
    case 'text': {
      const rows: string[] = [];
      for (let y = 0; y < Math.max(ours.lines.length, theirs.lines.length); y++) {
        if (ours.lines[y] !== theirs.lines[y]) {
          rows.push(`row ${y}: termpool ${JSON.stringify(ours.lines[y])}, ${oracle} ${JSON.stringify(theirs.lines[y])}`);
        }
      }
      return rows.length ? rows.join('\n') : null;
    }
    case 'cursor':
      return ours.cursor[0] === theirs.cursor[0] && ours.cursor[1] === theirs.cursor[1]
        ? null
        : `cursor: termpool ${ours.cursor.join(',')}, ${oracle} ${theirs.cursor.join(',')} (row,col)`;
    case 'attrs': {
      const mine = ours.attrs[oracle];
      let first = '';
      let n = 0;
      for (let y = 0; y < mine.length; y++) {
        for (let x = 0; x < mine[y]!.length; x++) {
          const a = mine[y]![x]!;
          const b = theirs.attrs[y]?.[x] ?? '';
          // Cells whose text differs are reported under 'text'; a spacer on one side only, too.
          if (a === '' || b === '' || ours.lines[y] !== theirs.lines[y]) continue;
          if (a !== b) {
            if (n === 0) first = `row ${y} col ${x}: termpool {${a}}, ${oracle} {${b}}`;
            n++;
          }
        }
      }
      return n ? `${n} cells, first ${first}` : null;
    }
    case 'replies':
      return ours.replies === theirs.replies
        ? null
        : `replies: termpool ${JSON.stringify(ours.replies)}, ${oracle} ${JSON.stringify(theirs.replies)}`;
  }
}
