/**
 * Screen ETags and deltas, for clients that poll (agents pay per token, screenshot services per PNG).
 *
 * An ETag is derived, never hashed from the body: the session's `version` (bumped on every output,
 * reflow and frame timeout: everything any format shows) plus what else changes the body (format,
 * scrollback, whether a synchronized-update frame is served). A spurious change (output that left
 * the screen as it was) costs a full answer or an empty delta, never a stale one. A boot nonce keeps
 * a restarted server's tags from matching an earlier process's.
 *
 * `?since=<etag>` needs the rows of that earlier version: ScreenVersions keeps the last few versions
 * a client was given (text: the rows themselves; json: two 32-bit hashes per row over its text,
 * styles and links), bounded per session and in total, oldest evicted first. A tag no longer kept
 * is answered with the full screen (`full: true`), never an error.
 */
import { randomBytes } from 'node:crypto';
import type { ScreenSnapshot } from '../engine/index.js';
import type { Session } from './session.js';
import type { ArchivedSession } from '../archive/archived-session.js';

/** Different in every server process: a tag from before a restart is unknown, not mistaken. */
const BOOT = randomBytes(3).toString('hex');

export type DeltaFormat = 'text' | 'json';

/** Versions kept per session; older ones are evicted first. */
export const DELTA_VERSIONS = 8;
/** Bytes (estimated) kept per session: a 500×200 text screen (~200 kB) fits twice. */
export const DELTA_SESSION_BYTES = 512 * 1024;
/** Bytes (estimated) kept for all sessions together: the oldest version anywhere goes first. */
export const DELTA_TOTAL_BYTES = 32 * 1024 * 1024;

type Readable = Session | ArchivedSession;

/** The served screen's version: a live session's counter, or `a` for an archived (immutable) one. */
function versionOf(s: Readable): string {
  if (!('version' in s)) return 'a';
  // A resize still pending is applied by this read, and bumps the version: read it after.
  s.screenLines();
  return `${s.version}${s.inFrame ? 'f' : ''}`;
}

/** The strong ETag (quoted) of `s`'s screen in `format` with `scrollback` lines. */
export function screenEtag(s: Readable, format: string, scrollback = 0): string {
  return `"${BOOT}-${s.id}-${versionOf(s)}-${format}${scrollback > 0 ? `-${scrollback}` : ''}"`;
}

/** Parts of a tag this process made, or null (another process's, a forged or mistyped one). */
function parseEtag(tag: string): { id: string; version: string; format: string; scrollback: number } | null {
  const m = /^(?:W\/)?"?([0-9a-f]+)-(.+)-(\d+f?|a)-([a-z]+)(?:-(\d+))?"?$/.exec(tag.trim());
  if (m === null || m[1] !== BOOT) return null;
  return { id: m[2]!, version: m[3]!, format: m[4]!, scrollback: m[5] === undefined ? 0 : Number(m[5]) };
}

/** True when an If-None-Match value names `etag` (weak comparison, as RFC 9110 has for GET; `*` matches). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => { const v = t.trim(); return v === '*' || v.replace(/^W\//, '') === bare; });
}

interface Version {
  readonly session: string;
  readonly key: string;
  readonly cols: number;
  /** text: the rows themselves; json: hashes, two per row. */
  readonly rows: readonly string[] | Uint32Array;
  readonly bytes: number;
}

/** The remembered versions of every session, within DELTA_VERSIONS / DELTA_SESSION_BYTES / DELTA_TOTAL_BYTES. */
export class ScreenVersions {
  private readonly bySession = new Map<string, Version[]>();
  /** Every kept version, oldest first (insertion order): the total budget evicts from the front. */
  private readonly all = new Set<Version>();
  private total = 0;

  constructor(
    private readonly maxVersions = DELTA_VERSIONS,
    private readonly sessionBytes = DELTA_SESSION_BYTES,
    private readonly totalBytes = DELTA_TOTAL_BYTES,
  ) {}

  /** Bytes (estimated) kept now, for all sessions: a figure for tests and metrics. */
  get bytes(): number { return this.total; }
  /** Versions kept now for `session` (or all). */
  count(session?: string): number { return session === undefined ? this.all.size : (this.bySession.get(session)?.length ?? 0); }
  /** Bytes kept now for `session`. */
  sessionBytesOf(session: string): number { return (this.bySession.get(session) ?? []).reduce((n, v) => n + v.bytes, 0); }

  find(session: string, key: string): Version | undefined {
    return this.bySession.get(session)?.find((v) => v.key === key);
  }

  /** Keeps `rows` as `session`'s version `key`, unless kept already or over the per-session budget alone. */
  remember(session: string, key: string, cols: number, rows: readonly string[] | Uint32Array): void {
    if (this.find(session, key) !== undefined) return;
    const bytes = 64 + (rows instanceof Uint32Array ? rows.byteLength : rows.reduce((n, r) => n + 2 * r.length + 32, 0));
    if (bytes > this.sessionBytes || bytes > this.totalBytes) return;
    let list = this.bySession.get(session);
    if (list === undefined) this.bySession.set(session, (list = []));
    let used = list.reduce((n, v) => n + v.bytes, 0);
    while (list.length > 0 && (list.length >= this.maxVersions || used + bytes > this.sessionBytes)) {
      used -= list[0]!.bytes;
      this.drop(list[0]!);
    }
    const v: Version = { session, key, cols, rows, bytes };
    (this.bySession.get(session) ?? this.bySession.set(session, []).get(session)!).push(v);
    this.all.add(v);
    this.total += bytes;
    // Across sessions: the oldest version anywhere (a removed session's age out this way too).
    for (const old of this.all) {
      if (this.total <= this.totalBytes) break;
      this.drop(old);
    }
  }

  private drop(v: Version): void {
    const list = this.bySession.get(v.session);
    if (list !== undefined) {
      const i = list.indexOf(v);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.bySession.delete(v.session);
    }
    if (this.all.delete(v)) this.total -= v.bytes;
  }
}

/** One ScreenVersions per registry (REST and the in-process MCP backend share it). */
const perOwner = new WeakMap<object, ScreenVersions>();
export function screenVersions(owner: object): ScreenVersions {
  let v = perOwner.get(owner);
  if (v === undefined) perOwner.set(owner, (v = new ScreenVersions()));
  return v;
}

export interface DeltaLine {
  row: number;
  text: string;
  wrapped?: boolean;
  cells?: ScreenSnapshot['lines'][number]['cells'];
}

/** The answer to ?since=: the rows that differ from the version `since` names (all of them when `full`). */
export interface ScreenDelta {
  etag: string;
  since: string;
  full: boolean;
  cols: number;
  rows: number;
  title: string;
  cursor: ScreenSnapshot['cursor'];
  lines: DeltaLine[];
  /** json: the styles and links the cells of `lines` index (only those used). */
  styles?: ScreenSnapshot['styles'];
  links?: string[];
}

/** FNV-1a and a second multiplier over the same string: 64 bits, so a changed row is never missed in practice. */
function hash2(s: string, out: Uint32Array, i: number): void {
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  out[i] = a >>> 0;
  out[i + 1] = b >>> 0;
}

/** Per-row hashes of a json snapshot's screen rows: text, wrap, every cell's text, width, style and link. */
function rowHashes(snap: ScreenSnapshot): Uint32Array {
  const styleKeys = snap.styles.map((st) => JSON.stringify(st));
  const lines = snap.lines.slice(snap.lines.length - snap.rows);
  const out = new Uint32Array(lines.length * 2);
  lines.forEach((l, r) => {
    let key = `${l.wrapped ? 1 : 0}`;
    for (const c of l.cells) key += `\u0000${c.text}\u0001${c.width}\u0001${styleKeys[c.style]}\u0001${c.link === undefined ? '' : snap.links[c.link]}`;
    hash2(key, out, r * 2);
  });
  return out;
}

/**
 * The screen of `s` in `format` as a delta against `since` (an ETag from an earlier answer), and
 * the current version remembered for the next call. `s` must be read at scrollback 0.
 */
export function screenDelta(versions: ScreenVersions, s: Readable, format: DeltaFormat, since: string): ScreenDelta {
  const etag = screenEtag(s, format);
  const key = `${versionOf(s)}-${format}`;
  const snap = s.snapshot(0);
  const screen = snap.lines.slice(snap.lines.length - snap.rows);
  const current: readonly string[] | Uint32Array = format === 'text' ? s.screenLines() : rowHashes(snap);
  const p = parseEtag(since);
  const old = p !== null && p.id === s.id && p.format === format && p.scrollback === 0 ? versions.find(s.id, `${p.version}-${format}`) : undefined;
  versions.remember(s.id, key, snap.cols, current);
  const full = old === undefined || old.cols !== snap.cols || old.rows.length !== current.length;
  const changed: number[] = [];
  for (let r = 0; r < screen.length; r++) {
    if (full) { changed.push(r); continue; }
    const differs = format === 'text'
      ? (old.rows as readonly string[])[r] !== (current as readonly string[])[r]
      : (old.rows as Uint32Array)[2 * r] !== (current as Uint32Array)[2 * r] || (old.rows as Uint32Array)[2 * r + 1] !== (current as Uint32Array)[2 * r + 1];
    if (differs) changed.push(r);
  }
  const base = { etag, since, full, cols: snap.cols, rows: snap.rows, title: snap.title, cursor: snap.cursor };
  if (format === 'text') return { ...base, lines: changed.map((r) => ({ row: r, text: (current as readonly string[])[r]! })) };
  // json: the cells' style and link indices renumbered into the styles and links these rows use.
  const styles: ScreenSnapshot['styles'] = [];
  const links: string[] = [];
  const styleAt = new Map<number, number>();
  const linkAt = new Map<number, number>();
  const lines = changed.map((r) => {
    const l = screen[r]!;
    const cells = l.cells.map((c) => {
      let st = styleAt.get(c.style);
      if (st === undefined) { st = styles.push(snap.styles[c.style]!) - 1; styleAt.set(c.style, st); }
      if (c.link === undefined) return { ...c, style: st };
      let ln = linkAt.get(c.link);
      if (ln === undefined) { ln = links.push(snap.links[c.link]!) - 1; linkAt.set(c.link, ln); }
      return { ...c, style: st, link: ln };
    });
    return { row: r, text: l.text, wrapped: l.wrapped, cells };
  });
  return { ...base, lines, styles, links };
}

/** Remembers the version a plain (non-delta) text or json read served, so its ETag works as `since`. */
export function rememberServed(versions: ScreenVersions, s: Readable, format: DeltaFormat, snap?: ScreenSnapshot): void {
  const key = `${versionOf(s)}-${format}`;
  if (versions.find(s.id, key) !== undefined) return;
  if (format === 'text') { versions.remember(s.id, key, s.terminal.cols, s.screenLines()); return; }
  const sn = snap ?? s.snapshot(0);
  versions.remember(s.id, key, sn.cols, rowHashes(sn));
}
