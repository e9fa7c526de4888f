/**
 * TERMPOOL_SANDBOX=bwrap (src/sessions/sandbox.ts): each program in namespaces of its own.
 *
 * Attacks reproduced from inside a session, each answered by the sandbox: reading the archive
 * file (every session's screens), seeing or signalling other sessions' processes and the server
 * (whose /proc/<pid>/environ holds the token), reaching the API over loopback, leaving files in
 * the shared /tmp, and unmounting what hides the archive. Also what must keep working: job
 * control and resizes (the program keeps the pty as its controlling terminal), a writable
 * working directory, and containment (nothing survives DELETE). And what the sandbox does not
 * do: with TERMPOOL_SANDBOX_NETWORK=on a program reaches the API like any local process, so
 * only a token keeps it out.
 *
 * Skipped, with bwrap's reason, where the machine refuses its namespaces (the startup check is
 * then tested alone); a missing bwrap fails.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TermpoolClient } from '../../src/client/index.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { findProgram } from '../helpers/service.js';
import { skipBecause } from '../helpers/suite.js';

/**
 * Why bwrap cannot sandbox here, or null. bwrap itself comes with the pretest
 * (scripts/test-prereqs.sh): when it is missing the tests run and fail. Only a machine whose
 * kernel or container refuses the namespaces skips them, with bwrap's own message.
 */
const noSandbox = ((): string | null => {
  if (findProgram('bwrap') === null) return null;
  const r = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--cap-drop', 'ALL', '--', 'true'], { encoding: 'utf8' });
  return r.status === 0 ? null : `bwrap cannot create namespaces on this machine: ${(r.stderr || String(r.error)).trim()}`;
})();
skipBecause(import.meta.url, noSandbox);

/** Live processes whose argv[0] starts with `marker` (how the tests find what escaped). */
function marked(marker: string): number[] {
  return readdirSync('/proc').filter((n) => {
    try { return /^\d+$/.test(n) && readFileSync(`/proc/${n}/cmdline`, 'latin1').startsWith(marker) && !/\) Z/.test(readFileSync(`/proc/${n}/stat`, 'latin1')); } catch { return false; }
  }).map(Number);
}

/** setsid -f a marked sleep inside a session, DELETE it; resolves with [started, left]. */
async function escapeThenDelete(tp: TermpoolClient): Promise<[number, number]> {
  const m = `termpool-test-${randomBytes(5).toString('hex')}`;
  try {
    const s = await tp.createSession({ command: 'bash', args: ['-c', `setsid -f bash -c "exec -a ${m} sleep 1000"; echo STARTED; exec sleep 1000`] });
    await tp.wait(s.id, { text: 'STARTED', timeoutMs: 10_000 });
    for (const end = Date.now() + 5000; marked(m).length < 1 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    const started = marked(m).length;
    await tp.deleteSession(s.id);
    for (const end = Date.now() + 5000; marked(m).length > 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    return [started, marked(m).length];
  } finally {
    for (const pid of marked(m)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
}

/** Runs `script` in a new session and returns its screen once it printed `DONE`. */
async function run(tp: TermpoolClient, script: string, opts: { cwd?: string } = {}): Promise<string> {
  const s = await tp.createSession({ command: 'bash', args: ['-c', `${script}; echo DONE; exec sleep 1000`], cols: 200, rows: 40, ...opts });
  try {
    await tp.wait(s.id, { regex: '^DONE$', timeoutMs: 15_000 });
    return await tp.screen(s.id);
  } finally {
    await tp.deleteSession(s.id);
  }
}

describe('Sandbox: the startup check', () => {
  it('TERMPOOL_SANDBOX=bwrap without a usable bwrap: exit 2 with the reason, nothing runs unsandboxed', async () => {
    const err = await spawnServer({ TERMPOOL_SANDBOX: 'bwrap', PATH: '/nonexistent' }).then(
      async (s) => { await s.stop(); return null; },
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/server exited \(2\) before listening/);
    expect(err?.message).toContain('TERMPOOL_SANDBOX=bwrap, but bwrap is not on PATH');
  });
});

describe.skipIf(noSandbox !== null)('Sandbox (bwrap, network off)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'termpool-sandbox-'));
  const archiveDir = join(dir, 'state');
  const archive = join(archiveDir, 'archive.sqlite');
  const hidden = join(dir, 'hidden-secret.txt');
  const work = join(dir, 'work');
  let server: ServerProcess;
  let other: { id: string; pid: number };
  beforeAll(async () => {
    mkdirSync(work);
    writeFileSync(hidden, 'do-not-read-me\n');
    server = await spawnServer({
      TERMPOOL_SANDBOX: 'bwrap', TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: archive, TERMPOOL_SANDBOX_HIDE: hidden,
    });
    // Something in the archive: a session that ran and exited.
    const s = await server.client.createSession({ command: 'bash', args: ['-c', 'echo archived-screen-text'] });
    await server.client.wait(s.id, { exit: true, timeoutMs: 10_000 });
    other = await server.client.createSession({ command: 'sleep', args: ['1000'] });
  });
  afterAll(async () => {
    try { await server?.stop(); } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('reports the sandbox in /healthz', async () => {
    expect((await server.api('GET', '/healthz')).body.sandbox).toBe('bwrap');
  });

  it('cannot read the archive: its directory is empty inside, and cannot be unmounted', async () => {
    expect(readFileSync(archive).length).toBeGreaterThan(0);
    const out = await run(server.client, `cat ${archive} | wc -c; echo "entries=$(ls -A ${archiveDir} | wc -l)"; umount ${archiveDir} 2>/dev/null || echo umount-refused; cat ${hidden}`);
    expect(out).toMatch(/^0$/m);
    expect(out).toContain('entries=0');
    expect(out).toContain('umount-refused');
    expect(out).not.toContain('do-not-read-me');
  });

  it('sees only its own processes: not another session\'s, not the server (nor its environ)', async () => {
    const out = await run(server.client, `echo "procs=$(ls /proc | grep -cE '^[0-9]+$')"; kill -0 ${other.pid} 2>/dev/null && echo OTHER-VISIBLE; cat /proc/${server.pid}/environ 2>/dev/null | tr '\\0' '\\n' | grep -c TERMPOOL_ || true`);
    const procs = Number(/procs=(\d+)/.exec(out)?.[1]);
    // bwrap's init, bash, and the pipeline's ls and grep.
    expect(procs).toBeGreaterThan(0);
    expect(procs).toBeLessThanOrEqual(5);
    expect(out).not.toContain('OTHER-VISIBLE');
    const host = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
    console.log(`sandbox: ${procs} processes visible inside, ${host} on the host`);
  });

  it('cannot reach the API: with the network off 127.0.0.1 is its own loopback', async () => {
    const port = new URL(server.url).port;
    const out = await run(server.client, `(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo API-REACHED || echo API-UNREACHABLE`);
    expect(out).toContain('API-UNREACHABLE');
  });

  it('has a private /tmp and a read-only system; its working directory stays writable', async () => {
    const marker = join(tmpdir(), `termpool-host-tmp-${randomBytes(4).toString('hex')}`);
    writeFileSync(marker, 'x');
    try {
      const out = await run(server.client, `ls ${marker} 2>/dev/null && echo HOST-TMP-VISIBLE; touch /usr/termpool-probe 2>/dev/null && echo SYSTEM-WRITABLE; echo ok > written.txt && echo CWD-WRITABLE`, { cwd: work });
      expect(out).not.toContain('HOST-TMP-VISIBLE');
      expect(out).not.toContain('SYSTEM-WRITABLE');
      expect(out).toContain('CWD-WRITABLE');
      expect(readFileSync(join(work, 'written.txt'), 'utf8')).toBe('ok\n');
    } finally {
      rmSync(marker, { force: true });
    }
  });

  it('keeps the pty as its controlling terminal: job control, and resizes reach the program', async () => {
    const tp = server.client;
    const s = await tp.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: '$ ' }, cols: 80, rows: 24 });
    try {
      await tp.wait(s.id, { text: '$', timeoutMs: 10_000 });
      await tp.sendText(s.id, 'sleep 100 &\rjobs; echo JOBS-DONE\r');
      const w = await tp.wait(s.id, { regex: '^JOBS-DONE$', timeoutMs: 10_000 });
      expect(w.lines.join('\n')).toMatch(/\[1\]\+\s+Running\s+sleep 100 &/);
      expect(w.lines.join('\n')).not.toContain('no job control');
      await tp.resize(s.id, 100, 30);
      await tp.sendText(s.id, 'echo "size=$(stty size)"\r');
      await tp.wait(s.id, { regex: '^size=30 100$', timeoutMs: 10_000 });
    } finally {
      await tp.deleteSession(s.id);
    }
  });

  it('nothing started inside survives DELETE (setsid -f included)', async () => {
    expect(await escapeThenDelete(server.client)).toEqual([1, 0]);
  });
});

describe.skipIf(noSandbox !== null)('Sandbox (bwrap) with containment by session id only', () => {
  let server: ServerProcess;
  beforeAll(async () => { server = await spawnServer({ TERMPOOL_SANDBOX: 'bwrap', TERMPOOL_CONTAINMENT: 'session' }); });
  afterAll(async () => { await server?.stop(); });

  it('setsid -f, which escapes session ids, still ends with the session: its PID namespace dies with it', async () => {
    expect(await escapeThenDelete(server.client)).toEqual([1, 0]);
  });
});

describe.skipIf(noSandbox !== null)('Sandbox (bwrap, TERMPOOL_SANDBOX_NETWORK=on, no token)', () => {
  let server: ServerProcess;
  beforeAll(async () => { server = await spawnServer({ TERMPOOL_SANDBOX: 'bwrap', TERMPOOL_SANDBOX_NETWORK: 'on' }); });
  afterAll(async () => { await server?.stop(); });

  it('CAN reach the API over loopback: without a token, a sandbox with network is no barrier to it', async () => {
    const port = new URL(server.url).port;
    const out = await run(server.client, `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET /v1/sessions HTTP/1.0\\r\\nHost: 127.0.0.1:${port}\\r\\n\\r\\n' >&3 && head -1 <&3`);
    expect(out).toMatch(/HTTP\/1\.[01] 200/);
  });
});
