/**
 * The big-snapshot attack of issue 23, shared by test/hostile/snapshot-budget.test.ts and
 * bench/hostile.ts: a 500×200 session whose scrollback is full of incompressible text, and
 * clients that ask for all of it as JSON and then never read a byte.
 */
import net from 'node:net';

/** Anything with a base URL and a JSON `api` (a ServerProcess; a TestServer adapted). */
export interface SnapshotTarget {
  url: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `sh -c` arguments printing `lines` lines of `cols` random base64 characters, then `tail`, then idling. */
export const fillerArgs = (cols: number, lines: number, tail = ''): string[] =>
  ['-c', `base64 -w ${cols} /dev/urandom | head -n ${lines}; printf '${tail}'; exec sleep 1000`];

/** Polls until session `id` has `n` lines of scrollback, then waits out the quiet sweep (1 s: cold pages compressed). */
export async function scrollbackFilled(srv: SnapshotTarget, id: string, n: number): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const r = await srv.api('GET', `/v1/sessions/${id}/scrollback?count=0`);
    if ((r.body as { total: number }).total >= n) { await sleep(1500); return; }
    await sleep(100);
  }
  throw new Error(`scrollback never reached ${n} lines`);
}

/** A `cols`×200 session with `lines` lines of output (scrollback `lines` − 200 + …), filled and quiet. */
export async function bigSession(srv: SnapshotTarget, lines: number, cols = 500): Promise<string> {
  const r = await srv.api('POST', '/v1/sessions', { command: 'sh', args: fillerArgs(cols, lines), cols, rows: 200 });
  if (r.status !== 201) throw new Error(`big session: ${r.status} ${JSON.stringify(r.body)}`);
  const id = (r.body as { id: string }).id;
  await scrollbackFilled(srv, id, Math.min(lines - 200, 10_000));
  return id;
}

/** Opens `n` connections that send `GET path` and never read a byte (destroy them when done). */
export function nonReaders(url: string, path: string, n: number): net.Socket[] {
  const { port } = new URL(url);
  return Array.from({ length: n }, () => {
    const sock = net.connect(Number(port), '127.0.0.1');
    sock.on('error', () => { /* destroyed by the caller */ });
    sock.pause();
    sock.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
    return sock;
  });
}

/**
 * Like `nonReaders`, but one after the other, each once its answer has begun: resolves with `n`
 * connections that each hold a streamed read (the server's copy with it) and read no further.
 * Rejects when an answer is not a 200 (e.g. a 429 because the budget was already taken).
 *
 * NOTE: opened all at once, the reads race whatever else the test sends: on a loaded machine a
 * later read can be served first, take a share of the budget, and leave one of these a 429,
 * which holds nothing. That made the copies-budget test flaky under the full suite.
 */
export async function holdingReaders(url: string, path: string, n: number): Promise<net.Socket[]> {
  const { port } = new URL(url);
  const socks: net.Socket[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const sock = net.connect(Number(port), '127.0.0.1');
      socks.push(sock);
      const head = await new Promise<string>((resolve, reject) => {
        sock.once('error', reject);
        // The first piece only (the status line and some of the body), then no more reads.
        sock.once('data', (d: Buffer) => { sock.pause(); resolve(d.toString('latin1', 0, 2000)); });
        sock.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
      });
      sock.on('error', () => { /* destroyed by the caller */ });
      if (!head.startsWith('HTTP/1.1 200')) throw new Error(`read ${i + 1} of ${n} was not held: ${head.slice(0, 400)}`);
    }
    return socks;
  } catch (err) {
    for (const s of socks) s.destroy();
    throw err;
  }
}

/**
 * The attack: `clients` connections ask for session `id`'s whole scrollback as JSON and do not
 * read for `holdMs`; then one client reads the whole answer. Resolves with that answer's status
 * and size.
 */
export async function nonReadingSnapshots(srv: SnapshotTarget, id: string, clients = 6, holdMs = 10_000): Promise<{ status: number; bytes: number }> {
  const path = `/v1/sessions/${id}/screen?format=json&scrollback=1000000`;
  const socks = nonReaders(srv.url, path, clients);
  try {
    await sleep(holdMs);
  } finally {
    for (const s of socks) s.destroy();
  }
  // Counted as it arrives, not gathered: 174 MB in this process would stall its own bystander.
  const r = await fetch(srv.url + path);
  let bytes = 0;
  for await (const chunk of r.body ?? []) bytes += (chunk as Uint8Array).byteLength;
  return { status: r.status, bytes };
}
