/**
 * The suite's own sandboxing (test/helpers/suite.ts, vitest.config.ts, test/global-setup.ts):
 * a test, a server it spawns and a program in that server's session all see the run's root as
 * their home, never the user's; each spawned server has a state dir of its own; and the marker
 * the leak check looks for reaches a session's program.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnServer } from '../helpers/server-process.js';
import { RUN_VAR, runRoot } from '../helpers/suite.js';

/** A process's environment from /proc, as a map. */
function environ(pid: number): Map<string, string> {
  return new Map(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)] as [string, string];
  }));
}

describe('Suite: tests run in a home of their own', () => {
  const root = runRoot()!;

  it('the worker\'s HOME and XDG directories are inside the run\'s root, under the OS temp dir', () => {
    expect(root).toBeTruthy();
    expect(path.dirname(root)).toBe(tmpdir());
    expect(homedir()).toBe(path.join(root, 'home'));
    for (const v of ['XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR']) {
      expect(process.env[v], v).toMatch(new RegExp(`^${root}/`));
    }
  });

  it('a spawned server has its own state dir; its session\'s program has the run\'s home and marker', async () => {
    const srv = await spawnServer();
    try {
      const env = environ(srv.pid);
      expect(env.get('HOME')).toBe(path.join(root, 'home'));
      expect(env.get(RUN_VAR)).toBe(root);
      const state = env.get('XDG_STATE_HOME')!;
      expect(state.startsWith(`${root}/server-state-`)).toBe(true);
      expect(existsSync(state)).toBe(true);
      const s = await srv.client.createSession({ command: 'sh', args: ['-c', 'exec sleep 100'] });
      const child = environ(s.pid);
      expect(child.get('HOME')).toBe(path.join(root, 'home'));
      expect(child.get(RUN_VAR)).toBe(root);
      await srv.stop();
      // Removed with the server.
      expect(existsSync(state)).toBe(false);
    } finally {
      await srv.stop();
    }
  });
});
