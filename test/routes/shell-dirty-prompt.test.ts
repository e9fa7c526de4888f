/**
 * POST /run on a dirty prompt (src/sessions/run-command.ts's CLEAR_LINE): text already typed at
 * the prompt and never sent — by a keys request, the cursor moved back into it — is cleared before
 * the command is typed, so the command run is exactly the one requested. Real bash, zsh and fish
 * over real HTTP, each in its default (emacs) key mode; HOME is a temporary directory of our own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
let home: string;
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
  home = mkdtempSync(join(tmpdir(), 'tp-si-dirty-'));
});
afterAll(async () => {
  await srv?.close();
  rmSync(home, { recursive: true, force: true });
});

/** The command that puts each shell's line editor in vi mode. */
const VI_MODE = { bash: 'set -o vi', zsh: 'bindkey -v', fish: 'fish_vi_key_bindings' } as const;

describe.each(['bash', 'zsh', 'fish'] as const)('Shell integration: /run on a dirty prompt (%s)', (shell) => {
  it('text left at the prompt, the cursor inside it, is cleared: only the requested command runs', async () => {
    const s = await tp.createSession({ shell, cwd: home, env: { HOME: home }, cols: 80, rows: 24 });
    try {
      expect((await tp.run(s.id, 'true')).exitCode).toBe(0);
      // Typed, not sent, and the cursor moved back into it: without the clear the shell would
      // run "echo direcho cleanty" (the command inserted at the cursor) and print "direcho cleanty".
      await tp.sendKeys(s.id, ['echo dirty'], { literal: true });
      await tp.sendKeys(s.id, ['Left', 'Left', 'Left']);
      expect((await tp.wait(s.id, { text: 'echo dirty', timeoutMs: 10_000 })).satisfied).toBe(true);
      const r = await tp.run(s.id, { command: 'echo clean', timeoutMs: 20_000 });
      expect(r).toMatchObject({ reason: 'finished', exitCode: 0, output: ['clean'] });
      expect(r.command?.command).toBe('echo clean');
      // A multi-line command (a paste) on a dirty prompt alike.
      await tp.sendKeys(s.id, ['exit 9'], { literal: true });
      expect((await tp.wait(s.id, { text: 'exit 9', timeoutMs: 10_000 })).satisfied).toBe(true);
      const two = await tp.run(s.id, { command: 'echo one\necho two', timeoutMs: 20_000 });
      expect(two).toMatchObject({ exitCode: 0, output: ['one', 'two'] });
      // In vi mode too (the keys that clear a line differ there), in insert mode and in command mode.
      expect((await tp.run(s.id, VI_MODE[shell])).exitCode).toBe(0);
      await tp.sendKeys(s.id, ['echo vi-dirty'], { literal: true });
      await tp.sendKeys(s.id, ['Left', 'Left', 'Left']);
      expect((await tp.wait(s.id, { text: 'echo vi-dirty', timeoutMs: 10_000 })).satisfied).toBe(true);
      expect(await tp.run(s.id, { command: 'echo vi-clean', timeoutMs: 20_000 })).toMatchObject({ exitCode: 0, output: ['vi-clean'] });
      await tp.sendKeys(s.id, ['echo vi-cmd-dirty', 'Escape'], { literal: true });
      expect((await tp.wait(s.id, { text: 'echo vi-cmd-dirty', timeoutMs: 10_000 })).satisfied).toBe(true);
      expect(await tp.run(s.id, { command: 'echo vi-cmd-clean', timeoutMs: 20_000 })).toMatchObject({ exitCode: 0, output: ['vi-cmd-clean'] });
      expect((await tp.commands(s.id)).commands.map((c) => c.exitCode)).toEqual([0, 0, 0, 0, 0, 0]);
      expect((await tp.getSession(s.id)).state).toBe('running');
    } finally {
      await tp.deleteSession(s.id);
    }
  });
});
