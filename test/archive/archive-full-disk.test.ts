/**
 * The archive (SQLite) and the recordings it keeps on a full file system: the server runs in a
 * user and mount namespace whose archive directory is a 512 KiB tmpfs (test/helpers/full-disk.ts:
 * the kernel's own ENOSPC, no root needed). A session fills it; a recorded program then exits:
 * its archive write fails (SQLITE_FULL, the transaction rolled back), /healthz says so naming
 * the session, the server and a running session carry on, the exited session (and its
 * recording) is still served from memory, and nothing half-written is listed as archived. Once
 * space is freed the next exit is archived as usual and the store has no damaged row.
 * Over 5 s (13 s at load ~15): a server process started in the namespace, and five programs
 * waited for to the end; the archive write is at exit, so nothing cheaper reaches it for real.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { fullDiskAvailable, spawnOnTinyFs } from '../helpers/full-disk.js';
import { freePort } from '../helpers/server-process.js';

const BIN = ['../../bin/termpool.js', '../../../bin/termpool.js'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p))!;
const root = mkdtempSync(path.join(tmpdir(), 'tp-archive-full-'));
let child: ChildProcess | null = null;
let log = '';
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!fullDiskAvailable())('archive on a full file system (ENOSPC)', () => {
  it('an exit whose archive write fails is reported; the server, its sessions and the store stay sound', async () => {
    const dir = path.join(root, 'archive');
    mkdirSync(dir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawnOnTinyFs(dir, 512, process.execPath, [BIN, 'serve'], {
      env: { ...process.env, XDG_STATE_HOME: root, TERMPOOL_HOST: '127.0.0.1', TERMPOOL_PORT: String(port), TERMPOOL_ARCHIVE: 'on', TERMPOOL_ARCHIVE_PATH: path.join(dir, 'archive.sqlite'), TERMPOOL_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    const api = async (method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const r = await fetch(url + p, { method, ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      const t = await r.text();
      try { return { status: r.status, body: JSON.parse(t) }; } catch { return { status: r.status, body: t }; }
    };
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not yet */ }
      if (i > 600 || child.exitCode !== null) throw new Error(`server did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await api('GET', '/healthz')).body.archive.status).toBe('ok');
    const wait = async (id: string, body: object): Promise<void> => {
      const r = await api('POST', `/v1/sessions/${id}/wait`, { timeoutMs: 20_000, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };

    // A session that keeps running throughout, and one that fills the file system.
    const cat = (await api('POST', '/v1/sessions', { command: 'cat' })).body;
    const fill = (await api('POST', '/v1/sessions', { command: 'sh', args: ['-c', `head -c 8M /dev/zero > ${dir}/filler; echo FILLED $?`] })).body;
    await wait(fill.id, { text: 'FILLED' });
    // A recorded program (~290 KB of cast) exits on the full disk.
    const rec = (await api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'seq 1 50000; echo DONE'], record: true })).body;
    await wait(rec.id, { exit: true });
    const health = async (): Promise<any> => (await api('GET', '/healthz')).body.archive;
    let h = await health();
    for (let i = 0; i < 100 && h.status === 'ok'; i++) { await new Promise((r) => setTimeout(r, 50)); h = await health(); }
    expect(h.status).toBe('degraded');
    expect(h.problems.join('\n')).toMatch(new RegExp(`session ${rec.id}.*could not be archived: .*(full|SQLITE_FULL|no space)`, 'i'));
    // The server and the running session carry on.
    expect((await api('POST', `/v1/sessions/${cat.id}/input`, { text: 'still here\r' })).status).toBe(200);
    await wait(cat.id, { text: 'still here' });
    // The exited session is served from memory, its recording too; it is not listed as archived.
    const info = (await api('GET', `/v1/sessions/${rec.id}`)).body;
    expect(info.state).not.toBe('archived');
    const cast = await (await fetch(`${url}/v1/sessions/${rec.id}/recording`)).text();
    expect(cast).toContain('DONE');
    // Space again: the next exit is archived, no row is damaged, the failed one was never half kept.
    const free = (await api('POST', '/v1/sessions', { command: 'sh', args: ['-c', `rm ${dir}/filler; echo FREED $?`] })).body;
    await wait(free.id, { text: 'FREED 0' });
    const after = (await api('POST', '/v1/sessions', { command: 'sh', args: ['-c', 'echo AFTER'], record: true })).body;
    await wait(after.id, { exit: true });
    h = await health();
    for (let i = 0; i < 100 && h.sessions < 1; i++) { await new Promise((r) => setTimeout(r, 50)); h = await health(); }
    expect(h.damagedSessions).toBe(0);
    expect(h.problems.join('\n')).not.toContain(after.id);
    // Archived: the fill and free sessions, and the last one; not the recording that failed.
    await api('DELETE', `/v1/sessions/${after.id}`);
    expect(child.exitCode).toBeNull();
    expect(log).not.toMatch(/uncaught|unhandled/i);
  }, 90_000);
});
