/**
 * `termpool render --format gif|apng|svg --animate` through the real CLI: the GIF decodes to the
 * frames the engine gives for the cast (count, size, delays), the SVG is the animated one (a plain
 * --format svg stays the one-moment screenshot), bad flags exit 2 naming the flag.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { castFrames } from '../../src/render/animation/index.js';
import { decodeGif } from './gif-decode.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'termpool-anim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const CAST = ['{"version": 3, "term": {"cols": 20, "rows": 3}}', '[0.1, "o", "hello"]', '[0.5, "o", " world\\r\\n"]', '[8, "o", "late"]', ''].join('\n');

describe('termpool render: animations', () => {
  const file = join(dir, 'a.cast');
  writeFileSync(file, CAST);

  it('--format gif writes the frames the engine gives; --idle-time-limit cuts the pause', () => {
    const out = join(dir, 'a.gif');
    const r = cli(['render', '--format', 'gif', '--idle-time-limit', '1', file, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const gif = decodeGif(readFileSync(out));
    const frames = castFrames(CAST, { maxCols: 500, maxRows: 200, maxFrames: 100, idleTimeLimit: 1 });
    expect([gif.width, gif.height, gif.frames.length]).toEqual([160, 48, frames.length]);
    expect(gif.frames.map((f) => f.delayCs)).toEqual([10, 50, 100, 300]); // v3 intervals: 0.1, 0.6, then 8 s cut to 1
  });

  it('--format svg --animate is the animated SVG; --format svg alone the screenshot', () => {
    const anim = cli(['render', '--format', 'svg', '--animate', '--theme', 'monokai', file]);
    expect(anim.status, anim.stderr).toBe(0);
    expect(anim.stdout).toContain('@keyframes play');
    const still = cli(['render', '--format', 'svg', file]);
    expect(still.status).toBe(0);
    expect(still.stdout).not.toContain('@keyframes');
  });

  it('bad flags exit 2 naming them', () => {
    for (const [args, word] of [[['--speed', '0'], '--speed'], [['--theme', 'nope'], '--theme'], [['--fps', '99'], '--fps'],
      [['--start', '3', '--end', '1'], '--end'], [['--at', '1'], '--at']] as const) {
      const r = cli(['render', '--format', 'gif', ...args, file, '-o', join(dir, 'x.gif')]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(word);
    }
    const bad = join(dir, 'bad.cast');
    writeFileSync(bad, '{"version": 2, "width": 5, "height": 2}\n[1, "o"\n');
    const r = cli(['render', '--format', 'apng', bad, '-o', join(dir, 'x.png')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('line 2');
  });
});
