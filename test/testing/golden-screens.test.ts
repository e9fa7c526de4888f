/**
 * `termpool/testing`'s toMatchScreen, registered with vitest's expect.extend, against sessions of
 * a real server (the child process, driven by the typed client): a golden that matches, one that
 * does not (the diff's text, both pictures written and removed again by a later pass), writing
 * goldens (TERMPOOL_UPDATE_GOLDEN, a missing one by the runner's snapshot state, never under
 * 'none'), styles catching a colour-only change that text passes, and the accepted inputs.
 * Goldens live in a temp dir, never in the clone.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenMatchers, toMatchScreen, type MatcherContextLike, type ScreenMatcherResult, type ScreenMatchers } from '../../src/testing/index.js';
import { PNG_SIGNATURE } from '../render/png-decode.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

declare module 'vitest' {
  interface Matchers<T = any> extends ScreenMatchers<T> {}
}

expect.extend(screenMatchers);

let sp: ServerProcess;
let dir: string;
let red: string;
let blue: string;

/** A session printing two lines, the second in `sgr`, then idle. */
async function coloured(sgr: string): Promise<string> {
  const s = await sp.client.createSession({ command: 'sh', args: ['-c', `printf 'hello\\n\\033[${sgr}mcolour\\033[0m\\n'; exec sleep 60`], cols: 30, rows: 5 });
  expect((await sp.client.wait(s.id, { text: 'colour', stableMs: 100 })).satisfied).toBe(true);
  return s.id;
}

function golden(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The matcher called directly, as the runner would, with a chosen `this`. */
function call(ctx: MatcherContextLike, screen: unknown, file: string, opts = {}): ScreenMatcherResult {
  return toMatchScreen.call(ctx, screen, file, opts) as ScreenMatcherResult;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'termpool-golden-'));
  sp = await spawnServer();
  red = await coloured('31');
  blue = await coloured('34');
});

afterAll(async () => {
  await sp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('toMatchScreen: text goldens', () => {
  it('passes for a session whose screen equals the golden, as { client, session }, its JSON and its text', async () => {
    const file = golden('hello.txt', 'hello\ncolour\n');
    await expect({ client: sp.client, session: red }).toMatchScreen(file);
    expect(await sp.client.screen(red, { format: 'json' })).toMatchScreen(file);
    expect(await sp.client.screen(red)).toMatchScreen(file);
    expect(await sp.client.screenLines(red)).toMatchScreen(file);
    await expect({ client: sp.client, session: blue }).toMatchScreen(file);
  });

  it('fails with a line diff naming rows, writes both pictures, and a later pass removes them', async () => {
    const file = golden('changed.txt', 'hello\ncolor\nmore\n');
    const err = await expect({ client: sp.client, session: red }).toMatchScreen(file).then(() => null, (e: Error) => e);
    expect(err).not.toBeNull();
    const msg = err!.message;
    expect(msg).toContain(`screen differs from golden ${file} (- expected, + actual):`);
    expect(msg).toContain('  row 1 | hello\n- row 2 | color\n- row 3 | more\n+ row 2 | colour\n');
    const expectedPng = join(dir, 'changed.expected.png'), actualPng = join(dir, 'changed.actual.png');
    expect(msg).toContain(`pictures: ${expectedPng} (expected), ${actualPng} (actual)`);
    for (const p of [expectedPng, actualPng]) expect(readFileSync(p).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readFileSync(expectedPng).equals(readFileSync(actualPng))).toBe(false);
    writeFileSync(file, 'hello\ncolour\n');
    await expect({ client: sp.client, session: red }).toMatchScreen(file);
    expect(existsSync(expectedPng)).toBe(false);
    expect(existsSync(actualPng)).toBe(false);
  });

  it('.not passes for a different golden and fails for an equal one', async () => {
    expect(await sp.client.screen(red)).not.toMatchScreen(golden('other.txt', 'something else\n'));
    expect(() => expect(['hello', 'colour']).not.toMatchScreen(golden('same.txt', 'hello\ncolour\n'))).toThrow(/not to match golden/);
    expect(existsSync(join(dir, 'other.expected.png'))).toBe(false);
  });
});

describe('toMatchScreen: writing goldens', () => {
  it('TERMPOOL_UPDATE_GOLDEN=1 rewrites a differing golden and passes', async () => {
    const file = golden('update.txt', 'stale\n');
    const before = process.env['TERMPOOL_UPDATE_GOLDEN'];
    process.env['TERMPOOL_UPDATE_GOLDEN'] = '1';
    try {
      await expect({ client: sp.client, session: red }).toMatchScreen(file);
    } finally {
      if (before === undefined) delete process.env['TERMPOOL_UPDATE_GOLDEN'];
      else process.env['TERMPOOL_UPDATE_GOLDEN'] = before;
    }
    expect(readFileSync(file, 'utf8')).toBe('hello\ncolour\n');
  });

  it('a missing golden is written under the snapshot state \'new\' and fails under \'none\' (CI)', () => {
    const state = (expect.getState() as unknown as { snapshotState?: { _updateSnapshot?: unknown } }).snapshotState;
    expect(['new', 'none', 'all']).toContain(state?._updateSnapshot);
    const fresh = join(dir, 'sub', 'fresh.txt');
    const r = call({ snapshotState: { _updateSnapshot: 'new' } }, ['a', 'b', '', ''], fresh);
    expect(r.pass).toBe(true);
    expect(readFileSync(fresh, 'utf8')).toBe('a\nb\n');
    const missing = join(dir, 'missing.txt');
    const ci = call({ snapshotState: { _updateSnapshot: 'none' } }, ['a'], missing);
    expect(ci.pass).toBe(false);
    expect(ci.message()).toContain(`golden screen ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
    expect(call({ snapshotState: { _updateSnapshot: 'all' } }, ['a'], missing, { update: false }).pass).toBe(false);
  });

  it('vitest gives matchers the testPath and snapshot state read here', () => {
    let seen: MatcherContextLike = {};
    expect.extend({ spyContext(this: unknown) { seen = this as MatcherContextLike; return { pass: true, message: () => '' }; } });
    (expect(1) as unknown as { spyContext(): void }).spyContext();
    expect(seen.testPath).toBe(expect.getState().testPath);
    expect(seen.testPath?.endsWith('golden-screens.test.ts')).toBe(true);
    expect(['new', 'none', 'all']).toContain(seen.snapshotState?._updateSnapshot);
  });

  it('a relative file resolves against the test file\'s directory', () => {
    const r = call({ testPath: join(dir, 'nested', 'x.test.ts'), snapshotState: { _updateSnapshot: 'new' } }, 'rel\n', '__screens__/rel.txt');
    expect(r.pass).toBe(true);
    expect(readFileSync(join(dir, 'nested', '__screens__', 'rel.txt'), 'utf8')).toBe('rel\n');
  });
});

describe('toMatchScreen: styles', () => {
  it('catches a colour-only change that the text golden passes', async () => {
    const textFile = join(dir, 'text-only.txt');
    const styled = join(dir, 'styled.txt');
    await expect({ client: sp.client, session: red }).toMatchScreen(textFile, { update: true });
    await expect({ client: sp.client, session: red }).toMatchScreen(styled, { styles: true, update: true });
    expect(readFileSync(styled, 'utf8')).toBe('hello\ncolour\n~~~ termpool screen attributes (rows and columns count from 1)\n2:1-6 fg=red "colour"\n');
    await expect({ client: sp.client, session: blue }).toMatchScreen(textFile);
    await expect({ client: sp.client, session: red }).toMatchScreen(styled, { styles: true });
    const err = await expect({ client: sp.client, session: blue }).toMatchScreen(styled, { styles: true }).then(() => null, (e: Error) => e);
    expect(err?.message).toContain('-       | 2:1-6 fg=red "colour"\n+       | 2:1-6 fg=blue "colour"');
    expect(existsSync(join(dir, 'styled.actual.png'))).toBe(true);
  });

  it('records the cursor when asked, and refuses styles for text that has none', async () => {
    const file = join(dir, 'cursor.txt');
    await expect({ client: sp.client, session: red }).toMatchScreen(file, { cursor: true, update: true });
    expect(readFileSync(file, 'utf8')).toMatch(/\n~~~ termpool .*\ncursor 3:1\n$/);
    expect(() => expect('hello\n').toMatchScreen(file, { styles: true })).toThrow(/styles: true needs a ScreenSnapshot/);
    expect(() => expect(42).toMatchScreen(file)).toThrow(/toMatchScreen takes a ScreenSnapshot/);
  });
});
