/**
 * End-to-end tests for `termpool render`: spawn the real CLI (bin shim → dist/, built by
 * test/global-setup.ts) and check stdout, stderr and the exit status exactly.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string | Uint8Array): Result {
  const res = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
function fixture(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'termpool-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('CLI: render text', () => {
  it('prints exactly R right-trimmed lines, each newline-terminated', () => {
    const file = fixture('small.vt', 'hello   \r\nworld \x1b[31mred\x1b[0m\r\n');
    const r = cli(['render', '--cols', '20', '--rows', '4', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('hello\nworld red\n\n\n');
  });

  it('applies cursor movement, erase and autowrap', () => {
    const file = fixture('moves.vt', 'abcdefghij\x1b[3;2Hxy\x1b[1;3H\x1b[K');
    const r = cli(['render', '--cols', '4', '--rows', '3', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['ab', 'efgh', 'ixy', '']);
  });

  it('defaults to 80x24', () => {
    const file = fixture('wide.vt', 'x'.repeat(100));
    const r = cli(['render', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(25); // 24 lines + the empty string after the final \n
    expect(lines[0]).toBe('x'.repeat(80));
    expect(lines[1]).toBe('x'.repeat(20));
  });

  it("reads stdin when FILE is '-'", () => {
    const r = cli(['render', '--cols', '10', '--rows', '2', '-'], 'one\r\ntwo\r\nthree');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('two\nthree\n');
  });

  it('keeps the last screen of a long scrolling input, with no progress on a non-TTY stderr', () => {
    const lines: string[] = [];
    for (let i = 1; i <= 600_000; i++) lines.push(String(i));
    const file = fixture('long.vt', lines.join('\r\n')); // ~4.6 MB: above the progress threshold
    const r = cli(['render', '--cols', '10', '--rows', '3', file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('599998\n599999\n600000\n');
  });
});

describe('CLI: render json', () => {
  it('prints a ScreenSnapshot', () => {
    const file = fixture('json.vt', '\x1b]0;my title\x07hi\r\nthere');
    const r = cli(['render', '--format', 'json', '--cols', '12', '--rows', '3', file]);
    expect(r.status).toBe(0);
    const snap = JSON.parse(r.stdout) as {
      cols: number;
      rows: number;
      title: string;
      cursor: { row: number; col: number };
      lines: { text: string; cells: unknown[] }[];
    };
    expect(snap.cols).toBe(12);
    expect(snap.rows).toBe(3);
    expect(snap.title).toBe('my title');
    expect(snap.cursor).toMatchObject({ row: 1, col: 5 });
    expect(snap.lines.map((l) => l.text)).toEqual(['hi', 'there', '']);
  });
});

describe('CLI: usage errors exit 2 with one line on stderr', () => {
  const oneLine = (r: Result) => {
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    return r.stderr;
  };

  it('unknown flag', () => {
    expect(oneLine(cli(['render', '--bogus', 'x']))).toMatch(/unknown option '--bogus'/i);
  });

  it('missing file', () => {
    const missing = join(dir, 'nope.vt');
    expect(oneLine(cli(['render', missing]))).toContain(`cannot read '${missing}': no such file`);
  });

  it('directory instead of file', () => {
    expect(oneLine(cli(['render', dir]))).toContain('is a directory');
  });

  it.each([['0'], ['abc'], ['-3'], ['1.5'], ['99999']])('bad --cols %s', (v) => {
    expect(oneLine(cli(['render', `--cols=${v}`, '-'], ''))).toMatch(/--cols must be an integer/);
  });

  it('bad --format', () => {
    expect(oneLine(cli(['render', '--format', 'bmp', '-'], ''))).toMatch(/--format must be/);
  });

  it('missing FILE', () => {
    expect(oneLine(cli(['render', '--cols', '10']))).toMatch(/missing FILE/);
  });

  it('unknown command', () => {
    expect(oneLine(cli(['paint', 'x']))).toMatch(/unknown command 'paint'/);
  });

  it('flags without a command', () => {
    expect(oneLine(cli(['--cols', '10']))).toMatch(/missing command/);
  });
});

describe('CLI: help', () => {
  it('no arguments means serve: an unsafe bind is refused with exit 2 (serving itself: test/routes/server.test.ts)', () => {
    const res = spawnSync(process.execPath, [BIN], {
      encoding: 'utf8', timeout: 20_000, env: { ...process.env, TERMPOOL_HOST: '0.0.0.0', TERMPOOL_TOKEN: '' },
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^termpool: refusing to listen on 0\.0\.0\.0 without a token/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help exits 0', () => {
    expect(cli(['--help'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/render[\s\S]*serve|serve[\s\S]*render/) });
    expect(cli(['render', '--help'])).toMatchObject({ status: 0, stdout: expect.stringMatching(/^usage: termpool render/) });
  });
});

describe('CLI: render png with TERMPOOL_FONT_DIRS', () => {
  const png = (file: string, env: Record<string, string>): { status: number | null; out: Buffer; stderr: string } => {
    const res = spawnSync(process.execPath, [BIN, 'render', '--cols', '4', '--rows', '1', '--format', 'png', file], { env: { ...process.env, ...env }, timeout: 60_000 });
    if (res.error) throw res.error;
    return { status: res.status, out: res.stdout, stderr: res.stderr.toString('utf8') };
  };

  it('draws a glyph only a font in the directories has (Hebrew), as the server does', () => {
    const fonts = join(dir, 'extra-fonts');
    mkdirSync(fonts);
    // DejaVu Sans (not Mono, which termpool loads) has Hebrew; our own fonts have none.
    const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
    copyFileSync(join(dirname(pkg), 'ttf', 'DejaVuSans.ttf'), join(fonts, 'DejaVuSans.ttf'));
    const file = fixture('hebrew.vt', 'א');
    const without = png(file, { TERMPOOL_FONT_DIRS: '' });
    const withDirs = png(file, { TERMPOOL_FONT_DIRS: fonts });
    expect([without.status, withDirs.status, without.stderr, withDirs.stderr]).toEqual([0, 0, '', '']);
    expect(withDirs.out.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(withDirs.out.equals(without.out)).toBe(false);
  });

  it('refuses a directory that does not exist, naming the setting', () => {
    const r = png(fixture('x.vt', 'x'), { TERMPOOL_FONT_DIRS: join(dir, 'no-such-dir') });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/TERMPOOL_FONT_DIRS: .*no-such-dir does not exist/);
  });
});
