/**
 * `termpool render --format gif|apng in.cast -o out.gif` (and `--format svg --animate`): an
 * asciicast v2 or v3 replayed into an animated GIF, APNG or SVG (src/render/animation), with
 * asciinema's --idle-time-limit, --speed, a --start/--end cut in the recording's seconds,
 * --theme, --font-size, --fps and --no-cursor. render.ts hands the arguments here when they ask
 * for an animation; flag errors exit 2 naming the flag.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CastError } from '../cast/index.js';
import { MAX_COLS, MAX_ROWS } from '../engine/index.js';
import { CliError, type Io } from './errors.js';
import { writeResult } from './screen-output.js';

export const ANIMATION_USAGE = `animations (asciicast input):
  --format gif|apng   an animated image of the whole recording; --format svg --animate: an animated SVG
  --idle-time-limit S pauses longer than S seconds are cut to S (default: the header's idle_time_limit)
  --speed X           playback speed (default 1)
  --start S --end S   the part of the recording to show, in its seconds
  --theme NAME        xterm (default), solarized-dark, solarized-light, dracula, monokai
  --font-size PX      6..48 (default 14: 8x16 px cells)
  --fps N             frames per second at most, 1..30 (default 10)
  --no-cursor         do not draw the cursor
`;

/** True when `args` ask render for an animation. */
export function wantsAnimation(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--animate') return true;
    const f = a === '--format' ? args[i + 1] : a.startsWith('--format=') ? a.slice(9) : undefined;
    if (f === 'gif' || f === 'apng') return true;
  }
  return false;
}

function num(name: string, raw: string | undefined, min: number, max: number, int = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max) || (int && !Number.isInteger(n))) {
    throw new CliError(`render: --${name} must be ${int ? 'an integer' : 'a number'} from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

export async function runRenderAnimation(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, strict: true, allowPositionals: true,
      options: {
        format: { type: 'string' }, out: { type: 'string', short: 'o' }, animate: { type: 'boolean' },
        cols: { type: 'string' }, rows: { type: 'string' }, at: { type: 'string' },
        'idle-time-limit': { type: 'string' }, speed: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
        theme: { type: 'string' }, 'font-size': { type: 'string' }, fps: { type: 'string' }, 'no-cursor': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new CliError(`render: ${((err as Error).message.split(/\.\s/)[0] ?? '').replace(/\.$/, '')}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    io.stdout.write(ANIMATION_USAGE);
    return 0;
  }
  const anim = await import('../render/animation/index.js');
  const format = v.format ?? 'gif';
  if (format !== 'gif' && format !== 'apng' && format !== 'svg') throw new CliError(`render: --animate needs --format gif, apng or svg; got '${format}'`);
  if (v.at !== undefined) throw new CliError('render: --at picks one screen; an animation takes --start and --end');
  if (v.theme !== undefined && !(anim.THEME_NAMES as string[]).includes(v.theme)) throw new CliError(`render: --theme must be one of ${anim.THEME_NAMES.join(', ')}; got '${v.theme}'`);
  const start = num('start', v.start, 0, 1e9), end = num('end', v.end, 0, 1e9);
  if (start !== undefined && end !== undefined && end <= start) throw new CliError(`render: --end (${end}) must be after --start (${start})`);
  const opts = {
    format, maxCols: MAX_COLS, maxRows: MAX_ROWS,
    ...(v.cols !== undefined && { cols: num('cols', v.cols, 1, MAX_COLS, true) }),
    ...(v.rows !== undefined && { rows: num('rows', v.rows, 1, MAX_ROWS, true) }),
    ...(v['idle-time-limit'] !== undefined && { idleTimeLimit: num('idle-time-limit', v['idle-time-limit'], 0.001, 86_400) }),
    ...(v.speed !== undefined && { speed: num('speed', v.speed, 0.05, 100) }),
    ...(start !== undefined && { start }), ...(end !== undefined && { end }),
    ...(v.theme !== undefined && { theme: v.theme as import('../render/animation/index.js').ThemeName }),
    ...(v['font-size'] !== undefined && { fontSize: num('font-size', v['font-size'], 6, 48, true) }),
    ...(v.fps !== undefined && { fps: num('fps', v.fps, 1, 30, true) }),
    ...(v['no-cursor'] === true && { cursor: false }),
  } as import('../render/animation/index.js').AnimationOptions;
  if (positionals.length !== 1) throw new CliError(`render: expected one FILE (an asciicast; '-' for stdin), got ${positionals.length}`);
  const file = positionals[0] as string;
  if (format !== 'svg' && (v.out === undefined || v.out === '-') && (io.stdout as { isTTY?: boolean }).isTTY) {
    throw new CliError(`render: refusing to write ${format.toUpperCase()} bytes to a terminal; use --out FILE or redirect stdout`);
  }
  let text: string;
  try {
    if (file === '-') {
      const parts: Buffer[] = [];
      for await (const c of io.stdin) parts.push(typeof c === 'string' ? Buffer.from(c) : c as Buffer);
      text = Buffer.concat(parts).toString('utf8');
    } else {
      text = await readFile(file, 'utf8');
    }
  } catch (err) {
    throw new CliError(`render: cannot read '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let body: string | Uint8Array;
  try {
    body = anim.renderAnimation(text, opts).body;
  } catch (err) {
    if (err instanceof CastError) throw new CliError(`render: '${file}' is not a valid asciicast: ${err.message}`);
    if (err instanceof anim.AnimationBudgetError) throw new CliError(`render: ${err.message}`);
    throw err;
  }
  await writeResult('render', io, v.out, typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  return 0;
}
