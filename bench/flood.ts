/**
 * Flood: N bytes of output (base64 of /dev/urandom, 76-column lines) into one session of a real
 * server process, sampling the session's page count and the server's RSS while it runs. Memory
 * must be bounded by the scrollback cap: once the scrollback is full the page count stops
 * growing and RSS stays flat however many bytes follow.
 *
 *   npm run flood -- [--mb 1000] [--scrollback 10000]      (default: 1 GB, like issue 6)
 *
 * test/hostile/faults.test.ts runs the same function with ~100 MB.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { spawnServer, type ServerProcess } from '../test/helpers/server-process.js';

export interface FloodResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  /** Page count once the scrollback first filled, and its maximum / final value afterwards. */
  pagesWhenFull: number;
  pagesMaxAfterFull: number;
  pagesFinal: number;
  scrollbackLength: number;
  rssStart: number;
  /** Highest RSS seen after the scrollback filled (first 10 % of the run excluded). */
  rssPeakAfterFull: number;
  rssPeak: number;
  rssEnd: number;
  samples: number;
}

/** Floods one new session of `server` with `bytes` of base64 and samples until it exits. */
export async function runFlood(server: ServerProcess, bytes: number, opts: { scrollback?: number; onSample?: (s: string) => void } = {}): Promise<FloodResult> {
  const raw = Math.ceil((bytes * 3) / 4 / 57) * 57; // base64 -w76 turns 57 input bytes into 77 output bytes
  const created = await server.api('POST', '/v1/sessions', {
    command: 'bash',
    args: ['-c', `head -c ${raw} /dev/urandom | base64; echo flood-done`],
    ...(opts.scrollback !== undefined && { scrollback: opts.scrollback }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const limit = created.body.scrollback as number;
  const rssStart = server.rss();
  const t0 = Date.now();
  let pagesWhenFull = -1;
  let pagesMaxAfterFull = 0;
  let rssPeak = rssStart;
  let rssPeakAfterFull = 0;
  let samples = 0;
  let info: any;
  for (;;) {
    const r = await server.api('GET', `/v1/sessions/${id}`);
    info = r.body;
    const rss = server.rss();
    samples++;
    rssPeak = Math.max(rssPeak, rss);
    const full = info.scrollbackLength >= limit;
    if (full && pagesWhenFull < 0) pagesWhenFull = info.pageCount;
    if (full && info.bytesParsed > bytes * 0.1) {
      pagesMaxAfterFull = Math.max(pagesMaxAfterFull, info.pageCount);
      rssPeakAfterFull = Math.max(rssPeakAfterFull, rss);
    }
    opts.onSample?.(`${((Date.now() - t0) / 1000).toFixed(1)}s ${(info.bytesParsed / 1e6).toFixed(0)} MB parsed, ${info.pageCount} pages, scrollback ${info.scrollbackLength}, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    if (info.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - t0) / 1000;
  const result: FloodResult = {
    bytes: info.bytesParsed,
    seconds,
    mbPerSecond: info.bytesParsed / 1e6 / seconds,
    pagesWhenFull,
    pagesMaxAfterFull,
    pagesFinal: info.pageCount,
    scrollbackLength: info.scrollbackLength,
    rssStart,
    rssPeakAfterFull,
    rssPeak,
    rssEnd: server.rss(),
    samples,
  };
  await server.api('DELETE', `/v1/sessions/${id}`);
  return result;
}

const MiB = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

export function formatFlood(r: FloodResult): string {
  return [
    `flood: ${(r.bytes / 1e6).toFixed(0)} MB in ${r.seconds.toFixed(1)} s (${r.mbPerSecond.toFixed(1)} MB/s through pty + engine)`,
    `pages: ${r.pagesWhenFull} when the scrollback filled, max ${r.pagesMaxAfterFull} after, ${r.pagesFinal} at the end (scrollback ${r.scrollbackLength} lines)`,
    `server RSS: ${MiB(r.rssStart)} at start, peak ${MiB(r.rssPeak)} (${MiB(r.rssPeakAfterFull)} after the scrollback filled), ${MiB(r.rssEnd)} at the end; ${r.samples} samples`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '1000' }, scrollback: { type: 'string' }, quiet: { type: 'boolean', default: false } } });
  const mb = Number(values.mb);
  if (!(mb > 0)) throw new Error(`--mb must be a positive number, got '${values.mb}'`);
  const server = await spawnServer({ TERMPOOL_LOG_LEVEL: 'warn', ...(values.scrollback !== undefined && { TERMPOOL_SCROLLBACK: values.scrollback }) });
  try {
    let last = 0;
    const r = await runFlood(server, mb * 1e6, {
      onSample: (s) => { if (!values.quiet && Date.now() - last > 2000) { last = Date.now(); process.stderr.write(s + '\n'); } },
    });
    process.stdout.write(formatFlood(r) + '\n');
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => { process.stderr.write(`flood: ${err instanceof Error ? err.message : String(err)}\n`); process.exit(1); });
}
