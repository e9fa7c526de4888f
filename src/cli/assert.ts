/**
 * `termpool assert`: a session's screen, or a cast's, checked against a golden file — the
 * golden-screen check of `termpool/testing` for test runners other than Vitest and Jest.
 *
 * Exit status: 0 the screen matches (or the golden was written by --update), 1 it differs or the
 * golden is missing (the diff on stderr, both pictures written beside the golden), 2 usage or
 * input errors (bad flags, unreadable files, an unknown session, no server).
 * The CLI never writes a missing golden unless asked (--update or TERMPOOL_UPDATE_GOLDEN=1):
 * it runs where a test runner's notion of "a local run" does not exist.
 */
import { parseArgs } from 'node:util';
import type { ScreenSnapshot } from '../engine/index.js';
import { CliError, type Io } from './errors.js';

export const ASSERT_USAGE = `usage: termpool assert --golden FILE (--session ID [--url URL] [--token T] | --cast FILE [--at SECONDS])
                       [--styles] [--cursor] [--update]
  --golden FILE   the golden screen file to compare with (see README, "Golden screens")
  --session ID    a session of a running server: its screen now
  --url URL       that server (default: $TERMPOOL_URL)
  --token T       its bearer token (default: $TERMPOOL_TOKEN)
  --cast FILE     an asciicast v2 recording, replayed through the engine
  --at SECONDS    casts only: the screen at this time (default: the end)
  --styles        also compare colours and attributes (one line per styled run in the golden)
  --cursor        also compare the cursor's position and visibility
  --update        write the golden from the screen instead of comparing (also TERMPOOL_UPDATE_GOLDEN=1)
  -h, --help      show this help

exit status: 0 the screen matches (or --update wrote it), 1 it differs or the golden is missing
(a line diff on stderr; <name>.expected.png and <name>.actual.png written beside the golden),
2 usage or input error.
`;

interface AssertOptions {
  golden: string;
  session?: string;
  url?: string;
  token?: string;
  cast?: string;
  at?: number;
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
        update: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
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
  };
}

async function sessionSnapshot(o: AssertOptions): Promise<ScreenSnapshot> {
  const { TermpoolClient, TermpoolApiError } = await import('../client/index.js');
  const client = new TermpoolClient({ url: o.url!, ...(o.token !== undefined && { token: o.token }) });
  try {
    return await client.screen(o.session!, { format: 'json' });
  } catch (err) {
    if (err instanceof TermpoolApiError) throw new CliError(`assert: session ${o.session}: ${err.message}`);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`assert: cannot reach ${o.url}: ${cause ?? (err instanceof Error ? err.message : String(err))}`);
  }
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
  const snapshot = o.cast !== undefined ? await castSnapshot(o, io) : await sessionSnapshot(o);
  const { checkGolden, GoldenFileError, updateFromEnv } = await import('../testing/golden-check.js');
  const { goldenOfSnapshot } = await import('../testing/golden-format.js');
  let r;
  try {
    r = checkGolden({
      file: o.golden, snapshot, actual: goldenOfSnapshot(snapshot, { styles: o.styles, cursor: o.cursor }),
      update: o.update || updateFromEnv(env) ? 'all' : 'none',
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
