/**
 * `termpool snap` end to end: the real CLI runs real programs under a pty in-process and
 * writes their screen; exit statuses follow the documented contract (program's own, 0, 124, 127).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../helpers/service.js';
import { decodePng } from '../render/png-decode.js';

const BIN = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  if (res.error) throw res.error;
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'termpool-snap-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('CLI: snap', () => {
  it('prints the screen of a program that exits, with its exit status', () => {
    const r = cli(['snap', '--cols', '20', '--rows', '3', '--', 'bash', '-c', 'printf hello; exit 3']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('hello\n\n\n');
  });

  it('waits for text, then ends the program and exits 0 (no -- needed)', () => {
    const r = cli(['snap', '--cols', '30', '--rows', '4', '--wait-text', 'ready', 'bash', '-c', 'sleep 0.3; echo ready; sleep 30']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ready');
  });

  it('waits for a regex and for the screen to settle', () => {
    const r = cli(['snap', '--rows', '3', '--wait-regex', '^3$', '--stable', '200', '--', 'bash', '-c', 'for i in 1 2 3; do echo $i; sleep 0.1; done; sleep 30']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2\n3\n\n');
  });

  it('snaps vim to a PNG file', () => {
    const vim = findProgram('vim', 'vim.tiny', 'vi');
    expect(vim, 'vim is needed on PATH (apt-get install vim-tiny; .ci/run does)').not.toBeNull();
    const out = join(dir, 'vim.png');
    const r = cli(['snap', '--cols', '60', '--rows', '10', '--wait-regex', '^~', '--format', 'png', '--out', out, '--', vim!, '-u', 'NONE', '-i', 'NONE', '-N', '-n']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const img = decodePng(readFileSync(out));
    expect([img.width, img.height]).toEqual([60 * 8, 10 * 16]);
    // Not a blank image: vim's '~' column and text are drawn in more than one colour.
    const colours = new Set<number>();
    for (let i = 0; i < img.data.length; i += img.channels) colours.add(img.data.readUInt32BE(i) >>> 8);
    expect(colours.size).toBeGreaterThan(2);
    const text = cli(['snap', '--cols', '60', '--rows', '10', '--wait-regex', '^~', '--', vim!, '-u', 'NONE', '-i', 'NONE', '-N', '-n']);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n').filter((l) => l === '~').length).toBeGreaterThan(3);
  });

  it('times out with 124, a message on stderr and no snapshot', () => {
    const r = cli(['snap', '--timeout', '500', '--wait-text', 'never', '--', 'bash', '-c', 'echo waiting; sleep 30']);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('timed out after 500 ms waiting for text "never"');
    expect(r.stderr).toContain('waiting');
  });

  it('ends the program it started (no process left behind after a timeout)', async () => {
    const marker = `snap-leftover-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [BIN, 'snap', '--timeout', '300', '--wait-text', 'x', '--', 'bash', '-c', `exec -a ${marker} sleep 30`], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(124);
    const ps = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
    expect(ps.stdout.trim()).toBe('');
  });

  it.each([
    [['snap'], 2, /missing COMMAND/],
    [['snap', '--wait-text', 'a', '--wait-regex', 'b', '--', 'true'], 2, /not both/],
    [['snap', '--cols', '0', '--', 'true'], 2, /--cols must be/],
    [['snap', '--format', 'bmp', '--', 'true'], 2, /--format must be/],
    [['snap', '--wait-regex', '(', '--', 'true'], 2, /invalid regex/],
    [['snap', '--', 'no-such-program-here'], 127, /not found in PATH/],
  ])('%j exits %i', (args, status, msg) => {
    const r = cli(args as string[]);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(msg);
  });
});
