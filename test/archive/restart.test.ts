/**
 * Archived sessions across real server restarts (separate processes, one store in a temp dir):
 * an exited session reads the same after a restart (text, JSON cells, scrollback), a session
 * still running at SIGTERM is archived on the way down, retention deletes archived sessions,
 * DELETE removes them, programs cannot be reached through them (409), and a truncated store file
 * or a damaged row is detected and reported: the server starts and serves no garbage; a file
 * moved aside is reported at every start until the operator removes it.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'termpool-archive-'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

async function server(file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await spawnServer({ TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: file, ...env });
  servers.push(s);
  return s;
}

/** Coloured lines that scroll well past a 10-row screen, then a marker. */
const PRINTER = 'for i in $(seq 1 60); do printf "\\033[3%dmline %d \\033[1;4mbold\\033[0m 日本\\n" $((i % 7)) $i; done; printf "\\033]0;printer\\007"; echo done';

async function run(s: ServerProcess, script: string): Promise<string> {
  const r = await s.api('POST', '/v1/sessions', { command: 'bash', args: ['-c', script], cols: 40, rows: 10 });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

/** Everything a reader can get about a session. */
async function readAll(s: ServerProcess, id: string): Promise<unknown> {
  const get = async (p: string): Promise<unknown> => {
    const r = await s.api('GET', p);
    expect(r.status, `${p}: ${JSON.stringify(r.body).slice(0, 200)}`).toBe(200);
    return r.body;
  };
  return {
    text: await get(`/v1/sessions/${id}/screen`),
    textScrollback: await get(`/v1/sessions/${id}/screen?scrollback=100`),
    json: await get(`/v1/sessions/${id}/screen?format=json&scrollback=100`),
    ansi: await get(`/v1/sessions/${id}/screen?format=ansi`),
    scrollback: await get(`/v1/sessions/${id}/scrollback?start=0&count=1000`),
    search: await get(`/v1/sessions/${id}/scrollback?q=line%2042`),
  };
}

describe('archive: across restarts', { timeout: 60_000 }, () => {
  it('serves an exited session and one killed at SIGTERM identically after a restart', async () => {
    const file = path.join(dir, 'one', 'archive.sqlite');
    const a = await server(file);
    const exited = await run(a, PRINTER);
    const w = await a.api('POST', `/v1/sessions/${exited}/wait`, { exit: true, timeoutMs: 10_000 });
    expect(w.status).toBe(200);
    const running = await run(a, 'printf "\\033[32mstill here\\033[0m\\n"; exec sleep 600');
    expect((await a.api('POST', `/v1/sessions/${running}/wait`, { text: 'still here', timeoutMs: 10_000 })).status).toBe(200);
    // A shell-integration session keeps saying which shell it ran once archived.
    const shell = (await a.api('POST', '/v1/sessions', { shell: 'bash', cols: 40, rows: 10 })).body.id as string;
    expect((await a.api('POST', `/v1/sessions/${shell}/wait`, { command: 'finished', timeoutMs: 1 })).status).not.toBe(409);
    const before = await readAll(a, exited);
    const runningBefore = (await a.api('GET', `/v1/sessions/${running}/screen?format=json`)).body;
    const infoBefore = (await a.api('GET', `/v1/sessions/${exited}`)).body;
    expect(infoBefore.state).toBe('exited');
    expect(infoBefore.scrollbackLength).toBeGreaterThan(40);
    expect((await a.stop('SIGTERM')).code).toBe(0);

    const b = await server(file);
    expect(await readAll(b, exited)).toEqual(before);
    const info = (await b.api('GET', `/v1/sessions/${exited}`)).body;
    expect(info).toEqual({ ...infoBefore, state: 'archived', pageCount: expect.any(Number) });
    expect(info.title).toBe('printer');
    // The running one was killed by the shutdown and archived on the way down.
    const r = (await b.api('GET', `/v1/sessions/${running}`)).body;
    expect(r).toMatchObject({ state: 'archived', signal: 'SIGHUP', shell: null });
    expect((await b.api('GET', `/v1/sessions/${shell}`)).body).toMatchObject({ state: 'archived', shell: 'bash' });
    const snap = (await b.api('GET', `/v1/sessions/${running}/screen?format=json`)).body;
    expect(snap).toEqual(runningBefore);
    const list = (await b.api('GET', '/v1/sessions')).body.sessions as { id: string; state: string }[];
    expect(list.map((s) => [s.id, s.state]).sort()).toEqual([[exited, 'archived'], [running, 'archived'], [shell, 'archived']].sort());
    expect((await b.api('GET', '/healthz')).body.archive).toEqual({ status: 'ok', sessions: 3, damagedSessions: 0, problems: [] });

    // Nothing that needs a program works on an archived session.
    for (const [method, p, body] of [
      ['POST', `/v1/sessions/${exited}/input`, { text: 'x' }],
      ['POST', `/v1/sessions/${exited}/resize`, { cols: 20, rows: 5 }],
      ['POST', `/v1/sessions/${exited}/wait`, { text: 'x', timeoutMs: 100 }],
      ['GET', `/v1/sessions/${exited}/ws`, undefined],
    ] as const) {
      const res = await b.api(method, p, body);
      expect(res.status, p).toBe(409);
      expect(res.body.error).toBe('SESSION_ARCHIVED');
    }

    // DELETE removes it, for good (also after another restart).
    expect((await b.api('DELETE', `/v1/sessions/${exited}`)).body.id).toBe(exited);
    expect((await b.api('GET', `/v1/sessions/${exited}`)).status).toBe(404);
    expect((await b.stop('SIGTERM')).code).toBe(0);
    const c = await server(file);
    expect((await c.api('GET', `/v1/sessions/${exited}`)).status).toBe(404);
    expect((await c.api('GET', `/v1/sessions/${running}`)).body.state).toBe('archived');
    await c.stop('SIGTERM');
  });

  it('an exited session evicted to make room (TERMPOOL_MAX_SESSIONS) stays readable as archived', async () => {
    const a = await server(path.join(dir, 'evict.sqlite'), { TERMPOOL_MAX_SESSIONS: '1' });
    const first = await run(a, PRINTER);
    expect((await a.api('POST', `/v1/sessions/${first}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    const before = await readAll(a, first);
    const second = await run(a, 'exec sleep 600');
    const list = (await a.api('GET', '/v1/sessions')).body.sessions as { id: string; state: string }[];
    expect(list.map((s) => [s.id, s.state])).toEqual([[second, 'running'], [first, 'archived']]);
    expect(await readAll(a, first)).toEqual(before);
    await a.stop('SIGTERM');
  });

  it('deletes archived sessions when their retention ends, measured from exit', async () => {
    const file = path.join(dir, 'two.sqlite');
    const a = await server(file, { TERMPOOL_EXITED_RETENTION_MS: '600000' });
    const id = await run(a, 'echo short-lived');
    expect((await a.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    await a.stop('SIGTERM');
    // Restarted with a retention shorter than the time since exit: deleted at load.
    await new Promise((r) => setTimeout(r, 300));
    const b = await server(file, { TERMPOOL_EXITED_RETENTION_MS: '200' });
    expect((await b.api('GET', `/v1/sessions/${id}`)).status).toBe(404);
    expect(b.log()).toMatch(/1 expired and deleted/);
    // And a session archived under that short retention goes while the server runs.
    const id2 = await run(b, 'echo gone soon');
    expect((await b.api('POST', `/v1/sessions/${id2}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    for (let i = 0; i < 100 && (await b.api('GET', `/v1/sessions/${id2}`)).status !== 404; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await b.api('GET', `/v1/sessions/${id2}`)).status).toBe(404);
    await b.stop('SIGTERM');
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM archived_sessions').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('archive: damaged stores', { timeout: 60_000 }, () => {
  async function archiveOne(file: string, script = PRINTER): Promise<string> {
    const a = await server(file);
    const id = await run(a, script);
    expect((await a.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    await a.stop('SIGTERM');
    return id;
  }

  it('a damaged row is reported, answered with 410 and never served; DELETE drops it', async () => {
    const file = path.join(dir, 'three.sqlite');
    const good = await archiveOne(file);
    const bad = await archiveOne(file);
    // Flip one byte in the middle of the stored terminal, behind the server's back.
    const db = new Database(file);
    const row = db.prepare('SELECT terminal FROM archived_sessions WHERE id = ?').get(bad) as { terminal: Buffer };
    row.terminal[row.terminal.length >> 1] ^= 0x40;
    db.prepare('UPDATE archived_sessions SET terminal = ? WHERE id = ?').run(row.terminal, bad);
    db.close();

    const b = await server(file);
    const health = (await b.api('GET', '/healthz')).body.archive;
    expect(health).toMatchObject({ status: 'degraded', sessions: 1, damagedSessions: 1 });
    expect(b.log()).toContain(`archived session ${bad} is damaged`);
    for (const p of [`/v1/sessions/${bad}`, `/v1/sessions/${bad}/screen`, `/v1/sessions/${bad}/scrollback`]) {
      const r = await b.api('GET', p);
      expect(r.status, p).toBe(410);
      expect(r.body.error).toBe('ARCHIVE_CORRUPT');
      expect(r.body.message).toMatch(/damaged/);
    }
    const list = (await b.api('GET', '/v1/sessions')).body.sessions as { id: string }[];
    expect(list.map((s) => s.id)).toEqual([good]);
    expect((await b.api('GET', `/v1/sessions/${good}/screen`)).body).toMatch(/done/);
    expect((await b.api('DELETE', `/v1/sessions/${bad}`)).status).toBe(204);
    expect((await b.api('GET', `/v1/sessions/${bad}`)).status).toBe(404);
    expect((await b.api('GET', '/healthz')).body.archive.damagedSessions).toBe(0);
    await b.stop('SIGTERM');
  });

  it('a truncated store file is moved aside; the server starts with an empty archive and says so, at every start until the file is cleared', async () => {
    const file = path.join(dir, 'four', 'archive.sqlite');
    await archiveOne(file);
    truncateSync(file, Math.floor(statSync(file).size / 2));

    const b = await server(file);
    const health = (await b.api('GET', '/healthz')).body.archive;
    expect(health.status).toBe('degraded');
    expect(health.problems.join()).toMatch(/failed its integrity check.*moved aside/);
    expect((await b.api('GET', '/v1/sessions')).body.sessions).toEqual([]);
    expect(b.log()).toMatch(/was damaged and moved to .*archive\.sqlite\.corrupt-/);
    const aside = readdirSync(path.dirname(file)).filter((n) => /^archive\.sqlite\.corrupt-[^/]*\d+Z$/.test(n));
    expect(aside).toHaveLength(1);
    // The fresh store works.
    const id = await run(b, 'echo after recovery');
    expect((await b.api('POST', `/v1/sessions/${id}/wait`, { exit: true, timeoutMs: 10_000 })).status).toBe(200);
    await b.stop('SIGTERM');
    // The next start serves the new session and still says what was lost, naming the file.
    const c = await server(file);
    expect((await c.api('GET', `/v1/sessions/${id}/screen`)).body).toMatch(/after recovery/);
    const still = (await c.api('GET', '/healthz')).body.archive;
    expect(still).toMatchObject({ status: 'degraded', sessions: 1, damagedSessions: 0 });
    expect(still.problems).toEqual([expect.stringContaining(`moved aside to ${path.join(path.dirname(file), aside[0]!)} by an earlier start`)]);
    await c.stop('SIGTERM');
    // The operator clears it by removing the moved-aside file.
    rmSync(path.join(path.dirname(file), aside[0]!));
    const d = await server(file);
    expect((await d.api('GET', '/healthz')).body.archive).toEqual({ status: 'ok', sessions: 1, damagedSessions: 0, problems: [] });
    await d.stop('SIGTERM');
  });
});
