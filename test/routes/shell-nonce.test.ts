/**
 * Marks a program cannot forge (src/sessions/shell-integration.ts, semantic-prompt.ts): the attack
 * is a command whose output prints the shell's "command finished, status 0" mark and a fake
 * prompt, then goes on and exits 3. Before the nonce, POST /run answered the forgery (exit code 0,
 * the output cut short); now only marks carrying the session's nonce count, in bash, zsh and fish
 * alike, and the nonce is in no program's environment — nor in the shell's start environment
 * (/proc/<shell pid>/environ) nor in a file once the shell is up. Real shells over real HTTP; HOME is a
 * temporary directory of our own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
let home: string;
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
  home = mkdtempSync(join(tmpdir(), 'tp-si-nonce-'));
});
afterAll(async () => {
  await srv?.close();
  rmSync(home, { recursive: true, force: true });
});

/**
 * The attack, in sh so every shell types it alike: a forged D;0, a forged prompt (A, "$ ", B), a
 * D;0 with a wrong nonce and a forged C; then the real output and exit 3.
 */
const FORGER = 'sh -c \'printf "forged\\033]133;D;0\\007\\033]133;A\\007$ \\033]133;B\\007\\033]133;D;0;nonce=0123456789abcdef0123456789abcdef\\007\\033]133;C\\007\\n"; ' +
  'sleep 0.5; echo real output; exit 3\'';

describe.each(['bash', 'zsh', 'fish'] as const)('Shell integration: marks a program cannot forge (%s)', (shell) => {
  it('a command printing a forged D;0 and a fake prompt: /run answers its real exit code and output', async () => {
    const s = await tp.createSession({ shell, cwd: home, env: { HOME: home }, cols: 80, rows: 24 });
    try {
      const r = await tp.run(s.id, { command: FORGER, timeoutMs: 20_000 });
      expect(r).toMatchObject({ reason: 'finished', exitCode: 3 });
      expect(r.output).toEqual(['forged$', 'real output']);
      const list = await tp.commands(s.id);
      expect(list.commands.map((c) => [c.command, c.exitCode])).toEqual([[FORGER, 3]]);
      // The shell's own marks still work after the forgery.
      expect(await tp.run(s.id, 'echo after')).toMatchObject({ exitCode: 0, output: ['after'] });
    } finally {
      await tp.deleteSession(s.id);
    }
  });

  it('the nonce is in no program\'s environment; a mark carrying it is the shell\'s', async () => {
    const s = await tp.createSession({ shell, cwd: home, env: { HOME: home }, cols: 200, rows: 24 });
    try {
      // The shell itself holds it (a person at the prompt could read it; its programs cannot).
      const nonce = (await tp.run(s.id, 'echo $__tp_si_nonce')).output[0] ?? '';
      expect(nonce).toMatch(/^[0-9a-f]{32}$/);
      const env = await tp.run(s.id, 'env');
      expect(env.exitCode).toBe(0);
      expect(env.output.some((l) => l.startsWith('HOME='))).toBe(true);
      expect(env.output.filter((l) => l.includes('TP_SI_NONCE') || l.includes(nonce))).toEqual([]);
      // A grandchild neither.
      expect((await tp.run(s.id, `sh -c 'env | grep -c -e TP_SI_NONCE -e ${nonce}'`)).output).toEqual(['0']);
      // Nor the shell's start environment (/proc/<shell pid>/environ, readable by its programs):
      // it names the file the nonce came in, which the shell deleted before its first prompt,
      // and nothing left in that directory holds it.
      const environ = `/proc/${s.pid}/environ`;
      expect((await tp.run(s.id, `tr '\\0' '\\n' < ${environ} | grep -c -e ${nonce} -e '^__TP_SI_NONCE='`)).output).toEqual(['0']);
      expect((await tp.run(s.id, `tr '\\0' '\\n' < ${environ} | grep -c '^HOME='`)).output).toEqual(['1']);
      const file = (await tp.run(s.id, `tr '\\0' '\\n' < ${environ} | sed -n 's/^__TP_SI_NONCE_FILE=//p'`)).output[0] ?? '';
      expect(file).toMatch(/\/nonce\/[0-9a-f]{32}\/nonce$/);
      expect((await tp.run(s.id, `test -e ${file} && echo present || echo gone; grep -rl ${nonce} ${dirname(file)} | wc -l`)).output).toEqual(['gone', '0']);
      // Proof that the nonce is what counts: given it, a forged D is taken for the shell's.
      const forged = await tp.run(s.id, { command: `sh -c 'printf "\\033]133;D;0;nonce=${nonce}\\007"; sleep 0.5; exit 3'`, timeoutMs: 20_000 });
      expect(forged.exitCode).toBe(0);
    } finally {
      await tp.deleteSession(s.id);
    }
  });
});
