/**
 * asciicast v2 and v3 reader: turns the lines of a .cast file into a validated header and events,
 * one line at a time (so a CLI can stream a large file), and says exactly which line is wrong.
 * v3 event times are intervals (seconds since the previous event): the reader adds them up, in
 * whole microseconds, so every event comes out with its time from the start whatever the version.
 * v3 comment lines (`#` first) are skipped, as asciinema skips them.
 *
 * Owns: the validation rules and their messages (CastError, with the 1-based line number), and
 * the detection of "this input is a cast" from its first line. No I/O, no terminal.
 */
import { toMicros, type CastHeader } from './header.js';

export interface CastEvent {
  /** Seconds from the start (v3: the intervals so far added up). */
  time: number;
  /** "o" output, "i" input, "r" resize, "m" marker, "x" exit status (v3); other codes are kept and ignored by players. */
  code: string;
  data: string;
}

/** A malformed or unsupported cast; `line` is 1-based (0 = the input as a whole). */
export class CastError extends Error {
  override readonly name = 'CastError';
  constructor(message: string, readonly line: number) {
    super(line > 0 ? `line ${line}: ${message}` : message);
  }
}

/** True when `firstLine` looks like an asciicast header (`{"version": ...`), whatever the version. */
export function looksLikeCast(firstLine: string): boolean {
  return /^\uFEFF?\s*\{\s*"version"\s*:/.test(firstLine);
}

const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/** Parses and checks the header line (line 1): version 2 or 3. */
export function parseHeader(text: string, line = 1): CastHeader {
  let h: unknown;
  try {
    h = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CastError(`the header is not valid JSON (${err instanceof Error ? err.message : String(err)}): ${short(text)}`, line);
  }
  if (h === null || typeof h !== 'object' || Array.isArray(h)) throw new CastError('the header must be a JSON object like {"version": 2, "width": 80, "height": 24}', line);
  const o = h as Record<string, unknown>;
  if (!('version' in o)) throw new CastError('the header has no "version" (asciicast files start with {"version": 2, ...} or {"version": 3, ...})', line);
  if (o['version'] === 3) {
    const term = o['term'];
    if (term === null || typeof term !== 'object' || Array.isArray(term)) {
      throw new CastError('an asciicast v3 header needs a "term" object like {"cols": 80, "rows": 24}', line);
    }
    const t = term as Record<string, unknown>;
    for (const k of ['cols', 'rows'] as const) positive(t[k], `"term"."${k}"`, line);
    for (const k of ['type', 'version'] as const) {
      if (t[k] !== undefined && t[k] !== null && typeof t[k] !== 'string') throw new CastError(`the header's "term"."${k}" must be a string, got ${JSON.stringify(t[k])}`, line);
    }
    if (o['tags'] !== undefined && (!Array.isArray(o['tags']) || !o['tags'].every((x) => typeof x === 'string'))) {
      throw new CastError('the header\'s "tags" must be an array of strings', line);
    }
  } else if (o['version'] === 2) {
    for (const k of ['width', 'height'] as const) positive(o[k], `"${k}"`, line);
  } else {
    throw new CastError(`unsupported asciicast version ${JSON.stringify(o['version'])}: versions 2 and 3 are supported`, line);
  }
  if (o['env'] !== undefined && (o['env'] === null || typeof o['env'] !== 'object' || Array.isArray(o['env']))) {
    throw new CastError('the header\'s "env" must be an object', line);
  }
  const limit = o['idle_time_limit'];
  if (limit !== undefined && limit !== null && (typeof limit !== 'number' || !(limit >= 0))) {
    throw new CastError(`the header's "idle_time_limit" must be a number of seconds >= 0, got ${JSON.stringify(limit)}`, line);
  }
  return o as CastHeader;
}

function positive(v: unknown, name: string, line: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new CastError(`the header's ${name} must be a positive integer, got ${JSON.stringify(v)}`, line);
}

/**
 * Parses one v2 event line (`[time, code, data]`, time from the start); blank lines give null (a
 * trailing newline is not an error). With `interval` (v3) the first element is the time since
 * the previous event, returned as is in `time`: the reader adds it up.
 */
export function parseEvent(text: string, line: number, previousTime = 0, interval = false): CastEvent | null {
  if (text.trim() === '') return null;
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch (err) {
    throw new CastError(`not valid JSON (${err instanceof Error ? err.message : String(err)}): ${short(text)}`, line);
  }
  const what = interval ? 'interval' : 'time';
  if (!Array.isArray(e) || e.length !== 3) throw new CastError(`an event must be a JSON array [${what}, code, data]: ${short(text)}`, line);
  const [time, code, data] = e as unknown[];
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) throw new CastError(`the event ${what} must be a number of seconds >= 0, got ${JSON.stringify(time)}`, line);
  if (!interval && time < previousTime) throw new CastError(`the event time ${time} is before the previous event's (${previousTime}): events must be in time order`, line);
  if (typeof code !== 'string' || code === '') throw new CastError(`the event code must be a string such as "o", got ${JSON.stringify(code)}`, line);
  if (typeof data !== 'string') throw new CastError(`the event data must be a string, got ${JSON.stringify(data)}`, line);
  return { time, code, data };
}

/** "COLSxROWS" of a resize event, or a CastError. */
export function parseResize(data: string, line: number): { cols: number; rows: number } {
  const m = /^(\d{1,6})x(\d{1,6})$/.exec(data);
  if (!m) throw new CastError(`a resize event's data must be "COLSxROWS", got ${JSON.stringify(short(data))}`, line);
  return { cols: Number(m[1]), rows: Number(m[2]) };
}

/** Incremental reader: feed lines in order; the first is the header. */
export class CastReader {
  header: CastHeader | null = null;
  private lineNo = 0;
  /** The last event's time from the start, in microseconds (v3 adds intervals to it). */
  private lastUs = 0;
  private lastTime = 0;

  /** The line number of the last line read. */
  get line(): number { return this.lineNo; }

  /** Reads one line (without its '\n'): null for the header, blank and comment lines, else the event. */
  read(text: string): CastEvent | null {
    this.lineNo++;
    if (this.header === null) {
      if (this.lineNo === 1 && text.trim() === '') throw new CastError('the file is empty or starts with a blank line; expected an asciicast header', 1);
      if (this.lineNo === 1 && text.startsWith('#')) throw new CastError('the first line must be the asciicast header, not a comment', 1);
      this.header = parseHeader(text, this.lineNo);
      return null;
    }
    if (this.header.version === 3) {
      if (text.startsWith('#')) return null;
      const e = parseEvent(text, this.lineNo, 0, true);
      if (e === null) return null;
      this.lastUs += toMicros(e.time);
      return { ...e, time: this.lastUs / 1e6 };
    }
    const e = parseEvent(text, this.lineNo, this.lastTime);
    if (e) this.lastTime = e.time;
    return e;
  }

  /** Throws when no header was seen (empty input). */
  finish(): CastHeader {
    if (this.header === null) throw new CastError('the input is empty; expected an asciicast header line', 0);
    return this.header;
  }
}

/** A whole cast in memory: header and events. */
export function parseCast(text: string): { header: CastHeader; events: CastEvent[] } {
  const r = new CastReader();
  const events: CastEvent[] = [];
  for (const l of text.split('\n')) {
    const e = r.read(l.endsWith('\r') ? l.slice(0, -1) : l);
    if (e) events.push(e);
  }
  return { header: r.finish(), events };
}
