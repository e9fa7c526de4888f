/**
 * POST /v1/sessions/{id}/signal over real HTTP against real programs: a bash that traps signals
 * reports each; in an interactive bash the signal reaches the foreground job (sleep), not the
 * shell; SIGKILL ends the session (then 409 SESSION_EXITED); 400 naming a bad signal.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TermpoolApiError, type Session, type TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
const started: string[] = [];
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
});
afterAll(async () => {
  for (const id of started) await tp.deleteSession(id).catch(() => {});
  await srv?.close();
});

const TRAPS = "for s in INT TERM HUP QUIT USR1 USR2 TSTP; do trap \"echo got $s\" $s; done; echo ready; while :; do sleep 0.1; done";

async function session(args: string[], env: Record<string, string> = {}): Promise<Session> {
  const s = await tp.createSession({ command: 'bash', args, cols: 80, rows: 24, env });
  started.push(s.id);
  return s;
}

describe('POST /signal', () => {
  it('a program that traps signals gets each one; the answer names the group (the leader\'s: it is in the foreground)', async () => {
    const s = await session(['--norc', '--noprofile', '-c', TRAPS]);
    expect((await tp.wait(s.id, { text: 'ready', timeoutMs: 10_000 })).satisfied).toBe(true);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGHUP', 'SIGUSR2', 'SIGQUIT'] as const) {
      const r = await tp.signal(s.id, sig);
      expect(r).toMatchObject({ signal: sig, processGroup: s.pid, foreground: true, session: { id: s.id, state: 'running' } });
      const w = await tp.wait(s.id, { regex: `^got ${sig.slice(3)}$`, timeoutMs: 10_000 });
      expect(w.satisfied, `${sig}: ${w.lines.join('|')}`).toBe(true);
    }
    // SIGWINCH and SIGCONT are harmless here; the program goes on.
    for (const sig of ['SIGWINCH', 'SIGCONT'] as const) expect((await tp.signal(s.id, sig)).session.state).toBe('running');
    // SIGKILL cannot be trapped: the session ends, killed by it.
    await tp.signal(s.id, 'SIGKILL');
    const w = await tp.wait(s.id, { exit: true, timeoutMs: 10_000 });
    expect(w.satisfied).toBe(true);
    expect(w.session).toMatchObject({ state: 'exited', signal: 'SIGKILL', exitCode: null });
    const err = await tp.signal(s.id, 'SIGINT').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TermpoolApiError);
    expect(err).toMatchObject({ status: 409, code: 'SESSION_EXITED' });
  });

  it('an interactive shell: SIGINT reaches the foreground job (sleep), not the shell, which prompts again', async () => {
    const s = await session(['--norc', '--noprofile'], { PS1: '$ ' });
    expect((await tp.wait(s.id, { text: '$ ', timeoutMs: 10_000 })).satisfied).toBe(true);
    // At the prompt the shell itself is the foreground group.
    expect(await tp.signal(s.id, 'SIGWINCH')).toMatchObject({ processGroup: s.pid, foreground: true });
    await tp.sendKeys(s.id, ['sleep 60; echo after-sleep $?', 'Enter'], { literal: true });
    // Job control gives sleep a group of its own, made the foreground one.
    let group = s.pid;
    for (let i = 0; i < 100 && group === s.pid; i++) {
      group = (await tp.signal(s.id, 'SIGWINCH')).processGroup;
      if (group === s.pid) await new Promise((r) => setTimeout(r, 50));
    }
    expect(group).not.toBe(s.pid);
    // bash hands the terminal to the child before the child execs sleep; a SIGINT in that moment meets bash's own
    // handler in the child and is lost (so it is in any terminal). Signal once the group leader is sleep itself.
    const comm = (): string => { try { return readFileSync(`/proc/${group}/comm`, 'utf8').trim(); } catch { return ''; } };
    for (let i = 0; i < 100 && comm() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(comm()).toBe('sleep');
    const r = await tp.signal(s.id, 'SIGINT');
    expect(r).toMatchObject({ signal: 'SIGINT', processGroup: group, foreground: true });
    // sleep died of SIGINT (status 130); a SIGINT'd job also ends its list, so "after-sleep" never prints and the shell prompts.
    expect(await tp.wait(s.id, { regex: '^\\$ $', trim: false, timeoutMs: 100 })).toMatchObject({ satisfied: false });
    const back = await tp.wait(s.id, { regex: '^\\$ +$', trim: false, absent: { regex: '^after-sleep' }, timeoutMs: 10_000 });
    expect(back.satisfied, back.lines.join('|')).toBe(true);
    expect((await tp.getSession(s.id)).state).toBe('running');
    await tp.sendKeys(s.id, ['echo $?', 'Enter'], { literal: true });
    expect((await tp.wait(s.id, { regex: '^130$', timeoutMs: 10_000 })).satisfied).toBe(true);
  });

  it('400 VALIDATION naming signal for anything but the listed names; 404 for an unknown session', async () => {
    const s = await session(['--norc', '--noprofile', '-c', 'sleep 60']);
    for (const signal of ['SIGSEGV', 'sigint', 'INT', 9, '9', '', null]) {
      const r = await srv.api('POST', `/v1/sessions/${s.id}/signal`, { signal });
      expect(r.status, JSON.stringify(signal)).toBe(400);
      expect(r.body.error).toBe('VALIDATION');
      expect(r.body.message).toContain('signal');
    }
    const none = await srv.api('POST', `/v1/sessions/${s.id}/signal`, {});
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('signal');
    const extra = await srv.api('POST', `/v1/sessions/${s.id}/signal`, { signal: 'SIGINT', target: 'all' });
    expect(extra.status).toBe(400);
    const unknown = await srv.api('POST', '/v1/sessions/0123456789ab/signal', { signal: 'SIGINT' });
    expect(unknown.status).toBe(404);
    expect((await tp.getSession(s.id)).state).toBe('running');
  });
});
