/**
 * The two asciicast headers termpool reads and writes, and the conversions between them:
 *   v2 (https://docs.asciinema.org/manual/asciicast/v2/): `{"version": 2, "width", "height", ...}`,
 *      event times in seconds from the start;
 *   v3 (https://docs.asciinema.org/manual/asciicast/v3/): `{"version": 3, "term": {"cols", "rows",
 *      "type", "version", "theme"}, ...}`, event times as *intervals* (seconds since the previous
 *      event), `#` comment lines, and an `x` (exit status) event.
 *
 * Owns: the header types, their size, the v2 ↔ v3 header mapping (as asciinema 3 maps them: v2's
 * env.TERM is v3's term.type, v2's top-level theme is v3's term.theme), and the time formats,
 * computed from integer microseconds so that a conversion never drifts.
 */

export type CastFormat = 'v2' | 'v3';
export const CAST_FORMATS = ['v2', 'v3'] as const;

/** `{fg, bg, palette}`: "#rrggbb" colours, palette 8 or 16 of them joined by ':'. */
export interface CastTheme {
  fg: string;
  bg: string;
  palette: string;
}

export interface CastHeaderV2 {
  version: 2;
  width: number;
  height: number;
  /** Unix time of the start, in seconds. */
  timestamp?: number;
  idle_time_limit?: number;
  command?: string;
  title?: string;
  env?: Record<string, string>;
  theme?: CastTheme;
  /** Any further fields (duration, ...): kept, not interpreted. */
  [key: string]: unknown;
}

export interface CastTerm {
  cols: number;
  rows: number;
  /** TERM, e.g. xterm-256color. */
  type?: string;
  /** The terminal's XTVERSION answer. */
  version?: string;
  theme?: CastTheme;
}

export interface CastHeaderV3 {
  version: 3;
  term: CastTerm;
  timestamp?: number;
  idle_time_limit?: number;
  command?: string;
  title?: string;
  env?: Record<string, string>;
  tags?: string[];
  [key: string]: unknown;
}

export type CastHeader = CastHeaderV2 | CastHeaderV3;

/** The initial terminal size a header declares. */
export function headerSize(h: CastHeader): { cols: number; rows: number } {
  return h.version === 3 ? { cols: h.term.cols, rows: h.term.rows } : { cols: h.width, rows: h.height };
}

export function formatOf(h: CastHeader): CastFormat {
  return h.version === 3 ? 'v3' : 'v2';
}

/** Fields both versions carry under the same name, in the order asciinema writes them. */
const COMMON = ['timestamp', 'idle_time_limit', 'command', 'title', 'env'] as const;

/** `h` as a v2 header (unchanged when it is one). */
export function toV2Header(h: CastHeader): CastHeaderV2 {
  if (h.version === 2) return h;
  const { version: _v, term, tags: _tags, ...rest } = h;
  const out: CastHeaderV2 = { version: 2, width: term.cols, height: term.rows };
  for (const k of COMMON) if (rest[k] !== undefined) (out as Record<string, unknown>)[k] = rest[k];
  // v2 keeps the terminal type in env.TERM.
  if (term.type !== undefined) out.env = { ...(out.env ?? {}), TERM: term.type };
  if (term.theme !== undefined) out.theme = term.theme;
  for (const [k, v] of Object.entries(rest)) if (!(k in out) && !(COMMON as readonly string[]).includes(k)) out[k] = v;
  return out;
}

/** `h` as a v3 header (unchanged when it is one). */
export function toV3Header(h: CastHeader): CastHeaderV3 {
  if (h.version === 3) return h;
  const { version: _v, width, height, theme, duration: _d, ...rest } = h;
  const term: CastTerm = { cols: width, rows: height };
  const env = { ...(rest.env ?? {}) };
  if (env['TERM'] !== undefined) {
    term.type = env['TERM'];
    delete env['TERM'];
  }
  if (theme !== undefined) term.theme = theme;
  const out: CastHeaderV3 = { version: 3, term };
  for (const k of COMMON) {
    if (k === 'env') { if (Object.keys(env).length > 0) out.env = env; continue; }
    if (rest[k] !== undefined) (out as Record<string, unknown>)[k] = rest[k];
  }
  for (const [k, v] of Object.entries(rest)) if (!(k in out) && !(COMMON as readonly string[]).includes(k)) out[k] = v;
  return out;
}

/** Microseconds as v2 writes an absolute time: always six decimals ("1.500000"). */
export function formatV2Time(us: number): string {
  return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
}

/** Microseconds as asciinema 3 writes a v3 interval: trailing zeros dropped, at least one decimal ("0.0", "12.3"). */
export function formatV3Interval(us: number): string {
  const frac = String(us % 1e6).padStart(6, '0').replace(/0+$/, '');
  return `${Math.floor(us / 1e6)}.${frac === '' ? '0' : frac}`;
}

/** Seconds read from a cast as whole microseconds (the resolution both formats write). */
export function toMicros(seconds: number): number {
  return Math.round(seconds * 1e6);
}
