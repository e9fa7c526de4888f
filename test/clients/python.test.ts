/**
 * The Python client and pytest plugin (clients/python) against a real server process: runs its
 * own pytest suite (clients/python/tests) with Debian's python3-pytest, the package imported from
 * source (PYTHONPATH=clients/python/src), TERMPOOL_URL and TERMPOOL_TOKEN pointing at a server of
 * this test's own. Passes when pytest exits 0 with at least MIN_PASSED tests passed and none
 * failed, errored or skipped (so an empty or half-collected run fails), and the Python tests
 * left no session behind. Nothing is written into the clone: no bytecode (PYTHONDONTWRITEBYTECODE),
 * no .pytest_cache (-p no:cacheprovider), tmp_path under the run's root (--basetemp).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { runRoot } from '../helpers/suite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = path.join(ROOT, 'clients', 'python');
/** clients/python/tests holds 37 tests; fewer passing means some were not collected. */
const MIN_PASSED = 37;

/**
 * A python3 that has pytest: Debian's /usr/bin/python3 first (another python3 earlier on PATH,
 * a pyenv one say, usually lacks Debian's python3-pytest), else whatever `python3` is.
 */
function findPython(): { python: string | null; tried: string[] } {
  const tried: string[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, ['-c', 'import sys, pytest; assert sys.version_info >= (3, 9); print(pytest.__version__)'], {
      encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    tried.push(`${python}: ${r.error ? r.error.message : r.status === 0 ? `pytest ${r.stdout.trim()}` : r.stderr.trim().split('\n').pop()}`);
    if (r.status === 0) return { python, tried };
  }
  return { python: null, tried };
}

/** Files under clients/python that git would see as new (bytecode, caches): none may appear. */
function litter(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.name === '__pycache__' || e.name === '.pytest_cache' || e.name.endsWith('.egg-info') || e.name.endsWith('.pyc')) out.push(p);
      else if (e.isDirectory()) walk(p);
    }
  };
  walk(PKG);
  return out;
}

let srv: ServerProcess;
beforeAll(async () => {
  srv = await spawnServer({ TERMPOOL_TOKEN: `py-${randomBytes(8).toString('hex')}` });
});
afterAll(async () => { await srv?.stop(); });

describe('Python client (clients/python)', () => {
  it('passes its pytest suite against a real server, leaving no session and no files behind', async () => {
    const { python, tried } = findPython();
    // A missing package is a failure, not a skip: the pretest installs it (scripts/test-prereqs.sh).
    expect(python, `no python3 with pytest (Debian package python3-pytest: apt-get install -y python3-pytest); tried ${tried.join('; ')}`).not.toBeNull();
    const before = litter();
    const basetemp = mkdtempSync(path.join(runRoot() ?? tmpdir(), 'pytest-'));
    const env: Record<string, string> = {
      ...process.env as Record<string, string>,
      PYTHONPATH: path.join(PKG, 'src'),
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONNOUSERSITE: '1',
      TERMPOOL_URL: srv.url,
      TERMPOOL_TOKEN: srv.token,
    };
    delete env['PYTEST_ADDOPTS'];
    delete env['TERMPOOL_UPDATE_GOLDEN'];
    // -p termpool.pytest_plugin and -p pytester come from clients/python/pyproject.toml's addopts.
    const child = spawn(python!, ['-m', 'pytest', 'tests', '-q', '-rfEs', '-p', 'no:cacheprovider', `--basetemp=${basetemp}`], {
      cwd: PKG, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));

    const summary = out.trim().split('\n').pop() ?? '';
    const count = (what: string): number => Number(new RegExp(`(\\d+) ${what}`).exec(summary)?.[1] ?? 0);
    expect(code, out).toBe(0);
    expect(count('passed'), out).toBeGreaterThanOrEqual(MIN_PASSED);
    for (const bad of ['failed', 'errors?', 'skipped', 'xfailed', 'xpassed']) expect(count(bad), `${bad} in: ${summary}\n${out}`).toBe(0);
    // Every session the Python tests made was deleted by them or by the plugin's fixtures.
    expect((await srv.client.listSessions()).map((s) => `${s.id} ${s.command} ${s.state}`)).toEqual([]);
    expect(litter()).toEqual(before);
    expect(existsSync(path.join(PKG, 'tests', 'golden', 'printf.txt'))).toBe(true);
  }, 180_000);
});
