/**
 * Shell integration against real shells over real HTTP (the typed client): sessions created with
 * `shell: "bash"` (and zsh, fish: installed by scripts/test-prereqs.sh, asserted present, never
 * skipped) run commands through POST /run and report exit codes, output (scrollback included) and
 * the working directory; GET /commands lists them; /wait {command: "finished"}; 409s for a session
 * without integration and for a command already running; 408 on timeout and on DELETE.
 * HOME is a temporary directory of our own, so the shells read start-up files we control.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TermpoolApiError, type CreateSessionRequest, type Session, type TermpoolClient } from '../../src/client/index.js';
import { startTestServer, type TestServer } from '../helpers/service.js';

let srv: TestServer;
let tp: TermpoolClient;
let home: string;
beforeAll(async () => {
  srv = await startTestServer();
  tp = srv.client;
  home = mkdtempSync(join(tmpdir(), 'tp-si-home-'));
});
afterAll(async () => {
  await srv?.close();
  rmSync(home, { recursive: true, force: true });
});

async function refused(p: Promise<unknown>): Promise<TermpoolApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TermpoolApiError);
  return err as TermpoolApiError;
}

const shellSession = (body: Partial<CreateSessionRequest>): Promise<Session> =>
  tp.createSession({ cols: 80, rows: 24, cwd: home, env: { HOME: home }, ...body } as CreateSessionRequest);

function assertInstalled(program: string): void {
  const r = spawnSync(program, ['--version'], { encoding: 'utf8' });
  // Installed by scripts/test-prereqs.sh (Debian package of the same name): a missing shell fails here.
  expect(r.error, `${program} is not installed (apt-get install -y ${program})`).toBeUndefined();
}

describe('Shell integration: bash', () => {
  let s: Session;
  beforeAll(async () => { s = await shellSession({ shell: 'bash' }); });
  afterAll(async () => { await tp.deleteSession(s.id).catch(() => {}); });

  it('echo hi: exit code 0, output ["hi"], the working directory', async () => {
    expect(s.shell).toBe('bash');
    const r = await tp.run(s.id, { command: 'echo hi', timeoutMs: 10_000 });
    expect(r).toMatchObject({ reason: 'finished', exitCode: 0, output: ['hi'], truncated: false, cwd: home });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(r.command).toMatchObject({ id: 1, command: 'echo hi', exitCode: 0 });
  });

  it('false → 1, (exit 3) → 3, cd /tmp → cwd /tmp', async () => {
    expect((await tp.run(s.id, 'false')).exitCode).toBe(1);
    expect((await tp.run(s.id, '(exit 3)')).exitCode).toBe(3);
    const cd = await tp.run(s.id, 'cd /tmp');
    expect(cd).toMatchObject({ exitCode: 0, cwd: '/tmp', output: [] });
    expect((await tp.run(s.id, 'pwd')).output).toEqual(['/tmp']);
  });

  it('5,000 lines: read from the scrollback; maxLines keeps the last ones and says so', async () => {
    const all = await tp.run(s.id, { command: 'seq 1 5000', maxLines: 10_000 });
    expect(all.exitCode).toBe(0);
    expect(all.output).toHaveLength(5000);
    expect(all.output[0]).toBe('1');
    expect(all.output[4999]).toBe('5000');
    expect(all.truncated).toBe(false);
    const cut = await tp.run(s.id, { command: 'seq 1 5000', maxLines: 100 });
    expect(cut.output).toHaveLength(100);
    expect(cut.output[0]).toBe('4901');
    expect(cut.truncated).toBe(true);
  });

  it('a multi-line command runs as one command line', async () => {
    const r = await tp.run(s.id, 'echo one\necho two');
    expect(r.exitCode).toBe(0);
    expect(r.output.filter((l) => l === 'one' || l === 'two')).toEqual(['one', 'two']);
  });

  it('a long output line wrapped by the terminal comes back as one line', async () => {
    const r = await tp.run(s.id, 'printf "%0200d\\n" 7');
    expect(r.output).toEqual(['0'.repeat(199) + '7']);
  });

  it('a command that runs a full-screen program (alternate screen) works', async () => {
    const r = await tp.run(s.id, 'printf "\\033[?1049hTUI\\033[?1049l"; echo after');
    expect(r).toMatchObject({ exitCode: 0, output: ['after'] });
  });

  it('GET /commands: history with exit codes and line ranges, paged', async () => {
    // /run answers at the D mark; the next prompt's A and B marks follow it: give the shell that moment.
    let list = await tp.commands(s.id);
    for (let i = 0; i < 100 && list.state === 'prompt'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      list = await tp.commands(s.id);
    }
    expect(list.state).toBe('input');
    expect(list.cwd).toBe('/tmp');
    const byText = list.commands.map((c) => [c.command, c.exitCode]);
    expect(byText.slice(0, 3)).toEqual([['echo hi', 0], ['false', 1], ['(exit 3)', 3]]);
    for (const c of list.commands) {
      expect(c.outputEndLine).toBeGreaterThanOrEqual(c.outputStartLine);
      expect(c.promptLine).toBeLessThan(c.outputStartLine);
      expect(c.finishedAt).not.toBeNull();
    }
    const seq = list.commands.find((c) => c.command === 'seq 1 5000')!;
    expect(seq.outputEndLine! - seq.outputStartLine).toBe(5000);
    const page = await tp.commands(s.id, { after: 1, limit: 2 });
    expect(page.commands.map((c) => c.id)).toEqual([2, 3]);
    expect(page.more).toBe(true);
  });

  it('a second /run while a command runs is 409 COMMAND_RUNNING; the first still answers', async () => {
    const first = tp.run(s.id, { command: 'sleep 1; echo slept', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    const err = await refused(tp.run(s.id, 'echo no'));
    expect(err.status).toBe(409);
    expect(err.code).toBe('COMMAND_RUNNING');
    expect(await first).toMatchObject({ reason: 'finished', output: ['slept'], exitCode: 0 });
  });

  it('timeout → 408 with the output so far; the wait is gone and the session stays usable', async () => {
    const r = await tp.run(s.id, { command: 'echo started; sleep 2; echo late', timeoutMs: 500 });
    expect(r.reason).toBe('timeout');
    expect(r.exitCode).toBeNull();
    expect(r.output).toEqual(['started']);
    expect(srv.app.sessions.waits.size).toBe(0);
    const w = await tp.wait(s.id, { command: 'finished', timeoutMs: 10_000 });
    expect(w.satisfied).toBe(true);
    expect(w.command).toMatchObject({ command: 'echo started; sleep 2; echo late', exitCode: 0 });
    expect((await tp.run(s.id, 'echo again')).output).toEqual(['again']);
  });

  it('/wait command finished with afterCommand does not miss a command that already ended', async () => {
    const before = (await tp.commands(s.id, { limit: 1000 })).commands.at(-1)!.id;
    await tp.sendText(s.id, 'echo quick; (exit 4)\r');
    await new Promise((r) => setTimeout(r, 500));
    const w = await tp.wait(s.id, { command: 'finished', afterCommand: before, timeoutMs: 5000 });
    expect(w).toMatchObject({ satisfied: true, command: { exitCode: 4, command: 'echo quick; (exit 4)' } });
  });
});

describe('Shell integration: the user\'s own bash start-up file and prompt', () => {
  it('~/.bashrc is read (its PS1 "$ " kept, its PROMPT_COMMAND still runs), and is not changed', async () => {
    const h = mkdtempSync(join(tmpdir(), 'tp-si-user-'));
    const rc = 'PS1="$ "\nPROMPT_COMMAND="echo -n >> $HOME/prompts"\nexport FROM_BASHRC=yes\n';
    writeFileSync(join(h, '.bashrc'), rc);
    try {
      const s = await tp.createSession({ shell: 'bash', cwd: h, env: { HOME: h } });
      const r = await tp.run(s.id, 'echo $FROM_BASHRC; env | grep -c ^TERMPOOL_ || true');
      expect(r.output).toEqual(['yes', '0']);
      // /run answers at the D mark; the next prompt is drawn just after it.
      const screen = (await tp.wait(s.id, { regex: '^\\$$', timeoutMs: 5000 })).lines;
      expect(screen).toContain('$ echo $FROM_BASHRC; env | grep -c ^TERMPOOL_ || true');
      expect(screen.filter((l) => l === '$').length).toBe(1);
      expect(existsSync(join(h, 'prompts'))).toBe(true);
      expect(readdirSync(h).sort()).toEqual(['.bashrc', 'prompts']);
      await tp.deleteSession(s.id);
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });
});

describe('Shell integration: refusals', () => {
  it('bash without integration: /run and /commands are 409 NO_SHELL_INTEGRATION', async () => {
    const s = await tp.createSession({ command: 'bash', args: ['--norc'], env: { PS1: '$ ' } });
    const err = await refused(tp.run(s.id, 'echo hi'));
    expect(err.status).toBe(409);
    expect(err.code).toBe('NO_SHELL_INTEGRATION');
    expect((await refused(tp.commands(s.id))).code).toBe('NO_SHELL_INTEGRATION');
    expect((await refused(tp.wait(s.id, { command: 'finished' }))).code).toBe('NO_SHELL_INTEGRATION');
    await tp.deleteSession(s.id);
  });

  it('conflicting or impossible requests are 400s naming why', async () => {
    const both = await refused(tp.createSession({ command: 'bash', shell: 'bash' }));
    expect(both.status).toBe(400);
    expect(both.message).toMatch(/command or shell, not both/);
    const other = await refused(tp.createSession({ command: 'cat', shellIntegration: true }));
    expect(other.status).toBe(400);
    expect(other.message).toMatch(/bash, zsh or fish/);
    const norc = await refused(tp.createSession({ shell: 'bash', args: ['--norc'] }));
    expect(norc.message).toMatch(/'--norc' cannot be used with shell integration/);
    expect((await refused(tp.createSession({} as CreateSessionRequest))).status).toBe(400);
  });

  it('shellIntegration: true with bash by path injects', async () => {
    const s = await shellSession({ command: '/bin/bash', shellIntegration: true });
    expect(s.shell).toBe('bash');
    expect((await tp.run(s.id, 'echo path')).output).toEqual(['path']);
    await tp.deleteSession(s.id);
  });
});

describe('Shell integration: DELETE during /run', () => {
  it('answers as /wait does when the program goes: 408 exited', async () => {
    const s = await shellSession({ shell: 'bash' });
    const run = tp.run(s.id, { command: 'echo going; sleep 30', timeoutMs: 20_000 });
    const wait = tp.wait(s.id, { text: 'never there', timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 800));
    await tp.deleteSession(s.id);
    const [r, w] = await Promise.all([run, wait]);
    expect(w.reason).toBe('exited');
    expect(r.reason).toBe('exited');
    expect(r.exitCode).toBeNull();
    expect(r.output).toEqual(['going']);
  });
});

describe('Shell integration: zsh and fish', () => {
  it('zsh: exit codes, output, cwd; the user\'s .zshrc read, ZDOTDIR back to the user\'s', async () => {
    assertInstalled('zsh');
    const h = mkdtempSync(join(tmpdir(), 'tp-si-zsh-'));
    writeFileSync(join(h, '.zshrc'), 'export FROM_ZSHRC=yes\nPS1="z> "\n');
    try {
      const s = await tp.createSession({ shell: 'zsh', cwd: h, env: { HOME: h } });
      expect(await tp.run(s.id, 'echo hi')).toMatchObject({ reason: 'finished', exitCode: 0, output: ['hi'], cwd: h });
      expect((await tp.run(s.id, 'false')).exitCode).toBe(1);
      expect((await tp.run(s.id, '(exit 3)')).exitCode).toBe(3);
      expect((await tp.run(s.id, 'cd /tmp')).cwd).toBe('/tmp');
      const r = await tp.run(s.id, 'echo "$FROM_ZSHRC ${ZDOTDIR-unset} ${__TP_SI_USER_ZDOTDIR-gone}"');
      expect(r.output).toEqual(['yes unset gone']);
      expect((await tp.wait(s.id, { text: 'z> echo hi', timeoutMs: 5000 })).satisfied).toBe(true);
      await tp.deleteSession(s.id);
    } finally {
      rmSync(h, { recursive: true, force: true });
    }
  });

  it('fish: exit codes, output, cwd', async () => {
    assertInstalled('fish');
    const s = await shellSession({ shell: 'fish' });
    expect(await tp.run(s.id, 'echo hi')).toMatchObject({ reason: 'finished', exitCode: 0, output: ['hi'], cwd: home });
    expect((await tp.run(s.id, 'false')).exitCode).toBe(1);
    expect((await tp.run(s.id, 'fish -c "exit 3"')).exitCode).toBe(3);
    expect((await tp.run(s.id, 'cd /tmp')).cwd).toBe('/tmp');
    const list = await tp.commands(s.id);
    expect(list.commands.map((c) => c.command)).toEqual(['echo hi', 'false', 'fish -c "exit 3"', 'cd /tmp']);
    await tp.deleteSession(s.id);
  });
});

describe('Shell integration: WebSocket events', () => {
  it('a viewer gets command start and finish messages, in order, with the exit code', async () => {
    const s = await shellSession({ shell: 'bash' });
    await tp.run(s.id, 'true');
    const got: { event: string; id: number; exitCode: number | null; command: string }[] = [];
    const v = await tp.view(s.id, {
      onMessage: (m) => { if (m.type === 'command') got.push({ event: m.event, id: m.command.id, exitCode: m.command.exitCode, command: m.command.command }); },
    });
    const r = await tp.run(s.id, '(exit 5)');
    await v.next((m) => m.type === 'command' && m.event === 'finish');
    expect(r.exitCode).toBe(5);
    // A start message shows the command as known when sent: it may already have ended in the same output.
    expect(got.map((g) => [g.event, g.id, g.command])).toEqual([['start', 2, '(exit 5)'], ['finish', 2, '(exit 5)']]);
    expect(got[1].exitCode).toBe(5);
    await v.close();
    await tp.deleteSession(s.id);
  });
});
