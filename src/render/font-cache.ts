/**
 * The CJK slices as TTF files resvg can load: every fontsource WOFF2 slice (font-packages.ts)
 * decompressed with wawoff2 (Google's woff2, compiled to WebAssembly) and renamed to a family of
 * its own (`Noto Sans SC 57`, sfnt-family.ts), written once into a cache directory that every
 * later process and thread reads.
 *
 * Files, not memory: resvg-js 2.6's Node binding takes fonts as paths only (fontFiles and
 * fontDirs; `fontBuffers` exists only in its wasm build), and reads every file it is given on
 * every `new Resvg`. So converting at load time into memory is not an option; what is left to
 * decide is which files a render is given (fonts.ts: only the slices its text needs).
 *
 * Where: <OS temp dir>/termpool-fonts-<uid>/<key>, never $HOME and not inside the package (the
 * Docker image's node_modules belong to root; the server runs as `node`). The key names the
 * packages' and wawoff2's versions and this format, so an upgrade converts afresh. The per-user
 * directory must be ours and writable by nobody else: in a shared /tmp another user could
 * otherwise plant font files for our renderer to parse.
 *
 * Atomic: each file is written under a temporary name and renamed into place, and the marker
 * `complete` is written last, so a process or worker never loads half a file; two processes
 * converting at once write the same bytes and the last rename wins.
 *
 * Cost: converting all 217 slices (15 MB of TTF) took 0.3 s of wawoff2 on an idle 2-core
 * machine, 1.5-2 s end to end at load ~10, once per machine and versions; after that a process
 * only checks the marker (its fonts' cmaps and slice ranges, fonts.ts: ~150 ms at load ~10). The
 * conversion runs on a worker thread: awaited off the main thread (fillCache), or waited for
 * with Atomics.wait by the synchronous renderPng (fillCacheSync), since wawoff2's WebAssembly
 * only starts asynchronously.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, threadId, type MessagePort } from 'node:worker_threads';
import type { Slice } from './font-packages.js';
import { renameFamily } from './sfnt-family.js';

/** Bump when what is written changes (file names, renaming). */
const FORMAT = 1;

/** Longest the synchronous path waits for the conversion worker. */
const CONVERT_TIMEOUT_MS = 120_000;

const COMPLETE = 'complete';

/** A slice's own family name, as written into its converted file. */
export const sliceFamily = (s: Slice): string => `${s.font.family} ${s.index}`;

/** A slice's converted file in `dir`. */
export const sliceFile = (dir: string, s: Slice): string => path.join(dir, `${s.font.script}-${s.index}.ttf`);

/** The cache directory's name for these package versions ("noto-sans-sc@5.3.1+…+wawoff2@2.0.1+f1"). */
export function cacheKey(packages: { name: string; version: string }[]): string {
  return [...packages.map((p) => `${p.name.replace(/^@[^/]+\//, '')}@${p.version}`), `f${FORMAT}`].join('+');
}

/** The cache directory for `key`, created if need be. Throws when the per-user directory is not safely ours. */
export function fontCacheDir(key: string, tmp: string = os.tmpdir()): string {
  const uid = process.getuid?.();
  const base = path.join(tmp, `termpool-fonts-${uid ?? os.userInfo().username}`);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const st = lstatSync(base);
  if (!st.isDirectory() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) {
    throw new Error(`font cache ${base} is not a directory owned by this user and closed to others: remove it`);
  }
  const dir = path.join(base, key);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** True when every slice of this key has been written to `dir`. */
export const cacheComplete = (dir: string): boolean => existsSync(path.join(dir, COMPLETE));

/** Converts the slices into `dir` on a worker thread, blocking this thread until done. */
export function fillCacheSync(dir: string, slices: readonly Slice[]): void {
  const { worker, port, flag } = startDecompress(slices);
  try {
    if (Atomics.wait(flag, 0, 0, CONVERT_TIMEOUT_MS) === 'timed-out') throw new Error(`font conversion took over ${CONVERT_TIMEOUT_MS} ms`);
    const msg = receiveMessageOnPort(port)?.message as DecompressReply | undefined;
    if (msg === undefined) throw new Error('font conversion worker ended without an answer');
    writeSlices(dir, slices, msg);
  } finally {
    port.close();
    void worker.terminate();
  }
}

/** Converts the slices into `dir` on a worker thread. */
export async function fillCache(dir: string, slices: readonly Slice[]): Promise<void> {
  const { worker, port } = startDecompress(slices);
  try {
    const msg = await new Promise<DecompressReply>((resolve, reject) => {
      port.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`font conversion worker exited (${code}) without an answer`)));
    });
    writeSlices(dir, slices, msg);
  } finally {
    port.close();
    void worker.terminate();
  }
}

type DecompressReply = { ok: true; ttfs: Uint8Array[] } | { ok: false; message: string };

/**
 * The worker: CommonJS evaluated from this string, so it runs the same from src/ (vitest, where
 * a worker cannot load .ts) and from dist/. It only decompresses; renaming and writing are
 * this module's, on the calling thread. The flag is set whatever happens, so a blocked caller
 * always wakes.
 */
const DECOMPRESS_WORKER = `
const { workerData: w } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
(async () => {
  let reply;
  try {
    const decompress = require(w.decompress);
    const ttfs = [];
    // wawoff2 answers a view of its WebAssembly heap: copied before the next call reuses it.
    for (const f of w.files) ttfs.push((await decompress(readFileSync(f))).slice());
    reply = { ok: true, ttfs };
    w.port.postMessage(reply, ttfs.map((t) => t.buffer));
  } catch (err) {
    w.port.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
  Atomics.store(w.flag, 0, 1);
  Atomics.notify(w.flag, 0);
})();
`;

function startDecompress(slices: readonly Slice[]): { worker: Worker; port: MessagePort; flag: Int32Array } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const decompress = createRequire(import.meta.url).resolve('wawoff2/decompress.js');
  const worker = new Worker(DECOMPRESS_WORKER, {
    eval: true,
    workerData: { decompress, files: slices.map((s) => s.woff2), port: port2, flag },
    transferList: [port2],
    // Not the server's flags (an --inspect port, a profiler).
    execArgv: [],
  });
  return { worker, port: port1, flag };
}

function writeSlices(dir: string, slices: readonly Slice[], msg: DecompressReply): void {
  if (!msg.ok) throw new Error(`font conversion failed: ${msg.message}`);
  slices.forEach((s, i) => writeAtomic(sliceFile(dir, s), renameFamily(msg.ttfs[i], sliceFamily(s))));
  writeAtomic(path.join(dir, COMPLETE), `${slices.length} slices\n`);
}

/** Writes under a name of its own, then renames into place: readers see the old file or the whole new one. */
function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
