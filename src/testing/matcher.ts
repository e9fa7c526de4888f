/**
 * `expect(screen).toMatchScreen(file, opts)` for Vitest and Jest, through the matcher contract
 * both share: `this` has `isNot`, `testPath` and `snapshotState`, and the matcher answers
 * `{ pass, message }` — nothing else of either framework is used, so neither is imported.
 *
 * Where the golden is: `file` relative to the test file's directory (`this.testPath`), or
 * absolute. When it is written — see golden-check.ts's update modes — taken, in order, from
 * `opts.update`, TERMPOOL_UPDATE_GOLDEN, the runner's snapshot state (`-u` = 'all'; 'new'
 * locally; 'none' under CI), and, outside a runner, the CI environment variable.
 * `.not.toMatchScreen` only compares: it never writes a golden or a picture.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkGolden, updateFromEnv, type UpdateMode } from './golden-check.js';
import { formatGolden, normalizeGolden, type GoldenOptions } from './golden-format.js';
import { fetchSnapshot, goldenOf, isLiveScreen } from './screen-input.js';

export interface MatchScreenOptions extends GoldenOptions {
  /** true: rewrite the golden whatever it holds; false: never write one (default: see above). */
  update?: boolean;
}

/** The part of Vitest's and Jest's matcher `this` used here. */
export interface MatcherContextLike {
  isNot?: boolean;
  testPath?: string;
  snapshotState?: { _updateSnapshot?: unknown; testFilePath?: unknown };
}

export interface ScreenMatcherResult {
  pass: boolean;
  message(): string;
}

/**
 * The matcher's types, to merge into the runner's:
 *   declare module 'vitest' { interface Matchers<T = any> extends ScreenMatchers<T> {} }
 *   declare global { namespace jest { interface Matchers<R> extends ScreenMatchers<R> {} } }
 */
export interface ScreenMatchers<R = unknown> {
  /**
   * The screen equals the golden file (text; `styles`/`cursor` also compare those). Typed as a
   * promise: await it (it is one for `{ client, session }`; awaiting a screen in hand is harmless).
   */
  toMatchScreen(file: string, opts?: MatchScreenOptions): Promise<R>;
}

function updateMode(ctx: MatcherContextLike | undefined, opts: MatchScreenOptions): UpdateMode {
  if (opts.update !== undefined) return opts.update ? 'all' : 'none';
  if (updateFromEnv()) return 'all';
  const state = ctx?.snapshotState?._updateSnapshot;
  if (state === 'all' || state === 'new' || state === 'none') return state;
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false' ? 'none' : 'new';
}

function goldenPath(ctx: MatcherContextLike | undefined, file: string): string {
  if (path.isAbsolute(file)) return file;
  const testPath = ctx?.testPath ?? (typeof ctx?.snapshotState?.testFilePath === 'string' ? ctx.snapshotState.testFilePath : undefined);
  return path.resolve(testPath ? path.dirname(testPath) : process.cwd(), file);
}

function match(ctx: MatcherContextLike | undefined, screen: unknown, file: string, opts: MatchScreenOptions): ScreenMatcherResult {
  if (typeof file !== 'string' || file === '') throw new TypeError('toMatchScreen(file): file must be the golden file\'s path');
  const abs = goldenPath(ctx, file);
  const { golden, snapshot } = goldenOf(screen, opts);
  if (ctx?.isNot) {
    // `.not`: compare only; `pass` true makes the runner fail the negated assertion.
    let same = false;
    try { same = normalizeGolden(readFileSync(abs, 'utf8')) === formatGolden(golden); } catch { same = false; }
    return { pass: same, message: () => `expected the screen not to match golden ${abs}, but it does` };
  }
  const r = checkGolden({ file: abs, actual: golden, update: updateMode(ctx, opts), ...(snapshot && { snapshot }) });
  return { pass: r.pass, message: () => r.message };
}

/**
 * The matcher: `expect.extend({ toMatchScreen })`, or `expect.extend(screenMatchers)`.
 * Synchronous for a screen in hand; a promise (await the assertion) for `{ client, session }`.
 */
export function toMatchScreen(this: unknown, received: unknown, file: string, opts: MatchScreenOptions = {}): ScreenMatcherResult | Promise<ScreenMatcherResult> {
  // `unknown`: each runner's own state type must be assignable; only MatcherContextLike's fields are read.
  const ctx = (typeof this === 'object' && this !== null ? this : undefined) as MatcherContextLike | undefined;
  if (isLiveScreen(received)) return fetchSnapshot(received).then((snap) => match(ctx, snap, file, opts));
  return match(ctx, received, file, opts);
}

export const screenMatchers = { toMatchScreen };
