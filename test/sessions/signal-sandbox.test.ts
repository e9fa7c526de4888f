/**
 * POST /signal with TERMPOOL_SANDBOX=bwrap: the program runs in a pid namespace of its own
 * (its process groups have other numbers inside), yet the foreground group read from the
 * leader's /proc stat is the host's number, so a trap inside sees the signal and an interactive
 * shell's foreground job is the one interrupted.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { findProgram, startTestServer, type TestServer } from '../helpers/service.js';
import { skipBecause } from '../helpers/suite.js';

/** Why bwrap cannot sandbox here, or null (as test/sessions/sandbox.test.ts decides). */
const noSandbox = ((): string | null => {
  if (findProgram('bwrap') === null) return null;
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--cap-drop', 'ALL', '--', 'true'], { encoding: 'utf8' });
  return r.status === 0 ? null : `bwrap cannot create namespaces on this machine: ${(r.stderr || String(r.error)).trim()}`;
})();
skipBecause(import.meta.url, noSandbox);

let srv: TestServer;
let tp: TermpoolClient;
beforeAll(async () => {
  srv = await startTestServer({ TERMPOOL_SANDBOX: 'bwrap' });
  tp = srv.client;
});
afterAll(async () => { await srv?.close(); });

describe.skipIf(noSandbox !== null)('POST /signal in the bwrap sandbox', () => {
  // The program runs in a process group of its own, the terminal's foreground one (sandbox.ts's
  // launcher): bwrap, in the session leader's group, gets none of these. Without the launcher
  // bwrap dies of the SIGINT and the session ends although the program traps it.
  it('a trap inside the sandbox sees SIGINT and SIGUSR1; SIGKILL ends the session', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-c', "trap 'echo got INT' INT; trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.1; done"] });
    expect((await tp.wait(s.id, { text: 'ready', timeoutMs: 10_000 })).satisfied).toBe(true);
    expect((await tp.signal(s.id, 'SIGINT')).foreground).toBe(true);
    expect((await tp.wait(s.id, { regex: '^got INT$', timeoutMs: 10_000 })).satisfied).toBe(true);
    await tp.signal(s.id, 'SIGUSR1');
    expect((await tp.wait(s.id, { regex: '^got USR1$', timeoutMs: 10_000 })).satisfied).toBe(true);
    expect((await tp.getSession(s.id)).state).toBe('running');
    await tp.signal(s.id, 'SIGKILL');
    expect((await tp.wait(s.id, { exit: true, timeoutMs: 10_000 })).satisfied).toBe(true);
  });

  it('Ctrl-C typed (0x03) reaches a trapping program, which goes on; the session ends when it exits', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-c', "n=0; trap 'n=$((n+1)); echo got INT $n' INT; echo ready; while [ $n -lt 2 ]; do sleep 0.1; done; echo done; exit 7"] });
    expect((await tp.wait(s.id, { text: 'ready', timeoutMs: 10_000 })).satisfied).toBe(true);
    await tp.sendKeys(s.id, ['C-c']);
    expect((await tp.wait(s.id, { regex: 'got INT 1$', timeoutMs: 10_000 })).satisfied).toBe(true);
    expect((await tp.getSession(s.id)).state).toBe('running');
    await tp.sendKeys(s.id, ['C-c']);
    expect((await tp.wait(s.id, { exit: true, timeoutMs: 10_000 })).satisfied).toBe(true);
    const info = await tp.getSession(s.id);
    expect(info.exitCode).toBe(7);
    expect(await tp.screenLines(s.id)).toContain('done');
  });

  it('Ctrl-C typed ends a program that does not trap it, and with it the session', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-c', 'echo ready; exec sleep 600'] });
    expect((await tp.wait(s.id, { text: 'ready', timeoutMs: 10_000 })).satisfied).toBe(true);
    await tp.sendKeys(s.id, ['C-c']);
    expect((await tp.wait(s.id, { exit: true, timeoutMs: 10_000 })).satisfied).toBe(true);
    // bwrap reports a death by signal as 128 + its number (sandbox.ts's header).
    expect((await tp.getSession(s.id)).exitCode).toBe(130);
  });

  it('an interactive shell in the sandbox: SIGINT interrupts its foreground sleep, the shell prompts again', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile'], env: { PS1: '$ ' } });
    expect((await tp.wait(s.id, { text: '$ ', timeoutMs: 10_000 })).satisfied).toBe(true);
    const prompt = await tp.signal(s.id, 'SIGWINCH');
    await tp.sendKeys(s.id, ['sleep 60', 'Enter'], { literal: true });
    // Job control gives sleep a group of its own and makes it the foreground one.
    let group = prompt.processGroup;
    for (let i = 0; i < 100 && group === prompt.processGroup; i++) {
      group = (await tp.signal(s.id, 'SIGWINCH')).processGroup;
      if (group === prompt.processGroup) await new Promise((r) => setTimeout(r, 50));
    }
    expect(group).not.toBe(prompt.processGroup);
    await tp.signal(s.id, 'SIGINT');
    expect((await tp.wait(s.id, { regex: '^\\$ +$', trim: false, timeoutMs: 10_000 })).satisfied).toBe(true);
    await tp.sendKeys(s.id, ['echo status $?', 'Enter'], { literal: true });
    expect((await tp.wait(s.id, { regex: '^status 130$', timeoutMs: 10_000 })).satisfied).toBe(true);
    await tp.deleteSession(s.id);
  });
});
