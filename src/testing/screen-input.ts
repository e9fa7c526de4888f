/**
 * What `toMatchScreen` and `checkScreen` accept as "a screen" — the things a test has in hand:
 *
 * - a ScreenSnapshot: `await tp.screen(id, { format: 'json' })` (or the engine's `snapshot()`);
 *   the only form that carries styles and the cursor;
 * - the text of a screen: `await tp.screen(id)` (one row a line);
 * - its rows: `await tp.screenLines(id)`;
 * - `{ client, session }`: a TermpoolClient and a session (its id, or the object createSession
 *   answered); the snapshot is fetched, so the assertion must be awaited.
 *
 * Anything else is refused with a message listing these.
 */
import type { ScreenSnapshot } from '../engine/index.js';
import { goldenOfSnapshot, trimLines, type GoldenOptions, type GoldenScreen } from './golden-format.js';

/** The one method of TermpoolClient used here (any client with it will do). */
export interface ScreenClient {
  screen(id: string, opts: { format: 'json' }): Promise<ScreenSnapshot>;
}

export interface LiveScreen {
  client: ScreenClient;
  session: string | { id: string };
}

export type ScreenLike = ScreenSnapshot | string | readonly string[] | LiveScreen;

export class ScreenInputError extends Error {}

const ACCEPTED = 'a ScreenSnapshot (client.screen(id, { format: \'json\' })), a screen\'s text (client.screen(id)), '
  + 'its lines (client.screenLines(id)), or { client, session }';

export function isLiveScreen(v: unknown): v is LiveScreen {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<LiveScreen>;
  return typeof (o.client as ScreenClient | undefined)?.screen === 'function'
    && (typeof o.session === 'string' || typeof (o.session as { id?: unknown } | undefined)?.id === 'string');
}

function isSnapshot(v: unknown): v is ScreenSnapshot {
  const o = v as Partial<ScreenSnapshot> | null;
  return typeof o === 'object' && o !== null && Array.isArray(o.lines) && typeof o.cols === 'number'
    && typeof o.rows === 'number' && Array.isArray(o.styles) && o.lines.every((l) => typeof l?.text === 'string' && Array.isArray(l.cells));
}

/** Fetches the snapshot of a live screen. */
export async function fetchSnapshot(live: LiveScreen): Promise<ScreenSnapshot> {
  const id = typeof live.session === 'string' ? live.session : live.session.id;
  return live.client.screen(id, { format: 'json' });
}

/**
 * What the golden records of an in-hand screen (not a LiveScreen: fetch it first), and the
 * snapshot when there is one. Styles and the cursor need a snapshot: text has lost them.
 */
export function goldenOf(screen: unknown, opts: GoldenOptions): { golden: GoldenScreen; snapshot?: ScreenSnapshot } {
  if (isSnapshot(screen)) return { golden: goldenOfSnapshot(screen, opts), snapshot: screen };
  let lines: string[];
  if (typeof screen === 'string') lines = screen.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  else if (Array.isArray(screen) && screen.every((l) => typeof l === 'string')) lines = [...(screen as string[])];
  else throw new ScreenInputError(`toMatchScreen takes ${ACCEPTED}; got ${describe(screen)}`);
  if (opts.styles || opts.cursor) {
    throw new ScreenInputError(`${opts.styles ? 'styles' : 'cursor'}: true needs a ScreenSnapshot (client.screen(id, { format: 'json' })) or { client, session }: text has no ${opts.styles ? 'styles' : 'cursor'}`);
  }
  return { golden: { lines: trimLines(lines) } };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array that is not all strings';
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 6).join(', ') || '(none)'}`;
  return typeof v;
}
