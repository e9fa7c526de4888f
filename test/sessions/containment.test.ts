/**
 * A session's processes end with it (src/sessions/containment.ts): every way a program can
 * leave its process group — `setsid cmd &`, `setsid -f cmd`, `set -m; cmd &`, and the jobs of
 * an interactive bash (`nohup cmd &`, `cmd & disown`) — leaves zero survivors after DELETE,
 * after the program's own exit, and after the server's SIGTERM with 50 sessions.
 *
 * Each escaped process runs `sleep 1000` under a unique argv[0] (`exec -a <marker>`), so
 * survivors are counted by scanning /proc/<pid>/cmdline, whatever group, session or parent
 * they ended up with. Both mechanisms are tested where this machine has a writable cgroup v2;
 * the session-id mode's documented escapes (a setsid'ed process whose parent has exited) are
 * asserted as such, so a change in either direction shows.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Containment } from '../../src/sessions/containment.js';
import { startTestServer, type TestServer } from '../helpers/service.js';
import { spawnServer } from '../helpers/server-process.js';
import { RUN_VAR, skipBecause } from '../helpers/suite.js';

/** Live (non-zombie) processes whose argv[0] starts with `marker`. */
function withMarker(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'latin1').startsWith(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(name));
    } catch { /* exited */ }
  }
  return out;
}

/** Polls until exactly `n` marked processes run (or the deadline); returns the last count. */
async function countReaches(marker: string, n: number, ms = 10_000): Promise<number> {
  const end = Date.now() + ms;
  let c = withMarker(marker).length;
  while (c !== n && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    c = withMarker(marker).length;
  }
  return c;
}

/** Test-side cleanup: whatever a failed assertion left running. */
function killMarked(marker: string): void {
  for (const pid of withMarker(marker)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

const newMarker = (): string => `termpool-test-${randomBytes(5).toString('hex')}`;
const sleeper = (m: string): string => `bash -c "exec -a ${m} sleep 1000"`;

interface Escape {
  name: string;
  /** The session's program: bash -c with the escape, then `tail` (stays) or `exit 0` (leaves). */
  script(m: string, tail: string): string;
  /** Marked processes the escape starts. */
  count: number;
  /** Survivors the session-id mode cannot prevent: [after DELETE, after the program's exit]. */
  sessionModeEscapes: [number, number];
}

const ESCAPES: Escape[] = [
  // The child is still the shell's child at DELETE (found by the ppid walk), an orphan after its exit.
  { name: 'setsid cmd &', script: (m, t) => `setsid ${sleeper(m)} & ${t}`, count: 1, sessionModeEscapes: [0, 1] },
  // setsid forks and its parent exits at once: reparented to init with a new session id.
  { name: 'setsid -f cmd', script: (m, t) => `setsid -f ${sleeper(m)}; ${t}`, count: 1, sessionModeEscapes: [1, 1] },
  { name: 'set -m; cmd &', script: (m, t) => `set -m; ${sleeper(m)} & ${t}`, count: 1, sessionModeEscapes: [0, 0] },
  { name: 'nohup cmd & and cmd & disown (bash -i)', script: (m, t) => `set -m; nohup ${sleeper(m)} >/dev/null 2>&1 & ${sleeper(m)} & disown; ${t}`, count: 2, sessionModeEscapes: [0, 0] },
];

/** Why this machine has no cgroup for the server to use (the cgroup tests are then skipped), or null. */
const noCgroups = ((): string | null => {
  try {
    const c = Containment.create('auto');
    c.close();
    return c.mode === 'cgroup' ? null : `no writable cgroup v2 on this machine: ${c.why}`;
  } catch (err) {
    return `no writable cgroup v2 on this machine: ${(err as Error).message}`;
  }
})();
const cgroupsHere = skipBecause(import.meta.url, noCgroups) === null;
skipBecause(import.meta.url, cgroupsHere && process.getuid?.() !== 0 ? 'starting a server as nobody needs root' : null);

for (const mode of ['cgroup', 'session'] as const) {
  describe.skipIf(mode === 'cgroup' && !cgroupsHere)(`Containment (${mode}): nothing a session started outlives it`, () => {
    let srv: TestServer;
    const markers: string[] = [];
    beforeAll(async () => { srv = await startTestServer({ TERMPOOL_CONTAINMENT: mode, TERMPOOL_EXITED_RETENTION_MS: '0' }); });
    afterAll(async () => {
      try { await srv?.close(); } finally { for (const m of markers) killMarked(m); }
    });

    it('reports the mechanism in /healthz', async () => {
      const h = await srv.api('GET', '/healthz');
      expect(h.body.containment).toBe(mode);
    });

    for (const e of ESCAPES) {
      it(`${e.name}: zero survivors after DELETE`, async () => {
        const m = newMarker();
        markers.push(m);
        const s = await srv.client.createSession({ command: 'bash', args: ['-c', e.script(m, 'sleep 1000')] });
        expect(await countReaches(m, e.count)).toBe(e.count);
        await srv.client.deleteSession(s.id);
        const expected = mode === 'session' ? e.sessionModeEscapes[0] : 0;
        const left = await countReaches(m, expected, 5000);
        console.log(`${mode}: ${e.name}: ${e.count} started, ${left} left after DELETE`);
        expect(left).toBe(expected);
      });

      it(`${e.name}: zero survivors after the program exits by itself`, async () => {
        const m = newMarker();
        markers.push(m);
        // The escapes start before the exit (the marker count is reached while the session may already be exited).
        const s = await srv.client.createSession({ command: 'bash', args: ['-c', `${e.script(m, `until [ "$(pgrep -c -f '^${m}')" -ge ${e.count} ]; do sleep 0.05; done; exit 0`)}`] });
        const w = await srv.client.wait(s.id, { exit: true, timeoutMs: 10_000 });
        expect(w.session.exitCode).toBe(0);
        const expected = mode === 'session' ? e.sessionModeEscapes[1] : 0;
        const left = await countReaches(m, expected, 5000);
        console.log(`${mode}: ${e.name}: ${e.count} started, ${left} left after the program's exit`);
        expect(left).toBe(expected);
      });
    }

    it('interactive bash: nohup and disowned jobs typed at the prompt end with DELETE', async () => {
      const m = newMarker();
      markers.push(m);
      const s = await srv.client.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: '$ ' } });
      await srv.client.wait(s.id, { text: '$', timeoutMs: 10_000 });
      await srv.client.sendText(s.id, `nohup ${sleeper(m)} >/dev/null 2>&1 &\r${sleeper(m)} & disown\r`);
      expect(await countReaches(m, 2)).toBe(2);
      await srv.client.deleteSession(s.id);
      expect(await countReaches(m, 0, 5000)).toBe(0);
    });

    it('interactive bash: jobs left running when it exits are killed with it', async () => {
      const m = newMarker();
      markers.push(m);
      const s = await srv.client.createSession({ command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: '$ ' } });
      await srv.client.wait(s.id, { text: '$', timeoutMs: 10_000 });
      await srv.client.sendText(s.id, `nohup ${sleeper(m)} >/dev/null 2>&1 &\r${sleeper(m)} & disown\r`);
      expect(await countReaches(m, 2)).toBe(2);
      await srv.client.sendText(s.id, 'exit\r');
      await srv.client.wait(s.id, { exit: true, timeoutMs: 10_000 });
      expect(await countReaches(m, 0, 5000)).toBe(0);
    });

    // Only registered in cgroup mode: a structural skip would read as a missing check in the summary.
    if (mode === 'cgroup') it('the session\'s cgroup is removed with it', async () => {
      const s = await srv.client.createSession({ command: 'sleep', args: ['1000'] });
      // The program joins its cgroup itself, right after the fork: poll for it.
      const want = new RegExp(`/termpool-\\d+-[0-9a-f]+/${s.id}$`);
      let line = '';
      for (const end = Date.now() + 5000; !want.test(line) && Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
        line = readFileSync(`/proc/${s.pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'))!;
      }
      expect(line).toMatch(want);
      const dir = cgroupDirOf(s.pid);
      expect(dir !== null && existsSync(dir)).toBe(true);
      await srv.client.deleteSession(s.id);
      expect(existsSync(dir!)).toBe(false);
    });
  });
}

/** The directory of `pid`'s cgroup v2 (from /proc/<pid>/cgroup and the cgroup2 mount). */
function cgroupDirOf(pid: number): string | null {
  const rel = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3);
  const mount = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' - ')[1]?.startsWith('cgroup2 '));
  if (rel === undefined || mount === undefined) return null;
  return mount.split(' ')[4] + rel;
}

describe('Containment: SIGTERM to a server holding 50 sessions that escaped their groups', () => {
  for (const mode of cgroupsHere ? ['cgroup', 'session'] as const : ['session'] as const) {
    it(`${mode}: exit 0, no escaped process left`, async () => {
      const m = newMarker();
      const server = await spawnServer({ TERMPOOL_MAX_SESSIONS: '100', TERMPOOL_LOG_LEVEL: 'warn', TERMPOOL_CONTAINMENT: mode });
      try {
        // Session mode cannot hold `setsid -f` (its parent is gone at once), so it gets the others.
        const escapes = mode === 'cgroup' ? ESCAPES : ESCAPES.filter((e) => e.sessionModeEscapes[0] === 0);
        const created = await Promise.all(Array.from({ length: 50 }, (_, i) => {
          const e = escapes[i % escapes.length]!;
          return server.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', e.script(m, 'sleep 1000')] });
        }));
        for (const r of created) expect(r.status).toBe(201);
        const expected = Array.from({ length: 50 }, (_, i) => escapes[i % escapes.length]!.count).reduce((a, b) => a + b, 0);
        expect(await countReaches(m, expected, 20_000)).toBe(expected);
        const stop = await server.stop('SIGTERM');
        expect(stop.code).toBe(0);
        const left = await countReaches(m, 0, 5000);
        console.log(`SIGTERM (${mode}): 50 sessions, ${expected} escaped processes → exit ${stop.code} in ${stop.ms} ms, ${left} left`);
        expect(left).toBe(0);
        // The server's own cgroup went with it.
        if (mode === 'cgroup') {
          const own = cgroupDirOf(process.pid);
          expect(own !== null && readdirSync(own).some((d) => d.startsWith(`termpool-${server.pid}-`))).toBe(false);
        }
      } finally {
        await server.stop('SIGTERM');
        killMarked(m);
      }
    }, 90_000);
  }
});

describe.runIf(cgroupsHere && process.getuid?.() === 0)('Containment: a server that cannot create cgroups (run as nobody)', () => {
  const bin = fileURLToPath(new URL('../../bin/termpool.js', import.meta.url));
  /** Starts `termpool serve` as nobody; resolves with its exit status and output, or the /healthz body once it listens. */
  async function serveAsNobody(containment: string): Promise<{ code: number | null; out: string; health?: { containment: string } }> {
    // A port nobody listens on right now.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const child = spawn(process.execPath, [bin, 'serve'], {
      uid: 65534, gid: 65534, cwd: '/',
      // RUN_VAR: the suite's leak check knows it (and any orphan it leaves) by it.
      env: { PATH: process.env['PATH'] ?? '', [RUN_VAR]: process.env[RUN_VAR] ?? '', TERMPOOL_CONTAINMENT: containment, TERMPOOL_PORT: String(port), TERMPOOL_ARCHIVE: 'off', TERMPOOL_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (const end = Date.now() + 15_000; Date.now() < end;) {
        const done = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 100))]);
        if (done !== 'running') return { code: done, out };
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          if (r.ok) return { code: null, out, health: await r.json() as { containment: string } };
        } catch { /* not yet */ }
      }
      throw new Error(`no answer: ${out}`);
    } finally {
      if (child.exitCode === null) { child.kill('SIGTERM'); await exited; }
    }
  }

  it('TERMPOOL_CONTAINMENT=cgroup: exit 2 with the reason', async () => {
    const r = await serveAsNobody('cgroup');
    expect(r.code).toBe(2);
    expect(r.out).toContain('TERMPOOL_CONTAINMENT=cgroup, but cgroups cannot be used');
  });

  it('auto: falls back to session ids, and /healthz says so', async () => {
    const r = await serveAsNobody('auto');
    expect(r.health?.containment).toBe('session');
  });
});
