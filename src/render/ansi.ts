/**
 * ANSI renderer: SGR + text that rebuilds the snapshot when written to a fresh terminal of the
 * same size (cells, styles, wide chars, graphemes, OSC 8 links, soft wraps, cursor).
 *
 * How each cell kind is reproduced, given how the engine stores them:
 * - written cells (text ≠ "") are printed with their style's SGR and link;
 * - empty cells with the default style are skipped with CUF (a written space would not be
 *   the same cell: it has text " ");
 * - empty cells with a style come from erases, which store only the background (edit.ts
 *   `fillFor`), so they are rebuilt with ECH (mid-line) or EL (to the end of the line);
 * - a soft-wrapped line is left to autowrap into the next one when that reproduces it: its
 *   last cell is written (or is the spacer head a wide char leaves when it wraps) and the
 *   next line starts with a written cell. Otherwise lines end with CR LF, SGR reset first so
 *   a scroll does not fill the new line with a background colour (BCE).
 *
 * NOTE: the output assumes the cursor starts at the home position of an empty screen; scrollback
 * lines in the snapshot scroll off the top as they would have.
 */
import type { CellJson, LineJson, ScreenSnapshot, StyleJson } from '../engine/index.js';
import { sourceOf, windows, type SnapshotSource } from './snapshot-source.js';

export interface AnsiOptions {
  /** Set the window title with OSC 2 when the snapshot has one (default true). */
  title?: boolean;
  /** End with the cursor where the snapshot has it, with its visibility and shape (default true). */
  cursor?: boolean;
  /** Emit DECSCNM when the snapshot is in reverse video (default true). */
  modes?: boolean;
}

const ESC = '\x1b';
const ST = ESC + '\\';

/** SGR colour parameters for fg (30), bg (40) or underline (58). */
function colorParams(c: null | number | string, base: 30 | 40 | 58): string | null {
  if (c === null) return null;
  if (typeof c === 'number') {
    if (base !== 58) {
      if (c < 8) return String(base + c);
      if (c < 16) return String(base + 60 + c - 8);
      return `${base + 8};5;${c}`;
    }
    return `58:5:${c}`;
  }
  const v = Number.parseInt(c.slice(1), 16);
  const r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
  return base === 58 ? `58:2::${r}:${g}:${b}` : `${base + 8};2;${r};${g};${b}`;
}

const UNDERLINE_PARAM: Record<string, string> = {
  single: '4', double: '4:2', curly: '4:3', dotted: '4:4', dashed: '4:5',
};

/** The full SGR for a style, starting from a reset. */
export function sgrFor(s: StyleJson): string {
  const p: string[] = ['0'];
  if (s.bold) p.push('1');
  if (s.faint) p.push('2');
  if (s.italic) p.push('3');
  if (s.underline !== undefined) p.push(UNDERLINE_PARAM[s.underline] ?? '4');
  if (s.blink) p.push('5');
  if (s.inverse) p.push('7');
  if (s.invisible) p.push('8');
  if (s.strikethrough) p.push('9');
  if (s.overline) p.push('53');
  const fg = colorParams(s.fg, 30);
  if (fg !== null) p.push(fg);
  const bg = colorParams(s.bg, 40);
  if (bg !== null) p.push(bg);
  const ul = colorParams(s.underlineColor, 58);
  if (ul !== null) p.push(ul);
  return `${ESC}[${p.join(';')}m`;
}

/** Drop C0/C1 controls so snapshot text can never smuggle escape sequences. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
}

const isWritten = (c: CellJson | undefined): boolean => c !== undefined && (c.text !== '' || c.width === 0);
const isPlainEmpty = (c: CellJson): boolean => c.text === '' && c.width !== 0 && c.style === 0 && c.link === undefined;

/** Whether `line` can soft-wrap into `next` (undefined: it is the last line) by plain autowrap. */
function autowraps(line: LineJson, next: LineJson | undefined): boolean {
  if (!line.wrapped || next === undefined || !isWritten(next.cells[0]) || next.cells[0].width === 0) return false;
  const last = line.cells[line.cells.length - 1];
  if (isWritten(last)) return true;
  // A spacer head: the wide char at the start of the next line did not fit.
  return last !== undefined && isPlainEmpty(last) && next.cells[0].width === 2;
}

export function renderAnsi(snap: ScreenSnapshot, opts: AnsiOptions = {}): string {
  let out = '';
  for (const part of ansiParts(sourceOf(snap), opts)) out += part;
  return out;
}

/**
 * renderAnsi's output in pieces of `perPart` lines (each read with the line after it, which
 * decides whether a soft wrap is kept). Joined, exactly renderAnsi's string.
 */
export function* ansiParts(src: SnapshotSource, opts: AnsiOptions = {}, perPart = Infinity): Generator<string> {
  let out = '';
  let style = 0;
  let link: string | undefined;
  const setStyle = (s: number): void => {
    if (s === style) return;
    out += s === 0 ? `${ESC}[0m` : sgrFor(src.styles[s] ?? src.styles[0]);
    style = s;
  };
  const setLink = (l: string | undefined): void => {
    if (l === link) return;
    out += `${ESC}]8;;${l === undefined ? '' : printable(l)}${ST}`;
    link = l;
  };
  const h = src.head;

  if ((opts.modes ?? true) && h.modes.reverseVideo) out += `${ESC}[?5h`;
  if ((opts.title ?? true) && h.title !== '') out += `${ESC}]2;${printable(h.title)}${ST}`;

  const n = src.lineCount;
  for (const [a, b] of windows(n, perPart)) {
    const lines = src.lines(a, Math.min(n, b + 1)); // and the next line, for autowraps
    for (let i = a; i < b; i++) {
      const cells = lines[i - a].cells;
      const wraps = autowraps(lines[i - a], lines[i - a + 1]);
      // Cells after `end` are plain empties that need no output (none on an autowrapping line).
      let end = cells.length;
      if (!wraps) while (end > 0 && isPlainEmpty(cells[end - 1])) end--;
      let x = 0;
      while (x < end) {
        const cell = cells[x];
        if (cell.width === 0) { x++; continue; } // spacer tail, written with its head
        if (cell.text === '') {
          let k = x + 1;
          while (k < end && cells[k].text === '' && cells[k].width !== 0 && cells[k].style === cell.style && cells[k].link === undefined) k++;
          const count = k - x;
          if (cell.style === 0) {
            out += count === 1 ? `${ESC}[C` : `${ESC}[${count}C`;
          } else {
            setStyle(cell.style);
            if (k === cells.length) out += `${ESC}[K`;
            else out += (count === 1 ? `${ESC}[X${ESC}[C` : `${ESC}[${count}X${ESC}[${count}C`);
          }
          x = k;
          continue;
        }
        setStyle(cell.style);
        setLink(cell.link === undefined ? undefined : src.links[cell.link]);
        out += printable(cell.text);
        x += cell.width === 2 ? 2 : 1;
      }
      if (i + 1 < n && !wraps) {
        // The link stays open over the line break (CR LF write no cells): a long URI on many
        // lines is written once, not once a line.
        setStyle(0);
        out += '\r\n';
      }
    }
    yield out;
    out = '';
  }
  setLink(undefined);
  setStyle(0);

  if (opts.cursor ?? true) {
    const c = h.cursor;
    // The output ends on the last screen row; move relatively so it also works mid-scrollback.
    const up = h.rows - 1 - c.row;
    if (up > 0) out += `${ESC}[${up}A`;
    out += `${ESC}[${c.col + 1}G`;
    if (c.shape !== 0) out += `${ESC}[${c.shape} q`;
    if (!c.visible) out += `${ESC}[?25l`;
  }
  yield out;
}
