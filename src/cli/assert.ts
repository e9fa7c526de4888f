/**
 * `termpool assert`: a session's screen, or a cast's, checked against a golden file — the
 * golden-screen check of `termpool/testing` for test runners other than Vitest and Jest.
 *
 * Exit status: 0 the screen matches (or the golden was written by --update), 1 it differs or the
 * golden is missing (the diff on stderr, both pictures written beside the golden), 2 usage or
 * input errors (bad flags, unreadable files, an unknown session, no server).
 * The CLI never writes a missing golden unless asked (--update or TERMPOOL_UPDATE_GOLDEN=1):
 * it runs where a test runner's notion of "a local run" does not exist.
 *
 * --wait MS (sessions): the screen may still be on its way, so the check waits for it instead of
 * the test runner sleeping: one server-side /wait for the golden's text rows, then (for what text
 * alone does not show: styles, the cursor, rows around it) the screen re-read with its ETag, a
 * 304 costing nothing, until it matches or the time is up — then the diff, as without --wait.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ScreenSnapshot } from '../engine/index.js';
import { CliError, type Io } from './errors.js';

export const ASSERT_USAGE = `usage: termpool assert --golden FILE (--session ID [--url URL] [--token T] | --cast FILE [--at SECONDS])
                       [--wait MS] [--styles] [--cursor] [--update]
  --golden FILE   the golden screen file to compare with (see README, "Golden screens")
  --session ID    a session of a running server: its screen now
  --url URL       that server (default: $TERMPOOL_URL)
  --token T       its bearer token (default: $TERMPOOL_TOKEN)
  --cast FILE     an asciicast v2 recording, replayed through the engine
  --at SECONDS    casts only: the screen at this time (default: the end)
  --wait MS       sessions only: wait up to MS milliseconds for the screen to match (then the diff);
                  not used when updating
  --styles        also compare colours and attributes (one line per styled run in the golden)
  --cursor        also compare the cursor's position and visibility
  --update        write the golden from the screen instead of comparing (also TERMPOOL_UPDATE_GOLDEN=1)
  -h, --help      show this help

exit status: 0 the screen matches (or --update wrote it), 1 it differs or the golden is missing
(a line diff on stderr; <name>.expected.png and <name>.actual.png written beside the golden),
2 usage or input error.
`;

/** The longest --wait: the server's own longest /wait. */
const MAX_WAIT_MS = 600_000;
/** /wait's longest text; a golden with more text is followed by ETag reads alone. */
const MAX_WAIT_TEXT = 65_536;
/** Between two ETag reads once the golden's text is on screen but the rest is not yet. */
const POLL_MS = 100;

interface AssertOptions {
  golden: string;
  session?: string;
  url?: string;
  token?: string;
  cast?: string;
  at?: number;
  /** Sessions: how long the screen may take to match, in ms. */
  wait?: number;
  styles: boolean;
  cursor: boolean;
  update: boolean;
}

export function parseAssertArgs(args: readonly string[], env: NodeJS.ProcessEnv): AssertOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        golden: { type: 'string' }, session: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' },
        cast: { type: 'string' }, at: { type: 'string' }, styles: { type: 'boolean' }, cursor: { type: 'boolean' },
        update: { type: 'boolean' }, wait: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split(/\.\s/)[0]!;
    throw new CliError(`assert: ${msg}`);
  }
  if (values.help) return null;
  if (values.golden === undefined) throw new CliError('assert: missing --golden FILE');
  if ((values.session === undefined) === (values.cast === undefined)) throw new CliError('assert: give one of --session ID or --cast FILE');
  if (values.cast !== undefined && (values.url !== undefined || values.token !== undefined)) throw new CliError('assert: --url and --token go with --session, not --cast');
  if (values.at !== undefined && values.cast === undefined) throw new CliError('assert: --at goes with --cast');
  let at: number | undefined;
  if (values.at !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(values.at)) throw new CliError(`assert: --at must be a number of seconds >= 0, got '${values.at}'`);
    at = Number(values.at);
  }
  let wait: number | undefined;
  if (values.wait !== undefined) {
    if (values.session === undefined) throw new CliError('assert: --wait goes with --session (a cast does not change)');
    if (!/^\d+$/.test(values.wait) || Number(values.wait) > MAX_WAIT_MS) throw new CliError(`assert: --wait must be milliseconds from 0 to ${MAX_WAIT_MS}, got '${values.wait}'`);
    wait = Number(values.wait);
  }
  const url = values.url ?? env['TERMPOOL_URL'];
  if (values.session !== undefined) {
    if (url === undefined || url === '') throw new CliError('assert: --session needs --url URL (or TERMPOOL_URL)');
    if (!/^https?:\/\/[^/]/.test(url)) throw new CliError(`assert: --url must be an http(s) URL (got '${url}')`);
  }
  const token = values.token ?? env['TERMPOOL_TOKEN'];
  return {
    golden: values.golden, styles: values.styles ?? false, cursor: values.cursor ?? false, update: values.update ?? false,
    ...(values.session !== undefined && { session: values.session, url: url! }),
    ...(values.session !== undefined && token !== undefined && token !== '' && { token }),
    ...(values.cast !== undefined && { cast: values.cast }),
    ...(at !== undefined && { at }),
    ...(wait !== undefined && { wait }),
  };
}

async function sessionClient(o: AssertOptions) {
  const { TermpoolClient, TermpoolApiError } = await import('../client/index.js');
  const client = new TermpoolClient({ url: o.url!, ...(o.token !== undefined && { token: o.token }) });
  const refused = (err: unknown): never => {
    if (err instanceof TermpoolApiError) throw new CliError(`assert: session ${o.session}: ${err.message}`);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`assert: cannot reach ${o.url}: ${cause ?? (err instanceof Error ? err.message : String(err))}`);
  };
  return { client, refused };
}

async function sessionSnapshot(o: AssertOptions): Promise<ScreenSnapshot> {
  const { client, refused } = await sessionClient(o);
  try {
    return await client.screen(o.session!, { format: 'json' });
  } catch (err) { return refused(err); }
}

/**
 * The session's screen once it matches `expected` (a normalized golden), or the last one read when
 * `o.wait` ms pass first. `actual` formats a screen as the golden records it.
 */
async function awaitedSnapshot(o: AssertOptions, expected: string, actual: (s: ScreenSnapshot) => string): Promise<ScreenSnapshot> {
  const { client, refused } = await sessionClient(o);
  const id = o.session!;
  const deadline = Date.now() + o.wait!;
  let snap!: ScreenSnapshot;
  let etag: string | undefined;
  /** Reads the screen unless it is the one already read (304); true when it changed. */
  const read = async (): Promise<boolean> => {
    const r = await client.screenIfChanged(id, { format: 'json', ...(etag !== undefined && { ifNoneMatch: etag }) });
    if (r.notModified) return false;
    snap = r.body as ScreenSnapshot;
    etag = r.etag;
    return true;
  };
  try {
    await read();
    if (actual(snap) === expected) return snap;
    // The golden's text rows, as /wait matches text: rows right-trimmed, joined by \n.
    const lines = expected.replace(/\n$/, '').split('\n');
    const header = lines.findIndex((l) => l.startsWith('~~~ termpool'));
    const text = (header < 0 ? lines : lines.slice(0, header)).join('\n').replace(/\n+$/, '');
    if (text.trim() !== '' && text.length <= MAX_WAIT_TEXT) {
      const w = await client.wait(id, { text, timeoutMs: Math.max(0, deadline - Date.now()) });
      if (await read() && actual(snap) === expected) return snap;
      if (!w.satisfied) return snap; // timed out, or the program exited: the diff as it is
    }
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, deadline - Date.now())));
      if (await read() && actual(snap) === expected) return snap;
    }
    return snap;
  } catch (err) { return refused(err); }
}

async function castSnapshot(o: AssertOptions, io: Io): Promise<ScreenSnapshot> {
  const { renderSnapshot } = await import('./render.js');
  try {
    return await renderSnapshot({ file: o.cast!, format: 'text', ...(o.at !== undefined && { at: o.at }) }, io);
  } catch (err) {
    if (err instanceof CliError) throw new CliError(err.message.replace(/^render:/, 'assert:'), err.exitCode);
    throw err;
  }
}

export async function runAssert(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const o = parseAssertArgs(args, env);
  if (o === null) {
    io.stdout.write(ASSERT_USAGE);
    return 0;
  }
  const { checkGolden, GoldenFileError, updateFromEnv } = await import('../testing/golden-check.js');
  const { formatGolden, goldenOfSnapshot, normalizeGolden } = await import('../testing/golden-format.js');
  const updating = o.update || updateFromEnv(env);
  const goldenText = (s: ScreenSnapshot): string => formatGolden(goldenOfSnapshot(s, { styles: o.styles, cursor: o.cursor }));
  // Waiting needs a golden to wait for: a missing or unreadable one is reported by the check below at once.
  const expected = o.wait !== undefined && !updating ? readGoldenText(o.golden) : null;
  const snapshot = o.cast !== undefined ? await castSnapshot(o, io)
    : expected !== null ? await awaitedSnapshot(o, normalizeGolden(expected), goldenText)
    : await sessionSnapshot(o);
  let r;
  try {
    r = checkGolden({
      file: o.golden, snapshot, actual: goldenOfSnapshot(snapshot, { styles: o.styles, cursor: o.cursor }),
      update: updating ? 'all' : 'none',
    });
  } catch (err) {
    if (err instanceof GoldenFileError) throw new CliError(`assert: ${err.message}`);
    throw err;
  }
  if (r.pass) {
    if (r.written) io.stderr.write(`termpool: ${r.message}\n`);
    return 0;
  }
  io.stderr.write(`${r.message}\n`);
  return 1;
}

function readGoldenText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
