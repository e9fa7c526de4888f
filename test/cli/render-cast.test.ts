/**
 * `termpool render` on asciicast v2 and v3 files: detection (by name and by header), --at, resize
 * events, PNG/SVG output to --out, and exit 2 with the line for malformed casts. Spawns the
 * real CLI (bin shim → dist/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../render/png-decode.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
const file = (name: string, data: string): string => { const p = join(dir, name); writeFileSync(p, data); return p; };
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'termpool-cast-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const CAST = [
  '{"version": 2, "width": 12, "height": 3, "timestamp": 1700000000, "env": {"TERM": "xterm-256color"}}',
  '[0.25, "o", "$ "]',
  '[1.0, "i", "ls\\r"]',
  '[1.1, "o", "ls\\r\\nfile.txt\\r\\n$ "]',
  '[2.0, "r", "8x2"]',
  '[3.5, "o", "\\u001b[2J\\u001b[Hcleared"]',
  '',
].join('\n');

describe('CLI: render a .cast', () => {
  it('replays to the end by default, with the resize from the cast', () => {
    const r = cli(['render', file('a.cast', CAST)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('cleared\n\n');
  });

  it('--at gives the screen at two different moments', () => {
    const p = file('b.cast', CAST);
    const early = cli(['render', '--at', '0.5', p]);
    const later = cli(['render', '--at', '1.5', p]);
    expect(early.stdout).toBe('$\n\n\n');
    expect(later.stdout).toBe('$ ls\nfile.txt\n$\n');
    expect(early.stdout).not.toBe(later.stdout);
  });

  it('renders the same cast as v3 (term header, interval times, a comment, the exit event) identically', () => {
    const v3 = [
      '{"version": 3, "term": {"cols": 12, "rows": 3, "type": "xterm-256color"}, "timestamp": 1700000000}',
      '# intervals: 0.25, 1.0, 1.1, 2.0, 3.5 from the start',
      '[0.25, "o", "$ "]',
      '[0.75, "i", "ls\\r"]',
      '[0.1, "o", "ls\\r\\nfile.txt\\r\\n$ "]',
      '[0.9, "r", "8x2"]',
      '[1.5, "o", "\\u001b[2J\\u001b[Hcleared"]',
      '[0.2, "x", "0"]',
      '',
    ].join('\n');
    const p = file('v3.cast', v3);
    const v2 = file('v2-of-v3.cast', CAST);
    for (const at of ['0.5', '1.5', undefined]) {
      const args = at === undefined ? [] : ['--at', at];
      const a = cli(['render', ...args, p]);
      expect(a.stderr).toBe('');
      expect(a.status).toBe(0);
      expect(a.stdout).toBe(cli(['render', ...args, v2]).stdout);
    }
    expect(cli(['render', '--at', '1.5', '-'], v3).stdout).toBe('$ ls\nfile.txt\n$\n');
  });

  it('detects a cast by its header line on stdin or under another name', () => {
    expect(cli(['render', '--at', '1.5', '-'], CAST).stdout).toBe('$ ls\nfile.txt\n$\n');
    expect(cli(['render', '--at', '1.5', '--format', 'json', file('c.txt', CAST)]).stdout).toContain('"cols":12');
  });

  it('writes PNG (size from the header: 12×3 cells of 8×16 px) and SVG to --out', () => {
    const png = join(dir, 'shot.png');
    const r = cli(['render', '--at', '1.5', '--format', 'png', '--out', png, file('d.cast', CAST)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const bytes = readFileSync(png);
    const img = decodePng(bytes);
    expect([img.width, img.height]).toEqual([96, 48]);
    const svg = join(dir, 'shot.svg');
    expect(cli(['render', '--format', 'svg', '--out', svg, '--cols', '20', join(dir, 'd.cast')]).status).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg [^>]*width="64"/); // the resize event (8 columns) wins over --cols
    expect(text).toContain('cleared');
  });

  it.each([
    ['{"version": 2, "width": 12, "height": 3}\n[0.1, "o", "a"]\n[0.2, "o", ]\n', /line 3: not valid JSON/],
    ['{"version": 1, "width": 12, "height": 3}\n', /line 1: unsupported asciicast version 1: versions 2 and 3 are supported/],
    ['{"version": 3, "width": 12, "height": 3}\n', /line 1: an asciicast v3 header needs a "term" object/],
    ['{"version": 3, "term": {"cols": 12, "rows": 3}}\n[0.1, "o", "a"]\n[-1, "o", "b"]\n', /line 3: the event interval must be a number of seconds >= 0/],
    ['{"version": 2, "height": 3}\n', /line 1: the header's "width" must be a positive integer/],
    ['{"version": 2, "width": 12, "height": 3}\n[0.1, "r", "x"]\n', /line 2: a resize event's data must be "COLSxROWS"/],
    ['', /the input is empty/],
  ])('malformed cast %# exits 2 naming the problem', (text, msg) => {
    const r = cli(['render', file('bad.cast', text)]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--at on raw output and a bad --at are usage errors', () => {
    expect(cli(['render', '--at', '1', file('raw.vt', 'hi')]).status).toBe(2);
    const r = cli(['render', '--at', 'soon', join(dir, 'a.cast')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--at must be a number');
  });
});
