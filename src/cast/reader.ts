/**
 * asciicast v2 reader: turns the lines of a .cast file into a validated header and events,
 * one line at a time (so a CLI can stream a large file), and says exactly which line is wrong.
 *
 * Owns: the validation rules and their messages (CastError, with the 1-based line number), and
 * the detection of "this input is a cast" from its first line. No I/O, no terminal.
 */
import type { CastHeader } from './writer.js';

export interface CastEvent {
  /** Seconds from the start. */
  time: number;
  /** "o" output, "i" input, "r" resize, "m" marker; other codes are kept and ignored by players. */
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

/** Parses and checks the header line (line 1). */
export function parseHeader(text: string, line = 1): CastHeader {
  let h: unknown;
  try {
    h = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CastError(`the header is not valid JSON (${err instanceof Error ? err.message : String(err)}): ${short(text)}`, line);
  }
  if (h === null || typeof h !== 'object' || Array.isArray(h)) throw new CastError('the header must be a JSON object like {"version": 2, "width": 80, "height": 24}', line);
  const o = h as Record<string, unknown>;
  if (!('version' in o)) throw new CastError('the header has no "version" (asciicast v2 files start with {"version": 2, ...})', line);
  if (o['version'] !== 2) throw new CastError(`unsupported asciicast version ${JSON.stringify(o['version'])}: only version 2 is supported`, line);
  for (const k of ['width', 'height'] as const) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new CastError(`the header's "${k}" must be a positive integer, got ${JSON.stringify(v)}`, line);
  }
  if (o['env'] !== undefined && (o['env'] === null || typeof o['env'] !== 'object' || Array.isArray(o['env']))) {
    throw new CastError('the header\'s "env" must be an object', line);
  }
  return o as CastHeader;
}

/** Parses one event line; blank lines give null (a trailing newline is not an error). */
export function parseEvent(text: string, line: number, previousTime = 0): CastEvent | null {
  if (text.trim() === '') return null;
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch (err) {
    throw new CastError(`not valid JSON (${err instanceof Error ? err.message : String(err)}): ${short(text)}`, line);
  }
  if (!Array.isArray(e) || e.length !== 3) throw new CastError(`an event must be a JSON array [time, code, data]: ${short(text)}`, line);
  const [time, code, data] = e as unknown[];
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) throw new CastError(`the event time must be a number of seconds >= 0, got ${JSON.stringify(time)}`, line);
  if (time < previousTime) throw new CastError(`the event time ${time} is before the previous event's (${previousTime}): events must be in time order`, line);
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
  private lastTime = 0;

  /** The line number of the last line read. */
  get line(): number { return this.lineNo; }

  /** Reads one line (without its '\n'): null for the header and blank lines, else the event. */
  read(text: string): CastEvent | null {
    this.lineNo++;
    if (this.header === null) {
      if (this.lineNo === 1 && text.trim() === '') throw new CastError('the file is empty or starts with a blank line; expected an asciicast v2 header', 1);
      this.header = parseHeader(text, this.lineNo);
      return null;
    }
    const e = parseEvent(text, this.lineNo, this.lastTime);
    if (e) this.lastTime = e.time;
    return e;
  }

  /** Throws when no header was seen (empty input). */
  finish(): CastHeader {
    if (this.header === null) throw new CastError('the input is empty; expected an asciicast v2 header line', 0);
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
