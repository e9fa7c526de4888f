/**
 * The committed corpus of real pty captures (bench/captures/): reading it, verifying it, and
 * checking that it holds nothing it must not.
 *
 * Owns the manifest format and the checks; bench/record-captures.ts writes the files, and
 * bench/corpora.ts turns a capture into a throughput corpus. Every capture is stored gzip'd as
 * `<name>.vt.gz`; the manifest names the sha256 and length of the *raw* bytes, and nothing is
 * used before both match, so a benchmark figure always refers to known bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Corpus } from './corpora.js';

/** Where the corpus lives in the source tree (also when run from dist/bench). */
export const CAPTURE_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../bench/captures/' : './captures/', import.meta.url));
export const MANIFEST_FILE = 'manifest.json';

export interface CaptureEntry {
  /** Corpus name in the bench (`--corpus NAME`). */
  name: string;
  description: string;
  /** What ran under the pty (argv as typed into bash -c, with its cwd described). */
  command: string;
  /** Raw (uncompressed) length and sha256 (hex) of exactly the bytes the program wrote to the pty. */
  bytes: number;
  sha256: string;
  /** Length of the committed `<name>.vt.gz`. */
  gzipBytes: number;
}

export interface CaptureManifest {
  cols: number;
  rows: number;
  recorded: string;
  /** How the captures were made (environment, tools' versions). */
  notes: string[];
  captures: CaptureEntry[];
}

export function readManifest(dir = CAPTURE_DIR): CaptureManifest {
  return JSON.parse(readFileSync(`${dir}/${MANIFEST_FILE}`, 'utf8')) as CaptureManifest;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Why `raw` is not the capture the manifest describes, or null when it is. */
export function verifyCapture(entry: CaptureEntry, raw: Uint8Array): string | null {
  if (raw.length !== entry.bytes) return `${entry.name}: ${raw.length} bytes, manifest says ${entry.bytes}`;
  const h = sha256(raw);
  if (h !== entry.sha256) return `${entry.name}: sha256 ${h}, manifest says ${entry.sha256}`;
  return null;
}

/** The raw bytes of one capture, verified against the manifest; throws naming the mismatch. */
export function loadCapture(entry: CaptureEntry, dir = CAPTURE_DIR): Uint8Array {
  const file = `${dir}/${entry.name}.vt.gz`;
  if (!existsSync(file)) throw new Error(`capture ${entry.name}: ${file} missing`);
  const raw = new Uint8Array(gunzipSync(readFileSync(file)));
  const why = verifyCapture(entry, raw);
  if (why) throw new Error(`capture corpus does not match its manifest: ${why}`);
  return raw;
}

/** Capture files present in the directory (for the test that every file is in the manifest). */
export function captureFiles(dir = CAPTURE_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.vt.gz')).map((f) => f.slice(0, -'.vt.gz'.length)).sort();
}

/**
 * Strings that must not appear in a committed capture: the machine's host name, the hosts of
 * the package mirrors this machine is configured with (read from apt's sources and npm's config
 * at run time, so no such host is written in this file), and home directories. Returns
 * [label, needle] pairs; labels name the kind, not the value.
 */
export function forbiddenNeedles(): [string, string][] {
  // Home directories of this machine's users (the one recording, and every login account in
  // /etc/passwd); the project's own texts name /home/node (its Docker image), which is no one's.
  const homes = new Set([homedir(), '/root']);
  if (existsSync('/etc/passwd')) {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (Number(f[2]) >= 1000 && Number(f[2]) < 65534 && f[5]) homes.add(f[5]);
    }
  }
  const out: [string, string][] = [...homes].filter((h) => h.length > 1).map((h) => ['a user\'s home directory path', `${h}/`] as [string, string]);
  const host = hostname();
  // A short host name ('vm') is an ordinary word; it is looked for as user@host and host: only.
  out.push(['the host name', `@${host}`], ['the host name', `${host}:~`]);
  if (host.length >= 6) out.push(['the host name', host]);
  for (const h of mirrorHosts()) out.push(['a package mirror host', h]);
  return out;
}

function mirrorHosts(): string[] {
  const hosts = new Set<string>();
  const texts: string[] = [];
  for (const f of ['/etc/apt/sources.list']) if (existsSync(f)) texts.push(readFileSync(f, 'utf8'));
  const d = '/etc/apt/sources.list.d';
  if (existsSync(d)) for (const f of readdirSync(d)) texts.push(readFileSync(`${d}/${f}`, 'utf8'));
  // The npm registry: the user's .npmrc, the environment, and npm's own default (read from
  // npm's config definitions beside this node, so no npm process is started).
  const npmrc = `${homedir()}/.npmrc`;
  if (existsSync(npmrc)) texts.push(readFileSync(npmrc, 'utf8'));
  if (process.env['npm_config_registry']) texts.push(process.env['npm_config_registry']);
  const defs = path.join(path.dirname(realpathSync(process.execPath)), '../lib/node_modules/npm/node_modules/@npmcli/config/lib/definitions/definitions.js');
  if (existsSync(defs)) texts.push(/registry: new Definition\('registry', \{\s*default: '([^']+)'/.exec(readFileSync(defs, 'utf8'))?.[1] ?? '');
  for (const t of texts) for (const m of t.matchAll(/(?:https?|ftp):\/\/([a-z0-9.-]+)/gi)) if (m[1]!.includes('.')) hosts.add(m[1]!.toLowerCase());
  return [...hosts];
}

const isPathChar = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x2e || b === 0x2d;

/** Which forbidden strings `raw` contains (label and byte offset), empty when clean. */
export function privacyFindings(raw: Uint8Array, needles = forbiddenNeedles()): string[] {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const found: string[] = [];
  for (const [label, needle] of needles) {
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
      // A path counts where it starts a path ('/root/x', also right after an SGR's 'm'), not
      // inside one ('/jetty-home/modules/demo.d/root/images').
      if (needle.startsWith('/')) {
        let k = at - 1;
        while (k >= 0 && isPathChar(buf[k]!)) k--;
        if (k >= 0 && k < at - 1 && buf[k] === 0x2f) continue;
      }
      found.push(`${label} at byte ${at}`);
      break;
    }
  }
  return found;
}

/** The corpus of every capture, in manifest order. */
export const REAL_CORPUS = 'real';

/** Corpus names the captures give: `real` first, then each capture by name. */
export function captureCorpusNames(dir = CAPTURE_DIR): string[] {
  return existsSync(`${dir}/${MANIFEST_FILE}`) ? [REAL_CORPUS, ...readManifest(dir).captures.map((c) => c.name)] : [];
}

/**
 * A capture (or `real`: all of them one after another) as a throughput corpus: whole copies,
 * as many as bring it nearest to `targetBytes` (at least one), so no copy is cut mid-sequence.
 * A copy starts where the last one left the terminal, as a program run again would.
 */
export function captureCorpus(name: string, targetBytes: number, dir = CAPTURE_DIR): Corpus {
  const manifest = readManifest(dir);
  const entries = name === REAL_CORPUS ? manifest.captures : manifest.captures.filter((c) => c.name === name);
  if (entries.length === 0) throw new Error(`unknown corpus '${name}': not plain, styled, tui, ${REAL_CORPUS} or a capture in ${MANIFEST_FILE}`);
  const parts = entries.map((e) => loadCapture(e, dir));
  const once = parts.reduce((a, p) => a + p.length, 0);
  const copies = Math.max(1, Math.round(targetBytes / once));
  const bytes = new Uint8Array(once * copies);
  let off = 0;
  for (let k = 0; k < copies; k++) for (const p of parts) { bytes.set(p, off); off += p.length; }
  const description = name === REAL_CORPUS
    ? `every capture below, one after another (${(once / 1e6).toFixed(1)} MB)${copies > 1 ? `, ${copies} times` : ''}`
    : `${entries[0]!.description}; ${(once / 1e6).toFixed(2)} MB captured${copies > 1 ? `, repeated ${copies} times` : ''}`;
  return { name, description, bytes };
}
