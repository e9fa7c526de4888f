/**
 * examples/agent.mjs as a user runs it: against a real server (its own port, state dir and token),
 * importing `termpool/client` by the package's name. Its steps — git status, a failing command, vim
 * driven by keys — must all pass and print their exit codes.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let srv: ServerProcess | undefined;

beforeAll(async () => {
  srv = await spawnServer({ TERMPOOL_TOKEN: 'agent-example-token' });
});
afterAll(async () => { await srv?.stop(); });

describe('examples/agent.mjs', { timeout: 120_000 }, () => {
  it('runs git status, a failing command and vim through run/wait, printing exit codes', async () => {
    const res = spawnSync(process.execPath, ['examples/agent.mjs'], {
      cwd: ROOT,
      env: { ...process.env, TERMPOOL_URL: srv!.url, TERMPOOL_TOKEN: srv!.token },
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/^git status: exit 0 in \d+ ms, cwd \/.*\/repo$/m);
    expect(res.stdout).toContain('  | ?? a.txt');
    expect(res.stdout).toMatch(/^ls does-not-exist: exit 2$/m);
    expect(res.stdout).toContain('cat notes.txt: exit 0: ["written by an agent"]');
    expect(res.stdout).not.toContain('FAIL');
    expect(res.stdout.match(/^ok {3}/gm)).toHaveLength(5);
    expect(res.status).toBe(0);
    // The example deletes its session.
    expect((await srv!.api('GET', '/v1/sessions')).body.sessions).toEqual([]);
  });
});
