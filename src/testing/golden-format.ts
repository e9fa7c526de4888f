/**
 * The golden screen file: how a screen is written down for `toMatchScreen` and `termpool assert`,
 * and read back (for the expected picture).
 *
 * Text (the default): the screen's rows, trailing spaces trimmed, trailing blank rows dropped,
 * ending in exactly one newline — the same file as the Python client's `assert_screen` writes,
 * so one golden serves both. Dropping blank rows keeps goldens short; a row that gains text at
 * the bottom still shows as a difference.
 *
 * With styles or the cursor, an attributes section follows the text, after a header line
 * starting `~~~ termpool`. One line per styled run of cells (a row's neighbouring cells with
 * the same style, only non-default styles), then `cursor ROW:COL [hidden]`:
 *
 *     ~~~ termpool screen attributes (rows and columns count from 1)
 *     1:1-2 bold fg=green "$ "
 *     3:5-9 inverse "Save "
 *     cursor 3:1
 *
 * A line per run keeps a colour-only change a one-line diff naming where it is; ANSI escapes
 * in the file would be unreadable in a diff.
 */
import type { ScreenSnapshot, StyleJson } from '../engine/index.js';

/** Everything the golden records about a screen, the text rows always, the rest when asked. */
export interface GoldenScreen {
  lines: string[];
  /** Styled runs, when recorded. */
  runs?: StyledRun[];
  cursor?: { row: number; col: number; visible: boolean };
}

/** Cells `col`..`col + width - 1` of `row` (0-based) in one non-default style. */
export interface StyledRun {
  row: number;
  col: number;
  /** Cells covered (a wide character covers 2). */
  width: number;
  text: string;
  style: StyleJson;
}

export interface GoldenOptions {
  /** Record colours and attributes per run (default false: text only). */
  styles?: boolean;
  /** Record the cursor's position and visibility (default false). */
  cursor?: boolean;
}

export const ATTRIBUTES_HEADER = '~~~ termpool screen attributes (rows and columns count from 1)';
const HEADER_PREFIX = '~~~ termpool';

const COLOR_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
/** Boolean attributes, in the order they are written. */
const FLAGS = ['bold', 'faint', 'italic', 'blink', 'inverse', 'invisible', 'strikethrough', 'overline'] as const;

/** Rows right-trimmed, trailing blank rows dropped (at least one row stays). */
export function trimLines(lines: readonly string[]): string[] {
  const out = lines.map((l) => l.replace(/ +$/, ''));
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? [''] : out;
}

/** What the golden records of a snapshot under `opts`. */
export function goldenOfSnapshot(snap: ScreenSnapshot, opts: GoldenOptions = {}): GoldenScreen {
  const g: GoldenScreen = { lines: trimLines(snap.lines.map((l) => l.text)) };
  if (opts.styles) g.runs = styledRuns(snap);
  if (opts.cursor) g.cursor = { row: snap.cursor.row, col: snap.cursor.col, visible: snap.cursor.visible };
  return g;
}

/** The styled runs of a snapshot's lines, row by row, left to right. */
export function styledRuns(snap: ScreenSnapshot): StyledRun[] {
  const runs: StyledRun[] = [];
  snap.lines.forEach((line, row) => {
    let run: StyledRun | null = null;
    let runStyle = -1;
    line.cells.forEach((cell, col) => {
      // A wide character's spacer tail belongs to the run of its head.
      if (cell.width === 0 && run !== null && run.col + run.width === col) { run.width++; return; }
      const style = snap.styles[cell.style];
      const styled = cell.style !== 0 && style !== undefined && describeStyle(style) !== '';
      if (!styled) { run = null; runStyle = -1; return; }
      if (run !== null && runStyle === cell.style && run.col + run.width === col) {
        run.width++;
        run.text += cell.text === '' ? ' ' : cell.text;
        return;
      }
      run = { row, col, width: 1, text: cell.text === '' ? ' ' : cell.text, style };
      runStyle = cell.style;
      runs.push(run);
    });
  });
  return runs;
}

function colorName(c: StyleJson['fg']): string {
  if (typeof c === 'number' && c < 16) return c < 8 ? COLOR_NAMES[c]! : `bright${cap(COLOR_NAMES[c - 8]!)}`;
  return String(c);
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function parseColor(v: string): StyleJson['fg'] {
  if (/^\d+$/.test(v)) return Number(v);
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  const lower = v.toLowerCase();
  const plain = COLOR_NAMES.indexOf(lower);
  if (plain >= 0) return plain;
  const bright = lower.startsWith('bright') ? COLOR_NAMES.indexOf(lower.slice(6)) : -1;
  if (bright >= 0) return bright + 8;
  throw new GoldenFormatError(`unknown colour '${v}'`);
}

/** `bold underline=double fg=red bg=#102030`: the style's non-default parts in a fixed order. */
export function describeStyle(s: StyleJson): string {
  const out: string[] = [];
  for (const f of FLAGS) if (s[f]) out.push(f);
  if (s.underline !== undefined) out.push(s.underline === 'single' ? 'underline' : `underline=${s.underline}`);
  if (s.fg !== null) out.push(`fg=${colorName(s.fg)}`);
  if (s.bg !== null) out.push(`bg=${colorName(s.bg)}`);
  if (s.underlineColor !== null) out.push(`ul=${colorName(s.underlineColor)}`);
  return out.join(' ');
}

export function parseStyle(text: string): StyleJson {
  const s: StyleJson = { fg: null, bg: null, underlineColor: null };
  for (const tok of text.split(/\s+/).filter(Boolean)) {
    const [key, value] = tok.split('=', 2) as [string, string | undefined];
    if ((FLAGS as readonly string[]).includes(key) && value === undefined) (s as unknown as Record<string, boolean>)[key] = true;
    else if (key === 'underline') s.underline = value ?? 'single';
    else if (key === 'fg' && value) s.fg = parseColor(value);
    else if (key === 'bg' && value) s.bg = parseColor(value);
    else if (key === 'ul' && value) s.underlineColor = parseColor(value);
    else throw new GoldenFormatError(`unknown style '${tok}'`);
  }
  return s;
}

/** The golden file's text for a screen: what is compared, byte for byte, with the file. */
export function formatGolden(g: GoldenScreen): string {
  const out = [...g.lines];
  if (g.runs !== undefined || g.cursor !== undefined) {
    out.push(ATTRIBUTES_HEADER);
    for (const r of g.runs ?? []) {
      const cols = r.width === 1 ? `${r.col + 1}` : `${r.col + 1}-${r.col + r.width}`;
      out.push(`${r.row + 1}:${cols} ${describeStyle(r.style)} ${JSON.stringify(r.text)}`);
    }
    if (g.cursor) out.push(`cursor ${g.cursor.row + 1}:${g.cursor.col + 1}${g.cursor.visible ? '' : ' hidden'}`);
  }
  return out.join('\n') + '\n';
}

/** A file's contents as compared: CRLF read as LF, ending in exactly one newline. */
export function normalizeGolden(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\n+$/, '') + '\n';
}

export class GoldenFormatError extends Error {}

const RUN_LINE = /^(\d+):(\d+)(?:-(\d+))? (.*?) ?("(?:[^"\\]|\\.)*")$/;

/** Reads a golden file back (for drawing the expected screen); throws GoldenFormatError naming the line. */
export function parseGolden(text: string): GoldenScreen {
  const lines = normalizeGolden(text).replace(/\n$/, '').split('\n');
  let header = -1;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.startsWith(HEADER_PREFIX)) { header = i; break; }
  if (header < 0) return { lines };
  const g: GoldenScreen = { lines: lines.slice(0, header), runs: [] };
  for (let i = header + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const at = `line ${i + 1}`;
    const cur = /^cursor (\d+):(\d+)( hidden)?$/.exec(line);
    if (cur) { g.cursor = { row: Number(cur[1]) - 1, col: Number(cur[2]) - 1, visible: cur[3] === undefined }; continue; }
    const m = RUN_LINE.exec(line);
    if (!m) throw new GoldenFormatError(`${at}: expected 'ROW:COL[-COL] STYLE "TEXT"' or 'cursor ROW:COL', got ${JSON.stringify(line)}`);
    const col = Number(m[2]) - 1;
    const end = m[3] === undefined ? col + 1 : Number(m[3]);
    try {
      g.runs!.push({ row: Number(m[1]) - 1, col, width: end - col, text: JSON.parse(m[5]!) as string, style: parseStyle(m[4]!) });
    } catch (err) {
      throw new GoldenFormatError(`${at}: ${(err as Error).message}`);
    }
  }
  return g;
}
