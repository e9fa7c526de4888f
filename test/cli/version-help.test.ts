/**
 * The CLI's self-description, spawned for real (bin shim → dist/): `--version` prints
 * package.json's version, and the help of `snap` and `render` lists exactly the formats they
 * accept, each of which works.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function cli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** The formats a help text's `--format F` line names (the words before its parenthesis). */
function helpFormats(help: string): string[] {
  const line = help.split('\n').find((l) => /^\s+--format F\s/.test(l));
  expect(line, 'a --format F line in the help').toBeDefined();
  return line!.replace(/^\s+--format F\s+/, '').replace(/\(.*$/, '').split(/,\s*|\s+or\s+/).map((w) => w.trim()).filter(Boolean);
}

/** The formats the CLI's refusal of a bad --format names. */
function refusedFormats(stderr: string): string[] {
  const m = /--format must be one of (.*); got 'nope'/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return m![1]!.split(/,\s*/);
}

describe('CLI: --version', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints package.json\'s version and exits 0', (flag) => {
    expect(PKG.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(cli([flag])).toEqual({ status: 0, stdout: `${PKG.version}\n`, stderr: '' });
  });

  it('the main help names it', () => {
    expect(cli(['--help']).stdout).toMatch(/^\s+-V, --version\s/m);
  });
});

describe('CLI: the formats in the help are the ones accepted', () => {
  it('snap --help lists every format snap accepts, and each one writes a snapshot', () => {
    const help = cli(['snap', '--help']);
    expect(help.status).toBe(0);
    const listed = helpFormats(help.stdout);
    const bad = cli(['snap', '--format', 'nope', '--', 'true']);
    expect(bad.status).toBe(2);
    expect(listed.sort()).toEqual(refusedFormats(bad.stderr).sort());
    expect(listed.sort()).toEqual(['ansi', 'html', 'json', 'png', 'svg', 'text']);
    for (const f of listed) {
      const r = cli(['snap', '--cols', '10', '--rows', '2', '--format', f, '--', 'printf', 'hi']);
      expect({ f, status: r.status, stderr: r.stderr }).toEqual({ f, status: 0, stderr: '' });
      expect(r.stdout.length, f).toBeGreaterThan(0);
    }
    // The main help's synopsis of snap names the same set.
    const synopsis = /\[--format ([a-z|]+)\][^\n]*-- COMMAND/.exec(cli(['--help']).stdout);
    expect(synopsis?.[1]?.split('|').sort()).toEqual(listed.sort());
  });

  it('render --help lists every format render accepts, and each one renders', () => {
    const help = cli(['render', '--help']);
    expect(help.status).toBe(0);
    const listed = helpFormats(help.stdout);
    const bad = cli(['render', '--format', 'nope', '-'], 'hi');
    expect(bad.status).toBe(2);
    expect(listed.sort()).toEqual(refusedFormats(bad.stderr).sort());
    for (const f of listed) {
      const r = cli(['render', '--cols', '10', '--rows', '2', '--format', f, '-'], 'hi');
      expect({ f, status: r.status, stderr: r.stderr }).toEqual({ f, status: 0, stderr: '' });
      expect(r.stdout.length, f).toBeGreaterThan(0);
    }
  });
});
