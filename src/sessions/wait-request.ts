/**
 * A wait request (REST /wait's body, MCP wait_for's arguments) → the WaitCondition the hub
 * checks: regexes compiled (400 BAD_REGEX), colour names resolved and places checked against the
 * screen as it is at the request (400 VALIDATION naming the field). One place, so REST and MCP
 * refuse the same things the same way.
 */
import { ServiceError } from '../errors.js';
import { compileRegex } from './regex.js';
import type { Session } from './session.js';
import type { CellCondition, TextOrRegex, WaitColor, WaitCondition } from './wait.js';

/** The request's screen and timing conditions, as the schema (src/schemas/screen.ts WaitBody) gives them. */
export interface WaitRequestBody {
  text?: string | undefined;
  regex?: string | undefined;
  stableMs?: number | undefined;
  exit?: boolean | undefined;
  scrollback?: boolean | undefined;
  trim?: boolean | undefined;
  absent?: string | { text?: string | undefined; regex?: string | undefined } | undefined;
  title?: string | { text?: string | undefined; regex?: string | undefined } | undefined;
  cursor?: { row?: number | undefined; col?: number | undefined } | undefined;
  cell?: CellRequest | undefined;
  timeoutMs: number;
}

export type CellRequest = Omit<CellCondition, 'fg' | 'bg'> & { fg?: WaitColor | undefined; bg?: WaitColor | undefined };

/** The 16 ANSI colours by name (xterm's order: SGR 30–37, then 90–97) → palette index. */
const COLOR_NAMES: ReadonlyMap<string, number> = new Map(
  ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'].flatMap((n, i) => [[n, i], [`bright${n}`, i + 8]] as [string, number][]),
);

/**
 * A colour in the JSON screen format's notation (null, a palette index, "#rrggbb" lower-case),
 * from that notation, "default", "#RRGGBB" in any case or a name (`red`, `brightRed`, any case,
 * `-`/`_` ignored); throws VALIDATION naming `field` otherwise.
 */
export function parseWaitColor(v: WaitColor, field: string): WaitColor {
  if (v === null || typeof v === 'number') {
    if (v !== null && (!Number.isInteger(v) || v < 0 || v > 255)) throw bad(field, `${field}: a palette index is 0–255, got ${v}`);
    return v;
  }
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  const name = v.toLowerCase().replace(/[-_ ]/g, '');
  if (name === 'default') return null;
  const index = COLOR_NAMES.get(name);
  if (index !== undefined) return index;
  throw bad(field, `${field}: unknown colour ${JSON.stringify(v)}; give null or "default", a palette index 0–255, "#rrggbb", ` +
    'or black, red, green, yellow, blue, magenta, cyan, white, brightBlack … brightWhite');
}

/** The WaitCondition for `body` on `s` (see the header); `signal` ends the wait early. */
export function waitCondition(s: Session, body: WaitRequestBody, signal?: AbortSignal): WaitCondition {
  const { text, regex, stableMs, exit, scrollback, trim, cursor, cell, timeoutMs } = body;
  if (trim === false && scrollback === true) throw bad('trim', 'trim: false matches the screen only: not with scrollback');
  const { cols, rows } = s.terminal;
  if (cursor !== undefined) {
    if (cursor.row === undefined && cursor.col === undefined) throw bad('cursor', 'give cursor.row, cursor.col or both');
    inside('cursor.row', cursor.row, rows);
    inside('cursor.col', cursor.col, cols);
  }
  let cellCond: CellCondition | undefined;
  if (cell !== undefined) {
    inside('cell.row', cell.row, rows);
    inside('cell.col', cell.col, cols);
    const { fg, bg, ...rest } = cell;
    cellCond = {
      ...stripUndefined(rest),
      ...(fg !== undefined && { fg: parseWaitColor(fg, 'cell.fg') }),
      ...(bg !== undefined && { bg: parseWaitColor(bg, 'cell.bg') }),
    };
  }
  return {
    ...(signal !== undefined && { signal }),
    ...(text !== undefined && { text }),
    ...(regex !== undefined && { regex: compileRegex(regex) }),
    ...(stableMs !== undefined && { stableMs }),
    ...(exit !== undefined && { exit }),
    ...(scrollback !== undefined && { scrollback }),
    ...(trim !== undefined && { trim }),
    ...(body.absent !== undefined && { absent: sought(body.absent, 'absent') }),
    ...(body.title !== undefined && { title: sought(body.title, 'title') }),
    ...(cursor !== undefined && { cursor: stripUndefined(cursor) }),
    ...(cellCond !== undefined && { cell: cellCond }),
    timeoutMs,
  };
}

function sought(v: string | { text?: string | undefined; regex?: string | undefined }, field: string): TextOrRegex {
  if (typeof v === 'string') return { text: v };
  if ((v.text === undefined) === (v.regex === undefined)) throw bad(field, `give text or regex for ${field}, one of the two`);
  return v.text !== undefined ? { text: v.text } : { regex: compileRegex(v.regex!) };
}

/** Row/column `v` must be on the screen now: a wait for a place that does not exist would only time out. */
function inside(field: string, v: number | undefined, size: number): void {
  if (v !== undefined && (v < 0 || v >= size)) {
    throw bad(field, `${field} ${v} is outside the screen: ${field.endsWith('row') ? 'rows' : 'columns'} are 0–${size - 1}`);
  }
}

function bad(field: string, message: string): ServiceError {
  return new ServiceError('VALIDATION', message, { field });
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
